"""Typo-tolerant matching of titles (and alternate titles) and of people's names.

Candidates come from a character-trigram index (a sparse names × trigrams matrix: one sparse product per
query), then rapidfuzz rescores the best few hundred. Names are normalised first: case and accents folded in
any script ("Amélie" → "amelie", "Ёлки" → "елки", "千と千尋" kept), punctuation dropped, "&" → "and",
leading articles ignored, and sequel numbers unified ("Part II", "part two" and "part 2" all become "part 2").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

_ASCII_NON_WORD = re.compile(r"[^0-9a-z]+")
_ROMAN = {
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "vi": "6",
    "vii": "7",
    "viii": "8",
    "ix": "9",
    "xi": "11",
    "xii": "12",
}
_AFTER_SEQUEL_WORD = {
    **_ROMAN,
    "i": "1",
    "v": "5",
    "x": "10",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "first": "1",
    "second": "2",
    "third": "3",
}
_SEQUEL_WORDS = {"part", "chapter", "episode", "vol", "volume", "pt", "season"}
ARTICLES = {"the", "a", "an"}


_KEPT_MARKS = frozenset("\u3099\u309a")  # kana voicing marks: ガ is another letter than カ, not an accent


def strip_marks(text: str) -> str:
    """Case-folded, compatibility-decomposed text without combining marks (accents, diacritics), recomposed
    (NFC) so that syllables that decompose, such as Hangul or voiced kana, come back whole."""
    text = unicodedata.normalize("NFKD", text.casefold())
    kept = (c for c in text if not unicodedata.combining(c) or c in _KEPT_MARKS)
    return unicodedata.normalize("NFC", "".join(kept))


def is_word_char(c: str) -> bool:
    """A letter, number or mark of any script (marks: Devanagari vowel signs and the like)."""
    return unicodedata.category(c)[0] in "LNM"


def fold(text: str) -> str:
    """Words of letters and digits in any script, case and accents folded; punctuation → space."""
    text = text.lower() if text.isascii() else strip_marks(text)
    text = text.replace("&", " and ").replace("'", "").replace("’", "")
    if text.isascii():  # most names: the fast path
        return _ASCII_NON_WORD.sub(" ", text).strip()
    return " ".join("".join(c if is_word_char(c) else " " for c in text).split())


def normalise(text: str) -> str:
    """The matching key of a name or query: folded, numbers unified, leading article dropped."""
    tokens = fold(text).split()
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if i > 0 and tokens[i - 1] in _SEQUEL_WORDS and tok in _AFTER_SEQUEL_WORD:
            out.append(_AFTER_SEQUEL_WORD[tok])
        elif tok in _ROMAN and i > 0:
            out.append(_ROMAN[tok])
        else:
            out.append(tok)
    if len(out) > 1 and out[0] in ARTICLES:
        out = out[1:]
    return " ".join(out)


def _grams(key: str) -> set[str]:
    padded = f" {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarities(query: str, names: list[str]) -> np.ndarray:
    """0-100 per name: whole-string, word-order-free, or partial (scaled by the share of the longer string
    covered), whichever is highest; computed with rapidfuzz's vectorised scorers."""
    if not names:
        return np.empty(0, dtype=np.float32)
    whole = np.maximum(
        process.cdist([query], names, scorer=fuzz.ratio, dtype=np.float32)[0],
        process.cdist([query], names, scorer=fuzz.token_sort_ratio, dtype=np.float32)[0],
    )
    lengths = np.fromiter((len(n) for n in names), dtype=np.float32, count=len(names))
    short = np.minimum(lengths, len(query))
    long_ = np.maximum(np.maximum(lengths, len(query)), 1.0)
    partial = process.cdist([query], names, scorer=fuzz.partial_ratio, dtype=np.float32)[0]
    partial = np.where(short >= 4, partial * (0.6 + 0.4 * short / long_), 0.0)
    return np.maximum(whole, partial)


class FuzzyNames:
    """Names owned by ids (a title's title and akas, or a person); `match` returns owners best first."""

    def __init__(self, names: Sequence[str], owners: Sequence[int], prior: np.ndarray | None = None) -> None:
        keys = [normalise(n) for n in names]
        keep = [i for i, k in enumerate(keys) if k]
        self.keys = [keys[i] for i in keep]
        self.owners = np.asarray([owners[i] for i in keep], dtype=np.int64)
        self.prior = prior
        vocab: dict[str, int] = {}
        indptr: list[int] = [0]
        indices: list[int] = []
        lengths: list[int] = []
        for key in self.keys:
            grams = _grams(key)
            indices.extend(vocab.setdefault(g, len(vocab)) for g in grams)
            indptr.append(len(indices))
            lengths.append(len(grams))
        data = np.ones(len(indices), dtype=np.float32)
        shape = (len(self.keys), max(1, len(vocab)))
        self.matrix = sparse.csr_matrix((data, indices, indptr), shape=shape).tocsc()
        self.vocab = vocab
        self.lengths = np.asarray(lengths, dtype=np.float32)

    def match(
        self, query: str, *, k: int = 20, min_score: float = 60.0, pool: int = 200
    ) -> list[tuple[int, float]]:
        """Best owners for `query`: 0-100 score plus up to 4 points of popularity prior (to break ties)."""
        key = normalise(query)
        if not key or not self.keys:
            return []
        grams = _grams(key)
        cols = [self.vocab[g] for g in grams if g in self.vocab]
        if not cols:
            return []
        # Shared trigrams per name, then a coarse score for the names sharing any (not every name)
        overlap = np.bincount(self.matrix[:, cols].indices, minlength=len(self.keys))
        hit = np.flatnonzero(overlap)
        n = min(pool, hit.size)
        if n == 0:
            return []
        shared = overlap[hit].astype(np.float32)
        coarse = shared / len(grams) + 2 * shared / (len(grams) + self.lengths[hit])
        cand = hit[np.argpartition(-coarse, n - 1)[:n]] if n < hit.size else hit
        scores = similarities(key, [self.keys[i] for i in cand])
        best: dict[int, float] = {}
        for i, score in zip(cand.tolist(), scores.tolist(), strict=True):
            if score < min_score:
                continue
            owner = int(self.owners[i])
            if score > best.get(owner, -1.0):
                best[owner] = score
        ranked = [
            (owner, score + (4.0 * float(self.prior[owner]) if self.prior is not None else 0.0))
            for owner, score in best.items()
        ]
        ranked.sort(key=lambda x: -x[1])
        return ranked[:k]
