"""The graph views' data structure, HTML and routes, on the curated data on both stores."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mineralkg.api import render, viewdata
from mineralkg.api.app import create_app
from mineralkg.api.viewdata import ViewFilter, date_bounds
from mineralkg.graph.catalogue import NamedQuery, Param, ParamError, catalogue
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset
from mineralkg.ontology.model import Ontology
from mineralkg.settings import Settings

MOU = "uk-us-critical-minerals-mou"
MOU_QUOTE = "the United Kingdom and the United States have also signed a memorandum"
FP = "fp-2026-02-26"


@pytest.fixture(scope="module")
def whole(loaded_store: GraphStore) -> dict[str, Any]:
    return viewdata.graph_view(loaded_store, limit=viewdata.MAX_LIMIT)


@pytest.fixture(scope="module")
def ego(loaded_store: GraphStore) -> dict[str, Any]:
    view = viewdata.entity_view(loaded_store, MOU, depth=1)
    assert view is not None
    return view


@pytest.fixture(scope="module")
def client(loaded_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(row_limit=1000), store=loaded_store)) as test_client:
        yield test_client


def by_id(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in view["nodes"]}


def edge_set(view: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(e["from"], e["label"], e["to"]) for e in view["edges"]}


# ------------------------------------------------------------------------ styles


def test_every_top_class_of_the_ontology_has_its_own_style(ontology: Ontology) -> None:
    tops = {c.name for c in ontology.node_classes() if c.parents == ("Entity",)}
    assert tops == {
        "Actor",
        "Mineral",
        "CriticalMineralList",
        "Agreement",
        "Provision",
        "PolicyInstrument",
        "Tension",
        "Event",
        "SupplyChainStage",
        "Source",
        "Statement",
    }
    table = viewdata.styles()
    assert set(table) == tops
    assert len({s.color for s in table.values()}) == len(table), "colours repeat"
    assert len({(s.color, s.shape) for s in table.values()}) == len(table)


def test_tensions_and_agreements_are_told_apart_at_a_glance() -> None:
    table = viewdata.styles()
    tension, agreement = table["Tension"], table["Agreement"]
    assert tension.shape == "triangle" and agreement.shape == "box"
    red, green = (int(tension.color[i : i + 2], 16) for i in (1, 3)), agreement.color
    r, g = red
    assert r > 180 and g < 80, "tensions are red"
    assert int(green[3:5], 16) > int(green[1:3], 16), "agreements are green"


def test_top_class_walks_up_the_ontology(ontology: Ontology) -> None:
    assert viewdata.top_class("State", ontology) == "Actor"
    assert viewdata.top_class("PriceFloor", ontology) == "PolicyInstrument"
    assert viewdata.top_class("Tension", ontology) == "Tension"
    assert viewdata.top_class("Nope", ontology) == ""


# ------------------------------------------------------------------ ego network


def test_ego_network_of_the_uk_us_mou_holds_its_parties(ego: dict[str, Any]) -> None:
    nodes = by_id(ego)
    assert {MOU, "uk", "us"} <= set(nodes)
    assert ego["centre"] == MOU and ego["kind"] == "entity"
    edges = edge_set(ego)
    assert ("uk", "PARTY_TO", MOU) in edges and ("us", "PARTY_TO", MOU) in edges
    for edge in ego["edges"]:
        assert MOU in (edge["from"], edge["to"])  # depth 1: every edge touches the centre
        assert edge["label"] == edge["type"]
    assert ego["truncated"] is False and ego["omitted"] == {"nodes": 0, "edges": 0}
    assert ego["message"] == ""


def test_nodes_are_styled_by_their_top_class(ego: dict[str, Any]) -> None:
    nodes = by_id(ego)
    table = viewdata.styles()
    mou, uk = nodes[MOU], nodes["uk"]
    assert mou["class"] == "MemorandumOfUnderstanding" and mou["group"] == "Agreement"
    assert (mou["color"], mou["shape"]) == (table["Agreement"].color, "box")
    assert uk["class"] == "State" and uk["group"] == "Actor"
    assert (uk["color"], uk["shape"]) == (table["Actor"].color, table["Actor"].shape)
    assert mou["status"] == "signed"
    legend = {row["class"]: row for row in ego["legend"]}
    assert legend["Actor"]["count"] == 2 and legend["Agreement"]["count"] == 1
    assert legend["Agreement"]["color"] == table["Agreement"].color


def test_size_grows_with_degree_and_positions_are_precomputed(ego: dict[str, Any]) -> None:
    nodes = by_id(ego)
    assert nodes[MOU]["degree"] == len(ego["edges"])
    assert nodes[MOU]["size"] > nodes["uk"]["size"]
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in ego["nodes"])
    assert len({(n["x"], n["y"]) for n in ego["nodes"]}) == len(ego["nodes"])


def test_tooltips_and_panel_data_carry_sources_and_quotes(ego: dict[str, Any]) -> None:
    mou = by_id(ego)[MOU]
    assert mou["sources"] == [FP]
    assert any(MOU_QUOTE in q for q in mou["quotes"])
    assert any(MOU_QUOTE in (e.get("quote") or "") for e in mou["evidence"])
    assert FP in mou["title"] and MOU_QUOTE in mou["title"]
    assert "status: signed" in mou["title"]
    assert "evidence" not in mou["properties"] and "sources" not in mou["properties"]
    source = ego["sources"][FP]
    assert source["publisher"] and source["title"] and source["publishedOn"] == "2026-02-26"
    party = next(e for e in ego["edges"] if e["label"] == "PARTY_TO" and e["from"] == "uk")
    assert party["sources"] and party["quotes"]
    assert party["sources"][0] in party["title"] and "PARTY_TO" in party["title"]


def test_dates_are_collected_from_the_date_properties(whole: dict[str, Any]) -> None:
    dated = [n for n in whole["nodes"] if n["dates"]]
    assert dated, "the curated data has dated nodes"
    for node in dated:
        assert "recordedOn" not in node["dates"]
        assert set(node["dates"]) <= viewdata.date_properties()
        for key, value in node["dates"].items():
            assert node["properties"][key] == value


def test_unknown_entity_has_no_view(loaded_store: GraphStore) -> None:
    assert viewdata.entity_view(loaded_store, "no-such-entity") is None


# ------------------------------------------------------------------ whole graph


def test_whole_graph_holds_the_dataset(whole: dict[str, Any], curated: Dataset) -> None:
    assert whole["counts"]["nodes"] == len(curated.nodes) == len(whole["nodes"])
    assert whole["counts"]["edges"] == len(curated.relations) == len(whole["edges"])
    assert whole["truncated"] is False and whole["message"] == ""
    assert sum(row["count"] for row in whole["legend"]) == len(whole["nodes"])
    groups = Counter(n["group"] for n in whole["nodes"])
    assert {row["class"]: row["count"] for row in whole["legend"]} == dict(groups)
    ids = {n["id"] for n in whole["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in whole["edges"])
    assert len({e["id"] for e in whole["edges"]}) == len(whole["edges"])


def test_the_cap_keeps_the_best_connected_and_says_what_was_left_out(
    loaded_store: GraphStore, whole: dict[str, Any]
) -> None:
    capped = viewdata.graph_view(loaded_store, limit=25)
    assert len(capped["nodes"]) == 25
    assert capped["truncated"] is True
    total = len(whole["nodes"])
    assert capped["omitted"]["nodes"] == total - 25
    assert capped["omitted"]["edges"] == len(whole["edges"]) - len(capped["edges"])
    message = capped["message"]
    assert f"25 best-connected of {total} nodes" in message
    assert f"left out {total - 25} nodes" in message and "limit" in message
    degree = {n["id"]: n["degree"] for n in whole["nodes"]}
    kept = {n["id"] for n in capped["nodes"]}
    assert min(degree[i] for i in kept) >= max(degree[i] for i in degree if i not in kept)
    ids = {n["id"] for n in capped["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in capped["edges"])


def test_the_cap_keeps_an_ego_networks_centre(loaded_store: GraphStore) -> None:
    view = viewdata.entity_view(loaded_store, "critical-minerals", depth=1, limit=3)
    assert view is not None
    assert "critical-minerals" in by_id(view) and len(view["nodes"]) == 3
    assert view["truncated"] is True and "left out" in view["message"]


def test_class_filter_keeps_subclasses(loaded_store: GraphStore) -> None:
    view = viewdata.graph_view(loaded_store, ViewFilter.parse(["Tension,Agreement"]))
    assert {n["group"] for n in view["nodes"]} == {"Tension", "Agreement"}
    actors = viewdata.graph_view(loaded_store, ViewFilter.parse(["Actor"]))
    classes = {n["class"] for n in actors["nodes"]}
    assert {"State", "SupranationalUnion"} <= classes
    assert {n["group"] for n in actors["nodes"]} == {"Actor"}


def test_rel_filter_keeps_those_relationships_and_their_ends(loaded_store: GraphStore) -> None:
    view = viewdata.graph_view(loaded_store, ViewFilter.parse(None, ["PARTY_TO", "SIGNED"]))
    assert {e["label"] for e in view["edges"]} == {"PARTY_TO", "SIGNED"}
    touched = {e[k] for e in view["edges"] for k in ("from", "to")}
    assert {n["id"] for n in view["nodes"]} == touched
    assert ("uk", "PARTY_TO", MOU) in edge_set(view)


def _span(dates: dict[str, Any]) -> tuple[str, str] | None:
    bounds = [date_bounds(v) for v in dates.values()]
    got = [b for b in bounds if b]
    return (min(b[0] for b in got), max(b[1] for b in got)) if got else None


def test_date_filter_keeps_overlapping_and_undated_items(
    loaded_store: GraphStore, whole: dict[str, Any]
) -> None:
    view = viewdata.graph_view(loaded_store, ViewFilter.parse(date_from="2026", date_to="2026"))
    kept = {n["id"] for n in view["nodes"]}
    for node in whole["nodes"]:
        span = _span(node["dates"])
        overlaps = span is None or (span[1] >= "2026-01-01" and span[0] <= "2026-12-31")
        assert (node["id"] in kept) == overlaps, node["id"]
    assert any(_span(n["dates"]) is None for n in view["nodes"]), "undated nodes stay"
    assert len(kept) < len(whole["nodes"]), "the curated data has facts before 2026"
    for edge in view["edges"]:
        span = _span(edge["dates"])
        assert span is None or (span[1] >= "2026-01-01" and span[0] <= "2026-12-31")


def test_date_filter_can_drop_undated_items(loaded_store: GraphStore) -> None:
    view = viewdata.graph_view(loaded_store, ViewFilter.parse(date_from="2025-06", undated="drop"))
    assert view["nodes"]
    for item in (*view["nodes"], *view["edges"]):
        span = _span(item["dates"])
        assert span is not None and span[1] >= "2025-06-01"


def test_date_bounds_follow_the_precision() -> None:
    assert date_bounds("2025") == ("2025-01-01", "2025-12-31")
    assert date_bounds("2025-10") == ("2025-10-01", "2025-10-31")
    assert date_bounds("2025-10-07") == ("2025-10-07", "2025-10-07")
    assert date_bounds(2026) == ("2026-01-01", "2026-12-31")
    assert date_bounds("soon") is None
    month = ViewFilter.parse(date_from="2025-10", date_to="2025-10")
    assert month.in_range({"signedOn": "2025"})  # the year overlaps the month
    assert month.in_range({"startedOn": "2025-09-30", "endedOn": "2025-11"})
    assert not month.in_range({"signedOn": "2025-11-01"})
    assert month.in_range({}) and not ViewFilter.parse(date_from="2025", undated="drop").in_range(
        {}
    )


@pytest.mark.parametrize(
    ("kwargs", "names"),
    [
        ({"classes": ["Nope"]}, {"class"}),
        ({"rels": ["LIKES"]}, {"rel"}),
        ({"date_from": "2025-13"}, {"from"}),
        ({"date_from": "2026", "date_to": "2025-12"}, {"to"}),
        ({"undated": "maybe"}, {"undated"}),
    ],
)
def test_filter_names_bad_input(kwargs: dict[str, Any], names: set[str]) -> None:
    with pytest.raises(ParamError) as err:
        ViewFilter.parse(**kwargs)
    assert set(err.value.problems) == names


# ------------------------------------------------------------------- query views


def test_query_view_collects_the_rows_entities(loaded_store: GraphStore) -> None:
    view = viewdata.query_view(loaded_store, catalogue()["agreement_parties"], {"agreement": MOU})
    assert {MOU, "uk", "us"} <= set(by_id(view))
    assert ("uk", "PARTY_TO", MOU) in edge_set(view)
    assert view["kind"] == "query" and view["query"]["params"] == {"agreement": MOU}


def test_query_view_looks_up_ids_in_rows_and_parameters(loaded_store: GraphStore) -> None:
    query = NamedQuery(
        "provisions_of",
        "Provision ids of an agreement (ids only: the view looks them up).",
        (Param("agreement", "string", True, None, "id of an agreement"),),
        "MATCH (g:Agreement {id: $agreement})-[:HAS_PROVISION]->(p:Provision) "
        "RETURN p.id AS provision",
        Path("provisions_of.cypher"),
    )
    agreement = "eu-us-draft-critical-minerals-deal"
    view = viewdata.query_view(loaded_store, query, {"agreement": agreement})
    nodes = by_id(view)
    provisions = {i for i, n in nodes.items() if n["group"] == "Provision"}
    assert agreement in nodes and len(provisions) >= 2
    assert {(agreement, "HAS_PROVISION", p) for p in provisions} <= edge_set(view)


def test_collect_walks_rows_for_nodes_relationships_paths_and_ids() -> None:
    node = {"id": "a", "labels": ["Entity"], "properties": {"id": "a"}}
    other = {"id": "b", "labels": ["Entity"], "properties": {"id": "b"}}
    rel = {"type": "T", "start": "a", "end": "b", "properties": {}}
    rows = [{"n": node, "p": {"nodes": [node, other], "relationships": [rel]}, "x": ["c", 1]}]
    nodes, rels, texts = viewdata.collect(rows)
    assert [n["id"] for n in nodes] == ["a", "a", "b"] and rels == [rel] and texts == ["c"]


def test_build_from_plain_results_draws_every_node_once() -> None:
    nodes = [
        {"id": "t", "labels": ["Entity", "Tension"], "properties": {"name": "T"}},
        {"id": "g", "labels": ["Entity", "Agreement"], "properties": {"name": "G"}},
        {"id": "g", "labels": ["Entity", "Agreement"], "properties": {"name": "G"}},
    ]
    rels = [{"type": "STRAINS", "start": "t", "end": "g", "properties": {}}] * 2
    view = viewdata.build(nodes, rels)
    assert [n["id"] for n in view["nodes"]] == ["g", "t"] and len(view["edges"]) == 1
    assert view["edges"][0]["dashes"] is True  # tension edges are dashed
    assert {n["group"] for n in view["nodes"]} == {"Tension", "Agreement"}


def test_layout_is_deterministic_and_spreads_nodes() -> None:
    ids = [f"n{i}" for i in range(60)]
    edges = [(ids[i], ids[(i * 7 + 3) % 60]) for i in range(60)]
    first = viewdata.layout(ids, edges)
    assert first == viewdata.layout(ids, edges)
    assert len(set(first.values())) == 60


# --------------------------------------------------------------------- HTML pages

EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']*)""")


