// name: agreements_as_of
// description: The agreements as they stood on a date: those known to have happened by its end (standing known), those that may or may not have (standing undecidable: a date that straddles it, e.g. one dated 2025-10 as of 2025-10-15) and undated ones (standing undated), with their status then — the last status change known by then — and any later change that straddles the date (status_undecidable); optionally only one actor's, or those involving two actors, and only one status. E.g. what the EU and Chile had signed by 1 June 2024.
// param as_of: date -- the date, e.g. 2024-06-01 (YYYY, YYYY-MM or YYYY-MM-DD: by the end of it)
// param actor: string = null -- id of an actor party to, signing, proposing, announcing, adopting or leading the agreement (also through its bodies and people), e.g. eu
// param other: string = null -- with actor, id of a second actor that must be involved too, e.g. chile
// param status: string = null -- only agreements with this status then, e.g. signed
// with an actor, its agreements are reached from it (an indexed id) instead of reading every
// agreement; every agreement only without one (whole_graph: tested before the scan)
OPTIONAL MATCH (asked:Actor {id: $actor})<-[:PART_OF|AFFILIATED_WITH*0..3]-(:Actor)
               -[:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]->(mine:Agreement)
WITH collect(DISTINCT mine) AS mine, $actor IS NULL AS whole_graph
OPTIONAL MATCH (every:Agreement)
WHERE whole_graph
WITH mine, whole_graph, collect(every) AS everyone
UNWIND CASE WHEN whole_graph THEN everyone ELSE mine END AS g
OPTIONAL MATCH (g)<-[:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]-(:Actor)
               -[:PART_OF|AFFILIATED_WITH*0..3]->(involved:Actor)
WITH g, collect(DISTINCT involved.id) AS involved
WHERE ($actor IS NULL OR $actor IN involved) AND ($other IS NULL OR $other IN involved)
WITH g, CASE WHEN g.firstDatedLatest IS NULL THEN 'undated'
             WHEN g.firstDatedLatest <= $as_of.latest THEN 'known'
             WHEN g.firstDatedEarliest <= $as_of.latest THEN 'undecidable'
             ELSE 'not-yet' END AS standing
WHERE standing <> 'not-yet'
OPTIONAL MATCH (g)-[:HAD_STATUS]->(step:StatusChange)
WITH g, standing, step
ORDER BY size(step.id), step.id
WITH g, standing,
     collect({status: step.status, earliest: step.dateEarliest, latest: step.dateLatest}) AS steps
// the last step in history order known by then; the later ones that straddle the date
WITH g, standing, steps,
     reduce(last = -1, i IN range(0, size(steps) - 1) |
            CASE WHEN steps[i].latest <= $as_of.latest THEN i ELSE last END) AS last
WITH g, standing, steps, last, CASE WHEN last < 0 THEN null ELSE steps[last].status END AS status
WHERE $status IS NULL OR status = $status
OPTIONAL MATCH (g)<-[r:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]-(party:Actor)
WITH g, standing, steps, last, status, party, r
ORDER BY party.id, type(r)
WITH g, standing, steps, last, status,
     collect(CASE WHEN party IS NULL THEN null ELSE {actor: party.id, relation: type(r)} END)
       AS parties
RETURN g.id AS agreement, g.name AS name, g.class AS class, standing, status,
       [i IN range(last + 1, size(steps) - 1) WHERE steps[i].earliest <= $as_of.latest
        | steps[i].status] AS status_undecidable,
       g.status AS status_now, parties, g.sources AS sources
ORDER BY standing, agreement
