"""The hall reads its center's bookings of the day from the hub (issue 27's 预约, checked
in at the kiosk: service.check_in).

The hub gives a center's hall its own token (``windowdesk-hub hall-token CENTER``): it
opens that one read and nothing else (hub/services/hall_link.py). The hall keeps what it
read in its store, so the kiosk checks residents in while the hub cannot be reached; a
booking made or cancelled since shows at the next read. ``windowdesk-hall serve --hub URL``
reads every READ_EVERY_S seconds; ``windowdesk-hall fetch-bookings --hub URL`` reads once.
"""

from __future__ import annotations

import logging
import threading

import requests

from windowdesk.errors import WindowdeskError
from windowdesk.hall.service import HallService
from windowdesk.i18n import _
from windowdesk.sync.protocol import API_PREFIX

ENV_HUB_TOKEN = "WINDOWDESK_HALL_HUB_TOKEN"
READ_EVERY_S = 120.0
TIMEOUT = (5.0, 20.0)
log = logging.getLogger(__name__)


class HubReadFailed(WindowdeskError):
    pass


def fetch_bookings(service: HallService, *, hub_url: str, token: str) -> int:
    """Reads today's bookings of the hall's center (its local day) and keeps them; the
    number read."""
    day = service.today()
    try:
        answer = requests.get(
            f"{hub_url.rstrip('/')}{API_PREFIX}/hall/bookings",
            params={"day": day},
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
        )
    except requests.RequestException as error:
        raise HubReadFailed(
            _("Bookings not read"), _("The hub could not be reached: {error}").format(error=error)
        ) from None
    if answer.status_code != 200:
        try:
            words = answer.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            words = answer.text[:200]
        raise HubReadFailed(
            _("Bookings not read"),
            _("The hub refused to give the bookings ({status}): {words}").format(
                status=answer.status_code, words=words
            ),
        )
    bookings = answer.json()["bookings"]
    return service.store_bookings(bookings)


def keep_reading(service: HallService, *, hub_url: str, token: str, stop: threading.Event) -> threading.Thread:
    """Reads now and then every READ_EVERY_S seconds until ``stop``; a failed read is
    logged and the bookings read before stay."""

    def loop() -> None:
        while True:
            try:
                count = fetch_bookings(service, hub_url=hub_url, token=token)
                log.info("read %d bookings of today from the hub", count)
            except WindowdeskError as error:
                log.warning("bookings not read from the hub: %s", error)
            if stop.wait(READ_EVERY_S):
                return

    thread = threading.Thread(target=loop, name="hub-bookings", daemon=True)
    thread.start()
    return thread
