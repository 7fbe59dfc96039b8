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

from mineralkg import views
from mineralkg.api.app import create_app
from mineralkg.graph.catalogue import NamedQuery, Param, ParamError, catalogue
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset
from mineralkg.ontology.model import Ontology
from mineralkg.settings import Settings
from mineralkg.views import ViewFilter, ViewModel, ViewNode, date_bounds, render

MOU = "uk-us-critical-minerals-mou"
MOU_QUOTE = "the United Kingdom and the United States have also signed a memorandum"
FP = "fp-2026-02-26"


@pytest.fixture(scope="module")
def whole(loaded_store: GraphStore) -> ViewModel:
    return views.graph_view(loaded_store, limit=views.MAX_LIMIT)


@pytest.fixture(scope="module")
def ego(loaded_store: GraphStore) -> ViewModel:
    view = views.entity_view(loaded_store, MOU, depth=1)
    assert view is not None
    return view


@pytest.fixture(scope="module")
def client(loaded_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(row_limit=1000), store=loaded_store)) as test_client:
        yield test_client


def by_id(view: ViewModel) -> dict[str, ViewNode]:
    return {n.id: n for n in view.nodes}


def edge_set(view: ViewModel) -> set[tuple[str, str, str]]:
    return {(e.start, e.label, e.end) for e in view.edges}


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
        "StrategicProject",
        "StatusChange",
        "ContestedClaim",
        "Application",
    }
    table = views.styles()
    assert set(table) == tops
    assert len({s.color for s in table.values()}) == len(table), "colours repeat"
    assert len({(s.color, s.shape) for s in table.values()}) == len(table)


def test_tensions_and_agreements_are_told_apart_at_a_glance() -> None:
    table = views.styles()
    tension, agreement = table["Tension"], table["Agreement"]
    assert tension.shape == "triangle" and agreement.shape == "box"
    red, green = (int(tension.color[i : i + 2], 16) for i in (1, 3)), agreement.color
    r, g = red
    assert r > 180 and g < 80, "tensions are red"
    assert int(green[3:5], 16) > int(green[1:3], 16), "agreements are green"


def test_top_class_walks_up_the_ontology(ontology: Ontology) -> None:
    assert views.top_class("State", ontology) == "Actor"
    assert views.top_class("PriceFloor", ontology) == "PolicyInstrument"
    assert views.top_class("Tension", ontology) == "Tension"
    assert views.top_class("Nope", ontology) == ""


# ------------------------------------------------------------------ ego network


def test_ego_network_of_the_uk_us_mou_holds_its_parties(ego: ViewModel) -> None:
    nodes = by_id(ego)
    assert {MOU, "uk", "us"} <= set(nodes)
    assert ego.centre == MOU and ego.kind == "entity"
    edges = edge_set(ego)
    assert ("uk", "PARTY_TO", MOU) in edges and ("us", "PARTY_TO", MOU) in edges
    for edge in ego.edges:
        assert MOU in (edge.start, edge.end)  # depth 1: every edge touches the centre
        assert edge.label == edge.type
    assert ego.truncated is False and ego.omitted.model_dump() == {"nodes": 0, "edges": 0}
    assert ego.message == ""


def test_nodes_are_styled_by_their_top_class(ego: ViewModel) -> None:
    nodes = by_id(ego)
    table = views.styles()
    mou, uk = nodes[MOU], nodes["uk"]
    assert mou.cls == "MemorandumOfUnderstanding" and mou.group == "Agreement"
    assert (mou.color, mou.shape) == (table["Agreement"].color, "box")
    assert uk.cls == "State" and uk.group == "Actor"
    assert (uk.color, uk.shape) == (table["Actor"].color, table["Actor"].shape)
    assert mou.status == "signed"
    legend = {row.cls: row for row in ego.legend}
    assert legend["Actor"].count == 2 and legend["Agreement"].count == 1
    assert legend["Agreement"].color == table["Agreement"].color


def test_size_grows_with_degree_and_positions_are_precomputed(ego: ViewModel) -> None:
    nodes = by_id(ego)
    assert nodes[MOU].degree == len(ego.edges)
    assert nodes[MOU].size > nodes["uk"].size
    assert all(isinstance(n.x, int) and isinstance(n.y, int) for n in ego.nodes)
    assert len({(n.x, n.y) for n in ego.nodes}) == len(ego.nodes)


