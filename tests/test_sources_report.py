"""`mineralkg sources`: what the evidence rests on, derived from the validated data."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mineralkg.cli import app
from mineralkg.loaders.dataset import Dataset, load_dataset
from mineralkg.loaders.sources_report import sources_report

WEB = """\
recordedOn: 2026-12-02
nodes:
  - id: wire-a
    type: Article
    name: A wire story
    url: https://example.org/a
    publisher: Wire
    publishedOn: 2025-01-02
    sourceKind: news
  - id: wire-a-copy
    type: Article
    name: A copy of the wire story
    url: https://example.org/a/
    publisher: Aggregator
    publishedOn: 2025-01-02
    sourceKind: other
    copyOf: wire-a
  - id: ministry
    type: Article
    name: A ministry's release
    url: https://example.org/m
    publisher: Ministry
    publishedOn: 2025-01-01
    sourceKind: official
  - id: unread
    type: Report
    name: A report no fact cites
    url: https://example.org/r
    publisher: Think tank
    publishedOn: 2024
    sourceKind: analysis
"""

FACTS = """\
recordedOn: 2026-12-02
nodes:
  - id: two-sources
    type: State
    name: Two sources
    evidence:
      - {source: wire-a, claim: Says so.}
      - {source: ministry, claim: Says so too.}
  - id: copy-is-not-a-second
    type: State
    name: A story and its copy
    evidence:
      - {source: wire-a, claim: Says so.}
      - {source: wire-a-copy, claim: Repeats it.}
  - id: weakest
    type: State
    name: Only the copy
    evidence:
      - {source: wire-a-copy, claim: Says so.}
"""


def _dataset(tmp_path: Path) -> Dataset:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "web.yaml").write_text(WEB)
    (tmp_path / "facts.yaml").write_text(FACTS)
    return load_dataset(tmp_path, tmp_path)


def test_counts_are_derived_and_copies_count_once(tmp_path: Path) -> None:
    data = _dataset(tmp_path)
    assert data.nodes["two-sources"].props["sourceCount"] == 2
    assert data.nodes["two-sources"].props["sourceKinds"] == ["news", "official"]
    assert data.nodes["copy-is-not-a-second"].props["sourceCount"] == 1
    report = sources_report(data)
    assert report.by_kind == {"analysis": 1, "news": 1, "official": 1, "other": 1}
    assert {f.key for f in report.single_source} == {"copy-is-not-a-second", "weakest"}
    assert [f.key for f in report.weakest_only] == []  # the copy counts as its original
    assert report.duplicate_urls == {"https://example.org/a": ["wire-a", "wire-a-copy"]}
    assert report.uncited == ["unread"]
    assert (report.web_facts, report.web_facts_two_sources) == (3, 1)


def test_the_command_reports_the_curated_data() -> None:
    result = CliRunner().invoke(app, ["sources", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["web_facts"] > 1000
    assert report["web_two_source_share"] >= 0.8
    assert set(report["by_kind"]) <= {"official", "analysis", "news", "other"}
