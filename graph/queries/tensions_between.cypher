// name: tensions_between
// description: Tensions (disputes, threats, wars, trade conflicts) that involve both actors: their kind, the side each actor is on, every actor involved, what they concern, what they strain and what was made in response.
// param actor_a: string -- id of one actor, e.g. us
// param actor_b: string -- id of the other actor, e.g. eu
// param as_of: date = null -- the tensions as they stood on this date: those known to have happened by its end (standing known), those whose date straddles it (undecidable) and undated ones, with their status then, e.g. 2025-06
MATCH (a:Actor {id: $actor_a})<-[ra:INVOLVES]-(t:Tension)-[rb:INVOLVES]->(b:Actor {id: $actor_b})
// as of a date: left out when not yet on record, or when the involvement of either had ended by
// then; its status then as for agreements
WITH a, ra, t, rb, b, CASE WHEN $as_of IS NULL THEN null
          WHEN t.firstDatedLatest IS NULL THEN 'undated'
          WHEN t.firstDatedLatest <= $as_of.latest THEN 'known'
          WHEN t.firstDatedEarliest <= $as_of.latest THEN 'undecidable'
          ELSE 'not-yet' END AS standing
WHERE (standing IS NULL OR standing <> 'not-yet')
  AND NOT coalesce(ra.endedOnLatest <= $as_of.latest OR rb.endedOnLatest <= $as_of.latest, false)
OPTIONAL MATCH (t)-[:HAD_STATUS]->(step:StatusChange)
WITH t, ra, rb, standing, step
ORDER BY size(step.id), step.id
WITH t, ra, rb, standing,
     collect({status: step.status, earliest: step.dateEarliest, latest: step.dateLatest}) AS steps
WITH t, ra, rb, standing, steps,
     reduce(last = -1, n IN range(0, size(steps) - 1) |
            CASE WHEN $as_of IS NOT NULL AND steps[n].latest <= $as_of.latest THEN n ELSE last END)
       AS last
WITH t, ra, rb, standing,
     CASE WHEN $as_of IS NULL THEN t.status WHEN last < 0 THEN null ELSE steps[last].status END
       AS status,
     [n IN range(last + 1, size(steps) - 1)
      WHERE $as_of IS NOT NULL AND steps[n].earliest <= $as_of.latest | steps[n].status]
       AS status_undecidable
OPTIONAL MATCH (t)-[:CONCERNS]->(c:Entity)
WITH t, ra, rb, standing, status, status_undecidable, c
ORDER BY c.id
WITH t, ra, rb, standing, status, status_undecidable, collect(DISTINCT c.id) AS concerns
OPTIONAL MATCH (t)-[:STRAINS]->(s:Entity)
WITH t, ra, rb, standing, status, status_undecidable, concerns, s
ORDER BY s.id
WITH t, ra, rb, standing, status, status_undecidable, concerns, collect(DISTINCT s.id) AS strains
OPTIONAL MATCH (response:Entity)-[:RESPONDS_TO]->(t)
WITH t, ra, rb, standing, status, status_undecidable, concerns, strains, response
ORDER BY response.id
WITH t, ra, rb, standing, status, status_undecidable, concerns, strains, collect(DISTINCT response.id) AS responses
MATCH (t)-[side:INVOLVES]->(involved:Actor)
WITH t, ra, rb, standing, status, status_undecidable, concerns, strains, responses, side, involved
ORDER BY involved.id
WITH t, ra, rb, standing, status, status_undecidable, concerns, strains, responses,
     collect({actor: involved.id, role: side.role, attributedTo: side.attributedTo}) AS sides
RETURN t.id AS tension, t.name AS name, t.tensionKind AS kind, standing, status,
       status_undecidable, t.startedOn AS startedOn,
       t.endedOn AS endedOn, ra.role AS role_a, rb.role AS role_b, sides, concerns, strains,
       responses, t.attributedTo AS attributedTo, t.sources AS sources
ORDER BY kind, tension
