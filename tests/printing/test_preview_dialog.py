"""The print preview, offscreen: pages shown, saved, printed through Qt, failures explained."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrinter

from windowdesk.printing.paper import MM, DocumentKind, PaperFormat
from windowdesk.services import documents, preferences, worklist
from windowdesk.services.catalog import CatalogSearch
from windowdesk.storage import queries
from windowdesk.ui.intake.view import IntakeView
from windowdesk.ui.printing.actions import open_print_preview
from windowdesk.ui.printing.jobs import wait_for_jobs
from windowdesk.ui.printing.printer import PrinterError, named_printer
from windowdesk.ui.printing.settings import PaperSettings
from windowdesk.ui.worklist.detail_dialog import RecordDetailDialog

from .conftest import DEMO_ID, page_texts

WAIT_MS = 20_000


@pytest.fixture
def settings(tmp_path) -> PaperSettings:
    return PaperSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture(autouse=True)
def _no_job_left_running():
    yield
    assert wait_for_jobs(WAIT_MS)


def _actions(db) -> list[tuple[str, dict]]:
    with db.read() as session:
        return [(e.action, dict(e.detail)) for e in queries.audit_entries(session) if e.entity == "document"]


def _shown(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: dialog.pdf is not None and bool(dialog.page_labels), timeout=WAIT_MS)


def _preview(qtbot, decided, settings, *, reprint=False, parent=None):
    data = documents.acceptance_receipt_data(decided.db, decided.ctx, decided.case.id)
    dialog = open_print_preview(parent, decided.db, decided.ctx, data, reprint=reprint, settings=settings)
    if parent is None:
        qtbot.addWidget(dialog)
    _shown(qtbot, dialog)
    return dialog


def test_preview_shows_every_page_and_saves_the_pdf(qtbot, decided, settings, tmp_path):
    dialog = _preview(qtbot, decided, settings)
    pages = len(pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages)
    assert len(dialog.page_labels) == pages >= 1
    assert all(not label.pixmap().isNull() and label.pixmap().width() > 300 for label in dialog.page_labels)
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    assert "(reprint)" not in dialog.windowTitle()

    target = tmp_path / "receipt.pdf"
    with qtbot.waitSignal(dialog.printed) as printed:
        assert dialog.save_pdf(target)
    assert printed.args == ["pdf"]
    assert target.read_bytes().startswith(b"%PDF") and decided.case.number in "".join(page_texts(target.read_bytes()))
    assert _actions(decided.db) == [
        ("document.print", {"document": "acceptance_receipt", "number": decided.case.number, "output": "pdf"})
    ]


def test_a_reprint_is_marked_and_audited_as_one(qtbot, decided, settings, tmp_path):
    dialog = _preview(qtbot, decided, settings, reprint=True)
    assert "(reprint)" in dialog.windowTitle()
    assert all("REPRINT" in page for page in page_texts(dialog.pdf))
    dialog.save_pdf(tmp_path / "again.pdf")
    assert [action for action, _detail in _actions(decided.db)] == ["document.reprint"]


def test_the_paper_choice_rerenders_and_is_remembered(qtbot, decided, settings):
    dialog = _preview(qtbot, decided, settings)
    first = dialog.pdf
    dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData(PaperFormat.ROLL_80.value))
    qtbot.waitUntil(lambda: dialog.pdf is not first and dialog.pdf is not None, timeout=WAIT_MS)
    _shown(qtbot, dialog)
    width = pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages[0].mediabox.width
    assert float(width) == pytest.approx(80 * MM)
    assert settings.paper_for(DocumentKind.ACCEPTANCE_RECEIPT) is PaperFormat.ROLL_80
    again = _preview(qtbot, decided, settings)
    assert again.paper is PaperFormat.ROLL_80


def test_printing_through_qt_paints_every_page(qtbot, decided, settings, tmp_path):
    """A QPrinter writing a PDF file stands in for paper: same QPainter path as a real printer."""
    dialog = _preview(qtbot, decided, settings)
    expected_pages = len(pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.printed, timeout=WAIT_MS) as printed:
        dialog.print_to(printer)
        assert not dialog.print_button.isEnabled(), "no second job while one is printing"
    assert printed.args == ["printer"]
    out = pypdf.PdfReader(tmp_path / "printed.pdf")
    assert len(out.pages) == expected_pages
    assert float(out.pages[0].mediabox.width) == pytest.approx(148 * MM, abs=2)  # A5, as laid out
    assert [action for action, _detail in _actions(decided.db)] == ["document.print"]


def test_a_missing_printer_is_named_not_replaced_by_another():
    with pytest.raises(PrinterError) as caught:
        named_printer("no-such-printer")
    assert caught.value.title == "Not printed"
    assert "no-such-printer" in caught.value.message and "Reprint" in caught.value.message


def test_a_failed_print_is_explained_and_nothing_is_lost(qtbot, decided, settings, tmp_path):
    dialog = _preview(qtbot, decided, settings)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "no-such-folder" / "out.pdf"))  # the device cannot open
    with qtbot.waitSignal(dialog.printFailed, timeout=WAIT_MS) as failed:
        dialog.print_to(printer)
    title, message = failed.args
    assert title == "Not printed"
    assert "could not be sent" in message and "Reprint" in message
    assert dialog.message_box is not None and dialog.message_box.isVisible()
    assert _actions(decided.db) == []  # nothing printed, nothing audited
    assert worklist.get_record_detail(decided.db, decided.ctx, kind="case", record_id=decided.case.id).number
    assert dialog.print_button.isEnabled(), "the operator can try again"
    dialog.message_box.close()


def _shortcut(widget, keys: str) -> QShortcut:
    [shortcut] = [s for s in widget.findChildren(QShortcut) if s.key() == QKeySequence(keys)]
    return shortcut


def test_intake_print_button_prints_the_last_decision_then_reprints(qtbot, demo, tmp_path):
    preferences.save_print_at_once(demo.db, False)  # a workstation that previews first (the default prints at once)
    view = IntakeView(demo.db, demo.ctx, CatalogSearch(demo.db), demo.calendar)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert not view.print_button.isEnabled()
    qtbot.keyClicks(view.item_picker.query_edit, "lnz")
    qtbot.keyClick(view.item_picker.query_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(view.applicant_picker.query_edit, DEMO_ID)
    qtbot.waitUntil(lambda: view.applicant_picker.results.count() == 1)
    qtbot.keyClick(view.applicant_picker.query_edit, Qt.Key.Key_Return)
    view.all_received_button.click()
    view.accept_button.click()
    [entry] = worklist.list_day_work(demo.db, demo.ctx)
    assert view.print_button.isEnabled()

    _shortcut(view, "Ctrl+P").activated.emit()  # what pressing Ctrl+P does in the running app
    first = view.print_dialog
    assert first is not None and not first.request.reprint
    assert first.request.number == entry.number
    _shown(qtbot, first)
    first.save_pdf(tmp_path / "first.pdf")
    first.close()

    view.print_button.click()
    second = view.print_dialog
    assert second is not first and second.request.reprint
    _shown(qtbot, second)
    second.save_pdf(tmp_path / "second.pdf")
    assert [action for action, _detail in _actions(demo.db)] == ["document.print", "document.reprint"]
    second.close()


def test_detail_dialog_reprints_the_record(qtbot, decided, tmp_path):
    detail = worklist.get_record_detail(decided.db, decided.ctx, kind="notification", record_id=decided.notification.id)
    plain = RecordDetailDialog(detail, "Asia/Shanghai")
    qtbot.addWidget(plain)
    assert plain.reprint_button is None, "no reprint without a database and an operator"

    dialog = RecordDetailDialog(detail, "Asia/Shanghai", db=decided.db, ctx=decided.ctx)
    qtbot.addWidget(dialog)
    dialog.reprint_button.click()
    preview = dialog.print_dialog
    assert preview is not None and preview.request.reprint
    assert preview.request.kind is DocumentKind.NOTIFICATION_SLIP
    _shown(qtbot, preview)
    assert "REPRINT" in page_texts(preview.pdf)[0]
    preview.save_pdf(Path(tmp_path / "slip.pdf"))
    assert _actions(decided.db) == [
        ("document.reprint", {"document": "notification_slip", "number": decided.notification.number, "output": "pdf"})
    ]
    preview.close()
