from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from wtw.cli import app


def test_help_lists_the_jobs() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "embed", "index", "build", "serve", "jobs", "users", "eval", "bench"):
        assert command in result.output


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from wtw.cli import app; "
        "heavy = {'torch', 'faiss', 'sentence_transformers', 'ray', 'boto3'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
