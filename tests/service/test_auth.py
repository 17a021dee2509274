"""Accounts: register, token, bad credentials, rate limit, the secret file, isolation between users."""

from __future__ import annotations

import stat

import pytest
from fastapi.testclient import TestClient


def test_register_and_token(client: TestClient) -> None:
    r = client.post("/api/v1/auth/register", json={"username": "ana", "password": "correct horse"})
    assert r.status_code == 201
    assert r.json() == {"id": r.json()["id"], "username": "ana"}
    r = client.post("/api/v1/auth/token", data={"username": "ana", "password": "correct horse"})
    assert r.status_code == 200
    token = r.json()
    assert token["token_type"] == "bearer"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "ana"
    assert me.json()["role"] == "user"


def test_duplicate_username_is_409(client: TestClient) -> None:
    body = {"username": "ana", "password": "correct horse"}
    assert client.post("/api/v1/auth/register", json=body).status_code == 201
    r = client.post("/api/v1/auth/register", json=body)
    assert r.status_code == 409
    assert "taken" in r.json()["detail"]


def test_register_validation_names_the_field(client: TestClient) -> None:
    r = client.post("/api/v1/auth/register", json={"username": "ana", "password": "short"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "password"]


@pytest.mark.parametrize("username", ["a b", "ana/..", "<script>", "ana\n"])
def test_username_characters_are_checked(client: TestClient, username: str) -> None:
    r = client.post("/api/v1/auth/register", json={"username": username, "password": "long enough"})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "username"]


def test_wrong_password_and_unknown_user_are_401(client: TestClient) -> None:
    client.post("/api/v1/auth/register", json={"username": "ana", "password": "correct horse"})
    for username, password in (("ana", "wrong password"), ("nobody", "correct horse")):
        r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
        assert r.status_code == 401


def test_password_is_hashed_with_argon2(client: TestClient) -> None:
    from sqlmodel import Session, select

    from wtw.service.models import User

    client.post("/api/v1/auth/register", json={"username": "ana", "password": "correct horse"})
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        user = session.exec(select(User)).one()
    assert user.password_hash.startswith("$argon2")
    assert "correct horse" not in user.password_hash


def test_login_is_rate_limited(client: TestClient) -> None:
    client.post("/api/v1/auth/register", json={"username": "ana", "password": "correct horse"})
    limit = client.app.state.settings.service.login_attempts_per_minute  # type: ignore[attr-defined]
    for _ in range(limit):
        assert (
            client.post("/api/v1/auth/token", data={"username": "ana", "password": "nope nope"}).status_code
            == 401
        )
    r = client.post("/api/v1/auth/token", data={"username": "ana", "password": "correct horse"})
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0


def test_registration_is_rate_limited_per_address(client: TestClient) -> None:
    from wtw.service.security import AttemptLimiter

    assert client.app.state.register_limiter.limit == 300  # type: ignore[attr-defined]  # the setting's default
    limit = 5
    client.app.state.register_limiter = AttemptLimiter(limit)  # type: ignore[attr-defined]
    for i in range(limit - 1):
        r = client.post("/api/v1/auth/register", json={"username": f"user{i}", "password": "correct horse"})
        assert r.status_code == 201
    # malformed attempts count as well: the throttle runs before the body is read
    assert client.post("/api/v1/auth/register", json={"username": "x"}).status_code == 422
    r = client.post("/api/v1/auth/register", json={"username": "onemore", "password": "correct horse"})
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0
    assert "too many" in r.json()["detail"]
    # logins from the same address are not affected
    r = client.post("/api/v1/auth/token", data={"username": "user0", "password": "correct horse"})
    assert r.status_code == 200


def test_me_routes_need_a_valid_token(client: TestClient) -> None:
    for path in ("/api/v1/me", "/api/v1/me/ratings", "/api/v1/me/feed", "/api/v1/me/preferences"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers={"Authorization": "Bearer not-a-token"}).status_code == 401


def test_generated_secret_is_private(client: TestClient) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    path = settings.data_dir / "jwt_secret"
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_users_are_isolated(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    a, b = login("alice"), login("bob")
    assert client.put("/api/v1/me/ratings/tt0133093", json={"rating": 9}, headers=a).status_code == 200
    client.post("/api/v1/me/feedback", json={"tconst": "tt0078748", "kind": "watchlist"}, headers=a)
    client.put("/api/v1/me/preferences", json={"liked_genres": ["Drama"]}, headers=a)

    assert client.get("/api/v1/me/ratings", headers=b).json()["items"] == []
    assert client.get("/api/v1/me/feedback", headers=b).json()["items"] == []
    assert client.get("/api/v1/me/preferences", headers=b).json()["liked_genres"] == []
    # B cannot delete A's rating or feedback: the routes only ever address the caller's rows.
    assert client.delete("/api/v1/me/ratings/tt0133093", headers=b).status_code == 404
    assert client.delete("/api/v1/me/feedback/tt0078748?kind=watchlist", headers=b).status_code == 404
    assert [r["tconst"] for r in client.get("/api/v1/me/ratings", headers=a).json()["items"]] == ["tt0133093"]
    assert len(client.get("/api/v1/me/feedback", headers=a).json()["items"]) == 1
    # B's feed still shows what A rated.
    feed_b = {i["tconst"] for i in client.get("/api/v1/me/feed?limit=100", headers=b).json()["items"]}
    assert "tt0133093" in feed_b


def test_admin_routes_need_the_admin_role(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import Session

    from wtw.service import crud
    from wtw.service.models import Role

    user = login("alice")
    assert client.post("/api/v1/admin/reload", headers=user).status_code == 403
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        crud.set_role(session=session, username="alice", role=Role.admin)
    r = client.get("/api/v1/admin/status", headers=user)
    assert r.status_code == 200
    assert r.json()["version"] == "20260101T000000Z-test01"
