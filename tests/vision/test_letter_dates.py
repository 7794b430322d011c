"""The date of an invoice written as a letter ('Genève, le 1er décembre 2026'), with no date label.

What a user sees: a Swiss or French invoice dated in its opening line is booked with that date,
also when the scan read '1er' as 'ler'; when the scan garbled that date's day beyond reading,
the order date printed further down is not booked in its place: a person reads the date.

The pages are built word by word, in a scan's pixels, as Tesseract returns them.
"""

from __future__ import annotations

from datetime import date

import pytest

from vision.document import Document, Page, Word
from vision.fields import extract


def _letter(day_as_scanned: str) -> Document:
    words = [
        ("Favre", 200, 150, 330, 190), ("Nettoyages", 345, 150, 600, 190), ("Sàrl", 615, 150, 710, 190),
        ("Seestrasse", 200, 205, 420, 240), ("66,", 435, 205, 490, 240), ("1201", 505, 205, 600, 240),
        ("Genève", 615, 205, 760, 240),
        ("Hotel", 1500, 420, 1620, 455), ("Bellevue", 1635, 420, 1820, 455), ("SA", 1835, 420, 1890, 455),
        ("Hauptgasse", 1500, 470, 1740, 505), ("16", 1755, 470, 1800, 505),
        ("6003", 1500, 520, 1600, 555), ("Luzern", 1615, 520, 1760, 555),
        ("Genève,", 200, 700, 370, 735), ("le", 385, 700, 425, 735), (day_as_scanned, 440, 700, 500, 735),
        ("décembre", 515, 700, 720, 735), ("2026", 735, 700, 840, 735),
        ("Facture", 200, 800, 370, 845), ("RE-00548", 390, 800, 600, 845),
        ("Votre", 200, 880, 300, 915), ("commande", 315, 880, 520, 915), ("du:", 535, 880, 600, 915),
        ("14.11.2026", 615, 880, 840, 915),
        ("Désignation", 200, 1000, 450, 1035), ("Montant", 1900, 1000, 2080, 1035), ("CHF", 2095, 1000, 2180, 1035),
        ("Nettoyage", 200, 1060, 420, 1095), ("bureaux", 435, 1060, 600, 1095), ("1'000.00", 1990, 1060, 2180, 1095),
        ("Total", 1500, 1200, 1620, 1235), ("HT", 1635, 1200, 1690, 1235), ("1'000.00", 1990, 1200, 2180, 1235),
        ("TVA", 1500, 1250, 1590, 1285), ("8.1%", 1605, 1250, 1700, 1285), ("81.00", 2060, 1250, 2180, 1285),
        ("Total", 1500, 1300, 1620, 1335), ("TTC", 1635, 1300, 1720, 1335), ("CHF", 1735, 1300, 1820, 1335),
        ("1'081.00", 1990, 1300, 2180, 1335),
    ]
    page = Page(1, 2480, 3508, [Word(t, x0, y0, x1, y1, 0.93) for t, x0, y0, x1, y1 in words], "ocr")
    return Document("lettre.png", [page], "image")


@pytest.mark.parametrize("first_of_the_month", ["1er", "ler", "Ier"])
def test_a_letter_dated_the_first_of_the_month_is_booked_on_that_day(first_of_the_month):
    fields = extract(_letter(first_of_the_month)).fields
    assert fields["date"].value == date(2026, 12, 1)


def test_when_the_letters_date_cannot_be_read_the_order_date_is_not_booked_in_its_place():
    # '11' read as 'll': the only date left readable is the order's, 14.11.2026
    fields = extract(_letter("ll")).fields
    day = fields.get("date")
    assert day is None or day.value != date(2026, 11, 14) or day.confidence < 0.6
