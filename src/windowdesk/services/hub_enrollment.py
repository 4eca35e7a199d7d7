"""Which hub this window syncs with: only an administrator decides, at the window.

Enrolling (first time or again) needs an administrator logged in *and* their own login
and password typed into the enrollment dialog (services/approval.py, like a void), so a
window left logged in cannot be handed to another hub by whoever stands at it. It is
audited. The hub's identity seen at enrollment is pinned (sync/hub_pin.py) and checked
on every request afterwards; a window enrolled with one hub refuses another unless the
administrator confirms that the old hub is gone (also audited). Plain http:// reaches
only a hub on this computer, unless an administrator allowed it for this window.
"""

from __future__ import annotations

import ipaddress
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from windowdesk.domain.permissions import Permission
from windowdesk.errors import ValidationError, WindowdeskError
from windowdesk.i18n import _
from windowdesk.services.approval import SupervisorCredentials, approve_as_supervisor, require_approver
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.services.sync import (
    KEY_CA_BUNDLE,
    KEY_HUB_CERTIFICATE,
    KEY_HUB_GENERATION,
    KEY_HUB_ID,
    KEY_HUB_URL,
    KEY_INSTALLATION,
    KEY_PLAIN_HTTP_ALLOWED,
    KEY_WORKSTATION,
    _await,
    _in_background,
)
from windowdesk.storage import queries
from windowdesk.sync.hub_pin import HubPin

if TYPE_CHECKING:
    from collections.abc import Callable

    from windowdesk.storage.db import Database
    from windowdesk.sync.client import HubClient
    from windowdesk.sync.credentials import TokenStore


class EnrollmentCancelled(WindowdeskError):
    pass


class AnotherHub(WindowdeskError):
    """This window is enrolled with another hub; an administrator must confirm it is gone."""


def _enrollment_stopped() -> EnrollmentCancelled:
    return EnrollmentCancelled(_("Enrollment stopped"), _("Nothing was stored on this computer."))


