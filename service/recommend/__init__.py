"""The recommendation engine: search, similar titles, the personal feed and their reasons (no HTTP or SQL)."""

from wtw.service.recommend.engine import (
    FeedRow,
    Recommender,
    ScoredTitle,
    TasteProfile,
    TitleDetail,
    WeightedName,
)
from wtw.service.recommend.profile import SeedVectors, preference_vector, title_weights
from wtw.service.recommend.signals import INTERACTION_KINDS, Interaction, Preferences, UserSignals
from wtw.service.recommend.titles import Constraints

__all__ = [
    "INTERACTION_KINDS",
    "Constraints",
    "FeedRow",
    "Interaction",
    "Preferences",
    "Recommender",
    "ScoredTitle",
    "SeedVectors",
    "TasteProfile",
    "TitleDetail",
    "UserSignals",
    "WeightedName",
    "preference_vector",
    "title_weights",
]
