"""The embedded text document: deterministic, ordered by retrieval value, bounded."""

from __future__ import annotations

from wtw.catalog.documents import build_document, doc_hash

MATRIX = {
    "title": "The Matrix",
    "original_title": "The Matrix",
    "type": "movie",
    "start_year": 1999,
    "genres": ["Action", "Sci-Fi"],
    "overview": "A hacker learns that his world is a simulation.",
    "directors": ["Lana Wachowski", "Lilly Wachowski"],
    "cast": ["Keanu Reeves", "Laurence Fishburne"],
    "characters": ["Neo", ""],
    "keywords": ["simulation", "cyberpunk"],
    "tags": ["mind-bending"],
    "akas": ["Matrix", "Матрица"],
}


def test_document_reads_naturally_in_priority_order() -> None:
    assert build_document(MATRIX) == (
        "The Matrix (1999). Movie. Genres: Action, Sci-Fi. A hacker learns that his world is a simulation. "
        "Directed by Lana Wachowski, Lilly Wachowski. Starring Keanu Reeves as Neo, Laurence Fishburne. "
        "Keywords: simulation, cyberpunk. Tags: mind-bending. Also known as: Matrix; Матрица."
    )


def test_series_years_and_original_title() -> None:
    doc = build_document(
        {"title": "Dark", "original_title": "Dark", "type": "tvSeries", "start_year": 2017, "end_year": 2020}
    )
    assert doc.startswith("Dark (2017–2020). TV series.")
    doc = build_document(
        {"title": "Amélie", "original_title": "Le fabuleux destin d'Amélie Poulain", "type": "movie"}
    )
    assert "Original title: Le fabuleux destin d'Amélie Poulain." in doc


def test_bounded_and_cut_at_word_boundaries() -> None:
    long = dict(MATRIX, overview="word " * 400, keywords=[f"keyword{i}" for i in range(50)])
    doc = build_document(long, max_chars=300)
    assert len(doc) <= 300
    assert not doc.endswith("wor") and "keyword49" not in doc
    assert doc.startswith("The Matrix (1999). Movie. Genres: Action, Sci-Fi.")


def test_deterministic_hash() -> None:
    assert build_document(MATRIX) == build_document(dict(MATRIX))
    assert doc_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert doc_hash(build_document(MATRIX)) != doc_hash(build_document(dict(MATRIX, tags=[])))


def test_empty_fields_leave_no_dangling_labels() -> None:
    doc = build_document({"title": "Untitled", "type": "short", "genres": [], "cast": [], "keywords": []})
    assert doc == "Untitled. Short film."
