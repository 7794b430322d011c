"""A learned date read again from a scan: what a garbled second reading says, and when the
vendor's payment terms stand for a second reading of the due date."""

from __future__ import annotations

from datetime import date

import vision.reread as reread
from vision.document import Document, Page
from vision.learned import LearnedField, Options, _verdict
from vision.reread import vouched_by_terms


def _read(value: date, text: str, y: int) -> LearnedField:
    return LearnedField(value, 0.9, "learned", 1, text, box=(400, y, 620, y + 34))


def _scan() -> Document:
    return Document("rechnung.png", [Page(1, 2480, 3508, [], "ocr", dpi=300)], "image")


def _check(todo: dict[str, LearnedField], terms: tuple[int, ...]) -> dict:
    opts = Options(day_first=True)
    return reread.check_by_reading_again(_scan(), list(todo.items()),
                                         lambda name, value, text: _verdict(name, value, text, opts),
                                         "learned_reread", agreeing=vouched_by_terms(todo, terms))


def test_a_due_date_read_the_same_once_passes_when_it_keeps_the_vendors_terms_with_a_date_read_the_same(second_readings):
    # invoice of 3 Feb 2027, due 3 Mar 2027: the vendor's 28 days; the due date's second
    # readings lose ink twice and say it once
    todo = {"date": _read(date(2027, 2, 3), "03.02.27", 200), "due_date": _read(date(2027, 3, 3), "03.03.27", 260)}
    second_readings.update({200: ["03.02.27", "03.02.27", "03.02.27"], 260: ["O3 :", "03.03.27", "0-303.2"]})
    assert _check(todo, (28,))["ok"]
    # without the terms taught, or with other terms, one reading is not enough
    assert not _check(todo, ())["ok"]
    assert not _check(todo, (30,))["ok"]


def test_the_terms_do_not_excuse_a_reading_that_says_another_due_date_nor_a_doubted_invoice_date(second_readings):
    todo = {"date": _read(date(2027, 2, 3), "03.02.27", 200), "due_date": _read(date(2027, 3, 3), "03.03.27", 260)}
    second_readings.update({200: ["03.02.27", "03.02.27", "03.02.27"], 260: ["08.03.27", "03.03.27", "0-303.2"]})
    assert not _check(todo, (28,))["ok"]
    # the invoice date read the same only once: it does not vouch for the due date, nor itself
    second_readings.update({200: ["03.02.27", "0?.0", "03.0"], 260: ["03.03.27", "03.03.27", "03.03.27"]})
    assert not _check(todo, (28,))["ok"]


def test_a_second_reading_whose_figures_have_garble_against_them_says_no_other_date():
    opts = Options(day_first=True)
    value = date(2027, 8, 19)
    # a 1 read as 'l' and a 9 as '£' against the day: the '9' left is no day of its own
    assert _verdict("date", value, "l£9|08|27", opts) == "unclear"
    assert _verdict("date", value, "1?.08:27", opts) == "unclear"
    # marks alone between the figures: the figures say the date, or another
    assert _verdict("date", value, "19:08:27", opts) == "same"
    assert _verdict("date", value, "18:08:27", opts) == "other"
