"""``windowdesk-hub purge-applications``: online applications (网上申报) never completed,
deleted with their pages after a set period since their last change (90 days by default).
Run it daily (a systemd timer or cron, like the backups). Added to the parser by hub.cli."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from windowdesk.hub.cli_common import at_least_one, utc_now
from windowdesk.hub.services.online_applications import KEEP_DAYS, purge
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.sealing import sealer_for
from windowdesk.i18n import _


def cmd_purge_applications(args: argparse.Namespace, settings: HubSettings, db: HubDatabase) -> None:
    data_dir = Path(settings.data_dir)
    purged = purge(db, ApplicationFiles(data_dir, sealer_for(data_dir)), now=utc_now(), keep_days=args.keep_days)
    print(
        _("{count} online applications not completed in {days} days were deleted with their pages.").format(
            count=purged, days=args.keep_days
        )
    )


def add_commands(command: Callable[[str, Callable, str], argparse.ArgumentParser]) -> None:
    sub = command(
        "purge-applications",
        cmd_purge_applications,
        _("delete the online applications never completed, with their pages, after a set period"),
    )
    sub.add_argument(
        "--keep-days",
        type=at_least_one,
        default=KEEP_DAYS,
        help=_("days since an application last changed (default 90)"),
    )
