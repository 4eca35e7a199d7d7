"""Fixtures shared by every test folder. Nothing heavy runs unless a test asks for it."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from windowdesk.domain import passwords
from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.heap import settle_startup_heap
from windowdesk.i18n import set_locale
from windowdesk.services.context import CounterContext
from windowdesk.storage.db import Database

from . import process_guard
from .hypothesis_profiles import FAST_LOOP_PROFILE
from .slow_suites import SLOW_FIXTURES, SLOW_MODULES, SLOW_TESTS

ROOT = Path(__file__).resolve().parents[1]

# The tests' compiled form (pytest rewrites each test module's asserts) and the sources'
# bytecode are kept in __pycache__ even where the shell sets PYTHONDONTWRITEBYTECODE (this
# machine's does): compiling some 550 test modules again cost each test process about 9 s of
# CPU at every run, half of collecting the tests. Set here, before any test module is imported.
sys.dont_write_bytecode = False

# The one test-only setting of the password hash's cost, made before any fixture hashes one:
# at production's (passwords.SCRYPT_N = 2**14) each hash and each check costs some 50 ms of
# CPU, and hundreds of tests make accounts, log in or have a supervisor approve. A program
# started without this setting hashes at production's cost
# (tests/unit/domain/test_passwords.py::test_a_program_hashes_at_production_cost).
TEST_SCRYPT_N = 2**10
passwords.SCRYPT_N = TEST_SCRYPT_N


def is_fast_loop(config: pytest.Config) -> bool:
    """Whether this run is the fast loop: its mark expression is exactly ``not slow``."""
    return " ".join(str(config.getoption("markexpr", "") or "").split()) == "not slow"


def pytest_configure(config: pytest.Config) -> None:
    """The fast loop runs hypothesis' tests with a tenth of their examples
    (tests/hypothesis_profiles.py); CI's full run keeps every one. Loaded here, before any
    test module is imported, so that ``examples(n)`` in a decorator sees it. And in the
    fast loop a test not marked slow that starts a process fails (tests/process_guard.py)."""
    if not is_fast_loop(config):
        return
    if config.getoption("hypothesis_profile", None) is None:
        settings.load_profile(FAST_LOOP_PROFILE)
    if not config.pluginmanager.is_registered(process_guard):
        config.pluginmanager.register(process_guard, "windowdesk-process-guard")


def pytest_collection_finish(session: pytest.Session) -> None:
    """The test process's heap settled as the window's and the hub's are once started
    (windowdesk.heap): what collecting made (every module imported, the tests' own objects)
    lives until the end, and Python's full collections walked it again each time the heap
    grew by a quarter, some 0.2 to 0.5 s of CPU each in a test process; set aside here, the
    full collections walk only what the tests make."""
    settle_startup_heap()


def _starts_a_process(item: pytest.Item) -> bool:
    """Whether one of the item's fixtures is one of SLOW_FIXTURES (a browser, a hub or a
    hall process), known by where it is defined: fixtures of one name differ by module."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        f"{definitions[-1].func.__module__}.{name}" in SLOW_FIXTURES
        for name, definitions in info.name2fixturedefs.items()
        if definitions
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow suites (tests/slow_suites.py): the fast loop leaves them out."""
    for item in items:
        path = item.path.relative_to(ROOT).as_posix()
        name = getattr(item, "originalname", item.name)
        # A test class (hypothesis' state machines are TestCases) is listed by its own name.
        outer = item.nodeid.split("[")[0].split("::")[1] if "::" in item.nodeid else name
        callspec = getattr(item, "callspec", None)
        on_postgresql = callspec is not None and callspec.params.get("backend") == "postgresql"
        if (
            path in SLOW_MODULES
            or f"{path}::{name}" in SLOW_TESTS
            or f"{path}::{outer}" in SLOW_TESTS
            or on_postgresql
            or _starts_a_process(item)
        ):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True, scope="session")
def _offscreen_qt() -> None:
    # Session scope: in place before pytest-qt's session ``qapp`` is made.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session", autouse=True)
def _session_keyring(tmp_path_factory) -> Iterator[object]:
    """A real file keyring of the test process, for what runs outside a test's own: a
    module's or session's fixtures (a workstation enrolled once for a module keeps its
    token here). Set by hand, because asking keyring for the backend it would choose
    itself loads every backend it knows, and its macOS one runs ``ldconfig`` (a process,
    some 0.1 s of CPU, in each test process)."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path_factory.mktemp("session-keyring") / "keyring_pass.cfg")
    keyring.set_keyring(backend)
    yield backend


@pytest.fixture(autouse=True)
def _private_keyring(tmp_path_factory, _session_keyring) -> Iterator[None]:
    """Every test gets a real file keyring in its own folder, never the user's keyring;
    between tests the process's own (``_session_keyring``) is back."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path_factory.mktemp("keyring") / "keyring_pass.cfg")
    keyring.set_keyring(backend)
    yield
    keyring.set_keyring(_session_keyring)


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Source strings are English; a test that switches language does not leak it. The
    hub's command line speaks the terminal's language (zh_CN where it names none):
    English here, whatever locale the machine running the tests has."""
    set_locale("en")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANGUAGE", "en")
    yield
    set_locale("en")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path


@dataclass(frozen=True)
class _Templates:
    """Databases made once per test process and copied for each test: migrating and seeding
    the demo took over a second per test, a copy takes milliseconds. What ``demo`` gives
    beside its copy is read once here too: the demo's context (the same in every copy) and
    the shipped calendar, read again for each test before (some 25 ms of CPU)."""

    key: bytes
    migrated: Path
    demo: Path
    demo_ctx: CounterContext
    calendar: WorkingCalendar


