"""The kinds of events a window pushes and of changes the hub hands out in its feed.

Here, below storage and the sync protocol both, so that the window's storage types its
outbox with them as the hub's types its feed; ``windowdesk.sync.protocol`` names them for
everyone else (``EventKind``, and its ``CHANGE_*`` constants, which are ``ChangeKind``'s
words). Plain Python.
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    """Kinds of events a window pushes (the window's outbox.kind): the
    one place their names are written (a test, tests/unit/test_event_kinds.py, fails if one
    is spelled out anywhere else in src/). A StrEnum: a member is its name as it travels
    and as both databases store it."""

    RESIDENT_REGISTERED = "resident.registered"
    ORGANISATION_REGISTERED = "organisation.registered"
    CASE_ACCEPTED = "case.accepted"
    NOTIFICATION_GIVEN = "notification.given"
    REFUSAL_GIVEN = "refusal.given"
    CASE_STATUS = "case.status"
    # 容缺受理: a deferred material brought after acceptance (services/deferrals.py).
    CASE_MATERIAL_ARRIVED = "case.material_arrived"
    AUDIT_ENTRY = "audit.entry"
    # A supervisor gave the case a new query code (services/query_codes.py).
    CASE_QUERY_CODE_REISSUED = "case.query_code_reissued"
    # Service quality (services/service_quality.py, services/complaints.py).
    RATING_GIVEN = "rating.given"
    FOLLOWUP_CLOSED = "followup.closed"
    INQUIRY_LOGGED = "inquiry.logged"
    INQUIRY_ANSWERED = "inquiry.answered"
    INQUIRY_HANDED_OVER = "inquiry.handed_over"
    COMPLAINT_RECEIVED = "complaint.received"
    COMPLAINT_REPLIED = "complaint.replied"
    RECTIFICATION_SET = "rectification.set"
    RECTIFICATION_DONE = "rectification.done"
    # Money (services/payments.py, services/receipts.py, services/dayclose.py): append-only
    # records owned by the window, kept by the hub as received once their amounts are
    # whole fen (hub/services/money_rules.py).
    PAYMENT_RECEIVED = "payment.received"
    UTILITY_PAID = "utility.paid"
    PAYMENT_VOIDED = "payment.voided"
    DAY_CLOSED = "day.closed"
    # Scanned pages of a case's material (services/material_pages.py; hub/services/case_pages_rules.py);
    # the bytes travel apart (the blob endpoints).
    # entity "case", entity_id the case id; payload {"case_id", "material_code", "pages": [{"page_id",
    # "sha256", "size", "mime", "rotation", "checked_by", "checked_at"}...]}: the material's whole
    # current ordered list of pages (an empty list: all deleted).
    CASE_PAGES = "case.pages"
    # A finished day of the hall's queue, carried by a window (services/queue_figures.py;
    # hub/services/queue_rules.py). Its entity id is "<center>:<day>", not a UUID: the
    # hub keeps the latest per center and day.
    QUEUE_DAY_FIGURES = "queue.day_figures"
    # 网上预审: the window's decision on an online application (services/prereview.py;
    # hub/services/application_rules.py).
    APPLICATION_DECIDED = "application.decided"


class ChangeKind(StrEnum):
    """Kinds of changes the hub hands out in its feed (the hub's changes.kind), written here
    once; sync.protocol's CHANGE_* are their words."""

    CATALOG = "catalog.published"
    CALENDAR = "calendar.override"
    CALENDAR_YEAR = "calendar.year"  # a whole year of the official calendar (PublishedYear)
    OPERATOR = "operator.upsert"
    DECISION = "case.decision"
    NOTE = "case.note"
    COMPLAINT_REPLY = "complaint.reply"
    FOLLOWUP_OUTCOME = "followup.outcome"
    # The public address of the cases' status pages ({"url": ...}; "" withdraws it): the QR
    # code on receipts opens a case's page under it. Older windows skip it.
    STATUS_PAGE = "status_page.published"
    # A resident rated a case on the hub's public pages: the window that accepted it counts
    # the rating in its reports and follows a bad one up. Older windows skip it.
    WEB_RATING = "rating.web"
    # A resident filed a complaint (or a "could not get it done" report) on the hub's public
    # pages: the center's windows keep it with their own and may answer it. Older windows skip it.
    WEB_COMPLAINT = "complaint.web"
    # 告知承诺制 (hub/services/commitments.py). The city's credit key ({"key": hex}, for every
    # center, published before the first flag): windows hash an applicant's ID number with it
    # to find a flag. A credit flag as it is now ({"id", "key_hash", "case_number",
    # "flagged_at", "reason", "lifted_at", "lift_reason"}, for every center). A department's
    # verification of a case's commitment ({"case_id", "case_number", "result": "true" or
    # "false", "department", "note", "at"}; false: the case is marked for revocation), to the
    # case's center. Older windows skip them.
    CREDIT_KEY = "credit.key"
    CREDIT_FLAG = "credit.flag"
    VERIFICATION = "case.verification"
    # An online application (网上申报) waiting for the pre-review of its center's windows,
    # submitted or sent again; no personal data: the window fetches the values and the pages
    # through the workstation's application endpoints. Older windows skip it.
    APPLICATION = "application.pending"
