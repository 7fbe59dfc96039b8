// name: supply_dominance
// description: Who dominates the supply of which minerals (DOMINATES_SUPPLY_OF) and who depends on whom for critical-mineral supply (DEPENDS_ON), with the quotes and sources behind each claim; given a mineral, only dominance over it or a group it belongs to (dysprosium finds China's dominance of the rare earth elements) and dependence on those dominant suppliers.
// param mineral: string = null -- id of a mineral or mineral group, e.g. dysprosium; leave out for every claim
// with a mineral, from it (an indexed id) up to its groups; every mineral only without one
// (whole_graph: tested before the scan); a page of claims in the answer's order first
OPTIONAL MATCH (:Mineral {id: $mineral})-[:BROADER*0..]->(up:Mineral)
WITH collect(DISTINCT up) AS ups, $mineral IS NULL AS whole_graph
OPTIONAL MATCH (every:Mineral)
WHERE whole_graph
WITH whole_graph, ups, collect(every) AS everyone
UNWIND CASE WHEN whole_graph THEN everyone ELSE ups END AS m
MATCH (actor:Actor)-[d:DOMINATES_SUPPLY_OF]->(m)
WITH actor, d, m
ORDER BY actor.id, m.id
LIMIT $row_limit
RETURN 'DOMINATES_SUPPLY_OF' AS relation, actor.id AS from, actor.name AS from_name,
       m.id AS to, m.name AS to_name, [m.id] AS minerals,
       d.quotes AS quotes, d.sources AS sources, d.attributedTo AS attributedTo, d.note AS note
ORDER BY from, to
UNION ALL
// the same start; the claims above fill the reader's page when there are $row_limit of them:
// then no dependence row can be on it, and none is read (counted without a mineral only)
OPTIONAL MATCH (:Mineral {id: $mineral})-[:BROADER*0..]->(up:Mineral)
OPTIONAL MATCH (dominant:Actor)-[:DOMINATES_SUPPLY_OF]->(up)
WITH collect(DISTINCT up) AS ups, collect(DISTINCT dominant) AS dominant,
     $mineral IS NULL AS whole_graph
OPTIONAL MATCH (:Actor)-[claim:DOMINATES_SUPPLY_OF]->(:Mineral)
WHERE whole_graph
WITH ups, dominant, whole_graph, claim
LIMIT $row_limit
WITH ups, dominant, whole_graph, count(claim) < $row_limit AS room
// with a mineral, who depends on the suppliers dominating it or a group of it; every
// dependence without one
OPTIONAL MATCH (:Actor)-[:DEPENDS_ON]->(every:Actor)
WHERE whole_graph AND room
WITH ups, whole_graph, room, dominant, collect(DISTINCT every) AS everyone
UNWIND CASE WHEN NOT room THEN [] WHEN whole_graph THEN everyone ELSE dominant END AS supplier
MATCH (dependent:Actor)-[dep:DEPENDS_ON]->(supplier)
WITH ups, whole_graph, dependent, dep, supplier
ORDER BY dependent.id, supplier.id
LIMIT $row_limit
OPTIONAL MATCH (supplier)-[:DOMINATES_SUPPLY_OF]->(m:Mineral)
WHERE whole_graph OR m IN ups
WITH dependent, dep, supplier, m
ORDER BY m.id
WITH dependent, dep, supplier, collect(DISTINCT m.id) AS minerals
RETURN 'DEPENDS_ON' AS relation, dependent.id AS from, dependent.name AS from_name,
       supplier.id AS to, supplier.name AS to_name, minerals,
       dep.quotes AS quotes, dep.sources AS sources, dep.attributedTo AS attributedTo,
       dep.note AS note
ORDER BY from, to
