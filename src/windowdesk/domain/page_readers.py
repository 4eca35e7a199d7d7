"""Who read a case's page bytes at the hub (page_readings.actor_kind)."""

from __future__ import annotations

from enum import StrEnum


class PageReader(StrEnum):
    DEPARTMENT = "department"
    CENTER = "center"
    ARCHIVE = "archive"  # the hub's own export, run by its administrator (case_archive)
