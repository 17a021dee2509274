"""`wtw eval`'s run: every protocol, recommender and cut, collected for the report."""

from __future__ import annotations

import gzip
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from wtw.config import Settings
from wtw.errors import WtwError
from wtw.evaluation import metrics
from wtw.evaluation.baselines import EASE, EASEConfig, ItemKNN, Popularity
from wtw.evaluation.credibility import Reproduction, reproduce_user_average
from wtw.evaluation.protocols import (
    Split,
    cold_start_cut,
    load_ml_latest_small,
    ml100k_folds,
    new_title_cut,
    temporal_split,
    validation_split,
)
from wtw.evaluation.runner import EvalResult, evaluate_split, tune_ease
from wtw.evaluation.scoring import Ranker, ranker
from wtw.evaluation.search_eval import (
    HELDOUT_QUERIES_PATH,
    QUERIES_PATH,
    SearchResult,
    evaluate_search,
    load_queries,
)

logger = logging.getLogger(__name__)

K_LIST = (10, 20)


@dataclass
class SuiteConfig:
    data_root: Path
    ease_lambdas: tuple[float, ...] = (100.0, 300.0, 1000.0)
    cold_history: int = 5
    new_titles: int = 300
    folds: tuple[str, ...] = ("u1", "u2", "u3", "u4", "u5")
    use_engine: bool = True
    catalog_path: Path | None = None
    """Embed this catalog Parquet (restricted to the MovieLens titles) instead of the published artifacts."""
    collab_weights: tuple[float, ...] = (1.0, 2.0, 4.0)
    """Feed collaborative weights w_k tried (with the shipped one) on protocol (a)'s validation split."""
    content_pulls: tuple[float, ...] = (0.0, 0.5)
    """Content-only scorer: negative pulls tried on the validation split (with and without centring)."""
    content_era_weights: tuple[float, ...] = (0.025, 0.05, 0.1)
    """... release-era weights tried beside 0 (each with every bandwidth)."""
    content_bandwidths: tuple[float, ...] = (2.0, 4.0)
    """... release-era bandwidths in years."""
    content_knn: tuple[int, ...] = (3, 10)
    """Multi-interest kNN (top-m cosines to the liked titles) tried on validation with the chosen setting."""
    content_hub_betas: tuple[float, ...] = (0.5, 1.0)
    """Hubness-correction weights tried on validation with the chosen setting."""
    content_hub_k: int = 10


@dataclass
class SuiteResult:
    protocol_a: dict[str, EvalResult] = field(default_factory=dict)
    cold_start: dict[str, EvalResult] = field(default_factory=dict)
    new_title: dict[str, EvalResult] = field(default_factory=dict)
    ml100k: dict[str, list[EvalResult]] = field(default_factory=dict)
    ease_lambda: dict[str, float] = field(default_factory=dict)
    ease_tuning: dict[str, dict[float, float]] = field(default_factory=dict)
    collab_tuning: dict[float, float] = field(default_factory=dict)
    """Validation NDCG@20 of the hybrid feed per collaborative weight w_k (the first is the shipped one)."""
    collab_weight: float | None = None
    content_tuning: dict[str, dict[str, float]] = field(default_factory=dict)
    """Validation NDCG@20 of the content-only scorer per setting (`ContentParams.label`): on the validation
    split's new-title cut (the selection criterion) and, for some, on the validation split itself."""
    content_params: str | None = None
    """The setting chosen (the `content-only` rows)."""
    content_tuning_popularity: dict[str, float] = field(default_factory=dict)
    """Popularity's NDCG@20 on the same validation cuts, for reference."""
    credibility: Reproduction | None = None
    search: dict[str, SearchResult] = field(default_factory=dict)
    search_heldout: dict[str, SearchResult] = field(default_factory=dict)
    """The same modes on queries written after search was tuned (search_queries_heldout.json)."""
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def imdb_votes(data_root: Path) -> dict[str, float]:
    """IMDb numVotes per tconst from the staged (complete, 2018) title.ratings file: a popularity prior that
    exists even for titles nobody rated in MovieLens."""
    path = data_root / "imdb" / "title.ratings.tsv.gz"
    if not path.is_file():
        return {}
    with gzip.open(path, "rb") as fh:
        frame = pl.read_csv(
            fh.read(), separator="\t", quote_char=None, schema_overrides={"numVotes": pl.Float64}
        )
    return dict(zip(frame["tconst"].to_list(), frame["numVotes"].to_list(), strict=True))


