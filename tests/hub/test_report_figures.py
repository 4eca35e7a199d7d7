"""The city-wide report counted in SQL over ``case_figures`` equals, figure for figure, the
report built case by case in Python (tests/hub/report_oracle.py: the hub's report before
issue 26), on varied data pushed by real windows: suspensions, holidays (National Day),
parallel parts decided at the hub, refusals, notifications, deferrals, proxies,
deliveries, withdrawals, ratings and complaints, steps late in the UTC day (the next local
day), two centers. And the figures follow what changes them after the push: a calendar day
set, a calendar year published, an item's promised limit changed, a center's time zone,
and ``rebuild-case-figures``. The report by center, window and operator adds up the
figures' day sums (case_figure_days): these stay what summing every case anew makes after
each such change, a late push into old days, hub decisions and steps dated by a wrong
clock (those cases counted apart, row by row). On SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, delete, func, select
from sqlalchemy.pool import NullPool

from windowdesk.domain.assessment import GROUPINGS
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.cli import main
from windowdesk.hub.services import (
    admin,
    calendar_years,
    catalog_import,
    city_publishing,
    figure_days,
    public_ratings,
)
from windowdesk.hub.services.console_rights import ADMINISTRATOR, ConsoleActor
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.services.reports import city_report, report_json
from windowdesk.hub.storage.migrate import alembic_config
from windowdesk.hub.storage.models import Case
from windowdesk.hub.storage.models_figures import CaseFigureDay, CaseFigures, RatingDay
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, EventFactory, Hub, Workstation, seeded_sqlite_hub
from .report_oracle import oracle_reports

SEED = 2612
FIGURES_REVISION = "0015_h26year_case_figures"  # the migration that made case_figures
DAY_SUMS_REVISION = "0016_h26agg_figure_days"  # the one that made their day sums
# (start, end) of the reports compared: a month around National Day, a quarter, a week,
# and the last month up to today (the hub's own decisions are dated today).
PERIODS = (
    (dt.date(2025, 10, 1), dt.date(2025, 10, 31)),
    (dt.date(2025, 9, 1), dt.date(2025, 12, 31)),
    (dt.date(2025, 11, 3), dt.date(2025, 11, 9)),
)
# Items of the city hall: their department and promised limit (the demo catalog's).
CITY_ITEMS = ("LB-002", "MZ-002", "MZ-006", "GA-001", "LB-006", "GS-003", "GS-005")
STREET_ITEMS = ("JD-001", "JD-002")
PARALLEL = ("GS-003", "GS-005")
ADMIN = ConsoleActor("1", "admin", "Admin", ADMINISTRATOR)


def _handover() -> dict[str, Any]:
    return {
        "mode": "window",
        "collector_name": "李四",
        "collector_id_masked": "230902********123X",
        "agent": False,
        "power_of_attorney": "",
        "read_from_card": True,
        "waybill": "",
        "locker_code": "",
    }


class _City:
    """Random but repeatable activity of one window over the autumn of 2025."""

    def __init__(self, rng: random.Random, window: Workstation, center: str, items: tuple[str, ...]) -> None:
        self.rng, self.window, self.items = rng, window, items
        self.events = EventFactory(center=center, window=window.window_id)
        self.operators = [new_uuid() for _ in range(3)]
        self.parallel: list[str] = []  # cases waiting for their parts at the hub

    def _at(self, day: dt.date) -> dt.datetime:
        # Any hour of the UTC day: from 16:00 on, it is the next day in Shanghai.
        return dt.datetime.combine(day, dt.time(self.rng.randrange(24), self.rng.randrange(60)), tzinfo=dt.UTC)

    def _later(self, day: dt.date) -> dt.date:
        return day + dt.timedelta(days=self.rng.choice((0, 0, 1, 2, 3, 5, 8, 13, 21)))

    def _step(self, case_id: str, action: str, day: dt.date, **extra: Any) -> dict[str, Any]:
        self.events.clock = self._at(day)
        return self.events.status(case_id, action, **extra)

    def batch(self, cases: int) -> list[dict[str, Any]]:
        rng, events = self.rng, self.events
        resident, agent = events.resident(), events.resident(name="刘志强", id_number="23090319760509009X")
        batch = [resident, agent]
        for n in range(cases):
            day = dt.date(2025, 9, 1) + dt.timedelta(days=rng.randrange(110))
            events.clock = self._at(day)
            item = rng.choice(self.items)
            extra: dict[str, Any] = {}
            if rng.random() < 0.2:
                extra["proxy"] = {
                    "agent": {"kind": "resident", "id": agent["entity_id"]},
                    "power_of_attorney_date": day.isoformat(),
                }
            if rng.random() < 0.2 and item == "MZ-002":
                extra["deferral"] = {"commitment_date": (day + dt.timedelta(days=10)).isoformat(), "materials": ["M05"]}
            case = events.case(
                resident["entity_id"],
                item=item,
                operator=rng.choice(self.operators),
                number=f"{events.center}-{day:%Y%m%d}-{self.window.window_code}-{n + 1:04d}",
                **extra,
            )
            batch.append(case)
            batch += self._life(case["entity_id"], day, item in PARALLEL)
            if rng.random() < 0.3:
                events.clock = self._at(self._later(day))
                batch.append(self._record(rng.choice(("notification.given", "refusal.given")), resident, item))
            if rng.random() < 0.5:
                events.clock = self._at(self._later(day))
                batch += self._voice(item)
        return batch

    def _life(self, case_id: str, day: dt.date, parallel: bool) -> list[dict[str, Any]]:
        rng, steps = self.rng, []
        fate = rng.random()
        if fate < 0.1:
            return steps  # still accepted
        if fate < 0.18:
            return [self._step(case_id, "withdraw", self._later(day))]
        if rng.random() < 0.3:  # materials missing before the review
            day = self._later(day)
            steps.append(self._step(case_id, "suspend", day))
            if rng.random() < 0.2:
                return steps  # still waiting
            day = self._later(day)
            steps += [self._step(case_id, "resume", day)]
        else:
            day = self._later(day)
            steps.append(self._step(case_id, "start_review", day))
        for _ in range(rng.choice((0, 0, 1, 2))):  # suspended again (an inspection, a hearing)
            day = self._later(day)
            steps.append(self._step(case_id, "suspend", day, suspension_kind=rng.choice(("materials", "hearing"))))
            if rng.random() < 0.15:
                return steps
            day = self._later(day)
            steps.append(self._step(case_id, "resume", day))
        if parallel:
            self.parallel.append(case_id)
            return steps
        if rng.random() < 0.1:
            return [*steps, self._step(case_id, "withdraw", self._later(day))]
        day = self._later(day)
        steps.append(self._step(case_id, rng.choice(("approve", "approve", "reject")), day))
        if rng.random() < 0.15:
            return steps  # decided, not yet completed
        day = self._later(day)
        steps.append(self._step(case_id, "complete", day))
        if rng.random() < 0.6:
            steps.append(self._step(case_id, "deliver", self._later(day), handover=_handover()))
        return steps

    def _record(self, kind: str, resident: dict[str, Any], item: str) -> dict[str, Any]:
        events, record_id = self.events, new_uuid()
        series = "GZ" if kind == "notification.given" else "BY"
        return events.event(
            kind,
            kind.split(".")[0],
            record_id,
            {
                "id": record_id,
                "number": f"{series}-{events.center}-{events.clock:%Y%m%d}-01-{events.seq + 1:04d}",
                "center": events.center,
                "window": self.window.window_id,
                "operator": self.rng.choice(self.operators),
                "item": item,
                "applicant": {"kind": "resident", "id": resident["entity_id"]},
                "created_at": events.clock.isoformat(),
                "reason": "材料不全",
                "legal_basis": "第三十二条",
            },
        )

    def _voice(self, item: str) -> list[dict[str, Any]]:
        rng, events = self.rng, self.events
        rating_id = new_uuid()
        voice = [
            events.event(
                "rating.given",
                "rating",
                rating_id,
                {
                    "id": rating_id,
                    "center": events.center,
                    "window": self.window.window_id,
                    "operator": rng.choice(self.operators),
                    "level": rng.randint(1, 5),
                    "reason": "",
                    "channel": "applicant_screen",
                    "rated_at": events.clock.isoformat(),
                    "case_id": None,
                    "item": rng.choice((item, None)),
                    "follow_up": None,
                },
            )
        ]
        if rng.random() < 0.3:
            complaint_id = new_uuid()
            about_item = rng.random() < 0.5
            voice.append(
                events.event(
                    "complaint.received",
                    "complaint",
                    complaint_id,
                    {
                        "id": complaint_id,
                        "number": f"TS-{events.center}-{events.seq:05d}",
                        "center": events.center,
                        "window": self.window.window_id,
                        "operator": rng.choice(self.operators),
                        "complainant_name": "周女士",
                        "complainant_phone": "13900000000",
                        "about": {
                            "window": self.window.window_id,
                            "operator": rng.choice(self.operators),
                            "department": None if about_item else "MZJ",
                            "item": item if about_item else None,
                            "case_id": None,
                        },
                        "facts": "态度生硬",
                        "owner": new_uuid(),
                        "deadline": (events.clock.date() + dt.timedelta(days=5)).isoformat(),
                        "received_at": events.clock.isoformat(),
                    },
                )
            )
            if rng.random() < 0.7:
                events.clock += dt.timedelta(days=rng.choice((1, 4, 5, 6, 9)), hours=rng.randrange(24))
                voice.append(
                    events.event(
                        "complaint.replied",
                        "complaint",
                        complaint_id,
                        {
                            "id": complaint_id,
                            "center": events.center,
                            "reply": "已核实",
                            "replied_at": events.clock.isoformat(),
                        },
                    )
                )
        return voice


def _decide(hub: Hub, case_id: str, department: str, decision: str) -> None:
    headers = {**VERSION_HEADERS, "Authorization": f"Bearer {hub.staff_token(department)}"}
    reply = hub.client.post(
        f"{API_PREFIX}/cases/{case_id}/decisions",
        headers=headers,
        json={"decision": decision, "department": department, "note": ""},
    )
    assert reply.status_code in (200, 409), reply.text


def _periods() -> list[tuple[dt.date, dt.date]]:
    today = dt.datetime.now(dt.UTC).date()
    return [*PERIODS, (today - dt.timedelta(days=30), today + dt.timedelta(days=1))]


def _day_sums(hub: Hub) -> dict[tuple[Any, ...], tuple[int, ...]]:
    found = {}
    with current_figures(hub.db) as session:
        for model, counts in ((CaseFigureDay, figure_days.COUNTS), (RatingDay, figure_days.RATING_COUNTS)):
            table = model.__table__
            keys = (table.c.day, table.c.center_code, table.c.window_key, table.c.operator_key)
            found.update(
                {
                    (model.__tablename__, *row[:4]): tuple(row[4:])
                    for row in session.execute(select(*keys, *(table.c[name] for name in counts)))
                    if any(row[4:])
                }
            )
    return found


def _assert_same_as_the_oracle(hub: Hub, *, sums: bool = True) -> int:
    """Every report equals the oracle's, and (``sums``) the day sums kept along are what
    summing every case's figures anew makes."""
    compared = 0
    with current_figures(hub.db) as session:
        for start, end in _periods():
            for narrowed in ({}, {"center": "CH"}, {"department": "MZJ"}):
                built = oracle_reports(session, start=start, end=end, groupings=GROUPINGS, **narrowed)
                for by in GROUPINGS:
                    counted = report_json(city_report(session, start=start, end=end, by=by, **narrowed))
                    assert counted == report_json(built[by]), (start, end, by, narrowed)
                    compared += 1
    if sums:
        kept = _day_sums(hub)
        with hub.db.write() as session:
            figure_days.resum(session)
            figure_days.resum_ratings(session)
        assert _day_sums(hub) == kept
    return compared


