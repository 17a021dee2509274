from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from wtw.errors import InputError
from wtw.evaluation import protocols
from wtw.evaluation.credibility import reproduce_user_average


def test_tconst_from_imdb_id_pads_to_seven_digits() -> None:
    assert protocols.tconst_from_imdb_id("0114709") == "tt0114709"
    assert protocols.tconst_from_imdb_id(114709) == "tt0114709"
    assert protocols.tconst_from_imdb_id("12345678") == "tt12345678"
    with pytest.raises(InputError):
        protocols.tconst_from_imdb_id("tt1")


def test_ml_latest_small_is_keyed_by_tconst(ml_root: Path) -> None:
    ratings, movies = protocols.load_ml_latest_small(ml_root)
    assert ratings.columns == ["user", "item", "rating", "timestamp"]
    assert ratings["item"].str.starts_with("tt").all()
    assert movies.filter(pl.col("item") == "tt0010021")["genres"].to_list() == [["Drama", "Romance"]]


def test_missing_files_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing"):
        protocols.load_ml_latest_small(tmp_path)


def test_temporal_split_holds_out_each_users_latest_fifth(ml_root: Path) -> None:
    ratings, _ = protocols.load_ml_latest_small(ml_root)
    split = protocols.temporal_split(ratings)
    assert split.train.height + split.test.height == ratings.height
    per_user = split.test.group_by("user").len()
    assert set(per_user["len"].to_list()) == {4}  # ceil(20 * 0.2)
    last_train = split.train.group_by("user").agg(pl.col("timestamp").max().alias("t_train"))
    first_test = split.test.group_by("user").agg(pl.col("timestamp").min().alias("t_test"))
    joined = last_train.join(first_test, on="user")
    assert (joined["t_train"] < joined["t_test"]).all()
    assert split.candidates == sorted(set(ratings["item"].to_list()))


def test_cold_start_cut_keeps_five_most_recent_ratings_of_cut_users(ml_root: Path) -> None:
    ratings, _ = protocols.load_ml_latest_small(ml_root)
    split = protocols.temporal_split(ratings)
    cut = protocols.cold_start_cut(split, max_history=5, share=0.25)
    assert cut.users
    counts = dict(cut.train.group_by("user").len().iter_rows())
    assert all(counts[u] == 5 for u in cut.users)
    others = [u for u in counts if u not in cut.users]
    assert all(counts[u] == 16 for u in others)
    for u in cut.users[:3]:
        kept = cut.train.filter(pl.col("user") == u)["timestamp"].sort().to_list()
        full = split.train.filter(pl.col("user") == u)["timestamp"].sort().to_list()
        assert kept == full[-5:]


def test_new_title_cut_removes_titles_from_training(ml_root: Path) -> None:
    ratings, _ = protocols.load_ml_latest_small(ml_root)
    split = protocols.temporal_split(ratings)
    cut = protocols.new_title_cut(split, n_titles=5, seed=1)
    assert len(cut.candidates) == 5
    assert not set(cut.train["item"].to_list()) & set(cut.candidates)
    assert set(cut.test["item"].to_list()) <= set(cut.candidates)
    assert protocols.new_title_cut(split, n_titles=5, seed=1).candidates == cut.candidates


def test_ml100k_folds_read_gzipped_official_layout(ml_root: Path) -> None:
    (fold,) = protocols.ml100k_folds(ml_root, ("u1",))
    assert fold.name == "ml-100k u1"
    assert fold.train.schema["item"] == pl.Utf8
    assert len(fold.candidates) == 40
    assert fold.train.height + fold.test.height == 40 * 20


def test_real_ml_latest_small_maps_every_rating(shared_data: Path) -> None:
    ratings, movies = protocols.load_ml_latest_small(shared_data)
    assert ratings.height == 100_836
    assert ratings["user"].n_unique() == 610
    assert movies.filter(pl.col("movielens_id") == 1)["item"].item() == "tt0114709"


def test_published_user_average_on_u1_is_reproduced(shared_data: Path) -> None:
    """MyMediaLite documents RMSE 1.063 / MAE 0.85019 for UserAverage on ml-100k u1."""
    (u1,) = protocols.ml100k_folds(shared_data, ("u1",))
    assert u1.train.height == 80_000 and u1.test.height == 20_000
    rep = reproduce_user_average(u1)
    assert abs(rep.rmse_gap) < 0.001
    assert abs(rep.mae_gap) < 0.001
