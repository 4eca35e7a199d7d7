"""services.documents: the data behind each document, the audit of printing, the layers."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from windowdesk.errors import NotFoundError
from windowdesk.printing.data import AcceptanceReceiptData, Applicant, NotificationSlipData, RefusalNoticeData
from windowdesk.services import audit, documents
from windowdesk.services.authorization import PermissionDenied
from windowdesk.storage import models, queries

from .conftest import DEMO_ID, DEMO_MASKED, MOMENT


def _audit_rows(db) -> list:
    with db.read() as session:
        return [
            (e.action, e.entity, e.entity_id, e.operator_id, e.workstation, e.at, dict(e.detail))
            for e in queries.audit_entries(session)
        ]


def test_record_documents_load_by_kind_and_mask_the_applicant(decided):
    ctx, db = decided.ctx, decided.db
    case = documents.record_document(db, ctx, kind="case", record_id=decided.case.id)
    slip = documents.record_document(db, ctx, kind="notification", record_id=decided.notification.id)
    refusal = documents.record_document(db, ctx, kind="refusal", record_id=decided.refusal.id)
    assert isinstance(case, AcceptanceReceiptData) and case.number == decided.case.number
    assert isinstance(slip, NotificationSlipData) and slip.number == decided.notification.number
    assert isinstance(refusal, RefusalNoticeData) and refusal.number == decided.refusal.number
    for data in (case, slip, refusal):
        assert data.applicant == Applicant("王建国", DEMO_MASKED)
        assert DEMO_ID not in repr(data)
        assert data.issuer.center_name == "市政务服务中心" and data.issuer.window_phone == "0464-8290101"
        assert data.issuer.zone == "Asia/Shanghai"
    assert case.promised_date > MOMENT.date() and case.materials
    assert [e.problem for e in slip.entries] == ["missing", "correction"]
    assert slip.legal_basis and slip.where


def test_a_reprint_by_someone_else_names_both_people(decided):
    other = dataclasses.replace(decided.ctx, operator_name="李娜")
    data = documents.acceptance_receipt_data(decided.db, other, decided.case.id)
    assert data.issuer.operator_name == decided.ctx.operator_name  # who accepted the case
    assert data.issuer.printed_by == "李娜"  # who prints this copy


def test_unknown_records_are_not_found(decided):
    with pytest.raises(NotFoundError):
        documents.record_document(decided.db, decided.ctx, kind="case", record_id="no-such-id")
    with pytest.raises(NotFoundError):
        documents.record_document(decided.db, decided.ctx, kind="invoice", record_id=decided.case.id)


def test_an_applicant_never_carries_a_whole_id_number():
    assert Applicant("王建国", DEMO_ID).masked_id == DEMO_MASKED
    assert Applicant("王建国", DEMO_MASKED).masked_id == DEMO_MASKED


def test_print_and_reprint_are_audited_without_personal_data(decided):
    db, ctx = decided.db, decided.ctx
    before = len(_audit_rows(db))
    documents.record_print(db, ctx, document="acceptance_receipt", number=decided.case.number, reprint=False)
    documents.record_print(
        db, ctx, document="acceptance_receipt", number=decided.case.number, reprint=True, output="pdf"
    )
    rows = _audit_rows(db)[before:]
    assert [row[0] for row in rows] == ["document.print", "document.reprint"]
    for _action, entity, entity_id, operator_id, workstation, at, detail in rows:
        assert entity == "document" and entity_id == decided.case.number
        assert operator_id == ctx.operator_id and workstation == "CH-01" and at == MOMENT
        text = json.dumps(detail, ensure_ascii=False)
        assert "王建国" not in text and DEMO_ID not in text and "0496" not in text
    assert rows[1][6] == {"document": "acceptance_receipt", "number": decided.case.number, "output": "pdf"}
    assert audit.verify_chain(db) == []


def test_record_print_refuses_an_unknown_document(decided):
    with pytest.raises(ValueError):
        documents.record_print(decided.db, decided.ctx, document="poster", number="X", reprint=False)


def test_a_disabled_operator_can_neither_load_nor_print_documents(decided):
    with decided.db.write() as session:
        session.get(models.Operator, decided.ctx.operator_id).active = False
    with pytest.raises(PermissionDenied):
        documents.acceptance_receipt_data(decided.db, decided.ctx, decided.case.id)
    with pytest.raises(PermissionDenied):
        documents.day_report_data(decided.db, decided.ctx, MOMENT.date())
    with pytest.raises(PermissionDenied):
        documents.record_print(
            decided.db, decided.ctx, document="acceptance_receipt", number=decided.case.number, reprint=True
        )


def test_layers_printing_has_no_qt_and_services_no_reportlab():
    code = (
        "import sys\n"
        "import windowdesk.services.documents\n"
        "assert 'reportlab' not in sys.modules, 'services import reportlab'\n"
        "import windowdesk.printing.render, windowdesk.printing.samples\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'printing imports Qt'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
