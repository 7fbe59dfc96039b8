// name: timeline
// description: Dated facts in date order (proposed, announced, signed, adopted, in force, started, suspended, ended, occurred, published, stated), on nodes and on relationships; optionally only those of one entity, its direct neighbours and its own relationships, and only within a date range (a fact is in it when the days its date stands for overlap the range's: 2025-10 is in a range from 2025-10-15). Each row gives the date's first and last day (earliest, latest), which order it. When the graph was recorded (recordedOn) is left out.
// param entity: string = null -- id of an entity, e.g. eu; leave out for the whole graph
// param from: date = null -- first day, month or year, e.g. 2025
// param to: date = null -- last day, month or year, e.g. 2026-02
// param include_listings: boolean = false -- also the date each mineral was put on a critical-mineral list (one fact per LISTS relationship)
// two parts joined by UNION ALL inside CALL: carrying the node facts' list through every
// relationship row (WITH node_facts, ...) made FalkorDB copy it per row (10 s on the seed data)
CALL {
  MATCH (n:Entity)
  OPTIONAL MATCH (n)--(centre:Entity {id: $entity})
  WITH n, centre
  WHERE $entity IS NULL OR n.id = $entity OR centre IS NOT NULL
  WITH DISTINCT n
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
  WITH n, fact
  WHERE fact.date IS NOT NULL
  RETURN fact.date AS date, fact.what AS what, n.id AS subject, n.name AS name, n.class AS class,
         null AS relation, null AS object, n.sources AS sources, fact.earliest AS earliest, fact.latest AS latest
  UNION ALL
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE ($entity IS NULL OR a.id = $entity OR b.id = $entity)
    AND ($include_listings OR type(r) <> 'LISTS')
  UNWIND [{what: 'signedOn', date: r.signedOn, earliest: r.signedOnEarliest, latest: r.signedOnLatest},
          {what: 'adoptedOn', date: r.adoptedOn, earliest: r.adoptedOnEarliest, latest: r.adoptedOnLatest},
          {what: 'announcedOn', date: r.announcedOn, earliest: r.announcedOnEarliest, latest: r.announcedOnLatest},
          {what: 'startedOn', date: r.startedOn, earliest: r.startedOnEarliest, latest: r.startedOnLatest},
          {what: 'endedOn', date: r.endedOn, earliest: r.endedOnEarliest, latest: r.endedOnLatest}] AS fact
  WITH a, r, b, fact
  WHERE fact.date IS NOT NULL
  RETURN fact.date AS date, fact.what AS what, a.id AS subject, a.name AS name, a.class AS class,
         type(r) AS relation, b.id AS object, r.sources AS sources, fact.earliest AS earliest, fact.latest AS latest
}
WITH date, what, subject, name, class, relation, object, sources, earliest, latest
WHERE ($from IS NULL OR latest >= $from.earliest)
  AND ($to IS NULL OR earliest <= $to.latest)
RETURN date, what, subject, name, class, relation, object, sources, earliest, latest
ORDER BY earliest, latest, subject, what, relation, object
