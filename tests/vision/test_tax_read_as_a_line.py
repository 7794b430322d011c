"""A scan that read an invoice's tax row as one more line item: net = total, no tax, and the
"lines" (the tax among them) add up to it. Both sums hold with the tax lost; it is not booked."""

from datetime import date
from decimal import Decimal

from vision.checks import CheckPolicy, run_checks, status_of
from vision.fields import Field


def _read(lines: list[str], vat: str | None, net: str, total: str) -> tuple[str, list[str]]:
    fields = {
        "issuer": Field("厦门鹭岛印务有限公司", 0.95),
        "invoice_number": Field("94018772", 0.95),
        "date": Field(date(2026, 10, 17), 0.95),
        "currency": Field("CNY", 0.95),
        "amount": Field(Decimal(total), 0.95),
        "amount_untaxed": Field(Decimal(net), 0.9),
    }
    if vat is not None:
        fields["vat"] = Field(Decimal(vat), 0.9)
    items = [{"description": f"item {n}", "amount": Decimal(a)} for n, a in enumerate(lines, 1)]
    checks = run_checks(fields, items, CheckPolicy(today=date(2026, 10, 20)), all_text_layer=False)
    return status_of(checks, fields, word_count=120)


def test_a_line_that_is_the_tax_of_the_others_is_not_booked_as_an_item():
    # four printing jobs 9450.62 in all, and 13% VAT 1228.58 read as a fifth line: the net taken
    # from the total, no tax
    items = ["3120.40", "2210.00", "1999.99", "2120.23", "1228.58"]
    status, reasons = _read(items, None, "10679.20", "10679.20")
    assert status == "review"
    assert any("line 5" in r and "13" in r for r in reasons), reasons
    # read with a tax of 0.00, just the same
    assert _read(items, "0.00", "10679.20", "10679.20")[0] == "review"
    # the tax row read where it belongs: the invoice is booked
    assert _read(items[:4], "1228.58", "9450.62", "10679.20")[0] == "ready"


def test_untaxed_lines_that_happen_to_differ_are_booked():
    # a tax-exempt invoice: no line is a tax rate of the others
    assert _read(["3120.40", "2210.00", "1999.99", "2120.23", "1228.50"], None, "10679.12", "10679.12")[0] == "ready"
