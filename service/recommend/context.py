"""Everything precomputed from one catalog + index + encoder, shared by search, similar, feed and reasons."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from functools import lru_cache
from threading import Lock
from typing import Any

import numpy as np

from wtw.service.recommend.lexical import FuzzyNames
from wtw.service.recommend.profile import SeedVectors
from wtw.service.recommend.query import ParsedQuery, QueryParser
from wtw.service.recommend.space import Neighbours, VectorSpace
from wtw.service.recommend.titles import TitleTable

logger = logging.getLogger(__name__)


class Context:
    """The engine's read-only state for one artifact version (built once, then shared across requests)."""

    def __init__(self, catalog: Any, index: Any, encoder: Any, collab: Any = None) -> None:
        started = time.perf_counter()
        self.table = TitleTable(catalog)
        self.space = VectorSpace.from_index(self.table, index)
        self.seeds = SeedVectors(self.table, self.space)
        self.neighbours = Neighbours(self.space)
        self.encoder = encoder
        self._encode_lock = Lock()
        self.collab = collab
        t = self.table
        names: list[str] = []
        owners: list[int] = []
        for i in range(t.n):
            seen = set()
            for name in (t.title[i], t.original_title[i], *t.akas[i]):
                if name and name not in seen:
                    seen.add(name)
                    names.append(name)
                    owners.append(i)
        prior = t.prior / max(float(t.prior.max()), 1e-6)
        self.prior01 = prior
        self.prior_z = ((prior - prior.mean()) / (float(prior.std()) or 1.0)).astype(np.float32)
        self.by_prior = np.argsort(-prior, kind="stable")
        """Rows by popularity prior, best first."""
        self.titles = FuzzyNames(names, owners, prior)
        self.person_names = sorted(t.people, key=lambda p: -sum(t.prior[r] for r in t.people[p]))
        person_prior = np.array(
            [min(1.0, sum(float(prior[r]) for r in t.people[p]) / 5.0) for p in self.person_names],
            dtype=np.float32,
        )
        self.people = FuzzyNames(self.person_names, list(range(len(self.person_names))), person_prior)
        surnames: list[str] = []
        surname_owner: list[int] = []
        for k, p in enumerate(self.person_names):
            parts = p.split()
            if len(parts) >= 2 and len(t.people[p]) >= 2:
                surnames.append(parts[-1])
                surname_owner.append(k)
        self.surnames = FuzzyNames(surnames, surname_owner, person_prior)
        self.current_year = datetime.now(UTC).year
        self.parser = QueryParser(self._resolve_title, self._resolve_person, self.current_year)
        self.parse = lru_cache(maxsize=4096)(self._parse)
        self.encode_one = lru_cache(maxsize=8192)(self._encode_one)
        logger.info(
            "recommender ready: %d titles, %d people in %.1fs",
            t.n,
            len(t.people),
            time.perf_counter() - started,
        )

    def _parse(self, query: str) -> ParsedQuery:
        return self.parser.parse(query)

    def _encode_one(self, text: str) -> np.ndarray:
        # One encode at a time: searches run in worker threads, and a shared Hugging Face fast tokenizer
        # raises "Already borrowed" when two threads use it at once (huggingface/tokenizers#537).
        with self._encode_lock:
            vec = self.encoder.encode([text])[0]
        out = np.asarray(vec, dtype=np.float32)
        out.flags.writeable = False
        return out

    def _resolve_title(self, span: str) -> tuple[int, float] | None:
        hits = self.titles.match(span, k=1, min_score=70.0)
        return hits[0] if hits else None

    def _resolve_person(self, span: str, allow_surname: bool) -> tuple[str, float] | None:
        hits = self.people.match(span, k=1, min_score=80.0)
        if allow_surname and len(span.split()) == 1:
            hits += self.surnames.match(span, k=1, min_score=90.0)
            hits.sort(key=lambda h: -h[1])
        return (self.person_names[hits[0][0]], hits[0][1]) if hits else None

    def row(self, tconst: str) -> int | None:
        return self.table.row_of.get(tconst)
