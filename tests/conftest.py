"""Shared fixtures: paths, the ontology and the curated dataset (validated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.dataset import Dataset, load_dataset
from mineralkg.settings import get_settings
from ontology.model import Ontology
from ontology.model import load as load_ontology

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def ontology() -> Ontology:
    return load_ontology()


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    path = get_settings().sources_dir
    assert path.is_dir(), f"the source texts are expected in {path}"
    return path


@pytest.fixture(scope="session")
def curated(sources_dir: Path) -> Dataset:
    return load_dataset(get_settings().data_dir, sources_dir)


@pytest.fixture(scope="session")
def mini(sources_dir: Path) -> Dataset:
    return load_dataset(FIXTURES / "mini", sources_dir)
