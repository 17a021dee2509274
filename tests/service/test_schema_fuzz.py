"""Schemathesis over the OpenAPI schema: generated requests to every operation never get a 5xx.

Runs against the app in-process (ASGI) on SQLite with the small test catalog, as an authenticated caller
so that the /me routes get past the token check and exercise their validation and storage. (The lazy
`schemathesis.pytest.from_fixture` loader does not run under pytest 9, so each operation is a subtest.)
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def database_url(tmp_path: Any) -> str:
    """SQLite only: the fuzzer looks for 5xx in the routes; the DB tests cover PostgreSQL."""
    return f"sqlite:///{tmp_path / 'fuzz.db'}"


def test_no_server_errors(client: TestClient, login: Any, subtests: pytest.Subtests) -> None:
    auth = login("fuzzer")
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: Any) -> None:
            case.call_and_validate(headers=auth, checks=[not_a_server_error])

        with subtests.test(msg=operation.label):
            fuzz()
