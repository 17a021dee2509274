"""Genre and title-type names as the catalog spells them, matched case-insensitively.

Clients write ``drama``, ``sci fi`` or ``TVSeries``; the catalog (IMDb's vocabulary) has ``Drama``, ``Sci-Fi``
and ``tvSeries``. Filters and preferences go through a `Vocabulary`, so that a misspelling is refused with the
valid names instead of silently matching nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wtw.errors import InputError

IMDB_GENRES = frozenset(
    {
        "Action",
        "Adult",
        "Adventure",
        "Animation",
        "Biography",
        "Comedy",
        "Crime",
        "Documentary",
        "Drama",
        "Family",
        "Fantasy",
        "Film-Noir",
        "Game-Show",
        "History",
        "Horror",
        "Music",
        "Musical",
        "Mystery",
        "News",
        "Reality-TV",
        "Romance",
        "Sci-Fi",
        "Short",
        "Sport",
        "Talk-Show",
        "Thriller",
        "War",
        "Western",
    }
)
IMDB_TYPES = frozenset(
    {
        "movie",
        "short",
        "tvEpisode",
        "tvMiniSeries",
        "tvMovie",
        "tvPilot",
        "tvSeries",
        "tvShort",
        "tvSpecial",
        "video",
        "videoGame",
    }
)


def fold(name: str) -> str:
    """Lower-case letters and digits only: 'Sci-Fi', 'sci fi' and 'SCIFI' all read 'scifi'."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


class Vocabulary:
    """The known names of one kind (genre, title type), looked up by their folded spelling."""

    def __init__(self, kind: str, names: Iterable[str]) -> None:
        self.kind = kind
        self.names = tuple(sorted({n for n in names if fold(n)}, key=str.casefold))
        self._by_fold = {fold(n): n for n in self.names}

    def lookup(self, name: str) -> str | None:
        return self._by_fold.get(fold(name))

    def canonical(self, values: Iterable[str]) -> list[str]:
        """The values in the catalog's spelling, in order and without duplicates.

        Raises:
            InputError: naming the unknown values and the valid ones.
        """
        out: dict[str, None] = {}
        unknown: list[str] = []
        for value in values:
            name = self.lookup(value)
            if name is None:
                unknown.append(value)
            else:
                out[name] = None
        if unknown:
            shown = ", ".join(repr(v[:40]) for v in unknown[:5])
            raise InputError(f"unknown {self.kind} {shown}; valid values: {', '.join(self.names)}")
        return list(out)

    def lenient(self, values: Iterable[str]) -> list[str]:
        """Like `canonical`, but unknown values are kept as written (for data stored before validation)."""
        return list(dict.fromkeys(self.lookup(v) or v for v in values))


GENRES = Vocabulary("genre", IMDB_GENRES)
TITLE_TYPES = Vocabulary("title type", IMDB_TYPES)


def catalog_vocabularies(genres: Sequence[str], types: Sequence[str]) -> tuple[Vocabulary, Vocabulary]:
    """IMDb's names plus the served catalog's others; where both spell a name, the catalog's wins.

    Built once per served catalog (`TitleTable.genre_vocab`, `TitleTable.type_vocab`).
    """
    genre = Vocabulary("genre", _merged(IMDB_GENRES, genres))
    return genre, Vocabulary("title type", _merged(IMDB_TYPES, types))


def _merged(base: frozenset[str], catalog: Sequence[str]) -> set[str]:
    spelled = {fold(n) for n in catalog}
    return {*catalog, *(n for n in base if fold(n) not in spelled)}
