"""Enrollment codes, workstation tokens, revocation and the version check."""

from __future__ import annotations

import datetime as dt

from windowdesk.hub.services import enrollment
from windowdesk.sync.protocol import API_PREFIX, HEADER_CLIENT, HEADER_PROTOCOL, SUPPORTED_PROTOCOLS

from .conftest import VERSION_HEADERS, Hub, utc_now


def _enroll(hub: Hub, code: str, headers: dict[str, str] = VERSION_HEADERS):
    return hub.client.post(f"{API_PREFIX}/enroll", json={"code": code, "client_version": "0.1.0"}, headers=headers)


def test_a_code_enrolls_one_workstation_once(hub: Hub, demo_catalog: None) -> None:
    code = hub.enrollment_code("JD03", "02")

    first = _enroll(hub, code.lower().replace("-", " "))  # as typed: case and spacing do not matter
    second = _enroll(hub, code)

    assert first.status_code == 200
    body = first.json()
    assert (body["center_code"], body["window_code"]) == ("JD03", "02")
    assert body["token"].startswith("wdw_")
    whoami = hub.client.get(
        f"{API_PREFIX}/whoami", headers={**VERSION_HEADERS, "Authorization": f"Bearer {body['token']}"}
    )
    assert whoami.json() == {"workstation_id": body["workstation_id"], "center_code": "JD03", "window_code": "02"}
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "enrollment_code_used"
    assert "already used" in second.json()["error"]["message"]


def _whoami(hub: Hub, token: str):
    return hub.client.get(f"{API_PREFIX}/whoami", headers={**VERSION_HEADERS, "Authorization": f"Bearer {token}"})


def test_the_installation_whose_answer_was_lost_is_answered_again(hub: Hub, demo_catalog: None) -> None:
    """The hub enrolled the workstation but its answer never arrived: the same
    installation asking again with the same code gets the same workstation with a new
    token (the lost one stops working); another installation is refused as before."""
    code = hub.enrollment_code("JD03", "02")
    installation = "inst-5f0e1c2a9b7d4e3f"

    def ask(installation_id: str):
        return hub.client.post(
            f"{API_PREFIX}/enroll",
            headers=VERSION_HEADERS,
            json={"code": code, "client_version": "0.1.0", "installation_id": installation_id},
        )

    lost = ask(installation).json()  # committed at the hub, never seen by the window
    again = ask(installation)
    thief = ask("inst-000000000000000000")

    assert again.status_code == 200
    body = again.json()
    assert (body["workstation_id"], body["center_code"], body["window_code"]) == (lost["workstation_id"], "JD03", "02")
    assert body["token"] != lost["token"]
    assert _whoami(hub, body["token"]).status_code == 200
    assert _whoami(hub, lost["token"]).status_code == 401
    assert thief.status_code == 409 and thief.json()["error"]["code"] == "enrollment_code_used"
    with hub.db.read() as session:
        assert len(enrollment.list_workstations(session)) == 1  # no orphan nobody holds a token for


def test_asking_again_is_refused_late_or_after_a_revocation_or_without_an_installation(
    hub: Hub, demo_catalog: None
) -> None:
    installation = "inst-5f0e1c2a9b7d4e3f"
    code = hub.enrollment_code()
    now = utc_now()
    with hub.db.write() as session:
        first = enrollment.enroll(session, code=code, client_version="0.1.0", now=now, installation_id=installation)
    with hub.db.write() as session:  # within the hour: answered again
        enrollment.enroll(
            session, code=code, client_version="0.1.0", now=now + enrollment.RETRY_WINDOW, installation_id=installation
        )
    refusals = []
    for when, installation_id in ((now + enrollment.RETRY_WINDOW + dt.timedelta(seconds=1), installation), (now, None)):
        try:
            with hub.db.write() as session:
                enrollment.enroll(session, code=code, client_version="0.1.0", now=when, installation_id=installation_id)
        except Exception as refused:  # noqa: BLE001 - the hub's error, checked below
            refusals.append(getattr(refused, "code", None))
    with hub.db.write() as session:
        enrollment.revoke_workstation(session, workstation_id=first.workstation_id, now=now)
    try:
        with hub.db.write() as session:
            enrollment.enroll(session, code=code, client_version="0.1.0", now=now, installation_id=installation)
    except Exception as refused:  # noqa: BLE001
        refusals.append(getattr(refused, "code", None))
    assert refusals == ["enrollment_code_used"] * 3


