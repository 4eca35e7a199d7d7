"""办事指南: the service guides, searchable, one stable address per item (``/guides/<code>``)
that a QR code on a poster can hold, printable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from windowdesk.domain.money import format_yuan
from windowdesk.hub.services import public_guides, public_questions
from windowdesk.hub.web import human_check
from windowdesk.hub.web.public import router
from windowdesk.hub.web.public.common import database, page
from windowdesk.hub.web.public.rendered import PerCatalogVersion
from windowdesk.hub.web.templating import page_language, render_part, translator

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


# A catalog has a few hundred items, in two languages; searches are the readers' words.
_guides = PerCatalogVersion(most=2_000)
_lists = PerCatalogVersion(most=500)


def _published(request: Request, session: Session) -> public_guides.PublishedCatalog:
    published = public_guides.current_catalog(session)
    if published is None:
        _ = translator(request)
        raise HTTPException(503, _("The service catalog has not been published yet."))
    return published


@router.get("/guides", response_class=HTMLResponse)
def guide_list(request: Request, q: str = "", department: str = "", center: str = "") -> HTMLResponse:
    with database(request).read() as session:
        published = _published(request, session)
    q, department, center = q[:50], department[:8], center[:8]
    language = page_language(request)

    def listing() -> Markup:
        items = public_guides.find_guides(published, query=q, department=department, street_center=center)
        return render_part(
            language,
            "public/guide_list.html",
            {
                "items": items,
                "q": q,
                "department": department,
                "center": center,
                "published": published,
                "departments": published.catalog.departments,
                "street_centers": published.street_centers,
            },
        )

    return page(
        request,
        "public/guides.html",
        {"listing": _lists.get(published.fingerprint, (language, q, department, center), listing)},
    )


@router.get("/guides/{code}", response_class=HTMLResponse)
def guide_page(request: Request, code: str) -> HTMLResponse:
    return render_guide(request, code[:16])


def render_guide(
    request: Request, code: str, *, ask_error: str = "", asked: dict[str, str] | None = None, status_code: int = 200
) -> HTMLResponse:
    """An item's guide, with its forms to download, its FAQ and the form to ask a question
    (issue 30; shown again with ``ask_error`` and what was typed when a question is refused).
    The guide itself is rendered once per catalog version (public/rendered.py); the FAQ,
    answered at any time, is read with the version, in the same snapshot."""
    with database(request).read() as session:
        published = _published(request, session)
        item = public_guides.guide(published, code)
        faqs = public_questions.faqs(session, item_code=item.code) if item is not None else []
    if item is None:
        _ = translator(request)
        return page(
            request,
            "public/not_found.html",
            {"message": _("There is no service guide {code}.").format(code=code)},
            status_code=404,
        )
    language = page_language(request)

    def article() -> Markup:
        return render_part(
            language,
            "public/guide_article.html",
            {
                "item": item,
                "department_name": published.department_name(item.department),
                "parallel_names": [published.department_name(code) for code in item.parallel_departments],
                "centers": public_guides.where_to_go(published, item),
                "form_words": public_guides.FORM_WORDS,
                "yuan": format_yuan,
                "catalog_version": published.catalog.version,
                "form_kind_words": public_guides.FORM_KIND_WORDS,
            },
        )

    return page(
        request,
        "public/guide.html",
        {
            "item": item,
            "article": _guides.get(published.fingerprint, (language, item.code), article),
            "faqs": faqs,
            "ask_error": ask_error,
            "asked": asked or {},
            "human_check": human_check.new_challenge(request.app.state.settings),
        },
        status_code=status_code,
    )
