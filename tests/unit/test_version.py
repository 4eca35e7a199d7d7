"""The version is written once (windowdesk.__version__) and every face reports that one."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from windowdesk import __version__
from windowdesk.cli import main as client_main
from windowdesk.hub.cli import main as hub_main

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_a_release_number_and_pyproject_reads_it_from_the_package():
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "windowdesk.__version__"}


def test_the_changelog_names_the_current_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {__version__}" in changelog


@pytest.mark.parametrize(("main", "program"), [(client_main, "windowdesk"), (hub_main, "windowdesk-hub")])
def test_both_command_lines_report_the_version(main, program, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"{program} {__version__}"
