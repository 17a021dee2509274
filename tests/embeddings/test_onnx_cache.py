"""`load_onnx_encoder` uses the export in the cache dir and redoes a missing or outdated one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wtw.config import EmbeddingSettings
from wtw.embeddings import onnx_int8


@pytest.mark.parametrize(
    ("meta", "exported"),
    [
        (None, True),
        ({"export_format": onnx_int8.EXPORT_FORMAT - 1}, True),
        ({"export_format": onnx_int8.EXPORT_FORMAT}, False),
    ],
)
def test_missing_or_outdated_exports_are_redone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, meta: dict | None, exported: bool
) -> None:
    settings = EmbeddingSettings(backend="onnx")
    path = onnx_int8.export_dir(tmp_path, settings.model)
    if meta is not None:
        path.mkdir(parents=True)
        (path / onnx_int8.MODEL_FILE).write_bytes(b"")
        (path / onnx_int8.META_FILE).write_text(json.dumps(meta))
    calls: list[Path] = []
    monkeypatch.setattr(onnx_int8, "export_onnx", lambda model, out: calls.append(out))
    monkeypatch.setattr(onnx_int8, "OnnxEncoder", lambda p, batch_size: ("encoder", p))
    assert onnx_int8.load_onnx_encoder(settings, tmp_path) == ("encoder", path)
    assert calls == ([path] if exported else [])
