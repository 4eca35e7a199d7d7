"""HTTP to the hub (requests). Every request has a timeout; every failure becomes one
of three errors the sync engine knows how to treat:

- HubUnreachable: the network or the hub is down, slow, or answered garbage; retry later.
- HubRefused: the hub understood and said no (bad token, old version, other center);
  retrying will not help until a person acts. Carries the hub's own words.
- ProtocolError (from protocol.py) is folded into HubUnreachable: a truncated or
  malformed reply is treated like a dropped connection.
"""

from __future__ import annotations

from typing import Any

import requests

from windowdesk import __version__
from windowdesk.errors import WindowdeskError
from windowdesk.sync import protocol

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 30.0
HEALTH_TIMEOUT = 2.0


class HubUnreachable(WindowdeskError):
    pass


class HubRefused(WindowdeskError):
    def __init__(self, title: str, message: str, *, status: int, code: str = "") -> None:
        super().__init__(title, message)
        self.status = status
        self.code = code


def _unreachable(detail: str) -> HubUnreachable:
    from windowdesk.i18n import _

    return HubUnreachable(
        _("The hub cannot be reached"),
        _("Working offline; everything is kept on this computer and sent later ({detail}).").format(
            detail=detail
        ),
    )


class HubClient:
    def __init__(self, base_url: str, token: str | None = None, *, session: requests.Session | None = None,
                 timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._session = session or requests.Session()

    def close(self) -> None:
        self._session.close()

    def _headers(self) -> dict[str, str]:
        headers = {
            protocol.HEADER_PROTOCOL: str(protocol.PROTOCOL_VERSION),
            protocol.HEADER_CLIENT: f"windowdesk/{__version__}",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _request(self, method: str, path: str, *, json_body: Any = None, params: dict | None = None,
                 timeout: tuple[float, float] | float | None = None) -> Any:
        url = f"{self.base_url}{protocol.API_PREFIX}{path}"
        try:
            response = self._session.request(
                method, url, json=json_body, params=params, headers=self._headers(),
                timeout=timeout or self.timeout,
            )
        except requests.Timeout:
            raise _unreachable("timeout") from None
        except requests.RequestException as exc:
            raise _unreachable(type(exc).__name__) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise _unreachable(f"HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise _unreachable(f"unreadable reply, HTTP {response.status_code}") from None
        if response.status_code >= 400:
            raise self._refusal(response.status_code, body)
        return body

    @staticmethod
    def _refusal(status: int, body: Any) -> HubRefused:
        from windowdesk.i18n import _

        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return HubRefused(
                str(error.get("title") or _("The hub refused the request")), error["message"],
                status=status, code=str(error.get("code") or ""),
            )
        return HubRefused(
            _("The hub refused the request"), _("HTTP status {status}.").format(status=status), status=status
        )

    def health(self) -> bool:
        """A cheap check that the hub answers; never raises."""
        try:
            body = self._request("GET", "/health", timeout=HEALTH_TIMEOUT)
        except WindowdeskError:
            return False
        return isinstance(body, dict) and body.get("status") == "ok"

    def enroll(self, code: str) -> dict[str, str]:
        body = self._request("POST", "/enroll", json_body={"code": code, "client_version": __version__})
        for key in ("token", "workstation_id", "center_code", "window_code"):
            if not isinstance(body, dict) or not isinstance(body.get(key), str):
                raise _unreachable("malformed enrollment reply")
        return body

    def push(self, events: list[dict[str, Any]]) -> list[protocol.PushResult]:
        body = self._request("POST", "/push", json_body={"events": events})
        try:
            return protocol.parse_push_reply(body, [e["event_id"] for e in events])
        except protocol.ProtocolError as exc:
            raise _unreachable(str(exc)) from None

    def changes(self, after: int, limit: int) -> protocol.ChangesPage:
        body = self._request("GET", "/changes", params={"after": after, "limit": limit})
        try:
            return protocol.parse_changes_page(body, after)
        except protocol.ProtocolError as exc:
            raise _unreachable(str(exc)) from None
