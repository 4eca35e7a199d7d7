"""The workstation's card reader settings (administrators only, audited) and finding the
holder of a card, on a real database."""

from __future__ import annotations

from datetime import date

import pytest

from windowdesk.devices.idcard import IdCard, ReaderSettings
from windowdesk.errors import ValidationError
from windowdesk.services import card_reader
from windowdesk.services.authorization import PermissionDenied
from windowdesk.storage.models import AuditEntry, Operator


@pytest.fixture
def admin(demo):
    """The demo workstation's operator made an administrator."""
    with demo.db.write() as session:
        session.get(Operator, demo.ctx.operator_id).role = "administrator"
    return demo


@pytest.fixture
def library(tmp_path):
    path = tmp_path / "libsdtapi.so"
    path.write_bytes(b"\x7fELF")  # the settings check the file is there; loading is the reader's
    return path


def _card(id_number: str, name: str = "张秀英") -> IdCard:
    return IdCard(
        name=name,
        sex_code="2",
        sex="女",
        gender="female",
        ethnicity_code="01",
        ethnicity="汉族",
        birth_date=date(1944, 3, 18),
        address="",
        id_number=id_number,
        issuing_authority="",
        valid_from=date(2010, 1, 1),
        valid_until=None,
    )


def test_no_reader_until_an_administrator_sets_one(admin, library):
    assert card_reader.reader_settings(admin.db) is None
    saved = card_reader.save_reader_settings(admin.db, admin.ctx, library_path=f"  {library} ", port=1002)
    assert saved == ReaderSettings(plugin="sdtapi", library_path=str(library), port=1002)
    assert card_reader.reader_settings(admin.db) == saved
    with admin.db.read() as session:
        actions = [entry.action for entry in session.query(AuditEntry).order_by(AuditEntry.seq)]
    assert actions[-1] == "workstation.card_reader_set"
    card_reader.remove_reader(admin.db, admin.ctx)
    assert card_reader.reader_settings(admin.db) is None


def test_a_supervisor_may_not_set_the_reader(demo, library):
    with pytest.raises(PermissionDenied) as refused:
        card_reader.save_reader_settings(demo.db, demo.ctx, library_path=str(library), port=1001)
    assert "may not set up the devices of this workstation" in refused.value.message
    with pytest.raises(PermissionDenied):
        card_reader.remove_reader(demo.db, demo.ctx)
    assert card_reader.reader_settings(demo.db) is None


@pytest.mark.parametrize(
    ("path", "port", "message"),
    [
        ("", 1001, "Please give the path"),
        ("/nonexistent/libsdtapi.so", 1001, "There is no file"),
        (None, 1017, "1001 to 1016"),
        (None, 0, "1001 to 1016"),
    ],
)
def test_settings_are_checked_in_plain_words(admin, library, path, port, message):
    with pytest.raises(ValidationError, match=message):
        card_reader.save_reader_settings(
            admin.db, admin.ctx, library_path=str(library) if path is None else path, port=port
        )
    with pytest.raises(ValidationError, match="no ID card reader plug-in"):
        card_reader.save_reader_settings(admin.db, admin.ctx, library_path=str(library), port=1001, plugin="x")
    assert card_reader.reader_settings(admin.db) is None


def test_the_holder_of_a_card_is_found_by_the_whole_number(demo):
    holder = card_reader.find_card_holder(demo.db, demo.ctx, card=_card("230902194403180126"))
    assert holder is not None and holder.name == "张秀英"
    assert card_reader.find_card_holder(demo.db, demo.ctx, card=_card("110101198001010010", "王小明")) is None
