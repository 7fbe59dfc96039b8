"""The N-Triples text the validation reads, written straight from the records
(`dataset_ntriples`), is the text of the RDF form's rdflib terms (`triples`, which the export
and the Graphs read), line for line: one definition of the RDF form, two ways to write it."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pyoxigraph as ox

from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.rdf import triples
from mineralkg.loaders.rdf_text import dataset_ntriples, ntriples
from mineralkg.ontology.model import Ontology


def test_the_curated_data_is_written_the_same_both_ways(
    curated: Dataset, ontology: Ontology
) -> None:
    text = dataset_ntriples(curated, ontology)
    assert text == ntriples(triples(curated, ontology))
    assert len(text.splitlines()) > 30_000


# Values the curated data does not hold (yet): text to escape, zero and false, decimals in
# exponent form, partial dates, a duration and a year.
ODD = {
    "note": 'says "no" \\ twice\non two lines\r and a tab\t, é',
    "memberCount": 0,
    "countApproximate": False,
    "amountApproximate": True,
    "amountUSD": Decimal("1E+3"),
    "targetDuration": "P1Y2M",
    "forYear": 23,
    "signedOn": "2025-12",
    "announcedOn": "2023",
    "aliases": ["UK", 'the "UK"'],
}


def test_odd_values_are_written_the_same_both_ways(mini: Dataset, ontology: Ontology) -> None:
    nodes = {
        node_id: dataclasses.replace(node, props={**node.props, **ODD})
        for node_id, node in mini.nodes.items()
    }
    relations = tuple(dataclasses.replace(r, props={**r.props, **ODD}) for r in mini.relations)
    odd = Dataset(nodes, relations)
    text = dataset_ntriples(odd, ontology)
    assert text == ntriples(triples(odd, ontology))
    # and it is N-Triples an RDF parser reads, with the values as written
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
    parsed = {str(q.object) for q in quads}
    # quotes, backslashes and line breaks escaped, read back as they were
    assert ODD["note"] in {q.object.value for q in quads}
    assert '"1000.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in parsed
    assert '"0023"^^<http://www.w3.org/2001/XMLSchema#gYear>' in parsed
    assert '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>' in parsed
