"""A supervisor marks a change the hub refused as resolved, saying what was done about it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _, ngettext
from windowdesk.services import refusals
from windowdesk.services.context import CounterContext, Database
from windowdesk.sync.change_words import change_words
from windowdesk.ui.approval_box import SupervisorApprovalBox, error_label
from windowdesk.ui.object_names import named


class ResolveRefusalDialog(QDialog):
    """After ``Accepted``, ``resolution`` holds what was stored."""

    def __init__(
        self,
        db: Database,
        ctx: CounterContext,
        refused: refusals.RefusedChange,
        parent: QWidget | None = None,
        *,
        same_record: Sequence[refusals.RefusedChange] = (),
    ) -> None:
        """``same_record``: the record's other unresolved refused changes, offered to resolve together."""
        super().__init__(parent)
        self._db, self._ctx, self._refused, self._same_record = db, ctx, refused, list(same_record)
        self.resolution: refusals.Resolution | None = None
        self.setWindowTitle(_("Mark a refused change as resolved"))
        summary = named(
            QLabel(
                _("{change}: {record}\nThe hub's reason: {reason}").format(
                    change=change_words(refused.kind), record=refused.record or "\u2014", reason=refused.reason
                )
            ),
            "refusalSummary",
        )
        summary.setWordWrap(True)
        self.note_edit = named(QPlainTextEdit(), "resolutionNote")
        self.note_edit.setPlaceholderText(
            _("For example: the case was accepted again under item GA-001 as case number \u2026")
        )
        note_caption = QLabel(_("What was done about it (kept with the change and in the audit &log):"))
        note_caption.setBuddy(self.note_edit)
        note_caption.setWordWrap(True)
        self.together_box = named(QCheckBox(), "resolveTogether")
        self.together_box.setText(
            ngettext(
                "Also the {count} other refused change to this record ({changes})",
                "Also the {count} other refused changes to this record ({changes})",
                len(self._same_record),
            ).format(count=len(self._same_record), changes=", ".join(change_words(c.kind) for c in self._same_record))
        )
        self.together_box.setChecked(True)
        self.together_box.setVisible(bool(self._same_record))
        self.approval = SupervisorApprovalBox()
        self.error_label = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.resolve_button = buttons.addButton(_("Mark as &resolved"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.resolve_button.setObjectName("confirmResolveButton")
        buttons.accepted.connect(self.resolve)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(note_caption)
        layout.addWidget(self.note_edit, 1)
        layout.addWidget(self.together_box)
        layout.addWidget(self.approval)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(520, 420)
        self.note_edit.setFocus()

    def resolve(self) -> None:
        try:
            self.resolution = refusals.resolve_refused_change(
                self._db,
                self._ctx,
                event_id=self._refused.event_id,
                note=self.note_edit.toPlainText(),
                supervisor=self.approval.credentials(),
                together_with=[c.event_id for c in self._same_record] if self.together_box.isChecked() else (),
            )
        except WindowdeskError as error:
            # The note stays as typed; only the password is asked for again.
            self.error_label.setText(error.message)
            self.approval.password_edit.clear()
            return
        self.accept()