def test_tooltips_and_panel_data_carry_sources_and_quotes(ego: ViewModel) -> None:
    mou = by_id(ego)[MOU]
    assert mou.sources == [FP]
    assert any(MOU_QUOTE in q for q in mou.quotes)
    assert any(MOU_QUOTE in (e.quote or "") for e in mou.evidence)
    assert FP in mou.title and MOU_QUOTE in mou.title
    assert "status: signed" in mou.title
    assert "evidence" not in mou.properties and "sources" not in mou.properties
    source = ego.sources[FP]
    assert source.publisher and source.title and source.publishedOn == "2026-02-26"
    party = next(e for e in ego.edges if e.label == "PARTY_TO" and e.start == "uk")
    assert party.sources and party.quotes
    assert party.sources[0] in party.title and "PARTY_TO" in party.title


def test_dates_are_collected_from_the_date_properties(whole: ViewModel) -> None:
    dated = [n for n in whole.nodes if n.dates]
    assert dated, "the curated data has dated nodes"
    for node in dated:
        assert "recordedOn" not in node.dates
        assert set(node.dates) <= views.date_properties()
        for key, value in node.dates.items():
            assert node.properties[key] == value


def test_unknown_entity_has_no_view(loaded_store: GraphStore) -> None:
    assert views.entity_view(loaded_store, "no-such-entity") is None


# ------------------------------------------------------------------ whole graph


def test_whole_graph_holds_the_dataset(whole: ViewModel, curated: Dataset) -> None:
    assert whole.counts.nodes == len(curated.nodes) == len(whole.nodes)
    assert whole.counts.edges == len(curated.relations) == len(whole.edges)
    assert whole.truncated is False and whole.message == ""
    assert sum(row.count for row in whole.legend) == len(whole.nodes)
    groups = Counter(n.group for n in whole.nodes)
    assert {row.cls: row.count for row in whole.legend} == dict(groups)
    ids = {n.id for n in whole.nodes}
    assert all(e.start in ids and e.end in ids for e in whole.edges)
    assert len({e.id for e in whole.edges}) == len(whole.edges)


def test_the_cap_keeps_the_best_connected_and_says_what_was_left_out(
    loaded_store: GraphStore, whole: ViewModel
) -> None:
    capped = views.graph_view(loaded_store, limit=25)
    assert len(capped.nodes) == 25
    assert capped.truncated is True
    total = len(whole.nodes)
    assert capped.omitted.nodes == total - 25
    assert capped.omitted.edges == len(whole.edges) - len(capped.edges)
    message = capped.message
    assert f"25 best-connected of {total:,} nodes" in message
    assert f"left out {total - 25:,} nodes" in message and "limit" in message
    degree = {n.id: n.degree for n in whole.nodes}
    kept = {n.id for n in capped.nodes}
    assert min(degree[i] for i in kept) >= max(degree[i] for i in degree if i not in kept)
    ids = {n.id for n in capped.nodes}
    assert all(e.start in ids and e.end in ids for e in capped.edges)


def test_the_cap_keeps_an_ego_networks_centre(loaded_store: GraphStore) -> None:
    view = views.entity_view(loaded_store, "critical-minerals", depth=1, limit=3)
    assert view is not None
    assert "critical-minerals" in by_id(view) and len(view.nodes) == 3
    assert view.truncated is True and "left out" in view.message


def test_class_filter_keeps_subclasses(loaded_store: GraphStore) -> None:
    view = views.graph_view(loaded_store, ViewFilter.parse(["Tension,Agreement"]))
    assert {n.group for n in view.nodes} == {"Tension", "Agreement"}
    actors = views.graph_view(loaded_store, ViewFilter.parse(["Actor"]))
    classes = {n.cls for n in actors.nodes}
    assert {"State", "SupranationalUnion"} <= classes
    assert {n.group for n in actors.nodes} == {"Actor"}


def test_rel_filter_keeps_those_relationships_and_their_ends(loaded_store: GraphStore) -> None:
    view = views.graph_view(loaded_store, ViewFilter.parse(None, ["PARTY_TO", "SIGNED"]))
    assert {e.label for e in view.edges} == {"PARTY_TO", "SIGNED"}
    touched = {end for e in view.edges for end in (e.start, e.end)}
    assert {n.id for n in view.nodes} == touched
    assert ("uk", "PARTY_TO", MOU) in edge_set(view)


