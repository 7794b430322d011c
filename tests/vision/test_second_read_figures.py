"""A slower second read of a scan against the quick read before it: which figures stand."""

from __future__ import annotations

from decimal import Decimal

from vision.fields import Field
from vision.invoice import InvoiceResult, _against_first_read


def _quick(**amounts: str) -> InvoiceResult:
    fields = {name: Field(Decimal(value), 0.9) for name, value in amounts.items()}
    return InvoiceResult("scan.png", "review", [], fields, [], [{"name": "subtotal_plus_tax", "ok": True}], [], 0.0)


def test_a_second_read_that_lost_a_figures_cents_keeps_the_quick_reads_figure():
    quick = _quick(amount="1791.94", amount_untaxed="1493.28", vat="298.66")
    second = {"amount": Field(Decimal("1791.94"), 0.9), "amount_untaxed": Field(Decimal("1493.28"), 0.9),
              "vat": Field(Decimal("298"), 0.9)}
    lines = [{"amount": Decimal("1493.28")}]
    kept, check = _against_first_read(quick, second, 0.6, lines)
    assert check is None
    assert kept["vat"].value == Decimal("298.66")


def test_two_reads_whose_figures_each_add_up_are_for_a_person():
    # 100 + 20 = 120 and 100 + 21 = 121: each read is consistent, neither is the better witness
    quick = _quick(amount="120.00", amount_untaxed="100.00", vat="20.00")
    second = {"amount": Field(Decimal("121.00"), 0.9), "amount_untaxed": Field(Decimal("100.00"), 0.9),
              "vat": Field(Decimal("21.00"), 0.9)}
    kept, check = _against_first_read(quick, second, 0.6, [{"amount": Decimal("100.00")}])
    assert check is not None and check["name"] == "reads_disagree"
    assert "vat" not in kept and "amount" not in kept
