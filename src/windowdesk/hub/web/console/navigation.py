"""The console's menu: each part of the console adds its entry here, with who sees it.

The menu only guides; the services check every right again (console_rights.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from windowdesk.hub.services.console_rights import ConsoleActor


@dataclass(frozen=True)
class Section:
    path: str
    label: str  # an N_() message, worded in the page's language by the template
    roles: frozenset[str]


SECTIONS: list[Section] = []


def add_section(path: str, label: str, *roles: str) -> None:
    SECTIONS.append(Section(path, label, frozenset(roles)))


def sections_for(actor: ConsoleActor) -> list[Section]:
    return [section for section in SECTIONS if actor.role in section.roles]
