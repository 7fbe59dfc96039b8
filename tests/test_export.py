"""The RDF export conforms to the shapes and round-trips through rdflib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Literal, URIRef
from typer.testing import CliRunner

from mineralkg.cli import app
from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.rdf import FORMATS, node_iri, serialize, to_graph, triples
from mineralkg.loaders.shacl import shacl_errors, shapes, with_ontology
from mineralkg.ontology.model import MKG, Ontology
from mineralkg.testing.rdf import same_triples

FORMAT_NAMES = {"turtle": "turtle", "json-ld": "json-ld", "nt": "nt"}


# The reference engine (pySHACL) and all three formats on the small fixture dataset; the curated
# data (~40,000 triples) once, through the engine `mineralkg validate` runs, and in N-Triples:
# on it pySHACL took ~7 s of CPU, and rdflib's Turtle and JSON-LD ~4 s each, to find nothing the
# small dataset's checks do not.


def test_export_conforms_to_the_shapes(mini: Dataset, ontology: Ontology) -> None:
    conforms, _, text = shacl_validate(
        with_ontology(to_graph(mini), ontology), shacl_graph=shapes(), advanced=True
    )
    assert conforms, text


def test_curated_export_conforms_to_the_shapes(curated: Dataset, ontology: Ontology) -> None:
    assert shacl_errors(curated, triples(curated, ontology), ontology) == []


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        *(("mini", fmt) for fmt in sorted(FORMATS)),
        pytest.param("curated", "nt", marks=pytest.mark.slow),
    ],
)
def test_export_round_trips(request: pytest.FixtureRequest, name: str, fmt: str) -> None:
    graph = to_graph(request.getfixturevalue(name))
    again = Graph().parse(data=serialize(graph, fmt), format=FORMAT_NAMES[fmt])
    assert same_triples(again, graph)


def test_shapes_catch_a_relationship_between_the_wrong_classes(
    mini: Dataset, ontology: Ontology
) -> None:
    graph = to_graph(mini)
    rel = URIRef(node_iri("rel/uk/PARTY_TO/uk-us-critical-minerals-mou"))
    graph.remove((rel, RDF.subject, node_iri("uk")))
    graph.add((rel, RDF.subject, node_iri("uk-us-critical-minerals-mou")))
    errors = shacl_errors(mini, graph, ontology)
    assert any("not of its declared domain" in e.message for e in errors)
    assert all(e.file.endswith("world.yaml") for e in errors)


def test_shapes_catch_a_status_outside_its_value_set(mini: Dataset, ontology: Ontology) -> None:
    graph = to_graph(mini)
    mou = node_iri("uk-us-critical-minerals-mou")
    graph.set((mou, MKG.status, Literal("rumoured")))
    errors = shacl_errors(mini, graph, ontology)
    assert any(
        "rumoured is not in the value set of" in e.message and "status" in e.message for e in errors
    )


def test_shapes_catch_a_node_without_a_source(mini: Dataset, ontology: Ontology) -> None:
    graph = to_graph(mini)
    graph.remove((node_iri("uk"), None, node_iri("fp-2026-02-26")))
    errors = shacl_errors(mini, graph, ontology)
    assert any("at least one source" in e.message for e in errors)


def test_cli_writes_each_format(tmp_path: Path, mini: Dataset) -> None:
    # in this process (a fresh interpreter per format cost ~2 s each); the entry point itself
    # runs in a subprocess below
    fixtures = Path(__file__).parent / "fixtures" / "mini"
    for fmt in FORMATS:
        out = tmp_path / f"export.{fmt}"
        done = CliRunner().invoke(app, ["export", "--format", fmt, "-o", str(out), str(fixtures)])
        assert done.exit_code == 0, done.output
        assert len(Graph().parse(out, format=FORMAT_NAMES[fmt])) == len(to_graph(mini))


def test_cli_refuses_an_unknown_format() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mineralkg.cli", "export", "--format", "xml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "turtle" in done.stderr
