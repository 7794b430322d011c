"""A docket's date whose letters or digits came out of dot print as marks or other letters, and
whose readings again at other scales all misread one digit: still offered, for a person."""

from datetime import date

from tests.vision.test_dot_matrix_date_prints import _doc
from tests.vision.test_dot_matrix_dates import _FOOT, _HEAD, _date
from vision.dotdates import settle_date
from vision.lexicon import load_lexicons


def test_a_month_with_a_letter_read_as_a_mark_and_another_as_its_look_alike_is_offered():
    # struck 12-AUG-2017: the A's legs and bar read as a hash, the G's open hook as a C
    day = _date(*_HEAD, "Bill : 4471   Date : 12-#UC-2017", *_FOOT)
    assert day.value == date(2017, 8, 12)
    assert day.confidence < 0.6  # a month guessed: a person confirms it


def test_a_mark_beside_a_letter_that_looks_like_no_months_gives_no_month():
    # an X is no look-alike of any month's letter there: nothing to offer
    day = _date(*_HEAD, "Bill : 4471   Date : 12-#XR-2017", *_FOOT)
    assert day is None or day.value != date(2017, 4, 12) and day.value != date(2017, 3, 12)


def test_readings_again_that_agree_only_on_years_the_docket_cannot_carry_leave_the_first_reading(monkeypatch):
    # struck 14-03-2017 on a docket charging GST; OCR read the year's zero as a 6 (2617), and every
    # reading again at other scales read its 1 as a 2 too (2627): 2027 is long after the tax was
    # repealed, and the first reading's 2017, within the tax's years, is what is offered
    import vision.reread

    monkeypatch.setattr(vision.reread, "readings", lambda image, boxes, **_: [["14-03-2627"] * 3 for _ in boxes])
    doc = _doc([("GST 6%", "GST 6%"), ("14-03-2017", "14-03-2617"), ("RM", "RM"),
                ("40.15 12.70", "40.15 12.70"), ("83.96 51.28", "83.96 51.28"), ("7.34 69.02", "7.34 69.02")])
    lex = load_lexicons()
    day = settle_date(doc, lex.conventions(doc.text), None, by_prints=True)
    assert day is not None and day.value == date(2017, 3, 14)
    assert day.confidence < 0.6  # a person confirms it
