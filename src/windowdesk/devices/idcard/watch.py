"""Polling a reader, turned into the few events the counter cares about.

``CardWatch.step()`` is called every half second or so (by a thread in the UI) and
returns what happened since the last call:

* ``CardArrived`` once per card laid on the reader: the same card left lying there does
  not come again until it has been taken away (the reader must miss it on
  ``MISSES_BEFORE_GONE`` polls in a row: many readers miss a card every other poll
  right after reading it);
* ``CardProblem`` once per card that could not be read;
* ``ReaderDown`` once when the reader cannot be used, then the watch keeps trying
  quietly, and ``ReaderBack`` once when it works again.

Plain Python, no Qt: the thread that calls it and the screen that shows it are the UI's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from windowdesk.devices.idcard.card import IdCard
from windowdesk.devices.idcard.reader import CardReader, CardUnreadable, ReaderError
from windowdesk.domain.ids import mask_id_numbers_in
from windowdesk.i18n import _

log = logging.getLogger("windowdesk.devices.idcard")

MISSES_BEFORE_GONE = 2


@dataclass(frozen=True)
class CardArrived:
    card: IdCard


@dataclass(frozen=True)
class CardLeft:
    pass


@dataclass(frozen=True)
class CardProblem:
    message: str


@dataclass(frozen=True)
class ReaderDown:
    message: str


@dataclass(frozen=True)
class ReaderBack:
    pass


class CardWatch:
    def __init__(self, make_reader: Callable[[], CardReader]) -> None:
        self._make_reader = make_reader
        self._reader: CardReader | None = None
        self._down = False
        self._card_id: str | None = None  # the card lying on the reader, by its number
        self._misses = 0
        self._problem_told = False

    def step(self) -> list:
        events: list = []
        try:
            if self._reader is None:
                reader = self._make_reader()
                reader.open()
                self._reader = reader
            present = self._reader.poll()
            if self._down:
                self._down = False
                log.info("ID card reader works again")
                events.append(ReaderBack())
            if not present:
                self._missed(events)
                return events
            self._misses = 0
            card = self._reader.read()
        except CardUnreadable as error:
            if not self._problem_told:
                self._problem_told = True
                events.append(CardProblem(error.message))
            return events
        except ReaderError as error:
            self._reader_failed(error.message, events)
            return events
        except Exception as error:  # noqa: BLE001 - a vendor library may fail in ways of its own
            self._reader_failed(
                _("The ID card reader failed: {detail}").format(detail=mask_id_numbers_in(str(error))), events
            )
            return events
        self._problem_told = False
        if card.id_number != self._card_id:
            self._card_id = card.id_number
            log.info("ID card read: %s", card.masked_id_number)
            events.append(CardArrived(card))
        return events

    def _missed(self, events: list) -> None:
        self._misses += 1
        if self._misses >= MISSES_BEFORE_GONE and (self._card_id is not None or self._problem_told):
            self._card_id = None
            self._problem_told = False
            events.append(CardLeft())

    def _reader_failed(self, message: str, events: list) -> None:
        self.close()
        self._card_id = None
        if not self._down:
            self._down = True
            log.warning("ID card reader cannot be used: %s", mask_id_numbers_in(message))
            events.append(ReaderDown(message))

    def close(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.close()
