// name: agreements_between
// description: Agreements both actors take part in (party to, signed, proposed, announced, adopted or lead, also through their bodies and people), with their class, status, every date they carry (on the agreement, on the relationships into it and in its status history), the first of them, and how each actor is involved.
// param actor_a: string -- id of one actor, e.g. us
// param actor_b: string -- id of the other actor, e.g. ukraine
MATCH (a:Actor {id: $actor_a})<-[:PART_OF|AFFILIATED_WITH*0..3]-(ma:Actor)
      -[ra:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]->(g:Agreement)
MATCH (b:Actor {id: $actor_b})<-[:PART_OF|AFFILIATED_WITH*0..3]-(mb:Actor)
      -[rb:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]->(g)
WITH g, collect(DISTINCT ma.id + ' ' + type(ra)) AS by_a,
     collect(DISTINCT mb.id + ' ' + type(rb)) AS by_b
OPTIONAL MATCH (:Actor)-[dated]->(g)
UNWIND [g.proposedOn, g.announcedOn, g.signedOn, g.adoptedOn, g.inForceFrom, g.startedOn,
        g.suspendedOn, g.endedOn, dated.signedOn, dated.adoptedOn, dated.announcedOn,
        dated.startedOn, dated.endedOn] AS day
WITH g, by_a, by_b, collect(DISTINCT day) AS own
OPTIONAL MATCH (g)-[:HAD_STATUS]->(step:StatusChange)
WITH g, by_a, by_b, own, collect(step.date) AS steps
UNWIND (CASE WHEN size(own + steps) = 0 THEN [null] ELSE own + steps END) AS day
WITH g, by_a, by_b, day
ORDER BY day
WITH g, by_a, by_b, collect(DISTINCT day) AS dates
RETURN g.id AS agreement, g.name AS name, g.class AS class, g.status AS status,
       CASE WHEN size(dates) > 0 THEN dates[0] END AS first_date, dates,
       by_a AS actor_a_involvement, by_b AS actor_b_involvement, g.sources AS sources
ORDER BY coalesce(first_date, '9999'), agreement
