"""End to end, without faults: real workstations (encrypted databases, real services,
the token in the keyring) and the real ``windowdesk-hub serve`` process on loopback."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from windowdesk.domain.case_state import CaseAction
from windowdesk.domain.outbox_state import OutboxState
from windowdesk.errors import WindowdeskError
from windowdesk.paths import resources_dir
from windowdesk.services import applicants, cases, intake, refusals, worklist
from windowdesk.services import catalog as catalog_service
from windowdesk.services import sync as sync_service
from windowdesk.services.approval import SupervisorCredentials
from windowdesk.storage import models as m
from windowdesk.storage.crypto import connect_raw
from windowdesk.sync import protocol
from windowdesk.sync.client import HubClient, HubRefused
from windowdesk.sync.credentials import TokenStore

from .hub_process import (
    SUPERVISOR_PASSWORD,
    HubProcess,
    Station,
    catalog_without,
    child_env,
    copy_station,
    create_station,
    hub_command,
)

ITEM = "MZ-002"


@pytest.fixture(scope="module")
def blank_stations(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Station]:
    """Set-up workstations (migrated, catalog, supervisor, no work yet), copied per test."""
    made: dict[tuple[str, str], Station] = {}
    root = tmp_path_factory.mktemp("blank-stations")
    for center, window in (("CH", "01"), ("CH", "02")):
        station = create_station(root / f"{center}-{window}", center, window)
        station.close()
        made[(center, window)] = station
    return made


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    hub = HubProcess(tmp_path / "hub")
    try:
        hub.import_catalog()
        yield hub
    finally:
        hub.close()


@pytest.fixture
def new_station(tmp_path: Path, blank_stations) -> Iterator:
    opened: list[Station] = []

    def make(center: str = "CH", window: str = "01") -> Station:
        station = copy_station(blank_stations[(center, window)], tmp_path / f"ws-{center}-{window}-{len(opened)}")
        opened.append(station)
        return station

    yield make
    for station in opened:
        station.close()


def enrolled(station: Station, hub: HubProcess) -> Station:
    station.enroll(hub.url, hub.enrollment_code(station.center, station.window))
    return station


def sync(station: Station) -> sync_service.SyncReport:
    client = station.hub_client()
    try:
        return station.runner(client, retries=0).run()
    finally:
        client.close()


def resident(station: Station, n: int) -> applicants.ApplicantRef:
    from .hub_process import _id_number

    return applicants.register_resident(station.db, station.ctx, id_number=_id_number(n), name=f"居民{n}").ref


def accept(station: Station, applicant: applicants.ApplicantRef, item: str = ITEM) -> intake.IntakeResult:
    guide = catalog_service.get_item_guide(station.db, item_code=item)
    checks = [intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials]
    return intake.accept_case(
        station.db, station.ctx, item_code=item, applicant=applicant, checks=checks, shipped_calendar=station.calendar
    )


def hub_events(hub: HubProcess, station: Station) -> dict[str, tuple[str, str, str]]:
    """event id -> (kind, status, reason) as the hub stored them."""
    return {
        event_id: (kind, status, reason)
        for event_id, kind, status, reason in hub.rows(
            "SELECT event_id, kind, status, reason FROM pushed_events WHERE workstation_id = :ws",
            ws=station.workstation_id,
        )
    }


def wire_batch(station: Station) -> list[dict]:
    with station.db.read() as session:
        return [
            {
                "event_id": e.event_id,
                "seq": e.seq,
                "entity": e.entity,
                "entity_id": e.entity_id,
                "kind": e.kind,
                "payload": e.payload,
                "created_at": e.created_at.isoformat(),
            }
            for e in session.query(m.OutboxEvent).order_by(m.OutboxEvent.seq)
        ]


def test_enrollment_keeps_the_token_in_the_keyring_and_a_revoked_workstation_is_told_plainly(hub, new_station) -> None:
    hub.start()
    station = new_station()
    # A code for another window is refused before anything is stored.
    with pytest.raises(WindowdeskError) as wrong:
        station.enroll(hub.url, hub.enrollment_code("CH", "02"))
    assert "another window" in wrong.value.title
    assert sync_service.workstation_account(station.db) is None

    code = hub.enrollment_code("CH", "01")
    answer = station.enroll(hub.url, code)
    account = sync_service.workstation_account(station.db)
    assert account == f"{hub.url}#{answer['workstation_id']}"
    token = TokenStore(account).get()
    assert token and token == answer["token"]
    assert "windowdesk" in Path(keyring.get_keyring().file_path).read_text()  # the real backend's file
    connection = connect_raw(station.path, station.key)
    try:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        dump = "\n".join(repr(row) for table in tables for row in connection.execute(f'SELECT * FROM "{table}"'))
    finally:
        connection.close()
    assert answer["workstation_id"] in dump  # the decrypted rows really were read
    assert token not in dump
    assert hub.scalar("SELECT count(*) FROM workstations WHERE token_sha256 = :t", t=token) == 0  # hashed there

    resident(station, 1)
    first = sync(station)
    assert first.ok and first.applied >= 1 and sync_service.sync_status(station.db).pending == 0

    hub.cli("revoke", answer["workstation_id"])
    resident(station, 2)
    pending = set(station.outbox())
    refused = sync(station)
    assert isinstance(refused.error, HubRefused)
    assert refused.error.status == 401 and refused.error.code == protocol.ERROR_REVOKED
    assert "revoked" in refused.error.message and "administrator" in refused.error.message
    assert set(station.outbox()) == pending  # nothing lost, kept for a new enrollment
    with station.db.read() as session:
        unsent = session.query(m.OutboxEvent).filter(m.OutboxEvent.state != OutboxState.SENT)
        kept = [(row.attempts, row.last_error) for row in unsent]
    assert kept and all(attempts >= 1 and "revoked" in error for attempts, error in kept)

    # The code worked once; it does not work twice.
    client = HubClient(hub.url)
    try:
        with pytest.raises(HubRefused):
            client.enroll(code)
    finally:
        client.close()


def test_a_push_is_applied_and_a_resend_is_answered_duplicate(hub, new_station) -> None:
    hub.start()
    station = enrolled(new_station(), hub)
    person = resident(station, 1)
    case = accept(station, person)
    batch = wire_batch(station)
    assert {"resident.registered", "case.accepted"} <= {e["kind"] for e in batch}

    report = sync(station)
    assert report.ok, report.error
    assert (report.applied, report.duplicates, report.rejected) == (len(batch), 0, [])
    assert station.outbox() == {}
    stored = hub_events(hub, station)
    assert set(stored) == {e["event_id"] for e in batch}
    assert {status for _k, status, _r in stored.values()} == {"applied"}
    assert hub.rows("SELECT status FROM cases WHERE case_number = :n", n=case.number) == [("accepted",)]

    client = station.hub_client()
    try:
        again = client.push(batch)
    finally:
        client.close()
    assert [r.status for r in again] == [protocol.DUPLICATE] * len(batch)
    assert [r.event_id for r in again] == [e["event_id"] for e in batch]
    assert hub.scalar("SELECT count(*) FROM pushed_events") == len(batch)
    assert hub.scalar("SELECT count(*) FROM case_events WHERE case_id = :c", c=case.id) == 1


def test_a_rejected_event_stays_with_the_hubs_reason_until_a_supervisor_resolves_it(hub, new_station, tmp_path) -> None:
    # This hub never published item GA-008; the window's shipped catalog has it.
    catalog = catalog_without("GA-008", tmp_path / "catalog-without-ga008")
    other = HubProcess(tmp_path / "hub-without-ga008")
    try:
        other.import_catalog(catalog)
        other.start()
        station = enrolled(new_station(), other)
        person = resident(station, 1)
        unknown = accept(station, person, item="GA-008")
        cases.change_status(station.db, station.ctx, case_id=unknown.id, action=CaseAction.WITHDRAW, note="申请人撤回")
        later_person = resident(station, 2)
        later = accept(station, later_person)

        report = sync(station)
        assert report.ok, report.error
        refused = {event.kind: event for event in refusals.refused_changes(station.db)}
        assert set(refused) == {"case.accepted", "case.status"}, refused
        assert "GA-008" in refused["case.accepted"].reason and "catalog" in refused["case.accepted"].reason
        assert refused["case.accepted"].entity_id == unknown.id
        assert "acceptance was rejected" in refused["case.status"].reason
        assert sorted(kind for kind, _reason in report.rejected) == ["case.accepted", "case.status"]
        status = sync_service.sync_status(station.db)
        assert (status.pending, status.rejected) == (0, 2)
        # What came after and does not depend on the refused case went through.
        stored = hub_events(other, station)
        applied = {kind for kind, state, _r in stored.values() if state == "applied"}
        assert {"resident.registered", "case.accepted"} <= applied
        assert other.rows("SELECT status FROM cases WHERE id = :c", c=later.id) == [("accepted",)]
        assert other.scalar("SELECT count(*) FROM residents WHERE id IN (:a, :b)", a=person.id, b=later_person.id) == 2
        # The refused events stay for a supervisor and are not sent again.
        count = other.scalar("SELECT count(*) FROM pushed_events")
        again = sync(station)
        assert again.ok and (again.applied, again.duplicates, again.rejected) == (0, 0, [])
        assert other.scalar("SELECT count(*) FROM pushed_events") == count
        assert {e.kind for e in refusals.refused_changes(station.db)} == {"case.accepted", "case.status"}

        # A supervisor deals with one: the hub learns it from the window's audit log, the
        # refused events themselves are not sent again, the window counts one refusal.
        refusals.resolve_refused_change(
            station.db,
            station.ctx,
            event_id=refused["case.accepted"].event_id,
            note="已改按 GA-001 重新受理",
            supervisor=SupervisorCredentials(f"sup-{station.center.lower()}-{station.window}", SUPERVISOR_PASSWORD),
        )
        told = sync(station)
        assert told.ok and (told.applied, told.duplicates, told.rejected) == (1, 0, []), told
        assert other.rows(
            "SELECT action, entity_id, chain_ok FROM audit_entries WHERE action = 'sync.refusal_resolved'"
        ) == [("sync.refusal_resolved", unknown.id, True)]
        assert sync_service.sync_status(station.db).rejected == 1

        # The hub's administrators see both refusals, and which one the window resolved.
        listed = other.cli("refused")
        assert "Changes the hub refused: 2, of which 1 not resolved at their window yet" in listed
        status_block, accepted_block = listed.split("\n\n")[1:3]  # newest first: the status change came second
        assert "CH-01  Case status changed  " + unknown.number in status_block
        assert "Not resolved at the window yet." in status_block
        assert "CH-01  Case accepted  " + unknown.number in accepted_block and "GA-008" in accepted_block
        assert "Resolved at the window" in accepted_block and "已改按 GA-001 重新受理" in accepted_block
        assert f"值班长{station.center}{station.window}" in accepted_block
        waiting = other.cli("refused", "--unresolved", "--format", "csv").splitlines()
        assert waiting[0].startswith("received_at,center,window,kind,record,reason,resolved_at")
        assert [line.split(",")[1:5] for line in waiting[1:]] == [["CH", "CH-01", "case.status", unknown.number]]
        assert other.cli("refused", "--center", "JD01").strip() == "The hub has refused no change."
    finally:
        other.close()


def test_a_back_office_decision_reaches_the_windows_timeline_at_the_next_sync(hub, new_station) -> None:
    hub.start()
    station = enrolled(new_station(), hub)
    case = accept(station, resident(station, 1))
    assert sync(station).ok
    department = hub.scalar(
        "SELECT i.department_code FROM cases c JOIN catalog_items i ON i.code = c.item_code WHERE c.id = :c", c=case.id
    )

    # The department decides with the real console script, as at the hub.
    decided = subprocess.run(
        [
            *hub_command(),
            *hub.args(
                "decide",
                case.number,
                "--decision",
                "approve",
                "--department",
                department,
                "--note",
                "材料齐全，准予办理",
            ),
        ],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=60,
    )
    assert decided.returncode == 0, decided.stderr
    assert "reaches the window at its next sync" in decided.stdout
    assert worklist.case_status(station.db, case.id) == "accepted"  # not before the sync

    report = sync(station)
    assert report.ok, report.error
    assert protocol.CHANGE_DECISION in report.changed_kinds
    detail = worklist.get_record_detail(station.db, station.ctx, kind=worklist.CASE, record_id=case.id)
    assert detail.state == "Approved"
    step = detail.timeline[-1]
    assert step.label == "Approved" and department in step.note and "材料齐全，准予办理" in step.note
    assert worklist.case_status(station.db, case.id) == "approved"

    # The window carries the case on from there; the hub follows.
    cases.change_status(station.db, station.ctx, case_id=case.id, action=CaseAction.COMPLETE)
    report = sync(station)
    assert report.ok and not report.rejected, report.rejected
    assert hub.rows("SELECT status FROM cases WHERE id = :c", c=case.id) == [("completed",)]
    # Pulling again applies nothing twice.
    assert sync(station).pulled == 0
    with station.db.read() as session:
        assert session.query(m.CaseEvent).filter_by(case_id=case.id, source="hub").count() == 1


def test_a_catalog_republished_at_the_hub_replaces_the_local_catalog(hub, new_station, tmp_path) -> None:
    hub.start()
    station = enrolled(new_station(), hub)
    assert sync(station).ok
    folder = tmp_path / "catalog-next"
    shutil.copytree(resources_dir() / "catalog", folder)
    items = json.loads((folder / "items.json").read_text(encoding="utf-8"))
    items["version"] = "2026.12-republished"
    items["items"] = [item for item in items["items"] if item["code"] != "JD-002"]
    renamed = next(item for item in items["items"] if item["code"] == ITEM)
    renamed["name"] = "低保对象新版申请（2026年12月起）"
    renamed["materials"] = renamed["materials"][:2]
    del renamed["deferral"]  # its deferrable materials (容缺) are gone: a rule alone is refused
    (folder / "items.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    assert "Published catalog version 2026.12-republished" in hub.import_catalog(folder)
    hub.cli("calendar-override", "2027-02-06", "--working", "--note", "春节调休上班")

    report = sync(station)
    assert report.ok, report.error
    assert {protocol.CHANGE_CATALOG, protocol.CHANGE_CALENDAR} <= report.changed_kinds
    guide = catalog_service.get_item_guide(station.db, item_code=ITEM)
    assert guide.name == "低保对象新版申请（2026年12月起）"
    assert len(guide.materials) == 2
    search = catalog_service.CatalogSearch(station.db)
    codes = {item.code for item in search.search("", limit=500)}
    assert ITEM in codes and "JD-002" not in codes and len(codes) == len(items["items"])
    with station.db.read() as session:
        versions = {row.catalog_version for row in session.query(m.CatalogItem).filter_by(active=True)}
        holiday = session.get(m.CalendarOverride, dt.date(2027, 2, 6))
        holiday = holiday and (holiday.is_working_day, holiday.note)
    assert versions == {"2026.12-republished"}
    assert holiday == (True, "春节调休上班")
    assert sync_service.sync_status(station.db).cursor == hub.scalar("SELECT max(seq) FROM changes")


def test_a_year_published_at_the_hub_dates_the_windows_cases_in_that_year(hub, new_station, tmp_path) -> None:
    """The State Council's notice for a year the window did not ship with: published at the
    hub from a file in the shipped format, it decides the window's dates in that year from
    the next sync, and the window stops warning that it counts that year by weekends only."""
    hub.start()
    station = enrolled(new_station(), hub)
    person = resident(station, 1)
    before = accept(station, person, item="MZ-005")  # 30 working days: past the shipped years
    with station.db.read() as session:
        legal_before = session.get(m.Case, before.id).legal_date
    year = legal_before.year
    assert year > station.calendar.last_year and legal_before.weekday() < 5
    assert any(str(year) in warning for warning in before.warnings)
    notice = tmp_path / f"calendar-{year}.json"
    notice.write_text(
        json.dumps(
            {
                "source": f"State Council notice for {year} (test)",
                "first_year": year,
                "last_year": year,
                "holidays": {legal_before.isoformat(): "Test holiday"},
                "makeup_workdays": {},
            }
        ),
        encoding="utf-8",
    )
    assert f"Published the calendar of {year}" in hub.cli("calendar-year", str(notice))

    report = sync(station)
    assert report.ok, report.error
    assert protocol.CHANGE_CALENDAR_YEAR in report.changed_kinds
    after = accept(station, person, item="MZ-005")
    with station.db.read() as session:
        legal_after = session.get(m.Case, after.id).legal_date
    assert after.warnings == ()
    assert legal_after > legal_before  # the published holiday is not a working day
    assert station.calendar.is_working_day(legal_before)  # the shipped data alone said it was


def test_a_hub_that_refuses_this_client_version_says_so(hub, new_station) -> None:
    hub.start()
    station = enrolled(new_station(), hub)
    resident(station, 1)
    hub.stop()
    hub.start(port=hub.port, serve_args=["--min-client-version", "99.0"])
    if sync_service.hub_address(station.db) != hub.url:  # the old port was taken: follow the hub
        from windowdesk.storage import queries

        token = station.token()
        with station.db.write() as session:
            queries.set_local_setting(session, sync_service.KEY_HUB_URL, hub.url)
        TokenStore(sync_service.workstation_account(station.db)).set(token)

    pending = set(station.outbox())
    report = sync(station)
    assert isinstance(report.error, HubRefused)
    assert report.error.status == 426 and report.error.code == protocol.ERROR_VERSION_REFUSED
    assert "too old" in report.error.message and "99.0" in report.error.message
    assert set(station.outbox()) == pending

    # A new workstation is told the same when it enrolls.
    fresh = new_station("CH", "02")
    with pytest.raises(HubRefused) as caught:
        fresh.enroll(hub.url, hub.enrollment_code("CH", "02"))
    assert "too old" in caught.value.message and "99.0" in caught.value.message
    assert sync_service.workstation_account(fresh.db) is None


def test_a_decision_comes_after_the_acceptance_on_the_timeline_even_when_the_window_clock_is_ahead(
    hub, new_station
) -> None:
    import dataclasses

    from .hub_process import _clock

    hub.start()
    station = enrolled(new_station(), hub)
    station.ctx = dataclasses.replace(station.ctx, clock=_clock(7.0))  # the window's clock runs 7 hours ahead
    case = accept(station, resident(station, 1))
    assert sync(station).ok
    department = hub.scalar(
        "SELECT i.department_code FROM cases c JOIN catalog_items i ON i.code = c.item_code WHERE c.id = :c", c=case.id
    )
    hub.cli("decide", case.number, "--decision", "request_materials", "--department", department, "--note", "缺户口簿")
    assert sync(station).ok
    detail = worklist.get_record_detail(station.db, station.ctx, kind=worklist.CASE, record_id=case.id)
    assert detail.state == "Waiting for supplementary materials"
    assert [step.label for step in detail.timeline] == ["Accepted at the window", "Waiting for supplementary materials"]


def test_two_hub_processes_on_one_sqlite_file_apply_a_windows_batches_in_its_order(hub, new_station) -> None:
    # serve --workers 2: the window keeps two batches on the wire, which may reach either
    # process in either order; each case depends on a registration in an earlier batch.
    hub.start(serve_args=["--workers", "2"])
    station = enrolled(new_station(), hub)
    for n in range(1, 41):
        accept(station, resident(station, n))
    sent = wire_batch(station)

    client = station.hub_client(timeout=(2.0, 30.0))
    try:
        report = station.runner(client, retries=0, push_batch=7).run()
    finally:
        client.close()

    assert report.ok, report.error
    assert (report.applied, report.rejected) == (len(sent), [])
    assert station.outbox() == {}
    stored_order = [
        seq
        for (seq,) in hub.rows(
            "SELECT client_seq FROM pushed_events WHERE workstation_id = :ws ORDER BY rowid", ws=station.workstation_id
        )
    ]
    assert stored_order == [event["seq"] for event in sent]
    assert hub.scalar("SELECT count(*) FROM cases") == 40
    # Several processes: the hub lets a window keep two batches on the wire.
    client = station.hub_client(timeout=(2.0, 30.0))
    try:
        again = client.push_encoded(
            protocol.EncodedPush(json.dumps({"events": sent[:1]}).encode(), (sent[0]["event_id"],))
        )
    finally:
        client.close()
    assert ([r.status for r in again.results], again.in_flight) == (["duplicate"], 2)
