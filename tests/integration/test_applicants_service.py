"""Registering and finding applicants on a real SQLite file."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt

import pytest
from sqlalchemy import event

from windowdesk.domain.ids import resident_id_check_char, uscc_check_char
from windowdesk.errors import ValidationError
from windowdesk.services import applicants, intake
from windowdesk.services.catalog import get_item_guide
from windowdesk.storage.crypto import connect_raw


def id_number(region: str, birth: str, serial: str) -> str:
    first17 = region + birth + serial
    return first17 + resident_id_check_char(first17)


def credit_code(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def masked(number: str) -> str:
    return number[:6] + "*" * 8 + number[-4:]


# A woman (even serial) born in Beijing; her ID starts with a "1" as phone numbers do.
BEIJING_ID = id_number("110105", "19880214", "024")
# A man whose ID number ends with the check character X.
X_ID = next(
    number for number in (id_number("230902", "19700101", f"{n:03d}") for n in range(1, 999, 2)) if number.endswith("X")
)


def register(demo, number: str, name: str, phone: str = "", **kwargs):
    return applicants.register_resident(demo.db, demo.ctx, id_number=number, name=name, phone=phone, **kwargs)


def found_numbers(demo, query: str) -> list[str]:
    return [r.masked_number for r in applicants.find_residents(demo.db, demo.ctx, query=query)]


def test_register_resident_reads_gender_and_birth_from_the_id(demo):
    summary = register(demo, BEIJING_ID, " 欧阳丽 ", phone="139 0464-1234", address="北京市朝阳区")

    assert summary.name == "欧阳丽"
    assert summary.masked_number == masked(BEIJING_ID)
    assert summary.phone == "13904641234"
    assert summary.detail == "Female 1988-02-14"
    with contextlib.closing(connect_raw(demo.db.path, demo.db.key)) as conn:
        row = conn.execute(
            "SELECT id_number, gender, birth_date, registered_center FROM residents WHERE id = ?",
            (summary.ref.id,),
        ).fetchone()
        outbox = conn.execute("SELECT kind FROM outbox WHERE entity_id = ?", (summary.ref.id,)).fetchall()
        audit_detail = conn.execute(
            "SELECT action, detail FROM audit_log WHERE entity_id = ?", (summary.ref.id,)
        ).fetchall()
    assert row == (BEIJING_ID, "female", "1988-02-14", "CH")
    assert outbox == [("resident.registered",)]
    assert audit_detail == [("resident.register", "{}")]  # no personal data in the log


def test_demo_residents_are_registered(demo):
    assert applicants.find_residents(demo.db, demo.ctx, query="230902194403180126")[0].name == "张秀英"


def test_duplicate_resident_is_refused_in_plain_words(demo):
    register(demo, BEIJING_ID, "欧阳丽")

    with pytest.raises(ValidationError) as caught:
        register(demo, f" {BEIJING_ID[:9]} {BEIJING_ID[9:]} ", "欧阳丽丽")

    assert caught.value.field == "id_number"
    assert caught.value.message == ("A resident with this ID number is already registered; search for them instead.")
    assert len(applicants.find_residents(demo.db, demo.ctx, query=BEIJING_ID)) == 1


def test_wrong_check_character_is_refused(demo):
    wrong = BEIJING_ID[:17] + ("0" if BEIJING_ID[17] != "0" else "1")

    with pytest.raises(ValidationError) as caught:
        register(demo, wrong, "欧阳丽")

    assert caught.value.field == "id_number"
    assert "does not match" in caught.value.message
    assert applicants.find_residents(demo.db, demo.ctx, query=wrong) == []


@pytest.mark.parametrize(
    ("name", "phone", "welfare", "field"),
    [("  ", "", None, "name"), ("欧阳丽", "12ab", None, "phone"), ("欧阳丽", "", "rich", "welfare_status")],
)
def test_other_wrong_input_names_its_field(demo, name, phone, welfare, field):
    with pytest.raises(ValidationError) as caught:
        register(demo, BEIJING_ID, name, phone=phone, welfare_status=welfare)
    assert caught.value.field == field
    assert applicants.find_residents(demo.db, demo.ctx, query=BEIJING_ID) == []


def test_find_resident_by_full_id_as_typed(demo):
    register(demo, X_ID, "欧阳刚")

    for typed in (X_ID, X_ID.lower(), f" {X_ID[:6]} {X_ID[6:14]} {X_ID[14:]} "):
        assert found_numbers(demo, typed) == [masked(X_ID)], typed


def test_find_resident_by_id_prefix(demo):
    register(demo, BEIJING_ID, "欧阳丽")
    register(demo, X_ID, "欧阳刚")

    # "110105..." looks like the start of a phone number too; the ID must still be found.
    assert found_numbers(demo, BEIJING_ID[:8]) == [masked(BEIJING_ID)]
    assert masked(X_ID) in found_numbers(demo, "2309021970")
    assert masked(BEIJING_ID) not in found_numbers(demo, "2309021970")


def test_find_resident_by_name_prefix(demo):
    register(demo, BEIJING_ID, "欧阳丽")
    register(demo, X_ID, "欧阳刚")

    assert {r.name for r in applicants.find_residents(demo.db, demo.ctx, query="欧阳")} == {"欧阳丽", "欧阳刚"}
    assert [r.name for r in applicants.find_residents(demo.db, demo.ctx, query="欧阳丽")] == ["欧阳丽"]
    assert applicants.find_residents(demo.db, demo.ctx, query="阳") == []  # a prefix, not anywhere


def lookup_plans(demo, query: str) -> tuple[list, list[str]]:
    """What a lookup found, and SQLite's plan of each statement it ran on the residents."""
    statements: list[tuple[str, tuple]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM residents" in statement:
            statements.append((statement, parameters))

    event.listen(demo.db.read_engine, "before_cursor_execute", capture)
    try:
        found = applicants.find_residents(demo.db, demo.ctx, query=query)
    finally:
        event.remove(demo.db.read_engine, "before_cursor_execute", capture)
    with demo.db.read() as session:
        connection = session.connection().connection.driver_connection
        plans = [
            " | ".join(row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + statement, parameters))
            for statement, parameters in statements
        ]
    return found, plans


