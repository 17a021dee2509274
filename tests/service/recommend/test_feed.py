"""Feed: never re-show, immediate update, cold start, constraints, paging, reasons, collab, rows, group."""

from __future__ import annotations

from datetime import timedelta

from wtw.service.recommend import Constraints, Recommender

GODFATHER, GODFATHER2, GODFATHER3 = "tt0068646", "tt0071562", "tt0099674"
ALIEN, ALIENS, MATRIX, INCEPTION = "tt0078748", "tt0090605", "tt0133093", "tt1375666"
TOY_STORY, OFFICE, SHINING = "tt0114709", "tt0386676", "tt0081505"


def ids(results) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.tconst for r in results]


def test_cold_start_is_the_quality_prior(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    results = recommender.feed(make.user(), limit=5, now=make.now)
    assert len(results) == 5
    assert all(any(r.kind == "popular" for r in x.reasons) for x in results)
    assert all(any(r.text.startswith("Popular with high ratings") for r in x.reasons) for x in results)
    obscure = {"tt9999991", "tt9999992"}
    assert not obscure & set(ids(recommender.feed(make.user(), limit=30, now=make.now)))


def test_never_reshows_rated_watched_or_dismissed_titles(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(
        make.rating(ALIEN, 9),
        make.rating(GODFATHER, 3),
        make.event(ALIENS, "watched"),
        make.event(MATRIX, "dislike"),
        make.event(INCEPTION, "not_interested"),
        make.event(OFFICE, "not_interested", expires_in=10),
    )
    shown = set(ids(recommender.feed(u, limit=200, now=make.now)))
    assert shown.isdisjoint({ALIEN, GODFATHER, ALIENS, MATRIX, INCEPTION, OFFICE})
    assert shown  # the rest of the catalog is still there


def test_expired_not_now_comes_back(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(make.event(OFFICE, "not_interested", days_ago=30, expires_in=-1))
    assert OFFICE in ids(recommender.feed(u, limit=200, now=make.now))


def test_feed_updates_immediately_after_a_rating(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    before = make.user(make.rating(GODFATHER, 10))
    first = ids(recommender.feed(before, limit=3, now=make.now))
    assert GODFATHER2 in first
    after = make.user(make.rating(GODFATHER, 10), make.rating(GODFATHER2, 9, days_ago=0))
    second = ids(recommender.feed(after, limit=3, now=make.now))
    assert GODFATHER2 not in second and GODFATHER3 in second
    assert recommender.preference_vector(before, make.now) is not None


def test_taste_drives_the_feed(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    scifi = make.user(make.rating(ALIEN, 10), make.rating(MATRIX, 9), make.event(INCEPTION, "like"))
    kids = make.user(make.rating(TOY_STORY, 10), make.event("tt0110357", "like"))
    scifi_feed = recommender.feed(scifi, limit=5, now=make.now)
    kids_feed = recommender.feed(kids, limit=5, now=make.now)
    count = lambda feed, genre: sum(genre in r.genres for r in feed)  # noqa: E731
    assert count(scifi_feed, "Sci-Fi") > count(kids_feed, "Sci-Fi")
    assert count(kids_feed, "Family") > count(scifi_feed, "Family")


def test_low_ratings_push_away(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    liked = make.user(make.rating(ALIEN, 9))
    disliked = make.user(make.rating(ALIEN, 9), make.rating(ALIENS, 1))
    rank = lambda u: ids(recommender.feed(u, limit=40, now=make.now)).index("tt0177789")  # noqa: E731
    assert rank(disliked) >= 0 and rank(liked) >= 0


def test_onboarding_preferences_seed_a_new_user(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(liked_genres=["Comedy"], liked_people=["Christopher Nolan"])
    results = recommender.feed(u, limit=6, now=make.now)
    assert recommender.preference_vector(u, make.now) is not None
    assert any("Comedy" in r.genres for r in results[:3])
    assert any("Christopher Nolan" in r.directors for r in results)


def test_onboarding_and_caller_constraints(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(make.rating(ALIEN, 9), title_types=["movie"], year_from=1980, year_to=1999, max_runtime=130)
    for r in recommender.feed(u, limit=50, now=make.now):
        assert r.type == "movie" and 1980 <= (r.year or 0) <= 1999 and (r.runtime_minutes or 999) <= 130
    only_comedy = recommender.feed(
        u, limit=50, filter=Constraints(genres=frozenset({"Comedy"})), now=make.now
    )
    assert only_comedy and all("Comedy" in r.genres for r in only_comedy)


def test_disliked_genres_sink(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(disliked_genres=["Drama"])
    top = recommender.feed(u, limit=5, now=make.now)
    assert sum("Drama" in r.genres for r in top) <= 1


def test_paging_is_consistent(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(make.rating(ALIEN, 9), make.rating(GODFATHER, 8))
    whole = ids(recommender.feed(u, limit=10, now=make.now))
    pages = ids(recommender.feed(u, limit=5, now=make.now)) + ids(
        recommender.feed(u, limit=5, offset=5, now=make.now)
    )
    assert pages == whole
    assert len(set(whole)) == 10


def test_reasons_are_grounded_in_the_users_titles(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(make.rating(GODFATHER, 10), make.event(INCEPTION, "like"))
    results = recommender.feed(u, limit=5, now=make.now)
    assert all(r.reasons for r in results)
    part2 = next(r for r in results if r.tconst == GODFATHER2)
    closest = next(reason for reason in part2.reasons if reason.kind == "closest_title")
    assert "The Godfather (1972)" in closest.text and "10/10" in closest.text and closest.tconst == GODFATHER
    director = next(reason for reason in part2.reasons if reason.kind == "shared_director")
    assert "Francis Ford Coppola" in director.text and director.tconst == GODFATHER
    allowed_prefixes = (
        "Close to ",
        "Directed by ",
        "With ",
        "Written by ",
        "Matches your taste for ",
        "Popular with",
    )
    for r in results:
        assert all(reason.text.startswith(allowed_prefixes) for reason in r.reasons), r.reasons


def test_popularity_reason_only_from_the_popularity_source(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(*[make.rating(t, 10) for t in (GODFATHER, ALIEN, MATRIX, INCEPTION, TOY_STORY)])
    part2 = next(r for r in recommender.feed(u, limit=10, now=make.now) if r.tconst == GODFATHER2)
    assert not any(reason.text.startswith("Popular with") for reason in part2.reasons)


class FakeCollab:
    def __init__(self, pairs: list[tuple[str, float]]) -> None:
        self.pairs = pairs
        self.calls = 0

    def candidates(self, signals, k, *, now=None):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.pairs[:k]


def test_collaborative_candidates_are_blended(catalog, fake_encoder, recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    from wtw.service.recommend import Recommender as Rec

    collab = FakeCollab([(SHINING, 1.0), ("tt9999999", 0.9)])
    with_collab = Rec(catalog, _index_of(recommender), fake_encoder, collab)
    u = make.user(make.rating(TOY_STORY, 9))
    plain = ids(recommender.feed(u, limit=40, now=make.now))
    blended = with_collab.feed(u, limit=40, now=make.now)
    assert collab.calls == 1
    assert ids(blended).index(SHINING) < plain.index(SHINING)
    shining = next(r for r in blended if r.tconst == SHINING)
    assert "collab" in [reason.kind for reason in shining.reasons]


def test_collab_reason_only_for_titles_the_model_returned(
    catalog, fake_encoder, recommender: Recommender, make
) -> None:  # type: ignore[no-untyped-def]
    from wtw.service.recommend import Recommender as Rec

    u = make.user(make.rating(TOY_STORY, 9), make.rating(ALIEN, 3))
    # The whole catalog, tail included, where every blend term is negative: no invented collab evidence.
    for engine in (
        recommender,
        Rec(catalog, _index_of(recommender), fake_encoder, FakeCollab([(SHINING, 1.0)])),
    ):
        for r in engine.feed(u, limit=100, now=make.now):
            if r.tconst != SHINING:
                assert "collab" not in [reason.kind for reason in r.reasons], (r.tconst, r.reasons)


def _index_of(recommender: Recommender):  # type: ignore[no-untyped-def]
    class Index:
        tconsts = recommender.ctx.table.tconsts
        vectors = recommender.ctx.space.matrix

        def vector(self, tconst: str):  # type: ignore[no-untyped-def]
            return self.vectors[self.tconsts.index(tconst)]

    return Index()


def test_recency_decay_favours_recent_taste(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    old_horror_new_comedy = make.user(
        make.rating(SHINING, 10, days_ago=2000), make.rating(OFFICE, 10, days_ago=1)
    )
    top = recommender.feed(old_horror_new_comedy, limit=3, now=make.now)
    assert sum("Comedy" in r.genres for r in top) >= 2


def test_rows(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(
        make.rating(GODFATHER, 10, days_ago=10),
        make.rating(ALIEN, 9, days_ago=5),
        make.event(INCEPTION, "watchlist", days_ago=0),
    )
    rows = recommender.rows(u, per_row=3, now=make.now)
    kinds = [r.kind for r in rows]
    assert kinds[0] == "top_picks"
    assert "because_you_liked" in kinds and "popular_in_genre" in kinds
    titles = [r.title for r in rows]
    assert "Because you liked The Godfather" in titles
    assert any(t.startswith("More like ") for t in titles)
    seen = [x.tconst for r in rows for x in r.items]
    assert len(seen) == len(set(seen))
    assert not {GODFATHER, ALIEN, INCEPTION} & set(seen)
    assert all(len(r.items) <= 3 for r in rows)


def test_rows_for_a_new_user(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    rows = recommender.rows(make.user(), per_row=3, now=make.now)
    assert rows and any(r.kind == "popular_in_genre" for r in rows)


def test_group_excludes_what_anyone_has_seen(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    a = make.user(make.rating(GODFATHER, 10), make.event(GODFATHER2, "watched"), user_id=1)
    b = make.user(make.rating(ALIEN, 10), make.event(MATRIX, "dislike"), user_id=2)
    results = recommender.group([a, b], limit=50, now=make.now)
    assert results
    assert not {GODFATHER, GODFATHER2, ALIEN, MATRIX} & set(ids(results))
    assert all(r.reasons for r in results)


def test_group_blends_tastes(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    scifi = [make.rating(t, 10) for t in (ALIEN, ALIENS, MATRIX, "tt0083658")]
    comedy = [make.rating(t, 10) for t in (OFFICE, "tt0087332", "tt0211915", "tt0118799")]
    a, b = make.user(*scifi, user_id=1), make.user(*comedy, user_id=2)
    together = recommender.group([a, b], limit=5, now=make.now)
    alone = recommender.feed(a, limit=5, now=make.now)
    both = lambda rs: sum({"Sci-Fi", "Comedy"} <= set(r.genres) for r in rs)  # noqa: E731
    assert both(together) > both(alone)


def test_taste_profile(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(
        make.rating(GODFATHER, 10),
        make.rating(GODFATHER2, 9),
        make.event(ALIEN, "dislike"),
        liked_genres=["Crime"],
    )
    profile = recommender.taste(u, make.now)
    assert profile.genres[0].name == "Crime"
    assert profile.anchors[0].tconst == GODFATHER
    assert [d.tconst for d in profile.disliked] == [ALIEN]
    assert "Francis Ford Coppola" in [p.name for p in profile.people]
    assert profile.has_vector


def test_muted_title_stops_shaping_the_taste(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(make.rating(GODFATHER, 10), make.rating(ALIEN, 10), muted_titles=[GODFATHER])
    assert GODFATHER not in [a.tconst for a in recommender.taste(u, make.now).anchors]
    assert GODFATHER not in ids(recommender.feed(u, limit=100, now=make.now))
    _ = timedelta
