"""The enrollment dialog against a real hub process: a code the hub refuses is explained
in the language the window shows, nothing is stored, and the right code enrolls the
workstation, its token in the keyring. Cancel works while the hub is asked."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox

from tests.administrators import ADMIN_LOGIN, ADMIN_PASSWORD, add_administrator
from tests.fees.conftest import DEMO_SUPERVISOR
from tests.sync.faultproxy import Fault, FaultProxy
from tests.sync.hub_process import serving_hub
from tests.ui.helpers import open_main_window
from windowdesk.i18n import set_locale
from windowdesk.services import sync as sync_service
from windowdesk.sync.client import HubClient
from windowdesk.sync.credentials import TokenStore
from windowdesk.ui.sync.enroll_dialog import EnrollDialog


def _try(qtbot, dialog: EnrollDialog, url: str, code: str) -> None:
    dialog.url_edit.setText(url)
    dialog.code_edit.setText(code)
    dialog.approval.login_edit.setText(ADMIN_LOGIN)
    dialog.approval.password_edit.setText(ADMIN_PASSWORD)
    dialog.enroll()
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=20_000)


def test_a_refused_code_is_explained_in_chinese_and_the_right_one_enrolls(qtbot, demo, tmp_path) -> None:
    set_locale("zh_CN")
    with serving_hub(tmp_path / "hub") as hub:
        window = open_main_window(qtbot, demo)
        admin_ctx, _credentials = add_administrator(demo.db, demo.ctx)
        dialog = EnrollDialog(demo.db, admin_ctx, window.workers, window, token_store_for=TokenStore)
        qtbot.addWidget(dialog)
        dialog.show()

        used = hub.enrollment_code("CH", "01")
        _enroll_elsewhere(hub, used)
        _try(qtbot, dialog, hub.url, used)
        assert dialog.message.text() == (
            "现在无法执行此操作：这个注册码已经用过。每个注册码只能注册一个工作站一次，请向管理员申请新的注册码。"
        )
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert sync_service.workstation_account(demo.db) is None

        _try(qtbot, dialog, hub.url, hub.enrollment_code("CH", "01"))
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message.text()
        account = sync_service.workstation_account(demo.db)
        assert account is not None and account.startswith(f"{hub.url}#")
        assert TokenStore(account).get()


def _enroll_elsewhere(hub, code: str) -> None:
    """Another installation uses ``code`` first."""
    client = HubClient(hub.url)
    try:
        client.enroll(code)
    finally:
        client.close()


def test_cancel_while_the_hub_holds_its_answer_stores_nothing_and_the_code_still_enrolls(qtbot, demo, tmp_path) -> None:
    """The hub used the code but its answer is held back (a link that hangs): Cancel
    closes the dialog at once instead of after the 30 s read timeout, nothing is stored,
    and the same code, typed again on this computer, enrolls it."""
    with serving_hub(tmp_path / "hub") as hub, FaultProxy(hub.port, stall_seconds=120) as proxy:
        proxy.decide = lambda request: Fault.STALL if request.path.endswith("/enroll") else Fault.NONE
        window = open_main_window(qtbot, demo)
        admin_ctx, _credentials = add_administrator(demo.db, demo.ctx)
        code = hub.enrollment_code("CH", "01")
        dialog = EnrollDialog(demo.db, admin_ctx, window.workers, window, token_store_for=TokenStore)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.url_edit.setText(proxy.url)
        dialog.code_edit.setText(code)
        dialog.approval.login_edit.setText(ADMIN_LOGIN)
        dialog.approval.password_edit.setText(ADMIN_PASSWORD)
        dialog.enroll()
        assert not dialog.ok_button.isEnabled() and not dialog.code_edit.isEnabled()
        qtbot.waitUntil(lambda: any(entry.upstream_status == 200 for entry in proxy.record), timeout=20_000)

        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
        assert dialog.result() == QDialog.DialogCode.Rejected
        assert dialog.answer is None
        assert sync_service.workstation_account(demo.db) is None
        assert sync_service.hub_address(demo.db) is None

        again = EnrollDialog(demo.db, admin_ctx, window.workers, window, token_store_for=TokenStore)
        qtbot.addWidget(again)
        again.show()
        _try(qtbot, again, hub.url, code)
        assert again.result() == QDialog.DialogCode.Accepted, again.message.text()
        account = sync_service.workstation_account(demo.db)
        assert account is not None and TokenStore(account).get()


def test_only_an_administrator_sees_the_menu_item_and_the_dialog_wants_their_password(qtbot, demo, tmp_path) -> None:
    """The demo supervisor cannot open enrollment; an administrator can, and a
    supervisor's login typed into the dialog's approval box is refused, nothing stored."""
    window = open_main_window(qtbot, demo)
    assert not window.enroll_action.isEnabled()
    window.open_enroll()  # F9 on a window never enrolled comes here too
    assert "Only an administrator" in window.statusBar().currentMessage()

    admin_ctx, _credentials = add_administrator(demo.db, demo.ctx)
    window.switch_operator(admin_ctx)
    assert window.enroll_action.isEnabled()
    with serving_hub(tmp_path / "hub") as hub:
        dialog = EnrollDialog(demo.db, admin_ctx, window.workers, window, token_store_for=TokenStore)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.approval.title() == "Administrator's approval"
        dialog.url_edit.setText(hub.url)
        dialog.code_edit.setText(hub.enrollment_code("CH", "01"))
        dialog.approval.login_edit.setText(DEMO_SUPERVISOR.login)
        dialog.approval.password_edit.setText(DEMO_SUPERVISOR.password)
        dialog.enroll()
        qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=20_000)
        assert "cannot approve" in dialog.message.text()
        assert dialog.approval.password_edit.text() == ""
        assert sync_service.workstation_account(demo.db) is None
