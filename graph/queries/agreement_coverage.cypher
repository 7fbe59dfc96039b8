// name: agreement_coverage
// description: What each agreement of an actor covers: the minerals (named by the agreement or by one of its provisions), the supply-chain stages, the classes of its provisions, and its partners, with status and the number of independent sources. Answers "what does each US framework cover?".
// param actor: string -- id of the actor, e.g. us
// param kind: string = null -- only agreements with this node label, e.g. BilateralFramework
MATCH (me:Actor {id: $actor})-[:PARTY_TO|SIGNED]->(g:Agreement)
WHERE $kind IS NULL OR $kind IN labels(g)
OPTIONAL MATCH (g)-[:PARTY_TO|SIGNED]-(partner:Actor)
WHERE partner <> me
WITH g, partner ORDER BY partner.id
WITH g, collect(DISTINCT partner.id) AS partners
OPTIONAL MATCH (g)-[:HAS_PROVISION]->(p:Provision)
WITH g, partners, p ORDER BY p.class
WITH g, partners, collect(DISTINCT p.class) AS provisions, collect(DISTINCT p) AS ps
// from the agreement and its provisions outwards (not every COVERS_MINERAL of the graph)
UNWIND [g] + ps AS x
OPTIONAL MATCH (x)-[:COVERS_MINERAL]->(m:Mineral)
WITH g, partners, provisions, ps, m ORDER BY m.id
WITH g, partners, provisions, ps, collect(DISTINCT m.id) AS minerals
UNWIND [g] + ps AS y
OPTIONAL MATCH (y)-[:CONCERNS_STAGE]->(st:SupplyChainStage)
WITH g, partners, provisions, minerals, st ORDER BY st.id
WITH g, partners, provisions, minerals, collect(DISTINCT st.id) AS stages
RETURN g.id AS agreement, g.name AS name, g.class AS class, g.status AS status, partners,
       minerals, stages, provisions, g.sourceCount AS sourceCount
ORDER BY agreement