RankerFactory = Callable[[Split], Ranker]
"""Trains a recommender on a split's training ratings (over its candidate catalog) and returns its ranker."""


def _baselines(lam: float, prior: dict[str, float]) -> dict[str, RankerFactory]:
    return {
        "popularity": lambda split: ranker(Popularity(prior=prior).train(split.train)),
        "item-kNN": lambda split: ranker(ItemKNN().train(split.train)),
        "EASE": lambda split: ranker(EASE(EASEConfig(l2=lam)).train(split.train)),
    }


def _run(
    rankers: dict[str, RankerFactory], split: Split, vectors: dict[str, np.ndarray]
) -> dict[str, EvalResult]:
    out = {}
    for name, make in rankers.items():
        started = time.perf_counter()
        rank = make(split)
        result = evaluate_split(rank, split, k_list=K_LIST, item_vectors=vectors, name=name)
        result.summary["train_s"] = time.perf_counter() - started - result.seconds
        out[name] = result
    return out


def _engine_rankers(
    config: SuiteConfig, settings: Settings, result: SuiteResult, split: Split
) -> tuple[dict[str, RankerFactory], Any]:
    """Content-only and hybrid feed rankers over the service's engine, and the engine's Recommender over its
    whole catalog (for search); notes say what is missing."""
    keep = set(split.candidates)
    from wtw.evaluation import engine as eng

    try:
        if config.catalog_path is not None:
            loaded = eng.engine_from_catalog(config.catalog_path, settings, keep=keep, progress=True)
        else:
            loaded = eng.engine_from_store(settings)
        full = eng.recommender(loaded)
        feeds = eng.restricted(loaded, keep)
    except (WtwError, ImportError, OSError) as exc:
        result.notes.append(f"content-only and hybrid feeds and search not evaluated: {exc}")
        return {}, None
    missing = len(keep) - feeds.catalog.height
    result.notes.append(
        f"engine: {loaded.source}; the feeds rank its {feeds.catalog.height:,} titles that are MovieLens "
        f"candidates" + (f" ({missing:,} candidates are not in its catalog)" if missing else "")
    )
    base = eng.recommender(feeds)
    content = eng.ContentOnlyScorer(base)

    def hybrid(weight: float | None = None, *, collab: bool = True) -> RankerFactory:
        def make(split: Split) -> Ranker:
            cands = set(split.candidates)
            rec = base if cands == keep else eng.recommender(eng.restricted(feeds, cands))
            model = _collab(split.train, settings, result) if collab else None
            return eng.hybrid_ranker(eng.with_collab(rec, model), weight=weight)

        return make

    chosen, no_era = _tune_content(config, split, content, result)
    reference = eng.ContentScorer(base)
    rankers = {
        "content-only": lambda split: ranker(chosen),
        "content-only, no era term": lambda split: ranker(no_era),
        "content-only, preference vector (before)": lambda split: ranker(reference),
        "hybrid feed": hybrid(),
        "hybrid feed, no collaborative model": hybrid(collab=False),
    }
    if config.collab_weights:
        tuned = _tune_collab_weight(config.collab_weights, split, hybrid, result)
        rankers["hybrid feed (tuned w_k)"] = hybrid(tuned)
    return rankers, full


def _tune_collab_weight(
    grid: tuple[float, ...],
    split: Split,
    hybrid: Callable[[float], RankerFactory],
    result: SuiteResult,
) -> float:
    """The feed's collaborative weight with the best NDCG@20 on a validation split carved from training."""
    from wtw.service.recommend.feed import COLLAB_WEIGHT

    val = validation_split(split)
    for weight in (COLLAB_WEIGHT, *grid):
        if weight not in result.collab_tuning:
            res = evaluate_split(hybrid(weight)(val), val, name=f"hybrid feed w_k={weight}")
            result.collab_tuning[weight] = res.summary["ndcg@20"]
    best = max(result.collab_tuning, key=lambda w: result.collab_tuning[w])
    result.collab_weight = best
    return best


