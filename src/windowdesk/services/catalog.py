"""The service catalog: import a published version, search it as the operator types,
and show an item's full service guide (办事指南)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from windowdesk.domain import catalog as cat
from windowdesk.domain.catalog_model import DeferralRule
from windowdesk.domain.search_keys import NO_MATCH, SearchKeys, item_search_keys, normalize_query, rank
from windowdesk.errors import NotFoundError
from windowdesk.i18n import N_, _
from windowdesk.services.form_files import store_catalog_forms
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session

FORM_LABELS = {
    "original": N_("Original"),
    "copy": N_("Copy"),
    "original_and_copy": N_("Original and copy"),
    "electronic": N_("Electronic file"),
}


def form_label(form: str) -> str:
    return _(FORM_LABELS.get(form, form))


@dataclass(frozen=True)
class ItemSummary:
    code: str
    name: str
    department_code: str
    department_name: str
    promised_limit_days: int
    parallel: bool
    street_level: bool


@dataclass(frozen=True)
class MaterialLine:
    code: str
    name: str
    form: str
    originals: int
    copies: int
    required: bool
    note: str
    deferrable: bool = False  # 容缺: may be brought after acceptance

    @property
    def requirement(self) -> str:
        """What the applicant must bring, in words for a slip."""
        parts = [form_label(self.form)]
        if self.originals:
            parts.append(_("{count} original(s)").format(count=self.originals))
        if self.copies:
            parts.append(_("{count} copy(ies)").format(count=self.copies))
        if self.note:
            parts.append(self.note)
        return _("; ").join(parts)


@dataclass(frozen=True)
class FeeLine:
    department_name: str
    kind: str
    description: str
    amount_fen: int | None
    unit: str
    exemptions: tuple[str, ...]


@dataclass(frozen=True)
class ItemGuide:
    code: str
    name: str
    department_code: str
    department_name: str
    category: str
    preconditions: tuple[str, ...]
    materials: tuple[MaterialLine, ...]
    procedure: tuple[str, ...]
    legal_limit_days: int
    promised_limit_days: int
    warning_days: int
    fee_summary: str
    fees: tuple[FeeLine, ...]
    legal_basis: str
    refusal_grounds: tuple[str, ...]
    parallel: bool
    parallel_departments: tuple[str, ...]
    street_level: bool
    where: str
    catalog_version: str
    deferral_rule: DeferralRule = DeferralRule.NONE  # 容缺受理: none, suspend or refuse
    deferral_basis: str = ""
    commitment_verify_days: int = 0  # 告知承诺制: 0 when the item is not marked
    certificate: str = ""  # what an approval issues ("" when nothing)


def import_catalog(db: Database, catalog: cat.Catalog, *, form_files: Mapping[str, bytes] | None = None) -> int:
    """Replace the local catalog by a published version, in one transaction.

    Items no longer published are kept but marked inactive, because old cases point at
    them. Returns the number of active items. ``form_files``: a catalog folder's forms,
    by file name (services/form_files).
    """
    with db.write() as session:
        return import_catalog_into(session, catalog, form_files=form_files)


def import_catalog_into(
    session: Session, catalog: cat.Catalog, *, form_files: Mapping[str, bytes] | None = None
) -> int:
    """The same, inside the caller's open write transaction (a sync applies a page of
    changes and its cursor together)."""
    # Rows not stored yet are added, stored ones merged: asking for each row in turn
    # (merge's own look-up) cost a first start ~190 queries on an empty database.
    stored = queries.catalog_keys(session)

    def put(row, key) -> None:  # noqa: ANN001 - a catalog row
        if key in stored[type(row)]:
            session.merge(row)
        else:
            session.add(row)

    for center in catalog.centers:
        put(
            m.Center(
                code=center.code,
                name=center.name,
                name_en=center.name_en,
                kind=center.kind,
                address=center.address,
                phone=center.phone,
                hours=center.hours,
                timezone=center.timezone,
            ),
            center.code,
        )
        for window in center.windows:
            window_id = f"{center.code}-{window.code}"
            put(
                m.Window(
                    id=window_id,
                    center_code=center.code,
                    code=window.code,
                    name=window.name,
                    phone=window.phone,
                ),
                window_id,
            )
    for department in catalog.departments:
        put(m.Department(code=department.code, name=department.name, name_en=department.name_en), department.code)
    session.flush()
    published = {item.code for item in catalog.items}
    for existing in queries.active_items(session):
        if existing.code not in published:
            existing.active = False
    new_items: list[tuple[cat.CatalogItem, dict]] = []
    for item in catalog.items:
        columns = _item_columns(item, catalog.version)
        if item.code not in stored[m.CatalogItem]:
            new_items.append((item, columns))
            continue
        old = session.get_one(m.CatalogItem, item.code)  # in `stored` above
        # Updated in place: cases keep pointing at the item's code. The old checklist
        # goes first so the new one can reuse its material codes.
        old.materials.clear()
        old.fee_rules.clear()
        session.flush()
        for column, value in columns.items():
            setattr(old, column, value)
        old.materials = _material_rows(item)
        old.fee_rules = _fee_rows(item)
    session.flush()
    # Items not stored yet (all of them at a first start) in one statement per table: the
    # unit of work sent one INSERT per material and fee rule (issue 29, aim 6). Rows and
    # their ids as before: items, then each item's materials and fee rules in its order.
    queries.insert_catalog_items(
        session,
        items=[columns for _item, columns in new_items],
        materials=[row for item, _columns in new_items for row in _material_values(item)],
        fee_rules=[row for item, _columns in new_items for row in _fee_values(item)],
    )
    store_catalog_forms(session, catalog, form_files)  # 表格下载 (issue 30)
    return len(catalog.items)


def _item_columns(item: cat.CatalogItem, version: str) -> dict:
    # A hub publishes the keys with the catalog. A catalog without them (the demo
    # folder at first start, an older hub's, read by the sync worker off the window's
    # thread) gets them made here, the one place that loads pypinyin.
    keys = item.search_keys or item_search_keys(item.name, item.keywords)
    return dict(
        code=item.code,
        name=item.name,
        name_en=item.name_en,
        department_code=item.department,
        category=item.category,
        preconditions=list(item.preconditions),
        procedure=list(item.procedure),
        legal_limit_days=item.legal_limit_days,
        promised_limit_days=item.promised_limit_days,
        warning_days=item.warning_days,
        fee_summary=item.fee.summary,
        legal_basis=item.legal_basis,
        refusal_grounds=list(item.refusal_grounds),
        parallel=item.parallel,
        parallel_departments=list(item.parallel_departments),
        street_level=item.street_level,
        where=item.where,
        keywords=list(item.keywords),
        pinyin_full=keys.name.full,
        pinyin_initials=keys.name.initials,
        keyword_pinyin=[list(k) for k in keys.keywords],
        catalog_version=version,
        active=True,
        certificate=item.certificate,
        deferral_rule=item.deferral.when_missed if item.deferral else DeferralRule.NONE,
        deferral_basis=item.deferral.legal_basis if item.deferral else "",
        commitment_verify_days=item.commitment.verify_within_days if item.commitment else 0,
    )


def _material_values(item: cat.CatalogItem) -> list[dict]:
    return [
        dict(
            item_code=item.code,
            code=mat.code,
            position=pos,
            name=mat.name,
            form=mat.form,
            originals=mat.originals,
            copies=mat.copies,
            required=mat.required,
            note=mat.note,
            deferrable=mat.deferrable,
        )
        for pos, mat in enumerate(item.materials)
    ]


def _fee_values(item: cat.CatalogItem) -> list[dict]:
    return [
        dict(
            item_code=item.code,
            position=pos,
            department_code=rule.department,
            kind=rule.kind,
            description=rule.description,
            amount_fen=rule.amount_fen,
            unit=rule.unit or "",
            max_units=rule.max_units,
            tiers=[{"up_to": t.up_to, "amount_fen": t.amount_fen} for t in rule.tiers],
            exemptions=[{"category": e.category, "description": e.description} for e in rule.exemptions],
        )
        for pos, rule in enumerate(item.fee.rules)
    ]


def _material_rows(item: cat.CatalogItem) -> list[m.ItemMaterial]:
    return [m.ItemMaterial(**values) for values in _material_values(item)]


def _fee_rows(item: cat.CatalogItem) -> list[m.FeeRule]:
    return [m.FeeRule(**values) for values in _fee_values(item)]


def has_catalog(db: Database) -> bool:
    with db.read() as session:
        return queries.catalog_item_count(session) > 0


@dataclass
class _Indexed:
    summary: ItemSummary
    keys: SearchKeys
    keywords: tuple[str, ...]
    # Pinyin of the keywords ("shebao" for 社保), stored at import.
    keyword_keys: tuple[SearchKeys, ...]

    def keyword_matches(self, wanted: str) -> bool:
        if any(wanted in k for k in self.keywords):
            return True
        if not wanted.isascii():
            return False
        return any(wanted in k.full or k.initials.startswith(wanted) for k in self.keyword_keys)


class CatalogSearch:
    """Search as you type. The catalog is small (hundreds of items) and changes only at
    a sync, so it is held in memory and searched there; ``refresh`` after an import."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._entries: list[_Indexed] | None = None
        self._departments: list[tuple[str, str]] = []  # read with the entries

    def refresh(self) -> None:
        with self._db.read() as session:
            listed = [(d.code, d.name) for d in queries.all_departments(session)]
            departments = dict(listed)
            entries = [
                _Indexed(
                    ItemSummary(
                        code=row.code,
                        name=row.name,
                        department_code=row.department_code,
                        department_name=departments.get(row.department_code, row.department_code),
                        promised_limit_days=row.promised_limit_days,
                        parallel=row.parallel,
                        street_level=row.street_level,
                    ),
                    SearchKeys(full=row.pinyin_full, initials=row.pinyin_initials),
                    tuple(normalize_query(k) for k in row.keywords),
                    tuple(SearchKeys(full, initials) for full, initials in row.keyword_pinyin),
                )
                for row in queries.active_items(session)
            ]
        with self._lock:
            self._entries, self._departments = entries, listed

    def _index(self) -> list[_Indexed]:
        if self._entries is None:
            self.refresh()
        assert self._entries is not None
        return self._entries

    def search(
        self, query: str, *, department_code: str | None = None, street_only: bool = False, limit: int = 50
    ) -> list[ItemSummary]:
        """Items whose name, pinyin, initials or keywords contain the query, best first."""
        wanted = normalize_query(query)
        scored: list[tuple[int, str, ItemSummary]] = []
        for entry in self._index():
            summary = entry.summary
            if department_code and summary.department_code != department_code:
                continue
            if street_only and not summary.street_level:
                continue
            if not wanted:
                score = 0
            else:
                score = rank(wanted, summary.name, entry.keys)
                if score >= NO_MATCH and entry.keyword_matches(wanted):
                    score = NO_MATCH - 1
            if score < NO_MATCH:
                scored.append((score, summary.code, summary))
        scored.sort(key=lambda row: (row[0], row[1]))
        return [summary for _score, _code, summary in scored[:limit]]

    def departments(self) -> list[tuple[str, str]]:
        """(code, name) of every department, as read with the items (``refresh`` reads
        them again): the intake's list of departments and its guides' names need no read
        of their own."""
        self._index()
        return list(self._departments)

    def department_names(self) -> dict[str, str]:
        """Code -> name of every department, for ``get_item_guide``."""
        self._index()
        return dict(self._departments)


