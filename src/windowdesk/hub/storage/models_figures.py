"""Each case's figures for the performance report (绩效考核), kept beside the case.

Imported at the end of ``hub.storage.models`` like models_quality. One row a case, made
from the case, its steps, its proxy and deferred materials, the catalog's promised limit
and the working calendar (hub/services/case_figures.py), in the same transaction as
whatever changed one of them; the city-wide report then counts these rows in SQL instead
of building every case's facts in Python. Days are the case's center's local days.

``case_figure_days`` sums those rows per local day and window operator (hub/services/
figure_days.py), kept by the same refresh in the same transaction, and ``rating_days``
the ratings likewise: a year's report by center, window or operator reads a few hundred
rows a day instead of every case and every rating.

``case_figures_due`` lists the cases whose figures are behind them: a push marks the cases
it changed there, in its own transaction, and the figures are worked out later, by the hub
in the background or by a reader of the figures before it reads (0020_h29figlater).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, text, true
from sqlalchemy.orm import Mapped, mapped_column

from windowdesk.domain.applicants import ApplicantKind
from windowdesk.domain.case_sources import CaseSource
from windowdesk.hub.storage.models import Base, CenterCode, TextEnum, Uuid


class CaseFigures(Base):
    __tablename__ = "case_figures"
    __table_args__ = (
        # The report's period: the cases accepted in it (the others are in the day sums).
        # Every index here costs each pushed case one more entry (a WAL record on
        # PostgreSQL): the ones no query read, by finished day and by (case, due day) of
        # every case, went (0019_h29pgwal).
        Index("ix_case_figures_accepted", "accepted_day"),
        # The cards and the queue join an open case to its due day (time_cards.with_due):
        # on PostgreSQL from this index of the unfinished cases alone (0017_h26pages), a
        # few MB, not an index of every case ever accepted; SQLite finds the row by its key.
        Index(
            "ix_case_figures_open_due",
            "case_id",
            "due_day",
            sqlite_where=text("finished_day IS NULL"),
            postgresql_where=text("finished_day IS NULL"),
        ),
        # The few cases the day sums cannot hold (figure_days.counted_apart), counted row by row.
        Index(
            "ix_case_figures_apart",
            "accepted_day",
            sqlite_where=text("counted_apart = 1"),
            postgresql_where=text("counted_apart"),
        ),
    )
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    center_code: Mapped[str] = mapped_column(CenterCode)
    window_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)
    operator_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)
    item_code: Mapped[str] = mapped_column(String(16))
    department_code: Mapped[str | None] = mapped_column(String(8), nullable=True)  # the item's, by the catalog
    applicant_kind: Mapped[ApplicantKind] = mapped_column(TextEnum(ApplicantKind, 20))
    source: Mapped[CaseSource] = mapped_column(TextEnum(CaseSource, 10))
    proxy: Mapped[bool] = mapped_column(Boolean)  # 帮办代办
    deferred: Mapped[bool] = mapped_column(Boolean)  # 容缺受理
    accepted_day: Mapped[dt.date] = mapped_column(Date)
    promised_days: Mapped[int] = mapped_column(Integer)
    # The red and yellow cards' due day: the receipt's promised date (else the catalog's
    # limit) moved on by the suspensions. None while the case is suspended (no card).
    due_day: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # The first day whose used working days pass the limit; None while a running
    # suspension holds the clock short of it. Open overdue at a period's end E: not
    # finished by E and overdue_day <= E (the used days never go down).
    overdue_day: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    completed_day: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    withdrawn_day: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    finished_day: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # the earlier of the two
    handling_days: Mapped[int | None] = mapped_column(Integer, nullable=True)  # used working days at completion
    on_time: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    decided_day: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # the first approve or reject
    delivered_day: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # The first day more than DELIVERY_WORKING_DAYS working days after the decision.
    delivery_due_day: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Not in case_figure_days: a step dated before the acceptance or a delivery before the
    # decision (a window's clock set wrong) makes a figure that no one day can hold.
    # Rows made before the day sums existed are counted apart until they are summed.
    counted_apart: Mapped[bool] = mapped_column(Boolean, server_default=true())


class CaseFigureDay(Base):
    """The figures of the cases of one window operator (as pushed: window and operator,
    '' when none) that fall on one local day. Event figures count on their day (accepted,
    completed, delivered); the open ones are changes (+1 the day a case becomes overdue,
    -1 the day it stops being), summed up to a period's end."""

    __tablename__ = "case_figure_days"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    center_code: Mapped[str] = mapped_column(CenterCode, primary_key=True)
    window_key: Mapped[str] = mapped_column(Uuid, primary_key=True)
    operator_key: Mapped[str] = mapped_column(Uuid, primary_key=True)
    accepted: Mapped[int] = mapped_column(Integer)
    proxy_accepted: Mapped[int] = mapped_column(Integer)
    deferred_accepted: Mapped[int] = mapped_column(Integer)
    online_accepted: Mapped[int] = mapped_column(Integer)
    completed: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)
    handling_days: Mapped[int] = mapped_column(Integer)
    delivered: Mapped[int] = mapped_column(Integer)
    delivered_late: Mapped[int] = mapped_column(Integer)
    open_overdue_change: Mapped[int] = mapped_column(Integer)
    delivery_overdue_change: Mapped[int] = mapped_column(Integer)


class RatingDay(Base):
    """好差评 of one window operator (as the rating names them) on one local day of its
    center, by level, and how many of them came from the web; kept with the ratings
    (hub/services/figure_days.py) for the report by center, window or operator."""

    __tablename__ = "rating_days"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    center_code: Mapped[str] = mapped_column(CenterCode, primary_key=True)
    window_key: Mapped[str] = mapped_column(Uuid, primary_key=True)
    operator_key: Mapped[str] = mapped_column(Uuid, primary_key=True)
    rated_1: Mapped[int] = mapped_column(Integer)
    rated_2: Mapped[int] = mapped_column(Integer)
    rated_3: Mapped[int] = mapped_column(Integer)
    rated_4: Mapped[int] = mapped_column(Integer)
    rated_5: Mapped[int] = mapped_column(Integer)
    web_ratings: Mapped[int] = mapped_column(Integer)


class CaseFigureDue(Base):
    """A case whose figures are to be worked out again (hub/services/figure_catchup.py).

    ``marks`` counts the marks since the row was made: a mark of a case already due
    updates its row (INSERT ... ON CONFLICT DO UPDATE), so on PostgreSQL the marking
    transaction holds the row's lock until it commits, and a refresh that claimed the row
    (``FOR UPDATE SKIP LOCKED``) either skipped it or is waited for: no mark is lost. No
    foreign key: a mark costs a push one B-tree, and a case is never deleted while due."""

    __tablename__ = "case_figures_due"
    case_id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    marks: Mapped[int] = mapped_column(Integer, server_default=text("1"))
