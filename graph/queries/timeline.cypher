// name: timeline
// description: Dated facts in date order (proposed, announced, signed, adopted, in force, started, suspended, ended, occurred, published, stated), on nodes and on relationships; optionally only those of one entity, its direct neighbours and its own relationships, and only within a date range (a fact is in it when the days its date stands for overlap the range's: 2025-10 is in a range from 2025-10-15). Each row gives the date's first and last day (earliest, latest), which order it. When the graph was recorded (recordedOn) is left out.
// param entity: string = null -- id of an entity, e.g. eu; leave out for the whole graph
// param from: date = null -- first day, month or year, e.g. 2025
// param to: date = null -- last day, month or year, e.g. 2026-02
// param include_listings: boolean = false -- also the date each mineral was put on a critical-mineral list (one fact per LISTS relationship)
// With an entity its facts are reached from it (an indexed id) outwards; the whole graph is
// read only when no entity is given (whole_graph: a condition on a bound variable, which both
// engines test before they scan)
OPTIONAL MATCH (centre:Entity {id: $entity})
OPTIONAL MATCH (centre)-[own]-(neighbour:Entity)
WITH centre, collect(DISTINCT neighbour) AS near, collect(DISTINCT own) AS owned,
     $entity IS NULL AS whole_graph
OPTIONAL MATCH (every:Entity)
WHERE whole_graph
WITH centre, near, owned, whole_graph, collect(every) AS everyone
UNWIND CASE WHEN $entity IS NULL THEN everyone ELSE [centre] + near END AS n
WITH DISTINCT n, owned, whole_graph
WHERE n IS NOT NULL
UNWIND [{what: 'proposedOn', date: n.proposedOn, earliest: n.proposedOnEarliest, latest: n.proposedOnLatest},
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
        {what: 'statusChange', date: n.date, earliest: n.dateEarliest, latest: n.dateLatest}] AS fact
WITH owned, whole_graph,
     collect(CASE WHEN fact.date IS NOT NULL THEN
               {date: fact.date, earliest: fact.earliest, latest: fact.latest, what: fact.what, subject: n.id, name: n.name, class: n.class,
                relation: null, object: null, sources: n.sources} END) AS node_facts
OPTIONAL MATCH (:Entity)-[every]->(:Entity)
WHERE whole_graph
WITH node_facts, owned, collect(every) AS everything
UNWIND CASE WHEN $entity IS NULL THEN everything ELSE owned END + [null] AS r
WITH node_facts, r, startNode(r) AS a, endNode(r) AS b
WHERE r IS NULL OR $include_listings OR type(r) <> 'LISTS'
UNWIND [{what: 'signedOn', date: r.signedOn, earliest: r.signedOnEarliest, latest: r.signedOnLatest},
        {what: 'adoptedOn', date: r.adoptedOn, earliest: r.adoptedOnEarliest, latest: r.adoptedOnLatest},
        {what: 'announcedOn', date: r.announcedOn, earliest: r.announcedOnEarliest, latest: r.announcedOnLatest},
        {what: 'startedOn', date: r.startedOn, earliest: r.startedOnEarliest, latest: r.startedOnLatest},
        {what: 'endedOn', date: r.endedOn, earliest: r.endedOnEarliest, latest: r.endedOnLatest}] AS fact
WITH node_facts,
     collect(CASE WHEN fact.date IS NOT NULL THEN
               {date: fact.date, earliest: fact.earliest, latest: fact.latest, what: fact.what, subject: a.id, name: a.name, class: a.class,
                relation: type(r), object: b.id, sources: r.sources} END) AS relationship_facts
UNWIND node_facts + relationship_facts AS fact
WITH fact
WHERE ($from IS NULL OR fact.latest >= $from.earliest)
  AND ($to IS NULL OR fact.earliest <= $to.latest)
RETURN fact.date AS date, fact.what AS what, fact.subject AS subject, fact.name AS name,
       fact.class AS class, fact.relation AS relation, fact.object AS object,
       fact.sources AS sources, fact.earliest AS earliest, fact.latest AS latest
ORDER BY earliest, latest, subject, what, relation, object
