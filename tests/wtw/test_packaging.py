"""The wheel must contain every subpackage, and code must import through the `wtw` namespace only."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
PACKAGE_DIRS: dict[str, str] = PYPROJECT["tool"]["setuptools"]["package-dir"]
TOP_LEVEL = {name.split(".")[-1] for name in PACKAGE_DIRS if name != "wtw"}


def _python_packages_on_disk() -> set[str]:
    found = set()
    for package, folder in PACKAGE_DIRS.items():
        root = REPO / folder
        for init in root.rglob("__init__.py"):
            rel = init.parent.relative_to(root)
            if any(part.startswith((".", "__")) for part in rel.parts):
                continue
            found.add(".".join([package, *rel.parts]))
    return found


def test_every_subpackage_is_listed() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert _python_packages_on_disk() == listed


def test_no_bare_imports_of_top_level_folders() -> None:
    offenders = []
    for folder in {*PACKAGE_DIRS.values(), "tests", "benchmarks"}:
        for path in (REPO / folder).rglob("*.py"):
            if any(part in {"node_modules", ".venv"} for part in path.parts):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                offenders += [f"{path}: {n}" for n in names if n.split(".")[0] in TOP_LEVEL]
    assert offenders == []


def test_only_config_reads_the_environment() -> None:
    readers = []
    for folder in PACKAGE_DIRS.values():
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if ("os.environ" in text or "os.getenv" in text) and path.name != "config.py":
                readers.append(str(path.relative_to(REPO)))
    assert readers == []
