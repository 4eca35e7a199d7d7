"""告知承诺制 in the console, in a real browser against a real hub process and a real
window: the department records a verification as false on its page (a false one without
its finding is refused, nothing typed lost), the window learns its case is marked for
revocation and refuses the flagged applicant, and a supervisor lifts the flag with a
reason on the credit flags page, which the window learns at its next sync."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sync.hub_process import HubProcess, Station, create_station
from tests.web.browser import save_screenshot
from tests.web.test_console_departments_and_supervision import FIRST, sign_in, sync
from windowdesk.domain.commitment import CommitmentTerms
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.errors import ValidationError
from windowdesk.services import applicants, intake
from windowdesk.services.catalog import get_item_guide
from windowdesk.storage import models as m

ITEM = "JD-001"  # 居民家庭经济状况证明开具, decided by JDB
STAFF = {"jd.verify": ("孙街道", "department", "JDB"), "jc.flags": ("钱监察", "supervisor", None)}


@pytest.fixture(scope="module")
def console_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    hub = HubProcess(tmp_path_factory.mktemp("commitment-hub"))
    hub.import_catalog()
    for login, (name, role, department) in STAFF.items():
        extra = ("--department", department) if department else ()
        hub.cli("create-console-user", login, "--name", name, "--role", role, "--password", FIRST, *extra)
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture
def window(console_hub: HubProcess, module_keyring, tmp_path) -> Iterator[Station]:
    station = create_station(tmp_path / "window", "CH", "01")
    try:
        station.enroll(console_hub.url, console_hub.enrollment_code("CH", "01"))
        yield station
    finally:
        station.close()


def _commit(station: Station, applicant):
    guide = get_item_guide(station.db, item_code=ITEM)
    return intake.accept_case(
        station.db,
        station.ctx,
        item_code=ITEM,
        applicant=applicant,
        checks=[intake.MaterialCheck(mat.code, "received") for mat in guide.materials],
        shipped_calendar=station.calendar,
        commitment=CommitmentTerms(),
    )


def test_a_department_finds_a_commitment_false_and_a_supervisor_lifts_the_flag(
    console_hub: HubProcess, window: Station, desktop_page
) -> None:
    first17 = "23090219800101123"
    person = applicants.register_resident(
        window.db, window.ctx, name="周承诺", id_number=first17 + resident_id_check_char(first17)
    ).ref
    case = _commit(window, person)
    sync(window)
    page = desktop_page

    sign_in(page, console_hub, "jd.verify")
    page.click("nav.sections >> a[href='/console/verifications']")
    page.wait_for_url("**/console/verifications")
    assert case.number in page.inner_text("table.cases")
    save_screenshot(page, "console-verifications")
    page.check(f"#false-{case.number}")
    page.click(f"#verify-{case.number}")  # false without its finding: refused, the choice kept
    assert page.inner_text("[role=alert]").strip()
    assert page.is_checked(f"#false-{case.number}")
    page.fill(f"#note-{case.number}", "经入户核查，家庭收入与承诺不符")
    page.click(f"#verify-{case.number}")
    page.wait_for_url("**/console/verifications?done=flagged")
    assert case.number not in page.inner_text("section.work")
    page.goto(console_hub.url + f"/console/cases/{case.id}")
    assert page.inner_text("#commitment").strip()
    assert "card-red" in page.inner_html("#commitment")
    save_screenshot(page, "console-case-commitment-false")

    sync(window)
    with window.db.read() as session:
        assert session.get(m.CaseCommitment, case.id).marked_for_revocation
    with pytest.raises(ValidationError, match="credit flag"):
        _commit(window, person)

    sign_in(page, console_hub, "jc.flags")
    page.click("nav.sections >> a[href='/console/credit-flags']")
    page.wait_for_url("**/console/credit-flags")
    assert case.number in page.inner_text("section.work") and first17 not in page.content()
    save_screenshot(page, "console-credit-flags")
    page.fill("textarea[name=reason]", "申请人补充证明，复核属实")
    page.click("button[id^=lift-]")
    page.wait_for_url("**/console/credit-flags?done=lifted")
    assert case.number not in page.inner_text("section.work")

    sync(window)
    assert _commit(window, person).committed
    assert console_hub.unexpected_errors() == ""
