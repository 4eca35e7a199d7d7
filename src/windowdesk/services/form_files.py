"""The catalog's forms at the window (表格下载, issue 30): the forms each item lists and
their files, kept in the window's database so that "print the form" works offline.

- Importing a catalog folder (the demo catalog at first start) stores its files as read
  (:func:`read_folder_files`), checked as the hub checks them.
- A catalog pulled from the hub names each form's SHA-256; after the pull the sync fetches
  the files the window lacks (:func:`fetch_missing`), each checked against its hash. A file
  the hub refuses is left for the next sync; the form shows as not here yet meanwhile.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from windowdesk.domain import catalog as cat
from windowdesk.domain.catalog_forms import check_form_file
from windowdesk.errors import NotFoundError
from windowdesk.i18n import _
from windowdesk.storage import form_queries
from windowdesk.storage.db import Database, Session
from windowdesk.storage.models_forms import FormFile, ItemForm

log = logging.getLogger("windowdesk.sync")


class FormSource(Protocol):
    def form_file(self, sha256: str) -> tuple[str, bytes]: ...


@dataclass(frozen=True)
class FormLine:
    code: str
    title: str
    kind: str
    version: int
    here: bool  # the file is in the window's database (else it comes with the next sync)


def read_folder_files(folder: Path, catalog: cat.Catalog) -> dict[str, bytes]:
    """The files a catalog folder's items name, by name; one missing or not what its name
    says is a ValidationError naming the item and the form."""
    files: dict[str, bytes] = {}
    for item in catalog.items:
        for form in item.forms:
            try:
                content = (Path(folder) / form.file).read_bytes()
                check_form_file(form.file, content)
            except (OSError, ValueError) as error:
                raise cat.CatalogFormatError(
                    _("Item {item}, form {form}: {reason}").format(item=item.code, form=form.code, reason=error)
                ) from None
            files[form.file] = content
    return files


def store_catalog_forms(session: Session, catalog: cat.Catalog, files: Mapping[str, bytes] | None = None) -> None:
    """Every item's form list as the catalog has it; the folder's ``files`` stored. Runs
    in the catalog import's transaction."""
    form_queries.forget_item_forms(session)
    held = form_queries.stored_hashes(session)
    now = dt.datetime.now(dt.UTC)
    for item in catalog.items:
        for position, form in enumerate(item.forms):
            sha256, size = form.sha256, form.size
            content = (files or {}).get(form.file)
            if content is not None:
                sha256, size = hashlib.sha256(content).hexdigest(), len(content)
                if sha256 not in held:
                    session.add(FormFile(sha256=sha256, media_type=form.media_type, content=content, stored_at=now))
                    held.add(sha256)
            if not sha256:
                continue  # a folder's form whose file was not given: nothing to print
            session.add(
                ItemForm(
                    item_code=item.code,
                    code=form.code,
                    position=position,
                    title=form.title,
                    kind=form.kind,
                    file=form.file,
                    sha256=sha256,
                    size=size,
                    version=form.version,
                )
            )
    session.flush()


def fetch_missing(db: Database, source: FormSource) -> int:
    """Fetches the files of the listed forms the window lacks; the number stored."""
    from windowdesk.sync.client import HubRefused

    with db.read() as session:
        wanted = form_queries.missing_files(session)
    stored = 0
    for sha256, file in wanted:
        try:
            media_type, content = source.form_file(sha256)
            check_form_file(file, content)
        except HubRefused as refused:
            log.warning("form file %s refused by the hub: %s", sha256[:12], refused.code or refused.status)
            continue
        except ValueError:
            log.warning("form file %s is not what its name says; not stored", sha256[:12])
            continue
        if hashlib.sha256(content).hexdigest() != sha256:
            continue
        with db.write() as session:
            if session.get(FormFile, sha256) is None:
                session.add(
                    FormFile(sha256=sha256, media_type=media_type, content=content, stored_at=dt.datetime.now(dt.UTC))
                )
                stored += 1
    if wanted:
        log.info("form files: %d wanted, %d stored", len(wanted), stored)
    return stored


def item_forms(db: Database, *, item_code: str) -> list[FormLine]:
    """The forms an item lists, in catalog order, and whether each file is here."""
    with db.read() as session:
        held = form_queries.stored_hashes(session)
        return [
            FormLine(row.code, row.title, row.kind, row.version, row.sha256 in held)
            for row in form_queries.item_forms(session, item_code)
        ]


def form_file(db: Database, *, item_code: str, form_code: str) -> tuple[str, bytes]:
    """The media type and bytes of an item's form, to print; NotFoundError when the
    window does not hold it."""
    with db.read() as session:
        row = next((r for r in form_queries.item_forms(session, item_code) if r.code == form_code), None)
        stored = session.get(FormFile, row.sha256) if row is not None else None
        if stored is None:
            raise NotFoundError(
                _("Form not here yet"),
                _(
                    "The form {form} of item {item} has not reached this window yet; it comes with the next sync."
                ).format(form=form_code, item=item_code),
            )
        return stored.media_type, stored.content
