"""告知承诺制 on the intake screen: one line below the materials, shown only for an item
the catalog marks. Ticked, the case is accepted on the applicant's signed 告知承诺书 and
decided on the spot (with the number of the certificate issued, where the item issues
one); the rules, and the refusal of a flagged applicant, are the service's
(domain.commitment, services.credit_flags)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QWidget

from windowdesk.domain.commitment import CommitmentTerms
from windowdesk.i18n import _
from windowdesk.ui.object_names import named


class CommitmentBox(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commitmentBox")
        self.commit_check = named(QCheckBox(), "acceptUnderCommitment")
        self.certificate_edit = named(QLineEdit(), "commitmentCertificate")
        self.certificate_edit.setMaxLength(40)
        self.certificate_edit.setEnabled(False)
        self.commit_check.toggled.connect(self.certificate_edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.commit_check)
        layout.addWidget(self.certificate_edit, 1)
        self._certificate = ""
        self.retranslate()
        self.offer(verify_days=0, certificate="")

    def retranslate(self) -> None:
        self.commit_check.setText(_("Notify-and-commit (告知承诺制): the applicant signs; decide on the spot"))
        self.certificate_edit.setPlaceholderText(
            _("Number of the {certificate} issued").format(certificate=self._certificate) if self._certificate else ""
        )
        self.setToolTip(
            _(
                "The 告知承诺书 tells the conditions; the department verifies the commitment later. "
                "An applicant with a credit flag cannot use it."
            )
        )

    def offer(self, *, verify_days: int, certificate: str) -> None:
        """Shown, unticked, for an item the catalog marks; hidden otherwise. The certificate
        number is asked only for an item that issues one."""
        self._certificate = certificate
        self.commit_check.setChecked(False)
        self.certificate_edit.clear()
        self.certificate_edit.setVisible(bool(certificate))
        self.retranslate()
        self.setVisible(verify_days > 0)

    def draft(self) -> dict:
        return {"on": self.commit_check.isChecked(), "certificate": self.certificate_edit.text()}

    def restore(self, draft: dict) -> None:
        """Given back after ``offer`` for the same item."""
        self.commit_check.setChecked(bool(draft.get("on")) and not self.isHidden())
        self.certificate_edit.setText(str(draft.get("certificate") or ""))

    def terms(self) -> CommitmentTerms | None:
        if self.isHidden() or not self.commit_check.isChecked():
            return None
        return CommitmentTerms(certificate_number=self.certificate_edit.text().strip())
