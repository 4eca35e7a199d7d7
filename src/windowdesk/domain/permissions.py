"""Who may do what. The services check these on every call, whatever calls them."""

from __future__ import annotations

from enum import Enum, StrEnum


class Role(StrEnum):
    """The window's roles, as stored in operators.role (the window's and the hub's: the
    models read them back as these members and refuse any other value). A StrEnum, so that
    a member prints as the plain value a stored role always printed as."""

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
    TAKE_PAYMENT = "payment.take"
    APPROVE_VOID = "payment.approve_void"
    CLOSE_DAY = "day.close"
    CONFIRM_DAY_CLOSE = "day.confirm_close"
    RECORD_SERVICE_QUALITY = "service_quality.record"
    HANDLE_SERVICE_QUALITY = "service_quality.handle"
    VIEW_REPORTS = "report.view"
    CONFIGURE_DEVICES = "devices.configure"
    REISSUE_QUERY_CODE = "case.reissue_query_code"


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
    # Operators take money and close their till; taking money back and accepting the
    # count are a supervisor's (中心负责人) word, typed in at the operator's workstation.
    Permission.TAKE_PAYMENT: _EVERYONE,
    Permission.APPROVE_VOID: _SUPERVISORS,
    # A new query code (查询密码) for an applicant who lost theirs: the old one stops working.
    Permission.REISSUE_QUERY_CODE: _SUPERVISORS,
    Permission.CLOSE_DAY: _EVERYONE,
    Permission.CONFIRM_DAY_CLOSE: _SUPERVISORS,
    # Anyone at a window takes a rating, a first inquiry or a complaint; following one
    # up (outcome, reply, rectification) and reading the assessment are a supervisor's.
    Permission.RECORD_SERVICE_QUALITY: _EVERYONE,
    Permission.HANDLE_SERVICE_QUALITY: _SUPERVISORS,
    Permission.VIEW_REPORTS: _SUPERVISORS,
    # Which library drives the ID card reader is the workstation's set-up: a library is
    # code loaded into the counter's process.
    Permission.CONFIGURE_DEVICES: frozenset({Role.ADMINISTRATOR}),
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
        Permission.TAKE_PAYMENT: _("take payments"),
        Permission.APPROVE_VOID: _("approve voiding a receipt"),
        Permission.CLOSE_DAY: _("close the day's till"),
        Permission.CONFIRM_DAY_CLOSE: _("confirm a day close"),
        Permission.RECORD_SERVICE_QUALITY: _("record ratings, inquiries and complaints"),
        Permission.HANDLE_SERVICE_QUALITY: _("follow up ratings and complaints"),
        Permission.VIEW_REPORTS: _("read performance reports"),
        Permission.CONFIGURE_DEVICES: _("set up the devices of this workstation"),
        Permission.REISSUE_QUERY_CODE: _("issue a new query code for a case"),
    }[permission]
