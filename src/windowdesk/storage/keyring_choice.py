"""Which keyring backend holds this window's database key, remembered between starts.

keyring finds its backend by loading every entry point and every backend module it knows
and asking each whether it works (the macOS one runs ``ldconfig`` and ``gcc`` looking for
its libraries on Linux, another tries GObject): about a tenth of a warm start's CPU and
more of its wall time, to find the same backend as at every start before (issue 29,
aim 6). The window remembers, in its data folder, the backend that read or stored the
key, and loads that one alone by name, as keyring itself does for a backend named in its
configuration; that backend still says whether it works here and now (the Secret Service
one asks D-Bus), and when it does not, or lacks the key of a database that exists, the
discovery runs as before. A backend the
deployment names (``PYTHON_KEYRING_BACKEND`` or keyring's ``keyringrc.cfg``) always wins:
keyring's own rules apply then, and nothing is remembered.

Only the window's start uses this (``windowdesk.app.run``); a process that sets its own
backend (the tests, a script) keeps it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.core
from keyring.errors import KeyringError

from windowdesk.storage.keys import KEYRING_SERVICE, keyring_account

log = logging.getLogger(__name__)

REMEMBERED_FILE = "keyring-backend"
# Backends come from keyring itself or from a keyrings.* plug-in; the remembered name is
# only ever one of these, never an arbitrary module the file might name.
TRUSTED_PREFIXES = ("keyring.backends.", "keyrings.")
# The chainer asks every viable backend, so it would run the discovery anyway; the fail
# and null backends hold nothing.
NOT_REMEMBERED = ("keyring.backends.chainer.", "keyring.backends.fail.", "keyring.backends.null.")


@dataclass(frozen=True)
class KeyringChoice:
    """What choosing the backend found out. ``remember``: whether the backend in use is to
    be remembered after the key is read (not when the deployment names it). ``key_text``:
    the existing database's key as the remembered backend gave it while it was checked, so
    that ``storage.keys.database_key`` does not ask the keyring a second time (a D-Bus
    round trip with the Secret Service); None when nothing was read."""

    remember: bool
    key_text: str | None = None


def _name_of(backend: object) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def _configured_by_deployment() -> bool:
    """Whether the deployment names the backend (keyring then skips its discovery itself)."""
    configured = keyring.core.load_env() or keyring.core.load_config()
    if configured is not None:
        keyring.core.set_keyring(configured)
    return configured is not None


def _remembered_name(folder: Path) -> str | None:
    try:
        name = (folder / REMEMBERED_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if name.startswith(TRUSTED_PREFIXES) and not name.startswith(NOT_REMEMBERED) else None


def choose_keyring(folder: Path, database: Path) -> KeyringChoice:
    """Before the key is read: use the backend remembered in ``folder`` if it works here
    and, for a database that exists, holds its key (else keyring finds one the usual way)."""
    if _configured_by_deployment():
        return KeyringChoice(remember=False)
    name = _remembered_name(folder)
    if name is None:
        return KeyringChoice(remember=True)
    try:
        backend = keyring.core.load_keyring(name)
    except Exception as error:  # noqa: BLE001 - not importable, not viable here (RuntimeError), ...
        log.info("the remembered keyring %s cannot be used here (%s); finding one", name, type(error).__name__)
        return KeyringChoice(remember=True)
    key_text = None
    try:
        if database.exists():
            key_text = backend.get_password(KEYRING_SERVICE, keyring_account(database))
            if key_text is None:
                log.info("the remembered keyring %s holds no key for %s; finding one", name, database)
                return KeyringChoice(remember=True)
    except KeyringError:
        # Locked, and its unlocking refused: still the backend that holds the key; reading
        # the key asks once more and, refused again, says so (storage/keys.py).
        pass
    keyring.core.set_keyring(backend)
    return KeyringChoice(remember=True, key_text=key_text)


def remember_keyring(folder: Path) -> None:
    """After the key was read or stored: remember the backend that did it."""
    name = _name_of(keyring.get_keyring())
    if not name.startswith(TRUSTED_PREFIXES) or name.startswith(NOT_REMEMBERED):
        return
    target = folder / REMEMBERED_FILE
    try:
        if target.exists() and target.read_text(encoding="utf-8").strip() == name:
            return
        target.write_text(name + "\n", encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:  # the next start finds the backend again
        log.warning("could not remember the keyring backend in %s: %s", target, error)
