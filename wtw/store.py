"""The artifact store: versioned builds (catalog, vectors, index, usermodel) in a local directory or on S3.

Layout (see docs/architecture.md)::

    <root>/<kind>/<version>/<file>...        files of one build
    <root>/<kind>/<version>/manifest.json    kind, version, created_at, sha256 + size of files, kind fields
    <root>/<kind>/LATEST                     the current version id, written last

Publishing writes the files, then the manifest, then ``LATEST``: a crash at any point leaves the previous
version current. Fetching verifies every file's sha256 against the manifest; remote artifacts are downloaded
into a local cache that is re-verified (and refetched when stale or corrupt) on every fetch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wtw.errors import ArtifactError, NotFoundError

if TYPE_CHECKING:
    from wtw.config import Settings

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
LATEST = "LATEST"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_CHUNK = 1 << 20


def new_version() -> str:
    """A sortable UTC version id, e.g. ``20261125T101500Z-1a2b3c``.

    The suffix is the microsecond in five hex digits plus one random digit, so ids of one second still sort.
    """
    now = datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{now.microsecond:05x}{secrets.randbelow(16):x}"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class LocalArtifact:
    """One verified build on local disk."""

    kind: str
    version: str
    path: Path
    manifest: dict[str, Any]

    def file(self, name: str) -> Path:
        """Path of one of the artifact's files (ArtifactError when the manifest does not list it)."""
        if name not in self.manifest["files"]:
            raise ArtifactError(f"{self.kind} artifact {self.version} has no file {name!r}")
        return self.path / name


@dataclass(frozen=True)
class LatestBuild:
    """The LATEST version of one kind and its manifest, read without downloading the files."""

    kind: str
    version: str | None  # None when nothing was published
    manifest: dict[str, Any]  # {} when nothing was published

    def built_from(self, parent_field: str, parent: str | None) -> bool:
        """Whether this build names ``parent`` as its ``parent_field`` (an index's ``catalog_version``…)."""
        return self.version is not None and self.manifest.get(parent_field) == parent


class _Backend:
    """Byte storage under keys like ``index/<version>/index.faiss``."""

    def put_file(self, key: str, path: Path) -> None:
        raise NotImplementedError

    def put_bytes(self, key: str, data: bytes) -> None:
        raise NotImplementedError

    def get_bytes(self, key: str) -> bytes | None:
        raise NotImplementedError

    def list_dirs(self, prefix: str) -> list[str]:
        raise NotImplementedError

    def local_dir(self, prefix: str) -> Path | None:
        """The directory holding ``prefix`` when it is already on local disk (no cache needed)."""
        return None

    def download(self, key: str, dest: Path) -> None:
        raise NotImplementedError


class _LocalBackend(_Backend):
    def __init__(self, root: Path) -> None:
        self.root = root

    def put_file(self, key: str, path: Path) -> None:
        dest = self.root / key
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.tmp-{secrets.token_hex(4)}")
        shutil.copyfile(path, tmp)
        os.replace(tmp, dest)

    def put_bytes(self, key: str, data: bytes) -> None:
        dest = self.root / key
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.tmp-{secrets.token_hex(4)}")
        tmp.write_bytes(data)
        os.replace(tmp, dest)

    def get_bytes(self, key: str) -> bytes | None:
        path = self.root / key
        return path.read_bytes() if path.is_file() else None

    def list_dirs(self, prefix: str) -> list[str]:
        base = self.root / prefix
        return sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []

    def local_dir(self, prefix: str) -> Path | None:
        return self.root / prefix


