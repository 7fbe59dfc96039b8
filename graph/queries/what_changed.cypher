// name: what_changed
// description: What happened in a period, oldest first: one row per dated fact (a node or relationship and which of its dates): new agreements, status changes, instruments, tensions, list changes (lists adopted, minerals added or removed), events, statements, dated relationships; with its kind, sources and the date's bounds. A date is in the period when the days it stands for overlap the period's; `straddles` is true when they are not all inside it. The dates of the record (recordedOn, accessedOn) and of the sources' publication are not changes. At most the row cap of the read (MINERALKG_ROW_LIMIT) rows, the first in that order: the query computes no more.
// param since: date = null -- the period's first day, e.g. 2025-10 (its first day when month or year)
// param until: date = null -- the period's last day, e.g. 2026-02 (its last day when month or year)
// param actor: string = null -- only facts involving this actor (also through its bodies and people), e.g. us
// param other: string = null -- with actor: only facts involving both, e.g. eu
// The whole graph's first page with no `since` is read from the nodes whose first fact
// (_changesFirst, an indexed int of its first and last day that the loader derives from their
// own dates and their outgoing relationships') is no later than that of the page's last such node: each of the first
// $row_limit nodes has a fact on its own first day, so the page's facts all start by then, and
// only nodes whose first day is no later have such facts (loaders/lookups.py). With `since`
// every dated node and relationship is read. (First in the query, so that Neo4j reads the
// index in its order; FalkorDB reads no node when the condition on the parameters is false,
// Neo4j tests it on each index entry.)
OPTIONAL MATCH (early:Entity)
WHERE $actor IS NULL AND $other IS NULL AND $since IS NULL AND early._changesFirst IS NOT NULL
WITH early
ORDER BY early._changesFirst
LIMIT $row_limit
WITH max(early._changesFirst) AS last_first
OPTIONAL MATCH (firsts:Entity)
WHERE firsts._changesFirst <= last_first
// (none when the condition is false, or on a graph loaded without these values: then every
// dated node and relationship is read)
WITH collect(firsts) AS firsts, last_first IS NOT NULL AS first_page
// Who is involved: the actor, its bodies and people (PART_OF|AFFILIATED_WITH up to 3 hops), and
// what they are linked to directly; timeless concepts (minerals, stages, applications, sources)
// do not pass involvement on, or every list change of lithium would involve every miner. Both
// are reached from the actors' indexed ids outwards.
OPTIONAL MATCH (asked:Actor {id: coalesce($actor, '')})  // '': FalkorDB seeks the index
OPTIONAL MATCH (asked)<-[:PART_OF|AFFILIATED_WITH*0..3]-(am:Actor)
WITH DISTINCT firsts, first_page, am
OPTIONAL MATCH (am)-[]-(an:Entity)
WHERE NOT (an:Mineral OR an:SupplyChainStage OR an:Application OR an:Source)
WITH firsts, first_page, collect(DISTINCT am) + collect(DISTINCT an) AS a_near
OPTIONAL MATCH (asked:Actor {id: coalesce($other, '')})
WITH firsts, first_page, a_near, asked
OPTIONAL MATCH (asked)<-[:PART_OF|AFFILIATED_WITH*0..3]-(om:Actor)
WITH DISTINCT firsts, first_page, a_near, om
OPTIONAL MATCH (om)-[]-(onb:Entity)
WHERE NOT (onb:Mineral OR onb:SupplyChainStage OR onb:Application OR onb:Source)
WITH firsts, first_page, a_near, collect(DISTINCT om) + collect(DISTINCT onb) AS o_near
// A fact involving the actor (and the other) is about, or touches, a node they involve: only
// those nodes are read then; every dated node and relationship only without an actor
// (whole_graph, and without `since` first_page: see below)
WITH firsts, [x IN a_near | x.id] AS a_ids, [x IN o_near | x.id] AS o_ids,
     CASE WHEN $other IS NULL THEN a_near ELSE o_near END AS scope,
     $actor IS NULL AND $other IS NULL AND NOT first_page AS whole_graph
