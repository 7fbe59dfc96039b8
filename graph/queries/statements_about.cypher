// name: statements_about
// description: What was said about a topic: statements ABOUT an entity (given by id, or by its name or an alias, case-insensitively) or whose quote or name contains the text (case-insensitively), with speaker, quote, kind of statement and the source it appears in with its title and date.
// param topic: string -- an entity id, name or alias, or any text, e.g. eu-critical-raw-materials-act
MATCH (s:Statement)
OPTIONAL MATCH (s)-[:ABOUT]->(t:Entity)
WITH s, t,
     t.id = $topic OR toLower(t.name) = toLower($topic)
       OR any(alias IN coalesce(t.aliases, []) WHERE toLower(alias) = toLower($topic)) AS hit
ORDER BY t.id
WITH s, collect(t.id) AS about, size([h IN collect(hit) WHERE h]) > 0 AS about_topic
WITH s, about,
     CASE
       WHEN about_topic THEN 'about'
       WHEN toLower(s.quote) CONTAINS toLower($topic) OR toLower(s.name) CONTAINS toLower($topic)
         THEN 'text'
     END AS matched
WHERE matched IS NOT NULL
OPTIONAL MATCH (speaker:Actor)-[:SAID]->(s)
WITH s, about, matched, speaker
ORDER BY speaker.id
WITH s, about, matched, collect({id: speaker.id, name: speaker.name}) AS speakers
OPTIONAL MATCH (s)-[:APPEARS_IN]->(src:Source)
WITH s, about, matched, speakers, src
ORDER BY src.publishedOn, src.id
WITH s, about, matched, speakers,
     collect({id: src.id, title: src.title, publisher: src.publisher,
              publishedOn: src.publishedOn}) AS appears_in
RETURN s.id AS statement, [x IN speakers WHERE x.id IS NOT NULL] AS speakers,
       s.quote AS quote, s.statementKind AS statementKind, s.statedOn AS statedOn,
       [x IN appears_in WHERE x.id IS NOT NULL] AS sources, about, matched
ORDER BY matched, statement
