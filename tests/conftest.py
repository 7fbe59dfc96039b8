"""Shared fixtures, built as seldom as they can be: reuse them rather than building your own.

Data (session-scoped: built once, never to be changed by a test):
- `ontology`: the parsed ontology.
- `curated`: the curated data (data/), validated once per session.
- `mini`: the small fixture dataset (tests/fixtures/mini/), with its quotes checked.
- `sources_dir`, `captured_texts`: where quotes are checked (see their docstrings).

Stores:
- `embedded_store`, `neo4j_store`: one of each per session, for tests that write; `store`
  is each in turn, emptied before and after the test.
- `curated_embedded` (session) and `curated_neo4j` (module): a store holding the curated
  data, for tests that only read. The embedded one is a store of its own, loaded once for
  the whole session (a load takes seconds), so tests that write to `store` or
  `embedded_store` leave it alone; a test that writes to it fails the session at its end.
  Neo4j Community has one database, shared with `neo4j_store`, so it is loaded per module.
  `curated_store(request, kind)` gives either by kind; `loaded_store` is each in turn.
- `mini_embedded` (session) and `mini_neo4j` (module): the same for the mini dataset, for
  tests whose requests would cost seconds each on the whole curated data.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset, load_dataset
from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology
from mineralkg.settings import get_settings
from mineralkg.testing import STORE_KINDS, in_ci
from mineralkg.testing.neo4j_server import neo4j_server

FIXTURES = Path(__file__).parent / "fixtures"
MODULE_MARK = re.compile(r"^pytestmark = pytest\.mark\.(\w+) *(?:#.*)?$", re.MULTILINE)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        help="also run the tests marked slow (make test and CI do; the inner loop does not)",
    )


def _run_slow(config: pytest.Config) -> bool:
    return bool(config.getoption("--run-slow")) or in_ci()


def _selects(expr: Any, marks: frozenset[str]) -> bool:
    """Whether a -m expression selects a test that carries exactly `marks`."""
    return bool(expr.evaluate(lambda name, /, **_: name in marks))


@cache
def _never_selected(text: str, mark: str) -> bool:
    """Whether the `-m` expression `text` leaves out every test that carries `mark`, whatever
    else it carries (once per session, not once per module)."""
    if not text:
        return False
    try:
        from _pytest.mark.expression import Expression  # pytest's own parser of -m
    except ImportError:  # moved in another pytest: collect everything, as pytest would
        return False
    expr = Expression.compile(text)
    others = sorted(set(re.findall(r"[A-Za-z_]\w*", text)) - {"and", "or", "not", mark})
    for n in range(len(others) + 1):
        for extra in itertools.combinations(others, n):
            if _selects(expr, frozenset({mark, *extra})):
                return False
    return True


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """A module whose every test carries one mark (`pytestmark = pytest.mark.slow`, `.neo4j`)
    is not even imported when no test of that mark would run: slow ones without --run-slow,
    the Neo4j ones under `-m "not neo4j"`. Every xdist worker collects every module, so each
    paid the imports for tests it then deselected: the schema test's (schemathesis,
    hypothesis), 3.5 s with the plugins; the Neo4j driver's (it imports pandas), 0.8 s."""
    if not collection_path.name.startswith("test_"):
        return None
    found = MODULE_MARK.search(collection_path.read_text(encoding="utf-8"))
    if found is None:
        return None
    mark = found.group(1)
    if mark == "slow":
        return None if _run_slow(config) else True
    return True if _never_selected(config.getoption("markexpr"), mark) else None


def pytest_report_header(config: pytest.Config) -> str | None:
    if _run_slow(config):
        return None
    return "tests marked slow are left out (the inner loop); --run-slow or make test runs them"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark what needs a Neo4j server or a browser, so that `pytest -m "not neo4j and not
    browser"` is a fast inner loop; tests that reach a store dynamically carry the mark
    themselves. Tests marked slow (processes killed and waited for, notebooks run whole,
    schema fuzzing, timeouts waited out) are left out unless `--run-slow` or CI asks."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "neo4j_uri" in names or "neo4j" in params.values():
            item.add_marker(pytest.mark.neo4j)
        if "driver" in names:
            item.add_marker(pytest.mark.browser)
    if not _run_slow(config):
        kept, slow = [], []
        for item in items:
            (slow if item.get_closest_marker("slow") else kept).append(item)
        if slow:
            items[:] = kept
            config.hook.pytest_deselected(items=slow)


@pytest.fixture(scope="session")
def ontology() -> Ontology:
    return load_ontology()


CAPTURED = get_settings().sources_dir
"""The captured source texts (../shared/sources/); a clone without them still runs the suite."""


