"""The embedded store under faults: its server crashed or killed, a load just done, two
processes on one file, the owning process killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mineralkg.api.app import create_app
from mineralkg.graph.embedded import EmbeddedStore
from mineralkg.graph.embedded_server import DEFAULT_SAVE_RULES
from mineralkg.graph.guard import QueryCrashedStore
from mineralkg.graph.lanes import QUERY_MEMORY_BYTES, tune
from mineralkg.graph.reply_limit import CappedParser
from mineralkg.graph.store import QueryRefused, QuerySyntaxError, StoreUnavailable
from mineralkg.loaders.plan import build_plan
from mineralkg.ontology.model import Ontology
from mineralkg.settings import Settings
from mineralkg.testing.synthetic import generate

CHAIN = [
    ("UNWIND range(1, 20) AS i CREATE (:Entity {id: toString(i)})", {}),
    (
        "MATCH (a:Entity), (b:Entity) WHERE toInteger(a.id) = toInteger(b.id) - 1 "
        "CREATE (a)-[:R]->(b)",
        {},
    ),
]
# the crashing shape with its ends bound by an earlier MATCH, which the text does not show:
# it reaches FalkorDB, which crashes on it
UNGUARDED_CRASH = (
    "MATCH (a:Entity {id: '1'}), (b:Entity {id: '3'}) MATCH p = (a)-[*2..2]-(b) "
    "RETURN count(p) AS c"
)


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "graph.db", "faults")
    yield store
    store.close()


def count(store: EmbeddedStore) -> int:
    return int(store.run("MATCH (n) RETURN count(n) AS c").rows[0]["c"])


def test_the_crashing_shape_is_refused_before_it_reaches_falkordb(fresh: EmbeddedStore) -> None:
    fresh.write_transaction(CHAIN)
    pid = fresh.server_pid
    with pytest.raises(QuerySyntaxError, match=r"fixed length \[\*2\.\.2\].*#2542"):
        fresh.run("MATCH p=(a:Entity {id:'1'})-[*2..2]-(b:Entity {id:'3'}) RETURN p")
    with pytest.raises(QuerySyntaxError, match=r"fixed length \[:R\*2\]"):  # answers wrongly
        fresh.run("MATCH p=(a:Entity {id:'1'})-[:R*2]->(b:Entity {id:'3'}) RETURN p")
    assert fresh.server_pid == pid  # the server never saw them
    # the form the message suggests runs and answers rightly
    ranged = (
        "MATCH p=(a:Entity {id:'1'})-[*1..2]-(b:Entity {id:'3'}) "
        "WHERE length(p) = 2 RETURN count(p) AS c"
    )
    assert fresh.run(ranged).rows == [{"c": 1}]


def test_a_query_that_crashes_the_server_is_stopped_by_the_breaker(fresh: EmbeddedStore) -> None:
    fresh.write_transaction(CHAIN)
    first = fresh.server_pid
    with pytest.raises(QueryCrashedStore, match="crashed the embedded FalkorDB server"):
        fresh.run(UNGUARDED_CRASH)
    assert fresh.server_pid != first  # it did crash, and was restarted
    second = fresh.server_pid
    for _ in range(3):  # sent again: refused at once, the server is not crashed again
        with pytest.raises(QueryRefused, match="stopped the database server"):
            fresh.run(UNGUARDED_CRASH)
    assert fresh.server_pid == second
    assert count(fresh) == 20  # the saved graph came back


def test_a_client_whose_queries_keep_crashing_the_server_is_refused(fresh: EmbeddedStore) -> None:
    fresh.write_transaction(CHAIN)
    app = create_app(Settings(query_timeout=20.0), store=fresh)  # type: ignore[call-arg]
    count_query = {"query": "MATCH (n) RETURN count(n) AS c"}
    main = fresh.server_pid
    with TestClient(app, client=("192.0.2.1", 40000)) as hostile:
        other = TestClient(app, client=("192.0.2.2", 40000))  # the same running app
        twin = app.state.adhoc_store  # ad-hoc reads run on a copy in a server of its own
        assert other.post("/cypher", json=count_query).json()["rows"] == [{"c": 20}]
        pids = [twin.server_pid]
        for start in (1, 2):  # two forms of the crashing query: each crashes the server once
            query = UNGUARDED_CRASH.replace("'1'", f"'{start}'").replace("'3'", f"'{start + 2}'")
            crashed = hostile.post("/cypher", json={"query": query})
            assert crashed.status_code == 400, crashed.text
            assert crashed.json()["error"]["code"] == "QueryCrashedStore"
            pids.append(twin.server_pid)
        assert len(set(pids)) == 3
        assert fresh.server_pid == main  # the server of the catalogue and entities never fell
        third = UNGUARDED_CRASH.replace("'1'", "'5'").replace("'3'", "'7'")
        for body in ({"query": third}, count_query):  # a third form, or any query: refused
            refused = hostile.post("/cypher", json=body)
            assert refused.status_code == 429
            assert "crashed the database server 2 times" in refused.json()["error"]["message"]
            assert 500 < int(refused.headers["Retry-After"]) <= 600
        assert twin.server_pid == pids[-1]  # the server was not crashed a third time
        assert other.post("/cypher", json=count_query).json()["rows"] == [{"c": 20}]
        assert hostile.get("/entities/1").status_code == 200  # only its ad-hoc queries


def test_a_killed_server_answers_503_once_then_serves_with_the_same_settings(
    fresh: EmbeddedStore,
) -> None:
    fresh.write_transaction(CHAIN)
    tune(fresh)  # as the API does when it starts
    os.kill(fresh.server_pid, signal.SIGKILL)
    assert wait_gone(fresh.server_pid)
    with pytest.raises(StoreUnavailable, match="stopped and was restarted; retry"):
        fresh.run("RETURN 1 AS x")
    assert count(fresh) == 20
    capacity = fresh.connection.execute_command("GRAPH.CONFIG", "GET", "QUERY_MEM_CAPACITY")
    assert int(capacity[1]) == QUERY_MEMORY_BYTES  # a query's memory still bounded
    kwargs = fresh.connection.connection_pool.connection_kwargs
    assert kwargs["socket_timeout"] is None  # no 5 s read timeout after the restart
    assert kwargs["retry"].get_retries() == 0  # and no resending of a slow query
    assert kwargs["parser_class"] is CappedParser  # answers still read up to a byte cap
    os.kill(fresh.server_pid, signal.SIGKILL)
    assert wait_gone(fresh.server_pid)
    fresh.ping()  # /health restarts it too
    assert count(fresh) == 20


def test_a_store_crash_right_after_a_load_loses_nothing(
    fresh: EmbeddedStore, ontology: Ontology
) -> None:
    old, new = generate(150, 2, seed=1, ont=ontology), generate(300, 2, seed=2, ont=ontology)
    fresh.load(build_plan(old, ontology))
    fresh.load(build_plan(new, ontology))
    loaded = fresh.counts()
    os.kill(fresh.server_pid, signal.SIGKILL)  # no time for a background save
    assert wait_gone(fresh.server_pid)
    fresh.ping()
    assert fresh.counts() == loaded
    assert loaded.nodes == len(new.nodes)


def test_saves_are_switched_back_on_after_a_load_killed_with_them_off(
    fresh: EmbeddedStore, ontology: Ontology, tmp_path: Path
) -> None:
    conn = fresh.connection
    conn.config_set("save", "")  # what a load killed mid-way leaves behind
    fresh.load(build_plan(generate(50, 2, seed=1, ont=ontology), ontology))
    assert conn.config_get("save")["save"] == DEFAULT_SAVE_RULES
    conn.config_set("save", "")
    other = EmbeddedStore(tmp_path / "graph.db", "faults")  # another process attaching
    try:
        assert conn.config_get("save")["save"] == DEFAULT_SAVE_RULES
    finally:
        other.close()


OPEN_AND_WAIT = """
import sys, time
from pathlib import Path
from mineralkg.graph.embedded import EmbeddedStore
store = EmbeddedStore(Path(sys.argv[1]), "faults")
print(store.server_pid, flush=True)
time.sleep(float(sys.argv[2]))
store.close()
"""


def open_in_process(path: Path, hold: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", OPEN_AND_WAIT, str(path), str(hold)],
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_processes_starting_at_once_share_one_server(tmp_path: Path) -> None:
    path = tmp_path / "graph.db"
    procs = [open_in_process(path, 3) for _ in range(3)]
    pids = {int(p.stdout.readline()) for p in procs if p.stdout}
    for p in procs:
        p.wait(timeout=60)
    assert len(pids) == 1
    (server,) = pids
    assert wait_gone(server), "the shared server outlived every process that used it"


def test_serve_refuses_several_workers_on_the_embedded_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mineralkg.cli import app
    from mineralkg.settings import get_settings

    monkeypatch.setenv("MINERALKG_STORE", "embedded")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--workers", "2"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "needs MINERALKG_STORE=neo4j" in result.output


def test_the_server_goes_when_its_process_is_killed(tmp_path: Path) -> None:
    proc = open_in_process(tmp_path / "graph.db", 60)
    assert proc.stdout is not None
    server = int(proc.stdout.readline())
    assert alive(server)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert wait_gone(server), f"redis-server {server} outlived the process that started it"


@pytest.mark.slow
def test_the_server_goes_when_its_process_is_killed_even_if_it_cannot_save(
    tmp_path: Path,
) -> None:
    """A server whose final save fails (its folder removed) does not exit on SIGTERM: the
    watchdog kills it after its grace (such servers of ad-hoc twins were left running)."""
    from mineralkg.graph.embedded_server import WATCHDOG_GRACE_S

    folder = tmp_path / "gone"
    folder.mkdir()
    proc = open_in_process(folder / "graph.db", 60)
    assert proc.stdout is not None
    server = int(proc.stdout.readline())
    shutil.rmtree(folder)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert wait_gone(server, within=WATCHDOG_GRACE_S + 5), f"redis-server {server} ran on"


LOAD_AND_REPORT = """
import sys
from pathlib import Path
from mineralkg.graph.embedded import EmbeddedStore
from mineralkg.loaders.plan import build_plan
from mineralkg.testing.synthetic import generate
data = generate(int(sys.argv[2]), 4, seed=7)
store = EmbeddedStore(Path(sys.argv[1]), "faults")  # attaches to the server already running
print("loading", flush=True)
store.load(build_plan(data), batch_size=500, workers=1, progress=lambda n: print(n, flush=True))
"""


@pytest.mark.slow
def test_a_load_killed_midway_leaves_the_old_graph_saves_on_and_no_staging_graph(
    fresh: EmbeddedStore, ontology: Ontology, tmp_path: Path
) -> None:
    fresh.load(build_plan(generate(100, 2, seed=1, ont=ontology), ontology))
    before = fresh.counts()
    loader = subprocess.Popen(
        [sys.executable, "-c", LOAD_AND_REPORT, str(tmp_path / "graph.db"), "20000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert loader.stdout is not None
    assert loader.stdout.readline().strip() == "loading"
    for _ in range(10):  # well into the bulk insert
        loader.stdout.readline()
    assert fresh.connection.config_get("save")["save"] == ""  # paused by the load
    loader.send_signal(signal.SIGKILL)
    loader.wait(timeout=10)
    deadline = time.monotonic() + 5
    while fresh.connection.config_get("save")["save"] != DEFAULT_SAVE_RULES:
        assert time.monotonic() < deadline, "saves stayed off after the load was killed"
        time.sleep(0.05)
    assert fresh.counts() == before
    assert fresh.staging_name not in fresh.connection.keys("*")
