// name: agreements_as_of
// description: The agreements as they stood on a date: those known to have happened by its end (standing known), those that may or may not have (standing undecidable: a date that straddles it, e.g. one dated 2025-10 as of 2025-10-15) and undated ones (standing undated), with their status then — the last status change known by then — and any later change that straddles the date (status_undecidable); optionally only one actor's, or those involving two actors, and only one status. E.g. what the EU and Chile had signed by 1 June 2024.
// param as_of: date -- the date, e.g. 2024-06-01 (YYYY, YYYY-MM or YYYY-MM-DD: by the end of it)
// param actor: string = null -- id of an actor party to, signing, proposing, announcing, adopting or leading the agreement (also through its bodies and people), e.g. eu
// param other: string = null -- with actor, id of a second actor that must be involved too, e.g. chile
// param status: string = null -- only agreements with this status then, e.g. signed
// with an actor (or only another), its agreements are reached from it (an indexed id; '' when
// none is asked, so that FalkorDB still seeks the index) instead of reading every agreement;
// every agreement only without either (whole_graph: tested before the scan). An agreement
// involves an actor when the actor, or a body or person PART_OF or AFFILIATED_WITH it, is
// party to it (signed, proposed, ... it). A page of agreements in the answer's order first,
// every filter before its LIMIT; their parties only for that page.
OPTIONAL MATCH (:Actor {id: coalesce($actor, '')})<-[:PART_OF|AFFILIATED_WITH*0..3]-(:Actor)
               -[:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]->(mine:Agreement)
WITH collect(DISTINCT mine) AS mine
OPTIONAL MATCH (:Actor {id: coalesce($other, '')})<-[:PART_OF|AFFILIATED_WITH*0..3]-(:Actor)
               -[:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]->(theirs:Agreement)
WITH mine, collect(DISTINCT theirs) AS theirs, $actor IS NULL AND $other IS NULL AS whole_graph
OPTIONAL MATCH (every:Agreement)
WHERE whole_graph
WITH mine, theirs, whole_graph, collect(every) AS everyone
UNWIND CASE WHEN whole_graph THEN everyone WHEN $actor IS NULL THEN theirs ELSE mine END AS g
WITH g, theirs
WHERE $actor IS NULL OR $other IS NULL OR g IN theirs
WITH g, CASE WHEN g.firstDatedLatest IS NULL THEN 'undated'
             WHEN g.firstDatedLatest <= $as_of.latest THEN 'known'
             WHEN g.firstDatedEarliest <= $as_of.latest THEN 'undecidable'
             ELSE 'not-yet' END AS standing
WHERE standing <> 'not-yet'
WITH g, standing
ORDER BY standing, g.id
// tested in the answer's order until the page is full (a filter between ORDER BY and LIMIT
// would not be safe: FalkorDB moves the LIMIT into the sort, before the filter)
WITH collect([g, standing]) AS ordered
UNWIND ordered AS row
WITH row[0] AS g, row[1] AS standing
// its status then: that of the last step in history order (by step id: shorter first, then
// by text) known by then; and the later steps that straddle the date, in that order (sorted by
// insertion: rarely more than one)
WITH g, standing,
     [(g)-[:HAD_STATUS]->(step:StatusChange) |
      {id: step.id, status: step.status, earliest: step.dateEarliest, latest: step.dateLatest}]
       AS steps
WITH g, standing, steps,
     reduce(last = null, s IN steps |
            CASE WHEN s.latest <= $as_of.latest
                      AND (last IS NULL OR size(s.id) > size(last.id)
                           OR (size(s.id) = size(last.id) AND s.id > last.id))
                 THEN s ELSE last END) AS last
WITH g, standing, steps, last, CASE WHEN last IS NULL THEN null ELSE last.status END AS status
WHERE $status IS NULL OR status = $status
WITH g, standing, steps, last, status
LIMIT $row_limit
WITH g, standing, status,
     [s IN steps WHERE s.earliest <= $as_of.latest
                   AND (last IS NULL OR size(s.id) > size(last.id)
                        OR (size(s.id) = size(last.id) AND s.id > last.id))] AS later
WITH g, standing, status,
     [x IN reduce(done = [], one IN later |
                  [x IN done WHERE size(x.id) < size(one.id)
                                   OR (size(x.id) = size(one.id) AND x.id < one.id)]
                  + [one]
                  + [x IN done WHERE NOT (size(x.id) < size(one.id)
                                          OR (size(x.id) = size(one.id) AND x.id < one.id))])
      | x.status] AS status_undecidable
// its parties, by actor and relation
OPTIONAL MATCH (g)<-[r:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]-(party:Actor)
WITH g, standing, status, status_undecidable, party, r
ORDER BY party.id, type(r)
WITH g, standing, status, status_undecidable,
     collect(CASE WHEN party IS NULL THEN null ELSE {actor: party.id, relation: type(r)} END)
       AS parties
RETURN g.id AS agreement, g.name AS name, g.class AS class, standing, status, status_undecidable,
       g.status AS status_now, parties, g.sources AS sources
ORDER BY standing, agreement
