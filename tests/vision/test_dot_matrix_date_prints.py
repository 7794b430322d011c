"""A docket's date or total read as another that can be: its digits told by the docket's own prints."""

from datetime import date
from decimal import Decimal

import numpy as np

from tests.vision.test_dot_matrix_dates import _HEAD, _FOOT, _date
from tests.vision.test_dot_matrix_glyphs import _CELL, _FONT, _PITCH
from vision.document import Document, Page, Word
from vision.dotdates import settle_date
from vision.fields import Field
from vision.lexicon import load_lexicons
from vision.receipts import read_receipt

# the digits a ribbon struck beside the date, and the marks between them
_GLYPHS = {**_FONT,
           "3": ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],
           "7": ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
           ".": [".....", ".....", ".....", ".....", ".....", ".##..", ".##.."]}
_ROW = 11 * _PITCH


def _page(rows: list[tuple[str, str]]) -> tuple[np.ndarray, list[Word]]:
    """Rows of (printed, read) struck in dots on white paper, and the words OCR gave for them."""
    import cv2

    ink = np.zeros((len(rows) * _ROW + 20, 40 * _CELL), np.float32)
    words = []
    for n, (printed, read) in enumerate(rows):
        top, x = 10 + n * _ROW, 0
        for token, said in zip(printed.split(" "), read.split(" ")):
            # the words in letters are left blank: only numbers' digits are compared
            for k, ch in enumerate(token if all(ch in _GLYPHS for ch in token) else ""):
                for r, line in enumerate(_GLYPHS[ch]):
                    for c, pin in enumerate(line):
                        if pin == "#":
                            cv2.circle(ink, (10 + (x + k) * _CELL + c * _PITCH + 3, top + r * _PITCH + 3), 5, 1.0, -1)
            words.append(Word(said, 10 + x * _CELL, top, 10 + (x + len(token)) * _CELL - _PITCH, top + 7 * _PITCH,
                              0.9 if said == token else 0.5))
            x += len(token) + 1
    return (255 - 170 * cv2.GaussianBlur(ink, (0, 0), 1.0)).clip(0, 255).astype(np.uint8), words


# the docket's amounts, read right: every digit printed a few times
_AMOUNTS = [("116.56 20.65", "116.56 20.65"), ("36.40 67.18", "36.40 67.18"), ("92.36 164.29", "92.36 164.29"),
            ("56.06 38.75", "56.06 38.75")]


def _doc(rows: list[tuple[str, str]]) -> Document:
    image, words = _page(rows)
    return Document("docket.jpg", [Page(1, float(image.shape[1]), float(image.shape[0]), words, "ocr", image=image)],
                    "image")


def _settled(printed: str, read: str, sure: float):
    doc = _doc([(printed, read)] + _AMOUNTS)
    lex = load_lexicons()
    first = date(*reversed([int(p) for p in read.split("-")]))
    return settle_date(doc, lex.conventions(doc.text), Field(first, sure, "layout", 1, read), by_prints=True)


def test_a_year_whose_six_came_out_as_a_five_is_offered_as_the_six_the_page_prints():
    # struck 22-05-2016; OCR read the year's 6 as a 5: a date that can be, and a wrong one
    day = _settled("22-05-2016", "22-05-2015", 0.4)
    assert day.value == date(2016, 5, 22)
    assert day.confidence < 0.6 and "prints" in day.detail  # a person confirms it


def test_a_date_whose_digits_are_the_pages_prints_of_them_stays():
    day = _settled("22-05-2015", "22-05-2015", 0.4)
    assert day.value == date(2015, 5, 22) and day.confidence == 0.4


def test_a_date_read_surely_is_not_read_again_by_the_prints():
    assert _settled("22-05-2016", "22-05-2015", 0.9).value == date(2015, 5, 22)


def test_a_month_name_read_with_a_mark_for_a_letter_beside_a_year_of_look_alikes_is_offered():
    # struck 11-NOV-2015 and 15-AUG-2017: the V came out as a yen sign and the year's 0 and 1 as
    # 8 and i; the A as an ampersand and the year's 0 as 6
    assert _date(*_HEAD, "Inv No : INV15-69494 Date : 11-NO¥-28i5", *_FOOT).value == date(2015, 11, 11)
    assert _date(*_HEAD, "Inv No : INV17-56453 Date : 15-&UG-2617", *_FOOT).value == date(2017, 8, 15)


