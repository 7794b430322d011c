"""Dates printed in a header row, labels above values, when the scan garbled both labels.

What a user sees: an invoice whose 'Issue date | Due date' row came out of the scan unreadable
('Isue dte | Pymnt dve'), and whose first date lost a digit ('14/0/2025'), is not booked with
the date that could be read (the due date, as likely as the invoice's): a person reads it.
With both dates readable the earlier one is offered, as before.
"""

from __future__ import annotations

from datetime import date

from vision.checks import CheckPolicy
from tests.vision.test_lexicons import page_of
from vision.document import Document
from vision.fields import extract


def _scan(issue_as_scanned: str) -> Document:
    rows = [
        (40, [(40, "Fenwick Signs & Print Ltd")]), (54, [(40, "22 Tanner Row, York YO1 6JB")]),
        (68, [(40, "VAT No. GB 402 7781 36")]),
        (100, [(360, "Invoice No."), (460, "FSP-55120")]),
        (160, [(40, "Isue dte"), (150, "Pymnt dve"), (260, "Acct ref")]),
        (174, [(40, issue_as_scanned), (150, "14/05/2025"), (260, "HOL-77")]),
        (230, [(40, "Description"), (460, "Amount")]),
        (246, [(40, "Vinyl shop-front lettering"), (460, "400.00")]),
        (300, [(360, "Subtotal"), (460, "400.00")]),
        (314, [(360, "VAT 20%"), (460, "80.00")]),
        (328, [(360, "Total"), (460, "£480.00")]),
    ]
    return page_of(rows, scanned=True)


SURE = CheckPolicy().threshold


def test_a_date_read_beside_one_the_scan_garbled_goes_to_a_person():
    day = extract(_scan("14/0/2025")).fields.get("date")
    assert day is None or day.confidence < SURE


def test_both_dates_readable_offers_the_earlier():
    day = extract(_scan("14/04/2025")).fields["date"]
    assert day.value == date(2025, 4, 14)
