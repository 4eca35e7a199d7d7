"""The real hub as a separate process, and real workstations that sync with it.

- :class:`HubProcess` seeds a hub in-process with the administrator's commands
  (``windowdesk.hub.cli.main``), serves it with ``windowdesk-hub serve`` as a child
  process (SQLite in its data folder by default, PostgreSQL when given a URL), can
  SIGKILL it and start it again on the same data (and the same port when the system
  lets it), stops it at teardown, and reads the hub's database for the tests' checks.
- :class:`Station` is one workstation: its own encrypted local database made with the
  real services (migrations with a key, the shipped catalog, ``configure_workstation``),
  enrolled with a real code through ``enroll_workstation``, its token in the keyring.
- :func:`make_offline_work` makes events offline through the real services.

Run as a module it is the child process of the tests (``python -m tests.sync.hub_process``):
``generate`` builds workstation databases with offline work, ``sync`` syncs one
workstation until done (the tests SIGKILL it on purpose).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import io
import json
import os
import queue
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ENV = "WINDOWDESK_TEST_POSTGRES_URL"
READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 15.0
SUPERVISOR_PASSWORD = "Duty-Desk-5930"
ENGLISH_TERMINAL = {"LANGUAGE": "en"}


def hub_command() -> list[str]:
    """The installed entry point next to this Python, as an administrator runs it."""
    script = Path(sys.executable).with_name("windowdesk-hub")
    return [str(script)] if script.exists() else [sys.executable, "-m", "windowdesk.hub.cli"]


def child_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **extra}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


# --- PostgreSQL: one fresh database per user, same convention as tests/hub/conftest.py --


def postgres_admin_url() -> str:
    import pytest

    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(
            f"CI must provide PostgreSQL: {POSTGRES_ENV} is not set. "
            'Run eval "$(bash installer/ci-postgres.sh)" before the tests.'
        )
    pytest.skip(f"no PostgreSQL server for the sync tests ({POSTGRES_ENV} is not set)")


@contextlib.contextmanager
def fresh_postgres_database(admin_url: str, tag: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (the hub migrates it), dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    admin = make_url(admin_url)
    name = f"wdsync_{re.sub(r'[^a-z0-9]+', '_', tag.lower())}_{secrets.token_hex(4)}"
    engine = create_engine(admin, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield admin.set(database=name).render_as_string(hide_password=False)
        finally:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


# --- the hub --------------------------------------------------------------------------


class HubProcess:
    """One hub: seeded in-process, served by a child process, inspected through SQL."""

    def __init__(self, data_dir: Path, database_url: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url or f"sqlite:///{self.data_dir / 'hub.sqlite3'}"
        self.log_path = self.data_dir / "hub-serve.log"
        self.process: subprocess.Popen[str] | None = None
        self.port: int | None = None
        self.starts = 0
        self.kills = 0
        self._serve_args: tuple[str, ...] = ()
        self._reader: threading.Thread | None = None
        self._cli_lock = threading.Lock()
        self._engine = None

    @property
    def url(self) -> str:
        assert self.port is not None, "the hub is not started"
        return f"http://127.0.0.1:{self.port}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def args(self, *args: str) -> list[str]:
        return [*args, "--data-dir", str(self.data_dir), "--database-url", self.database_url]

    # administrator's commands, in this process (the same code as the console script)

    def cli(self, *args: str) -> str:
        """The command's output in English, whatever the terminal's locale: callers
        (tests and bench/) read it."""
        from windowdesk.hub.cli import main

        out, err = io.StringIO(), io.StringIO()
        with self._cli_lock, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(self.args(*args), environ=ENGLISH_TERMINAL)
        if code != 0:
            raise AssertionError(f"windowdesk-hub {' '.join(args)} exited {code}: {err.getvalue()}")
        return out.getvalue()

    def import_catalog(self, folder: Path | None = None) -> str:
        from windowdesk.paths import resources_dir

        return self.cli("import-catalog", str(folder or resources_dir() / "catalog"))

    def enrollment_code(self, center: str, window: str) -> str:
        out = self.cli("enroll-code", center, window)
        match = re.search(rf"{re.escape(center)}-{re.escape(window)}: (\S+)", out)
        assert match, out
        return match.group(1)

    # serving

    def start(self, *, port: int | None = None, serve_args: Sequence[str] | None = None) -> str:
        """Start serving; returns the base URL once the ready line is out."""
        assert self.process is None or self.process.poll() is not None, "already serving"
        self._close_process()
        if serve_args is not None:
            self._serve_args = tuple(serve_args)
        wanted = port if port is not None else 0
        try:
            self._spawn(wanted)
        except _PortBusy:
            self._spawn(0)  # the old port is still taken: any free one
        return self.url

    def _spawn(self, port: int) -> None:
        command = [*hub_command(), *self.args("serve", "--host", "127.0.0.1", "--port", str(port), *self._serve_args)]
        with self.log_path.open("a") as log:
            log.write(f"--- start {self.starts + 1}: port {port}\n")
            log.flush()
            self.process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                env=child_env(),
                cwd=self.data_dir,
            )
        lines: queue.Queue[str | None] = queue.Queue()
        process = self.process

        def drain() -> None:
            for line in process.stdout:  # type: ignore[union-attr]
                lines.put(line)
            lines.put(None)

        self._reader = threading.Thread(target=drain, name="hub-stdout", daemon=True)
        self._reader.start()
        try:
            line = lines.get(timeout=READY_TIMEOUT_S)
        except queue.Empty:
            self._close_process(kill=True)
            raise AssertionError(f"the hub printed nothing in {READY_TIMEOUT_S} s; log: {self.log_tail()}") from None
        if line is None:
            self._close_process(kill=True)
            if port and "address already in use" in self.log_tail().lower():
                raise _PortBusy()
            raise AssertionError(f"the hub exited before it was ready; log: {self.log_tail()}")
        match = re.fullmatch(r"windowdesk-hub listening on http://127\.0\.0\.1:(\d+)\n", line)
        assert match, f"unexpected first line: {line!r}"
        self.port = int(match.group(1))
        self.starts += 1

    def log_tail(self, size: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def unexpected_errors(self) -> str:
        """The hub's own error reports (a 500 it sent, with its traceback), if any."""
        log = self.log_tail(size=1_000_000)
        start = log.find(" ERROR windowdesk.hub")
        return log[start : start + 6000] if start >= 0 else ""

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, whatever the hub was doing."""
        if self.alive():
            self.process.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
            self.kills += 1
        self._close_process()

    def restart(self) -> str:
        """Kill if needed, then serve the same data again, on the same port if possible."""
        self.kill()
        return self.start(port=self.port)

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL if it does not stop in time. Returns the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
        code = self.process.wait(timeout=STOP_TIMEOUT_S)
        self._close_process()
        return code

    def _close_process(self, *, kill: bool = False) -> None:
        process = self.process
        if process is None:
            return
        if kill and process.poll() is None:
            process.kill()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_S)
        if self._reader is not None:
            self._reader.join(timeout=5)
            self._reader = None
        if process.stdout is not None:
            process.stdout.close()
        self.process = None

    def drop_inspection(self) -> None:
        """Forget the inspection engine's connections (the database file was replaced)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def close(self) -> None:
        """Teardown: stop serving, drop the inspection engine."""
        try:
            self.stop()
        finally:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    # inspection of the hub's database

    @property
    def engine(self):
        if self._engine is None:
            from sqlalchemy import create_engine
            from sqlalchemy.pool import NullPool

            self._engine = create_engine(self.database_url, poolclass=NullPool)
        return self._engine

    def rows(self, sql: str, **params: Any) -> list[tuple]:
        from sqlalchemy import text

        with self.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]

    def scalar(self, sql: str, **params: Any) -> Any:
        rows = self.rows(sql, **params)
        return rows[0][0] if rows else None


