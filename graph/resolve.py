"""Names instead of ids: a catalogue parameter that takes an entity id also takes its name or
one of its aliases, in any case, and an unknown one is refused with the closest matches.

A parameter takes an entity id when it is text and its description starts with "id of"
(the catalogue's convention: `// param actor: string -- id of the actor, e.g. eu`). Ids are
tried first (one indexed look-up for all of them); names and aliases only when an id is not
found, so a request that already uses ids costs one short query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from mineralkg.graph.catalogue import NamedQuery, Param, ParamError
from mineralkg.graph.store import GraphStore

MAX_SUGGESTIONS = 6
MIN_SCORE = 0.6

BY_IDS = "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n.id AS id"
BY_NAME = """
MATCH (n:Entity)
WHERE toLower(n.id) = $q OR toLower(n.name) = $q
   OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) = $q)
RETURN n.id AS id, n.name AS name, toLower(n.id) = $q AS by_id,
       toLower(n.name) = $q AS by_name
ORDER BY by_id DESC, by_name DESC, id
"""
EVERY_NAME = "MATCH (n:Entity) RETURN n.id AS id, n.name AS name, n.aliases AS aliases"


@dataclass(frozen=True)
class Suggestion:
    id: str
    name: str

    def __str__(self) -> str:
        return f"{self.id} — {self.name}" if self.name and self.name != self.id else self.id


class UnknownEntity(ParamError):
    """Entity parameters that name nothing in the graph; `suggestions` maps each parameter to
    the closest entities (id and name)."""

    def __init__(self, misses: dict[str, tuple[str, list[Suggestion]]]) -> None:
        self.suggestions = {k: [s.__dict__ for s in found] for k, (_, found) in misses.items()}
        super().__init__({k: _problem(given, found) for k, (given, found) in misses.items()})


def _problem(given: str, found: list[Suggestion]) -> str:
    text = f"no entity with the id, name or alias {given!r}"
    if found:
        return text + "; did you mean: " + ", ".join(str(s) for s in found)
    return text + "; search for it at /entities?q=..."


def takes_entity(param: Param) -> bool:
    return param.type == "string" and param.description.lower().startswith("id of")


def entity_params(query: NamedQuery) -> list[str]:
    """The names of the query's parameters that take an entity id."""
    return [p.name for p in query.params if takes_entity(p)]


def existing(store: GraphStore, texts: list[str]) -> set[str]:
    """Which of the texts are entity ids (one indexed look-up for all)."""
    return {str(r["id"]) for r in store.run(BY_IDS, {"ids": texts}).rows} if texts else set()


def resolve(store: GraphStore, text: str) -> str | None:
    """The id of the entity `text` is the id, name or alias of (case-insensitive), or None.

    An exact id wins; among names and aliases, an id in another case, then a name, then an
    alias (the first by id when several entities share one)."""
    if existing(store, [text]):
        return text
    rows = store.run(BY_NAME, {"q": text.strip().lower()}).rows
    return str(rows[0]["id"]) if rows else None


def suggest(store: GraphStore, text: str, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """The entities whose id, name or an alias is closest to `text`, best first."""
    q = text.strip().lower()
    scored: list[tuple[float, int, Suggestion]] = []
    for row in store.run(EVERY_NAME).rows:
        name = str(row.get("name") or row["id"])
        keys = [
            str(row["id"]).lower(),
            name.lower(),
            *(str(a).lower() for a in row["aliases"] or []),
        ]
        score = max(_score(q, key) for key in keys)
        if score >= MIN_SCORE:
            scored.append((score, len(name), Suggestion(str(row["id"]), name)))
    scored.sort(key=lambda item: (-item[0], item[1], item[2].id))
    return [s for _, _, s in scored[:limit]]


def _score(q: str, key: str) -> float:
    """How close `key` is to what was typed: spelling, or typed as its start or a part."""
    if not q:
        return 0.0
    ratio = SequenceMatcher(None, q, key).ratio()
    if key.startswith(q):
        ratio = max(ratio, 0.85)
    elif q in key:
        ratio = max(ratio, 0.7)
    return ratio


def resolve_params(
    store: GraphStore, query: NamedQuery, bound: Mapping[str, Any]
) -> dict[str, Any]:
    """The bound parameters with names and aliases of entities replaced by ids, or
    UnknownEntity naming every parameter that names nothing, with suggestions."""
    out = dict(bound)
    misses: dict[str, tuple[str, list[Suggestion]]] = {}
    given = {n: out[n] for n in entity_params(query) if isinstance(out.get(n), str)}
    ids = existing(store, sorted(set(given.values())))
    for name, value in given.items():
        if value in ids:
            continue
        found = resolve(store, value)
        if found is None:
            misses[name] = (value, suggest(store, value))
        else:
            out[name] = found
    if misses:
        raise UnknownEntity(misses)
    return out
