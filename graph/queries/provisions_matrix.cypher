// name: provisions_matrix
// description: Every agreement with provisions against every class of provision (price support, stockpiling, exclusive trade routes, ...): one row per agreement and class it has, with the agreement's first date, how many provisions of that class and which; optionally only the agreements of one actor (also through its bodies and people) and of a period any of the agreement's own dates falls in. The browser draws it as a heat map at /matrix.
// param actor: string = null -- id of an actor whose agreements to keep, e.g. eu; leave out for all
// param from: date = null -- keep agreements with a date on or after this, e.g. 2025 (a date is in the period when the days it stands for overlap the period's)
// param to: date = null -- keep agreements with a date on or before this, e.g. 2026-02
// with an actor, its agreements are reached from it (an indexed id; '' when none is asked, so
// that FalkorDB still seeks the index) instead of reading every agreement; every agreement
// only without one (whole_graph: tested before the scan). A page of (agreement, class) rows
// in the answer's order first, the period's filter before its LIMIT; the provisions only for
// that page.
OPTIONAL MATCH (:Actor {id: coalesce($actor, '')})<-[:PART_OF|AFFILIATED_WITH*0..3]-(:Actor)
               -[:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]->(mine:Agreement)
WITH collect(DISTINCT mine) AS mine, $actor IS NULL AS whole_graph
OPTIONAL MATCH (every:Agreement)
WHERE whole_graph
WITH mine, whole_graph, collect(every) AS everyone
UNWIND CASE WHEN whole_graph THEN everyone ELSE mine END AS g
// the agreements with provisions, in the answer's order; without a period each gives at least
// one row, so the first $row_limit of them fill the page: the others' classes are not read
MATCH (g)-[:HAS_PROVISION]->(:Provision)
WITH DISTINCT g
WITH g ORDER BY g.id
WITH collect(g) AS gs
UNWIND CASE WHEN $from IS NULL AND $to IS NULL THEN gs[..$row_limit] ELSE gs END AS g
MATCH (g)-[:HAS_PROVISION]->(p:Provision)
WITH DISTINCT g, p.class AS class
ORDER BY g.id, class
WITH g, collect(class) AS classes
ORDER BY g.id
// tested in the answer's order until the page is full (a filter between ORDER BY and LIMIT
// would not be safe: FalkorDB moves the LIMIT into the sort, before the filter)
WITH collect([g, classes]) AS ordered
UNWIND ordered AS row
WITH row[0] AS g, row[1] AS classes
// every date the agreement carries (on the node, on the relationships into it from actors, in
// its history) as [first day, last day, text]; in the period when one's days overlap the
// period's
WITH g, classes,
     [(:Actor)-[dated]->(g) |
      [[dated.signedOnEarliest, dated.signedOnLatest, dated.signedOn],
       [dated.adoptedOnEarliest, dated.adoptedOnLatest, dated.adoptedOn],
       [dated.announcedOnEarliest, dated.announcedOnLatest, dated.announcedOn],
       [dated.startedOnEarliest, dated.startedOnLatest, dated.startedOn],
       [dated.endedOnEarliest, dated.endedOnLatest, dated.endedOn]]] AS by_actors,
     [(g)-[:HAD_STATUS]->(step:StatusChange) | [step.dateEarliest, step.dateLatest, step.date]]
       AS steps
WITH g, classes,
     [x IN [[g.proposedOnEarliest, g.proposedOnLatest, g.proposedOn],
            [g.announcedOnEarliest, g.announcedOnLatest, g.announcedOn],
            [g.signedOnEarliest, g.signedOnLatest, g.signedOn],
            [g.adoptedOnEarliest, g.adoptedOnLatest, g.adoptedOn],
            [g.inForceFromEarliest, g.inForceFromLatest, g.inForceFrom],
            [g.startedOnEarliest, g.startedOnLatest, g.startedOn],
            [g.suspendedOnEarliest, g.suspendedOnLatest, g.suspendedOn],
            [g.endedOnEarliest, g.endedOnLatest, g.endedOn]]
            + reduce(all = [], d IN by_actors | all + d) + steps
      WHERE x[2] IS NOT NULL] AS spans
WHERE ($from IS NULL AND $to IS NULL)
   OR any(x IN spans WHERE ($from IS NULL OR x[1] >= $from.earliest)
                       AND ($to IS NULL OR x[0] <= $to.latest))
UNWIND classes AS class
WITH g, class, spans
LIMIT $row_limit
// the first date: the one with the earliest first day, then last day, then text (a date's
// bounds are stored with it, so neither is null)
WITH g, class,
     reduce(first = null, x IN spans |
            CASE WHEN first IS NULL OR x[0] < first[0]
                      OR (x[0] = first[0] AND (x[1] < first[1]
                                               OR (x[1] = first[1] AND x[2] < first[2])))
                 THEN x ELSE first END)[2] AS first_date
MATCH (g)-[:HAS_PROVISION]->(p:Provision)
WHERE p.class = class OR (p.class IS NULL AND class IS NULL)
WITH g, first_date, class, p
ORDER BY p.id
RETURN g.id AS agreement, g.name AS name, g.status AS status,
       first_date AS date,
       class, count(p) AS provisions, collect(p.id) AS provision_ids
ORDER BY agreement, class
