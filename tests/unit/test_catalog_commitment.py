"""告知承诺制 in the catalog format and its plain rules: the item's ``commitment`` with the
working days its verification may take (validated alike at the window and the hub's
import: one parser), and the keyed hash a credit flag is found by."""

from __future__ import annotations

import copy
import json

import pytest

from windowdesk.domain.catalog import CatalogFormatError, parse_catalog
from windowdesk.domain.catalog_model import Commitment
from windowdesk.domain.commitment import CommitmentTerms, check_commitment, credit_key_hash
from windowdesk.errors import ValidationError
from windowdesk.paths import resources_dir


def _documents():
    folder = resources_dir() / "catalog"
    return [
        json.loads((folder / name).read_text(encoding="utf-8"))
        for name in ("centers.json", "departments.json", "items.json")
    ]


def _with_item(change) -> tuple:
    centers, departments, items = _documents()
    items = copy.deepcopy(items)
    change(next(i for i in items["items"] if i["code"] == "MZ-001"))
    return centers, departments, items


def test_the_demo_catalog_marks_a_few_items_for_notify_and_commit():
    catalog = parse_catalog(*_documents())
    marked = {item.code: item.commitment for item in catalog.items if item.commitment is not None}
    assert marked == {"WS-001": Commitment(20), "SP-001": Commitment(20), "JD-001": Commitment(10)}


@pytest.mark.parametrize(
    ("commitment", "words"),
    [
        ({}, "verify_within_days is missing"),
        ({"verify_within_days": 0}, "verify_within_days"),
        ({"verify_within_days": 251}, "more than 250 working days"),
        ({"verify_within_days": "10"}, "verify_within_days"),
    ],
)
def test_a_wrong_commitment_is_refused_by_the_one_parser(commitment, words):
    with pytest.raises(CatalogFormatError) as refused:
        parse_catalog(*_with_item(lambda item: item.__setitem__("commitment", commitment)))
    assert words in str(refused.value) and "MZ-001" in str(refused.value)


def test_only_a_marked_item_and_a_signed_commitment_pass():
    check_commitment(CommitmentTerms(), verify_days=10)
    with pytest.raises(ValidationError):
        check_commitment(CommitmentTerms(), verify_days=0)
    with pytest.raises(ValidationError):
        check_commitment(CommitmentTerms(signed=False), verify_days=10)


def test_the_flag_key_is_a_keyed_hash_that_does_not_depend_on_the_check_digit_case():
    key, other = b"k" * 32, b"o" * 32
    number = "23090319760509009X"
    assert credit_key_hash(key, number) == credit_key_hash(key, number.lower())
    assert credit_key_hash(key, number) != credit_key_hash(other, number)  # nothing to look up without the key
    assert number not in credit_key_hash(key, number) and len(credit_key_hash(key, number)) == 64
    with pytest.raises(ValueError):
        credit_key_hash(b"", number)