def _seed_city(hub: Hub) -> None:
    """Three windows of two centers push 180 varied cases; departments decide the parallel parts."""
    hub.import_demo_catalog()
    rng = random.Random(SEED)
    windows = [
        _City(rng, hub.enroll("CH", "01"), "CH", CITY_ITEMS),
        _City(rng, hub.enroll("CH", "02"), "CH", CITY_ITEMS),
        _City(rng, hub.enroll("JD01", "01"), "JD01", STREET_ITEMS),
    ]
    for window in windows:
        batch = window.batch(60)
        results = hub.push_results(window.window, batch)
        assert {status for status, _ in results} == {"applied"}, [r for r in results if r[0] != "applied"][:3]
    parallel = [case_id for window in windows for case_id in window.parallel]
    for case_id in parallel:  # each department decides its part; some refuse
        for department in ("GSJ", "ZJJ", "SWJ"):
            _decide(hub, case_id, department, rng.choice(("approve", "approve", "approve", "reject")))


@pytest.fixture(scope="module")
def _city_on_sqlite(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    return seeded_sqlite_hub(tmp_path_factory, sqlite_template, _seed_city)


@pytest.fixture
def hub_sqlite_start(backend: str, sqlite_template: Path, request: pytest.FixtureRequest) -> Path:
    """On SQLite each test's hub is a copy of the city seeded once for the module (pushing
    it took some 2.5 s of CPU per test); on PostgreSQL ``city`` seeds each test's hub."""
    return request.getfixturevalue("_city_on_sqlite") if backend == "sqlite" else sqlite_template


@pytest.fixture
def city(hub: Hub, backend: str) -> Hub:
    if backend == "postgresql":
        _seed_city(hub)
    return hub


def test_the_counted_report_equals_the_case_by_case_one(city: Hub) -> None:
    with current_figures(city.db) as session:
        report = city_report(session, start=dt.date(2025, 9, 1), end=dt.date(2025, 12, 31), by="center")
        assert (
            session.scalar(select(func.count()).select_from(CaseFigures))
            == session.scalar(select(func.count()).select_from(Case))
            == 180
        )
    total = report.total
    # The data holds every kind of figure the report has, so each one is compared.
    assert (
        min(
            total.accepted,
            total.proxy_accepted,
            total.deferred_accepted,
            total.completed,
            total.on_time,
            total.late,
            total.open_overdue,
            total.notifications,
            total.refusals,
            total.rating_count,
            total.complaints,
            total.complaints_resolved,
            total.complaints_on_time,
            total.delivered,
            total.delivered_late,
            total.delivery_overdue,
        )
        > 0
    ), total
    assert _assert_same_as_the_oracle(city) == len(_periods()) * len(GROUPINGS) * 3


def _october(hub: Hub) -> dict[str, Any]:
    with current_figures(hub.db) as session:
        return report_json(city_report(session, start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 31), by="department"))


