"""The archive export of a closed case: its record, its timeline and its pages, with a
manifest of hashes (issue 24).

Layout (one folder per case, the 件 of an archive; written as a folder or a .zip)::

    <case number>/
      metadata.xml          the case's description (元数据): number, item, center, window,
                            departments, status, dates, and one <file> per page with its hash
      record.json           the case as the hub holds it (no personal data: the applicant by id)
      timeline.json         every step of the case, in the hub's order
      pages/<material>/<nn>-<page id>.<ext>   the pages, in their order, as the window stored them
      manifest.json         every file above: path, size, SHA-256 (fixity), and the package's own facts

What of GB/T 42727-2023 and DA/T 85-2019 this follows, where practical for a hub: a case
is archived when it is finished, as one unit holding its electronic files in their
original formats, its process record (the timeline) and its descriptive metadata in XML
with element names from those standards' metadata sets (题名 / 档号-like number,
责任者, 日期, 事由, 格式, 大小, 哈希); every file carries a SHA-256 for its fixity checks. Not
followed: the records office's own classification scheme and retention periods
(保管期限), the signatures of a 归档 transfer (those belong to the records office's
system that receives the package), and PDF/A conversion of image pages.

Reading the pages for it is recorded like any reading (actor "archive").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.case_state import CaseStatus
from windowdesk.hub.errors import Conflict, InvalidInput, NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services.case_pages import ARCHIVE, PageActor, current_pages, departments_of, read_case_page
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models import Case, CaseEvent, CatalogItem
from windowdesk.hub.storage.page_store import PageStore
from windowdesk.hub.storage.private_files import private_folder
from windowdesk.i18n import N_

# Finished (办结, 送达, withdrawn): nothing more happens to the case. A rejection still
# ends in "completed" (its 办结), so it is archived then.
CLOSED = (CaseStatus.COMPLETED, CaseStatus.DELIVERED, CaseStatus.WITHDRAWN)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
PACKAGE_FORMAT = "windowdesk-case-archive/1"


@dataclass(frozen=True)
class ArchiveMade:
    path: Path
    files: int
    pages: int
    missing_pages: int  # listed by the window, not yet on the hub: named in the manifest, not in the package


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _record(session: Session, case: Case) -> dict[str, Any]:
    item = session.get(CatalogItem, case.item_code)
    return {
        "case_id": case.id,
        "case_number": case.case_number,
        "center": case.center_code,
        "window": case.window_id,
        "item": case.item_code,
        "item_name": item.name if item else "",
        "departments": sorted(departments_of(session, case)),
        "applicant": {"kind": case.applicant_kind, "id": case.applicant_id},
        "status": case.status,
        "accepted_at": _iso(case.accepted_at),
        "received_at": _iso(case.received_at),
        "updated_at": _iso(case.updated_at),
    }


def _timeline(session: Session, case: Case) -> list[dict[str, Any]]:
    steps = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq))
    return [
        {
            "seq": step.seq,
            "source": step.source,
            "kind": step.kind,
            "action": step.action,
            "from": step.from_status,
            "to": step.to_status,
            "department": step.department_code,
            "note": step.note,
            "at_window": _iso(step.client_at),
            "recorded_at": _iso(step.recorded_at),
        }
        for step in steps
    ]


def _metadata_xml(record: dict[str, Any], pages: list[dict[str, Any]], now: dt.datetime) -> bytes:
    root = ET.Element("电子档案", {"格式": PACKAGE_FORMAT})
    described = ET.SubElement(root, "案卷")
    for name, value in (
        ("档号", record["case_number"]),
        ("题名", record["item_name"] or record["item"]),
        ("事项编码", record["item"]),
        ("责任者", ",".join(record["departments"])),
        ("受理单位", record["center"]),
        ("受理窗口", record["window"]),
        ("受理日期", record["accepted_at"]),
        ("办理状态", record["status"]),
        ("归档日期", now.isoformat()),
    ):
        ET.SubElement(described, name).text = value or ""
    files = ET.SubElement(root, "电子文件")
    for page in pages:
        ET.SubElement(
            files,
            "文件",
            {
                "材料": page["material_code"],
                "顺序": str(page["position"]),
                "路径": page["path"] or "",
                "格式": page["mime"],
                "大小": str(page["size"]),
                "哈希算法": "SHA-256",
                "哈希值": page["sha256"],
                "核对人": page["checked_by"] or "",
                "核对时间": page["checked_at"] or "",
            },
        )
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


# What the transaction reads: the record, its timeline, the pages' files and list, the pages missing.
Archived = tuple[dict[str, Any], list[dict[str, Any]], dict[str, bytes], list[dict[str, Any]], int]


def build_case_archive(
    db: HubDatabase, store: PageStore, *, case_number: str, by: str, now: dt.datetime
) -> tuple[str, dict[str, bytes], int, int]:
    """(the package's folder name, its files by path, pages, pages missing). Held in memory:
    a case's pages are a few MB (at most 20 MB a page)."""

    def work(session: Session) -> Archived:
        case = session.scalar(select(Case).where(Case.case_number == case_number))
        if case is None:
            raise NotFound(Text(N_("There is no case {case} on the hub (has its window synced?)."), case=case_number))
        if case.status not in CLOSED:
            raise Conflict(
                Text(
                    N_("Case {case} is not finished (its status is {status}); only a finished case is archived."),
                    case=case_number,
                    status=case.status,
                )
            )
        record, timeline = _record(session, case), _timeline(session, case)
        files: dict[str, bytes] = {}
        listed: list[dict[str, Any]] = []
        missing = 0
        for page in current_pages(session, case.id):
            entry = {**page.__dict__, "path": None}
            if page.stored:
                _page, data = read_case_page(
                    session, store, case_id=case.id, page_id=page.page_id, actor=PageActor(ARCHIVE, by), now=now
                )
                path = (
                    f"pages/{_safe(page.material_code)}/{page.position:03d}-{page.page_id}."
                    f"{EXTENSIONS.get(page.mime, 'bin')}"
                )
                files[path] = data
                entry["path"] = path
            else:
                missing += 1
            listed.append(entry)
        return record, timeline, files, listed, missing

    record, timeline, files, listed, missing = db.run_write(work)
    files["record.json"] = _json(record)
    files["timeline.json"] = _json(timeline)
    files["metadata.xml"] = _metadata_xml(record, listed, now)
    manifest = {
        "format": PACKAGE_FORMAT,
        "case_number": case_number,
        "made_at": now.isoformat(),
        "made_by": by,
        "hash_algorithm": "SHA-256",
        "files": [
            {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for path, data in sorted(files.items())
        ],
        "pages_not_on_the_hub": [
            {
                "material_code": p["material_code"],
                "position": p["position"],
                "page_id": p["page_id"],
                "sha256": p["sha256"],
            }
            for p in listed
            if p["path"] is None
        ],
    }
    files["manifest.json"] = _json(manifest)
    return _safe(case_number), files, len(listed) - missing, missing


def _safe(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name).strip(".")
    return cleaned or "_"


def export_case_archive(
    db: HubDatabase, store: PageStore, *, case_number: str, out: Path, by: str, now: dt.datetime
) -> ArchiveMade:
    """Writes the package into the folder ``out`` (as ``out/<case number>/``) or, when
    ``out`` ends in .zip, as that zip file; never over something already there."""
    name, files, pages, missing = build_case_archive(db, store, case_number=case_number, by=by, now=now)
    out = out.expanduser()
    if out.suffix.lower() == ".zip":
        if out.exists():
            raise InvalidInput(Text(N_("{path} exists already; name a new file."), path=out))
        private_folder(out.parent)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
            for path, data in sorted(files.items()):
                package.writestr(f"{name}/{path}", data)
        partial = out.with_name(out.name + ".partial")
        partial.write_bytes(buffer.getvalue())
        os.chmod(partial, 0o600)
        os.replace(partial, out)
        return ArchiveMade(out, len(files), pages, missing)
    target = out / name
    if target.exists():
        raise InvalidInput(Text(N_("{path} exists already; name another folder."), path=target))
    for path, data in sorted(files.items()):
        written = target / path
        private_folder(written.parent)
        fd = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    return ArchiveMade(target, len(files), pages, missing)