class _PortBusy(Exception):
    """The hub could not take back its old port after a restart."""


def catalog_without(item_code: str, folder: Path) -> Path:
    """The shipped catalog in ``folder`` without ``item_code``: a hub that publishes it
    refuses the cases a window accepts for that item by its own shipped catalog."""
    from windowdesk.paths import resources_dir

    shutil.copytree(resources_dir() / "catalog", folder)
    items = json.loads((folder / "items.json").read_text(encoding="utf-8"))
    items["version"] = f"{items['version']}-without-{item_code}"
    items["items"] = [item for item in items["items"] if item["code"] != item_code]
    (folder / "items.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return folder


@contextlib.contextmanager
def serving_hub(data_dir: Path) -> Iterator[HubProcess]:
    """A hub on SQLite in ``data_dir``, the demo catalog imported, serving on loopback."""
    hub = HubProcess(data_dir)
    try:
        hub.import_catalog()
        hub.start()
        yield hub
    finally:
        hub.close()


# --- workstations ---------------------------------------------------------------------


def _clock(offset_hours: float):
    from windowdesk.services.context import utc_now

    if not offset_hours:
        return utc_now
    offset = dt.timedelta(hours=offset_hours)
    return lambda: utc_now() + offset


@dataclass
class Station:
    """One workstation with its own encrypted database (open while ``db`` is set)."""

    center: str
    window: str
    folder: Path
    key: bytes
    clock_offset_hours: float = 0.0
    db: Any = None
    ctx: Any = None
    calendar: Any = None
    workstation_id: str = ""
    hub_url: str = ""

    @property
    def name(self) -> str:
        return f"{self.center}-{self.window}"

    @property
    def path(self) -> Path:
        return self.folder / "windowdesk.sqlite3"

    def open(self) -> Station:
        from windowdesk.paths import resources_dir
        from windowdesk.services import working_days, workstation
        from windowdesk.storage.db import Database

        self.db = Database(self.path, key=self.key)
        ctx = workstation.current_context(self.db)
        assert ctx is not None and (ctx.center_code, ctx.window_code) == (self.center, self.window)
        self.ctx = dataclasses.replace(ctx, clock=_clock(self.clock_offset_hours))
        self.calendar = working_days.load_shipped_calendar(resources_dir())
        return self

    def close(self) -> None:
        if self.db is not None:
            self.db.dispose()
            self.db = None

    def clock(self):
        return _clock(self.clock_offset_hours)

    def administrator(self):
        """This workstation's administrator (made on first use): context and credentials."""
        from tests.administrators import administrator_of

        return administrator_of(self.db, self.ctx)

    def enroll(self, hub_url: str, code: str, **options: Any) -> dict[str, str]:
        """Enrolled by its administrator, as at the window (options: enroll_workstation's)."""
        from windowdesk.services.hub_enrollment import enroll_workstation, enrollment_client
        from windowdesk.sync.credentials import TokenStore

        admin_ctx, credentials = self.administrator()
        client = enrollment_client(hub_url, options.pop("ca_bundle", None))
        try:
            answer = enroll_workstation(
                self.db,
                admin_ctx,
                administrator=credentials,
                hub_url=hub_url,
                code=code,
                client=client,
                token_store_for=TokenStore,
                ca_bundle=client.ca_bundle,
                **options,
            )
        finally:
            client.close()
        self.workstation_id = answer["workstation_id"]
        self.hub_url = hub_url
        return answer

    def token(self) -> str:
        from windowdesk.services.sync import workstation_account
        from windowdesk.sync.credentials import TokenStore

        account = workstation_account(self.db)
        assert account, "not enrolled"
        token = TokenStore(account).get()
        assert token, "no token in the keyring"
        return token

    def hub_client(self, *, timeout: tuple[float, float] = (2.0, 5.0)):
        from windowdesk.services.sync import hub_client_for

        client = hub_client_for(self.db, self.token())  # the hub pinned at enrollment, checked
        client.timeout = timeout
        return client

    def runner(self, client, **options: Any):
        from windowdesk.services.sync import SyncRunner

        options.setdefault("clock", self.clock())
        return SyncRunner(self.db, client, **options)

    def outbox(self) -> dict[str, str]:
        """event id -> state (pending / rejected) of what is still in the outbox: not the
        events the hub confirmed, kept there a while (storage/sent_events.py)."""
        from windowdesk.domain.outbox_state import OutboxState
        from windowdesk.storage import models as m

        with self.db.read() as session:
            return dict(
                session.query(m.OutboxEvent.event_id, m.OutboxEvent.state).filter(
                    m.OutboxEvent.state != OutboxState.SENT
                )
            )


def create_station(
    folder: Path, center: str, window: str, *, key: bytes | None = None, clock_offset_hours: float = 0.0
) -> Station:
    """A freshly set-up workstation: migrated encrypted database, shipped catalog, a supervisor."""
    from windowdesk.paths import resources_dir
    from windowdesk.services import bootstrap, workstation
    from windowdesk.storage.crypto import new_key
    from windowdesk.storage.db import Database
    from windowdesk.storage.migrate import migrate_to_head

    folder.mkdir(parents=True, exist_ok=True)
    station = Station(center, window, folder, key or new_key(), clock_offset_hours)
    migrate_to_head(station.path, folder / "backups", key=station.key)
    db = Database(station.path, key=station.key)
    try:
        bootstrap.ensure_catalog(db, resources_dir())
        workstation.configure_workstation(
            db,
            center_code=center,
            window_code=window,
            operator_name=f"值班长{center}{window}",
            operator_login=f"sup-{center.lower()}-{window}",
            password=SUPERVISOR_PASSWORD,
            role="supervisor",
        )
    finally:
        db.dispose()
    return station.open()


def copy_database(source: Path, folder: Path) -> Path:
    """Copy a closed SQLite database file (and its -wal / -shm files, if any are left)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in source.parent.glob(source.name + "*"):
        shutil.copyfile(path, folder / path.name)
    return folder / source.name


def copy_station(template: Station, folder: Path) -> Station:
    """A copy of a closed template workstation's database (same key, same work)."""
    copy_database(template.path, folder)
    return Station(template.center, template.window, folder, template.key, template.clock_offset_hours).open()


# --- offline work through the real services -------------------------------------------


def _id_number(n: int) -> str:
    from windowdesk.domain.ids import resident_id_check_char

    birth = dt.date(1940, 1, 1) + dt.timedelta(days=n * 7)
    first17 = f"230902{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


@dataclass
class WorkDone:
    events: int = 0  # outbox rows made (an action may make more than one: its audit entry)
    registrations: int = 0
    cases: int = 0
    notifications: int = 0
    refusals: int = 0
    next_resident: int = 0
    applicants: list = field(default_factory=list)

    @property
    def actions(self) -> int:
        return self.registrations + self.cases + self.notifications + self.refusals


def _outbox_size(station: Station) -> int:
    from windowdesk.storage import queries

    with station.db.read() as session:
        return queries.outbox_count(session, "pending") + queries.outbox_count(session, "rejected")


def make_offline_work(station: Station, count: int, *, seed: int, done: WorkDone | None = None) -> WorkDone:
    """At least ``count`` more outbox events through the real services: 2 actions of
    every 5 a resident registration, the others an intake decision (mostly acceptances,
    some one-time notifications and refusals) for a resident registered before."""
    from windowdesk.services import applicants, intake
    from windowdesk.storage import models as m

    done = done or WorkDone()
    rng = random.Random(seed)
    with station.db.read() as session:
        items = [
            (item.code, [(mat.code, mat.required) for mat in item.materials])
            for item in session.query(m.CatalogItem).filter_by(active=True).order_by(m.CatalogItem.code)
            if item.materials and (station.center == "CH" or item.street_level)
        ]
    assert items, "no catalog items for this center"
    start = _outbox_size(station)
    made = 0
    while made < count:
        if not done.applicants or (done.actions % 5 in (0, 2)):
            done.next_resident += 1
            n = done.next_resident
            summary = applicants.register_resident(
                station.db,
                station.ctx,
                id_number=_id_number(n),
                name=f"居民{station.window}{n}",
                phone=f"139{n:08d}",
            )
            done.applicants.append(summary.ref)
            done.registrations += 1
        else:
            code, materials = rng.choice(items)
            applicant = rng.choice(done.applicants)
            roll = rng.random()
            required = [c for c, req in materials if req]
            if roll < 0.08:
                intake.refuse_application(
                    station.db,
                    station.ctx,
                    item_code=code,
                    applicant=applicant,
                    reason="申请事项不属于本机关职权范围",
                    legal_basis="《中华人民共和国行政许可法》第三十二条",
                )
                done.refusals += 1
            elif roll < 0.2 and required:
                missing = rng.choice(required)
                checks = [
                    intake.MaterialCheck(c, intake.MISSING if c == missing else intake.RECEIVED) for c, _r in materials
                ]
                intake.notify_missing(station.db, station.ctx, item_code=code, applicant=applicant, checks=checks)
                done.notifications += 1
            else:
                checks = [intake.MaterialCheck(c, intake.RECEIVED) for c, _r in materials]
                intake.accept_case(
                    station.db,
                    station.ctx,
                    item_code=code,
                    applicant=applicant,
                    checks=checks,
                    shipped_calendar=station.calendar,
                )
                done.cases += 1
        made = _outbox_size(station) - start
    done.events += made
    return done


# --- the child process ------------------------------------------------------------------


def _generate(args: argparse.Namespace) -> int:
    """Make a workstation database with offline work; with --snapshot-after, also a copy
    of the database as it was after that many events."""
    folder = Path(args.folder)
    key = bytes.fromhex(args.key_hex)
    station = create_station(
        folder / "work", args.center, args.window, key=key, clock_offset_hours=args.clock_offset_hours
    )
    done = WorkDone()
    try:
        if args.snapshot_after:
            make_offline_work(station, args.snapshot_after, seed=args.seed, done=done)
            station.close()
            copy_database(station.path, folder / "snapshot")
            station.open()
        make_offline_work(station, args.events - done.events, seed=args.seed + 1, done=done)
    finally:
        station.close()
    print(
        json.dumps(
            {
                "events": done.events,
                "registrations": done.registrations,
                "cases": done.cases,
                "notifications": done.notifications,
                "refusals": done.refusals,
            }
        ),
        flush=True,
    )
    return 0


def _sync(args: argparse.Namespace) -> int:
    """Sync one enrolled workstation until its outbox is empty and a pull completed;
    one JSON line per progress step (the parent may SIGKILL this process any time)."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    from windowdesk.services.sync import SyncRunner, sync_status

    backend = PlaintextKeyring()
    backend.file_path = args.keyring_file
    keyring.set_keyring(backend)
    station = Station(
        args.center, args.window, Path(args.folder), bytes.fromhex(args.key_hex), args.clock_offset_hours
    ).open()
    deadline = time.monotonic() + args.deadline
    try:
        rounds = 0
        while time.monotonic() < deadline:
            rounds += 1
            client = station.hub_client(timeout=(args.connect_timeout, args.read_timeout))
            try:
                runner = SyncRunner(
                    station.db,
                    client,
                    push_batch=args.push_batch,
                    pull_page=args.pull_page,
                    retries=args.retries,
                    backoff_base=args.backoff,
                    backoff_cap=args.backoff * 8,
                    clock=station.clock(),
                )

                def progress(state) -> None:
                    print(
                        json.dumps({"phase": state.phase, "pushed": state.pushed, "pulled": state.pulled}), flush=True
                    )

                report = runner.run(progress=progress)
            finally:
                client.close()
            status = sync_status(station.db)
            print(
                json.dumps(
                    {
                        "round": rounds,
                        "ok": report.ok,
                        "pending": status.pending,
                        "applied": report.applied,
                        "duplicates": report.duplicates,
                        "error": report.error.message if report.error else "",
                    }
                ),
                flush=True,
            )
            if report.ok and status.pending == 0:
                print(json.dumps({"done": True, "rounds": rounds}), flush=True)
                return 0
            time.sleep(0.05)
        return 3
    finally:
        station.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.sync.hub_process")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("generate", "sync"):
        sub = commands.add_parser(name)
        sub.add_argument("--folder", required=True)
        sub.add_argument("--key-hex", required=True)
        sub.add_argument("--center", required=True)
        sub.add_argument("--window", required=True)
        sub.add_argument("--clock-offset-hours", type=float, default=0.0)
    gen = commands.choices["generate"]
    gen.add_argument("--events", type=int, required=True)
    gen.add_argument("--snapshot-after", type=int, default=0)
    gen.add_argument("--seed", type=int, default=1)
    sync = commands.choices["sync"]
    sync.add_argument("--keyring-file", required=True)
    sync.add_argument("--deadline", type=float, default=120.0)
    sync.add_argument("--push-batch", type=int, default=200)
    sync.add_argument("--pull-page", type=int, default=500)
    sync.add_argument("--retries", type=int, default=4)
    sync.add_argument("--backoff", type=float, default=0.02)
    sync.add_argument("--connect-timeout", type=float, default=2.0)
    sync.add_argument("--read-timeout", type=float, default=5.0)
    args = parser.parse_args(argv)
    from windowdesk.i18n import set_locale

    set_locale("en")
    return _generate(args) if args.command == "generate" else _sync(args)


if __name__ == "__main__":
    sys.exit(main())
