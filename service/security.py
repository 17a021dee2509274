"""Passwords (argon2), bearer tokens (JWT, HS256) and the login and registration rate limiters."""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import time
from collections import OrderedDict, deque
from datetime import timedelta
from pathlib import Path

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from wtw.config import Settings
from wtw.service.models import utcnow

ALGORITHM = "HS256"
SECRET_FILE = "jwt_secret"

_hasher = PasswordHasher()
# A real hash to verify against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches; always spends the same work, even for unknown users."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def signing_key(settings: Settings) -> str:
    """The configured secret, or one generated once and kept under data_dir with 0600 permissions."""
    if settings.service.secret_key is not None:
        return settings.service.secret_key.get_secret_value()
    path = Path(settings.data_dir) / SECRET_FILE
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker won the race
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def create_token(*, user_id: int, key: str, minutes: int) -> str:
    now = utcnow()
    payload = {"sub": str(user_id), "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(payload, key, algorithm=ALGORITHM)


def decode_token(token: str, key: str) -> int | None:
    """The user id in a valid, unexpired token; None otherwise."""
    try:
        payload = jwt.decode(token, key, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]})
        return int(payload["sub"])
    except (jwt.PyJWTError, ValueError, TypeError):
        return None


class LoginLimiter:
    """Sliding window of failed logins per username and per client address.

    Memory stays bounded whatever clients send: a key is kept only while it has a failure inside the window,
    with its last ``per_minute`` failures (all the window needs), and at most ``max_keys`` keys (the least
    recently failed go first). Keys longer than `MAX_KEY_CHARS` are stored as a digest.
    """

    MAX_KEY_CHARS = 128

    def __init__(self, per_minute: int, window: float = 60.0, max_keys: int = 100_000) -> None:
        self.per_minute = per_minute
        self.window = window
        self.max_keys = max_keys
        # Ordered by latest failure (a failing key moves to the end), so expired keys sit at the front.
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _key(self, key: str) -> str:
        if len(key) <= self.MAX_KEY_CHARS:
            return key
        return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()

    def _prune(self, now: float) -> None:
        while self._failures:
            key, events = next(iter(self._failures.items()))
            if len(self._failures) <= self.max_keys and events[-1] > now - self.window:
                break
            del self._failures[key]

    def _wait(self, key: str, now: float) -> float:
        events = self._failures.get(self._key(key))
        if events and len(events) >= self.per_minute:
            return events[0] + self.window - now
        return 0.0

    def _record(self, key: str, now: float) -> None:
        key = self._key(key)
        events = self._failures.pop(key, None) or deque(maxlen=max(self.per_minute, 1))
        events.append(now)
        self._failures[key] = events

    def retry_after(self, *keys: str) -> float:
        """Seconds until another attempt is allowed (0 when allowed now)."""
        now = time.monotonic()
        with self._lock:
            self._prune(now)
            return max([0.0, *(self._wait(key, now) for key in keys)])

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._record(key, now)
            self._prune(now)

    def succeeded(self, username_key: str) -> None:
        with self._lock:
            self._failures.pop(self._key(username_key), None)

    def __len__(self) -> int:
        return len(self._failures)


REGISTER_WINDOW_SECONDS = 3600.0


class AttemptLimiter(LoginLimiter):
    """The login limiter's bounded sliding window, counting every attempt rather than failures only
    (registrations per client address): at most ``limit`` attempts per key in any ``window`` seconds."""

    def __init__(self, limit: int, window: float = REGISTER_WINDOW_SECONDS, max_keys: int = 100_000) -> None:
        super().__init__(limit, window=window, max_keys=max_keys)

    @property
    def limit(self) -> int:
        return self.per_minute  # the base class's name: attempts per window, whatever the window

    def attempt(self, key: str) -> float:
        """Count an attempt unless ``key`` is at its limit; the seconds to wait (0: allowed and counted).

        A limit of 0 allows everything.
        """
        if self.limit == 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            self._prune(now)
            wait = self._wait(key, now)
            if wait > 0:
                return wait
            self._record(key, now)
            self._prune(now)
            return 0.0
