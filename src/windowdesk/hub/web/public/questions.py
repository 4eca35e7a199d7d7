"""网上咨询: ``POST /guides/<item>/questions`` asks a question about an item (behind the
human check and CSRF) and shows its number once, with the short code when a phone was
left; ``/questions`` finds a question by number, ``/questions/<number>`` shows it and its
answer (services/public_questions)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from windowdesk.hub.services import public_cases, public_questions
from windowdesk.hub.web import human_check
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.public import router
from windowdesk.hub.web.public.common import database, page, utc_now
from windowdesk.hub.web.public.guides import render_guide
from windowdesk.hub.web.templating import translator


@router.post("/guides/{code}/questions", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def ask(
    request: Request,
    code: str,
    text: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    human_token: Annotated[str, Form()] = "",
    human_answer: Annotated[str, Form()] = "",
) -> Response:
    _ = translator(request)
    code = code[:16]
    again = {"text": text[: public_questions.MAX_TEXT], "phone": phone[:20]}
    if not human_check.passes(request.app.state.settings, human_token, human_answer):
        return render_guide(
            request,
            code,
            ask_error=_("The sum under the form was not right; work out the new one."),
            asked=again,
            status_code=422,
        )
    try:
        asked = public_questions.ask(
            database(request),
            item_code=code,
            text=text,
            phone=phone,
            address=request.client.host if request.client else "",
            now=utc_now(),
        )
    except public_questions.QuestionRefused as refused:
        return render_guide(request, code, ask_error=_(refused.message), asked=again, status_code=422)
    # Shown here, once: the short code is not put in an address the browser keeps.
    return page(request, "public/question_asked.html", {"asked": asked, "item_code": code})


@router.get("/questions", response_class=HTMLResponse)
def find_form(request: Request, number: str = "") -> Response:
    if number:
        return RedirectResponse(f"/questions/{public_questions.normalize_number(number)}", status_code=303)
    return page(request, "public/question_find.html", {"error": "", "number": ""})


@router.get("/questions/{number}", response_class=HTMLResponse)
def question_page(request: Request, number: str, code: str = "") -> Response:
    _ = translator(request)
    db = database(request)
    number = public_questions.normalize_number(number)
    if public_questions.needs_code(db, number) and not code:
        return page(request, "public/question_find.html", {"error": "", "number": number, "ask_code": True})
    found = public_questions.find(
        db, number=number, code=code[:20], address=request.client.host if request.client else "", now=utc_now()
    )
    if found.outcome == public_cases.LOCKED:
        # The case page's words: the short code is a query code (查询码) too.
        error = _(
            "Too many wrong query codes. For your safety, try again in {minutes} minutes, or ask at the "
            "window or by phone."
        ).format(minutes=int(public_cases.LOOKUP_WINDOW.total_seconds() // 60))
        return page(
            request, "public/question_find.html", {"error": error, "number": number, "ask_code": True}, status_code=429
        )
    if found.question is None:
        error = _("There is no question with this number, or the short code is not right.")
        return page(
            request,
            "public/question_find.html",
            {"error": error, "number": number, "ask_code": bool(code)},
            status_code=404,
        )
    return page(request, "public/question.html", {"question": found.question})
