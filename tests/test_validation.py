"""Broken inputs each give the error a curator needs: `file:line: field: message`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mineralkg.loaders.dataset import load_dataset
from mineralkg.loaders.errors import ValidationFailed

MINI = Path(__file__).parent / "fixtures" / "mini"

EVIDENCE = """    evidence:
      - source: fp-2026-02-26
"""


def node(body: str, evidence: str = EVIDENCE) -> str:
    return "nodes:\n  - " + body.strip().replace("\n", "\n    ") + "\n" + evidence


def relation(body: str, evidence: str = EVIDENCE) -> str:
    return "relations:\n  - " + body.strip().replace("\n", "\n    ") + "\n" + evidence


# (case, content of zz-bad.yaml, expected line, expected field, words in the message)
CASES = [
    ("malformed YAML", "nodes:\n  - id: x\n    name: [unclosed\n", 4, "yaml", "malformed YAML"),
    ("top level not a mapping", "- id: x\n", 1, "file", "expected a mapping"),
    ("unknown file key", "entities: []\n", 1, "entities", "unknown key"),
    (
        "missing source",
        node("id: japan\ntype: State\nname: Japan", evidence=""),
        2,
        "evidence",
        "required",
    ),
    (
        "empty evidence list",
        node("id: japan\ntype: State\nname: Japan", "    evidence: []\n"),
        5,
        "evidence",
        "at least 1",
    ),
    (
        "unknown reference",
        relation("type: PARTY_TO\nfrom: japan\nto: uk-us-critical-minerals-mou"),
        3,
        "from",
        "unknown id 'japan'",
    ),
    ("duplicate id", node("id: uk\ntype: State\nname: Britain"), 2, "id", "duplicate id 'uk'"),
    (
        "bad date",
        node("id: deal\ntype: Agreement\nname: A deal\nstatus: signed\nsignedOn: 2026-02-30"),
        6,
        "signedOn",
        "not a real date",
    ),
    (
        "date in words",
        node("id: deal\ntype: Agreement\nname: A deal\nstatus: signed\nsignedOn: last May"),
        6,
        "signedOn",
        "not a date",
    ),
    (
        "status outside its set",
        node("id: deal\ntype: Agreement\nname: A deal\nstatus: rumoured"),
        5,
        "status",
        "'signed'",
    ),
    (
        "relationship between the wrong classes",
        relation("type: PARTY_TO\nfrom: uk-us-critical-minerals-mou\nto: uk"),
        3,
        "from",
        "PARTY_TO needs Actor here (domain)",
    ),
    (
        "wrong range",
        relation("type: SOVEREIGN_OVER\nfrom: uk\nto: us"),
        4,
        "to",
        "needs Territory here (range)",
    ),
    (
        "empty quote",
        node(
            "id: japan\ntype: State\nname: Japan",
            "    evidence:\n      - source: fp-2026-02-26\n        quote: '  '\n",
        ),
        6,
        "evidence.0.quote",
        "must not be empty",
    ),
    (
        "quote not in the source",
        node(
            "id: japan\ntype: State\nname: Japan",
            "    evidence:\n      - source: fp-2026-02-26\n        quote: Japan signed nothing.\n",
        ),
        6,
        "evidence.quote",
        "not found verbatim",
    ),
    (
        "unknown source",
        node(
            "id: japan\ntype: State\nname: Japan", "    evidence:\n      - source: reuters-2026\n"
        ),
        6,
        "evidence.source",
        "unknown source id",
    ),
    (
        "evidence cites a non-source",
        node("id: japan\ntype: State\nname: Japan", "    evidence:\n      - source: uk\n"),
        6,
        "evidence.source",
        "not a Source",
    ),
    (
        "attributed to a non-actor",
        node(
            "id: japan\ntype: State\nname: Japan",
            "    evidence:\n      - source: fp-2026-02-26\n"
            "        attributedTo: uk-us-critical-minerals-mou\n",
        ),
        6,
        "evidence.attributedTo",
        "not an Actor",
    ),
    (
        "unknown property",
        node("id: japan\ntype: State\nname: Japan\ncapital: Tokyo"),
        5,
        "capital",
        "not a property of State",
    ),
    (
        "property of another class",
        node("id: japan\ntype: State\nname: Japan\nstatus: signed"),
        5,
        "status",
        "not a property of State",
    ),
    (
        "unknown node type",
        node("id: japan\ntype: Country\nname: Japan"),
        3,
        "type",
        "unknown node type 'Country'",
    ),
    ("bad id", node("id: Japan_1\ntype: State\nname: Japan"), 2, "id", "should match pattern"),
    ("missing name", node("id: japan\ntype: State"), 2, "name", "required"),
    (
        "count not a number",
        node("id: l\ntype: CriticalMineralList\nname: L\nmemberCount: sixty"),
        5,
        "memberCount",
        "valid integer",
    ),
    (
        "unknown relationship type",
        relation("type: FRIENDS_WITH\nfrom: uk\nto: us"),
        2,
        "type",
        "'PARTY_TO'",
    ),
    (
        "duplicate relationship",
        relation("type: PARTY_TO\nfrom: uk\nto: uk-us-critical-minerals-mou"),
        2,
        "relation",
        "duplicate PARTY_TO",
    ),
    (
        "bad Wikidata id",
        node("id: japan\ntype: State\nname: Japan\nwikidata: Japan"),
        5,
        "wikidata",
        "Wikidata item id",
    ),
]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


@pytest.mark.parametrize(
    ("content", "line", "field", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_broken_input_names_file_line_and_field(
    data_dir: Path, sources_dir: Path, content: str, line: int, field: str, words: str
) -> None:
    (data_dir / "zz-bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_dataset(data_dir, sources_dir)
    bad = [e for e in info.value.errors if e.file.endswith("zz-bad.yaml")]
    assert bad, f"no error in zz-bad.yaml; got {info.value}"
    assert any(e.line == line and e.field == field and words in e.message for e in bad), "\n".join(
        str(e) for e in bad
    )


def test_every_error_is_reported_at_once(data_dir: Path, sources_dir: Path) -> None:
    (data_dir / "zz-bad.yaml").write_text(
        node("id: a\ntype: Agreement\nname: A\nstatus: rumoured")
        + "  - id: b\n    type: State\n    name: B\n",
        encoding="utf-8",
    )
    (data_dir / "worse.yaml").write_text("nodes: [", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_dataset(data_dir, sources_dir)
    where = {(Path(e.file).name, e.field) for e in info.value.errors}
    assert {("zz-bad.yaml", "status"), ("zz-bad.yaml", "evidence"), ("worse.yaml", "yaml")} <= where


def test_cli_reports_errors_without_traceback(data_dir: Path) -> None:
    (data_dir / "zz-bad.yaml").write_text(
        node("id: uk\ntype: State\nname: Britain"), encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "mineralkg.cli", "validate", str(data_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "zz-bad.yaml:2: id: duplicate id 'uk'" in done.stderr
    assert done.stderr.strip().endswith("1 error(s)")


def test_cli_accepts_valid_data(sources_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mineralkg.cli", "validate", str(MINI)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "ok: 4 nodes, 2 relationships" in done.stdout
