"""Who a case, a one-time notification or a refusal is for (applicant_kind at the hub):
a resident (by the ID number) or an organisation (by the unified social credit code)."""

from __future__ import annotations

from enum import StrEnum


class ApplicantKind(StrEnum):
    RESIDENT = "resident"
    ORGANISATION = "organisation"
