"""Reading the catalog: the three JSON documents, validated field by field; the first
problem is raised as a CatalogFormatError naming the file, the subject and the field."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, NoReturn, overload

from windowdesk.domain.catalog_forms import parse_forms
from windowdesk.domain.catalog_model import (
    CENTER_CODE,
    CENTER_KINDS,
    CENTERS_FILE,
    DEFERRAL_RULES,
    DEPARTMENT_CODE,
    DEPARTMENTS_FILE,
    EXEMPTION_CATEGORIES,
    FEE_KINDS,
    ITEM_CODE,
    ITEMS_FILE,
    MATERIAL_CODE,
    MATERIAL_FORMS,
    WINDOW_CODE,
    Catalog,
    CatalogFormatError,
    CatalogItem,
    Center,
    Commitment,
    Deferral,
    DeferralRule,
    Department,
    Exemption,
    FeeRule,
    FeeStandard,
    Material,
    Tier,
    Window,
)
from windowdesk.domain.catalog_online import parse_online
from windowdesk.domain.commitment import MAX_VERIFY_DAYS
from windowdesk.domain.search_keys import ItemSearchKeys, SearchKeys
from windowdesk.i18n import _

# ---------------------------------------------------------------------------
# Loading


def load_catalog(folder: Path) -> Catalog:
    """Read and validate ``centers.json``, ``departments.json`` and ``items.json``."""
    folder = Path(folder)
    documents: dict[str, Any] = {}
    for name in (CENTERS_FILE, DEPARTMENTS_FILE, ITEMS_FILE):
        documents[name] = _read_json(folder / name)
    section_files = {"centers": CENTERS_FILE, "departments": DEPARTMENTS_FILE, "items": ITEMS_FILE}
    try:
        return parse_catalog(documents[CENTERS_FILE], documents[DEPARTMENTS_FILE], documents[ITEMS_FILE])
    except CatalogFormatError as error:
        source = section_files.get(error.section or "")
        if source is None:
            raise
        raise CatalogFormatError(
            _("{file}: {message}").format(file=source, message=error.message),
            source=source,
            section=error.section,
            subject=error.subject,
            field=error.field,
        ) from error


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogFormatError(
            _("{file}: the file is missing ({path})").format(file=path.name, path=path), source=path.name
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogFormatError(
            _("{file}: the file cannot be read ({reason})").format(file=path.name, reason=error),
            source=path.name,
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogFormatError(
            _("{file}: not valid JSON (line {line}, column {column}: {reason})").format(
                file=path.name, line=error.lineno, column=error.colno, reason=error.msg
            ),
            source=path.name,
        ) from None


def parse_catalog(centers: Mapping[str, Any], departments: Mapping[str, Any], items: Mapping[str, Any]) -> Catalog:
    """Validate the three decoded documents and build the :class:`Catalog`."""
    parsed_departments = _parse_departments(departments)
    known = {department.code for department in parsed_departments}
    parsed_centers = _parse_centers(centers)
    version, published_at, parsed_items = _parse_items(items, known)
    return Catalog(
        version=version,
        published_at=published_at,
        centers=parsed_centers,
        departments=parsed_departments,
        items=parsed_items,
    )


# ---------------------------------------------------------------------------
# Field readers. Each knows the section and subject ("Item MZ-001") for its messages.


class _Reader:
    def __init__(self, section: str, subject: str, data: Any) -> None:
        self.section = section
        self.subject = subject
        if not isinstance(data, Mapping):
            self.fail(None, _("{subject}: must be a JSON object").format(subject=subject))
        self.data: Mapping[str, Any] = data

    def fail(self, field: str | None, message: str) -> NoReturn:
        raise CatalogFormatError(message, section=self.section, subject=self.subject, field=field)

    def missing(self, field: str) -> NoReturn:
        self.fail(field, _("{subject}: {field} is missing").format(subject=self.subject, field=field))

    def wrong_type(self, field: str, expected: str, value: Any) -> NoReturn:
        self.fail(
            field,
            _("{subject}: {field} must be {expected}, not {value}").format(
                subject=self.subject, field=field, expected=expected, value=_show(value)
            ),
        )

    def string(
        self, field: str, *, required: bool = True, default: str = "", pattern: re.Pattern[str] | None = None
    ) -> str:
        if field not in self.data or self.data[field] is None:
            if required:
                self.missing(field)
            return default
        value = self.data[field]
        if not isinstance(value, str):
            self.wrong_type(field, _("text"), value)
        if required and not value.strip():
            self.fail(field, _("{subject}: {field} is empty").format(subject=self.subject, field=field))
        if pattern is not None and not pattern.match(value):
            self.fail(
                field,
                _("{subject}: {field} {value} does not match the pattern {pattern}").format(
                    subject=self.subject, field=field, value=_show(value), pattern=pattern.pattern
                ),
            )
        return value

    @overload
    def integer(
        self, field: str, *, minimum: int = 0, required: Literal[True] = True, default: int | None = None
    ) -> int: ...

    @overload
    def integer(self, field: str, *, minimum: int = 0, required: bool, default: int | None = None) -> int | None: ...

    def integer(self, field: str, *, minimum: int = 0, required: bool = True, default: int | None = None) -> int | None:
        # A required field that is missing raises: only an optional one gives None.
        if field not in self.data or self.data[field] is None:
            if required:
                self.missing(field)
            return default
        return self.check_integer(field, self.data[field], minimum=minimum)

    def check_integer(self, field: str, value: Any, *, minimum: int = 0) -> int:
        # bool is an int subclass and 20.0 == 20: both are refused on purpose.
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong_type(field, _("a whole number"), value)
        if value < minimum:
            self.fail(
                field,
                _("{subject}: {field} ({value}) must be at least {minimum}").format(
                    subject=self.subject, field=field, value=value, minimum=minimum
                ),
            )
        return value

    def boolean(self, field: str, *, required: bool = True, default: bool = False) -> bool:
        if field not in self.data or self.data[field] is None:
            if required:
                self.missing(field)
            return default
        value = self.data[field]
        if not isinstance(value, bool):
            self.wrong_type(field, _("true or false"), value)
        return value

    def array(self, field: str, *, required: bool = True) -> list[Any]:
        if field not in self.data or self.data[field] is None:
            if required:
                self.missing(field)
            return []
        value = self.data[field]
        if not isinstance(value, list):
            self.wrong_type(field, _("a list"), value)
        return value

    def strings(self, field: str, *, required: bool = True) -> tuple[str, ...]:
        values = self.array(field, required=required)
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.wrong_type(f"{field}[{index}]", _("non-empty text"), value)
        return tuple(values)

    def choice(self, field: str, choices: tuple[str, ...]) -> str:
        value = self.string(field)
        if value not in choices:
            self.fail(
                field,
                _("{subject}: {field} {value} is not one of {choices}").format(
                    subject=self.subject, field=field, value=_show(value), choices=", ".join(choices)
                ),
            )
        return value

    def child(self, label: str, data: Any) -> _Reader:
        return _Reader(self.section, f"{self.subject}, {label}", data)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _top(section: str, document: Any, key: str) -> list[Any]:
    label = {"centers": CENTERS_FILE, "departments": DEPARTMENTS_FILE, "items": ITEMS_FILE}[section]
    reader = _Reader(section, label, document)
    return reader.array(key)


def _label(kind: str, index: int, data: Any) -> str:
    code = data.get("code") if isinstance(data, Mapping) else None
    if isinstance(code, str) and code:
        return f"{kind} {code}"
    return f"{kind} #{index + 1}"


def _check_unique(section: str, kind: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise CatalogFormatError(
                _("{kind} {code}: code is used more than once").format(kind=kind, code=code),
                section=section,
                subject=f"{kind} {code}",
                field="code",
            )
        seen.add(code)


# ---------------------------------------------------------------------------
# Departments and centers


def _parse_departments(document: Any) -> tuple[Department, ...]:
    result = []
    for index, data in enumerate(_top("departments", document, "departments")):
        reader = _Reader("departments", _label("Department", index, data), data)
        result.append(
            Department(
                code=reader.string("code", pattern=DEPARTMENT_CODE),
                name=reader.string("name"),
                name_en=reader.string("name_en", required=False),
            )
        )
    _check_unique("departments", "Department", [department.code for department in result])
    return tuple(result)


def _parse_centers(document: Any) -> tuple[Center, ...]:
    result = []
    for index, data in enumerate(_top("centers", document, "centers")):
        reader = _Reader("centers", _label("Center", index, data), data)
        code = reader.string("code", pattern=CENTER_CODE)
        windows = []
        seen: set[str] = set()
        for window_index, window_data in enumerate(reader.array("windows")):
            window_reader = reader.child(_label("window", window_index, window_data), window_data)
            window = Window(
                code=window_reader.string("code", pattern=WINDOW_CODE),
                name=window_reader.string("name"),
                phone=window_reader.string("phone", required=False),
            )
            if window.code in seen:
                reader.fail(
                    "windows",
                    _("{subject}: window code {window} is used more than once").format(
                        subject=reader.subject, window=window.code
                    ),
                )
            seen.add(window.code)
            windows.append(window)
        timezone = reader.string("timezone", required=False, default="Asia/Shanghai") or "Asia/Shanghai"
        _check_timezone(reader, timezone)
        result.append(
            Center(
                code=code,
                name=reader.string("name"),
                kind=reader.choice("kind", CENTER_KINDS),
                windows=tuple(windows),
                name_en=reader.string("name_en", required=False),
                address=reader.string("address", required=False),
                phone=reader.string("phone", required=False),
                timezone=timezone,
                hours=reader.string("hours", required=False),
            )
        )
    _check_unique("centers", "Center", [center.code for center in result])
    return tuple(result)


def _check_timezone(reader: _Reader, name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        reader.fail(
            "timezone",
            _("{subject}: timezone {value} is not a known time zone").format(subject=reader.subject, value=_show(name)),
        )


# ---------------------------------------------------------------------------
# Items


def _parse_items(document: Any, departments: set[str]) -> tuple[str, dt.date, tuple[CatalogItem, ...]]:
    head = _Reader("items", ITEMS_FILE, document)
    version = head.string("version")
    published_text = head.string("published_at")
    try:
        published_at = dt.date.fromisoformat(published_text)
    except ValueError:
        head.fail(
            "published_at",
            _("{subject}: published_at {value} is not a date (YYYY-MM-DD)").format(
                subject=head.subject, value=_show(published_text)
            ),
        )
    items = tuple(
        _parse_item(_Reader("items", _label("Item", index, data), data), departments)
        for index, data in enumerate(head.array("items"))
    )
    _check_unique("items", "Item", [item.code for item in items])
    return version, published_at, items


def _known_department(reader: _Reader, field: str, code: Any, departments: set[str]) -> str:
    if not isinstance(code, str):
        reader.wrong_type(field, _("a department code"), code)
    if code not in departments:
        reader.fail(
            field,
            _("{subject}: {field} refers to unknown department {value}").format(
                subject=reader.subject, field=field, value=_show(code)
            ),
        )
    return code


def _parse_item(reader: _Reader, departments: set[str]) -> CatalogItem:
    subject = reader.subject
    code = reader.string("code", pattern=ITEM_CODE)
    department = _known_department(reader, "department", reader.string("department"), departments)

    materials = []
    for index, data in enumerate(reader.array("materials")):
        materials.append(_parse_material(reader.child(_label("material", index, data), data)))
    seen: set[str] = set()
    for material in materials:
        if material.code in seen:
            reader.fail(
                "materials",
                _("{subject}: material code {material} is used more than once").format(
                    subject=subject, material=material.code
                ),
            )
        seen.add(material.code)

    legal = reader.integer("legal_limit_days", minimum=1)
    promised = reader.integer("promised_limit_days", minimum=1)
    if promised > legal:
        reader.fail(
            "promised_limit_days",
            _("{subject}: promised_limit_days ({promised}) is longer than legal_limit_days ({legal})").format(
                subject=subject, promised=promised, legal=legal
            ),
        )
    warning = reader.integer("warning_days", minimum=0)
    if warning >= promised:
        reader.fail(
            "warning_days",
            _("{subject}: warning_days ({warning}) must be shorter than promised_limit_days ({promised})").format(
                subject=subject, warning=warning, promised=promised
            ),
        )

    fee = _parse_fee(reader, departments)

    parallel = reader.boolean("parallel", required=False)
    parallel_departments = reader.strings("parallel_departments", required=False)
    for index, value in enumerate(parallel_departments):
        _known_department(reader, f"parallel_departments[{index}]", value, departments)
    if parallel:
        if len(set(parallel_departments)) < 2:
            reader.fail(
                "parallel_departments",
                _("{subject}: a parallel item needs at least two different parallel_departments").format(
                    subject=subject
                ),
            )
        if len(set(parallel_departments)) != len(parallel_departments):
            reader.fail(
                "parallel_departments",
                _("{subject}: parallel_departments lists a department twice").format(subject=subject),
            )
        if department not in parallel_departments:
            reader.fail(
                "parallel_departments",
                _("{subject}: parallel_departments must include the lead department {department}").format(
                    subject=subject, department=department
                ),
            )
    elif parallel_departments:
        reader.fail(
            "parallel_departments",
            _("{subject}: parallel_departments is only allowed when parallel is true").format(subject=subject),
        )

    item = CatalogItem(
        code=code,
        name=reader.string("name"),
        name_en=reader.string("name_en", required=False),
        department=department,
        category=reader.string("category"),
        preconditions=reader.strings("preconditions", required=False),
        materials=tuple(materials),
        procedure=reader.strings("procedure"),
        legal_limit_days=legal,
        promised_limit_days=promised,
        warning_days=warning,
        fee=fee,
        legal_basis=reader.string("legal_basis"),
        refusal_grounds=reader.strings("refusal_grounds", required=False),
        parallel=parallel,
        parallel_departments=parallel_departments,
        street_level=reader.boolean("street_level", required=False),
        where=reader.string("where"),
        keywords=reader.strings("keywords", required=False),
        certificate=reader.string("certificate", required=False).strip()[:60],
        reported_upward=reader.boolean("reported_upward", required=False),
        deferral=_parse_deferral(reader, materials),
        online=parse_online(reader),
        # 表格下载 (issue 30): its own block, domain.catalog_forms.
        forms=parse_forms(reader),
        commitment=_parse_commitment(reader),
    )
    return replace(item, search_keys=_parse_search_keys(reader, item.keywords))


def _parse_deferral(reader: _Reader, materials: list[Material]) -> Deferral | None:
    """容缺受理: ``deferral`` ({"when_missed": "suspend" | "refuse", "legal_basis"}) is
    given exactly when some material is ``deferrable``; refusing needs its legal basis."""
    subject = reader.subject
    deferrable = [material for material in materials if material.deferrable]
    data = reader.data.get("deferral")
    if data is None:
        if deferrable:
            reader.fail(
                "deferral",
                _(
                    "{subject}: materials are deferrable, but the item has no deferral rule "
                    '("deferral": {{"when_missed": "suspend" or "refuse", '
                    '"legal_basis": ...}})'
                ).format(subject=subject),
            )
        return None
    if not deferrable:
        reader.fail(
            "deferral",
            _("{subject}: a deferral rule is only allowed when a material is deferrable").format(subject=subject),
        )
    rule = reader.child("deferral", data)
    when_missed = DeferralRule(rule.choice("when_missed", DEFERRAL_RULES))
    basis = rule.string("legal_basis", required=when_missed is DeferralRule.REFUSE)
    return Deferral(when_missed, basis)


def _parse_commitment(reader: _Reader) -> Commitment | None:
    """告知承诺制: ``commitment`` ({"verify_within_days": N}) marks the item; N working days
    (1 to MAX_VERIFY_DAYS) for the department's verification."""
    data = reader.data.get("commitment")
    if data is None:
        return None
    rule = reader.child("commitment", data)
    days = rule.integer("verify_within_days", minimum=1)
    if days > MAX_VERIFY_DAYS:
        rule.fail(
            "verify_within_days",
            _("{subject}: verify_within_days ({days}) is more than {most} working days").format(
                subject=reader.subject, days=days, most=MAX_VERIFY_DAYS
            ),
        )
    return Commitment(days)


