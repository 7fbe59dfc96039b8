// name: agreement_parties
// description: The parties to an agreement and its typed provisions, with the minerals and supply-chain stages each provision concerns.
// param agreement: string -- id of the agreement, e.g. uk-us-critical-minerals-mou
MATCH (g:Agreement {id: $agreement})
OPTIONAL MATCH (party:Actor)-[p:PARTY_TO]->(g)
WITH g, party, p
ORDER BY party.id, p.role
WITH g, collect(DISTINCT {id: party.id, name: party.name, role: p.role}) AS parties
OPTIONAL MATCH (g)-[:HAS_PROVISION]->(pr:Provision)
OPTIONAL MATCH (pr)-[:COVERS_MINERAL]->(m:Mineral)
OPTIONAL MATCH (pr)-[:CONCERNS_STAGE]->(s:SupplyChainStage)
WITH g, parties, pr, m, s
ORDER BY m.id, s.id
WITH g, parties, pr, collect(DISTINCT m.id) AS minerals, collect(DISTINCT s.id) AS stages
ORDER BY pr.id
RETURN g.id AS agreement, g.name AS name, g.status AS status,
       [x IN parties WHERE x.id IS NOT NULL] AS parties,
       collect(CASE WHEN pr IS NULL THEN NULL
               ELSE {id: pr.id, class: pr.class, name: pr.name, minerals: minerals, stages: stages} END) AS provisions
