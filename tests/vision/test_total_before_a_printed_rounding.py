"""An invoice that rounds its payable amount prints the sum before rounding too (a VAT recap's
'Total' column), then a rounding line, then the amount payable. When a scan garbles the payable
amount's label, net + tax still make the recap's figure, but that is not what is owed: the
rounded amount the page prints is offered for a person to confirm, never the unrounded one
booked."""

from __future__ import annotations

from decimal import Decimal

from tests.vision.word_pages import labelled_amounts
from vision.document import Document, Page
from vision.invoice import analyse

HEAD = ("Nordwerk Elektro GmbH", "USt-IdNr. DE318406271", "Rechnung Nr. 44817", "Rechnungsdatum 03.11.2026",
        "Kunde", "Stadtwerke Kleinbach")


def _scan(*rows: str) -> Document:
    words = labelled_amounts(rows, left=60, right=520, step=24)
    return Document("rechnung.png", [Page(1, 600, 850, words, "ocr")], "image")


def test_the_payable_amount_after_the_rounding_line_is_offered_not_the_sum_before_it():
    result = analyse(_scan(*HEAD, "Nettobetrag  1.284,37", "MwSt. 19 %  244,03", "Summe  1.528,40",
                           "Rundungsdifferenz  -0,40", "Zahlbetragq~ 1.528,00"), templates=[])
    assert result.value("amount") == Decimal("1528.00")
    assert result.status == "review"


def test_a_rounding_line_no_printed_amount_applies_to_leaves_the_total_with_a_person():
    result = analyse(_scan(*HEAD, "Nettobetrag  1.284,37", "MwSt. 19 %  244,03", "Summe  1.528,40",
                           "Rundungsdifferenz  -0,40"), templates=[])
    assert result.status == "review"
    assert "rounding" in result.fields["amount"].detail


def test_a_total_that_uses_its_rounding_line_is_booked_as_before():
    result = analyse(_scan(*HEAD, "Nettobetrag  1.284,37", "MwSt. 19 %  244,03", "Rundungsdifferenz  -0,40",
                           "Gesamtbetrag  1.528,00"), templates=[])
    assert result.value("amount") == Decimal("1528.00")
    assert result.value("rounding") == Decimal("-0.40")


def test_a_total_a_cent_off_the_sums_that_its_rounding_line_makes_is_booked_as_before():
    # net + tax = 1,528.39; the rounding line's cent makes the total printed
    result = analyse(_scan(*HEAD, "Nettobetrag  1.284,36", "MwSt. 19 %  244,03", "Rundungsdifferenz  0,01",
                           "Gesamtbetrag  1.528,40"), templates=[])
    assert result.value("amount") == Decimal("1528.40")
    assert result.fields["amount"].confidence > 0.6
