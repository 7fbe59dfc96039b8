// name: supply_dominance
// description: Who dominates the supply of which minerals (DOMINATES_SUPPLY_OF) and who depends on whom for critical-mineral supply (DEPENDS_ON), with the quotes and sources behind each claim; given a mineral, only dominance over it or a group it belongs to (dysprosium finds China's dominance of the rare earth elements) and dependence on those dominant suppliers.
// param mineral: string = null -- id of a mineral or mineral group, e.g. dysprosium; leave out for every claim
MATCH (actor:Actor)-[d:DOMINATES_SUPPLY_OF]->(m:Mineral)
OPTIONAL MATCH (asked:Mineral {id: $mineral})-[:BROADER*0..]->(m)
WITH DISTINCT actor, d, m, asked
WHERE $mineral IS NULL OR asked IS NOT NULL
RETURN 'DOMINATES_SUPPLY_OF' AS relation, actor.id AS from, actor.name AS from_name,
       m.id AS to, m.name AS to_name, [m.id] AS minerals,
       d.quotes AS quotes, d.sources AS sources, d.attributedTo AS attributedTo, d.note AS note
ORDER BY from, to
UNION ALL
MATCH (dependent:Actor)-[dep:DEPENDS_ON]->(supplier:Actor)
OPTIONAL MATCH (supplier)-[:DOMINATES_SUPPLY_OF]->(m:Mineral)
OPTIONAL MATCH (asked:Mineral {id: $mineral})-[:BROADER*0..]->(m)
WITH DISTINCT dependent, dep, supplier, m, asked
WHERE $mineral IS NULL OR asked IS NOT NULL
WITH dependent, dep, supplier, m
ORDER BY m.id
WITH dependent, dep, supplier, collect(DISTINCT m.id) AS minerals
RETURN 'DEPENDS_ON' AS relation, dependent.id AS from, dependent.name AS from_name,
       supplier.id AS to, supplier.name AS to_name, minerals,
       dep.quotes AS quotes, dep.sources AS sources, dep.attributedTo AS attributedTo,
       dep.note AS note
ORDER BY from, to
