"""Offline evaluation: metrics, protocols and baselines shared by `wtw eval` and the nightly gate."""

from wtw.evaluation.baselines import EASE, EASEConfig, ItemKNN, ItemKNNConfig, Popularity, PopularityConfig
from wtw.evaluation.protocols import Split, cold_start_cut, ml100k_folds, new_title_cut, temporal_split
from wtw.evaluation.runner import EvalResult, by_history, evaluate, evaluate_split, tune_ease
from wtw.evaluation.scoring import Ranker, Scorer, UserHistory, histories, ranker

__all__ = [
    "EASE",
    "EASEConfig",
    "EvalResult",
    "ItemKNN",
    "ItemKNNConfig",
    "Popularity",
    "PopularityConfig",
    "Ranker",
    "Scorer",
    "Split",
    "UserHistory",
    "by_history",
    "cold_start_cut",
    "evaluate",
    "evaluate_split",
    "histories",
    "ml100k_folds",
    "new_title_cut",
    "ranker",
    "temporal_split",
    "tune_ease",
]
