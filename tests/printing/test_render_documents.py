"""Every document rendered from real demo records, read back from the PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import re

import pypdf
import pytest
from reportlab.graphics.barcode.qr import QrCodeWidget

from windowdesk.domain.money import amount_in_capitals
from windowdesk.printing import fonts
from windowdesk.printing.data import ReceiptLine
from windowdesk.printing.paper import MM, PaperFormat
from windowdesk.printing.render import render_document
from windowdesk.printing.samples import sample_fee_receipt, sample_ticket, sample_utility_receipt
from windowdesk.services import documents

from .conftest import DEMO_ID, DEMO_MASKED, all_text, page_texts, squash


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _qr_forms(pdf: bytes, page: int = 0) -> dict[str, pypdf.generic.StreamObject]:
    resources = _reader(pdf).pages[page]["/Resources"]
    xobjects = resources.get("/XObject", {})
    return {
        name: ref.get_object()
        for name, ref in xobjects.items()
        if ref.get_object().get("/Subtype") == "/Form" and name.startswith("/FormXob.qr")
    }


def _qr_modules_in_pdf(form) -> set[tuple[int, int]]:
    """The dark modules of the QR code drawn in a form XObject, as (row, column)."""
    ops = form.get_data().decode("latin-1")
    number = r"(-?[\d.]+)"
    rects = [tuple(map(float, m)) for m in re.findall(rf"{number} {number} {number} {number} re", ops)]
    assert len(rects) > 20, "no QR modules in the form"
    module = min(h for _x, _y, _w, h in rects)
    left = min(x for x, _y, _w, _h in rects)
    top = max(y for _x, y, _w, _h in rects)
    cells = set()
    for x, y, w, _h in rects:
        row = round((top - y) / module)
        first = round((x - left) / module)
        cells.update((row, first + i) for i in range(round(w / module)))
    return cells


def _expected_modules(value: str) -> set[tuple[int, int]]:
    qr = QrCodeWidget(value, barLevel="M").qr
    qr.make()
    return {(r, c) for r, row in enumerate(qr.modules) for c, dark in enumerate(row) if dark}


def assert_qr_of(pdf: bytes, value: str) -> None:
    forms = _qr_forms(pdf)
    assert len(forms) == 1, f"expected one QR form XObject, found {list(forms)}"
    ((name, form),) = forms.items()
    assert name == "/FormXob.qr" + hashlib.sha1(value.encode()).hexdigest()[:16]
    assert _qr_modules_in_pdf(form) == _expected_modules(value), "the QR code does not encode the number"


# --- the three decisions ------------------------------------------------------------


def test_acceptance_receipt_says_everything_the_applicant_needs(decided, chinese):
    data = documents.acceptance_receipt_data(decided.db, decided.ctx, decided.case.id)
    pdf = render_document(data)
    text = all_text(pdf)
    d = data.promised_date
    for expected in (
        "受理回执",
        decided.case.number,
        DEMO_MASKED,
        "王建国",
        "房屋产权登记（住房）",
        "市政务服务中心",
        "综合受理窗口",
        "王晓燕",
        f"{d.year}年{d.month}月{d.day}日",
        "2026年11月25日10:30",
    ):
        assert squash(expected) in text, expected
    assert DEMO_ID not in text
    assert "补打" not in text
    assert_qr_of(pdf, decided.case.number)


def test_notification_slip_lists_every_missing_material_once(decided, chinese):
    data = documents.notification_slip_data(decided.db, decided.ctx, decided.notification.id)
    assert len(data.entries) == 2
    pdf = render_document(data)
    text = all_text(pdf)
    for expected in (
        "一次性告知单",
        decided.notification.number,
        DEMO_MASKED,
        "城市医疗救助申请",
        "0464-8290101",
        "收入证明未加盖公章",
        "缺少",
        "需补正",
    ):
        assert squash(expected) in text, expected
    for entry in data.entries:
        assert squash(entry.name) in text
        assert squash(entry.requirement) in text
    assert squash(data.legal_basis) in text
    assert DEMO_ID not in text


def test_refusal_notice_gives_reason_basis_and_remedies(decided, chinese):
    data = documents.refusal_notice_data(decided.db, decided.ctx, decided.refusal.id)
    text = all_text(render_document(data))
    for expected in (
        "不予受理通知书",
        decided.refusal.number,
        DEMO_MASKED,
        data.reason,
        data.legal_basis,
        "行政复议",
        "行政诉讼",
        "60日内",
        "6个月内",
    ):
        assert squash(expected) in text, expected
    assert DEMO_ID not in text


# --- receipts -----------------------------------------------------------------------


def test_fee_receipt_shows_the_amount_in_figures_and_capitals(decided, chinese):
    case = documents.acceptance_receipt_data(decided.db, decided.ctx, decided.case.id)
    data = sample_fee_receipt(
        case.issuer,
        payer=case.applicant,
        case_number=case.case_number,
        item_name=case.item_name,
        department_name=case.department_name,
        paid_at=decided.ctx.now(),
    )
    assert data.total_fen == 9000
    pdf = render_document(data)
    text = all_text(pdf)
    for expected in (
        "收费收据",
        data.receipt_number,
        "¥90.00",
        "玖拾元整",
        "现金",
        DEMO_MASKED,
        case.case_number,
        "住房登记费",
    ):
        assert squash(expected) in text, expected
    assert DEMO_ID not in text
    assert_qr_of(pdf, case.case_number)
    width, _height = _reader(pdf).pages[0].mediabox.upper_right
    assert float(width) == pytest.approx(80 * MM)


@pytest.mark.parametrize(
    "fen, capitals", [(3050, "叁拾元伍角"), (12000, "壹佰贰拾元整"), (5, "伍分"), (1_000_100_00, "壹佰万零壹佰元整")]
)
def test_utility_receipt_capitals(decided, chinese, fen, capitals):
    case = documents.acceptance_receipt_data(decided.db, decided.ctx, decided.case.id)
    data = dataclasses.replace(
        sample_utility_receipt(case.issuer, payer=case.applicant, paid_at=decided.ctx.now()),
        lines=(ReceiptLine("居民生活用水", fen),),
    )
    assert amount_in_capitals(fen) == capitals
    text = all_text(render_document(data))
    for expected in ("便民缴费收据", "水费", data.receipt_number, capitals, "0102-335871"):
        assert squash(expected) in text, expected


# --- guide, reports, ticket -----------------------------------------------------------


def test_service_guide_has_every_material_and_the_legal_basis(decided, chinese):
    data = documents.service_guide_data(decided.db, decided.ctx, "MZ-002")
    text = all_text(render_document(data))
    assert "办事指南" in text and "城市医疗救助申请" in text
    for material, _required in data.materials:
        assert squash(material.name) in text
    for step in data.procedure:
        assert squash(step) in text
    assert squash(data.legal_basis) in text


def test_day_report_counts_the_day(decided, chinese):
    data = documents.day_report_data(decided.db, decided.ctx, dt.date(2026, 11, 25))
    assert (data.accepted, data.notified, data.refused) == (1, 1, 1)
    text = all_text(render_document(data))
    for expected in (
        "日结单",
        "2026年11月25日",
        "房屋产权登记（住房）",
        "城市医疗救助申请",
        decided.case.number,
        "¥0.00",
        "零元整",
    ):
        assert squash(expected) in text, expected


def test_case_list_shows_every_record_masked(decided, chinese):
    data = documents.case_list_data(decided.db, decided.ctx, dt.date(2026, 11, 25))
    text = all_text(render_document(data))
    for result in (decided.case, decided.notification, decided.refusal):
        assert result.number in text
    assert text.count(DEMO_MASKED) == 3 and DEMO_ID not in text


def test_queue_ticket(decided, chinese):
    case = documents.acceptance_receipt_data(decided.db, decided.ctx, decided.case.id)
    text = all_text(render_document(sample_ticket(case.issuer, taken_at=decided.ctx.now())))
    assert "排队号" in text and "A023" in text and "综合受理" in text


# --- reprints, long lists, paper, fonts ---------------------------------------------------


def _every_document(decided):
    ctx, db = decided.ctx, decided.db
    case = documents.acceptance_receipt_data(db, ctx, decided.case.id)
    day = dt.date(2026, 11, 25)
    return [
        case,
        documents.notification_slip_data(db, ctx, decided.notification.id),
        documents.refusal_notice_data(db, ctx, decided.refusal.id),
        sample_fee_receipt(
            case.issuer,
            payer=case.applicant,
            case_number=case.case_number,
            item_name=case.item_name,
            department_name="",
            paid_at=ctx.now(),
        ),
        sample_utility_receipt(case.issuer, payer=case.applicant, paid_at=ctx.now()),
        documents.service_guide_data(db, ctx, "FC-001"),
        documents.day_report_data(db, ctx, day),
        documents.case_list_data(db, ctx, day),
        sample_ticket(case.issuer, taken_at=ctx.now()),
    ]


def test_a_reprint_says_so_on_every_page(decided, chinese):
    for data in _every_document(decided):
        pages = page_texts(render_document(data, reprint=True))
        assert all("补打" in page for page in pages), type(data).__name__
        assert "补打" not in all_text(render_document(data, reprint=False)), type(data).__name__


def _long_slip(decided, count: int):
    data = documents.notification_slip_data(decided.db, decided.ctx, decided.notification.id)
    entries = tuple(
        dataclasses.replace(data.entries[i % 2], name=f"材料{i + 1:03d}号", note=f"第{i + 1}项须补正")
        for i in range(count)
    )
    return dataclasses.replace(data, entries=entries)


@pytest.mark.parametrize("paper", [PaperFormat.A4, PaperFormat.A5, PaperFormat.ROLL_80])
def test_120_materials_flow_onto_numbered_pages_with_headers(decided, chinese, paper):
    data = _long_slip(decided, 120)
    pdf = render_document(data, paper=paper)
    pages = page_texts(pdf)
    total = len(pages)
    assert total > 1
    for number, page in enumerate(pages, start=1):
        assert data.notification_number in page
        assert "一次性告知单" in page
        assert f"第{number}页/共{total}页" in page
    text = "".join(pages)
    for i in range(120):
        assert f"材料{i + 1:03d}号" in text
    reader = _reader(pdf)
    widths = {round(float(p.mediabox.width) / MM) for p in reader.pages}
    assert widths == {80 if paper is PaperFormat.ROLL_80 else 210 if paper is PaperFormat.A4 else 148}


def test_300_row_case_list_repeats_its_column_headings(decided, chinese):
    data = documents.case_list_data(decided.db, decided.ctx, dt.date(2026, 11, 25))
    row = data.rows[0]
    rows = tuple(dataclasses.replace(row, number=f"CH-20261125-01-{i:04d}") for i in range(1, 301))
    pages = page_texts(render_document(dataclasses.replace(data, rows=rows)))
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert "办件清单" in page and "处理结果" in page and "申请人" in page, f"page {number} lacks the headings"
        assert f"第{number}页/共{len(pages)}页" in page
    text = "".join(pages)
    assert all(f"CH-20261125-01-{i:04d}" in text for i in range(1, 301))


def test_a_value_longer_than_a_page_continues_instead_of_failing(decided, chinese):
    data = _long_slip(decided, 3)
    # Three pages of one note: longer ones cost far more to lay out (ReportLab wraps the rest
    # of a split paragraph again on each page: 900 clauses, 7 pages, took 1.2 s of CPU).
    huge = "".join(f"第{i}条规定。" for i in range(1, 300))
    data = dataclasses.replace(data, entries=(dataclasses.replace(data.entries[0], note=huge),))
    pages = page_texts(render_document(data, paper=PaperFormat.A5))
    assert len(pages) > 2
    assert "第299条规定" in "".join(pages)


def fonts_named(reader: pypdf.PdfReader) -> list[str]:
    names = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.append(str(font.get_object()["/BaseFont"]))
    return names


def test_fonts_are_embedded_subsets_and_registered_once(decided):
    for data in _every_document(decided):
        pdf = render_document(data)
        reader = _reader(pdf)
        embedded = set()
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendants = font.get("/DescendantFonts")
                target = descendants[0].get_object() if descendants else font
                descriptor = target.get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    embedded.add(str(target["/BaseFont"]))
        assert any("DroidSansFallback" in name for name in embedded), embedded
        assert any("BitstreamVeraSans" in name for name in embedded), embedded
        assert all(re.match(r"/?[A-Z]{6}\+", name) for name in embedded), embedded
        not_embedded = set(fonts_named(reader)) - embedded
        assert not not_embedded, f"fonts used but not embedded: {not_embedded}"
    assert fonts.registration_count() == 1


def test_the_late_case_list_flows_with_its_headings_on_every_page(decided, chinese):
    from windowdesk.domain.time_limits import ClockState, Light
    from windowdesk.services import cases

    def clock(i: int) -> cases.CaseClock:
        late = i % 4 != 0
        state = ClockState(
            used=12,
            suspended=0,
            promised_left=-i if late else 1,
            legal_left=8 - i % 10,
            promised_due=dt.date(2026, 11, 2),
            legal_due=dt.date(2026, 12, 1),
            light=Light.RED if late else Light.YELLOW,
        )
        return cases.CaseClock(f"id-{i}", f"CH-20261020-01-{i:04d}", "城市居民最低生活保障申请", "in_progress", state)

    found = [clock(i) for i in range(1, 241)]
    pages = page_texts(cases.late_list_pdf(decided.db, decided.ctx, found, whole_center=True))
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert "临近或超过承诺期限的办件清单" in page and "剩余工作日" in page, f"page {number} lacks the headings"
        assert f"第{number}页/共{len(pages)}页" in page
    text = "".join(pages)
    assert all(f"CH-20261020-01-{i:04d}" in text for i in range(1, 241))
    assert "已超期（红灯）180" in text and "即将到期（黄灯）60" in text and "全中心" in text
