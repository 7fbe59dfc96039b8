"""How a store with transactions writes a load plan (Neo4j): one transaction of UNWIND batches.

Every load stamps what it writes; what the stamp does not reach (facts removed from the YAML)
is deleted at the end of the same transaction, so the graph follows the YAML exactly and a
failed load leaves the graph as it was. Into an empty graph the batches CREATE; otherwise they
MERGE on the stable ids and compare the rows' hashes to count what changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from mineralkg.graph.store import GraphStore, Row, Statement
from mineralkg.loaders import stored
from mineralkg.loaders.plan import FULLTEXT_LABEL, LoadPlan, LoadReport, Progress, no_cyclic_gc

_COUNT = (
    "RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created, "
    "sum(CASE WHEN changed AND NOT created THEN 1 ELSE 0 END) AS updated"
)
_ID, _CLASS, _KEY, _HASH, _LOAD = stored.ID, stored.CLASS, stored.KEY, stored.HASH, stored.LOAD

# counts are cheap (kept by the engine); the cleanup scans below are not
COUNT_RELATIONSHIPS = "MATCH ()-[x]->() RETURN count(x) AS relationships"
COUNT_NODES = f"MATCH (n:{FULLTEXT_LABEL}) RETURN count(n) AS nodes"


def node_statements(plan: LoadPlan, size: int, *, fresh: bool = False) -> Iterator[Statement]:
    """MERGE batches by class; with `fresh` (the graph holds no node at all) CREATE batches:
    nothing can exist yet to merge with, change or relabel."""
    for group in plan.nodes:
        labels = group.labels
        for batch in plan.node_rows(group, size):
            if fresh:
                yield (
                    f"UNWIND $rows AS r CREATE (n:{labels}) SET n = r.props, n.{_LOAD} = $stamp "
                    "RETURN count(n) AS created",
                    {"rows": batch, "stamp": plan.stamp},
                )
                continue
            # a node whose class changed is recreated: its old labels must go with it
            # (ids only: the whole rows would be sent twice)
            yield (
                f"UNWIND $ids AS id MATCH (n:{FULLTEXT_LABEL} {{{_ID}: id}}) "
                f"WHERE n.{_CLASS} <> $class DETACH DELETE n",
                {"ids": [row["id"] for row in batch], "class": group.cls},
            )
            yield (
                f"UNWIND $rows AS r MERGE (n:{labels} {{{_ID}: r.id}}) "
                f"WITH n, r, n.{_HASH} IS NULL AS created, "
                f"coalesce(n.{_HASH}, '') <> r.props.{_HASH} AS changed "
                f"SET n = r.props, n.{_LOAD} = $stamp " + _COUNT,
                {"rows": batch, "stamp": plan.stamp},
            )


def relation_statements(plan: LoadPlan, size: int, *, fresh: bool = False) -> Iterator[Statement]:
    """MERGE batches by type; CREATE batches into a graph that was empty (see node_statements)."""
    ends = (
        f"UNWIND $rows AS r MATCH (a:{FULLTEXT_LABEL} {{{_ID}: r.from}}) "
        f"MATCH (b:{FULLTEXT_LABEL} {{{_ID}: r.to}}) "
    )
    for group in plan.relations:
        rtype = group.type  # relationship types come from the ontology, never from user input
        if fresh:
            query = (
                f"{ends}CREATE (a)-[x:{rtype}]->(b) SET x = r.props, x.{_LOAD} = $stamp "
                "RETURN count(x) AS created"
            )
        else:
            query = (
                f"{ends}MERGE (a)-[x:{rtype} {{{_KEY}: r.key}}]->(b) "
                f"WITH x, r, x.{_HASH} IS NULL AS created, "
                f"coalesce(x.{_HASH}, '') <> r.props.{_HASH} AS changed "
                f"SET x = r.props, x.{_LOAD} = $stamp " + _COUNT
            )
        for batch in plan.relation_rows(group, size):
            yield query, {"rows": batch, "stamp": plan.stamp}


def cleanup_statements(stamp: str) -> list[Statement]:
    """What deletes the relationships and nodes a load did not write (not stamped by it)."""
    return [
        (
            f"MATCH ()-[x]->() WHERE x.{_LOAD} IS NULL OR x.{_LOAD} <> $stamp "
            "DELETE x RETURN count(x) AS deleted",
            {"stamp": stamp},
        ),
        (
            f"MATCH (n:{FULLTEXT_LABEL}) WHERE n.{_LOAD} IS NULL OR n.{_LOAD} <> $stamp "
            "DETACH DELETE n RETURN count(n) AS deleted",
            {"stamp": stamp},
        ),
    ]


@dataclass(frozen=True)
class _Step:
    """A statement of the load and the counts its result rows add to."""

    target: dict[str, int]
    statement: Statement


def _sync_deletes(plan: LoadPlan, report: LoadReport, counted: dict[str, int]) -> Iterator[_Step]:
    """The cleanup scans, skipped where a count shows they would delete nothing.

    Every node and relationship of the plan now carries the stamp, so if the graph holds as
    many relationships (Entity nodes) as the plan has distinct ones, none lacks it. A count not
    reported yet when the scan is due (on_result is called before the next statement is taken,
    but a store need not promise that) means: scan.
    """
    rel_cleanup, node_cleanup = cleanup_statements(plan.stamp)
    for target, name, expected, count, scan in (
        (
            report.relationships,
            "relationships",
            plan.distinct_relations(),
            COUNT_RELATIONSHIPS,
            rel_cleanup,
        ),
        (report.nodes, "nodes", plan.node_count, COUNT_NODES, node_cleanup),
    ):
        yield _Step(counted, (count, {}))
        if counted.get(name) == expected:
            target["deleted"] += 0  # nothing to delete: report it as a scan would
        else:
            yield _Step(target, scan)


def load(
    store: GraphStore, plan: LoadPlan, *, batch_size: int, progress: Progress | None = None
) -> LoadReport:
    """Write the plan in one of `store`'s write transactions (see the module's text)."""
    with no_cyclic_gc():
        return _load(store, plan, batch_size, progress)


def _load(
    store: GraphStore, plan: LoadPlan, batch_size: int, progress: Progress | None
) -> LoadReport:
    store.ensure_schema(plan.labels, [FULLTEXT_LABEL])
    report = LoadReport()
    # into an empty graph (a first load, a new database) everything is created: CREATE is
    # about 1.4x MERGE on Neo4j and there is nothing to relabel or delete. A writer adding
    # nodes meanwhile makes the load fail on the id constraints, not duplicate them.
    fresh = store.run("MATCH (n) RETURN count(n) AS n").rows[0]["n"] == 0
    counted: dict[str, int] = defaultdict(int)
    steps: Iterator[_Step] = chain(
        (_Step(report.nodes, s) for s in node_statements(plan, batch_size, fresh=fresh)),
        (
            _Step(report.relationships, s)
            for s in relation_statements(plan, batch_size, fresh=fresh)
        ),
        () if fresh else _sync_deletes(plan, report, counted),
    )
    sent: list[tuple[dict[str, int], int]] = []  # per statement: its counts, rows written

    def statements() -> Iterator[Statement]:
        for step in steps:
            params: Any = step.statement[1]
            sent.append((step.target, len(params.get("rows", ()))))
            yield step.statement

    def tally(index: int, rows: list[Row]) -> None:
        target, written = sent[index]
        for row in rows:
            for key, value in row.items():
                target[key] += int(value or 0)
        if progress is not None and written and "created" in (rows[0] if rows else {}):
            progress(written)

    store.write_transaction(statements(), on_result=tally)
    return report
