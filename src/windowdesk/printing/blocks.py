"""The pieces documents are made of: styles, paragraphs, tables, QR code, amounts.

Every size is derived from the paper (``Sheet``), so the same document reads well on
A4, A5 and the 80 mm roll; table columns are fractions of the printable width, so
nothing is ever wider than the paper. Labels go through ``_``: with the zh_CN locale
the documents print in Chinese.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from windowdesk.domain.money import amount_in_capitals, format_yuan
from windowdesk.i18n import N_, _, format_date
from windowdesk.printing.data import Applicant, Issuer, ProxyDetails
from windowdesk.printing.fonts import LATIN, ensure_fonts, markup, string_width
from windowdesk.printing.linebreak import RuledParagraph
from windowdesk.printing.paper import GEOMETRY, MM, PaperFormat, PaperGeometry

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from windowdesk.printing.data import FeeReceiptData, ReceiptLine, UtilityReceiptData

GRID = colors.HexColor("#555555")
# Tables default to Helvetica for their cells, which would put a font we do not embed
# into the PDF even though every cell holds a Paragraph in our own fonts.
OUR_FONT = ("FONTNAME", (0, 0), (-1, -1), LATIN)
HEADER_FILL = colors.HexColor("#e8e8e8")

PAYMENT_METHODS = {
    "cash": N_("Cash"),
    "bank_card": N_("Bank card"),
    "mobile": N_("Mobile payment"),
    "waived": N_("Waived"),
}


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    big: ParagraphStyle  # a ticket number, a total


def _styles(geometry: PaperGeometry) -> Styles:
    size = geometry.body_size

    def style(name: str, font_size: float, **extra: Any) -> ParagraphStyle:
        # wordWrap CJK: Chinese has no spaces, so lines may break between any two
        # characters; without it a long item name would run off the paper.
        extra.setdefault("leading", font_size * 1.45)
        return ParagraphStyle(name, fontName=LATIN, fontSize=font_size, wordWrap="CJK", **extra)

    return Styles(
        body=style("body", size, spaceAfter=size * 0.3),
        small=style("small", size * 0.82),
        cell=style("cell", size * 0.9),
        title=style("title", size * 1.75, alignment=TA_CENTER, spaceAfter=size * 0.5),
        subtitle=style("subtitle", size, alignment=TA_CENTER, spaceAfter=size * 0.6),
        heading=style("heading", size * 1.1, spaceBefore=size * 0.7, spaceAfter=size * 0.3),
        big=style("big", size * 3.2, alignment=TA_CENTER, leading=size * 3.8),
    )


@dataclass(frozen=True)
class Sheet:
    """The paper a document is laid out for."""

    paper: PaperFormat
    geometry: PaperGeometry
    styles: Styles

    @classmethod
    def of(cls, paper: PaperFormat) -> Sheet:
        ensure_fonts()
        paper = PaperFormat(paper)
        geometry = GEOMETRY[paper]
        return cls(paper, geometry, _styles(geometry))

    @property
    def width(self) -> float:
        return self.geometry.content_width

    @property
    def is_roll(self) -> bool:
        return self.geometry.is_roll


# --- words -----------------------------------------------------------------------


def long_date(value: dt.date) -> str:
    """A date as the document's language writes it: 2026年12月7日, December 7, 2026."""
    return format_date(value, "long")


def local_day(value: dt.datetime, zone: str) -> dt.date:
    return value.astimezone(ZoneInfo(zone)).date()


def local_time(value: dt.datetime, zone: str) -> str:
    """A moment in the center's zone: its date as the language writes it, then the time
    on the 24-hour clock (2026年12月7日 10:16)."""
    local = value.astimezone(ZoneInfo(zone))
    return f"{long_date(local.date())} {local:%H:%M}"


def yuan(fen: int) -> str:
    return "\u00a5" + format_yuan(fen, grouping=True)


def payment_method_label(code: str) -> str:
    return _(PAYMENT_METHODS[code]) if code in PAYMENT_METHODS else code


