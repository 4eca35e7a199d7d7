"""The ID card reader of this workstation: its settings (an administrator's), and who a
card read at the counter belongs to.

Settings live in the local database beside the workstation's identity: the reader is
part of this machine, not of the operator who logs in.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from windowdesk.devices.idcard import IdCard, ReaderSettings, plugin_names
from windowdesk.devices.idcard.reader import USB_PORTS
from windowdesk.domain.permissions import Permission
from windowdesk.errors import ValidationError
from windowdesk.i18n import _
from windowdesk.services import applicants
from windowdesk.services.applicants import ApplicantSummary
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.storage import queries

if TYPE_CHECKING:
    from windowdesk.storage.db import Database

KEY_PLUGIN = "devices.idcard.plugin"
KEY_LIBRARY = "devices.idcard.library"
KEY_PORT = "devices.idcard.port"
SERIAL_PORTS = range(1, 17)
READER_KEYS = (KEY_PLUGIN, KEY_LIBRARY, KEY_PORT)


def reader_settings(db: Database, settings: Mapping[str, str] | None = None) -> ReaderSettings | None:
    """The reader set up at this workstation, or None where there is none. ``settings``:
    READER_KEYS read already (preferences.read_settings)."""
    if settings is None:
        with db.read() as session:
            settings = queries.local_settings(session, READER_KEYS)
    plugin = settings.get(KEY_PLUGIN) or ""
    library = settings.get(KEY_LIBRARY) or ""
    port = settings.get(KEY_PORT) or ""
    if not plugin or not library:
        return None
    return ReaderSettings(plugin=plugin, library_path=library, port=int(port) if port.isdigit() else USB_PORTS[0])


def save_reader_settings(
    db: Database, ctx: CounterContext, *, library_path: str, port: int, plugin: str = "sdtapi"
) -> ReaderSettings:
    """Set up the reader (administrators only; audited)."""
    library_path = (library_path or "").strip()
    if plugin not in plugin_names():
        raise ValidationError(
            _("There is no ID card reader plug-in named \u201c{name}\u201d.").format(name=plugin), field="plugin"
        )
    if not library_path:
        raise ValidationError(
            _("Please give the path of the reader's library (sdtapi.dll or libsdtapi.so)."), field="library_path"
        )
    if not Path(library_path).is_file():
        raise ValidationError(
            _("There is no file {path} on this computer.").format(path=library_path), field="library_path"
        )
    if port not in USB_PORTS and port not in SERIAL_PORTS:
        raise ValidationError(
            _("The port must be 1001 to 1016 for a USB reader, or 1 to 16 for a serial one."), field="port"
        )
    settings = ReaderSettings(plugin=plugin, library_path=library_path, port=port)
    with db.write() as session:
        authorize(session, ctx, Permission.CONFIGURE_DEVICES)
        queries.set_local_setting(session, KEY_PLUGIN, plugin)
        queries.set_local_setting(session, KEY_LIBRARY, library_path)
        queries.set_local_setting(session, KEY_PORT, str(port))
        record_action(
            session,
            ctx,
            action="workstation.card_reader_set",
            entity="workstation",
            entity_id=ctx.workstation,
            detail={"plugin": plugin, "library_path": library_path, "port": port},
        )
    return settings


def remove_reader(db: Database, ctx: CounterContext) -> None:
    """This workstation has no reader any more (administrators only; audited)."""
    with db.write() as session:
        authorize(session, ctx, Permission.CONFIGURE_DEVICES)
        queries.set_local_setting(session, KEY_PLUGIN, "")
        record_action(
            session, ctx, action="workstation.card_reader_removed", entity="workstation", entity_id=ctx.workstation
        )


def find_card_holder(db: Database, ctx: CounterContext, *, card: IdCard) -> ApplicantSummary | None:
    """The registered resident whose ID number the card carries, if any."""
    # The whole 18-character number as the search: it matches that one resident only.
    found = applicants.find_residents(db, ctx, query=card.id_number, limit=1)
    return found[0] if found else None
