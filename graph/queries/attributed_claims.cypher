// name: attributed_claims
// description: Claims the graph records as someone else's (attributedTo: a source reports them as what an actor said or reported, e.g. Reuters on who leads the EU stockpile), nodes first then relationships, with whom each is attributed to, its quotes and its evidence (a JSON list saying which quote is attributed to whom); optionally only those attributed to one actor.
// param actor: string = null -- id of the actor the claims are attributed to, e.g. reuters; leave out for all
// Each actor lists the facts attributed to it (loaders/lookups.py): the actor asked for by its
// indexed id, or every actor with attributions (an index on _attributions) when none is
// given; each fact is then read by its indexed id (a relationship between its endpoints, each
// read by id first: FalkorDB then expands into the pair instead of from the start node)
OPTIONAL MATCH (asked:Actor {id: $actor})
WITH asked, $actor IS NULL AS every_actor
OPTIONAL MATCH (other:Actor)
WHERE every_actor AND other._attributions > 0
WITH asked, every_actor, collect(other) AS others
UNWIND CASE WHEN every_actor THEN others ELSE [asked] END AS actor
UNWIND coalesce(actor._attributedNodes, []) AS attributed
WITH DISTINCT attributed
MATCH (n:Entity {id: attributed})
WITH n
ORDER BY n.class, n.id
LIMIT $row_limit
RETURN 'node' AS kind, n.class AS type, n.id AS id, n.name AS name, null AS from, null AS to,
       n.attributedTo AS attributedTo, n.quotes AS quotes, n.sources AS sources,
       n.evidence AS evidence
ORDER BY type, id
UNION ALL
OPTIONAL MATCH (asked:Actor {id: $actor})
WITH asked, $actor IS NULL AS every_actor
OPTIONAL MATCH (other:Actor)
WHERE every_actor AND other._attributions > 0
WITH asked, every_actor, collect(other) AS others
UNWIND CASE WHEN every_actor THEN others ELSE [asked] END AS actor
UNWIND coalesce(actor._attributedRels, []) AS attributed
WITH DISTINCT attributed
WITH split(attributed, '|') AS key
MATCH (a:Entity {id: key[0]})
WITH a, key
MATCH (b:Entity {id: key[2]})
WITH a, b, key
MATCH (a)-[r]->(b)
WHERE type(r) = key[1]
WITH a, r, b
ORDER BY type(r), r.key
LIMIT $row_limit
RETURN 'relationship' AS kind, type(r) AS type, r.key AS id, null AS name, a.id AS from,
       b.id AS to, r.attributedTo AS attributedTo, r.quotes AS quotes, r.sources AS sources,
       r.evidence AS evidence
ORDER BY type, id
