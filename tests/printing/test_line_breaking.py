"""The Chinese line-breaking rules (避头尾), on the wrapping function and on a printed notice."""

from __future__ import annotations

import dataclasses
import io

import pypdf
import pytest

from windowdesk.printing.linebreak import NO_LINE_END, NO_LINE_START, line_ends, wrap_lines
from windowdesk.printing.render import render_document
from windowdesk.services import documents


def test_a_comma_that_would_start_a_line_takes_the_character_before_it_along():
    # Four characters fit; the fifth, "，", may not start the next line.
    lines = wrap_lines("申请材料，请补正。", 4)
    assert lines == ["申请材", "料，请补", "正。"]


@pytest.mark.parametrize("mark", sorted("，。、；：！？）》」"))
def test_no_closing_mark_starts_a_line(mark):
    lines = wrap_lines(f"一二三四{mark}五六七八", 4)
    assert not any(line.startswith(mark) for line in lines), lines
    assert "".join(lines) == f"一二三四{mark}五六七八"


@pytest.mark.parametrize("mark", sorted("（《「"))
def test_no_opening_mark_ends_a_line(mark):
    lines = wrap_lines(f"一二三{mark}四五六七", 4)
    assert not any(line.endswith(mark) for line in lines), lines
    assert lines[0] == "一二三"
    assert "".join(lines) == f"一二三{mark}四五六七"


def test_a_run_of_closing_marks_moves_back_together():
    lines = wrap_lines("一二三四。」五六", 4)
    assert lines == ["一二三", "四。」五", "六"]


def test_a_latin_word_or_number_stays_whole_and_breaks_beside_chinese():
    assert wrap_lines("办件编号CH-0001已受理", 8) == ["办件编号", "CH-0001已", "受理"]


def test_english_breaks_after_spaces_only():
    assert wrap_lines("the case is accepted", 12) == ["the case is ", "accepted"]


def test_a_word_longer_than_the_line_is_cut_where_it_overflows():
    assert wrap_lines("ABCDEFGHIJ", 4) == ["ABCD", "EFGH", "IJ"]


def test_a_forced_break_ends_its_line_and_widths_can_differ_per_line():
    assert wrap_lines("一二\n三四五六七", 4) == ["一二", "三四五六", "七"]
    chars = list("一二三四五六七八")
    assert line_ends(chars, [1.0] * 8, [3, 5]) == [3, 8]


def test_the_rules_cover_what_the_counter_prints():
    assert set("，。、；：！？）》」") <= NO_LINE_START
    assert set("（《「") <= NO_LINE_END


def _lines(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return [line.replace(" ", "") for line in text.splitlines() if line.strip()]


def test_a_printed_refusal_starts_no_line_with_a_comma_and_ends_none_with_a_bracket(decided, chinese):
    data = documents.refusal_notice_data(decided.db, decided.ctx, decided.refusal.id)
    # Clauses of every length, so that under any line width some comma, full stop or
    # bracket falls where a line ends.
    reason = (
        "".join(f"第{n}项{'材料' * (n % 7)}不符合要求（见《办事指南》第{n}条），" for n in range(1, 40)) + "特此告知。"
    )
    pdf = render_document(dataclasses.replace(data, reason=reason))
    lines = _lines(pdf)
    # The reason's lines, between its heading and the next (the header and footer are
    # drawn in runs of one font each, which the extraction puts on lines of their own).
    lines = lines[lines.index("理由") + 1 : lines.index("法律依据")]
    assert "".join(lines).count("不符合要求") == 39 and len(lines) > 10  # the whole reason, wrapped
    starts = [line for line in lines if line[0] in NO_LINE_START]
    ends = [line for line in lines if line[-1] in NO_LINE_END]
    assert not starts, starts
    assert not ends, ends
