"""Issue 12: month column headings in every form Excel writes (normalised as detect.norm leaves them)."""

from __future__ import annotations

import pytest

from desktop.importers.detect import norm
from desktop.importers.month_headers import month_columns, not_real_months


@pytest.mark.parametrize(
    "heading",
    ["202307", "2023-07", "Jul-23", "Jul 2023", "July 2023", "jul_23", "Sept 2023", "01/07/2023", "2023-07-01",
     "2023-07-31 00:00:00", "45108", "45108.0", "31/07/2023", "01-07-2023", "1.7.2023"],
)  # fmt: skip
def test_one_heading_names_its_month(heading: str) -> None:
    month = "2023-09" if heading.lower().startswith("sept") else "2023-07"
    assert month_columns([norm(heading)]) == {norm(heading): month}


def test_us_order_only_when_uk_order_cannot_be_meant() -> None:
    us = ["7/1/2023", "8/1/2023", "9/1/2023"]  # a US-locale Excel: UK order would read three days of January
    assert sorted(month_columns(us).values()) == ["2023-07", "2023-08", "2023-09"]
    uk = ["01/07/2023", "01/08/2023", "01/09/2023"]
    assert sorted(month_columns(uk).values()) == ["2023-07", "2023-08", "2023-09"]
    assert sorted(month_columns(["7/31/2023", "8/31/2023"]).values()) == ["2023-07", "2023-08"]


@pytest.mark.parametrize("heading", ["majortext", "wardcode", "12345", "may", "2023", "jan_1999x", "13/13/2023"])
def test_other_headings_are_not_months(heading: str) -> None:
    assert month_columns([heading]) == {}


def test_a_yyyymm_heading_that_is_no_month_is_reported() -> None:
    assert not_real_months(["majortext", "202312", "202313"]) == ["202313"]
