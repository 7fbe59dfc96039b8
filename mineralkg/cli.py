"""The `mineralkg` command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mineralkg import service
from mineralkg.graph.catalogue import ParamError, catalogue
from mineralkg.graph.factory import open_store
from mineralkg.graph.reads import ReadLimits
from mineralkg.graph.store import GraphStore, Result, StoreError
from mineralkg.loaders.errors import ValidationFailed
from mineralkg.loaders.rdf import FORMATS, triples
from mineralkg.loaders.rdf_text import write
from mineralkg.service import checked_dataset, run_cypher
from mineralkg.settings import get_settings

if TYPE_CHECKING:
    from mineralkg.views.tabular import Format

app = typer.Typer(
    help="mineralkg: an open knowledge graph of trans-Atlantic critical-mineral diplomacy.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

StoreOpt = Annotated[
    str | None,
    typer.Option("--store", "-s", help="embedded or neo4j (default: MINERALKG_STORE)."),
]
PathArg = Annotated[
    Path | None, typer.Argument(help="A data folder or one YAML file (default: the curated data).")
]


def _fail(exc: ValidationFailed) -> typer.Exit:
    for error in exc.errors:
        typer.echo(str(error), err=True)
    typer.echo(f"{len(exc.errors)} error(s)", err=True)
    return typer.Exit(code=1)


@app.command()
def validate(path: PathArg = None) -> None:
    """Check the curated YAML against the ontology and the SHACL shapes."""
    try:
        dataset = checked_dataset(path)
    except ValidationFailed as exc:
        raise _fail(exc) from None
    for warning in dataset.warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"ok: {len(dataset.nodes)} nodes, {len(dataset.relations)} relationships")


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")] = (
        "turtle"
    ),
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    path: PathArg = None,
) -> None:
    """Write the whole dataset as RDF (Turtle, JSON-LD or N-Triples)."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        dataset = checked_dataset(path)
    except ValidationFailed as exc:
        raise _fail(exc) from None
    if output is None:
        write(triples(dataset), fmt, sys.stdout.buffer)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as file:
        count = write(triples(dataset), fmt, file)
    typer.echo(f"wrote {count} triples to {output}", err=True)


@app.command()
def sources(
    path: PathArg = None,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Items listed per section (0: all).")] = 20,
) -> None:
    """Report what the evidence rests on: sources by kind, facts with one independent source,
    facts resting only on the weakest kind, duplicate URLs, sources nothing cites."""
    from dataclasses import asdict

    from mineralkg.loaders.sources_report import report_lines, sources_report

    try:
        report = sources_report(checked_dataset(path))
    except ValidationFailed as exc:
        raise _fail(exc) from None
    if as_json:
        typer.echo(
            json.dumps(
                {**asdict(report), "web_two_source_share": report.web_two_source_share}, indent=2
            )
        )
        return
    for line in report_lines(report, limit):
        typer.echo(line)


@app.command()
def model() -> None:
    """Print the data model (classes, relationship types, properties) as Markdown."""
    from mineralkg.ontology.docs import data_model_markdown
    from mineralkg.ontology.model import load as load_ontology

    typer.echo(data_model_markdown(load_ontology()))


def store_or_exit(kind: str | None) -> GraphStore:
    """The configured store, or one clear line and exit code 2 when it cannot be reached."""
    if kind not in (None, "embedded", "neo4j"):
        raise typer.BadParameter("expected embedded or neo4j", param_hint="--store")
    try:
        return open_store(kind=kind)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None


