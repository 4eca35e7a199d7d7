"""The hub's fixed-value columns hold their domain StrEnum (hub/storage/models.py, TextEnum):
read back as members, and a value outside the set refused when written, the row left as it
was. Values are the database's as before (no migration). On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from windowdesk.domain.case_sources import CaseSource
from windowdesk.hub.storage.models import Case

from .conftest import EventFactory, Hub


def _accepted_case(hub: Hub) -> str:
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    events = EventFactory()
    resident = events.resident()
    case = events.case(resident["entity_id"])
    assert {status for status, _ in hub.push_results(window, [resident, case])} == {"applied"}
    return case["entity_id"]


def test_a_case_s_source_reads_back_as_a_member(hub: Hub) -> None:
    case_id = _accepted_case(hub)
    with hub.db.read() as session:
        source = session.scalar(select(Case.source).where(Case.id == case_id))
    assert type(source) is CaseSource and source is CaseSource.WINDOW


def test_a_case_source_outside_the_set_is_refused_and_the_case_kept(hub: Hub) -> None:
    case_id = _accepted_case(hub)
    with pytest.raises(StatementError, match="'fax' is not a valid CaseSource"), hub.db.write() as session:
        session.get_one(Case, case_id).source = "fax"  # type: ignore[assignment]
        session.flush()
    with hub.db.read() as session:
        assert session.scalar(select(Case.source).where(Case.id == case_id)) is CaseSource.WINDOW