def test_the_figures_follow_the_calendar_the_catalog_and_the_time_zone(city: Hub) -> None:
    """Each change moves figures, and the counted report sees them as the case-by-case
    one does right after it (each step checked alone: a later one recomputes more)."""
    now = dt.datetime.now(dt.UTC)
    before = _october(city)
    with city.db.write(feed=True) as session:  # Monday 13 October off, Saturday 4 October worked
        admin.publish_calendar_override(session, day=dt.date(2025, 10, 13), is_working_day=False, note="", now=now)
        admin.publish_calendar_override(session, day=dt.date(2025, 10, 4), is_working_day=True, note="", now=now)
    assert _october(city) != before
    _assert_same_as_the_oracle(city)
    before = _october(city)
    with city.db.write(feed=True) as session:  # 2025 published again, with Friday 24 October off
        year = calendar_years.hub_calendar(session).published_year(2025, source="test")
        changed = replace(year, holidays={**year.holidays, dt.date(2025, 10, 24): "测试"})
        calendar_years.publish_year(session, year=changed, now=now)
    assert _october(city) != before
    _assert_same_as_the_oracle(city)
    before = _october(city)
    with city.db.write(feed=True) as session:  # 民政 MZ-002: 10 working days become 3
        city_publishing.publish_item(
            session, by=ADMIN, code="MZ-002", fields={"promised_limit_days": 3}, version="2025-test-1", now=now
        )
    assert _october(city) != before
    _assert_same_as_the_oracle(city)
    with current_figures(city.db) as session:
        before = report_json(
            city_report(session, start=dt.date(2025, 9, 1), end=dt.date(2025, 12, 31), by="window", center="JD01")
        )
    with city.db.write() as session:  # the street center moves to a clock three hours behind
        admin.save_center(session, code="JD01", name="新兴街道便民服务中心", kind="street", timezone="Asia/Urumqi")
    with current_figures(city.db) as session:
        assert (
            report_json(
                city_report(session, start=dt.date(2025, 9, 1), end=dt.date(2025, 12, 31), by="window", center="JD01")
            )
            != before
        )
    _assert_same_as_the_oracle(city)


