"""Colours and shapes of the views: one per top class of the ontology, and the legend.

A node's `group` is its top class (a direct subclass of Entity), which picks its colour and
shape (`STYLES`) and its legend row. Tensions are red triangles and agreements green boxes,
told apart at a glance; every class has its own shape as well as its own colour. `styles()`
checks this table against the ontology, so a new top class cannot go unstyled silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology
from mineralkg.views.model import LegendEntry

ROOT_CLASS = "Entity"


@dataclass(frozen=True)
class Style:
    color: str
    shape: str


STYLES: dict[str, Style] = {
    "Actor": Style("#2f6fb0", "dot"),
    "Agreement": Style("#2e9d4f", "box"),
    "Provision": Style("#98d49a", "square"),
    "Tension": Style("#d7263d", "triangle"),
    "Event": Style("#8e5cc4", "star"),
    "PolicyInstrument": Style("#f28c28", "hexagon"),
    "Mineral": Style("#b8860b", "diamond"),
    "CriticalMineralList": Style("#e0b000", "database"),
    "SupplyChainStage": Style("#16a5b8", "triangleDown"),
    "Source": Style("#7b8794", "ellipse"),
    "Statement": Style("#d46aa8", "dot"),
    "StrategicProject": Style("#6b8e23", "square"),
    "StatusChange": Style("#9ccc65", "text"),
    "ContestedClaim": Style("#ff7043", "triangleDown"),
    "Application": Style("#5c6bc0", "ellipse"),
}
FALLBACK = Style("#a0a0a0", "dot")
TENSION_EDGE = "#e07a86"
EDGE = "#9aa5b1"
# Shapes that draw their label inside (vis-network sizes them by the label, not `size`).
LABEL_INSIDE = frozenset({"box", "ellipse", "database", "circle", "text"})


@cache
def top_classes() -> tuple[str, ...]:
    """The ontology's top classes, in the order of `STYLES` (then any others by name)."""
    ont = load_ontology()
    tops = {c.name for c in ont.node_classes() if c.parents == (ROOT_CLASS,)}
    return tuple([c for c in STYLES if c in tops] + sorted(tops - set(STYLES)))


def styles() -> dict[str, Style]:
    """The class -> style table for every top class of the ontology."""
    return {c: STYLES.get(c, FALLBACK) for c in top_classes()}


def top_class(cls: str, ont: Ontology | None = None) -> str:
    """The top class a class belongs to (itself if it is one); '' if not in the ontology."""
    ont = ont or load_ontology()
    if cls not in ont.classes:
        return ""
    for name in (cls, *ont.classes[cls].ancestors):
        if ont.classes[name].parents == (ROOT_CLASS,):
            return name
    return ""


def style_of(group: str) -> Style:
    """The style of a top class (the fallback for classes outside the ontology)."""
    return styles().get(group, FALLBACK)


def legend(counts: Counter[str]) -> list[LegendEntry]:
    """One row per top class shown, in the order of `STYLES`; unknown classes last."""
    table = styles()
    known = [
        LegendEntry(cls=c, color=s.color, shape=s.shape, count=counts[c])
        for c, s in table.items()
        if counts[c]
    ]
    other = [
        LegendEntry(cls=c, color=FALLBACK.color, shape=FALLBACK.shape, count=n)
        for c, n in sorted(counts.items())
        if c not in table
    ]
    return known + other
