"""The roles of the hub's console accounts (hub/services/console_rights.py says what each
may do). The hub's model reads console_users.role back as these members and refuses to
write any other value (hub/storage/models.py, TextEnum)."""

from __future__ import annotations

from enum import StrEnum


class ConsoleRole(StrEnum):
    DEPARTMENT = "department"  # staff of one department
    SUPERVISOR = "supervisor"  # the supervision office (电子监察)
    ADMINISTRATOR = "administrator"  # the city's setup
