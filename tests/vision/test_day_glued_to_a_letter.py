"""A scan reads the 1 of a day as the letter it looks like, glued to the next digit ('l5 Dec
2026' for the 15th): the date is never booked as the 5th, and a person confirms the 15th."""

from __future__ import annotations

from datetime import date

import pytest

from tests.vision.word_pages import cells
from vision.document import Document, Page
from vision.invoice import analyse
from vision.parsing import find_dates


def _invoice(date_line: str) -> Document:
    rows = [(90, 60, "Harbour Lights Ltd"), (90, 85, "12 Quay Street, Galway H91 E2K3"), (90, 110, "VAT No. IE6388047V"),
            (90, 200, "Invoice To:"), (90, 225, "The Harbour Bar Kinsale"),
            (800, 200, "Invoice No: HL-2026-0193"), (800, 225, date_line),
            (90, 320, "Description"), (1000, 320, "Amount"), (90, 350, "Boiler service"), (1000, 350, "400.00"),
            (800, 450, "Net  400.00"), (800, 475, "VAT 13.5%  54.00"), (800, 500, "Total EUR  454.00")]
    words = [w for x, y, text in rows for w in cells(y, (x, text))]
    return Document("scan.png", [Page(1, 1240, 1750, words, "ocr")], "image")


@pytest.mark.parametrize("printed", ["l5 Nov 2026", "I5 Nov 2026", "l5/11/2026"])
def test_a_day_whose_one_was_read_as_a_letter_is_not_booked_as_another_day(printed):
    result = analyse(_invoice(f"Date: {printed}"), templates=[])
    assert result.value("date") != date(2026, 11, 5)
    if result.value("date") is not None:
        assert result.value("date") == date(2026, 11, 15)
    assert result.status != "ready"


def test_the_same_invoice_with_its_day_read_cleanly_is_booked():
    result = analyse(_invoice("Date: 15 Nov 2026"), templates=[])
    assert result.value("date") == date(2026, 11, 15)


def test_a_rule_or_a_smudge_before_a_two_digit_day_leaves_the_day_as_printed():
    assert [d for d, *_ in find_dates("Datum:|15.11.2026")] == [date(2026, 11, 15)]
