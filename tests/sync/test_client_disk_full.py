"""A window whose disk fills up while it pulls: the sync says so in plain words, keeps
every page it had applied with its cursor, and once there is room again the next sync
brings the rest, each decision exactly once. Real hub process, real encrypted database
that may not grow (SQLite's ``max_page_count``, what a full disk looks like to it)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import event, select

from windowdesk.domain.ids import resident_id_check_char
from windowdesk.errors import StorageError
from windowdesk.hub.services import backoffice
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models import Case as HubCase
from windowdesk.services import applicants, intake
from windowdesk.services import sync as sync_service
from windowdesk.services.catalog import get_item_guide
from windowdesk.storage import models as m
from windowdesk.storage.db import Database

from .hub_process import HubProcess, Station

ITEM = "MZ-002"
CASES = 24
PAGE = 4
# A decision that takes room: about 6 KB, so a page of them needs several database pages.
NOTE = "请补充材料：" + "户口簿复印件、近期免冠照片、村（社区）出具的证明。" * 79


def _accept_cases(station: Station, numbers: range = range(CASES)) -> list[str]:
    """A new resident and a case for each number; the cases' ids."""
    guide = get_item_guide(station.db, item_code=ITEM)
    checks = [intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials]
    ids = []
    for n in numbers:
        first17 = f"23090219700101{n:03d}"
        person = applicants.register_resident(
            station.db, station.ctx, id_number=first17 + resident_id_check_char(first17), name=f"居民{n}"
        )
        ids.append(
            intake.accept_case(
                station.db,
                station.ctx,
                item_code=ITEM,
                applicant=person.ref,
                checks=checks,
                shipped_calendar=station.calendar,
            ).id
        )
    return ids


def _decide_on_every_case(hub: HubProcess) -> None:
    db = HubDatabase(hub.database_url)
    try:
        with db.write(feed=True) as session:
            for case in session.scalars(select(HubCase).order_by(HubCase.id)):
                backoffice.record_decision(
                    session,
                    case=case,
                    decision="request_materials",
                    department="MZJ",
                    note=NOTE,
                    now=dt.datetime.now(dt.UTC),
                )
    finally:
        db.dispose()


def _sync(station: Station) -> sync_service.SyncReport:
    client = station.hub_client()
    try:
        return station.runner(client, retries=0, pull_page=PAGE).run()
    finally:
        client.close()


def _hub_steps(station: Station) -> Counter:
    """How many steps the hub's decisions left on each case's timeline here."""
    with station.db.read() as session:
        return Counter(session.scalars(select(m.CaseEvent.case_id).where(m.CaseEvent.source == "hub")))


def _statuses(station: Station) -> dict[str, str]:
    with station.db.read() as session:
        return dict(session.execute(select(m.Case.id, m.Case.status)).all())


def _reopen(station: Station, *, room_pages: int | None) -> None:
    """The station's database again, able to grow by ``room_pages`` pages only (None: as
    the disk allows). A full disk leaves no room inside the file either: the pages the push
    freed are given back first."""
    if room_pages is not None:
        raw = station.db.write_engine.raw_connection()
        try:
            raw.driver_connection.execute("VACUUM")
        finally:
            raw.close()
    station.db.dispose()
    station.db = Database(station.path, key=station.key)
    if room_pages is None:
        return

    @event.listens_for(station.db.write_engine, "connect")
    def _small_disk(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + room_pages}")


def _cases_sent_and_decided(hub: HubProcess, station: Station) -> list[str]:
    """CASES cases accepted and sent; the hub has decided on each, not yet pulled."""
    case_ids = _accept_cases(station)
    assert _sync(station).ok
    _decide_on_every_case(hub)
    return case_ids


def test_a_full_disk_during_the_pull_is_said_plainly_and_nothing_is_lost_or_applied_twice(
    serving_hub: HubProcess, enrolled_station: Station
) -> None:
    hub, station = serving_hub, enrolled_station
    case_ids = _cases_sent_and_decided(hub, station)
    last_success = sync_service.sync_status(station.db).last_success

    _reopen(station, room_pages=12)
    report = _sync(station)

    assert not report.ok
    assert isinstance(report.error, StorageError)
    assert report.error.title == "The disk is full"
    assert "Free some space" in report.error.message
    status = sync_service.sync_status(station.db)
    assert status.last_success == last_success  # not a successful sync
    applied = _hub_steps(station)
    assert 0 < len(applied) < CASES, "the room left should hold some pages, not all"
    assert set(applied.values()) == {1}
    # Whole pages only, and the cursor says which: the decisions it covers are here.
    assert len(applied) % PAGE == 0
    assert status.cursor == len(applied) + hub.scalar("SELECT min(seq) - 1 FROM changes WHERE kind = 'case.decision'")
    statuses = _statuses(station)
    assert [statuses[case_id] for case_id in applied] == ["suspended"] * len(applied)
    assert {statuses[case_id] for case_id in case_ids if case_id not in applied} == {"accepted"}

    _reopen(station, room_pages=None)  # space was freed
    report = _sync(station)

    assert report.ok, report.error
    assert _hub_steps(station) == Counter(dict.fromkeys(case_ids, 1))
    assert set(_statuses(station).values()) == {"suspended"}
    assert sync_service.sync_status(station.db).cursor == hub.scalar("SELECT max(seq) FROM changes")


def test_when_only_the_time_of_the_sync_cannot_be_noted_the_report_still_says_what_was_sent_and_received(
    serving_hub: HubProcess, enrolled_station: Station
) -> None:
    hub, station = serving_hub, enrolled_station
    case_ids = _cases_sent_and_decided(hub, station)
    _accept_cases(station, range(CASES, CASES + 1))  # one more, not sent yet
    before = sync_service.sync_status(station.db)
    assert before.pending > 0

    # The disk fills up just as the sync, its work done, notes its time: the error the
    # database driver (SQLCipher's) raises then.
    driver_error = station.db.write_engine.dialect.dbapi.OperationalError

    @event.listens_for(station.db.write_engine, "do_execute")
    def _full_when_noting_the_time(_cursor, statement, parameters, _context):
        if (
            statement.startswith(("INSERT INTO local_settings", "UPDATE local_settings"))
            and sync_service.KEY_LAST_SUCCESS in parameters
        ):
            raise driver_error("database or disk is full")

    report = _sync(station)

    assert isinstance(report.error, StorageError) and report.error.title == "The disk is full"
    assert "Everything was sent and received" in report.error.message
    assert "Nothing was saved" not in report.error.message
    assert (report.applied, report.pulled) == (before.pending, CASES)  # the new case and its steps; every decision
    assert "case.decision" in report.changed_kinds  # so the window refreshes its screens
    status = sync_service.sync_status(station.db)
    assert status.last_success == before.last_success
    assert status.pending == 0
    assert _hub_steps(station) == Counter(dict.fromkeys(case_ids, 1))
