// name: list_difference
// description: Minerals on one critical-mineral list but not on another (e.g. on the EU list but not the US list), optionally counting a mineral as present when the other list names a group it belongs to (BROADER).
// param from_list: string -- id of the list the minerals are on, e.g. eu-critical-raw-materials-list
// param to_list: string -- id of the list they are missing from, e.g. us-critical-minerals-list
// param via_groups: boolean = false -- count a mineral as on to_list when to_list lists a group it belongs to (platinum is then on a list naming platinum-group-metals)
MATCH (other:CriticalMineralList {id: $to_list})
MATCH (:CriticalMineralList {id: $from_list})-[:LISTS]->(m:Mineral)
OPTIONAL MATCH (m)-[:BROADER*0..]->(g:Mineral)<-[:LISTS]-(other)
WITH m, g
ORDER BY m.id, g.id
WITH m, [x IN collect(DISTINCT g.id) WHERE x <> m.id] AS groups_on_other,
     size([x IN collect(g.id) WHERE x = m.id]) > 0 AS listed_itself
WHERE NOT listed_itself AND (NOT $via_groups OR size(groups_on_other) = 0)
RETURN m.id AS mineral, m.name AS name, m.class AS class, groups_on_other
ORDER BY mineral
