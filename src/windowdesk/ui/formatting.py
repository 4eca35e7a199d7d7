"""How records read on screen: HTML for the guide. Dates and times: windowdesk.screen_dates."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from windowdesk.i18n import _, format_fen
from windowdesk.services.catalog import ItemGuide

if TYPE_CHECKING:
    from collections.abc import Sequence


def tag(name: str, text: str) -> str:
    """Escaped text in one HTML element (keeps _() calls out of f-strings, where the
    message extractor of Python 3.11 cannot see them)."""
    return f"<{name}>{escape(text)}</{name}>"


def yes_no(flag: bool) -> str:
    return _("Yes") if flag else _("No")


def _list(items: Sequence[str]) -> str:
    if not items:
        return tag("p", _("None"))
    return "<ol>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ol>"


def guide_html(guide: ItemGuide) -> str:
    """The full service guide (办事指南) of an item."""
    rows = [
        (_("Department"), guide.department_name),
        (_("Category"), guide.category),
        (_("Legal time limit"), _("{days} working days").format(days=guide.legal_limit_days)),
        (_("Promised time limit"), _("{days} working days").format(days=guide.promised_limit_days)),
        (_("Fee"), guide.fee_summary),
        (
            _("Parallel approval"),
            yes_no(guide.parallel) + (" (" + _(", ").join(guide.parallel_departments) + ")" if guide.parallel else ""),
        ),
        (_("Handled at street centers"), yes_no(guide.street_level)),
        (_("Where"), guide.where),
    ]
    table = "".join(
        f"<tr><th align='left' style='padding-right:12px'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows
    )
    materials = "".join(
        f"<tr><td>{i + 1}</td><td>{escape(mat.name)}</td><td>{escape(yes_no(mat.required))}</td><td>{escape(mat.requirement)}</td></tr>"
        for i, mat in enumerate(guide.materials)
    )
    fees = "".join(
        "<li>{dept}: {desc}{amount}{ex}</li>".format(
            dept=escape(fee.department_name),
            desc=escape(fee.description or fee.kind),
            amount=f" {escape(format_fen(fee.amount_fen))}" if fee.amount_fen is not None else "",
            ex=" (" + escape(_("; ").join(fee.exemptions)) + ")" if fee.exemptions else "",
        )
        for fee in guide.fees
    )
    none_fee = "<li>" + escape(guide.fee_summary) + "</li>"
    return (
        f"<h2>{escape(guide.name)} <small>{escape(guide.code)}</small></h2>"
        f"<table>{table}</table>"
        + tag("h3", _("Preconditions"))
        + _list(guide.preconditions)
        + tag("h3", _("Materials"))
        + "<table border='1' cellpadding='3' cellspacing='0'><tr><th>#</th>"
        + tag("th", _("Material"))
        + tag("th", _("Required"))
        + tag("th", _("What to bring"))
        + f"</tr>{materials}</table>"
        + tag("h3", _("Procedure"))
        + _list(guide.procedure)
        + tag("h3", _("Fee standard"))
        + f"<ul>{fees or none_fee}</ul>"
        + tag("h3", _("Legal basis"))
        + tag("p", guide.legal_basis)
        + tag("p", _("Catalog version") + ": " + guide.catalog_version)
    )
