"""Accept / notify / refuse on a real SQLite file: numbers, atomicity, crash safety, audit."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from windowdesk.domain.ids import resident_id_check_char
from windowdesk.errors import StorageError, ValidationError
from windowdesk.services import applicants, audit, intake, worklist, workstation
from windowdesk.services.applicants import ApplicantRef
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.context import CounterContext
from windowdesk.services.intake import CORRECTION, MISSING, RECEIVED, MaterialCheck
from windowdesk.storage.crypto import connect_raw
from windowdesk.storage.db import Database

SHANGHAI = ZoneInfo("Asia/Shanghai")
SRC_DIR = Path(__file__).resolve().parents[2] / "src"
# 城市医疗救助申请: promised 10 and legal 20 working days; M03 is optional.
ITEM = "MZ-002"
ITEM_MATERIALS = ("M01", "M02", "M03", "M04", "M05", "M06", "M07")
DEMO_ID = "230902196210010496"  # 王建国 in resources/demo/residents.json
WRITTEN_TABLES = (
    "cases",
    "case_materials",
    "case_events",
    "notifications",
    "notification_entries",
    "refusals",
    "audit_log",
    "outbox",
    "number_sequences",
)


# --- helpers ----------------------------------------------------------------------


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def at(ctx: CounterContext, when: str, *, window: str | None = None) -> CounterContext:
    """The context with a fixed clock (local time of the center), optionally at another window."""
    moment = local(when)
    ctx = dataclasses.replace(ctx, clock=lambda: moment)
    if window is not None:
        ctx = dataclasses.replace(ctx, window_id=f"{ctx.center_code}-{window}", window_code=window, window_name=window)
    return ctx


def resident(db: Database, id_number: str = DEMO_ID) -> ApplicantRef:
    found = applicants.find_residents(db, workstation.current_context(db), query=id_number)
    assert len(found) == 1
    return found[0].ref


def checks(*, except_: dict[str, tuple[str, str]] | None = None) -> list[MaterialCheck]:
    """Every material of ITEM received, except those given as code -> (status, note)."""
    except_ = except_ or {}
    return [MaterialCheck(code, *except_.get(code, (RECEIVED, ""))) for code in ITEM_MATERIALS]


def accept(demo, ctx: CounterContext, **kwargs) -> intake.IntakeResult:
    kwargs.setdefault("checks", checks())
    return intake.accept_case(
        demo.db,
        ctx,
        item_code=ITEM,
        applicant=resident(demo.db),
        shipped_calendar=demo.calendar,
        **kwargs,
    )


def notify(demo, ctx: CounterContext, **kwargs) -> intake.IntakeResult:
    kwargs.setdefault("checks", checks(except_={"M01": (MISSING, "")}))
    return intake.notify_missing(demo.db, ctx, item_code=ITEM, applicant=resident(demo.db), **kwargs)


def refuse(demo, ctx: CounterContext, **kwargs) -> intake.IntakeResult:
    kwargs.setdefault("reason", "Not registered in this city")
    kwargs.setdefault("legal_basis", "City medical aid rules, art. 3")
    return intake.refuse_application(demo.db, ctx, item_code=ITEM, applicant=resident(demo.db), **kwargs)


@contextlib.contextmanager
def raw(db: Database):
    connection = connect_raw(db.path, db.key)
    try:
        yield connection
        connection.commit()
    finally:
        connection.close()


def snapshot(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table a decision writes to."""
    with raw(db) as conn:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in WRITTEN_TABLES}


def case_numbers(db: Database) -> list[str]:
    with raw(db) as conn:
        return [row[0] for row in conn.execute("SELECT case_number FROM cases ORDER BY case_number")]


def new_id_number(serial: int, birth: str = "19800101", region: str = "230902") -> str:
    first17 = f"{region}{birth}{serial:03d}"
    return first17 + resident_id_check_char(first17)


# --- accepting ------------------------------------------------------------------


