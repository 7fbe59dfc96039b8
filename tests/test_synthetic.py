"""The synthetic graph the benchmarks use exercises time as the curated data does: status
histories, dated facts, and what validation derives from them, derived the same way."""

from __future__ import annotations

from pathlib import Path

from mineralkg.loaders.dataset import load_dataset
from mineralkg.ontology.dates import FIRST_DATED, PartialDate
from mineralkg.ontology.model import Ontology
from mineralkg.testing.synthetic import check, generate, same_facts, write_yaml


def test_histories_and_first_dated_spans_are_those_validation_derives(ontology: Ontology) -> None:
    data = generate(1500, 4, seed=7, ont=ontology)
    validated = check(data, ontology)  # raises on any error, e.g. a history out of order
    owners = [n for n in data.nodes.values() if n.history]
    assert len(owners) > 20
    steps = [data.nodes[f"{o.id}-status-{k + 1}"] for o in owners for k in range(len(o.history))]
    assert {n.cls for n in steps} == {"StatusChange"}
    had = {(r.start, r.end) for r in data.relations if r.type == "HAD_STATUS"}
    assert all((s.id.rsplit("-status-", 1)[0], s.id) in had for s in steps)
    precisions = {PartialDate.parse(s.date).precision for o in owners for s in o.history}
    assert precisions == {"year", "month", "day"}
    for owner in owners:
        assert owner.props["status"] == owner.history[-1].status
        assert validated.nodes[owner.id].props["status"] == owner.props["status"]
    for node_id, node in data.nodes.items():
        derived = {k: validated.nodes[node_id].props.get(k) for k in FIRST_DATED}
        assert {k: node.props.get(k) for k in FIRST_DATED} == derived, node_id
    dated_rels = [r for r in data.relations if FIRST_DATED[0] in r.props]
    assert len(dated_rels) > 100
    assert same_facts(data, validated)
    # a node with a history and a contested property keeps every node made from both (records
    # built in code have no item lines: validation kept only as many as the versions had)
    assert any(n.history and n.contested for n in data.nodes.values())
    assert data.nodes.keys() == validated.nodes.keys()


def test_contested_claims_are_made_as_the_loader_makes_them(ontology: Ontology) -> None:
    data = generate(3000, 4, seed=3, ont=ontology)
    claims = {i for i, n in data.nodes.items() if n.cls == "ContestedClaim"}
    holders = [(r.start, r.end) for r in data.relations if r.type == "HAS_CONTESTED_CLAIM"]
    assert len(claims) > 20 and {end for _, end in holders} == claims
    assert len(holders) == len(claims)  # one holder each
    for start, end in holders:
        prop = data.nodes[end].props["property"]
        assert prop in {item.property for item in data.nodes[start].contested}
        assert prop not in data.nodes[start].props
    assert not any(
        n.cls == "StatusChange" and n.id.rsplit("-status-", 1)[0] not in data.nodes
        for n in data.nodes.values()
    )


def test_written_as_yaml_and_read_back_the_facts_are_the_same(
    ontology: Ontology, tmp_path: Path
) -> None:
    data = generate(600, 3, seed=8, ont=ontology)
    write_yaml(data, tmp_path, ont=ontology)
    assert same_facts(data, load_dataset(tmp_path, tmp_path / "no-texts", ontology))
