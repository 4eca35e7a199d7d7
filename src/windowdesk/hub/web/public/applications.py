"""网上申报 on the public pages: ``/apply/<item>`` fills the item's form, attaches photos or
PDFs to its materials and chooses the center, behind the human check; the answer page
shows the application number and its query code once. ``/application`` opens an
application with the two (the same lock-out as following a case) and shows its state;
a returned one is corrected there and sent again.

The forms work without script. A form with files is bounded before it is read: a body
larger than every file at its largest is refused from its Content-Length, unread; the
form is parsed with at most ``MAX_FILES`` files. One bad file refuses everything."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from windowdesk.domain.catalog_model import CatalogItem
from windowdesk.domain.catalog_online import ID_NUMBER, KIND_WORDS
from windowdesk.domain.ids import mask_id_number
from windowdesk.domain.online_application_status import HubApplicationStatus
from windowdesk.domain.query_codes import grouped
from windowdesk.hub.services import department_online, public_bookings, public_cases
from windowdesk.hub.services import online_applications as applications
from windowdesk.hub.services.online_uploads import MAX_FILE_BYTES, MAX_FILES, MAX_PAGES, Upload
from windowdesk.hub.services.public_guides import current_catalog
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.sealing import sealer_for
from windowdesk.hub.web import human_check
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.public import case_access, router
from windowdesk.hub.web.public.common import database, page, utc_now
from windowdesk.hub.web.receipt_pdf import receipt_pdf
from windowdesk.hub.web.secret import key_for
from windowdesk.hub.web.templating import page_language, page_words, translator

COOKIE = "wd_appl"
LIFETIME_SECONDS = 30 * 60
ACCEPTED_FILES = "image/jpeg,image/png,image/webp,application/pdf"
FIELD_PREFIX, FILE_PREFIX = "f_", "file_"


def files_of(request: Request) -> ApplicationFiles:
    data_dir = Path(request.app.state.settings.data_dir)
    return ApplicationFiles(data_dir, sealer_for(data_dir))


def _address(request: Request) -> str:
    return request.client.host if request.client else ""


# ---- the signed cookie that keeps an opened application open for a while ------------------


def _signature(request: Request, application_id: str, expires: int) -> str:
    return hmac.new(
        key_for(request.app.state.settings), f"application:{application_id}:{expires}".encode(), hashlib.sha256
    ).hexdigest()


def _grant(request: Request, response: Response, application_id: str) -> None:
    expires = int(time.time()) + LIFETIME_SECONDS
    response.set_cookie(
        COOKIE,
        f"{application_id}.{expires}.{_signature(request, application_id, expires)}",
        max_age=LIFETIME_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def _granted(request: Request) -> str | None:
    parts = (request.cookies.get(COOKIE) or "").split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    application_id, expires, signature = parts[0], int(parts[1]), parts[2]
    if expires < time.time() or not hmac.compare_digest(signature, _signature(request, application_id, expires)):
        return None
    return application_id


# ---- reading a form with files, bounded --------------------------------------------------


async def bounded_form(request: Request) -> AsyncIterator[None]:
    """The form parsed with the count of its files bounded, before require_csrf reads the
    same parsed form, and its files' spooled copies closed when the answer is made. Its size
    is bounded before: the request gate (api/request_gate.py) answers a body over
    MAX_BODY_BYTES with a page, reading nothing of it."""
    form = await request.form(max_files=MAX_FILES + 1, max_fields=200)
    try:
        yield
    finally:
        await form.close()


async def _uploads(form: FormData) -> list[Upload]:
    found = []
    for key, value in form.multi_items():
        if key.startswith(FILE_PREFIX) and isinstance(value, UploadFile) and (value.filename or value.size):
            data = await value.read(MAX_FILE_BYTES + 1)
            found.append(Upload(key[len(FILE_PREFIX) :][:16], value.filename or "", data))
    return found


def _values(form: FormData) -> dict[str, str]:
    return {
        key[len(FIELD_PREFIX) :][:30]: str(value)[:300]
        for key, value in form.items()
        if key.startswith(FIELD_PREFIX) and isinstance(value, str)
    }


# ---- applying ------------------------------------------------------------------------------


def _item_and_centers(request: Request, item_code: str) -> tuple[CatalogItem, list[tuple[str, str]]]:
    with database(request).read() as session:
        published = current_catalog(session)
    item = applications.online_item(published, item_code)
    if item is None or published is None:
        _ = translator(request)
        raise HTTPException(404, detail=_(applications.NO_ONLINE))
    return item, applications.centers_for(published, item)


def _apply_page(
    request: Request,
    item: CatalogItem,
    centers: list[tuple[str, str]],
    *,
    values: dict[str, str],
    center: str = "",
    error: str = "",
    problems: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "public/apply.html",
        {
            "item": item,
            "fields": item.online.fields if item.online else (),
            "centers": centers,
            "center": center,
            "values": values,
            "error": error,
            "problems": problems or {},
            "kind_words": KIND_WORDS,
            "accepted_files": ACCEPTED_FILES,
            "most_files": MAX_FILES,
            "most_pages": MAX_PAGES,
            "most_mb": MAX_FILE_BYTES // (1024 * 1024),
            "human_check": human_check.new_challenge(request.app.state.settings),
        },
        status_code=status_code,
    )


@router.get("/apply/{item_code}", response_class=HTMLResponse, dependencies=[Depends(page_words)])
def apply_form(request: Request, item_code: str) -> HTMLResponse:
    item, centers = _item_and_centers(request, item_code[:40])
    return _apply_page(request, item, centers, values={}, center=centers[0][0] if len(centers) == 1 else "")


@router.post(
    "/apply/{item_code}",
    response_class=HTMLResponse,
    dependencies=[Depends(bounded_form), Depends(require_csrf), Depends(page_words)],
)
async def apply(request: Request, item_code: str) -> Response:
    _ = translator(request)
    form = await request.form()
    item, centers = _item_and_centers(request, item_code[:40])
    values, center = _values(form), str(form.get("center") or "")[:8]
    if not human_check.passes(request.app.state.settings, form.get("human_token"), form.get("human_answer")):
        return _apply_page(
            request,
            item,
            centers,
            values=values,
            center=center,
            status_code=422,
            error=_("The sum under the form was not right; work out the new one. Choose the files again too."),
        )
    uploads = await _uploads(form)
    try:
        submitted = await run_in_threadpool(
            applications.submit,
            database(request),
            files_of(request),
            item_code=item.code,
            center_code=center,
            values=values,
            uploads=uploads,
            address=_address(request),
            now=utc_now(),
        )
    except applications.FieldsRefused as refused:
        return _apply_page(
            request,
            item,
            centers,
            values=values,
            center=center,
            problems=refused.problems,
            status_code=422,
            error=_("Please correct the fields marked below, and choose the files again."),
        )
    except applications.ApplicationRefused as refused:
        return _apply_page(
            request,
            item,
            centers,
            values=values,
            center=center,
            status_code=422,
            error=_(refused.message).format(**refused.values),
        )
    response = page(
        request,
        "public/applied.html",
        {
            "number": submitted.number,
            "code": grouped(submitted.code),
            "item": item,
            "center_name": dict(centers).get(center, center),
        },
    )
    _grant(request, response, submitted.application_id)
    return response


# ---- following and correcting ------------------------------------------------------------------


@router.get("/application", response_class=HTMLResponse)
def find_form(request: Request) -> HTMLResponse:
    return page(request, "public/application_find.html", {"number": "", "message": ""})


@router.post("/application", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
async def check_code(request: Request) -> Response:
    _ = translator(request)
    form = await request.form()
    number, code = str(form.get("number") or "")[:40], str(form.get("query_code") or "")[:40]
    found = await run_in_threadpool(
        applications.look_up, database(request), number=number, code=code, address=_address(request), now=utc_now()
    )
    if found.outcome == applications.FOUND and found.application_id is not None:
        response = RedirectResponse("/application/view", status_code=303)
        _grant(request, response, found.application_id)
        return response
    if found.outcome == applications.LOCKED:
        message = _(
            "Too many wrong query codes. For your safety, try again in {minutes} minutes, or ask at the "
            "window or by phone."
        ).format(minutes=int(public_cases.LOOKUP_WINDOW.total_seconds() // 60))
        status = 429
    else:
        message = _("The application number and the query code do not match. {count} tries left.").format(
            count=found.tries_left
        )
        status = 403
    return page(
        request, "public/application_find.html", {"number": number.strip(), "message": message}, status_code=status
    )


def _view_page(
    request: Request,
    application_id: str,
    *,
    error: str = "",
    problems: dict[str, str] | None = None,
    flash: str = "",
    status_code: int = 200,
) -> Response:
    view = applications.open_application(
        database(request),
        files_of(request),
        application_id=application_id,
        reader=applications.RESIDENT_READER,
        now=utc_now(),
        address=_address(request),
    )
    if view is None:
        return RedirectResponse("/application", status_code=303)
    with database(request).read() as session:
        published = current_catalog(session)
    item = applications.online_item(published, view.item_code)
    centers = dict(applications.centers_for(published, item)) if published and item else {}
    materials = {m.code: m.name for m in item.materials} if item else {}
    # Accepted for the visit: where the center takes bookings for this business, the
    # resident books the visit from here (the booking page opens on both).
    bookable = view.status == applications.ACCEPTED and view.item_code in public_bookings.bookable_businesses(
        database(request), now=utc_now()
    ).get(view.center_code, set())
    # 全程网办: accepted by the department as a case, followed like any case.
    case = public_cases.public_case(database(request), view.case_id) if view.case_id else None
    return page(
        request,
        "public/application.html",
        {
            "view": view,
            "item": item,
            "case": case,
            "center_name": centers.get(view.center_code, view.center_code),
            "materials": materials,
            "status_words": applications.STATUS_WORDS,
            "statuses": HubApplicationStatus,
            "error": error,
            "problems": problems or {},
            "flash": flash,
            "kind_words": KIND_WORDS,
            "accepted_files": ACCEPTED_FILES,
            "fields": item.online.fields if item and item.online else (),
            "returned": view.status == applications.RETURNED,
            "masked": {
                code: mask_id_number(value)
                for code, value in view.values.items()
                if item and item.online and (field := item.online.field(code)) and field.kind == ID_NUMBER
            },
            "human_check": human_check.new_challenge(request.app.state.settings),
            "bookable": bookable,
        },
        status_code=status_code,
    )


@router.get("/application/view", response_class=HTMLResponse, dependencies=[Depends(page_words)])
def view_application(request: Request, sent: int = 0) -> Response:
    application_id = _granted(request)
    if application_id is None:
        return RedirectResponse("/application", status_code=303)
    _ = translator(request)
    return _view_page(request, application_id, flash=_("Sent again: the window reviews it anew.") if sent else "")


@router.post(
    "/application/resubmit",
    response_class=HTMLResponse,
    dependencies=[Depends(bounded_form), Depends(require_csrf), Depends(page_words)],
)
async def resubmit(request: Request) -> Response:
    application_id = _granted(request)
    if application_id is None:
        return RedirectResponse("/application", status_code=303)
    _ = translator(request)
    form = await request.form()
    if not human_check.passes(request.app.state.settings, form.get("human_token"), form.get("human_answer")):
        return await run_in_threadpool(
            _view_page,
            request,
            application_id,
            status_code=422,
            error=_("The sum under the form was not right; work out the new one. Choose the files again too."),
        )
    kwargs: dict[str, Any] = dict(
        application_id=application_id, values=_values(form), uploads=await _uploads(form), now=utc_now()
    )
    try:
        await run_in_threadpool(applications.resubmit, database(request), files_of(request), **kwargs)
    except applications.FieldsRefused as refused:
        return await run_in_threadpool(
            _view_page,
            request,
            application_id,
            problems=refused.problems,
            status_code=422,
            error=_("Please correct the fields marked below."),
        )
    except applications.ApplicationRefused as refused:
        return await run_in_threadpool(
            _view_page, request, application_id, status_code=422, error=_(refused.message).format(**refused.values)
        )
    return RedirectResponse("/application/view?sent=1", status_code=303)


# ---- an application its department accepted (全程网办) -----------------------------------------


def _accepted_case(request: Request) -> tuple[str, str] | None:
    """(application id, case id) of the application this browser opened, once a case."""
    application_id = _granted(request)
    if application_id is None:
        return None
    case_id = department_online.case_of(database(request), application_id=application_id)
    return (application_id, case_id) if case_id else None


@router.get("/application/case")
def follow_case(request: Request) -> Response:
    """The case's public page, opened for the browser that opened the application with the
    same query code (the case keeps the application's)."""
    found = _accepted_case(request)
    if found is None:
        return RedirectResponse("/application", status_code=303)
    response = RedirectResponse("/case", status_code=303)
    case_access.grant(request, response, found[1])
    return response


@router.get("/application/receipt.pdf")
def receipt_download(request: Request) -> Response:
    found = _accepted_case(request)
    receipt = (
        department_online.receipt_for_resident(
            database(request), application_id=found[0], now=utc_now(), address=_address(request)
        )
        if found
        else None
    )
    if receipt is None:
        return RedirectResponse("/application", status_code=303)
    language = page_language(request)
    pdf = receipt_pdf(
        receipt, gettext=translator(request), language=language, status_address=str(request.url_for("status_form"))
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{receipt.case_number}.pdf"',
        },
    )
