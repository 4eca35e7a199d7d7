"""Papers a service hall signs and stamps (issue 22): the seal area and the date of issue,
dates in the document's language, tables that fit, slips without a sheet's footer, the
fee receipt's currency and fiscal receipt, the refusal's appeal route, one place to come
back to. Every check reads the rendered PDF back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pypdf
import pytest

from windowdesk.i18n import set_locale
from windowdesk.printing.blocks import fitted_widths
from windowdesk.printing.render import render_document
from windowdesk.printing.samples import sample_fee_receipt, sample_ticket, sample_utility_receipt, sample_void_slip
from windowdesk.services import documents

from .conftest import all_text, page_texts

DAY_ZH = "2026年11月25日"  # the decided records' day (conftest.MOMENT)
DAY_EN = "November 25, 2026"


def _official(decided) -> dict[str, object]:
    db, ctx = decided.db, decided.ctx
    case = documents.acceptance_receipt_data(db, ctx, decided.case.id)
    fee = sample_fee_receipt(
        case.issuer,
        payer=case.applicant,
        case_number=case.case_number,
        item_name=case.item_name,
        department_name=case.department_name,
        paid_at=ctx.now(),
    )
    return {
        "acceptance receipt": case,
        "one-time notification": documents.notification_slip_data(db, ctx, decided.notification.id),
        "refusal notice": documents.refusal_notice_data(db, ctx, decided.refusal.id),
        "fee receipt": fee,
        "utility receipt": sample_utility_receipt(case.issuer, payer=case.applicant, paid_at=ctx.now()),
        "void slip": sample_void_slip(case.issuer, payer=case.applicant, receipt=fee, voided_at=ctx.now()),
    }


def _raw_lines(pdf: bytes) -> list[str]:
    """The extracted lines, spaces and all (a wrapped cell shows as two lines)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [line for page in reader.pages for line in (page.extract_text() or "").splitlines()]


# --- the seal and the date of issue ------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["acceptance receipt", "one-time notification", "refusal notice", "fee receipt", "utility receipt", "void slip"],
)
def test_an_official_document_ends_with_the_seal_area_over_its_date(decided, chinese, name):
    data = _official(decided)[name]
    text = all_text(render_document(data))
    # The center's name with "（盖章）", the date of issue right under it.
    assert "市政务服务中心（盖章）" + DAY_ZH in text, text[-200:]


def test_the_seal_area_speaks_english_on_an_english_document(decided):
    set_locale("en")
    text = all_text(render_document(_official(decided)["refusal notice"]))
    assert "市政务服务中心(seal)" + DAY_EN.replace(" ", "") in text


# --- dates in the document's language ---------------------------------------------------------


def test_dates_are_written_in_chinese_on_chinese_documents(decided, chinese):
    for name, data in _official(decided).items():
        text = all_text(render_document(data))
        assert "2026-11-25" not in text, name
        assert DAY_ZH + "10:30" in text, name  # the moment of the decision or payment


def test_dates_stay_english_on_english_documents(decided):
    set_locale("en")
    data = _official(decided)["one-time notification"]
    text = all_text(render_document(data))
    assert "2026-11-25" not in text and "年" not in text
    assert DAY_EN.replace(" ", "") + "10:30" in text


# --- tables whose columns fit --------------------------------------------------------------------


def test_columns_that_fit_keep_their_needs_and_share_the_rest():
    assert fitted_widths([10, 20, 30], [1, 1, 2], 100) == [20, 30, 50]


def test_when_all_cannot_fit_the_narrow_columns_stay_whole_and_the_widest_wrap():
    widths = fitted_widths([10, 60, 15, 120, 90], [1, 3, 1, 4, 4], 220)
    assert widths[:3] == [10, 60, 15]
    assert widths[3] == widths[4] == pytest.approx((220 - 85) / 2)
    assert sum(widths) == pytest.approx(220)


def test_a_column_never_gets_narrower_than_its_widest_unbreakable_run():
    # A case number needs 60 and its column holds nothing longer; the item and the words
    # beside it need more than there is room for: they wrap, the case number stays whole.
    widths = fitted_widths([60, 200, 150], [1, 4, 2], 220, least=[60, 20, 40])
    assert widths[0] == pytest.approx(60)
    assert sum(widths) == pytest.approx(220)
    # Without the least widths the case number's column would have been cut below 60.
    assert fitted_widths([60, 200, 150], [1, 4, 2], 150)[0] < 60


