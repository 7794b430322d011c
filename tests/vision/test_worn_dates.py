"""A till's date stamp with a worn digit: OCR reads what is left of it as the digit it looks most
like, often confidently. The glyph matches no other print of that digit on the receipt, so the
date is booked only when a clean print of it (a card slip, the fiscal unit's stamp) settles the
digit; otherwise a person looks at the paper. A wrong date booked is worse than a date asked for."""

from datetime import date

import numpy as np

from tests.vision.conftest import needs_tesseract
from tests.vision.receipt_corpus import make_worn_german_receipt, same_date, worn_flatbed
from vision import CheckPolicy, read_invoice
from vision.document import Document, Page, Word
from vision.lexicon import load_lexicons
from vision.receipts import read_receipt
from vision.worn import mark_worn_digits

PITCH = 26


def _printed(rows: list[tuple[str, str]], wear: tuple[int, int] | None = None) -> tuple[np.ndarray, list[Word]]:
    """A page of fixed-pitch print: each row (what is printed, what OCR read), one word a row;
    ``wear``: (row, character) whose top right quarter of ink is gone (an 8 left as a 6)."""
    import cv2

    image = np.full((60 * len(rows) + 40, 700), 255, np.uint8)
    words = []
    for r, (printed, read) in enumerate(rows):
        x0, base = 20, 60 * r + 60
        for k, ch in enumerate(printed):
            cv2.putText(image, ch, (x0 + k * PITCH, base), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 0, 3, cv2.LINE_AA)
        if wear is not None and wear[0] == r:
            x = x0 + wear[1] * PITCH
            image[base - 40:base - 14, x + PITCH // 2 - 2:x + PITCH] = 255
        words.append(Word(read, x0 - 2, base - 34, x0 + len(printed) * PITCH, base + 4, 0.9))
    return image, words


AMOUNTS = [("18,36", "18,36"), ("62,80", "62,80"), ("30,86", "30,86"), ("11,63", "11,63")]


def test_a_date_digit_unlike_every_other_print_of_it_on_the_page_is_marked_worn():
    image, words = _printed(AMOUNTS + [("18.03.26", "16.03.26")], wear=(4, 1))
    assert [w.worn for w in mark_worn_digits(image, words)] == [(), (), (), (), (1,)]
    # the same stamp printed whole: nothing is worn
    image, words = _printed(AMOUNTS + [("16.03.26", "16.03.26")])
    assert all(w.worn == () for w in mark_worn_digits(image, words))


def test_a_date_digit_worn_into_separate_strokes_is_marked_worn():
    # the stamp's 8 lost its top right and a strip down its middle: its ink falls apart into
    # strokes side by side, more pieces than the date has characters. The till's fixed pitch
    # still says which strokes are that digit's, and they are no print of the 6 OCR read
    image, words = _printed(AMOUNTS + [("18.03.26", "16.03.26")], wear=(4, 1))
    x = 20 + PITCH
    image[250:, x + PITCH // 2 - 5:x + PITCH // 2 + 1] = 255
    assert [w.worn for w in mark_worn_digits(image, words)] == [(), (), (), (), (1,)]
    # a date whose every digit is whole, printed on the same page, is not marked
    image, words = _printed(AMOUNTS + [("16.03.26", "16.03.26")])
    assert all(w.worn == () for w in mark_worn_digits(image, words))


def test_the_readings_of_a_worn_stroke_settle_its_digit_even_where_one_still_sees_paper():
    # read at three levels under the paper: two see the ghost of the worn 8, the shallowest
    # still reads what OCR read first. The two settle it; a level reading yet another date,
    # or as many reading the first date, leave it to a person as read
    from vision.receipts import _faint_settles

    lex = load_lexicons()
    conv = lex.conventions("SUMME EUR 12,50 Bar")
    first = date(2026, 5, 25)
    assert _faint_settles(["25.08.26", "25.05.26", "25.08.26"], conv, lambda v: True, read_as=first) \
        == date(2026, 8, 25)
    assert _faint_settles(["25.08.26", "25.05.26", "25.05.26"], conv, lambda v: True, read_as=first) is None
    assert _faint_settles(["25.08.26", "25.06.26", "25.08.26"], conv, lambda v: True, read_as=first) is None


def _till(rows: list[str], worn: dict[int, tuple[int, ...]]) -> dict:
    """A till strip as OCR returns it, the words of row n starting with a date marked worn at ``worn[n]``."""
    words = []
    for n, row in enumerate(rows):
        x = 0
        for i, token in enumerate(t for t in row.split(" ")):
            if token:
                words.append(Word(token, x * 12.0, n * 30.0, (x + len(token)) * 12.0, n * 30.0 + 20, 0.95,
                                  worn=worn.get(n, ()) if x == 0 else ()))
            x += len(token) + 1
    doc = Document("strip.jpg", [Page(1, 40 * 12.0, len(rows) * 30.0, words, "ocr")], "image")
    lex = load_lexicons()
    return read_receipt(doc, lex, lex.conventions(doc.text))


CASH = ["SUMME EUR   25,56", "Geg. Bar EUR   50,00", "Rückgeld EUR   24,44"]


def test_a_worn_stamp_that_is_the_only_date_goes_to_a_person_however_confident_its_reading():
    found = _till(CASH + ["16.03.26 18:43  Bon 8580  Kasse 7"], {3: (1,)})
    assert found["date"].value == date(2026, 3, 16)  # what was read, for the person to correct
    assert found["date"].confidence <= 0.5 < CheckPolicy().threshold
    assert "worn" in found["date"].detail
    # the same stamp, whole, is the purchase date
    assert _till(CASH + ["16.03.26 18:43  Bon 8580  Kasse 7"], {})["date"].confidence > 0.8


def test_a_clean_print_of_the_date_settles_the_worn_digit_of_the_stamp():
    card = ["SUMME EUR   25,56", "Geg. EC-Karte EUR   25,56"]
    found = _till(card + ["16.03.26 18:43  Bon 8580", "Kundenbeleg", "Datum: 18.03.26  Uhrzeit: 18:43"], {2: (1,)})
    assert found["date"].value == date(2026, 3, 18) and found["date"].confidence > 0.8
    # a return-by date differs in digits that are not worn: it settles nothing
    found = _till(card + ["16.03.26 18:43  Bon 8580", "Umtausch bis 16.04.26"], {2: (1,)})
    assert found["date"].value == date(2026, 3, 16) and found["date"].confidence <= 0.5
    # nor does a date printed with neither a time nor a date label (a period, a best-before)
    found = _till(card + ["16.03.26 18:43  Bon 8580", "Aktion bis 18.03.26"], {2: (1,)})
    assert found["date"].value == date(2026, 3, 16) and found["date"].confidence <= 0.5


@needs_tesseract
def test_worn_stamps_on_cash_tills_are_never_booked_with_a_wrong_date(tmp_path):
    # paid in cash: the worn stamp is the only date. On these three, Tesseract read the worn digit
    # as another (an 8 as a 6, a 9 as a 3) at 0.85-0.89 and the receipt was booked with that date
    day = date(2026, 12, 3)  # the stamps are drawn back from this day: the same in every run
    for seed in (9866, 9867, 9881):
        receipt = make_worn_german_receipt(seed, today=day, printed_once=True)
        result = read_invoice(worn_flatbed(receipt, tmp_path / f"worn-{seed}.jpg"), templates=[],
                              policy=CheckPolicy(today=day))
        right = same_date(result.value("date"), receipt.truth["date"])
        assert right or result.status != "ready", (seed, result.value("date"), receipt.truth["date"])
        assert right or "worn" in result.fields["date"].detail, (seed, result.fields.get("date"))


def _strip(rows: list[tuple[str, ...]], faded: tuple[int, int] | None = None, sure: float = 0.44) -> dict:
    """A till strip in one fixed-pitch face: each row a label (not drawn), what is printed and
    what OCR read of it, and what the row prints after it, read as printed (a time); ``faded``:
    (row, character) printed at a quarter of its ink, the row's number read at ``sure``."""
    import cv2

    image = np.full((60 * len(rows) + 40, 700), 255, np.uint8)
    words = []
    for r, (label, printed, read, *after) in enumerate(rows):
        x0, base = 220, 60 * r + 60
        for k, ch in enumerate(printed + "  " + "".join(after)):
            ink = np.full_like(image, 255)
            cv2.putText(ink, ch, (x0 + k * PITCH, base), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 0, 3, cv2.LINE_AA)
            if faded == (r, k):
                ink = 255 - (255 - ink.astype(np.int32)) // 4
            image = np.minimum(image, ink.astype(np.uint8))
        if label:
            words.append(Word(label, 20, base - 34, 200, base + 4, 0.95))
        words.append(Word(read, x0 - 2, base - 34, x0 + len(printed) * PITCH, base + 4,
                          sure if faded and faded[0] == r else 0.95))
        for text in after:
            start = x0 + (len(printed) + 2) * PITCH
            words.append(Word(text, start - 2, base - 34, start + len(text) * PITCH, base + 4, 0.95))
    doc = Document("strip.jpg", [Page(1, 700.0, float(image.shape[0]), words, "ocr", image=image)], "image")
    lex = load_lexicons()
    return read_receipt(doc, lex, lex.conventions(doc.text))


def test_a_date_read_unsurely_is_offered_as_the_receipts_own_prints_of_its_digits_read_it():
    # real's Paderborn till (2020): the stamp's faded 5 reads as 6, in every reading again, and
    # nothing else prints the date; the receipt's other 5s are what that ink is like
    rows = [("SUMME", "25,56", "25,56"), ("Bar", "50,00", "50,00"), ("Rueckgeld", "24,44", "24,44"),
            ("Bon", "8617", "8617"), ("Kasse", "93", "93"), ("", "25.02.20", "26.02.20"), ("", "14:52", "14:52")]
    found = _strip(rows, faded=(5, 1))
    assert found["date"].value == date(2020, 2, 25)
    assert found["date"].confidence <= 0.5 < CheckPolicy().threshold  # offered to a person, not booked
    assert "prints" in found["date"].detail
    # the same stamp read surely stays as read: a worn digit may look like another's prints
    assert _strip(rows, faded=(5, 1), sure=0.9)["date"].value == date(2020, 2, 26)


def test_a_zero_of_an_unsure_date_stays_a_zero_whatever_digit_the_prints_liken_it_to(monkeypatch):
    # a ribbon's slashed zeros OCR read surely as 8 are among the receipt's prints of 8, so the
    # date's own zero is like those prints too: the prints liken it to an 8 and say nothing
    import vision.worn

    def zero_likened(read_as: str):
        def read_by_prints(image, words, word):
            at = word.text.find("0") if word.text.count(".") == 2 else -1
            return (word.text[:at] + read_as + word.text[at + 1:], at) if at >= 0 else None
        return read_by_prints

    rows = [("TOTAL", "47,15", "47,15"), ("CASH", "50,00", "50,00"), ("CHANGE", "2,85", "2,85"),
            ("", "10.07.24", "10.07.24", "09:41")]
    monkeypatch.setattr(vision.worn, "read_by_prints", zero_likened("8"))
    assert _strip(rows, faded=(3, 0))["date"].value == date(2024, 7, 10)
    monkeypatch.setattr(vision.worn, "read_by_prints", zero_likened("6"))
    assert _strip(rows, faded=(3, 0))["date"].value == date(2024, 7, 10)


def test_a_stamp_whose_faded_digit_ocr_read_as_a_mark_is_offered_as_its_ink_reads_again():
    # paid in cash: the stamp's faded 7 came out of OCR as a slash ('1/.09.26'), no date at all;
    # read again at its own contrast, the ink says 17.09.26 twice: a person confirms it
    rows = [("SUMME", "25,56", "25,56"), ("Bar", "50,00", "50,00"), ("", "17.09.26", "1/.09.26", "07:38")]
    found = _strip(rows, faded=(2, 1), sure=0.9)
    assert found["date"].value == date(2026, 9, 17)
    assert found["date"].confidence <= 0.5 < CheckPolicy().threshold  # offered to a person, not booked
    assert found["invoice_number"].value == "2026-09-17 07:38"


def _cash_strip(day: str, read: str, at: int, kept: float, marked: bool) -> dict:
    """A cash till's strip in one fixed-pitch face, its date stamp ``day`` printed before the
    time 18:43: character ``at`` of the date lost its left half but for ``kept`` of its ink (a
    trace a few grey levels under the paper; 0: wiped clean). OCR read the date as ``read``
    (surely), the digit marked worn when ``marked``."""
    import cv2

    image = np.full((280, 800), 255, np.uint8)
    words = []
    for r, (label, printed, as_read) in enumerate([("SUMME", "25,56", "25,56"), ("Bar", "50,00", "50,00"),
                                                   ("Rueckgeld", "24,44", "24,44"), ("", f"{day}  18:43", f"{read}  18:43")]):
        x0, base = 220, 60 * r + 60
        if label:
            words.append(Word(label, 20, base - 34, 200, base + 4, 0.95))
        for k, ch in enumerate(printed):
            ink = np.full_like(image, 255)
            cv2.putText(ink, ch, (x0 + k * PITCH, base), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 0, 3, cv2.LINE_AA)
            if r == 3 and k == at:
                x = x0 + k * PITCH
                half = ink[:, x - 4:x + PITCH // 2 - 1].astype(np.float32)
                ink[:, x - 4:x + PITCH // 2 - 1] = (255 - (255 - half) * kept).astype(np.uint8)
            image = np.minimum(image, ink)
        x = x0
        for token in as_read.split():
            worn = (at,) if marked and r == 3 and x == x0 else ()
            words.append(Word(token, x - 2, base - 34, x + len(token) * PITCH, base + 4, 0.9, worn=worn))
            x += (len(token) + 2) * PITCH
    doc = Document("strip.jpg", [Page(1, 800.0, float(image.shape[0]), words, "ocr", image=image)], "image")
    lex = load_lexicons()
    return read_receipt(doc, lex, lex.conventions(doc.text))


@needs_tesseract
def test_a_worn_stroke_left_as_a_trace_under_the_paper_is_read_with_its_digit():
    # the left half of the stamp's 8 rubbed down to a tenth of its ink: OCR surely read a 3,
    # and nothing else on the cash receipt prints the date; the trace, read at the paper's own
    # level, makes the digit an 8 again. Offered to a person, never booked
    found = _cash_strip("22.08.26", "22.03.26", 4, 0.1, marked=True)
    assert found["date"].value == date(2026, 8, 22)
    assert found["date"].confidence <= 0.5 < CheckPolicy().threshold
    # the stamp's 9 so worn that OCR made a bracket of it: no date was read at all
    found = _cash_strip("19.10.26", "1).10.26", 1, 0.1, marked=False)
    assert found["date"].value == date(2026, 10, 19)
    assert found["date"].confidence <= 0.5 < CheckPolicy().threshold
    assert found["invoice_number"].value == "2026-10-19 18:43"
    # the half wiped clean: no trace to read, the date stays as OCR read it, for a person
    found = _cash_strip("22.08.26", "22.03.26", 4, 0.0, marked=True)
    assert found["date"].value == date(2026, 3, 22) and found["date"].confidence <= 0.5


@needs_tesseract
def test_a_stamp_no_calendar_allows_is_read_by_the_trace_of_its_worn_digit_not_guessed():
    # the 0 of 08.05.26 lost its left half: OCR made a 3 of it, and 38 is no day. The calendar
    # alone would have guessed 30 (a 3 and an 8 alike); the worn digit's trace, read at the
    # paper's own level, says 08. Offered to a person, never booked
    found = _cash_strip("08.05.26", "38.05.26", 0, 0.1, marked=True)
    assert found["date"].value == date(2026, 5, 8)
    assert found["date"].confidence <= 0.5 < CheckPolicy().threshold


def test_what_is_left_of_a_worn_digit_and_its_ghost_is_read_against_the_receipts_own_prints():
    from vision.worn import worn_digit_by_prints

    numbers = [("23,32", "23,32"), ("32,23", "32,23"), ("12,83", "12,83"), ("20,31", "20,31"), ("56,09", "56,09"),
               ("96,05", "96,05")]

    def stamp(printed: str, wear: int | None, candidates: set[str]) -> str | None:
        # the lower half of the month's second digit rubbed: its ink a ghost ``wear`` grey
        # levels under the paper (0: wiped clean); OCR read no digit there at all
        image, words = _printed(numbers + [(printed, "12.0: .26")])
        base, x = 60 * len(numbers) + 60, 20 + 4 * PITCH
        if wear is not None:
            cell = image[base - 17:base + 4, x:x + PITCH]
            cell[cell < 250] = 255 - wear
        box = words.pop()
        return worn_digit_by_prints(image, words, Word(printed, box.x0, box.y0, box.x1, box.y1, 0.5), 4, candidates)

    # the readings split between 12.02 and 12.03: the ghost of the lower half is the 3's bowl, or the 2's foot
    assert stamp("12.03.26", 11, {"2", "3"}) == "3"
    assert stamp("12.02.26", 11, {"2", "3"}) == "2"
    assert stamp("12.03.26", None, {"2", "3"}) == "3"
    # wiped clean, the top of a 3 is as much a 2's: nobody is told it is a 3
    assert stamp("12.03.26", 0, {"2", "3"}) is None
    # a digit the receipt prints nowhere else cannot be told from the others
    assert stamp("12.03.26", 11, {"3", "7"}) is None
    # the ghost is an 8 that no reading gave (they read a 3 and a 9, a 0 and a 6): the prints
    # do not choose between two digits it is not
    assert stamp("12.08.26", 11, {"3", "9"}) is None
    assert stamp("12.08.26", 11, {"0", "6"}) is None


@needs_tesseract
def test_a_worn_stamp_whose_readings_disagree_is_offered_as_the_date_its_ink_prints(tmp_path):
    # paid in cash, the worn stamp the only date. Read again at the paper's own level, one
    # reading saw 12.03.2026 and another 12.02.2026, or a worn 8 came out as & and as €: the
    # person was offered no date at all. Or OCR first saw 29.08.26 and every reading since
    # 29.03.26 (17.05 and once 17.06): the person was offered the date with a stroke fewer
    day = date(2026, 12, 6)  # the stamps are drawn back from this day: the same in every run
    for seed, want in ((480351, date(2026, 3, 12)), (480353, date(2026, 8, 22)), (480357, date(2026, 8, 29)),
                       (480359, date(2026, 6, 17))):
        receipt = make_worn_german_receipt(seed, today=day, printed_once=True)
        assert receipt.truth["date"] == want
        result = read_invoice(worn_flatbed(receipt, tmp_path / f"worn-{seed}.jpg"), templates=[],
                              policy=CheckPolicy(today=day))
        assert result.value("date") == want, (seed, result.fields.get("date"))
        assert result.status != "ready"  # offered to a person, not booked
