"""帮办代办 end to end: a proxy case accepted offline at a real window reaches the real
``windowdesk-hub serve`` process on loopback with its agent and power of attorney, and
the hub's city report counts it apart."""

from __future__ import annotations

import datetime as dt

from windowdesk.domain.proxy import ProxyTerms
from windowdesk.services import catalog as catalog_service
from windowdesk.services import intake

from .test_sync_with_hub import ITEM, blank_stations, enrolled, hub, new_station, resident, sync  # noqa: F401


def test_a_proxy_case_made_offline_reaches_the_hub_with_its_agent(hub, new_station) -> None:  # noqa: F811
    station = new_station()
    principal, agent = resident(station, 1), resident(station, 2)
    guide = catalog_service.get_item_guide(station.db, item_code=ITEM)
    signed = station.ctx.local_today() - dt.timedelta(days=1)
    case = intake.accept_case(
        station.db,
        station.ctx,
        item_code=ITEM,
        applicant=principal,
        checks=[intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials],
        shipped_calendar=station.calendar,
        proxy=ProxyTerms(agent.id, True, signed),
    )  # offline: no hub yet

    hub.start()
    report = sync(enrolled(station, hub))

    assert report.ok and report.rejected == [], report
    assert hub.rows(
        "SELECT agent_resident_id, power_of_attorney_date FROM case_proxies WHERE case_id = :c", c=case.id
    ) == [(agent.id, signed.isoformat())]  # SQLite: a date as text
    today = station.ctx.local_today().isoformat()
    answer = hub.cli("report", "--from", today, "--to", today, "--format", "csv")
    header, *rows = answer.splitlines()
    assert header.startswith("CENTER,ACCEPTED,BY AGENTS,")
    assert rows[-1].split(",")[1:4] == ["1", "1", "0"]
