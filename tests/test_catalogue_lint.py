"""Every label, relationship type and property the catalogue's Cypher names exists in the
ontology (or is one of the loader's stored keys): a renamed term cannot leave a query silently
answering nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mineralkg.graph.catalogue import NamedQuery, catalogue, parse
from mineralkg.loaders import stored
from mineralkg.ontology.model import Ontology

_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_REL_PATTERN = re.compile(r"\[\s*\w*\s*:\s*([\w|:\s]+?)\s*[\]*{]")
_LABEL = re.compile(r"(?<![\w$])\w*\s*:\s*([A-Z][A-Za-z0-9]*)\b(?!\s*\()")
_PATTERN_VAR = re.compile(r"\(\s*([a-z_]\w*)\s*[:){]|\[\s*([a-z_]\w*)\s*[:\]*]")
_ACCESS = re.compile(r"(?<![\w.$])([a-z_]\w*)\.([A-Za-z_]\w*)")


def _code(query: NamedQuery) -> str:
    """The Cypher without string literals and comments."""
    return re.sub(r"//.*", "", _LITERAL.sub("''", query.cypher))


def terms(query: NamedQuery) -> tuple[set[str], set[str], set[str]]:
    """Labels, relationship types and properties of pattern variables the query names."""
    code = _code(query)
    rels = {t for m in _REL_PATTERN.finditer(code) for t in re.findall(r"\w+", m.group(1))}
    labels = {m.group(1) for m in _LABEL.finditer(_REL_PATTERN.sub("[]", code))}
    variables = {a or b for a, b in _PATTERN_VAR.findall(code)}
    props = {m.group(2) for m in _ACCESS.finditer(code) if m.group(1) in variables}
    return labels, rels, props


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_catalogue_names_only_ontology_terms(name: str, ontology: Ontology) -> None:
    labels, rels, props = terms(catalogue()[name])
    dates = [p for p in ontology.properties.values() if str(p.datatype).endswith("#date")]
    bounds = {bound for p in dates for bound in stored.date_bounds(p.name)}
    known_props = set(ontology.properties) | stored.BOOKKEEPING | stored.CATALOGUE_INTERNAL
    known_props |= bounds
    assert labels - {c.node_label for c in ontology.classes.values()} == set()
    assert rels - set(ontology.relationships) == set()
    assert props - known_props == set()


def test_the_lint_catches_unknown_terms(tmp_path: Path) -> None:
    path = tmp_path / "broken.cypher"
    path.write_text(
        "// name: broken\n// description: x\n"
        "MATCH (a:Actr {id: 'x:Y'})-[r:PARTY_TOO|SIGNED]->(g:Agreement)\n"
        "WHERE g:Treaty AND g.signedAt > 1 WITH {when: g.signedOn} AS m RETURN m.when, r.role\n"
    )
    labels, rels, props = terms(parse(path))
    assert labels == {"Actr", "Agreement", "Treaty"}
    assert rels == {"PARTY_TOO", "SIGNED"}
    assert props == {"signedAt", "signedOn", "role"}
