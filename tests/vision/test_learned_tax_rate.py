"""A vendor's tax, once a person approved one of its invoices, is known as a share of its net.

What a user sees: a scanned invoice of a vendor deskbot learned is booked only with a tax that
taxes the net as the vendor does (or at a rate the page itself prints). A fapiao's tax row
read as one more line item let the net be taken from the total with no tax at all: both sums
held (net = total, the "lines" add up to it) and the invoice was booked with a tax of 0.00.
"""

from __future__ import annotations

from decimal import Decimal

from vision.fields import Field
from vision.learned import LearnedField, LearnedTemplate, Spot, keep_arithmetic


def _vendor(total: str, net: str, tax: str) -> LearnedTemplate:
    """A vendor taught on an invoice with these amounts, each at a place of its own."""
    template = LearnedTemplate("Hunan Xiangjiang Software", names=["Hunan Xiangjiang Software"])
    for k, (name, example) in enumerate((("amount", total), ("amount_untaxed", net), ("vat", tax))):
        template.spots[name] = Spot(1, (0.6 + 0.1 * k, 0.45, 0.68 + 0.1 * k, 0.46), None, example, corrected=True)
    return template


def _as_read(net: str) -> dict:
    """Total 11300.00 and tax 1300.00 read right where the vendor prints them, the net as ``net``."""
    return {"amount": LearnedField(Decimal("11300.00"), 0.9, "learned", 1, "11300.00"),
            "amount_untaxed": LearnedField(Decimal(net), 0.9, "learned", 1, net),
            "vat": LearnedField(Decimal("1300.00"), 0.9, "learned", 1, "1300.00")}


def test_a_tax_row_taken_for_a_line_item_does_not_book_the_invoice_untaxed():
    # approved at 13%. This invoice: the learned net misread, and the reader without the
    # template found the total twice (as the total and as the net) and no tax; the tax row
    # read as a third line makes the "lines" add up to the total
    vendor = _vendor("21713.26", "19215.27", "2497.99")
    generic = {"amount": Field(Decimal("11300.00"), 0.9, "layout"),
               "amount_untaxed": Field(Decimal("11300.00"), 0.9, "layout")}
    lines = [{"amount": Decimal("6000.00")}, {"amount": Decimal("4000.00")}, {"amount": Decimal("1300.00")}]
    fields = _as_read("1000.00")
    check = keep_arithmetic(fields, generic, lines, template=vendor)
    assert not check["ok"], (check, fields)
    assert fields["vat"].value == Decimal("1300.00")
    # the net read right elsewhere, the tax at the vendor's rate: the misread net is set aside
    generic = {"amount": Field(Decimal("11300.00"), 0.9, "layout"),
               "amount_untaxed": Field(Decimal("10000.00"), 0.9, "layout")}
    lines = [{"amount": Decimal("6000.00")}, {"amount": Decimal("4000.00")}]
    fields = _as_read("1000.00")
    check = keep_arithmetic(fields, generic, lines, template=vendor)
    assert check["ok"], check
    assert (fields["amount_untaxed"].value, fields["vat"].value) == (Decimal("10000.00"), Decimal("1300.00"))


def test_the_vendors_rate_is_the_approved_invoices_and_a_page_may_print_another():
    vendor = _vendor("21713.26", "19215.27", "2497.99")  # 13%
    at = lambda net, tax: {"amount_untaxed": Field(Decimal(net), 0.9, "learned"),  # noqa: E731
                           "vat": Field(Decimal(tax), 0.9, "learned")}
    lines = [{"amount": Decimal("1.00")}] * 3
    assert vendor.keeps_its_rate(at("10000.00", "1300.02"), lines)  # a cent a line rounded
    assert not vendor.keeps_its_rate(at("10000.00", "600.00"), lines)
    assert vendor.keeps_its_rate(at("10000.00", "600.00"), lines, "金额 税率 6% 税额")
    assert not vendor.keeps_its_rate(at("10000.00", "0.00"), lines, "0% 6% 13%")  # never untaxed
    # a vendor taught without a place for its tax says nothing about it
    assert LearnedTemplate("Other").keeps_its_rate(at("10000.00", "0.00"), lines)
