"""The workstation token lives in the operating system's keyring, never in the
database or a settings file. The keyring is touched lazily and behind a lock."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from windowdesk.errors import WindowdeskError

if TYPE_CHECKING:
    from types import ModuleType

KEYRING_SERVICE = "windowdesk"


class KeyringUnavailable(WindowdeskError):
    pass


def _no_keyring_error(detail: str) -> KeyringUnavailable:
    from windowdesk.i18n import _
    from windowdesk.keyring_hint import with_install_hint

    return KeyringUnavailable(
        _("No safe place for the hub token"),
        with_install_hint(
            _(
                "This computer offers no keyring to keep the workstation's hub token ({detail}). "
                "Administrator: install and unlock a keyring (Windows Credential Manager, macOS "
                "Keychain, or GNOME Keyring / KWallet on Linux), then enroll this workstation again. "
                "The counter keeps working offline meanwhile."
            ).format(detail=detail)
        ),
    )


class TokenStore:
    def __init__(self, account: str) -> None:
        self._account = account
        self._lock = threading.Lock()

    def _keyring(self) -> ModuleType:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            raise _no_keyring_error(type(backend).__name__)
        return keyring

    def get(self) -> str | None:
        with self._lock:
            keyring = self._keyring()
            try:
                return keyring.get_password(KEYRING_SERVICE, self._account)
            except keyring.errors.KeyringError as exc:
                raise _no_keyring_error(type(exc).__name__) from exc

    def set(self, token: str) -> None:
        with self._lock:
            keyring = self._keyring()
            try:
                keyring.set_password(KEYRING_SERVICE, self._account, token)
            except keyring.errors.KeyringError as exc:
                raise _no_keyring_error(type(exc).__name__) from exc

    def delete(self) -> None:
        with self._lock:
            keyring = self._keyring()
            try:
                keyring.delete_password(KEYRING_SERVICE, self._account)
            except keyring.errors.PasswordDeleteError:
                pass
            except keyring.errors.KeyringError as exc:
                raise _no_keyring_error(type(exc).__name__) from exc
