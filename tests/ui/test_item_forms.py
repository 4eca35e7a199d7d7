"""表格下载 at the window (issue 30), through the real widgets offscreen on a real database:
choosing an item offers its blank forms from the window's own copy of the catalog; one
chosen is printed (here to a PDF file through Qt's real printing), no network needed."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
from PySide6.QtPrintSupport import QPrinter

from tests.ui.test_intake_window import _choose_item
from windowdesk.paths import resources_dir

WAIT_MS = 15000


def test_the_chosen_item_s_forms_are_offered_and_one_prints(qtbot, window, tmp_path: Path) -> None:
    view = window.intake
    assert not view.forms_button.isEnabled()  # no item chosen yet
    _choose_item(qtbot, window, "lnz", "老年证")
    assert view.forms_button.isEnabled()
    actions = {action.objectName(): action for action in view.forms_button.forms_menu.actions()}
    assert sorted(actions) == ["form-F01", "form-F02"]
    assert actions["form-F02"].text() == "授权委托书" and actions["form-F02"].isEnabled()

    out = tmp_path / "printed.pdf"

    def pdf_printer() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    view.forms_button._printer_for = pdf_printer
    actions["form-F02"].trigger()
    qtbot.waitUntil(lambda: "printed" in view.result_label.text(), timeout=WAIT_MS)
    shipped = (resources_dir() / "catalog" / "forms" / "LL-001-F02.pdf").read_bytes()
    assert len(pypdf.PdfReader(out).pages) == len(pypdf.PdfReader(io.BytesIO(shipped)).pages)

    view.item_picker.query_edit.clear()
    _choose_item(qtbot, window, "城市居民最低", "最低生活保障")  # MZ-001: one form
    assert [a.objectName() for a in view.forms_button.forms_menu.actions()] == ["form-F01"]
    view.item_picker.query_edit.clear()
    _choose_item(qtbot, window, "临时救助", "临时救助")  # MZ-003 lists none
    assert not view.forms_button.isEnabled()