def _paid(total_read: str, payment: tuple[str, str]):
    doc = _doc([("TYRE CENTRE SDN BHD", "TYRE CENTRE SDN BHD")] + _AMOUNTS
               + [("TOTAL PAYABLE 286.75", f"TOTAL PAYABLE {total_read}"), payment])
    lex = load_lexicons()
    return read_receipt(doc, lex, lex.conventions(doc.text))["amount"]


def test_a_total_whose_digit_came_out_as_another_is_the_card_payment_its_prints_spell():
    # struck 286.75 twice; OCR read the total's 6 as a 5, the card line right
    paid = _paid("285.75", ("VISA 286.75", "VISA 286.75"))
    assert paid.value == Decimal("286.75")
    assert paid.confidence <= 0.5 and "prints" in paid.detail  # a person confirms it


def test_a_total_the_prints_spell_otherwise_stays_when_no_other_line_says_so():
    # paid in cash, no change printed: nothing confirms what the prints read
    assert _paid("285.75", ("CASH 300.00", "CASH 300.00")).value == Decimal("285.75")


def test_a_month_name_whose_a_came_out_as_a_four_is_offered():
    # struck 21-APR-2016 and 07-AUG-2017: the A's apex and bar read as a 4's; in AUG the U as a 0 too
    assert _date(*_HEAD, "Inv No : W16-30581 Date : 21-4PR-2016", *_FOOT).value == date(2016, 4, 21)
    day = _date(*_HEAD, "Inv No : W17-11920 Date : 07-40G-2017", *_FOOT)
    assert day.value == date(2017, 8, 7)
    assert day.confidence < 0.6  # a month guessed from a word one letter off: a person confirms it


def _settled_read_again(monkeypatch, printed: str, read: str, again: list[str]):
    """The date struck as ``printed`` on a docket that charges GST, read as ``read``, its ink read
    again as ``again``."""
    import vision.reread

    monkeypatch.setattr(vision.reread, "readings", lambda image, boxes, **_: [list(again) for _ in boxes])
    doc = _doc([("GST 6%", "GST 6%"), (printed, read), ("RM", "RM")] + _AMOUNTS)
    lex = load_lexicons()
    return settle_date(doc, lex.conventions(doc.text), None, by_prints=True)


def _settled_read_alike(monkeypatch, printed: str, read: str):
    """The date struck as ``printed`` read as ``read`` and so again however often its ink is read
    (a ribbon strikes a 0 that Tesseract reads as a B at every scale)."""
    return _settled_read_again(monkeypatch, printed, read, [read] * 3)


def test_a_letter_ocr_made_of_a_digit_is_the_digit_whose_prints_its_ink_is(monkeypatch):
    # struck 10-05-2016, read 1B-05-2016 however often it is read: a B is an 8 or a slashed 0 to
    # its look-alikes (18 or 10 May), and the ink where it stands is the page's 0s
    day = _settled_read_alike(monkeypatch, "10-05-2016", "1B-05-2016")
    assert day.value == date(2016, 5, 10)
    assert day.confidence < 0.6  # a person confirms it


def test_a_letter_whose_ink_is_the_pages_eights_is_read_as_the_eight(monkeypatch):
    day = _settled_read_alike(monkeypatch, "18-05-2016", "1B-05-2016")
    assert day.value == date(2016, 5, 18) and day.confidence < 0.6


def test_a_year_whose_last_digit_came_out_as_a_question_mark_is_offered():
    # struck 23 MAR 2017: the 7's bar and stem read as a question mark; a 2 would give 2012,
    # before the GST the docket charges
    day = _date(*_HEAD, "Inv No : W17-42213 Date : 23 MAR 201?", *_FOOT)
    assert day.value == date(2017, 3, 23)
    assert day.confidence < 0.6  # a person confirms it



def test_the_letters_of_a_month_before_the_year_are_not_judged_as_a_year():
    # struck 24 APR 2016, its A read as a 4 apart from 'PR': '24 4 PR' looks like a day, a month
    # and a two-figure year, and the R's ink is like the docket's 0s; but 'PR' holds no figure,
    # and the year is the 2016 after it: the prints must not offer 2010
    from vision.dotdates import _liked_most, _tokens

    token = next(t for t in _tokens("Date : 24 4 PR 2016") if t[1] == "24")
    assert token[3] == "PR"
    r_at = token.start(3) + 1
    likeness = {r_at: {"0": 0.9, "6": 0.3, "5": 0.2, "8": 0.2}}
    values = [date(2016, 4, 24), date(2010, 4, 24), date(2015, 4, 24), date(2018, 4, 24)]
    assert _liked_most(token, likeness, values, True) is None


