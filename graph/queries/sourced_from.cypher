// name: sourced_from
// description: Everything taken from one source: the nodes and the relationships whose evidence cites it, nodes first, each with its class or type, and the evidence (a JSON list of {source, quote, note, attributedTo}) to read the source's own words from.
// param source: string -- id of the source, e.g. cryptopolitan-2026-02-03
// param of_type: string = null -- only nodes with this label (e.g. Tension, Actor) or relationships of this type (e.g. LISTS)
// The source lists what cites it, in the answer's order (loaders/lookups.py): each fact is
// read by its indexed id (a relationship by its endpoints' ids), and only for the page
MATCH (s:Entity {id: $source})
UNWIND coalesce(s._citedBy, []) AS cited
MATCH (n:Entity {id: cited})
WHERE $of_type IS NULL OR $of_type IN labels(n)
WITH n
LIMIT $row_limit
RETURN 'node' AS kind, n.class AS type, n.id AS id, n.name AS name, null AS from, null AS to,
       n.attributedTo AS attributedTo, n.evidence AS evidence
ORDER BY type, id
UNION ALL
MATCH (s:Entity {id: $source})
UNWIND coalesce(s._citedIn, []) AS cited
WITH split(cited, '|') AS key
WHERE $of_type IS NULL OR key[1] = $of_type
MATCH (a:Entity {id: key[0]})-[r]->(b:Entity {id: key[2]})
WHERE type(r) = key[1]
WITH a, r, b
LIMIT $row_limit
RETURN 'relationship' AS kind, type(r) AS type, r.key AS id, null AS name, a.id AS from,
       b.id AS to, r.attributedTo AS attributedTo, r.evidence AS evidence
ORDER BY type, id
