// name: what_changed
// description: What happened in a period, oldest first: one row per dated fact (a node or relationship and which of its dates): new agreements, status changes, instruments, tensions, list changes (lists adopted, minerals added or removed), events, statements, dated relationships; with its kind, sources and the date's bounds. A date is in the period when the days it stands for overlap the period's; `straddles` is true when they are not all inside it. The dates of the record (recordedOn, accessedOn) and of the sources' publication are not changes.
// param since: date = null -- the period's first day, e.g. 2025-10 (its first day when month or year)
// param until: date = null -- the period's last day, e.g. 2026-02 (its last day when month or year)
// param actor: string = null -- only facts involving this actor (also through its bodies and people), e.g. us
// param other: string = null -- with actor: only facts involving both, e.g. eu
// Who is involved: the actor, its bodies and people (PART_OF|AFFILIATED_WITH up to 3 hops), and
// what they are linked to directly; timeless concepts (minerals, stages, applications, sources)
// do not pass involvement on, or every list change of lithium would involve every miner.
OPTIONAL MATCH (:Actor {id: $actor})<-[:PART_OF|AFFILIATED_WITH*0..3]-(am:Actor)
WITH collect(DISTINCT am.id) AS a_members
OPTIONAL MATCH (am:Actor)-[]-(an:Entity)
WHERE am.id IN a_members
  AND NOT (an:Mineral OR an:SupplyChainStage OR an:Application OR an:Source)
WITH a_members, collect(DISTINCT an.id) AS a_linked
WITH a_members + a_linked AS a_near
OPTIONAL MATCH (:Actor {id: $other})<-[:PART_OF|AFFILIATED_WITH*0..3]-(om:Actor)
WITH a_near, collect(DISTINCT om.id) AS o_members
OPTIONAL MATCH (om:Actor)-[]-(onb:Entity)
WHERE om.id IN o_members
  AND NOT (onb:Mineral OR onb:SupplyChainStage OR onb:Application OR onb:Source)
WITH a_near, o_members, collect(DISTINCT onb.id) AS o_linked
WITH a_near, o_members + o_linked AS o_near
// dated nodes (when the first date of a fact starts after the period, none of its dates is in it);
// a status change is about its agreement (or instrument, list, tension) and involves what it does
OPTIONAL MATCH (n:Entity)
WHERE n.firstDatedEarliest IS NOT NULL AND NOT n:Source
  AND ($until IS NULL OR n.firstDatedEarliest <= $until.latest)
OPTIONAL MATCH (parent:Entity)-[:HAD_STATUS]->(n)
WITH a_near, o_near, n, coalesce(parent, n) AS about,
     CASE WHEN n:StatusChange THEN 'status-change' WHEN n:Agreement THEN 'agreement'
          WHEN n:PolicyInstrument THEN 'instrument' WHEN n:Tension THEN 'tension'
          WHEN n:CriticalMineralList THEN 'list' WHEN n:Event THEN 'event'
          WHEN n:Statement THEN 'statement' WHEN n:StrategicProject THEN 'project'
          ELSE toLower(n.class) END AS kind,
     CASE WHEN n:StatusChange THEN n.status ELSE null END AS status
