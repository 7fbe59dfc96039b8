"""RDF as text, streamed: N-Triples written line by line from the triples, Turtle and JSON-LD
written by oxigraph as it parses those lines, so the memory an export takes does not grow with
the graph. (rdflib's Graph holds every triple as Python objects and then the whole text: an
export of 100,000 nodes took the API to 10.4 GB; bench/export.py measures both ways.)
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import XSD, Literal, URIRef
from rdflib.term import Node as Term

from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.rdf import FORMATS, PREFIXES, Terms, Triple, statements
from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology

_OXIGRAPH = {"turtle": ox.RdfFormat.TURTLE, "json-ld": ox.RdfFormat.JSON_LD}
_CHUNK = 2000  # lines per write: few calls, small buffers


def escaped(text: str) -> str:
    """What a string in double quotes must escape in N-Triples and Turtle (ECHAR); the rest is
    literal. Four replaces, each a C scan that returns the string itself when there is nothing
    to replace: a tenth of `str.translate`'s time, which was 0.09 s of the curated data's text.
    """
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def term(t: Term) -> str:
    """A term in N-Triples: rdflib's n3() checks and escapes in Python, and cost ~0.3 s over the
    ~40,000 triples of the curated data; this costs a tenth of that."""
    if type(t) is URIRef:
        return f"<{t}>"
    if type(t) is Literal:
        text = f'"{escaped(str(t))}"'
        if t.language:
            return f"{text}@{t.language}"
        return f"{text}^^<{t.datatype}>" if t.datatype else text
    return t.n3()


def ntriples(triples: Iterable[Triple]) -> str:
    """The triples as one N-Triples text."""
    return "".join(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples)


_BOOLEAN, _INTEGER = str(XSD.boolean), str(XSD.integer)


class _TextTerms:
    """Terms as N-Triples text, written as `term` writes the rdflib terms of the same triple."""

    def iri(self, text: str) -> str:
        return f"<{text}>"

    def plain(self, text: str) -> str:
        return f'"{escaped(text)}"'

    def typed(self, lexical: str, datatype: str) -> str:
        return f'"{escaped(lexical)}"^^<{datatype}>'

    def value(self, value: Any, datatype: str) -> str:
        # the counts and flags of every fact, without an rdflib Literal each; rdflib writes
        # any other value (tests/test_rdf_text.py checks that both give the same text)
        if type(value) is int and datatype == _INTEGER:
            return f'"{value}"^^<{datatype}>'
        if type(value) is bool and datatype == _BOOLEAN:
            return f'"{"true" if value else "false"}"^^<{datatype}>'
        return term(Literal(value, datatype=URIRef(datatype)))


TEXT: Terms[str] = _TextTerms()


def dataset_ntriples(dataset: Dataset, ont: Ontology | None = None) -> str:
    """The RDF form of the dataset (loaders/rdf.py) as one N-Triples text, written straight
    from the records: the text `ntriples(triples(dataset))` gives, in a third of the time
    (no rdflib term is made; docs/benchmarks.md, "Validation (issue #11)")."""
    lines = statements(dataset, ont or load_ontology(), TEXT)
    return "".join(f"{s} {p} {o} .\n" for s, p, o in lines)


def chunks(triples: Iterable[Triple], counted: list[int] | None = None) -> Iterator[bytes]:
    """The triples as N-Triples, a few thousand lines at a time (their number added to
    `counted[0]`, if given)."""
    batch: list[Triple] = []
    for triple in triples:
        batch.append(triple)
        if len(batch) == _CHUNK:
            yield ntriples(batch).encode()
            if counted is not None:
                counted[0] += len(batch)
            batch.clear()
    if batch:
        yield ntriples(batch).encode()
        if counted is not None:
            counted[0] += len(batch)


class _ChunkReader(io.RawIOBase):
    """A readable file over an iterator of byte strings (what oxigraph's parser reads from)."""

    def __init__(self, parts: Iterator[bytes]) -> None:
        self._parts = parts
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._left:
            part = next(self._parts, None)
            if part is None:
                return 0
            self._left = part
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        return n


def write(triples: Iterable[Triple], fmt: str, out: BinaryIO) -> int:
    """The triples written to `out` as Turtle, JSON-LD or N-Triples (loaders.rdf.FORMATS);
    how many there were."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    counted = [0]
    parts = chunks(triples, counted)
    if fmt == "nt":
        for part in parts:
            out.write(part)
    else:
        reader = io.BufferedReader(_ChunkReader(parts))
        quads = ox.parse(reader, format=ox.RdfFormat.N_TRIPLES)
        ox.serialize(quads, out, format=_OXIGRAPH[fmt], prefixes=PREFIXES)
    return counted[0]