def test_accept_writes_case_materials_event_audit_and_outbox_together(demo):
    ctx = at(demo.ctx, "2025-09-30 10:00")

    result = accept(demo, ctx, note="  urgent  ")

    assert result.kind == "case"
    assert result.number == "CH-20250930-01-0001"
    with raw(demo.db) as conn:
        case = conn.execute(
            "SELECT case_number, status, accepted_day, promised_date, legal_date, note, window_id, item_code "
            "FROM cases WHERE id = ?",
            (result.id,),
        ).fetchone()
        materials = conn.execute(
            "SELECT material_code, status FROM case_materials WHERE case_id = ? ORDER BY position",
            (result.id,),
        ).fetchall()
        events = conn.execute("SELECT kind, to_status FROM case_events WHERE case_id = ?", (result.id,)).fetchall()
        audits = conn.execute(
            "SELECT action, entity, workstation FROM audit_log WHERE entity_id = ?", (result.id,)
        ).fetchall()
        outbox = conn.execute("SELECT kind, entity, state FROM outbox WHERE entity_id = ?", (result.id,)).fetchall()
    # Sept 30 is a Tuesday; Oct 1-8 are National Day holidays and Sat Oct 11 a make-up
    # working day: the 10th working day is Tue Oct 21, the 20th is Tue Nov 4.
    assert case == (
        "CH-20250930-01-0001",
        "accepted",
        "2025-09-30",
        "2025-10-21",
        "2025-11-04",
        "urgent",
        "CH-01",
        ITEM,
    )
    assert demo.calendar.add_working_days(dt.date(2025, 9, 30), 10) == dt.date(2025, 10, 21)
    assert materials == [(code, RECEIVED) for code in ITEM_MATERIALS]
    assert events == [("accepted", "accepted")]
    assert audits == [("case.accept", "case", "CH-01")]
    assert outbox == [("case.accepted", "case", "pending")]


def test_number_uses_the_local_day_not_the_utc_day(demo):
    # 00:30 on Oct 9 in Shanghai is still Oct 8 in UTC.
    result = accept(demo, at(demo.ctx, "2025-10-09 00:30"))
    assert result.number == "CH-20251009-01-0001"


def test_case_made_at_midnight_has_one_day_everywhere(demo):
    ticks = iter(local("2025-10-09 23:59:59.999999") + dt.timedelta(microseconds=n) for n in range(100))
    ctx = dataclasses.replace(demo.ctx, clock=lambda: next(ticks))

    result = accept(demo, ctx)

    with raw(demo.db) as conn:
        (accepted_day,) = conn.execute("SELECT accepted_day FROM cases WHERE id = ?", (result.id,)).fetchone()
    listed = worklist.list_day_work(demo.db, demo.ctx, day=dt.date.fromisoformat(accepted_day))
    assert result.number == f"CH-{accepted_day.replace('-', '')}-01-0001"
    assert [e.number for e in listed] == [result.number]


def test_accept_refused_while_a_required_material_is_missing(demo):
    ctx = at(demo.ctx, "2025-09-30 10:00")
    before = snapshot(demo.db)

    with pytest.raises(ValidationError) as caught:
        accept(demo, ctx, checks=checks(except_={"M04": (MISSING, "")}))

    assert caught.value.field == "materials"
    assert "one-time notification" in caught.value.message
    assert snapshot(demo.db) == before  # nothing written, no number consumed
    assert accept(demo, ctx).number == "CH-20250930-01-0001"


def test_missing_optional_material_does_not_block_acceptance(demo):
    result = accept(demo, at(demo.ctx, "2025-09-30 10:00"), checks=checks(except_={"M03": (MISSING, "")}))
    with raw(demo.db) as conn:
        statuses = dict(
            conn.execute("SELECT material_code, status FROM case_materials WHERE case_id = ?", (result.id,)).fetchall()
        )
    assert statuses["M03"] == MISSING


@pytest.mark.parametrize(
    ("bad_checks", "words"),
    [
        ([*checks(), MaterialCheck("M99", RECEIVED)], "do not belong to this item: M99"),
        ([c for c in checks() if c.material_code != "M05"], "Not yet marked"),
        (checks(except_={"M02": (CORRECTION, "   ")}), "must be corrected"),
        ([*checks(), MaterialCheck("M01", RECEIVED)], "checked twice"),
        (checks(except_={"M02": ("lost", "")}), "Unknown material status"),
    ],
    ids=["unknown-code", "unmarked", "correction-without-note", "twice", "bad-status"],
)
@pytest.mark.parametrize("decision", [accept, notify], ids=["accept", "notify"])
def test_material_checks_that_make_no_sense_are_refused(demo, decision, bad_checks, words):
    before = snapshot(demo.db)
    with pytest.raises(ValidationError) as caught:
        decision(demo, at(demo.ctx, "2025-09-30 10:00"), checks=bad_checks)
    assert words in caught.value.message
    assert snapshot(demo.db) == before


