"""网上预审, the window's side of the sync: after the pull, the online applications of this
center waiting for a pre-review are fetched from the hub (what the resident typed and
the list of pages; each page's bytes into the window's page store, materials.db), and
those no longer waiting there (decided at another window of the center, or deleted) stop
being shown here.

Each reading is recorded at the hub. A page whose bytes do not match the hash the hub
named is not stored, and the application is fetched again at the next sync.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from windowdesk.errors import NotFoundError, WindowdeskError
from windowdesk.i18n import _
from windowdesk.storage import application_queries as queries
from windowdesk.storage.db import Database
from windowdesk.storage.page_store import PageStore, content_hash

if TYPE_CHECKING:
    from windowdesk.sync.client import HubClient

log = logging.getLogger("windowdesk.sync")

Call = Callable[[Callable[[], Any]], Any]  # a request to the hub, with the sync's retries


class DamagedPage(WindowdeskError):
    pass


def _stored(store: PageStore, sha256: str) -> bool:
    try:
        store.size(sha256)
    except NotFoundError:
        return False
    return True


def fetch_applications(db: Database, client: HubClient, store: PageStore, *, call: Call) -> int:
    """How many applications' current rounds were fetched."""
    from windowdesk.sync.client import HubRefused

    try:
        waiting = call(client.waiting_applications)
    except HubRefused as refused:
        if refused.status == 404:  # a hub older than the online applications: nothing waits
            return 0
        raise
    still_waiting = {entry["id"] for entry in waiting}
    with db.write() as session:
        queries.close(session, queries.submitted_ids(session) - still_waiting)
        wanted = queries.to_fetch(session)
    fetched = 0
    for application_id, round_ in wanted:
        details = call(partial(client.application, application_id))
        if details.get("status") != queries.SUBMITTED or details["round"] != round_:
            continue  # changed meanwhile: the next pull brings its new round, or it is closed then
        pages = []
        for page in details["pages"]:
            page_id, sha256 = str(page["page_id"]), str(page["sha256"])
            if not _stored(store, sha256):
                data = call(partial(client.application_page, application_id, page_id))
                if content_hash(data) != sha256:
                    raise DamagedPage(
                        _("A page arrived damaged"),
                        _(
                            "A page of an online application did not arrive whole; it is fetched "
                            "again at the next sync."
                        ),
                    )
                store.put(data)
            pages.append({"page_id": page_id, "material": str(page["material_code"]), "sha256": sha256})
        with db.write() as session:
            row = queries.get(session, application_id)
            if row is None or row.round != round_ or row.status != queries.SUBMITTED:
                continue
            row.values = {str(key): str(value) for key, value in details["values"].items()}
            row.pages = pages
            row.labels = [
                {
                    "code": str(f.get("code", "")),
                    "label": str(f.get("label", "")),
                    "label_en": str(f.get("label_en", "")),
                    "kind": str(f.get("kind", "")),
                }
                for f in details.get("fields") or []
                if isinstance(f, dict)
            ]
            row.returned = [dict(entry) for entry in details.get("returned") or []]
            row.fetched_round = round_
        fetched += 1
    if fetched or still_waiting:
        log.info("online applications: %d fetched, %d waiting at the hub", fetched, len(still_waiting))
    return fetched
