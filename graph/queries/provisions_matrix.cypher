// name: provisions_matrix
// description: Every agreement with provisions against every class of provision (price support, stockpiling, exclusive trade routes, ...): one row per agreement and class it has, with the agreement's first date, how many provisions of that class and which; optionally only the agreements of one actor (also through its bodies and people) and of a period any of the agreement's own dates falls in. The browser draws it as a heat map at /matrix.
// param actor: string = null -- id of an actor whose agreements to keep, e.g. eu; leave out for all
// param from: date = null -- keep agreements with a date on or after this, e.g. 2025 (dates compare at the coarser of the two precisions)
// param to: date = null -- keep agreements with a date on or before this, e.g. 2026-02
MATCH (g:Agreement)-[:HAS_PROVISION]->(p:Provision)
WITH DISTINCT g
OPTIONAL MATCH (party:Actor)-[:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]->(g)
OPTIONAL MATCH (party)-[:PART_OF|AFFILIATED_WITH*0..3]->(whole:Actor)
WITH g, collect(DISTINCT whole.id) AS parties
WHERE $actor IS NULL OR $actor IN parties
// every date the agreement carries: on the node, on the relationships into it, in its history
OPTIONAL MATCH (:Actor)-[dated]->(g)
UNWIND [g.proposedOn, g.announcedOn, g.signedOn, g.adoptedOn, g.inForceFrom, g.startedOn,
        g.suspendedOn, g.endedOn, dated.signedOn, dated.adoptedOn, dated.announcedOn,
        dated.startedOn, dated.endedOn] AS day
WITH g, collect(DISTINCT day) AS own
OPTIONAL MATCH (g)-[:HAD_STATUS]->(step:StatusChange)
WITH g, own, collect(step.date) AS steps
WITH g, own + steps AS dates
WHERE ($from IS NULL AND $to IS NULL)
   OR any(day IN dates WHERE ($from IS NULL OR left(day, size($from)) >= left($from, size(day)))
                       AND ($to IS NULL OR left(day, size($to)) <= left($to, size(day))))
WITH g, reduce(first = null, day IN dates |
              CASE WHEN first IS NULL OR day < first THEN day ELSE first END) AS first_date
MATCH (g)-[:HAS_PROVISION]->(p:Provision)
WITH g, first_date, p
ORDER BY g.id, p.class, p.id
RETURN g.id AS agreement, g.name AS name, g.status AS status,
       first_date AS date,
       p.class AS class, count(p) AS provisions, collect(p.id) AS provision_ids
ORDER BY agreement, class
