"""Downloading an item's forms from its guide page (表格下载, issue 30).

``/guides/<item>/forms/<form>`` is the form's stable address: it always gives the file
the current catalog publishes. ``.../v<n>`` gives version n, also an old one, kept for
the record (catalog_forms). The bytes are the stored file, exactly what the catalog
published and what the window prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.catalog_forms import MEDIA_TYPES
from windowdesk.hub.services.public_guides import PublishedCatalog
from windowdesk.hub.storage.models_forms import FormFile, FormVersion


@dataclass(frozen=True)
class FormDownload:
    item_code: str
    form_code: str
    version: int
    title: str
    media_type: str
    content: bytes

    @property
    def extension(self) -> str:
        return next((ext for ext, media in MEDIA_TYPES.items() if media == self.media_type), "bin")

    @property
    def file_name(self) -> str:
        """A name for the saved file that says what and which version (ASCII)."""
        return f"{self.item_code}-{self.form_code}-v{self.version}.{self.extension}"

    @property
    def title_file_name(self) -> str:
        """The same with the form's title, for browsers that take a UTF-8 name."""
        return f"{self.title}-v{self.version}.{self.extension}"


def current_form(
    session: Session, published: PublishedCatalog, *, item_code: str, form_code: str
) -> FormDownload | None:
    """The form as the current catalog publishes it; None when it lists no such form."""
    if not published.catalog.has_item(item_code):
        return None
    form = next((f for f in published.catalog.item(item_code).forms if f.code == form_code), None)
    if form is None or not form.published:
        return None
    stored = session.get(FormFile, form.sha256)
    if stored is None:
        return None
    return FormDownload(item_code, form.code, form.version, form.title, stored.media_type, stored.content)


def form_version(session: Session, *, item_code: str, form_code: str, version: int) -> FormDownload | None:
    """Version ``version`` of a form, current or not; None when there never was one."""
    row = session.execute(
        select(FormVersion.title, FormFile.media_type, FormFile.content)
        .join(FormFile, FormFile.sha256 == FormVersion.sha256)
        .where(FormVersion.item_code == item_code, FormVersion.form_code == form_code, FormVersion.version == version)
    ).first()
    if row is None:
        return None
    title, media_type, content = row
    return FormDownload(item_code, form_code, version, title, media_type, content)
