// name: provisions_comparison
// description: Two agreements compared commitment by commitment: for each class of provision (price support, stockpiling, exclusive trade routes, ...) the provisions each agreement has, and whether the class is in both, only the first (only_a) or only the second (only_b).
// param agreement_a: string -- id of the first agreement, e.g. eu-us-draft-critical-minerals-deal
// param agreement_b: string -- id of the second agreement, e.g. eu-us-strategic-partnership-roadmap
MATCH (g:Agreement)-[:HAS_PROVISION]->(p:Provision)
WHERE g.id IN [$agreement_a, $agreement_b]
WITH p.class AS class, g, p
ORDER BY class, g.id, p.id
WITH class,
     collect(CASE WHEN g.id = $agreement_a THEN {id: p.id, name: p.name} END) AS provisions_a,
     collect(CASE WHEN g.id = $agreement_b THEN {id: p.id, name: p.name} END) AS provisions_b
RETURN class,
       CASE
         WHEN size(provisions_a) > 0 AND size(provisions_b) > 0 THEN 'both'
         WHEN size(provisions_a) > 0 THEN 'only_a'
         ELSE 'only_b'
       END AS presence,
       provisions_a, provisions_b
ORDER BY presence, class
