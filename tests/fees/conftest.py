"""Shared set-up of the fee tests: fixed clocks, operators, accepted cases, street windows."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from windowdesk.domain.fees import Tender
from windowdesk.services import auth, intake
from windowdesk.services.applicants import RESIDENT, ApplicantRef
from windowdesk.services.approval import SupervisorCredentials
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.context import CounterContext
from windowdesk.services.intake import MaterialCheck
from windowdesk.storage import queries

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_SUPERVISOR = SupervisorCredentials("demo", "Lantern-48Q")  # bootstrap.DEMO_LOGIN / PASSWORD
STREET_SUPERVISOR = SupervisorCredentials("jd01lead", "Street2026x")  # see the street_supervisor fixture
CLERK_LOGIN, CLERK_PASSWORD = "clerk01", "Ledger2027x"
WANG = "230902196210010496"  # 王建国, no welfare status, born 1962
ZHANG_DIBAO = "230902194403180126"  # 张秀英, 低保, born 1944 (80 or older from 2024 on)
ELDERLY_CARD = "LL-001"  # 老年证: ¥5.00, exempt for 低保 and 80+
HOUSE_REGISTRATION = "FC-001"  # ¥80.00 + ¥10.00 per extra certificate, at most 10
LAND_REGISTRATION = "GT-001"  # tiered by area
ID_CARD = "GA-001"  # ¥20.00, exempt for 低保


def at(ctx: CounterContext, when: str) -> CounterContext:
    """The context with a fixed local clock (Asia/Shanghai)."""
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=SHANGHAI)
    return dataclasses.replace(ctx, clock=lambda: moment)


def street(ctx: CounterContext, center: str = "JD01", window: str = "01") -> CounterContext:
    """The same operator at a street center's window (utility payments are taken there)."""
    return dataclasses.replace(
        ctx,
        center_code=center,
        center_name=center,
        window_id=f"{center}-{window}",
        window_code=window,
        window_name=window,
    )


def cash(tendered_fen: int) -> Tender:
    return Tender("cash", tendered_fen=tendered_fen)


def resident(db, id_number: str = WANG) -> ApplicantRef:
    with db.read() as session:
        return ApplicantRef(RESIDENT, queries.resident_by_id_number(session, id_number).id)


def accept(demo, ctx: CounterContext, item: str = ELDERLY_CARD, id_number: str = WANG) -> str:
    """Accept a case with every material received; its id."""
    guide = get_item_guide(demo.db, item_code=item)
    checks = [MaterialCheck(mat.code, "received") for mat in guide.materials]
    return intake.accept_case(
        demo.db,
        ctx,
        item_code=item,
        applicant=resident(demo.db, id_number),
        checks=checks,
        shipped_calendar=demo.calendar,
    ).id


def make_operator(demo, ctx: CounterContext, *, login: str, role: str, password: str) -> CounterContext:
    """An account made by the demo supervisor (at ``ctx``'s center) and logged in."""
    auth.create_operator(demo.db, ctx, login=login, display_name=f"{login}-name", role=role, initial_password=password)
    logged = auth.log_in(demo.db, login=login, password=password, clock=ctx.clock).ctx
    return dataclasses.replace(
        logged,
        **{
            f: getattr(ctx, f)
            for f in ("center_code", "center_name", "window_id", "window_code", "window_name", "clock")
        },
    )


@pytest.fixture
def clerk(demo) -> CounterContext:
    """A plain operator (not a supervisor) at the demo window CH-01, on 2026-11-25 10:00."""
    return make_operator(
        demo, at(demo.ctx, "2026-11-25 10:00"), login=CLERK_LOGIN, role="operator", password=CLERK_PASSWORD
    )


@pytest.fixture
def street_supervisor(demo) -> SupervisorCredentials:
    """A supervisor of street center JD01, made by the demo supervisor."""
    make_operator(
        demo,
        street(at(demo.ctx, "2026-11-25 09:00")),
        login=STREET_SUPERVISOR.login,
        role="supervisor",
        password=STREET_SUPERVISOR.password,
    )
    return STREET_SUPERVISOR
