"""Reproduction of a published ml-100k figure, to show the data loading and split handling are right.

MyMediaLite's command-line documentation (http://www.mymedialite.net/documentation/command_line.html)
gives, for ``rating_prediction --training-file=u1.base --test-file=u1.test --recommender=UserAverage``:
``RMSE 1.063 MAE 0.85019``. UserAverage predicts each user's mean training rating (the global mean for users
without training ratings), so the figure is exactly reproducible on the official u1 split.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from wtw.evaluation.protocols import Split

PUBLISHED: dict[str, Any] = {
    "source": "MyMediaLite command-line documentation",
    "rmse": 1.063,
    "mae": 0.85019,
}


@dataclass
class Reproduction:
    rmse: float
    mae: float
    published_rmse: float
    published_mae: float

    @property
    def rmse_gap(self) -> float:
        """Relative difference from the published RMSE."""
        return self.rmse / self.published_rmse - 1.0

    @property
    def mae_gap(self) -> float:
        return self.mae / self.published_mae - 1.0


def user_average_errors(split: Split) -> tuple[float, float]:
    """RMSE and MAE of the user-average rating predictor on a split's test ratings."""
    means = split.train.group_by("user").agg(pl.col("rating").mean().alias("pred"))
    glob = float(np.mean(split.train["rating"].to_numpy())) if split.train.height else 0.0
    joined = split.test.join(means, on="user", how="left").with_columns(pl.col("pred").fill_null(glob))
    err = (joined["pred"] - joined["rating"]).to_numpy()
    return float(np.sqrt(np.mean(err**2))), float(np.mean(np.abs(err)))


def reproduce_user_average(u1: Split) -> Reproduction:
    rmse, mae = user_average_errors(u1)
    return Reproduction(rmse, mae, PUBLISHED["rmse"], PUBLISHED["mae"])