@app.command()
def load(
    store: StoreOpt = None,
    path: PathArg = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Validate the data, then make the graph hold exactly it (idempotent, all or nothing)."""
    from rich.progress import Progress

    from mineralkg.loaders.plan import build_plan

    try:
        dataset = checked_dataset(path)
    except ValidationFailed as exc:
        raise _fail(exc) from None
    graph_store = store_or_exit(store)
    with graph_store, Progress(transient=True, disable=quiet) as bar:
        plan = build_plan(dataset)
        task = bar.add_task("loading", total=plan.total)
        try:
            report = service.load(graph_store, plan, progress=lambda n: bar.advance(task, n))
        except StoreError as exc:
            typer.echo(f"error: the load was rolled back: {exc}", err=True)
            raise typer.Exit(code=2) from None
        counts = graph_store.counts()
    typer.echo(f"{graph_store.kind} store at {graph_store.address}: {report.summary()}")
    typer.echo(f"graph now holds {counts.nodes} nodes and {counts.relationships} relationships")


def _parse_params(pairs: list[str]) -> dict[str, str]:
    from mineralkg.views.tabular import key_values

    try:
        return key_values(pairs)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--param") from None


ParamOpt = Annotated[
    list[str] | None, typer.Option("--param", "-p", help="A parameter as key=value (repeatable).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Rows as JSON (same as --format json).")]
FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="table (wraps to the terminal), json, csv or tsv.")
]


def _format(fmt: str, as_json: bool) -> Format:
    from mineralkg.views import tabular

    try:
        return tabular.format_of("json" if as_json else fmt)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--format") from None


@app.command()
def query(
    name: Annotated[
        str | None, typer.Argument(help="A catalogue query; omit to list them.")
    ] = None,
    param: ParamOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """Run a named query of the catalogue (or list the catalogue). Parameters that take an
    entity id also take its name or an alias, in any case."""
    queries = catalogue()
    if name is None:
        for q in queries.values():
            args = " ".join(f"{p.name}:{p.type}{'' if p.required else '?'}" for p in q.params)
            typer.echo(f"{q.name} {args}\n    {q.description}")
        return
    if name not in queries:
        typer.echo(f"error: no query {name!r}; `mineralkg query` lists them", err=True)
        raise typer.Exit(code=2)
    chosen, settings, given = _format(fmt, as_json), get_settings(), _parse_params(param or [])
    result = _answer(store, lambda s: service.run_query(s, name, given, settings))
    _print_result(result, chosen, settings.row_limit, empty="nothing matches the query")


@app.command()
def cypher(
    text: Annotated[str, typer.Argument(help="Read-only Cypher.")],
    param: ParamOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """Run ad-hoc read-only Cypher (the database refuses writes). A --param value is read as
    a JSON literal when it is one (k=3 is a number, k='"3"' text), else as text."""
    from mineralkg.views.tabular import literal

    chosen, settings = _format(fmt, as_json), get_settings()
    params = {k: literal(v) for k, v in _parse_params(param or []).items()}
    result = _answer(store, lambda s: run_cypher(s, text, params, settings))
    _print_result(result, chosen, settings.row_limit, empty="no row matched")


def _answer(kind: str | None, ask: Callable[[GraphStore], Result]) -> Result:
    """What `ask` reads from the store, or each problem on one line and exit code 2 (bad
    parameters) or 1 (the store refused or failed)."""
    from mineralkg.graph.catalogue import ParamError

    with store_or_exit(kind) as graph_store:
        try:
            return ask(graph_store)
        except ParamError as exc:
            for key, problem in exc.problems.items():
                typer.echo(f"error: --param {key}: {problem}", err=True)
            raise typer.Exit(code=2) from None
        except StoreError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from None


def _print_result(result: Result, fmt: Format, row_limit: int, empty: str) -> None:
    from mineralkg.views import tabular

    tabular.write(fmt, result.columns, result.rows)
    if fmt == "table":  # the machine-read formats hold the rows only
        typer.echo(f"{len(result.rows)} row(s)" + (f": {empty}" if not result.rows else ""))
    if result.truncated:
        typer.echo(f"(cut at {row_limit} rows: MINERALKG_ROW_LIMIT)", err=True)


@app.command()
def changes(
    since: Annotated[str | None, typer.Option(help="First day: YYYY, YYYY-MM, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, as --since.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only facts involving this actor.")] = None,
    other: Annotated[str | None, typer.Option(help="With --actor: involving both.")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What happened in a period, oldest first, each change with its sources."""
    with store_or_exit(store) as graph_store:
        try:
            found = service.changes(graph_store, since, until, actor, other)
        except ParamError as exc:
            raise typer.BadParameter(str(exc)) from None
    from mineralkg.views import tabular

    if as_json:
        typer.echo(
            json.dumps([c.model_dump() for c in found.changes], ensure_ascii=False, indent=2)
        )
    else:
        tabular.write("table", ["date", "kind", "name", "label", "sources"], found.brief())
        typer.echo(f"{len(found.changes)} row(s)")
    if found.truncated:
        typer.echo(f"(cut at {get_settings().row_limit} rows: MINERALKG_ROW_LIMIT)", err=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (MINERALKG_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (MINERALKG_PORT).")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Server processes (MINERALKG_WORKERS).")
    ] = None,
    access_log: Annotated[
        bool | None,
        typer.Option(
            "--access-log/--no-access-log", help="Log every request (MINERALKG_ACCESS_LOG)."
        ),
    ] = None,
) -> None:
    """Serve the API and the graph views with uvicorn."""
    from mineralkg.api.server import ServerRefused, run

    try:
        run(get_settings(), host, port, workers, access_log, say=typer.echo)
    except ServerRefused as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None


