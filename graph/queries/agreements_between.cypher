// name: agreements_between
// description: Agreements both actors take part in (party to, signed, proposed, announced, adopted or lead, also through their bodies and people), with their class, status, every date they carry in date order (on the agreement, on the relationships into it and in its status history), the first of them, and how each actor is involved.
// param actor_a: string -- id of one actor, e.g. us
// param actor_b: string -- id of the other actor, e.g. ukraine
MATCH (a:Actor {id: $actor_a})<-[:PART_OF|AFFILIATED_WITH*0..3]-(ma:Actor)
      -[ra:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]->(g:Agreement)
MATCH (b:Actor {id: $actor_b})<-[:PART_OF|AFFILIATED_WITH*0..3]-(mb:Actor)
      -[rb:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]->(g)
WITH g, ma, ra, mb, rb
ORDER BY ma.id, type(ra), mb.id, type(rb)
WITH g, collect(DISTINCT ma.id + ' ' + type(ra)) AS by_a,
     collect(DISTINCT mb.id + ' ' + type(rb)) AS by_b
// every date it carries, as [first day, last day, text], in date order
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
WITH g, by_a, by_b, collect(DISTINCT d) AS own
OPTIONAL MATCH (g)-[:HAD_STATUS]->(step:StatusChange)
WITH g, by_a, by_b, own, collect([step.dateEarliest, step.dateLatest, step.date]) AS steps
UNWIND own + steps + [[null, null, null]] AS d
WITH g, by_a, by_b, d
ORDER BY d[0], d[1], d[2]
WITH g, by_a, by_b, [x IN collect(DISTINCT d) WHERE x[2] IS NOT NULL] AS spans
RETURN g.id AS agreement, g.name AS name, g.class AS class, g.status AS status,
       CASE WHEN size(spans) > 0 THEN spans[0][2] END AS first_date,
       [x IN spans | x[2]] AS dates,
       by_a AS actor_a_involvement, by_b AS actor_b_involvement, g.sources AS sources
ORDER BY CASE WHEN size(dates) > 0 THEN 0 ELSE 1 END, spans[0][0], spans[0][1], agreement
