"""The QApplication: Qt's own translations, the bundled CJK font, start-up errors."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from windowdesk import i18n
from windowdesk.errors import WindowdeskError
from windowdesk.paths import resources_dir
from windowdesk.services.context import Database
from windowdesk.ui.object_names import named

BUNDLED_FONT = "fonts/DroidSansFallbackFull.ttf"
CJK_SAMPLE = "受理"


_installed_translators: list[QTranslator] = []


def _install_qt_translations(app: QApplication) -> None:
    """So that stock buttons (OK, Cancel...) speak the same language as ours; those of an
    earlier language are taken out first."""
    while _installed_translators:
        app.removeTranslator(_installed_translators.pop())
    locale = QLocale(i18n.current_locale())
    QLocale.setDefault(locale)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            _installed_translators.append(translator)


def apply_language(app: QApplication, locale_name: str) -> None:
    """Speak ``locale_name`` from now on: our messages, dates and Qt's own buttons.
    Screens already shown word themselves again through their retranslate()."""
    i18n.set_locale(locale_name)
    _install_qt_translations(app)


def apply_saved_language(app: QApplication, db: Database) -> None:
    """The language last chosen at this workstation, once its database is open."""
    from windowdesk.services.preferences import saved_language

    chosen = saved_language(db)
    if chosen is not None and chosen != i18n.current_locale():
        apply_language(app, chosen)


def _ensure_cjk_font(app: QApplication) -> None:
    """Use the bundled font when no installed font can draw Chinese."""
    if any(
        QFontDatabase.writingSystems(f)
        and QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(f)
        for f in QFontDatabase.families()
    ):
        return
    font_id = QFontDatabase.addApplicationFont(str(resources_dir() / BUNDLED_FONT))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        font = QFont(app.font())
        font.setFamilies([families[0], *font.families()])
        app.setFont(font)


def qt_application(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication: the running one, else a new one made from ``argv``."""
    app = QApplication.instance()
    if app is None:
        return QApplication(argv or [])
    if not isinstance(app, QApplication):  # a QCoreApplication: it cannot show widgets
        raise RuntimeError("this process runs a QCoreApplication, not a QApplication")
    return app


def create_application(argv: list[str]) -> QApplication:
    app = qt_application(argv)
    app.setApplicationName("windowdesk")
    app.setOrganizationName("windowdesk")
    _install_qt_translations(app)
    _ensure_cjk_font(app)
    return app


class DatabaseUpdateNotice:
    """A small window saying why start-up takes longer once after an update: the
    database is copied to the backups folder, then updated (tens of seconds on a year's
    cases). Start-up runs before the event loop, so it is painted once and stays."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self.label: QLabel | None = None

    def show(self) -> None:
        self.label = named(QLabel(), "databaseUpdateNotice")
        self.label.setWindowFlags(Qt.WindowType.SplashScreen | Qt.WindowType.WindowStaysOnTopHint)
        self.label.setText(
            i18n._(
                "Updating the database for this version of windowdesk. A copy is kept in the "
                "backups folder first. This happens once and can take a minute; please wait."
            )
        )
        self.label.setWordWrap(True)
        self.label.setMargin(24)
        self.label.resize(460, 140)
        self.label.show()
        self._app.processEvents()

    def close(self) -> None:
        if self.label is not None:
            self.label.close()
            self.label.deleteLater()
            self.label = None


def show_startup_error(error: WindowdeskError, *, quiet: bool) -> None:
    print(f"{error.title}\n{error.message}", file=sys.stderr)
    if not quiet:
        QMessageBox.critical(None, error.title, error.message)
