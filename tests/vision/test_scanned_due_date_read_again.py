"""A due date the generic reader took from a scan is read again like the date of issue: a
figure misread (an 8 taken for a 0) is never booked as it stands."""

from __future__ import annotations

from datetime import date

import vision.reread as reread
from vision.document import Document, Page
from vision.fields import Field


def _scanned(value: object, text: str, y: int) -> Field:
    return Field(value, 0.95, "layout", 1, text, box=(1500, y, 1900, y + 40))


def _scan() -> Document:
    return Document("factura.png", [Page(1, 2480, 3508, [], "ocr", dpi=300)], "image")


def _fields() -> dict[str, Field]:
    return {"invoice_number": _scanned("A-20417", "A-20417", 300),
            "date": _scanned(date(2027, 1, 12), "12/01/2027", 360),
            "due_date": _scanned(date(2027, 2, 10), "10/02/2027", 420)}


def test_a_due_date_every_second_reading_says_otherwise_sends_the_invoice_to_a_person(second_readings):
    # printed 18/02/2027; the page's OCR took the 8 for a 0
    second_readings.update({300: ["A-20417"] * 3, 360: ["12/01/2027"] * 3, 420: ["18/02/2027"] * 3})
    check = reread.confirm_scanned(_scan(), _fields(), day_first=True)
    assert not check["ok"]
    assert "due_date 2027-02-10" in check["detail"] and "18/02/2027" in check["detail"]


def test_a_due_date_read_the_same_again_is_booked(second_readings):
    second_readings.update({300: ["A-20417"] * 3, 360: ["12/01/2027"] * 3, 420: ["10/02/2027", "1O/02/2O27", "10/02/2027"]})
    check = reread.confirm_scanned(_scan(), _fields(), day_first=True)
    assert check["ok"] and "due_date 2027-02-10" in check["detail"]


def test_a_due_date_the_printed_terms_keep_needs_one_clear_reading(second_readings):
    # 12 Jan + 29 days = 10 Feb: the page's terms vouch for a second reading the scan lost
    second_readings.update({300: ["A-20417"] * 3, 360: ["12/01/2027"] * 3, 420: ["10/02/2027", "iO/O", ":"]})
    assert reread.confirm_scanned(_scan(), _fields(), day_first=True, terms=(29,))["ok"]
    assert not reread.confirm_scanned(_scan(), _fields(), day_first=True, terms=(30,))["ok"]
