"""``windowdesk print-samples``: one readable PDF of every document."""

from __future__ import annotations

from pathlib import Path

import pypdf

from windowdesk.cli import main
from windowdesk.cli.print_samples import PROXY_AGENT_ID, PROXY_PRINCIPAL_ID
from windowdesk.printing.paper import DocumentKind

from .conftest import DEMO_ID, squash


def _check_samples(out: Path) -> None:
    written = sorted(path.stem for path in out.glob("*.pdf"))
    assert written == sorted(kind.value for kind in DocumentKind)
    for path in out.glob("*.pdf"):
        reader = pypdf.PdfReader(path)
        text = squash("".join(page.extract_text() or "" for page in reader.pages))
        assert len(reader.pages) >= 1 and "市政务服务中心" in text, path.name
        assert DEMO_ID not in text, path.name
        # 帮办代办's forms: the principal's and the agent's numbers masked too.
        assert PROXY_PRINCIPAL_ID not in text and PROXY_AGENT_ID not in text, path.name


def test_print_samples_with_a_temporary_demo_database(tmp_path, monkeypatch):
    monkeypatch.delenv("WINDOWDESK_LOCALE", raising=False)
    out = tmp_path / "out"
    assert main(["print-samples", "--out", str(out)]) == 0
    _check_samples(out)
    # Chinese by default, as the counter prints them.
    assert "受理回执" in squash(pypdf.PdfReader(out / "acceptance_receipt.pdf").pages[0].extract_text())


def test_print_samples_from_a_data_folder_reuses_its_records(tmp_path):
    data_dir, out = tmp_path / "data", tmp_path / "out"
    assert main(["print-samples", "--out", str(out), "--data-dir", str(data_dir)]) == 0
    first = squash(pypdf.PdfReader(out / "case_list.pdf").pages[0].extract_text())
    assert main(["print-samples", "--out", str(out), "--data-dir", str(data_dir)]) == 0
    second = squash(pypdf.PdfReader(out / "case_list.pdf").pages[0].extract_text())
    _check_samples(out)
    assert (data_dir / "windowdesk.sqlite3").exists()
    # The second run found today's records and made no new decisions.
    assert first.count("CH-") == second.count("CH-")


def test_print_samples_reports_an_unwritable_folder(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["print-samples", "--out", str(blocker / "out")]) == 1
    assert str(blocker) in capsys.readouterr().err
