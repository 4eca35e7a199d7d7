"""The numbers of the cases the hub makes itself (全程网办: a department accepts a
fully-online item's application, department_online.py).

A window numbers its cases ``<center>-<yyyymmdd>-<window>-<seq>`` (domain/numbering.py);
the hub cannot take a number from those series (the window holds its counter, offline).
So the hub has series of its own, one per department and year:

    WB-<department>-<yyyy>-<seq>      e.g. WB-LBJ-2026-000001      (WB: 网办)

They can never meet a window's number: a window's second part is an eight-digit date, a
department's code is letters only (catalog_model.DEPARTMENT_CODE), and ``cases.case_number``
is unique besides. The counter row is bumped in the transaction that makes the case (an
UPDATE, which holds the row until the commit on PostgreSQL), so a number is given once and
none is skipped: a rolled-back acceptance rolls its number back with it.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from windowdesk.hub.storage.models_applications import HubCaseSeries

PREFIX = "WB"


def series_of(department_code: str, year: int) -> str:
    return f"{PREFIX}-{department_code}-{year:04d}"


def next_case_number(session: Session, *, department_code: str, year: int) -> str:
    """The next number of the department's series for ``year``, in the caller's transaction."""
    series = series_of(department_code, year)
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(HubCaseSeries).values(series=series, last=0).on_conflict_do_nothing(index_elements=["series"])
    )
    last = session.execute(
        update(HubCaseSeries)
        .where(HubCaseSeries.series == series)
        .values(last=HubCaseSeries.last + 1)
        .returning(HubCaseSeries.last)
    ).scalar_one()
    return f"{series}-{last:06d}"