@pytest.fixture(scope="session")
def captured_texts() -> Path:
    """The real captured texts, for tests of the curated quotes: skipped where they are
    absent, but never in CI."""
    if not CAPTURED.is_dir():
        if in_ci():
            pytest.fail(f"CI must check the quotes: the captured texts are not in {CAPTURED}")
        pytest.skip(f"the captured source texts are not in {CAPTURED}")
    return CAPTURED


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The folder the fixtures' quotes are checked against: the captured texts, or a stand-in
    (tests/fixtures/sources/) holding the sentences the fixtures quote."""
    return CAPTURED if CAPTURED.is_dir() else FIXTURES / "sources"


@pytest.fixture(scope="session")
def curated(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The curated data; without the captured texts its quotes go unchecked (with warnings).
    Each file's records, checked alone, come from the record cache where the file is
    unchanged, as `mineralkg validate` reads them (1.1 s of each xdist worker's start; the
    cache's own tests are in tests/test_record_cache.py)."""
    texts = CAPTURED if CAPTURED.is_dir() else tmp_path_factory.mktemp("no-texts")
    settings = get_settings()
    return load_dataset(settings.data_dir, texts, cache_dir=settings.var_dir / "cache" / "records")


@pytest.fixture(scope="session")
def mini(sources_dir: Path) -> Dataset:
    return load_dataset(FIXTURES / "mini", sources_dir)


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    """A real Neo4j server for the whole session (or MINERALKG_TEST_NEO4J_URI if set)."""
    given = os.environ.get("MINERALKG_TEST_NEO4J_URI")
    if given:
        yield given
        return
    with neo4j_server() as uri:
        yield uri


@pytest.fixture(scope="session")
def embedded_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    from mineralkg.graph.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path_factory.mktemp("falkordb") / "graph.db", "test")
    yield store
    store.close()


@pytest.fixture(scope="session")
def neo4j_store(neo4j_uri: str) -> Iterator[GraphStore]:
    from mineralkg.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_uri)
    yield store
    store.close()


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """Each store in turn, emptied before and after the test."""
    graph_store: GraphStore = request.getfixturevalue(f"{request.param}_store")
    graph_store.clear()
    yield graph_store
    graph_store.clear()


def _embedded_holding(folder: Path, dataset: Dataset, name: str) -> Iterator[GraphStore]:
    """An embedded store of its own holding `dataset`, that no test may write to."""
    from mineralkg.graph.embedded import EmbeddedStore
    from mineralkg.loaders.plan import build_plan

    store = EmbeddedStore(folder / "graph.db", name)
    store.load(build_plan(dataset))
    before = store.counts()
    yield store
    after = store.counts()
    store.close()
    assert after == before, f"a test wrote to {name}_embedded, which other tests read"


def _neo4j_holding(store: GraphStore, dataset: Dataset) -> Iterator[GraphStore]:
    """The one Neo4j database holding `dataset` (emptied before and after)."""
    from mineralkg.loaders.plan import build_plan

    store.clear()
    store.load(build_plan(dataset))
    yield store
    store.clear()


@pytest.fixture(scope="session")
def curated_embedded(
    tmp_path_factory: pytest.TempPathFactory, curated: Dataset
) -> Iterator[GraphStore]:
    """An embedded store of its own holding the curated data, loaded once per session."""
    yield from _embedded_holding(tmp_path_factory.mktemp("curated"), curated, "curated")


@pytest.fixture(scope="module")
def curated_neo4j(neo4j_store: GraphStore, curated: Dataset) -> Iterator[GraphStore]:
    """Neo4j holding the curated data, loaded once per test module."""
    yield from _neo4j_holding(neo4j_store, curated)


@pytest.fixture(scope="session")
def mini_embedded(tmp_path_factory: pytest.TempPathFactory, mini: Dataset) -> Iterator[GraphStore]:
    """An embedded store of its own holding the mini dataset, loaded once per session."""
    yield from _embedded_holding(tmp_path_factory.mktemp("mini"), mini, "mini")


@pytest.fixture(scope="module")
def mini_neo4j(neo4j_store: GraphStore, mini: Dataset) -> Iterator[GraphStore]:
    """Neo4j holding the mini dataset, loaded once per test module."""
    yield from _neo4j_holding(neo4j_store, mini)


def curated_store(request: pytest.FixtureRequest, kind: str) -> GraphStore:
    """The store of `kind` holding the curated data (only that store is started)."""
    store: GraphStore = request.getfixturevalue(f"curated_{kind}")
    return store


@pytest.fixture(scope="module", params=STORE_KINDS)
def loaded_store(request: pytest.FixtureRequest) -> GraphStore:
    """Each store in turn holding the curated data; read it, never write to it."""
    return curated_store(request, request.param)
