"""The city's administration from the console (issue 26): only administrators set up the city,
through the services the commands use, each change with its audit entry; what the windows
must know reaches them through the change feed exactly as from the commands. On SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput
from windowdesk.hub.services import backup_status, city_access, city_publishing, city_setup, hub_audit
from windowdesk.hub.services import console_accounts as accounts
from windowdesk.hub.services import console_rights as rights
from windowdesk.hub.storage import backup
from windowdesk.hub.storage.models import CatalogItem, Operator, StaffToken
from windowdesk.paths import resources_dir

from .conftest import Hub, utc_now

FIRST = "Harbour-Lamp-4821"
OPERATOR_PASSWORD = "Lotus-Path-5527"


def _make(hub: Hub, login: str, role: str, department: str | None = None) -> rights.ConsoleActor:
    with hub.db.write() as session:
        user = accounts.create_user(
            session,
            by=None,
            login=login,
            display_name=login.title(),
            role=role,
            department_code=department,
            password=FIRST,
            now=utc_now(),
        )
        return accounts.actor_of(user)


@pytest.fixture
def people(hub: Hub, demo_catalog: None) -> dict[str, rights.ConsoleActor]:
    return {
        "admin": _make(hub, "admin", rights.ADMINISTRATOR),
        "supervisor": _make(hub, "sup", rights.SUPERVISOR),
        "department": _make(hub, "mz.clerk", rights.DEPARTMENT, "MZJ"),
    }


def _every_setup_action(session, by: rights.ConsoleActor, now: dt.datetime) -> list:
    """Each console action on the city's setup, ready to run as ``by``."""
    return [
        lambda: city_setup.organisation(session, by=by),
        lambda: city_setup.save_center(
            session, by=by, code="JD30", name="九号街道", kind="street", timezone="Asia/Shanghai", now=now
        ),
        lambda: city_setup.save_window(session, by=by, center_code="CH", code="09", name="九号窗口", now=now),
        lambda: city_setup.save_department(session, by=by, code="XXJ", name="信息局", now=now),
        lambda: city_setup.operators(session, by=by),
        lambda: city_setup.publish_operator(
            session,
            by=by,
            login="li4",
            display_name="李四",
            center_code="CH",
            role="operator",
            password=OPERATOR_PASSWORD,
            now=now,
        ),
        lambda: city_setup.reset_operator_password(session, by=by, login="li4", password=OPERATOR_PASSWORD, now=now),
        lambda: city_setup.set_operator_active(session, by=by, login="li4", active=False, now=now),
        lambda: city_access.issue_enrollment_code(
            session, by=by, center_code="CH", window="01", valid_hours=72, now=now
        ),
        lambda: city_access.workstations(session, by=by),
        lambda: city_access.revoke_workstation(
            session, by=by, workstation_id="0190a0c0-0000-7000-8000-0000000000aa", now=now
        ),
        lambda: city_access.staff_tokens(session, by=by),
        lambda: city_access.issue_staff_token(session, by=by, department_code="MZJ", days=30, now=now),
        lambda: city_access.revoke_staff_token(
            session, by=by, token_id="0190a0c0-0000-7000-8000-0000000000ab", now=now
        ),
        lambda: city_publishing.current_catalog(session, by=by),
        lambda: city_publishing.catalog_item(session, by=by, code="MZ-001"),
        lambda: city_publishing.catalog_departments(session, by=by),
        lambda: city_publishing.publish_item(
            session, by=by, code="MZ-001", fields={"name": "改名"}, version="v-by-" + by.login, now=now
        ),
        lambda: city_publishing.status_page_address(session, by=by),
        lambda: city_publishing.publish_status_page(session, by=by, url="https://hub.example/status", now=now),
        lambda: city_publishing.calendar_state(session, by=by, since=now.date()),
        lambda: city_publishing.publish_calendar_year(
            session, by=by, file_name="c.json", content=b"{}", year=None, now=now
        ),
        lambda: city_publishing.publish_calendar_day(
            session, by=by, day=dt.date(2027, 2, 6), is_working_day=True, note="", now=now
        ),
    ]


