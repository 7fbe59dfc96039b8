// name: tensions_between
// description: Tensions (disputes, threats, wars, trade conflicts) that involve both actors: their kind, the side each actor is on, every actor involved, what they concern, what they strain and what was made in response.
// param actor_a: string -- id of one actor, e.g. us
// param actor_b: string -- id of the other actor, e.g. eu
MATCH (a:Actor {id: $actor_a})<-[ra:INVOLVES]-(t:Tension)-[rb:INVOLVES]->(b:Actor {id: $actor_b})
OPTIONAL MATCH (t)-[:CONCERNS]->(c:Entity)
WITH t, ra, rb, c
ORDER BY c.id
WITH t, ra, rb, collect(DISTINCT c.id) AS concerns
OPTIONAL MATCH (t)-[:STRAINS]->(s:Entity)
WITH t, ra, rb, concerns, s
ORDER BY s.id
WITH t, ra, rb, concerns, collect(DISTINCT s.id) AS strains
OPTIONAL MATCH (response:Entity)-[:RESPONDS_TO]->(t)
WITH t, ra, rb, concerns, strains, response
ORDER BY response.id
WITH t, ra, rb, concerns, strains, collect(DISTINCT response.id) AS responses
MATCH (t)-[side:INVOLVES]->(involved:Actor)
WITH t, ra, rb, concerns, strains, responses, side, involved
ORDER BY involved.id
WITH t, ra, rb, concerns, strains, responses,
     collect({actor: involved.id, role: side.role, attributedTo: side.attributedTo}) AS sides
RETURN t.id AS tension, t.name AS name, t.tensionKind AS kind, t.startedOn AS startedOn,
       t.endedOn AS endedOn, ra.role AS role_a, rb.role AS role_b, sides, concerns, strains,
       responses, t.attributedTo AS attributedTo, t.sources AS sources
ORDER BY kind, tension
