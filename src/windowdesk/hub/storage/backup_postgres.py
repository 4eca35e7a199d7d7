"""The PostgreSQL side of the hub's backups (backup.py says how they are made): ``pg_dump``
in its custom format, checked with ``pg_restore --list``, restored with ``pg_restore
--single-transaction``. Encrypted (backup_crypt.py), the dump passes through a pipe
both ways: ``pg_dump``'s output is encrypted as it comes, and ``pg_restore`` reads the
copy as it is decrypted and verified, so no clear dump is written to any disk.

The tools get the connection in libpq's environment variables, the password kept out of
their command line (which every user of the machine can read).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, cast

from sqlalchemy.engine import URL, make_url

from windowdesk.hub.errors import CopyFailed, InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.storage import backup_crypt
from windowdesk.hub.storage.backup_crypt import BackupKey
from windowdesk.i18n import N_

PG_TIMEOUT_S = 6 * 3600


def _libpq_environment(url: str) -> dict[str, str]:
    """The connection for pg_dump and pg_restore, the password kept out of their command
    line (which every user of the machine can read)."""
    parsed: URL = make_url(url)
    environment = dict(os.environ)
    for name, value in (
        ("PGHOST", parsed.host),
        ("PGPORT", parsed.port),
        ("PGUSER", parsed.username),
        ("PGPASSWORD", parsed.password),
        ("PGDATABASE", parsed.database),
    ):
        if value is not None:
            environment[name] = str(value)
    if "sslmode" in parsed.query:
        environment["PGSSLMODE"] = str(parsed.query["sslmode"])
    return environment


def _tool(tool: str) -> str:
    executable = shutil.which(tool)
    if executable is None:
        raise CopyFailed(
            Text(
                N_(
                    "{tool} is not installed on this computer. Install PostgreSQL's client programs (on Debian: apt "
                    "install postgresql-client, of the server's version or newer), then try again."
                ),
                tool=tool,
            )
        )
    return executable


def _run_postgres_tool(tool: str, *args: str, url: str) -> str:
    """The tool's standard output; its last error line in the message when it fails."""
    executable = _tool(tool)
    try:
        finished = subprocess.run(
            [executable, *args],
            env=_libpq_environment(url),
            capture_output=True,
            text=True,
            timeout=PG_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        finished = None
    if finished is None or finished.returncode != 0:
        raise CopyFailed(Text(N_("{tool} did not succeed: {detail}"), tool=tool, detail=_tool_failure(finished)))
    output: str = finished.stdout
    return output


def _tool_failure(finished: subprocess.CompletedProcess[str] | None) -> str:
    """The tool's last error line; else how it ended."""
    if finished is None:
        return f"no end after {PG_TIMEOUT_S} s"
    lines = finished.stderr.strip().splitlines()
    if lines:
        return lines[-1][:300]
    if finished.returncode < 0:
        return f"stopped by {signal.Signals(-finished.returncode).name}"
    return f"exit code {finished.returncode}"


def _run_piped(
    tool: str,
    *args: str,
    url: str,
    feed: Callable[[BinaryIO], None] | None = None,
    drain: Callable[[BinaryIO], None] | None = None,
) -> str:
    """Like :func:`_run_postgres_tool`, with ``feed`` writing the tool's standard input or
    ``drain`` reading its standard output as it comes. If either raises (a chunk that
    does not verify), the tool is killed before it has read to the end: pg_restore,
    in its single transaction, then changes nothing."""
    executable = _tool(tool)
    with tempfile.TemporaryFile() as output, tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [executable, *args],
            env=_libpq_environment(url),
            stderr=errors,
            stdin=subprocess.PIPE if feed is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE if drain is not None else output,
        )
        try:
            # Pipes where a drain or a feed was given (binary: no text= above).
            if drain is not None:
                drain(cast(BinaryIO, process.stdout))
            if feed is not None:
                stdin = cast(BinaryIO, process.stdin)
                feed(stdin)
                with contextlib.suppress(BrokenPipeError):
                    stdin.close()
            returncode = process.wait(timeout=PG_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise CopyFailed(
                Text(N_("{tool} did not succeed: {detail}"), tool=tool, detail=_tool_failure(None))
            ) from None
        except BaseException:
            process.kill()
            process.wait()
            raise
        finally:
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    with contextlib.suppress(BrokenPipeError):
                        pipe.close()
        if returncode != 0:
            errors.seek(0)
            finished = subprocess.CompletedProcess(args, returncode, "", errors.read().decode("utf-8", "replace"))
            raise CopyFailed(Text(N_("{tool} did not succeed: {detail}"), tool=tool, detail=_tool_failure(finished)))
        output.seek(0)
        return output.read().decode("utf-8", "replace")


class _PipeSink:
    """Writes to a tool's standard input until the tool stops reading (pg_restore --list
    reads only the archive's table of contents); what follows is verified, not sent."""

    def __init__(self, pipe: BinaryIO) -> None:
        self._pipe: BinaryIO | None = pipe

    def write(self, data: bytes) -> None:
        if self._pipe is None:
            return
        try:
            self._pipe.write(data)
        except BrokenPipeError:
            self._pipe = None


def _decrypting_into(backup: Path, key: BackupKey) -> Callable[[BinaryIO], None]:
    def feed(pipe: BinaryIO) -> None:
        backup_crypt.decrypt_file(backup, key, _PipeSink(pipe).write)

    return feed


def check_dump(url: str, dump: Path, key: BackupKey | None = None) -> None:
    """A whole custom-format dump of a hub (decrypted with ``key`` as it is read), or refused.

    The listing reads only the table of contents at the head of the file, which a copy cut
    short keeps whole once the data behind it is larger than the head (the catalog's form
    files made it so): every entry's data is read too, into nothing, so a truncated copy is
    refused here and not half-way through a restore."""
    try:
        if key is None:
            listing = _run_postgres_tool("pg_restore", "--list", str(dump), url=url)
            _run_postgres_tool("pg_restore", f"--file={os.devnull}", str(dump), url=url)
        else:
            listing = _run_piped("pg_restore", "--list", url=url, feed=_decrypting_into(dump, key))
            _run_piped("pg_restore", f"--file={os.devnull}", url=url, feed=_decrypting_into(dump, key))
    except CopyFailed:
        if shutil.which("pg_restore") is None:
            raise  # not installed: said as such
        raise not_a_hub_backup(dump) from None
    # A table's line: "214; 1259 41488 TABLE public alembic_version postgres".
    tables = {
        line.split(" TABLE public ", 1)[1].split()[0]
        for line in listing.splitlines()
        if " TABLE public " in line and not line.lstrip().startswith(";")
    }
    if not {"pushed_events", "changes", "alembic_version"} <= tables:
        raise not_a_hub_backup(dump)


def table_rows(
    url: str, dump: Path, tables: tuple[str, ...], key: BackupKey | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    """The rows of some of the dump's tables, read in one pass: (table, a column's name to its
    text in COPY's format: ``\\N`` for NULL, a ``bytea`` as :func:`bytea` reads it). A table
    the dump lacks (made before the hub kept it) gives none."""
    args = ("--data-only", *(f"--table={table}" for table in tables), "--file=-")
    if key is None:
        copied = _run_postgres_tool("pg_restore", *args, str(dump), url=url)
    else:
        copied = _run_piped("pg_restore", *args, url=url, feed=_decrypting_into(dump, key))
    table, columns = "", None
    for line in copied.splitlines():  # "COPY public.<table> (a, b) FROM stdin;", a row a line, "\."
        if columns is None:
            if line.startswith("COPY public.") and line.endswith(") FROM stdin;"):
                table = line.removeprefix("COPY public.").split(" ", 1)[0]
                columns = [name.strip().strip('"') for name in line.split("(", 1)[1].rsplit(")", 1)[0].split(",")]
        elif line == "\\.":
            columns = None
        else:
            yield table, dict(zip(columns, line.split("\t"), strict=True))


def bytea(copied: str) -> bytes:
    """A ``bytea`` as COPY's text format writes it (hex: a backslash doubled, then x)."""
    return bytes.fromhex(copied.removeprefix("\\\\x"))


def dump_postgres(url: str, target: Path) -> None:
    _run_postgres_tool("pg_dump", "--format=custom", "--no-owner", f"--file={target}", url=url)
    check_dump(url, target)


def encrypted_dump(url: str, target: Path, key: BackupKey) -> None:
    """pg_dump's output encrypted as it comes: no clear copy is written anywhere."""
    with target.open("r+b") as sealed:
        _run_piped(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            url=url,
            drain=lambda dump: backup_crypt.encrypt_stream(dump, sealed, key),
        )
    check_dump(url, target, key)


def restore_postgres(url: str, backup: Path, key: BackupKey | None = None) -> None:
    database = make_url(url).database or ""
    options = ("--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={database}")
    if key is None:
        _run_postgres_tool("pg_restore", *options, str(backup), url=url)
    else:
        _run_piped("pg_restore", *options, url=url, feed=_decrypting_into(backup, key))


def not_a_hub_backup(path: Path) -> InvalidInput:
    """The words a copy that is no backup is refused in (SQLite's too)."""
    return InvalidInput(
        Text(
            N_(
                "{path} is not a readable backup of a hub (it is damaged, incomplete or another kind of file). "
                "Nothing was changed."
            ),
            path=path,
        )
    )
