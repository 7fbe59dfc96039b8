// name: actor_relations_profile
// description: For every other actor, how much it cooperates with the given actor (agreements and policy instruments both are party to, signed, announced, proposed, adopted or lead) against how often the two are set against each other (tensions involving both), with the names of each.
// param actor: string -- id of the actor, e.g. us
// param as_of: date = null -- as things stood on this date: agreements, instruments and tensions known by its end (those whose date straddles it are listed in undecidable), e.g. 2025-01
// from the actor's indexed id outwards (WITH me first: else FalkorDB scanned every
// entity of the graph for the shared ones and matched the actor last)
MATCH (me:Actor {id: $actor})
WITH me
MATCH (me)-[:PARTY_TO|SIGNED|ANNOUNCED|PROPOSED|ADOPTED|LEADS|INVOLVES]-(shared:Entity)
WHERE (shared:Agreement OR shared:PolicyInstrument OR shared:Tension)
  AND ($as_of IS NULL OR (shared.firstDatedEarliest IS NULL OR shared.firstDatedEarliest <= $as_of.latest))
WITH DISTINCT me, shared
MATCH (shared)-[:PARTY_TO|SIGNED|ANNOUNCED|PROPOSED|ADOPTED|LEADS|INVOLVES]-(other:Actor)
WHERE other <> me
WITH DISTINCT other, shared
ORDER BY other.id, shared.id
WITH other,
     collect(CASE WHEN shared:Tension THEN null ELSE shared.id END) AS cooperation,
     collect(CASE WHEN shared:Tension THEN shared.id ELSE null END) AS tensions,
     collect(CASE WHEN shared.firstDatedLatest > $as_of.latest THEN shared.id END) AS undecidable
RETURN other.id AS actor, other.name AS name, other.class AS class,
       size(cooperation) AS cooperation_count, size(tensions) AS tension_count,
       cooperation, tensions, undecidable
ORDER BY cooperation_count + tension_count DESC, actor
