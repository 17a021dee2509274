"""Build the bundled demo inputs (catalog/demo/data/) from the staged public datasets in ../shared/data.

Run from the repository root: ``.venv/bin/python catalog/demo/build_demo.py [--shared ../shared/data]``.
The output keeps each source's own file format, so `wtw ingest` reads the demo as it reads the originals.
Content: MovieLens ml-latest-small (all 9,742 movies), the IMDb famous40 slice and the TV series/miniseries
of the IMDb head50k slice, with IMDb ratings (complete 2018 ratings file), akas, crew, cast and names where
staged, TMDB overviews/keywords, Kaggle IMDB 5000 people and PromptCloud plots.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
from pathlib import Path

import polars as pl

from wtw.catalog.tsv import IMDB_FILES, FileReport, find_imdb_file, read_tsv

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = HERE.parents[2] / "shared" / "data"
SERIES = ("tvSeries", "tvMiniSeries")


def _write_tsv(frame: pl.DataFrame, path: Path) -> None:
    """IMDb format: tab-separated, header, ``\\N`` for null, no quoting; gzip with a fixed mtime."""
    text = frame.write_csv(separator="\t", null_value="\\N", quote_style="never")
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out,
    ):
        out.write(text.encode("utf-8"))


def _write_csv_gz(frame: pl.DataFrame, path: Path) -> None:
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out,
    ):
        out.write(frame.write_csv().encode("utf-8"))


def _imdb(shared: Path, slice_name: str, name: str) -> pl.DataFrame:
    path = find_imdb_file(shared / "imdb" / slice_name, name)
    if path is None:
        return pl.DataFrame(schema=dict.fromkeys(IMDB_FILES[name], pl.String))
    return read_tsv(path, IMDB_FILES[name], FileReport(name))


def _gzip_copy(source: Path, target: Path) -> None:
    with (
        source.open("rb") as src,
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out,
    ):
        shutil.copyfileobj(src, out)


def _only_named(crew: pl.DataFrame, named: set[str]) -> pl.DataFrame:
    """Drop crew references to people whose names are not staged (the slices' names stop at nm0052406)."""
    keep = pl.Series(sorted(named), dtype=pl.String)

    def only(column: str) -> pl.Expr:
        kept = (
            pl.col(column).str.split(",").list.eval(pl.element().filter(pl.element().is_in(keep.implode())))
        )
        return pl.when(kept.list.len() > 0).then(kept.list.join(",")).alias(column)

    crew = crew.with_columns(only("directors"), only("writers"))
    return crew.filter(pl.col("directors").is_not_null() | pl.col("writers").is_not_null())


def build(shared: Path, out: Path) -> None:
    """Write the demo inputs under ``out`` (imdb/, movielens/, tmdb/, kaggle-imdb5000/, promptcloud/)."""
    for sub in ("imdb", "movielens", "tmdb", "kaggle-imdb5000", "promptcloud"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    ml = shared / "movielens" / "ml-latest-small"
    for name in ("movies.csv", "links.csv", "tags.csv"):
        _gzip_copy(ml / name, out / "movielens" / f"{name}.gz")
    links = pl.read_csv(ml / "links.csv", schema_overrides={"imdbId": pl.String, "tmdbId": pl.Int64})
    ml_tconsts = set(("tt" + links["imdbId"].str.zfill(7)).to_list())

    famous = _imdb(shared, "famous40", "title.basics")
    head = _imdb(shared, "head50k-2025-02", "title.basics")
    y2017 = _imdb(shared, "movies2017-subset-2018-05", "title.basics")
    basics = pl.concat(
        [
            famous,
            head.filter(pl.col("titleType").is_in(SERIES) | pl.col("tconst").is_in(ml_tconsts)),
            y2017.filter(pl.col("tconst").is_in(ml_tconsts)),
        ]
    ).unique("tconst", keep="first", maintain_order=True)
    ids = set(basics["tconst"].to_list()) | ml_tconsts
    _write_tsv(basics.sort("tconst"), out / "imdb" / "title.basics.tsv.gz")

    ratings = read_tsv(shared / "imdb" / "title.ratings.tsv.gz", IMDB_FILES["title.ratings"], FileReport("r"))
    _write_tsv(
        ratings.filter(pl.col("tconst").is_in(ids)).sort("tconst"), out / "imdb" / "title.ratings.tsv.gz"
    )
    akas = pl.concat([_imdb(shared, s, "title.akas") for s in ("famous40", "movies2017-subset-2018-05")])
    _write_tsv(akas.filter(pl.col("titleId").is_in(ids)), out / "imdb" / "title.akas.tsv.gz")
    crew = _imdb(shared, "head50k-2025-02", "title.crew").filter(pl.col("tconst").is_in(ids))
    principals = _imdb(shared, "head50k-2025-02", "title.principals").filter(pl.col("tconst").is_in(ids))
    _write_tsv(principals, out / "imdb" / "title.principals.tsv.gz")
    names = _imdb(shared, "head50k-2025-02", "name.basics")
    names = names.filter(
        pl.col("nconst").is_in(principals["nconst"].implode())
        | pl.col("nconst").is_in(crew["directors"].drop_nulls().str.split(",").explode().implode())
        | pl.col("nconst").is_in(crew["writers"].drop_nulls().str.split(",").explode().implode())
    )
    _write_tsv(names, out / "imdb" / "name.basics.tsv.gz")
    crew = _only_named(crew, set(names["nconst"].to_list()))
    _write_tsv(crew, out / "imdb" / "title.crew.tsv.gz")
    episodes = _imdb(shared, "all7-head99", "title.episode").filter(pl.col("parentTconst").is_in(ids))
    _write_tsv(episodes, out / "imdb" / "title.episode.tsv.gz")

    tmdb_ids = set(links["tmdbId"].drop_nulls().to_list())
    tmdb5000 = pl.read_csv(
        shared / "tmdb" / "kaggle-tmdb-5000" / "tmdb_5000_movies.csv.gz", infer_schema=False
    )
    tmdb5000 = tmdb5000.filter(pl.col("id").cast(pl.Int64, strict=False).is_in(tmdb_ids))
    _write_csv_gz(
        tmdb5000.select("id", "title", "overview", "keywords"), out / "tmdb" / "tmdb_5000_movies.csv.gz"
    )
    metadata = pl.read_csv(
        shared / "tmdb" / "kaggle-the-movies-dataset" / "movies_metadata.csv.gz", infer_schema=False
    )
    metadata = metadata.filter(pl.col("imdb_id").is_in(ids) & ~pl.col("id").is_in(tmdb5000["id"].implode()))
    _write_csv_gz(
        metadata.select("id", "imdb_id", "title", "overview"), out / "tmdb" / "movies_metadata.csv.gz"
    )

    kaggle = pl.read_csv(shared / "kaggle-imdb5000" / "movie_metadata.csv.gz", infer_schema=False)
    genres = "genres" if "genres" in kaggle.columns else "category"
    kaggle = kaggle.filter(pl.col("movie_imdb_link").str.extract(r"(tt\d{7,})").is_in(ids)).select(
        "movie_title", "title_year", "duration", genres, "director_name", "actor_1_name", "actor_2_name",
        "actor_3_name", "plot_keywords", "movie_imdb_link",
    )  # fmt: skip
    _write_csv_gz(kaggle, out / "kaggle-imdb5000" / "movie_metadata.csv.gz")
    _gzip_copy(
        shared / "promptcloud-imdb1000" / "IMDB-Movie-Data.csv",
        out / "promptcloud" / "IMDB-Movie-Data.csv.gz",
    )
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"demo inputs written to {out}: {total / 1e6:.2f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help="the staged ../shared/data folder"
    )
    parser.add_argument("--out", type=Path, default=HERE / "data")
    args = parser.parse_args()
    build(args.shared, args.out)


if __name__ == "__main__":
    main()
