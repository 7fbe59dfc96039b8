"""Entity search, entity detail, neighbourhoods and paths: the Cypher behind exploration.

Labels, relationship types and depths are never pasted from user input: depths pick one of
the queries prepared below, and types are passed as parameters.
"""

from __future__ import annotations

from typing import Any

from mineralkg.graph.store import GraphStore, Row
from mineralkg.loaders import stored
from mineralkg.ontology.dates import PartialDate, ended_by, fact_standing

MAX_DEPTH = 3
MAX_PATH_DEPTH = 8

# One CONTAINS on the search text (id, name and aliases in lower case, one a line; a text
# index on Neo4j) picks the candidates; the exact tests, which rank them, run on those only.
# The page and the number of matches in all come in one answer.
_SEARCH = """
MATCH (n:Entity)
WHERE {match}($label IS NULL OR $label IN labels(n))
WITH n, CASE
    WHEN toLower(n.name) = $q OR n.id = $q THEN 0
    WHEN any(a IN coalesce(n.aliases, []) WHERE toLower(a) = $q) THEN 1
    WHEN toLower(n.name) STARTS WITH $q THEN 2
    WHEN toLower(n.name) CONTAINS $q OR n.id CONTAINS $q
         OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS $q) THEN 3
    END AS rank
WHERE rank IS NOT NULL
WITH n, rank ORDER BY rank, size(n.name), n.name, n.id
WITH collect({{id: n.id, name: n.name, type: n.class, labels: labels(n)}}) AS found
RETURN size(found) AS total, found[$offset..$offset + $limit] AS page
"""
SEARCH_ALL = _SEARCH.format(match="")
SEARCH = _SEARCH.format(match="n._search CONTAINS $q AND ")

ENTITY = """
MATCH (n:Entity {id: $id})
OPTIONAL MATCH (n)-[r]-()
WITH n, count(r) AS degree
OPTIONAL MATCH (s:Source) WHERE s.id IN coalesce(n.sources, [])
RETURN n, degree, collect({id: s.id, name: s.name, title: s.title, publisher: s.publisher,
                          publishedOn: s.publishedOn, url: s.url}) AS sources
"""

_NEIGHBOURS = """
MATCH p = (n:Entity {{id: $id}})-[*1..{depth}]-(m:Entity)
WHERE $types IS NULL OR all(r IN relationships(p) WHERE type(r) IN $types)
WITH p LIMIT $path_limit
UNWIND relationships(p) AS r
WITH DISTINCT r
RETURN r, startNode(r) AS a, endNode(r) AS b
LIMIT $limit
"""
NEIGHBOURS = {d: _NEIGHBOURS.format(depth=d) for d in range(1, MAX_DEPTH + 1)}

# One path of a length `distance` found (FalkorDB has no undirected shortestPath, and crashes
# on a fixed-length undirected pattern such as *2..2). `LIMIT 1` finds both ends before the
# search: Neo4j plans across a plain WITH, expanded every path from `a` and tested `b` after
# (10 s at depth 6); behind it, it searches between the two ends.
_PATH = """
MATCH (a:Entity {{id: $from}}), (b:Entity {{id: $to}})
WITH a, b LIMIT 1
MATCH p = (a)-[*1..{depth}]-(b)
RETURN p LIMIT 1
"""
PATHS = {d: _PATH.format(depth=d) for d in range(1, MAX_PATH_DEPTH + 1)}
_NEXT_LAYER = """
MATCH (n:Entity)--(m:Entity)
WHERE n.id IN $ids
RETURN DISTINCT m.id AS id
"""


def search(
    store: GraphStore, q: str, label: str | None, limit: int, offset: int = 0
) -> tuple[list[Row], int]:
    """A page of the entities whose id, name or an alias contains `q` (any case), best
    first, and how many match in all."""
    text = q.strip().lower()
    params = {"q": text, "label": label, "limit": limit, "offset": offset}
    row = store.run(SEARCH if text else SEARCH_ALL, params).rows[0]
    return list(row["page"]), int(row["total"])


def entity(store: GraphStore, entity_id: str) -> dict[str, Any] | None:
    rows = store.run(ENTITY, {"id": entity_id}).rows
    if not rows:
        return None
    row = rows[0]
    node = row["n"]
    props = dict(node["properties"])
    evidence = stored.decode_evidence(props)
    props.pop(stored.EVIDENCE, None)
    return {
        "id": node["id"],
        "name": props.get("name", node["id"]),
        "type": props.get(stored.CLASS, ""),
        "labels": node["labels"],
        "properties": props,
        "evidence": evidence,
        "sources": [s for s in row["sources"] if s.get("id") is not None],
        "degree": row["degree"],
    }


