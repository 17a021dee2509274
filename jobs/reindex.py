"""The nightly job's first step: re-embed and re-index when the catalog changed since the index was built.

The published index names the catalog it was built from (``catalog_version`` in its manifest). When the latest
catalog is another one, the step runs what `wtw build` runs: `embed_catalog` (the vector cache is keyed by
model and document hash, so only new or changed documents are encoded) and `build_index`. When nothing changed
it costs two small reads (``catalog/LATEST`` and the index manifest) and loads no model.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wtw.config import Settings
    from wtw.embeddings.encoders import Encoder
    from wtw.store import ArtifactStore

logger = logging.getLogger(__name__)


def refresh_index(
    settings: Settings, store: ArtifactStore, *, encoder: Encoder | None = None
) -> dict[str, Any]:
    """Bring the index up to the latest catalog; what was done, for the report.

    Args:
        encoder: the encoder to embed with; by default the configured one, loaded only when needed.
    """
    catalog = store.latest("catalog")
    if catalog is None:
        return {"skipped": "no catalog published"}
    index = store.latest_build("index")
    built_from = index.manifest.get("catalog_version")
    if index.built_from("catalog_version", catalog):
        return {"skipped": f"index {index.version} is built from the latest catalog {catalog}"}
    from wtw.embeddings.build import embed_catalog
    from wtw.index.build import build_index

    done: dict[str, Any] = {"catalog_version": catalog, "previous_catalog_version": built_from}
    vectors = store.latest_build("vectors")
    if vectors.built_from("catalog_version", catalog):  # embedded already: `wtw embed` ran, the index did not
        counts = {name: int(vectors.manifest.get(name) or 0) for name in ("reused", "embedded")}
        done.update(vectors_version=vectors.version, **counts)
    else:
        result = embed_catalog(
            settings, store=store, encoder=encoder, catalog_version=catalog, progress=False
        )
        done.update(vectors_version=result.version, reused=result.reused, embedded=result.embedded)
    built = build_index(settings, store=store, vectors_version=done["vectors_version"])
    done.update(index_version=built.version, index_kind=built.kind, titles=built.count)
    logger.info(
        "reindex catalog=%s previous=%s reused=%s embedded=%s index=%s",
        catalog,
        built_from,
        done["reused"],
        done["embedded"],
        built.version,
    )
    return done