def _span(dates: dict[str, Any]) -> tuple[str, str] | None:
    bounds = [date_bounds(v) for v in dates.values()]
    got = [b for b in bounds if b]
    return (min(b[0] for b in got), max(b[1] for b in got)) if got else None


def test_date_filter_keeps_overlapping_and_undated_items(
    loaded_store: GraphStore, whole: ViewModel
) -> None:
    view = views.graph_view(loaded_store, ViewFilter.parse(date_from="2026", date_to="2026"))
    kept = {n.id for n in view.nodes}
    for node in whole.nodes:
        span = _span(node.dates)
        overlaps = span is None or (span[1] >= "2026-01-01" and span[0] <= "2026-12-31")
        assert (node.id in kept) == overlaps, node.id
    assert any(_span(n.dates) is None for n in view.nodes), "undated nodes stay"
    assert len(kept) < len(whole.nodes), "the curated data has facts before 2026"
    for edge in view.edges:
        span = _span(edge.dates)
        assert span is None or (span[1] >= "2026-01-01" and span[0] <= "2026-12-31")


def test_date_filter_can_drop_undated_items(loaded_store: GraphStore) -> None:
    view = views.graph_view(loaded_store, ViewFilter.parse(date_from="2025-06", undated="drop"))
    assert view.nodes
    for item in (*view.nodes, *view.edges):
        span = _span(item.dates)
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
    view = views.query_view(loaded_store, catalogue()["agreement_parties"], {"agreement": MOU})
    assert {MOU, "uk", "us"} <= set(by_id(view))
    assert ("uk", "PARTY_TO", MOU) in edge_set(view)
    assert view.kind == "query" and view.query is not None
    assert view.query.params == {"agreement": MOU}


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
    view = views.query_view(loaded_store, query, {"agreement": agreement})
    nodes = by_id(view)
    provisions = {i for i, n in nodes.items() if n.group == "Provision"}
    assert agreement in nodes and len(provisions) >= 2
    assert {(agreement, "HAS_PROVISION", p) for p in provisions} <= edge_set(view)


def test_collect_walks_rows_for_nodes_relationships_paths_and_ids() -> None:
    node = {"id": "a", "labels": ["Entity"], "properties": {"id": "a"}}
    other = {"id": "b", "labels": ["Entity"], "properties": {"id": "b"}}
    rel = {"type": "T", "start": "a", "end": "b", "properties": {}}
    rows = [{"n": node, "p": {"nodes": [node, other], "relationships": [rel]}, "x": ["c", 1]}]
    nodes, rels, texts = views.collect(rows)
    assert [n["id"] for n in nodes] == ["a", "a", "b"] and rels == [rel] and texts == ["c"]


def test_build_from_plain_results_draws_every_node_once() -> None:
    nodes = [
        {"id": "t", "labels": ["Entity", "Tension"], "properties": {"name": "T"}},
        {"id": "g", "labels": ["Entity", "Agreement"], "properties": {"name": "G"}},
        {"id": "g", "labels": ["Entity", "Agreement"], "properties": {"name": "G"}},
    ]
    rels = [{"type": "STRAINS", "start": "t", "end": "g", "properties": {}}] * 2
    view = views.build(nodes, rels)
    assert [n.id for n in view.nodes] == ["g", "t"] and len(view.edges) == 1
    assert view.edges[0].dashes is True  # tension edges are dashed
    assert {n.group for n in view.nodes} == {"Tension", "Agreement"}


def test_layout_is_deterministic_and_spreads_nodes() -> None:
    ids = [f"n{i}" for i in range(60)]
    edges = [(ids[i], ids[(i * 7 + 3) % 60]) for i in range(60)]
    first = views.layout(ids, edges)
    assert first == views.layout(ids, edges)
    assert len(set(first.values())) == 60


# ---------------------------------------------------------------------- the model

NODE_KEYS = {
    "id", "label", "name", "class", "group", "color", "shape", "size", "degree", "title",
    "properties", "sources", "quotes", "evidence", "dates", "status", "x", "y",
}  # fmt: skip
EDGE_KEYS = {
    "id", "from", "to", "label", "type", "title", "color", "dashes",
    "properties", "sources", "quotes", "evidence", "dates",
}  # fmt: skip
VIEW_KEYS = {
    "kind", "title", "centre", "nodes", "edges", "legend", "sources", "truncated", "omitted",
    "message", "counts", "filters",
}  # fmt: skip


