"""Who may do what. The services check these on every call, whatever calls them."""

from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"


class Permission(str, Enum):
    SEARCH_CATALOG = "catalog.search"
    FIND_APPLICANT = "applicant.find"
    REGISTER_APPLICANT = "applicant.register"
    VIEW_FULL_ID = "applicant.view_full_id"
    DECIDE_INTAKE = "intake.decide"
    VIEW_DAY_WORK = "worklist.view"
    PRINT_DOCUMENT = "document.print"
    MANAGE_OPERATORS = "operators.manage"
    VIEW_AUDIT = "audit.view"
    ENROLL_WORKSTATION = "workstation.enroll"
    SYNC = "sync.run"
    REVIEW_REJECTED_SYNC = "sync.review_rejected"


_EVERYONE = frozenset(Role)
_SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})

GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.SEARCH_CATALOG: _EVERYONE,
    Permission.FIND_APPLICANT: _EVERYONE,
    Permission.REGISTER_APPLICANT: _EVERYONE,
    Permission.VIEW_FULL_ID: _SUPERVISORS,
    Permission.DECIDE_INTAKE: _EVERYONE,
    Permission.VIEW_DAY_WORK: _EVERYONE,
    Permission.PRINT_DOCUMENT: _EVERYONE,
    Permission.MANAGE_OPERATORS: _SUPERVISORS,
    Permission.VIEW_AUDIT: _SUPERVISORS,
    Permission.ENROLL_WORKSTATION: frozenset({Role.ADMINISTRATOR}),
    Permission.SYNC: _EVERYONE,
    Permission.REVIEW_REJECTED_SYNC: _SUPERVISORS,
}


def is_allowed(role: str, permission: Permission) -> bool:
    try:
        return Role(role) in GRANTS[permission]
    except ValueError:
        return False


def permission_label(permission: Permission) -> str:
    from windowdesk.i18n import _

    return {
        Permission.SEARCH_CATALOG: _("search the catalog"),
        Permission.FIND_APPLICANT: _("look up applicants"),
        Permission.REGISTER_APPLICANT: _("register applicants"),
        Permission.VIEW_FULL_ID: _("see whole ID numbers"),
        Permission.DECIDE_INTAKE: _("accept, notify or refuse applications"),
        Permission.VIEW_DAY_WORK: _("see the day's work"),
        Permission.PRINT_DOCUMENT: _("print documents"),
        Permission.MANAGE_OPERATORS: _("manage operator accounts"),
        Permission.VIEW_AUDIT: _("read the audit log"),
        Permission.ENROLL_WORKSTATION: _("enroll this workstation with the hub"),
        Permission.SYNC: _("sync with the hub"),
        Permission.REVIEW_REJECTED_SYNC: _("review changes the hub refused"),
    }[permission]
