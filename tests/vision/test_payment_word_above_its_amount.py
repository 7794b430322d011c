"""A docket photographed so that its amounts column is read as lines of their own, each below its
label (``CASH`` / ``450.00``), is still a till receipt: the payment word alone on its line, its
amount alone on the next, is a payment line."""

from dataclasses import replace
from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt
from vision.document import Document


def _wide_docket(*rows: str) -> Document:
    """OCR of a docket photographed wider than a till strip, one row per line."""
    strip = _receipt(*rows)
    return replace(strip, pages=[replace(strip.pages[0], width=1200.0)])


def test_payment_words_above_their_amounts_make_a_receipt():
    found = _read(_wide_docket("HOCK LEE HARDWARE SDN BHD", "CASH BILL", "Date : 03/05/2018",
                               "PAINT BRUSH 3IN   4   PCS   6.50   26.00", "TOTAL AMOUNT   412.50", "GST 6%",
                               "24.75", "TOTAL INCL. GST", "437.25", "CASH", "450.00", "CHANGE", "12.75"))
    assert found["amount"].value == Decimal("437.25")


def test_a_payment_word_above_a_line_of_words_makes_no_receipt():
    # an invoice's terms: 'Cash' alone, then a sentence that carries a figure
    found = _read(_wide_docket("ACME SUPPLIES LTD", "INVOICE 2231", "Payment terms:", "Cash",
                               "on delivery, 30 days 2.00 late fee", "Total   120.00"))
    assert found == {}


def test_one_payment_word_above_an_amount_is_not_enough():
    # an invoice's totals block read column by column: one 'Card' over its amount, nothing else
    found = _read(_wide_docket("ACME SUPPLIES LTD", "INVOICE 2231", "Subtotal   100.00", "Card", "100.00"))
    assert found == {}