def get_item_guide(db: Database, *, item_code: str, department_names: Mapping[str, str] | None = None) -> ItemGuide:
    """``department_names``: code -> name of the departments, read already (the intake's
    CatalogSearch has them); else read here."""
    with db.read() as session:
        row = queries.item_with_details(session, item_code)
        if row is None:
            raise NotFoundError(
                _("Item not found"), _("No item with code {code} is in the catalog.").format(code=item_code)
            )
        departments = (
            department_names
            if department_names is not None
            else {d.code: d.name for d in queries.all_departments(session)}
        )
        return ItemGuide(
            code=row.code,
            name=row.name,
            department_code=row.department_code,
            department_name=departments.get(row.department_code, row.department_code),
            category=row.category,
            preconditions=tuple(row.preconditions),
            materials=tuple(
                MaterialLine(
                    mat.code, mat.name, mat.form, mat.originals, mat.copies, mat.required, mat.note, mat.deferrable
                )
                for mat in row.materials
            ),
            procedure=tuple(row.procedure),
            legal_limit_days=row.legal_limit_days,
            promised_limit_days=row.promised_limit_days,
            warning_days=row.warning_days,
            fee_summary=row.fee_summary,
            fees=tuple(
                FeeLine(
                    department_name=departments.get(rule.department_code, rule.department_code),
                    kind=rule.kind,
                    description=rule.description,
                    amount_fen=rule.amount_fen,
                    unit=rule.unit,
                    exemptions=tuple(e.get("description", "") for e in rule.exemptions),
                )
                for rule in row.fee_rules
            ),
            legal_basis=row.legal_basis,
            refusal_grounds=tuple(row.refusal_grounds),
            parallel=row.parallel,
            parallel_departments=tuple(departments.get(c, c) for c in row.parallel_departments),
            street_level=row.street_level,
            where=row.where,
            catalog_version=row.catalog_version,
            deferral_rule=row.deferral_rule,
            deferral_basis=row.deferral_basis,
            commitment_verify_days=row.commitment_verify_days,
            certificate=row.certificate,
        )
