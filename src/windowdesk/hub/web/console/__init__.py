"""The console (``/console/``): department staff, supervisors and administrators.

Each part of the console is a module with its own ``router``, included here; every route
takes the signed-in person with ``Depends(session.current_actor)`` and the services check
what that person may do.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from windowdesk.hub.web.console import (
    admin_access,
    admin_backups,
    admin_bookings,
    admin_calendar,
    admin_catalog,
    admin_city,
    commitments,
    department,
    hall_queues,
    online_applications,
    questions,
    reports,
    sign_in,
    supervision,
)
from windowdesk.hub.web.templating import page_words

router = APIRouter(prefix="/console", include_in_schema=False, dependencies=[Depends(page_words)])
router.include_router(sign_in.router)
router.include_router(department.router)
router.include_router(commitments.router)  # 告知承诺制: verifications, credit flags (issue 23)
router.include_router(supervision.router)
router.include_router(reports.router)
router.include_router(hall_queues.router)  # the hall queues' days (issue 25)
router.include_router(admin_city.router)  # the administrators' pages (issue 26)
router.include_router(admin_access.router)
router.include_router(admin_catalog.router)
router.include_router(admin_calendar.router)
router.include_router(admin_backups.router)
router.include_router(admin_bookings.router)  # the places residents book (issue 27)
router.include_router(questions.router)  # residents' questions, answered (issue 30)
router.include_router(online_applications.router)  # 全程网办: fully-online items accepted by their department
