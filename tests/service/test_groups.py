"""Group ("tonight") mode consent: members are named only by the share codes they gave out."""

from __future__ import annotations

from fastapi.testclient import TestClient

TONIGHT = "/api/v1/groups/tonight"


def _shown(client: TestClient, h: dict[str, str], **params) -> set[str]:  # type: ignore[no-untyped-def]
    r = client.get(TONIGHT, params={"limit": 50, **params}, headers=h)
    assert r.status_code == 200, r.text
    return {i["tconst"] for i in r.json()["items"]}


def _user_id(client: TestClient, h: dict[str, str]) -> int:
    return client.get("/api/v1/me", headers=h).json()["id"]


def test_raw_user_ids_are_refused_even_for_users_with_a_code(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    a, b = login("alice"), login("bob")
    client.post("/api/v1/me/share-code", headers=b)
    for ids in (_user_id(client, b), _user_id(client, a), 9999):
        r = client.get(TONIGHT, params={"user_ids": ids}, headers=a)
        assert r.status_code == 422
        assert "share code" in r.json()["detail"]
        assert str(ids) not in r.json()["detail"]


def test_unknown_revoked_and_rotated_codes_read_the_same(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    a, b = login("alice"), login("bob")
    old = client.post("/api/v1/me/share-code", headers=b).json()["code"]
    new = client.post("/api/v1/me/share-code", headers=b).json()["code"]  # rotation
    assert old != new
    assert _shown(client, a, codes=new)

    def detail(code: str) -> str:
        r = client.get(TONIGHT, params={"codes": code}, headers=a)
        assert r.status_code == 404
        return r.json()["detail"].replace(code, "<code>")

    never = detail("never-issued")
    assert detail(old) == never  # a rotated code is as unknown as one never issued
    client.delete("/api/v1/me/share-code", headers=b)
    assert detail(new) == never  # and so is a revoked one
    assert "bob" not in never and str(_user_id(client, b)) not in never


def test_a_404_names_only_the_codes_that_failed(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    a, b = login("alice"), login("bob")
    code = client.post("/api/v1/me/share-code", headers=b).json()["code"]
    r = client.get(TONIGHT, params={"codes": [code, "typo-1"]}, headers=a)
    assert r.status_code == 404
    assert r.json()["detail"] == "unknown share code(s): typo-1"


def test_only_members_who_gave_a_code_shape_the_feed(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    a, b, c = login("alice"), login("bob"), login("carol")
    client.post("/api/v1/me/feedback", json={"tconst": "tt0110912", "kind": "watched"}, headers=b)
    client.post("/api/v1/me/feedback", json={"tconst": "tt0133093", "kind": "watched"}, headers=c)
    client.post("/api/v1/me/share-code", headers=c)  # carol has a code but did not give it to alice
    code_b = client.post("/api/v1/me/share-code", headers=b).json()["code"]

    alone = _shown(client, a)
    assert {"tt0110912", "tt0133093"} <= alone
    with_bob = _shown(client, a, codes=code_b)
    assert "tt0110912" not in with_bob  # bob's consent lets his history count...
    assert "tt0133093" in with_bob  # ...carol's does not, code or not


def test_own_code_blank_and_repeated_codes(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    a, b = login("alice"), login("bob")
    own = client.post("/api/v1/me/share-code", headers=a).json()["code"]
    code_b = client.post("/api/v1/me/share-code", headers=b).json()["code"]
    assert _shown(client, a, codes=own) == _shown(client, a)
    assert _shown(client, a, codes=[code_b, f" {code_b} ", ""]) == _shown(client, a, codes=code_b)
    too_many = client.get(TONIGHT, params={"codes": [f"c{i}" for i in range(13)]}, headers=a)
    assert too_many.status_code == 422


def test_group_mode_needs_a_login(client: TestClient) -> None:
    assert client.get(TONIGHT, params={"codes": "x"}).status_code == 401
