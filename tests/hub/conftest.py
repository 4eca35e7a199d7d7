"""The hub under test, on SQLite and on a real PostgreSQL server.

Every test that asks for ``hub`` runs twice: on a fresh SQLite file and on PostgreSQL
(WINDOWDESK_TEST_POSTGRES_URL; ``eval "$(bash installer/ci-postgres.sh)"`` starts one).
PostgreSQL: one fresh database per test module, emptied between tests, dropped after.
Without the URL the PostgreSQL runs are skipped, except in CI, where they fail.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import secrets
import shutil
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from starlette.exceptions import StarletteDeprecationWarning

from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.app import create_app
from windowdesk.hub.services import catalog_import, enrollment
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.migrate import migrate_to_head
from windowdesk.hub.storage.models import Base
from windowdesk.i18n import set_locale
from windowdesk.paths import resources_dir
from windowdesk.sync.protocol import API_PREFIX, HEADER_CLIENT, HEADER_PROTOCOL, PROTOCOL_VERSION

with warnings.catch_warnings():
    # Starlette asks for httpx2 and falls back to httpx (which the project pins) with a
    # deprecation warning at import; nothing else of it is deprecated for these tests.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

POSTGRES_ENV = "WINDOWDESK_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")
VERSION_HEADERS = {HEADER_PROTOCOL: str(PROTOCOL_VERSION), HEADER_CLIENT: "windowdesk/0.1.0"}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# The demo centers' zone: their cards, queues and promised dates run on its calendar day,
# which is not the UTC day between 16:00 and midnight UTC.
CENTER_ZONE = ZoneInfo("Asia/Shanghai")


def center_today() -> dt.date:
    """Today at the demo centers: the day a promised date in a test is counted from."""
    return utc_now().astimezone(CENTER_ZONE).date()


def postgres_admin_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(
            f"CI must provide PostgreSQL: {POSTGRES_ENV} is not set. "
            'Run eval "$(bash installer/ci-postgres.sh)" before the tests.'
        )
    pytest.skip(f"no PostgreSQL server for the hub tests ({POSTGRES_ENV} is not set)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for every test (migrating each time is slower)."""
    path = tmp_path_factory.mktemp("hub-template") / "hub.sqlite3"
    migrate_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated once per test process, the template of each module's
    database (copying it is far cheaper than running every migration again), dropped after."""
    admin_url = make_url(postgres_admin_url())
    name = f"wdhub_template_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        migrate_to_head(admin_url.set(database=name).render_as_string(hide_password=False))  # disconnects after
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def postgres_module_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """A fresh, migrated PostgreSQL database for this test module (a copy of the process's
    ``postgres_template``), dropped after it."""
    if backend != "postgresql":
        yield None
        return
    template = request.getfixturevalue("postgres_template")
    admin_url = make_url(postgres_admin_url())
    module = re.sub(r"[^a-z0-9]+", "_", request.module.__name__.rsplit(".", 1)[-1].lower())
    name = f"wdhub_{module}_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty_postgres(url: str) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_catalog_template(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """The migrated template with the demo catalog imported, for ``demo_catalog``."""
    return seeded_sqlite_hub(tmp_path_factory, sqlite_template, Hub.import_demo_catalog)


@pytest.fixture
def hub_sqlite_start(sqlite_template: Path, request: pytest.FixtureRequest) -> Path:
    """The SQLite file each test's hub starts as a copy of: the migrated template, or with
    the demo catalog imported for a test that asks for ``demo_catalog``. A module whose
    tests all start from the same pushed history overrides it with a file it seeded once
    (``seeded_sqlite_hub``); on PostgreSQL such a module seeds each test's hub itself."""
    if "demo_catalog" in request.fixturenames:
        return request.getfixturevalue("sqlite_catalog_template")
    return sqlite_template


