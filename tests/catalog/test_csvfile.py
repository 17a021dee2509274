"""CSV enrichment files: ragged rows, unparsable values and wrong files are counted or clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from wtw.catalog import kaggle_imdb5000, movielens, tmdb
from wtw.catalog.csvfile import read_csv
from wtw.catalog.tsv import FileReport
from wtw.errors import InputError


def test_ragged_rows_are_rejected_with_examples(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text(
        'movieId,imdbId,tmdbId\r\n1,0114709,862\r\n2,0113497,8844,extra\r\n3,0113228\r\n4,"0114885",31357\r\n'
    )
    report = FileReport("links.csv")
    links = movielens.read_links(path, report)
    assert links["tconst"].to_list() == ["tt0114709", "tt0114885"]
    assert report.read == 2 and report.rejected == 2
    assert "4 fields instead of 3: 2,0113497,8844,extra" in report.examples[0]
    assert "2 fields instead of 3: 3,0113228" in report.examples[1]


def test_quoted_newlines_and_invalid_utf8_in_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "tmdb_5000_movies.csv"
    path.write_bytes(b'id,overview\n862,"Woody,\nBuzz and \xff friends."\n603,Neo\n')
    report = FileReport("tmdb")
    frame = tmdb.read_tmdb(path, report)
    assert frame["overview"].to_list() == ["Woody,\nBuzz and \ufffd friends.", "Neo"]
    assert report.rejected == 0 and "1 lines with invalid UTF-8 repaired (U+FFFD)" in report.notes


def test_header_only_csv_gives_an_empty_frame(tmp_path: Path) -> None:
    path = tmp_path / "tags.csv"
    path.write_text("\ufeffuserId,movieId,tag,timestamp\n")
    frame = read_csv(path, FileReport("tags"), required=("movieId", "tag"))
    assert frame.height == 0 and frame.columns == ["movieId", "tag"]


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", r"no column id, overview.*found: nothing"),
        (b"id,title\n1,Toy Story\n", r"tmdb_5000_movies\.csv: no column overview"),
        (b"\x1f\x8b\x08\x00broken gzip", r"tmdb_5000_movies\.csv: not a readable CSV"),
    ],
)
def test_malformed_files_are_input_errors_naming_the_file(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "tmdb_5000_movies.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=match):
        tmdb.read_tmdb(path, FileReport("tmdb"))


def test_kaggle_without_genres_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "movie_metadata.csv"
    path.write_text(",".join(kaggle_imdb5000.COLUMNS) + "\n")
    with pytest.raises(InputError, match="no genres"):
        kaggle_imdb5000.read_imdb5000(path, FileReport("kaggle"))


def test_genome_keeps_the_most_relevant_tags_and_rejects_bad_rows(tmp_path: Path) -> None:
    names = tmp_path / "genome-tags.csv"
    names.write_text("tagId,tag\n1,dystopia\n2,cyberpunk\n3,pixar\nx,broken\n")
    scores = tmp_path / "genome-scores.csv"
    scores.write_text(
        "movieId,tagId,relevance\n"
        "2571,1,0.91\n2571,2,0.97\n2571,3,0.02\n"
        "1,3,0.99\n1,1,0.85\n1,2,high\n"  # an unparsable relevance
        "1,2,0.9,extra\n"  # a ragged row
        "7,1,0.5\n"  # below the threshold
    )
    report = FileReport("movielens genome")
    genome = movielens.read_genome(scores, names, report, min_relevance=0.8, top=1)
    got = dict(genome.sort("movielens_id").iter_rows())
    assert got == {1: ["pixar"], 2571: ["cyberpunk"]}
    assert report.rejected == 3
    assert any("genome-tags.csv: unparsable row ('x', 'broken')" in e for e in report.examples)
    assert any("high" in e for e in report.examples) and any("extra" in e for e in report.examples)
