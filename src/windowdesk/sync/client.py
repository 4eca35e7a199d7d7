"""HTTP to the hub (requests). Every request has a timeout; every failure becomes one
of three errors the sync engine knows how to treat:

- HubUnreachable: the network or the hub is down, slow, or answered garbage; retry later.
  Its kind HubBusy: the hub is writing other windows' pushes and names this one's turn;
  the batch is sent again then, and that is no failure.
- HubRefused: the hub understood and said no (bad token, old version, other center);
  retrying will not help until a person acts. Carries the hub's own words.
- ProtocolError (from protocol.py) is folded into HubUnreachable: a truncated or
  malformed reply (not JSON, or JSON holding text that is not Unicode) is treated like
  a dropped connection.

HTTPS: the hub's certificate is checked against the system's CAs, or against a private
CA bundle (a PEM file) when the city runs its own CA. A certificate that does not check
out is a HubRefused (code "certificate_untrusted"): retrying does not help, a person
must fix the hub's certificate or this workstation's CA setting.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
import ssl
from collections.abc import Sequence
from typing import Any

import requests

from windowdesk import __version__
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _, current_locale
from windowdesk.sync import protocol
from windowdesk.sync.hub_pin import HubIdentityMismatch, HubPin
from windowdesk.sync.pinning import PinningAdapter
from windowdesk.text import is_unicode_text

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 30.0
HEALTH_TIMEOUT = 2.0
# A busy hub's turn: what is waited when it names none, and the most that is waited at once.
DEFAULT_TURN_WAIT = 5.0
MAX_TURN_WAIT = 300.0


ERROR_CERTIFICATE = "certificate_untrusted"
ERROR_HUB_IDENTITY = "hub_identity_changed"


class HubUnreachable(WindowdeskError):
    pass


class HubBusy(HubUnreachable):
    """A push the hub did not read yet: it comes in at its turn, ``retry_after`` seconds on."""

    def __init__(self, title: str, message: str, *, retry_after: float) -> None:
        super().__init__(title, message)
        self.retry_after = retry_after


class HubRefused(WindowdeskError):
    def __init__(self, title: str, message: str, *, status: int, code: str = "", error: dict | None = None) -> None:
        """``error``: the hub's whole error object (a refused chunk's "received")."""
        super().__init__(title, message)
        self.status = status
        self.code = code
        self.error = error or {}


def _unreachable(detail: str) -> HubUnreachable:
    return HubUnreachable(
        _("The hub cannot be reached"),
        _("Working offline; everything is kept on this computer and sent later ({detail}).").format(detail=detail),
    )


# JSON may escape half of a UTF-16 pair on its own ("\ud83d"); Python reads it into a
# string that neither the database nor a window can take.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _is_text(value: Any) -> bool:
    """``value`` (parsed JSON) holds only Unicode text, keys included."""
    if isinstance(value, str):
        return is_unicode_text(value)
    if isinstance(value, dict):
        return all(_is_text(key) and _is_text(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_is_text(item) for item in value)
    return True


def _json_of(response) -> Any:  # noqa: ANN001 - a requests response
    """A reply's JSON; ValueError when it is not JSON, is nested deeper than Python reads,
    or holds text that is not Unicode (looked for only when the reply escapes a surrogate
    at all)."""
    try:
        value = json.loads(response.content)
        if _SURROGATE_ESCAPE.search(response.content) and not _is_text(value):
            raise ValueError("the reply holds half of a UTF-16 character")
    except RecursionError:
        raise ValueError("the reply is nested too deeply") from None
    return value


def _error_of(response) -> dict:  # noqa: ANN001 - a requests response
    """The hub's error object of a reply ({"code", "title", "message"}), or {}."""
    try:
        error = _json_of(response).get("error")
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


def _turn_wait(precise: Any, header: str | None) -> float:
    """Seconds until a busy hub's turn: its precise figure, else its Retry-After header,
    within [0, MAX_TURN_WAIT] whatever it sent."""
    if isinstance(precise, (int, float)) and not isinstance(precise, bool) and math.isfinite(precise):
        return min(max(float(precise), 0.0), MAX_TURN_WAIT)
    try:
        return min(max(float(int((header or "").strip())), 0.0), MAX_TURN_WAIT)
    except ValueError:
        return DEFAULT_TURN_WAIT


