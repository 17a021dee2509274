"""Build the catalog table: IMDb's datasets joined per title, enriched with MovieLens, TMDB and Kaggle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from wtw.catalog import imdb, kaggle_imdb5000, movielens, promptcloud, tmdb
from wtw.catalog.documents import build_document, doc_hash
from wtw.catalog.schema import CATALOG_SCHEMA, empty_lists
from wtw.catalog.tsv import FileReport, find_imdb_file
from wtw.config import CatalogSettings
from wtw.errors import InputError

OPTIONAL_IMDB = (
    "title.akas",
    "title.crew",
    "title.principals",
    "title.ratings",
    "title.episode",
    "name.basics",
)
WHAT_IS_LOST = {
    "title.akas": "no alternate titles",
    "title.crew": "no directors or writers",
    "title.principals": "no cast",
    "title.ratings": "no ratings",
    "title.episode": "no episode counts",
    "name.basics": "no people names (directors, writers, cast)",
}


@dataclass
class CatalogSources:
    """Input files of one build; every source but IMDb's title.basics is optional."""

    imdb_dir: Path
    ratings: Path | None = None
    """Overrides ``imdb_dir``'s title.ratings (e.g. a complete ratings file beside a slice of the others)."""
    movielens_dir: Path | None = None
    tmdb_files: tuple[Path, ...] = ()
    kaggle_imdb5000: Path | None = None
    promptcloud: Path | None = None