def test_lookup_by_name_reads_the_list_from_the_name_index_alone(demo):
    # Residents of one name come out in (name, ID number) order: with the ID number in
    # the index SQLite stops after the first page instead of sorting every namesake
    # (thousands of them in a city of millions). With every listed column in the index
    # too (a covering index) it never reads the residents' table: at 2,000,000 residents
    # those were 20 scattered pages to read and decrypt per lookup (issue 29, aim 4).
    register(demo, BEIJING_ID, "欧阳丽")
    register(demo, X_ID, "欧阳丽")

    found, plans = lookup_plans(demo, "欧阳")

    assert [r.masked_number for r in found] == sorted([masked(BEIJING_ID), masked(X_ID)])
    assert [r.detail for r in found] == ["Female 1988-02-14", "Male 1970-01-01"]
    assert len(plans) == 1
    assert "SEARCH residents USING COVERING INDEX ix_residents_name_lookup (name>? AND name<?)" in plans[0], plans
    assert "TEMP B-TREE" not in plans[0], plans


def test_a_lookup_runs_its_permission_check_and_one_query_and_reads_no_password_hash(demo):
    # A lookup runs at every keystroke: the permission check reads the operator's standing
    # (role, active, locked) with one statement built once; the ORM's get() loaded the
    # whole operator row, the password hash with it, into an object made for each lookup.
    register(demo, BEIJING_ID, "欧阳丽")
    statements: list[str] = []

    def capture(_conn, _cursor, statement, _parameters, _context, _many):
        statements.append(" ".join(statement.split()))

    event.listen(demo.db.read_engine, "before_cursor_execute", capture)
    try:
        found = applicants.find_residents(demo.db, demo.ctx, query="欧阳丽")
    finally:
        event.remove(demo.db.read_engine, "before_cursor_execute", capture)

    assert [r.masked_number for r in found] == [masked(BEIJING_ID)]
    assert statements[0] == "BEGIN"
    assert len(statements) == 3, statements
    operator, residents = statements[1:]
    assert "FROM operators" in operator and "password_hash" not in operator, operator
    assert "FROM residents" in residents, residents


def test_lookup_by_the_end_of_an_id_number_reads_only_the_residents_with_that_end(demo):
    # 4 to 6 digits list the center's recent applicants whose ID number ends with them.
    # That query read every resident the center served or registered in 30 days, the
    # registered ones by a scan of the whole table: 252 s at 2,000,000 residents. Now the
    # residents with the same last 4 characters come from an index of that end, and each
    # one's visits are looked up by resident.
    register(demo, X_ID, "欧阳刚")

    found, plans = lookup_plans(demo, X_ID[-5:].lower())

    assert [r.masked_number for r in found] == [masked(X_ID)]
    recent = [plan for plan in plans if "ix_residents_id_tail" in plan]
    assert len(recent) == 1, plans
    plan = recent[0]
    assert "SEARCH residents USING INDEX ix_residents_id_tail (<expr>=?)" in plan, plan
    assert "SCAN" not in plan, plan
    for index in (
        "ix_cases_resident_center_accepted",
        "ix_notifications_resident_center_created",
        "ix_refusals_resident_center_created",
    ):
        assert f"USING COVERING INDEX {index} (resident_id=? AND center_code=? AND " in plan, plan


