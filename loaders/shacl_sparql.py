"""The SPARQL-based constraints of the shapes (sh:sparql), each evaluated by one query.

SHACL runs a SPARQL constraint once per focus node with `$this` pre-bound. Engines do
exactly that, so a shape with a SPARQL constraint costs one query per relationship: pySHACL
parses the query text again for each (832 parses, ~6 s of the 7 s the curated data took), and
the Rust engine pyshacl-turbo spends ~20 ms on each. Here each constraint is run once, with
`$this` as an ordinary variable, over a pyoxigraph store of the data and the ontology; its rows
are kept for the focus nodes of its shape (the SHACL instances of the shape's target class
and so on). For a query that binds `$this` in its top-level pattern and selects it, as every
constraint in ontology/shapes.ttl does, this gives the same rows as the per-node runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node as Term

from mineralkg.ontology.turtle import to_rdflib


@dataclass(frozen=True)
class SparqlConstraint:
    shape: URIRef | BNode
    constraint: URIRef | BNode
    query: str  # with its PREFIX lines, `$this` written `?this`
    message: str
    targets: tuple[str, ...]  # SPARQL patterns that bind ?this to the focus nodes


@dataclass(frozen=True)
class SparqlViolation:
    shape: URIRef | BNode
    focus: Term
    value: Term | None
    message: str


class UnsupportedConstraint(Exception):
    """A SPARQL constraint this evaluator cannot run faithfully."""


def _prefixes(shapes: Graph, constraint: Term) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            prefix = shapes.value(decl, SH.prefix)
            namespace = shapes.value(decl, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _targets(shapes: Graph, shape: Term) -> tuple[str, ...]:
    """Each target declaration of a shape as a pattern over ?this (SHACL 2.1.3)."""
    patterns: list[str] = []
    implicit = [shape] if (shape, RDF.type, RDFS.Class) in shapes else []
    for cls in [*shapes.objects(shape, SH.targetClass), *implicit]:
        sub = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
        patterns.append(f"?this <{RDF.type}>/<{sub}>* <{cls}> .")
    for node in shapes.objects(shape, SH.targetNode):
        patterns.append(f"VALUES ?this {{ {node.n3()} }}")
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        patterns.append(f"?this <{prop}> [] .")
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        patterns.append(f"[] <{prop}> ?this .")
    if (shape, RDF.type, SH.NodeShape) not in shapes or shapes.value(shape, SH.path) is not None:
        raise UnsupportedConstraint(f"{shape}: sh:sparql is evaluated on node shapes only")
    if shapes.value(shape, SH.target) is not None:
        raise UnsupportedConstraint(f"{shape}: SPARQL-based targets are not supported here")
    return tuple(patterns)


def constraints(shapes: Graph) -> list[SparqlConstraint]:
    """Every sh:sparql constraint of the shapes graph, ready to run."""
    found = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        if shapes.value(constraint, SH.deactivated) == Literal(True):
            continue
        select = str(shapes.value(constraint, SH.select) or "")
        head = select.split("{", 1)[0]
        if not select or not re.search(r"[$?]this\b", head):
            raise UnsupportedConstraint(f"{constraint}: the SELECT must project $this")
        query = _prefixes(shapes, constraint) + "\n" + re.sub(r"\$this\b", "?this", select)
        found.append(
            SparqlConstraint(
                shape=shape,  # type: ignore[arg-type]
                constraint=constraint,  # type: ignore[arg-type]
                query=query,
                message=str(shapes.value(constraint, SH.message) or ""),
                targets=_targets(shapes, shape),
            )
        )
    return found


def _focus_nodes(store: ox.Store, targets: tuple[str, ...]) -> set[object]:
    """The focus nodes as pyoxigraph terms: only the rows kept are made rdflib terms."""
    focus: set[object] = set()
    for pattern in targets:
        rows = store.query(f"SELECT DISTINCT ?this WHERE {{ {pattern} }}")
        assert isinstance(rows, ox.QuerySolutions)
        focus.update(row["this"] for row in rows)
    return focus


def _message(template: str, row: ox.QuerySolution, names: list[str]) -> str:
    """{?var} and {$var} replaced by the value of var, as pySHACL writes them."""
    for name in names:
        value = row[name]
        if value is not None:
            template = re.sub(rf"{{[?$]{name}}}", str(to_rdflib(value)), template)
    return template


def violations(store: ox.Store, found: list[SparqlConstraint]) -> list[SparqlViolation]:
    """The rows of every constraint for the focus nodes of its shape."""
    out: list[SparqlViolation] = []
    for c in found:
        focus = _focus_nodes(store, c.targets)
        result = store.query(c.query)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        seen = set()
        for row in result:
            if row["this"] not in focus:
                continue
            this = to_rdflib(row["this"])
            raw = row["value"] if "value" in names else None
            # SHACL: without a ?value in the result the value node is the focus node
            value = to_rdflib(raw) if raw is not None else this
            msg = _message(c.message, row, names)
            if (this, value, msg) in seen:
                continue
            seen.add((this, value, msg))
            out.append(SparqlViolation(c.shape, this, value, msg))
    return out
