"""The service catalog (事项目录): centers, departments and items, read from JSON.

Plain Python: no Qt, no SQLAlchemy. The shipped demo catalog lives in
``resources/catalog/`` (``centers.json``, ``departments.json``, ``items.json``; the
format is described in ``resources/catalog/README.md``). The hub publishes the same
three documents; :func:`parse_catalog` takes them already decoded.

Everything is validated on the way in, and the first problem found is raised as a
:class:`CatalogFormatError` whose message names the file (when there is one), the
center / department / item code and the field. Money is always integer fen.
"""

from windowdesk.domain.catalog_model import (
    CENTER_CODE,
    CENTER_KINDS,
    CENTERS_FILE,
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
    Department,
    Exemption,
    FeeRule,
    FeeStandard,
    Material,
    Tier,
    Window,
)
from windowdesk.domain.catalog_reader import load_catalog, parse_catalog

__all__ = [
    "CENTERS_FILE",
    "CENTER_CODE",
    "CENTER_KINDS",
    "DEPARTMENTS_FILE",
    "DEPARTMENT_CODE",
    "EXEMPTION_CATEGORIES",
    "FEE_KINDS",
    "ITEMS_FILE",
    "ITEM_CODE",
    "MATERIAL_CODE",
    "MATERIAL_FORMS",
    "WINDOW_CODE",
    "Catalog",
    "CatalogFormatError",
    "CatalogItem",
    "Center",
    "Department",
    "Exemption",
    "FeeRule",
    "FeeStandard",
    "Material",
    "Tier",
    "Window",
    "load_catalog",
    "parse_catalog",
]