@dataclass
class IngestReport:
    """Per-file counts and notes of one build; ``line()`` of each file goes under the one-line summary."""

    files: list[FileReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def file(self, name: str, path: Path | None) -> FileReport:
        report = FileReport(name, str(path) if path else None)
        self.files.append(report)
        return report

    def lines(self) -> list[str]:
        return [f.line() for f in self.files] + self.notes


Step = Callable[[str], None]


def find_file(directory: Path | None, name: str) -> Path | None:
    """``name`` or ``name.gz`` in ``directory``, or None."""
    if directory is None:
        return None
    for candidate in (directory / name, directory / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _ids(frame: pl.DataFrame) -> pl.Series:
    return frame.select(imdb.tconst_number("tconst"))["tconst"].drop_nulls()


def _people(frame: pl.DataFrame, ids: str, out: str, names: dict[str, str]) -> pl.Expr:
    return (
        pl.col(ids)
        .list.eval(pl.element().replace_strict(names, default=None, return_dtype=pl.String))
        .list.drop_nulls()
        .alias(out)
    )


def build_catalog(
    sources: CatalogSources, config: CatalogSettings, *, step: Step | None = None
) -> tuple[pl.DataFrame, IngestReport]:
    """Read every source; return the catalog (docs/architecture.md schema, sorted by tconst) and a report.

    Raises:
        InputError: title.basics is missing.
    """
    report = IngestReport()
    announce = step or (lambda name: None)
    basics_path = find_imdb_file(sources.imdb_dir, "title.basics")
    if basics_path is None:
        raise InputError(
            f"title.basics.tsv(.gz) not found in {sources.imdb_dir}; "
            "download it from https://datasets.imdbws.com/ "
            "(or run `wtw ingest --download`)"
        )
    links = None
    if links_path := find_file(sources.movielens_dir, "links.csv"):
        announce("links.csv")
        links = movielens.read_links(links_path, report.file("movielens links.csv", links_path))
    elif sources.movielens_dir is not None:
        report.notes.append(f"movielens: no links.csv in {sources.movielens_dir}")

    announce("title.basics")
    extra = _ids(links) if links is not None else None
    titles, all_ids = imdb.read_basics(
        basics_path,
        report.file("title.basics", basics_path),
        types=tuple(config.title_types),
        include_adult=config.include_adult,
        extra=extra,
    )
    titles = titles.with_columns(
        pl.lit(["imdb"]).alias("sources"), pl.lit([], dtype=pl.List(pl.String)).alias("ml_akas")
    )
    if links is not None:
        titles = _add_movielens(titles, links, sources.movielens_dir, report, announce)
    known = pl.concat([all_ids, _ids(titles)]).unique()
    wanted = _ids(titles)

    paths = {name: find_imdb_file(sources.imdb_dir, name) for name in OPTIONAL_IMDB}
    if sources.ratings is not None:
        paths["title.ratings"] = sources.ratings
    for name, path in paths.items():
        if path is None:
            report.notes.append(f"{name}: not found in {sources.imdb_dir} — {WHAT_IS_LOST[name]}")

    catalog = titles
    if path := paths["title.episode"]:
        announce("title.episode")
        series = _ids(titles.filter(pl.col("type").is_in(["tvSeries", "tvMiniSeries"])))
        counts = imdb.read_episode_counts(path, report.file("title.episode", path), known, series)
        catalog = catalog.join(counts, on="tconst", how="left")
    if path := paths["title.ratings"]:
        announce("title.ratings")
        ratings = imdb.read_ratings(path, report.file("title.ratings", path), known, wanted)
        catalog = catalog.join(ratings, on="tconst", how="left")
        catalog = catalog.with_columns(
            pl.when(pl.col("rating").is_not_null() & ~pl.col("sources").list.contains("imdb"))
            .then(pl.concat_list("sources", pl.lit(["imdb"])))
            .otherwise(pl.col("sources"))
            .alias("sources")
        )
    catalog = _add_people(
        catalog, paths=paths, config=config, known=known, wanted=wanted, report=report, announce=announce
    )
    if path := paths["title.akas"]:
        announce("title.akas")
        akas = imdb.read_akas(path, report.file("title.akas", path), known, wanted)
        catalog = catalog.join(akas, on="tconst", how="left")
    else:
        catalog = catalog.with_columns(pl.lit([], dtype=pl.List(pl.String)).alias("aka_all"))
    catalog = catalog.with_columns(
        _distinct_akas(config.max_akas),
    ).drop("aka_all", "ml_akas")
    catalog = _enrich(catalog, sources, links, report, announce)
    catalog = finish(catalog, config)
    report.rows = catalog.height
    return catalog, report


def _add_movielens(
    titles: pl.DataFrame, links: pl.DataFrame, directory: Path | None, report: IngestReport, announce: Step
) -> pl.DataFrame:
    """Link MovieLens ids to titles; movies missing from title.basics become rows of their own."""
    assert directory is not None
    titles = titles.join(links.select("tconst", "movielens_id"), on="tconst", how="left")
    movies_path = find_file(directory, "movies.csv")
    if movies_path is None:
        report.notes.append(
            f"movielens: no movies.csv in {directory} — linked movies missing from IMDb are left out"
        )
        return titles
    announce("movies.csv")
    movies = movielens.read_movies(movies_path, report.file("movielens movies.csv", movies_path))
    missing = links.join(titles.select("tconst"), on="tconst", how="anti").join(movies, on="movielens_id")
    added = missing.select(
        "tconst",
        "title",
        pl.lit(None, dtype=pl.String).alias("original_title"),
        pl.lit("movie").alias("type"),
        "start_year",
        pl.lit(None, dtype=pl.Int32).alias("end_year"),
        pl.lit(None, dtype=pl.Int32).alias("runtime_minutes"),
        "genres",
        pl.lit(["movielens"]).alias("sources"),
        pl.when(pl.col("aka").is_not_null())
        .then(pl.concat_list("aka"))
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
        .alias("ml_akas"),
        "movielens_id",
    )
    report.notes.append(
        f"movielens: {added.height:,} linked movies missing from title.basics added from movies.csv"
    )
    titles = titles.with_columns(
        pl.when(pl.col("movielens_id").is_not_null())
        .then(pl.concat_list("sources", pl.lit(["movielens"])))
        .otherwise(pl.col("sources"))
        .alias("sources")
    )
    return pl.concat([titles, added], how="vertical_relaxed")


def _add_people(
    catalog: pl.DataFrame,
    *,
    paths: dict[str, Path | None],
    config: CatalogSettings,
    known: pl.Series,
    wanted: pl.Series,
    report: IngestReport,
    announce: Step,
) -> pl.DataFrame:
    """Directors, writers (title.crew) and top-billed cast (title.principals), as names (name.basics)."""
    crew_path, cast_path, names_path = paths["title.crew"], paths["title.principals"], paths["name.basics"]
    if crew_path:
        announce("title.crew")
        crew = imdb.read_crew(crew_path, report.file("title.crew", crew_path), known, wanted)
        catalog = catalog.join(crew, on="tconst", how="left")
    if cast_path and config.max_cast > 0:
        announce("title.principals")
        cast = imdb.read_cast(
            cast_path, report.file("title.principals", cast_path), known, wanted, config.max_cast
        )
        catalog = catalog.join(cast, on="tconst", how="left")
    for column in ("director_ids", "writer_ids", "cast_ids", "characters"):
        if column not in catalog.columns:
            catalog = catalog.with_columns(pl.lit([], dtype=pl.List(pl.String)).alias(column))
        catalog = catalog.with_columns(pl.col(column).fill_null([]))
    names: dict[str, str] = {}
    people = set(
        catalog.select(
            pl.concat_list("director_ids", "writer_ids", "cast_ids").explode().drop_nulls().unique()
        )
        .to_series()
        .to_list()
    )
    if names_path and people:
        announce("name.basics")
        name_report = report.file("name.basics", names_path)
        frame = imdb.read_names(names_path, name_report, people)
        names = dict(zip(frame["nconst"].to_list(), frame["primaryName"].to_list(), strict=True))
        if len(people) > len(names):
            name_report.notes.append(f"{len(people) - len(names):,} referenced people not found")
    cast = (
        catalog.select("tconst", "cast_ids", "characters")
        .filter(pl.col("cast_ids").list.len() > 0)
        .explode("cast_ids", "characters")
        .with_columns(
            pl.col("cast_ids").replace_strict(names, default=None, return_dtype=pl.String).alias("cast")
        )
        .filter(pl.col("cast").is_not_null())
        .group_by("tconst", maintain_order=True)
        .agg("cast", "characters")
    )
    catalog = catalog.drop("characters").join(cast, on="tconst", how="left")
    return catalog.with_columns(
        _people(catalog, "director_ids", "directors", names),
        _people(catalog, "writer_ids", "writers", names),
        pl.col("cast").fill_null([]),
        pl.col("characters").fill_null([]),
    ).drop("director_ids", "writer_ids", "cast_ids")


def _distinct_akas(limit: int) -> pl.Expr:
    """Alternate titles in IMDb's order (MovieLens' first), without empty ones."""
    return (
        pl.concat_list(pl.col("ml_akas"), pl.col("aka_all").fill_null([]))
        .list.eval(pl.element().filter(pl.element().str.strip_chars() != ""))
        .list.eval(pl.element().unique(maintain_order=True))
        .alias("akas")
    )


def _enrich(
    catalog: pl.DataFrame,
    sources: CatalogSources,
    links: pl.DataFrame | None,
    report: IngestReport,
    announce: Step,
) -> pl.DataFrame:
    """MovieLens tags, TMDB overviews/keywords, Kaggle IMDB 5000 people and PromptCloud plots."""
    catalog = catalog.with_columns(
        pl.lit(None, dtype=pl.String).alias("overview"),
        pl.lit([], dtype=pl.List(pl.String)).alias("keywords"),
        pl.lit([], dtype=pl.List(pl.String)).alias("tags"),
    )
    if "movielens_id" not in catalog.columns:
        catalog = catalog.with_columns(pl.lit(None, dtype=pl.Int32).alias("movielens_id"))
    ml = sources.movielens_dir
    if tags_path := find_file(ml, "tags.csv"):
        announce("tags.csv")
        tags = movielens.read_tags(tags_path, report.file("movielens tags.csv", tags_path))
        catalog = (
            catalog.drop("tags")
            .join(tags, on="movielens_id", how="left")
            .with_columns(pl.col("tags").fill_null([]))
        )
    scores, genome_tags = find_file(ml, "genome-scores.csv"), find_file(ml, "genome-tags.csv")
    if scores and genome_tags:
        announce("genome-scores.csv")
        genome = movielens.read_genome(scores, genome_tags, report.file("movielens genome", scores))
        catalog = (
            catalog.join(genome, on="movielens_id", how="left")
            .with_columns(
                pl.concat_list("tags", pl.col("genome").fill_null([]))
                .list.unique(maintain_order=True)
                .alias("tags")
            )
            .drop("genome")
        )
    if sources.tmdb_files:
        frames = []
        for path in sources.tmdb_files:
            announce(path.name)
            frames.append(tmdb.read_tmdb(path, report.file(f"tmdb {path.name}", path)))
        by_tconst = tmdb.tmdb_by_tconst(pl.concat(frames, how="vertical_relaxed"), links)
        catalog = _fill(
            catalog, by_tconst.rename({"overview": "x_overview", "keywords": "x_keywords"}), "tmdb"
        )
    if sources.kaggle_imdb5000 is not None:
        announce(sources.kaggle_imdb5000.name)
        kaggle_report = report.file("kaggle-imdb5000", sources.kaggle_imdb5000)
        rows = kaggle_imdb5000.read_imdb5000(sources.kaggle_imdb5000, kaggle_report)
        unmatched = rows.join(catalog.select("tconst"), on="tconst", how="anti").height
        if unmatched:
            kaggle_report.notes.append(f"{unmatched:,} rows about titles not in the catalog")
        catalog = _fill(
            catalog,
            rows.drop("title", "start_year").rename(lambda c: c if c == "tconst" else f"x_{c}"),
            "kaggle-imdb5000",
        )
    if sources.promptcloud is not None:
        announce(sources.promptcloud.name)
        pc_report = report.file("promptcloud", sources.promptcloud)
        rows = promptcloud.read_promptcloud(sources.promptcloud, pc_report)
        matched = promptcloud.match_promptcloud(rows, catalog, pc_report)
        catalog = _fill(
            catalog,
            matched.drop("start_year").rename(lambda c: c if c == "tconst" else f"x_{c}"),
            "promptcloud",
        )
    return catalog


def _fill(catalog: pl.DataFrame, extra: pl.DataFrame, source: str) -> pl.DataFrame:
    """Fill empty catalog fields from ``extra``'s ``x_*`` columns (keywords are merged); record ``source``."""
    catalog = catalog.join(extra, on="tconst", how="left")
    used = pl.lit(False)
    updates = []
    for column in [c.removeprefix("x_") for c in extra.columns if c.startswith("x_")]:
        new = pl.col(f"x_{column}")
        if isinstance(catalog.schema[column], pl.List):
            new = new.fill_null([])
            if column == "keywords":
                merged = pl.concat_list(column, new).list.unique(maintain_order=True)
                used |= new.list.len() > 0
                updates.append(merged.alias(column))
            else:
                takes = (pl.col(column).list.len() == 0) & (new.list.len() > 0)
                used |= takes
                updates.append(pl.when(takes).then(new).otherwise(pl.col(column)).alias(column))
                if column == "cast":
                    updates.append(
                        pl.when(takes)
                        .then(new.list.eval(pl.lit("")))
                        .otherwise(pl.col("characters"))
                        .alias("characters")
                    )
        else:
            takes = pl.col(column).is_null() & new.is_not_null()
            used |= takes
            updates.append(pl.when(takes).then(new).otherwise(pl.col(column)).alias(column))
    catalog = catalog.with_columns(
        *updates,
        pl.when(used)
        .then(pl.concat_list("sources", pl.lit([source])))
        .otherwise(pl.col("sources"))
        .alias("sources"),
    )
    return catalog.drop([c for c in extra.columns if c.startswith("x_")])


def finish(catalog: pl.DataFrame, config: CatalogSettings) -> pl.DataFrame:
    """Bound akas, add missing columns, cast to the schema, add document + doc_hash, sort by tconst."""
    for column, dtype in CATALOG_SCHEMA.items():
        if column not in catalog.columns and column not in ("document", "doc_hash"):
            catalog = catalog.with_columns(pl.lit(None, dtype=dtype).alias(column))
    catalog = catalog.with_columns(pl.col(c).fill_null([]) for c in empty_lists()).with_columns(
        pl.struct("title", "akas")
        .map_elements(
            lambda r: _bounded_akas(r["title"], r["akas"], config.max_akas), return_dtype=pl.List(pl.String)
        )
        .alias("akas"),
        pl.col("sources").list.unique(maintain_order=True),
    )
    catalog = catalog.select(
        [pl.col(c).cast(t) for c, t in CATALOG_SCHEMA.items() if c not in ("document", "doc_hash")]
    )
    documents = [build_document(row, config.document_max_chars) for row in catalog.iter_rows(named=True)]
    catalog = catalog.with_columns(
        pl.Series("document", documents, dtype=pl.String),
        pl.Series("doc_hash", [doc_hash(d) for d in documents], dtype=pl.String),
    )
    return catalog.sort("tconst")


def _bounded_akas(title: str, akas: list[str] | None, limit: int) -> list[str]:
    seen = {title.casefold()}
    out = []
    for aka in akas or []:
        key = aka.casefold()
        if key not in seen:
            seen.add(key)
            out.append(aka)
            if len(out) >= limit:
                break
    return out
