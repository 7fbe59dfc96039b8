// name: sourced_from
// description: Everything taken from one source: the nodes and the relationships whose evidence cites it, nodes first, each with its class or type, and the evidence (a JSON list of {source, quote, note, attributedTo}) to read the source's own words from.
// param source: string -- id of the source, e.g. cryptopolitan-2026-02-03
// param of_type: string = null -- only nodes with this label (e.g. Tension, Actor) or relationships of this type (e.g. LISTS)
MATCH (n:Entity)
WHERE $source IN n.sources AND ($of_type IS NULL OR $of_type IN labels(n))
RETURN 'node' AS kind, n.class AS type, n.id AS id, n.name AS name, null AS from, null AS to,
       n.attributedTo AS attributedTo, n.evidence AS evidence
ORDER BY type, id
UNION ALL
MATCH (a:Entity)-[r]->(b:Entity)
WHERE $source IN r.sources AND ($of_type IS NULL OR type(r) = $of_type)
RETURN 'relationship' AS kind, type(r) AS type, r.key AS id, null AS name, a.id AS from,
       b.id AS to, r.attributedTo AS attributedTo, r.evidence AS evidence
ORDER BY type, id
