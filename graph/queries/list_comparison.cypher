// name: list_comparison
// description: Two critical-mineral lists side by side: the minerals on both (presence both), only on the first (only_a) and only on the second (only_b), with counts; a mineral group such as platinum-group-metals counts as one entry; optionally as they stood on a date.
// param list_a: string -- id of the first list, e.g. us-critical-minerals-list
// param list_b: string -- id of the second list, e.g. eu-critical-raw-materials-list
// param as_of: date = null -- the lists as they stood on this date: entries (and lists) known by its end, none taken off by then; entries whose date straddles it are named in undecidable, e.g. 2024-06
MATCH (l:CriticalMineralList)-[r:LISTS]->(m:Mineral)
WHERE l.id IN [$list_a, $list_b]
  AND ($as_of IS NULL OR ((l.firstDatedEarliest IS NULL OR l.firstDatedEarliest <= $as_of.latest) AND (r.firstDatedEarliest IS NULL OR r.firstDatedEarliest <= $as_of.latest) AND NOT coalesce(r.endedOnLatest <= $as_of.latest, false)))
WITH m, collect(l.id) AS on_lists,
     collect(CASE WHEN l.firstDatedLatest > $as_of.latest OR r.firstDatedLatest > $as_of.latest THEN l.id END) AS maybe
WITH m, maybe, CASE
          WHEN $list_a IN on_lists AND $list_b IN on_lists THEN 'both'
          WHEN $list_a IN on_lists THEN 'only_a'
          ELSE 'only_b'
        END AS presence
ORDER BY presence, m.id
WITH presence, collect(m.id) AS minerals,
     collect(CASE WHEN size(maybe) > 0 THEN m.id END) AS undecidable
RETURN presence,
       CASE presence WHEN 'both' THEN [$list_a, $list_b] WHEN 'only_a' THEN [$list_a]
                     ELSE [$list_b] END AS lists,
       size(minerals) AS count, minerals, undecidable
ORDER BY presence
