"""The package's layers hold: no module imports a higher layer (tools/check_layers.py)."""

from __future__ import annotations

import ast
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


def _too_long(root: Path) -> list[str]:
    """Modules of the package over 400 lines and functions over 80 (the layers issue's bar)."""
    found = []
    for path, module in _checker().python_files(root):
        if not module.startswith("mineralkg"):
            continue
        text = path.read_text(encoding="utf-8")
        if (lines := len(text.splitlines())) > 400:
            found.append(f"{module}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80:
                    found.append(f"{module}.{node.name}: {length} lines")
    return found


def test_modules_and_functions_stay_small_enough_to_read(tmp_path: Path) -> None:
    assert _too_long(ROOT) == []
    body = "".join(f"    x{i} = {i}\n" for i in range(79))
    root = _tree(
        tmp_path,
        {
            "mineralkg/graph/__init__.py": "",
            "mineralkg/graph/long.py": "x = 1\n" * 401,
            "mineralkg/graph/fine.py": f"def f():\n{body}",  # 80 lines: the most allowed
            "mineralkg/graph/wordy.py": f"def g():\n{body}    return x0\n",
        },
    )
    assert sorted(_too_long(root)) == [
        "mineralkg.graph.long: 401 lines",
        "mineralkg.graph.wordy.g: 81 lines",
    ]
