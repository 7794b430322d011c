"""Field boxes for the review page: the words a value was read from, found on its page."""

from __future__ import annotations

from types import SimpleNamespace

from vision.document import Word
from vision.highlight import field_boxes


def line(y: float, *texts: str, page: int = 1) -> list[Word]:
    words, x = [], 10.0
    for text in texts:
        words.append(Word(text, x, y, x + 8 * len(text), y + 10, page=page))
        x += 8 * len(text) + 6
    return words


def test_a_name_over_several_words_gets_one_box_around_them_all():
    words = line(20, "Seller:", "Blue", "Harbor", "Logistics") + line(60, "Total", "EUR1.234,50")
    boxes = field_boxes({"issuer": SimpleNamespace(text="Blue Harbor Logistics", page=1, where=None),
                         "amount": SimpleNamespace(text="1.234,50", page=1, where=None)}, words)
    blue, logistics = words[1], words[3]
    assert boxes["issuer"] == [{"page": 1, "box": [blue.x0, 20.0, logistics.x1, 30.0]}]
    assert boxes["amount"][0]["box"][1] == 60.0  # inside the word that also holds the currency mark


def test_the_occurrence_where_the_reader_took_the_value_wins_and_other_pages_are_not_searched():
    words = line(100, "Subtotal", "50.00") + line(400, "Total", "50.00") + line(100, "50.00", page=2)
    boxes = field_boxes({"amount": SimpleNamespace(text="50.00", page=1, where=(1, 398.0)),
                         "vat": SimpleNamespace(text="7.00", page=1, where=None),
                         "currency": SimpleNamespace(text="", page=None, where=None)}, words)
    assert boxes == {"amount": [{"page": 1, "box": [words[3].x0, 400.0, words[3].x1, 410.0]}]}
