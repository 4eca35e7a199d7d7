"""An item's forms in the catalog format (表格下载, issue 30): validated alike at the
window and at the hub's import (one parser); a form's file is what its name says."""

from __future__ import annotations

import copy
import io
import json
import zipfile

import pytest

from windowdesk.domain.catalog import CatalogFormatError, parse_catalog
from windowdesk.domain.catalog_forms import MAX_FORM_BYTES, check_form_file
from windowdesk.paths import resources_dir


def _documents():
    folder = resources_dir() / "catalog"
    return [
        json.loads((folder / name).read_text(encoding="utf-8"))
        for name in ("centers.json", "departments.json", "items.json")
    ]


def _with_forms(forms) -> tuple:
    centers, departments, items = _documents()
    items = copy.deepcopy(items)
    next(i for i in items["items"] if i["code"] == "MZ-003")["forms"] = forms
    return centers, departments, items


def test_the_demo_catalog_lists_forms_for_a_few_items_and_every_file_is_shipped():
    catalog = parse_catalog(*_documents())
    listed = {item.code: [(f.code, f.kind) for f in item.forms] for item in catalog.items if item.forms}
    assert listed == {
        "MZ-001": [("F01", "application")],
        "MZ-002": [("F01", "application"), ("F02", "commitment"), ("F03", "power_of_attorney")],
        "LL-001": [("F01", "application"), ("F02", "power_of_attorney")],
        "GS-002": [("F01", "application"), ("F02", "commitment")],
    }
    for item in catalog.items:
        for form in item.forms:
            path = resources_dir() / "catalog" / form.file
            assert check_form_file(form.file, path.read_bytes()) == "application/pdf"
            assert not form.published  # a folder's forms get their hash and version at the hub


@pytest.mark.parametrize(
    ("forms", "field"),
    [
        ([{"code": "F01", "title": "申请表", "kind": "leaflet", "file": "forms/a.pdf"}], "kind"),
        ([{"code": "F01", "title": "申请表", "kind": "application", "file": "forms/a.exe"}], "file"),
        ([{"code": "F01", "title": "申请表", "kind": "application", "file": "../secret.pdf"}], "file"),
        ([{"code": "F01", "title": "", "kind": "application", "file": "forms/a.pdf"}], "title"),
        ([{"code": "F01", "title": "申请表", "kind": "application", "file": "forms/a.pdf", "sha256": "abc"}], "sha256"),
        (
            [
                {"code": "F01", "title": "甲", "kind": "application", "file": "forms/a.pdf"},
                {"code": "F01", "title": "乙", "kind": "other", "file": "forms/b.pdf"},
            ],
            "forms",
        ),
    ],
)
def test_a_malformed_form_entry_is_refused_naming_the_item_and_the_field(forms, field):
    with pytest.raises(CatalogFormatError) as refused:
        parse_catalog(*_with_forms(forms))
    assert refused.value.field == field and "MZ-003" in refused.value.subject


def test_a_file_must_be_what_its_name_says():
    pdf = (resources_dir() / "catalog" / "forms" / "MZ-001-F01.pdf").read_bytes()
    assert check_form_file("forms/a.pdf", pdf) == "application/pdf"
    for name, content in [
        ("forms/a.pdf", b"MZ\x90\x00" + bytes(100)),
        ("forms/a.docx", pdf),
        ("forms/a.pdf", b""),
        ("forms/a.pdf", pdf[:-200]),
        ("forms/a.txt", b"hello"),
        ("forms/a.pdf", b"%PDF-1.4\n" + bytes(MAX_FORM_BYTES) + b"%%EOF"),
    ]:
        with pytest.raises(ValueError):
            check_form_file(name, content)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert check_form_file("forms/a.docx", buffer.getvalue()).endswith("wordprocessingml.document")
