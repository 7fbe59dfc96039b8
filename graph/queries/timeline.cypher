// name: timeline
// description: Dated facts in date order (proposed, announced, signed, adopted, in force, started, suspended, ended, occurred, published, stated), on nodes and on relationships; optionally only those of one entity, its direct neighbours and its own relationships, and only within a date range (compared at the coarser precision). When the graph was recorded (recordedOn) is left out.
// param entity: string = null -- id of an entity, e.g. eu; leave out for the whole graph
// param from: date = null -- first day, month or year, e.g. 2025
// param to: date = null -- last day, month or year, e.g. 2026-02
// param include_listings: boolean = false -- also the date each mineral was put on a critical-mineral list (one fact per LISTS relationship)
MATCH (n:Entity)
OPTIONAL MATCH (n)--(centre:Entity {id: $entity})
WITH n, centre
WHERE $entity IS NULL OR n.id = $entity OR centre IS NOT NULL
WITH DISTINCT n
UNWIND [{what: 'proposedOn', date: n.proposedOn}, {what: 'announcedOn', date: n.announcedOn},
        {what: 'signedOn', date: n.signedOn}, {what: 'adoptedOn', date: n.adoptedOn},
        {what: 'inForceFrom', date: n.inForceFrom}, {what: 'startedOn', date: n.startedOn},
        {what: 'suspendedOn', date: n.suspendedOn}, {what: 'endedOn', date: n.endedOn},
        {what: 'occurredOn', date: n.occurredOn}, {what: 'publishedOn', date: n.publishedOn},
        {what: 'statedOn', date: n.statedOn}] AS fact
WITH n, fact
WHERE fact.date IS NOT NULL
WITH collect({date: fact.date, what: fact.what, subject: n.id, name: n.name, class: n.class,
              relation: null, object: null, sources: n.sources}) AS node_facts
OPTIONAL MATCH (a:Entity)-[r]->(b:Entity)
WHERE ($entity IS NULL OR a.id = $entity OR b.id = $entity)
  AND ($include_listings OR type(r) <> 'LISTS')
UNWIND [{what: 'signedOn', date: r.signedOn}, {what: 'adoptedOn', date: r.adoptedOn},
        {what: 'announcedOn', date: r.announcedOn}, {what: 'startedOn', date: r.startedOn},
        {what: 'endedOn', date: r.endedOn}] AS fact
WITH node_facts,
     collect(CASE WHEN fact.date IS NOT NULL THEN
               {date: fact.date, what: fact.what, subject: a.id, name: a.name, class: a.class,
                relation: type(r), object: b.id, sources: r.sources} END) AS relationship_facts
UNWIND node_facts + relationship_facts AS fact
WITH fact
WHERE ($from IS NULL OR left(fact.date, size($from)) >= left($from, size(fact.date)))
  AND ($to IS NULL OR left(fact.date, size($to)) <= left($to, size(fact.date)))
RETURN fact.date AS date, fact.what AS what, fact.subject AS subject, fact.name AS name,
       fact.class AS class, fact.relation AS relation, fact.object AS object,
       fact.sources AS sources
ORDER BY date, subject, what, relation, object
