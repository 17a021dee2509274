"""The text document embedded for each title, and its content hash.

Deterministic: the same catalog row always gives the same text, so ``doc_hash`` says what to re-embed.
Sections are added in order of retrieval value until ``max_chars`` is reached (see docs/documents.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

TYPE_LABELS = {
    "movie": "Movie",
    "tvSeries": "TV series",
    "tvMiniSeries": "TV miniseries",
    "tvMovie": "TV movie",
    "tvSpecial": "TV special",
    "short": "Short film",
    "video": "Video",
    "tvEpisode": "TV episode",
    "tvShort": "TV short",
    "videoGame": "Video game",
    "tvPilot": "TV pilot",
}
OVERVIEW_MAX = 600
CAST_IN_DOC = 6
LIST_LIMITS = {"directors": 3, "writers": 3, "keywords": 12, "tags": 10, "akas": 5}


def _years(start: int | None, end: int | None, kind: str) -> str:
    if start is None:
        return ""
    if kind in ("tvSeries", "tvMiniSeries") and end not in (None, start):
        return f" ({start}–{end})"
    if kind in ("tvSeries", "tvMiniSeries") and end is None:
        return f" ({start}–)"
    return f" ({start})"


def _clip(text: str, limit: int) -> str:
    """Cut at a sentence end, else a word boundary, never mid-word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    sentence = cut.rfind(". ")
    if sentence >= limit // 2:
        return cut[: sentence + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + "…" if " " in cut else cut


def _people(names: Sequence[str], limit: int) -> str:
    return ", ".join(names[:limit])


def _cast(cast: Sequence[str], characters: Sequence[str]) -> str:
    parts = []
    for i, name in enumerate(cast[:CAST_IN_DOC]):
        role = characters[i] if i < len(characters) else ""
        parts.append(f"{name} as {role}" if role and role not in ("Self", "Himself", "Herself") else name)
    return ", ".join(parts)


def build_document(row: Mapping[str, Any], max_chars: int = 1200) -> str:
    """One catalog row (title, type, years, genres, people, overview, keywords, tags, akas) → its document."""
    kind = row.get("type") or "movie"
    years = _years(row.get("start_year"), row.get("end_year"), kind)
    head = f"{row['title']}{years}. {TYPE_LABELS.get(kind, kind)}."
    original = row.get("original_title")
    if original and original != row["title"]:
        head += f" Original title: {original}."
    genres = row.get("genres") or []
    if genres:
        head += f" Genres: {', '.join(genres)}."
    sections: list[str] = []
    if overview := (row.get("overview") or "").strip():
        sections.append(_clip(overview, OVERVIEW_MAX))
    if directors := row.get("directors") or []:
        sections.append(f"Directed by {_people(directors, LIST_LIMITS['directors'])}.")
    if cast := row.get("cast") or []:
        sections.append(f"Starring {_cast(cast, row.get('characters') or [])}.")
    if writers := row.get("writers") or []:
        sections.append(f"Written by {_people(writers, LIST_LIMITS['writers'])}.")
    for key, label in (("keywords", "Keywords"), ("tags", "Tags"), ("akas", "Also known as")):
        if values := row.get(key) or []:
            separator = "; " if key == "akas" else ", "
            sections.append(f"{label}: {separator.join(values[: LIST_LIMITS[key]])}.")
    text = head
    for section in sections:
        room = max_chars - len(text) - 1
        if len(section) <= room:
            text += " " + section
        elif room > 40:
            text += " " + _clip(section, room)
            break
        else:
            break
    return text[:max_chars]


def doc_hash(document: str) -> str:
    """sha256 hex of the UTF-8 document."""
    return hashlib.sha256(document.encode("utf-8")).hexdigest()
