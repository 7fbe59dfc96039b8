// name: partnerships_by_year
// description: The agreements an actor concluded with partners (e.g. the EU's strategic partnerships on raw materials), by year of conclusion: the date of the signed or adopted step of the agreement's history, else its signedOn or adoptedOn; contested dates are listed with every version. The year of a contested date is given where every version agrees on it. Agreements with no such date come last, with year null.
// param actor: string -- id of the actor, e.g. eu
// param kind: string = null -- only agreements with this node label, e.g. MemorandumOfUnderstanding
MATCH (me:Actor {id: $actor})-[:PARTY_TO|SIGNED]->(g:Agreement)<-[:PARTY_TO|SIGNED]-(partner:Actor)
WHERE partner <> me AND NOT partner:Person AND ($kind IS NULL OR $kind IN labels(g))
WITH g, partner ORDER BY partner.id
WITH g, collect(DISTINCT partner.id) AS partners
OPTIONAL MATCH (g)-[:HAD_STATUS]->(s:StatusChange)
WHERE s.status IN ['signed', 'adopted']
WITH g, partners, min(s.date) AS stepDate
OPTIONAL MATCH (g)-[:HAS_CONTESTED_CLAIM]->(c:ContestedClaim)
WHERE c.property IN ['signedOn', 'adoptedOn']
WITH g, partners, stepDate, c ORDER BY c.value
WITH g, partners, stepDate, collect(c.value) AS contested, collect(DISTINCT left(c.value, 4)) AS years
WITH g, partners, contested, years, coalesce(stepDate, g.signedOn, g.adoptedOn) AS concluded
RETURN coalesce(left(concluded, 4), CASE WHEN size(years) = 1 THEN head(years) END) AS year,
       concluded, contested, g.id AS agreement, g.name AS name,
       g.class AS class, g.status AS status, partners, g.sourceCount AS sourceCount
ORDER BY year IS NULL, year, concluded, agreement
