"""What each printed document says, as plain frozen dataclasses.

``services.documents`` fills them from the database, receipts, void slips and the cash
part of the day report included. Renderers read nothing else, so a document can be
rendered in a worker thread, in a test or in the bench without a database.

Times are aware datetimes (stored UTC) and are printed in ``Issuer.zone``, the center's
time zone. Amounts are integer fen. Applicants carry only a masked ID number: the
constructor masks anything that still looks like a whole number, so a full ID number can
never reach paper by mistake.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

from windowdesk.domain.catalog_model import DeferralRule
from windowdesk.domain.fees import Utility
from windowdesk.domain.ids import mask_id_number
from windowdesk.printing.paper import DocumentKind


@dataclass(frozen=True)
class Issuer:
    """Where and by whom a document is issued, and when this copy was printed."""

    center_name: str
    center_address: str
    center_phone: str
    center_hours: str
    window_code: str
    window_name: str
    window_phone: str
    operator_name: str  # who handled the record
    printed_by: str  # who prints this copy (differs from operator_name on a reprint)
    printed_at: dt.datetime
    zone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class Applicant:
    name: str
    masked_id: str

    def __post_init__(self) -> None:
        if self.masked_id and "*" not in self.masked_id:
            object.__setattr__(self, "masked_id", mask_id_number(self.masked_id))


@dataclass(frozen=True)
class MaterialLine:
    name: str
    requirement: str  # what exactly must be brought (form, originals, copies, note)
    problem: str = ""  # "", "missing" or "correction"
    note: str = ""  # what the operator found wrong


@dataclass(frozen=True)
class ProxyDetails:
    """帮办代办: who applied for the applicant (the principal), and the date of the power
    of attorney (委托书) the window saw."""

    agent: Applicant
    power_of_attorney_date: dt.date


@dataclass(frozen=True)
class AcceptanceReceiptData:
    KIND: ClassVar[DocumentKind] = DocumentKind.ACCEPTANCE_RECEIPT
    issuer: Issuer
    case_number: str
    applicant: Applicant
    item_code: str
    item_name: str
    department_name: str
    accepted_at: dt.datetime
    promised_date: dt.date
    legal_date: dt.date
    promised_days: int
    materials: tuple[MaterialLine, ...]  # what was received
    where: str  # where the result is collected
    status_url: str = ""  # the case's public status page, for the QR code; "": the case number
    delivery: str = ""  # how the result is sent, address masked; "": collected at the window
    # 查询密码: only on the copy printed when the code is made (acceptance, or a supervisor's
    # re-issue); "" on every other copy, which says how to get a new one instead.
    query_code: str = field(default="", repr=False)
    has_query_code: bool = False  # the case was given one (cases accepted before codes were not)
    proxy: ProxyDetails | None = None  # 帮办代办: the agent who applied

    @property
    def number(self) -> str:
        return self.case_number


@dataclass(frozen=True)
class PowerOfAttorneyData:
    """委托书 of a proxy case: the principal authorises the agent for this case; the window
    records that it saw the signed original and both identities."""

    KIND: ClassVar[DocumentKind] = DocumentKind.POWER_OF_ATTORNEY
    issuer: Issuer
    case_number: str
    principal: Applicant
    proxy: ProxyDetails
    item_code: str
    item_name: str
    department_name: str
    accepted_at: dt.datetime

    @property
    def number(self) -> str:
        return self.case_number


@dataclass(frozen=True)
class ProxyStepNotice:
    """A step of a proxy case told in writing to the principal, through the agent."""

    KIND: ClassVar[DocumentKind]  # each kind of step names its own

    issuer: Issuer
    case_number: str
    principal: Applicant
    proxy: ProxyDetails
    item_code: str
    item_name: str
    department_name: str
    accepted_at: dt.datetime
    step_at: dt.datetime  # when the case was suspended / completed
    note: str  # why it was suspended / what was decided, as recorded on the step

    @property
    def number(self) -> str:
        return self.case_number


@dataclass(frozen=True)
class ProxySuspensionNoticeData(ProxyStepNotice):
    """中止单 of a proxy case: the case waits, its clock stopped, and why."""

    KIND: ClassVar[DocumentKind] = DocumentKind.PROXY_SUSPENSION_NOTICE


@dataclass(frozen=True)
class ProxyCompletionNoticeData(ProxyStepNotice):
    """办结单 of a proxy case: the case is decided; the result is handed to the agent."""

    KIND: ClassVar[DocumentKind] = DocumentKind.PROXY_COMPLETION_NOTICE


@dataclass(frozen=True)
class DeferralPaper:
    """容缺受理: a case accepted with materials to follow, as its papers tell it."""

    issuer: Issuer
    case_number: str
    applicant: Applicant
    item_code: str
    item_name: str
    department_name: str
    accepted_at: dt.datetime
    promised_date: dt.date
    commitment_date: dt.date  # the applicant brings the materials by this day
    to_follow: tuple[MaterialLine, ...]
    when_missed: DeferralRule  # suspend / refuse: the catalog's rule
    legal_basis: str  # the rule's basis ("" allowed for suspend)

    @property
    def number(self) -> str:
        return self.case_number


@dataclass(frozen=True)
class DeferredAcceptanceNoticeData(DeferralPaper):
    """容缺受理通知书, in two copies: the applicant's and the file's."""

    KIND: ClassVar[DocumentKind] = DocumentKind.DEFERRED_ACCEPTANCE_NOTICE
    status_url: str = ""
    # 查询密码: on the applicant's copy printed when the case is accepted (this notice is then
    # its acceptance receipt); "" on a reprint, which cannot show it again.
    query_code: str = field(default="", repr=False)


@dataclass(frozen=True)
class DeferralCommitmentData(DeferralPaper):
    """承诺书: the applicant commits to bring the materials by the date."""

    KIND: ClassVar[DocumentKind] = DocumentKind.DEFERRAL_COMMITMENT


@dataclass(frozen=True)
class DeferralRefusalNoticeData(DeferralPaper):
    """The refusal once the committed date passed without the materials (the catalog's
    rule "refuse"), with its legal basis."""

    KIND: ClassVar[DocumentKind] = DocumentKind.DEFERRAL_REFUSAL_NOTICE
    refused_at: dt.datetime | None = None


@dataclass(frozen=True)
class CommitmentNoticeData:
    """告知承诺书 (告知承诺制): the conditions the applicant was told in writing, what a
    commitment found untrue leads to, and the applicant's signed commitment; two copies."""

    KIND: ClassVar[DocumentKind] = DocumentKind.COMMITMENT_NOTICE
    issuer: Issuer
    case_number: str
    applicant: Applicant
    item_code: str
    item_name: str
    department_name: str
    accepted_at: dt.datetime
    conditions: tuple[str, ...]  # the item's preconditions, as the catalog states them
    materials: tuple[str, ...]  # what the applicant handed in
    legal_basis: str
    verify_days: int  # working days the department has to verify
    verify_due: dt.date
    status_url: str = ""

    @property
    def number(self) -> str:
        return self.case_number