class _S3Backend(_Backend):
    def __init__(self, url: str, *, endpoint_url: str | None, multipart_threshold: int) -> None:
        import boto3
        from boto3.s3.transfer import TransferConfig

        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        if not bucket:
            raise ArtifactError(f"artifact root {url!r} has no bucket name")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = boto3.client("s3", endpoint_url=endpoint_url)
        self.transfer = TransferConfig(
            multipart_threshold=multipart_threshold,
            multipart_chunksize=max(multipart_threshold, 5 * 1024 * 1024),
        )

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put_file(self, key: str, path: Path) -> None:
        self.client.upload_file(str(path), self.bucket, self._key(key), Config=self.transfer)

    def put_bytes(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def get_bytes(self, key: str) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None
        except Exception as exc:
            if getattr(exc, "response", {}).get("Error", {}).get("Code") in {"404", "NoSuchKey"}:
                return None
            raise ArtifactError(f"cannot read s3://{self.bucket}/{self._key(key)}: {exc}") from exc

    def list_dirs(self, prefix: str) -> list[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        full = self._key(prefix).rstrip("/") + "/"
        names: list[str] = []
        for page in paginator.paginate(Bucket=self.bucket, Prefix=full, Delimiter="/"):
            names += [p["Prefix"][len(full) :].rstrip("/") for p in page.get("CommonPrefixes", [])]
        return sorted(names)

    def download(self, key: str, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.tmp-{secrets.token_hex(4)}")
        try:
            self.client.download_file(self.bucket, self._key(key), str(tmp), Config=self.transfer)
        except Exception as exc:
            tmp.unlink(missing_ok=True)
            raise ArtifactError(f"cannot download s3://{self.bucket}/{self._key(key)}: {exc}") from exc
        os.replace(tmp, dest)


class ArtifactStore:
    """Versioned artifacts under a local directory or an ``s3://bucket/prefix`` root."""

    def __init__(self, root: str, backend: _Backend, cache_dir: Path) -> None:
        self.root = root
        self._backend = backend
        self.cache_dir = cache_dir

    @classmethod
    def open(
        cls,
        root: str | Path,
        *,
        cache_dir: Path,
        endpoint_url: str | None = None,
        multipart_threshold: int = 64 * 1024 * 1024,
    ) -> ArtifactStore:
        """Open a store; ``root`` is a directory or ``s3://bucket/prefix``."""
        root = str(root)
        backend: _Backend
        if root.startswith("s3://"):
            backend = _S3Backend(root, endpoint_url=endpoint_url, multipart_threshold=multipart_threshold)
        else:
            backend = _LocalBackend(Path(root))
        return cls(root, backend, Path(cache_dir))

    def __repr__(self) -> str:
        return f"ArtifactStore({self.root!r})"

    def publish(self, kind: str, files: Mapping[str, Path], fields: Mapping[str, Any] | None = None) -> str:
        """Upload ``files`` (name → local path) as a new version of ``kind``; returns the version id.

        The manifest is written after every file and ``LATEST`` after the manifest.
        """
        _check_name(kind, "kind")
        if not files:
            raise ValueError("an artifact needs at least one file")
        reserved = {"kind", "version", "created_at", "files"} & set(fields or {})
        if reserved:
            raise ValueError(f"manifest fields {sorted(reserved)} are set by the store")
        entries: dict[str, dict[str, Any]] = {}
        for name, source in files.items():
            _check_name(name, "file name")
            if name in {MANIFEST, LATEST}:
                raise ValueError(f"{name!r} is reserved")
            path = Path(source)
            if not path.is_file():
                raise ArtifactError(f"cannot publish {kind}: {path} is not a file")
            entries[name] = {"sha256": sha256_file(path), "size": path.stat().st_size}
        version = new_version()
        manifest = {
            "kind": kind,
            "version": version,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            **dict(fields or {}),
            "files": entries,
        }
        for name, path in files.items():
            self._backend.put_file(f"{kind}/{version}/{name}", Path(path))
        self._backend.put_bytes(f"{kind}/{version}/{MANIFEST}", json.dumps(manifest, indent=2).encode())
        self._backend.put_bytes(f"{kind}/{LATEST}", version.encode())
        logger.info("published %s %s to %s", kind, version, self.root)
        return version

    def latest(self, kind: str) -> str | None:
        """The current version of ``kind``, or None when nothing was published."""
        data = self._backend.get_bytes(f"{kind}/{LATEST}")
        if data is None:
            return None
        return data.decode().strip() or None

    def versions(self, kind: str) -> list[str]:
        """Every complete version (with a manifest) of ``kind``, oldest first."""
        return [v for v in self._backend.list_dirs(kind) if self._backend.get_bytes(f"{kind}/{v}/{MANIFEST}")]

    def manifest(self, kind: str, version: str | None = None) -> dict[str, Any]:
        """The manifest of one version (default: LATEST) without fetching its files."""
        version = self._resolve(kind, version)
        data = self._backend.get_bytes(f"{kind}/{version}/{MANIFEST}")
        if data is None:
            raise NotFoundError(f"{kind} version {version} not found in {self.root}")
        try:
            manifest: dict[str, Any] = json.loads(data)
            manifest["files"].items()
        except (ValueError, KeyError, AttributeError) as exc:
            raise ArtifactError(f"{kind} {version}: manifest.json in {self.root} is unreadable") from exc
        return manifest

    def latest_build(self, kind: str) -> LatestBuild:
        """LATEST of ``kind`` with its manifest: two small reads, whatever the artifact's size."""
        version = self.latest(kind)
        return LatestBuild(kind, version, self.manifest(kind, version) if version else {})

    def fetch(self, kind: str, version: str | None = None) -> LocalArtifact:
        """A verified local copy of one version (default: LATEST); remote files go through the cache."""
        version = self._resolve(kind, version)
        manifest = self.manifest(kind, version)
        where = self._backend.local_dir(f"{kind}/{version}")
        remote = where is None
        if where is None:
            where = self.cache_dir / "artifacts" / kind / version
        stamp_path = self.cache_dir / "verified" / kind / f"{version}.json"
        stamps = _read_json(stamp_path)
        for name, entry in manifest["files"].items():
            path = where / name
            if _stamp_ok(path, stamps.get(name)):
                continue
            if path.is_file() and sha256_file(path) == entry["sha256"]:
                stamps[name] = _stamp(path)
                continue
            if not remote:
                raise ArtifactError(
                    f"{kind} {version}: {name} in {self.root} is missing or corrupt "
                    f"(sha256 does not match the manifest); republish it"
                )
            logger.info("fetching %s/%s/%s", kind, version, name)
            self._backend.download(f"{kind}/{version}/{name}", path)
            digest = sha256_file(path)
            if digest != entry["sha256"]:
                path.unlink(missing_ok=True)
                raise ArtifactError(
                    f"{kind} {version}: {name} downloaded from {self.root} is corrupt "
                    f"(sha256 {digest[:12]}…, manifest says {entry['sha256'][:12]}…); republish it"
                )
            stamps[name] = _stamp(path)
        stamp_path.parent.mkdir(parents=True, exist_ok=True)
        _write_json(stamp_path, stamps)
        return LocalArtifact(kind, version, where, manifest)

    def _resolve(self, kind: str, version: str | None) -> str:
        _check_name(kind, "kind")
        if version is None:
            version = self.latest(kind)
            if version is None:
                raise NotFoundError(f"no {kind} artifact published in {self.root}")
        _check_name(version, "version")
        return version


def open_store(settings: Settings) -> ArtifactStore:
    """The store named by ``settings.artifact_root`` with its cache under ``settings.cache_dir``."""
    return ArtifactStore.open(
        settings.artifact_root, cache_dir=settings.cache_dir, endpoint_url=settings.s3_endpoint_url
    )


def _check_name(value: str, what: str) -> None:
    if not _NAME.match(value):
        raise ValueError(f"invalid {what} {value!r}")


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _stamp_ok(path: Path, stamp: list[int] | None) -> bool:
    return stamp is not None and path.is_file() and _stamp(path) == stamp


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(4)}")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)
