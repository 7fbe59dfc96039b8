// name: event_attendance
// description: Who was at an event: the actors that hosted or attended it (with their role) and, for each, which of the agreements or instruments concluded at the event it signed or is party to; with the event's own counts (delegations, countries, signatories) and everything concluded there with its signatories and parties.
// param event: string -- id of the event, e.g. critical-minerals-ministerial-2026
MATCH (e:Event {id: $event})
OPTIONAL MATCH (outcome:Entity)-[:CONCLUDED_AT]->(e)
OPTIONAL MATCH (party:Actor)-[pr:SIGNED|PARTY_TO]->(outcome)
WITH e, outcome, party, pr
ORDER BY outcome.id, party.id, type(pr)
WITH e, outcome,
     collect(CASE WHEN type(pr) = 'SIGNED' THEN party.id END) AS signatories,
     collect(CASE WHEN type(pr) = 'PARTY_TO' THEN party.id END) AS parties
ORDER BY outcome.id
WITH e, collect({id: outcome.id, name: outcome.name, class: outcome.class,
                 status: outcome.status, signatories: signatories, parties: parties}) AS outcomes
OPTIONAL MATCH (actor:Actor)-[at:HOSTED|ATTENDED]->(e)
OPTIONAL MATCH (actor)-[:SIGNED|PARTY_TO]->(deal:Entity)-[:CONCLUDED_AT]->(e)
WITH e, outcomes, actor, at, deal
ORDER BY actor.id, type(at), deal.id
WITH e, outcomes, actor,
     collect(DISTINCT type(at)) AS relations, collect(DISTINCT at.role) AS roles,
     collect(DISTINCT deal.id) AS signed_or_party_to
ORDER BY actor.id
WITH e, outcomes,
     collect({actor: actor.id, name: actor.name, class: actor.class, relations: relations,
              roles: roles, signed_or_party_to: signed_or_party_to}) AS participants
RETURN e.id AS event, e.name AS name, e.class AS class, e.occurredOn AS occurredOn,
       e.endedOn AS endedOn, e.delegationCount AS delegationCount,
       e.countriesMoreThan AS countriesMoreThan, e.signatoryCount AS signatoryCount,
       [p IN participants WHERE p.actor IS NOT NULL] AS participants,
       [o IN outcomes WHERE o.id IS NOT NULL] AS concluded, e.sources AS sources
