"""The catalog's data: centers, windows, departments, items, materials and fee rules,
as frozen dataclasses, plus the one error a malformed catalog raises. Plain Python."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from windowdesk.domain.catalog_forms import ItemForm
from windowdesk.domain.catalog_online import OnlineApplication
from windowdesk.domain.search_keys import ItemSearchKeys
from windowdesk.errors import NotFoundError, WindowdeskError
from windowdesk.i18n import _

CENTERS_FILE = "centers.json"
DEPARTMENTS_FILE = "departments.json"
ITEMS_FILE = "items.json"

CENTER_CODE = re.compile(r"^[A-Z]{2}[0-9]{0,2}$")
WINDOW_CODE = re.compile(r"^[0-9]{2}$")
DEPARTMENT_CODE = re.compile(r"^[A-Z]{2,6}$")
ITEM_CODE = re.compile(r"^[A-Z]{2,6}-[0-9]{3}$")
MATERIAL_CODE = re.compile(r"^[A-Z0-9]{1,8}$")


class CenterKind(StrEnum):
    """What a center is; the hub's model and the window's read their centers' kinds back as
    these members (hub/storage/models.py, storage/column_types.py: TextEnum)."""

    CITY_HALL = "city_hall"  # the city service hall
    STREET = "street"  # one of the street centers


CENTER_KINDS = tuple(kind.value for kind in CenterKind)


class MaterialForm(StrEnum):
    """How a material is handed in; the window's item_materials.form reads back as these."""

    ORIGINAL = "original"
    COPY = "copy"
    ORIGINAL_AND_COPY = "original_and_copy"
    ELECTRONIC = "electronic"


class FeeKind(StrEnum):
    """How a fee rule counts (fee_rules.kind at the window)."""

    FREE = "free"
    FIXED = "fixed"
    PER_UNIT = "per_unit"
    TIERED = "tiered"


MATERIAL_FORMS = tuple(form.value for form in MaterialForm)
FEE_KINDS = tuple(kind.value for kind in FeeKind)
EXEMPTION_CATEGORIES = ("dibao", "disabled", "elderly_80", "veteran", "student")


class DeferralRule(StrEnum):
    """容缺受理 (catalog_items.deferral_rule): what happens to a case whose deferred materials
    do not arrive by the date the applicant committed to: it is suspended until they come,
    or refused on the item's basis. ``NONE`` (stored as "") is an item whose catalog entry
    allows no deferral; the catalog itself names only the other two."""

    NONE = ""
    SUSPEND = "suspend"
    REFUSE = "refuse"


DEFERRAL_RULES = tuple(rule.value for rule in DeferralRule if rule is not DeferralRule.NONE)


