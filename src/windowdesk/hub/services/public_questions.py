"""网上咨询 on the public pages (issue 30): a resident asks a question about an item, gets
its number, and reads the answer on the page of that number; answered questions the
answerer published are the item's FAQ on its guide page.

- The phone is optional. When one is given, the page of the number also asks for the
  short code shown once with the number (kept only as a hash): the number alone then
  shows nothing, so a number seen over a shoulder does not show a question that can name
  its asker. Without contact data, the number shows the question and its answer.
- Limits: one address asks at most MAX_PER_ADDRESS_PER_DAY questions in 24 hours,
  counted in the database (every worker counts the same); the address is kept as a hash.
  The human check and CSRF are the page's (web/public/questions.py).
- The number and the code are random, from an alphabet without look-alikes: neither can
  be guessed or counted through; wrong codes are counted per question and per address
  (five in fifteen minutes, as the case page counts wrong query codes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from windowdesk.domain.quality_states import QuestionStatus
from windowdesk.hub.services.public_cases import FOUND, LOCKED, LOOKUP_WINDOW, MAX_TRIES, WRONG, address_scope
from windowdesk.hub.services.public_guides import current_catalog
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models_forms import Question
from windowdesk.hub.storage.models_public import LookupFailure
from windowdesk.i18n import N_

OPEN, ANSWERED = QuestionStatus.OPEN, QuestionStatus.ANSWERED
MIN_TEXT, MAX_TEXT = 5, 1000
MAX_ANSWER = 2000
MAX_PER_ADDRESS_PER_DAY = 5
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
NUMBER_PREFIX, NUMBER_LENGTH = "ZX", 10
CODE_LENGTH = 6

# Why a question is refused (msgids: the page words them in the reader's language).
NO_ITEM = N_("There is no such item in the service catalog.")
BAD_TEXT = N_("Please write your question in 5 to 1000 characters.")
BAD_PHONE = N_("Please write a mobile phone number of 11 digits, or leave it empty.")
ADDRESS_LIMIT = N_(
    "Too many questions were asked from this network today. Please try again tomorrow or call the center."
)

# Personal data a published FAQ never shows: ID numbers, phone numbers, e-mail addresses.
_PERSONAL = re.compile(r"\d{17}[\dXx]|\d{15}|1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class QuestionRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Asked:
    number: str
    code: str  # "" when no contact data is held: the number alone opens the page


@dataclass(frozen=True)
class QuestionView:
    number: str
    item_code: str
    text: str
    asked_at: dt.datetime
    answered: bool
    answer: str
    answered_at: dt.datetime | None


@dataclass(frozen=True)
class Found:
    outcome: str  # FOUND / WRONG / LOCKED (public_cases' words)
    question: QuestionView | None = None


@dataclass(frozen=True)
class Faq:
    question: str
    answer: str
    published_at: dt.datetime


def strip_personal(text: str) -> str:
    """The text with ID numbers, phone numbers and e-mail addresses replaced by ***."""
    return _PERSONAL.sub("***", text or "")


def normalize_number(number: str) -> str:
    """As typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (number or "").upper() if ch.isalnum())[:NUMBER_LENGTH]


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _hash(kind: str, value: str) -> str:
    return hashlib.sha256(f"question-{kind}:{value}".encode()).hexdigest()


def _clean_text(text: str) -> str:
    text = "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
    if not MIN_TEXT <= len(text) <= MAX_TEXT:
        raise QuestionRefused(BAD_TEXT)
    return text


def _clean_phone(phone: str) -> str:
    if not (phone or "").strip():
        return ""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) != 11 or not digits.startswith("1"):
        raise QuestionRefused(BAD_PHONE)
    return digits


