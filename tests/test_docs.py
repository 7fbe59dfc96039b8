"""Docs that cannot drift: the README documents every setting, command, endpoint and class."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from mineralkg.api.app import create_app
from mineralkg.cli import app as cli_app
from mineralkg.loaders.dataset import load_dataset
from mineralkg.ontology.docs import BEGIN, END, data_model_markdown
from mineralkg.ontology.model import Ontology
from mineralkg.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_data_model_section_is_generated_from_the_ontology(ontology: Ontology) -> None:
    start, end = README.index(BEGIN), README.index(END) + len(END)
    assert README[start:end] == data_model_markdown(ontology), "run `make docs`"


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"`MINERALKG_{name.upper()}`" in README, name


def test_every_cli_command_is_documented() -> None:
    commands = get_command(cli_app).commands  # type: ignore[attr-defined]
    for name in commands:
        assert f"`mineralkg {name}" in README, name


def test_every_endpoint_is_documented_and_exists() -> None:
    def shape(path: str) -> str:
        return re.sub(r"\{[^}]*\}", "{}", path)

    paths = create_app(Settings()).openapi()["paths"]
    served = {(m.upper(), shape(p)) for p, ops in paths.items() for m in ops}
    documented = {(m, shape(p)) for m, p in re.findall(r"`(GET|POST) (/[^`?\s]*)", README)}
    assert len(served) >= 14
    assert served - documented == set(), "endpoints missing from the README"
    assert documented - served == set(), "the README documents endpoints that do not exist"


def test_the_readme_example_is_a_fact_of_the_dataset() -> None:
    from ruamel.yaml import YAML

    block = README.split("## Adding a fact", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    (example,) = YAML(typ="safe").load(block)["relations"]
    dataset = load_dataset(get_settings().data_dir, get_settings().sources_dir)
    (found,) = [
        r
        for r in dataset.relations
        if (r.type, r.start, r.end) == (example["type"], example["from"], example["to"])
    ]
    assert example["evidence"][0]["quote"] in {e.quote for e in found.evidence}