def payment_rows(receipt: FeeReceiptData | UtilityReceiptData) -> list[tuple[str, str]]:
    """How a receipt was paid: the method, and the cash handed over and given back, the
    terminal's reference, or why the fee was waived."""
    rows = [(_("Payment method"), payment_method_label(receipt.payment_method))]
    if receipt.tendered_fen is not None:
        rows.append((_("Cash received"), yuan(receipt.tendered_fen)))
        rows.append((_("Change given"), yuan(receipt.change_fen or 0)))
    if receipt.reference:
        rows.append((_("Terminal reference"), receipt.reference))
    if receipt.payment_method == "waived":
        rows.append((_("Waived because"), receipt.waiver_reason))
        rows.append((_("Amount collected"), yuan(0)))
    return rows


def applicant_text(applicant: Applicant) -> str:
    return f"{applicant.name}  {applicant.masked_id}".strip()


def window_text(issuer: Issuer) -> str:
    return _("Window {code} {name}").format(code=issuer.window_code, name=issuer.window_name).strip()


# --- flowables ---------------------------------------------------------------------


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return RuledParagraph(markup(text), style)


def gap(sheet: Sheet, lines: float = 1.0) -> Spacer:
    return Spacer(1, sheet.geometry.body_size * 1.2 * lines)


