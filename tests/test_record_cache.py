"""The per-file cache of checked records (loaders/record_cache.py): a run that reads it gives
what a run without it gives, and an edited file is read again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mineralkg.loaders import record_cache
from mineralkg.loaders.dataset import Dataset, load_dataset
from mineralkg.loaders.errors import ValidationFailed

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINI, tmp_path / "data"))


def _load(data: Path, sources_dir: Path, cache: Path | None) -> Dataset:
    return load_dataset(data, sources_dir, cache_dir=cache)


def test_a_cached_run_gives_the_same_dataset(
    data: Path, tmp_path: Path, sources_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _load(data, sources_dir, None)
    cache = tmp_path / "cache"
    first = _load(data, sources_dir, cache)
    assert len(list(cache.glob("*.pickle"))) == len(list(data.rglob("*.yaml")))
    # unchanged files are not parsed again
    monkeypatch.setattr(record_cache, "read_file", lambda path: pytest.fail(f"parsed {path}"))
    second = _load(data, sources_dir, cache)
    for dataset in (first, second):
        assert dataset.nodes == expected.nodes
        assert dataset.relations == expected.relations
        assert dataset.warnings == expected.warnings


def test_an_edited_file_is_checked_again(data: Path, tmp_path: Path, sources_dir: Path) -> None:
    cache = tmp_path / "cache"
    _load(data, sources_dir, cache)
    world = data / "world.yaml"
    text = world.read_text(encoding="utf-8")
    assert "type: State" in text
    world.write_text(text.replace("type: State", "type: Nation", 1), encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        _load(data, sources_dir, cache)
    assert any("unknown node type 'Nation'" in e.message for e in failed.value.errors)
    world.write_text(text, encoding="utf-8")  # back as it was: the first entry serves again
    _load(data, sources_dir, cache)


def test_a_damaged_cache_file_is_read_again(data: Path, tmp_path: Path, sources_dir: Path) -> None:
    cache = tmp_path / "cache"
    expected = _load(data, sources_dir, cache)
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    again = _load(data, sources_dir, cache)
    assert again.nodes == expected.nodes and again.relations == expected.relations


def test_errors_are_the_same_from_the_cache(data: Path, tmp_path: Path, sources_dir: Path) -> None:
    world = data / "world.yaml"
    world.write_text(
        world.read_text(encoding="utf-8").replace("type: State", "type: Nation", 1),
        encoding="utf-8",
    )
    found = []
    for cache in (None, tmp_path / "cache", tmp_path / "cache"):
        with pytest.raises(ValidationFailed) as failed:
            _load(data, sources_dir, cache)
        found.append([str(e) for e in failed.value.errors])
    assert found[0] == found[1] == found[2] and found[0]
