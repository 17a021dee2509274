"""What the engine knows about a user: interactions and onboarding preferences.

Built by ``wtw.service.crud`` from the database for one user and by ``wtw.jobs`` in bulk; the engine never
touches SQL. All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

INTERACTION_KINDS = ("rating", "like", "dislike", "watchlist", "watched", "not_interested")


@dataclass(frozen=True)
class Interaction:
    """One thing a user did with one title."""

    tconst: str
    kind: str  # rating | like | dislike | watchlist | watched | not_interested
    at: datetime
    value: float | None = None  # the 1-10 rating for kind == "rating"
    expires_at: datetime | None = None  # not_interested "not now"; None = "never"

    def active(self, now: datetime) -> bool:
        """False once a "not now" dismissal has expired."""
        return self.expires_at is None or self.expires_at > now


@dataclass
class Preferences:
    """Onboarding answers, editable later in the taste profile."""

    liked_genres: list[str] = field(default_factory=list)
    disliked_genres: list[str] = field(default_factory=list)
    liked_people: list[str] = field(default_factory=list)
    liked_titles: list[str] = field(default_factory=list)
    title_types: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    max_runtime: int | None = None
    boosted_genres: dict[str, float] = field(default_factory=dict)  # taste-profile edits: genre -> weight
    muted_titles: list[str] = field(default_factory=list)  # titles the user removed from their taste profile


@dataclass
class UserSignals:
    """Everything the engine uses about one user."""

    user_id: int
    interactions: list[Interaction] = field(default_factory=list)
    preferences: Preferences = field(default_factory=Preferences)

    def seen(self, now: datetime) -> set[str]:
        """Titles never shown in the feed: rated, watched, disliked, or dismissed (not yet expired)."""
        out: set[str] = set()
        for it in self.interactions:
            if it.kind in ("rating", "watched", "dislike") or (
                it.kind == "not_interested" and it.active(now)
            ):
                out.add(it.tconst)
        return out

    def ratings(self) -> dict[str, float]:
        """The latest rating per title."""
        latest: dict[str, Interaction] = {}
        for it in self.interactions:
            if it.kind == "rating" and it.value is not None:
                prev = latest.get(it.tconst)
                if prev is None or it.at >= prev.at:
                    latest[it.tconst] = it
        return {t: float(it.value) for t, it in latest.items() if it.value is not None}
