// name: agreements_of_actor
// description: Agreements an actor is party to, signed, proposed, announced, adopted or leads (also through its bodies and people, e.g. the European Commission for the EU), optionally by status and by a date range that any of the agreement's dates falls in.
// param actor: string -- id of the actor, e.g. eu
// param status: string = null -- only agreements with this status (as of as_of when given), e.g. signed (announced, planned, proposed, under-negotiation, signed, approved, adopted, in-force, suspended, ended)
// param from: date = null -- keep agreements with a date on or after this, e.g. 2024 (a date is in the range when the days it stands for overlap the range's)
// param to: date = null -- keep agreements with a date on or before this, e.g. 2026-02
// param as_of: date = null -- the agreements as they stood on this date: those known to have happened by its end, with their status then, e.g. 2025-06 (see standing)
// param include_members: boolean = true -- also count what bodies PART_OF the actor and people AFFILIATED_WITH it did
MATCH (actor:Actor {id: $actor})<-[:PART_OF|AFFILIATED_WITH*0..3]-(member:Actor)
WITH DISTINCT actor, member
WHERE member = actor OR $include_members
MATCH (member)-[r:PARTY_TO|SIGNED|PROPOSED|ANNOUNCED|ADOPTED|LEADS]->(g:Agreement)
WITH g, member, r
ORDER BY g.id, member.id, type(r)
WITH g,
     collect({actor: member.id, relation: type(r), role: r.role, attributedTo: r.attributedTo}) AS involvement
// with a date range only (tested before the expansions: read for every agreement, the dates
// on the relationships into a hub's agreements were most of the query's time): every date
// the agreement carries, on the relationships into it, in its history and on the node, as
// the first and last day it stands for
CALL {
  WITH g
  WITH g
  WHERE $from IS NOT NULL OR $to IS NOT NULL
  OPTIONAL MATCH (:Actor)-[dated]->(g)
  UNWIND [[dated.signedOnEarliest, dated.signedOnLatest],
          [dated.adoptedOnEarliest, dated.adoptedOnLatest],
          [dated.announcedOnEarliest, dated.announcedOnLatest],
          [dated.startedOnEarliest, dated.startedOnLatest],
          [dated.endedOnEarliest, dated.endedOnLatest]] AS span
  WITH span
  WHERE span[0] IS NOT NULL
  RETURN collect(span) AS dated
}
CALL {
  WITH g
  WITH g
  WHERE $from IS NOT NULL OR $to IS NOT NULL
  MATCH (g)-[:HAD_STATUS]->(step:StatusChange)
  RETURN collect([step.dateEarliest, step.dateLatest]) AS steps
}
WITH g, involvement,
     [[g.proposedOnEarliest, g.proposedOnLatest], [g.announcedOnEarliest, g.announcedOnLatest],
      [g.signedOnEarliest, g.signedOnLatest], [g.adoptedOnEarliest, g.adoptedOnLatest],
      [g.inForceFromEarliest, g.inForceFromLatest], [g.startedOnEarliest, g.startedOnLatest],
      [g.suspendedOnEarliest, g.suspendedOnLatest], [g.endedOnEarliest, g.endedOnLatest]]
       + dated + steps AS spans
// in the range when the days one of its dates stands for overlap the range's
WHERE ($from IS NULL AND $to IS NULL)
   OR any(s IN spans WHERE s[0] IS NOT NULL AND ($from IS NULL OR s[1] >= $from.earliest)
                       AND ($to IS NULL OR s[0] <= $to.latest))
// as of a date: what was on record by its end (standing known), what may or may not have
// been (undecidable: a date that straddles it), its status then: its last status change known
// by then, and any later one that straddles the date (status_undecidable)
WITH g, involvement,
     CASE WHEN $as_of IS NULL THEN null
          WHEN g.firstDatedLatest IS NULL THEN 'undated'
          WHEN g.firstDatedLatest <= $as_of.latest THEN 'known'
          WHEN g.firstDatedEarliest <= $as_of.latest THEN 'undecidable'
          ELSE 'not-yet' END AS standing
WHERE standing IS NULL OR standing <> 'not-yet'
OPTIONAL MATCH (g)-[:HAD_STATUS]->(step:StatusChange)
WITH g, involvement, standing, step
ORDER BY size(step.id), step.id
WITH g, involvement, standing,
     collect({status: step.status, earliest: step.dateEarliest, latest: step.dateLatest}) AS steps
WITH g, involvement, standing, steps,
     reduce(last = -1, i IN range(0, size(steps) - 1) |
            CASE WHEN $as_of IS NOT NULL AND steps[i].latest <= $as_of.latest THEN i ELSE last END) AS last
WITH g, involvement, standing, steps, last,
     CASE WHEN $as_of IS NULL THEN g.status WHEN last < 0 THEN null ELSE steps[last].status END
       AS status
WHERE $status IS NULL OR status = $status
RETURN g.id AS agreement, g.name AS name, g.class AS class, status, standing,
       [i IN range(last + 1, size(steps) - 1)
        WHERE $as_of IS NOT NULL AND steps[i].earliest <= $as_of.latest | steps[i].status]
         AS status_undecidable,
       g.proposedOn AS proposedOn, g.announcedOn AS announcedOn, g.signedOn AS signedOn,
       g.adoptedOn AS adoptedOn, g.inForceFrom AS inForceFrom, g.startedOn AS startedOn,
       g.endedOn AS endedOn, involvement, g.sources AS sources
ORDER BY agreement