@pytest.mark.parametrize("who", ["supervisor", "department"])
def test_only_an_administrator_may_set_up_the_city(hub: Hub, people, who: str) -> None:
    by, now = people[who], utc_now()
    with hub.db.write(feed=True) as session:
        actions = _every_setup_action(session, by, now)
        for action in actions:
            with pytest.raises(Forbidden):
                action()
    folder = hub.data_dir / "backups"
    with pytest.raises(Forbidden):
        backup_status.backup_state(hub.db, by=by, folder=folder, now=now)
    with pytest.raises(Forbidden):
        backup_status.begin_check(hub.db, by=by, folder=folder, now=now)
    with hub.db.read() as session:
        assert hub_audit.recent(session, actor=by.audit_name) == []  # nothing done, nothing recorded
        assert session.scalar(select(Operator.id).where(Operator.login == "li4")) is None


def test_an_administrator_sets_up_centers_windows_departments_with_an_audit_entry_each(hub: Hub, people) -> None:
    admin, now = people["admin"], utc_now()
    with hub.db.write() as session:
        assert city_setup.save_center(
            session,
            by=admin,
            code="JD30",
            name="九号街道",
            kind="street",
            timezone="Asia/Shanghai",
            now=now,
            address="10.0.0.5",
        ).created
        assert city_setup.save_window(
            session, by=admin, center_code="JD30", code="01", name="综合窗口", now=now
        ).created
        assert not city_setup.save_department(session, by=admin, code="MZJ", name="民政局（改）", now=now).created
        with pytest.raises(InvalidInput):
            city_setup.save_window(session, by=admin, center_code="JD30", code="1", name="x", now=now)
    with hub.db.read() as session:
        org = city_setup.organisation(session, by=admin)
        assert [w.id for w in org.windows["JD30"]] == ["JD30-01"]
        assert {d.code: d.name for d in org.departments}["MZJ"] == "民政局（改）"
        entries = [(e.action, e.entity_id, e.address) for e in hub_audit.recent(session, actor=admin.audit_name)]
    assert entries[::-1] == [
        ("center.created", "JD30", "10.0.0.5"),
        ("window.created", "JD30-01", ""),
        ("department.renamed", "MZJ", ""),
    ]


def test_operators_are_published_to_their_center_and_disabling_reaches_the_windows(hub: Hub, people) -> None:
    admin, now = people["admin"], utc_now()
    station = hub.enroll("CH", "01")
    with hub.db.write(feed=True) as session:
        operator, saved = city_setup.publish_operator(
            session,
            by=admin,
            login="li4",
            display_name="李四",
            center_code="CH",
            role="operator",
            password=OPERATOR_PASSWORD,
            now=now,
        )
        assert saved.created
        operator_id = operator.id
        with pytest.raises(InvalidInput):  # too weak: refused, nothing published
            city_setup.reset_operator_password(session, by=admin, login="li4", password="12345678", now=now)
    with hub.db.write(feed=True) as session:
        city_setup.reset_operator_password(session, by=admin, login="li4", password="Quiet-River-6604", now=now)
        city_setup.set_operator_active(session, by=admin, login="li4", active=False, now=now)
    payloads = [c["payload"] for c in hub.changes(station)["changes"] if c["kind"] == "operator.upsert"]
    assert [(p["login"], p["active"], "password_hash" in p) for p in payloads] == [
        ("li4", True, True),
        ("li4", True, True),
        ("li4", False, False),
    ]
    assert payloads[0]["password_hash"] != payloads[1]["password_hash"]
    with hub.db.read() as session:
        entries = [
            (e.action, json.dumps(e.detail))
            for e in hub_audit.entries_for(session, entity="operator", entity_id=operator_id)
        ]
    assert [action for action, _detail in entries] == [
        "operator.created",
        "operator.password_reset",
        "operator.disabled",
    ]
    assert all("Lotus" not in detail and "scrypt" not in detail for _action, detail in entries)