class CatalogFormatError(WindowdeskError):
    """The catalog data (shipped or received from the hub) is not usable.

    ``source`` is the file name when the data came from a file, ``subject`` the
    "Item MZ-001" style label and ``field`` the offending field, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        section: str | None = None,
        subject: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(_("Service catalog is invalid"), message)
        self.source = source
        self.section = section
        self.subject = subject
        self.field = field


# ---------------------------------------------------------------------------
# Data classes


@dataclass(frozen=True)
class Window:
    code: str
    name: str
    phone: str = ""


@dataclass(frozen=True)
class Center:
    code: str
    name: str
    kind: str  # "city_hall" or "street"
    windows: tuple[Window, ...]
    name_en: str = ""
    address: str = ""
    phone: str = ""
    timezone: str = "Asia/Shanghai"
    hours: str = ""

    @property
    def is_city_hall(self) -> bool:
        return self.kind == "city_hall"

    def window(self, code: str) -> Window:
        for window in self.windows:
            if window.code == code:
                return window
        raise NotFoundError(
            _("Not found"),
            _("Center {center} has no window {window}").format(center=self.code, window=code),
        )


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class Material:
    code: str
    name: str
    form: str  # one of MATERIAL_FORMS
    originals: int
    copies: int
    required: bool = True
    note: str = ""
    deferrable: bool = False  # 容缺: may be brought after acceptance, on a signed commitment


@dataclass(frozen=True)
class Deferral:
    """容缺受理 for an item: the rule applied when deferred materials do not arrive."""

    when_missed: DeferralRule  # one of DEFERRAL_RULES (never NONE: an item without a rule has no Deferral)
    legal_basis: str  # printed on the refusal; "" allowed for "suspend" only


@dataclass(frozen=True)
class Commitment:
    """告知承诺制 for an item: the case may be accepted (and decided) on the applicant's
    signed commitment; the responsible department verifies it within these working days."""

    verify_within_days: int


@dataclass(frozen=True)
class Tier:
    up_to: int | None  # inclusive upper bound of the quantity; None on the last tier
    amount_fen: int  # flat amount for a quantity that falls in this tier


@dataclass(frozen=True)
class Exemption:
    category: str  # one of EXEMPTION_CATEGORIES
    description: str


@dataclass(frozen=True)
class FeeRule:
    kind: str  # one of FEE_KINDS
    department: str
    description: str
    amount_fen: int | None = None  # fixed / per_unit only
    unit: str = ""  # per_unit / tiered only
    max_units: int | None = None  # per_unit only; None = no cap
    tiers: tuple[Tier, ...] = ()  # tiered only
    exemptions: tuple[Exemption, ...] = ()


@dataclass(frozen=True)
class FeeStandard:
    summary: str
    rules: tuple[FeeRule, ...] = ()

    @property
    def is_free(self) -> bool:
        return all(rule.kind == "free" for rule in self.rules)


@dataclass(frozen=True)
class CatalogItem:
    code: str
    name: str
    name_en: str
    department: str
    category: str
    preconditions: tuple[str, ...]
    materials: tuple[Material, ...]
    procedure: tuple[str, ...]
    legal_limit_days: int
    promised_limit_days: int
    warning_days: int
    fee: FeeStandard
    legal_basis: str
    refusal_grounds: tuple[str, ...]
    parallel: bool
    parallel_departments: tuple[str, ...]
    street_level: bool
    where: str
    keywords: tuple[str, ...]
    # Pinyin of the name and keywords as the hub published them; None when the catalog
    # came without them (a catalog folder, an older hub): the importer makes them then.
    search_keys: ItemSearchKeys | None = None
    # What an approval issues (证照: "老年证", "营业执照"); "" when it issues none. Its
    # number is recorded at 办结 and goes into the provincial record.
    certificate: str = ""
    # 上报: decided by an authority above the city (the window accepts, the case goes up).
    reported_upward: bool = False
    deferral: Deferral | None = None  # 容缺受理: None when no material may be deferred
    # 网上申报 (domain/catalog_online.py): None when the item is applied for at the window only.
    online: OnlineApplication | None = None
    # 表格下载 (issue 30): the forms to download and print (domain.catalog_forms).
    forms: tuple[ItemForm, ...] = ()
    commitment: Commitment | None = None  # 告知承诺制: None when the item is not marked

    @property
    def required_materials(self) -> tuple[Material, ...]:
        return tuple(material for material in self.materials if material.required)


@dataclass(frozen=True)
class Catalog:
    version: str
    published_at: dt.date
    centers: tuple[Center, ...]
    departments: tuple[Department, ...]
    items: tuple[CatalogItem, ...]

    @cached_property
    def _items_by_code(self) -> dict[str, CatalogItem]:
        return {item.code: item for item in self.items}

    @cached_property
    def _departments_by_code(self) -> dict[str, Department]:
        return {department.code: department for department in self.departments}

    @cached_property
    def _centers_by_code(self) -> dict[str, Center]:
        return {center.code: center for center in self.centers}

    def item(self, code: str) -> CatalogItem:
        """The item with this code; :class:`NotFoundError` when there is none."""
        try:
            return self._items_by_code[code]
        except KeyError:
            raise NotFoundError(_("Not found"), _("There is no item {code} in the catalog").format(code=code)) from None

    def department(self, code: str) -> Department:
        try:
            return self._departments_by_code[code]
        except KeyError:
            raise NotFoundError(
                _("Not found"), _("There is no department {code} in the catalog").format(code=code)
            ) from None

    def center(self, code: str) -> Center:
        try:
            return self._centers_by_code[code]
        except KeyError:
            raise NotFoundError(
                _("Not found"), _("There is no center {code} in the catalog").format(code=code)
            ) from None

    def has_item(self, code: str) -> bool:
        return code in self._items_by_code

    @property
    def street_items(self) -> tuple[CatalogItem, ...]:
        return tuple(item for item in self.items if item.street_level)
