"""SQLModel models of the user database, one ladder per resource: Base → Create/Update → table → Public.

Table models hold what is stored; Public models are what the API returns. Title lists share `TitlePublic`
(tconst, title, year, type, genres, score, reasons, ...) so every list response has the same item shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, field_validator, model_validator
from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from wtw.errors import InputError
from wtw.service.recommend.filters import GENRES, TITLE_TYPES, Vocabulary

TCONST_PATTERN = r"^tt\d{7,10}$"
USERNAME_PATTERN = r"^[A-Za-z0-9_.@+-]+$"
# SQLModel's own `regex=` is dropped by pydantic 2: patterns go in through `schema_extra`, and only on input
# models, so that a row stored before a rule tightened can still be read back.


def utcnow() -> datetime:
    """Timezone-aware now (stored as UTC)."""
    return datetime.now(UTC)


class Role(StrEnum):
    user = "user"
    admin = "admin"


class FeedbackKind(StrEnum):
    like = "like"
    dislike = "dislike"
    not_interested = "not_interested"
    watchlist = "watchlist"
    watched = "watched"


class RatingSort(StrEnum):
    """Orders of the caller's ratings: newest or oldest first, highest rating first, by catalog title."""

    recent = "recent"
    oldest = "oldest"
    rating = "rating"
    by_title = "title"


class FeedbackSort(StrEnum):
    recent = "recent"
    oldest = "oldest"
    by_title = "title"


# --- users ---


class UserBase(SQLModel):
    username: str = Field(min_length=3, max_length=64, unique=True, index=True)


class UserCreate(UserBase):
    username: str = Field(
        min_length=3,
        max_length=64,
        schema_extra={"pattern": USERNAME_PATTERN},
        description="Letters, digits and _ . @ + -",
    )
    password: str = Field(min_length=8, max_length=256)


class User(UserBase, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.user.value, max_length=16)
    created_at: datetime = Field(default_factory=utcnow)


class UserPublic(UserBase):
    id: int


class MePublic(UserPublic):
    role: str
    created_at: datetime


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


# --- ratings ---


class RatingBase(SQLModel):
    rating: int = Field(ge=1, le=10)


class RatingUpdate(RatingBase):
    pass


class Rating(RatingBase, table=True):
    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("user_id", "tconst", name="uq_ratings_user_tconst"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    tconst: str = Field(max_length=16, index=True)
    rated_at: datetime = Field(default_factory=utcnow)
    source: str = Field(default="api", max_length=16)


class TitleFields(SQLModel):
    """What every list item carries; for the user's own titles ``score`` is their rating (or 0)."""

    tconst: str
    title: str
    year: int | None = None
    type: str
    genres: list[str] = []
    score: float


class RatingPublic(TitleFields, RatingBase):
    rated_at: datetime
    source: str


# --- feedback ---


class FeedbackBase(SQLModel):
    tconst: str = Field(max_length=16, schema_extra={"pattern": TCONST_PATTERN})
    kind: FeedbackKind


class FeedbackCreate(FeedbackBase):
    snooze_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="not_interested only: 'not now' for this many days; omitted means 'never'.",
    )


class Feedback(SQLModel, table=True):
    """The latest event of one kind for one title (like and dislike replace each other)."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("user_id", "tconst", "kind", name="uq_feedback_user_tconst_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    tconst: str = Field(max_length=16, index=True)
    kind: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None


class FeedbackPublic(TitleFields):
    kind: FeedbackKind
    created_at: datetime
    expires_at: datetime | None = None


# --- preferences ---


class PreferencesBase(SQLModel):
    """Onboarding answers, editable later in the taste profile."""

    liked_genres: list[str] = Field(default_factory=list, max_length=50)
    disliked_genres: list[str] = Field(default_factory=list, max_length=50)
    liked_people: list[str] = Field(default_factory=list, max_length=100)
    liked_titles: list[str] = Field(default_factory=list, max_length=200)
    title_types: list[str] = Field(default_factory=list, max_length=10)
    year_from: int | None = Field(default=None, ge=1870, le=2100)
    year_to: int | None = Field(default=None, ge=1870, le=2100)
    max_runtime: int | None = Field(default=None, ge=1, le=2000)
    boosted_genres: dict[str, float] = Field(default_factory=dict)
    muted_titles: list[str] = Field(default_factory=list, max_length=1000)

    @field_validator("liked_titles", "muted_titles")
    @classmethod
    def _tconsts(cls, values: list[str]) -> list[str]:
        import re

        bad = [v for v in values if not re.fullmatch(TCONST_PATTERN, v)]
        if bad:
            raise ValueError(f"not IMDb title ids (tt1234567): {', '.join(bad[:5])}")
        return values

    @field_validator("boosted_genres")
    @classmethod
    def _weights(cls, values: dict[str, float]) -> dict[str, float]:
        bad = [k for k, v in values.items() if not -1.0 <= v <= 1.0]
        if bad:
            raise ValueError(f"genre weights must lie in [-1, 1]: {', '.join(bad[:5])}")
        return {GENRES.lookup(k) or k: v for k, v in values.items()}

    @field_validator("liked_genres", "disliked_genres")
    @classmethod
    def _genre_spelling(cls, values: list[str]) -> list[str]:
        """IMDb's spelling ('sci-fi' → 'Sci-Fi'); unknown names pass (stored rows), updates refuse them."""
        return GENRES.lenient(values)

    @field_validator("title_types")
    @classmethod
    def _type_spelling(cls, values: list[str]) -> list[str]:
        return TITLE_TYPES.lenient(values)