def test_expired_and_unknown_codes_are_refused(hub: Hub, demo_catalog: None) -> None:
    old = hub.enrollment_code(now=utc_now() - dt.timedelta(days=4))  # valid for 72 hours

    expired = _enroll(hub, old)
    unknown = _enroll(hub, "AAAA-BBBB-CCCC")

    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "enrollment_code_expired"
    assert "expired" in expired.json()["error"]["message"]
    assert unknown.status_code == 401
    assert unknown.json()["error"]["code"] == "enrollment_code_unknown"


def test_only_hashes_of_codes_and_tokens_are_stored(hub: Hub, demo_catalog: None) -> None:
    workstation = hub.enroll()
    with hub.db.read() as session:
        stored = enrollment.list_workstations(session)[0]
        assert stored.token_sha256 != workstation.token
        assert workstation.token not in stored.token_sha256


def test_a_revoked_workstation_is_refused(hub: Hub, demo_catalog: None) -> None:
    workstation = hub.enroll()
    assert hub.client.get(f"{API_PREFIX}/whoami", headers=workstation.headers).status_code == 200
    with hub.db.write() as session:
        enrollment.revoke_workstation(session, workstation_id=workstation.id, now=utc_now())

    for reply in (
        hub.client.get(f"{API_PREFIX}/whoami", headers=workstation.headers),
        hub.client.get(f"{API_PREFIX}/changes", headers=workstation.headers),
        hub.push(workstation, []),
    ):
        assert reply.status_code == 401
        assert reply.json()["error"]["code"] == "workstation_revoked"
        assert "revoked" in reply.json()["error"]["message"]


def test_missing_or_unknown_tokens_are_refused(hub: Hub, demo_catalog: None) -> None:
    staff = hub.staff_token("MZJ")
    for headers in (
        VERSION_HEADERS,
        {**VERSION_HEADERS, "Authorization": "Bearer wdw_not-a-real-token"},
        {**VERSION_HEADERS, "Authorization": f"Bearer {staff}"},  # a staff token is not a workstation
    ):
        reply = hub.client.get(f"{API_PREFIX}/whoami", headers=headers)
        assert reply.status_code == 401
        assert set(reply.json()["error"]) == {"code", "title", "message"}


def test_versions_the_hub_cannot_serve_get_426_with_words_for_the_window(hub: Hub, demo_catalog: None) -> None:
    workstation = hub.enroll()
    token = {"Authorization": f"Bearer {workstation.token}"}
    cases = {
        "no headers": {},
        "old protocol": {HEADER_PROTOCOL: "0", HEADER_CLIENT: "windowdesk/0.1.0"},
        "garbled protocol": {HEADER_PROTOCOL: "one", HEADER_CLIENT: "windowdesk/0.1.0"},
        "newer protocol": {HEADER_PROTOCOL: str(max(SUPPORTED_PROTOCOLS) + 1), HEADER_CLIENT: "windowdesk/0.1.0"},
        "no client": {HEADER_PROTOCOL: "1"},
        "old client": {HEADER_PROTOCOL: "1", HEADER_CLIENT: "windowdesk/0.0.9"},
        "other program": {HEADER_PROTOCOL: "1", HEADER_CLIENT: "curl/8.0"},
    }
    for label, headers in cases.items():
        reply = hub.client.get(f"{API_PREFIX}/whoami", headers={**headers, **token})
        assert reply.status_code == 426, label
        error = reply.json()["error"]
        assert error["code"] == "version_refused", label
        if label == "newer protocol":
            assert "update the hub" in error["message"]
        else:
            assert error["message"].startswith(
                "This windowdesk is too old for the hub; ask your administrator to update it"
            ), label
    # Enrollment is checked too; health is not (a client may probe before anything else).
    assert hub.client.post(f"{API_PREFIX}/enroll", json={"code": "X"}).status_code == 426
    assert hub.client.get(f"{API_PREFIX}/health").json()["protocols"] == [1, 2]


def test_the_minimum_client_version_is_a_setting(hub_url: str, tmp_path) -> None:
    from windowdesk.hub.app import create_app
    from windowdesk.hub.settings import HubSettings

    from .conftest import TestClient

    settings = HubSettings.resolve(data_dir=tmp_path, database_url=hub_url, min_client_version="0.3.0")
    with TestClient(create_app(settings)) as client:
        older = client.get(f"{API_PREFIX}/whoami", headers={HEADER_PROTOCOL: "1", HEADER_CLIENT: "windowdesk/0.2.9"})
        newer = client.get(f"{API_PREFIX}/whoami", headers={HEADER_PROTOCOL: "1", HEADER_CLIENT: "windowdesk/0.3.0"})
    assert older.status_code == 426
    assert "0.3.0 or newer" in older.json()["error"]["message"]
    assert newer.status_code == 401  # past the version check, stopped at the token
