"""How this window reaches its center's hall service (the queue): the address in the
local database, the window's hall token in the operating system's keyring (like the
hub's token, never in a file)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from windowdesk.errors import ValidationError
from windowdesk.i18n import _
from windowdesk.storage import queries
from windowdesk.sync.credentials import TokenStore

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from windowdesk.storage.db import Database

KEY_HALL_URL = "hall.url"
TOKEN_ACCOUNT = "hall-window-token"


@dataclass(frozen=True)
class HallConnection:
    url: str
    token: str


def hall_connection(
    db: Database,
    *,
    token_store_for: Callable[[str], TokenStore] = TokenStore,
    settings: Mapping[str, str] | None = None,
) -> HallConnection | None:
    """None when this window was never connected to a hall service. ``settings``:
    KEY_HALL_URL read already (preferences.read_settings)."""
    if settings is not None:
        url = settings.get(KEY_HALL_URL)
    else:
        with db.read() as session:
            url = queries.local_setting(session, KEY_HALL_URL)
    if not url:
        return None
    token = token_store_for(TOKEN_ACCOUNT).get()
    return HallConnection(url, token) if token else None


Status = TypeVar("Status")  # what the hall answered the check with


def connect_to_hall(
    db: Database,
    *,
    url: str,
    token: str,
    check: Callable[[HallConnection], Status],
    token_store_for: Callable[[str], TokenStore] = TokenStore,
) -> Status:
    """Saved only once the service answered with this token as a window's: ``check``
    takes the connection and returns the window's status (it raises when refused)."""
    url = url.strip().rstrip("/")
    token = token.strip()
    if not url.startswith(("http://", "https://")):
        raise ValidationError(_("The hall service's address starts with http:// or https://."), field="url")
    if not token:
        raise ValidationError(_("Type the window's token given by the hall's administrator."), field="token")
    status = check(HallConnection(url, token))
    token_store_for(TOKEN_ACCOUNT).set(token)
    with db.write() as session:
        queries.set_local_setting(session, KEY_HALL_URL, url)
    return status
