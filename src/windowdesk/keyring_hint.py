"""What to install when the operating system offers no keyring (told by the start-up and
enrollment errors). The frozen package cannot pull a keyring in as a dependency (the UOS
app store forbids scripts that change the system), so the app itself names the package."""

from __future__ import annotations

import sys


def keyring_install_hint(platform: str | None = None) -> str:
    """One sentence naming the package to install on this platform, or "" where the
    platform always has a keyring (Windows Credential Manager, macOS Keychain)."""
    from windowdesk.i18n import _

    if (platform or sys.platform).startswith("linux"):
        # UOS (deepin's session starts it) and Kylin use GNOME Keyring as their Secret
        # Service; both carry the Debian/Ubuntu package of that name.
        return _(
            "On UOS, Kylin, Debian or Ubuntu: install the gnome-keyring package "
            "(sudo apt install gnome-keyring), then sign out and in again so that the "
            "desktop starts it."
        )
    return ""


def with_install_hint(message: str) -> str:
    hint = keyring_install_hint()
    return f"{message} {hint}" if hint else message
