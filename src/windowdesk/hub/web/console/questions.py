"""网上咨询 in the console: the questions residents asked, oldest first, answered here; what
the signed-in person answered, published as the item's FAQ or taken off it. The service
(question_answers) checks every right; a refused form comes back with its message and
what was typed."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput, NotFound
from windowdesk.hub.services import question_answers
from windowdesk.hub.services.console_rights import ADMINISTRATOR, DEPARTMENT, SUPERVISOR, ConsoleActor
from windowdesk.hub.web.console import navigation
from windowdesk.hub.web.console.session import client_address, current_actor, hub_db, utc_now
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.console.words import clock
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.templating import page_language, render
from windowdesk.i18n import N_

router = APIRouter()
navigation.add_section("/console/questions", N_("Residents' questions"), DEPARTMENT, SUPERVISOR, ADMINISTRATOR)

FLASHES = {
    "answered": N_("Your answer is recorded; the resident reads it on the page of the question."),
    "published": N_("The question and your answer are published on the item's guide page."),
    "unpublished": N_("The question is taken off the item's guide page."),
}


def _page(
    request: Request,
    actor: ConsoleActor,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    with hub_db(request).read() as session:
        waiting = question_answers.open_questions(session, actor=actor)
        mine = question_answers.my_answers(session, actor=actor)
    flash = FLASHES.get(request.query_params.get("done", ""))
    return render(
        request,
        "console/questions.html",
        console_context(actor, waiting=waiting, mine=mine, error=error, form=form or {}, flash=flash, clock=clock),
        status_code=status_code,
    )


@router.get("/questions")
def questions_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _page(request, actor)


def _act(request: Request, actor: ConsoleActor, work, done: str, form: dict[str, str]) -> Response:  # noqa: ANN001
    try:
        hub_db(request).run_write(work)
    except (InvalidInput, Conflict, NotFound, Forbidden) as refused:
        return _page(
            request, actor, error=refused.worded(page_language(request))[1], form=form, status_code=refused.status
        )
    return RedirectResponse(f"/console/questions?done={done}", status_code=303)


@router.post("/questions/{number}/answer", dependencies=[Depends(require_csrf)])
def answer(
    request: Request, number: str, answer_text: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    return _act(
        request,
        actor,
        lambda session: question_answers.answer(
            session, actor=actor, number=number[:16], text=answer_text, now=utc_now(), address=client_address(request)
        ),
        "answered",
        {"number": number, "answer_text": answer_text},
    )


@router.post("/questions/{number}/publish", dependencies=[Depends(require_csrf)])
def publish(
    request: Request,
    number: str,
    faq_question: str = Form(""),
    faq_answer: str = Form(""),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    return _act(
        request,
        actor,
        lambda session: question_answers.publish(
            session,
            actor=actor,
            number=number[:16],
            question=faq_question,
            answer_text=faq_answer,
            now=utc_now(),
            address=client_address(request),
        ),
        "published",
        {"number": number},
    )


@router.post("/questions/{number}/unpublish", dependencies=[Depends(require_csrf)])
def unpublish(request: Request, number: str, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _act(
        request,
        actor,
        lambda session: question_answers.unpublish(
            session, actor=actor, number=number[:16], now=utc_now(), address=client_address(request)
        ),
        "unpublished",
        {"number": number},
    )
