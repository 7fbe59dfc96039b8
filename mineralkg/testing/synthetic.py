"""Synthetic data of the curated model, at any size, as a validated `Dataset` or as YAML.

Nodes take every node class of the ontology except `Entity` (the synthetic `Source` nodes
are `Article`s); relationships take every relationship type whose domain and range the
classes allow. Every fact cites a synthetic source, so the data passes `validate_records`.

Time is exercised as in the curated data: about half the nodes that may have a status history
(agreements, instruments, lists, tensions, projects) get one of 1 to 4 steps at year, month or
day precision, oldest first, made into `StatusChange` nodes and `HAD_STATUS` relationships as
the loader makes them (their owner's `status` is its last step's); some relationships carry a
date (signedOn, adoptedOn, announcedOn, startedOn, endedOn); every dated fact gets its
`firstDatedEarliest`/`firstDatedLatest` as validation derives them.

Status changes and contested claims are made as the loader makes them, never drawn as nodes of
their own: about 2 % of the nodes have a property their sources disagree on (`contested`, two
or three versions), each version a `ContestedClaim` with that `property` and one holder. (Drawn
as any other class, the claims had no property and about 34 random holders each, so
contested_facts answered no row on this graph; docs/benchmarks.md, issue #12.)

The mineral hierarchy is shallow, as in the curated data and in any classification of
minerals: elements under groups, groups under super-groups (every `SUPER_GROUP_EVERY`th
group), BROADER always one level up, so no chain is longer than 2 and none closes a cycle
(random BROADER edges made chains 15 deep and cycles; docs/benchmarks.md, issue #12).

The data is *prefix-closed*: node i is created after nodes 0..i-1 and its relationships
only reach back to those, so the first k nodes and the relationships generated with them
form a valid dataset on their own (`prefix`), with the same mix as the whole.

    python -m mineralkg.testing.synthetic --nodes 10000 --rels-per-node 5 --out /tmp/syn --check
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from mineralkg.loaders.dataset import Dataset, Node, Relation
from mineralkg.loaders.dataset import _date_facts as date_facts
from mineralkg.loaders.derived import CONTESTED_CLAIM, STATUS_CHANGE, derived_records
from mineralkg.loaders.schema import Contested, ContestedVersion, Evidence, HistoryStep, has_history
from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology
from mineralkg.testing.synthetic_yaml import RECORDED_ON, check, same_facts, write_yaml

__all__ = ["check", "generate", "prefix", "same_facts", "write_yaml"]

SOURCE_CLASS = "Article"
NODES_PER_SOURCE = 1000
FILE = "synthetic"

_ROLES = ("signatory", "host", "member", "observer", "co-chair")
HISTORY_SHARE = 0.5  # of the nodes that may have a status history
CONTESTED_SHARE = 0.02  # of the nodes: one property with two or three versions
DERIVED_CLASSES = frozenset({STATUS_CHANGE, CONTESTED_CLAIM})  # made from histories, contested
SUPER_GROUP_EVERY = 4  # mineral groups whose number is a multiple are super-groups
# the date a relationship of each type may carry (the ontology allows any on any type)
_REL_DATES = {
    "SIGNED": "signedOn",
    "PARTY_TO": "signedOn",
    "ADOPTED": "adoptedOn",
    "ANNOUNCED": "announcedOn",
    "MEMBER_OF": "startedOn",
    "PART_OF": "startedOn",
    "LEADS": "startedOn",
}


def _partial_date(year: int, rng: random.Random) -> str:
    """A date of year, month or day precision in `year`."""
    precision = rng.random()
    if precision < 0.2:
        return str(year)
    if precision < 0.6:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _history(ont: Ontology, source: str, rng: random.Random) -> tuple[HistoryStep, ...]:
    """1 to 4 status steps, oldest first: each in a later year than the one before (so no
    two steps are out of order, whatever their precision)."""
    statuses = ont.properties["status"].values
    year = rng.randint(2010, 2022)
    steps = []
    for _ in range(rng.randint(1, 4)):
        date = _partial_date(year, rng)
        status = rng.choice(statuses)
        evidence = [Evidence(source=source, claim=f"The source dates the step {status}.")]
        steps.append(HistoryStep(status=status, date=date, evidence=evidence))
        year += rng.randint(1, 2)
    return tuple(steps)


def node_classes(ont: Ontology) -> list[str]:
    """The classes synthetic nodes are drawn from (uniformly): all but Entity, Sources and the
    classes the loader derives (status changes, contested claims)."""
    return sorted(
        c.name
        for c in ont.node_classes()
        if c.name != "Entity" and not ont.is_a(c.name, "Source") and c.name not in DERIVED_CLASSES
    )


def _node_props(ont: Ontology, cls: str, i: int, rng: random.Random) -> dict[str, Any]:
    """Properties a curator would write for node i: a typical few, valid for its class."""
    allowed = ont.properties_for(cls)
    props: dict[str, Any] = {"recordedOn": RECORDED_ON}
    if rng.random() < 0.4:
        props["aliases"] = [f"Alias {i}", f"A{i}"][: rng.randint(1, 2)]
    if rng.random() < 0.3:
        props["description"] = f"Synthetic {cls} number {i}, generated for the load benchmark."
    if "wikidata" in allowed and ont.is_a(cls, "Actor") and rng.random() < 0.5:
        props["wikidata"] = f"Q{i + 1}"
    if "status" in allowed:
        props["status"] = rng.choice(ont.properties["status"].values)
    if "partnerCount" in allowed and rng.random() < 0.3:
        props["partnerCount"] = rng.randint(2, 60)
    if "signedOn" in allowed and rng.random() < 0.5:
        props["signedOn"] = f"20{rng.randint(10, 26)}-{rng.randint(1, 12):02d}"
    if "occurredOn" in allowed:
        props["occurredOn"] = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if "tensionKind" in allowed:
        props["tensionKind"] = rng.choice(ont.properties["tensionKind"].values)
    if cls == "Statement":
        props["quote"] = f"Statement {i}: we will diversify our supply of critical minerals."
        props["statementKind"] = rng.choice(ont.properties["statementKind"].values)
        props["statedOn"] = "2026-02-03"
    if rng.random() < 0.1:
        props["note"] = "Synthetic note: " + "lorem ipsum " * rng.randint(1, 8)
    return {k: v for k, v in props.items() if k in allowed}


def _contested(
    ont: Ontology, cls: str, props: dict[str, Any], source: str, rng: random.Random
) -> tuple[Contested, ...]:
    """Two or three versions of one property the node's class has and its record does not give
    plainly (a partner count or a description), or none."""
    allowed = ont.properties_for(cls)
    free = [p for p in ("partnerCount", "description") if p in allowed and p not in props]
    if not free or rng.random() >= CONTESTED_SHARE:
        return ()
    prop = rng.choice(free)
    versions = [
        ContestedVersion(
            value=rng.randint(2, 60) if prop == "partnerCount" else f"Version {v} of the {cls}.",
            evidence=[Evidence(source=source, claim=f"The source gives version {v}.")],
        )
        for v in range(rng.randint(2, 3))
    ]
    return (Contested(property=prop, versions=versions),)


def _evidence(source: str, what: str, rng: random.Random) -> tuple[Evidence, ...]:
    items = [Evidence(source=source, claim=f"The source states that {what}.")]
    if rng.random() < 0.2:
        items.append(Evidence(source=source, claim="The headline implies it too."))
    return tuple(items)


def _roles(ont: Ontology, classes: list[str]) -> dict[str, list[tuple[str, str]]]:
    """For each class: the (relationship type, this end) pairs it can take part in."""
    roles: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cls in classes:
        for rel_type in ont.relationships.values():
            if ont.is_a_any(cls, rel_type.domains):
                roles[cls].append((rel_type.name, "from"))
            if ont.is_a_any(cls, rel_type.ranges):
                roles[cls].append((rel_type.name, "to"))
    return roles


def _level(node_id: str) -> int:
    """A mineral's level in the hierarchy: 0 an element, 1 a group, 2 a super-group."""
    kind, _, number = node_id.rpartition("-")
    if kind != "mineralgroup":
        return 0
    return 2 if int(number) % SUPER_GROUP_EVERY == 0 else 1