def assert_no_outside_resources(html: str, allowed_prefix: str = "/") -> None:
    for url in EXTERNAL.findall(html):
        assert url.startswith(allowed_prefix) or url.startswith("data:"), url
    for word in ("cdn.jsdelivr", "cdnjs", "bootstrap", "unpkg", "googleapis"):
        assert word not in html.lower()


def test_offline_page_inlines_vis_network(ego: dict[str, Any]) -> None:
    html = render.render_view(ego, offline=True)
    assert_no_outside_resources(html, allowed_prefix="data:")
    assert render.asset("vis-network.min.js")[:2000] in html
    assert "/static/vis" not in html
    assert MOU_QUOTE in html


def test_served_page_loads_vis_network_from_the_app(ego: dict[str, Any]) -> None:
    html = render.render_view(ego)
    assert_no_outside_resources(html)
    assert '<script src="/static/vis/vis-network.min.js">' in html
    assert render.asset("vis-network.min.js")[:2000] not in html


def test_pages_escape_the_data() -> None:
    nasty = "</script><script>alert(1)</script>"
    view = viewdata.build(
        [{"id": "x", "labels": ["Entity", "Actor"], "properties": {"name": nasty}}], [], title=nasty
    )
    html = render.render_view(view)
    assert nasty not in html


