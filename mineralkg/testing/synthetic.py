"""Synthetic data of the curated model, at any size, as a validated `Dataset` or as YAML.

Nodes take every node class of the ontology except `Entity` (the synthetic `Source` nodes
are `Article`s); relationships take every relationship type whose domain and range the
classes allow. Every fact cites a synthetic source, so the data passes `validate_records`.

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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mineralkg.loaders.dataset import Dataset, Node, Relation, validate_records
from mineralkg.loaders.schema import DERIVED, Evidence
from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology

RECORDED_ON = "2026-11-22"
SOURCE_CLASS = "Article"
NODES_PER_SOURCE = 1000
FILE = "synthetic"

_ROLES = ("signatory", "host", "member", "observer", "co-chair")


def node_classes(ont: Ontology) -> list[str]:
    """The classes synthetic nodes are drawn from (uniformly): all but Entity and Sources."""
    return sorted(
        c.name for c in ont.node_classes() if c.name != "Entity" and not ont.is_a(c.name, "Source")
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
        keys.add((start, rtype, stop))
        props: dict[str, Any] = {"recordedOn": RECORDED_ON}
        if rtype in {"PARTY_TO", "SIGNED", "ATTENDED"} and rng.random() < 0.5:
            props["role"] = rng.choice(_ROLES)
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
        sid = f"bench-source-{s}"
        out_nodes[sid] = Node(
            sid,
            SOURCE_CLASS,
            source_labels,
            f"Synthetic article {s}",
            {
                "recordedOn": RECORDED_ON,
                "title": f"Synthetic article {s}",
                "publisher": "Benchmark Press",
                "publishedOn": "2026-02-26",
                "url": f"https://example.org/bench/{s}",
                "sourceKind": "news",
            },
            (),
            FILE,
            s + 1,
        )
        sources.append(sid)
        add_partner(sid, SOURCE_CLASS)

    relations: list[Relation] = []
    keys: set[tuple[str, str, str]] = set()
    for i in range(nodes - n_sources):
        cls = rng.choice(classes)
        nid = f"{cls.lower()}-{i}"
        source = sources[i % n_sources]
        out_nodes[nid] = Node(
            nid,
            cls,
            ont.classes[cls].labels,
            f"{cls} {i}",
            _node_props(ont, cls, i, rng),
            _evidence(source, f"{cls} {i} exists", rng),
            FILE,
            len(out_nodes) + 1,
        )
        # relationships of node i reach back to earlier nodes only: prefixes stay closed
        wanted = round(rels_per_node * len(out_nodes)) - len(relations)
        _relate(nid, roles[cls], partners, wanted, source, relations, keys, rng)
        add_partner(nid, cls)
    return Dataset(out_nodes, tuple(relations))


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


# ------------------------------------------------------------------ YAML of the curated format


def _scalar(value: Any) -> str:
    """A YAML scalar or flow list: JSON's quoting is valid YAML and exact for these values."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)


def _evidence_lines(evidence: Iterable[Evidence]) -> list[str]:
    lines = []
    items = list(evidence)
    if items:
        lines.append("    evidence:")
    for ev in items:
        lines.append(f"      - source: {ev.source}")
        for key in ("quote", "claim", "attributedTo", "note"):
            value = getattr(ev, key)
            if value is not None:
                lines.append(f"        {key}: {_scalar(value)}")
    return lines


def _props_lines(props: dict[str, Any]) -> list[str]:
    # recordedOn comes from the file's header, as in the curated files
    return [f"    {k}: {_scalar(v)}" for k, v in props.items() if k != "recordedOn"]


def node_yaml(ont: Ontology, node: Node) -> list[str]:
    return [
        f"  - id: {node.id}",
        f"    type: {ont.classes[node.cls].node_label}",
        f"    name: {_scalar(node.name)}",
        *_props_lines(node.props),
        *_evidence_lines(node.evidence),
    ]


def relation_yaml(rel: Relation) -> list[str]:
    return [
        f"  - type: {rel.type}",
        f"    from: {rel.start}",
        f"    to: {rel.end}",
        *_props_lines(rel.props),
        *_evidence_lines(rel.evidence),
    ]


def write_yaml(
    dataset: Dataset,
    folder: Path,
    *,
    records_per_file: int = 20_000,
    ont: Ontology | None = None,
) -> list[Path]:
    """Write the dataset as curated YAML files (nodes-NNNN.yaml, relations-NNNN.yaml)."""
    ont = ont or load_ontology()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def dump(kind: str, blocks: Iterable[list[str]]) -> None:
        chunk: list[str] = []
        count = 0

        def flush() -> None:
            path = folder / f"{kind}-{len([p for p in written if kind in p.name]):04d}.yaml"
            head = [f"recordedOn: {RECORDED_ON}", f"{kind}:"]
            path.write_text("\n".join(head + chunk) + "\n", encoding="utf-8")
            written.append(path)

        for block in blocks:
            chunk.extend(block)
            count += 1
            if count == records_per_file:
                flush()
                chunk, count = [], 0
        if count:
            flush()

    sources = [n for n in dataset.nodes.values() if "Source" in n.labels]
    others = [n for n in dataset.nodes.values() if "Source" not in n.labels]
    dump("nodes", (node_yaml(ont, n) for n in others))
    folder = folder / "sources"  # a Source belongs under sources/
    folder.mkdir(exist_ok=True)
    dump("nodes", (node_yaml(ont, n) for n in sources))
    folder = folder.parent
    dump("relations", (relation_yaml(r) for r in dataset.relations))
    return written


def check(dataset: Dataset, ont: Ontology | None = None) -> Dataset:
    """Run the generated records through `validate_records` (raises ValidationFailed)."""
    from mineralkg.loaders.yamlio import RawRecord

    ont = ont or load_ontology()
    records: list[RawRecord] = []
    for node in dataset.nodes.values():
        data: dict[str, Any] = {
            "id": node.id,
            "type": ont.classes[node.cls].node_label,
            "name": node.name,
        }
        data.update(node.props)
        if node.evidence:
            data["evidence"] = [e.model_dump(exclude_none=True) for e in node.evidence]
        file = f"sources/{node.file}" if "Source" in node.labels else node.file
        records.append(RawRecord(file, node.line, "nodes", data))
    for rel in dataset.relations:
        data = {"type": rel.type, "from": rel.start, "to": rel.end, **rel.props}
        data["evidence"] = [e.model_dump(exclude_none=True) for e in rel.evidence]
        records.append(RawRecord(rel.file, rel.line, "relations", data))
    return validate_records(records, Path("/nonexistent-sources"), ont)


def same_facts(a: Dataset, b: Dataset) -> bool:
    """Equal nodes and relationships, ignoring where in which file they were written and what
    validation derives (source counts)."""

    def own(props: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if k not in DERIVED}

    def nodes(d: Dataset) -> dict[str, tuple[Any, ...]]:
        return {k: (n.cls, n.labels, n.name, own(n.props), n.evidence) for k, n in d.nodes.items()}

    def rels(d: Dataset) -> list[tuple[Any, ...]]:
        return [(r.type, r.start, r.end, own(r.props), r.evidence) for r in d.relations]

    return nodes(a) == nodes(b) and rels(a) == rels(b)


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
