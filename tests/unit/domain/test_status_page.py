"""The status page address the hub publishes, a case's page under it, and the case number
a scanner at the window reads back out of it."""

from __future__ import annotations

import pytest

from windowdesk.domain.status_page import case_number_in, case_status_url, is_status_page_base


@pytest.mark.parametrize(
    "url", ["https://hub.example/status", "http://10.0.0.5:8080/cases/", "https://政务.example/查询"]
)
def test_http_addresses_with_a_host_are_status_page_addresses(url):
    assert is_status_page_base(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "hub.example/status",
        "ftp://hub.example/status",
        "https:///status",
        "https://hub.example/status?case=",
        "https://hub.example/#status",
        "https://hub.example/my status",
        "https://hub.example/" + "x" * 200,
    ],
)
def test_anything_else_is_not(url):
    assert not is_status_page_base(url)


def test_a_cases_page_is_its_number_under_the_address():
    assert case_status_url("https://hub.example/status/", "CH-20261207-01-0001") == (
        "https://hub.example/status/CH-20261207-01-0001"
    )
    assert case_status_url("", "CH-20261207-01-0001") == ""


def test_a_scanned_page_address_gives_the_case_number_back():
    url = case_status_url("https://hub.example/status", "CH-20261207-01-0001")
    assert case_number_in(url) == "CH-20261207-01-0001"
    assert case_number_in(url + "/") == "CH-20261207-01-0001"
    assert case_number_in("  CH-20261207-01-0001 ") == "CH-20261207-01-0001"
