"""Fail on an import that goes the wrong way between the package's layers.

    python tools/check_layers.py [ROOT]

The layers, lowest first; a module may import its own layer's package and those below it,
never one above, and the packages of one layer never import each other:

    settings -> ontology -> loaders -> graph -> views -> service -> session | api -> cli

`mineralkg.testing` (helpers of the tests and benchmarks) may import anything, but no module
of the package imports it; `tests/` and `bench/` may import the package and
`mineralkg.testing`, never each other. Imports under `if TYPE_CHECKING:` count too: a type
from a higher layer is a dependency on it.

import-linter does the same for ordinary packages, but it finds modules by walking the root
package's folder, and ours links its sub-packages in from the top-level folders the project's
layout asks for; this check reads every file through those links with `ast`.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

LAYERS: tuple[tuple[str, ...], ...] = (
    ("mineralkg.settings",),
    ("mineralkg.ontology",),
    ("mineralkg.loaders",),
    ("mineralkg.graph",),
    ("mineralkg.views",),
    ("mineralkg.service",),
    ("mineralkg.session", "mineralkg.api"),
    ("mineralkg.cli",),  # `mineralkg serve` starts the API
)
TESTING = "mineralkg.testing"
OUTSIDE = ("tests", "bench")  # folders beside the package that use it


class Violation(NamedTuple):
    path: Path
    line: int
    importer: str
    imported: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.importer} imports {self.imported}: {self.why}"


def _layer_of(module: str) -> tuple[int, str] | None:
    for index, layer in enumerate(LAYERS):
        for package in layer:
            if module == package or module.startswith(package + "."):
                return index, package
    return None


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, module: str) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from mineralkg import views` imports the sub-package mineralkg.views
                yield node.lineno, f"{base}.{alias.name}" if base == "mineralkg" else base


def python_files(root: Path) -> Iterator[tuple[Path, str]]:
    package = root / "mineralkg"
    # rglob does not follow the links to ../graph etc.; walk them explicitly
    for top in sorted(package.iterdir()):
        if top.is_dir() and (top / "__init__.py").exists():
            for path in sorted(top.resolve().rglob("*.py")):
                rel = Path("mineralkg") / top.name / path.relative_to(top.resolve())
                yield root / rel, _module_name(root, root / rel)
        elif top.suffix == ".py":
            yield top, _module_name(root, top)
    for folder in OUTSIDE:
        for path in sorted((root / folder).rglob("*.py")):
            yield path, _module_name(root, path)


def _check(module: str, imported: str) -> str | None:
    """Why `module` may not import `imported`, or None when it may."""
    if not imported.startswith(("mineralkg", *OUTSIDE)):
        return None
    top = module.split(".")[0]
    if top in OUTSIDE:
        other = imported.split(".")[0]
        return (
            f"{top}/ and {other}/ must not import each other"
            if other in OUTSIDE and other != top
            else None
        )
    if module == "mineralkg" or module.startswith(TESTING):
        return None
    if imported == TESTING or imported.startswith(TESTING + "."):
        return "the package must not import its test helpers"
    if imported.split(".")[0] in OUTSIDE:
        return f"the package must not import {imported.split('.')[0]}/"
    mine, theirs = _layer_of(module), _layer_of(imported)
    if mine is None or theirs is None:
        return None if theirs is None or mine is not None else f"{module} is in no layer"
    if theirs[0] > mine[0]:
        return f"{theirs[1]} is a higher layer than {mine[1]}"
    if theirs[0] == mine[0] and theirs[1] != mine[1]:
        return f"{mine[1]} and {theirs[1]} are independent front doors"
    return None


def violations(root: Path) -> list[Violation]:
    found: dict[Violation, None] = {}  # one per line and imported module, in file order
    for path, module in python_files(root):
        for line, imported in _imports(path, module):
            why = _check(module, imported)
            if why:
                found[Violation(path.relative_to(root), line, module, imported, why)] = None
    return list(found)


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[1])
    found = violations(root)
    for violation in found:
        print(violation)
    print(f"layers: {len(found)} wrong-way import(s)" if found else "layers: ok")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