def test_notification_lists_every_problem_in_catalog_order_with_requirements(demo):
    guide = {line.code: line for line in get_item_guide(demo.db, item_code=ITEM).materials}
    problems = {
        "M06": (MISSING, ""),
        "M02": (CORRECTION, " stamp of the hospital missing "),
        "M03": (MISSING, ""),  # optional, still listed so the applicant knows
    }

    result = notify(demo, at(demo.ctx, "2025-09-30 10:00"), checks=checks(except_=problems))

    assert result.number == "GZ-CH-20250930-01-0001"
    with raw(demo.db) as conn:
        entries = conn.execute(
            "SELECT material_code, name, problem, requirement, note FROM notification_entries "
            "WHERE notification_id = ? ORDER BY position",
            (result.id,),
        ).fetchall()
        outbox = conn.execute("SELECT kind FROM outbox WHERE entity_id = ?", (result.id,)).fetchall()
    assert entries == [
        ("M02", guide["M02"].name, CORRECTION, guide["M02"].requirement, "stamp of the hospital missing"),
        ("M03", guide["M03"].name, MISSING, guide["M03"].requirement, ""),
        ("M06", guide["M06"].name, MISSING, guide["M06"].requirement, ""),
    ]
    assert all(requirement for _c, _n, _p, requirement, _note in entries)
    assert outbox == [("notification.given",)]


def test_notification_with_everything_received_is_refused(demo):
    with pytest.raises(ValidationError, match="accept the application instead"):
        notify(demo, at(demo.ctx, "2025-09-30 10:00"), checks=checks())


@pytest.mark.parametrize(
    ("reason", "legal_basis", "field"),
    [
        ("", "Art. 3", "reason"),
        ("   ", "Art. 3", "reason"),
        ("Not resident", "", "legal_basis"),
        ("Not resident", "  ", "legal_basis"),
    ],
)
def test_refusal_needs_reason_and_legal_basis(demo, reason, legal_basis, field):
    before = snapshot(demo.db)
    with pytest.raises(ValidationError) as caught:
        refuse(demo, at(demo.ctx, "2025-09-30 10:00"), reason=reason, legal_basis=legal_basis)
    assert caught.value.field == field
    assert snapshot(demo.db) == before


def test_unknown_applicant_is_refused(demo):
    with pytest.raises(ValidationError) as caught:
        intake.accept_case(
            demo.db,
            demo.ctx,
            item_code=ITEM,
            applicant=ApplicantRef("resident", "nobody"),
            checks=checks(),
            shipped_calendar=demo.calendar,
        )
    assert caught.value.field == "applicant"


# --- numbers --------------------------------------------------------------------


def test_numbers_per_window_day_and_series(demo):
    day1 = at(demo.ctx, "2025-09-30 09:00")
    numbers = [
        accept(demo, day1).number,
        accept(demo, day1).number,
        notify(demo, day1).number,
        refuse(demo, day1).number,
        accept(demo, day1).number,
        notify(demo, day1).number,
        refuse(demo, day1).number,
    ]
    assert numbers == [
        "CH-20250930-01-0001",
        "CH-20250930-01-0002",
        "GZ-CH-20250930-01-0001",
        "BY-CH-20250930-01-0001",
        "CH-20250930-01-0003",
        "GZ-CH-20250930-01-0002",
        "BY-CH-20250930-01-0002",
    ]
    # Another window of the same center counts on its own.
    window2 = at(demo.ctx, "2025-09-30 09:30", window="02")
    assert accept(demo, window2).number == "CH-20250930-02-0001"
    assert notify(demo, window2).number == "GZ-CH-20250930-02-0001"
    assert accept(demo, day1).number == "CH-20250930-01-0004"
    # The next local day starts again at 0001, in every series.
    day2 = at(demo.ctx, "2025-10-09 08:31")
    assert accept(demo, day2).number == "CH-20251009-01-0001"
    assert notify(demo, day2).number == "GZ-CH-20251009-01-0001"
    assert refuse(demo, day2).number == "BY-CH-20251009-01-0001"


# --- all or nothing -------------------------------------------------------------


def test_failure_half_way_through_the_commit_writes_nothing(demo):
    ctx = at(demo.ctx, "2025-09-30 10:00")
    before = snapshot(demo.db)
    with raw(demo.db) as conn:
        conn.execute(
            "CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;"
        )

    with pytest.raises(StorageError) as caught:
        accept(demo, ctx)

    assert "Nothing was" in caught.value.message
    assert snapshot(demo.db) == before
    with raw(demo.db) as conn:
        conn.execute("DROP TRIGGER fail_outbox")
    assert accept(demo, ctx).number == "CH-20250930-01-0001"
    assert audit.verify_chain(demo.db) == []


