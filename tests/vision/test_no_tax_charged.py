"""An invoice whose total equals its net charges no tax: its tax is booked as 0.00, proven by the
sum, not left empty as if it had gone unread. Where a tax line is printed but its figure could
not be read, the same sum proves nothing (the 'net' may be the gross), and a person reads it.
"""

from __future__ import annotations

from decimal import Decimal

from tests.vision.word_pages import labelled_amounts
from vision.document import Document, Page
from vision.invoice import analyse


def _page(source: str, *rows: str) -> Document:
    """One row a line: the label's words from the left, the amount (after two spaces) far right."""
    words = labelled_amounts(rows, left=60, right=520, step=24)
    return Document("bill.pdf" if source == "text" else "bill.png", [Page(1, 600, 850, words, source)],
                    "pdf" if source == "text" else "image")


HEAD = ("Harbor Lane Consulting LLC", "EIN 74-4564710", "Invoice No. HL-2207", "Invoice Date 11/02/2026", "Bill To",
        "Maple Street Clinic")


def test_a_bill_whose_total_is_its_subtotal_books_a_tax_of_zero():
    result = analyse(_page("text", *HEAD, "Subtotal  $4,180.00", "Total due  $4,180.00"), templates=[])
    assert result.status == "ready", result.reasons
    assert result.value("vat") == Decimal("0.00")
    assert result.fields["vat"].source == "derived"


def test_a_tax_rate_whose_figure_went_unread_keeps_a_total_equal_to_its_subtotal_from_being_booked():
    # prices include the tax: 'Subtotal' is the gross, and the tax row's figure was not read at all
    result = analyse(_page("text", *HEAD, "Subtotal  $4,180.00", "VAT 20% (included)",
                           "Total due  $4,180.00"), templates=[])
    assert result.status == "review"
    assert result.value("vat") is None
    assert any(r.startswith("vat_unread") and "20%" in r for r in result.reasons)


def test_a_zero_tax_rate_with_no_figure_beside_it_asks_for_nothing():
    result = analyse(_page("text", *HEAD, "Subtotal  $4,180.00", "Sales tax 0%", "Total due  $4,180.00"),
                     templates=[])
    assert not any(c["name"] == "vat_unread" for c in result.checks)
    assert result.value("vat") == Decimal("0.00")
