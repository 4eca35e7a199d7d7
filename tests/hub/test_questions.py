"""网上咨询 (issue 30): a resident asks about an item, reads the answer by number (and the
short code when a phone was left); the item's department or the city's offices answer in
the console (audited); the answerer publishes it as the item's FAQ, personal data taken
out, and takes it off again. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.web.human import answer_for
from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput, NotFound
from windowdesk.hub.services import public_questions as questions
from windowdesk.hub.services import question_answers as answers
from windowdesk.hub.services.console_rights import ADMINISTRATOR, DEPARTMENT, SUPERVISOR, ConsoleActor
from windowdesk.hub.storage.models_console import HubAuditEntry
from windowdesk.hub.storage.models_forms import Question

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
CIVIL = ConsoleActor("11", "mz", "民政小李", DEPARTMENT, "MZJ")  # MZ-002's department
POLICE = ConsoleActor("12", "ga", "公安小王", DEPARTMENT, "GAJ")
SUPERVISION = ConsoleActor("13", "sup", "监察小赵", SUPERVISOR)
ADMIN = ConsoleActor("14", "admin", "管理员", ADMINISTRATOR)


@pytest.fixture
def catalog_hub(hub, demo_catalog):
    return hub


def _ask(
    hub,
    text: str = "医疗救助需要带户口本原件吗？",
    *,
    phone: str = "",
    item: str = "MZ-002",
    address: str = "10.0.0.1",
    at: dt.datetime = NOW,
) -> questions.Asked:
    return questions.ask(hub.db, item_code=item, text=text, phone=phone, address=address, now=at)


def _find(hub, number: str, code: str = "", *, address: str = "10.0.0.9", at: dt.datetime = NOW):
    return questions.find(hub.db, number=number, code=code, address=address, now=at)


def test_wrong_short_codes_lock_the_question_and_the_address_for_a_while(catalog_hub) -> None:
    asked = _ask(catalog_hub, phone="13800138000")
    for _try in range(questions.MAX_TRIES - 1):
        assert _find(catalog_hub, asked.number, "AAAAAA").outcome == questions.WRONG
    assert _find(catalog_hub, asked.number, "AAAAAA").outcome == questions.LOCKED
    # Locked: even the right code waits, from this address and from another one.
    assert _find(catalog_hub, asked.number, asked.code).outcome == questions.LOCKED
    assert _find(catalog_hub, asked.number, asked.code, address="10.0.0.8").outcome == questions.LOCKED
    later = NOW + questions.LOOKUP_WINDOW + dt.timedelta(seconds=1)
    assert _find(catalog_hub, asked.number, asked.code, at=later).outcome == questions.FOUND


def _write(hub, work):
    with hub.db.write() as session:
        return work(session)


def test_a_question_without_contact_opens_by_its_number_and_one_with_a_phone_needs_the_code(catalog_hub) -> None:
    plain = _ask(catalog_hub)
    assert re.fullmatch(r"ZX[2-9A-HJ-NP-Z]{8}", plain.number) and plain.code == ""
    found = _find(catalog_hub, plain.number.lower()).question
    assert found is not None and found.text == "医疗救助需要带户口本原件吗？" and not found.answered

    private = _ask(catalog_hub, "我的身份证230902196210010496办低保可以吗", phone="138-0013-8000")
    assert len(private.code) == questions.CODE_LENGTH
    assert questions.needs_code(catalog_hub.db, private.number)
    assert _find(catalog_hub, private.number).outcome == questions.WRONG
    assert _find(catalog_hub, private.number, "WRONG2").question is None
    assert _find(catalog_hub, private.number, private.code.lower()).question is not None
    with catalog_hub.db.read() as session:
        row = session.get(Question, private.number)
        assert row.phone == "13800138000" and private.code not in row.code_hash and row.department_code == "MZJ"
        assert "10.0.0.1" not in row.address_hash


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "在吗"}, questions.BAD_TEXT),
        ({"text": "x" * 1001}, questions.BAD_TEXT),
        ({"phone": "12345"}, questions.BAD_PHONE),
        ({"item": "NO-999"}, questions.NO_ITEM),
    ],
)
def test_a_question_that_cannot_be_taken_is_refused_with_its_reason(catalog_hub, kwargs, message) -> None:
    with pytest.raises(questions.QuestionRefused) as refused:
        _ask(catalog_hub, **kwargs)
    assert refused.value.message == message
    with catalog_hub.db.read() as session:
        assert session.scalars(select(Question)).all() == []


def test_one_address_asks_at_most_five_questions_a_day(catalog_hub) -> None:
    for minute in range(questions.MAX_PER_ADDRESS_PER_DAY):
        _ask(catalog_hub, at=NOW + dt.timedelta(minutes=minute))
    with pytest.raises(questions.QuestionRefused) as refused:
        _ask(catalog_hub, at=NOW + dt.timedelta(hours=2))
    assert refused.value.message == questions.ADDRESS_LIMIT
    _ask(catalog_hub, address="10.0.0.2", at=NOW + dt.timedelta(hours=2))  # another address is not counted
    _ask(catalog_hub, at=NOW + dt.timedelta(days=1, minutes=1))  # nor a day later


def test_the_item_s_department_and_the_city_s_offices_see_open_questions_oldest_first(catalog_hub) -> None:
    newer = _ask(catalog_hub, "第二个问题：要多久办好？", at=NOW + dt.timedelta(minutes=5))
    older = _ask(catalog_hub, "第一个问题：在哪里办理？", at=NOW)
    police = _ask(catalog_hub, "身份证丢了怎么补办？", item="GA-003", at=NOW - dt.timedelta(minutes=1))
    with catalog_hub.db.read() as session:
        assert [q.number for q in answers.open_questions(session, actor=CIVIL)] == [older.number, newer.number]
        assert [q.number for q in answers.open_questions(session, actor=POLICE)] == [police.number]
        assert [q.number for q in answers.open_questions(session, actor=SUPERVISION)] == [
            police.number,
            older.number,
            newer.number,
        ]
    # Another department's question is as if it did not exist.
    with pytest.raises(NotFound):
        _write(catalog_hub, lambda s: answers.answer(s, actor=POLICE, number=older.number, text="答复", now=NOW))


def test_an_answer_is_audited_given_once_and_read_by_the_resident(catalog_hub) -> None:
    asked = _ask(catalog_hub, phone="13800138000")
    with pytest.raises(InvalidInput):
        _write(catalog_hub, lambda s: answers.answer(s, actor=CIVIL, number=asked.number, text="  ", now=NOW))
    _write(
        catalog_hub,
        lambda s: answers.answer(
            s, actor=CIVIL, number=asked.number, text="需要带原件核对。", now=NOW, address="10.1.1.1"
        ),
    )
    with pytest.raises(Conflict):
        _write(
            catalog_hub, lambda s: answers.answer(s, actor=SUPERVISION, number=asked.number, text="另一个答复", now=NOW)
        )
    found = _find(catalog_hub, asked.number, asked.code).question
    assert found.answered and found.answer == "需要带原件核对。"
    with catalog_hub.db.read() as session:
        assert answers.open_questions(session, actor=CIVIL) == []
        entry = session.scalars(select(HubAuditEntry).where(HubAuditEntry.action == "question.answered")).one()
        assert entry.actor == "console:mz" and entry.entity_id == asked.number and entry.address == "10.1.1.1"


def test_only_the_answerer_publishes_the_faq_and_personal_data_never_reaches_it(catalog_hub) -> None:
    asked = _ask(catalog_hub, "我叫张三，身份证230902196210010496，电话13800138000，能办医疗救助吗？")
    _write(
        catalog_hub,
        lambda s: answers.answer(
            s, actor=CIVIL, number=asked.number, text="可以，请联系 zhang@example.cn 或 0464-8281234。", now=NOW
        ),
    )
    with catalog_hub.db.read() as session:
        (mine,) = answers.my_answers(session, actor=CIVIL)
    # What the console offers to publish is already stripped.
    assert "230902196210010496" not in mine.faq_question and "13800138000" not in mine.faq_question
    assert "zhang@example.cn" not in mine.faq_answer and "8281234" not in mine.faq_answer
    with pytest.raises(Forbidden):
        _write(
            catalog_hub,
            lambda s: answers.publish(
                s, actor=SUPERVISION, number=asked.number, question="问", answer_text="答", now=NOW
            ),
        )
    # Whatever the answerer types, the published words carry no ID or phone number.
    _write(
        catalog_hub,
        lambda s: answers.publish(
            s,
            actor=CIVIL,
            number=asked.number,
            question="身份证230902196210010496的人能办医疗救助吗？",
            answer_text="可以，电话13800138000。",
            now=NOW,
        ),
    )
    with catalog_hub.db.read() as session:
        (faq,) = questions.faqs(session, item_code="MZ-002")
        assert faq.question == "身份证***的人能办医疗救助吗？" and faq.answer == "可以，电话***。"
        assert questions.faqs(session, item_code="MZ-001") == []
        actions = session.scalars(select(HubAuditEntry.action).where(HubAuditEntry.entity == "question")).all()
        assert sorted(actions) == ["question.answered", "question.published"]
    page = catalog_hub.client.get("/guides/MZ-002").text
    assert "身份证***的人能办医疗救助吗？" in page and "230902196210010496" not in page

    colleague = ConsoleActor("15", "mz2", "民政小周", DEPARTMENT, "MZJ")
    with pytest.raises(Forbidden):  # the same department, not the answerer
        _write(catalog_hub, lambda s: answers.unpublish(s, actor=colleague, number=asked.number, now=NOW))
    with pytest.raises(NotFound):  # another department
        _write(catalog_hub, lambda s: answers.unpublish(s, actor=POLICE, number=asked.number, now=NOW))
    _write(catalog_hub, lambda s: answers.unpublish(s, actor=CIVIL, number=asked.number, now=NOW))
    with catalog_hub.db.read() as session:
        assert questions.faqs(session, item_code="MZ-002") == []


def test_the_guide_page_takes_a_question_behind_the_human_check_and_csrf(catalog_hub) -> None:
    client = catalog_hub.client
    page = client.get("/guides/LL-001").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    token = re.search(r'name="human_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": csrf, "text": "老年证可以代办吗？", "phone": "", "human_token": token, "human_answer": "99"}
    wrong = client.post("/guides/LL-001/questions", data=form)
    assert wrong.status_code == 422 and "老年证可以代办吗？" in wrong.text  # nothing typed is lost
    assert (
        client.post(
            "/guides/LL-001/questions",
            data={**form, "csrf_token": "forged", "human_answer": answer_for(catalog_hub.data_dir, token)},
        ).status_code
        == 403
    )
    sent = client.post(
        "/guides/LL-001/questions", data={**form, "human_answer": answer_for(catalog_hub.data_dir, token)}
    )
    assert sent.status_code == 200
    number = re.search(r'id="question-number">([^<]+)<', sent.text).group(1)
    assert "老年证可以代办吗？" in client.get(f"/questions/{number}").text
