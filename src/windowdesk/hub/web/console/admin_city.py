"""The administrators' pages of the city's organisation: centers, windows and departments
(``create-center``, ``create-window``, ``create-department``) and the windows' operators
(``create-operator``, ``set-password``, ``create-operator --inactive``)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from windowdesk.domain.catalog import CENTER_KINDS
from windowdesk.hub.services import admin, city_setup
from windowdesk.hub.services.console_rights import ConsoleActor
from windowdesk.hub.web.console.admin_common import CITY, FORM_REFUSALS, OPERATORS, city_clock, done, flash, refusal
from windowdesk.hub.web.console.session import client_address, current_actor, hub_db, utc_now
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.templating import render
from windowdesk.i18n import N_

router = APIRouter(prefix="/admin")
CENTER_KIND_LABELS = {"city_hall": N_("city service hall"), "street": N_("street center")}
OPERATOR_ROLE_LABELS = {
    "operator": N_("operator"),
    "supervisor": N_("supervisor"),
    "administrator": N_("administrator"),
}


def _city_page(
    request: Request,
    actor: ConsoleActor,
    *,
    error: str | None = None,
    status_code: int = 200,
    form: dict[str, str] | None = None,
) -> Response:
    with hub_db(request).read() as session:
        org = city_setup.organisation(session, by=actor)
        return render(
            request,
            "console/admin/city.html",
            console_context(
                actor,
                org=org,
                kinds=CENTER_KINDS,
                kind_labels=CENTER_KIND_LABELS,
                flash=flash(request),
                error=error,
                form=form or {},
            ),
            status_code=status_code,
        )


@router.get("/city")
def city_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _city_page(request, actor)


@router.post("/centers", dependencies=[Depends(require_csrf)])
def save_center(
    request: Request,
    code: str = Form(""),
    name: str = Form(""),
    kind: str = Form("street"),
    timezone: str = Form("Asia/Shanghai"),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    try:
        with hub_db(request).write() as session:
            city_setup.save_center(
                session,
                by=actor,
                code=code.strip().upper(),
                name=name,
                kind=kind,
                timezone=timezone.strip() or "Asia/Shanghai",
                now=utc_now(),
                address=client_address(request),
            )
    except FORM_REFUSALS as refused:
        return _city_page(
            request,
            actor,
            error=refusal(request, refused),
            status_code=400,
            form={"center_code": code, "center_name": name},
        )
    return done(CITY, "center")


@router.post("/windows", dependencies=[Depends(require_csrf)])
def save_window(
    request: Request,
    center: str = Form(""),
    code: str = Form(""),
    name: str = Form(""),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    try:
        with hub_db(request).write() as session:
            city_setup.save_window(
                session,
                by=actor,
                center_code=center,
                code=code.strip(),
                name=name,
                now=utc_now(),
                address=client_address(request),
            )
    except FORM_REFUSALS as refused:
        return _city_page(
            request,
            actor,
            error=refusal(request, refused),
            status_code=400,
            form={"window_code": code, "window_name": name},
        )
    return done(CITY, "window")


@router.post("/departments", dependencies=[Depends(require_csrf)])
def save_department(
    request: Request, code: str = Form(""), name: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        with hub_db(request).write() as session:
            city_setup.save_department(
                session, by=actor, code=code.strip().upper(), name=name, now=utc_now(), address=client_address(request)
            )
    except FORM_REFUSALS as refused:
        return _city_page(
            request,
            actor,
            error=refusal(request, refused),
            status_code=400,
            form={"department_code": code, "department_name": name},
        )
    return done(CITY, "department")


# --- operators ---------------------------------------------------------------------------------


def _operators_page(
    request: Request,
    actor: ConsoleActor,
    *,
    error: str | None = None,
    status_code: int = 200,
    form: dict[str, str] | None = None,
) -> Response:
    with hub_db(request).read() as session:
        org = city_setup.organisation(session, by=actor)
        rows = [
            {
                "login": o.login,
                "name": o.display_name,
                "role": o.role,
                "center": o.center_code,
                "active": o.active,
                "updated": city_clock(session, o.updated_at),
            }
            for o in city_setup.operators(session, by=actor)
        ]
        return render(
            request,
            "console/admin/operators.html",
            console_context(
                actor,
                operators=rows,
                centers=org.centers,
                roles=admin.OPERATOR_ROLES,
                role_labels=OPERATOR_ROLE_LABELS,
                flash=flash(request),
                error=error,
                form=form or {},
            ),
            status_code=status_code,
        )


@router.get("/operators")
def operators_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _operators_page(request, actor)


@router.post("/operators", dependencies=[Depends(require_csrf)])
def publish_operator(
    request: Request,
    login: str = Form(""),
    name: str = Form(""),
    center: str = Form(""),
    role: str = Form("operator"),
    password: str = Form(""),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    try:
        with hub_db(request).write(feed=True) as session:
            city_setup.publish_operator(
                session,
                by=actor,
                login=login,
                display_name=name,
                center_code=center,
                role=role,
                password=password or None,
                now=utc_now(),
                address=client_address(request),
            )
    except FORM_REFUSALS as refused:
        return _operators_page(
            request,
            actor,
            error=refusal(request, refused),
            status_code=400,
            form={"login": login, "name": name, "center": center, "role": role},
        )
    return done(OPERATORS, "operator")


@router.post("/operators/password", dependencies=[Depends(require_csrf)])
def reset_operator_password(
    request: Request, login: str = Form(""), password: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        with hub_db(request).write(feed=True) as session:
            city_setup.reset_operator_password(
                session, by=actor, login=login, password=password, now=utc_now(), address=client_address(request)
            )
    except FORM_REFUSALS as refused:
        return _operators_page(request, actor, error=refusal(request, refused), status_code=400)
    return done(OPERATORS, "operator-password")


@router.post("/operators/active", dependencies=[Depends(require_csrf)])
def set_operator_active(
    request: Request, login: str = Form(""), active: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    enabled = active == "yes"
    try:
        with hub_db(request).write(feed=True) as session:
            city_setup.set_operator_active(
                session, by=actor, login=login, active=enabled, now=utc_now(), address=client_address(request)
            )
    except FORM_REFUSALS as refused:
        return _operators_page(request, actor, error=refusal(request, refused), status_code=400)
    return done(OPERATORS, "operator-enabled" if enabled else "operator-disabled")
