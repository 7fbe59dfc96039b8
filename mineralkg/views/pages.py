"""The research pages beside the graph views: a query answer as a sortable table, the
provisions matrix as a heat map, and the API docs served with local assets.

Pages hold no inline script or event handler (a Content-Security-Policy of `script-src
'self'` allows them): their JavaScript is in `mineralkg/views/static/`, served by the app
under `/static/app/`, and reads what it needs from `data-` attributes. Every value is
escaped by Jinja's autoescape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from mineralkg.ontology.model import load as load_ontology
from mineralkg.views.render import TEMPLATES, _environment
from mineralkg.views.tabular import cell_text

STATIC = Path(__file__).resolve().parent / "static"
APP_PREFIX = "/static/app"
APP_ASSETS = {
    "table.js": "text/javascript",
    "export.js": "text/javascript",
    "docs.js": "text/javascript",
    "workbench.css": "text/css",
    "style.css": "text/css",
}
HEAT_STEPS = 4


@cache
def app_asset(name: str) -> bytes:
    """One of the pages' own files (`APP_ASSETS`); the views' style sheet is shared."""
    if name not in APP_ASSETS:
        raise KeyError(name)
    folder = TEMPLATES if name == "style.css" else STATIC
    return (folder / name).read_bytes()


def strings(value: Any) -> Iterable[str]:
    """Every text inside a cell (lists and maps included): the candidates for entity ids."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def query_string(params: Mapping[str, Any], **extra: Any) -> str:
    merged = {k: v for k, v in {**params, **extra}.items() if v not in (None, "")}
    return urlencode(merged, doseq=True)


def render_table(
    *,
    title: str,
    description: str,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    entity_ids: set[str],
    page: Mapping[str, Any],
    links: Mapping[str, str],
    form: Mapping[str, Any],
    message: str | None = None,
    problems: Mapping[str, str] | None = None,
    base: str = "",
) -> str:
    """A query answer as a sortable table with downloads, paging and the query's form."""
    return (
        _environment()
        .get_template("table.html")
        .render(
            base=base,
            app=base + APP_PREFIX,
            title=title,
            description=description,
            columns=columns,
            rows=rows,
            ids=entity_ids,
            page=page,
            links=links,
            form=form,
            message=message,
            problems=problems or {},
            sort_key=cell_text,
        )
    )


def provision_classes() -> list[str]:
    """Every class of provision of the ontology (the matrix's columns), by name."""
    ontology = load_ontology()
    return sorted(
        c.name
        for c in ontology.node_classes()
        if c.name != "Provision" and ontology.is_a(c.name, "Provision")
    )


def matrix(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The provisions_matrix rows pivoted: agreements by classes of provision."""
    classes = provision_classes()
    agreements: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = agreements.setdefault(
            row["agreement"],
            {k: row.get(k) for k in ("agreement", "name", "status", "date")} | {"cells": {}},
        )
        entry["cells"][row["class"]] = {
            "count": row["provisions"],
            "ids": row.get("provision_ids") or [],
        }
    top = max((c["count"] for a in agreements.values() for c in a["cells"].values()), default=0)
    for entry in agreements.values():
        for cell in entry["cells"].values():
            step = (HEAT_STEPS - 1) * (cell["count"] - 1) / max(1, top - 1)
            cell["heat"] = 1 + round(step)
    used = {c for a in agreements.values() for c in a["cells"]}
    return {
        "classes": classes,
        "agreements": list(agreements.values()),
        "totals": {c: sum(1 for a in agreements.values() if c in a["cells"]) for c in classes},
        "unused": [c for c in classes if c not in used],
    }


def render_matrix(
    data: Mapping[str, Any], *, form: Mapping[str, Any], links: Mapping[str, str], base: str = ""
) -> str:
    return (
        _environment()
        .get_template("matrix.html")
        .render(base=base, app=base + APP_PREFIX, data=data, form=form, links=links)
    )


def render_docs(kind: str, *, openapi_url: str, assets: str, title: str, base: str = "") -> str:
    """Swagger UI (`kind="swagger"`) or ReDoc over the app's own copies of their files."""
    template = "swagger.html" if kind == "swagger" else "redoc.html"
    return (
        _environment()
        .get_template(template)
        .render(
            base=base, app=base + APP_PREFIX, openapi_url=openapi_url, assets=assets, title=title
        )
    )
