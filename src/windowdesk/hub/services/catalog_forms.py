"""The forms of a catalog's items (表格下载, issue 30), as the hub publishes them.

A catalog folder names each form's file (``forms/<name>.pdf`` or ``.docx``, beside
items.json). Publishing reads and checks every file (domain.catalog_forms.check_form_file:
a PDF is a PDF, a DOCX a Word document, at most 10 MB), stores it once by its SHA-256 and
writes into the published item's form entry its ``sha256``, ``size`` and ``version``. The
version is the form's own count: a file published before under the same item and form
code keeps its number, a new file is the next one; every version's file stays stored, so
what a guide page offered on a day can be fetched again. Because the entries carry the
hash, a catalog whose files changed is other content than before: it needs a new catalog
version, like any other change (catalog_import).

A catalog edited in the console keeps its items' form entries as published: their files
are the stored ones, found by hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from windowdesk.domain.catalog_forms import check_form_file, form_documents
from windowdesk.domain.catalog_model import Catalog
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.storage.models_forms import FormFile, FormVersion
from windowdesk.i18n import N_


def read_form_files(folder: Path, catalog: Catalog) -> dict[str, bytes]:
    """Every file the catalog's items name, read from the folder and checked, by name."""
    files: dict[str, bytes] = {}
    for item in catalog.items:
        for form in item.forms:
            path = folder / form.file
            try:
                content = path.read_bytes()
            except FileNotFoundError:
                raise InvalidInput(
                    Text(
                        N_("Item {item}, form {form}: the file {file} is not in the catalog folder."),
                        item=item.code,
                        form=form.code,
                        file=form.file,
                    )
                ) from None
            except OSError as error:
                raise InvalidInput(
                    Text(
                        N_("Item {item}, form {form}: the file {file} cannot be read ({reason})."),
                        item=item.code,
                        form=form.code,
                        file=form.file,
                        reason=str(error),
                    )
                ) from None
            try:
                check_form_file(form.file, content)
            except ValueError as refused:
                raise InvalidInput(
                    Text(N_("Item {item}, form {form}: {reason}"), item=item.code, form=form.code, reason=str(refused))
                ) from None
            files[form.file] = content
    return files


def attach_forms(
    session: Session, *, documents: dict[str, Any], files: Mapping[str, bytes], catalog_version: str, now: dt.datetime
) -> Callable[[], None]:
    """Write each form entry's ``sha256``, ``size`` and ``version`` into ``documents`` (in
    place), from the folder's ``files`` or, for an entry published before, from the stored
    file of its hash. Returns what stores the new files and versions, for the caller to
    run once it knows the catalog is published."""
    new_files: dict[str, tuple[bytes, str]] = {}
    new_versions: list[FormVersion] = []
    taken: dict[tuple[str, str], int] = {}
    for item in documents["items"]["items"]:
        for entry in form_documents(item):
            content = files.get(entry["file"])
            if content is not None:
                sha256, size = hashlib.sha256(content).hexdigest(), len(content)
                if session.get(FormFile, sha256) is None:
                    new_files[sha256] = (content, check_form_file(entry["file"], content))
            else:
                stored = session.get(FormFile, entry.get("sha256") or "")
                if stored is None:
                    raise InvalidInput(
                        Text(
                            N_(
                                "Item {item}, form {form}: the file {file} was never published; "
                                "publish it with import-catalog from the catalog folder."
                            ),
                            item=item["code"],
                            form=entry["code"],
                            file=entry["file"],
                        )
                    )
                sha256, size = stored.sha256, stored.size
            key = (item["code"], entry["code"])
            version = session.scalar(
                select(FormVersion.version).where(
                    FormVersion.item_code == key[0], FormVersion.form_code == key[1], FormVersion.sha256 == sha256
                )
            )
            if version is None:
                latest = (
                    session.scalar(
                        select(func.max(FormVersion.version)).where(
                            FormVersion.item_code == key[0], FormVersion.form_code == key[1]
                        )
                    )
                    or 0
                )
                version = max(latest, taken.get(key, 0)) + 1
                taken[key] = version
                new_versions.append(
                    FormVersion(
                        item_code=key[0],
                        form_code=key[1],
                        version=version,
                        sha256=sha256,
                        title=entry["title"],
                        kind=entry["kind"],
                        file_name=entry["file"],
                        catalog_version=catalog_version,
                        published_at=now,
                    )
                )
            entry.update(sha256=sha256, size=size, version=version)

    def store() -> None:
        for sha256, (content, media_type) in new_files.items():
            session.add(
                FormFile(sha256=sha256, media_type=media_type, size=len(content), content=content, stored_at=now)
            )
        session.flush()
        session.add_all(new_versions)
        session.flush()

    return store


def stored_file(session: Session, sha256: str) -> tuple[str, bytes] | None:
    """A published form's media type and bytes (for a window fetching it)."""
    row = session.get(FormFile, sha256)
    return None if row is None else (row.media_type, row.content)
