// name: contested_facts
// description: Where sources disagree: every property with more than one version, each version beside the others with its value and its sources; optionally only those of one entity.
// param entity: string = null -- id of an entity, e.g. us-ukraine-reconstruction-investment-fund-agreement; leave out for all
// a page of (entity, property) pairs first, in the answer's order; the versions only for them.
// The claims are reached from the asked entity (an indexed id) or, with none, from the
// ContestedClaim nodes (few), never by reading every entity (whole_graph: tested first); the
// claims then find their holders (once: gathering the holders first read every claim twice)
OPTIONAL MATCH (:Entity {id: coalesce($entity, '')})-[:HAS_CONTESTED_CLAIM]->(mine:ContestedClaim)
WITH $entity IS NULL AS whole_graph, collect(mine) AS mine
OPTIONAL MATCH (every:ContestedClaim)
WHERE whole_graph
WITH whole_graph, mine, collect(every) AS everything
UNWIND CASE WHEN whole_graph THEN everything ELSE mine END AS c
MATCH (n:Entity)-[:HAS_CONTESTED_CLAIM]->(c)
WITH DISTINCT n, c.property AS property
ORDER BY n.id, property
LIMIT $row_limit
MATCH (n)-[:HAS_CONTESTED_CLAIM]->(c:ContestedClaim)
WHERE c.property = property
WITH n, property, c ORDER BY c.id
WITH n, property, collect({value: c.value, sources: c.sources, note: c.note}) AS versions
RETURN n.id AS entity, n.name AS name, n.class AS class, property, versions
ORDER BY entity, property
