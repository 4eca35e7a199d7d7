"""出件 / 送达 rules: the choice, the handover checks, masking, the delivery deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from windowdesk.domain.delivery import (
    DeliveryChoice,
    Handover,
    check_handover,
    delivery_due,
    mask_address,
    parse_locker_code,
    parse_waybill,
)
from windowdesk.errors import ValidationError
from windowdesk.paths import resources_dir
from windowdesk.services.working_days import load_shipped_calendar

APPLICANT = "230902196210010496"
OTHER = "23090219800101123X"  # a valid number of someone else


def test_a_choice_needs_what_its_mode_needs():
    assert DeliveryChoice().checked() == DeliveryChoice("window")
    with pytest.raises(ValidationError):
        DeliveryChoice("post", address="七台河").checked()
    assert (
        DeliveryChoice("post", address=" 黑龙江省七台河市桃山区  学府街12号 ").checked().address
        == "黑龙江省七台河市桃山区 学府街12号"
    )
    with pytest.raises(ValidationError):
        DeliveryChoice("locker").checked()
    with pytest.raises(ValidationError):
        DeliveryChoice("drone").checked()


def test_an_address_keeps_only_its_area():
    assert mask_address("黑龙江省七台河市桃山区学府街12号3单元501") == "黑龙江省七台河市桃山区****"
    assert mask_address("北京市朝阳区建国路88号") == "北京市朝阳区****"
    assert "学府街" not in mask_address("学府街12号3单元501室")
    assert mask_address("") == ""


def test_waybills_and_locker_codes_as_typed_or_scanned():
    assert parse_waybill(" ea123456789cn ") == "EA123456789CN"
    assert parse_waybill("１２３４５６７８９０１２３") == "1234567890123"
    for wrong in ("EA12345678CN", "123", "EA123456789"):
        with pytest.raises(ValidationError):
            parse_waybill(wrong)
    assert parse_locker_code(" 4821 ") == "4821"
    with pytest.raises(ValidationError):
        parse_locker_code("48a1")


def test_the_applicant_collects_with_their_own_id_an_agent_with_a_power_of_attorney():
    own = check_handover(
        Handover("window", APPLICANT, "王建国", read_from_card=True), chosen="window", applicant_id_number=APPLICANT
    )
    assert (own.collector_id_masked, own.agent, own.read_from_card) == ("230902********0496", False, True)
    with pytest.raises(ValidationError, match="not the applicant"):
        check_handover(Handover("window", OTHER, "李四"), chosen="window", applicant_id_number=APPLICANT)
    with pytest.raises(ValidationError, match="power of attorney"):
        check_handover(Handover("window", OTHER, "李四", agent=True), chosen="window", applicant_id_number=APPLICANT)
    agent = check_handover(
        Handover("window", OTHER, "李四", agent=True, power_of_attorney="委托书2025-018"),
        chosen="window",
        applicant_id_number=APPLICANT,
    )
    assert agent.agent and OTHER not in agent.words() and "委托书2025-018" in agent.words()
    with pytest.raises(ValidationError):  # an organisation's result: only through an agent
        check_handover(Handover("window", OTHER, "李四"), chosen=None, applicant_id_number=None)


def test_the_handover_follows_the_choice_but_the_window_always_serves():
    with pytest.raises(ValidationError, match="chose"):
        check_handover(Handover("locker", locker_code="4821"), chosen="post", applicant_id_number=APPLICANT)
    posted = check_handover(Handover("post", waybill="EA123456789CN"), chosen="post", applicant_id_number=APPLICANT)
    assert posted.waybill == "EA123456789CN" and "EA123456789CN" in posted.words()
    # Chose the post, then came to the window anyway: handed over there, ID checked.
    assert (
        check_handover(Handover("window", APPLICANT, "王建国"), chosen="post", applicant_id_number=APPLICANT).mode
        == "window"
    )


def test_the_delivery_deadline_is_ten_working_days_after_the_decision_across_national_day():
    calendar = load_shipped_calendar(resources_dir())
    # Decided Tue 30 Sep 2025: 9, 10, 11 (make-up Saturday), 13-17, 20, 21 October.
    assert delivery_due(dt.date(2025, 9, 30), calendar) == dt.date(2025, 10, 21)
