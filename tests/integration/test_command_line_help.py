"""``windowdesk --help`` names every command a new user can run, not only the window's options."""

from __future__ import annotations

import os
import subprocess
import sys


def test_help_lists_print_samples_and_audit_check():
    done = subprocess.run(
        [sys.executable, "-m", "windowdesk", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.returncode == 0, done.stderr
    assert "print-samples --out DIR" in done.stdout
    assert "audit-check" in done.stdout
