"""Blank forms an item publishes for download (表格下载, issue 30): its application form
(申请表), and blank templates of the papers the window fills in for a case, the power of
attorney (授权委托书, printing.proxy_forms) and the commitment to bring deferred materials
(承诺书, printing.deferral_forms), in the same words, with lines to write on where the
window would print the case's data.

They are catalog data: ``python -m windowdesk.printing.blank_forms <catalog folder>``
writes the file of every form of kind application, power_of_attorney or commitment that an
item of the folder's items.json lists (a form of kind "other" is a file its department
gives). The hub publishes them with the catalog; the public guide page offers them and the
window prints the same files. No header or footer band: a blank form names no window,
operator or printing time.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from reportlab.platypus import Flowable, SimpleDocTemplate

from windowdesk.domain.catalog import CatalogItem, load_catalog
from windowdesk.domain.catalog_model import DeferralRule
from windowdesk.i18n import _, current_locale, set_locale
from windowdesk.printing.blocks import Sheet, field_table, gap, list_table, para, signature_table
from windowdesk.printing.deferral_forms import commitment_title
from windowdesk.printing.fonts import LATIN, ensure_fonts
from windowdesk.printing.paper import PaperFormat
from windowdesk.printing.proxy_forms import power_of_attorney_title

BLANK = "________________"
SHORT_BLANK = "________"
GENERATED_KINDS = ("application", "power_of_attorney", "commitment")


def _build(title: str, story: list[Flowable], sheet: Sheet) -> bytes:
    ensure_fonts()
    buffer = io.BytesIO()
    geometry = sheet.geometry
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(geometry.width, geometry.height),
        leftMargin=geometry.margin,
        rightMargin=geometry.margin,
        topMargin=geometry.margin,
        bottomMargin=geometry.margin,
        title=title,
        creator="windowdesk",
        initialFontName=LATIN,
        invariant=1,  # the same catalog gives the same bytes, so the same version
    )
    doc.build(story)
    return buffer.getvalue()


def _requirement(originals: int, copies: int) -> str:
    parts = []
    if originals:
        parts.append(_("{count} original(s)").format(count=originals))
    if copies:
        parts.append(_("{count} copy(ies)").format(count=copies))
    return _("; ").join(parts) or "—"


def _person_rows() -> list[tuple[str, str]]:
    return [(_("Name"), BLANK), (_("ID number"), BLANK), (_("Phone"), BLANK), (_("Address"), BLANK + BLANK)]


def render_application_form(item: CatalogItem, center_name: str, title: str = "") -> bytes:
    """申请表: the applicant, what is applied for, the materials handed in (ticked).
    ``title``: the form's title in the catalog (else one made of the item's name)."""
    sheet = Sheet.of(PaperFormat.A4)
    styles = sheet.styles
    title = title or _("Application form: {item}").format(item=item.name)
    story: list[Flowable] = [
        para(title, styles.title),
        para(f"{center_name} · {item.code}", styles.subtitle),
        para(_("Applicant"), styles.heading),
        field_table(sheet, _person_rows()),
        gap(sheet, 0.5),
        para(_("What is applied for, and why"), styles.heading),
        *(para(BLANK * 3, styles.body) for _line in range(4)),
        para(_("Materials handed in (tick each one)"), styles.heading),
        list_table(
            sheet,
            ["", _("Material"), _("To bring")],
            [["", material.name, _requirement(material.originals, material.copies)] for material in item.materials],
            [0.5, 6, 3.5],
        ),
        gap(sheet, 0.5),
        para(_("I confirm that what I have stated and handed in is true."), styles.body),
        gap(sheet, 1),
        signature_table(sheet, [_("Applicant"), _("Date")]),
    ]
    return _build(title, story, sheet)


def render_blank_power_of_attorney(item: CatalogItem, center_name: str, title: str = "") -> bytes:
    """授权委托书 as printing.proxy_forms words it, the names left to write in (under the
    window paper's own title, whatever ``title`` the catalog gives it)."""
    sheet = Sheet.of(PaperFormat.A4)
    styles = sheet.styles
    story: list[Flowable] = [
        para(power_of_attorney_title(), styles.title),
        para(center_name, styles.subtitle),
        para(
            _(
                "I, {principal}, authorise {agent} to apply on my behalf for \u201c{item}\u201d at {center}: "
                "to hand in and collect materials, to sign the forms of the case and to receive its notices "
                "and its result. I accept as my own what the agent does within this authority, for this "
                "case only."
            ).format(principal=SHORT_BLANK, agent=SHORT_BLANK, item=item.name, center=center_name),
            styles.body,
        ),
        gap(sheet, 0.5),
        para(_("Principal (applicant)"), styles.heading),
        field_table(sheet, _person_rows()),
        para(_("Agent"), styles.heading),
        field_table(sheet, _person_rows()),
        gap(sheet, 0.5),
        field_table(sheet, [(_("Power of attorney dated"), BLANK)]),
        gap(sheet, 1),
        signature_table(sheet, [_("Principal"), _("Agent")]),
    ]
    return _build(power_of_attorney_title(), story, sheet)


def _rule_words(item: CatalogItem) -> str:
    # The words of printing.deferral_forms for the catalog's rule (the same msgids).
    deferral = item.deferral
    if deferral is None:
        return ""
    if deferral.when_missed is DeferralRule.REFUSE:
        return _("If they are not brought by that date, the application is refused ({basis}).").format(
            basis=deferral.legal_basis
        )
    text = _(
        "If they are not brought by that date, the case is suspended until they are; the days it waits do "
        "not count towards its time limit."
    )
    return text + (" " + _("Legal basis: {basis}").format(basis=deferral.legal_basis) if deferral.legal_basis else "")


def render_blank_commitment(item: CatalogItem, center_name: str, title: str = "") -> bytes:
    """承诺书 (容缺受理) as printing.deferral_forms words it: the item's deferrable
    materials listed, the case number, name and date left to write in."""
    sheet = Sheet.of(PaperFormat.A4)
    styles = sheet.styles
    deferrable = [material for material in item.materials if material.deferrable]
    story: list[Flowable] = [
        para(commitment_title(), styles.title),
        para(center_name, styles.subtitle),
        para(
            _(
                "I, {name}, applying for \u201c{item}\u201d (case {number}), commit to bring the materials below "
                "to {center} by {date}. I know what happens if I do not:"
            ).format(name=SHORT_BLANK, item=item.name, number=BLANK, center=center_name, date=BLANK),
            styles.body,
        ),
        gap(sheet, 0.5),
        list_table(
            sheet,
            ["", _("Material to follow"), _("To bring"), _("Bring by")],
            [
                ["", material.name, _requirement(material.originals, material.copies), SHORT_BLANK]
                for material in deferrable
            ],
            [0.5, 4.5, 3.5, 2],
        ),
        gap(sheet, 0.5),
        para(_rule_words(item), styles.body),
        para(_("I confirm that what I have stated and handed in is true."), styles.body),
        field_table(sheet, _person_rows()),
        gap(sheet, 1),
        signature_table(sheet, [_("Applicant (commits)"), _("Date")]),
    ]
    return _build(commitment_title(), story, sheet)


RENDERERS = {
    "application": render_application_form,
    "power_of_attorney": render_blank_power_of_attorney,
    "commitment": render_blank_commitment,
}


def write_forms(folder: Path) -> list[Path]:
    """Write, in Chinese, the file of every generated form the folder's catalog lists."""
    catalog = load_catalog(folder)
    city_hall = next((center for center in catalog.centers if center.is_city_hall), catalog.centers[0])
    before = current_locale()
    set_locale("zh_CN")
    written = []
    try:
        for item in catalog.items:
            for form in item.forms:
                if form.kind not in RENDERERS:
                    continue
                path = folder / form.file
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(RENDERERS[form.kind](item, city_hall.name, form.title))
                written.append(path)
    finally:
        set_locale(before)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the blank forms a catalog folder's items list.")
    parser.add_argument("folder", type=Path)
    for path in write_forms(parser.parse_args(argv).folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
