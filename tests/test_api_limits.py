"""The API's limits and conventions, on each store: lanes and 429s, timeouts, sizes, integers
beyond 64 bits, ETags, gzip, CORS, HEAD, security headers, no redirects, a hung store."""

from __future__ import annotations

import contextlib
import gzip
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import networkx as nx
import pytest
from fastapi.testclient import TestClient

from mineralkg.api.app import create_app
from mineralkg.api.cache import UNKNOWN
from mineralkg.api.lanes import STORE_THREADS, Lanes
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset
from mineralkg.settings import Settings
from mineralkg.testing.server import served

TIMEOUT = 2.0
# runs for seconds on both stores, past the 2 s limit, in little memory (a long `range` list
# hits FalkorDB's QUERY_MEM_CAPACITY first)
SLOW = (
    "UNWIND range(1, 10000) AS a UNWIND range(1, 10000) AS b "
    "WITH a, b WHERE a * b % 7 = 1 RETURN count(*) AS c"
)
HUGE = 2**70


def settings(**changes: object) -> Settings:
    return Settings(**{"query_timeout": TIMEOUT, "row_limit": 1000, **changes})  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def client(loaded_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings(), store=loaded_store)) as test_client:
        yield test_client


def error_of(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text[:300]
    error: dict[str, object] = response.json()["error"]
    assert error["status"] == status
    return error


@pytest.mark.slow
def test_adhoc_query_past_the_timeout_is_408(client: TestClient) -> None:
    started = time.perf_counter()
    response = client.post("/cypher", json={"query": SLOW})
    elapsed = time.perf_counter() - started
    error = error_of(response, 408)
    assert "stopped" in str(error["message"])
    # Server-Timing: the server's own time, from arrival to the answer, past the timeout
    timeout = client.app.state.settings.query_timeout  # type: ignore[attr-defined]
    name, _, duration = response.headers["server-timing"].partition(";dur=")
    assert name == "app" and timeout * 1e3 <= float(duration) <= elapsed * 1e3


def test_the_adhoc_lane_leaves_a_core_for_the_other_reads(store: GraphStore) -> None:
    # FalkorDB's query threads, or the cores of a Neo4j on this machine (the test server):
    # a hostile query running on every core would queue every other read behind it
    cores = os.cpu_count() or 1
    wide = Lanes.of(Settings(cypher_concurrency=64), store)  # type: ignore[call-arg]
    assert wide.adhoc.threads == max(1, cores - 1)
    narrow = Lanes.of(Settings(cypher_concurrency=1), store)  # type: ignore[call-arg]
    assert narrow.adhoc.threads == 1


@pytest.mark.slow
def test_a_full_adhoc_lane_is_429_and_other_reads_go_on(loaded_store: GraphStore) -> None:
    # a longer timeout: the other reads must not fail for want of CPU on a busy machine, where
    # the slow query and the database share the cores with them; the slow query is stopped at
    # it, so it also sets how long this test takes
    lanes = {"cypher_concurrency": 1, "cypher_per_client": 1, "query_timeout": 6.0}
    app = create_app(Settings(**lanes), store=loaded_store)  # type: ignore[arg-type]
    with served(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        slow = threading.Thread(
            target=http.post, args=("/cypher",), kwargs={"json": {"query": SLOW}}
        )
        slow.start()
        deadline = time.monotonic() + 10
        while app.state.lanes.adhoc.busy == 0:
            assert time.monotonic() < deadline, "the slow query never started"
            time.sleep(0.01)
        refused = http.post("/cypher", json={"query": "RETURN 1 AS one"})
        error_of(refused, 429)
        assert int(refused.headers["retry-after"]) >= 1
        # a path search, as deep as its client asks, is admitted like ad-hoc Cypher
        error_of(http.get("/paths", params={"from": "uk", "to": "us"}), 429)
        # the catalogue, entities and views have their own lane
        assert http.get("/entities/uk").status_code == 200
        assert (
            http.get(
                "/queries/agreement_parties", params={"agreement": "uk-us-critical-minerals-mou"}
            ).status_code
            == 200
        )
        assert http.get("/view", params={"format": "json", "limit": 5}).status_code == 200
        slow.join()
        while app.state.lanes.adhoc.busy:  # freed once the database has finished
            time.sleep(0.05)
        assert http.post("/cypher", json={"query": "RETURN 1 AS one"}).status_code == 200


def test_a_body_over_the_limit_is_413_with_or_without_a_length(client: TestClient) -> None:
    big = {"query": "RETURN $s AS s", "params": {"s": "x" * 200_000}}
    error = error_of(client.post("/cypher", json=big), 413)
    assert "100000 bytes" in str(error["message"])

    def chunks() -> Iterator[bytes]:
        yield b'{"query": "RETURN 1", "params": {"s": "'
        for _ in range(50):
            yield b"y" * 10_000
        yield b'"}}'

    error_of(
        client.post("/cypher", content=chunks(), headers={"content-type": "application/json"}), 413
    )


def test_an_answer_stops_at_the_byte_limit(loaded_store: GraphStore) -> None:
    app = create_app(settings(result_limit_bytes=20_000), store=loaded_store)
    with TestClient(app) as http:
        # 60 kB: past the limit, within the four times it the embedded store reads whole
        query = {
            "query": "UNWIND range(1, 60) AS i RETURN i, $s AS s",
            "params": {"s": "z" * 1000},
        }
        answer = http.post("/cypher", json=query).json()
    assert answer["truncated"] is True
    assert 10 <= answer["row_count"] < 20
    assert [row["i"] for row in answer["rows"]] == list(range(1, answer["row_count"] + 1))


@pytest.mark.parametrize(
    "path",
    [
        f"/queries/shortest_path?from=uk&to=us&max_depth={HUGE}",
        f"/view/query/shortest_path?from=uk&to=us&max_depth={HUGE}",
        f"/paths?from=uk&to=us&max_depth={HUGE}",
        f"/entities?limit={HUGE}",
    ],
)
def test_integers_beyond_64_bits_are_422(client: TestClient, path: str) -> None:
    error_of(client.get(path), 422)


def test_an_adhoc_parameter_beyond_64_bits_is_422(client: TestClient) -> None:
    body = {"query": "RETURN $n AS n", "params": {"n": [1, {"deep": -HUGE}]}}
    error = error_of(client.post("/cypher", json=body), 422)
    assert "64 bits" in str(error["details"])


def test_a_duration_is_answered_as_iso_8601(client: TestClient) -> None:
    answer = client.post("/cypher", json={"query": "RETURN duration('P1D') AS d"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["rows"] == [{"d": "P1D"}]


@pytest.mark.parametrize(
    "path",
    [
        "/queries/agreement_parties?agreement=uk-us-critical-minerals-mou",
        "/entities/uk",
        "/entities?q=kingdom",
        "/view/entity/uk?format=json",
        "/changes.atom?since=2025-10",  # a feed reader polls it
    ],
)
def test_etag_and_if_none_match(loaded_store: GraphStore, path: str) -> None:
    # the tag needs a version read lately: a TTL the reads of a busy machine keep up with
    # and a timeout a first read on a busy machine keeps within
    app = create_app(Settings(query_timeout=10.0, cache_ttl=10.0), store=loaded_store)
    with TestClient(app) as client:
        cache = client.app.state.cache  # type: ignore[attr-defined]
        deadline = time.monotonic() + 60
        while cache.current() is UNKNOWN:  # the refresher's first read of the version
            assert time.monotonic() < deadline, "the graph version was never read"
            time.sleep(0.05)
        etag_round_trip(client, path)


def etag_round_trip(client: TestClient, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200, first.text
    tag = first.headers["etag"]
    assert tag.startswith('W/"')
    again = client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    assert client.get(path, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_gzip_when_asked(client: TestClient) -> None:
    raw = client.get("/queries", headers={"Accept-Encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip"
    plain = client.get("/queries", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert raw.json() == plain.json()
    assert len(gzip.compress(plain.content)) < len(plain.content)


def test_cors_is_off_by_default_and_configurable(loaded_store: GraphStore) -> None:
    origin = "https://app.example.org"
    preflight = {"Origin": origin, "Access-Control-Request-Method": "POST"}
    with TestClient(create_app(settings(), store=loaded_store)) as http:
        assert (
            "access-control-allow-origin" not in http.options("/cypher", headers=preflight).headers
        )
        assert (
            "access-control-allow-origin"
            not in http.get("/queries", headers={"Origin": origin}).headers
        )
    app = create_app(settings(cors_origins=f"{origin}, https://other.example"), store=loaded_store)
    with TestClient(app) as http:
        allowed = http.options("/cypher", headers=preflight)
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == origin
        assert (
            http.get("/queries", headers={"Origin": origin}).headers["access-control-allow-origin"]
            == origin
        )
        other = http.options("/cypher", headers={**preflight, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("path", ["/health", "/queries", "/view?limit=5", "/entities/uk"])
def test_head_answers_where_get_does(client: TestClient, path: str) -> None:
    head = client.head(path)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == client.get(path).headers["content-type"]


def test_security_headers_and_a_csp_that_runs_only_the_pages_scripts(client: TestClient) -> None:
    for path in ("/", "/view?limit=5", "/queries"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
    csp = client.get("/view?limit=5").headers["content-security-policy"]
    script_src = next(p for p in csp.split("; ") if p.startswith("script-src"))
    assert "'sha256-" in script_src and "'unsafe-inline'" not in script_src
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp


def test_health_shows_no_file_path(client: TestClient, loaded_store: GraphStore) -> None:
    health = client.get("/health").json()
    assert "address" not in health
    assert loaded_store.address not in str(health)


def test_no_redirect_follows_the_host_header(client: TestClient) -> None:
    response = client.get("/queries/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert response.status_code == 404
    assert "location" not in response.headers


def test_every_error_status_in_the_schema_has_the_error_body(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = operation["responses"]
            assert "500" in statuses, (method, path)
            for status, response in statuses.items():
                if int(status) >= 400:
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorBody"}
    assert {"413", "429", "408"} <= set(document["paths"]["/cypher"]["post"]["responses"])


def test_every_operation_in_the_docs_has_a_written_summary(client: TestClient) -> None:
    # without one, FastAPI titles the function's name ("Get Entity", "Neighbors") in /docs,
    # which is also how the operation id begins
    document = client.get("/openapi.json").json()
    generated = [
        f"{method} {path}: {operation['summary']}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if operation["operationId"].startswith(operation["summary"].lower().replace(" ", "_"))
    ]
    assert generated == []


@pytest.mark.slow
def test_a_hung_store_is_503_on_time_and_storeless_endpoints_answer(
    tmp_path: Path, mini_store: GraphStore
) -> None:
    """The embedded server stopped with SIGSTOP: a real hang, not a stand-in."""
    pid = int(mini_store.connection.info()["process_id"])
    timeout = 1.0  # an entity read may make three queries: its 503 comes after 3 s
    app = create_app(settings(cache_ttl=0, query_timeout=timeout), store=mini_store)
    with TestClient(app) as http:
        assert http.get("/entities/uk").status_code == 200
        assert http.post("/cypher", json={"query": "RETURN 1 AS one"}).status_code == 200
        os.kill(pid, signal.SIGSTOP)
        try:
            error = error_of(http.get("/entities/uk"), 503)
            assert "did not answer" in str(error["message"])
            started = time.monotonic()  # ad-hoc reads check the main graph for changes first
            error_of(http.post("/cypher", json={"query": "RETURN 1 AS one"}), 503)
            assert time.monotonic() - started < timeout + 1.0
            assert http.get("/queries").status_code == 200
            assert http.get("/ontology").status_code == 200
        finally:
            os.kill(pid, signal.SIGCONT)
        assert http.get("/entities/uk").status_code == 200


@pytest.fixture
def mini_store(tmp_path: Path, mini: object) -> Iterator[GraphStore]:
    from mineralkg.graph.embedded import EmbeddedStore
    from mineralkg.loaders.plan import build_plan

    store = EmbeddedStore(tmp_path / "graph.db", "hang")
    store.load(build_plan(mini))  # type: ignore[arg-type]
    try:
        yield store
    finally:
        store.close()


def test_a_deep_path_search_is_answered_within_the_timeout(
    client: TestClient, curated: Dataset
) -> None:
    # an entity in another part of the graph: a path pattern followed every path from the hub
    # up to the deepest (a 408 after the timeout); the search by layers runs out of nodes
    graph = nx.Graph((r.start, r.end) for r in curated.relations)
    apart = sorted(set(graph) - nx.node_connected_component(graph, "eu"))[0]
    started = time.monotonic()
    response = client.get("/paths", params={"from": "eu", "to": apart, "max_depth": 8})
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text[:300]
    assert response.json()["found"] is False
    assert elapsed < TIMEOUT + 1.0, f"answered after {elapsed:.1f} s"


def _store_queries(store: GraphStore) -> int:
    """How many graph queries the embedded server has run since it started."""
    stats = store.connection.info("commandstats")  # type: ignore[attr-defined]
    return sum(v["calls"] for k, v in stats.items() if k.lower().startswith("cmdstat_graph."))


@pytest.mark.slow
def test_work_for_clients_that_left_is_dropped_not_run(mini_store: GraphStore) -> None:
    """Clients that give up while the store hangs: their queued reads never reach it."""
    pid = int(mini_store.connection.info()["process_id"])  # type: ignore[attr-defined]
    app = create_app(settings(cache_ttl=0), store=mini_store)
    with served(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        before = _store_queries(mini_store)
        assert http.get("/entities/uk").status_code == 200
        per_request = _store_queries(mini_store) - before
        before = _store_queries(mini_store)
        os.kill(pid, signal.SIGSTOP)
        try:

            def give_up() -> None:  # the client leaves after 0.3 s
                with contextlib.suppress(httpx.TimeoutException):
                    httpx.get(f"{base}/entities/uk", timeout=0.3)

            clients = [threading.Thread(target=give_up) for _ in range(4 * STORE_THREADS)]
            for thread in clients:
                thread.start()
            for thread in clients:
                thread.join()
            time.sleep(TIMEOUT + 1.0)  # past every deadline: queued work was dropped by now
        finally:
            os.kill(pid, signal.SIGCONT)
        assert http.get("/queries").status_code == 200
        deadline = time.monotonic() + 10
        while app.state.lanes.store.busy:  # the reads that had started finish
            assert time.monotonic() < deadline
            time.sleep(0.05)
    ran = _store_queries(mini_store) - before
    # at most the lane's threads had started a read; the other clients' reads never ran
    assert ran <= STORE_THREADS * per_request < 4 * STORE_THREADS * per_request


def test_a_parameter_holding_nul_is_a_422_or_answered(client: TestClient) -> None:
    # FalkorDB cannot take a string holding NUL as a parameter; Neo4j can
    for path in ("/changes?actor=a%00b", "/entities?q=a%00b"):
        response = client.get(path)
        assert response.status_code in {200, 422}, response.text[:300]
        if response.status_code == 422:  # the store's refusal, or no such entity
            assert response.json()["error"]["message"]