def test_the_json_form_keeps_the_keys_of_the_view_structure(ego: ViewModel) -> None:
    data = ego.to_json()
    assert set(data) == VIEW_KEYS | {"query", "as_of"} and data["query"] is None
    assert data["as_of"] is None, "no as_of asked: no as-of summary"
    assert all(set(n) == NODE_KEYS | {"standing"} for n in data["nodes"])
    assert all(set(e) == EDGE_KEYS | {"standing"} for e in data["edges"])
    assert {n["standing"] for n in data["nodes"]} == {None}
    assert all(set(row) == {"class", "color", "shape", "count"} for row in data["legend"])
    assert set(data["counts"]) == {"nodes", "edges", "total_nodes", "total_edges"}
    assert set(data["filters"]) == {"class", "rel", "from", "to", "undated", "limit", "as_of"}
    party = next(e for e in data["edges"] if e["type"] == "PARTY_TO" and e["from"] == "uk")
    assert party["to"] == MOU and party["evidence"][0]["source"] == party["sources"][0]


def test_the_model_reads_back_its_json_form(whole: ViewModel, ego: ViewModel) -> None:
    for view in (whole, ego):
        assert ViewModel.model_validate(view.to_json()) == view
        assert ViewModel.model_validate_json(view.model_dump_json()) == view


def openapi_validator(client: TestClient, path: str) -> Any:
    import jsonschema

    schema = client.get("/openapi.json").json()
    answer = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    root = {**answer["schema"], "components": schema["components"]}
    return jsonschema.Draft202012Validator(root)


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/view", "/view?limit=40"),
        ("/view/entity/{entity_id}", f"/view/entity/{MOU}?depth=2"),
        ("/view/query/{name}", f"/view/query/agreement_parties?agreement={MOU}"),
    ],
)
def test_view_json_validates_against_the_routes_openapi_schema(
    client: TestClient, path: str, url: str
) -> None:
    validator = openapi_validator(client, path)
    assert validator.schema["$ref"] == "#/components/schemas/ViewModel"
    response = client.get(f"{url}&format=json")
    assert response.status_code == 200, response.text
    body = response.json()
    errors = sorted(validator.iter_errors(body), key=str)
    assert not errors, errors[0]
    assert body["nodes"] and body["legend"]
    broken = {**body, "nodes": [{k: v for k, v in body["nodes"][0].items() if k != "class"}]}
    assert not validator.is_valid(broken), "the schema requires a node's class"


