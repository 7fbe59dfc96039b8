// name: mineral_profile
// description: Everything about one mineral or mineral group: the groups it belongs to and its members, the critical-mineral lists naming it or one of its groups, the agreements and policy instruments covering it or its groups, who dominates its supply and the tensions concerning it.
// param mineral: string -- id of the mineral or mineral group, e.g. dysprosium
// param as_of: date = null -- as things stood on this date: list entries, agreements, instruments and tensions known by its end (those whose date straddles it are named in undecidable), e.g. 2024
// The mineral and its groups (BROADER, any depth) once each; every part of the profile is
// then gathered in a subquery of its own: FalkorDB copies the lists already gathered into
// every row that follows, so gathered one after the other in one pipeline, the hundreds of
// coverage rows of a well-covered group carried the other parts' lists (seconds, not ms)
MATCH (m:Mineral {id: $mineral})
OPTIONAL MATCH (m)-[:BROADER*0..]->(broader:Mineral)
WITH m, collect(DISTINCT broader) AS scope
CALL {
  WITH m
  OPTIONAL MATCH (m)-[:BROADER*1..]->(group:Mineral)
  WITH DISTINCT group
  ORDER BY group.id
  RETURN collect(group.id) AS groups
}
CALL {
  WITH m
  OPTIONAL MATCH (member:Mineral)-[:BROADER*1..]->(m)
  WITH DISTINCT member
  ORDER BY member.id
  RETURN collect(member.id) AS members
}
// as of a date, a fact counts unless not yet on record (or, for a list entry, taken off by
// then); one whose date straddles the date is also named in undecidable
CALL {
  WITH scope
  UNWIND scope AS listed
  MATCH (listed)<-[entry:LISTS]-(list:CriticalMineralList)
  WHERE $as_of IS NULL
     OR ((list.firstDatedEarliest IS NULL OR list.firstDatedEarliest <= $as_of.latest)
         AND (entry.firstDatedEarliest IS NULL OR entry.firstDatedEarliest <= $as_of.latest)
         AND NOT coalesce(entry.endedOnLatest <= $as_of.latest, false))
  WITH list, listed,
       CASE WHEN list.firstDatedLatest > $as_of.latest OR entry.firstDatedLatest > $as_of.latest
            THEN list.id END AS maybe
  ORDER BY list.id, listed.id
  RETURN collect(DISTINCT {list: list.id, entry: listed.id}) AS lists,
         collect(DISTINCT maybe) AS maybe_listed
}
CALL {
  WITH scope
  UNWIND scope AS covered
  MATCH (covered)<-[:COVERS_MINERAL]-(holder:Entity)
  OPTIONAL MATCH (owner:Agreement)-[:HAS_PROVISION]->(holder)
  WITH covered, coalesce(owner, holder) AS covering
  WHERE $as_of IS NULL OR covering.firstDatedEarliest IS NULL
     OR covering.firstDatedEarliest <= $as_of.latest
  WITH covered, covering
  ORDER BY covering.id, covered.id
  RETURN collect(DISTINCT {id: covering.id, class: covering.class, via: covered.id}) AS covered_by,
         collect(DISTINCT CASE WHEN covering.firstDatedLatest > $as_of.latest
                               THEN covering.id END) AS maybe_covering
}
CALL {
  WITH scope
  UNWIND scope AS dominated
  MATCH (dominated)<-[:DOMINATES_SUPPLY_OF]-(supplier:Actor)
  WITH supplier, dominated
  ORDER BY supplier.id, dominated.id
  RETURN collect(DISTINCT {actor: supplier.id, via: dominated.id}) AS dominated_by
}
CALL {
  WITH scope
  UNWIND scope AS concerned
  MATCH (concerned)<-[:CONCERNS]-(t:Tension)
  WHERE $as_of IS NULL OR t.firstDatedEarliest IS NULL OR t.firstDatedEarliest <= $as_of.latest
  WITH t, concerned
  ORDER BY t.id, concerned.id
  RETURN collect(DISTINCT {tension: t.id, kind: t.tensionKind, via: concerned.id}) AS tensions,
         collect(DISTINCT CASE WHEN t.firstDatedLatest > $as_of.latest THEN t.id END)
           AS maybe_tensions
}
RETURN m.id AS mineral, m.name AS name, m.class AS class, m.aliases AS aliases, groups, members,
       lists, covered_by, dominated_by, tensions,
       maybe_listed + maybe_covering + maybe_tensions AS undecidable, m.sources AS sources