def _relate(
    nid: str,
    my_roles: list[tuple[str, str]],
    partners: dict[tuple[str, str], list[str]],
    wanted: int,
    source: str,
    relations: list[Relation],
    keys: set[tuple[str, str, str]],
    rng: random.Random,
) -> None:
    """Up to `wanted` new relationships between node `nid` and earlier nodes."""
    for _ in range(4 * max(wanted, 0)):
        if wanted <= 0 or not my_roles:
            break
        rtype, end = rng.choice(my_roles)
        pool = partners[(rtype, end)]
        if not pool:
            continue
        other = pool[rng.randrange(len(pool))]
        start, stop = (nid, other) if end == "from" else (other, nid)
        if start == stop or (start, rtype, stop) in keys:
            continue
        if rtype == "BROADER" and _level(start) >= _level(stop):
            continue  # BROADER goes one level up the hierarchy only
        keys.add((start, rtype, stop))
        props: dict[str, Any] = {"recordedOn": RECORDED_ON}
        if rtype in {"PARTY_TO", "SIGNED", "ATTENDED"} and rng.random() < 0.5:
            props["role"] = rng.choice(_ROLES)
        if rtype in _REL_DATES and rng.random() < 0.5:
            props[_REL_DATES[rtype]] = _partial_date(rng.randint(2010, 2026), rng)
        if rng.random() < 0.1:
            props["note"] = f"Synthetic qualifier of {rtype}."
        evidence = _evidence(source, f"{start} {rtype} {stop}", rng)
        relations.append(Relation(rtype, start, stop, props, evidence, FILE, len(relations) + 1))
        wanted -= 1


