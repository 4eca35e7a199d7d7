"""Decided records on the demo workstation, and reading PDFs back as text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pypdf
import pytest

from windowdesk.i18n import set_locale
from windowdesk.services import applicants, intake
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.context import CounterContext
from windowdesk.services.intake import CORRECTION, MISSING, RECEIVED, MaterialCheck

from ..conftest import DemoSnapshot, snapshot_of_demo

DEMO_ID = "230902196210010496"  # 王建国 in resources/demo/residents.json
DEMO_MASKED = "230902********0496"
MOMENT = dt.datetime(2026, 11, 25, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
ACCEPT_ITEM = "FC-001"
NOTIFY_ITEM = "MZ-002"
REFUSE_ITEM = "MZ-001"


@dataclass(frozen=True)
class Decided:
    demo: object
    ctx: CounterContext
    case: intake.IntakeResult
    notification: intake.IntakeResult
    refusal: intake.IntakeResult

    @property
    def db(self):
        return self.demo.db


def _checks(db, item_code: str, problems: dict[int, tuple[str, str]]) -> list[MaterialCheck]:
    guide = get_item_guide(db, item_code=item_code)
    return [MaterialCheck(mat.code, *problems.get(i, (RECEIVED, ""))) for i, mat in enumerate(guide.materials)]


def _decide(demo) -> tuple[CounterContext, intake.IntakeResult, intake.IntakeResult, intake.IntakeResult]:
    ctx = dataclasses.replace(demo.ctx, clock=lambda: MOMENT)
    who = applicants.find_residents(demo.db, demo.ctx, query=DEMO_ID)[0].ref
    case = intake.accept_case(
        demo.db,
        ctx,
        item_code=ACCEPT_ITEM,
        applicant=who,
        checks=_checks(demo.db, ACCEPT_ITEM, {}),
        shipped_calendar=demo.calendar,
    )
    notification = intake.notify_missing(
        demo.db,
        ctx,
        item_code=NOTIFY_ITEM,
        applicant=who,
        checks=_checks(demo.db, NOTIFY_ITEM, {0: (MISSING, ""), 3: (CORRECTION, "收入证明未加盖公章")}),
    )
    guide = get_item_guide(demo.db, item_code=REFUSE_ITEM)
    refusal = intake.refuse_application(
        demo.db,
        ctx,
        item_code=REFUSE_ITEM,
        applicant=who,
        reason=guide.refusal_grounds[0],
        legal_basis=guide.legal_basis,
    )
    return ctx, case, notification, refusal


@pytest.fixture(scope="session")
def _decided_snapshot(tmp_path_factory, _database_templates) -> DemoSnapshot:
    return snapshot_of_demo(tmp_path_factory, _database_templates, _decide)


@pytest.fixture
def decided(_decided_snapshot: DemoSnapshot, data_dir) -> Iterator[Decided]:
    """One accepted case, one one-time notification (one missing, one to correct), one refusal:
    decided once per test process, each test on its own copy of the database."""
    with _decided_snapshot.open_copy(data_dir) as (demo, seeded):
        yield Decided(demo, *seeded)


@pytest.fixture
def chinese() -> Iterator[None]:
    """Documents as the counter prints them: in Chinese (the default locale)."""
    set_locale("zh_CN")
    yield
    set_locale("en")


def squash(text: str) -> str:
    """Text without any whitespace: extraction spaces CJK and wraps lines unpredictably."""
    return re.sub(r"\s+", "", text)


def page_texts(pdf: bytes) -> list[str]:
    """The whitespace-free text of each page."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [squash(page.extract_text() or "") for page in reader.pages]


def all_text(pdf: bytes) -> str:
    return "".join(page_texts(pdf))
