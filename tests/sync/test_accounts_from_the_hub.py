"""Accounts from the hub are bound to that hub (issue 21, findings 1 and 3), against a
real hub process: a hub never overwrites an account made at the window, whatever login it
sends, and the first administrator it sends replaces the first-run administrator."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.sync.hub_process import SUPERVISOR_PASSWORD, Station, create_station, serving_hub
from windowdesk.services import auth, workstation
from windowdesk.services import sync as sync_service
from windowdesk.services.approval import SupervisorCredentials
from windowdesk.services.context import utc_now
from windowdesk.services.hub_enrollment import enroll_workstation, enrollment_client
from windowdesk.services.sync_apply import apply_change
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.sync.credentials import TokenStore
from windowdesk.sync.protocol import Change

pytestmark = pytest.mark.usefixtures("temp_keyring")

FIRST_ADMIN, FIRST_ADMIN_PASSWORD = "xinxike", "Maple-Court-8152"


def _sync(station: Station) -> None:
    with contextlib.closing(station.hub_client()) as client:
        report = station.runner(client).run()
    assert report.ok, report.error


def test_a_hub_sending_the_local_supervisor_s_login_does_not_reset_its_password(tmp_path: Path) -> None:
    with serving_hub(tmp_path / "hub") as hub:
        station = create_station(tmp_path / "ws", "CH", "01")
        try:
            station.enroll(hub.url, hub.enrollment_code("CH", "01"))
            local_login = "sup-ch-01"  # the supervisor made at this window
            hub.cli(
                "create-operator",
                local_login,
                "--name",
                "冒名者",
                "--center",
                "CH",
                "--role",
                "administrator",
                "--password",
                "Taken-Over-9381",
            )
            hub.cli("create-operator", "zhangsan", "--name", "张三", "--center", "CH", "--password", "Lotus-Path-5527")
            _sync(station)

            assert (
                auth.log_in(station.db, login=local_login, password=SUPERVISOR_PASSWORD).ctx.operator_role
                == "supervisor"
            )
            with pytest.raises(auth.LoginFailed):
                auth.log_in(station.db, login=local_login, password="Taken-Over-9381")
            hub_id = hub.scalar("SELECT hub_id FROM hub_key")
            with station.db.read() as session:
                local = queries.operator_by_login(session, local_login)
                pulled = queries.operator_by_login(session, "zhangsan")
                assert (local.origin, local.display_name, local.role) == ("local", "值班长CH01", "supervisor")
                assert pulled.origin == hub_id  # bound to the hub it came from
        finally:
            station.close()


def test_only_the_hub_an_account_came_from_updates_it(demo) -> None:
    """Another hub (after the old one was declared gone) cannot take over the old hub's
    accounts by their ids; the hub an account came from still can."""

    def upsert(seq: int, password_hash: str) -> Change:
        return Change(
            seq=seq,
            kind="operator.upsert",
            entity="operator",
            entity_id="op-1",
            payload={
                "id": "0190a0c0-0000-7000-8000-000000000001",
                "login": "wangwu",
                "display_name": "王五",
                "role": "operator",
                "center_code": "CH",
                "active": True,
                "password_hash": password_hash,
                "must_change_password": True,
            },
        )

    def apply(hub_id: str, change: Change) -> str | None:
        with demo.db.write() as session:
            queries.set_local_setting(session, sync_service.KEY_HUB_ID, hub_id)
            return apply_change(session, change, now=utc_now())

    assert apply("hub-a", upsert(1, "scrypt$first")) == "operator.upsert"
    assert apply("hub-b", upsert(2, "scrypt$taken")) is None
    assert apply("hub-a", upsert(3, "scrypt$second")) == "operator.upsert"
    with demo.db.read() as session:
        row = queries.operator_by_login(session, "wangwu")
        assert (row.origin, row.password_hash) == ("hub-a", "scrypt$second")


def test_the_hub_s_first_administrator_disables_the_first_run_administrator(tmp_path: Path) -> None:
    with serving_hub(tmp_path / "hub") as hub:
        station = create_station(tmp_path / "ws", "CH", "01")
        try:
            # The first start of a real window: its administrator, who enrolls it.
            first = workstation.configure_workstation(
                station.db,
                center_code="CH",
                window_code="01",
                operator_name="信息员",
                operator_login=FIRST_ADMIN,
                password=FIRST_ADMIN_PASSWORD,
                role="administrator",
            )
            client = enrollment_client(hub.url)
            with contextlib.closing(client):
                enroll_workstation(
                    station.db,
                    first,
                    administrator=SupervisorCredentials(FIRST_ADMIN, FIRST_ADMIN_PASSWORD),
                    hub_url=hub.url,
                    code=hub.enrollment_code("CH", "01"),
                    client=client,
                    token_store_for=TokenStore,
                )
            # A sync that brings no administrator leaves it be.
            hub.cli("create-operator", "zhangsan", "--name", "张三", "--center", "CH", "--password", "Lotus-Path-5527")
            _sync(station)
            assert auth.log_in(station.db, login=FIRST_ADMIN, password=FIRST_ADMIN_PASSWORD)

            hub.cli(
                "create-operator",
                "cityadmin",
                "--name",
                "市管理员",
                "--center",
                "CH",
                "--role",
                "administrator",
                "--password",
                "Granite-Bay-3046",
            )
            _sync(station)

            with pytest.raises(auth.LoginFailed):
                auth.log_in(station.db, login=FIRST_ADMIN, password=FIRST_ADMIN_PASSWORD)
            assert auth.log_in(station.db, login="cityadmin", password="Granite-Bay-3046").must_change_password
            with station.db.read() as session:
                [entry] = session.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "operator.disable")).all()
                assert entry.entity_id == first.operator_id
                assert entry.detail["administrator"] == "cityadmin" and entry.detail["login"] == FIRST_ADMIN
                assert not queries.operator_by_login(session, FIRST_ADMIN).active
            # The audit entry reaches the hub with the next sync.
            _sync(station)
            assert hub.scalar("SELECT count(*) FROM audit_entries WHERE action = 'operator.disable'") == 1
        finally:
            station.close()