def test_the_case_watch_list_keeps_each_case_number_whole_beside_long_words():
    from windowdesk.printing.data import Issuer
    from windowdesk.printing.late_list import render_late_list

    issuer = Issuer(
        "市政务服务中心",
        "",
        "",
        "",
        "01",
        "综合受理窗口",
        "",
        "王晓燕",
        "王晓燕",
        dt.datetime(2026, 12, 7, 4, tzinfo=dt.UTC),
    )
    headings = ["Case number", "Item", "Status", "Promised date", "Working days left", "Legal days left"]
    row = [
        "CH-20250106-01-0001",
        "城市居民最低生活保障申请",
        "Accepted",
        "Feb 8, 2025",
        "overdue 455 working days",
        "overdue 445 working days",
    ]
    pdf = render_late_list(
        issuer=issuer, day=dt.date(2026, 12, 7), scope="Window 01", headings=headings, rows=[row], overdue=1
    )
    lines = [line.strip() for line in _raw_lines(pdf)]
    assert "CH-20250106-01-0001" in lines


def test_the_case_list_prints_every_number_time_and_decision_on_one_line(decided, chinese):
    data = documents.case_list_data(decided.db, decided.ctx, decided.ctx.now().date())
    # Each cell comes out as a line of its own; a wrapped one as two.
    lines = [line.strip() for line in _raw_lines(render_document(data))]
    for result in (decided.case, decided.notification, decided.refusal):
        assert result.number in lines, (result.number, lines)
    assert lines.count("10:30") >= 3, lines  # the rows' times (and the footer's)
    assert lines.count("一次性告知") == 2, lines  # the decision and the status


# --- slips on the roll ----------------------------------------------------------------------------


def test_roll_slips_and_the_ticket_carry_no_sheet_footer(decided, chinese):
    papers = _official(decided)
    ticket = sample_ticket(papers["fee receipt"].issuer, taken_at=decided.ctx.now())
    for data in (papers["fee receipt"], papers["utility receipt"], papers["void slip"], ticket):
        for reprint in (False, True):
            text = all_text(render_document(data, reprint=reprint))
            assert "第1页" not in text and "打印人" not in text, type(data).__name__
    # A sheet keeps its footer.
    text = all_text(render_document(papers["refusal notice"]))
    assert "第1页/共1页" in text and "打印人" in text


# --- what the fee receipt, the refusal and the notification say -------------------------------------


def test_the_fee_receipt_names_the_currency_and_where_the_fiscal_receipt_is_issued(decided, chinese):
    data = _official(decided)["fee receipt"]
    text = all_text(render_document(data))
    assert "人民币玖拾元整" in text
    assert f"正式财政票据由{data.department_name}开具" in text
    assert "市政务服务中心01号窗口综合受理窗口领取" in text


def test_the_refusal_names_the_appeal_route_of_the_2023_law(decided, chinese):
    text = all_text(render_document(_official(decided)["refusal notice"]))
    assert "《中华人民共和国行政复议法》（2023年修订）" in text
    assert "60日内向本级人民政府申请行政复议" in text
    # The department above is the route only for the vertically led offices.
    assert "本级人民政府或者上一级主管部门" not in text
    assert "税务、国家安全机关作出的，向其上一级主管部门申请" in text
    assert "6个月内依法向人民法院提起行政诉讼" in text


def test_the_notification_names_one_place_to_bring_the_materials(decided, chinese):
    data = _official(decided)["one-time notification"]
    assert data.where  # the item is handled at the street center
    text = all_text(render_document(data))
    assert text.count("补正材料提交地点") == 1
    assert "补正材料提交地点" + data.where.replace(" ", "") in text
    assert data.issuer.center_address not in text  # not a second place beside it
    text = all_text(render_document(dataclasses.replace(data, where="")))
    assert text.count("补正材料提交地点") == 1
    assert "补正材料提交地点市政务服务中心01号窗口综合受理窗口（七台河市新兴区大同街88号）" in text
    assert "办公时间" in text


def test_every_page_of_a_long_roll_slip_is_still_numbered(decided, chinese):
    data = _official(decided)["one-time notification"]
    entries = tuple(dataclasses.replace(data.entries[0], name=f"材料{i:03d}号") for i in range(150))
    pages = page_texts(render_document(dataclasses.replace(data, entries=entries), paper="roll80"))
    assert len(pages) > 1
    assert all(f"第{n}页/共{len(pages)}页" in page for n, page in enumerate(pages, start=1))
    assert not any("打印人" in page for page in pages)
