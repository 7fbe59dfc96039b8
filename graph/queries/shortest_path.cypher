// name: shortest_path
// description: How two entities are connected: one shortest chain of relationships between them, followed in either direction, up to max_depth steps (at most 6); among equally short chains the first by the ids along it, so the answer is stable.
// param from: string -- id of the entity to start from, e.g. uk
// param to: string -- id of the entity to reach, e.g. china
// param max_depth: integer = 6 -- the longest chain looked for, 1 to 6
// Portable form: FalkorDB has no undirected shortestPath() and Neo4j takes no parameter as a
// path-length bound, so chains of length 1, 2, ... are tried in turn (iterative deepening); a
// length is searched only while nothing shorter was found (found IS NULL). The depth bound is a
// row's value, not the parameter itself: FalkorDB tests a parameter-only condition after the
// path search (max_depth 1 with no direct link searched every length up to 6: 4.5 s).
// An entity with no relationship is reached by no chain: without that test, every chain from
// the other end up to max_depth was followed first (7 s from uk to an uncited source).
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
WHERE a <> b AND (a)--() AND (b)--()
WITH a, b, null AS found, $max_depth AS depth
OPTIONAL MATCH p = (a)-[*1..1]-(b)
WHERE found IS NULL AND depth >= 1
WITH a, b, depth, found, p, reduce(k = '', x IN nodes(p) | k + x.id + '|')
       + reduce(k = '', r IN relationships(p) | k + type(r) + ':' + r.key + '|') AS key
ORDER BY key
WITH a, b, depth, found, head(collect(p)) AS shortest
WITH a, b, depth, coalesce(found, shortest) AS found
OPTIONAL MATCH p = (a)-[*2..2]-(b)
WHERE found IS NULL AND depth >= 2
WITH a, b, depth, found, p, reduce(k = '', x IN nodes(p) | k + x.id + '|')
       + reduce(k = '', r IN relationships(p) | k + type(r) + ':' + r.key + '|') AS key
ORDER BY key
WITH a, b, depth, found, head(collect(p)) AS shortest
WITH a, b, depth, coalesce(found, shortest) AS found
OPTIONAL MATCH p = (a)-[*3..3]-(b)
WHERE found IS NULL AND depth >= 3
WITH a, b, depth, found, p, reduce(k = '', x IN nodes(p) | k + x.id + '|')
       + reduce(k = '', r IN relationships(p) | k + type(r) + ':' + r.key + '|') AS key
ORDER BY key
WITH a, b, depth, found, head(collect(p)) AS shortest
WITH a, b, depth, coalesce(found, shortest) AS found
OPTIONAL MATCH p = (a)-[*4..4]-(b)
WHERE found IS NULL AND depth >= 4
WITH a, b, depth, found, p, reduce(k = '', x IN nodes(p) | k + x.id + '|')
       + reduce(k = '', r IN relationships(p) | k + type(r) + ':' + r.key + '|') AS key
ORDER BY key
WITH a, b, depth, found, head(collect(p)) AS shortest
WITH a, b, depth, coalesce(found, shortest) AS found
OPTIONAL MATCH p = (a)-[*5..5]-(b)
WHERE found IS NULL AND depth >= 5
WITH a, b, depth, found, p, reduce(k = '', x IN nodes(p) | k + x.id + '|')
       + reduce(k = '', r IN relationships(p) | k + type(r) + ':' + r.key + '|') AS key
ORDER BY key
WITH a, b, depth, found, head(collect(p)) AS shortest
WITH a, b, depth, coalesce(found, shortest) AS found
OPTIONAL MATCH p = (a)-[*6..6]-(b)
WHERE found IS NULL AND depth >= 6
WITH a, b, depth, found, p, reduce(k = '', x IN nodes(p) | k + x.id + '|')
       + reduce(k = '', r IN relationships(p) | k + type(r) + ':' + r.key + '|') AS key
ORDER BY key
WITH a, b, depth, found, head(collect(p)) AS shortest
WITH a, b, depth, coalesce(found, shortest) AS found
WITH found AS p
WHERE p IS NOT NULL
RETURN length(p) AS hops,
       [x IN nodes(p) | {id: x.id, name: x.name, class: x.class}] AS nodes,
       [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id}] AS steps,
       p AS path