_CHILD_ACCEPTS = """
import datetime as dt, sys
from pathlib import Path
from windowdesk.i18n import set_locale
from windowdesk.paths import resources_dir
from windowdesk.services import applicants, intake, working_days, workstation
from windowdesk.services.intake import MaterialCheck
from windowdesk.storage.db import Database

set_locale("en")
path, when, item, id_number, codes, key = sys.argv[1:7]
moment = dt.datetime.fromisoformat(when)
db = Database(Path(path), key=bytes.fromhex(key))
ctx = workstation.current_context(db, clock=lambda: moment)
calendar = working_days.load_shipped_calendar(resources_dir())
who = applicants.find_residents(db, workstation.current_context(db), query=id_number)[0].ref
checks = [MaterialCheck(code, "received") for code in codes.split(",")]
while True:
    result = intake.accept_case(db, ctx, item_code=item, applicant=who, checks=checks,
                                shipped_calendar=calendar)
    print(result.number, flush=True)
"""


def test_case_numbers_are_never_reused_after_a_crash(demo):
    moment = local("2025-09-30 10:00")
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _CHILD_ACCEPTS,
            str(demo.db.path),
            moment.isoformat(),
            ITEM,
            DEMO_ID,
            ",".join(ITEM_MATERIALS),
            demo.db.key.hex(),
        ],
        env={**os.environ, "PYTHONPATH": str(SRC_DIR)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    printed: list[str] = []
    try:
        for line in child.stdout:
            printed.append(line.decode())
            if len(printed) >= 8:
                break
        os.kill(child.pid, signal.SIGKILL)
    finally:
        rest, errors = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, errors.decode()
    printed += rest.decode().splitlines(keepends=True)
    committed = [line.strip() for line in printed if line.endswith("\n")]
    assert len(committed) >= 8

    # Restart: a new process (here, this one) opens the file and goes on numbering.
    demo.db.dispose()
    db = Database(demo.db.path, key=demo.db.key)
    try:
        after = dataclasses.replace(demo, db=db)
        more = [accept(after, at(demo.ctx, "2025-09-30 10:05")).number for _ in range(3)]
        numbers = case_numbers(db)
    finally:
        db.dispose()

    assert len(numbers) == len(set(numbers))
    assert numbers == [f"CH-20250930-01-{seq:04d}" for seq in range(1, len(numbers) + 1)]
    assert set(committed) <= set(numbers)
    assert set(more).isdisjoint(committed)


def test_disk_full_is_reported_in_plain_words_and_keeps_earlier_work(demo):
    demo.db.dispose()
    db = Database(demo.db.path, key=demo.db.key)

    @event.listens_for(db.write_engine, "connect")
    def _small_disk(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 4}")

    registered: list[str] = []
    try:
        with pytest.raises(StorageError) as caught:
            for serial in range(1, 500):
                id_number = new_id_number(serial)
                applicants.register_resident(
                    db,
                    demo.ctx,
                    id_number=id_number,
                    name=f"测试{serial}" + "居" * 20,
                    address="七台河市新兴区" + "大同街" * 37,  # the longest name and address allowed
                )
                registered.append(id_number)
        assert caught.value.title == "The disk is full"
        assert "disk" in caught.value.message and "Nothing was saved" in caught.value.message
        assert registered, "the limit left no room at all; the test proves nothing"
        for id_number in registered:
            assert [r.ref for r in applicants.find_residents(db, workstation.current_context(db), query=id_number)]
        assert applicants.find_residents(db, workstation.current_context(db), query=DEMO_ID)
    finally:
        db.dispose()


# --- today's work and details ---------------------------------------------------


def test_day_work_lists_todays_decisions_at_this_window_in_time_order(demo):
    yesterday = accept(demo, at(demo.ctx, "2025-10-09 23:59"))
    other_window = accept(demo, at(demo.ctx, "2025-10-10 09:15", window="02"))
    case = accept(demo, at(demo.ctx, "2025-10-10 09:00"))
    notification = notify(demo, at(demo.ctx, "2025-10-10 08:40"))
    refusal = refuse(demo, at(demo.ctx, "2025-10-10 11:20"))
    early = accept(demo, at(demo.ctx, "2025-10-10 07:30"))  # still Oct 9 in UTC

    entries = worklist.list_day_work(demo.db, at(demo.ctx, "2025-10-10 17:00"))

    assert [(e.kind, e.number) for e in entries] == [
        ("case", early.number),
        ("notification", notification.number),
        ("case", case.number),
        ("refusal", refusal.number),
    ]
    shown = {e.number for e in entries}
    assert yesterday.number not in shown and other_window.number not in shown
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    masked = DEMO_ID[:6] + "*" * 8 + DEMO_ID[-4:]
    assert {e.applicant_number for e in entries} == {masked}
    assert {e.applicant_name for e in entries} == {"王建国"}
    assert {e.item_name for e in entries} == {"城市医疗救助申请"}
    assert worklist.summarize(entries) == worklist.DaySummary(accepted=2, notified=1, refused=1)
    # Another day, asked for explicitly.
    earlier = worklist.list_day_work(demo.db, demo.ctx, day=dt.date(2025, 10, 9))
    assert [e.number for e in earlier] == [yesterday.number]


def test_record_detail_shows_materials_and_timeline(demo):
    ctx = at(demo.ctx, "2025-09-30 10:00")
    result = accept(demo, ctx, checks=checks(except_={"M03": (MISSING, "")}))

    detail = worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=result.id)

    names = [line.name for line in get_item_guide(demo.db, item_code=ITEM).materials]
    assert detail.number == result.number
    assert detail.applicant_number == DEMO_ID[:6] + "*" * 8 + DEMO_ID[-4:]
    assert [line[0] for line in detail.lines] == names
    assert detail.lines[2][1] == "Missing"
    assert {line[1] for i, line in enumerate(detail.lines) if i != 2} == {"Received"}
    assert detail.promised_date == dt.date(2025, 10, 21)
    assert detail.legal_date == dt.date(2025, 11, 4)
    assert [(step.label, step.at) for step in detail.timeline] == [
        ("Accepted at the window", local("2025-09-30 10:00").astimezone(dt.UTC))
    ]

    refusal = refuse(demo, ctx, reason="Outside this city", legal_basis="Rules art. 3")
    refusal_detail = worklist.get_record_detail(demo.db, demo.ctx, kind="refusal", record_id=refusal.id)
    assert (refusal_detail.reason, refusal_detail.legal_basis) == ("Outside this city", "Rules art. 3")

    notification = notify(demo, ctx)
    notification_detail = worklist.get_record_detail(demo.db, demo.ctx, kind="notification", record_id=notification.id)
    assert notification_detail.lines == ((names[0], "Missing", notification_detail.lines[0][2]),)
    assert notification_detail.lines[0][2]  # the requirement, when no note was written


