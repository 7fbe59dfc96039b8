// name: mineral_profile
// description: Everything about one mineral or mineral group: the groups it belongs to and its members, the critical-mineral lists naming it or one of its groups, the agreements and policy instruments covering it or its groups, who dominates its supply and the tensions concerning it.
// param mineral: string -- id of the mineral or mineral group, e.g. dysprosium
// param as_of: date = null -- as things stood on this date: list entries, agreements, instruments and tensions known by its end (those whose date straddles it are named in undecidable), e.g. 2024
MATCH (m:Mineral {id: $mineral})
OPTIONAL MATCH (m)-[:BROADER*1..]->(group:Mineral)
WITH m, group
ORDER BY group.id
WITH m, collect(DISTINCT group.id) AS groups
OPTIONAL MATCH (member:Mineral)-[:BROADER*1..]->(m)
WITH m, groups, member
ORDER BY member.id
WITH m, groups, collect(DISTINCT member.id) AS members
// as of a date, a fact counts unless not yet on record (or, for a list entry, taken off by
// then); one whose date straddles the date is also named in undecidable
OPTIONAL MATCH (m)-[:BROADER*0..]->(listed:Mineral)<-[entry:LISTS]-(list:CriticalMineralList)
WHERE $as_of IS NULL
   OR ((list.firstDatedEarliest IS NULL OR list.firstDatedEarliest <= $as_of.latest)
       AND (entry.firstDatedEarliest IS NULL OR entry.firstDatedEarliest <= $as_of.latest)
       AND NOT coalesce(entry.endedOnLatest <= $as_of.latest, false))
WITH m, groups, members, list, listed,
     CASE WHEN list.firstDatedLatest > $as_of.latest OR entry.firstDatedLatest > $as_of.latest
          THEN list.id END AS maybe
ORDER BY list.id, listed.id
WITH m, groups, members, collect(DISTINCT {list: list.id, entry: listed.id}) AS lists,
     collect(DISTINCT maybe) AS undecidable
OPTIONAL MATCH (m)-[:BROADER*0..]->(covered:Mineral)<-[:COVERS_MINERAL]-(holder:Entity)
OPTIONAL MATCH (owner:Agreement)-[:HAS_PROVISION]->(holder)
WITH m, groups, members, lists, undecidable, coalesce(owner, holder) AS covering, covered
WITH m, groups, members, lists, undecidable, covering, covered,
     $as_of IS NULL OR covering.firstDatedEarliest IS NULL
       OR covering.firstDatedEarliest <= $as_of.latest AS kept
ORDER BY covering.id, covered.id
WITH m, groups, members, lists, undecidable,
     collect(DISTINCT CASE WHEN kept THEN
               {id: covering.id, class: covering.class, via: covered.id} END) AS covered_by,
     collect(DISTINCT CASE WHEN kept AND covering.firstDatedLatest > $as_of.latest
                           THEN covering.id END) AS maybe_covering
OPTIONAL MATCH (m)-[:BROADER*0..]->(dominated:Mineral)<-[:DOMINATES_SUPPLY_OF]-(supplier:Actor)
WITH m, groups, members, lists, undecidable, covered_by, maybe_covering, supplier, dominated
ORDER BY supplier.id, dominated.id
WITH m, groups, members, lists, undecidable, covered_by, maybe_covering,
     collect(DISTINCT {actor: supplier.id, via: dominated.id}) AS dominated_by
OPTIONAL MATCH (m)-[:BROADER*0..]->(concerned:Mineral)<-[:CONCERNS]-(t:Tension)
WITH m, groups, members, lists, undecidable, covered_by, maybe_covering, dominated_by, t,
     concerned,
     $as_of IS NULL OR t.firstDatedEarliest IS NULL OR t.firstDatedEarliest <= $as_of.latest
       AS kept
ORDER BY t.id, concerned.id
WITH m, groups, members, lists, undecidable, covered_by, maybe_covering, dominated_by,
     collect(DISTINCT CASE WHEN kept THEN
               {tension: t.id, kind: t.tensionKind, via: concerned.id} END) AS tensions,
     collect(DISTINCT CASE WHEN kept AND t.firstDatedLatest > $as_of.latest THEN t.id END)
       AS maybe_tensions
RETURN m.id AS mineral, m.name AS name, m.class AS class, m.aliases AS aliases, groups, members,
       [x IN lists WHERE x.list IS NOT NULL] AS lists,
       [x IN covered_by WHERE x.id IS NOT NULL] AS covered_by,
       [x IN dominated_by WHERE x.actor IS NOT NULL] AS dominated_by,
       [x IN tensions WHERE x.tension IS NOT NULL] AS tensions,
       undecidable + maybe_covering + maybe_tensions AS undecidable, m.sources AS sources
