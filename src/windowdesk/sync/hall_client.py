"""HTTP to the center's hall service (the queue, 排队叫号). Used by the window, the
kiosk, the hall display and the bench.

Every request has a short timeout: the hall is on the same network, and a window must
not wait long for it (it keeps working without the queue). Failures become two errors:

- HallUnreachable: the network or the service is down or answered garbage.
- HallRefused: the service said no (bad token, nobody called, a paused window...); its
  words, translated here into the window's language.

requests (with urllib3, http.client, idna, charset_normalizer) is imported when a client is
made, not with this module: the main window imports the queue's service at start, and a
window with no hall configured never talks to one (tests/integration/test_start_imports.py).
"""

from __future__ import annotations

from typing import Any

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _

CONNECT_TIMEOUT = 2.0
READ_TIMEOUT = 5.0


class HallUnreachable(WindowdeskError):
    pass


class HallRefused(WindowdeskError):
    def __init__(self, title: str, message: str, *, status: int, code: str) -> None:
        super().__init__(title, message)
        self.status = status
        self.code = code


class HallClient:
    def __init__(
        self, base_url: str, token: str = "", *, timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)
    ) -> None:
        import requests

        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self._request_failed = requests.RequestException
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        self.session.close()

    def _request(
        self,
        method: str,
        path: str,
        *,
        body: dict | None = None,
        params: dict | None = None,
        read_timeout: float | None = None,
    ) -> Any:
        timeout = (self.timeout[0], read_timeout or self.timeout[1])
        try:
            response = self.session.request(method, self.base_url + path, json=body, params=params, timeout=timeout)
        except self._request_failed:
            raise HallUnreachable(
                _("The hall's queue is unreachable"),
                _(
                    "The queue service at {address} does not answer. This window keeps working without the queue."
                ).format(address=self.base_url),
            ) from None
        try:
            answer = response.json()
        except ValueError:
            raise HallUnreachable(
                _("The hall's queue is unreachable"),
                _("The queue service at {address} answered something that is not its reply.").format(
                    address=self.base_url
                ),
            ) from None
        if response.status_code >= 400:
            if isinstance(answer, dict) and "msgid" in answer:
                message = _(answer["msgid"]).format(**answer.get("params", {}))
                code = answer.get("code", "")
            else:
                message, code = (
                    _("The queue service refused the request ({status}).").format(status=response.status_code),
                    "invalid",
                )
            raise HallRefused(_("The hall's queue refused"), message, status=response.status_code, code=code)
        return answer

    # --- everyone ---------------------------------------------------------------------

    def health(self) -> bool:
        return self._request("GET", "/health").get("status") == "ok"

    def setup(self) -> dict:
        return self._request("GET", "/setup")

    def display(self, *, after: int = 0, wait: float = 0.0) -> dict:
        return self._request("GET", "/display", params={"after": after, "wait": wait}, read_timeout=wait + 5)

    def follow(self, number: str) -> dict:
        return self._request("GET", f"/follow/{number}")

    # --- the kiosk --------------------------------------------------------------------

    def issue(self, *, business: str, priority: bool = False, resident: dict | None = None) -> dict:
        return self._request(
            "POST", "/tickets", body={"business": business, "priority": priority, "resident": resident}
        )

    def check_in(self, code: str) -> dict:
        """A booked resident's ticket from their booking code (预约签到)."""
        return self._request("POST", "/tickets/booking", body={"code": code})

    def booking(self, code: str) -> dict:
        """A booking the hall knows, looked up at the window by its code."""
        return self._request("GET", f"/bookings/{code}")

    def requeue(self, number: str) -> dict:
        return self._request("POST", "/tickets/requeue", body={"number": number})

    # --- a window ---------------------------------------------------------------------

    def window_status(self) -> dict:
        return self._request("GET", "/window")

    def call_next(self) -> dict | None:
        return self._request("POST", "/window/call-next")["ticket"]

    def recall(self) -> dict:
        return self._request("POST", "/window/recall")["ticket"]

    def skip(self) -> dict:
        return self._request("POST", "/window/skip")["ticket"]

    def serve(self) -> dict:
        return self._request("POST", "/window/serve")["ticket"]

    def finish(self) -> dict:
        return self._request("POST", "/window/finish")["ticket"]

    def transfer(self, *, to_window: str | None = None, to_business: str | None = None) -> dict:
        return self._request("POST", "/window/transfer", body={"to_window": to_window, "to_business": to_business})[
            "ticket"
        ]

    def pause(self, paused: bool) -> dict:
        return self._request("POST", "/window/pause", body={"paused": paused})["window"]

    def walk_in(self, business: str | None = None) -> dict:
        return self._request("POST", "/window/walk-in", body={"business": business})["ticket"]

    def figures(self, day: str | None = None) -> dict:
        return self._request("GET", "/figures", params={"day": day} if day else None)

    def link_case(self, *, ticket_id: str, case_id: str) -> dict:
        return self._request("POST", "/window/link-case", body={"ticket_id": ticket_id, "case_id": case_id})["ticket"]

    def finished_days(self, after: str = "") -> list[str]:
        """The hall's finished days after ``after`` that had tickets, oldest first."""
        return self._request("GET", "/days", params={"after": after})["days"]

    def day_figures(self, day: str) -> dict:
        return self._request("GET", f"/days/{day}")
