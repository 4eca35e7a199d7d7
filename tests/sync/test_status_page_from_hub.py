"""The QR code on a receipt opens the case's status page once the hub publishes where the
pages are (``windowdesk-hub status-page URL``): a real hub process, a real window syncing
with it, the receipts rendered and read back. The case number stays printed under the
code, and a scanner at the window that reads the code still finds the case (F4)."""

from __future__ import annotations

from tests.printing.conftest import all_text
from tests.printing.test_render_documents import assert_qr_of
from windowdesk.domain.fees import Tender
from windowdesk.i18n import set_locale
from windowdesk.printing.render import render_document
from windowdesk.services import cases, documents
from windowdesk.services.payments import pay_case_fee
from windowdesk.sync import protocol

from .test_sync_with_hub import accept, blank_stations, enrolled, hub, new_station, resident, sync  # noqa: F401

FEE_ITEM = "FC-001"  # 房屋产权登记（住房）: a fee is collected


def _papers(station, case_id: str, receipt_id: str) -> tuple[bytes, bytes]:
    acceptance = render_document(documents.acceptance_receipt_data(station.db, station.ctx, case_id))
    receipt = render_document(documents.receipt_data(station.db, station.ctx, receipt_id))
    return acceptance, receipt


def test_receipts_open_the_status_page_the_hub_publishes(hub, new_station) -> None:  # noqa: F811
    hub.start()
    station = enrolled(new_station(), hub)
    case = accept(station, resident(station, 1), item=FEE_ITEM)
    paid = pay_case_fee(station.db, station.ctx, case_id=case.id, tender=Tender("cash", tendered_fen=100_000))

    # Nothing published yet: the codes hold the case number, as before.
    for pdf in _papers(station, case.id, paid.receipt_id):
        assert_qr_of(pdf, case.number)

    assert "Published the status page address" in hub.cli("status-page", "https://hub.example/status")
    report = sync(station)
    assert report.ok, report.error
    assert protocol.CHANGE_STATUS_PAGE in report.changed_kinds
    page = f"https://hub.example/status/{case.number}"
    set_locale("zh_CN")
    try:
        for pdf in _papers(station, case.id, paid.receipt_id):
            assert_qr_of(pdf, page)
            text = all_text(pdf)
            assert case.number + "扫码查询办理进度" in text  # the number itself, readable, under the code
            assert "hub.example" not in text
    finally:
        set_locale("en")
    # A scanner at the window reads the code: the status inquiry (F4) takes the address.
    assert case.number in cases.inquire(station.db, station.ctx, case_number=page, shipped_calendar=station.calendar)

    assert "Withdrew" in hub.cli("status-page")
    assert sync(station).ok
    for pdf in _papers(station, case.id, paid.receipt_id):
        assert_qr_of(pdf, case.number)