STEPS = """
MATCH (:Entity {id: $id})-[:HAD_STATUS]->(s:StatusChange)
RETURN s.status AS status, s.date AS date, s.dateEarliest AS earliest, s.dateLatest AS latest
ORDER BY size(s.id), s.id
"""


def as_of_state(store: GraphStore, entity: dict[str, Any], as_of: PartialDate) -> dict[str, Any]:
    """How an entity stood on a date: its standing (known, undecidable, not-yet, undated) and
    its status then, from its status history (ontology.dates gives the rules)."""
    steps = store.run(STEPS, {"id": entity["id"]}).rows
    known = [i for i, s in enumerate(steps) if s["latest"] <= as_of.latest.isoformat()]
    last = known[-1] if known else -1
    return {
        "date": as_of.text,
        "standing": fact_standing(entity["properties"], as_of),
        "status": steps[last]["status"] if known else None,
        "status_undecidable": [
            s["status"] for s in steps[last + 1 :] if s["earliest"] <= as_of.latest.isoformat()
        ],
        "history": steps,
    }


def _present(props: dict[str, Any], as_of: PartialDate) -> bool:
    return fact_standing(props, as_of) != "not-yet" and not ended_by(props, as_of)


def exists(store: GraphStore, entity_id: str) -> bool:
    return bool(store.run("MATCH (n:Entity {id: $id}) RETURN n.id AS id", {"id": entity_id}).rows)


def neighbourhood(
    store: GraphStore,
    entity_id: str,
    depth: int,
    types: list[str] | None,
    limit: int,
    as_of: PartialDate | None = None,
) -> dict[str, Any]:
    """The ego network of an entity: its relationships up to `depth` hops, and their ends; as of
    a date, without the facts not yet on record or ended by then (undecidable ones listed)."""
    rows = store.run(
        NEIGHBOURS[depth],
        {"id": entity_id, "types": types or None, "limit": limit + 1, "path_limit": 20 * limit},
    ).rows
    truncated = len(rows) > limit
    nodes: dict[str, dict[str, Any]] = {}
    rels = []
    undecidable: set[str] = set()
    for row in rows[:limit]:
        ends = (row["a"], row["b"])
        if as_of is not None:
            facts = (row["r"], *ends)
            if not all(_present(f["properties"], as_of) for f in facts):
                continue
            undecidable |= {
                f.get("id") or f["properties"].get(stored.KEY, "")
                for f in facts
                if fact_standing(f["properties"], as_of) == "undecidable"
            }
        rels.append(row["r"])
        for end in ends:
            nodes.setdefault(end["id"], end)
    if entity_id not in nodes:
        centre = store.run("MATCH (n:Entity {id: $id}) RETURN n", {"id": entity_id}).rows
        nodes = {entity_id: centre[0]["n"], **nodes} if centre else nodes
    return {
        "nodes": list(nodes.values()),
        "relationships": rels,
        "truncated": truncated,
        "undecidable": sorted(undecidable),
    }


def distance(store: GraphStore, start: str, end: str, max_depth: int) -> int | None:
    """Hops on a shortest undirected path between two entities, if one is within `max_depth`:
    a breadth-first search from both ends, one query per layer, the smaller side first. Its
    work grows with the nodes it reaches, where a path pattern's grows with the paths: an end
    in another part of the graph took the whole query timeout at depth 8."""
    seen = ({start: 0}, {end: 0})  # each side's nodes and their hops from its end
    layers = [{start}, {end}]
    depths = [0, 0]  # the hops of each side's last layer
    for _ in range(max_depth):
        side = 0 if len(layers[0]) <= len(layers[1]) else 1
        mine, theirs = seen[side], seen[1 - side]
        rows = store.run(_NEXT_LAYER, {"ids": sorted(layers[side])}).rows
        depths[side] += 1
        layer = {row["id"] for row in rows} - mine.keys()
        met = [depths[side] + theirs[node] for node in layer if node in theirs]
        if met:
            return min(met)
        if not layer:
            return None
        mine.update(dict.fromkeys(layer, depths[side]))
        layers[side] = layer
    return None


def shortest_path(store: GraphStore, start: str, end: str, max_depth: int) -> dict[str, Any]:
    """A shortest undirected path between two entities, up to `max_depth` hops: its length
    found first (`distance`), then one path of that length."""
    if start != end:
        hops = distance(store, start, end, max_depth)
        depths = [] if hops is None else [hops]
    else:  # a cycle through the entity
        depths = list(range(1, max_depth + 1))
    for depth in depths:
        rows = store.run(PATHS[depth], {"from": start, "to": end}).rows
        if rows:
            path = rows[0]["p"]
            return {
                "found": True,
                "length": len(path["relationships"]),
                "nodes": path["nodes"],
                "relationships": path["relationships"],
            }
    return {"found": False, "length": None, "nodes": [], "relationships": []}