def test_the_html_answer_is_published_beside_the_json_one(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/view", "/view/entity/{entity_id}", "/view/query/{name}"):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert content["text/html"]["schema"] == {"type": "string"}
    query = schema["paths"]["/view/query/{name}"]["get"]["parameters"]
    assert {"class", "rel", "from", "to", "undated", "limit"} <= {p["name"] for p in query}


# --------------------------------------------------------------------- HTML pages

EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']*)""")


def assert_no_outside_resources(html: str, allowed_prefix: str = "/") -> None:
    for url in EXTERNAL.findall(html):
        assert url.startswith(allowed_prefix) or url.startswith("data:"), url
    for word in ("cdn.jsdelivr", "cdnjs", "bootstrap", "unpkg", "googleapis"):
        assert word not in html.lower()


def test_offline_page_inlines_vis_network(ego: ViewModel) -> None:
    html = render.render_view(ego, offline=True)
    assert_no_outside_resources(html, allowed_prefix="data:")
    assert render.asset("vis-network.min.js")[:2000] in html
    assert "/static/vis" not in html
    assert MOU_QUOTE in html


def test_served_page_loads_vis_network_from_the_app(ego: ViewModel) -> None:
    html = render.render_view(ego)
    assert_no_outside_resources(html)
    assert '<script src="/static/vis/vis-network.min.js">' in html
    assert render.asset("vis-network.min.js")[:2000] not in html


def test_pages_escape_the_data() -> None:
    nasty = "</script><script>alert(1)</script>"
    view = views.build(
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
        pytest.param("/view", marks=pytest.mark.slow),  # the whole graph: seconds
        f"/view/entity/{MOU}",
        f"/view/entity/{MOU}?depth=2&class=Actor",
        f"/view/query/agreement_parties?agreement={MOU}",
        "/view?class=Tension&rel=CONCERNS&from=2020&to=2026-12&undated=drop&limit=30",
        # the start page's form, left as it is
        pytest.param("/view?from=&to=&limit=500", marks=pytest.mark.slow),
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


def test_ego_view_json_is_the_ego_network(client: TestClient, ego: ViewModel) -> None:
    body = client.get(f"/view/entity/{MOU}", params={"format": "json"}).json()
    assert body == ego.to_json()


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


def query_json(client: TestClient, name: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/view/query/{name}", params={**params, "format": "json"})
    assert response.status_code == 200, response.text
    return response.json()


def test_query_view_takes_the_view_filters(client: TestClient) -> None:
    actors = query_json(client, "agreement_parties", agreement=MOU, **{"class": "Actor"})
    assert {n["group"] for n in actors["nodes"]} == {"Actor"}
    assert {"uk", "us"} <= {n["id"] for n in actors["nodes"]}
    assert actors["filters"]["class"] == ["Actor"]
    parties = query_json(client, "agreement_parties", agreement=MOU, rel="PARTY_TO")
    assert {e["type"] for e in parties["edges"]} == {"PARTY_TO"}
    assert ("uk", "PARTY_TO", MOU) in {(e["from"], e["type"], e["to"]) for e in parties["edges"]}
    capped = query_json(client, "agreement_parties", agreement=MOU, limit=2)
    assert len(capped["nodes"]) == 2 and capped["truncated"] is True
    assert "left out" in capped["message"] and capped["filters"]["limit"] == 2
    dated = query_json(client, "agreement_parties", agreement=MOU, undated="drop", to="2000")
    assert dated["nodes"] == [] and dated["filters"]["to"] == "2000"
    assert dated["query"] == {"name": "agreement_parties", "params": {"agreement": MOU}}


def test_query_views_own_from_and_to_go_to_the_query(client: TestClient) -> None:
    events = query_json(client, "events_in_range", **{"from": "2026-02-01", "to": "2026-02-28"})
    assert events["query"]["params"] == {"from": "2026-02-01", "to": "2026-02-28"}
    assert events["filters"]["from"] is None and events["filters"]["to"] is None
    path = query_json(client, "shortest_path", **{"from": "uk", "to": "us", "class": "Actor"})
    assert {"uk", "us"} <= {n["id"] for n in path["nodes"]}
    assert {n["group"] for n in path["nodes"]} == {"Actor"}


QUERY = f"/view/query/agreement_parties?agreement={MOU}"
FILTER_ERRORS = [
    ("class=Nope", ["--class", "Nope"], "class"),
    ("rel=LIKES", ["--rel", "LIKES"], "rel"),
    ("from=yesterday", ["--from", "yesterday"], "from"),
    ("from=2026&to=2025", ["--from", "2026", "--to", "2025"], "to"),
    ("undated=maybe", ["--undated", "maybe"], "undated"),
    ("limit=0", ["--limit", "0"], "limit"),
    (f"limit={views.MAX_LIMIT + 1}", ["--limit", str(views.MAX_LIMIT + 1)], "limit"),
]


@pytest.mark.parametrize(("query", "options", "parameter"), FILTER_ERRORS)
def test_query_view_filters_are_checked_as_by_the_cli(
    client: TestClient,
    loaded_store: GraphStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    options: list[str],
    parameter: str,
) -> None:
    from mineralkg import cli

    error = assert_error(client.get(f"{QUERY}&{query}"), 422)
    assert [d["parameter"] for d in error["details"]] == [parameter], error
    monkeypatch.setattr(cli, "store_or_exit", lambda kind: _Borrowed(loaded_store))
    args = ["view", "--query", "agreement_parties", "--param", f"agreement={MOU}", *options]
    result = CliRunner().invoke(cli.app, [*args, "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and parameter in result.output, result.output


def test_query_view_names_bad_query_and_filter_parameters_together(client: TestClient) -> None:
    error = assert_error(client.get("/view/query/agreement_parties?class=Nope&rel=LIKES"), 422)
    assert {d["parameter"] for d in error["details"]} == {"agreement", "class", "rel"}


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
