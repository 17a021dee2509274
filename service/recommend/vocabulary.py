"""Words the query parser knows: fillers, title types, genres, moods (steers) and their opposites, numbers.

Everything is keyed by folded text (see `lexical.fold`): lower-case ASCII, hyphens and apostrophes removed.
"""

from __future__ import annotations

MOVIE = frozenset({"movie", "tvMovie"})
SERIES = frozenset({"tvSeries", "tvMiniSeries"})
MINISERIES = frozenset({"tvMiniSeries"})
SHORT = frozenset({"short"})

FILLER = frozenset(
    {
        "a",
        "an",
        "the",
        "some",
        "any",
        "something",
        "anything",
        "stuff",
        "things",
        "thing",
        "titles",
        "title",
        "one",
        "ones",
        "that",
        "which",
        "who",
        "is",
        "are",
        "was",
        "me",
        "my",
        "i",
        "im",
        "id",
        "we",
        "us",
        "you",
        "to",
        "please",
        "show",
        "find",
        "give",
        "recommend",
        "recommendation",
        "recommendations",
        "suggest",
        "suggestion",
        "suggestions",
        "want",
        "wanna",
        "would",
        "love",
        "watch",
        "watching",
        "see",
        "looking",
        "look",
        "search",
        "searching",
        "good",
        "great",
        "nice",
        "really",
        "very",
        "kind",
        "sort",
        "type",
        "of",
        "similar",
        "lot",
        "lots",
        "bit",
        "little",
        "more",
        "much",
        "just",
        "also",
        "other",
        "others",
        "tonight",
        "now",
        "what",
        "whats",
        "like",
    }
)
"""Never part of a title match or a semantic query on their own. ("more"/"less" matter only inside steers.)"""

TYPE_PHRASES: dict[tuple[str, ...], frozenset[str]] = {
    ("movie",): MOVIE,
    ("movies",): MOVIE,
    ("film",): MOVIE,
    ("films",): MOVIE,
    ("feature", "film"): MOVIE,
    ("feature", "films"): MOVIE,
    ("series",): SERIES,
    ("tv", "series"): SERIES,
    ("tv", "show"): SERIES,
    ("tv", "shows"): SERIES,
    ("show",): SERIES,
    ("shows",): SERIES,
    ("sitcom",): SERIES,
    ("sitcoms",): SERIES,
    ("miniseries",): MINISERIES,
    ("limited", "series"): MINISERIES,
    ("short", "film"): SHORT,
    ("short", "films"): SHORT,
    ("shorts",): SHORT,
}

GENRE_WORDS: dict[str, str] = {
    "action": "Action",
    "adventure": "Adventure",
    "adventures": "Adventure",
    "animated": "Animation",
    "animation": "Animation",
    "anime": "Animation",
    "cartoon": "Animation",
    "cartoons": "Animation",
    "biopic": "Biography",
    "biopics": "Biography",
    "biography": "Biography",
    "comedy": "Comedy",
    "comedies": "Comedy",
    "crime": "Crime",
    "documentary": "Documentary",
    "documentaries": "Documentary",
    "docs": "Documentary",
    "drama": "Drama",
    "dramas": "Drama",
    "family": "Family",
    "fantasy": "Fantasy",
    "noir": "Film-Noir",
    "historical": "History",
    "history": "History",
    "horror": "Horror",
    "musical": "Musical",
    "musicals": "Musical",
    "mystery": "Mystery",
    "mysteries": "Mystery",
    "whodunit": "Mystery",
    "romance": "Romance",
    "romcom": "Romance",
    "romcoms": "Romance",
    "scifi": "Sci-Fi",
    "sport": "Sport",
    "sports": "Sport",
    "thriller": "Thriller",
    "thrillers": "Thriller",
    "war": "War",
    "western": "Western",
    "westerns": "Western",
}
JOINED: dict[tuple[str, str], str] = {
    ("sci", "fi"): "scifi",
    ("science", "fiction"): "scifi",
    ("rom", "com"): "romcom",
    ("rom", "coms"): "romcoms",
    ("film", "noir"): "noir",
    ("feel", "good"): "feelgood",
    ("mind", "bending"): "mindbending",
    ("mind", "blowing"): "mindbending",
    ("grown", "ups"): "grownups",
    ("grown", "up"): "grownups",
    ("mini", "series"): "miniseries",
    ("children", "s"): "childrens",
}
"""Two-word spellings the tokenizer joins into one token ("sci-fi" → "scifi")."""
HARD_GENRES = frozenset({"Documentary", "Animation"})
"""Genres that describe a format rather than a taste: written in a query, they filter instead of boosting."""


class Steer:
    """A mood or aspect: the text that moves a vector, the text it moves away from, genres it favours."""

    __slots__ = ("avoid", "away", "genres", "text")

    def __init__(
        self, text: str, away: str, genres: tuple[str, ...] = (), avoid: tuple[str, ...] = ()
    ) -> None:
        self.text, self.away, self.genres, self.avoid = text, away, genres, avoid


