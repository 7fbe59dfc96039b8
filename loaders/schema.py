"""Pydantic models for curated records, derived from the ontology (one model per class)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    StrictBool,
    StrictInt,
    TypeAdapter,
    create_model,
)
from pydantic_core import CoreSchema
from rdflib import XSD, URIRef

from mineralkg.ontology import dates
from mineralkg.ontology.model import DatatypeProp, Ontology

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")
_WIKIDATA = re.compile(r"^Q[1-9]\d*$")


def _partial_date(value: Any) -> str:
    """An ISO date at the precision the source gives: 2026-02-02, 2025-12 or 2023."""
    return dates.PartialDate.parse(value).text


def _duration(value: str) -> str:
    if not _DURATION.match(value):
        raise ValueError(f"{value!r} is not an ISO 8601 duration such as P3M")
    return value


def _wikidata(value: str) -> str:
    if not _WIKIDATA.match(value):
        raise ValueError(f"{value!r} is not a Wikidata item id such as Q30")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


PartialDate = Annotated[str, BeforeValidator(_partial_date)]
Text = Annotated[str, Field(strict=True), AfterValidator(_not_blank)]
Id = Annotated[str, Field(strict=True, pattern=ID_PATTERN)]

_PY_TYPES: dict[URIRef, Any] = {
    XSD.string: Text,
    XSD.integer: StrictInt,
    XSD.boolean: StrictBool,
    XSD.decimal: Annotated[Decimal, Field(strict=False)],
    XSD.date: PartialDate,
    XSD.gYear: StrictInt,
    XSD.duration: Annotated[str, AfterValidator(_duration)],
    XSD.anyURI: Annotated[str, Field(pattern=r"^https?://\S+$")],
}


class Evidence(BaseModel):
    """One source a fact rests on: `quote` verbatim from a captured text, or `claim` (a
    one-line paraphrase) for a web source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Id
    quote: Text | None = None
    claim: Text | None = None
    attributedTo: Id | None = None
    note: Text | None = None


class HistoryStep(BaseModel):
    """One dated step of a status history (`history` in YAML)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: str
    date: PartialDate
    evidence: list[Evidence] = Field(..., min_length=1)
    note: Text | None = None


class ContestedVersion(BaseModel):
    """One version of a contested property, with the sources that give it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: StrictInt | Annotated[Decimal, Field(strict=False)] | StrictBool | Text
    evidence: list[Evidence] = Field(..., min_length=1)
    note: Text | None = None


class Contested(BaseModel):
    """A property sources disagree on, with every version side by side."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    property: Text
    versions: list[ContestedVersion] = Field(..., min_length=2)
    note: Text | None = None


DERIVED = frozenset({"sourceCount", "sourceKinds", "firstDatedEarliest", "firstDatedLatest"})
"""Properties the loader derives; a YAML record may not give them."""


def field_type(prop: DatatypeProp) -> Any:
    if prop.values:
        base: Any = Literal[prop.values]
    elif prop.name == "wikidata":
        base = Annotated[str, AfterValidator(_wikidata)]
    else:
        base = _PY_TYPES.get(prop.datatype, Text)
    return base if prop.functional else list[base]


_RESERVED = {"id", "name", "type", "evidence", "from", "to"} | DERIVED


@dataclass(frozen=True)
class _Reused:
    """A property's field type whose core schema pydantic generates once for all the models
    that have the property: it generated it again for each of the ~55 models, inspecting the
    signature of every validator each time (about half of building them)."""

    prop: DatatypeProp

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return _core_schema(self.prop)


@cache
def _core_schema(prop: DatatypeProp) -> CoreSchema:
    return TypeAdapter(field_type(prop)).core_schema


def _field(prop: DatatypeProp) -> Any:
    return Annotated[Any, _Reused(prop)] | None


def has_history(ontology: Ontology, cls: str) -> bool:
    """Whether nodes of `cls` may carry a status history (the domain of HAD_STATUS)."""
    return ontology.is_a_any(cls, ontology.relationships["HAD_STATUS"].domains)


@cache
def node_model(ontology: Ontology, cls: str) -> type[BaseModel]:
    """The model of a node of class `cls`: its ontology properties, nothing else."""
    is_source = ontology.is_a(cls, "Source")
    fields: dict[str, Any] = {
        "id": (Id, ...),
        "type": (Literal[cls], ...),
        "name": (Text, ...),
        "evidence": (list[Evidence], [] if is_source else Field(..., min_length=1)),
    }
    for name, prop in ontology.properties_for(cls).items():
        if name not in _RESERVED:
            fields[name] = (_field(prop), None)
    if has_history(ontology, cls):
        fields["history"] = (list[HistoryStep] | None, None)
    if not is_source:
        fields["contested"] = (list[Contested] | None, None)
    return create_model(
        f"{cls}Record", __config__=ConfigDict(extra="forbid", frozen=True), **fields
    )


@cache
def relation_model(ontology: Ontology) -> type[BaseModel]:
    """The model of a relationship: endpoints, type, qualifiers and evidence."""
    fields: dict[str, Any] = {
        "type": (Literal[tuple(sorted(ontology.relationships))], ...),
        "from_": (Id, Field(..., alias="from")),
        "to": (Id, ...),
        "evidence": (list[Evidence], Field(..., min_length=1)),
    }
    for name, prop in ontology.relationship_properties().items():
        if name not in DERIVED:
            fields[name] = (_field(prop), None)
    return create_model(
        "RelationRecord",
        __config__=ConfigDict(extra="forbid", frozen=True, populate_by_name=True),
        **fields,
    )
