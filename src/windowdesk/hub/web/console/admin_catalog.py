"""The administrators' catalog pages: the items of the current catalog, an item edited and
published as a new catalog version (``import-catalog``'s validation and path), and the
status page's address (``status-page``).

The edit form shows the catalog format's fields (items.json) as a clerk reads them: lines
of text for lists, a table for the materials; the fee rules, whose shape varies by kind,
as the catalog format's JSON. What was typed is shown again with the reason when refused."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from windowdesk.domain.catalog import MATERIAL_FORMS
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services import city_publishing
from windowdesk.hub.services.console_rights import ConsoleActor
from windowdesk.hub.web.console.admin_common import CATALOG, FORM_REFUSALS, city_clock, done, flash, refusal
from windowdesk.hub.web.console.session import client_address, current_actor, hub_db, utc_now
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.templating import render
from windowdesk.i18n import N_

router = APIRouter(prefix="/admin")
LIST_FIELDS = ("preconditions", "procedure", "refusal_grounds", "keywords")
NUMBER_FIELDS = ("legal_limit_days", "promised_limit_days", "warning_days")
TEXT_FIELDS = ("name", "name_en", "category", "legal_basis", "where")
MATERIAL_COLUMNS = ("code", "name", "form", "originals", "copies", "required", "note")
BLANK_MATERIAL_ROWS = 2
MATERIAL_FORM_LABELS = {
    "original": N_("original"),
    "copy": N_("copy"),
    "original_and_copy": N_("original and copy"),
    "electronic": N_("electronic"),
}


def _catalog_page(
    request: Request,
    actor: ConsoleActor,
    *,
    error: str | None = None,
    status_code: int = 200,
    typed_url: str | None = None,
) -> Response:
    with hub_db(request).read() as session:
        current = city_publishing.current_catalog(session, by=actor)
        items = current.documents["items"]["items"]  # the version's items are the active ones
        url = city_publishing.status_page_address(session, by=actor) if typed_url is None else typed_url
        return render(
            request,
            "console/admin/catalog.html",
            console_context(
                actor,
                version=current.version,
                published=city_clock(session, current.imported_at),
                items=items,
                status_url=url,
                flash=flash(request),
                error=error,
            ),
            status_code=status_code,
        )


@router.get("/catalog")
def catalog_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _catalog_page(request, actor)


@router.post("/status-page", dependencies=[Depends(require_csrf)])
def publish_status_page(
    request: Request, url: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        with hub_db(request).write(feed=True) as session:
            city_publishing.publish_status_page(
                session, by=actor, url=url, now=utc_now(), address=client_address(request)
            )
    except FORM_REFUSALS as refused:
        return _catalog_page(request, actor, error=refusal(request, refused), status_code=400, typed_url=url)
    return done(CATALOG, "status-page")


# --- one item -------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _number(text: str) -> int | str:
    """A whole number, or the text as typed: the catalog's validation names the field."""
    text = text.strip()
    return int(text) if text.isdigit() else text


def _materials(form: FormData, original: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The table's rows as the catalog format's materials (a row left empty is dropped; the
    fields this page does not show are kept from the material of the same code)."""
    columns = {name: form.getlist(f"material_{name}") for name in MATERIAL_COLUMNS}
    by_code = {material.get("code"): material for material in original}
    materials = []
    for row in range(len(columns["code"])):
        value = {name: str(columns[name][row]) if row < len(columns[name]) else "" for name in MATERIAL_COLUMNS}
        if not value["code"].strip() and not value["name"].strip():
            continue
        materials.append(
            {
                **by_code.get(value["code"].strip(), {}),
                "code": value["code"].strip(),
                "name": value["name"].strip(),
                "form": value["form"],
                "originals": _number(value["originals"]),
                "copies": _number(value["copies"]),
                "required": value["required"] == "yes",
                "note": value["note"].strip(),
            }
        )
    return materials


def item_fields(form: FormData, original: dict[str, Any]) -> dict[str, Any]:
    """The edit form as the catalog format's fields of an item."""
    fields: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in TEXT_FIELDS}
    fields["department"] = str(form.get("department", ""))
    for name in NUMBER_FIELDS:
        fields[name] = _number(str(form.get(name, "")))
    for name in LIST_FIELDS:
        fields[name] = _lines(str(form.get(name, "")))
    parallel = [str(code) for code in form.getlist("parallel_departments")]
    fields["parallel"], fields["parallel_departments"] = bool(parallel), parallel
    fields["street_level"] = form.get("street_level") == "yes"
    fields["materials"] = _materials(form, original.get("materials", []))
    rules_text = str(form.get("fee_rules", "")).strip() or "[]"
    try:
        rules = json.loads(rules_text)
    except json.JSONDecodeError as problem:
        raise InvalidInput(
            Text(N_("The fee rules are not valid JSON: {problem}. Nothing was published."), problem=str(problem))
        ) from None
    fields["fee"] = {**original.get("fee", {}), "summary": str(form.get("fee_summary", "")).strip(), "rules": rules}
    return fields


def _item_page(
    request: Request,
    actor: ConsoleActor,
    code: str,
    *,
    typed: dict[str, Any] | None = None,
    version: str | None = None,
    rules_text: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    with hub_db(request).read() as session:
        item = city_publishing.catalog_item(session, by=actor, code=code)
        current = city_publishing.current_catalog(session, by=actor).version
        departments = city_publishing.catalog_departments(session, by=actor)
    shown = {**item, **(typed or {})}
    blank = dict.fromkeys(MATERIAL_COLUMNS, "") | {"form": "original", "required": True, "originals": 1, "copies": 0}
    return render(
        request,
        "console/admin/item.html",
        console_context(
            actor,
            item=shown,
            code=code,
            current_version=current,
            departments=departments,
            version=version if version is not None else city_publishing.next_version(utc_now()),
            materials=[*shown.get("materials", []), *[blank] * BLANK_MATERIAL_ROWS],
            material_forms=MATERIAL_FORMS,
            material_form_labels=MATERIAL_FORM_LABELS,
            lists={name: "\n".join(shown.get(name, [])) for name in LIST_FIELDS},
            rules_text=rules_text
            if rules_text is not None
            else json.dumps(shown.get("fee", {}).get("rules", []), ensure_ascii=False, indent=1),
            flash=None,
            error=error,
        ),
        status_code=status_code,
    )


@router.get("/catalog/{code}")
def item_page(request: Request, code: str, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _item_page(request, actor, code)


async def _form(request: Request) -> FormData:
    """The whole form, repeated fields included (the materials' table)."""
    return await request.form()


@router.post("/catalog/{code}", dependencies=[Depends(require_csrf)])
def publish_item(
    request: Request, code: str, form: FormData = Depends(_form), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    version = str(form.get("version", ""))
    rules_text = str(form.get("fee_rules", ""))
    typed = None
    try:
        with hub_db(request).read() as session:
            original = city_publishing.catalog_item(session, by=actor, code=code)
        typed = item_fields(form, original)
        with hub_db(request).write(feed=True) as session:
            city_publishing.publish_item(
                session,
                by=actor,
                code=code,
                fields=typed,
                version=version,
                now=utc_now(),
                address=client_address(request),
            )
    except FORM_REFUSALS as refused:
        return _item_page(
            request,
            actor,
            code,
            typed=typed,
            version=version,
            rules_text=rules_text,
            error=refusal(request, refused),
            status_code=400,
        )
    return done(CATALOG, "item")
