// name: find_entity
// description: Find the id of an entity from part of its name, an alias or its id (case-insensitive), exact matches first; optionally only entities with one label (class or superclass), e.g. Actor.
// param text: string -- part of a name, alias or id, e.g. brussels
// param label: string = null -- only entities with this label, e.g. Actor
// One CONTAINS per node on its search text (id, name and aliases in lower case, one a line;
// a text index on Neo4j) picks the candidates; the exact tests run on those only
MATCH (n:Entity)
WHERE n._search CONTAINS toLower($text) AND ($label IS NULL OR $label IN labels(n))
WITH n, toLower($text) AS wanted
WITH n, wanted, [alias IN coalesce(n.aliases, []) | toLower(alias)] AS aliases
WITH n, wanted, aliases,
     CASE
       WHEN toLower(n.id) = wanted OR toLower(n.name) = wanted OR wanted IN aliases THEN 0
       WHEN toLower(n.id) CONTAINS wanted OR toLower(n.name) CONTAINS wanted
         OR any(alias IN aliases WHERE alias CONTAINS wanted) THEN 1
     END AS rank
WHERE rank IS NOT NULL
RETURN n.id AS id, n.name AS name, n.class AS class, n.aliases AS aliases,
       CASE rank WHEN 0 THEN 'exact' ELSE 'partial' END AS match
ORDER BY rank, name, id
