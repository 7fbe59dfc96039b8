// name: provisions_matrix
// description: Every agreement with provisions against every class of provision (price support, stockpiling, exclusive trade routes, ...): one row per agreement and class it has, with the agreement's first date, how many provisions of that class and which; optionally only the agreements of one actor (also through its bodies and people) and of a period any of the agreement's own dates falls in. The browser draws it as a heat map at /matrix.
// param actor: string = null -- id of an actor whose agreements to keep, e.g. eu; leave out for all
// param from: date = null -- keep agreements with a date on or after this, e.g. 2025 (a date is in the period when the days it stands for overlap the period's)
// param to: date = null -- keep agreements with a date on or before this, e.g. 2026-02
MATCH (g:Agreement)-[:HAS_PROVISION]->(p:Provision)
WITH DISTINCT g
OPTIONAL MATCH (party:Actor)-[:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]->(g)
OPTIONAL MATCH (party)-[:PART_OF|AFFILIATED_WITH*0..3]->(whole:Actor)
WITH g, collect(DISTINCT whole.id) AS parties
WHERE $actor IS NULL OR $actor IN parties
// every date the agreement carries (on the node, on the relationships into it, in its
// history) as [first day, last day, text]; in the period when one's days overlap the period's
OPTIONAL MATCH (:Actor)-[dated]->(g)
UNWIND [[g.proposedOnEarliest, g.proposedOnLatest, g.proposedOn],
        [g.announcedOnEarliest, g.announcedOnLatest, g.announcedOn],
        [g.signedOnEarliest, g.signedOnLatest, g.signedOn],
        [g.adoptedOnEarliest, g.adoptedOnLatest, g.adoptedOn],
        [g.inForceFromEarliest, g.inForceFromLatest, g.inForceFrom],
        [g.startedOnEarliest, g.startedOnLatest, g.startedOn],
        [g.suspendedOnEarliest, g.suspendedOnLatest, g.suspendedOn],
        [g.endedOnEarliest, g.endedOnLatest, g.endedOn],
        [dated.signedOnEarliest, dated.signedOnLatest, dated.signedOn],
        [dated.adoptedOnEarliest, dated.adoptedOnLatest, dated.adoptedOn],
        [dated.announcedOnEarliest, dated.announcedOnLatest, dated.announcedOn],
        [dated.startedOnEarliest, dated.startedOnLatest, dated.startedOn],
        [dated.endedOnEarliest, dated.endedOnLatest, dated.endedOn]] AS d
WITH g, collect(DISTINCT d) AS own
OPTIONAL MATCH (g)-[:HAD_STATUS]->(step:StatusChange)
WITH g, own, collect([step.dateEarliest, step.dateLatest, step.date]) AS steps
WITH g, [x IN own + steps WHERE x[2] IS NOT NULL] AS spans
WHERE ($from IS NULL AND $to IS NULL)
   OR any(x IN spans WHERE ($from IS NULL OR x[1] >= $from.earliest)
                       AND ($to IS NULL OR x[0] <= $to.latest))
UNWIND spans + [[null, null, null]] AS d
WITH g, d
ORDER BY d[0], d[1], d[2]
WITH g, [x IN collect(d) WHERE x[2] IS NOT NULL] AS ordered
WITH g, CASE WHEN size(ordered) > 0 THEN ordered[0][2] END AS first_date
MATCH (g)-[:HAS_PROVISION]->(p:Provision)
WITH g, first_date, p
ORDER BY g.id, p.class, p.id
RETURN g.id AS agreement, g.name AS name, g.status AS status,
       first_date AS date,
       p.class AS class, count(p) AS provisions, collect(p.id) AS provision_ids
ORDER BY agreement, class
