"""Every failure is a JSON error body; malformed input is a 4xx, never a 500."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi import APIRouter

from windowdesk.hub.api.errors import ErrorReportingRoute
from windowdesk.hub.app import create_app
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, Hub, TestClient, Workstation

MALFORMED_BODIES = {
    "not json": b"{events: [",
    "truncated": b'{"events": [{"event_id": "01a2',
    "empty": b"",
    "a list": b"[]",
    "events not a list": b'{"events": {"a": 1}}',
    "payload not an object": (
        b'{"events": [{"event_id": "01a21284-4c7b-75d7-8e90-5333e5701e4f", "seq": 1, "entity": "case",'
        b' "entity_id": "x", "kind": "case.status", "payload": [1], "created_at": "2026-11-25T10:00:00Z"}]}'
    ),
    "bad time": (
        b'{"events": [{"event_id": "01a21284-4c7b-75d7-8e90-5333e5701e4f", "seq": 1, "entity": "case",'
        b' "entity_id": "x", "kind": "case.status", "payload": {}, "created_at": "noon"}]}'
    ),
    "not utf-8": b'{"events": ["\xff\xfe"]}',
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
}


def _assert_error_body(reply, status: int | None = None) -> dict:
    body = reply.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "title", "message"}
    assert all(isinstance(value, str) and value for value in body["error"].values())
    if status is not None:
        assert reply.status_code == status, body
    return body["error"]


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll()


@pytest.mark.parametrize("label", MALFORMED_BODIES)
def test_malformed_push_bodies_get_a_4xx_error_body(hub: Hub, window: Workstation, label: str) -> None:
    reply = hub.client.post(
        f"{API_PREFIX}/push",
        content=MALFORMED_BODIES[label],
        headers={**window.headers, "Content-Type": "application/json"},
    )
    assert 400 <= reply.status_code < 500, (label, reply.status_code, reply.text[:200])
    error = _assert_error_body(reply)
    assert "Traceback" not in error["message"]


def test_malformed_enrollment_and_query_parameters_get_4xx(hub: Hub, window: Workstation) -> None:
    assert (
        hub.client.post(
            f"{API_PREFIX}/enroll", content=b"{", headers={**VERSION_HEADERS, "Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert hub.client.post(f"{API_PREFIX}/enroll", json={"code": 12}, headers=VERSION_HEADERS).status_code == 422
    _assert_error_body(hub.client.get(f"{API_PREFIX}/changes", params={"after": "x"}, headers=window.headers), 422)
    _assert_error_body(hub.client.get(f"{API_PREFIX}/changes", params={"after": -1}, headers=window.headers), 422)
    _assert_error_body(hub.client.get(f"{API_PREFIX}/nowhere", headers=window.headers), 404)
    _assert_error_body(hub.client.delete(f"{API_PREFIX}/push", headers=window.headers), 405)


def test_the_openapi_description_is_served(hub: Hub) -> None:
    reply = hub.client.get("/openapi.json")  # no version headers needed
    assert reply.status_code == 200
    spec = reply.json()
    paths = spec["paths"]
    for path in ("/health", "/enroll", "/whoami", "/push", "/changes", "/cases/{case_id}/decisions"):
        assert f"{API_PREFIX}{path}" in paths
    schemas = spec["components"]["schemas"]
    for name in (
        "PushRequest",
        "PushReply",
        "ChangesReply",
        "EnrollRequest",
        "EnrollReply",
        "DecisionRequest",
        "ErrorBody",
    ):
        assert name in schemas
    push = paths[f"{API_PREFIX}/push"]["post"]
    assert {"426", "401", "422", "503"} <= set(push["responses"])
    assert "X-Windowdesk-Protocol" in {p["name"] for p in push["parameters"]}
    # A busy hub's turn (push_gate) is part of the error it documents.
    assert "hub_busy" in schemas["ErrorDetail"]["properties"]["retry_after"]["description"]


def test_an_unexpected_failure_is_a_500_error_body_and_a_logged_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = HubSettings.resolve(data_dir=tmp_path)
    app = create_app(settings)
    broken = APIRouter(route_class=ErrorReportingRoute)

    @broken.get("/broken")
    def fail() -> None:
        raise RuntimeError("resident 230902196210010496 broke it")

    app.include_router(broken)
    with TestClient(app) as client, caplog.at_level(logging.ERROR, logger="windowdesk.hub"):
        reply = client.get("/broken")
    error = _assert_error_body(reply, 500)
    assert error["code"] == "internal_error"
    assert "230902196210010496" not in reply.text
    [logged] = [record.getMessage() for record in caplog.records if "unexpected error" in record.getMessage()]
    assert "RuntimeError: resident 230902********0496 broke it" in logged and "Traceback" in logged


def test_a_database_the_hub_cannot_open_is_a_503(tmp_path: Path) -> None:
    not_a_file = tmp_path / "hub.sqlite3"
    not_a_file.mkdir()  # a folder where the database file should be
    url = f"sqlite:///{not_a_file}"
    settings = HubSettings.resolve(data_dir=tmp_path, database_url=url)
    db = HubDatabase(url)
    try:
        with TestClient(create_app(settings, database=db)) as client:
            reply = client.get(f"{API_PREFIX}/whoami", headers={**VERSION_HEADERS, "Authorization": "Bearer x"})
    finally:
        db.dispose()
    error = _assert_error_body(reply, 503)
    assert error["code"] == "database_unavailable"
    assert reply.headers["Retry-After"]


def test_the_openapi_description_carries_the_package_version(hub: Hub) -> None:
    from windowdesk import __version__

    assert hub.client.get("/openapi.json").json()["info"]["version"] == __version__
