"""Engine results (dataclasses of `wtw.service.recommend`) → the API's response models."""

from __future__ import annotations

from dataclasses import is_dataclass
from typing import Any

from wtw.service.models import FeedRowPublic, Reason, TasteItem, TastePublic, TitleDetailPublic, TitlePublic


def _fields(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return dict(obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f: getattr(obj, f) for f in obj.__dataclass_fields__}
    return dict(vars(obj))


def reason(value: Any) -> Reason:
    if isinstance(value, str):
        return Reason(kind="note", text=value)
    data = _fields(value)
    return Reason(
        kind=str(data.get("kind", "note")), text=str(data.get("text", "")), tconst=data.get("tconst")
    )


def title(item: Any) -> TitlePublic:
    data = _fields(item)
    data["reasons"] = [reason(r) for r in data.get("reasons") or []]
    for key in ("genres", "directors", "cast"):
        data[key] = list(data.get(key) or [])
    return TitlePublic.model_validate(data)


def titles(items: Any) -> list[TitlePublic]:
    return [title(item) for item in items]


def detail(item: Any) -> TitleDetailPublic:
    data = _fields(item)
    for key in ("genres", "directors", "writers", "cast"):
        data[key] = list(data.get(key) or [])
    return TitleDetailPublic.model_validate(data)


def row(value: Any) -> FeedRowPublic:
    data = _fields(value)
    kind = str(data.get("kind") or "row")
    anchor, genre = data.get("anchor"), data.get("genre")
    return FeedRowPublic(
        key=":".join(str(part) for part in (kind, anchor or genre) if part),
        kind=kind,
        title=str(data.get("title")),
        anchor=anchor,
        genre=genre,
        items=titles(data.get("items") or []),
    )


def _weights(values: Any) -> list[TasteItem]:
    if isinstance(values, dict):
        return [TasteItem(name=str(k), weight=float(v)) for k, v in values.items()]
    return [TasteItem.model_validate(_fields(v)) for v in values or []]


def taste(value: Any) -> TastePublic:
    data = _fields(value)
    return TastePublic(
        genres=_weights(data.get("genres")),
        people=_weights(data.get("people")),
        anchors=titles(data.get("anchors") or []),
        disliked=titles(data.get("disliked") or []),
        counts={"interactions": int(data.get("interactions") or 0)},
        has_vector=bool(data.get("has_vector")),
    )
