"""Domain errors. Domain code raises these; the CLI and the API turn them into exit codes and HTTP answers."""

from __future__ import annotations


class WtwError(Exception):
    """Base of every error a user can act on (no traceback shown)."""

    exit_code = 1


class ConfigError(WtwError):
    """A setting is missing or invalid."""

    exit_code = 2


class InputError(WtwError):
    """A file or argument the user gave cannot be used."""

    exit_code = 3


class NotFoundError(WtwError):
    """A title, user or artifact does not exist."""

    exit_code = 4


class ArtifactError(WtwError):
    """An artifact is missing, corrupt or incompatible (model or dimension mismatch)."""

    exit_code = 5


class ConflictError(WtwError):
    """The action conflicts with existing state (duplicate user, job already running)."""

    exit_code = 6


class UnavailableError(WtwError):
    """A dependency (database, index) is temporarily unavailable."""

    exit_code = 7
