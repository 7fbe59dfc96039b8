"""The `mineralkg` command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from mineralkg import service
from mineralkg.graph.catalogue import ParamError, catalogue
from mineralkg.graph.factory import open_store
from mineralkg.graph.reads import ReadLimits
from mineralkg.graph.store import GraphStore, StoreError
from mineralkg.loaders.errors import ValidationFailed
from mineralkg.loaders.rdf import FORMATS, serialize, to_graph
from mineralkg.service import checked_dataset, run_cypher
from mineralkg.settings import get_settings

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
    graph = to_graph(dataset)
    text = serialize(graph, fmt)
    if output is None:
        typer.echo(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {len(graph)} triples to {output}", err=True)


@app.command()
def sources(
    path: PathArg = None,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Items listed per section (0: all).")] = 20,
) -> None:
    """Report what the evidence rests on: sources by kind, facts with one independent source,
    facts resting only on the weakest kind, duplicate URLs, sources nothing cites."""
    from dataclasses import asdict

    from mineralkg.loaders.sources_report import sources_report

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
    typer.echo("sources by kind: " + ", ".join(f"{k} {v}" for k, v in report.by_kind.items()))
    typer.echo(
        f"facts: {report.facts}; from web sources: {report.web_facts}, of which "
        f"{report.web_facts_two_sources} ({report.web_two_source_share:.1%}) have two or more "
        "independent sources"
    )
    sections = [
        (
            "facts with one independent source",
            [f"{f.where}: {f.key}" for f in report.single_source],
        ),
        (
            "facts resting only on sources of kind 'other'",
            [f"{f.where}: {f.key}" for f in report.weakest_only],
        ),
        ("duplicate URLs", [f"{u}: {', '.join(ids)}" for u, ids in report.duplicate_urls.items()]),
        ("sources no fact cites", report.uncited),
    ]
    for title, lines in sections:
        typer.echo(f"\n{title}: {len(lines)}")
        for line in lines[:limit] if limit else lines:
            typer.echo(f"  {line}")
        if limit and len(lines) > limit:
            typer.echo(f"  ... {len(lines) - limit} more (--limit 0 lists all)")


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


def _print_result(columns: list[str], rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    Console().print(table)
    typer.echo(f"{len(rows)} row(s)")


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"expected key=value, got {pair!r}", param_hint="--param")
        params[key.strip()] = value
    return params


ParamOpt = Annotated[
    list[str] | None, typer.Option("--param", "-p", help="A parameter as key=value (repeatable).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Rows as JSON, for scripts.")]


@app.command()
def query(
    name: Annotated[
        str | None, typer.Argument(help="A catalogue query; omit to list them.")
    ] = None,
    param: ParamOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a named query of the catalogue (or list the catalogue)."""
    queries = catalogue()
    if name is None:
        for q in queries.values():
            args = " ".join(f"{p.name}:{p.type}{'' if p.required else '?'}" for p in q.params)
            typer.echo(f"{q.name} {args}\n    {q.description}")
        return
    if name not in queries:
        typer.echo(f"error: no query {name!r}; `mineralkg query` lists them", err=True)
        raise typer.Exit(code=2)
    named = queries[name]
    try:
        params = named.bind(_parse_params(param or []))
    except ParamError as exc:
        for key, problem in exc.problems.items():
            typer.echo(f"error: --param {key}: {problem}", err=True)
        raise typer.Exit(code=2) from None
    _run_and_print(store, named.cypher, params, as_json)


@app.command()
def cypher(
    text: Annotated[str, typer.Argument(help="Read-only Cypher.")],
    param: ParamOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run ad-hoc read-only Cypher (the database refuses writes)."""
    _run_and_print(store, text, dict(_parse_params(param or [])), as_json)


def _run_and_print(kind: str | None, text: str, params: dict[str, Any], as_json: bool) -> None:
    settings = get_settings()
    with store_or_exit(kind) as graph_store:
        try:
            result = run_cypher(graph_store, text, params, settings)
        except StoreError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from None
    _print_result(result.columns, result.rows, as_json)
    if result.truncated:
        typer.echo(f"(cut at {settings.row_limit} rows: MINERALKG_ROW_LIMIT)", err=True)


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
    rows = [c.model_dump() for c in found.changes] if as_json else found.brief()
    _print_result(["date", "kind", "name", "label", "sources"], rows, as_json)
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
    import uvicorn

    from mineralkg.api.app import create_app

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    access_log = settings.access_log if access_log is None else access_log
    base = f"http://{host}:{port}"
    typer.echo(f"mineralkg on {base}: API docs {base}/docs, graph view {base}/view")
    if workers > 1:  # each worker process builds its own app from the same settings
        uvicorn.run(
            "mineralkg.api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            access_log=access_log,
        )
    else:
        uvicorn.run(
            create_app(settings), host=host, port=port, log_level="info", access_log=access_log
        )


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
    store: StoreOpt = None,
) -> None:
    """Write a graph view (whole graph, --entity or --query) as one HTML file that opens
    offline: vis-network is inlined, nothing is fetched from the network."""
    from mineralkg.graph.catalogue import ParamError, catalogue
    from mineralkg.views import ViewFilter, entity_view, graph_view, query_view, render_view

    if entity and query_name:
        raise typer.BadParameter("give --entity or --query, not both", param_hint="--query")
    if query_name and query_name not in catalogue():
        typer.echo(f"error: no query {query_name!r}; `mineralkg query` lists them", err=True)
        raise typer.Exit(code=2)
    settings = get_settings()
    try:
        filters = ViewFilter.parse(classes, rel, date_from, date_to, undated)
        with store_or_exit(store) as graph_store:
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
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_view(data, offline=True), encoding="utf-8")
    counts = data.counts
    typer.echo(f"wrote {output}: {counts.nodes} nodes, {counts.edges} relationships")
    if data.message:
        typer.echo(data.message, err=True)


if __name__ == "__main__":
    app()