def field_table(
    sheet: Sheet, rows: list[tuple[str, str]], *, label_share: float = 0.28, width: float | None = None
) -> Table:
    """Label / value pairs, the labels in a narrow first column."""
    share = 0.36 if sheet.is_roll else label_share
    width = width or sheet.width
    cell = sheet.styles.cell
    data = [[para(label, cell), para(value, cell)] for label, value in rows]
    # splitInRow: a value longer than a page (a pasted legal text) continues on the next
    # page instead of failing the whole document.
    table = Table(data, colWidths=[width * share, width * (1 - share)], hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                OUR_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


_CELL_PADDING = 2.5
# Room for rounding, so a text measured to fit is never wrapped by reportlab's own sums.
_FIT_SLACK = 0.5
# A run of characters no line may break inside: neither white space nor CJK (U+2E80 on).
_UNBREAKABLE = re.compile(r"[^\s\u2e80-\U0010ffff]+")


def _line_width(text: str, size: float) -> float:
    """The width of the longest line of ``text`` set on one line."""
    return max(string_width(line, size) for line in str(text).split("\n")) + _FIT_SLACK


def _longest_word_width(text: str, size: float) -> float:
    """The width of the widest run that may not be broken (a case number, a date, a Latin
    word): Chinese may break between any two characters, such a run only when it is
    longer than its line (printing/linebreak.py)."""
    words = _UNBREAKABLE.findall(str(text))
    return max((string_width(word, size) for word in words), default=0.0) + _FIT_SLACK


def fitted_widths(
    natural: Sequence[float], shares: Sequence[float], available: float, least: Sequence[float] | None = None
) -> list[float]:
    """Column widths for a table ``available`` wide whose columns need ``natural`` widths
    to set every cell on one line, and at ``least`` their widest unbreakable run.

    When all fit, each column gets what it needs and the room left over is shared by
    ``shares``. When not, every column first gets its least width (a case number is never
    cut), then the columns that need least more keep all they need (a number, a time, a
    status is never broken) and the widest share the rest equally, wrapping.
    """
    total = sum(natural)
    if total <= available:
        weight = sum(shares)
        return [need + (available - total) * share / weight for need, share in zip(natural, shares, strict=False)]
    floor = [min(need, lowest) for need, lowest in zip(natural, least or [0.0] * len(natural), strict=True)]
    if sum(floor) >= available:  # even the unbreakable runs do not fit: shrink them alike
        return [width * available / sum(floor) for width in floor]
    extra = [need - lowest for need, lowest in zip(natural, floor, strict=True)]
    remaining, cap = available - sum(floor), 0.0
    ordered = sorted(extra)
    for index, need in enumerate(ordered):
        cap = remaining / (len(ordered) - index)
        if need > cap:
            break
        remaining -= need
    return [lowest + min(need, cap) for lowest, need in zip(floor, extra, strict=True)]


def list_table(
    sheet: Sheet, header: list[str], rows: list[list[str]], shares: list[float], *, compact: bool = False
) -> Table:
    """A ruled table whose header row repeats at the top of every page it flows onto.

    Each column is as wide as its content needs (``fitted_widths``); ``shares`` say how
    the room to spare is shared. ``compact`` sets it smaller, for reports of hundreds of rows.
    """
    cell = sheet.styles.small if compact or sheet.is_roll else sheet.styles.cell
    data = [[para(text, cell) for text in header]]
    data += [[para(text, cell) for text in row] for row in rows]
    columns = list(zip(header, *rows, strict=False))
    natural = [max(_line_width(text, cell.fontSize) for text in column) + 2 * _CELL_PADDING for column in columns]
    least = [max(_longest_word_width(text, cell.fontSize) for text in column) + 2 * _CELL_PADDING for column in columns]
    table = Table(
        data,
        colWidths=fitted_widths(natural, shares, sheet.width, least),
        repeatRows=1,
        hAlign="LEFT",
        splitInRow=1,
    )
    table.setStyle(
        TableStyle(
            [
                OUR_FONT,
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def numbered(items: tuple[str, ...] | list[str], sheet: Sheet) -> list[Paragraph]:
    if not items:
        return [para(_("None"), sheet.styles.body)]
    return [para(f"{index}. {text}", sheet.styles.body) for index, text in enumerate(items, start=1)]


def amount_table(sheet: Sheet, total_fen: int) -> Table:
    """The total in figures and in Chinese capital numerals (大写) after the currency's
    name (人民币), as receipts require."""
    return field_table(
        sheet,
        [
            (_("Amount in figures"), yuan(total_fen)),
            (_("Amount in words"), _("RMB {capitals}").format(capitals=amount_in_capitals(total_fen))),
        ],
    )


def _seal_cell(sheet: Sheet, issuer: Issuer, day: dt.date) -> tuple[list[Flowable], float]:
    """The center's name with "（盖章）" and the date of issue under it; and its width."""
    style = ParagraphStyle("seal", parent=sheet.styles.body, alignment=TA_CENTER, spaceAfter=0)
    lines = [_("{center} (seal)").format(center=issuer.center_name), long_date(day)]
    width = max(string_width(line, style.fontSize) for line in lines) + 8 * MM
    return [para(line, style) for line in lines], width


def signature_table(sheet: Sheet, labels: list[str]) -> Table:
    """Lines to sign on, side by side on sheets, one under another on a roll."""
    cell = sheet.styles.cell
    if sheet.is_roll:
        data = [[para(f"{label}: ______________", cell)] for label in labels]
        return Table(data, colWidths=[sheet.width], hAlign="LEFT", style=[OUR_FONT])
    data = [[para(f"{label}: ________________", cell) for label in labels]]
    return Table(data, colWidths=[sheet.width / len(labels)] * len(labels), hAlign="LEFT", style=[OUR_FONT])


def signatures_and_seal(sheet: Sheet, labels: list[str], issuer: Issuer, day: dt.date) -> Table:
    """The close of an official document: lines to sign on, and where the issuing center
    stamps its seal, its name with "（盖章）" over the date of issue (2026年12月7日).

    The seal (about 40 mm) is pressed over the name and the date (骑年盖月). On a sheet
    the signatures stand at the left and the seal at the right, beside them, which costs
    an A5 receipt no extra line; on a roll they stand one under the other with room for
    the seal. One table holds it all and is never split at a page break.
    """
    cell = sheet.styles.cell
    seal, seal_width = _seal_cell(sheet, issuer, day)
    if sheet.is_roll:
        signatures = [para(f"{label}: ______________", cell) for label in labels]
        data = [[[*signatures, Spacer(1, 10 * MM), *seal]]]
        style = [OUR_FONT, ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * MM)]
        widths = [sheet.width]
    else:
        signatures = [para(f"{label}: ________________", cell) for label in labels]
        seal_width = min(seal_width, sheet.width / 2)
        data = [[signatures, seal]]
        # An A4 sheet has room to keep the seal off the text above; an A5 receipt has not.
        room = 10 * MM if sheet.paper is PaperFormat.A4 else 1 * MM
        style = [
            OUR_FONT,
            ("TOPPADDING", (0, 0), (-1, -1), room),
            ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1 * MM),
        ]
        widths = [sheet.width - seal_width, seal_width]
    table = Table(data, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([*style, ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


class QrCode(Flowable):
    """A QR code of a case number, so anyone can look the case up.

    Drawn once into a PDF form XObject and placed with ``Do``: a document with the code on
    several pages stores it once. The modules are painted as one path of rectangles
    straight from reportlab's QR encoder (error correction M, a two-module quiet zone);
    going through reportlab's Drawing renderer would pull Helvetica, a font we do not
    embed, into the PDF.
    """

    QUIET_ZONE = 2

    def __init__(self, value: str, size: float, *, align: str = "RIGHT") -> None:
        super().__init__()
        self.value = value
        self.size = size
        self.hAlign = align

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        canvas = self.canv
        name = "qr" + hashlib.sha1(self.value.encode("utf-8")).hexdigest()[:16]
        if not canvas.hasForm(name):
            canvas.beginForm(name, 0, 0, self.size, self.size)
            self._paint_modules(canvas)
            canvas.endForm()
        canvas.doForm(name)

    def _paint_modules(self, canvas: Canvas) -> None:
        qr = QrCodeWidget(self.value, barLevel="M").qr
        qr.make()
        count = qr.getModuleCount()
        box = self.size / (count + 2 * self.QUIET_ZONE)
        path = canvas.beginPath()
        for row_index, row in enumerate(qr.modules):
            y = self.size - (row_index + self.QUIET_ZONE + 1) * box
            column = 0
            for dark, run in itertools.groupby(bool(cell) for cell in row):
                length = len(list(run))
                if dark:
                    path.rect((column + self.QUIET_ZONE) * box, y, length * box, box)
                column += length
        canvas.setFillColor(colors.black)
        canvas.drawPath(path, stroke=0, fill=1)


def qr_size(sheet: Sheet) -> float:
    return 26 * MM if sheet.is_roll else 24 * MM


def case_qr(sheet: Sheet, case_number: str, status_url: str) -> list[Flowable]:
    """The QR code of a case with the case number printed under it.

    The code opens the case's public status page when the hub published one, else it
    holds the case number; the number in plain figures is what a person reads out or
    types at any window.
    """
    centered = ParagraphStyle("qr-caption", parent=sheet.styles.small, alignment=TA_CENTER)
    scan = _("Scan to check the case status")
    caption = f"{case_number}\n{scan}"
    return [QrCode(status_url or case_number, qr_size(sheet), align="CENTER"), para(caption, centered)]


def fields_with_qr(sheet: Sheet, rows: list[tuple[str, str]], case_number: str, status_url: str) -> list[Flowable]:
    """Label / value pairs with the case's QR code (``case_qr``) beside them (below on a
    roll), its column wide enough for the case number on one line."""
    code = case_qr(sheet, case_number, status_url)
    if sheet.is_roll:
        return [field_table(sheet, rows), gap(sheet, 0.5), *code]
    side = max(qr_size(sheet), _line_width(case_number, sheet.styles.small.fontSize)) + 4 * MM
    fields = field_table(sheet, rows, width=sheet.width - side)
    table = Table([[fields, code]], colWidths=[sheet.width - side, side], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                OUR_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [table]


def receipt_lines_table(sheet: Sheet, lines: Sequence[ReceiptLine]) -> Table:
    """The items paid for: description, quantity and amount in yuan."""
    rows = []
    for line in lines:
        quantity = f"{line.quantity} {line.unit}".strip()
        rows.append([line.description, quantity, yuan(line.amount_fen)])
    return list_table(sheet, [_("Item"), _("Qty"), _("Amount")], rows, [5, 1.6, 2.6])


def agent_rows(proxy: ProxyDetails | None) -> list[tuple[str, str]]:
    """帮办代办 on any paper handed to an agent: who came (masked) and the power of attorney's date."""
    if proxy is None:
        return []
    return [
        (_("Agent"), applicant_text(proxy.agent)),
        (_("Power of attorney dated"), long_date(proxy.power_of_attorney_date)),
    ]