# --- audit ----------------------------------------------------------------------


def _work_a_little(demo) -> None:
    ctx = at(demo.ctx, "2025-09-30 10:00")
    accept(demo, ctx)
    notify(demo, ctx)
    refuse(demo, ctx)


def _audit_seqs(db: Database) -> list[int]:
    with raw(db) as conn:
        return [row[0] for row in conn.execute("SELECT seq FROM audit_log ORDER BY seq")]


def test_audit_chain_is_intact_after_work(demo):
    _work_a_little(demo)
    with raw(demo.db) as conn:
        actions = [row[0] for row in conn.execute("SELECT action FROM audit_log ORDER BY seq")]
        details = [row[0] for row in conn.execute("SELECT detail FROM audit_log")]
    assert actions[-3:] == ["case.accept", "notification.give", "refusal.give"]
    assert not any(DEMO_ID in detail or "王建国" in detail for detail in details)
    assert audit.verify_chain(demo.db) == []


def test_audit_detects_a_changed_entry(demo):
    _work_a_little(demo)
    target = _audit_seqs(demo.db)[-2]
    with raw(demo.db) as conn:
        conn.execute(
            "UPDATE audit_log SET detail = json_set(detail, '$.number', 'GZ-CH-20250930-01-0099') WHERE seq = ?",
            (target,),
        )

    problems = audit.verify_chain(demo.db)

    assert problems == [f"Entry {target}: its content was changed."]


def test_audit_detects_a_removed_entry(demo):
    _work_a_little(demo)
    seqs = _audit_seqs(demo.db)
    removed = seqs[len(seqs) // 2]
    with raw(demo.db) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq = ?", (removed,))

    problems = audit.verify_chain(demo.db)

    following = seqs[seqs.index(removed) + 1]
    assert problems == [f"Entry {following}: the entry before it was changed or removed."]
