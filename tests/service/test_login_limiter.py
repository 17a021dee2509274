"""The login rate limiter: the sliding window, and memory bounded whatever usernames clients invent."""

from __future__ import annotations

import pytest

from wtw.service import security
from wtw.service.security import AttemptLimiter, LoginLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(security.time, "monotonic", clock)
    return clock


def test_window(clock: Clock) -> None:
    limiter = LoginLimiter(3, window=60)
    for _ in range(3):
        assert limiter.retry_after("user:ana", "ip:1") == 0
        limiter.failed("user:ana", "ip:1")
        clock.now += 10
    assert limiter.retry_after("user:ana") == pytest.approx(30)
    assert limiter.retry_after("ip:1", "user:bob") == pytest.approx(30)
    clock.now += 31
    assert limiter.retry_after("user:ana", "ip:1") == 0
    limiter.failed("user:ana")
    assert limiter.retry_after("user:ana") == pytest.approx(9)
    limiter.succeeded("user:ana")
    assert limiter.retry_after("user:ana") == 0


def test_lookups_store_nothing(clock: Clock) -> None:
    limiter = LoginLimiter(3)
    for i in range(1000):
        limiter.retry_after(f"user:u{i}", f"ip:{i}")
    assert len(limiter) == 0


def test_expired_keys_are_dropped(clock: Clock) -> None:
    limiter = LoginLimiter(3, window=60)
    for i in range(500):
        limiter.failed(f"user:u{i}")
    assert len(limiter) == 500
    clock.now += 61
    limiter.failed("user:fresh")
    assert len(limiter) == 1


def test_size_is_capped_least_recent_first(clock: Clock) -> None:
    limiter = LoginLimiter(1, window=60, max_keys=100)
    limiter.failed("user:first")
    for i in range(1000):
        clock.now += 0.01
        limiter.failed(f"user:u{i}")
    limiter.failed("user:first")  # moves to the end again
    assert len(limiter) == 100
    assert limiter.retry_after("user:first") > 0
    assert limiter.retry_after("user:u0") == 0
    assert limiter.retry_after("user:u999") > 0


def test_failures_per_key_are_bounded(clock: Clock) -> None:
    limiter = LoginLimiter(5, window=60)
    for _ in range(10_000):
        limiter.failed("ip:1")
    assert limiter.retry_after("ip:1") == pytest.approx(60)
    assert len(limiter._failures["ip:1"]) == 5


def test_long_keys_are_digested(clock: Clock) -> None:
    limiter = LoginLimiter(1)
    huge = "user:" + "x" * 100_000
    limiter.failed(huge)
    assert limiter.retry_after(huge) > 0
    assert limiter.retry_after("user:" + "x" * 99_999) == 0
    assert all(len(key) <= 128 for key in limiter._failures)


def test_attempts_count_whether_they_succeed_or_not(clock: Clock) -> None:
    limiter = AttemptLimiter(3, window=3600)
    for _ in range(3):
        assert limiter.attempt("ip:1") == 0
        clock.now += 100
    assert limiter.attempt("ip:1") == pytest.approx(3300)  # refused, and not counted
    assert limiter.attempt("ip:2") == 0
    clock.now += 3301
    assert limiter.attempt("ip:1") == 0
    assert limiter.attempt("ip:1") == pytest.approx(99)


def test_a_zero_limit_allows_every_attempt() -> None:
    limiter = AttemptLimiter(0)
    assert all(limiter.attempt("ip:1") == 0 for _ in range(100))


def test_attempt_keys_are_bounded(clock: Clock) -> None:
    limiter = AttemptLimiter(1, window=60, max_keys=50)
    for i in range(1000):
        limiter.attempt(f"ip:{i}")
    assert len(limiter) == 50
