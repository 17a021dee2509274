"""The tconst ↔ row vocabulary: round trip, unknown titles, hash checks on load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wtw.errors import ArtifactError, NotFoundError
from wtw.index import Vocab

IDS = ["tt0133093", "tt0114709", "tt1375666", "tt0000001"]


def test_tconst_row_round_trip() -> None:
    vocab = Vocab(IDS)
    assert len(vocab) == 4
    for row, tconst in enumerate(IDS):
        assert vocab.row(tconst) == row
        assert vocab.tconst(row) == tconst
        assert tconst in vocab
    assert vocab.rows(["tt1375666", "tt9999999", "tt0133093"]).tolist() == [2, 0]
    assert vocab.rows([]).tolist() == []


def test_unknown_title_and_duplicates_are_clear_errors() -> None:
    vocab = Vocab(IDS)
    assert "tt9999999" not in vocab
    with pytest.raises(NotFoundError, match="tt9999999 is not in the index"):
        vocab.row("tt9999999")
    with pytest.raises(ArtifactError, match="duplicate"):
        Vocab([*IDS, IDS[0]])


def test_save_load_round_trip_checks_the_hash(tmp_path: Path) -> None:
    vocab = Vocab(IDS)
    path = tmp_path / "vocab.json"
    vocab.save(path)
    loaded = Vocab.load(path, expected_sha256=vocab.sha256)
    assert loaded.tconsts == IDS and loaded.sha256 == vocab.sha256
    with pytest.raises(ArtifactError, match="does not match its hash"):
        Vocab.load(path, expected_sha256=Vocab(IDS[::-1]).sha256)

    data = json.loads(path.read_text())
    data["tconsts"] = IDS[::-1]  # reordered rows would silently map titles to the wrong vectors
    path.write_text(json.dumps(data))
    with pytest.raises(ArtifactError, match="does not match its hash"):
        Vocab.load(path)

    path.write_text("{not json")
    with pytest.raises(ArtifactError, match="unreadable"):
        Vocab.load(path)