def content_grid(config: SuiteConfig) -> list[Any]:
    """Content-only settings tried on validation: raw (the preference vector's space) and centred, each
    negative pull, without and with each era term."""
    from wtw.service.recommend.content import ContentParams

    eras = [(0.0, ContentParams().era_bandwidth)]
    eras += [(w, h) for w in config.content_era_weights for h in config.content_bandwidths]
    return [
        ContentParams(centre=centre, negative_pull=pull, era_weight=w, era_bandwidth=h)
        for centre in (False, True)
        for pull in config.content_pulls
        for w, h in eras
    ]


def _tune_content(config: SuiteConfig, split: Split, scorer: Any, result: SuiteResult) -> tuple[Any, Any]:
    """The content-only setting with the best NDCG@20 on the new-title cut of a validation split carved from
    training (the cut the content goal is about); returns that scorer and the same without its era term.

    The service's preference vector, the chosen setting and the chosen setting without its era term are also
    scored on the validation split itself (protocol (a)), to show what the choice does there.
    """
    from wtw.service.recommend.content import PREFERENCE_VECTOR

    val = validation_split(split)
    val_new = new_title_cut(val, n_titles=config.new_titles)
    grid = content_grid(config)
    if PREFERENCE_VECTOR not in grid:
        grid.insert(0, PREFERENCE_VECTOR)
    scores: dict[Any, float] = {}
    for params in grid:
        res = evaluate_split(ranker(scorer.with_params(params)), val_new, name=f"content {params.label()}")
        scores[params] = res.summary["ndcg@20"]
        result.content_tuning[params.label()] = {"new-title": scores[params]}
    best = max(scores, key=lambda p: scores[p])
    no_era = replace(best, era_weight=0.0)
    for params in dict.fromkeys((PREFERENCE_VECTOR, no_era, best)):
        res = evaluate_split(ranker(scorer.with_params(params)), val, name=f"content {params.label()}")
        row = result.content_tuning.setdefault(params.label(), {})
        row["a"] = res.summary["ndcg@20"]
        if params not in scores:
            row["new-title"] = evaluate_split(ranker(scorer.with_params(params)), val_new).summary["ndcg@20"]
    result.content_params = best.label()
    _content_variants(config, val_new, scorer.with_params(best), result)
    logger.info("content-only setting chosen on validation: %s (%s)", best.label(), scores[best])
    return scorer.with_params(best), scorer.with_params(no_era)


def _content_variants(config: SuiteConfig, val_new: Split, chosen: Any, result: SuiteResult) -> None:
    """Multi-interest kNN and hubness correction on the chosen setting, on the validation new-title cut."""
    from wtw.evaluation.content_variants import HubCorrectedScorer, KNNContentScorer, hub_scores

    label = chosen.params.label()
    for m in config.content_knn:
        res = evaluate_split(ranker(KNNContentScorer(chosen, m)), val_new, name=f"content kNN m={m}")
        result.content_tuning[f"multi-interest kNN, top {m}; {label}"] = {"new-title": res.summary["ndcg@20"]}
    if config.content_hub_betas:
        hubs = hub_scores(chosen.space, config.content_hub_k)
        for beta in config.content_hub_betas:
            res = evaluate_split(ranker(HubCorrectedScorer(chosen, hubs, beta)), val_new, name="content CSLS")
            key = f"{label}, minus {beta:g} x hubness (k={config.content_hub_k})"
            result.content_tuning[key] = {"new-title": res.summary["ndcg@20"]}


_COLLAB: list[tuple[pl.DataFrame, Any]] = []
"""The last (training frame, model) pair; the frame is held so that its id cannot be reused by another."""


def _collab(train: pl.DataFrame, settings: Settings, result: SuiteResult) -> Any | None:
    """The nightly job's model fitted on this training frame (once per frame), or None with a note."""
    from wtw.evaluation import engine as eng

    if _COLLAB and _COLLAB[0][0] is train:
        return _COLLAB[0][1]
    try:
        model = eng.train_collab(train, settings)
    except (ImportError, ValueError) as exc:
        note = f"collaborative model unavailable: {exc}"
        if note not in result.notes:
            result.notes.append(note)
        model = None
    _COLLAB[:] = [(train, model)]
    return model


