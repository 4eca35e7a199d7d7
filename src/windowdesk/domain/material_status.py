"""What the window found of each of a case's materials at intake (case_materials.status),
and what a one-time notification lists of one (notification_entries.problem: missing or
correction)."""

from __future__ import annotations

from enum import StrEnum


class MaterialStatus(StrEnum):
    RECEIVED = "received"
    MISSING = "missing"  # not brought
    CORRECTION = "correction"  # 补正: brought, to be corrected
    DEFERRED = "deferred"  # 容缺受理: to follow by its due date (domain.deferral)
