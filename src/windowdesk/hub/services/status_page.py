"""Where the public status page of a case is, published to every window.

The hall's website (or the hub behind a public proxy) shows a case's progress at
``<address>/<case number>``. Once the administrator publishes the address, every window
prints it in the QR code of its acceptance receipts and fee receipts from its next sync;
publishing "" withdraws it, and the codes hold the case number alone again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from windowdesk.domain.status_page import MAX_LENGTH, is_status_page_base
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services.feed import append_change
from windowdesk.i18n import N_
from windowdesk.sync.protocol import CHANGE_STATUS_PAGE


def checked_address(url: str) -> str:
    """``url`` without surrounding spaces, or InvalidInput saying what a good one looks like."""
    url = url.strip()
    if url and not is_status_page_base(url):
        raise InvalidInput(
            Text(
                N_(
                    "{url} is not a status page address: give an http:// or https:// address of at most "
                    "{length} characters without spaces, ? or #, e.g. https://hub.example/status. Nothing was "
                    "published."
                ),
                url=url,
                length=MAX_LENGTH,
            )
        )
    return url


def publish_status_page(session: Session, *, url: str, now: dt.datetime) -> int:
    """Publish the address (checked) to every center; the change's seq. Runs in a
    ``write(feed=True)`` transaction."""
    return append_change(
        session,
        kind=CHANGE_STATUS_PAGE,
        entity="status_page",
        entity_id="status_page",
        center_code=None,
        payload={"url": checked_address(url)},
        now=now,
    )
