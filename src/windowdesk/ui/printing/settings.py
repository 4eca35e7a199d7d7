"""The paper each kind of document is printed on: a user preference per document,
kept with QSettings, defaulting to ``printing.paper.DEFAULT_PAPER``."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from windowdesk.printing.paper import DocumentKind, PaperFormat, default_paper

GROUP = "printing/paper"


class PaperSettings:
    def __init__(self, settings: QSettings | None = None) -> None:
        # Tests pass their own (an INI file in a temporary folder), never the user's.
        self._settings = settings if settings is not None else QSettings("windowdesk", "windowdesk")

    def paper_for(self, kind: DocumentKind) -> PaperFormat:
        kind = DocumentKind(kind)
        stored = self._settings.value(f"{GROUP}/{kind.value}", "")
        try:
            return PaperFormat(stored)
        except ValueError:  # never chosen, or a value from another version
            return default_paper(kind)

    def set_paper_for(self, kind: DocumentKind, paper: PaperFormat) -> None:
        self._settings.setValue(f"{GROUP}/{DocumentKind(kind).value}", PaperFormat(paper).value)
        self._settings.sync()
