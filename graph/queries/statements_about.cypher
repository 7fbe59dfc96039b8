// name: statements_about
// description: What was said about a topic: statements ABOUT an entity (given by id, or by its name or an alias, case-insensitively) or whose quote or name contains the text (case-insensitively), with speaker, quote, kind of statement and the source it appears in with its title and date.
// param topic: string -- an entity id, name or alias, or any text, e.g. eu-critical-raw-materials-act
// The entities the topic names are found with one CONTAINS per node on its search text (a
// text index on Neo4j), their statements by ABOUT; the statements whose text holds it by one
// pass over the statements. A page of them in the answer's order, then each one's details
OPTIONAL MATCH (t:Entity)
WHERE t._search CONTAINS toLower($topic)
  AND (t.id = $topic OR toLower(t.name) = toLower($topic)
       OR any(alias IN coalesce(t.aliases, []) WHERE toLower(alias) = toLower($topic)))
OPTIONAL MATCH (t)<-[:ABOUT]-(said:Statement)
WITH collect(DISTINCT said) AS about_topic
OPTIONAL MATCH (s:Statement)
WHERE toLower(s.quote) CONTAINS toLower($topic) OR toLower(s.name) CONTAINS toLower($topic)
WITH about_topic, collect(s) AS by_text
UNWIND [s IN about_topic | {s: s, rank: 0}] + [s IN by_text | {s: s, rank: 1}] AS hit
WITH hit.s AS s, min(hit.rank) AS rank
WITH s, CASE rank WHEN 0 THEN 'about' ELSE 'text' END AS matched
ORDER BY matched, s.id
LIMIT $row_limit
OPTIONAL MATCH (s)-[:ABOUT]->(t:Entity)
WITH s, matched, t
ORDER BY t.id
WITH s, matched, collect(t.id) AS about
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
