"""Pydantic models for curated records, derived from the ontology (one model per class)."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    create_model,
)
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
    """One source a fact rests on; `quote` verbatim where the source states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Id
    quote: Text | None = None
    attributedTo: Id | None = None
    note: Text | None = None


def _field_type(prop: DatatypeProp) -> Any:
    if prop.values:
        base: Any = Literal[prop.values]
    elif prop.name == "wikidata":
        base = Annotated[str, AfterValidator(_wikidata)]
    else:
        base = _PY_TYPES.get(prop.datatype, Text)
    return base if prop.functional else list[base]


_RESERVED = {"id", "name", "type", "evidence", "from", "to"}


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
            fields[name] = (_field_type(prop) | None, None)
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
        fields[name] = (_field_type(prop) | None, None)
    return create_model(
        "RelationRecord",
        __config__=ConfigDict(extra="forbid", frozen=True, populate_by_name=True),
        **fields,
    )
