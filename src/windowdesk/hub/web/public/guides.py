"""办事指南: the service guides, searchable, one stable address per item (``/guides/<code>``)
that a QR code on a poster can hold, printable."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from windowdesk.domain.money import format_yuan
from windowdesk.hub.services import public_guides, public_questions
from windowdesk.hub.web import human_check
from windowdesk.hub.web.public import router
from windowdesk.hub.web.public.common import database, page
from windowdesk.hub.web.templating import translator


def _catalog(request: Request) -> public_guides.PublishedCatalog:
    with database(request).read() as session:
        published = public_guides.current_catalog(session)
    if published is None:
        _ = translator(request)
        raise HTTPException(503, _("The service catalog has not been published yet."))
    return published


@router.get("/guides", response_class=HTMLResponse)
def guide_list(request: Request, q: str = "", department: str = "", center: str = "") -> HTMLResponse:
    published = _catalog(request)
    q = q[:50]
    items = public_guides.find_guides(published, query=q, department=department[:8], street_center=center[:8])
    return page(request, "public/guides.html", {
        "items": items, "q": q, "department": department, "center": center, "published": published,
        "departments": published.catalog.departments, "street_centers": published.street_centers,
    })


@router.get("/guides/{code}", response_class=HTMLResponse)
def guide_page(request: Request, code: str) -> HTMLResponse:
    return render_guide(request, code[:16])


def render_guide(request: Request, code: str, *, ask_error: str = "", asked: dict[str, str] | None = None,
                 status_code: int = 200) -> HTMLResponse:
    """An item's guide, with its forms to download, its FAQ and the form to ask a question
    (issue 30; shown again with ``ask_error`` and what was typed when a question is refused)."""
    published = _catalog(request)
    item = public_guides.guide(published, code)
    if item is None:
        _ = translator(request)
        return page(request, "public/not_found.html",
                    {"message": _("There is no service guide {code}.").format(code=code)}, status_code=404)
    with database(request).read() as session:
        faqs = public_questions.faqs(session, item_code=item.code)
    return page(request, "public/guide.html", {
        "item": item, "department_name": published.department_name(item.department),
        "parallel_names": [published.department_name(code) for code in item.parallel_departments],
        "centers": public_guides.where_to_go(published, item), "form_words": public_guides.FORM_WORDS,
        "yuan": format_yuan, "catalog_version": published.catalog.version,
        "form_kind_words": public_guides.FORM_KIND_WORDS, "faqs": faqs, "ask_error": ask_error,
        "asked": asked or {}, "human_check": human_check.new_challenge(request.app.state.settings),
    }, status_code=status_code)
