"""The reader's code is plain Python: it runs without Qt (scripts, services, tests)."""

from __future__ import annotations

import subprocess
import sys


def test_the_card_reader_and_its_service_import_no_qt():
    code = (
        "import sys\n"
        "import windowdesk.devices.idcard.sdtapi, windowdesk.devices.idcard.watch, windowdesk.services.card_reader\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
