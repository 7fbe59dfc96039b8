"""The research workbench on both stores: verbatim quotes in every CLI output format, names
instead of ids, paged answers with totals, downloads, exports that read back, the provisions
matrix and agreements_between, and the catalogue's structured examples."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mineralkg.api.app import create_app
from mineralkg.graph.catalogue import catalogue
from mineralkg.graph.examples import example
from mineralkg.graph.resolve import entity_params
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset
from mineralkg.settings import Settings

ALL_QUOTES = """
MATCH (n) UNWIND coalesce(n.quotes, []) AS quote RETURN quote
UNION ALL
MATCH ()-[r]->() UNWIND coalesce(r.quotes, []) AS quote RETURN quote
"""
MARKUP = "[bold]x[/bold] [are] [red] :smile: [link=http://e.x]y[/link] \\[z]"


@pytest.fixture(scope="module")
def client(loaded_store: GraphStore) -> Iterator[TestClient]:
    # a cold Neo4j plans a large query in seconds on a busy machine: the timeout is not tested here
    # a page of 10 rows unless `limit` asks for more, up to 50
    settings = Settings(row_limit=50, page_size=10, query_timeout=60)
    with TestClient(create_app(settings, store=loaded_store)) as test_client:
        yield test_client


class _Borrowed:
    """The test's store for the CLI, which must not close it."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def __enter__(self) -> GraphStore:
        return self.store

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.fixture
def cli(loaded_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The CLI over the test's store, with a row cap above the data's quotes."""
    from mineralkg import cli as module

    monkeypatch.setattr(module, "store_or_exit", lambda kind: _Borrowed(loaded_store))
    monkeypatch.setattr(
        module, "get_settings", lambda: Settings(row_limit=100_000, query_timeout=60)
    )

    def run(*args: str, width: int = 100_000) -> Any:
        return CliRunner().invoke(module.app, list(args), env={"COLUMNS": str(width)})

    return run


def curated_quotes(dataset: Dataset) -> Counter[str]:
    items = [*dataset.nodes.values(), *dataset.relations]
    return Counter(e.quote for item in items for e in item.evidence if e.quote)


def table_cells(output: str) -> list[str]:
    """The cells of a one-column Rich table printed wide enough for every cell to fit (the
    header's border is another character)."""
    lines = [line for line in output.splitlines() if line.startswith("│")]
    return [line[2:-1].rstrip() for line in lines]


# ----------------------------------------------------------------------- quotes are sacred


def test_every_quote_survives_every_output_format(cli: Any, curated: Dataset) -> None:
    expected = curated_quotes(curated)
    assert len(expected) > 100
    for quote in expected:  # the wide table below cuts each cell's trailing blanks only
        assert quote == quote.rstrip() and "\n" not in quote, quote
    outputs = {f: cli("cypher", ALL_QUOTES, "--format", f) for f in ("json", "csv", "tsv", "table")}
    for fmt, result in outputs.items():
        assert result.exit_code == 0, (fmt, result.output[-500:])
    read = {
        "json": [r["quote"] for r in json.loads(outputs["json"].stdout)],
        "csv": [r["quote"] for r in csv.DictReader(io.StringIO(outputs["csv"].stdout))],
        "tsv": [
            r["quote"] for r in csv.DictReader(io.StringIO(outputs["tsv"].stdout), delimiter="\t")
        ],
        "table": table_cells(outputs["table"].stdout),
    }
    for fmt, quotes in read.items():
        missing = expected - Counter(quotes)
        assert not missing, (fmt, list(missing)[:3])


def test_markup_in_a_value_is_printed_as_it_is(cli: Any) -> None:
    text = MARKUP.replace("\\", "\\\\")
    for fmt in ("table", "csv", "tsv"):
        result = cli("cypher", f"RETURN '{text}' AS t", "--format", fmt)
        assert result.exit_code == 0 and MARKUP in result.stdout, (fmt, result.stdout)
    result = cli("cypher", "RETURN $t AS t", "--param", f"t={MARKUP}", "--json")
    assert json.loads(result.stdout) == [{"t": MARKUP}]


def test_narrow_tables_wrap_without_losing_a_character(cli: Any, curated: Dataset) -> None:
    quote = max(curated_quotes(curated), key=len)
    result = cli(
        "cypher", "RETURN $q AS quote, $q AS again", "--param", f"q={json.dumps(quote)}", width=80
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    body = [line for line in lines if line.startswith("│")]
    first = "".join(line.split("│")[1] for line in body)
    assert re.sub(r"\s", "", first) == re.sub(r"\s", "", quote)


def test_adhoc_parameters_are_json_literals(cli: Any) -> None:
    result = cli("cypher", "UNWIND range(1, 10) AS x RETURN x LIMIT $k", "--param", "k=3", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"x": 1}, {"x": 2}, {"x": 3}]
    typed = cli(
        "cypher",
        "RETURN $a AS a, $b AS b, $c AS c",
        "-p",
        "a=true",
        "-p",
        'b="3"',
        "-p",
        "c=eu",
        "--json",
    )
    assert json.loads(typed.stdout) == [{"a": True, "b": "3", "c": "eu"}]


# ----------------------------------------------------------------------- names, not ids


def test_actor_names_and_aliases_give_the_rows_of_the_id(cli: Any) -> None:
    def rows(actor: str) -> Any:
        result = cli("query", "agreements_of_actor", "--param", f"actor={actor}", "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    by_id = rows("eu")
    assert by_id
    assert rows("EU") == by_id
    assert rows("European Union") == by_id
    unknown = cli("query", "agreements_of_actor", "--param", "actor=EUR")
    assert unknown.exit_code == 2
    assert "did you mean" in unknown.output and "eu — European Union" in unknown.output


def test_api_resolves_names_and_suggests_for_unknown_ones(client: TestClient) -> None:
    by_id = client.get("/queries/agreements_of_actor", params={"actor": "eu"}).json()
    for name in ("EU", "european union"):
        answer = client.get("/queries/agreements_of_actor", params={"actor": name}).json()
        assert answer["rows"] == by_id["rows"]
    response = client.get("/queries/agreements_of_actor", params={"actor": "EUR"})
    assert response.status_code == 422
    (detail,) = response.json()["error"]["details"]
    assert detail["parameter"] == "actor" and "did you mean" in detail["message"]
    assert "eu" in [s["id"] for s in detail["suggestions"]]
    view = client.get("/view/query/agreements_of_actor", params={"actor": "EU", "format": "json"})
    assert view.status_code == 200 and view.json()["query"]["params"]["actor"] == "eu"


def test_an_empty_answer_says_why(client: TestClient) -> None:
    answer = client.get(
        "/queries/agreements_of_actor", params={"actor": "eu", "status": "no-such-status"}
    ).json()
    assert answer["rows"] == [] and answer["total"] == 0
    assert "the entities given exist (actor=eu)" in answer["message"]


# ----------------------------------------------------------------------- pages and totals


def test_query_answers_are_paged_with_their_total(client: TestClient) -> None:
    whole = client.get("/queries/agreements_of_actor", params={"actor": "eu", "limit": 50}).json()
    assert whole["total"] == len(whole["rows"]) > 10 and not whole["truncated"]
    # without `limit` a page of the page size; following next_offset gives every row once
    answer = client.get("/queries/agreements_of_actor", params={"actor": "eu"}).json()
    assert answer["rows"] == whole["rows"][:10] and answer["truncated"]
    assert (answer["limit"], answer["next_offset"]) == (10, 10)
    rows = answer["rows"]
    while answer["next_offset"] is not None:
        answer = client.get(
            "/queries/agreements_of_actor", params={"actor": "eu", "offset": answer["next_offset"]}
        ).json()
        rows += answer["rows"]
    assert rows == whole["rows"] and answer["total"] == whole["total"]
    # a page is read up to its last row: then total is a lower bound, said by truncated
    page = client.get(
        "/queries/agreements_of_actor", params={"actor": "eu", "offset": 2, "limit": 3}
    ).json()
    assert page["rows"] == whole["rows"][2:5]
    assert (page["total"], page["offset"], page["next_offset"], page["truncated"]) == (
        5,
        2,
        5,
        True,
    )
    cypher = client.post(
        "/cypher", json={"query": "UNWIND range(1, 120) AS x RETURN x", "offset": 60, "limit": 5}
    ).json()
    assert [r["x"] for r in cypher["rows"]] == [61, 62, 63, 64, 65]
    assert cypher["next_offset"] == 65 and cypher["truncated"]  # read up to 60 + 5 rows
    by_default = client.post("/cypher", json={"query": "UNWIND range(1, 120) AS x RETURN x"})
    assert [r["x"] for r in by_default.json()["rows"]] == list(range(1, 11))


def test_entity_search_and_neighbours_are_paged(client: TestClient) -> None:
    first = client.get("/entities", params={"q": "eu", "limit": 5})
    total = int(first.headers["X-Total-Count"])
    assert total > 5 and len(first.json()) == 5
    second = client.get("/entities", params={"q": "eu", "limit": 5, "offset": 5})
    assert int(second.headers["X-Total-Count"]) == total
    assert not {e["id"] for e in first.json()} & {e["id"] for e in second.json()}
    whole = client.get("/entities/eu/neighbors", params={"limit": 50}).json()
    page = client.get("/entities/eu/neighbors", params={"limit": 4, "offset": 4}).json()
    assert page["relationships"] == whole["relationships"][4:8]
    by_default = client.get("/entities/eu/neighbors").json()  # a page of the page size
    assert by_default["relationships"] == whole["relationships"][:10]
    assert by_default["next_offset"] == 10
    ends = {e for r in page["relationships"] for e in (r["start"], r["end"])}
    assert {n["id"] for n in page["nodes"]} == ends | {"eu"}


def test_downloads_hold_the_rows_of_the_answer(client: TestClient) -> None:
    # a file to save holds the whole answer (up to the row cap), not the first page of it
    params = {"actor": "eu"}
    answer = client.get("/queries/agreements_of_actor", params={**params, "limit": 50}).json()
    assert len(answer["rows"]) > 10 and not answer["truncated"]
    csv_file = client.get(
        "/queries/agreements_of_actor", params={**params, "format": "csv", "download": "true"}
    )
    assert csv_file.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(csv_file.text)))
    assert [r["agreement"] for r in rows] == [r["agreement"] for r in answer["rows"]]
    assert [r["sources"] for r in rows] == [json.dumps(r["sources"]) for r in answer["rows"]]
    saved = client.get("/queries/agreements_of_actor", params={**params, "download": "true"})
    assert saved.json()["rows"] == answer["rows"]
    table_csv = client.get("/table/query/agreements_of_actor", params={**params, "format": "csv"})
    assert table_csv.text == csv_file.text
    page = client.get("/table/query/agreements_of_actor", params=params)
    assert page.status_code == 200 and "<script>" not in page.text and "onclick" not in page.text
    for row in answer["rows"][:10]:  # the table shows a page
        assert f'href="/view/entity/{row["agreement"]}"' in page.text
    assert f'href="/view/entity/{answer["rows"][10]["agreement"]}"' not in page.text


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/view", marks=pytest.mark.slow),  # the whole graph: seconds
        "/view/entity/eu",
        "/view/query/agreements_of_actor?actor=eu",
    ],
)
def test_views_export_as_files_networkx_reads_back(
    client: TestClient, tmp_path: Path, fmt: str, path: str
) -> None:
    sep = "&" if "?" in path else "?"
    view = client.get(f"{path}{sep}format=json").json()
    response = client.get(f"{path}{sep}format={fmt}")
    assert response.status_code == 200
    file = tmp_path / f"view.{fmt}"
    file.write_bytes(response.content)
    graph = nx.read_graphml(file) if fmt == "graphml" else nx.read_gexf(file)
    assert graph.number_of_nodes() == len(view["nodes"])
    assert graph.number_of_edges() == len(view["edges"])
    some = view["nodes"][0]
    assert graph.nodes[some["id"]]["class"] == some["class"]


