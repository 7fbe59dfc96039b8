// name: events_in_range
// description: Dated events (ministerials, talks, signings, announcements, report publications) that overlap a date range, oldest first, with their counts of delegations and signatories, hosts, attendees and what was concluded or discussed there. An event is in the range when the days its dates stand for overlap the range's, so an event dated 2026-02 overlaps a range starting 2026-02-04; undated events are left out.
// param from: date -- first day, month or year of the range, e.g. 2026-02-01
// param to: date -- last day, month or year of the range, e.g. 2026-02-28
MATCH (e:Event)
WHERE e.occurredOn IS NOT NULL
WITH e, e.occurredOnEarliest AS starts, coalesce(e.endedOnLatest, e.occurredOnLatest) AS ends
WHERE ends >= $from.earliest AND starts <= $to.latest
OPTIONAL MATCH (host:Actor)-[:HOSTED]->(e)
WITH e, host
ORDER BY host.id
WITH e, collect(host.id) AS hosts
OPTIONAL MATCH (attendee:Actor)-[a:ATTENDED]->(e)
WITH e, hosts, attendee, a
ORDER BY attendee.id
WITH e, hosts, collect({actor: attendee.id, role: a.role}) AS attended
OPTIONAL MATCH (outcome:Entity)-[:CONCLUDED_AT]->(e)
WITH e, hosts, attended, outcome
ORDER BY outcome.id
WITH e, hosts, attended, collect(outcome.id) AS concluded
OPTIONAL MATCH (topic:Entity)-[:DISCUSSED_AT]->(e)
WITH e, hosts, attended, concluded, topic
ORDER BY topic.id
WITH e, hosts, attended, concluded, collect(topic.id) AS discussed
RETURN e.id AS event, e.name AS name, e.class AS class, e.occurredOn AS occurredOn,
       e.endedOn AS endedOn, e.delegationCount AS delegationCount,
       e.countriesMoreThan AS countriesMoreThan, e.signatoryCount AS signatoryCount,
       hosts, [x IN attended WHERE x.actor IS NOT NULL] AS attendees, concluded, discussed,
       e.sources AS sources
ORDER BY e.occurredOnEarliest, e.occurredOnLatest, event
