"""The queries of scanned pages' records (case_material_pages) in the main database."""

from __future__ import annotations

from sqlalchemy import func, select

from windowdesk.storage import models as m
from windowdesk.storage.db import Session


def material_of(session: Session, case_id: str, material_code: str) -> m.CaseMaterial | None:
    return session.scalars(
        select(m.CaseMaterial).where(m.CaseMaterial.case_id == case_id, m.CaseMaterial.material_code == material_code)
    ).first()


def pages_of_material(session: Session, material_id: str) -> list[m.CaseMaterialPage]:
    return list(
        session.scalars(
            select(m.CaseMaterialPage)
            .where(m.CaseMaterialPage.material_id == material_id)
            .order_by(m.CaseMaterialPage.position)
        )
    )


def pages_of_case(session: Session, case_id: str) -> list[m.CaseMaterialPage]:
    return list(
        session.scalars(
            select(m.CaseMaterialPage)
            .where(m.CaseMaterialPage.case_id == case_id)
            .order_by(m.CaseMaterialPage.material_id, m.CaseMaterialPage.position)
        )
    )


def pages_naming(session: Session, sha256: str) -> int:
    """How many page records name these bytes."""
    return (
        session.scalar(select(func.count()).select_from(m.CaseMaterialPage).where(m.CaseMaterialPage.sha256 == sha256))
        or 0
    )
