"""Scanned pages from one window to the real hub process over loopback (issue 24).

    python bench/materials.py [--pages 1000] [--page-kb 250]

Starts ``windowdesk-hub serve`` (SQLite in a temporary folder), sets up a real encrypted
workstation and enrolls it, and gives the uploader (services/page_upload.py, through the
real ``SyncRunner``) ``--pages`` random pages of ``--page-kb`` KB in a folder
(tests/sync/folder_blobs.FolderBlobs: the window's encrypted page store is measured by the
window's own script); a tenth of them were sent before by another window (the same paper
scanned at two windows), as a day's scans have some.

- ``upload_mb_per_s``: the pages' bytes sent over the wall time of the sync that sends them;
  ``upload_hub_cpu_seconds`` and ``upload_client_cpu_seconds`` the CPU it cost each side
  (steadier than wall time on a shared machine), ``load_average_1min`` the machine's load.
- ``resume_after_drop_seconds``: a page of 20 MB (the largest allowed) is sent through the
  tests' fault proxy, which cuts the link mid-chunk once 10 MB are on the hub; the time
  from the next sync's start until the hub holds the page whole, and ``resume_resent_bytes``
  what that sync sent (the rest of the page only: a resume, not a restart).
- ``hub_bytes_per_page_byte``: bytes of the hub's page files (``du``-like, in blocks) over
  the bytes of every page the window holds (duplicates counted): below 1 by deduplication.
- ``window_start_seconds_50k_pages``: null here; the window engineer measures it with the
  window's page store (bench for issue 24, window side).

A table goes to stderr; the last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO_ROOT, ensure_importable, log

ensure_importable()
# bench/queue.py would stand in for the standard library's queue (urllib3 needs that one).
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # tests.sync: the hub process, the fault proxy, the folder of pages


def private_keyring(folder: Path) -> None:
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(folder / "keyring.cfg")
    keyring.set_keyring(backend)


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of a process, from /proc; None where there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def disk_bytes(folder: Path) -> int:
    return sum(path.stat().st_blocks * 512 for path in folder.glob("??/*"))


def run(pages: int, page_kb: int, folder: Path) -> dict:
    from tests.sync.faultproxy import Fault, FaultProxy
    from tests.sync.folder_blobs import FolderBlobs
    from tests.sync.hub_process import HubProcess, create_station

    from windowdesk.sync.protocol import MAX_BLOB_BYTES, MAX_CHUNK_BYTES

    private_keyring(folder)
    hub = HubProcess(folder / "hub")
    try:
        hub.import_catalog()
        hub.start()
        station = create_station(folder / "ws", "CH", "01")
        other = create_station(folder / "ws2", "CH", "02")
        try:
            station.enroll(hub.url, hub.enrollment_code("CH", "01"))
            other.enroll(hub.url, hub.enrollment_code("CH", "02"))
            blobs = FolderBlobs(folder / "pages")
            elsewhere = FolderBlobs(folder / "pages-elsewhere")
            size = page_kb * 1000
            for n in range(pages):
                data = os.urandom(size)
                blobs.add(data)
                if n % 10 == 0:
                    elsewhere.add(data)
            shared = len(elsewhere.unconfirmed(10**9))
            held_bytes = (pages + shared) * size  # every page each window holds
            client = other.hub_client(timeout=(3.0, 30.0))
            try:
                assert other.runner(client, blobs=elsewhere).run().ok
            finally:
                client.close()
            log(f"{pages} pages of {page_kb} KB, {shared} of them sent before by another window")

            client = station.hub_client(timeout=(3.0, 30.0))
            try:
                hub_cpu_before, client_cpu_before = process_cpu(hub.process.pid), time.process_time()
                started = time.perf_counter()
                report = station.runner(client, blobs=blobs).run()
                upload_seconds = time.perf_counter() - started
                client_cpu = time.process_time() - client_cpu_before
                hub_cpu_after = process_cpu(hub.process.pid)
                hub_cpu = None if hub_cpu_before is None or hub_cpu_after is None else hub_cpu_after - hub_cpu_before
            finally:
                client.close()
            assert report.ok, report.error
            sent_mb = report.page_bytes_sent / 1_000_000
            log(f"upload: {report.pages_confirmed} pages confirmed, {sent_mb:.1f} MB sent in {upload_seconds:.2f} s")

            big = FolderBlobs(folder / "big")
            big_sha = big.add(os.urandom(MAX_BLOB_BYTES))
            cut_at = 10 * MAX_CHUNK_BYTES
            with FaultProxy(hub.port) as proxy:
                proxy.decide = lambda request: (
                    Fault.DROP_REQUEST
                    if request.method == "PUT" and f"offset={cut_at}" in request.query
                    else Fault.NONE
                )
                client = station.hub_client(timeout=(3.0, 30.0))
                client.base_url = proxy.url
                try:
                    cut = station.runner(client, blobs=big, retries=0).run()
                    assert not cut.ok
                    proxy.heal()
                    started = time.perf_counter()
                    resumed = station.runner(client, blobs=big).run()
                    resume_seconds = time.perf_counter() - started
                finally:
                    client.close()
            assert resumed.ok and resumed.pages_confirmed == 1, resumed.error
            stored = hub.data_dir / "pages" / big_sha[:2] / big_sha
            assert hashlib.sha256(stored.read_bytes()).hexdigest() == big_sha
            log(f"resume after a drop at {cut_at} bytes: {resume_seconds:.2f} s, {resumed.page_bytes_sent} bytes sent")
            hub_bytes = disk_bytes(hub.data_dir / "pages") - stored.stat().st_blocks * 512
        finally:
            station.close()
            other.close()
    finally:
        hub.close()
    return {
        "pages": pages,
        "page_kb": page_kb,
        "upload_mb_per_s": round(sent_mb / upload_seconds, 2),
        "upload_seconds": round(upload_seconds, 2),
        # CPU the upload cost each side: steadier than wall time on a shared machine.
        "upload_hub_cpu_seconds": None if hub_cpu is None else round(hub_cpu, 2),
        "upload_client_cpu_seconds": round(client_cpu, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "resume_after_drop_seconds": round(resume_seconds, 2),
        "resume_resent_bytes": resumed.page_bytes_sent,
        "hub_bytes_per_page_byte": round(hub_bytes / held_bytes, 3),
        "window_start_seconds_50k_pages": None,
        "window_start_note": "measured by the window's own bench (its encrypted page store), not here",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--page-kb", type=int, default=250)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="windowdesk-materials-") as temp:
        result = run(args.pages, args.page_kb, Path(temp))
    for key, value in result.items():
        log(f"{key:34} {value}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
