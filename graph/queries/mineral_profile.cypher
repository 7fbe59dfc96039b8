// name: mineral_profile
// description: Everything about one mineral or mineral group: the groups it belongs to and its members, the critical-mineral lists naming it or one of its groups, the agreements and policy instruments covering it or its groups, who dominates its supply and the tensions concerning it.
// param mineral: string -- id of the mineral or mineral group, e.g. dysprosium
MATCH (m:Mineral {id: $mineral})
OPTIONAL MATCH (m)-[:BROADER*1..]->(group:Mineral)
WITH m, group
ORDER BY group.id
WITH m, collect(DISTINCT group.id) AS groups
OPTIONAL MATCH (member:Mineral)-[:BROADER*1..]->(m)
WITH m, groups, member
ORDER BY member.id
WITH m, groups, collect(DISTINCT member.id) AS members
OPTIONAL MATCH (m)-[:BROADER*0..]->(listed:Mineral)<-[:LISTS]-(list:CriticalMineralList)
WITH m, groups, members, list, listed
ORDER BY list.id, listed.id
WITH m, groups, members, collect(DISTINCT {list: list.id, entry: listed.id}) AS lists
OPTIONAL MATCH (m)-[:BROADER*0..]->(covered:Mineral)<-[:COVERS_MINERAL]-(holder:Entity)
OPTIONAL MATCH (owner:Agreement)-[:HAS_PROVISION]->(holder)
WITH m, groups, members, lists, coalesce(owner, holder) AS covering, covered
ORDER BY covering.id, covered.id
WITH m, groups, members, lists,
     collect(DISTINCT {id: covering.id, class: covering.class, via: covered.id}) AS covered_by
OPTIONAL MATCH (m)-[:BROADER*0..]->(dominated:Mineral)<-[:DOMINATES_SUPPLY_OF]-(supplier:Actor)
WITH m, groups, members, lists, covered_by, supplier, dominated
ORDER BY supplier.id, dominated.id
WITH m, groups, members, lists, covered_by,
     collect(DISTINCT {actor: supplier.id, via: dominated.id}) AS dominated_by
OPTIONAL MATCH (m)-[:BROADER*0..]->(concerned:Mineral)<-[:CONCERNS]-(t:Tension)
WITH m, groups, members, lists, covered_by, dominated_by, t, concerned
ORDER BY t.id, concerned.id
WITH m, groups, members, lists, covered_by, dominated_by,
     collect(DISTINCT {tension: t.id, kind: t.tensionKind, via: concerned.id}) AS tensions
RETURN m.id AS mineral, m.name AS name, m.class AS class, m.aliases AS aliases, groups, members,
       [x IN lists WHERE x.list IS NOT NULL] AS lists,
       [x IN covered_by WHERE x.id IS NOT NULL] AS covered_by,
       [x IN dominated_by WHERE x.actor IS NOT NULL] AS dominated_by,
       [x IN tensions WHERE x.tension IS NOT NULL] AS tensions, m.sources AS sources