def test_the_end_of_an_id_number_finds_residents_given_a_notice_or_a_refusal_lately(demo):
    # Each kind of recent visit is checked on its own now (test_keystrokes.py has the
    # registration and the accepted case): a one-time notice and a refusal count too.
    notified = register(demo, BEIJING_ID, "欧阳丽")
    refused = register(demo, X_ID, "欧阳刚")
    later = dataclasses.replace(demo.ctx, clock=lambda: demo.ctx.now() + dt.timedelta(days=40))

    def by_tail(number: str) -> list[str]:
        return [r.masked_number for r in applicants.find_residents(demo.db, later, query=number[-4:])]

    assert masked(BEIJING_ID) not in by_tail(BEIJING_ID), "registered 40 days ago, not seen since"
    assert masked(X_ID) not in by_tail(X_ID), "registered 40 days ago, not seen since"
    guide = get_item_guide(demo.db, item_code="LB-002")
    checks = [intake.MaterialCheck(m.code, "received") for m in guide.materials]
    checks[0] = intake.MaterialCheck(guide.materials[0].code, "missing")
    intake.notify_missing(demo.db, later, item_code="LB-002", applicant=notified.ref, checks=checks)
    intake.refuse_application(
        demo.db,
        later,
        item_code="LB-002",
        applicant=refused.ref,
        reason="不属于本中心受理范围",
        legal_basis="《行政许可法》第三十二条",
    )

    assert by_tail(BEIJING_ID)[0] == masked(BEIJING_ID)
    assert by_tail(X_ID)[0] == masked(X_ID)


def test_find_resident_by_a_name_in_latin_letters(demo):
    register(demo, BEIJING_ID, "Anna Li")
    assert [r.name for r in applicants.find_residents(demo.db, demo.ctx, query="Anna")] == ["Anna Li"]


def test_find_resident_by_phone_prefix(demo):
    register(demo, BEIJING_ID, "欧阳丽", phone="13312345678")

    found = applicants.find_residents(demo.db, demo.ctx, query="1331234")
    assert [(r.name, r.phone) for r in found] == [("欧阳丽", "13312345678")]
    assert applicants.find_residents(demo.db, demo.ctx, query="") == []


ORG_CODE = credit_code("91230902MA1CTW017")


def test_register_and_find_organisation(demo):
    summary = applicants.register_organisation(
        demo.db,
        demo.ctx,
        credit_code=ORG_CODE.lower(),
        name="七台河市测试科技有限公司",
        legal_representative="欧阳丽",
        phone="0464-8000000",
    )
    assert summary.detail == "欧阳丽"

    by_code = applicants.find_organisations(demo.db, demo.ctx, query=ORG_CODE)
    by_prefix = applicants.find_organisations(demo.db, demo.ctx, query=ORG_CODE[:14].lower())
    by_name = applicants.find_organisations(demo.db, demo.ctx, query="测试科技")
    assert [o.ref for o in by_code] == [summary.ref]
    assert [o.ref for o in by_prefix] == [summary.ref]
    assert [o.ref for o in by_name] == [summary.ref]
    demo_org = applicants.find_organisations(demo.db, demo.ctx, query="91230902MA1C4R2T5A")
    assert [o.name for o in demo_org] == ["七台河市兴华商贸有限公司"]


def test_duplicate_or_wrong_organisation_code_is_refused(demo):
    applicants.register_organisation(demo.db, demo.ctx, credit_code=ORG_CODE, name="测试公司")

    with pytest.raises(ValidationError) as duplicate:
        applicants.register_organisation(demo.db, demo.ctx, credit_code=ORG_CODE, name="另一家")
    wrong = ORG_CODE[:17] + ("0" if ORG_CODE[17] != "0" else "1")
    with pytest.raises(ValidationError) as bad:
        applicants.register_organisation(demo.db, demo.ctx, credit_code=wrong, name="另一家")

    assert duplicate.value.field == "credit_code"
    assert "already registered" in duplicate.value.message
    assert bad.value.field == "credit_code"
    assert applicants.find_organisations(demo.db, demo.ctx, query="另一家") == []
