"""The hall's link to the hub (issues 25 and 27): a center's hall token reads that center's
bookings of a day, masked, and nothing else; a new token replaces the old."""

from __future__ import annotations

import datetime as dt

from windowdesk.hub.services import hall_link
from windowdesk.hub.services import public_bookings as bookings
from windowdesk.hub.services.console_rights import ADMINISTRATOR, ConsoleActor
from windowdesk.sync.protocol import API_PREFIX

ADMIN = ConsoleActor("1", "admin", "Admin", ADMINISTRATOR)
NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
TOMORROW = dt.date(2026, 12, 8)


def _token(hub, center: str) -> str:
    with hub.db.write() as session:
        return hall_link.issue_hall_token(session, center_code=center, now=NOW)


def _read(hub, token: str, day: dt.date = TOMORROW):
    return hub.client.get(
        f"{API_PREFIX}/hall/bookings", params={"day": day.isoformat()}, headers={"Authorization": f"Bearer {token}"}
    )


def test_a_hall_token_reads_its_own_centers_bookings_of_a_day_masked(hub, demo_catalog: None) -> None:
    with hub.db.write() as session:
        for center in ("JD01", "JD02"):
            bookings.set_capacity(
                session,
                by=ADMIN,
                center_code=center,
                item_code="MZ-002",
                day=TOMORROW,
                half_day="am",
                capacity=3,
                now=NOW,
            )
    mine = bookings.book(
        hub.db,
        center_code="JD01",
        item_code="MZ-002",
        day=TOMORROW,
        half_day="am",
        name="王建国",
        phone="13800138000",
        id_number="230902196210010496",
        address="a",
        now=NOW,
    )
    cancelled = bookings.book(
        hub.db,
        center_code="JD01",
        item_code="MZ-002",
        day=TOMORROW,
        half_day="am",
        name="李四",
        phone="13900139000",
        address="b",
        now=NOW,
    )
    bookings.cancel(hub.db, code=cancelled, now=NOW)
    bookings.book(
        hub.db,
        center_code="JD02",
        item_code="MZ-002",
        day=TOMORROW,
        half_day="am",
        name="赵五",
        phone="13700137000",
        address="c",
        now=NOW,
    )
    token = _token(hub, "JD01")

    answer = _read(hub, token)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["center"] == "JD01"
    assert sorted((b["code"], b["name"], b["status"]) for b in body["bookings"]) == sorted(
        [(mine, "王*国", "booked"), (cancelled, "李*", "cancelled")]
    )
    assert "13800138000" not in answer.text and "230902196210010496" not in answer.text
    assert _read(hub, token, TOMORROW + dt.timedelta(days=1)).json()["bookings"] == []

    assert _token(hub, "JD01") != token
    assert _read(hub, token).status_code == 401  # replaced
    assert _read(hub, "wdhall_made-up").status_code == 401
    assert hub.client.get(f"{API_PREFIX}/hall/bookings", params={"day": "2026-12-08"}).status_code == 401
