"""Resident ID card readers (二代证读卡器): the card's data, its decoding, the reader
interface with its plug-ins, and the watch that turns polling into events."""

from windowdesk.devices.idcard.card import IdCard
from windowdesk.devices.idcard.reader import (
    CardReader,
    CardUnreadable,
    ReaderError,
    ReaderSettings,
    create_reader,
    plugin_names,
)

__all__ = [
    "CardReader",
    "CardUnreadable",
    "IdCard",
    "ReaderError",
    "ReaderSettings",
    "create_reader",
    "plugin_names",
]
