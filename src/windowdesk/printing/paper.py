"""Which documents exist, and which paper each is printed on by default.

Notices and guides go on A4 or A5 sheets; receipts and tickets on the 80 mm roll of a
receipt printer. The choice is a per-document setting (kept by the UI); this module
holds the choices, their defaults and their geometry. Plain Python: services and the
UI import it without reportlab.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from windowdesk.i18n import N_, _

MM = 72 / 25.4  # PDF points per millimetre


class DocumentKind(str, Enum):
    ACCEPTANCE_RECEIPT = "acceptance_receipt"
    NOTIFICATION_SLIP = "notification_slip"
    REFUSAL_NOTICE = "refusal_notice"
    FEE_RECEIPT = "fee_receipt"
    UTILITY_RECEIPT = "utility_receipt"
    VOID_SLIP = "void_slip"
    SERVICE_GUIDE = "service_guide"
    DAY_REPORT = "day_report"
    CASE_LIST = "case_list"
    QUEUE_TICKET = "queue_ticket"
    SUSPENSION_NOTICE = "suspension_notice"
    # 帮办代办: the forms of a case an agent applied for (its 受理单 is the acceptance receipt).
    POWER_OF_ATTORNEY = "power_of_attorney"
    PROXY_SUSPENSION_NOTICE = "proxy_suspension_notice"
    PROXY_COMPLETION_NOTICE = "proxy_completion_notice"
    # 容缺受理: the notice (two copies), the applicant's commitment, and the refusal when
    # the committed date passed without the materials.
    DEFERRED_ACCEPTANCE_NOTICE = "deferred_acceptance_notice"
    DEFERRAL_COMMITMENT = "deferral_commitment"
    DEFERRAL_REFUSAL_NOTICE = "deferral_refusal_notice"
    # 告知承诺制: the written notice of the conditions with the applicant's signed
    # commitment (告知承诺书), two copies.
    COMMITMENT_NOTICE = "commitment_notice"


class PaperFormat(str, Enum):
    A4 = "a4"
    A5 = "a5"
    ROLL_80 = "roll80"


@dataclass(frozen=True)
class PaperGeometry:
    width: float  # points
    height: float | None  # points; None: a roll, cut to the length of the content
    margin: float  # points, all four sides
    body_size: float  # font size of body text

    @property
    def is_roll(self) -> bool:
        return self.height is None

    @property
    def content_width(self) -> float:
        return self.width - 2 * self.margin


GEOMETRY = {
    PaperFormat.A4: PaperGeometry(210 * MM, 297 * MM, 18 * MM, 10.5),
    PaperFormat.A5: PaperGeometry(148 * MM, 210 * MM, 12 * MM, 9.5),
    # 80 mm paper, 72 mm printable on common receipt printers: 4 mm each side.
    PaperFormat.ROLL_80: PaperGeometry(80 * MM, None, 4 * MM, 8.5),
}

# A roll is cut to the length of the document; past this, a very long list goes on
# further "pages" of the roll (with page numbers) rather than one endless strip.
ROLL_MAX_LENGTH = 600 * MM

DEFAULT_PAPER: dict[DocumentKind, PaperFormat] = {
    DocumentKind.ACCEPTANCE_RECEIPT: PaperFormat.A5,
    DocumentKind.NOTIFICATION_SLIP: PaperFormat.A4,
    DocumentKind.REFUSAL_NOTICE: PaperFormat.A4,
    DocumentKind.FEE_RECEIPT: PaperFormat.ROLL_80,
    DocumentKind.UTILITY_RECEIPT: PaperFormat.ROLL_80,
    # On the receipt printer, so it can be stapled to the voided receipt.
    DocumentKind.VOID_SLIP: PaperFormat.ROLL_80,
    DocumentKind.SERVICE_GUIDE: PaperFormat.A4,
    DocumentKind.DAY_REPORT: PaperFormat.A4,
    DocumentKind.CASE_LIST: PaperFormat.A4,
    DocumentKind.QUEUE_TICKET: PaperFormat.ROLL_80,
    DocumentKind.SUSPENSION_NOTICE: PaperFormat.A4,
    DocumentKind.POWER_OF_ATTORNEY: PaperFormat.A4,
    DocumentKind.PROXY_SUSPENSION_NOTICE: PaperFormat.A4,
    DocumentKind.PROXY_COMPLETION_NOTICE: PaperFormat.A4,
    DocumentKind.DEFERRED_ACCEPTANCE_NOTICE: PaperFormat.A4,
    DocumentKind.DEFERRAL_COMMITMENT: PaperFormat.A4,
    DocumentKind.DEFERRAL_REFUSAL_NOTICE: PaperFormat.A4,
    DocumentKind.COMMITMENT_NOTICE: PaperFormat.A4,
}

_PAPER_LABELS = {
    PaperFormat.A4: N_("A4 sheet"),
    PaperFormat.A5: N_("A5 sheet"),
    PaperFormat.ROLL_80: N_("80 mm receipt roll"),
}

_KIND_LABELS = {
    DocumentKind.ACCEPTANCE_RECEIPT: N_("Acceptance receipt"),
    DocumentKind.NOTIFICATION_SLIP: N_("One-time notification slip"),
    DocumentKind.REFUSAL_NOTICE: N_("Refusal notice"),
    DocumentKind.FEE_RECEIPT: N_("Fee receipt"),
    DocumentKind.UTILITY_RECEIPT: N_("Utility payment receipt"),
    DocumentKind.VOID_SLIP: N_("Void slip"),
    DocumentKind.SERVICE_GUIDE: N_("Service guide"),
    DocumentKind.DAY_REPORT: N_("End-of-day closing report"),
    DocumentKind.CASE_LIST: N_("Case list"),
    DocumentKind.QUEUE_TICKET: N_("Queue ticket"),
    DocumentKind.SUSPENSION_NOTICE: N_("Notice of suspended time limit"),
    DocumentKind.POWER_OF_ATTORNEY: N_("Power of attorney (proxy case)"),
    DocumentKind.PROXY_SUSPENSION_NOTICE: N_("Suspension notice (proxy case)"),
    DocumentKind.PROXY_COMPLETION_NOTICE: N_("Completion notice (proxy case)"),
    DocumentKind.DEFERRED_ACCEPTANCE_NOTICE: N_("Notice of acceptance with materials to follow"),
    DocumentKind.DEFERRAL_COMMITMENT: N_("Commitment to bring the materials"),
    DocumentKind.DEFERRAL_REFUSAL_NOTICE: N_("Refusal: materials to follow not brought"),
    DocumentKind.COMMITMENT_NOTICE: N_("Notice and commitment (notify-and-commit)"),
}


def default_paper(kind: DocumentKind) -> PaperFormat:
    return DEFAULT_PAPER[DocumentKind(kind)]


def paper_label(paper: PaperFormat) -> str:
    return _(_PAPER_LABELS[PaperFormat(paper)])


def kind_label(kind: DocumentKind) -> str:
    """The operator's name for a kind of document (the printed titles are in each module)."""
    return _(_KIND_LABELS[DocumentKind(kind)])
