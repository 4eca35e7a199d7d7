"""Which record a change in this window's outbox is about, as a supervisor knows it
(sync/change_words.py), its case found among this window's cases."""

from __future__ import annotations

from windowdesk.storage import models as m
from windowdesk.storage.db import Session
from windowdesk.storage.sync_queries import case_number_of
from windowdesk.sync.change_words import record_words as change_record_words


def record_words(session: Session, event: m.OutboxEvent) -> str:
    def case_number(case_id: str) -> str | None:
        return case_number_of(session, case_id)

    return change_record_words(event.kind, event.entity, event.entity_id, event.payload, case_number=case_number)