# -------------------------------------------------------------------------- routes


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]


def test_index_page_searches_and_lists_the_catalogue(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    html = response.text
    assert_no_outside_resources(html)
    assert 'id="search"' in html and "/entities?limit=20&q=" in html
    for name in catalogue():
        assert f'action="/view/query/{name}"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/view",
        f"/view/entity/{MOU}",
        f"/view/entity/{MOU}?depth=2&class=Actor",
        f"/view/query/agreement_parties?agreement={MOU}",
        "/view?class=Tension&rel=CONCERNS&from=2020&to=2026-12&undated=drop&limit=30",
        "/view?from=&to=&limit=500",  # the start page's form, left as it is
    ],
)
def test_views_answer_html_and_the_same_structure_as_json(client: TestClient, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 200, page.text
    assert "text/html" in page.headers["content-type"]
    assert_no_outside_resources(page.text)
    sep = "&" if "?" in url else "?"
    data = client.get(f"{url}{sep}format=json")
    assert data.status_code == 200 and data.headers["content-type"] == "application/json"
    view = data.json()
    assert {"nodes", "edges", "legend", "truncated", "omitted", "message"} <= set(view)
    for node in view["nodes"]:
        assert f'"id": "{node["id"]}"' in page.text or node["id"] in page.text


def test_ego_view_json_is_the_ego_network(client: TestClient, ego: dict[str, Any]) -> None:
    body = client.get(f"/view/entity/{MOU}", params={"format": "json"}).json()
    assert body == ego


def test_static_vis_files_are_served(client: TestClient) -> None:
    js = client.get("/static/vis/vis-network.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert js.text == render.asset("vis-network.min.js")
    css = client.get("/static/vis/vis-network.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert_error(client.get("/static/vis/../app.py"), 404)
    assert_error(client.get("/static/vis/template.html"), 404)


def test_unknown_entity_and_query_are_404(client: TestClient) -> None:
    assert_error(client.get("/view/entity/no-such-entity"), 404)
    assert_error(client.get("/view/query/no_such_query"), 404)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/view?class=Nope", "class"),
        ("/view?rel=LIKES", "rel"),
        ("/view?from=yesterday", "from"),
        ("/view?from=2026&to=2025", "to"),
        ("/view?limit=0", "limit"),
        ("/view?limit=100000", "limit"),
        ("/view?format=svg", "format"),
        (f"/view/entity/{MOU}?depth=9", "depth"),
        ("/view/query/agreement_parties", "agreement"),
        ("/view/query/agreement_parties?agreement=x&color=red", "color"),
    ],
)
def test_bad_parameters_are_422_naming_them(client: TestClient, url: str, parameter: str) -> None:
    error = assert_error(client.get(url), 422)
    assert parameter in {d["parameter"] for d in error["details"]}, error


def test_no_catalogue_query_uses_a_reserved_view_parameter() -> None:
    from mineralkg.api.routes.views import RESERVED

    for query in catalogue().values():
        assert not {p.name for p in query.params} & set(RESERVED), query.name


# ----------------------------------------------------------------------------- CLI


class _Borrowed:
    """The test's store for the CLI, which must not close it."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def __enter__(self) -> GraphStore:
        return self.store

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.mark.parametrize(
    "args",
    [
        ["--entity", MOU],
        ["--query", "agreement_parties", "--param", f"agreement={MOU}"],
        ["--class", "Actor", "--limit", "10"],
    ],
)
def test_cli_writes_an_offline_page(
    loaded_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    from mineralkg import cli

    monkeypatch.setattr(cli, "store_or_exit", lambda kind: _Borrowed(loaded_store))
    out = tmp_path / "view.html"
    result = CliRunner().invoke(cli.app, ["view", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert_no_outside_resources(html, allowed_prefix="data:")
    assert "vis.Network" in html and render.asset("vis-network.css")[:500] in html


def test_cli_names_bad_input(
    loaded_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mineralkg import cli

    monkeypatch.setattr(cli, "store_or_exit", lambda kind: _Borrowed(loaded_store))
    out = str(tmp_path / "x.html")
    runner = CliRunner()
    missing = runner.invoke(cli.app, ["view", "--entity", "no-such-entity", "-o", out])
    assert missing.exit_code == 2 and "no-such-entity" in missing.output
    bad = runner.invoke(cli.app, ["view", "--from", "20x", "-o", out])
    assert bad.exit_code == 2 and "from" in bad.output
    query = runner.invoke(cli.app, ["view", "--query", "agreement_parties", "-o", out])
    assert query.exit_code == 2 and "agreement" in query.output
