"""The SageMaker notebook: valid nbformat, the kernel Terraform installs, calls to the public API only."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "embeddings" / "notebooks" / "embed_catalog.ipynb"
ON_START = REPO / "terraform" / "modules" / "notebook" / "templates" / "on_start.sh.tftpl"
ALLOWED_MAGICS = ("%pip install ", "!aws s3 cp ")
"""IPython lines the notebook may hold: installing the release wheel, copied from S3."""
ALLOWED_MODULES = {"os"}
"""Modules other than `wtw` a cell may import; heavy libraries (torch, faiss, ray) stay behind the API."""


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    return nb


def _python(source: str) -> ast.Module:
    """A code cell as Python: allowed IPython lines become ``pass`` (same indentation), others fail."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            assert stripped.startswith(ALLOWED_MAGICS), f"unexpected IPython line: {line!r}"
            lines.append(line[: len(line) - len(stripped)] + "pass")
        else:
            lines.append(line)
    return ast.parse("\n".join(lines))


def _public_names(module_name: str) -> set[str]:
    module = importlib.import_module(module_name)
    exported = getattr(module, "__all__", None)
    return set(exported) if exported is not None else {n for n in vars(module) if not n.startswith("_")}


def test_notebook_is_short_clean_and_documented(notebook: nbformat.NotebookNode) -> None:
    kinds = [cell.cell_type for cell in notebook.cells]
    assert kinds[0] == "markdown" and notebook.cells[0].source.startswith("# ")
    assert 3 <= kinds.count("code") <= 10
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "commit the notebook without outputs"


def test_notebook_uses_the_kernel_of_the_terraform_lifecycle(notebook: nbformat.NotebookNode) -> None:
    kernel = notebook.metadata.kernelspec
    lifecycle = ON_START.read_text()
    assert f"--name {kernel.name} " in lifecycle
    assert f"--display-name '{kernel.display_name}'" in lifecycle
    assert "WTW_ARTIFACT_ROOT" in lifecycle


def test_code_cells_call_only_the_public_api(notebook: nbformat.NotebookNode) -> None:
    imported: dict[str, str] = {}
    calls: set[str] = set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        tree = _python(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda), (
                "the notebook calls the library; it does not define its own code"
            )
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name in ALLOWED_MODULES, f"import {alias.name}"
                    imported[alias.asname or alias.name] = alias.name
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert node.level == 0 and module.split(".")[0] == "wtw", f"from {module} import ..."
                public = _public_names(module)
                for alias in node.names:
                    assert alias.name in public, f"{module}.{alias.name} is not public API"
                    imported[alias.asname or alias.name] = f"{module}.{alias.name}"
            elif isinstance(node, ast.Attribute):
                assert not node.attr.startswith("_"), f"private attribute .{node.attr}"
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                calls.add(node.func.id)
    assert imported["embed_catalog"] == "wtw.embeddings.embed_catalog"
    assert {"embed_catalog", "get_settings", "build_index"} <= calls


def test_notebook_reads_and_writes_s3_uris(notebook: nbformat.NotebookNode) -> None:
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert re.search(r'"s3://[^"]+/store"', code), "the artifact root is an s3:// URI"
    assert 'os.environ["WTW_ARTIFACT_ROOT"]' in code
    assert re.search(r'"s3://[^"]+/releases/[^"]+\.whl"', code), "the wheel comes from the release folder"
