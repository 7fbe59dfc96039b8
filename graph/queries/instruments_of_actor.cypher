// name: instruments_of_actor
// description: Policy instruments (stockpiles, funding programmes, pricing systems, export controls, tariffs) with their amounts, status, dates and minerals, and who adopted, announced, proposed, imposed or leads each, with whom a claim is attributed to; optionally only one actor's (also through its bodies and people, e.g. Donald Trump for the US) and only one kind.
// param actor: string = null -- id of an actor, e.g. eu; leave out for every instrument
// param kind: string = null -- a class of instrument, e.g. Stockpile (FundingProgramme, PricingSystem, PriceFloor, ExportControl, Tariff); case does not matter
// param as_of: date = null -- the instruments as they stood on this date: those known to have happened by its end (standing known), those whose date straddles it (undecidable) and undated ones, with their status then, e.g. 2025-06
// param include_members: boolean = true -- with actor, also count what bodies PART_OF it and people AFFILIATED_WITH it did
// with an actor, its instruments are reached from it (an indexed id; '' when none is asked, so
// that FalkorDB still seeks the index rather than scan for a null) instead of reading every
// instrument; every instrument only without one (whole_graph: tested before the scan). A page
// of them in the answer's order first, every filter before its LIMIT; their status history,
// actors and minerals only for that page.
OPTIONAL MATCH (asked:Actor {id: coalesce($actor, '')})<-[:PART_OF|AFFILIATED_WITH*0..3]-(mine:Actor)
               -[:ADOPTED|ANNOUNCED|PROPOSED|IMPOSED|LEADS]->(own:PolicyInstrument)
WHERE $include_members OR mine = asked
WITH collect(DISTINCT own) AS own, $actor IS NULL AS whole_graph
OPTIONAL MATCH (every:PolicyInstrument)
WHERE whole_graph
WITH own, whole_graph, collect(every) AS everyone
UNWIND CASE WHEN whole_graph THEN everyone ELSE own END AS i
WITH i, whole_graph
WHERE $kind IS NULL OR any(label IN labels(i) WHERE toLower(label) = toLower($kind))
// as of a date: left out when not yet on record; its status then (the last status change known
// by then) and later changes that straddle the date
WITH i, whole_graph, CASE WHEN $as_of IS NULL THEN null
          WHEN i.firstDatedLatest IS NULL THEN 'undated'
          WHEN i.firstDatedLatest <= $as_of.latest THEN 'known'
          WHEN i.firstDatedEarliest <= $as_of.latest THEN 'undecidable'
          ELSE 'not-yet' END AS standing
WHERE standing IS NULL OR standing <> 'not-yet'
WITH i, standing, whole_graph
ORDER BY i.class, i.id
// only instruments someone adopted, announced, ... (all of an actor's are: not tested): in the
// answer's order until the page is full (a filter between ORDER BY and LIMIT would not be
// safe: FalkorDB moves the LIMIT into the sort, before the filter)
WITH whole_graph, collect([i, standing]) AS ordered
UNWIND ordered AS row
WITH row[0] AS i, row[1] AS standing, whole_graph
WITH i, standing,
     CASE WHEN whole_graph
          THEN size([(i)<-[:ADOPTED|ANNOUNCED|PROPOSED|IMPOSED|LEADS]-(:Actor) | 1]) ELSE 1 END
       AS acts
WHERE acts > 0
WITH i, standing
LIMIT $row_limit
OPTIONAL MATCH (i)-[:HAD_STATUS]->(step:StatusChange)
WITH i, standing, step
ORDER BY size(step.id), step.id
WITH i, standing,
     collect({status: step.status, earliest: step.dateEarliest, latest: step.dateLatest}) AS steps
WITH i, standing, steps,
     reduce(last = -1, n IN range(0, size(steps) - 1) |
            CASE WHEN $as_of IS NOT NULL AND steps[n].latest <= $as_of.latest THEN n ELSE last END)
       AS last
WITH i, standing,
     CASE WHEN $as_of IS NULL THEN i.status WHEN last < 0 THEN null ELSE steps[last].status END
       AS status,
     [n IN range(last + 1, size(steps) - 1)
      WHERE $as_of IS NOT NULL AND steps[n].earliest <= $as_of.latest | steps[n].status]
       AS status_undecidable
MATCH (i)<-[r:ADOPTED|ANNOUNCED|PROPOSED|IMPOSED|LEADS]-(who:Actor)
WITH i, standing, status, status_undecidable, r, who
ORDER BY who.id, type(r)
WITH i, standing, status, status_undecidable, collect({actor: who.id, name: who.name, relation: type(r), role: r.role,
                 date: coalesce(r.adoptedOn, r.announcedOn, r.startedOn),
                 attributedTo: r.attributedTo}) AS actors
OPTIONAL MATCH (i)-[:COVERS_MINERAL]->(m:Mineral)
WITH i, standing, status, status_undecidable, actors, m
ORDER BY m.id
WITH i, standing, status, status_undecidable, actors, collect(m.id) AS minerals
RETURN i.id AS instrument, i.name AS name, i.class AS class, status, standing,
       status_undecidable,
       i.amountUSD AS amountUSD, i.amountApproximate AS amountApproximate, i.forYear AS forYear,
       i.proposedOn AS proposedOn, i.announcedOn AS announcedOn, i.adoptedOn AS adoptedOn,
       i.inForceFrom AS inForceFrom, i.startedOn AS startedOn, i.suspendedOn AS suspendedOn,
       i.endedOn AS endedOn, actors, minerals, i.attributedTo AS attributedTo,
       i.sources AS sources
ORDER BY class, instrument
