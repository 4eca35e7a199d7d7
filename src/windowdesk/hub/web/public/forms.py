"""表格下载: an item's forms, downloaded from its guide page. ``/guides/<item>/forms/<form>``
is the stable address (the current file); ``/guides/<item>/forms/<form>/v<n>`` one version,
kept for the record (services/public_forms)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from windowdesk.hub.services import public_forms, public_guides
from windowdesk.hub.web.public import router
from windowdesk.hub.web.public.common import database, page
from windowdesk.hub.web.templating import translator


def _file(download: public_forms.FormDownload, *, current: bool) -> Response:
    disposition = (
        f"attachment; filename=\"{download.file_name}\"; filename*=UTF-8''{quote(download.title_file_name, safe='')}"
    )
    # The current file changes with the catalog; a numbered version never does.
    cache = "public, max-age=300" if current else "public, max-age=31536000, immutable"
    return Response(
        download.content,
        media_type=download.media_type,
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff", "Cache-Control": cache},
    )


def _not_found(request: Request, item_code: str, form_code: str) -> HTMLResponse:
    _ = translator(request)
    return page(
        request,
        "public/not_found.html",
        {"message": _("There is no form {form} of item {item}.").format(form=form_code, item=item_code)},
        status_code=404,
    )


@router.get("/guides/{item_code}/forms/{form_code}")
def current_form(request: Request, item_code: str, form_code: str) -> Response:
    item_code, form_code = item_code[:16], form_code[:8]
    with database(request).read() as session:
        published = public_guides.current_catalog(session)
        download = (
            None
            if published is None
            else public_forms.current_form(session, published, item_code=item_code, form_code=form_code)
        )
    if download is None:
        return _not_found(request, item_code, form_code)
    return _file(download, current=True)


@router.get("/guides/{item_code}/forms/{form_code}/v{version}")
def form_version(request: Request, item_code: str, form_code: str, version: int) -> Response:
    item_code, form_code = item_code[:16], form_code[:8]
    with database(request).read() as session:
        download = public_forms.form_version(session, item_code=item_code, form_code=form_code, version=version)
    if download is None:
        return _not_found(request, item_code, form_code)
    return _file(download, current=False)