def test_a_digit_ocr_read_right_that_its_readings_again_made_another_is_kept_by_its_prints(monkeypatch):
    # struck 11-05-2016; OCR read the day right and the year's 0 as a 5, then read the same ink
    # again at other scales as 12 twice and once with the first 1 as an i: the readings lean to
    # the 12th, and the ink where OCR first read a 1 is the docket's 1s, not its 2s
    day = _settled_read_again(monkeypatch, "11-05-2016", "11-05-2516", ["12-05-2516", "12-05-2516", "i1-05-2516"])
    assert day.value == date(2016, 5, 11)
    assert day.confidence < 0.6  # a person confirms it


def test_the_prints_do_not_keep_a_digit_as_read_that_its_ink_is_not(monkeypatch):
    # struck 12-05-2016, OCR's first reading made the 2 a 1 and its readings again read it right
    again = ["12-05-2516", "12-05-2516", "i1-05-2516"]
    assert _settled_read_again(monkeypatch, "12-05-2016", "11-05-2516", again).value == date(2016, 5, 12)


#: a narrow slashed zero, as some 9-pin ribbons strike it: OCR reads it as an 8
_SLASHED_ZERO = ["..##.", ".#..#", "#..##", "#.#.#", "##..#", "#..#.", ".##.."]


def test_a_day_whose_zero_has_the_ink_of_the_years_zero_misread_alike_is_that_zero(monkeypatch):
    # struck 10-07-2016 with slashed zeros, read '18-07-2816' at every scale: the year can only be
    # 2016, so its 8 is this ribbon's 0 as OCR misreads it, and the day's 8 has that very ink
    monkeypatch.setitem(_GLYPHS, "0", _SLASHED_ZERO)
    day = _settled_read_alike(monkeypatch, "10-07-2016", "18-07-2816")
    assert day.value == date(2016, 7, 10)
    assert day.confidence < 0.6  # a person confirms it


def test_a_day_whose_eight_is_the_pages_eights_stays_beside_a_year_zero_misread(monkeypatch):
    monkeypatch.setitem(_GLYPHS, "0", _SLASHED_ZERO)
    day = _settled_read_alike(monkeypatch, "18-07-2016", "18-07-2816")
    assert day.value == date(2016, 7, 18) and day.confidence < 0.6


def test_a_one_the_prints_liken_to_a_zero_stays_a_one(monkeypatch):
    # the year's cells misjudged against the page's prints (a 1 beside the cell edge): worn ink
    # loses strokes and gains none, so no 0 is read where OCR saw a 1
    import vision.worn

    def misjudged(image, words, word):
        return (word.text.replace("1", "0", 1), word.text.index("1")) if "1" in word.text else None

    monkeypatch.setattr(vision.worn, "read_by_prints", misjudged)
    day = _settled("22-05-2016", "22-05-2016", 0.4)
    assert day.value == date(2016, 5, 22)


def test_a_date_ocr_read_as_letters_past_a_token_of_it_is_read_again_after_its_label(monkeypatch):
    # struck 21/12/2017 on a docket charging GST; OCR read the month's 12 as letters no month
    # is spelled with ('2l/ liz 2Ol7': three digits, no date), and read again the ink says
    # 21/12/2017 but for a slashed zero read as a 6 or an 8
    again = ["Tarikh : 2l/12/2617", "Tarikh : 21/ l2/ 2817", "Tarikh : Z1/ IZs 2?17"]
    day = _settled_read_again(monkeypatch, "Tarikh : 21/ 12/ 2017", "Tarikh : 2l/ liz 2Ol7", again)
    assert day is not None and day.value == date(2017, 12, 21), day
    assert day.confidence < 0.6  # read again, still a guess about the print: a person confirms it


def test_a_date_after_a_date_and_time_label_whose_slash_came_out_as_a_letter_is_read_again(monkeypatch):
    # struck 09/03/2016 after 'Tarikh/Masa'; OCR read the label's slash as an s (one word no
    # label is spelled as) and the date as pieces no date is made of: only its label says where
    # it is, and read again the ink says 09/03/2016 but for a slashed zero read as an 8 or a 6
    again = ["TarikhsMasa : 89/03/2016", "Tarikh/Masa : 09/ 03/2816", "Tarikh/Masa : 69/63/2016"]
    day = _settled_read_again(monkeypatch, "Tarikh/Masa : 09/03/2016", "TarikhsMasa : B9s 932 2Gl6", again)
    assert day is not None and day.value == date(2016, 3, 9), day
    assert day.confidence < 0.6  # read again, still a guess about the print: a person confirms it
