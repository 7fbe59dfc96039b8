// name: contested_facts
// description: Where sources disagree: every property with more than one version, each version beside the others with its value and its sources; optionally only those of one entity.
// param entity: string = null -- id of an entity, e.g. us-ukraine-reconstruction-investment-fund-agreement; leave out for all
MATCH (n:Entity)-[:HAS_CONTESTED_CLAIM]->(c:ContestedClaim)
WHERE $entity IS NULL OR n.id = $entity
WITH n, c ORDER BY c.id
WITH n, c.property AS property, collect({value: c.value, sources: c.sources, note: c.note}) AS versions
RETURN n.id AS entity, n.name AS name, n.class AS class, property, versions
ORDER BY entity, property
