"""The part of the data the core constraints of the shapes can read, for a smaller input.

pyshacl-turbo reads its whole input into its own graph before it checks anything: for the
~41,000 triples of the curated data that took ~0.25 s of the ~0.3 s its check took, with
shapes or without. A SHACL Core constraint reads a node's values only through the
predicates its shapes name (paths, targets, sh:equals and the like), and `rdf:type` and
`rdfs:subClassOf` for class targets and sh:class; a triple with any other predicate cannot
change its results. So the core check gets the ontology and the data triples whose
predicate the shapes name: 60% of the curated data. Shapes that use a feature outside that
reasoning (sh:closed reads every predicate; rules and SPARQL-based targets read anything)
get the whole data instead.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, SH, Graph, URIRef

# The parameters of SHACL Core (https://www.w3.org/TR/shacl/) whose constraints read only the
# predicates a shapes graph names; `sh:closed` is not one of them.
_CORE = {
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property", "path",
    "inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath",
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
    "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "flags", "languageIn",
    "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or",
    "xone", "node", "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount",
    "qualifiedValueShapesDisjoint", "hasValue", "in", "message", "severity", "deactivated",
    "name", "description", "order", "group", "defaultValue",
    # prefix declarations (for SPARQL): they read no data
    "prefixes", "declare", "prefix", "namespace",
}  # fmt: skip
SAFE = frozenset({SH[name] for name in _CORE} | {RDF.type, RDF.first, RDF.rest, RDFS.comment})
"""The predicates a shapes graph may use for `read_predicates` to narrow the data."""


def read_predicates(core: Graph) -> frozenset[str] | None:
    """The predicates, as N-Triples terms (`<iri>`), that the core constraints of `core` (a
    shapes graph without sh:sparql) can read; None if they may read any."""
    if any(p not in SAFE and str(p).startswith(str(SH)) for p in core.predicates()):
        return None
    named = {o for o in core.objects() if isinstance(o, URIRef)}
    return frozenset(f"<{iri}>" for iri in named | {RDF.type, RDFS.subClassOf})


def narrowed(text: str, predicates: frozenset[str] | None) -> str:
    """The lines of an N-Triples text whose predicate is one of `predicates` (all for None)."""
    if predicates is None:
        return text
    kept = []
    for line in text.splitlines(keepends=True):
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in predicates:
            kept.append(line)
    return "".join(kept)
