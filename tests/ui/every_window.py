"""Every top-level window and dialog of the counter, built on real data: for the test that
checks they fit the screens of a service hall, and for bench/screenshots.py.

``every_window`` yields (name, widget) one at a time; the widget is shown and laid out,
and is closed by the caller before the next one is built.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import QApplication, QWidget

# Service-hall screens, and what a maximised window has of them: the taskbar (40 px)
# and the title bar (30 px) taken away.
SCREENS = {"1366x768": (1366, 768), "1280x720": (1280, 720)}
TASKBAR, TITLE_BAR = 40, 30


def client_room(screen: tuple[int, int]) -> tuple[int, int]:
    return screen[0], screen[1] - TASKBAR - TITLE_BAR


def _settle(widget: QWidget) -> QWidget:
    import time

    widget.show()
    for _round in range(3):
        QApplication.processEvents()
    if hasattr(widget, "page_labels"):  # a print preview: its pages are drawn in the background
        deadline = time.monotonic() + 30
        while not widget.page_labels and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.02)
        QApplication.processEvents()
    return widget


def _decided(demo):
    """A paid case, a notification and a refusal of the demo resident 王建国."""
    import dataclasses

    from windowdesk.domain.fees import CASH, Tender
    from windowdesk.services import applicants, intake, payments
    from windowdesk.services.catalog import get_item_guide

    who = applicants.find_residents(demo.db, demo.ctx, query="230902196210010496")[0].ref

    def checks(code, missing=()):
        guide = get_item_guide(demo.db, item_code=code)
        return [
            intake.MaterialCheck(m.code, "missing" if i in missing else "received")
            for i, m in enumerate(guide.materials)
        ]

    case = intake.accept_case(
        demo.db, demo.ctx, item_code="LL-001", applicant=who, checks=checks("LL-001"), shipped_calendar=demo.calendar
    )
    paid = payments.pay_case_fee(
        demo.db, demo.ctx, case_id=case.id, quantities={}, tender=Tender(CASH, tendered_fen=1000)
    )
    unpaid = intake.accept_case(
        demo.db, demo.ctx, item_code="GA-003", applicant=who, checks=checks("GA-003"), shipped_calendar=demo.calendar
    )
    notification = intake.notify_missing(
        demo.db, demo.ctx, item_code="MZ-003", applicant=who, checks=checks("MZ-003", missing=(0, 1))
    )
    guide = get_item_guide(demo.db, item_code="MZ-001")
    refusal = intake.refuse_application(
        demo.db,
        demo.ctx,
        item_code="MZ-001",
        applicant=who,
        reason=guide.refusal_grounds[0],
        legal_basis=guide.legal_basis,
    )
    return dataclasses.make_dataclass("Decided", ["case", "paid", "unpaid", "notification", "refusal"])(
        case, paid, unpaid, notification, refusal
    )


def every_window(demo) -> Iterator[tuple[str, QWidget]]:
    from windowdesk.printing.paper import DocumentKind  # noqa: F401 - documents load their kinds
    from windowdesk.services import complaints, documents, receipts, worklist
    from windowdesk.services.catalog import get_item_guide
    from windowdesk.ui.auth.login_dialog import ChangePasswordDialog, LoginDialog
    from windowdesk.ui.cases.actions import SuspensionDialog
    from windowdesk.ui.cases.handover_dialog import HandoverDialog
    from windowdesk.ui.cases.inquiry_dialog import InquiryDialog
    from windowdesk.ui.fees.payment_dialog import PaymentDialog
    from windowdesk.ui.fees.void_dialog import VoidDialog
    from windowdesk.ui.first_run import FirstRunDialog
    from windowdesk.ui.intake.applicant_dialogs import RegisterOrganisationDialog, RegisterResidentDialog
    from windowdesk.ui.intake.refuse_dialog import RefuseDialog
    from windowdesk.ui.main_window import MainWindow
    from windowdesk.ui.prereview.dialog import PreReviewDialog
    from windowdesk.ui.printing.preview_dialog import PrintPreviewDialog, PrintRequest
    from windowdesk.ui.service_quality.forms import ComplaintFormDialog, InquiryFormDialog, RectificationFormDialog
    from windowdesk.ui.service_quality.rating import ApplicantRatingWindow, RatingDialog
    from windowdesk.ui.sync.enroll_dialog import EnrollDialog
    from windowdesk.ui.sync.sync_dialog import SyncDialog
    from windowdesk.ui.worklist.detail_dialog import RecordDetailDialog

    db, ctx, calendar = demo.db, demo.ctx, demo.calendar
    decided = _decided(demo)
    main = MainWindow(db, ctx, calendar)
    try:
        _settle(main)
        for index in range(main.tabs.count()):
            if not main.tabs.isTabVisible(index):
                continue
            main.tabs.setCurrentIndex(index)
            yield f"main-{index + 1}-{main.tabs.widget(index).__class__.__name__}", _settle(main)
            if main.tabs.widget(index) is main.fees:
                for sub in range(1, main.fees.tabs.count()):
                    main.fees.tabs.setCurrentIndex(sub)
                    yield f"main-{index + 1}-fees-{sub + 1}", _settle(main)
                main.fees.tabs.setCurrentIndex(0)
        main.tabs.setCurrentIndex(0)
        main.lock()
        yield "main-locked", _settle(main)
        yield "lock-dialog", _settle(main.lock_dialog)
        main.lock_dialog.hide()

        guide = get_item_guide(db, item_code="MZ-001")
        entry = next(e for e in receipts.receipts_of_day(db, ctx) if e.id == decided.paid.receipt_id)
        choices = complaints.complaint_choices(db, ctx)
        detail = worklist.get_record_detail(db, ctx, kind="case", record_id=decided.case.id)
        from tests.sync.application_stand_in import ApplicationHub, bring_application, page_photo

        online = ApplicationHub(
            "SQ-20261207-DDDDDD",
            {"applicant_name": "王建国", "phone": "13800138000", "hardship": "疾病"},
            {"M01": [page_photo(1)], "M02": [page_photo(2)]},
        )
        bring_application(db, online)  # the pre-review shows a waiting application
        builders = [
            ("first-run", lambda: FirstRunDialog(db)),
            ("login", lambda: LoginDialog(db)),
            ("change-password", lambda: ChangePasswordDialog(db, ctx, main)),
            ("inquiry", lambda: InquiryDialog(db, ctx, calendar, main)),
            ("refuse", lambda: RefuseDialog(guide.refusal_grounds, guide.legal_basis, main)),
            ("register-resident", lambda: RegisterResidentDialog(db, ctx, main)),
            ("register-organisation", lambda: RegisterOrganisationDialog(db, ctx, main)),
            ("payment", lambda: PaymentDialog(db, ctx, decided.unpaid.id, main)),
            ("void", lambda: VoidDialog(db, ctx, entry, main)),
            ("rating", lambda: RatingDialog(db, ctx, calendar, case_id=decided.case.id, parent=main)),
            ("applicant-rating-screen", lambda: ApplicantRatingWindow(db, ctx, calendar)),
            ("record-detail", lambda: RecordDetailDialog(detail, ctx.timezone, main, db=db, ctx=ctx)),
            ("delivery", lambda: HandoverDialog("window", main)),
            ("suspension", lambda: SuspensionDialog(main)),
            ("inquiry-form", lambda: InquiryFormDialog(main)),
            (
                "complaint-form",
                lambda: ComplaintFormDialog(
                    list(choices.staff), list(choices.windows), list(choices.departments), main
                ),
            ),
            ("rectification-form", lambda: RectificationFormDialog(ctx.local_today(), main)),
            ("sync", lambda: SyncDialog(main.sync, lambda: ctx, db, main)),
            ("enroll", lambda: EnrollDialog(db, main.workers, main)),
            ("online-pre-review", lambda: PreReviewDialog(db, ctx, main)),
            (
                "print-preview",
                lambda: PrintPreviewDialog(
                    PrintRequest(documents.record_document(db, ctx, kind="case", record_id=decided.case.id)),
                    parent=main,
                ),
            ),
        ]
        for name, build in builders:
            widget = build()
            try:
                yield name, _settle(widget)
            finally:
                widget.close()
                widget.deleteLater()
    finally:
        if main.lock_dialog is not None:
            main.lock_dialog.deleteLater()
            main.lock_dialog = None
        main.intake.reset()
        main.close()
        main.service_quality.close()
        main.deleteLater()
