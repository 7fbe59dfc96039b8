// name: sourced_from
// description: Everything taken from one source: the nodes and the relationships whose evidence cites it, nodes first, each with its class or type, and the evidence (a JSON list of {source, quote, note, attributedTo}) to read the source's own words from.
// param source: string -- id of the source, e.g. cryptopolitan-2026-02-03
// param of_type: string = null -- only nodes with this label (e.g. Tension, Actor) or relationships of this type (e.g. LISTS)
// The source lists what cites it in the answer's order (loaders/lookups.py): node ids, then
// relationship keys (start|TYPE|end; an id holds no "|"). Each fact is read by its indexed id
// (a relationship between its endpoints, each read by id), only until the page is full
MATCH (s:Entity {id: $source})
UNWIND coalesce(s._citedBy, []) + coalesce(s._citedIn, []) AS cited
WITH split(cited, '|') AS key
WHERE $of_type IS NULL OR size(key) = 1 OR key[1] = $of_type
MATCH (a:Entity {id: key[0]})
WITH a, key
OPTIONAL MATCH (b:Entity {id: key[2]})
WITH a, b, key
OPTIONAL MATCH (a)-[r]->(b)
WHERE type(r) = key[1]
WITH a, r, b, key
WHERE CASE WHEN size(key) = 1 THEN $of_type IS NULL OR $of_type IN labels(a)
           ELSE r IS NOT NULL END
WITH a, r, b
LIMIT $row_limit
WITH CASE WHEN r IS NULL THEN a END AS n, r, CASE WHEN r IS NULL THEN null ELSE a END AS a, b
RETURN CASE WHEN r IS NULL THEN 'node' ELSE 'relationship' END AS kind,
       coalesce(type(r), n.class) AS type, coalesce(r.key, n.id) AS id, n.name AS name,
       a.id AS from, b.id AS to, coalesce(r.attributedTo, n.attributedTo) AS attributedTo,
       coalesce(r.evidence, n.evidence) AS evidence
ORDER BY kind, type, id