@dataclass(frozen=True)
class NotificationSlipData:
    KIND: ClassVar[DocumentKind] = DocumentKind.NOTIFICATION_SLIP
    issuer: Issuer
    notification_number: str
    applicant: Applicant
    item_code: str
    item_name: str
    department_name: str
    given_at: dt.datetime
    entries: tuple[MaterialLine, ...]  # every missing or wrong material
    legal_basis: str
    where: str  # where to come back
    note: str = ""
    proxy: ProxyDetails | None = None  # 帮办代办: the agent it was given to

    @property
    def number(self) -> str:
        return self.notification_number


@dataclass(frozen=True)
class RefusalNoticeData:
    KIND: ClassVar[DocumentKind] = DocumentKind.REFUSAL_NOTICE
    issuer: Issuer
    refusal_number: str
    applicant: Applicant
    item_code: str
    item_name: str
    department_name: str
    refused_at: dt.datetime
    reason: str
    legal_basis: str
    proxy: ProxyDetails | None = None  # 帮办代办: the agent it was given to

    @property
    def number(self) -> str:
        return self.refusal_number


@dataclass(frozen=True)
class SuspensionNoticeData:
    """办理时限中止告知书: the case's clock stands still, why, since when, and (once it has
    run again) since when it runs."""

    KIND: ClassVar[DocumentKind] = DocumentKind.SUSPENSION_NOTICE
    issuer: Issuer  # operator_name: who suspended the case
    case_number: str
    applicant: Applicant
    item_code: str
    item_name: str
    department_name: str
    kind: str  # a domain.suspensions.SuspensionKind value
    started_at: dt.datetime
    reason: str
    ended_at: dt.datetime | None = None
    outcome: str = ""  # what ended it
    ended_by: str = ""

    @property
    def number(self) -> str:
        return self.case_number


@dataclass(frozen=True)
class ReceiptLine:
    description: str
    amount_fen: int
    quantity: int = 1
    unit: str = ""


@dataclass(frozen=True)
class _ReceiptBase:
    issuer: Issuer
    receipt_number: str
    payer: Applicant
    lines: tuple[ReceiptLine, ...]
    payment_method: str  # cash / bank_card / mobile / waived (labels in printing.blocks)
    paid_at: dt.datetime
    tendered_fen: int | None = None  # cash: what the payer handed over
    change_fen: int | None = None  # cash: what was given back
    reference: str = ""  # bank card / mobile: the terminal's reference
    waiver_reason: str = ""  # waived: why nothing was collected

    def __post_init__(self) -> None:
        if not self.lines:
            raise ValueError("a receipt needs at least one line")
        for line in self.lines:
            if isinstance(line.amount_fen, bool) or not isinstance(line.amount_fen, int) or line.amount_fen < 0:
                raise ValueError("receipt amounts are non-negative integer fen")

    @property
    def number(self) -> str:
        return self.receipt_number

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


@dataclass(frozen=True)
class FeeReceiptData(_ReceiptBase):
    """收费收据: all fees of one case, collected once at the window."""

    KIND: ClassVar[DocumentKind] = DocumentKind.FEE_RECEIPT
    case_number: str = ""
    item_name: str = ""
    department_name: str = ""
    status_url: str = ""  # the case's public status page, for the QR code; "": the case number


