"""The login box tells a stranger nothing: an unknown login, a locked account and a
wrong password get exactly the same words, in Chinese as in English."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from windowdesk.domain.passwords import MAX_FAILURES
from windowdesk.i18n import set_locale
from windowdesk.services import auth
from windowdesk.ui.auth.login_dialog import LoginDialog


def _answer(qtbot, dialog: LoginDialog, login: str, password: str) -> str:
    dialog.login_edit.setText(login)
    dialog.password_edit.setText(password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    return dialog.error_label.text()


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_unknown_locked_and_wrong_read_the_same_at_the_login_box(qtbot, demo, locale) -> None:
    set_locale(locale)
    auth.create_operator(
        demo.db, demo.ctx, login="li", display_name="李明", role="operator", initial_password="Start2026x"
    )
    dialog = LoginDialog(demo.db)
    qtbot.addWidget(dialog)
    dialog.show()

    unknown = _answer(qtbot, dialog, "nobody-here", "Start2026x")
    wrong = _answer(qtbot, dialog, "li", "Wrong2026x")
    for _ in range(MAX_FAILURES - 1):
        _answer(qtbot, dialog, "li", "Wrong2026x")
    locked_with_the_right_password = _answer(qtbot, dialog, "li", "Start2026x")

    assert unknown and unknown == wrong == locked_with_the_right_password
    assert dialog.context is None and dialog.isVisible()