@app.command()
def view(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")],
    entity: Annotated[str | None, typer.Option(help="Draw this entity's ego network.")] = None,
    depth: Annotated[int, typer.Option(min=1, max=3, help="Hops around --entity.")] = 1,
    query_name: Annotated[
        str | None, typer.Option("--query", help="Draw a catalogue query's result.")
    ] = None,
    param: ParamOpt = None,
    classes: Annotated[
        list[str] | None, typer.Option("--class", help="Keep nodes of this class (repeatable).")
    ] = None,
    rel: Annotated[
        list[str] | None, typer.Option(help="Keep relationships of this type (repeatable).")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Earliest date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Latest date.")] = None,
    undated: Annotated[
        str | None, typer.Option(help="keep (default) or drop what has no date.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=5000, help="At most this many nodes.")] = 500,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The graph as it stood by then.")
    ] = None,
    timeline: Annotated[bool, typer.Option(help="The timeline (of --entity) instead.")] = False,
    lanes: Annotated[str, typer.Option(help="Timeline lanes: kind or actor.")] = "kind",
    store: StoreOpt = None,
) -> None:
    """Write a graph view (whole graph, --entity or --query) or the timeline (--timeline) as
    one HTML file that opens offline (its scripts are inlined, nothing is fetched), or a graph
    view as GraphML or GEXF when -o ends so."""
    from mineralkg.graph.catalogue import ParamError, catalogue
    from mineralkg.views import ViewFilter, entity_view, graph_view, query_view
    from mineralkg.views.exports import write_file
    from mineralkg.views.timeline_render import write_timeline

    if (entity or timeline) and query_name:
        raise typer.BadParameter("give --entity or --query, not both", param_hint="--query")
    if query_name and query_name not in catalogue():
        typer.echo(f"error: no query {query_name!r}; `mineralkg query` lists them", err=True)
        raise typer.Exit(code=2)
    settings = get_settings()
    try:
        filters = ViewFilter.parse(classes, rel, date_from, date_to, undated, as_of)
        with store_or_exit(store) as graph_store:
            if timeline:
                limits = ReadLimits.of(settings)
                line = write_timeline(graph_store, output, entity, filters, lanes, limits)
                typer.echo(line or f"error: no entity {entity!r}", err=not line)
                raise typer.Exit(code=0 if line else 2)
            if entity:
                data = entity_view(graph_store, entity, depth, filters, limit, settings.row_limit)
                if data is None:
                    typer.echo(f"error: no entity {entity!r}", err=True)
                    raise typer.Exit(code=2)
            elif query_name:
                data = query_view(
                    graph_store,
                    catalogue()[query_name],
                    _parse_params(param or []),
                    filters=filters,
                    limit=limit,
                    limits=ReadLimits.of(settings),
                )
            else:
                data = graph_view(graph_store, filters, limit)
    except ParamError as exc:
        for key, problem in exc.problems.items():
            typer.echo(f"error: {key}: {problem}", err=True)
        raise typer.Exit(code=2) from None
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    write_file(data, output)
    typer.echo(f"wrote {output}: {data.counts.nodes} nodes, {data.counts.edges} relationships")
    if data.message:
        typer.echo(data.message, err=True)


if __name__ == "__main__":
    app()
