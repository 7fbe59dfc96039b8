// name: contested_facts
// description: Where sources disagree: every property with more than one version, each version beside the others with its value and its sources; optionally only those of one entity.
// param entity: string = null -- id of an entity, e.g. us-ukraine-reconstruction-investment-fund-agreement; leave out for all
// a page of (entity, property) pairs first, in the answer's order; the versions only for them.
// The entities are reached from the asked one (an indexed id) or, with none, from the
// ContestedClaim nodes (few), never by reading every entity (whole_graph: tested first)
OPTIONAL MATCH (asked:Entity {id: coalesce($entity, '')})
WITH asked, $entity IS NULL AS whole_graph
OPTIONAL MATCH (:ContestedClaim)<-[:HAS_CONTESTED_CLAIM]-(holder:Entity)
WHERE whole_graph
WITH asked, whole_graph, collect(DISTINCT holder) AS holders
UNWIND CASE WHEN whole_graph THEN holders ELSE [asked] END AS n
MATCH (n)-[:HAS_CONTESTED_CLAIM]->(c:ContestedClaim)
WITH DISTINCT n, c.property AS property
ORDER BY n.id, property
LIMIT $row_limit
MATCH (n)-[:HAS_CONTESTED_CLAIM]->(c:ContestedClaim)
WHERE c.property = property
WITH n, property, c ORDER BY c.id
WITH n, property, collect({value: c.value, sources: c.sources, note: c.note}) AS versions
RETURN n.id AS entity, n.name AS name, n.class AS class, property, versions
ORDER BY entity, property