def test_adhoc_cypher_as_a_graph_and_a_table(client: TestClient) -> None:
    query = "MATCH (a:Actor {id: $id})-[r:PARTY_TO]->(g:Agreement) RETURN a, r, g"
    given = {"query": query, "params": json.dumps({"id": "uk"})}
    view = client.get("/view/cypher", params={**given, "format": "json"}).json()
    assert "uk" in {n["id"] for n in view["nodes"]}
    assert {e["type"] for e in view["edges"]} == {"PARTY_TO"}
    rows = client.post("/cypher", json={"query": query, "params": {"id": "uk"}}).json()["rows"]
    table = client.get("/table/cypher", params={**given, "format": "csv"})
    assert len(list(csv.DictReader(io.StringIO(table.text)))) == len(rows) > 0
    bad = client.get("/view/cypher", params={"query": query, "params": "[1]"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["parameter"] == "params"


def test_node_and_relationship_lists_follow_the_import_format(
    client: TestClient, loaded_store: GraphStore
) -> None:
    nodes = list(csv.reader(io.StringIO(client.get("/export/nodes.csv").text)))
    rels = list(csv.reader(io.StringIO(client.get("/export/relationships.csv").text)))
    counts = loaded_store.counts()
    assert nodes[0][:2] == ["id:ID", ":LABEL"] and len(nodes) - 1 == counts.nodes
    assert (
        rels[0][:3] == [":START_ID", ":END_ID", ":TYPE"] and len(rels) - 1 == counts.relationships
    )
    header = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(:[A-Za-z]+(\[\])?)?$|^:[A-Z_]+$|^id:ID$")
    assert all(header.match(name) for name in nodes[0] + rels[0])
    assert all(len(row) == len(nodes[0]) for row in nodes)
    ids = [row[0] for row in nodes[1:]]
    assert len(ids) == len(set(ids))
    assert all(row[0] in set(ids) and row[1] in set(ids) for row in rels[1:])
    assert Counter(row[2] for row in rels[1:]) == Counter(counts.types)


# ----------------------------------------------------------------------- comparisons


def test_provisions_matrix_counts_each_agreements_provisions(
    client: TestClient, curated: Dataset
) -> None:
    expected: Counter[tuple[str, str]] = Counter(
        (r.start, curated.nodes[r.end].cls) for r in curated.relations if r.type == "HAS_PROVISION"
    )
    answer = client.get("/queries/provisions_matrix", params={"limit": 50}).json()
    rows = answer["rows"]
    while answer["next_offset"] is not None:
        answer = client.get(
            "/queries/provisions_matrix", params={"offset": answer["next_offset"]}
        ).json()
        rows += answer["rows"]
    assert {(r["agreement"], r["class"]): r["provisions"] for r in rows} == dict(expected)
    of_eu = client.get("/queries/provisions_matrix", params={"actor": "European Union"}).json()
    assert 0 < len(of_eu["rows"]) < len(rows)
    page = client.get("/matrix", params={"actor": "eu"})
    assert page.status_code == 200
    assert all(f'data-agreement="{r["agreement"]}"' in page.text for r in of_eu["rows"])


def test_agreements_between_accepts_names(client: TestClient) -> None:
    by_id = client.get("/queries/agreements_between", params={"actor_a": "us", "actor_b": "eu"})
    by_name = client.get(
        "/queries/agreements_between", params={"actor_a": "US", "actor_b": "European Union"}
    )
    assert by_id.json()["rows"] == by_name.json()["rows"] != []
    for row in by_id.json()["rows"]:
        assert row["status"] and row["dates"] == sorted(row["dates"])
        assert row["first_date"] == (row["dates"][0] if row["dates"] else None)


# ----------------------------------------------------------------------- documentation


def test_every_parameter_has_an_example_that_binds(loaded_store: GraphStore) -> None:
    for query in catalogue().values():
        examples = {p.name: example(p) for p in query.params}
        for param in query.params:
            assert examples[param.name] is not None or not param.required, (query.name, param)
        query.bind(examples)
        for name in entity_params(query):
            if examples[name] is not None:
                found = loaded_store.run(
                    "MATCH (n:Entity {id: $id}) RETURN n.id", {"id": examples[name]}
                )
                assert found.rows, (query.name, name, examples[name])


def test_catalogue_json_and_index_show_the_examples(client: TestClient) -> None:
    listed = {q["name"]: q for q in client.get("/queries").json()}
    actor = next(p for p in listed["agreements_of_actor"]["params"] if p["name"] == "actor")
    assert actor["example"] == "eu" and actor["entity"] is True
    depth = next(p for p in listed["shortest_path"]["params"] if p["name"] == "max_depth")
    assert depth["example"] == 6
    assert 'placeholder="e.g. eu"' in client.get("/").text
    docs = client.get("/openapi.json").json()["paths"]["/queries/{name}"]["get"]["description"]
    assert "`/queries/agreements_of_actor?actor=eu`" in docs
    assert "`/queries/shortest_path?from=uk&to=china`" in docs
