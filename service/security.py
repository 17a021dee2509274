"""Passwords (argon2), bearer tokens (JWT, HS256) and the login rate limiter."""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections import defaultdict, deque
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
    """Sliding one-minute window of failed logins per username and per client address."""

    def __init__(self, per_minute: int, window: float = 60.0) -> None:
        self.per_minute = per_minute
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._failures[key]
        while events and events[0] <= now - self.window:
            events.popleft()
        return events

    def retry_after(self, *keys: str) -> float:
        """Seconds until another attempt is allowed (0 when allowed now)."""
        now = time.monotonic()
        with self._lock:
            waits = [
                events[0] + self.window - now
                for key in keys
                if len(events := self._recent(key, now)) >= self.per_minute
            ]
        return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, username_key: str) -> None:
        with self._lock:
            self._failures.pop(username_key, None)