def _parse_search_keys(reader: _Reader, keywords: tuple[str, ...]) -> ItemSearchKeys | None:
    """The pinyin keys a hub publishes with each item (``search_keys``), or None.

    Keys that do not cover every keyword (the item's keywords edited by hand after the
    keys were made) are dropped, so the importer makes them again from the item."""
    if reader.data.get("search_keys") is None:
        return None
    data = reader.child("search_keys", reader.data["search_keys"])

    def pair(source: _Reader) -> SearchKeys:
        return SearchKeys(source.string("full", required=False), source.string("initials", required=False))

    name = pair(data.child("name", data.data.get("name")))
    listed = data.array("keywords", required=False)
    if len(listed) != len(keywords):
        return None
    return ItemSearchKeys(name, tuple(pair(data.child(f"keywords[{i}]", k)) for i, k in enumerate(listed)))


def _parse_material(reader: _Reader) -> Material:
    code = reader.string("code", pattern=MATERIAL_CODE)
    name = reader.string("name")
    form = reader.choice("form", MATERIAL_FORMS)
    originals = reader.integer("originals", minimum=0)
    copies = reader.integer("copies", minimum=0)
    needs = {
        "original": (originals >= 1 and copies == 0),
        "copy": (originals == 0 and copies >= 1),
        "original_and_copy": (originals >= 1 and copies >= 1),
        "electronic": (originals == 0 and copies == 0),
    }
    if not needs[form]:
        reader.fail(
            "form",
            _("{subject}: form {form} does not agree with originals ({originals}) and copies ({copies})").format(
                subject=reader.subject, form=_show(form), originals=originals, copies=copies
            ),
        )
    return Material(
        code=code,
        name=name,
        form=form,
        originals=originals,
        copies=copies,
        required=reader.boolean("required", required=False, default=True),
        note=reader.string("note", required=False),
        deferrable=_deferrable(reader),
    )