def run_suite(
    config: SuiteConfig, settings: Settings, *, progress: Callable[[str], None] = logger.info
) -> SuiteResult:
    """Protocol (a) with its cuts, protocol (b), the published reproduction and search quality."""
    started = time.perf_counter()
    result = SuiteResult()
    ratings, movies = load_ml_latest_small(config.data_root)
    genres = metrics.genre_vectors(
        dict(zip(movies["item"].to_list(), movies["genres"].to_list(), strict=True))
    )
    prior = imdb_votes(config.data_root)

    progress("protocol (a): ml-latest-small temporal split, tuning EASE on validation")
    split = temporal_split(ratings, name="ml-latest-small temporal")
    lam, tuning = tune_ease(split, config.ease_lambdas)
    result.ease_lambda["a"], result.ease_tuning["a"] = lam, tuning
    rankers = _baselines(lam, prior)
    if config.use_engine:
        progress(
            "protocol (a): loading the engine, tuning the content-only scorer and the feed's collaborative "
            "weight on validation"
        )
    engine_rankers, loaded = (
        _engine_rankers(config, settings, result, split) if config.use_engine else ({}, None)
    )
    if result.content_tuning:
        val = validation_split(split)
        pop = rankers["popularity"]
        for cut, vsplit in (("new-title", new_title_cut(val, n_titles=config.new_titles)), ("a", val)):
            result.content_tuning_popularity[cut] = evaluate_split(pop(vsplit), vsplit).summary["ndcg@20"]
    rankers["collaborative (nightly EASE)"] = _collab_factory(settings, result)
    rankers |= engine_rankers
    progress(f"protocol (a): evaluating {', '.join(rankers)}")
    result.protocol_a = _run(rankers, split, genres)

    progress("protocol (a): cold-start cut")
    result.cold_start = _run(rankers, cold_start_cut(split, max_history=config.cold_history), genres)

    progress("protocol (a): new-title cut")
    result.new_title = _run(rankers, new_title_cut(split, n_titles=config.new_titles), genres)

    progress("protocol (b): ml-100k u1-u5")
    folds = ml100k_folds(config.data_root, config.folds)
    lam_b, tuning_b = tune_ease(folds[0], config.ease_lambdas)
    result.ease_lambda["b"], result.ease_tuning["b"] = lam_b, tuning_b
    fold_rankers = _baselines(lam_b, {})
    for fold in folds:
        for name, res in _run(fold_rankers, fold, {}).items():
            result.ml100k.setdefault(name, []).append(res)
    if folds and folds[0].name.endswith("u1"):
        result.credibility = reproduce_user_average(folds[0])

    if loaded is not None:
        progress("search: judged queries, lexical vs semantic vs hybrid")
        result.search = _search(loaded, result)
        result.search_heldout = _search(loaded, result, HELDOUT_QUERIES_PATH)
    result.seconds = time.perf_counter() - started
    return result


def _search(rec: Any, result: SuiteResult, path: Path = QUERIES_PATH) -> dict[str, SearchResult]:
    from wtw.evaluation import engine as eng

    queries = load_queries(path)
    catalog = set(rec.ctx.table.tconsts)
    if not any(q.relevant & catalog for q in queries):
        result.notes.append(
            f"search not evaluated on {path.name}: no judged query has a relevant title in the catalog"
        )
        return {}
    out = {
        mode: evaluate_search(fn, queries, mode=mode, catalog=catalog)
        for mode, fn in eng.search_modes(rec).items()
    }
    skipped = out["hybrid"].skipped
    if skipped:
        result.notes.append(
            f"search ({path.name}): {len(skipped)} queries skipped (no relevant title in the catalog)"
        )
    return out


def _collab_factory(settings: Settings, result: SuiteResult) -> RankerFactory:
    from wtw.evaluation import engine as eng

    def make(split: Split) -> Ranker:
        collab = _collab(split.train, settings, result)
        return eng.collab_ranker(collab) if collab is not None else (lambda h, c, k: [])

    return make


def fold_mean(results: Sequence[EvalResult], metric: str) -> tuple[float, float]:
    """Mean and standard deviation of a metric over folds."""
    values = np.array([r.summary[metric] for r in results])
    return float(values.mean()), float(values.std(ddof=1) if len(values) > 1 else 0.0)
