from __future__ import annotations

import json
from pathlib import Path

import pytest

from wtw.errors import InputError
from wtw.evaluation.search_eval import HELDOUT_QUERIES_PATH, JudgedQuery, evaluate_search, load_queries

KINDS = {"misspelled title", "partial title", "like X", "like X but Y", "person", "theme"}


def test_committed_query_set_is_large_and_varied() -> None:
    queries = load_queries()
    assert len(queries) >= 40
    assert {q.kind for q in queries} == KINDS
    assert all(t.startswith("tt") for q in queries for t in q.relevant)


def test_held_out_set_is_varied_and_new() -> None:
    held_out, tuned = load_queries(HELDOUT_QUERIES_PATH), load_queries()
    assert len(held_out) >= 30
    assert {q.kind for q in held_out} == KINDS
    assert not {q.query for q in held_out} & {q.query for q in tuned}


@pytest.mark.parametrize("path", [None, HELDOUT_QUERIES_PATH], ids=["tuned", "held-out"])
def test_judged_titles_exist_in_movielens(shared_data: Path, path: Path | None) -> None:
    from wtw.evaluation.protocols import load_ml_latest_small

    _, movies = load_ml_latest_small(shared_data)
    known = set(movies["item"].to_list())
    assert all(q.relevant <= known for q in (load_queries(path) if path else load_queries()))


def test_metrics_per_query_and_kind() -> None:
    queries = [
        JudgedQuery("a", "person", "x", frozenset({"tt1"})),
        JudgedQuery("b", "theme", "y", frozenset({"tt2", "tt3"})),
        JudgedQuery("c", "theme", "z", frozenset({"tt9"})),
    ]
    answers = {"x": ["tt1", "tt5"], "y": ["tt5", "tt6", "tt3"], "z": ["tt5"]}
    result = evaluate_search(lambda q, k: answers[q], queries, mode="test")
    assert result.summary["hit@1"] == pytest.approx(1 / 3)
    assert result.summary["hit@10"] == pytest.approx(2 / 3)
    assert result.summary["mrr@10"] == pytest.approx((1 + 1 / 3) / 3)
    assert result.by_kind["theme"]["hit@10"] == pytest.approx(0.5)


def test_queries_without_titles_in_the_catalog_are_skipped() -> None:
    queries = [
        JudgedQuery("a", "person", "x", frozenset({"tt1"})),
        JudgedQuery("b", "theme", "y", frozenset({"tt2"})),
    ]
    result = evaluate_search(lambda q, k: ["tt1"], queries, catalog={"tt1"})
    assert result.skipped == ["b"]
    assert result.summary["queries"] == 1
    with pytest.raises(InputError):
        evaluate_search(lambda q, k: [], queries, catalog=set())


def test_malformed_query_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    path.write_text(json.dumps({"queries": [{"id": "a", "kind": "theme", "query": "x", "relevant": []}]}))
    with pytest.raises(InputError, match="no relevant"):
        load_queries(path)
    path.write_text("not json")
    with pytest.raises(InputError, match="cannot read"):
        load_queries(path)
