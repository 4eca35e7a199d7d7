"""Queries of the window's copy of the catalog's forms (storage/models_forms.py)."""

from __future__ import annotations

from sqlalchemy import delete, select

from windowdesk.storage.db import Session
from windowdesk.storage.models_forms import FormFile, ItemForm


def forget_item_forms(session: Session) -> None:
    """Every item's form list, before a catalog's lists replace them (files are kept)."""
    session.execute(delete(ItemForm))


def item_forms(session: Session, item_code: str) -> list[ItemForm]:
    return list(session.scalars(select(ItemForm).where(ItemForm.item_code == item_code).order_by(ItemForm.position)))


def stored_hashes(session: Session) -> set[str]:
    return set(session.scalars(select(FormFile.sha256)))


def missing_files(session: Session) -> list[tuple[str, str]]:
    """(sha256, file name) of the forms listed whose file the window does not hold yet."""
    held = select(FormFile.sha256)
    rows = session.execute(
        select(ItemForm.sha256, ItemForm.file)
        .where(ItemForm.sha256.not_in(held))
        .order_by(ItemForm.item_code, ItemForm.position)
    )
    seen: dict[str, str] = {}
    for sha256, file in rows:
        seen.setdefault(sha256, file)
    return list(seen.items())