def ask(db: HubDatabase, *, item_code: str, text: str, phone: str = "", address: str, now: dt.datetime) -> Asked:
    """Records a question about an item of the published catalog; QuestionRefused (a msgid)
    when it cannot be taken."""
    text = _clean_text(text)
    phone = _clean_phone(phone)

    def work(session: Session) -> Asked:
        published = current_catalog(session)
        if published is None or not published.catalog.has_item(item_code):
            raise QuestionRefused(NO_ITEM)
        hashed = _hash("address", address)
        recent = (
            session.scalar(
                select(func.count())
                .select_from(Question)
                .where(Question.address_hash == hashed, Question.asked_at > now - dt.timedelta(days=1))
            )
            or 0
        )
        if recent >= MAX_PER_ADDRESS_PER_DAY:
            raise QuestionRefused(ADDRESS_LIMIT)
        number = NUMBER_PREFIX + _random(NUMBER_LENGTH - len(NUMBER_PREFIX))
        code = _random(CODE_LENGTH) if phone else ""
        session.add(
            Question(
                number=number,
                item_code=item_code,
                department_code=published.catalog.item(item_code).department,
                text=text,
                phone=phone,
                code_hash=_hash(f"code:{number}", code) if code else "",
                address_hash=hashed,
                asked_at=now,
                status=OPEN,
                answer="",
                answered_by="",
                answered_by_name="",
                answered_at=None,
                faq_question="",
                faq_answer="",
                published_at=None,
            )
        )
        return Asked(number, code)

    return db.run_write(work)


def needs_code(db: HubDatabase, number: str) -> bool:
    """The page of this number asks for the short code (contact data is held)."""
    with db.read() as session:
        row = session.get(Question, normalize_number(number))
        return row is not None and bool(row.code_hash)


def find(db: HubDatabase, *, number: str, code: str = "", address: str = "", now: dt.datetime) -> Found:
    """The question and its answer. Where a short code is needed, a wrong or missing one
    counts against the question and the address, as a wrong query code does on the case
    page (public_cases: MAX_TRIES in LOOKUP_WINDOW, then LOCKED). An unknown number and a
    wrong code are not told apart."""
    number = normalize_number(number)
    scopes = (f"question:{number}", address_scope(address))
    since = now - LOOKUP_WINDOW
    with db.read() as session:
        row = session.get(Question, number)
        if row is not None and not row.code_hash:
            return Found(FOUND, _view(row))
        used = max(
            session.scalar(
                select(func.count())
                .select_from(LookupFailure)
                .where(LookupFailure.scope == scope, LookupFailure.failed_at > since)
            )
            or 0
            for scope in scopes
        )
        if used >= MAX_TRIES:
            return Found(LOCKED)
        given = "".join(ch for ch in (code or "").upper() if ch.isalnum())
        if row is not None and hmac.compare_digest(row.code_hash, _hash(f"code:{number}", given)):
            return Found(FOUND, _view(row))
    with db.write() as session:
        session.execute(delete(LookupFailure).where(LookupFailure.failed_at <= now - LOOKUP_WINDOW))
        session.execute(insert(LookupFailure), [{"scope": scope, "failed_at": now} for scope in scopes])
    return Found(LOCKED if used + 1 >= MAX_TRIES else WRONG)


def _view(row: Question) -> QuestionView:
    return QuestionView(
        row.number, row.item_code, row.text, row.asked_at, row.status == ANSWERED, row.answer, row.answered_at
    )


_questions = Question.__table__
# Built once, on the table: every guide page reads it.
PUBLISHED_FAQS = (
    select(_questions.c.faq_question, _questions.c.faq_answer, _questions.c.published_at)
    .where(_questions.c.item_code == bindparam("item_code"), _questions.c.published_at.is_not(None))
    .order_by(_questions.c.published_at.desc())
)


def faqs(session: Session, *, item_code: str) -> list[Faq]:
    """The item's published questions and answers, newest first."""
    rows = session.execute(PUBLISHED_FAQS, {"item_code": item_code})
    return [Faq(question, answer, published_at) for question, answer, published_at in rows if published_at is not None]
