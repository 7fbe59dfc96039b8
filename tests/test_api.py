"""The HTTP API on both stores, through FastAPI's test client."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterator

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from mineralkg.api.app import create_app
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.rdf import to_graph
from mineralkg.settings import Settings
from mineralkg.testing.rdf import same_triples


@pytest.fixture(scope="module")
def client(loaded_store: GraphStore) -> Iterator[TestClient]:
    settings = Settings(query_timeout=2.0, row_limit=50)
    with TestClient(create_app(settings, store=loaded_store)) as test_client:
        yield test_client


def assert_error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


def test_health_reports_the_store_and_counts(client: TestClient, curated: Dataset) -> None:
    body = client.get("/health").json()
    assert body["reachable"] is True
    assert body["store"] in {"embedded", "neo4j"}
    assert body["nodes"] == len(curated.nodes)
    assert body["relationships"] == len(curated.relations)


def test_catalogue_lists_queries_with_typed_parameters(client: TestClient) -> None:
    queries = {q["name"]: q for q in client.get("/queries").json()}
    params = queries["agreement_parties"]["params"]
    assert params[0]["name"] == "agreement" and params[0]["type"] == "string"
    assert params[0]["required"] is True
    assert "MATCH" in queries["agreement_parties"]["cypher"]


def test_named_query_answers_from_the_articles(client: TestClient) -> None:
    response = client.get(
        "/queries/agreement_parties", params={"agreement": "uk-us-critical-minerals-mou"}
    )
    assert response.status_code == 200, response.text
    (row,) = response.json()["rows"]
    assert sorted(p["id"] for p in row["parties"]) == ["uk", "us"]
    assert row["status"] == "signed"


def test_named_query_names_a_missing_parameter(client: TestClient) -> None:
    error = assert_error(client.get("/queries/agreement_parties"), 422)
    assert error["details"] == [{"parameter": "agreement", "message": "required (string)"}]


def test_named_query_names_an_unknown_parameter(client: TestClient) -> None:
    response = client.get("/queries/agreement_parties", params={"agreement": "x", "colour": "3"})
    error = assert_error(response, 422)
    assert {"parameter": "colour", "message": "unknown parameter"} in error["details"]


def test_unknown_query_is_404(client: TestClient) -> None:
    assert_error(client.get("/queries/nope"), 404)


def test_adhoc_cypher_returns_rows(client: TestClient) -> None:
    response = client.post(
        "/cypher",
        json={"query": "MATCH (n:State {id: $id}) RETURN n.name AS name", "params": {"id": "uk"}},
    )
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == [{"name": "United Kingdom"}]


def test_adhoc_cypher_syntax_error_is_400_with_the_database_message(client: TestClient) -> None:
    error = assert_error(client.post("/cypher", json={"query": "MATCH (n RETURN n"}), 400)
    assert error["code"] == "QuerySyntaxError"


def test_adhoc_cypher_row_cap(client: TestClient) -> None:
    body = client.post("/cypher", json={"query": "UNWIND range(1, 200) AS x RETURN x"}).json()
    assert body["row_count"] == 50 and body["truncated"] is True


@pytest.mark.slow
def test_adhoc_cypher_timeout(client: TestClient) -> None:
    query = (
        "UNWIND range(1, 20000) AS a UNWIND range(1, 20000) AS b "
        "WITH a, b WHERE a * b % 7 = 1 RETURN count(*) AS c"
    )
    error = assert_error(client.post("/cypher", json={"query": query}), 408)
    assert "stopped" in error["message"]
    # its slot stays taken until the database has stopped it (by design): the next tests of
    # this client would be refused (429) on a busy machine if they came before that
    lanes = client.app.state.lanes  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30
    while lanes.adhoc.busy and time.monotonic() < deadline:
        time.sleep(0.05)


WRITES = [
    "CREATE (:Intruder {id: 'x'})",
    "MERGE (:Intruder {id: 'x'})",
    "MATCH (n:State {id: 'uk'}) SET n.name = 'Intruded'",
    "MATCH (n:State {id: 'uk'}) DETACH DELETE n",
    "MATCH (n:State {id: 'uk'}) REMOVE n.name",
    "MATCH (n:State {id: 'uk'}) REMOVE n:State",
    "MATCH ()-[r:PARTY_TO]->() DELETE r",
    "MATCH (n:State {id: 'uk'}) CALL { WITH n CREATE (:Intruder {id: n.id}) } RETURN n",
    "LOAD CSV FROM 'file:///etc/hostname' AS row CREATE (:Intruder {id: row[0]})",
]
WRITE_PROCEDURES = {
    "embedded": "CALL db.idx.fulltext.createNodeIndex('Intruder', 'name')",
    "neo4j": "CALL db.createLabel('Intruder')",
}


def fingerprint(client: TestClient) -> list[dict]:  # type: ignore[type-arg]
    query = (
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() "
        "RETURN n.id AS id, n.name AS name, labels(n) AS l, count(r) AS r ORDER BY id"
    )
    return client.post("/cypher", json={"query": query}).json()["rows"]


@pytest.mark.parametrize("query", WRITES)
def test_writes_in_every_form_are_refused(client: TestClient, query: str) -> None:
    before = fingerprint(client)
    response = client.post("/cypher", json={"query": query})
    assert response.status_code in {400, 403}, response.text
    assert fingerprint(client) == before


def test_write_procedures_are_refused(client: TestClient, loaded_store: GraphStore) -> None:
    before = fingerprint(client)
    response = client.post("/cypher", json={"query": WRITE_PROCEDURES[loaded_store.kind]})
    assert response.status_code in {400, 403}, response.text
    assert fingerprint(client) == before
    labels = client.post("/cypher", json={"query": "CALL db.labels() YIELD label RETURN label"})
    assert "Intruder" not in {r["label"] for r in labels.json()["rows"]}


def test_entity_search_by_name_and_alias(client: TestClient) -> None:
    hits = client.get("/entities", params={"q": "washington"}).json()
    assert hits[0]["id"] == "us"
    states = client.get("/entities", params={"q": "united", "type": "State"}).json()
    assert {"uk", "us"} <= {h["id"] for h in states}
    assert all(h["type"] == "State" for h in states)


def test_entity_search_rejects_an_unknown_type(client: TestClient) -> None:
    error = assert_error(client.get("/entities", params={"type": "Country"}), 422)
    assert error["details"][0]["parameter"] == "type"


def test_entity_detail_has_sources_and_quotes(client: TestClient, curated: Dataset) -> None:
    body = client.get("/entities/uk-us-critical-minerals-mou").json()
    assert body["type"] == "MemorandumOfUnderstanding"
    assert "Agreement" in body["labels"]
    expected = curated.nodes["uk-us-critical-minerals-mou"]
    assert [s["id"] for s in body["sources"]] == list(expected.sources)
    assert [e.get("quote") for e in body["evidence"]] == [e.quote for e in expected.evidence]
    assert body["degree"] > 0


def test_unknown_entity_is_404(client: TestClient) -> None:
    assert_error(client.get("/entities/atlantis"), 404)
    assert_error(client.get("/entities/atlantis/neighbors"), 404)


def test_neighbours_follow_the_requested_types(client: TestClient, curated: Dataset) -> None:
    body = client.get(
        "/entities/uk-us-critical-minerals-mou/neighbors", params={"rel": "PARTY_TO"}
    ).json()
    assert {n["id"] for n in body["nodes"]} == {"uk", "us", "uk-us-critical-minerals-mou"}
    assert {r["type"] for r in body["relationships"]} == {"PARTY_TO"}
    everything = client.get("/entities/uk-us-critical-minerals-mou/neighbors").json()
    direct = {
        r.start if r.end == "uk-us-critical-minerals-mou" else r.end
        for r in curated.relations
        if "uk-us-critical-minerals-mou" in (r.start, r.end)
    }
    assert {n["id"] for n in everything["nodes"]} == direct | {"uk-us-critical-minerals-mou"}


def test_neighbours_reject_unknown_types_and_depths(client: TestClient) -> None:
    assert_error(client.get("/entities/uk/neighbors", params={"rel": "LIKES"}), 422)
    assert_error(client.get("/entities/uk/neighbors", params={"depth": 9}), 422)


def test_shortest_path(client: TestClient) -> None:
    body = client.get("/paths", params={"from": "denmark", "to": "greenland"}).json()
    assert body["found"] and body["length"] == 1
    longer = client.get("/paths", params={"from": "uk", "to": "china"}).json()
    assert longer["found"] and longer["length"] >= 2
    ids = [n["id"] for n in longer["nodes"]]
    assert ids[0] == "uk" and ids[-1] == "china"


def test_paths_are_as_short_as_any(client: TestClient, curated: Dataset) -> None:
    """Lengths against networkx's on the curated data, for pairs near, far, beyond the depth
    asked and in other parts of the graph; each path returned is a chain between the two."""
    graph = nx.Graph((r.start, r.end) for r in curated.relations)
    graph.add_nodes_from(curated.nodes)
    pick = random.Random(7)
    ids = sorted(graph)
    for start, end in [(pick.choice(ids), pick.choice(ids)) for _ in range(25)]:
        if start == end:
            continue
        depth = pick.choice([2, 4, 8])
        try:
            hops: int | None = nx.shortest_path_length(graph, start, end)
        except nx.NetworkXNoPath:
            hops = None
        want = hops if hops is not None and hops <= depth else None
        body = client.get("/paths", params={"from": start, "to": end, "max_depth": depth}).json()
        assert body["length"] == want, (start, end, depth)
        if want is not None:
            chain = [n["id"] for n in body["nodes"]]
            assert chain[0] == start and chain[-1] == end and len(chain) == want + 1
            assert all(graph.has_edge(a, b) for a, b in itertools.pairwise(chain))


def test_no_path_to_an_entity_without_relationships(client: TestClient, curated: Dataset) -> None:
    linked = {r.start for r in curated.relations} | {r.end for r in curated.relations}
    alone = sorted(set(curated.nodes) - linked)[0]
    body = client.get("/paths", params={"from": "uk", "to": alone, "max_depth": 8})
    assert body.status_code == 200  # before: every path from uk up to 8 steps, a 408
    assert body.json() == {"found": False, "length": None, "nodes": [], "relationships": []}


def test_ontology_in_turtle_and_json_ld(client: TestClient) -> None:
    turtle = client.get("/ontology")
    assert turtle.headers["content-type"].startswith("text/turtle")
    as_json = client.get("/ontology", headers={"Accept": "application/ld+json"})
    assert as_json.headers["content-type"].startswith("application/ld+json")
    a = Graph().parse(data=turtle.text, format="turtle")
    b = Graph().parse(data=as_json.text, format="json-ld")
    assert len(a) == len(b) > 500


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "nt"])
def test_export_is_the_graph_as_rdf(client: TestClient, curated: Dataset, fmt: str) -> None:
    response = client.get("/export", params={"format": fmt})
    assert response.status_code == 200
    exported = Graph().parse(data=response.text, format=fmt)
    assert same_triples(exported, to_graph(curated))


def test_export_rejects_an_unknown_format(client: TestClient) -> None:
    assert_error(client.get("/export", params={"format": "xml"}), 422)


def test_an_entity_as_of_a_date_has_its_status_then(client: TestClient, curated: Dataset) -> None:
    agreement = next(
        n
        for n in curated.nodes.values()
        if len(n.history) >= 2
        and len({s.status for s in n.history}) >= 2
        and all(len(str(s.date)) == 10 for s in n.history)
    )
    first, second = agreement.history[0], agreement.history[1]
    url = f"/entities/{agreement.id}"
    then = client.get(url, params={"as_of": str(first.date)}).json()["as_of"]
    assert then["standing"] == "known" and then["status"] == first.status
    assert [s["status"] for s in then["history"]] == [s.status for s in agreement.history]
    before = client.get(url, params={"as_of": "1999"}).json()["as_of"]
    assert before["standing"] == "not-yet" and before["status"] is None
    later = client.get(url, params={"as_of": str(second.date)}).json()["as_of"]
    assert later["status"] == second.status
    assert client.get(url).json()["as_of"] is None
    error = assert_error(client.get(url, params={"as_of": "2025-02-30"}), 422)
    assert error["details"][0]["parameter"] == "as_of"


def test_neighbours_as_of_a_date_leave_out_what_came_later(
    client: TestClient, curated: Dataset
) -> None:
    now = client.get("/entities/us/neighbors").json()
    then = client.get("/entities/us/neighbors", params={"as_of": "2019"}).json()
    assert 0 < len(then["nodes"]) < len(now["nodes"])
    for node in then["nodes"]:
        first = node["properties"].get("firstDatedEarliest")
        assert first is None or first <= "2019-12-31", node["id"]
    assert "us" in {n["id"] for n in then["nodes"]}
