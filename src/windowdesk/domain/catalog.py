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
    CENTERS_FILE,
    CENTER_CODE,
    CENTER_KINDS,
    Catalog,
    CatalogFormatError,
    CatalogItem,
    Center,
    DEPARTMENTS_FILE,
    DEPARTMENT_CODE,
    Department,
    EXEMPTION_CATEGORIES,
    Exemption,
    FEE_KINDS,
    FeeRule,
    FeeStandard,
    ITEMS_FILE,
    ITEM_CODE,
    MATERIAL_CODE,
    MATERIAL_FORMS,
    Material,
    Tier,
    WINDOW_CODE,
    Window,
)
from windowdesk.domain.catalog_reader import load_catalog, parse_catalog

__all__ = [
    "CENTERS_FILE",
    "CENTER_CODE",
    "CENTER_KINDS",
    "Catalog",
    "CatalogFormatError",
    "CatalogItem",
    "Center",
    "DEPARTMENTS_FILE",
    "DEPARTMENT_CODE",
    "Department",
    "EXEMPTION_CATEGORIES",
    "Exemption",
    "FEE_KINDS",
    "FeeRule",
    "FeeStandard",
    "ITEMS_FILE",
    "ITEM_CODE",
    "MATERIAL_CODE",
    "MATERIAL_FORMS",
    "Material",
    "Tier",
    "WINDOW_CODE",
    "Window",
    "load_catalog",
    "parse_catalog",
]
