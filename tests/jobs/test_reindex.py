"""The nightly job re-embeds a refreshed catalog (only changed documents) and skips when nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from wtw.jobs.nightly import run_nightly
from wtw.store import open_store


def no_model(_settings: Any) -> Any:
    raise AssertionError("the encoder was loaded although the catalog did not change")


def test_unchanged_catalog_is_skipped_without_loading_a_model(world, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import wtw.embeddings.encoders

    monkeypatch.setattr(wtw.embeddings.encoders, "load_encoder", no_model)
    store = open_store(world.settings)
    index = store.latest("index")
    result = run_nightly(world.settings)
    assert result.report["embeddings"] == {
        "skipped": f"index {index} is built from the latest catalog {store.latest('catalog')}"
    }
    assert store.latest("index") == index and store.latest("vectors") is not None
    assert "catalog embeddings: skipped (index" in (result.report_dir / "report.md").read_text()
    assert result.report["timings"]["catalog embeddings"] < 1.0


def test_refreshed_catalog_embeds_only_changed_documents(world, refresh_catalog, fake_encoder) -> None:  # type: ignore[no-untyped-def]
    store = open_store(world.settings)
    old_index = store.latest("index")
    catalog = refresh_catalog(81, frozenset({3, 7}))  # one new title, two rewritten
    result = run_nightly(world.settings, encoder=fake_encoder)
    done = result.report["embeddings"]
    assert (done["embedded"], done["reused"], done["titles"]) == (3, 78, 81)
    assert done["catalog_version"] == catalog and done["index_version"] == store.latest("index") != old_index
    assert store.manifest("index")["catalog_version"] == catalog
    assert store.manifest("vectors")["catalog_version"] == catalog
    assert result.accepted and "3 embedded, 78 reused" in (result.report_dir / "report.md").read_text()

    again = run_nightly(world.settings, encoder=fake_encoder)
    assert "skipped" in again.report["embeddings"] and store.latest("index") == done["index_version"]


def test_vectors_already_embedded_are_only_indexed(  # type: ignore[no-untyped-def]
    world, refresh_catalog, fake_encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wtw.embeddings.encoders
    from wtw.embeddings.build import embed_catalog

    catalog = refresh_catalog(80, frozenset({5}))
    vectors = embed_catalog(world.settings, encoder=fake_encoder, progress=False).version  # `wtw embed` ran
    monkeypatch.setattr(wtw.embeddings.encoders, "load_encoder", no_model)
    done = run_nightly(world.settings).report["embeddings"]
    assert (done["vectors_version"], done["embedded"], done["reused"]) == (vectors, 1, 79)
    assert open_store(world.settings).manifest("index")["catalog_version"] == catalog
