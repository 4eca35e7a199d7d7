"""The intake screen: item, applicant, materials, then one decision."""

from __future__ import annotations

import dataclasses
import datetime as dt
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.catalog_model import DeferralRule
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services import applicants, catalog, dayclose, documents, intake, online_visit, preferences
from windowdesk.services.catalog import ItemGuide
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error
from windowdesk.ui.intake.applicant_picker import ApplicantPicker
from windowdesk.ui.intake.commitment_box import CommitmentBox
from windowdesk.ui.intake.deferral_box import DeferralBox
from windowdesk.ui.intake.delivery_choice import DeliveryChoiceBox
from windowdesk.ui.intake.forms_button import ItemFormsButton
from windowdesk.ui.intake.item_picker import ItemPicker
from windowdesk.ui.intake.materials_table import MaterialsTable
from windowdesk.ui.intake.proxy_box import ProxyBox
from windowdesk.ui.intake.refuse_dialog import RefuseDialog
from windowdesk.ui.object_names import named

if TYPE_CHECKING:
    from collections.abc import Callable

    from windowdesk.printing.data import DocumentData
    from windowdesk.services.applicants import ApplicantSummary
    from windowdesk.ui.printing.direct import DirectPrint
    from windowdesk.ui.printing.preview_dialog import PrintPreviewDialog

OK_STYLE = "QLabel { background: #e6f4ea; color: #0d652d; padding: 6px; }"
ERROR_STYLE = "QLabel { background: #fce8e6; color: #a50e0e; padding: 6px; }"


