// name: timeline
// description: Dated facts in date order (proposed, announced, signed, adopted, in force, started, suspended, ended, occurred, published, stated), on nodes and on relationships; optionally only those of one entity, its direct neighbours and its own relationships, and only within a date range (a fact is in it when the days its date stands for overlap the range's: 2025-10 is in a range from 2025-10-15). Each row gives the date's first and last day (earliest, latest), which order it. When the graph was recorded (recordedOn) is left out.
// param entity: string = null -- id of an entity, e.g. eu; leave out for the whole graph
// param from: date = null -- first day, month or year, e.g. 2025
// param to: date = null -- last day, month or year, e.g. 2026-02
// param include_listings: boolean = false -- also the date each mineral was put on a critical-mineral list (one fact per LISTS relationship)
// With an entity, its facts are reached from it (an indexed id) outwards; the whole graph is
// read only when no entity is given. Then one pass over those nodes, each with its own dated
// relationships: no list of every fact is carried from row to row (FalkorDB copies such a
// list into each row)
//
// The whole graph's first page (no entity, no `from`, no listings) is read from the nodes whose
// first fact (_timelineFirst: an indexed int of its date's first and last day, derived by the
// loader) is no later than that of the page's last such node: each of the first $row_limit
// nodes has a fact of its own value, so the page's facts are all no later, and only nodes whose
// value is no later have such facts (loaders/lookups.py). A lower bound (`from`) breaks that:
// then every node is read. (First in the query, so that Neo4j reads the index in its order;
// FalkorDB reads no node when the condition on the parameters is false, Neo4j tests it on each
// index entry.)
OPTIONAL MATCH (early:Entity)
WHERE $entity IS NULL AND $from IS NULL AND NOT $include_listings
  AND early._timelineFirst IS NOT NULL
WITH early
ORDER BY early._timelineFirst
LIMIT $row_limit
WITH max(early._timelineFirst) AS last_first
OPTIONAL MATCH (firsts:Entity)
WHERE firsts._timelineFirst <= last_first
// (none when the condition is false, or on a graph loaded without these values: then every
// node is read)
WITH collect(firsts) AS firsts, last_first IS NOT NULL AS first_page
OPTIONAL MATCH (centre:Entity {id: coalesce($entity, '')})  // '': FalkorDB seeks the index
OPTIONAL MATCH (centre)--(neighbour:Entity)
WITH firsts, first_page, centre, collect(DISTINCT neighbour) AS near
CALL {
  // a scan behind `UNWIND CASE WHEN wanted THEN [1] ELSE [] END` runs only when wanted: a
  // plain condition is tested by Neo4j after the scan, on each of its rows
  WITH first_page
  UNWIND CASE WHEN $entity IS NULL AND NOT first_page THEN [1] ELSE [] END AS wanted
  MATCH (every:Entity)
  RETURN collect(every) AS everyone
}
UNWIND CASE WHEN first_page THEN firsts WHEN $entity IS NULL THEN everyone
            ELSE [centre] + near END AS n
WITH DISTINCT n, first_page
WHERE n IS NOT NULL
WITH n, true AS in_scope, first_page
// (on the first page only the nodes with a dated outgoing relationship are expanded)
OPTIONAL MATCH (n)-[r]->(b:Entity)
WHERE (NOT first_page OR n._datedOut)
  AND ($entity IS NULL OR n.id = $entity OR b.id = $entity)
  AND ($include_listings OR type(r) <> 'LISTS')
  AND (r.signedOn IS NOT NULL OR r.adoptedOn IS NOT NULL OR r.announcedOn IS NOT NULL OR r.startedOn IS NOT NULL OR r.endedOn IS NOT NULL)
UNWIND [{what: 'signedOn', date: r.signedOn, earliest: r.signedOnEarliest, latest: r.signedOnLatest},
        {what: 'adoptedOn', date: r.adoptedOn, earliest: r.adoptedOnEarliest, latest: r.adoptedOnLatest},
        {what: 'announcedOn', date: r.announcedOn, earliest: r.announcedOnEarliest, latest: r.announcedOnLatest},
        {what: 'startedOn', date: r.startedOn, earliest: r.startedOnEarliest, latest: r.startedOnLatest},
        {what: 'endedOn', date: r.endedOn, earliest: r.endedOnEarliest, latest: r.endedOnLatest}] AS fact
WITH n, in_scope,
     collect(CASE WHEN fact.date IS NOT NULL THEN
               {date: fact.date, earliest: fact.earliest, latest: fact.latest, what: fact.what, subject: n.id, name: n.name, class: n.class,
                relation: type(r), object: b.id, sources: r.sources} END) AS relationship_facts
UNWIND [fact IN [{what: 'proposedOn', date: n.proposedOn, earliest: n.proposedOnEarliest, latest: n.proposedOnLatest},
        {what: 'announcedOn', date: n.announcedOn, earliest: n.announcedOnEarliest, latest: n.announcedOnLatest},
        {what: 'signedOn', date: n.signedOn, earliest: n.signedOnEarliest, latest: n.signedOnLatest},
        {what: 'adoptedOn', date: n.adoptedOn, earliest: n.adoptedOnEarliest, latest: n.adoptedOnLatest},
        {what: 'inForceFrom', date: n.inForceFrom, earliest: n.inForceFromEarliest, latest: n.inForceFromLatest},
        {what: 'startedOn', date: n.startedOn, earliest: n.startedOnEarliest, latest: n.startedOnLatest},
        {what: 'suspendedOn', date: n.suspendedOn, earliest: n.suspendedOnEarliest, latest: n.suspendedOnLatest},
        {what: 'endedOn', date: n.endedOn, earliest: n.endedOnEarliest, latest: n.endedOnLatest},
        {what: 'occurredOn', date: n.occurredOn, earliest: n.occurredOnEarliest, latest: n.occurredOnLatest},
        {what: 'publishedOn', date: n.publishedOn, earliest: n.publishedOnEarliest, latest: n.publishedOnLatest},
        {what: 'statedOn', date: n.statedOn, earliest: n.statedOnEarliest, latest: n.statedOnLatest},
        {what: 'statusChange', date: n.date, earliest: n.dateEarliest, latest: n.dateLatest}]
        WHERE in_scope AND fact.date IS NOT NULL |
        {date: fact.date, earliest: fact.earliest, latest: fact.latest, what: fact.what, subject: n.id, name: n.name, class: n.class,
         relation: null, object: null, sources: n.sources}] + relationship_facts AS fact
WITH fact
WHERE ($from IS NULL OR fact.latest >= $from.earliest)
  AND ($to IS NULL OR fact.earliest <= $to.latest)
RETURN fact.date AS date, fact.what AS what, fact.subject AS subject, fact.name AS name,
       fact.class AS class, fact.relation AS relation, fact.object AS object,
       fact.sources AS sources, fact.earliest AS earliest, fact.latest AS latest
ORDER BY earliest, latest, subject, what, relation, object
LIMIT $row_limit