def _deferrable(reader: _Reader) -> bool:
    """A material may be deferred (容缺) only if it is required: an optional one is never missing."""
    deferrable = reader.boolean("deferrable", required=False)
    if deferrable and not reader.boolean("required", required=False, default=True):
        reader.fail(
            "deferrable", _("{subject}: an optional material cannot be deferrable").format(subject=reader.subject)
        )
    return deferrable


def _parse_fee(item: _Reader, departments: set[str]) -> FeeStandard:
    if "fee" not in item.data or item.data["fee"] is None:
        item.missing("fee")
    reader = item.child("fee", item.data["fee"])
    summary = reader.string("summary")
    rules = []
    for index, data in enumerate(reader.array("rules", required=False)):
        rule_reader = item.child(f"fee rule #{index + 1}", data)
        rules.append(_parse_rule(rule_reader, departments))
    return FeeStandard(summary=summary, rules=tuple(rules))


def _parse_rule(reader: _Reader, departments: set[str]) -> FeeRule:
    kind = reader.choice("kind", FEE_KINDS)
    department = _known_department(reader, "department", reader.string("department"), departments)
    description = reader.string("description")
    exemptions = []
    for index, data in enumerate(reader.array("exemptions", required=False)):
        exemption_reader = reader.child(f"exemption #{index + 1}", data)
        exemptions.append(
            Exemption(
                category=exemption_reader.choice("category", EXEMPTION_CATEGORIES),
                description=exemption_reader.string("description"),
            )
        )

    def forbid(*fields: str) -> None:
        for field in fields:
            if reader.data.get(field) not in (None, [], ""):
                reader.fail(
                    field,
                    _("{subject}: {field} is not allowed on a {kind} rule").format(
                        subject=reader.subject, field=field, kind=_show(kind)
                    ),
                )

    amount: int | None = None
    unit = ""
    max_units: int | None = None
    tiers: list[Tier] = []
    if kind == "free":
        forbid("amount_fen", "unit", "max_units", "tiers")
    elif kind == "fixed":
        forbid("unit", "max_units", "tiers")
        amount = reader.integer("amount_fen", minimum=0)
    elif kind == "per_unit":
        forbid("tiers")
        amount = reader.integer("amount_fen", minimum=0)
        unit = reader.string("unit")
        max_units = reader.integer("max_units", minimum=1, required=False)
    else:  # tiered
        forbid("amount_fen", "max_units")
        unit = reader.string("unit")
        tiers = _parse_tiers(reader)
    return FeeRule(
        kind=kind,
        department=department,
        description=description,
        amount_fen=amount,
        unit=unit,
        max_units=max_units,
        tiers=tuple(tiers),
        exemptions=tuple(exemptions),
    )


