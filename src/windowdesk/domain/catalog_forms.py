"""An item's forms to download and print (表格下载): application forms, commitment and
power-of-attorney templates, as catalog data. Plain Python: no I/O.

In a catalog folder an item lists ``"forms": [{"code": "F01", "title": "...", "kind":
"application", "file": "forms/MZ-001-F01.pdf"}]``, the file beside ``items.json``. The hub
reads each file when it publishes the catalog, checks it (:func:`check_form_file`) and adds
to the entry what a window or a browser needs to fetch exactly that file: its ``sha256``,
its ``size`` and its ``version`` (1 for a form's first file, one more each time a new file
is published under the same form code; older files are kept at the hub for the record).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from windowdesk.i18n import _

if TYPE_CHECKING:  # the reader imports this module: no cycle at run time
    from windowdesk.domain.catalog_reader import _Reader


class FormKind(StrEnum):
    """What an item's downloadable form is (the window's item_forms.kind, the hub's form_versions.kind)."""

    APPLICATION = "application"
    COMMITMENT = "commitment"
    POWER_OF_ATTORNEY = "power_of_attorney"
    OTHER = "other"


FORM_KINDS = tuple(kind.value for kind in FormKind)
FORM_CODE = re.compile(r"^[A-Z0-9]{1,8}$")
FORM_FILE = re.compile(r"^forms/[A-Za-z0-9][A-Za-z0-9._-]{0,79}\.(pdf|docx)$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAX_FORM_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class ItemForm:
    code: str
    title: str
    kind: str  # one of FORM_KINDS
    file: str  # forms/<name>.pdf or .docx, in the catalog folder
    sha256: str = ""  # "" in a catalog folder; the hub sets it when it publishes the file
    size: int = 0
    version: int = 0  # the hub's number of this form's file (1, 2, ...); 0 in a folder

    @property
    def extension(self) -> str:
        return self.file.rsplit(".", 1)[-1]

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.extension]

    @property
    def published(self) -> bool:
        """Published by a hub: the file is known by its hash and can be fetched."""
        return bool(self.sha256)


def parse_forms(reader: _Reader) -> tuple[ItemForm, ...]:
    """An item's ``forms`` (optional): codes unique within the item."""
    forms = []
    for index, data in enumerate(reader.array("forms", required=False)):
        code = data.get("code") if isinstance(data, dict) else None
        form = reader.child(f"form {code}" if isinstance(code, str) and code else f"form #{index + 1}", data)
        sha256 = form.string("sha256", required=False)
        if sha256 and not SHA256.match(sha256):
            form.fail("sha256", _("{subject}: sha256 must be 64 hexadecimal digits").format(subject=form.subject))
        forms.append(
            ItemForm(
                code=form.string("code", pattern=FORM_CODE),
                title=form.string("title"),
                kind=form.choice("kind", FORM_KINDS),
                file=form.string("file", pattern=FORM_FILE),
                sha256=sha256,
                size=form.integer("size", required=False, default=0) or 0,
                version=form.integer("version", required=False, default=0) or 0,
            )
        )
    seen: set[str] = set()
    for form_entry in forms:
        if form_entry.code in seen:
            reader.fail(
                "forms",
                _("{subject}: form code {form} is used more than once").format(
                    subject=reader.subject, form=form_entry.code
                ),
            )
        seen.add(form_entry.code)
    return tuple(forms)


def check_form_file(name: str, content: bytes) -> str:
    """The media type of a form's file, or ValueError in plain words: a PDF must be a PDF
    and a DOCX a Word document (a zip holding word/document.xml), at most MAX_FORM_BYTES;
    the name's ending decides which it must be (a renamed file is refused)."""
    extension = name.rsplit(".", 1)[-1].lower()
    if extension not in MEDIA_TYPES:
        raise ValueError(_("{file}: a form must be a PDF or a Word (DOCX) file").format(file=name))
    if not content:
        raise ValueError(_("{file}: the file is empty").format(file=name))
    if len(content) > MAX_FORM_BYTES:
        raise ValueError(
            _("{file}: the file is larger than {megabytes} MB").format(
                file=name, megabytes=MAX_FORM_BYTES // (1024 * 1024)
            )
        )
    if extension == "pdf":
        if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-1024:]:
            raise ValueError(_("{file}: the file is not a PDF").format(file=name))
    elif not _is_word_document(content):
        raise ValueError(_("{file}: the file is not a Word (DOCX) document").format(file=name))
    return MEDIA_TYPES[extension]


def _is_word_document(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "word/document.xml" in names and "[Content_Types].xml" in names


def form_documents(item_document: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``forms`` entries of one item of an items document ([] when it has none)."""
    forms = item_document.get("forms")
    return forms if isinstance(forms, list) else []
