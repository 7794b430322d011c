"""A scanned invoice whose net the scan lost: its sums cannot be checked, so its total is not
booked on the strength of being printed twice."""

from datetime import date
from decimal import Decimal

from vision.checks import CheckPolicy, run_checks, status_of
from vision.fields import Field


def _scanned(net: Decimal | None, document_type: str | None = None, text_layer: bool = False) -> tuple[str, list[str]]:
    # a Chinese special VAT invoice prints its total in figures and again in words: both read
    # 200,030.39, the tax 11,321.91; the vendor misprinted the total (net + tax = 200,020.39)
    fields = {
        "issuer": Field("大连北海水产贸易有限公司", 0.95),
        "invoice_number": Field("53977541", 0.95),
        "date": Field(date(2026, 10, 1), 0.95),
        "currency": Field("CNY", 0.95),
        "amount": Field(Decimal("200030.39"), 0.95, agreeing=2),
        "vat": Field(Decimal("11321.91"), 0.9),
    }
    if net is not None:
        fields["amount_untaxed"] = Field(net, 0.9)
    if document_type:
        fields["document_type"] = Field(document_type, 1.0)
    checks = run_checks(fields, [], CheckPolicy(today=date(2026, 10, 5)), all_text_layer=text_layer)
    return status_of(checks, fields, word_count=80)


def test_a_total_printed_twice_whose_net_was_lost_is_not_booked():
    status, reasons = _scanned(net=None)
    assert status == "review"
    assert any("net was not read" in r for r in reasons), reasons


def test_the_net_read_shows_the_misprint_and_a_right_total_is_booked():
    assert _scanned(net=Decimal("188698.48"))[0] == "review"  # 188,698.48 + 11,321.91 != 200,030.39
    assert _scanned(net=Decimal("188708.48"))[0] == "ready"


def test_a_till_receipt_prints_its_tax_inside_the_total_with_no_net_to_lose():
    status, reasons = _scanned(net=None, document_type="receipt")
    assert not any("total_corroborated" in r for r in reasons), reasons


def test_a_text_layer_is_exact_and_keeps_booking_as_before():
    assert _scanned(net=None, text_layer=True)[0] == "ready"