def _parse_tiers(reader: _Reader) -> list[Tier]:
    raw = reader.array("tiers")
    if not raw:
        reader.fail(
            "tiers",
            _("{subject}: tiers is empty; a tiered rule needs at least one tier").format(subject=reader.subject),
        )
    tiers = []
    previous: int | None = None
    for index, data in enumerate(raw):
        tier_reader = reader.child(f"tier #{index + 1}", data)
        amount = tier_reader.integer("amount_fen", minimum=0)
        up_to = tier_reader.integer("up_to", minimum=0, required=False)
        last = index == len(raw) - 1
        if up_to is None and not last:
            reader.fail(
                "tiers",
                _("{subject}: tiers: only the last tier may have up_to null (tier #{number})").format(
                    subject=reader.subject, number=index + 1
                ),
            )
        if up_to is not None and last:
            reader.fail(
                "tiers",
                _("{subject}: tiers: the last tier must have up_to null").format(subject=reader.subject),
            )
        if up_to is not None and previous is not None and up_to <= previous:
            reader.fail(
                "tiers",
                _("{subject}: tiers are not in ascending order ({value} after {previous})").format(
                    subject=reader.subject, value=up_to, previous=previous
                ),
            )
        if up_to is not None:
            previous = up_to
        tiers.append(Tier(up_to=up_to, amount_fen=amount))
    return tiers
