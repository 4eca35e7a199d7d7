"""Opening the print preview from a screen: load the document's data, audit each copy.

The intake view and the record detail dialog call these; they never build documents
or audit entries themselves.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from windowdesk.printing.data import DocumentData
from windowdesk.services import documents
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error
from windowdesk.ui.printing.preview_dialog import PrintPreviewDialog, PrintRequest
from windowdesk.ui.printing.settings import PaperSettings


def open_print_preview(
    parent: QWidget | None,
    db: Database,
    ctx: CounterContext,
    data: DocumentData,
    *,
    reprint: bool = False,
    settings: PaperSettings | None = None,
) -> PrintPreviewDialog:
    """Show the preview of ``data``; every copy printed or saved is written to the audit log."""
    request = PrintRequest(data, reprint)

    def audit(output: str) -> None:
        documents.record_print(
            db, ctx, document=request.kind.value, number=request.number, reprint=request.reprint, output=output
        )

    dialog = PrintPreviewDialog(request, on_output=audit, settings=settings, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_record_preview(
    parent: QWidget | None,
    db: Database,
    ctx: CounterContext,
    *,
    kind: str,
    record_id: str,
    reprint: bool,
    settings: PaperSettings | None = None,
    query_code: str = "",
) -> PrintPreviewDialog | None:
    """The preview of a record's document (acceptance receipt, notification slip, refusal
    notice); ``query_code`` for the first copy of an acceptance receipt only."""
    try:
        data = documents.record_document(db, ctx, kind=kind, record_id=record_id, query_code=query_code)
    except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
        show_error(parent, error)
        return None
    return open_print_preview(parent, db, ctx, data, reprint=reprint, settings=settings)