def test_an_enrollment_code_from_the_console_enrolls_once_and_its_workstation_can_be_revoked(hub: Hub, people) -> None:
    from tests.hub.conftest import VERSION_HEADERS
    from windowdesk.sync.protocol import API_PREFIX

    admin, now = people["admin"], utc_now()
    with hub.db.write() as session:
        with pytest.raises(InvalidInput):
            city_access.issue_enrollment_code(session, by=admin, center_code="CH", window="01", valid_hours=0, now=now)
        issued = city_access.issue_enrollment_code(
            session, by=admin, center_code="CH", window="02", valid_hours=2, now=now
        )
    assert issued.window_id == "CH-02" and issued.expires_at == now + dt.timedelta(hours=2)
    reply = hub.client.post(
        f"{API_PREFIX}/enroll", json={"code": issued.code, "client_version": "0.1.0"}, headers=VERSION_HEADERS
    )
    assert reply.status_code == 200, reply.text
    with hub.db.write() as session:
        [workstation] = city_access.workstations(session, by=admin)
        city_access.revoke_workstation(session, by=admin, workstation_id=workstation.id, now=now)
    with hub.db.read() as session:
        actions = [e.action for e in hub_audit.recent(session, actor=admin.audit_name)]
        assert issued.code not in json.dumps([e.detail for e in hub_audit.recent(session)])
    assert actions[::-1] == ["enrollment_code.issued", "workstation.revoked"]


def test_staff_tokens_are_issued_listed_and_revoked(hub: Hub, people) -> None:
    admin, now = people["admin"], utc_now()
    with hub.db.write() as session:
        with pytest.raises(InvalidInput):
            city_access.issue_staff_token(session, by=admin, department_code="MZJ", days=400, now=now)
        issued = city_access.issue_staff_token(session, by=admin, department_code="MZJ", days=30, now=now)
    with hub.db.write() as session:
        assert [t.id for t in city_access.staff_tokens(session, by=admin)] == [issued.token_id]
        city_access.revoke_staff_token(session, by=admin, token_id=issued.token_id, now=now)
    with hub.db.read() as session:
        assert session.get(StaffToken, issued.token_id).revoked_at is not None


def test_an_edited_item_is_validated_like_import_catalog_and_published_as_a_new_version(hub: Hub, people) -> None:
    admin, now = people["admin"], utc_now()
    station = hub.enroll("CH", "01")
    with hub.db.write(feed=True) as session:
        before = city_publishing.current_catalog(session, by=admin).version
        with pytest.raises(InvalidInput, match="promised_limit_days"):  # the catalog format's own rule
            city_publishing.publish_item(
                session, by=admin, code="MZ-001", now=now, version="2026.12-a", fields={"promised_limit_days": 40}
            )
        assert {"code": "MZJ", "name": "市民政局"} in city_publishing.catalog_departments(session, by=admin)
        with pytest.raises(InvalidInput, match="NOPE"):
            city_publishing.publish_item(
                session, by=admin, code="MZ-001", now=now, version="2026.12-a", fields={"department": "NOPE"}
            )
        with pytest.raises(Conflict):
            city_publishing.publish_item(
                session, by=admin, code="MZ-001", now=now, version=before, fields={"name": "x"}
            )
    with hub.db.write(feed=True) as session:
        published = city_publishing.publish_item(
            session,
            by=admin,
            code="MZ-001",
            now=now,
            version="2026.12-a",
            fields={"name": "城市居民最低生活保障申请（新）", "promised_limit_days": 15, "keywords": ["低保", "救助"]},
        )
    assert published.published.published and published.published.items == 53
    [change] = [c for c in hub.changes(station)["changes"] if c["kind"] == "catalog.published"][-1:]
    assert change["payload"]["version"] == "2026.12-a"
    item = next(i for i in change["payload"]["items"]["items"] if i["code"] == "MZ-001")
    assert (item["name"], item["promised_limit_days"], item["keywords"]) == (
        "城市居民最低生活保障申请（新）",
        15,
        ["低保", "救助"],
    )
    assert "search_keys" in item  # the same publishing path as import-catalog
    with hub.db.read() as session:
        assert session.get(CatalogItem, "MZ-001").name == "城市居民最低生活保障申请（新）"
        assert city_publishing.current_catalog(session, by=admin).version == "2026.12-a"
        [entry] = [e.detail for e in hub_audit.entries_for(session, entity="catalog_item", entity_id="MZ-001")]
    assert entry == {
        "version": "2026.12-a",
        "previous_version": before,
        "fields": ["keywords", "name", "promised_limit_days"],
    }