@pytest.fixture
def demo_catalog(hub: Hub, backend: str) -> None:
    """The hub under test has the demo catalog (centers, windows, items, departments), as
    ``Hub.import_demo_catalog`` imports it. On SQLite its database is a copy of a template
    imported once per process (``hub_sqlite_start``): importing took some 0.1 s of CPU in
    each of the fast loop's 185 tests that start this way. On PostgreSQL it is imported here."""
    if backend == "postgresql":
        hub.import_demo_catalog()


@pytest.fixture
def hub_url(backend: str, postgres_module_url: str | None, hub_sqlite_start: Path, tmp_path: Path) -> str:
    if backend == "sqlite":
        path = tmp_path / "hub-data" / "hub.sqlite3"
        path.parent.mkdir()
        shutil.copyfile(hub_sqlite_start, path)
        return f"sqlite:///{path}"
    assert postgres_module_url is not None
    _empty_postgres(postgres_module_url)
    return postgres_module_url


@dataclass
class Workstation:
    id: str
    token: str
    center_code: str
    window_code: str

    @property
    def window_id(self) -> str:
        return f"{self.center_code}-{self.window_code}"

    @property
    def headers(self) -> dict[str, str]:
        return {**VERSION_HEADERS, "Authorization": f"Bearer {self.token}"}


