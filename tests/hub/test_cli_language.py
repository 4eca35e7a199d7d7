"""``windowdesk-hub`` speaks the terminal's language: zh_CN unless the locale names
English, its help and argparse's own words included; the language of the process is
left as it was found."""

from __future__ import annotations

import argparse
import re

import pytest

from windowdesk import i18n
from windowdesk.hub.cli import main
from windowdesk.hub.cli_language import display_width, terminal_language
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, Hub


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "zh_CN"),
        ({"LANG": "C.UTF-8"}, "zh_CN"),
        ({"LANG": "POSIX"}, "zh_CN"),
        ({"LANG": "fr_FR.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_TW.UTF-8"}, "zh_CN"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8@euro"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "en"}, "en"),
        ({"LANGUAGE": "fr:en:zh_CN"}, "en"),
        ({"LANGUAGE": "", "LANG": "en_US.UTF-8"}, "en"),
    ],
)
def test_the_language_is_the_terminals_and_zh_cn_where_it_names_none(environ, expected) -> None:
    assert terminal_language(environ) == expected


def _speak(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.setenv("LANG", lang)


def _run(hub: Hub, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(hub.cli_args(*args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_and_argparse_errors_are_in_chinese_and_the_process_is_left_as_it_was(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _speak(monkeypatch, "C.UTF-8")
    with pytest.raises(SystemExit) as shown:
        main(["--help"])
    out = capsys.readouterr().out
    assert shown.value.code == 0
    assert out.startswith("用法：windowdesk-hub")
    assert "显示此帮助信息并退出" in out
    assert "enroll-code         为窗口的工作站签发一次性注册码" in out
    assert "\n位置参数：\n" in out and "\n选项：\n" in out and "位置参数:" not in out

    with pytest.raises(SystemExit) as refused:
        main(["create-center"])
    assert refused.value.code == 2
    assert "windowdesk-hub create-center：错误：缺少以下必需参数：code, --name" in capsys.readouterr().err

    with pytest.raises(SystemExit):
        main(["enroll-code", "CH", "01", "--valid-hours", "soon"])
    assert "参数 --valid-hours：'soon' 不是正的小时数" in capsys.readouterr().err

    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]
    assert i18n.current_locale() == "en" and i18n._("Please check the input") == "Please check the input"


def test_commands_answer_in_chinese_with_aligned_tables_and_refusals_worded(
    hub: Hub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _speak(monkeypatch, "zh_CN.UTF-8")
    assert _run(hub, capsys, "create-center", "JD23", "--name", "新区街道")[1] == "已创建中心 JD23（新区街道）。\n"
    assert _run(hub, capsys, "create-center", "JD23", "--name", "新区街道便民服务中心")[1].startswith("已更新中心 JD23")

    code, out, err = _run(hub, capsys, "create-window", "JD99", "01", "--name", "综合窗口")
    assert code == 2 and out == ""
    assert err == "windowdesk-hub: 未找到：市级平台上没有中心 JD99。\n"

    assert _run(hub, capsys, "create-window", "JD23", "01", "--name", "综合窗口")[0] == 0
    code, out, _err = _run(hub, capsys, "enroll-code", "JD23", "01")
    assert code == 0 and "只能使用一次" in out
    enrollment_code = re.search(r"窗口 JD23-01 的注册码：(\S+)", out).group(1)
    assert (
        hub.client.post(f"{API_PREFIX}/enroll", json={"code": enrollment_code}, headers=VERSION_HEADERS).status_code
        == 200
    )

    code, out, _err = _run(hub, capsys, "list-workstations")
    header, row = out.splitlines()
    assert header.split() == ["工作站", "窗口", "注册时间（中心时间）", "最近上传（中心时间）", "状态", "版本"]
    # Each column starts at the same terminal column in the heading and the row, 汉字
    # taking two.
    for heading, cell in (("窗口", "JD23-01"), ("状态", "在用")):
        assert display_width(header[: header.index(heading)]) == display_width(row[: row.index(cell)]), (header, row)

    out = _run(hub, capsys, "report", "--from", "2026-11-01", "--to", "2026-11-30")[1]
    assert (
        out.startswith(
            "绩效统计 2026-11-01 至 2026-11-30，按中心\n中心  受理  其中代办  其中容缺  其中网上  其中承诺  待核查  核查逾期  承诺不实  办结"
        )
        and "\n合计" in out
    )
    csv_header = _run(hub, capsys, "report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv")[1]
    assert csv_header.startswith(
        "CENTER,ACCEPTED,BY AGENTS,MATERIALS TO FOLLOW,APPLIED ONLINE,NOTIFY-AND-COMMIT,VERIFY DUE,VERIFY OVERDUE,FOUND FALSE,COMPLETED,ON TIME,"
    )  # for programs: the same in every language

    _speak(monkeypatch, "en_US.UTF-8")
    assert (
        _run(hub, capsys, "create-department", "JDB", "--name", "街道办事处")[1]
        == "Created department JDB (街道办事处).\n"
    )


def test_a_caller_that_reads_the_output_can_ask_for_english_whatever_the_locale(
    hub: Hub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # tests/sync/hub_process.py and bench/ parse what the commands print; a Chinese
    # terminal must not break them.
    _speak(monkeypatch, "zh_CN.UTF-8")
    code = main(hub.cli_args("create-center", "JD24", "--name", "新区街道"), environ={"LANGUAGE": "en"})
    assert code == 0 and capsys.readouterr().out == "Created center JD24 (新区街道).\n"
    assert main(hub.cli_args("create-center", "JD25", "--name", "新区街道")) == 0
    assert capsys.readouterr().out == "已创建中心 JD25（新区街道）。\n"


def test_every_argument_of_every_command_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    # The back-office staff who run decide, note or complaint-reply are no administrators:
    # --help must say what each argument is for.
    _speak(monkeypatch, "zh_CN.UTF-8")
    from windowdesk.hub.cli import build_parser
    from windowdesk.hub.cli_language import speaking

    with speaking("zh_CN"):
        parser = build_parser()
    commands = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    unexplained = [
        f"{name} {action.dest}"
        for name, sub in commands.choices.items()
        for action in sub._actions
        if not action.help and action.dest != "help"
    ]
    assert unexplained == []