CALL {
  // dated nodes (when the first date of a fact starts after the period, none of its dates is in
  // it); a status change is about its agreement (or instrument, list, tension) and involves
  // what it does
  WITH a_ids, o_ids, scope, whole_graph, firsts
  CALL {
    WITH whole_graph
    UNWIND CASE WHEN whole_graph THEN [1] ELSE [] END AS wanted
    MATCH (n:Entity)
    WHERE n.firstDatedEarliest IS NOT NULL
    RETURN n
    UNION
    WITH firsts
    UNWIND firsts AS n
    RETURN n
    UNION
    WITH scope
    UNWIND scope AS x
    OPTIONAL MATCH (x)-[:HAD_STATUS]->(step:Entity)
    UNWIND [x, step] AS n
    WITH n
    WHERE n IS NOT NULL
    RETURN n
  }
  WITH a_ids, o_ids, n
  WHERE n.firstDatedEarliest IS NOT NULL AND NOT n:Source
    AND ($until IS NULL OR n.firstDatedEarliest <= $until.latest)
  OPTIONAL MATCH (parent:Entity)-[:HAD_STATUS]->(n)
  WITH a_ids, o_ids, n, coalesce(parent, n) AS about
  WHERE ($actor IS NULL OR about.id IN a_ids) AND ($other IS NULL OR about.id IN o_ids)
  // the dates of the fact in the period: those whose days overlap the days of the period
  WITH n, about,
       [d IN [['proposedOn', n.proposedOn, n.proposedOnEarliest, n.proposedOnLatest, n.proposedOnPrecision],
              ['announcedOn', n.announcedOn, n.announcedOnEarliest, n.announcedOnLatest, n.announcedOnPrecision],
              ['signedOn', n.signedOn, n.signedOnEarliest, n.signedOnLatest, n.signedOnPrecision],
              ['adoptedOn', n.adoptedOn, n.adoptedOnEarliest, n.adoptedOnLatest, n.adoptedOnPrecision],
              ['inForceFrom', n.inForceFrom, n.inForceFromEarliest, n.inForceFromLatest, n.inForceFromPrecision],
              ['suspendedOn', n.suspendedOn, n.suspendedOnEarliest, n.suspendedOnLatest, n.suspendedOnPrecision],
              ['startedOn', n.startedOn, n.startedOnEarliest, n.startedOnLatest, n.startedOnPrecision],
              ['endedOn', n.endedOn, n.endedOnEarliest, n.endedOnLatest, n.endedOnPrecision],
              ['occurredOn', n.occurredOn, n.occurredOnEarliest, n.occurredOnLatest, n.occurredOnPrecision],
              ['statedOn', n.statedOn, n.statedOnEarliest, n.statedOnLatest, n.statedOnPrecision],
              ['date', n.date, n.dateEarliest, n.dateLatest, n.datePrecision]]
          WHERE d[1] IS NOT NULL AND ($since IS NULL OR d[3] >= $since.earliest)
            AND ($until IS NULL OR d[2] <= $until.latest) | d] AS dates
  WHERE size(dates) > 0
  UNWIND dates AS d
  RETURN CASE WHEN n:StatusChange THEN 'status-change' WHEN n:Agreement THEN 'agreement'
              WHEN n:PolicyInstrument THEN 'instrument' WHEN n:Tension THEN 'tension'
              WHEN n:CriticalMineralList THEN 'list' WHEN n:Event THEN 'event'
              WHEN n:Statement THEN 'statement' WHEN n:StrategicProject THEN 'project'
              ELSE toLower(n.class) END AS kind,
         n.id AS subject, n.name AS name, n.class AS class, about.id AS entity,
         about.name AS entity_name, null AS start_id, null AS end_id,
         CASE WHEN n:StatusChange THEN n.status ELSE null END AS status,
         n.sources AS sources, n.evidence AS evidence, d
  UNION ALL
  // dated relationships: about the endpoint that is not an actor (the agreement a party signed,
  // the list a mineral was added to), involving what either endpoint involves
  WITH a_ids, o_ids, scope, whole_graph, firsts
  CALL {
    WITH whole_graph
    UNWIND CASE WHEN whole_graph THEN [1] ELSE [] END AS wanted
    MATCH (:Entity)-[r]->(:Entity)
    WHERE r.firstDatedEarliest IS NOT NULL
    RETURN r
    UNION
    WITH firsts
    UNWIND firsts AS x
    WITH x
    WHERE x._datedOut  // only those with a dated outgoing relationship are expanded
    MATCH (x)-[r]->(:Entity)
    WHERE r.firstDatedEarliest IS NOT NULL
    RETURN r
    UNION
    WITH scope
    UNWIND scope AS x
    MATCH (x)-[r]-(:Entity)
    WHERE r.firstDatedEarliest IS NOT NULL
    RETURN r
  }
  WITH a_ids, o_ids, r, startNode(r) AS s, endNode(r) AS e
  WHERE ($until IS NULL OR r.firstDatedEarliest <= $until.latest)
    AND ($actor IS NULL OR s.id IN a_ids OR e.id IN a_ids)
    AND ($other IS NULL OR s.id IN o_ids OR e.id IN o_ids)
  WITH s, r, e, CASE WHEN s:Actor THEN e ELSE s END AS about,
       [d IN [['signedOn', r.signedOn, r.signedOnEarliest, r.signedOnLatest, r.signedOnPrecision],
              ['adoptedOn', r.adoptedOn, r.adoptedOnEarliest, r.adoptedOnLatest, r.adoptedOnPrecision],
              ['announcedOn', r.announcedOn, r.announcedOnEarliest, r.announcedOnLatest, r.announcedOnPrecision],
              ['startedOn', r.startedOn, r.startedOnEarliest, r.startedOnLatest, r.startedOnPrecision],
              ['endedOn', r.endedOn, r.endedOnEarliest, r.endedOnLatest, r.endedOnPrecision]]
          WHERE d[1] IS NOT NULL AND ($since IS NULL OR d[3] >= $since.earliest)
            AND ($until IS NULL OR d[2] <= $until.latest) | d] AS dates
  WHERE size(dates) > 0
  UNWIND dates AS d
  RETURN CASE WHEN type(r) = 'LISTS' THEN 'list-change' ELSE 'relationship' END AS kind,
         r.key AS subject, s.name + ' ' + type(r) + ' ' + e.name AS name, type(r) AS class,
         about.id AS entity, about.name AS entity_name, s.id AS start_id, e.id AS end_id,
         null AS status, r.sources AS sources, r.evidence AS evidence, d
}
// one row per date in the period, oldest first: a page of them (the read path's row cap)
WITH kind, subject, name, class, entity, entity_name, start_id, end_id, status, sources,
     evidence, d
ORDER BY d[2], d[3], subject, d[0]
LIMIT $row_limit
RETURN kind, subject, name, class,
       d[0] AS property, d[1] AS date, d[2] AS earliest, d[3] AS latest, d[4] AS precision,
       ($since IS NOT NULL AND d[2] < $since.earliest)
         OR ($until IS NOT NULL AND d[3] > $until.latest) AS straddles,
       status, entity, entity_name, start_id, end_id, sources, evidence
ORDER BY earliest, latest, subject, property