def _known(vocabulary: Vocabulary, names: Iterable[str]) -> None:
    try:
        vocabulary.canonical(names)
    except InputError as exc:
        raise ValueError(str(exc)) from None


class PreferencesUpdate(PreferencesBase):
    @field_validator("liked_genres", "disliked_genres", "boosted_genres")
    @classmethod
    def _known_genres(cls, values: list[str] | dict[str, float]) -> list[str] | dict[str, float]:
        _known(GENRES, values)
        return values

    @field_validator("title_types")
    @classmethod
    def _known_types(cls, values: list[str]) -> list[str]:
        _known(TITLE_TYPES, values)
        return values

    @model_validator(mode="after")
    def _year_order(self) -> PreferencesUpdate:
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise ValueError("year_to must not be before year_from")
        return self


class PreferencesPublic(PreferencesBase):
    updated_at: datetime | None = None


class UserPreferences(SQLModel, table=True):
    __tablename__ = "preferences"

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


# --- preference vector state, share codes, imports ---


class UserVector(SQLModel, table=True):
    """The user's preference vector: updated online after each signal, rebuilt by the nightly job."""

    __tablename__ = "user_vectors"

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    model_id: str = Field(max_length=255)
    dim: int
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    source: str = Field(default="online", max_length=16)
    updated_at: datetime = Field(default_factory=utcnow)


class ShareCode(SQLModel, table=True):
    """A code a user hands to friends: whoever holds it may include the user in a group ("tonight") feed."""

    __tablename__ = "share_codes"

    code: str = Field(primary_key=True, max_length=32)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)


class ShareCodePublic(SQLModel):
    code: str
    created_at: datetime


class ImportRecord(SQLModel, table=True):
    """One applied import file, keyed by its sha256 so the same file is never applied twice."""

    __tablename__ = "imports"
    __table_args__ = (UniqueConstraint("user_id", "sha256", name="uq_imports_user_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    sha256: str = Field(max_length=64)
    source: str = Field(max_length=16)
    filename: str = Field(default="", max_length=255)
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    unknown: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class ImportRecordPublic(SQLModel):
    id: int
    source: str
    filename: str
    rows: int
    imported: int
    skipped: int
    unknown: int
    created_at: datetime


# --- API-only shapes ---


class Reason(BaseModel):
    """One piece of evidence behind a recommendation."""

    kind: str
    text: str
    tconst: str | None = None


class TitlePublic(BaseModel):
    """An item of every title list: the required fields first, details when the engine knows them."""

    model_config = ConfigDict(from_attributes=True)

    tconst: str
    title: str
    year: int | None = None
    type: str
    genres: list[str] = []
    score: float
    reasons: list[Reason] = []
    rating: float | None = None
    votes: int | None = None
    runtime_minutes: int | None = None
    directors: list[str] = []
    cast: list[str] = []


class TitleDetailPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    tconst: str
    title: str
    original_title: str | None = None
    year: int | None = None
    end_year: int | None = None
    type: str
    genres: list[str] = []
    runtime_minutes: int | None = None
    rating: float | None = None
    votes: int | None = None
    directors: list[str] = []
    writers: list[str] = []
    cast: list[str] = []
    overview: str | None = None
    seasons: int | None = None
    episodes: int | None = None


class FeedRowPublic(BaseModel):
    """A titled row of the home page: "Because you liked X", "More like X", "Popular now in <genre>"."""

    key: str
    kind: str
    title: str
    anchor: str | None = None
    genre: str | None = None
    items: list[TitlePublic]


class TasteItem(BaseModel):
    name: str
    weight: float


class TastePublic(BaseModel):
    genres: list[TasteItem] = []
    people: list[TasteItem] = []
    anchors: list[TitlePublic] = []
    disliked: list[TitlePublic] = []
    counts: dict[str, int] = {}
    has_vector: bool = False


class UnknownRow(BaseModel):
    row: int
    title: str | None = None
    year: int | None = None
    tconst: str | None = None


class RowError(BaseModel):
    row: int
    message: str


class ImportResult(BaseModel):
    """What an import did: rows in ``errors`` were not imported; rows in ``warnings`` were, without a date
    (``undated`` counts them)."""

    source: str
    imported: int
    skipped: int
    unknown: list[UnknownRow]
    errors: list[RowError] = []
    warnings: list[RowError] = []
    undated: int = 0
    duplicate_file: bool = False


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """Every list response: ``{"items": [...]}``."""

    items: list[T]


class CountedPage(Page[T], Generic[T]):
    """A window of a stored list: ``items`` plus how many match in all (``total``) and where it starts."""

    total: int
    limit: int
    offset: int