def _untrusted_certificate(ca_bundle: str | None) -> HubRefused:
    where = (
        _("the CA certificate set for this workstation ({path})").format(path=ca_bundle)
        if ca_bundle
        else _("the certificate authorities this computer trusts")
    )
    return HubRefused(
        _("The hub's certificate is not trusted"),
        _(
            "The hub's certificate could not be verified against {where}, so nothing was sent. "
            "Ask your administrator to check the hub's certificate and this workstation's CA setting."
        ).format(where=where),
        status=0,
        code=ERROR_CERTIFICATE,
    )


def hub_identity_changed() -> HubRefused:
    return HubRefused(
        _("This is not the hub this window was enrolled with"),
        _(
            "The server at the hub's address is not the hub this window was enrolled with (its identity or its "
            "certificate differs), so nothing was sent and nothing was changed here. Ask your administrator: if "
            "the hub was really replaced, an administrator enrolls this window again."
        ),
        status=0,
        code=ERROR_HUB_IDENTITY,
    )


def _unreadable_ca_bundle(ca_bundle: str | None) -> HubRefused:
    return HubRefused(
        _("The CA certificate cannot be read"),
        _(
            "The CA certificate set for this workstation ({path}) cannot be read. Ask your administrator "
            "to check the sync settings."
        ).format(path=ca_bundle),
        status=0,
        code=ERROR_CERTIFICATE,
    )


def _is_certificate_failure(exc: BaseException) -> bool:
    """A certificate that does not verify, as opposed to a TLS connection cut short (a
    flaky network, which is worth retrying). requests wraps urllib3's error, which wraps
    ssl's: look through causes, ``reason`` and exception arguments."""
    pending: list[object] = [exc]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        pending += [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]
    return False


def _common_protocol(served: Any) -> int:
    """The newest protocol both this window and the hub speak (its /health's "protocols");
    1 when the hub names none this window knows."""
    if not isinstance(served, list):
        return 1
    common = [p for p in served if type(p) is int and p in protocol.SUPPORTED_PROTOCOLS]
    return max(common, default=1)


class HubClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
        ca_bundle: str | None = None,
        pin: HubPin | None = None,
    ) -> None:
        """``ca_bundle``: a PEM file of the CA(s) the hub's certificate must chain to;
        None trusts the system's CAs. ``pin``: the hub this window was enrolled with
        (sync/hub_pin.py), checked on every reply and TLS connection; it also records
        what was seen (enrollment pins that)."""
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.ca_bundle = ca_bundle or None
        self.pin = pin or HubPin()
        self._session = session or requests.Session()
        self._session.mount("https://", PinningAdapter(self.pin))
        # The generation of the hub's database, from its last reply that named one.
        self.hub_generation: str | None = None
        # The protocol this window speaks with the hub: 1 until the hub's /health lists a
        # newer one both know (a hub not yet updated serves only 1).
        self.protocol = 1

    def close(self) -> None:
        self._session.close()

    def _headers(self) -> dict[str, str]:
        headers = {
            protocol.HEADER_PROTOCOL: str(self.protocol),
            protocol.HEADER_CLIENT: f"windowdesk/{__version__}",
            # The hub words its refusals and reasons in the language this window shows
            # (looked up per request: the Language menu may have changed it).
            "Accept-Language": current_locale().replace("_", "-"),
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        body: bytes | None = None,
        params: dict | None = None,
        timeout: tuple[float, float] | float | None = None,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        raw: bool = False,
    ) -> Any:
        """``body``: a body already encoded (a JSON one in UTF-8, or ``content_type``), instead
        of ``json_body``; ``headers``: more headers for this request; ``raw``: a success's
        body is returned as bytes (a page), not read as JSON."""
        url = f"{self.base_url}{protocol.API_PREFIX}{path}"
        headers = {**self._headers(), **(headers or {})}
        if body is not None:
            headers["Content-Type"] = content_type
        try:
            response = self._session.request(
                method,
                url,
                json=json_body,
                data=body,
                params=params,
                headers=headers,
                timeout=timeout or self.timeout,
                verify=self.ca_bundle or True,
            )
        except HubIdentityMismatch:
            raise hub_identity_changed() from None
        except requests.exceptions.SSLError as exc:
            if _is_certificate_failure(exc):
                raise _untrusted_certificate(self.ca_bundle) from None
            raise _unreachable(type(exc).__name__) from None
        except requests.Timeout:
            raise _unreachable(_("no answer in time")) from None
        except requests.RequestException as exc:
            raise _unreachable(type(exc).__name__) from None
        except OSError as exc:
            # requests refuses a CA bundle path that does not exist before connecting.
            if self.ca_bundle:
                raise _unreadable_ca_bundle(self.ca_bundle) from None
            raise _unreachable(type(exc).__name__) from None
        if not self.pin.saw_hub_id(response.headers.get(protocol.HEADER_HUB_ID, "")[:64]):
            raise hub_identity_changed()
        generation = response.headers.get(protocol.HEADER_HUB_GENERATION)
        if generation:
            self.hub_generation = generation[:64]
        if response.status_code == 429:
            raise self._busy(response)
        if response.status_code >= 500:
            raise self._hub_trouble(response)
        if raw and response.status_code < 300:
            return response.content
        try:
            body = _json_of(response)
        except ValueError:
            raise _unreachable(_("unreadable reply, HTTP {status}").format(status=response.status_code)) from None
        if response.status_code >= 400:
            raise self._refusal(response.status_code, body)
        return body

    @staticmethod
    def _busy(response: requests.Response) -> HubUnreachable:
        """Too many requests: retried later like an outage, but in the hub's own words
        (e.g. how long to wait), which the enrollment dialog shows."""
        message = str(_error_of(response).get("message") or "")
        return HubUnreachable(
            _("The hub is busy"),
            message
            or _("Too many requests; please try again in {seconds} seconds.").format(
                seconds=response.headers.get("Retry-After", "60")
            ),
        )

    @staticmethod
    def _hub_trouble(response: requests.Response) -> HubUnreachable:
        """A 5xx: retried later like an outage. A hub whose disk is full is named as such:
        waiting does not help there, its administrator must act. A busy hub names the turn."""
        error = _error_of(response)
        if response.status_code == 503 and error.get("code") == protocol.ERROR_HUB_BUSY:
            return HubBusy(
                _("The hub is busy"),
                _("Many windows are sending their work to the hub right now; this window waits for its turn."),
                retry_after=_turn_wait(error.get("retry_after"), response.headers.get("Retry-After")),
            )
        if response.status_code == 503 and error.get("code") == protocol.ERROR_HUB_DISK_FULL:
            return HubUnreachable(
                _("The hub's disk is full"),
                _(
                    "The hub cannot store anything until its administrator frees space on its disk. "
                    "Everything stays on this computer and is sent later; please tell your administrator."
                ),
            )
        return _unreachable(f"HTTP {response.status_code}")

    @staticmethod
    def _refusal(status: int, body: Any) -> HubRefused:
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return HubRefused(
                str(error.get("title") or _("The hub refused the request")),
                error["message"],
                status=status,
                code=str(error.get("code") or ""),
                error=error,
            )
        return HubRefused(
            _("The hub refused the request"), _("HTTP status {status}.").format(status=status), status=status
        )

    def health(self) -> bool:
        """A cheap check that the hub answers; never raises (but a hub that is not the
        pinned one is not "up": it answers False, and the next request raises)."""
        try:
            body = self._request("GET", "/health", timeout=HEALTH_TIMEOUT)
        except WindowdeskError:
            return False
        if not (isinstance(body, dict) and body.get("status") == "ok"):
            return False
        self.protocol = _common_protocol(body.get("protocols"))
        return True

    def enroll(self, code: str, *, installation_id: str | None = None) -> dict[str, str]:
        request = {"code": code, "client_version": __version__}
        if installation_id is not None:
            request["installation_id"] = installation_id
        body = self._request("POST", "/enroll", json_body=request)
        for key in ("token", "workstation_id", "center_code", "window_code"):
            if not isinstance(body, dict) or not isinstance(body.get(key), str):
                raise _unreachable(_("unreadable reply to the enrollment"))
        return body

    def push(self, events: Sequence[dict[str, Any]]) -> list[protocol.PushResult]:
        reply = self._request("POST", "/push", json_body={"events": list(events)})
        return self._read_push_answer(reply, [e["event_id"] for e in events]).results

    def push_encoded(self, batch: protocol.EncodedPush) -> protocol.PushAnswer:
        """A batch as the sync sends it, in the protocol version it was encoded for. A 409
        push_out_of_order (its "after" event is not on the hub yet) is raised as HubRefused
        with that code."""
        content_type = protocol.PUSH_V2_CONTENT_TYPE if batch.protocol >= 2 else "application/json"
        reply = self._request("POST", "/push", body=batch.body, content_type=content_type)
        return self._read_push_answer(reply, list(batch.event_ids))

    @staticmethod
    def _read_push_answer(reply: Any, sent: list[str]) -> protocol.PushAnswer:
        try:
            return protocol.parse_push_answer(reply, sent)
        except protocol.ProtocolError as exc:
            raise _unreachable(str(exc)) from None

    def changes(self, after: int, limit: int) -> protocol.ChangesPage:
        body = self._request("GET", "/changes", params={"after": after, "limit": limit})
        try:
            return protocol.parse_changes_page(body, after)
        except protocol.ProtocolError as exc:
            raise _unreachable(str(exc)) from None

    def blob_state(self, sha256: str) -> protocol.BlobState:
        """What the hub holds of a page (never its bytes)."""
        body = self._request("GET", f"/blobs/{sha256}")
        try:
            return protocol.parse_blob_state(body, sha256)
        except protocol.ProtocolError as exc:
            raise _unreachable(str(exc)) from None

    def form_file(self, sha256: str) -> tuple[str, bytes]:
        """A catalog form's media type and bytes (issue 30), checked against its hash."""
        body = self._request("GET", f"/forms/{sha256}")
        try:
            media_type, content = str(body["media_type"]), base64.b64decode(body["content_base64"], validate=True)
        except (KeyError, TypeError, ValueError, binascii.Error):
            raise _unreachable(_("unreadable reply, HTTP {status}").format(status=200)) from None
        if hashlib.sha256(content).hexdigest() != sha256:
            raise _unreachable(_("the form file received is damaged")) from None
        return media_type, content

    def put_blob_chunk(self, sha256: str, *, offset: int, chunk: bytes, size: int) -> protocol.BlobState:
        """One chunk of a page at ``offset``, with its own hash. A refusal (damaged chunk,
        wrong offset, whole file damaged) is a HubRefused with the protocol's code."""
        body = self._request(
            "PUT",
            f"/blobs/{sha256}",
            body=chunk,
            params={"offset": offset},
            content_type="application/octet-stream",
            headers={
                protocol.HEADER_BLOB_SIZE: str(size),
                protocol.HEADER_CHUNK_SHA256: hashlib.sha256(chunk).hexdigest(),
            },
        )
        try:
            return protocol.parse_blob_state(body, sha256)
        except protocol.ProtocolError as exc:
            raise _unreachable(str(exc)) from None

    # --- 网上预审: the online applications of this window's center -------------------

    def waiting_applications(self) -> list[dict[str, Any]]:
        """The center's applications waiting for a pre-review: ids, numbers, rounds (no
        personal data)."""
        body = self._request("GET", "/window/applications")
        if not isinstance(body, list) or not all(
            isinstance(entry, dict) and isinstance(entry.get("id"), str) for entry in body
        ):
            raise _unreachable(_("unreadable list of online applications"))
        return body

    def application(self, application_id: str) -> dict[str, Any]:
        """One application with what the resident typed and its pages (the hub records
        the reading)."""
        body = self._request("GET", f"/window/applications/{application_id}")
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("values"), dict)
            or not isinstance(body.get("pages"), list)
            or not isinstance(body.get("round"), int)
        ):
            raise _unreachable(_("unreadable online application"))
        return body

    def application_page(self, application_id: str, page_id: str) -> bytes:
        """One page's bytes (a grey JPEG; the hub records the reading)."""
        return self._request("GET", f"/window/applications/{application_id}/pages/{page_id}", raw=True)
