"""The as-of filter of the graph views: the graph as it stood by the end of a date.

A node or relationship is kept or left out by its standing (`fact_standing`: from the span
of its first dated step): `not-yet` is left out, `undecidable` (its first date straddles
the end of the as-of date: "2025-10" as of 2025-10-15) is kept and marked, so the page
draws it dashed and lists it. A relationship that ended by then (`endedOnLatest`) is left
out. Nodes of the dated kinds without any date are kept and reported as `undated`; timeless
classes (actors, minerals, sources, applications, stages) are always present: a source's
publication date says when it was written, not when what it reports happened.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mineralkg.graph.store import GraphStore
from mineralkg.ontology.dates import LATEST, AsOf, PartialDate, fact_standing
from mineralkg.views.model import ViewAsOf, ViewEdge, ViewModel, ViewNode

DATED_GROUPS = frozenset(
    {
        "Agreement",
        "PolicyInstrument",
        "CriticalMineralList",
        "StrategicProject",
        "Event",
        "Tension",
        "StatusChange",
    }
)
"""Top classes whose nodes are facts with dates; an undated one is reported, not hidden."""
TIMELESS_GROUPS = frozenset({"Actor", "Mineral", "Source", "Application", "SupplyChainStage"})
ENDED = "endedOn" + LATEST


@dataclass
class AsOfTally:
    """Standings of what the filter kept, and counts of what it left out."""

    date: PartialDate
    standing: dict[str, AsOf] = field(default_factory=dict)
    not_yet: int = 0
    ended: int = 0

    def keep_node(self, node_id: str, props: Mapping[str, Any], group: str) -> bool:
        if group in TIMELESS_GROUPS:
            return True
        standing = fact_standing(props, self.date)
        if standing == "not-yet":
            self.not_yet += 1
            return False
        if standing != "undated" or group in DATED_GROUPS:
            self.standing[node_id] = standing
        return True

    def keep_edge(self, key: str, props: Mapping[str, Any]) -> bool:
        ended = props.get(ENDED)
        if isinstance(ended, str) and ended <= self.date.latest.isoformat():
            self.ended += 1
            return False
        standing = fact_standing(props, self.date)
        if standing == "not-yet":
            self.not_yet += 1
            return False
        if standing != "undated":  # an undated relationship holds while both ends do
            self.standing[key] = standing
        return True

    def mark(self, nodes: Iterable[ViewNode], edges: Iterable[ViewEdge]) -> ViewAsOf:
        """Set the standing of each node and edge shown; the summary of the filter."""
        undecidable: list[str] = []
        undated: list[str] = []
        items: list[ViewNode | ViewEdge] = [*nodes, *edges]
        for item in items:
            item.standing = self.standing.get(item.id)
            if item.standing == "undecidable":
                undecidable.append(item.id)
                item.title += f"\nAs of {self.date.text}: undecidable (its date straddles it)"
            elif item.standing == "undated":
                undated.append(item.id)
        return ViewAsOf(
            date=self.date.text,
            earliest=self.date.earliest.isoformat(),
            latest=self.date.latest.isoformat(),
            undecidable=undecidable,
            undated=undated,
            not_yet=self.not_yet,
            ended=self.ended,
        )


STEPS = (
    "MATCH (g:Entity)-[:HAD_STATUS]->(s:StatusChange) WHERE g.id IN $ids "
    "RETURN g.id AS id, s.id AS step, s.status AS status, "
    "s.dateEarliest AS earliest, s.dateLatest AS latest"
)
STATUS_UNDECIDABLE = "statusUndecidable"


def statuses_then(store: GraphStore, view: ViewModel) -> None:
    """Each node's status as of the view's as_of date: that of its last history step (in
    history order) known by then, none before its first; the statuses of later steps dated
    across the date go to the property `statusUndecidable`."""
    if view.as_of is None:
        return
    ids = sorted(n.id for n in view.nodes if n.status is not None)
    steps: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in store.run(STEPS, {"ids": ids}).rows if ids else []:
        steps[row["id"]].append(row)
    end = view.as_of.latest
    for node in view.nodes:
        history = sorted(steps.get(node.id, []), key=lambda s: (len(s["step"]), s["step"]))
        if not history:
            continue
        known = [i for i, step in enumerate(history) if step["latest"] <= end]
        last = known[-1] if known else -1
        node.status = history[last]["status"] if known else None
        open_steps = [s["status"] for s in history[last + 1 :] if s["earliest"] <= end]
        if open_steps:
            node.properties[STATUS_UNDECIDABLE] = open_steps
