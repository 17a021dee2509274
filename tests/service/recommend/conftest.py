"""A small hand-made catalog (real titles, invented but plausible overviews) indexed with the fake encoder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from wtw.service.recommend import Interaction, Preferences, Recommender, UserSignals

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

# tconst, title, type, year, runtime, genres, directors, cast, rating, votes, overview, akas
TITLES = [
    ("tt0068646", "The Godfather", "movie", 1972, 175, ["Crime", "Drama"], ["Francis Ford Coppola"],
     ["Marlon Brando", "Al Pacino", "James Caan"], 9.2, 2_000_000,
     "mafia crime family patriarch hands empire to his reluctant son", ["Le Parrain", "Il padrino"]),
    ("tt0071562", "The Godfather Part II", "movie", 1974, 202, ["Crime", "Drama"], ["Francis Ford Coppola"],
     ["Al Pacino", "Robert De Niro", "Robert Duvall"], 9.0, 1_400_000,
     "mafia crime family young vito rises while michael expands the empire", ["Il padrino - Parte II"]),
    ("tt0099674", "The Godfather Part III", "movie", 1990, 162, ["Crime", "Drama"], ["Francis Ford Coppola"],
     ["Al Pacino", "Diane Keaton", "Andy Garcia"], 7.6, 450_000,
     "ageing mafia don seeks redemption for his crime family", []),
    ("tt0211915", "Amélie", "movie", 2001, 122, ["Comedy", "Romance"], ["Jean-Pierre Jeunet"],
     ["Audrey Tautou", "Mathieu Kassovitz"], 8.3, 800_000,
     "whimsical shy waitress in paris quietly changes lives funny romantic comedy",
     ["Le fabuleux destin d'Amélie Poulain", "Amelie from Montmartre"]),
    ("tt0133093", "The Matrix", "movie", 1999, 136, ["Action", "Sci-Fi"],
     ["Lana Wachowski", "Lilly Wachowski"], ["Keanu Reeves", "Laurence Fishburne", "Carrie-Anne Moss"],
     8.7, 2_100_000,
     "hacker learns reality is a simulation and fights machines action science fiction", []),
    ("tt0234215", "The Matrix Reloaded", "movie", 2003, 138, ["Action", "Sci-Fi"],
     ["Lana Wachowski", "Lilly Wachowski"], ["Keanu Reeves", "Laurence Fishburne"], 7.2, 650_000,
     "neo and rebels fight machines action science fiction simulation sequel", []),
    ("tt0078748", "Alien", "movie", 1979, 117, ["Horror", "Sci-Fi"], ["Ridley Scott"],
     ["Sigourney Weaver", "Tom Skerritt"], 8.5, 950_000,
     "space crew hunted by deadly alien creature aboard their ship horror in space", []),
    ("tt0090605", "Aliens", "movie", 1986, 137, ["Action", "Sci-Fi", "Horror"], ["James Cameron"],
     ["Sigourney Weaver", "Michael Biehn"], 8.4, 770_000,
     "marines fight alien creatures on a space colony action horror in space", []),
    ("tt0177789", "Galaxy Quest", "movie", 1999, 102, ["Adventure", "Comedy", "Sci-Fi"], ["Dean Parisot"],
     ["Tim Allen", "Sigourney Weaver", "Alan Rickman"], 7.4, 180_000,
     "funny comedy actors of a space show meet real aliens humorous lighthearted space adventure", []),
    ("tt0094012", "Spaceballs", "movie", 1987, 96, ["Adventure", "Comedy", "Sci-Fi"], ["Mel Brooks"],
     ["Mel Brooks", "John Candy", "Rick Moranis"], 7.1, 200_000,
     "funny comedy parody of space opera humorous lighthearted alien planet", []),
    ("tt0119654", "Men in Black", "movie", 1997, 98, ["Action", "Comedy", "Sci-Fi"], ["Barry Sonnenfeld"],
     ["Tommy Lee Jones", "Will Smith"], 7.3, 600_000,
     "funny comedy secret agents police aliens on earth humorous lighthearted", []),
    ("tt0114709", "Toy Story", "movie", 1995, 81, ["Animation", "Adventure", "Comedy", "Family"],
     ["John Lasseter"],
     ["Tom Hanks", "Tim Allen"], 8.3, 1_050_000,
     "toys come alive children family film friendship animated adventure for kids", []),
    ("tt0120363", "Toy Story 2", "movie", 1999, 92, ["Animation", "Adventure", "Comedy", "Family"],
     ["John Lasseter"], ["Tom Hanks", "Tim Allen"], 7.9, 620_000,
     "toys rescue woody children family film animated adventure for kids", []),
    ("tt2709768", "The Secret Life of Pets", "movie", 2016, 87, ["Animation", "Comedy", "Family"],
     ["Chris Renaud"], ["Louis C.K.", "Eric Stonestreet"], 6.5, 230_000,
     "pets adventure in the city children family film animated for kids", []),
    ("tt2401878", "Anomalisa", "movie", 2015, 90, ["Animation", "Drama", "Romance"], ["Charlie Kaufman"],
     ["David Thewlis", "Jennifer Jason Leigh"], 7.2, 70_000,
     "animated film for adults mature sophisticated adult themes loneliness puppets", []),
    ("tt1700841", "Sausage Party", "movie", 2016, 89, ["Animation", "Comedy"], ["Conrad Vernon"],
     ["Seth Rogen", "Kristen Wiig"], 6.1, 200_000,
     "animated film for adults mature adult themes crude grocery food comedy", []),
    ("tt1375666", "Inception", "movie", 2010, 148, ["Action", "Adventure", "Sci-Fi"], ["Christopher Nolan"],
     ["Leonardo DiCaprio", "Joseph Gordon-Levitt"], 8.8, 2_500_000,
     "thief enters dreams to plant an idea mind bending heist science fiction", []),
    ("tt0816692", "Interstellar", "movie", 2014, 169, ["Adventure", "Drama", "Sci-Fi"], ["Christopher Nolan"],
     ["Matthew McConaughey", "Anne Hathaway"], 8.7, 2_200_000,
     "astronauts travel through a wormhole in space to save humanity science fiction", []),
    ("tt0209144", "Memento", "movie", 2000, 113, ["Mystery", "Thriller"], ["Christopher Nolan"],
     ["Guy Pearce", "Carrie-Anne Moss"], 8.4, 1_300_000,
     "man with memory loss hunts his wife's killer mystery thriller told backwards", []),
    ("tt0468569", "The Dark Knight", "movie", 2008, 152, ["Action", "Crime", "Drama"], ["Christopher Nolan"],
     ["Christian Bale", "Heath Ledger"], 9.0, 2_900_000,
     "batman faces the joker in gotham dark gritty crime action", []),
    ("tt0137523", "Fight Club", "movie", 1999, 139, ["Drama"], ["David Fincher"],
     ["Brad Pitt", "Edward Norton"], 8.8, 2_300_000,
     "insomniac office worker and soap maker form an underground fight club dark gritty", []),
    ("tt0114369", "Se7en", "movie", 1995, 127, ["Crime", "Drama", "Mystery"], ["David Fincher"],
     ["Morgan Freeman", "Brad Pitt"], 8.6, 1_800_000,
     "detectives hunt a serial killer dark gritty crime mystery thriller", ["Seven"]),
    ("tt0109830", "Forrest Gump", "movie", 1994, 142, ["Drama", "Romance"], ["Robert Zemeckis"],
     ["Tom Hanks", "Robin Wright"], 8.8, 2_300_000,
     "slow witted man witnesses decades of american history drama romance", []),
    ("tt0120815", "Saving Private Ryan", "movie", 1998, 169, ["Drama", "War"], ["Steven Spielberg"],
     ["Tom Hanks", "Matt Damon"], 8.6, 1_500_000,
     "soldiers search for a paratrooper in world war two war drama", []),
    ("tt0082971", "Raiders of the Lost Ark", "movie", 1981, 115, ["Action", "Adventure"],
     ["Steven Spielberg"],
     ["Harrison Ford", "Karen Allen"], 8.4, 1_000_000,
     "archaeologist adventurer races nazis for the ark action adventure", []),
    ("tt0083658", "Blade Runner", "movie", 1982, 117, ["Action", "Drama", "Sci-Fi"], ["Ridley Scott"],
     ["Harrison Ford", "Rutger Hauer"], 8.1, 800_000,
     "blade runner hunts replicants in a dystopian future science fiction noir", []),
    ("tt0087332", "Ghostbusters", "movie", 1984, 105, ["Action", "Comedy", "Fantasy"], ["Ivan Reitman"],
     ["Bill Murray", "Dan Aykroyd"], 7.8, 450_000,
     "funny comedy scientists hunt ghosts in new york humorous lighthearted", []),
    ("tt0081505", "The Shining", "movie", 1980, 146, ["Drama", "Horror"], ["Stanley Kubrick"],
     ["Jack Nicholson", "Shelley Duvall"], 8.4, 1_100_000,
     "writer goes mad in an isolated hotel scary horror frightening terrifying", []),
    ("tt0903747", "Breaking Bad", "tvSeries", 2008, 49, ["Crime", "Drama", "Thriller"], [],
     ["Bryan Cranston", "Aaron Paul"], 9.5, 2_200_000,
     "chemistry teacher becomes a drug kingpin crime drama series", []),
    ("tt0185906", "Band of Brothers", "tvMiniSeries", 2001, 594, ["Drama", "History", "War"], [],
     ["Damian Lewis", "Ron Livingston"], 9.4, 550_000,
     "paratroopers of easy company in world war two war drama miniseries", []),
    ("tt0386676", "The Office", "tvSeries", 2005, 22, ["Comedy"], [],
     ["Steve Carell", "Rainn Wilson"], 9.0, 750_000,
     "funny comedy mockumentary of office workers humorous lighthearted sitcom", []),
    ("tt0944947", "Game of Thrones", "tvSeries", 2011, 57, ["Action", "Adventure", "Drama"], [],
     ["Emilia Clarke", "Peter Dinklage"], 9.2, 2_400_000,
     "noble families fight for the iron throne fantasy drama dragons", []),
    ("tt0108052", "Schindler's List", "movie", 1993, 195, ["Biography", "Drama", "History"],
     ["Steven Spielberg"],
     ["Liam Neeson", "Ben Kingsley"], 9.0, 1_500_000,
     "businessman saves jewish refugees during the holocaust history drama", []),
    ("tt0107290", "Jurassic Park", "movie", 1993, 127, ["Action", "Adventure", "Sci-Fi"],
     ["Steven Spielberg"],
     ["Sam Neill", "Laura Dern"], 8.2, 1_100_000,
     "cloned dinosaurs escape on an island theme park adventure science fiction", []),
    ("tt0110357", "The Lion King", "movie", 1994, 88, ["Animation", "Adventure", "Drama", "Family"],
     ["Roger Allers", "Rob Minkoff"], ["Matthew Broderick", "James Earl Jones"], 8.5, 1_200_000,
     "lion cub prince flees and returns animated family film for kids", []),
    ("tt0118799", "Life Is Beautiful", "movie", 1997, 116, ["Comedy", "Drama", "Romance"],
     ["Roberto Benigni"],
     ["Roberto Benigni", "Nicoletta Braschi"], 8.6, 750_000,
     "father uses humour to shield his son in a camp funny and sad", ["La vita è bella"]),
    ("tt0095016", "Die Hard", "movie", 1988, 132, ["Action", "Thriller"], ["John McTiernan"],
     ["Bruce Willis", "Alan Rickman"], 8.2, 950_000,
     "cop fights terrorists in a tower during a christmas party action thriller", []),
    ("tt0088763", "Back to the Future", "movie", 1985, 116, ["Adventure", "Comedy", "Sci-Fi"],
     ["Robert Zemeckis"], ["Michael J. Fox", "Christopher Lloyd"], 8.5, 1_300_000,
     "teen travels back in time in a delorean funny science fiction adventure", []),
    ("tt9999991", "Amelie", "short", 2019, 12, ["Drama"], ["Nobody Known"], ["Jane Doe"], 6.0, 15,
     "a short student film about a girl", []),
    ("tt9999992", "The Matrix Resurrections Fan Edit", "video", 2022, 80, ["Sci-Fi"], ["Nobody Known"],
     ["John Doe"], 5.0, 30, "fan edit of a science fiction sequel", []),
]  # fmt: skip


def build_catalog() -> pl.DataFrame:
    rows = []
    for tconst, title, type_, year, runtime, genres, directors, cast, rating, votes, overview, akas in TITLES:
        document = (
            f"{title}. {type_} {year}. {', '.join(genres)}. Directed by {', '.join(directors)}. "
            f"Starring {', '.join(cast)}. {overview}"
        )
        rows.append(
            {
                "tconst": tconst,
                "title": title,
                "original_title": title,
                "akas": akas,
                "type": type_,
                "start_year": year,
                "end_year": None,
                "runtime_minutes": runtime,
                "genres": genres,
                "directors": directors,
                "writers": [],
                "cast": cast,
                "characters": [""] * len(cast),
                "rating": rating,
                "votes": votes,
                "seasons": None,
                "episodes": None,
                "overview": overview,
                "keywords": [],
                "tags": [],
                "movielens_id": None,
                "sources": ["imdb"],
                "document": document,
                "doc_hash": "",
            }
        )
    schema = {"end_year": pl.Int32, "seasons": pl.Int32, "episodes": pl.Int32, "movielens_id": pl.Int32}
    return pl.DataFrame(rows, schema_overrides=schema).sort("tconst")


class FakeIndex:
    """Stand-in for `wtw.index.TitleIndex` exposing what the engine reads: tconsts, vectors, vector()."""

    def __init__(self, tconsts: list[str], vectors: np.ndarray) -> None:
        self.tconsts = tconsts
        self.vectors = vectors
        self.dim = vectors.shape[1]
        self._row = {t: i for i, t in enumerate(tconsts)}

    def vector(self, tconst: str) -> np.ndarray:
        return self.vectors[self._row[tconst]]


@pytest.fixture(scope="session")
def catalog() -> pl.DataFrame:
    return build_catalog()


@pytest.fixture(scope="session")
def recommender(catalog: pl.DataFrame, fake_encoder) -> Recommender:  # type: ignore[no-untyped-def]
    vectors = fake_encoder.encode(catalog["document"].to_list())
    return Recommender(catalog, FakeIndex(catalog["tconst"].to_list(), vectors), fake_encoder)


def rating(tconst: str, value: float, days_ago: float = 1.0) -> Interaction:
    return Interaction(tconst, "rating", NOW - timedelta(days=days_ago), value=value)


def event(tconst: str, kind: str, days_ago: float = 1.0, expires_in: float | None = None) -> Interaction:
    expires = NOW + timedelta(days=expires_in) if expires_in is not None else None
    return Interaction(tconst, kind, NOW - timedelta(days=days_ago), expires_at=expires)


def user(*interactions: Interaction, user_id: int = 1, **prefs: object) -> UserSignals:
    return UserSignals(user_id=user_id, interactions=list(interactions), preferences=Preferences(**prefs))  # type: ignore[arg-type]


class Make:
    """Builders for signals, handed to tests as the `make` fixture (tests cannot import conftest)."""

    now = NOW
    rating = staticmethod(rating)
    event = staticmethod(event)
    user = staticmethod(user)


@pytest.fixture(scope="session")
def make() -> type[Make]:
    return Make
