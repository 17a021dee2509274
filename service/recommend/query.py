"""Free-text query parsing: a tokenizer and a small left-to-right grammar (documented in docs/search.md).

The parser turns "funny sci-fi movies like Alien but for adults from the 80s under 2 hours" into structure:
an anchor title, steers, people, hard constraints and soft genre boosts, plus the leftover words searched as
free text. Title and person spans are resolved against the catalog through callbacks, longest prefix first,
so "like Lost in Translation but funny" keeps "in" inside the title and "like Alien from the 80s" does not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from wtw.service.recommend import vocabulary as V
from wtw.service.recommend.lexical import is_word_char, strip_marks
from wtw.service.recommend.titles import Constraints

TitleResolver = Callable[[str], "tuple[int, float] | None"]  # span → (catalog row, 0-100 score)
PersonResolver = Callable[[str, bool], "tuple[str, float] | None"]  # (span, allow surname) → (name, score)

_TOKEN = re.compile(r"\d+\.\d+[a-z]*\d*|[^ .]+")  # run on text where all but words and "." are spaces
_NUMBER_UNIT = re.compile(r"(\d+(?:\.\d+)?)(h|hr|hrs|hours?|m|min|mins|minutes?)(\d*)")
_YEAR = re.compile(r"^(18|19|20)\d\d$")
_DECADE = re.compile(r"^(\d\d|(18|19|20)\d0)s$")
_KIND_WORDS = frozenset({"movie", "film", "show", "series"})
TITLE_MIN = 88.0
"""A span is taken as a title (or a person) only at this lexical score or more."""
MAX_LOOKUPS = 4
""""like X" / "by Y" / "with Z" phrases resolved against the catalog per query (each costs up to ten fuzzy
matches); later ones are read as plain words."""
MAX_STEERS = 6
"""Steers ("but funny", "less violent") per query: each may cost a sentence encoding."""


@dataclass(frozen=True)
class SteerTerm:
    text: str
    away: str
    sign: float  # +1 toward text, -1 away from it ("but less violent")
    genres: tuple[str, ...] = ()
    label: str = ""  # the user's words
    avoid: tuple[str, ...] = ()


@dataclass
class ParsedQuery:
    """What a query asks for; `words` are the free-text words left after the grammar took its part."""

    original: str
    tokens: list[str]
    words: list[str] = field(default_factory=list)
    like_row: int | None = None
    like_span: str | None = None
    steers: list[SteerTerm] = field(default_factory=list)
    people: list[tuple[str, str]] = field(
        default_factory=list
    )  # (name, role: director | writer | cast | any)
    constraints: Constraints = field(default_factory=Constraints)
    genre_boost: dict[str, float] = field(default_factory=dict)
    lookups: int = field(default=0, repr=False, compare=False)  # phrases resolved so far (MAX_LOOKUPS)

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def descriptive(self) -> bool:
        """True when every free word is a genre or mood word: it describes titles rather than naming one."""
        return all(w in V.GENRE_WORDS or w in V.STEERS or w in V.FILLER for w in self.words)


def tokenize(text: str) -> list[str]:
    """Case- and accent-folded tokens of any script (as `lexical.fold`); numbers keep a decimal point and a
    decade 's' ("1.5", "90s", "1980s")."""
    text = re.sub(r"['’](?=\w)", "", strip_marks(text))
    text = "".join(c if c == "." or is_word_char(c) else " " for c in text)
    tokens: list[str] = []
    for tok in _TOKEN.findall(text):
        unit = _NUMBER_UNIT.fullmatch(tok)
        tokens += [part for part in unit.groups() if part] if unit else [tok]
    out: list[str] = []
    for tok in tokens:
        joined = V.JOINED.get((out[-1], tok)) if out else None
        if joined:
            out[-1] = joined
        else:
            out.append(tok)
    return out


def _starts(tokens: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(tokens[i : i + len(phrase)]) == phrase


def _longest(tokens: list[str], i: int, phrases: object) -> tuple[str, ...] | None:
    best: tuple[str, ...] | None = None
    for p in phrases:  # type: ignore[attr-defined]
        if _starts(tokens, i, p) and (best is None or len(p) > len(best)):
            best = p
    return best


class QueryParser:
    """Parses queries against one catalog (through the resolvers)."""

    def __init__(
        self, resolve_title: TitleResolver, resolve_person: PersonResolver, current_year: int
    ) -> None:
        self.resolve_title = resolve_title
        self.resolve_person = resolve_person
        self.current_year = current_year

    def parse(self, query: str) -> ParsedQuery:
        tokens = tokenize(query)
        out = ParsedQuery(original=query, tokens=tokens)
        rules = (
            self._like,
            self._steer,
            self._audience,
            self._runtime,
            self._era,
            self._years,
            self._type,
            self._person,
        )
        i = 0
        while i < len(tokens):
            for rule in rules:
                j = rule(tokens, i, out)
                if j > i:
                    i = j
                    break
            else:
                self._word(tokens[i], out)
                i += 1
        self._bare_person(out)
        return out

    # -- rules: each returns the position after what it consumed (or i when it does not apply) --------------

    def _like(self, tokens: list[str], i: int, out: ParsedQuery) -> int:
        phrase = _longest(tokens, i, V.LIKE_PHRASES)
        if phrase is None or out.like_row is not None or out.lookups >= MAX_LOOKUPS:
            return i
        if (
            phrase == ("like",)
            and i > 0
            and tokens[i - 1] in {"id", "would", "i", "you", "we", "dont", "really"}
        ):
            return i
        start = i + len(phrase)
        if _starts(tokens, start, ("the",)) and start + 1 < len(tokens) and tokens[start + 1] in _KIND_WORDS:
            start += 2  # "like the movie Alien"
        end = start
        while (
            end < len(tokens)
            and end - start < 10
            and not any(_starts(tokens, end, s) for s in V.STEER_STARTS)
        ):
            end += 1
        out.lookups += 1
        found = self._resolve_span(tokens, start, end, self.resolve_title)
        if found is None:
            return i
        stop, (row, _) = found
        out.like_row, out.like_span = int(row), " ".join(tokens[start:stop])  # type: ignore[call-overload]
        return stop

    def _steer(self, tokens: list[str], i: int, out: ParsedQuery) -> int:
        phrase = _longest(tokens, i, V.STEER_STARTS)
        if phrase is None or len(out.steers) >= MAX_STEERS:
            return i
        sign = -1.0 if phrase[-1] == "less" else 1.0
        end = i + len(phrase)
        while end < len(tokens) and not any(_starts(tokens, end, s) for s in V.STEER_STARTS):
            end += 1
        sub = ParsedQuery(original="", tokens=tokens[i + len(phrase) : end], lookups=out.lookups)
        j = 0
        rules = (self._audience, self._runtime, self._era, self._years, self._type, self._person)
        rest: list[str] = []
        while j < len(sub.tokens):
            for rule in rules:
                k = rule(sub.tokens, j, sub)
                if k > j:
                    j = k
                    break
            else:
                rest.append(sub.tokens[j])
                j += 1
        out.constraints = out.constraints.merge(sub.constraints)
        out.people += sub.people
        out.lookups = sub.lookups
        if any(w in {"less", "not", "without", "no", "fewer"} for w in rest):
            sign = -1.0
        self._add_steers(rest, sign, out)
        return end

    def _add_steers(self, words: list[str], sign: float, out: ParsedQuery) -> None:
        known: list[SteerTerm] = []
        unknown: list[str] = []
        k = 0
        while k < len(words):
            w = words[k]
            pair = w + words[k + 1] if k + 1 < len(words) else ""
            if pair in V.STEERS:
                s = V.STEERS[pair]
                known.append(SteerTerm(s.text, s.away, sign, s.genres, f"{w} {words[k + 1]}", s.avoid))
                k += 2
                continue
            if w in V.STEERS:
                s = V.STEERS[w]
                label = f"for {w}" if k > 0 and words[k - 1] == "for" else w
                known.append(SteerTerm(s.text, s.away, sign, s.genres, label, s.avoid))
            elif w in V.GENRE_WORDS:
                g = V.GENRE_WORDS[w]
                known.append(SteerTerm(f"a {g.lower()} film", "", sign, (g,), w))
            elif (
                w not in V.STEER_MODIFIERS and w not in V.FILLER and w not in {"for", "not", "without", "no"}
            ):
                unknown.append(w)
            k += 1
        if unknown:
            known.append(SteerTerm(" ".join(unknown), "", sign, (), " ".join(unknown)))
        known = known[: MAX_STEERS - len(out.steers)]
        for term in known:
            for g in term.genres:
                out.genre_boost[g] = out.genre_boost.get(g, 0.0) + sign
            for g in term.avoid:
                out.genre_boost[g] = out.genre_boost.get(g, 0.0) - sign
        out.steers += known

    def _audience(self, tokens: list[str], i: int, out: ParsedQuery) -> int:
        phrase = _longest(tokens, i, V.KIDS_PHRASES)
        if phrase is None:
            return i
        out.constraints = out.constraints.merge(
            Constraints(genres=V.KIDS_GENRES, exclude_genres=V.NOT_FOR_KIDS)
        )
        return i + len(phrase)

    def _duration(self, tokens: list[str], j: int) -> tuple[int, int] | None:
        """Minutes and the next position for "90 minutes", "2 hours", "1.5h", "an hour and a half", "2h30"."""
        if j >= len(tokens):
            return None
        tok = tokens[j]
        try:
            value = float(tok)
        except ValueError:
            if tok not in V.NUMBER_WORDS:
                return None
            value = float(V.NUMBER_WORDS[tok])
        if not math.isfinite(value):  # "1.0e999 hours"
            return None
        j += 1
        unit = tokens[j] if j < len(tokens) else ""
        if unit in V.HOUR_UNITS:
            minutes, j = value * 60, j + 1
            if _starts(tokens, j, ("and", "a", "half")):
                minutes, j = minutes + 30, j + 3
            elif j < len(tokens) and tokens[j].isdecimal() and int(tokens[j]) < 60:
                minutes, j = minutes + int(tokens[j]), j + 1
                if j < len(tokens) and tokens[j] in V.MINUTE_UNITS:
                    j += 1
        elif unit in V.MINUTE_UNITS:
            minutes, j = value, j + 1
        elif tok[0].isdigit() and 30 <= value <= 400:
            minutes = value
        elif tok[0].isdigit() and value <= 4:
            minutes = value * 60
        else:
            return None
        return round(minutes), j

    def _runtime(self, tokens: list[str], i: int, out: ParsedQuery) -> int:
        bound = None
        phrase = _longest(tokens, i, V.AT_MOST)
        if phrase is not None:
            bound = "max"
        else:
            phrase = _longest(tokens, i, V.AT_LEAST)
            bound = "min" if phrase is not None else None
        start = i + len(phrase) if phrase else i
        found = self._duration(tokens, start)
        if found is None or (bound is None and not _has_unit(tokens, start)):
            if (
                tokens[i] == "short"
                and not _starts(tokens, i + 1, ("film",))
                and not _starts(tokens, i + 1, ("films",))
            ):
                out.constraints = out.constraints.merge(Constraints(runtime_max=100))
                return i + 1
            return i
        minutes, j = found
        if bound is None:
            tail = _longest(
                tokens, j, {("or", "less"), ("or", "under"), ("or", "shorter"), ("max",), ("tops",)}
            )
            more = _longest(tokens, j, {("or", "more"), ("or", "longer"), ("plus",)})
            bound = "min" if more else "max"
            j += len(tail or more or ())
            if j < len(tokens) and tokens[j] == "long":
                j += 1
        c = Constraints(runtime_max=minutes) if bound == "max" else Constraints(runtime_min=minutes)
        out.constraints = out.constraints.merge(c)
        return j

    def _decade(self, tok: str) -> int | None:
        if tok in V.DECADE_WORDS:
            return V.DECADE_WORDS[tok]
        if not _DECADE.match(tok):
            return None
        n = int(tok[:-1])
        if n >= 100:
            return n
        return 2000 + n if n <= (self.current_year % 100) // 10 * 10 else 1900 + n

    def _year_or_decade(self, tokens: list[str], j: int) -> tuple[int, int, int] | None:
        """(first year, last year, next position) for "1999", "the 90s", "early 80s", "the nineties"."""
        if _starts(tokens, j, ("the",)):
            j += 1
        part = tokens[j] if j < len(tokens) and tokens[j] in {"early", "mid", "late"} else None
        if part:
            j += 1
        if j >= len(tokens):
            return None
        decade = self._decade(tokens[j])
        if decade is not None:
            lo, hi = {"early": (0, 3), "mid": (3, 6), "late": (6, 9), None: (0, 9)}[part]
            return decade + lo, decade + hi, j + 1
        if part is None and _YEAR.match(tokens[j]) and int(tokens[j]) <= self.current_year + 2:
            return int(tokens[j]), int(tokens[j]), j + 1
        return None

    def _era(self, tokens: list[str], i: int, out: ParsedQuery) -> int:
        """Eras: "recent", "latest", "new releases" → the last 4 years; "classic", "vintage" → before 1980."""
        tok = tokens[i]
        if tok in {"recent", "latest", "newest"} or _starts(tokens, i, ("new", "releases")):
            out.constraints = out.constraints.merge(Constraints(year_from=self.current_year - 4))
            return i + (2 if tok == "new" else 1)
        if tok in {"classic", "classics", "oldies", "vintage"}:
            out.constraints = out.constraints.merge(Constraints(year_to=1979))
            return i + 1
        return i

    def _years(self, tokens: list[str], i: int, out: ParsedQuery) -> int:
        tok = tokens[i]
        before = _longest(tokens, i, V.BEFORE)
        after = _longest(tokens, i, V.AFTER)
        if before or after:
            found = self._year_or_decade(tokens, i + len(before or after or ()))
            if found is None:
                return i
            lo, hi, j = found
            c = (
                Constraints(year_to=lo - 1)
                if before
                else Constraints(year_from=lo if tok == "since" else hi + 1)
            )
            out.constraints = out.constraints.merge(c)
            return j
        prep = 1 if tok in {"from", "in", "of", "between", "circa", "around"} else 0
        found = self._year_or_decade(tokens, i + prep)
        if found is None:
            return i
        lo, hi, j = found
        explicit_year = _YEAR.match(tokens[j - 1]) is not None
        if explicit_year and not prep:
            return i  # a bare year is free text: it may be a title ("1917", "2012")
        if j < len(tokens) and tokens[j] in {"and", "or", "to", "through", "till", "until"}:
            nxt = self._year_or_decade(tokens, j + 1)
            if nxt is not None:
                hi, j = max(hi, nxt[1]), nxt[2]
        elif (
            j < len(tokens) and _YEAR.match(tokens[j]) and explicit_year
        ):  # "1990-2000" tokenizes as two years
            hi, j = max(hi, int(tokens[j])), j + 1
        if tok in {"around", "circa"}:
            lo, hi = lo - 2, hi + 2
        out.constraints = out.constraints.merge(Constraints(year_from=lo, year_to=hi))
        return j

    def _type(self, tokens: list[str], i: int, out: ParsedQuery) -> int:
        if tokens[i] == "show" and _starts(tokens, i + 1, ("me",)):
            return i + 2
        phrase = _longest(tokens, i, V.TYPE_PHRASES)
        if phrase is None:
            return i
        types = V.TYPE_PHRASES[phrase]
        current = out.constraints.types
        out.constraints = out.constraints.without("types").merge(
            Constraints(types=types if current is None else current | types)
        )
        return i + len(phrase)

    def _person(self, tokens: list[str], i: int, out: ParsedQuery) -> int:
        if out.lookups >= MAX_LOOKUPS:
            return i
        for phrase, role in V.PERSON_PHRASES:
            if not _starts(tokens, i, phrase):
                continue
            out.lookups += 1
            start = i + len(phrase)
            ambiguous = phrase in {("with",), ("from",)}
            end = start
            while (
                end < len(tokens)
                and end - start < 5
                and tokens[end] not in {"and", "but", "or", "in", "from"}
            ):
                end += 1
            surname_ok = not ambiguous
            found = self._resolve_span(
                tokens,
                start,
                end,
                lambda s, surname_ok=surname_ok: self.resolve_person(s, surname_ok),  # type: ignore[misc]
                min_len=2 if ambiguous else 1,
            )
            if found is None:
                return i
            stop, (name, _) = found
            out.people.append((str(name), role))
            if _starts(tokens, stop, ("and",)):  # "with tom hanks and meg ryan"
                j = self._person(["with", *tokens[stop + 1 :]], 0, out)
                if j > 0:
                    return stop + j
            return stop
        return i

    # -- helpers --------------------------------------------------------------------------------------------

    def _resolve_span(
        self, tokens: list[str], start: int, end: int, resolve: Callable[[str], object], *, min_len: int = 1
    ) -> tuple[int, tuple[object, float]] | None:
        """The longest prefix of tokens[start:end] resolving at TITLE_MIN or more: (end of prefix, match)."""
        for stop in range(end, start + min_len - 1, -1):
            words = tokens[start:stop]
            if not words or words[-1] in {"the", "a", "an", "from", "in", "for", "with", "of", "and"}:
                continue
            if all(w in V.FILLER for w in words):
                continue
            match = resolve(" ".join(words))
            if match is not None and match[1] >= TITLE_MIN:  # type: ignore[index]
                return stop, match  # type: ignore[return-value]
        return None

    def _word(self, word: str, out: ParsedQuery) -> None:
        if word in V.FILLER:
            return
        genre = V.GENRE_WORDS.get(word)
        if genre is not None:
            if genre in V.HARD_GENRES:
                out.constraints = out.constraints.merge(Constraints(genres=frozenset({genre})))
            else:
                out.genre_boost[genre] = out.genre_boost.get(genre, 0.0) + 1.0
        for g in V.STEERS[word].genres if word in V.STEERS else ():
            out.genre_boost[g] = out.genre_boost.get(g, 0.0) + 0.5
        out.words.append(word)

    def _bare_person(self, out: ParsedQuery) -> None:
        """ "christopher nolan movies": free words that are exactly a person's full name."""
        words = [w for w in out.words if w not in V.GENRE_WORDS and w not in V.STEERS]
        if out.people or not 2 <= len(words) <= 4:
            return
        match = self.resolve_person(" ".join(words), False)
        if match is not None and match[1] >= 95:
            out.people.append((match[0], "any"))
            out.words = [w for w in out.words if w not in words]


def _has_unit(tokens: list[str], j: int) -> bool:
    k = j + 1
    return k < len(tokens) and (tokens[k] in V.MINUTE_UNITS or tokens[k] in V.HOUR_UNITS)
