"""A scan read twice (a quick read, then a slower one because a person would otherwise have to
look): what each read got right is kept, and a total the two reads saw differently is not booked.

What a user sees: an invoice whose slower read mended its tax but lost its number (the number's
words read again into something else) is booked with the number the quick read had surely; an
invoice whose two reads both read a sure, adding-up total, but not the same one, goes to a person
with both figures named, instead of being booked with the second.

The pages are built word by word, in a scan's pixels, as Tesseract returns them; the two reads
stand in for the reader.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import vision.invoice as invoice
from vision.checks import CheckPolicy
from vision.document import Document, Page, Word


def _scan(number_words: list[tuple[str, float]], net: str, tax: str, total: str, seller_conf: float = 0.93,
          thorough: bool = False, terms: list[tuple[str, float]] = (),
          date_word: tuple[str, float] = ("03/11/2026", 0.93)) -> Document:
    x, number = 285, []
    for text, conf in number_words:
        number.append((text, x, 540, x + 24 * len(text), 575, conf))
        x += 24 * len(text) + 15
    x, terms_line = 200, []
    for text, conf in terms:
        terms_line.append((text, x, 1450, x + 24 * len(text), 1485, conf))
        x += 24 * len(text) + 15
    words = [
        ("Nordwind", 200, 150, 400, 190, seller_conf), ("Logistics", 415, 150, 620, 190, seller_conf),
        ("Ltd", 635, 150, 700, 190, seller_conf),
        ("12", 200, 205, 240, 240, 0.93), ("Harbour", 255, 205, 420, 240, 0.93), ("Road,", 435, 205, 540, 240, 0.93),
        ("Leeds", 555, 205, 680, 240, 0.93), ("LS1", 695, 205, 770, 240, 0.93), ("4AB", 785, 205, 860, 240, 0.93),
        ("VAT", 200, 260, 280, 295, 0.93), ("Reg", 295, 260, 370, 295, 0.93), ("No.", 385, 260, 450, 295, 0.93),
        ("GB123456782", 465, 260, 720, 295, 0.93),
        ("INVOICE", 200, 420, 420, 470, 0.93), *number,
        ("Invoice", 200, 600, 360, 635, 0.93), ("date:", 375, 600, 480, 635, 0.93),
        (date_word[0], 700, 600, 930, 635, date_word[1]),
        ("Description", 200, 1000, 450, 1035, 0.93), ("Amount", 1900, 1000, 2080, 1035, 0.93),
        ("Pallet", 200, 1060, 340, 1095, 0.93), ("freight", 355, 1060, 520, 1095, 0.93),
        (net, 2180 - 23 * len(net), 1060, 2180, 1095, 0.93),
        ("Subtotal", 1500, 1200, 1690, 1235, 0.93), (net, 2180 - 23 * len(net), 1200, 2180, 1235, 0.93),
        ("VAT", 1500, 1250, 1590, 1285, 0.93), ("20%", 1605, 1250, 1690, 1285, 0.93),
        (tax, 2180 - 23 * len(tax), 1250, 2180, 1285, 0.93),
        ("Total", 1500, 1300, 1620, 1335, 0.93), ("GBP", 1635, 1300, 1720, 1335, 0.93),
        (total, 2180 - 23 * len(total), 1300, 2180, 1335, 0.93), *terms_line,
    ]
    page = Page(1, 2480, 3508, [Word(t, x0, y0, x1, y1, c) for t, x0, y0, x1, y1, c in words], "ocr",
                dpi=300, thorough=thorough)
    return Document("scan.png", [page], "image")


def _read(monkeypatch, quick: Document, slow: Document):
    reads = iter([quick, slow])
    monkeypatch.setattr(invoice, "read_einvoice", lambda *a, **k: None)
    monkeypatch.setattr(invoice, "read_document", lambda *a, **k: next(reads))
    # the words' ink read a third time says the same (these pages keep no pixels to read it in)
    monkeypatch.setattr(invoice, "confirm_scanned", lambda *a, **k: None)
    return invoice.read_invoice("scan.png", templates=[], policy=CheckPolicy(today=date(2026, 11, 20)))


def test_the_number_the_quick_read_had_survives_the_slower_read_that_lost_it(monkeypatch):
    quick = _scan([("No.", 0.93), ("INV-5521", 0.93)], "1,000.00", "260.00", "1,200.00")  # tax misread
    slow = _scan([("Ne", 0.31), ("|NV-55?1", 0.30)], "1,000.00", "200.00", "1,200.00", thorough=True)
    result = _read(monkeypatch, quick, slow)
    assert result.value("invoice_number") == "INV-5521"
    assert result.value("vat") == Decimal("200.00")
    assert result.status == "ready", result.reasons


def test_two_sure_reads_of_different_totals_go_to_a_person(monkeypatch):
    # the quick read's amounts add up; only the seller's name was faint
    quick = _scan([("No.", 0.93), ("INV-5521", 0.93)], "1,000.00", "200.00", "1,200.00", seller_conf=0.2)
    slow = _scan([("No.", 0.93), ("INV-5521", 0.93)], "1,080.00", "216.00", "1,296.00", thorough=True)
    result = _read(monkeypatch, quick, slow)
    assert result.status == "review"
    assert any("1200.00" in reason and "1296.00" in reason for reason in result.reasons), result.reasons


def test_a_slower_read_that_keeps_everything_is_taken_as_it_is(monkeypatch):
    quick = _scan([("No.", 0.93), ("INV-5521", 0.93)], "1,000.00", "260.00", "1,200.00")
    slow = _scan([("No.", 0.93), ("INV-5521", 0.93)], "1,000.00", "200.00", "1,200.00", thorough=True)
    result = _read(monkeypatch, quick, slow)
    assert result.status == "ready", result.reasons
    assert result.value("amount") == Decimal("1200.00")


_TERMS = [("Terms:", 0.93), ("30", 0.93), ("days.", 0.93)]


def test_a_line_the_quick_read_garbled_is_read_again_before_the_invoice_is_booked(monkeypatch):
    # 'Due date 07/12/2026' came out of the quick read as faint scraps: every check passed, and
    # the invoice would have been booked with no due date although its vendor printed one
    quick = _scan([("No.", 0.93), ("INV-5521", 0.93)], "1,000.00", "200.00", "1,200.00",
                  terms=_TERMS + [("Gate", 0.35), ("Jue", 0.06), ("or", 0.21), ("i", 0.41), ("oe", 0.33)])
    slow = _scan([("No.", 0.93), ("INV-5521", 0.93)], "1,000.00", "200.00", "1,200.00", thorough=True,
                 terms=_TERMS + [("Due", 0.91), ("date", 0.92), ("03/12/2026", 0.90)])
    result = _read(monkeypatch, quick, slow)
    assert result.status == "ready", result.reasons
    assert result.value("due_date") == date(2026, 12, 3)


def test_a_clear_quick_read_is_booked_without_a_slower_one(monkeypatch):
    # one faint word is no garbled line: the quick read stands (the slower read is not asked for)
    quick = _scan([("No.", 0.93), ("INV-5521", 0.93)], "1,000.00", "200.00", "1,200.00",
                  terms=_TERMS + [("Due", 0.91), ("date", 0.35), ("03/12/2026", 0.90)])
    never = _scan([("No.", 0.93), ("INV-9999", 0.93)], "1,000.00", "200.00", "1,200.00", thorough=True)
    result = _read(monkeypatch, quick, never)
    assert result.status == "ready", result.reasons
    assert result.value("invoice_number") == "INV-5521" and result.value("due_date") == date(2026, 12, 3)


def test_a_date_the_quick_read_could_only_guess_is_still_offered_when_the_slower_read_lost_it(monkeypatch):
    # the date came out of the quick read faint (a person must confirm it); the slower read made
    # a smudge of it. The person is offered the quick read's date, not an empty field to type
    quick = _scan([("No.", 0.93), ("INV-5521", 0.93)], "1,000.00", "200.00", "1,200.00", date_word=("03/11/2026", 0.3))
    slow = _scan([("No.", 0.93), ("INV-5521", 0.93)], "1,000.00", "200.00", "1,200.00", thorough=True,
                 date_word=("~-", 0.1))
    result = _read(monkeypatch, quick, slow)
    assert result.value("date") == date(2026, 11, 3), result.fields_json()
    assert result.status == "review"  # still only a guess: never booked
