"""A structured example value for every catalogue parameter, in the parameter's type.

The catalogue's query files give examples in their prose (`-- id of the actor, e.g. eu`);
this reads the first `e.g. VALUE` of a description and types it as the parameter is typed,
falling back to the default, so that the catalogue's JSON, the index page and the API docs
show a value that can be sent as it is (tests/test_workbench_docs.py checks each one binds).
"""

from __future__ import annotations

import re
from typing import Any

from mineralkg.graph.catalogue import NamedQuery, Param

_EG = re.compile(r"e\.g\. ([^\s,;()]+)")


def example(param: Param) -> Any:
    """The example of the description in the parameter's type, else its default (None if
    neither gives one)."""
    match = _EG.search(param.description)
    if match is None:
        return param.default
    text = match.group(1).rstrip(".")
    try:
        value = param.coerce(text)
    except ValueError:
        return param.default
    # a date is sent as its text; the Cypher gets its bounds (catalogue.Param.coerce)
    return text if param.type == "date" else value


def as_text(value: Any) -> str:
    """A value as a query string or a command line takes it (true, a,b, 2026-02)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def example_query_string(query: NamedQuery) -> str:
    """The query's required parameters set to their examples, as a URL's query string."""
    from urllib.parse import urlencode

    return urlencode({p.name: as_text(example(p)) for p in query.params if p.required})