def test_the_calendar_and_the_status_page_are_published_to_every_window(hub: Hub, people) -> None:
    admin, now = people["admin"], utc_now()
    station = hub.enroll("CH", "01")
    content = (resources_dir() / "calendar" / "cn_working_calendar.json").read_bytes()
    with hub.db.write(feed=True) as session:
        with pytest.raises(InvalidInput, match=r"bad\.json"):
            city_publishing.publish_calendar_year(
                session, by=admin, file_name="bad.json", content=b"not json", year=None, now=now
            )
        published, saved = city_publishing.publish_calendar_year(
            session, by=admin, file_name="cal.json", content=content, year=None, now=now
        )
        city_publishing.publish_calendar_day(
            session, by=admin, day=dt.date(2027, 2, 6), is_working_day=True, note="春节调休", now=now
        )
        city_publishing.publish_status_page(session, by=admin, url="https://hub.example/status/", now=now)
        with pytest.raises(InvalidInput):
            city_publishing.publish_status_page(session, by=admin, url="ftp://x", now=now)
    kinds = [c["kind"] for c in hub.changes(station)["changes"]]
    assert kinds[-3:] == ["calendar.year", "calendar.override", "status_page.published"]
    with hub.db.read() as session:
        state = city_publishing.calendar_state(session, by=admin, since=dt.date(2027, 1, 1))
        assert [y.year for y in state.years] == [published.year] and saved.created
        assert [(o.day, o.is_working_day) for o in state.overrides] == [(dt.date(2027, 2, 6), True)]
        assert city_publishing.status_page_address(session, by=admin) == "https://hub.example/status/"


def test_the_newest_backup_is_checked_with_check_backup_s_check_and_the_result_kept(
    hub: Hub, people, tmp_path: Path
) -> None:
    admin, now = people["admin"], utc_now()
    folder = tmp_path / "backups"
    state = backup_status.backup_state(hub.db, by=admin, folder=folder, now=now)
    assert state.newest is None and state.last_check is None
    with pytest.raises(InvalidInput):
        backup_status.begin_check(hub.db, by=admin, folder=folder, now=now)
    made = backup.make_backup(hub.url, folder, now)
    broken = folder / backup.backup_file_name(hub.url, now + dt.timedelta(seconds=1))
    broken.write_bytes(b"not a database at all" * 100)
    copy = backup_status.begin_check(hub.db, by=admin, folder=folder, now=now)
    assert copy.path == broken  # the newest
    with pytest.raises(InvalidInput, match="running"):
        backup_status.begin_check(hub.db, by=admin, folder=folder, now=now)
    result = backup_status.check_backup(hub.db, by=admin, database_url=hub.url, copy=copy, key=None, clock=utc_now)
    assert not result.whole and result.message["zh_CN"] and result.message["en"]
    broken.unlink()
    copy = backup_status.begin_check(hub.db, by=admin, folder=folder, now=now)
    assert copy.path == made.path and copy.size == made.size
    backup_status.check_backup(hub.db, by=admin, database_url=hub.url, copy=copy, key=None, clock=utc_now)
    state = backup_status.backup_state(hub.db, by=admin, folder=folder, now=utc_now())
    assert state.checking_since is None and state.last_check.whole and state.last_check.file == made.path.name
    if made.contents is not None:  # SQLite's copy says what it holds; pg_dump's does not
        assert state.last_check.last_change == made.contents.last_change


def test_an_encrypted_backup_is_checked_with_the_key_the_hub_was_started_with(hub: Hub, people, tmp_path: Path) -> None:
    from windowdesk.hub.storage.backup_crypt import write_new_key_file

    admin, now = people["admin"], utc_now()
    key_file = tmp_path / "backup.key"
    write_new_key_file(key_file)
    environ = {backup_status.ENV_BACKUP_KEY_FILE: str(key_file)}
    key = backup_status.key_from_environment(environ)
    made = backup.make_backup(hub.url, tmp_path / "backups", now, key=key)
    copy = backup_status.begin_check(hub.db, by=admin, folder=tmp_path / "backups", now=now)
    assert copy.encrypted and copy.path == made.path
    without_key = backup_status.check_backup(hub.db, by=admin, database_url=hub.url, copy=copy, key=None, clock=utc_now)
    assert not without_key.whole and "key" in without_key.message["en"].lower()
    backup_status.begin_check(hub.db, by=admin, folder=tmp_path / "backups", now=now)
    assert backup_status.check_backup(hub.db, by=admin, database_url=hub.url, copy=copy, key=key, clock=utc_now).whole
    with pytest.raises(InvalidInput):  # both named: the hub does not guess which
        backup_status.key_from_environment({**environ, backup_status.ENV_BACKUP_PASSPHRASE_FILE: str(key_file)})
