// name: agreements_covering_mineral
// description: Agreements that cover a mineral, directly or through one of their provisions, and (by default) through a group the mineral belongs to (BROADER): asking for dysprosium also finds agreements on the rare earth elements. Optionally policy instruments too.
// param mineral: string -- id of the mineral or mineral group, e.g. dysprosium
// param include_groups: boolean = true -- also count coverage of the groups the mineral belongs to (BROADER, any depth)
// param include_instruments: boolean = false -- also list policy instruments (stockpiles, export controls, pricing systems) covering it
MATCH (asked:Mineral {id: $mineral})-[:BROADER*0..]->(m:Mineral)
WITH DISTINCT asked, m
WHERE m = asked OR $include_groups
MATCH (holder)-[:COVERS_MINERAL]->(m)
// only a provision has an owner (HAS_PROVISION: Agreement -> Provision): the label, tested
// first, spares Neo4j reading the relationships of every agreement and instrument covering it
OPTIONAL MATCH (owner:Agreement)-[:HAS_PROVISION]->(holder:Provision)
WITH m, holder, owner, coalesce(owner, holder) AS g
WHERE g:Agreement OR ($include_instruments AND g:PolicyInstrument)
WITH g, m, CASE WHEN owner IS NULL THEN null ELSE holder.id END AS provision
ORDER BY g.id, m.id, provision
WITH g, collect({mineral: m.id, provision: provision}) AS covers
OPTIONAL MATCH (party:Actor)-[:PARTY_TO]->(g)
WITH g, covers, party
ORDER BY g.id, party.id
WITH g, covers, collect(party.id) AS parties
RETURN g.id AS id, g.name AS name, g.class AS class,
       CASE WHEN g:Agreement THEN 'Agreement' ELSE 'PolicyInstrument' END AS kind,
       g.status AS status, covers, parties, g.sources AS sources
ORDER BY kind, id
