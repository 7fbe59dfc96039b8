"""The package's layers hold: no module imports a higher layer (tools/check_layers.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_layers", ROOT / "tools/check_layers.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "tests").mkdir()
    (tmp_path / "bench").mkdir()
    for name, text in {"mineralkg/__init__.py": "", **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_the_package_has_no_wrong_way_import() -> None:
    assert _checker().violations(ROOT) == []


def test_an_import_of_a_higher_layer_is_reported_with_file_and_line(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "mineralkg/settings.py": "",
            "mineralkg/api/__init__.py": "",
            "mineralkg/loaders/__init__.py": "",
            "mineralkg/loaders/plan.py": "import os\n\nfrom mineralkg.api import app\n",
            "mineralkg/graph/__init__.py": "from mineralkg import settings\nfrom . import x\n",
            "mineralkg/graph/x.py": "from ..loaders import plan\n",
        },
    )
    found = _checker().violations(root)
    assert [(str(v.path), v.line, v.imported) for v in found] == [
        ("mineralkg/loaders/plan.py", 3, "mineralkg.api")
    ]
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools/check_layers.py"), str(root)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "mineralkg/loaders/plan.py:3: mineralkg.loaders.plan imports mineralkg.api" in run.stdout


def test_relative_and_type_only_imports_count(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "mineralkg/ontology/__init__.py": "",
            "mineralkg/ontology/model.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from ..graph.store import GraphStore\n"
            ),
            "mineralkg/graph/__init__.py": "",
            "mineralkg/graph/store.py": "",
        },
    )
    assert [v.imported for v in _checker().violations(root)] == ["mineralkg.graph.store"]


def test_test_helpers_stay_out_of_the_package_and_tests_and_bench_stay_apart(
    tmp_path: Path,
) -> None:
    root = _tree(
        tmp_path,
        {
            "mineralkg/testing/__init__.py": "from mineralkg.api import app\n",
            "mineralkg/graph/__init__.py": "from mineralkg.testing import synthetic\n",
            "tests/test_x.py": "from bench import load\nfrom mineralkg.testing import x\n",
            "bench/load.py": "from mineralkg.testing import synthetic\n",
        },
    )
    assert sorted((str(v.path), v.imported) for v in _checker().violations(root)) == [
        ("mineralkg/graph/__init__.py", "mineralkg.testing"),
        ("tests/test_x.py", "bench"),
    ]
