"""Who may tie this window to a hub, and to which hub (issue 21, finding 1), against
real hub processes: only an administrator, with their own password typed at the window,
audited; a window enrolled with one hub refuses another unless an administrator confirms
the old one is gone; the hub's identity is pinned and checked on every sync; plain
http:// only to this computer unless an administrator allowed it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.sync.hub_process import SUPERVISOR_PASSWORD, Station, create_station, make_offline_work, serving_hub
from windowdesk.services import sync as sync_service
from windowdesk.services.approval import ApprovalRefused, SupervisorCredentials
from windowdesk.services.authorization import PermissionDenied
from windowdesk.services.hub_enrollment import AnotherHub, enroll_workstation, enrollment_client
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.sync.client import ERROR_HUB_IDENTITY, HubRefused
from windowdesk.sync.credentials import TokenStore

pytestmark = pytest.mark.usefixtures("temp_keyring")


@pytest.fixture
def station(tmp_path: Path) -> Station:
    station = create_station(tmp_path / "ws", "CH", "01")
    yield station
    station.close()


def _enroll_as(station: Station, ctx, credentials: SupervisorCredentials, hub_url: str, code: str, **options):
    client = enrollment_client(hub_url)
    try:
        return enroll_workstation(
            station.db,
            ctx,
            administrator=credentials,
            hub_url=hub_url,
            code=code,
            client=client,
            token_store_for=TokenStore,
            **options,
        )
    finally:
        client.close()


@dataclass(frozen=True)
class _Entry:
    operator_id: str
    entity_id: str
    detail: dict


def _audit(station: Station, action: str) -> list[_Entry]:
    with station.db.read() as session:
        return [
            _Entry(e.operator_id, e.entity_id, dict(e.detail))
            for e in session.scalars(
                select(m.AuditEntry).where(m.AuditEntry.action == action).order_by(m.AuditEntry.seq)
            )
        ]


def test_a_supervisor_cannot_enroll_even_with_their_own_password_and_nothing_is_stored(station, tmp_path) -> None:
    with serving_hub(tmp_path / "hub") as hub:
        supervisor = SupervisorCredentials("sup-ch-01", SUPERVISOR_PASSWORD)
        with pytest.raises(PermissionDenied):
            _enroll_as(station, station.ctx, supervisor, hub.url, hub.enrollment_code("CH", "01"))
        # An administrator logged in, but the password typed is a supervisor's: refused too.
        admin_ctx, _admin = station.administrator()
        with pytest.raises(ApprovalRefused):
            _enroll_as(station, admin_ctx, supervisor, hub.url, hub.enrollment_code("CH", "01"))
        with pytest.raises(ApprovalRefused):
            _enroll_as(
                station,
                admin_ctx,
                SupervisorCredentials(_admin.login, "Wrong-Guess-2026"),
                hub.url,
                hub.enrollment_code("CH", "01"),
            )
        assert sync_service.hub_address(station.db) is None
        assert sync_service.workstation_account(station.db) is None
        assert _audit(station, "workstation.enroll") == []
        assert len(_audit(station, "approval.failed")) == 1  # the wrong password counts


def test_an_administrator_enrolls_with_their_password_and_it_is_audited(station, tmp_path) -> None:
    with serving_hub(tmp_path / "hub") as hub:
        admin_ctx, admin = station.administrator()
        answer = _enroll_as(station, admin_ctx, admin, hub.url, hub.enrollment_code("CH", "01"))
        [entry] = _audit(station, "workstation.enroll")
        assert entry.operator_id == admin_ctx.operator_id and entry.entity_id == answer["workstation_id"]
        assert entry.detail["approved_by"] == admin.login and entry.detail["hub_url"] == hub.url
        assert entry.detail["hub_id"] == answer["hub_id"] == hub.scalar("SELECT hub_id FROM hub_key")
        with station.db.read() as session:
            assert queries.local_setting(session, sync_service.KEY_HUB_ID) == answer["hub_id"]


def test_another_hub_is_refused_until_an_administrator_confirms_the_old_one_is_gone(station, tmp_path) -> None:
    with serving_hub(tmp_path / "first") as first, serving_hub(tmp_path / "second") as second:
        admin_ctx, admin = station.administrator()
        _enroll_as(station, admin_ctx, admin, first.url, first.enrollment_code("CH", "01"))
        account = sync_service.workstation_account(station.db)

        with pytest.raises(AnotherHub):
            _enroll_as(station, admin_ctx, admin, second.url, second.enrollment_code("CH", "01"))
        assert sync_service.hub_address(station.db) == first.url
        assert sync_service.workstation_account(station.db) == account

        _enroll_as(station, admin_ctx, admin, second.url, second.enrollment_code("CH", "01"), old_hub_gone=True)
        assert sync_service.hub_address(station.db) == second.url
        replaced = _audit(station, "workstation.enroll")[-1]
        assert replaced.detail["replaced_hub"] == first.url and replaced.detail["approved_by"] == admin.login


def test_a_different_hub_at_the_pinned_address_stops_sync_and_changes_nothing(station, tmp_path) -> None:
    with serving_hub(tmp_path / "ours") as ours, serving_hub(tmp_path / "stranger") as stranger:
        station.enroll(ours.url, ours.enrollment_code("CH", "01"))
        with _closing(station.hub_client()) as client:
            assert station.runner(client).run().ok
        make_offline_work(station, 3, seed=21)  # waiting to be sent
        # The hub's address now leads to another hub (a changed DNS name, a swapped server).
        token = station.token()
        with station.db.write() as session:
            queries.set_local_setting(session, sync_service.KEY_HUB_URL, stranger.url)
            cursor = queries.local_setting(session, sync_service.KEY_CURSOR)
        stranger.cli("create-operator", "li", "--name", "李四", "--center", "CH", "--password", "Harbor-Lamp-6615")
        outbox = station.outbox()
        assert outbox
        with _closing(sync_service.hub_client_for(station.db, token)) as client:
            report = station.runner(client).run()
        assert isinstance(report.error, HubRefused) and report.error.code == ERROR_HUB_IDENTITY
        assert "not the hub this window was enrolled with" in report.error.title
        assert station.outbox() == outbox
        with station.db.read() as session:
            assert queries.local_setting(session, sync_service.KEY_CURSOR) == cursor
            assert queries.operator_by_login(session, "li") is None
            assert all(row.attempts == 0 for row in session.scalars(select(m.OutboxEvent)))
        assert stranger.scalar("SELECT count(*) FROM pushed_events") == 0


def test_plain_http_reaches_only_this_computer_unless_an_administrator_allows_it(station) -> None:
    admin_ctx, admin = station.administrator()
    with pytest.raises(Exception) as refused:
        _enroll_as(station, admin_ctx, admin, "http://192.0.2.10:8765", "CODE-1234")
    assert refused.value.title == "Plain HTTP is not allowed"
    assert _audit(station, "workstation.enroll") == []
    # Allowed by the administrator: the address is tried (nothing answers there).
    with pytest.raises(Exception) as tried:
        _enroll_as(
            station,
            admin_ctx,
            admin,
            "http://192.0.2.10:8765",
            "CODE-1234",
            allow_plain_http=True,
        )
    assert tried.value.title == "The hub cannot be reached"


def test_sync_refuses_a_plain_http_hub_that_is_not_on_this_computer(station) -> None:
    with station.db.write() as session:
        queries.set_local_setting(session, sync_service.KEY_HUB_URL, "http://192.0.2.10:8765")
        queries.set_local_setting(session, sync_service.KEY_WORKSTATION, "ws-1")
    client = sync_service.hub_client_for(station.db, "token")
    try:
        report = sync_service.SyncRunner(station.db, client).run()
    finally:
        client.close()
    assert report.error is not None and report.error.title == "Plain HTTP is not allowed"


def _closing(client):
    import contextlib

    return contextlib.closing(client)
