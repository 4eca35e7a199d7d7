"""The common vendor API of resident ID card readers (``sdtapi.dll`` on Windows,
``libsdtapi.so`` on Linux), loaded with ctypes from the path the administrator set.

Readers of most makes ship a library with these functions (the interface of the
Ministry of Public Security's reference SDK):

    int SDT_OpenPort(int port)
    int SDT_ClosePort(int port)
    int SDT_StartFindIDCard(int port, unsigned char *manaInfo, int ifOpen)
    int SDT_SelectIDCard(int port, unsigned char *manaMsg, int ifOpen)
    int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *textLen,
                        unsigned char *photo, unsigned int *photoLen, int ifOpen)

They return 0x90 for success, 0x9F when StartFindIDCard found a card, 0x80 / 0x81 when
there is no card to find or select, and other codes for errors (named below). The port
is opened once (``ifOpen`` 0 afterwards), as the SDK's guide recommends.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
from pathlib import Path

from windowdesk.devices.idcard.base_message import decode_base_message
from windowdesk.devices.idcard.card import IdCard
from windowdesk.devices.idcard.reader import CardUnreadable, ReaderError, ReaderSettings
from windowdesk.i18n import _

SUCCESS = 0x90
CARD_FOUND = 0x9F
NO_CARD = frozenset({0x80, 0x81})
# Codes about the card in hand rather than the reader: lay the card again.
CARD_CODES = frozenset({0x31, 0x32, 0x33, 0x40, 0x41, 0x47, 0x91})

TEXT_BUFFER = 1024  # the base message is 256 bytes; room for makes that send more
PHOTO_BUFFER = 4096  # the photo is 1,024 bytes
_MANAGEMENT_BUFFER = 64

FUNCTIONS = ("SDT_OpenPort", "SDT_ClosePort", "SDT_StartFindIDCard", "SDT_SelectIDCard", "SDT_ReadBaseMsg")


def describe_code(code: int) -> str:
    """The reader's return code in plain words."""
    words = {
        0x01: _("its port cannot be opened (is the reader plugged in, and is the port number right?)"),
        0x02: _("it did not answer in time"),
        0x03: _("the data from it was damaged on the way"),
        0x05: _("its serial port cannot be used"),
        0x09: _("it could not open a file it needs"),
        0x10: _("the data from it was damaged on the way"),
        0x11: _("the data from it was damaged on the way"),
        0x21: _("it did not understand the command"),
        0x23: _("it refused the command"),
        0x24: _("it reported an unknown error"),
        0x31: _("the card could not be authenticated"),
        0x32: _("the card could not be authenticated"),
        0x33: _("the card's data did not pass the check"),
        0x40: _("this is not a resident ID card"),
        0x41: _("reading the card failed"),
        0x47: _("reading the card failed"),
        0x60: _("its security module failed its self-test"),
        0x66: _("its security module is not authorised"),
        0x91: _("the card holds no such data"),
    }.get(code, _("it reported an unknown error"))
    return _("{words} (code 0x{code:02X})").format(words=words, code=code)


def _load(path: str) -> ctypes.CDLL:
    if sys.platform == "win32":
        return ctypes.WinDLL(path)  # the SDK's functions are stdcall on Windows
    return ctypes.CDLL(path)


class SdtapiReader:
    """A reader behind the vendor's sdtapi library."""

    def __init__(self, settings: ReaderSettings) -> None:
        self.library_path = settings.library_path
        self.port = int(settings.port)
        self._library: ctypes.CDLL | None = None

    def open(self) -> None:
        if not self.library_path:
            raise ReaderError(_("No reader library is set for this workstation."))
        if not Path(self.library_path).is_file():
            raise ReaderError(
                _(
                    "The reader's library {path} is not there; ask the administrator to check the card reader settings."
                ).format(path=self.library_path)
            )
        try:
            library = _load(self.library_path)
        except OSError as error:
            raise ReaderError(
                _("The reader's library {path} could not be loaded: {detail}").format(
                    path=self.library_path, detail=error
                )
            ) from None
        missing = [name for name in FUNCTIONS if not hasattr(library, name)]
        if missing:
            raise ReaderError(
                _("{path} is not an ID card reader library: it lacks {names}.").format(
                    path=self.library_path, names=", ".join(missing)
                )
            )
        buffer = ctypes.POINTER(ctypes.c_ubyte)
        length = ctypes.POINTER(ctypes.c_uint)
        for name, argtypes in (
            ("SDT_OpenPort", [ctypes.c_int]),
            ("SDT_ClosePort", [ctypes.c_int]),
            ("SDT_StartFindIDCard", [ctypes.c_int, buffer, ctypes.c_int]),
            ("SDT_SelectIDCard", [ctypes.c_int, buffer, ctypes.c_int]),
            ("SDT_ReadBaseMsg", [ctypes.c_int, buffer, length, buffer, length, ctypes.c_int]),
        ):
            function = getattr(library, name)
            function.argtypes = argtypes
            function.restype = ctypes.c_int
        code = library.SDT_OpenPort(self.port)
        if code != SUCCESS:
            raise ReaderError(
                _("The ID card reader on port {port} cannot be used: {reason}.").format(
                    port=self.port, reason=describe_code(code)
                )
            )
        self._library = library

    def _opened(self) -> ctypes.CDLL:
        if self._library is None:
            raise ReaderError(_("The ID card reader is not open."))
        return self._library

    def _fail(self, code: int) -> Exception:
        if code in CARD_CODES:
            return CardUnreadable(
                _("The card could not be read: {reason}. Please lay it on the reader again.").format(
                    reason=describe_code(code)
                )
            )
        return ReaderError(
            _("The ID card reader on port {port} stopped working: {reason}.").format(
                port=self.port, reason=describe_code(code)
            )
        )

    def poll(self) -> bool:
        library = self._opened()
        management = (ctypes.c_ubyte * _MANAGEMENT_BUFFER)()
        code = library.SDT_StartFindIDCard(self.port, management, 0)
        if code in NO_CARD:
            return False
        if code != CARD_FOUND:
            raise self._fail(code)
        code = library.SDT_SelectIDCard(self.port, management, 0)
        if code in NO_CARD:
            return False  # lifted between finding and selecting
        if code != SUCCESS:
            raise self._fail(code)
        return True

    def read(self) -> IdCard:
        library = self._opened()
        text = (ctypes.c_ubyte * TEXT_BUFFER)()
        photo = (ctypes.c_ubyte * PHOTO_BUFFER)()
        text_length, photo_length = ctypes.c_uint(0), ctypes.c_uint(0)
        code = library.SDT_ReadBaseMsg(self.port, text, ctypes.byref(text_length), photo, ctypes.byref(photo_length), 0)
        if code in NO_CARD:
            raise CardUnreadable(_("The card was taken away while it was read; please lay it on the reader again."))
        if code != SUCCESS:
            raise self._fail(code)
        text_bytes = bytes(text[: min(text_length.value, TEXT_BUFFER)])
        photo_bytes = bytes(photo[: min(photo_length.value, PHOTO_BUFFER)])
        return decode_base_message(text_bytes, photo_bytes)

    def close(self) -> None:
        library, self._library = self._library, None
        if library is not None:
            with contextlib.suppress(OSError):  # the reader is gone already; nothing to close
                library.SDT_ClosePort(self.port)
