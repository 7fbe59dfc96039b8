// name: attributed_claims
// description: Claims the graph records as someone else's (attributedTo: a source reports them as what an actor said or reported, e.g. Reuters on who leads the EU stockpile), nodes first then relationships, with whom each is attributed to, its quotes and its evidence (a JSON list saying which quote is attributed to whom); optionally only those attributed to one actor.
// param actor: string = null -- id of the actor the claims are attributed to, e.g. reuters; leave out for all
MATCH (n:Entity)
WHERE size(coalesce(n.attributedTo, [])) > 0 AND ($actor IS NULL OR $actor IN n.attributedTo)
RETURN 'node' AS kind, n.class AS type, n.id AS id, n.name AS name, null AS from, null AS to,
       n.attributedTo AS attributedTo, n.quotes AS quotes, n.sources AS sources,
       n.evidence AS evidence
ORDER BY type, id
UNION ALL
MATCH (a:Entity)-[r]->(b:Entity)
WHERE size(coalesce(r.attributedTo, [])) > 0 AND ($actor IS NULL OR $actor IN r.attributedTo)
RETURN 'relationship' AS kind, type(r) AS type, r.key AS id, null AS name, a.id AS from,
       b.id AS to, r.attributedTo AS attributedTo, r.quotes AS quotes, r.sources AS sources,
       r.evidence AS evidence
ORDER BY type, id
