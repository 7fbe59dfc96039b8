// name: list_comparison
// description: Two critical-mineral lists side by side: the minerals on both (presence both), only on the first (only_a) and only on the second (only_b), with counts; a mineral group such as platinum-group-metals counts as one entry.
// param list_a: string -- id of the first list, e.g. us-critical-minerals-list
// param list_b: string -- id of the second list, e.g. eu-critical-raw-materials-list
MATCH (l:CriticalMineralList)-[:LISTS]->(m:Mineral)
WHERE l.id IN [$list_a, $list_b]
WITH m, collect(l.id) AS on_lists
WITH m, CASE
          WHEN $list_a IN on_lists AND $list_b IN on_lists THEN 'both'
          WHEN $list_a IN on_lists THEN 'only_a'
          ELSE 'only_b'
        END AS presence
ORDER BY presence, m.id
WITH presence, collect(m.id) AS minerals
RETURN presence,
       CASE presence WHEN 'both' THEN [$list_a, $list_b] WHEN 'only_a' THEN [$list_a]
                     ELSE [$list_b] END AS lists,
       size(minerals) AS count, minerals
ORDER BY presence
