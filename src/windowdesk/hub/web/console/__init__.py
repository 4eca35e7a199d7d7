"""The console (``/console/``): department staff, supervisors and administrators.

Each part of the console is a module with its own ``router``, included here; every route
takes the signed-in person with ``Depends(session.current_actor)`` and the services check
what that person may do.
"""

from __future__ import annotations

from fastapi import APIRouter

from windowdesk.hub.web.console import sign_in

router = APIRouter(prefix="/console", include_in_schema=False)
router.include_router(sign_in.router)
