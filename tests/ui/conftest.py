"""Fixtures of the UI tests."""

from __future__ import annotations

import pytest

from tests.ui.helpers import open_main_window


@pytest.fixture
def window(qtbot, demo):
    """The real main window on the demo database, shown and active; the applicant's
    screen it opens is closed afterwards."""
    main = open_main_window(qtbot, demo)
    yield main
    main.service_quality.close()