def test_rebuild_makes_the_figures_of_a_hub_from_before_the_table(city: Hub, capsys) -> None:
    with city.db.write() as session:  # the day sums too: the command makes them again
        session.execute(delete(RatingDay))
        session.execute(delete(CaseFigures))
    assert main(city.cli_args("rebuild-case-figures")) == 0
    assert "180" in capsys.readouterr().out
    _assert_same_as_the_oracle(city)


def test_upgrading_a_hub_with_cases_works_their_figures_out(city: Hub, capsys) -> None:
    """A hub from before the table (its schema one migration behind, its cases without
    figures): the first command after the upgrade fills it, as the report needs."""
    engine = create_engine(city.url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            config = alembic_config(connection)
            before_the_table = ScriptDirectory.from_config(config).get_revision(FIGURES_REVISION).down_revision
            command.downgrade(config, before_the_table)  # and every migration after it
    finally:
        engine.dispose()
    assert main(city.cli_args("migrate")) == 0
    with current_figures(city.db) as session:
        assert session.scalar(select(func.count()).select_from(CaseFigures)) == 180
    _assert_same_as_the_oracle(city)


def test_a_catalog_moving_a_center_to_another_time_zone_moves_its_figures(city: Hub) -> None:
    with current_figures(city.db) as session:
        documents = copy.deepcopy(city_publishing.current_catalog(session, by=ADMIN).documents)
    for center in documents["centers"]["centers"]:
        if center["code"] == "JD01":
            center["timezone"] = "Asia/Urumqi"
    documents["items"]["version"] = "2025-test-zone"
    with city.db.write(feed=True) as session:
        catalog_import.publish_documents(
            session, catalog=catalog_import.parse_documents(documents), documents=documents, now=dt.datetime.now(dt.UTC)
        )
    _assert_same_as_the_oracle(city)


def _at(day: dt.date, hour: int = 2) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _apart(hub: Hub, *case_ids: str) -> list[bool]:
    with current_figures(hub.db) as session:
        return [session.get(CaseFigures, case_id).counted_apart for case_id in case_ids]


def test_late_pushes_hub_decisions_and_wrong_clocks_keep_the_sums_right(city: Hub) -> None:
    """After the reports were read: a window syncs October's work in December (a late
    push into old days); a parallel case of September is decided at the hub and then
    completed and delivered (it was open and overdue until today); and steps dated by a
    window clock set wrong, a completion before the acceptance and a delivery before the
    decision, which no day sum can hold: those cases are counted apart."""
    window = city.enroll("CH", "02")
    events = EventFactory(center="CH", window=window.window_id)
    resident = events.resident()
    numbers = iter(range(9001, 9100))

    def case(day: dt.date, item: str) -> dict[str, Any]:
        events.clock = _at(day)
        return events.case(resident["entity_id"], item=item, number=f"CH-{day:%Y%m%d}-02-{next(numbers)}")

    def steps(case_id: str, *dated: tuple[str, dt.date]) -> list[dict[str, Any]]:
        found = []
        for action, day in dated:
            events.clock = _at(day)
            found.append(events.status(case_id, action, **({"handover": _handover()} if action == "deliver" else {})))
        return found

    october, parallel = case(dt.date(2025, 10, 9), "LB-002"), case(dt.date(2025, 9, 3), "GS-003")
    completed_first, delivered_first = case(dt.date(2025, 10, 15), "LB-002"), case(dt.date(2025, 10, 15), "LB-002")
    batch = [resident, october, parallel, completed_first, delivered_first]
    batch += steps(
        october["entity_id"],
        ("start_review", dt.date(2025, 10, 10)),
        ("approve", dt.date(2025, 10, 20)),
        ("complete", dt.date(2025, 10, 21)),
        ("deliver", dt.date(2025, 10, 29)),
    )
    batch += steps(parallel["entity_id"], ("start_review", dt.date(2025, 9, 4)))
    batch += steps(
        completed_first["entity_id"],
        ("start_review", dt.date(2025, 10, 13)),
        ("approve", dt.date(2025, 10, 13)),
        ("complete", dt.date(2025, 10, 14)),
    )
    batch += steps(
        delivered_first["entity_id"],
        ("start_review", dt.date(2025, 10, 16)),
        ("approve", dt.date(2025, 10, 30)),
        ("complete", dt.date(2025, 10, 17)),
        ("deliver", dt.date(2025, 10, 20)),
    )
    assert {status for status, _ in city.push_results(window, batch)} == {"applied"}
    assert _apart(
        city, october["entity_id"], parallel["entity_id"], completed_first["entity_id"], delivered_first["entity_id"]
    ) == [False, False, True, True]
    _assert_same_as_the_oracle(city)

    # The applicant rates the delivered case on the public pages (dated today).
    public_ratings.rate_case(
        city.db,
        case_id=october["entity_id"],
        level=2,
        aspects=dict.fromkeys(public_ratings.ASPECTS, 2),
        comment="",
        now=dt.datetime.now(dt.UTC),
    )
    _assert_same_as_the_oracle(city)

    for department in ("GSJ", "ZJJ", "SWJ"):  # decided today: the delivery deadline starts
        _decide(city, parallel["entity_id"], department, "approve")
    _assert_same_as_the_oracle(city)
    today = dt.datetime.now(dt.UTC).date()
    later = steps(parallel["entity_id"], ("complete", today), ("deliver", today))
    assert {status for status, _ in city.push_results(window, later)} == {"applied"}
    _assert_same_as_the_oracle(city)


def test_upgrading_a_hub_with_figures_sums_them_by_day(city: Hub) -> None:
    """A hub from before the day sums: the migration marks its figures counted apart (row
    by row, still right), and the command that migrated it then sums them (all but the
    few whose steps a window's clock dated out of order: the city's data has some)."""
    apart = select(func.count()).select_from(CaseFigures).where(CaseFigures.counted_apart)
    with current_figures(city.db) as session:
        out_of_order = session.scalar(apart)
    assert 0 < out_of_order < 10
    engine = create_engine(city.url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), FIGURES_REVISION)
    finally:
        engine.dispose()
    assert main(city.cli_args("migrate")) == 0
    with current_figures(city.db) as session:
        assert session.scalar(apart) == out_of_order
        assert session.scalar(select(func.count()).select_from(CaseFigureDay)) > 0
    _assert_same_as_the_oracle(city)


def test_cases_counted_apart_are_counted_right(city: Hub) -> None:
    """Every case counted row by row (as a hub is between the migration and its sums)."""
    with city.db.write() as session:
        session.execute(delete(CaseFigureDay))
        session.execute(CaseFigures.__table__.update().values(counted_apart=True))
    _assert_same_as_the_oracle(city, sums=False)
