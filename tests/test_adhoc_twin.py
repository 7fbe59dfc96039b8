"""Ad-hoc reads on the embedded store run on a copy of the graph in a second FalkorDB server at
the lowest CPU priority (graph/adhoc_twin.py): the catalogue and entity reads keep the cores,
a query that overruns its deadline is stopped by killing that server, and the main server is
never touched by ad-hoc queries."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from fastapi.testclient import TestClient

from mineralkg.api.app import create_app
from mineralkg.graph.adhoc_twin import AdhocTwin
from mineralkg.graph.embedded import EmbeddedStore
from mineralkg.settings import Settings

TIMEOUT = 1.0
# one expression of 64 million steps in little memory: FalkorDB looks at its timeout only
# between them (3.7 s for a 1 s limit, measured)
SLOW = (
    "RETURN reduce(s = 0, a IN range(1, 8000) | "
    "s + reduce(t = 0, b IN range(1, 8000) | t + b % 7)) AS c"
)
COUNT = {"query": "MATCH (n:Entity) RETURN count(n) AS c"}


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def niceness(pid: int) -> set[int]:
    return {os.getpriority(os.PRIO_PROCESS, int(t)) for t in os.listdir(f"/proc/{pid}/task")}


@pytest.fixture
def main(tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "graph.db", "twin")
    store.run("UNWIND range(1, 5) AS i CREATE (:Entity {id: toString(i)})", mode="write")
    yield store
    store.close()


def test_adhoc_reads_answer_from_a_low_priority_copy(main: EmbeddedStore) -> None:
    app = create_app(Settings(query_timeout=TIMEOUT), store=main)
    with TestClient(app) as http:
        first = http.post("/cypher", json=COUNT)
        assert first.json()["rows"] == [{"c": 5}], first.text
        twin = app.state.adhoc_store
        assert isinstance(twin, AdhocTwin)
        assert twin.server_pid not in (None, main.server_pid)
        assert niceness(twin.server_pid) == {19}  # every thread, the query threads too
        assert niceness(main.server_pid) == {os.getpriority(os.PRIO_PROCESS, 0)}
        # the copy follows the main graph: a write there is seen once it is copied (the
        # reads meanwhile answer from the graph as it was)
        main.run("CREATE (:Entity {id: '6'})", mode="write")
        deadline = time.monotonic() + 20
        while (again := http.post("/cypher", json=COUNT)).json().get("rows") != [{"c": 6}]:
            assert again.json().get("rows") == [{"c": 5}], again.text
            assert time.monotonic() < deadline, "the write never reached the copy"
            time.sleep(0.1)
        path = http.get("/paths", params={"from": "1", "to": "6"})  # on the copy too
        assert path.status_code == 200, path.text
        pid = twin.server_pid
    assert not alive(pid)  # stopped with the app; the main store stays open
    assert main.run("MATCH (n:Entity) RETURN count(n) AS c").rows == [{"c": 6}]


@pytest.mark.slow
def test_an_overrunning_adhoc_read_is_408_on_time_and_its_server_killed(
    main: EmbeddedStore,
) -> None:
    app = create_app(Settings(query_timeout=TIMEOUT), store=main)
    with TestClient(app) as http:
        assert http.post("/cypher", json=COUNT).status_code == 200
        twin = app.state.adhoc_store
        first = twin.server_pid
        started = time.monotonic()
        slow = http.post("/cypher", json={"query": SLOW})
        assert slow.status_code == 408
        assert time.monotonic() - started < TIMEOUT + 1.0
        deadline = time.monotonic() + 5
        while alive(first):  # killed, not left to run on
            assert time.monotonic() < deadline, "the overrunning query's server still runs"
            time.sleep(0.05)
        assert http.get("/entities/1").status_code == 200  # the main server never stopped
        assert http.post("/cypher", json=COUNT).json()["rows"] == [{"c": 5}]
        assert twin.server_pid != first
        assert niceness(twin.server_pid) == {19}


def test_without_the_twin_adhoc_reads_use_the_store(main: EmbeddedStore) -> None:
    app = create_app(Settings(query_timeout=TIMEOUT, adhoc_twin=False), store=main)
    with TestClient(app) as http:
        assert http.post("/cypher", json=COUNT).json()["rows"] == [{"c": 5}]
        assert not isinstance(app.state.adhoc_store, AdhocTwin)


def test_an_adhoc_read_that_swells_its_server_is_413_and_stopped(main: EmbeddedStore) -> None:
    # 400 rows of half a megabyte: FalkorDB builds the whole 200 MB answer before sending it
    big = (
        "UNWIND range(1, 400) AS i "
        "RETURN i, reduce(s = '0123456789abcdef', k IN range(1, 16) | s + s) AS big"
    )
    limits = {"adhoc_memory_bytes": 20_000_000, "result_limit_bytes": 2_000_000_000}
    app = create_app(Settings(query_timeout=30.0, **limits), store=main)  # type: ignore[arg-type]
    with TestClient(app) as http:
        assert http.post("/cypher", json=COUNT).status_code == 200
        swollen = http.post("/cypher", json={"query": big})
        assert swollen.status_code == 413, swollen.text[:300]
        assert "MINERALKG_ADHOC_MEMORY_BYTES" in swollen.json()["error"]["message"]
        assert http.post("/cypher", json=COUNT).json()["rows"] == [{"c": 5}]  # started again
        assert http.get("/entities/1").status_code == 200


def test_copies_left_by_a_killed_api_are_removed(main: EmbeddedStore) -> None:
    dead = 2**22 + 1  # above Linux's default pid_max: no process has it
    assert not Path(f"/proc/{dead}").exists()
    orphan = Path(tempfile.gettempdir()) / f"mineralkg-adhoc-{dead}-abc"
    orphan.mkdir()
    (orphan / "twin-1.db").write_bytes(b"x" * 1000)
    app = create_app(Settings(query_timeout=TIMEOUT), store=main)
    with TestClient(app) as http:
        assert http.post("/cypher", json=COUNT).status_code == 200
    assert not orphan.exists()
