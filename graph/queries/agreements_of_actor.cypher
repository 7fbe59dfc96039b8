// name: agreements_of_actor
// description: Agreements an actor is party to, signed, proposed, announced, adopted or leads (also through its bodies and people, e.g. the European Commission for the EU), optionally by status and by a date range that any of the agreement's dates falls in.
// param actor: string -- id of the actor, e.g. eu
// param status: string = null -- only agreements with this status, e.g. signed (announced, planned, proposed, under-negotiation, signed, approved, adopted, in-force, suspended, ended)
// param from: date = null -- keep agreements with a date on or after this, e.g. 2024 (dates compare at the coarser of the two precisions)
// param to: date = null -- keep agreements with a date on or before this, e.g. 2026-02
// param include_members: boolean = true -- also count what bodies PART_OF the actor and people AFFILIATED_WITH it did
MATCH (actor:Actor {id: $actor})<-[:PART_OF|AFFILIATED_WITH*0..3]-(member:Actor)
WITH DISTINCT actor, member
WHERE member = actor OR $include_members
MATCH (member)-[r:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]->(g:Agreement)
WHERE $status IS NULL OR g.status = $status
// every date the agreement carries, on the node, on the relationships into it and in its history
OPTIONAL MATCH (:Actor)-[dated]->(g)
UNWIND [g.proposedOn, g.announcedOn, g.signedOn, g.adoptedOn, g.inForceFrom, g.startedOn,
        g.suspendedOn, g.endedOn, dated.signedOn, dated.adoptedOn, dated.announcedOn,
        dated.startedOn, dated.endedOn] AS day
WITH member, r, g, collect(DISTINCT day) AS own
// and the dates of its status history (StatusChange nodes), where signing and entry into force live
OPTIONAL MATCH (g)-[:HAD_STATUS]->(step:StatusChange)
WITH member, r, g, own, collect(step.date) AS steps
WITH member, r, g, own + steps AS dates
WHERE ($from IS NULL AND $to IS NULL)
   OR any(day IN dates WHERE ($from IS NULL OR left(day, size($from)) >= left($from, size(day)))
                       AND ($to IS NULL OR left(day, size($to)) <= left($to, size(day))))
WITH g, member, r
ORDER BY g.id, member.id, type(r)
WITH g,
     collect({actor: member.id, relation: type(r), role: r.role, attributedTo: r.attributedTo}) AS involvement
RETURN g.id AS agreement, g.name AS name, g.class AS class, g.status AS status,
       g.proposedOn AS proposedOn, g.announcedOn AS announcedOn, g.signedOn AS signedOn,
       g.adoptedOn AS adoptedOn, g.inForceFrom AS inForceFrom, g.startedOn AS startedOn,
       g.endedOn AS endedOn, involvement, g.sources AS sources
ORDER BY agreement
