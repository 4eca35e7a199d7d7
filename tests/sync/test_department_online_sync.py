"""全程网办 through the real ``windowdesk-hub serve`` process on loopback: a fully-online
item's application reaches the chosen center's window for its pre-review; the item's
department accepts it at the hub; the window's next pull closes it there with the hub's
case (number, department, promised date; what the resident typed let go), its number at
the visit answers with that case instead of an intake, and a pre-review the window had
decided offline meanwhile is refused by the hub in words."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.sync.hub_process import HubProcess
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.errors import NotFoundError
from windowdesk.hub.services import department_online
from windowdesk.hub.services import online_applications as hub_applications
from windowdesk.hub.services.console_rights import DEPARTMENT, ConsoleActor
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.sealing import sealer_for
from windowdesk.services import online_visit, prereview
from windowdesk.storage import application_queries
from windowdesk.storage.models_applications import OnlineApplication

from .test_sync_with_hub import blank_stations, enrolled, hub, new_station, sync  # noqa: F401

LABOUR = ConsoleActor("31", "lb", "人社小周", DEPARTMENT, "LBJ")
ID_NUMBER = "11010519491231002" + resident_id_check_char("11010519491231002")


def test_the_window_learns_the_department_s_case_and_answers_with_it(hub: HubProcess, new_station) -> None:  # noqa: F811
    hub.start()
    window = enrolled(new_station("CH", "01"), hub)
    db, files = HubDatabase(hub.database_url), ApplicationFiles(hub.data_dir, sealer_for(hub.data_dir))
    try:
        sent = hub_applications.submit(
            db,
            files,
            item_code="LB-005",
            center_code="CH",
            address="10.0.0.7",
            now=dt.datetime.now(dt.UTC),
            uploads=[],
            values={
                "credit_code": "91350100M000100Y43",
                "organisation_name": "某某科技有限公司",
                "contact_name": "周明",
                "contact_id_number": ID_NUMBER,
                "phone": "13800138000",
            },
        )
        assert sync(window).ok
        [waiting] = prereview.waiting_applications(window.db, window.ctx)
        assert waiting.number == sent.number
        accepted = db.run_write(
            lambda session: department_online.accept(
                session, files, actor=LABOUR, application_id=sent.application_id, round_=1, now=dt.datetime.now(dt.UTC)
            ),
            feed=True,
        )
    finally:
        db.dispose()

    # Decided offline at the window before its sync: the hub refuses it, in words.
    prereview.accept_for_visit(window.db, window.ctx, application_id=waiting.id)
    report = sync(window)
    assert [kind for kind, _reason in report.rejected] == ["application.decided"], report.rejected
    with window.db.read() as session:
        row = session.get(OnlineApplication, sent.application_id)
        assert row is not None
        assert (row.status, row.case_number, row.case_department, row.case_promised_date) == (
            application_queries.CLOSED,
            accepted.case_number,
            "LBJ",
            accepted.promised_date,
        )
        assert row.values == {}
    assert prereview.waiting_applications(window.db, window.ctx) == []
    with pytest.raises(NotFoundError) as told:
        online_visit.open_for_visit(window.db, window.ctx, key=sent.number)
    assert accepted.case_number in told.value.message and "LBJ" in told.value.message
