"""Parsed Terraform of terraform/: every block of every .tf file, with python-hcl2's quoting removed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
import pytest

TERRAFORM = Path(__file__).resolve().parents[2] / "terraform"
LABELS = {"resource": 2, "data": 2, "variable": 1, "output": 1, "module": 1, "provider": 1}


def unquote(value: Any) -> Any:
    """python-hcl2 keeps string literals quoted ('"x"') and wraps expressions as '${...}'."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def clean(value: Any) -> Any:
    """Recursively unquote keys and values; drop the parser's bookkeeping keys."""
    if isinstance(value, dict):
        return {unquote(k): clean(v) for k, v in value.items() if k not in ("__is_block__", "__comments__")}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return unquote(value)


@dataclass(frozen=True)
class Block:
    kind: str
    labels: tuple[str, ...]
    body: dict[str, Any]
    path: Path

    @property
    def module_dir(self) -> Path:
        return self.path.parent

    @property
    def type(self) -> str:
        return self.labels[0]

    @property
    def name(self) -> str:
        return self.labels[-1]

    def where(self) -> str:
        return f"{self.path.relative_to(TERRAFORM)}: {self.kind} {' '.join(self.labels)}"

    def blocks(self, key: str) -> list[dict[str, Any]]:
        """Nested blocks named `key` (a list, empty when absent)."""
        value = self.body.get(key, [])
        return value if isinstance(value, list) else [value]


def _flatten(kind: str, entry: dict[str, Any], depth: int, labels: tuple[str, ...] = ()) -> Iterator[tuple]:
    if depth == 0:
        yield labels, entry
        return
    for label, inner in entry.items():
        yield from _flatten(kind, inner, depth - 1, (*labels, label))


def parse_file(path: Path) -> list[Block]:
    with path.open() as handle:
        raw = hcl2.load(handle)
    blocks = []
    for kind, entries in raw.items():
        if kind.startswith("__"):
            continue
        for entry in entries:
            for labels, body in _flatten(kind, clean(entry), LABELS.get(kind, 0)):
                blocks.append(Block(kind, labels, body, path))
    return blocks


def tf_files() -> list[Path]:
    return sorted(p for p in TERRAFORM.rglob("*.tf") if ".terraform" not in p.parts)


@pytest.fixture(scope="session")
def blocks() -> list[Block]:
    found = [block for path in tf_files() for block in parse_file(path)]
    assert found, f"no Terraform found under {TERRAFORM}"
    return found


@pytest.fixture(scope="session")
def resources(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if b.kind == "resource"]


@pytest.fixture(scope="session")
def of_type(resources: list[Block]) -> Callable[..., list[Block]]:
    """of_type("aws_lb", ...) -> the resources of those types, in every module."""

    def select(*types: str) -> list[Block]:
        return [r for r in resources if r.type in types]

    return select