STEERS: dict[str, Steer] = {
    "funny": Steer("a funny comedy, humorous and lighthearted", "a serious, grim drama", ("Comedy",)),
    "funnier": Steer("a funny comedy, humorous and lighthearted", "a serious, grim drama", ("Comedy",)),
    "comedic": Steer("a funny comedy, humorous and lighthearted", "a serious, grim drama", ("Comedy",)),
    "hilarious": Steer("a hilarious comedy", "a serious, grim drama", ("Comedy",)),
    "lighthearted": Steer("lighthearted, feel-good and fun", "dark, bleak and violent"),
    "feelgood": Steer("feel-good, uplifting and heartwarming", "dark, bleak and depressing"),
    "uplifting": Steer("uplifting and heartwarming", "dark, bleak and depressing"),
    "serious": Steer("a serious, dramatic story", "a silly comedy", ("Drama",)),
    "dark": Steer("dark, gritty and bleak", "lighthearted, feel-good and fun"),
    "darker": Steer("dark, gritty and bleak", "lighthearted, feel-good and fun"),
    "gritty": Steer("gritty, violent and realistic", "lighthearted, feel-good and fun"),
    "scary": Steer(
        "a scary horror film, frightening and terrifying", "a lighthearted comedy", ("Horror",), ("Family",)
    ),
    "scarier": Steer("a scary horror film, frightening and terrifying", "a lighthearted comedy", ("Horror",)),
    "creepy": Steer("creepy, eerie horror", "a lighthearted comedy", ("Horror",)),
    "romantic": Steer("a romantic love story", "a cold, violent story", ("Romance",)),
    "sad": Steer("a sad, moving tearjerker", "a lighthearted comedy", ("Drama",)),
    "smart": Steer("smart, intelligent and thought-provoking", "dumb, mindless fun"),
    "smarter": Steer("smart, intelligent and thought-provoking", "dumb, mindless fun"),
    "mindbending": Steer("mind-bending, twisty and surreal", "simple and straightforward"),
    "violent": Steer("violent, brutal action", "gentle and peaceful", ("Action",)),
    "action": Steer("action-packed, explosive fights and chases", "quiet and slow", ("Action",)),
    "adults": Steer(
        "for adults: mature, sophisticated adult themes",
        "for kids: a children's family film",
        (),
        ("Family",),
    ),
    "grownups": Steer(
        "for adults: mature, sophisticated adult themes",
        "for kids: a children's family film",
        (),
        ("Family",),
    ),
    "mature": Steer("mature, sophisticated adult themes", "a children's family film", (), ("Family",)),
    "kids": Steer("a children's family film", "mature adult themes", ("Family", "Animation"), ("Horror",)),
    "space": Steer(
        "set in outer space, spaceships and astronauts", "set on earth, everyday life", ("Sci-Fi",)
    ),
    "animated": Steer("an animated film", "live action", ("Animation",)),
    "realistic": Steer("realistic and grounded", "fantastical and magical"),
    "weird": Steer("weird, strange and surreal", "conventional and ordinary"),
    "sexy": Steer("sexy and erotic romance", "chaste and wholesome", ("Romance",)),
}
"""Known steer words. Any other steer text is encoded as written (and without an opposite)."""

STEER_MODIFIERS = frozenset(
    {
        "more",
        "less",
        "bit",
        "a",
        "slightly",
        "way",
        "much",
        "even",
        "also",
        "somewhat",
        "very",
        "extra",
        "and",
        "or",
        "but",
    }
)

DECADE_WORDS = {
    "twenties": 1920,
    "thirties": 1930,
    "forties": 1940,
    "fifties": 1950,
    "sixties": 1960,
    "seventies": 1970,
    "eighties": 1980,
    "nineties": 1990,
    "noughties": 2000,
}

NUMBER_WORDS = {"an": 1, "a": 1, "one": 1, "two": 2, "three": 3, "half": 0.5}
MINUTE_UNITS = frozenset({"minutes", "minute", "min", "mins", "m"})
HOUR_UNITS = frozenset({"hours", "hour", "hrs", "hr", "h"})
AT_MOST = {
    ("under",),
    ("below",),
    ("less", "than"),
    ("shorter", "than"),
    ("at", "most"),
    ("max",),
    ("maximum",),
    ("no", "more", "than"),
    ("no", "longer", "than"),
    ("up", "to"),
    ("within",),
}
BEFORE = {
    ("before",),
    ("pre",),
    ("older", "than"),
    ("earlier", "than"),
    ("prior", "to"),
    ("until",),
    ("up", "to"),
}
AFTER = {("after",), ("post",), ("since",), ("newer", "than"), ("later", "than")}
AT_LEAST = {
    ("over",),
    ("above",),
    ("more", "than"),
    ("longer", "than"),
    ("at", "least"),
    ("min",),
    ("minimum",),
}

LIKE_PHRASES = (
    ("similar", "to"),
    ("in", "the", "style", "of"),
    ("in", "the", "vein", "of"),
    ("along", "the", "lines", "of"),
    ("reminds", "me", "of"),
    ("that", "remind", "me", "of"),
    ("comparable", "to"),
    ("resembling",),
    ("like",),
)
PERSON_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("directed", "by"), "director"),
    (("written", "by"), "writer"),
    (("from", "director"), "director"),
    (("by", "director"), "director"),
    (("starring",), "cast"),
    (("featuring",), "cast"),
    (("with", "actor"), "cast"),
    (("with", "actress"), "cast"),
    (("by",), "any"),
    (("with",), "cast"),
    (("from",), "any"),
)
STEER_STARTS = (("but",), ("only",), ("except",), ("yet",), ("though",), ("with", "more"), ("with", "less"))
KIDS_PHRASES = (
    ("for", "kids"),
    ("for", "the", "kids"),
    ("for", "children"),
    ("for", "my", "kids"),
    ("with", "the", "kids"),
    ("with", "my", "kids"),
    ("with", "kids"),
    ("for", "the", "family"),
    ("for", "the", "whole", "family"),
    ("for", "family"),
    ("family", "friendly"),
    ("kid", "friendly"),
    ("childrens",),
)
KIDS_GENRES = frozenset({"Family", "Animation"})
NOT_FOR_KIDS = frozenset({"Horror"})
