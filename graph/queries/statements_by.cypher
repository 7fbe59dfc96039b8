// name: statements_by
// description: Everything an actor said (SAID), by default also what its bodies (PART_OF) and people (AFFILIATED_WITH) said, with the quote, kind of statement, what it is about and the source it appears in with its title and date.
// param speaker: string -- id of the actor, e.g. tom-moerenhout
// param include_members: boolean = true -- also statements of bodies PART_OF the actor and people AFFILIATED_WITH it (the European Commission for eu)
MATCH (asked:Actor {id: $speaker})<-[:PART_OF|AFFILIATED_WITH*0..3]-(speaker:Actor)
WITH DISTINCT asked, speaker
WHERE speaker = asked OR $include_members
MATCH (speaker)-[:SAID]->(s:Statement)
OPTIONAL MATCH (s)-[:ABOUT]->(t:Entity)
WITH speaker, s, t
ORDER BY t.id
WITH speaker, s, collect(t.id) AS about
OPTIONAL MATCH (s)-[:APPEARS_IN]->(src:Source)
WITH speaker, s, about, src
ORDER BY src.publishedOn, src.id
WITH speaker, s, about,
     collect({id: src.id, title: src.title, publisher: src.publisher,
              publishedOn: src.publishedOn}) AS appears_in
RETURN s.id AS statement, speaker.id AS speaker, speaker.name AS speaker_name,
       s.quote AS quote, s.statementKind AS statementKind, s.statedOn AS statedOn,
       about, [x IN appears_in WHERE x.id IS NOT NULL] AS sources
ORDER BY speaker, statement
