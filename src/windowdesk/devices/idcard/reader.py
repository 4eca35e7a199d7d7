"""The interface every ID-card reader plug-in offers, and the registry of plug-ins.

A plug-in is found by its name (the workstation's setting names it) and made from the
settings alone, so a new vendor's reader is one module and one entry in ``PLUGINS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from windowdesk.devices.idcard.card import IdCard
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _

# The ports vendors number their USB readers by (serial readers use 1-16).
USB_PORTS = range(1001, 1017)
DEFAULT_PORT = 1001


class ReaderError(WindowdeskError):
    """The reader cannot be used: its library is missing, it is unplugged, its port fails."""

    def __init__(self, message: str) -> None:
        super().__init__(_("ID card reader"), message)


class CardUnreadable(WindowdeskError):
    """A card is on the reader but what came back is not a whole, valid card."""

    def __init__(self, message: str) -> None:
        super().__init__(_("ID card"), message)


@dataclass(frozen=True)
class ReaderSettings:
    plugin: str  # a name in PLUGINS
    library_path: str  # the vendor's library (sdtapi.dll / libsdtapi.so)
    port: int = DEFAULT_PORT


class CardReader(Protocol):
    """One reader. Every method may raise ReaderError; ``read`` also CardUnreadable."""

    def open(self) -> None:
        """Load what the reader needs and open its port."""

    def poll(self) -> bool:
        """Whether a card lies on the reader now (and is ready to be read)."""

    def read(self) -> IdCard:
        """The card found by the last ``poll``."""

    def close(self) -> None:
        """Close the port; never raises."""


def _sdtapi(settings: ReaderSettings) -> CardReader:
    from windowdesk.devices.idcard.sdtapi import SdtapiReader

    return SdtapiReader(settings)


# plug-in name -> its factory; a plug-in's module is imported only when its reader is used
# (an import inside the factory, which packagers such as PyInstaller still follow).
PLUGINS: dict[str, Callable[[ReaderSettings], CardReader]] = {
    "sdtapi": _sdtapi,
}


def plugin_names() -> list[str]:
    return sorted(PLUGINS)


def create_reader(settings: ReaderSettings) -> CardReader:
    """The plug-in's reader for these settings (not opened yet)."""
    factory = PLUGINS.get(settings.plugin)
    if factory is None:
        raise ReaderError(
            _("There is no ID card reader plug-in named \u201c{name}\u201d.").format(name=settings.plugin)
        )
    return factory(settings)