@pytest.fixture(scope="session")
def _database_templates(tmp_path_factory: pytest.TempPathFactory) -> _Templates:
    from windowdesk.paths import resources_dir
    from windowdesk.services import bootstrap, working_days
    from windowdesk.storage.crypto import new_key
    from windowdesk.storage.migrate import migrate_to_head

    folder = tmp_path_factory.mktemp("database-templates")
    key = new_key()
    migrated = folder / "migrated.sqlite3"
    migrate_to_head(migrated, folder / "backups", key=key)
    demo = folder / "demo.sqlite3"
    shutil.copyfile(migrated, demo)
    db = Database(demo, key=key)
    try:
        bootstrap.ensure_demo(db, resources_dir())
        demo_ctx = bootstrap.ensure_demo(db, resources_dir())  # seeded already: the context every copy reads
    finally:
        db.dispose()
    for template in (migrated, demo):
        # The last connection checkpointed and removed the write-ahead log: one file is the whole database.
        assert not template.with_name(template.name + "-wal").exists(), template
    return _Templates(key, migrated, demo, demo_ctx, working_days.load_shipped_calendar(resources_dir()))


def _copy_of(template: Path, data_dir: Path, key: bytes) -> Database:
    path = data_dir / "windowdesk.sqlite3"
    # One database per test folder: a second copy (``demo`` beside a snapshot's) would replace the first.
    assert not path.exists(), f"{path} is already a test's database"
    shutil.copyfile(template, path)
    return Database(path, key=key)


@pytest.fixture
def migrated_db(request: pytest.FixtureRequest, data_dir: Path, _database_templates: _Templates) -> Iterator[Database]:
    """A fresh database on a real SQLite file, migrated to head. Encrypted, as on every
    counter: the whole suite runs on SQLCipher files (one key per test process). A test that
    also uses ``demo`` gets the demo's database here: one file, seeded."""
    template = _database_templates.demo if "demo" in request.fixturenames else _database_templates.migrated
    db = _copy_of(template, data_dir, _database_templates.key)
    try:
        yield db
    finally:
        db.dispose()


@dataclass(frozen=True)
class Demo:
    db: Database
    ctx: CounterContext
    calendar: WorkingCalendar


@dataclass(frozen=True)
class DemoSnapshot:
    """A demo database one module seeded once (``snapshot_of_demo``), and what the seeding
    returned (contexts, ids): each test opens its own copy (``open_copy``), as ``demo`` does."""

    path: Path
    key: bytes
    ctx: CounterContext  # the demo's own, as ``demo`` gives it (a log-in while seeding moves the current one)
    seeded: Any

    @contextlib.contextmanager
    def open_copy(self, data_dir: Path) -> Iterator[tuple[Demo, Any]]:
        from windowdesk.paths import resources_dir
        from windowdesk.services import working_days

        db = _copy_of(self.path, data_dir, self.key)
        try:
            yield Demo(db, self.ctx, working_days.load_shipped_calendar(resources_dir())), self.seeded
        finally:
            db.dispose()


def snapshot_of_demo(
    tmp_path_factory: pytest.TempPathFactory, templates: _Templates, seed: Callable[[Demo], Any]
) -> DemoSnapshot:
    """The demo database with ``seed`` run on it once: for a module whose tests all start
    from the same history, which took seconds to write through the services for each test."""
    path = tmp_path_factory.mktemp("demo-snapshot") / "windowdesk.sqlite3"
    shutil.copyfile(templates.demo, path)
    db = Database(path, key=templates.key)
    try:
        set_locale("en")  # as every test runs (``_english``): this runs before a test's own fixtures
        demo = _demo_on(db)
        seeded = seed(demo)
    finally:
        db.dispose()
    assert not path.with_name(path.name + "-wal").exists(), path  # one file is the whole database
    return DemoSnapshot(path, templates.key, demo.ctx, seeded)


def _demo_on(db: Database) -> Demo:
    from windowdesk.paths import resources_dir
    from windowdesk.services import bootstrap, working_days

    ctx = bootstrap.ensure_demo(db, resources_dir())  # seeded already: reads its context
    return Demo(db, ctx, working_days.load_shipped_calendar(resources_dir()))


@pytest.fixture
def demo(migrated_db: Database, _database_templates: _Templates) -> Demo:
    """The demo workstation (center CH, window 01) with its catalog and residents."""
    return Demo(migrated_db, _database_templates.demo_ctx, _database_templates.calendar)


_ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")


def _looks_like_resident_id(text: str) -> bool:
    from windowdesk.domain.ids import resident_id_check_char

    return resident_id_check_char(text[:17]) == text[17].upper()


@pytest.fixture(autouse=True, scope="session")
def _no_personal_data_in_logs(tmp_path_factory) -> Iterator[None]:
    """Everything windowdesk logs during the whole session, at every level, and every
    log file the tests' data folders hold, must be free of resident ID numbers."""
    session_log = tmp_path_factory.mktemp("session-log") / "windowdesk-tests.log"
    handler = logging.FileHandler(session_log, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    logger = logging.getLogger("windowdesk")
    previous_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    logger.setLevel(previous_level)
    handler.close()
    leaks = []
    for log_file in [session_log, *tmp_path_factory.getbasetemp().rglob("*.log")]:
        text = log_file.read_text(encoding="utf-8", errors="replace")
        leaks += [f"{log_file.name}: {m}" for m in _ID_NUMBER.findall(text) if _looks_like_resident_id(m)]
    assert not leaks, f"resident ID numbers were logged: {leaks[:5]}"
