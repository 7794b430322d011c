"""A worn date digit OCR reads as one digit and the receipt's prints as another, each reading
seeing one stroke the other does not (a 6's lower left, a 9's upper right): the strokes both
see draw the digit offered to a person (a 5), never booked."""

from datetime import date

import numpy as np
import pytest

import vision.worn
from vision import CheckPolicy
from vision.document import Document, Page, Word
from vision.lexicon import load_lexicons
from vision.receipts import read_receipt
from vision.worn import strokes_both_saw


def _stamp_read(monkeypatch, read: str, by_prints: str | None):
    """A till strip whose one date stamp OCR read unsurely as ``read``, and the receipt's prints
    read as ``by_prints`` (None: the prints confirm it)."""
    rows = [("Gesamt", "31,70"), ("EC-Karte", "31,70"), (read, "09:17"), ("Beleg", "4402")]
    words = []
    for r, texts in enumerate(rows):
        for k, text in enumerate(texts):
            words.append(Word(text, 20 + 300 * k, 40 + 50 * r, 20 + 300 * k + 26 * len(text), 72 + 50 * r,
                              0.4 if text == read else 0.95))
    image = np.full((280, 700), 255, np.uint8)
    at = next(k for k, (a, b) in enumerate(zip(read, by_prints or read)) if a != b) if by_prints else 0
    monkeypatch.setattr(vision.worn, "read_by_prints", lambda *_: (by_prints, at) if by_prints else None)
    doc = Document("strip.jpg", [Page(1, 700.0, 280.0, words, "ocr", image=image)], "image")
    lex = load_lexicons()
    return read_receipt(doc, lex, lex.conventions(doc.text))["date"]


@pytest.mark.parametrize("read, by_prints, offered", [
    ("16.08.21", "19.08.21", date(2021, 8, 15)),   # OCR saw a 6, the prints a 9: both see a 5's strokes
    ("14.09.19", "14.06.19", date(2019, 5, 14)),   # and the other way round, in the month
])
def test_a_digit_ocr_and_the_prints_read_each_with_a_stroke_more_is_offered_as_the_strokes_both_see(
        monkeypatch, read, by_prints, offered):
    day = _stamp_read(monkeypatch, read, by_prints)
    assert day.value == offered
    assert day.confidence <= 0.5 < CheckPolicy().threshold  # a person confirms it
    assert "strokes both" in day.detail


def test_a_digit_the_prints_read_with_every_stroke_ocr_saw_and_more_is_offered_as_the_prints_read_it(monkeypatch):
    # a 6 OCR read whose ink is like the receipt's 8s: the fuller digit, as the prints read it
    day = _stamp_read(monkeypatch, "16.08.21", "18.08.21")
    assert day.value == date(2021, 8, 18) and "strokes both" not in day.detail


def test_strokes_both_saw_names_only_the_digit_drawn_with_the_shared_strokes():
    assert strokes_both_saw("9", "6") == strokes_both_saw("6", "9") == "5"
    assert strokes_both_saw("3", "8") is None   # one holds the other: no stroke in dispute both ways
    assert strokes_both_saw("2", "5") is None   # their shared strokes draw no digit