def is_on_this_computer(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _plain_http_refused() -> WindowdeskError:
    return WindowdeskError(
        _("Plain HTTP is not allowed"),
        _(
            "The hub's address starts with http://, so ID numbers and passwords would cross the network "
            "unencrypted. Use the hub's https:// address; an administrator may allow plain http:// for a hub "
            "on a closed network (tick it when enrolling)."
        ),
    )


def check_link(db: Database, hub_url: str, *, allow_plain_http: bool = False) -> None:
    """https://, or http:// to this computer, or http:// an administrator allowed."""
    if not hub_url.startswith(("http://", "https://")):
        raise ValidationError(_("The hub address must start with http:// or https://"), field="hub_url")
    if hub_url.startswith("https://") or is_on_this_computer(hub_url) or allow_plain_http:
        return
    with db.read() as session:
        if queries.local_setting(session, KEY_PLAIN_HTTP_ALLOWED) == "1":
            return
    raise _plain_http_refused()


def check_ca_bundle(path: str | None) -> str:
    """The path, stripped (empty: the system's CAs); the file must hold a certificate."""
    path = (path or "").strip()
    if path:
        try:
            text = Path(path).read_text(encoding="ascii", errors="replace")
        except OSError:
            raise ValidationError(_("The CA certificate file cannot be read."), field="ca_bundle") from None
        if "-----BEGIN CERTIFICATE-----" not in text:
            raise ValidationError(
                _("This file holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)."), field="ca_bundle"
            )
    return path


def enrollment_client(hub_url: str, ca_bundle: str | None = None):  # noqa: ANN201 - a HubClient
    """A client for a hub not enrolled with yet: nothing pinned, it records what it sees."""
    from windowdesk.sync.client import HubClient

    return HubClient(hub_url.strip().rstrip("/"), ca_bundle=check_ca_bundle(ca_bundle) or None)


def enroll_workstation(
    db: Database,
    ctx: CounterContext,
    *,
    administrator: SupervisorCredentials,
    hub_url: str,
    code: str,
    client: HubClient,
    token_store_for: Callable[[str], TokenStore],
    ca_bundle: str | None = None,
    allow_plain_http: bool = False,
    old_hub_gone: bool = False,
    cancel: threading.Event | None = None,
) -> dict[str, str]:
    """Trade a one-time enrollment code for a workstation token (kept in the keyring).

    ``ctx`` must be an administrator's, and ``administrator`` the login and password of
    an administrator of this center typed at this window. ``old_hub_gone``: the
    administrator confirms that the hub this window was enrolled with is gone, so that
    another hub may take its place. ``allow_plain_http``: http:// to a hub that is not on
    this computer (a closed network). ``cancel`` set while the hub is asked:
    EnrollmentCancelled at once, and nothing is stored even if the hub's answer comes later.
    If the hub did use the code, this installation may ask again with it (the hub's retry
    window), so stopping loses nothing."""
    from windowdesk.services.workstation import current_context

    hub_url = hub_url.strip().rstrip("/")
    ca_bundle = check_ca_bundle(ca_bundle)
    with db.read() as session:
        authorize(session, ctx, Permission.ENROLL_WORKSTATION)
    check_link(db, hub_url, allow_plain_http=allow_plain_http)
    approver_id = approve_as_supervisor(
        db, ctx, login=administrator.login, password=administrator.password, permission=Permission.ENROLL_WORKSTATION
    )
    installation_id = _installation_id(db)
    asked = _in_background(lambda: client.enroll(code.strip(), installation_id=installation_id), "enrollment")
    answer = _await(asked, cancel or threading.Event(), stopped=_enrollment_stopped)
    here = current_context(db)
    if here is not None and (here.center_code, here.window_code) != (answer["center_code"], answer["window_code"]):
        raise WindowdeskError(
            _("This code is for another window"),
            _(
                "The hub issued this code for {center} window {window}, but this computer is set up as "
                "{here}. Ask the administrator for a code for this window."
            ).format(center=answer["center_code"], window=answer["window_code"], here=here.workstation),
        )
    pin: HubPin = client.pin
    hub_id = str(answer.get("hub_id") or pin.seen_hub_id or "")
    with db.read() as session:
        enrolled_with = queries.local_setting(session, KEY_HUB_ID) or ""
        old_url = queries.local_setting(session, KEY_HUB_URL) or ""
    replacing = bool(old_url) and (hub_id != enrolled_with if enrolled_with else hub_url != old_url)
    if replacing and not old_hub_gone:
        raise AnotherHub(
            _("This window belongs to another hub"),
            _(
                "This window is enrolled with the hub at {old}, and the hub at {new} is a different one. Nothing "
                'was changed. If the old hub is really gone for good, an administrator ticks "The old hub is '
                'gone" and enrolls again.'
            ).format(old=old_url, new=hub_url),
        )
    token_store_for(f"{hub_url}#{answer['workstation_id']}").set(answer["token"])
    with db.write() as session:
        approver = require_approver(session, ctx, approver_id, Permission.ENROLL_WORKSTATION)
        if hub_id != enrolled_with or old_url != hub_url:
            # Another hub: its generation is not a restore of the one seen before.
            queries.set_local_setting(session, KEY_HUB_GENERATION, "")
        queries.set_local_setting(session, KEY_HUB_URL, hub_url)
        queries.set_local_setting(session, KEY_WORKSTATION, answer["workstation_id"])
        queries.set_local_setting(session, KEY_HUB_ID, hub_id)
        queries.set_local_setting(session, KEY_HUB_CERTIFICATE, pin.seen_certificate_sha256)
        queries.set_local_setting(session, KEY_CA_BUNDLE, ca_bundle)
        if allow_plain_http:
            queries.set_local_setting(session, KEY_PLAIN_HTTP_ALLOWED, "1")
        record_action(
            session,
            ctx,
            action="workstation.enroll",
            entity="workstation",
            entity_id=answer["workstation_id"],
            detail={
                "hub_url": hub_url,
                "hub_id": hub_id,
                "approved_by": approver.login,
                "certificate_sha256": pin.seen_certificate_sha256,
                "replaced_hub": old_url if replacing else "",
                "plain_http_allowed": allow_plain_http and not is_on_this_computer(hub_url),
            },
        )
    return answer


def pin_hub_first_seen(db: Database, seen: HubPin) -> None:
    """A window enrolled before hubs named themselves pins the hub it syncs with, the
    first time that hub names itself (nothing was pinned to check it against)."""
    if not seen.seen_hub_id:
        return
    with db.read() as session:
        if queries.local_setting(session, KEY_HUB_ID) or not queries.local_setting(session, KEY_WORKSTATION):
            return
    with db.write() as session:
        if not queries.local_setting(session, KEY_HUB_ID):
            queries.set_local_setting(session, KEY_HUB_ID, seen.seen_hub_id)
            queries.set_local_setting(session, KEY_HUB_CERTIFICATE, seen.seen_certificate_sha256)


def _installation_id(db: Database) -> str:
    """A random id of this installation, sent with an enrollment code: if the hub's answer
    is lost, asking again with the same code is answered again (hub services.enrollment).
    Made and saved before the first enrollment request leaves, so that a retry after a
    lost answer (or a restart) sends the same one."""
    with db.write() as session:
        found = queries.local_setting(session, KEY_INSTALLATION)
        if found is None:
            found = f"inst-{uuid.uuid4().hex}"
            queries.set_local_setting(session, KEY_INSTALLATION, found)
        return found