@dataclass
class EventFactory:
    """Events as a workstation's outbox sends them (payloads as built in services/)."""

    center: str = "CH"
    window: str = "CH-01"
    seq: int = 0
    clock: dt.datetime = field(default_factory=utc_now)

    def event(self, kind: str, entity: str, entity_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        return {
            "event_id": new_uuid(),
            "seq": self.seq,
            "entity": entity,
            "entity_id": entity_id,
            "kind": kind,
            "payload": payload,
            "created_at": self.clock.isoformat(),
        }

    def resident(self, **changes: Any) -> dict[str, Any]:
        resident_id = new_uuid()
        payload = {
            "id": resident_id,
            "id_number": "230902196210010496",
            "name": "王建国",
            "gender": "male",
            "birth_date": "1962-10-01",
            "phone": "",
            "address": "",
            "welfare_status": None,
            "center": self.center,
            **changes,
        }
        return self.event("resident.registered", "resident", resident_id, payload)

    def case(
        self, applicant_id: str, *, item: str = "MZ-002", number: str | None = None, **changes: Any
    ) -> dict[str, Any]:
        case_id = new_uuid()
        # A well-formed case number of this window; random, so two factories of one
        # window do not clash (the hub refuses a number already used).
        number = number or f"{self.center}-20261125-{self.window.split('-')[1]}-{secrets.randbelow(10**6) + 1:04d}"
        payload = {
            "id": case_id,
            "number": number,
            "center": self.center,
            "window": self.window,
            "operator": new_uuid(),
            "item": item,
            "applicant": {"kind": "resident", "id": applicant_id},
            "status": "accepted",
            "accepted_at": self.clock.isoformat(),
            "promised_date": "2026-12-09",
            "legal_date": "2026-12-23",
            "note": "",
            "materials": [],
            "events": [],
            **changes,
        }
        return self.event("case.accepted", "case", case_id, payload)

    def status(self, case_id: str, action: str, **changes: Any) -> dict[str, Any]:
        payload = {"case_id": case_id, "action": action, "at": self.clock.isoformat(), "note": "", **changes}
        return self.event("case.status", "case", case_id, payload)


def push_encoded_by_python(client: TestClient, workstation: Workstation, events: list[dict[str, Any]]):
    """The batch as a window built on Python's json module sends it: NaN, Infinity and
    lone surrogates included (the test client's own encoder refuses them)."""
    return client.post(
        f"{API_PREFIX}/push",
        content=json.dumps({"events": events}),
        headers={**workstation.headers, "Content-Type": "application/json"},
    )


@dataclass
class Hub:
    """One hub under test: its database, an API client, and shortcuts."""

    url: str
    data_dir: Path
    db: HubDatabase
    client: TestClient

    def import_demo_catalog(self) -> None:
        with self.db.write(feed=True) as session:
            catalog_import.import_catalog(session, folder=resources_dir() / "catalog", now=utc_now())

    def enrollment_code(self, center: str = "CH", window: str = "01", *, now: dt.datetime | None = None) -> str:
        with self.db.write() as session:
            return enrollment.issue_enrollment_code(
                session, center_code=center, window=window, now=now or utc_now()
            ).code

    def enroll(self, center: str = "CH", window: str = "01") -> Workstation:
        reply = self.client.post(
            f"{API_PREFIX}/enroll",
            json={"code": self.enrollment_code(center, window), "client_version": "0.1.0"},
            headers=VERSION_HEADERS,
        )
        assert reply.status_code == 200, reply.text
        body = reply.json()
        return Workstation(body["workstation_id"], body["token"], body["center_code"], body["window_code"])

    def staff_token(self, department: str) -> str:
        with self.db.write() as session:
            return enrollment.issue_staff_token(session, department_code=department, now=utc_now()).token

    def push(self, workstation: Workstation, events: list[dict[str, Any]]):
        return self.client.post(f"{API_PREFIX}/push", json={"events": events}, headers=workstation.headers)

    def push_encoded_by_python(self, workstation: Workstation, events: list[dict[str, Any]]):
        return push_encoded_by_python(self.client, workstation, events)

    def push_results(self, workstation: Workstation, events: list[dict[str, Any]]) -> list[tuple[str, str]]:
        reply = self.push(workstation, events)
        assert reply.status_code == 200, reply.text
        results = reply.json()["results"]
        assert [r["event_id"] for r in results] == [e["event_id"] for e in events]
        return [(r["status"], r["reason"]) for r in results]

    def changes(self, workstation: Workstation, after: int = 0, limit: int | None = None) -> dict[str, Any]:
        params = {"after": after} if limit is None else {"after": after, "limit": limit}
        reply = self.client.get(f"{API_PREFIX}/changes", params=params, headers=workstation.headers)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def cli_args(self, *args: str) -> list[str]:
        return [*args, "--data-dir", str(self.data_dir), "--database-url", self.url]


@contextlib.contextmanager
def open_hub(url: str, data_dir: Path, *, figures_catchup: bool = False) -> Iterator[Hub]:
    """The hub's app on ``url`` with a test client, its database closed after."""
    # No background catch-up of the figures: a test's statements are its own (its readers
    # work the figures out as every reader does, figure_catchup.current_figures).
    settings = dataclasses.replace(
        HubSettings.resolve(data_dir=data_dir, database_url=url), figures_catchup=figures_catchup
    )
    db = HubDatabase(url)
    try:
        with TestClient(create_app(settings, database=db)) as client:
            yield Hub(url, data_dir, db, client)
    finally:
        db.dispose()


@pytest.fixture
def hub(hub_url: str, tmp_path: Path) -> Iterator[Hub]:
    data_dir = tmp_path / "hub-data"
    data_dir.mkdir(exist_ok=True)
    with open_hub(hub_url, data_dir) as hub:
        yield hub


def seeded_sqlite_hub(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, seed: Callable[[Hub], object]
) -> Path:
    """A copy of the migrated SQLite template with ``seed`` run on it once, through the hub's
    own API as a test would: for a module whose tests all start from the same history, which
    took seconds to push for each test. Return it from the module's ``hub_sqlite_start``."""
    data_dir = tmp_path_factory.mktemp("hub-seeded")
    path = data_dir / "hub.sqlite3"
    shutil.copyfile(sqlite_template, path)
    set_locale("en")  # as every test runs (tests/conftest.py's ``_english``): this runs before its fixtures
    with open_hub(f"sqlite:///{path}", data_dir) as hub:
        seed(hub)
    # The last connection checkpointed and removed the write-ahead log: one file is the whole database.
    assert not path.with_name(path.name + "-wal").exists(), path
    return path


@pytest.fixture
def events() -> EventFactory:
    return EventFactory()
