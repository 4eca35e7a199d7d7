"""A receipt through Qt to a real CUPS queue whose backend (cups-pdf) writes a PDF file.

Set up by ``eval "$(bash installer/ci-cups.sh)"``, which exports WINDOWDESK_TEST_CUPS_OUT.
Without it the test fails on CI (env CI set) and is skipped elsewhere.
"""

from __future__ import annotations

import io
import os
import subprocess
import time
import uuid
from pathlib import Path

import pypdf
import pytest

from windowdesk.printing.paper import MM
from windowdesk.printing.render import render_document
from windowdesk.printing.samples import sample_fee_receipt
from windowdesk.services import documents
from windowdesk.ui.printing.printer import PrinterError, named_printer, print_pdf

QUEUE = "windowdesk-pdf"
ENV = "WINDOWDESK_TEST_CUPS_OUT"
WAIT_SECONDS = 90


@pytest.fixture
def cups_out() -> Path:
    folder = os.environ.get(ENV)
    if not folder:
        reason = f'{ENV} is not set: run `eval "$(bash installer/ci-cups.sh)"` first'
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return Path(folder)


def _receipt_pdf(decided) -> bytes:
    case = documents.acceptance_receipt_data(decided.db, decided.ctx, decided.case.id)
    data = sample_fee_receipt(
        case.issuer,
        payer=case.applicant,
        case_number=case.case_number,
        item_name=case.item_name,
        department_name=case.department_name,
        paid_at=decided.ctx.now(),
    )
    return render_document(data)


def _wait_for_pdf(folder: Path, token: str) -> Path:
    """The finished output file whose name carries ``token`` (cups-pdf names files by job title)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        for path in folder.glob(f"*{token}*.pdf"):
            data = path.read_bytes()
            if data.rstrip().endswith(b"%%EOF"):
                return path
        time.sleep(0.5)
    jobs = subprocess.run(["lpstat", "-o", QUEUE], capture_output=True, text=True).stdout
    raise AssertionError(f"no PDF for {token} in {folder} after {WAIT_SECONDS} s; queue: {jobs!r}")


def test_a_receipt_prints_through_qt_to_a_cups_queue(qapp, decided, cups_out):
    pdf = _receipt_pdf(decided)
    expected_pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    printer = named_printer(QUEUE)
    token = f"wdtest{uuid.uuid4().hex[:12]}"
    printer.setDocName(token)
    assert print_pdf(pdf, printer) == expected_pages
    out = pypdf.PdfReader(_wait_for_pdf(cups_out, token))
    assert len(out.pages) == expected_pages
    # The 80 mm roll reached the queue as a custom paper size, not A4.
    assert float(out.pages[0].mediabox.width) == pytest.approx(80 * MM, abs=3)


def test_an_offline_queue_is_reported_before_anything_is_sent(qapp, decided, cups_out):
    pdf = _receipt_pdf(decided)
    printer = named_printer(QUEUE)
    subprocess.run(["cupsdisable", QUEUE], check=True)
    try:
        with pytest.raises(PrinterError) as caught:
            print_pdf(pdf, printer)
    finally:
        subprocess.run(["cupsenable", QUEUE], check=True)
    assert QUEUE in caught.value.message and "offline" in caught.value.message
