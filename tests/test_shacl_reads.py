"""The core SHACL check reads only the triples whose predicate the shapes name
(loaders/shacl_reads.py); tests/test_shacl.py checks, shape by shape, that its results are
still pySHACL's on the whole data. Here: what is kept, and that shapes which may read any
predicate get the whole data."""

from __future__ import annotations

from pyshacl_turbo import compile_shapes
from rdflib import RDF, RDFS, SH, Graph

from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.rdf_text import dataset_ntriples
from mineralkg.loaders.shacl import _core_graph, core_predicates
from mineralkg.loaders.shacl_reads import narrowed, read_predicates
from mineralkg.ontology.model import MKG, Ontology

CLOSED = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix mkg: <https://w3id.org/mineralkg/ontology#> .
mkg:Closed a sh:NodeShape ; sh:targetClass mkg:State ; sh:closed true ;
    sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
    sh:property [ sh:path mkg:name ] .
"""


def test_every_path_and_target_of_the_shapes_is_read() -> None:
    core = _core_graph()
    read = core_predicates()
    assert read is not None
    named = {*core.objects(None, SH.path), *core.objects(None, SH.targetSubjectsOf)}
    assert {f"<{p}>" for p in named | {RDF.type, RDFS.subClassOf}} <= read
    assert f"<{MKG.hasEvidence}>" not in read  # no shape reads it


def test_the_narrowed_text_is_the_lines_with_those_predicates(
    mini: Dataset, ontology: Ontology
) -> None:
    text = dataset_ntriples(mini, ontology)
    read = core_predicates()
    assert read is not None
    kept = narrowed(text, read).splitlines()
    assert kept == [line for line in text.splitlines() if line.split(" ")[1] in read]
    assert 0 < len(kept) < len(text.splitlines())


def test_closed_shapes_get_the_whole_data(mini: Dataset, ontology: Ontology) -> None:
    shapes = Graph().parse(data=CLOSED, format="turtle")
    assert read_predicates(shapes) is None
    text = dataset_ntriples(mini, ontology)
    assert narrowed(text, read_predicates(shapes)) == text
    # what it guards: a closed shape fires on predicates no shape names, which the
    # narrowed data would not hold
    closed = compile_shapes(shapes)
    _, whole, _ = closed.validate(Graph().parse(data=text, format="nt"))
    cut = narrowed(text, core_predicates())
    _, part, _ = closed.validate(Graph().parse(data=cut, format="nt"))
    assert (None, SH.resultPath, MKG.wikidata) in whole
    assert (None, SH.resultPath, MKG.wikidata) not in part