class IntakeView(QWidget):
    """Emits ``recordSaved(IntakeResult)`` after each committed decision."""

    recordSaved = Signal(object)

    def __init__(
        self,
        db: Database,
        ctx: CounterContext,
        search: catalog.CatalogSearch,
        shipped_calendar: WorkingCalendar,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._calendar = db, ctx, shipped_calendar
        self.guide: ItemGuide | None = None
        # 网上申报: the online application this visit finishes (open_online), until reset.
        self.online_application_id: str | None = None
        self._search = search
        self.item_picker = ItemPicker(db, search)
        self.applicant_picker = ApplicantPicker(db, ctx)
        self.proxy_box = ProxyBox(db, ctx)  # 帮办代办
        self.deferral_box = DeferralBox(ctx)  # 容缺受理
        self.commitment_box = CommitmentBox()  # 告知承诺制
        self.materials = MaterialsTable()
        self.chosen_item_label = named(QLabel(), "chosenItem")
        self.result_label = named(QLabel(), "resultLabel")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.hide()
        self.all_received_button = named(QPushButton(), "allReceived")
        self.accept_button = named(QPushButton(), "acceptButton")
        self.notify_button = named(QPushButton(), "notifyButton")
        self.refuse_button = named(QPushButton(), "refuseButton")
        self.clear_button = named(QPushButton(), "clearButton")
        # Printing: the document of the last committed decision (receipt, slip or notice).
        self.print_button = named(QPushButton(), "printButton")
        self.print_button.setEnabled(False)
        # The last case's other papers: its 委托书 when an agent applied for it (帮办代办),
        # its 承诺书 when materials follow (容缺受理).
        self.papers_button = named(QPushButton(), "morePapers")
        self.papers_menu = QMenu(self.papers_button)
        self.attorney_action = self.papers_menu.addAction("")
        self.commitment_action = self.papers_menu.addAction("")
        self.notice_action = self.papers_menu.addAction("")  # 告知承诺书
        self.papers_button.setMenu(self.papers_menu)
        self.papers_button.setEnabled(False)
        self.forms_button = ItemFormsButton(db, self)  # the item's blank forms (issue 30)
        self.last_result: intake.IntakeResult | None = None
        self.last_printed = False
        self.print_dialog: PrintPreviewDialog | None = None
        self.print_job: DirectPrint | PrintPreviewDialog | None = None
        self._fee_warning: str | None = None  # the till is closed and the item has a fee
        self._fee_warning_heard = False
        self.applicant_box = QGroupBox()
        self.materials_box = QGroupBox()
        self.delivery_box = DeliveryChoiceBox()
        self._build_layout()
        self._connect()
        self.retranslate()
        self._show_item(None)

    def _build_layout(self) -> None:
        applicant_layout = QVBoxLayout(self.applicant_box)
        applicant_layout.addWidget(self.applicant_picker)
        materials_layout = QVBoxLayout(self.materials_box)
        materials_layout.addWidget(self.chosen_item_label)
        materials_layout.addWidget(self.materials, 1)
        below_materials = QHBoxLayout()
        below_materials.addWidget(self.all_received_button)
        below_materials.addWidget(self.deferral_box)
        below_materials.addStretch(1)
        materials_layout.addLayout(below_materials)
        materials_layout.addWidget(self.commitment_box)
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.notify_button, self.refuse_button):
            buttons.addWidget(button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.papers_button)
        buttons.addWidget(self.forms_button)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.applicant_box)
        right_layout.addWidget(self.proxy_box)
        right_layout.addWidget(self.materials_box, 1)
        right_layout.addWidget(self.delivery_box)
        right_layout.addWidget(self.result_label)
        right_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.item_picker)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        # Tab walks the screen in the order of the work.
        self.setTabOrder(self.item_picker.results, self.applicant_picker.query_edit)
        self.setTabOrder(self.accept_button, self.notify_button)
        self.setTabOrder(self.notify_button, self.refuse_button)
        self.setTabOrder(self.refuse_button, self.clear_button)

    def _connect(self) -> None:
        self.item_picker.itemChosen.connect(self._choose_item)
        self.item_picker.results.currentItemChanged.connect(
            lambda current, _prev: self._choose_item(self.item_picker.current_code(), move_focus=False)
        )
        self.applicant_picker.applicantChosen.connect(self._applicant_chosen)
        self.all_received_button.clicked.connect(self.materials.mark_all_received)
        self.accept_button.clicked.connect(self.accept_case)
        self.notify_button.clicked.connect(self.notify_missing)
        self.refuse_button.clicked.connect(self.refuse)
        self.clear_button.clicked.connect(self.reset)
        self.print_button.clicked.connect(self.print_last_document)
        self.attorney_action.triggered.connect(self.print_power_of_attorney)
        self.commitment_action.triggered.connect(self.print_commitment)
        self.notice_action.triggered.connect(self.print_commitment_notice)
        self.recordSaved.connect(self._remember_for_print)
        self.forms_button.told.connect(lambda text, ok: self._show_result(text, ok=ok))
        # Whenever this screen is showing, wherever the focus is in the window (the tab bar
        # after an unlock, the status bar, a button); the main window adds F2, F3 and
        # Ctrl+Shift+N for every other screen.
        for keys, slot in (
            ("F2", self.focus_item_search),
            ("F3", self.focus_applicant_search),
            ("Ctrl+Return", self.accept_case),
            ("Ctrl+Enter", self.accept_case),
            ("Ctrl+N", self.notify_missing),
            ("Ctrl+R", self.refuse),
            ("Ctrl+M", self.materials.mark_all_received),
            ("Ctrl+Shift+N", self.applicant_picker.register_new),
            ("Ctrl+P", self.print_last_document),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    def retranslate(self) -> None:
        self.applicant_box.setTitle(_("2. Applicant"))
        self.materials_box.setTitle(
            _("3. Materials \u2014 on a status: 1 received, 2 missing, 3 to correct, \u2191\u2193 to move")
        )
        self.delivery_box.retranslate()
        self.all_received_button.setText(_("&Mark all received (Ctrl+M)"))
        self.accept_button.setText(_("&Accept (Ctrl+Enter)"))
        self.notify_button.setText(_("One-time &notification (Ctrl+N)"))
        self.refuse_button.setText(_("Re&fuse\u2026 (Ctrl+R)"))
        self.clear_button.setText(_("&Clear"))
        self.print_button.setText(_("&Print (Ctrl+P)"))
        self.papers_button.setText(_("More papers"))
        self.attorney_action.setText(_("Power of attorney (委托书)"))
        self.commitment_action.setText(_("Commitment (承诺书)"))
        self.forms_button.retranslate()
        self.notice_action.setText(_("Notice and commitment (告知承诺书)"))
        self.proxy_box.retranslate()
        self.deferral_box.retranslate()
        self.commitment_box.retranslate()
        self.item_picker.retranslate()
        self.applicant_picker.retranslate()
        self.materials.retranslate()

    # --- choosing -------------------------------------------------------------------

    def focus_item_search(self) -> None:
        self.item_picker.query_edit.setFocus()
        self.item_picker.query_edit.selectAll()

    def focus_applicant_search(self) -> None:
        self.applicant_picker.query_edit.setFocus()
        self.applicant_picker.query_edit.selectAll()

    def _choose_item(self, code: str | None, move_focus: bool = True) -> None:
        if code is None:
            self._show_item(None)
            return
        if self.guide is not None and self.guide.code == code:
            if move_focus:
                self.focus_applicant_search()
            return
        try:
            self._show_item(
                catalog.get_item_guide(self._db, item_code=code, department_names=self._search.department_names())
            )
        except WindowdeskError as error:
            self._show_result(error.message, ok=False)
            return
        if move_focus:
            self.focus_applicant_search()

    def _show_item(self, guide: ItemGuide | None) -> None:
        self.guide = guide
        self.forms_button.show_item(guide.code if guide is not None else None)
        self._fee_warning, self._fee_warning_heard = None, False
        if guide is not None:
            self.result_label.hide()  # the previous applicant's result goes as the next is entered
        if guide is None:
            self.chosen_item_label.setText(_("1. Choose an item on the left (F2)."))
            self.materials.clear_materials()
            self.deferral_box.offer(allowed=False)
            self.commitment_box.offer(verify_days=0, certificate="")
        else:
            self.chosen_item_label.setText(
                _("Item: {name} \u00b7 promised in {days} working days").format(
                    name=guide.name, days=guide.promised_limit_days
                )
            )
            self.materials.set_materials(guide.materials)
            self.deferral_box.offer(allowed=guide.deferral_rule is not DeferralRule.NONE)
            self.commitment_box.offer(verify_days=guide.commitment_verify_days, certificate=guide.certificate)
            self._say_fee_warning(guide.code)
            # Tab goes on from the last note to "mark all", then the decisions.
            last = self.materials.note_edit(self.materials.rowCount() - 1) if self.materials.rowCount() else None
            QWidget.setTabOrder(
                self.applicant_picker.register_button, self.materials.first_status() or self.all_received_button
            )
            if last is not None:
                QWidget.setTabOrder(last, self.all_received_button)
        QWidget.setTabOrder(self.all_received_button, self.accept_button)
        self._update_buttons()

    def _say_fee_warning(self, item_code: str) -> None:
        """Said when the item is chosen, before accepting: a fee that cannot be taken today."""
        self._fee_warning = None
        try:
            self._fee_warning = dayclose.fee_warning_before_accepting(self._db, self._ctx, item_code=item_code)
        except WindowdeskError as error:
            self._show_result(error.message, ok=False)
            return
        if self._fee_warning:
            self._show_result(self._fee_warning, ok=False)

    def _applicant_chosen(self, _summary: ApplicantSummary | None) -> None:
        self._update_buttons()
        if self.applicant_picker.chosen is not None and self.materials.rowCount():
            self.materials.focus_status(0)

    def _update_buttons(self) -> None:
        ready = self.guide is not None and self.applicant_picker.chosen is not None
        for button in (self.accept_button, self.notify_button, self.refuse_button):
            button.setEnabled(ready)

    # --- deciding -------------------------------------------------------------------

    def _ready(self) -> tuple[ItemGuide, ApplicantSummary] | None:
        """The item and the applicant chosen, or None once told what is missing."""
        if self.guide is None:
            self._show_result(_("Please choose an item first (F2)."), ok=False)
            return None
        applicant = self.applicant_picker.chosen
        if applicant is None:
            self._show_result(_("Please choose or register the applicant first (F3)."), ok=False)
            return None
        return self.guide, applicant

    def _decide(self, action: Callable[[], intake.IntakeResult]) -> None:
        try:
            result = action()
        except WindowdeskError as error:
            self._show_result(f"<b>{escape(error.title)}</b><br>{escape(error.message)}", ok=False, rich=True)
            return
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.recordSaved.emit(result)
        message = self._success_message(result)
        self.reset()
        self._show_result(message, ok=True, rich=True)

    def _success_message(self, result: intake.IntakeResult) -> str:
        if result.kind == "case":
            message = _("Accepted. Case number <b>{number}</b>, promised completion date {date}.").format(
                number=escape(result.number),
                date=escape(on_screen(result.promised_date) if result.promised_date else "\u2014"),
            )
            return message + "".join(f"<br>{escape(w)}" for w in result.warnings)
        if result.kind == "notification":
            return _("One-time notification <b>{number}</b> recorded.").format(number=escape(result.number))
        return _("Refusal <b>{number}</b> recorded.").format(number=escape(result.number))

    def accept_case(self) -> None:
        ready = self._ready()
        if ready is None:
            return
        guide, applicant = ready
        if self._fee_warning and not self._fee_warning_heard:
            # The first Ctrl+Enter shows it again; the second accepts knowingly.
            self._fee_warning_heard = True
            self._show_result(self._fee_warning + "\n" + _("Press Ctrl+Enter again to accept all the same."), ok=False)
            return
        self._decide(
            lambda: intake.accept_case(
                self._db,
                self._ctx,
                item_code=guide.code,
                applicant=applicant.ref,
                checks=self.materials.checks(),
                shipped_calendar=self._calendar,
                delivery=self.delivery_box.choice(),
                proxy=self.proxy_box.terms(),
                deferral=self.deferral_box.terms(),
                commitment=self.commitment_box.terms(),
                online_application_id=self.online_application_id,
            )
        )

    def notify_missing(self) -> None:
        ready = self._ready()
        if ready is None:
            return
        guide, applicant = ready
        self._decide(
            lambda: intake.notify_missing(
                self._db,
                self._ctx,
                item_code=guide.code,
                applicant=applicant.ref,
                checks=self.materials.checks(),
                proxy=self.proxy_box.terms(),  # 帮办代办: named on the slip
            )
        )

    def refuse(self) -> None:
        ready = self._ready()
        if ready is None:
            return
        guide, applicant = ready
        dialog = RefuseDialog(guide.refusal_grounds, guide.legal_basis, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._decide(
            lambda: intake.refuse_application(
                self._db,
                self._ctx,
                item_code=guide.code,
                applicant=applicant.ref,
                reason=dialog.reason(),
                legal_basis=dialog.legal_basis(),
                proxy=self.proxy_box.terms(),
            )
        )

    def _show_result(self, text: str, *, ok: bool, rich: bool = False) -> None:
        self.result_label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.result_label.setText(text)
        self.result_label.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.result_label.show()

    def show_notice(self, html: str, *, ok: bool) -> None:
        """A message on the result line from outside the form (the ID card reader)."""
        self._show_result(html, ok=ok, rich=True)

    def reset(self) -> None:
        """Ready for the next applicant."""
        self.online_application_id = None
        self.result_label.hide()
        self.applicant_picker.reset()
        self.proxy_box.reset()
        self.item_picker.reset()
        self.delivery_box.reset()
        self._show_item(None)
        self.focus_item_search()

    # --- operators taking turns -----------------------------------------------------

    def set_context(self, ctx: CounterContext) -> None:
        """Another operator logged in at this window."""
        self._ctx = ctx
        self.applicant_picker.set_context(ctx)
        self.proxy_box.set_context(ctx)
        self.deferral_box.set_context(ctx)

    def has_unsaved_form(self) -> bool:
        """An item or an applicant chosen and not yet decided."""
        return self.guide is not None or self.applicant_picker.chosen is not None

    def draft(self) -> dict:
        """The unsaved form, to be given back when its operator returns."""
        marks = []
        for row in range(self.materials.rowCount()):
            box = self.materials.status_box(row)
            marks.append((box.currentData(), self.materials.note_edit(row).text()))
        return {
            "item_code": self.guide.code if self.guide else None,
            "applicant": self.applicant_picker.chosen,
            "marks": marks,
            "item_query": self.item_picker.query_edit.text(),
            "proxy": self.proxy_box.draft(),  # 帮办代办
            "deferral": self.deferral_box.draft(),  # 容缺受理
            "commitment": self.commitment_box.draft(),  # 告知承诺制
        }

    def draft_record(self) -> dict:
        """The unsaved form in plain values, to be kept in the database over a restart."""
        draft = self.draft()
        chosen = draft.pop("applicant")
        draft["applicant"] = {"kind": chosen.ref.kind, "id": chosen.ref.id} if chosen is not None else None
        draft["marks"] = [list(mark) for mark in draft["marks"]]
        proxy = dict(draft["proxy"])
        agent = proxy["agent"]
        proxy["agent"] = {"kind": agent.ref.kind, "id": agent.ref.id} if agent is not None else None
        proxy["date"] = proxy["date"].isoformat()
        draft["proxy"] = proxy
        draft["deferral"] = {**draft["deferral"], "date": draft["deferral"]["date"].isoformat()}
        return draft

    def restore_draft_record(self, record: dict) -> None:
        """The form kept when the window closed, given back with a word about it."""
        draft = dict(record)
        ref = draft.get("applicant")
        try:
            draft["applicant"] = (
                applicants.applicant_by_ref(self._db, self._ctx, applicants.ApplicantRef(ref["kind"], ref["id"]))
                if ref
                else None
            )
        except WindowdeskError:
            draft["applicant"] = None
        draft["proxy"], draft["deferral"] = self._kept_extras(draft)
        self.restore_draft(draft)
        self._show_result(
            _("The application being entered when the window was closed is back; carry on or press Clear."), ok=True
        )

    def restore_draft(self, draft: dict | None) -> None:
        self.reset()
        if not draft:
            return
        self.item_picker.query_edit.setText(draft["item_query"])
        if draft["item_code"]:
            self._choose_item(draft["item_code"], move_focus=False)
        if draft["applicant"] is not None:
            self.applicant_picker.set_chosen(draft["applicant"])
        for row, (status, note) in enumerate(draft["marks"][: self.materials.rowCount()]):
            if status is not None:
                self.materials.mark(row, status, note)
            else:
                self.materials.note_edit(row).setText(note)
        if draft.get("proxy"):
            self.proxy_box.restore(draft["proxy"])
        if draft.get("deferral"):
            self.deferral_box.restore(draft["deferral"])
        if draft.get("commitment"):
            self.commitment_box.restore(draft["commitment"])

    def open_online(self, form: online_visit.VisitForm) -> None:
        """网上申报 at the visit: the form pre-filled from the online application (its item,
        its applicant, the materials with uploaded pages marked received); the clerk checks
        the originals and accepts it, and its pages become the case's."""
        self.restore_draft(
            {
                "item_code": form.item_code,
                "applicant": form.applicant,
                "marks": [],
                "item_query": "",
                "proxy": None,
                "deferral": None,
            }
        )
        if self.guide is not None:
            for row, material in enumerate(self.guide.materials):
                if material.code in form.with_pages:
                    self.materials.mark(row, intake.RECEIVED)
        self.online_application_id = form.application_id
        self._show_result(
            _(
                "Online application {number}: check the originals against the uploaded pages, mark "
                "the rest, then accept (Ctrl+Enter)."
            ).format(number=form.number),
            ok=True,
        )

    def _kept_extras(self, record: dict) -> tuple[dict | None, dict | None]:
        """The agent box and the deferral as kept in the database (a form kept before
        they existed has neither)."""
        proxy, deferral = record.get("proxy"), record.get("deferral")
        if proxy:
            agent = None
            if proxy.get("agent"):
                try:
                    agent = applicants.applicant_by_ref(
                        self._db, self._ctx, applicants.ApplicantRef(proxy["agent"]["kind"], proxy["agent"]["id"])
                    )
                except WindowdeskError:
                    agent = None
            proxy = {**proxy, "agent": agent, "date": dt.date.fromisoformat(proxy["date"])}
        if deferral:
            deferral = {**deferral, "date": dt.date.fromisoformat(deferral["date"])}
        return proxy, deferral

    # --- printing -------------------------------------------------------------------

    def _remember_for_print(self, result: intake.IntakeResult) -> None:
        self.last_result, self.last_printed = result, False
        self.print_button.setEnabled(True)
        self.attorney_action.setEnabled(result.kind == "case" and result.proxy)
        self.commitment_action.setEnabled(result.kind == "case" and result.deferred)
        self.notice_action.setEnabled(result.kind == "case" and result.committed)
        self.papers_button.setEnabled(
            self.attorney_action.isEnabled() or self.commitment_action.isEnabled() or self.notice_action.isEnabled()
        )
        if preferences.prints_at_once(self._db):
            self._print_at_once(result)

    def _print_at_once(self, result: intake.IntakeResult) -> None:
        """The applicant's paper comes out with the decision: no key."""
        from windowdesk.ui.printing.direct import print_document

        try:
            data = documents.record_document(
                self._db, self._ctx, kind=result.kind, record_id=result.id, query_code=result.query_code
            )
        except WindowdeskError as error:
            self._show_result(error.message, ok=False)
            return
        self.print_job = print_document(self, self._db, self._ctx, data, reprint=False)
        self.print_job.printed.connect(self._document_printed)

    def print_last_document(self) -> None:
        """Preview and print the document of the last decision; a second copy is a reprint."""
        from windowdesk.ui.printing.actions import open_record_preview

        if self.last_result is None:
            self._show_result(_("Nothing to print yet: decide an application first."), ok=False)
            return
        self.print_dialog = open_record_preview(
            self,
            self._db,
            self._ctx,
            kind=self.last_result.kind,
            record_id=self.last_result.id,
            reprint=self.last_printed,
            query_code="" if self.last_printed else self.last_result.query_code,
        )
        if self.print_dialog is not None:
            self.print_dialog.printed.connect(self._document_printed)

    def print_power_of_attorney(self) -> None:
        """Preview and print the 委托书 of the last case, when an agent applied for it."""
        if self.last_result is not None and self.last_result.proxy:
            self._preview_paper(documents.power_of_attorney_data, self.last_result.id)

    def print_commitment(self) -> None:
        """Preview and print the 承诺书 of the last case, when materials follow."""
        if self.last_result is not None and self.last_result.deferred:
            self._preview_paper(documents.deferral_commitment_data, self.last_result.id)

    def print_commitment_notice(self) -> None:
        """Preview and print the 告知承诺书 of the last case, when accepted under notify-and-commit."""
        if self.last_result is not None and self.last_result.committed:
            self._preview_paper(documents.commitment_notice_data, self.last_result.id)

    def _preview_paper(self, load: Callable[[Database, CounterContext, str], DocumentData], case_id: str) -> None:
        from windowdesk.ui.printing.actions import open_print_preview

        try:
            data = load(self._db, self._ctx, case_id)
        except WindowdeskError as error:
            self._show_result(error.message, ok=False)
            return
        self.print_dialog = open_print_preview(self, self._db, self._ctx, data)

    def _document_printed(self, _output: str) -> None:
        self.last_printed = True
        if self.last_result is not None and self.last_result.query_code:
            # On paper now: the query code leaves this window's memory too.
            self.last_result = dataclasses.replace(self.last_result, query_code="")
