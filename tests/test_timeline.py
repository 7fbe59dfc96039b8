"""The timeline view's data dict and the graph views' as-of filter, against the curated data
on each store, checked against what the YAML itself says (the validated dataset)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mineralkg.api.app import create_app
from mineralkg.graph.reads import ReadLimits
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset
from mineralkg.ontology.dates import PartialDate
from mineralkg.ontology.model import load as load_ontology
from mineralkg.settings import Settings
from mineralkg.views import ViewFilter, graph_view, top_class
from mineralkg.views.asof import TIMELESS_GROUPS
from mineralkg.views.timeline import KIND_GROUPS, WORDS, timeline_view
from mineralkg.views.timeline_render import render_timeline

LIMITS = ReadLimits(timeout=30.0, rows=1000)
REL_DATES = ("signedOn", "adoptedOn", "announcedOn", "startedOn", "endedOn")


def group(cls: str) -> str:
    return top_class(cls, load_ontology()) or cls


def expected_items(curated: Dataset) -> dict[str, str | None]:
    """Ids of the items the YAML calls for (node dates, history steps, dated relationships),
    with the status a history step sets."""
    out: dict[str, str | None] = {}
    for node in curated.nodes.values():
        if group(node.cls) not in KIND_GROUPS:
            continue
        for key in node.props:
            if key in WORDS:
                out[f"{node.id}|{key}||"] = None
        for i, step in enumerate(node.history):
            out[f"{node.id}-status-{i + 1}|statusChange||"] = step.status
    for rel in curated.relations:
        if rel.type != "LISTS":
            for key in REL_DATES:
                if key in rel.props:
                    out[f"{rel.start}|{key}|{rel.type}|{rel.end}"] = None
    return out


@pytest.fixture(scope="module")
def whole(loaded_store: GraphStore):  # noqa: ANN201
    return timeline_view(loaded_store, limits=LIMITS)


def test_the_timeline_holds_every_dated_fact_of_the_yaml_once(whole, curated: Dataset) -> None:
    expected = expected_items(curated)
    ids = [item.id for item in whole.items]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(expected)
    for item in whole.items:
        date = PartialDate.parse(item.date)
        assert (item.start, item.end) == (date.earliest.isoformat(), date.latest.isoformat())
        assert item.precision == date.precision
        assert item.status == expected[item.id]
    starts = [(i.start, i.end) for i in whole.items]
    assert starts == sorted(starts), "items in date order"
    assert whole.range.start == min(i.start for i in whole.items)


def test_undated_agreements_instruments_events_and_tensions_are_listed_apart(
    whole, curated: Dataset
) -> None:
    expected = {
        n.id
        for n in curated.nodes.values()
        if group(n.cls) in KIND_GROUPS and "firstDatedLatest" not in n.props
    }
    assert expected, "the curated data has undated agreements (the UK-US MOU)"
    assert {u.id for u in whole.undated} == expected
    assert not expected & {i.subject for i in whole.items if i.relation is None}
    assert "uk-us-critical-minerals-mou" in expected


def test_lanes_by_kind_and_by_actor(whole, curated: Dataset) -> None:
    kinds = {lane.id: lane.count for lane in whole.lanes["kind"]}
    assert sum(kinds.values()) == len(whole.items)
    assert {"Agreement", "PolicyInstrument", "Event", "Tension"} <= set(kinds)
    actors = {lane.id for lane in whole.lanes["actor"]}
    for item in whole.items:
        assert item.kind_lane in kinds
        assert item.actor_lanes and set(item.actor_lanes) <= actors
        if item.status:  # a status change sits on its agreement's (instrument's, ...) lane
            parent = item.subject.rsplit("-status-", 1)[0]
            assert item.kind_lane == group(curated.nodes[parent].cls)
    greenland = [i for i in whole.items if i.subject == "greenland-dispute" and not i.status]
    assert greenland and all(i.kind_lane == "Tension" for i in greenland)


def test_items_carry_their_evidence_quotes_and_the_sources_they_cite(
    whole, curated: Dataset
) -> None:
    for item in whole.items:
        if item.relation is None and not item.status:
            node = curated.nodes[item.subject]
            assert [e.quote for e in item.evidence] == [e.quote for e in node.evidence]
            assert {e.source for e in node.evidence} <= set(whole.sources)
    quoted = [i for i in whole.items if any(e.quote for e in i.evidence)]
    assert quoted, "some dated facts rest on a quoted sentence"
    cited = whole.sources[quoted[0].evidence[0].source or ""]
    assert cited.title or cited.name


def test_an_entity_timeline_and_a_date_range(loaded_store: GraphStore, whole, curated) -> None:
    view = timeline_view(loaded_store, entity="eu", lanes_by="actor", limits=LIMITS)
    near = {r.end for r in curated.relations if r.start == "eu"}
    near |= {r.start for r in curated.relations if r.end == "eu"}
    assert view.items
    for item in view.items:
        if item.relation is None:
            assert item.subject == "eu" or item.subject in near
        else:
            assert "eu" in (item.subject, item.object)
    assert view.lanes["actor"][0].id == "eu", "the entity's own lane first"
    assert view.title.startswith("European Union")
    # a range at a precision boundary: "2025-10" overlaps a range from 2025-10-15
    ranged = timeline_view(loaded_store, date_from="2025-10-15", date_to="2026-01", limits=LIMITS)
    lo, hi = PartialDate.parse("2025-10-15"), PartialDate.parse("2026-01")
    assert [i.id for i in ranged.items] == [
        i.id
        for i in whole.items
        if PartialDate.parse(i.date).relation(lo) != "before"
        and PartialDate.parse(i.date).relation(hi) != "after"
    ]
    assert any(i.date == "2025-10" for i in ranged.items)


@pytest.mark.parametrize("as_of", ["2019-06-30", "2024", "2025-06", "2025-10-15", "2026-02-04"])
def test_the_graph_as_of_a_date(loaded_store: GraphStore, curated: Dataset, as_of: str) -> None:
    date = PartialDate.parse(as_of)
    view = graph_view(loaded_store, ViewFilter.parse(as_of=as_of), limit=5000)
    shown = {n.id: n for n in view.nodes}
    assert view.as_of is not None and view.as_of.date == as_of
    for node in curated.nodes.values():
        timeless = group(node.cls) in TIMELESS_GROUPS
        first = node.props.get("firstDatedEarliest"), node.props.get("firstDatedLatest")
        if timeless or first[0] is None:
            assert node.id in shown, node.id
            dated_kind = group(node.cls) in KIND_GROUPS
            assert (node.id in view.as_of.undated) == (dated_kind and not timeless)
        elif first[0] > date.latest.isoformat():
            assert node.id not in shown, f"{node.id} is not yet as of {as_of}"
        elif first[1] > date.latest.isoformat():
            assert shown[node.id].standing == "undecidable", node.id
            assert node.id in view.as_of.undecidable
        else:
            assert shown[node.id].standing == "known", node.id
        if node.history and node.id in shown:  # its status then, from the YAML's history
            then = [
                s.status for s in node.history if PartialDate.parse(s.date).latest <= date.latest
            ]
            assert shown[node.id].status == (then[-1] if then else None), node.id
    edges = {e.id for e in view.edges}
    for rel in curated.relations:
        key = f"{rel.start}|{rel.type}|{rel.end}"
        ended = rel.props.get("endedOn")
        gone = ended is not None and PartialDate.parse(ended).latest <= date.latest
        first = rel.props.get("firstDatedEarliest")
        later = first is not None and first > date.latest.isoformat()
        if gone or later:
            assert key not in edges, key
        elif rel.start in shown and rel.end in shown:
            assert key in edges, key


@pytest.mark.slow
def test_as_of_in_the_views_json_and_page(loaded_store: GraphStore) -> None:
    app = create_app(Settings(), store=loaded_store)
    with TestClient(app) as client:
        everything = client.get("/view", params={"format": "json", "limit": 5000}).json()
        then = client.get("/view", params={"format": "json", "limit": 5000, "as_of": "2024"})
        assert then.status_code == 200
        assert then.json()["counts"]["nodes"] < everything["counts"]["nodes"]
        assert then.json()["filters"]["as_of"] == "2024"
        bad = client.get("/view", params={"as_of": "2025-02-30"})
        assert bad.status_code == 422
        assert bad.json()["error"]["details"][0]["parameter"] == "as_of"
        assert "28 days" in bad.json()["error"]["details"][0]["message"]
        page = client.get("/view/entity/eu", params={"as_of": "2025-06", "depth": 2}).text
        assert 'name="as_of"' in page and 'value="2025-06"' in page
        assert 'name="depth" value="2"' in page, "the as-of form keeps the other parameters"
        own = client.get(
            "/view/query/agreements_of_actor",
            params={"actor": "eu", "as_of": "2025-06", "format": "json"},
        ).json()
        assert "2025-06" in str(own["query"]["params"]["as_of"]), "the query's own as_of"
        assert own["as_of"]["date"] == "2025-06"


@pytest.fixture(scope="module")
def client(loaded_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), store=loaded_store)) as test_client:
        yield test_client


def test_the_timeline_endpoint(client: TestClient, loaded_store: GraphStore) -> None:
    answer = client.get("/view/timeline", params={"entity": "eu", "format": "json"})
    assert answer.status_code == 200
    expected = timeline_view(loaded_store, entity="eu", limits=LIMITS).to_json()
    assert answer.json() == expected
    assert "TimelineModel" in client.get("/openapi.json").json()["components"]["schemas"]
    for params, name in (({"from": "2026-02-30"}, "from"), ({"lanes": "year"}, "lanes")):
        bad = client.get("/view/timeline", params=params)
        assert bad.status_code == 422 and bad.json()["error"]["details"][0]["parameter"] == name
    assert client.get("/view/timeline", params={"entity": "no-such"}).status_code == 404
    script = client.get("/static/mkg/timeline.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    page = client.get("/view/timeline", params={"entity": "eu"}).text
    for tag in re.findall(r"<script[^>]*>", page):  # no inline script: CSP script-src 'self'
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "/view/timeline" in client.get("/").text
    offline = render_timeline(timeline_view(loaded_store, limits=LIMITS), offline=True)
    assert "/static/" not in offline and "function draw()" in offline
