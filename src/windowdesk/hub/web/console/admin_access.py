"""The administrators' pages of who may reach the hub: workstations (``enroll-code``,
``list-workstations``, ``revoke``), the console's accounts (``create-console-user``,
``console-password``, disabling) and the back-office staff tokens (``staff-token``,
``staff-tokens``, ``revoke-staff-token``).

A new enrollment code or staff token is shown once, on the answer to the form that made it
(never in an address, never again: the hub keeps only its hash)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from windowdesk.hub.services import city_access, city_setup, console_accounts, enrollment
from windowdesk.hub.services.console_rights import ROLE_LABELS, ROLES, ConsoleActor
from windowdesk.hub.web.console.admin_common import (
    ACCOUNTS,
    FORM_REFUSALS,
    WORKSTATIONS,
    center_clock,
    city_clock,
    done,
    flash,
    form_int,
    refusal,
)
from windowdesk.hub.web.console.session import client_address, current_actor, hub_db, utc_now
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.templating import render
from windowdesk.i18n import N_

router = APIRouter(prefix="/admin")
DEFAULT_CODE_HOURS = int(enrollment.DEFAULT_CODE_VALIDITY.total_seconds() // 3600)  # enroll-code's default


def _workstations_page(
    request: Request,
    actor: ConsoleActor,
    *,
    error: str | None = None,
    status_code: int = 200,
    issued: dict[str, str] | None = None,
) -> Response:
    now = utc_now()
    with hub_db(request).read() as session:
        org = city_setup.organisation(session, by=actor)
        windows = [window for center in org.centers for window in org.windows.get(center.code, [])]
        rows = [
            {
                "id": w.id,
                "window": w.window_id,
                "enrolled": center_clock(session, w.center_code, w.enrolled_at),
                "last_push": center_clock(session, w.center_code, w.last_push_at),
                "revoked": center_clock(session, w.center_code, w.revoked_at),
                "version": w.client_version,
            }
            for w in city_access.workstations(session, by=actor)
        ]
        return render(
            request,
            "console/admin/workstations.html",
            console_context(
                actor,
                windows=windows,
                workstations=rows,
                issued=issued,
                flash=flash(request),
                error=error,
                default_hours=DEFAULT_CODE_HOURS,
                max_hours=city_access.MAX_CODE_HOURS,
                now=city_clock(session, now),
            ),
            status_code=status_code,
        )


@router.get("/workstations")
def workstations_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _workstations_page(request, actor)


@router.post("/enrollment-codes", dependencies=[Depends(require_csrf)])
def issue_enrollment_code(
    request: Request, window: str = Form(""), hours: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    center_code = window.rsplit("-", 1)[0]
    try:
        valid_hours = form_int(hours, DEFAULT_CODE_HOURS, N_("hours the code stays valid"))
        with hub_db(request).write() as session:
            code = city_access.issue_enrollment_code(
                session,
                by=actor,
                center_code=center_code,
                window=window,
                valid_hours=valid_hours,
                now=utc_now(),
                address=client_address(request),
            )
            until = center_clock(session, code.center_code, code.expires_at)
    except FORM_REFUSALS as refused:
        return _workstations_page(request, actor, error=refusal(request, refused), status_code=400)
    # Shown once, on this answer (no redirect: the code must not travel in an address).
    return _workstations_page(request, actor, issued={"code": code.code, "window": code.window_id, "until": until})


@router.post("/workstations/revoke", dependencies=[Depends(require_csrf)])
def revoke_workstation(
    request: Request, workstation: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        with hub_db(request).write() as session:
            city_access.revoke_workstation(
                session, by=actor, workstation_id=workstation, now=utc_now(), address=client_address(request)
            )
    except FORM_REFUSALS as refused:
        return _workstations_page(request, actor, error=refusal(request, refused), status_code=400)
    return done(WORKSTATIONS, "revoked")


# --- console accounts and staff tokens ------------------------------------------------------------


def _accounts_page(
    request: Request,
    actor: ConsoleActor,
    *,
    error: str | None = None,
    status_code: int = 200,
    form: dict[str, str] | None = None,
    issued: dict[str, str] | None = None,
) -> Response:
    now = utc_now()
    with hub_db(request).read() as session:
        org = city_setup.organisation(session, by=actor)
        users = [
            {
                "login": u.login,
                "name": u.display_name,
                "role": u.role,
                "department": u.department_code or "",
                "disabled": city_clock(session, u.disabled_at),
                "me": u.id == actor.user_id,
            }
            for u in console_accounts.list_users(session, by=actor)
        ]
        tokens = [
            {
                "id": t.id,
                "department": t.department_code,
                "issued": city_clock(session, t.created_at),
                "expires": city_clock(session, t.expires_at),
                "revoked": city_clock(session, t.revoked_at),
                "expired": t.expires_at <= now,
            }
            for t in city_access.staff_tokens(session, by=actor)
        ]
        return render(
            request,
            "console/admin/accounts.html",
            console_context(
                actor,
                users=users,
                tokens=tokens,
                roles=ROLES,
                role_labels=ROLE_LABELS,
                departments=org.departments,
                issued=issued,
                flash=flash(request),
                error=error,
                form=form or {},
                default_days=enrollment.DEFAULT_STAFF_TOKEN_LIFETIME.days,
                max_days=city_access.MAX_STAFF_TOKEN_DAYS,
            ),
            status_code=status_code,
        )


@router.get("/accounts")
def accounts_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _accounts_page(request, actor)


@router.post("/accounts", dependencies=[Depends(require_csrf)])
def create_account(
    request: Request,
    login: str = Form(""),
    name: str = Form(""),
    role: str = Form(""),
    department: str = Form(""),
    password: str = Form(""),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    try:
        with hub_db(request).write() as session:
            console_accounts.create_user(
                session,
                by=actor,
                login=login,
                display_name=name,
                role=role,
                department_code=department or None,
                password=password,
                now=utc_now(),
                address=client_address(request),
            )
    except FORM_REFUSALS as refused:
        return _accounts_page(
            request,
            actor,
            error=refusal(request, refused),
            status_code=400,
            form={"login": login, "name": name, "role": role, "department": department},
        )
    return done(ACCOUNTS, "account")


@router.post("/accounts/password", dependencies=[Depends(require_csrf)])
def reset_account_password(
    request: Request, login: str = Form(""), password: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        with hub_db(request).write() as session:
            console_accounts.reset_password(
                session, by=actor, login=login, password=password, now=utc_now(), address=client_address(request)
            )
    except FORM_REFUSALS as refused:
        return _accounts_page(request, actor, error=refusal(request, refused), status_code=400)
    return done(ACCOUNTS, "account-password")


@router.post("/accounts/enabled", dependencies=[Depends(require_csrf)])
def set_account_enabled(
    request: Request, login: str = Form(""), enabled: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    turn_on = enabled == "yes"
    try:
        with hub_db(request).write() as session:
            console_accounts.set_enabled(
                session, by=actor, login=login, enabled=turn_on, now=utc_now(), address=client_address(request)
            )
    except FORM_REFUSALS as refused:
        return _accounts_page(request, actor, error=refusal(request, refused), status_code=400)
    return done(ACCOUNTS, "account-enabled" if turn_on else "account-disabled")


@router.post("/staff-tokens", dependencies=[Depends(require_csrf)])
def issue_staff_token(
    request: Request, department: str = Form(""), days: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        valid_days = form_int(days, enrollment.DEFAULT_STAFF_TOKEN_LIFETIME.days, N_("days the token stays valid"))
        with hub_db(request).write() as session:
            token = city_access.issue_staff_token(
                session,
                by=actor,
                department_code=department,
                days=valid_days,
                now=utc_now(),
                address=client_address(request),
            )
            until = city_clock(session, token.expires_at)
    except FORM_REFUSALS as refused:
        return _accounts_page(request, actor, error=refusal(request, refused), status_code=400)
    return _accounts_page(
        request, actor, issued={"token": token.token, "id": token.token_id, "department": department, "until": until}
    )


@router.post("/staff-tokens/revoke", dependencies=[Depends(require_csrf)])
def revoke_staff_token(
    request: Request, token: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        with hub_db(request).write() as session:
            city_access.revoke_staff_token(
                session, by=actor, token_id=token, now=utc_now(), address=client_address(request)
            )
    except FORM_REFUSALS as refused:
        return _accounts_page(request, actor, error=refusal(request, refused), status_code=400)
    return done(ACCOUNTS, "token-revoked")