@dataclass(frozen=True)
class UtilityReceiptData(_ReceiptBase):
    """A water / electricity / heating / gas / phone / tax payment taken at a street center."""

    KIND: ClassVar[DocumentKind] = DocumentKind.UTILITY_RECEIPT
    utility: Utility = Utility.NONE  # water / electricity / heating / gas / phone / tax / other fees
    account_number: str = ""  # the payer's account with the utility (户号)
    period: str = ""  # the billing period as the utility names it
    payee: str = ""  # the company or office the money is passed to


@dataclass(frozen=True)
class VoidSlipData:
    """作废单: a receipt taken back, kept with the original. Shows what the receipt said,
    why it was voided and who approved it."""

    KIND: ClassVar[DocumentKind] = DocumentKind.VOID_SLIP
    issuer: Issuer
    void_number: str
    receipt_number: str
    receipt_paid_at: dt.datetime
    receipt_title: str  # "fee receipt" / "utility payment receipt", in words
    payer: Applicant
    amount_fen: int
    payment_method: str
    what: str  # case number and item, or utility and account
    voided_at: dt.datetime
    reason: str
    approved_by: str  # the supervisor's name

    @property
    def number(self) -> str:
        return self.void_number


@dataclass(frozen=True)
class GuideFee:
    department_name: str
    description: str
    amount_fen: int | None
    unit: str = ""
    exemptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceGuideData:
    KIND: ClassVar[DocumentKind] = DocumentKind.SERVICE_GUIDE
    issuer: Issuer
    item_code: str
    item_name: str
    department_name: str
    category: str
    preconditions: tuple[str, ...]
    materials: tuple[tuple[MaterialLine, bool], ...]  # (material, required)
    procedure: tuple[str, ...]
    legal_limit_days: int
    promised_limit_days: int
    fee_summary: str
    fees: tuple[GuideFee, ...]
    legal_basis: str
    where: str
    parallel_departments: tuple[str, ...]
    catalog_version: str

    @property
    def number(self) -> str:
        return self.item_code


@dataclass(frozen=True)
class WorkRow:
    number: str
    at: dt.datetime
    decision: str  # accepted / notified / refused, in words
    item_name: str
    applicant: Applicant
    state: str


@dataclass(frozen=True)
class ItemCount:
    item_name: str
    accepted: int
    notified: int
    refused: int


@dataclass(frozen=True)
class CollectionLine:
    """Money taken at the window in one way of payment (for the cash closing)."""

    payment_method: str
    receipts: int
    total_fen: int


@dataclass(frozen=True)
class DayReportData:
    KIND: ClassVar[DocumentKind] = DocumentKind.DAY_REPORT
    issuer: Issuer
    day: dt.date
    accepted: int
    notified: int
    refused: int
    by_item: tuple[ItemCount, ...]
    collections: tuple[CollectionLine, ...] = ()
    first_number: str = ""
    last_number: str = ""
    # The cash part of the close (issue 6). Waived fees and voided receipts are counted
    # apart: neither brought money into the till.
    waived: CollectionLine | None = None
    voided: CollectionLine | None = None
    first_receipt: str = ""
    last_receipt: str = ""
    expected_cash_fen: int = 0
    counted_cash_fen: int | None = None  # None while the day is not closed
    difference_fen: int = 0
    explanation: str = ""
    closed_at: dt.datetime | None = None
    supervisor_name: str = ""

    @property
    def number(self) -> str:
        return f"{self.issuer.window_code}-{self.day:%Y%m%d}"

    @property
    def total_fen(self) -> int:
        return sum(line.total_fen for line in self.collections)


@dataclass(frozen=True)
class CaseListData:
    KIND: ClassVar[DocumentKind] = DocumentKind.CASE_LIST
    issuer: Issuer
    day: dt.date
    rows: tuple[WorkRow, ...] = field(default_factory=tuple)

    @property
    def number(self) -> str:
        return f"{self.issuer.window_code}-{self.day:%Y%m%d}"


@dataclass(frozen=True)
class QueueTicketData:
    KIND: ClassVar[DocumentKind] = DocumentKind.QUEUE_TICKET
    issuer: Issuer
    ticket_number: str  # e.g. A023
    service_name: str  # the queue: "综合受理", "社保" ...
    waiting_ahead: int
    taken_at: dt.datetime

    @property
    def number(self) -> str:
        return self.ticket_number


DocumentData = (
    AcceptanceReceiptData
    | NotificationSlipData
    | RefusalNoticeData
    | FeeReceiptData
    | UtilityReceiptData
    | VoidSlipData
    | ServiceGuideData
    | DayReportData
    | CaseListData
    | QueueTicketData
    | SuspensionNoticeData
    | PowerOfAttorneyData
    | ProxySuspensionNoticeData
    | ProxyCompletionNoticeData
    | DeferredAcceptanceNoticeData
    | DeferralCommitmentData
    | DeferralRefusalNoticeData
    | CommitmentNoticeData
)
