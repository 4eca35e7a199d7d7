"""网上咨询 in the console (issue 30): the questions residents asked, answered, and the FAQ
made of them.

Who (console_rights): the staff of the item's department see and answer its questions;
the city's offices (supervisors, administrators: the center's staff in the console) see
and answer every department's. Only the person who answered publishes the question and
answer as an FAQ on the item's guide page, worded for everyone: personal data (ID
numbers, phone numbers, e-mail addresses) is taken out whatever is typed. The answerer
unpublishes it, and so may the supervision office (an FAQ must not outlive its
answerer's account). Every answer, publication and withdrawal is audited in its own
transaction. The phone a resident left is never shown here: the answer is read online.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput, NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services import hub_audit
from windowdesk.hub.services.console_rights import DEPARTMENT, ConsoleActor
from windowdesk.hub.services.public_questions import ANSWERED, MAX_ANSWER, MAX_TEXT, OPEN, strip_personal
from windowdesk.hub.storage.models_forms import Question
from windowdesk.i18n import N_

PAGE = 100


@dataclass(frozen=True)
class QuestionLine:
    number: str
    item_code: str
    department_code: str
    text: str
    asked_at: dt.datetime
    answered: bool
    answer: str
    answered_by_name: str
    answered_by_me: bool
    published: bool
    faq_question: str  # what publishing offers: the published words, or the stripped text
    faq_answer: str


def _may_see(actor: ConsoleActor, department_code: str) -> bool:
    return actor.sees_whole_city or (actor.role == DEPARTMENT and actor.department_code == department_code)


def _refuse(what: str) -> Forbidden:
    return Forbidden(
        Text(N_("Your console account may not {what}. Ask the hub's administrator if you need to."), what=Text(what))
    )


def _line(row: Question, actor: ConsoleActor) -> QuestionLine:
    published = row.published_at is not None
    return QuestionLine(
        row.number,
        row.item_code,
        row.department_code,
        row.text,
        row.asked_at,
        row.status == ANSWERED,
        row.answer,
        row.answered_by_name,
        bool(row.answered_by) and row.answered_by == actor.user_id,
        published,
        row.faq_question if published else strip_personal(row.text),
        row.faq_answer if published else strip_personal(row.answer),
    )


def _scope(actor: ConsoleActor) -> Select[Question]:
    query = select(Question)
    if not actor.sees_whole_city:
        if actor.role != DEPARTMENT or not actor.department_code:
            raise _refuse(N_("answer residents' questions"))
        query = query.where(Question.department_code == actor.department_code)
    return query


def open_questions(session: Session, *, actor: ConsoleActor) -> list[QuestionLine]:
    """The questions still to answer that ``actor`` may answer, oldest first."""
    rows = session.scalars(
        _scope(actor).where(Question.status == OPEN).order_by(Question.asked_at, Question.number).limit(PAGE)
    )
    return [_line(row, actor) for row in rows]


def my_answers(session: Session, *, actor: ConsoleActor) -> list[QuestionLine]:
    """What ``actor`` answered, newest first: what they may publish or unpublish."""
    rows = session.scalars(
        select(Question).where(Question.answered_by == actor.user_id).order_by(Question.answered_at.desc()).limit(PAGE)
    )
    return [_line(row, actor) for row in rows]


def _question(session: Session, actor: ConsoleActor, number: str) -> Question:
    row = session.get(Question, number, with_for_update=True)
    if row is None or not _may_see(actor, row.department_code):
        # Another department's question is answered as if it did not exist.
        raise NotFound(Text(N_("There is no question {number}."), number=number))
    return row


def _audit(
    session: Session, actor: ConsoleActor, action: str, row: Question, now: dt.datetime, address: str, **detail: object
) -> None:
    hub_audit.record(
        session,
        actor=actor.audit_name,
        action=action,
        entity="question",
        entity_id=row.number,
        now=now,
        address=address,
        detail={"item": row.item_code, **detail},
    )


def answer(
    session: Session, *, actor: ConsoleActor, number: str, text: str, now: dt.datetime, address: str = ""
) -> QuestionLine:
    """Answers an open question (once: a question answered meanwhile is a Conflict)."""
    row = _question(session, actor, number)
    text = (text or "").strip()
    if not text or len(text) > MAX_ANSWER:
        raise InvalidInput(Text(N_("Write the answer (at most {count} characters)."), count=MAX_ANSWER))
    if row.status != OPEN:
        raise Conflict(
            Text(N_("Question {number} was answered already by {name}."), number=row.number, name=row.answered_by_name)
        )
    row.status, row.answer, row.answered_at = ANSWERED, text, now
    row.answered_by, row.answered_by_name = actor.user_id, actor.display_name
    _audit(session, actor, "question.answered", row, now, address, length=len(text))
    return _line(row, actor)


def publish(
    session: Session,
    *,
    actor: ConsoleActor,
    number: str,
    question: str,
    answer_text: str,
    now: dt.datetime,
    address: str = "",
) -> QuestionLine:
    """Publishes the question and answer as an FAQ of the item, personal data taken out;
    only by the person who answered."""
    row = _question(session, actor, number)
    if row.status != ANSWERED or row.answered_by != actor.user_id:
        raise _refuse(N_("publish an answer someone else gave"))
    question, answer_text = strip_personal(question.strip()), strip_personal(answer_text.strip())
    if not question or len(question) > MAX_TEXT or not answer_text or len(answer_text) > MAX_ANSWER:
        raise InvalidInput(
            Text(
                N_(
                    "Write the question (at most {question} characters) and the answer (at most "
                    "{answer}) as they are to be published."
                ),
                question=MAX_TEXT,
                answer=MAX_ANSWER,
            )
        )
    row.faq_question, row.faq_answer, row.published_at = question, answer_text, now
    _audit(session, actor, "question.published", row, now, address)
    return _line(row, actor)


def unpublish(
    session: Session, *, actor: ConsoleActor, number: str, now: dt.datetime, address: str = ""
) -> QuestionLine:
    """Takes the FAQ off the guide page: the answerer, or the supervision office."""
    row = _question(session, actor, number)
    if row.answered_by != actor.user_id and not actor.sees_whole_city:
        raise _refuse(N_("withdraw an answer someone else published"))
    if row.published_at is not None:
        row.published_at = None
        _audit(session, actor, "question.unpublished", row, now, address)
    return _line(row, actor)
