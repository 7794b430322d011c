"""Recipe expressions: native types, strict names, date and money filters, the sandbox."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import jinja2
import pytest

from bots import calendars
from bots.expressions import references, render


def test_whole_expression_keeps_native_type_mixed_text_is_text():
    scope = {"vars": {"rows": [1, 2, 3]}}
    assert render("{{ vars.rows | length }}", scope) == 3
    assert render("  {{ vars.rows }} ", scope) == [1, 2, 3]
    assert render("n={{ vars.rows | length }}", scope) == "n=3"
    assert render({"a": ["{{ vars.rows[0] }}"]}, scope) == {"a": [1]}


def test_undefined_name_is_an_error_not_empty_text():
    with pytest.raises(jinja2.UndefinedError):
        render("{{ vars.missing }}", {"vars": {}})
    with pytest.raises(jinja2.UndefinedError):
        render("x {{ vars.missing }} y", {"vars": {}})


def test_sandbox_blocks_reaching_python_internals():
    with pytest.raises(jinja2.exceptions.SecurityError):
        render("{{ ''.__class__.__mro__[1].__subclasses__() }}", {})
    with pytest.raises(jinja2.exceptions.SecurityError):
        render("{{ vars.rows.append(4) }}", {"vars": {"rows": [1]}})


@pytest.mark.parametrize("expr, expected", [
    ("{{ date('2026-01-31') | add_months(1) }}", date(2026, 2, 28)),          # clamps to month end
    ("{{ date('2024-01-31') | add_months(1) }}", date(2024, 2, 29)),          # leap year
    ("{{ date('2026-03-15') | add_months(-3) | month_start }}", date(2025, 12, 1)),
    ("{{ date('2026-02-10') | month_end }}", date(2026, 2, 28)),
    ("{{ date('2026-12-30') | add_days(3) }}", date(2027, 1, 2)),
    ("{{ date('2026-11-05') | format_date('%Y-%m') }}", "2026-11"),
    # National Day 1-7 Oct; Saturday 10 Oct is a make-up working day (调休)
    ("{{ '2026-10-01' | add_business_days(5, 'CN') }}", date(2026, 10, 13)),
])
def test_date_filters(expr, expected):
    assert render(expr, {}) == expected


def test_date_filters_keep_datetime_kind():
    assert render("{{ vars.t | add_days(1) }}", {"vars": {"t": datetime(2026, 1, 1, 6, 30)}}) == datetime(2026, 1, 2, 6, 30)


@pytest.mark.parametrize("expr, expected", [
    ("{{ '1,234.565' | money }}", Decimal("1234.57")),       # half-up, not banker's
    ("{{ 0.1 | decimal + 0.2 | decimal }}", Decimal("0.3")),  # exact, no float drift
    ("{{ '2.5' | round_money(0) }}", Decimal("3")),
    ("{{ 19.999 | money }}", Decimal("20.00")),
])
def test_money_filters_are_exact(expr, expected):
    assert render(expr, {}) == expected


def test_references_lists_paths_once_and_ignores_bound_names():
    free, paths = references("{% for r in steps.ledger.rows %}{{ r.amount }}{{ vars.period }}{% endfor %}")
    assert free == {"steps", "vars"}
    assert sorted(paths) == [("steps", "ledger", "rows"), ("vars", "period")]


def test_business_days_skip_weekends_and_holidays():
    assert calendars.nth_business_day(2026, 10, 1, "CN") == date(2026, 10, 8)   # 1-7 Oct holiday
    assert calendars.is_business_day(date(2026, 10, 10), "CN")                 # make-up Saturday
    assert calendars.nth_business_day(2026, 12, -1, "DE") == date(2026, 12, 31)
    assert calendars.nth_business_day(2026, 5, -1, "US") == date(2026, 5, 29)     # 25th Memorial Day, last is Fri 29th
    assert calendars.add_business_days(date(2026, 12, 24), 1, "DE") == date(2026, 12, 28)
    assert calendars.is_business_day(date(2026, 11, 23))
    with pytest.raises(ValueError, match="unknown holiday calendar"):
        calendars.is_business_day(date(2026, 11, 23), "XX")
