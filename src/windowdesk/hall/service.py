"""The queue's rules: who is called next, what each button does to a ticket.

A ticket's life: ``waiting`` → ``called`` (by a window; a recall calls it again) →
``serving`` → ``done``. A ticket not answering is skipped to ``no_show`` (过号) and can
be put back in line (``waiting`` again, at the end of the line). A transfer sends it to
another business or one named window (``transferred``: it keeps its number and its
original place in line, so it is called before those who came after it).
Numbers are per business per day (A001, A002, ...), the day being the hall's local date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from windowdesk.hall.errors import HallError, not_found
from windowdesk.hall.storage.store import HallStore
from windowdesk.i18n import N_

if TYPE_CHECKING:
    import sqlite3

DEFAULT_TIMEZONE = "Asia/Shanghai"
ROLES = ("window", "kiosk", "display")
CALL_KINDS = ("call", "recall")
RECENT_CALLS = 10
FEED_PAGE = 50
NUMBER_DIGITS = 3
FINISHED_DAYS_PAGE = 62  # two months: a window carries them in one sync


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mask_name(name: str | None) -> str:
    """王芳 → 王*, 欧阳娜娜 → 欧***: the hall sees the family name only."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


class HallService:
    def __init__(
        self,
        store: HallStore,
        *,
        timezone: str = DEFAULT_TIMEZONE,
        clock: Callable[[], dt.datetime] = utc_now,
        on_event: Callable[[int], None] | None = None,
    ) -> None:
        self.store = store
        self.zone = ZoneInfo(timezone)
        self.clock = clock
        self.on_event = on_event or (lambda _seq: None)

    # --- time -------------------------------------------------------------------------

    def today(self) -> str:
        """The hall's local day (ISO)."""
        return self._now()[1]

    def _now(self) -> tuple[str, str]:
        """(UTC timestamp, the hall's local day)."""
        now = self.clock()
        return now.isoformat(timespec="microseconds"), now.astimezone(self.zone).date().isoformat()

    # --- set-up -----------------------------------------------------------------------

    def set_business(self, *, prefix: str, name: str, items: list[str] | None = None) -> None:
        prefix = prefix.strip().upper()
        if len(prefix) != 1 or not "A" <= prefix <= "Z":
            raise HallError(
                "bad_prefix", N_("A business's prefix is one letter A-Z, not {prefix}."), status=422, prefix=prefix
            )
        if not name.strip():
            raise HallError("bad_name", N_("A business needs a name."), status=422)
        with self.store.write() as db:
            self.store.put_business(db, prefix=prefix, name=name.strip(), items=list(items or []))

    def set_window(self, *, code: str, name: str = "", businesses: list[str]) -> None:
        code = code.strip()
        if not code:
            raise HallError("bad_window", N_("A window needs a number."), status=422)
        wanted = [b.strip().upper() for b in businesses]
        with self.store.write() as db:
            known = {b["prefix"] for b in self.store.businesses(db)}
            for prefix in wanted:
                if prefix not in known:
                    raise not_found("business", prefix)
            self.store.put_window(db, code=code, name=name, businesses=wanted)

    def add_token(self, *, role: str, window: str | None = None, label: str = "") -> str:
        """A new token for a window, the kiosk or the display; only its hash is kept."""
        if role not in ROLES:
            raise HallError(
                "bad_role", N_("A token's role is window, kiosk or display, not {role}."), status=422, role=role
            )
        if role == "window" and not window:
            raise HallError("bad_window", N_("A window's token names its window."), status=422)
        token = secrets.token_urlsafe(24)
        now, _day = self._now()
        with self.store.write() as db:
            if window and role == "window" and not any(w["code"] == window for w in self.store.windows(db)):
                raise not_found("window", window)
            self.store.add_token(
                db,
                token_hash=hash_token(token),
                role=role,
                window=window if role == "window" else None,
                label=label or (f"window-{window}" if role == "window" else role),
                now=now,
            )
        return token

    def revoke_tokens(self, *, label: str) -> int:
        with self.store.write() as db:
            return self.store.revoke_tokens(db, label=label)

    def who(self, token: str) -> dict[str, Any] | None:
        with self.store.read() as db:
            return self.store.token(db, hash_token(token))

    def setup(self) -> dict[str, Any]:
        with self.store.read() as db:
            return {"businesses": self.store.businesses(db), "windows": self.store.windows(db)}

    # --- the resident ----------------------------------------------------------------

    def issue(self, *, business: str, priority: bool = False, resident: dict | None = None) -> dict[str, Any]:
        now, day = self._now()
        prefix = business.strip().upper()
        with self.store.write() as db:
            ticket = self._new_ticket(
                db, day=day, now=now, prefix=prefix, priority=priority, resident=resident, state="waiting", window=None
            )
            ahead = self.store.waiting_counts(db, day).get(prefix, 1) - 1
            seq = self.store.add_event(db, ticket, "issue", window=None, now=now, detail="priority" if priority else "")
        self.on_event(seq)
        return {**self._public(ticket), "waiting_ahead": ahead}

    # --- booked visits (预约签到) ------------------------------------------------------

    def store_bookings(self, bookings: list[dict[str, str]]) -> int:
        """The center's bookings as the hub gave them (hall/hub_link.py)."""
        with self.store.write() as db:
            for booking in bookings:
                self.store.put_booking(db, booking)
        return len(bookings)

    def check_in(self, *, code: str) -> dict[str, Any]:
        """A booked resident's ticket, from the booking code typed or scanned at the kiosk.

        Booked visits are priority tickets of the business that serves the booked item:
        they came at the time the center offered them, so they go before walk-ins of the
        same business (after those already called). A code checks in once, on its day."""
        code = "".join(ch for ch in code.upper() if ch.isalnum())
        now, day = self._now()
        with self.store.write() as db:
            booking = self.store.booking(db, code) if code else None
            if booking is None or booking["status"] != "booked":
                raise HallError(
                    "no_booking",
                    N_("There is no booking {booking} here. Check the code, or ask at the information desk."),
                    status=404,
                    booking=code,
                )
            if booking["day"] != day:
                raise HallError(
                    "booking_other_day",
                    N_("Booking {booking} is for {day}, not today."),
                    status=409,
                    booking=code,
                    day=booking["day"],
                )
            if booking["ticket_id"]:
                earlier = self.store.ticket(db, ticket_id=booking["ticket_id"])
                raise HallError(
                    "booking_checked_in",
                    N_("Booking {booking} was checked in already: number {number}."),
                    status=409,
                    booking=code,
                    number=earlier["number"] if earlier else "",
                )
            prefix = next((b["prefix"] for b in self.store.businesses(db) if booking["item"] in b["items"]), None)
            if prefix is None:
                raise HallError(
                    "booking_no_business",
                    N_("No business of this hall serves the booked item {item}. Please ask at the information desk."),
                    status=409,
                    item=booking["item"],
                )
            ticket = self._new_ticket(
                db, day=day, now=now, prefix=prefix, priority=True, resident=None, state="waiting", window=None
            )
            self.store.mark_checked_in(db, code, ticket["id"])
            ticket = self.store.known_ticket(db, ticket["id"])
            seq = self.store.add_event(db, ticket, "issue", window=None, now=now, detail=f"booking:{code}")
            ahead = self._ahead(db, ticket)
        self.on_event(seq)
        return {**self._public(ticket), "waiting_ahead": ahead}

    def booking(self, *, code: str) -> dict[str, Any]:
        """A booking as the hall knows it, for the window: and its ticket, if checked in."""
        code = "".join(ch for ch in code.upper() if ch.isalnum())
        with self.store.read() as db:
            booking = self.store.booking(db, code) if code else None
            if booking is None:
                raise HallError(
                    "no_booking",
                    N_("There is no booking {booking} here. Check the code, or ask at the information desk."),
                    status=404,
                    booking=code,
                )
            ticket = self.store.ticket(db, ticket_id=booking["ticket_id"]) if booking["ticket_id"] else None
        shown = {key: booking[key] for key in ("code", "day", "half_day", "item", "name", "status")}
        return {**shown, "ticket": ticket["number"] if ticket else None}

    def _new_ticket(
        self,
        db: sqlite3.Connection,
        *,
        day: str,
        now: str,
        prefix: str,
        priority: bool,
        resident: dict | None,
        state: str,
        window: str | None,
    ) -> dict:
        names = {b["prefix"]: b["name"] for b in self.store.businesses(db)}
        if prefix not in names:
            raise not_found("business", prefix)
        number = f"{prefix}{self.store.next_number(db, day, prefix):0{NUMBER_DIGITS}d}"
        ticket_id = self.store.insert_ticket(
            db,
            day=day,
            number=number,
            business=prefix,
            priority=priority,
            state=state,
            window=window,
            resident=_resident(resident),
            now=now,
        )
        return self.store.known_ticket(db, ticket_id)

    # --- the window --------------------------------------------------------------------

    def _window(self, db: sqlite3.Connection, code: str) -> dict:
        for window in self.store.windows(db):
            if window["code"] == code:
                return window
        raise not_found("window", code)

    def call_next(self, *, window: str) -> dict[str, Any] | None:
        """The window's current ticket is finished (a called one counts as served: the
        operator moved on), then the first in line is called. None when nobody waits."""
        now, day = self._now()
        with self.store.write() as db:
            info = self._window(db, window)
            if info["paused"]:
                raise HallError("paused", N_("Window {window} is paused: resume it to call."), window=window)
            current = self.store.open_at_window(db, window=window)
            if current is not None:
                self._finish(db, current, window=window, now=now)
            ticket = self.store.first_in_line(db, day=day, window=window, prefixes=info["businesses"])
            if ticket is None:
                seq = None
            else:
                self.store.count_call(db, ticket["id"], window=window, now=now)
                ticket = self.store.known_ticket(db, ticket["id"])
                seq = self.store.add_event(db, ticket, "call", window=window, now=now)
        if seq is not None:
            self.on_event(seq)
        return self._for_window(ticket) if ticket else None

    def recall(self, *, window: str) -> dict[str, Any]:
        now, _day = self._now()
        with self.store.write() as db:
            ticket = self._current(db, window, states=("called",))
            self.store.count_call(db, ticket["id"], window=window, now=now)
            ticket = self.store.known_ticket(db, ticket["id"])
            seq = self.store.add_event(db, ticket, "recall", window=window, now=now)
        self.on_event(seq)
        return self._for_window(ticket)

    def skip(self, *, window: str) -> dict[str, Any]:
        """过号: the resident did not come; the ticket can be put back in line."""
        now, _day = self._now()
        with self.store.write() as db:
            ticket = self._current(db, window, states=("called",))
            self.store.update_ticket(db, ticket["id"], state="no_show", window_code=None)
            seq = self.store.add_event(db, ticket, "no_show", window=window, now=now)
            ticket = self.store.known_ticket(db, ticket["id"])
        self.on_event(seq)
        return self._for_window(ticket)

    def requeue(self, *, number: str) -> dict[str, Any]:
        """A resident back after 过号 goes to the end of their business's line."""
        now, day = self._now()
        with self.store.write() as db:
            ticket = self._by_number(db, day, number)
            if ticket["state"] != "no_show":
                raise HallError(
                    "not_no_show",
                    N_("Ticket {number} was not skipped; it cannot be put back in line."),
                    number=ticket["number"],
                )
            self.store.update_ticket(db, ticket["id"], state="waiting", queued_at=now)
            seq = self.store.add_event(db, ticket, "requeue", window=None, now=now)
            ticket = self.store.known_ticket(db, ticket["id"])
        self.on_event(seq)
        return self._public(ticket)

    def transfer(self, *, window: str, to_window: str | None = None, to_business: str | None = None) -> dict:
        if bool(to_window) == bool(to_business):
            raise HallError("bad_transfer", N_("Transfer a ticket either to a window or to a business."), status=422)
        now, _day = self._now()
        with self.store.write() as db:
            ticket = self._current(db, window, states=("called", "serving"))
            fields: dict[str, str | None]
            if to_window:
                self._window(db, to_window)
                fields = {"target_window": to_window}
                detail = f"window:{to_window}"
            else:
                assert to_business is not None  # exactly one of the two, checked above
                prefix = to_business.strip().upper()
                if prefix not in {b["prefix"] for b in self.store.businesses(db)}:
                    raise not_found("business", prefix)
                fields = {"business": prefix, "target_window": None}
                detail = f"business:{prefix}"
            self.store.update_ticket(db, ticket["id"], state="transferred", window_code=None, serving_at=None, **fields)
            ticket = self.store.known_ticket(db, ticket["id"])
            seq = self.store.add_event(db, ticket, "transfer", window=window, now=now, detail=detail)
        self.on_event(seq)
        return self._public(ticket)

    def set_paused(self, *, window: str, paused: bool) -> dict[str, Any]:
        with self.store.write() as db:
            self._window(db, window)
            self.store.set_paused(db, window, paused)
            return self._window(db, window)

    def walk_in(self, *, window: str, business: str | None = None) -> dict[str, Any]:
        """A resident served without a ticket from the kiosk: a number is given (so the
        day's figures count them) and served at once."""
        now, day = self._now()
        with self.store.write() as db:
            info = self._window(db, window)
            prefix = (business or (info["businesses"][0] if info["businesses"] else "")).strip().upper()
            if not prefix:
                raise HallError("no_business", N_("Window {window} serves no business: name one."), window=window)
            current = self.store.open_at_window(db, window=window)
            if current is not None:
                self._finish(db, current, window=window, now=now)
            ticket = self._new_ticket(
                db, day=day, now=now, prefix=prefix, priority=False, resident=None, state="serving", window=window
            )
            self.store.update_ticket(db, ticket["id"], called_at=now)
            ticket = self.store.known_ticket(db, ticket["id"])
            seq = self.store.add_event(db, ticket, "walk_in", window=window, now=now)
        self.on_event(seq)
        return self._for_window(ticket)

    def start_serving(self, *, window: str) -> dict[str, Any]:
        now, _day = self._now()
        with self.store.write() as db:
            ticket = self._current(db, window, states=("called",))
            self.store.update_ticket(db, ticket["id"], state="serving", serving_at=now)
            ticket = self.store.known_ticket(db, ticket["id"])
            seq = self.store.add_event(db, ticket, "serve", window=window, now=now)
        self.on_event(seq)
        return self._for_window(ticket)

    def finish(self, *, window: str) -> dict[str, Any]:
        now, _day = self._now()
        with self.store.write() as db:
            ticket = self._current(db, window, states=("called", "serving"))
            seq = self._finish(db, ticket, window=window, now=now)
            ticket = self.store.known_ticket(db, ticket["id"])
        self.on_event(seq)
        return self._for_window(ticket)

    def _finish(self, db: sqlite3.Connection, ticket: dict, *, window: str, now: str) -> int:
        self.store.update_ticket(
            db,
            ticket["id"],
            state="done",
            finished_at=now,
            serving_at=ticket["serving_at"] or ticket["called_at"] or now,
        )
        return self.store.add_event(db, ticket, "done", window=window, now=now)

    def link_case(self, *, window: str, ticket_id: str, case_id: str) -> dict[str, Any]:
        """The case accepted for this ticket's resident: its waiting and handling time
        are then known per case."""
        now, _day = self._now()
        with self.store.write() as db:
            ticket = self.store.ticket(db, ticket_id=ticket_id)
            if ticket is None:
                raise not_found("ticket", ticket_id)
            self.store.update_ticket(db, ticket_id, case_id=case_id)
            seq = self.store.add_event(db, ticket, "link_case", window=window, now=now, detail=case_id)
            ticket = self.store.known_ticket(db, ticket_id)
        self.on_event(seq)
        return self._for_window(ticket)

    def window_status(self, *, window: str) -> dict[str, Any]:
        _now, day = self._now()
        with self.store.read() as db:
            info = self._window(db, window)
            current = self.store.open_at_window(db, window=window)
            counts = self.store.waiting_counts(db, day)
        return {
            "window": info,
            "current": self._for_window(current) if current else None,
            "waiting": {prefix: counts.get(prefix, 0) for prefix in info["businesses"]},
        }

    def _current(self, db: sqlite3.Connection, window: str, *, states: tuple[str, ...]) -> dict:
        self._window(db, window)
        ticket = self.store.open_at_window(db, window=window)
        if ticket is None or ticket["state"] not in states:
            raise HallError("no_current", N_("Window {window} has no ticket called now."), window=window)
        return ticket

    def _by_number(self, db: sqlite3.Connection, day: str, number: str) -> dict:
        ticket = self.store.ticket(db, day=day, number=number.strip().upper())
        if ticket is None:
            raise not_found("ticket", number)
        return ticket

    def ticket(self, *, number: str) -> dict[str, Any]:
        _now, day = self._now()
        with self.store.read() as db:
            ticket = self._by_number(db, day, number)
            ahead = self._ahead(db, ticket)
        return {**self._public(ticket), "waiting_ahead": ahead}

    def _ahead(self, db: sqlite3.Connection, ticket: dict) -> int:
        if ticket["state"] not in ("waiting", "transferred"):
            return 0
        line = [
            t
            for t in self.store.tickets_of_day(db, ticket["day"])
            if t["state"] in ("waiting", "transferred") and t["business"] == ticket["business"]
        ]
        line.sort(key=lambda t: (not t["priority"], t["queued_at"]))
        return next(i for i, t in enumerate(line) if t["id"] == ticket["id"])

    # --- the supervisor ---------------------------------------------------------------

    def figures(self, *, day: str | None = None) -> dict[str, Any]:
        """A day's figures (today by default, in the hall's time zone)."""
        from windowdesk.hall.figures import day_figures

        _now, today = self._now()
        with self.store.read() as db:
            tickets = self.store.tickets_of_day(db, day or today)
        return {"day": day or today, **day_figures(tickets, now=self.clock())}

    def finished_days(self, *, after: str = "") -> list[str]:
        """The days before today (in the hall's time zone) after ``after`` that had
        tickets, oldest first, at most FINISHED_DAYS_PAGE of them."""
        _now, today = self._now()
        with self.store.read() as db:
            return self.store.days_with_tickets(db, after=after, before=today, limit=FINISHED_DAYS_PAGE)

    def day_figures(self, *, day: str) -> dict[str, Any]:
        """A finished day's figures per business and per window (hall/figures.py); today
        is refused: its figures still change."""
        from windowdesk.hall.figures import finished_day_figures

        try:
            day = dt.date.fromisoformat(day).isoformat()
        except ValueError:
            raise HallError("bad_day", N_("{day} is not a date like 2026-12-07."), status=422, day=day) from None
        _now, today = self._now()
        if day >= today:
            raise HallError("day_not_finished", N_("The day {day} is not finished yet."), status=409, day=day)
        with self.store.read() as db:
            tickets = self.store.tickets_of_day(db, day)
            events = self.store.window_events_of_day(db, day)
        return {"day": day, **finished_day_figures(tickets, events)}

    # --- the display ------------------------------------------------------------------

    def display(self, *, after: int = 0) -> dict[str, Any]:
        """New calls after ``after`` (for the voice), the latest calls, waiting counts."""
        _now, day = self._now()
        with self.store.read() as db:
            new = self.store.events_after(db, after, kinds=CALL_KINDS, limit=FEED_PAGE)
            recent = self.store.recent_events(db, kinds=CALL_KINDS, limit=RECENT_CALLS)
            counts = self.store.waiting_counts(db, day)
            businesses = self.store.businesses(db)
            # A full page: the next poll goes on from its last call, so none is skipped.
            last = new[-1]["seq"] if len(new) == FEED_PAGE else self.store.last_seq(db)
            names = {}
            for event in [*new, *recent]:
                if event["ticket_id"] not in names:
                    ticket = self.store.known_ticket(db, event["ticket_id"])
                    names[event["ticket_id"]] = mask_name((ticket["resident"] or {}).get("name"))

        def shown(event: dict) -> dict:
            return {
                "seq": event["seq"],
                "at": event["at"],
                "kind": event["kind"],
                "number": event["number"],
                "business": event["business"],
                "window": event["window_code"],
                "name": names[event["ticket_id"]],
            }

        return {
            "last_seq": last,
            "calls": [shown(e) for e in new],
            "recent": [shown(e) for e in recent],
            "waiting": [
                {"prefix": b["prefix"], "name": b["name"], "count": counts.get(b["prefix"], 0)} for b in businesses
            ],
        }

    # --- shapes of a ticket -----------------------------------------------------------

    @staticmethod
    def _public(ticket: dict) -> dict[str, Any]:
        """What the kiosk and the resident may see: no ID number, the name masked."""
        keys = (
            "id",
            "day",
            "number",
            "business",
            "priority",
            "state",
            "issued_at",
            "called_at",
            "window_code",
            "target_window",
            "booking_code",
        )
        shown = {key: ticket[key] for key in keys}
        shown["name"] = mask_name((ticket["resident"] or {}).get("name"))
        return shown

    @staticmethod
    def _for_window(ticket: dict) -> dict[str, Any]:
        """The window serving the resident gets the whole ticket, resident included."""
        return dict(ticket)


def _resident(resident: dict | None) -> dict | None:
    if not resident:
        return None
    kept = {key: str(resident[key]).strip() for key in ("name", "id_number") if resident.get(key)}
    return kept or None