// the dates of the fact in the period: those whose days overlap the days of the period
WITH a_near, o_near, n, about, kind, status,
     [d IN [['proposedOn', n.proposedOn, n.proposedOnEarliest, n.proposedOnLatest, n.proposedOnPrecision],
            ['announcedOn', n.announcedOn, n.announcedOnEarliest, n.announcedOnLatest, n.announcedOnPrecision],
            ['signedOn', n.signedOn, n.signedOnEarliest, n.signedOnLatest, n.signedOnPrecision],
            ['adoptedOn', n.adoptedOn, n.adoptedOnEarliest, n.adoptedOnLatest, n.adoptedOnPrecision],
            ['inForceFrom', n.inForceFrom, n.inForceFromEarliest, n.inForceFromLatest, n.inForceFromPrecision],
            ['suspendedOn', n.suspendedOn, n.suspendedOnEarliest, n.suspendedOnLatest, n.suspendedOnPrecision],
            ['startedOn', n.startedOn, n.startedOnEarliest, n.startedOnLatest, n.startedOnPrecision],
            ['endedOn', n.endedOn, n.endedOnEarliest, n.endedOnLatest, n.endedOnPrecision],
            ['occurredOn', n.occurredOn, n.occurredOnEarliest, n.occurredOnLatest, n.occurredOnPrecision],
            ['statedOn', n.statedOn, n.statedOnEarliest, n.statedOnLatest, n.statedOnPrecision],
            ['date', n.date, n.dateEarliest, n.dateLatest, n.datePrecision]]
        WHERE d[1] IS NOT NULL AND ($since IS NULL OR d[3] >= $since.earliest)
          AND ($until IS NULL OR d[2] <= $until.latest) | d] AS dates
WITH a_near, o_near, collect(CASE
  WHEN size(dates) > 0 AND ($actor IS NULL OR about.id IN a_near)
       AND ($other IS NULL OR about.id IN o_near)
  THEN {kind: kind, subject: n.id, name: n.name, class: n.class, entity: about.id,
        entity_name: about.name, start_id: null, end_id: null, status: status,
        sources: n.sources, evidence: n.evidence, dates: dates}
  END) AS nodes
// dated relationships: about the endpoint that is not an actor (the agreement a party signed,
// the list a mineral was added to), involving what either endpoint involves
OPTIONAL MATCH (s:Entity)-[r]->(e:Entity)
WHERE r.firstDatedEarliest IS NOT NULL
  AND ($until IS NULL OR r.firstDatedEarliest <= $until.latest)
WITH a_near, o_near, nodes, s, r, e, CASE WHEN s:Actor THEN e ELSE s END AS about,
     CASE WHEN type(r) = 'LISTS' THEN 'list-change' ELSE 'relationship' END AS kind,
     [d IN [['signedOn', r.signedOn, r.signedOnEarliest, r.signedOnLatest, r.signedOnPrecision],
            ['adoptedOn', r.adoptedOn, r.adoptedOnEarliest, r.adoptedOnLatest, r.adoptedOnPrecision],
            ['announcedOn', r.announcedOn, r.announcedOnEarliest, r.announcedOnLatest, r.announcedOnPrecision],
            ['startedOn', r.startedOn, r.startedOnEarliest, r.startedOnLatest, r.startedOnPrecision],
            ['endedOn', r.endedOn, r.endedOnEarliest, r.endedOnLatest, r.endedOnPrecision]]
        WHERE d[1] IS NOT NULL AND ($since IS NULL OR d[3] >= $since.earliest)
          AND ($until IS NULL OR d[2] <= $until.latest) | d] AS dates
WITH nodes, collect(CASE
  WHEN size(dates) > 0 AND ($actor IS NULL OR s.id IN a_near OR e.id IN a_near)
       AND ($other IS NULL OR s.id IN o_near OR e.id IN o_near)
  THEN {kind: kind, subject: r.key, name: s.name + ' ' + type(r) + ' ' + e.name,
        class: type(r), entity: about.id, entity_name: about.name, start_id: s.id,
        end_id: e.id, status: null, sources: r.sources, evidence: r.evidence, dates: dates}
  END) AS rels
UNWIND nodes + rels AS f
UNWIND f.dates AS d
RETURN f.kind AS kind, f.subject AS subject, f.name AS name, f.class AS class,
       d[0] AS property, d[1] AS date, d[2] AS earliest, d[3] AS latest, d[4] AS precision,
       ($since IS NOT NULL AND d[2] < $since.earliest)
         OR ($until IS NOT NULL AND d[3] > $until.latest) AS straddles,
       f.status AS status, f.entity AS entity, f.entity_name AS entity_name,
       f.start_id AS start_id, f.end_id AS end_id, f.sources AS sources, f.evidence AS evidence
ORDER BY earliest, latest, subject, property
