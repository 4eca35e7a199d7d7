"""The database key lives in the operating system's keyring, next to nothing else."""

from __future__ import annotations

from pathlib import Path

from windowdesk.errors import StartupError
from windowdesk.storage.crypto import KEY_BYTES, new_key

KEYRING_SERVICE = "windowdesk-database"


def keyring_account(database: Path) -> str:
    """The keyring's account name of this database file's key (the service: KEYRING_SERVICE)."""
    return str(Path(database).resolve())


DEMO_KEY_FILE = "demo-database.key"


def _demo_key_from_file(database: Path) -> bytes:
    """Demo data only, on a machine without a keyring: the key lies beside the file.
    Never used for real data (the application passes ``demo=False`` then)."""
    key_file = Path(database).parent / DEMO_KEY_FILE
    if key_file.exists():
        return bytes.fromhex(key_file.read_text().strip())
    key = new_key()
    key_file.write_text(key.hex())
    return key


def database_key(database: Path, *, demo: bool = False, key_text: str | None = None) -> bytes:
    """The key of this database file; made (and stored) when the file does not exist yet.
    ``key_text``: the key as the keyring in use already gave it at this start (the check of
    ``storage.keyring_choice.choose_keyring``), so the keyring is not asked twice."""
    import keyring
    from keyring.backends import fail
    from keyring.errors import KeyringError

    from windowdesk.i18n import _
    from windowdesk.keyring_hint import with_install_hint

    if isinstance(keyring.get_keyring(), fail.Keyring):
        if demo:
            return _demo_key_from_file(database)
        raise StartupError(
            _("No keyring for the database key"),
            with_install_hint(
                _(
                    "windowdesk keeps residents' data encrypted and needs the operating system's keyring "
                    "for its key. Administrator: install and unlock a keyring (Windows Credential Manager, "
                    "macOS Keychain, GNOME Keyring or KWallet), then start windowdesk again."
                )
            ),
        )
    try:
        stored = key_text or keyring.get_password(KEYRING_SERVICE, keyring_account(database))
        if stored:
            key = bytes.fromhex(stored)
            if len(key) == KEY_BYTES:
                return key
        if Path(database).exists():
            raise StartupError(
                _("The database key is missing"),
                _(
                    "The database {path} exists but its key is not in this computer's keyring, so "
                    "it cannot be opened. Restore the keyring, or call your administrator; nothing "
                    "has been changed."
                ).format(path=database),
            )
        key = new_key()
        keyring.set_password(KEYRING_SERVICE, keyring_account(database), key.hex())
        return key
    except KeyringError as exc:
        raise StartupError(
            _("The keyring cannot be used"),
            _("The database key could not be read from the keyring ({detail}).").format(detail=type(exc).__name__),
        ) from exc