def generate(
    nodes: int,
    rels_per_node: float = 5.0,
    *,
    seed: int = 0,
    ont: Ontology | None = None,
) -> Dataset:
    """A dataset of `nodes` nodes and about `nodes * rels_per_node` relationships.

    Deterministic for a given seed. Built from Node/Relation objects directly (no YAML);
    `load_dataset` of `write_yaml`'s output gives the same nodes and relationships.
    """
    ont = ont or load_ontology()
    rng = random.Random(seed)
    classes = node_classes(ont)
    n_sources = max(1, min(nodes // NODES_PER_SOURCE, nodes))
    source_labels = ont.classes[SOURCE_CLASS].labels

    roles = _roles(ont, [*classes, SOURCE_CLASS])
    # for each (type, end): ids of the nodes created so far that can stand at the other end
    partners: dict[tuple[str, str], list[str]] = defaultdict(list)

    def add_partner(node_id: str, cls: str) -> None:
        for rtype, end in roles[cls]:
            partners[(rtype, "to" if end == "from" else "from")].append(node_id)

    out_nodes: dict[str, Node] = {}
    sources: list[str] = []
    for s in range(n_sources):
        source_node = _source(s, source_labels)
        out_nodes[source_node.id] = source_node
        sources.append(source_node.id)
        add_partner(source_node.id, SOURCE_CLASS)

    relations: list[Relation] = []
    keys: set[tuple[str, str, str]] = set()
    i = 0
    while len(out_nodes) < nodes:
        cls = rng.choice(classes)
        nid = f"{cls.lower()}-{i}"
        source = sources[i % n_sources]
        props = _node_props(ont, cls, i, rng)
        history: tuple[HistoryStep, ...] = ()
        if has_history(ont, cls) and rng.random() < HISTORY_SHARE:
            history = _history(ont, source, rng)
            props["status"] = history[-1].status  # derived, as the loader does
        node = Node(
            nid,
            cls,
            ont.classes[cls].labels,
            f"{cls} {i}",
            props,
            _evidence(source, f"{cls} {i} exists", rng),
            FILE,
            len(out_nodes) + 1,
            history,
            _contested(ont, cls, props, source, rng),
        )
        out_nodes[nid] = node
        _add_steps(ont, node, out_nodes, relations)
        # relationships of node i reach back to earlier nodes only: prefixes stay closed
        wanted = round(rels_per_node * len(out_nodes)) - len(relations)
        _relate(nid, roles[cls], partners, wanted, source, relations, keys, rng)
        add_partner(nid, cls)
        i += 1
    date_facts(ont, out_nodes.values(), relations)
    return Dataset(out_nodes, tuple(relations))


def _source(s: int, labels: tuple[str, ...]) -> Node:
    """The s-th synthetic source (an article), on line s + 1 of the synthetic file."""
    props = {
        "recordedOn": RECORDED_ON,
        "title": f"Synthetic article {s}",
        "publisher": "Benchmark Press",
        "publishedOn": "2026-02-26",
        "url": f"https://example.org/bench/{s}",
        "sourceKind": "news",
    }
    return Node(
        f"bench-source-{s}", SOURCE_CLASS, labels, f"Synthetic article {s}", props, (), FILE, s + 1
    )


def _add_steps(
    ont: Ontology, node: Node, out_nodes: dict[str, Node], relations: list[Relation]
) -> None:
    """The StatusChange nodes and HAD_STATUS relationships of the node's history, right after
    it (so prefixes stay closed), as validation derives them."""
    made = derived_records(node)
    for item, rel in zip(made.nodes, made.relations, strict=True):
        cls = ont.classes[item["cls"]]
        props = {"recordedOn": RECORDED_ON, **item["props"]}
        out_nodes[item["id"]] = Node(
            item["id"],
            cls.name,
            cls.labels,
            item["name"],
            props,
            item["evidence"],
            FILE,
            len(out_nodes) + 1,
        )
        relations.append(
            Relation(
                rel["type"],
                rel["start"],
                rel["end"],
                {},
                tuple(rel["evidence"]),
                FILE,
                len(relations) + 1,
            )
        )


def prefix(dataset: Dataset, rows: int) -> Dataset:
    """The first nodes and relationships, about `rows` in all, closed under endpoints."""
    index = {node_id: i for i, node_id in enumerate(dataset.nodes)}
    needed = 0
    rels: list[Relation] = []
    for rel in dataset.relations:
        need = max(index[rel.start], index[rel.end]) + 1
        if max(need, needed) + len(rels) + 1 > rows:
            break
        needed = max(needed, need)
        rels.append(rel)
    node_ids = list(dataset.nodes)[: max(needed, min(rows - len(rels), len(index)))]
    return Dataset({k: dataset.nodes[k] for k in node_ids}, tuple(rels))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m mineralkg.testing.synthetic", description=__doc__
    )
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--rels-per-node", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="write curated YAML files into this folder")
    parser.add_argument(
        "--check",
        action="store_true",
        help="validate the generated records (and, with --out, re-read the YAML and compare)",
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    ds = generate(args.nodes, args.rels_per_node, seed=args.seed)
    print(
        f"generated {len(ds.nodes)} nodes, {len(ds.relations)} relationships "
        f"in {time.perf_counter() - t0:.1f}s"
    )
    if args.check:
        t0 = time.perf_counter()
        check(ds)
        print(f"validate_records: ok in {time.perf_counter() - t0:.1f}s")
    if args.out:
        t0 = time.perf_counter()
        files = write_yaml(ds, args.out)
        size = sum(p.stat().st_size for p in files)
        print(
            f"wrote {len(files)} files, {size / 1e6:.1f} MB to {args.out} "
            f"in {time.perf_counter() - t0:.1f}s"
        )
        if args.check:
            from mineralkg.loaders.dataset import load_dataset

            t0 = time.perf_counter()
            again = load_dataset(args.out, Path("/nonexistent-sources"))
            ok = same_facts(ds, again)
            print(
                f"load_dataset: {'same facts' if ok else 'DIFFERENT facts'} "
                f"in {time.perf_counter() - t0:.1f}s"
            )
            if not ok:
                raise SystemExit(1)


if __name__ == "__main__":
    main()
