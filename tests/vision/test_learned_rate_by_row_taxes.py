"""A vendor that bills at two rates: its approved invoice taxed everything at 9%, a later one
at 3%, and the scan read the rate column's '3%' as '39%'. Each row prints its own tax, and
those add up to the tax read in the totals: the page's own sum says the tax is right."""

from decimal import Decimal

from vision.fields import Field
from vision.learned import LearnedTemplate, Spot


def _vendor_taught_at_nine_percent() -> LearnedTemplate:
    template = LearnedTemplate("Qingdao Harbour Printing", names=["Qingdao Harbour Printing"])
    template.spots["amount_untaxed"] = Spot(1, (0.6, 0.5, 0.7, 0.51), None, "2400.00")
    template.spots["vat"] = Spot(1, (0.8, 0.5, 0.9, 0.51), None, "216.00")
    return template


def _booked(net: str, tax: str) -> dict:
    return {"amount_untaxed": Field(Decimal(net), 0.9, "layout"), "vat": Field(Decimal(tax), 0.9, "layout")}


def _row(amount: str, tax: str | None) -> dict:
    return {"amount": Decimal(amount), "tax": None if tax is None else Decimal(tax)}


def test_row_taxes_adding_up_to_the_tax_vouch_for_a_rate_the_scan_misread():
    vendor = _vendor_taught_at_nine_percent()
    rows = [_row("5000.00", "150.00"), _row("1250.00", "37.50")]
    assert vendor.keeps_its_rate(_booked("6250.00", "187.50"), rows, "货物 39% 税额")


def test_row_taxes_that_do_not_make_the_tax_vouch_for_nothing():
    vendor = _vendor_taught_at_nine_percent()
    # the first row's tax taken for the invoice's: the rows make 187.50
    assert not vendor.keeps_its_rate(_booked("6250.00", "150.00"),
                                     [_row("5000.00", "150.00"), _row("1250.00", "37.50")])
    # a row whose tax was not read proves nothing about the others
    assert not vendor.keeps_its_rate(_booked("6250.00", "150.00"), [_row("5000.00", "150.00"), _row("1250.00", None)])
