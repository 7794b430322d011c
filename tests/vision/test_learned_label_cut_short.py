"""A label the teaching scan cut short ('Datu' of 'Datum') still names its own field: a later
scan whose due date heading is garbled past reading must not take the invoice date, standing
under 'Datum', for the due date."""

from datetime import date

from vision.document import Document, Page, Word
from vision.fields import Options
from vision.learned import Anchor, Spot, read_spot

#: the due date's heading as the template learned it, and its value's place below it
DUE_SPOT = Spot(1, (0.55, 0.12, 0.65, 0.13), Anchor("Zahlbar bis", 0.0, -1.0, 1.9), example="14.04.2027")


def _header_cells(due_heading: list[str]) -> Document:
    """A scanned page with two ruled cells: 'Datum' over the invoice date, and the due date's
    heading (``due_heading``: the words OCR read there) over the due date."""
    words = [Word("Datum", 1000, 380, 1110, 407, 0.95), Word("15.03.2027", 1000, 440, 1230, 474, 0.95),
             Word("14.04.2027", 1400, 440, 1630, 474, 0.95)]
    x = 1400
    for text in due_heading:
        words.append(Word(text, x, 380, x + 20 * len(text), 407, 0.6))
        x += 20 * len(text) + 14
    return Document("rechnung.png", [Page(1, 2480, 3508, words, "ocr", dpi=300)], "image")


def test_a_date_under_another_fields_label_learned_cut_short_is_not_the_due_date():
    # the invoice date's label was learned as 'Datu': 'Datum' over the invoice date spells it
    found = read_spot(_header_cells(["—"]), "due_date", DUE_SPOT, Options(day_first=True), None, ["datu"])
    assert found is None


def test_a_due_date_under_its_own_garbled_heading_is_still_read():
    found = read_spot(_header_cells(["Zahlhar", "bls"]), "due_date", DUE_SPOT, Options(day_first=True), None,
                      ["datu"])
    assert found is not None and found.value == date(2027, 4, 14)
