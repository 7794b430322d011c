"""Dates on scans: which date is the invoice's, and a due date whose label the scan disturbed.

What a user sees: a scanned invoice is booked with the date it was issued, not the order or
due date printed under an equally plain label further down; a due date is read although the
scan put its value on a line of its own or glued a stray mark to its label.

The pages are built word by word, in a scan's pixels, as Tesseract returned them on the
scans these cases came from.
"""

from __future__ import annotations

from datetime import date

import pytest

from vision.document import Document, Page, Word
from vision.fields import extract


def _scan(words: list[tuple[str, float, float, float, float]], conf: float = 0.95) -> Document:
    """A one-page OCR'd document from (text, x0, y0, x1, y1) in pixels."""
    page = Page(1, 2480, 3508, [Word(t, x0, y0, x1, y1, conf) for t, x0, y0, x1, y1 in words], "ocr")
    return Document("scan.png", [page], "image")


def _french_header(due_label: list[tuple[str, float, float, float, float]],
                   due_value: list[tuple[str, float, float, float, float]]) -> Document:
    return _scan([
        ("Boulangerie", 220, 205, 760, 275), ("Marchand", 790, 205, 1100, 275), ("SAS", 1130, 205, 1319, 275),
        ("FACTURE", 1724, 207, 2050, 256), ("N°", 2080, 207, 2160, 256), ("202605835", 2190, 207, 2640, 256),
        ("Date", 1878, 304, 1960, 335), ("de", 1980, 304, 2020, 335), ("facturation", 2040, 304, 2260, 335),
        (":", 2275, 304, 2285, 335), ("01/11/2026", 2421, 307, 2642, 339),
        ("31000", 219, 350, 339, 406), ("Toulouse", 353, 348, 529, 379), ("Date", 1878, 364, 1967, 393),
        ("de", 1984, 362, 2027, 393), ("livraison", 2043, 362, 2212, 393), (":", 2229, 376, 2234, 393),
        ("31/10/2026", 2421, 364, 2642, 397),
        # the phone number's last digits ran into the line below: its word stands taller
        ("Tel.", 217, 401, 284, 432), (":", 304, 415, 309, 432), ("03", 328, 404, 373, 432),
        ("64", 390, 404, 436, 432), ("62", 452, 404, 497, 432), ("29", 514, 404, 560, 432),
        ("19", 579, 404, 623, 459),
        ("contact@boulangerie.fr", 219, 450, 688, 498), ("Réf.", 1878, 475, 1950, 508),
        ("client", 1968, 477, 2077, 508), (":", 2095, 491, 2100, 508), ("CL6474", 2490, 480, 2643, 508),
    ] + due_label + due_value)


def test_a_due_date_the_scan_put_on_the_line_under_its_label_is_still_read_beside_it():
    # 'Echéance' joins the phone number's tall line; its colon and date start a line of their own
    doc = _french_header([("Echéance", 1878, 413, 2066, 450)],
                         [(":", 2086, 434, 2091, 450), ("08/11/2026", 2421, 422, 2642, 455)])
    lines = doc.pages[0].lines
    assert not any("Echéance" in line.text and "08/11/2026" in line.text for line in lines)  # as the scan grouped it
    fields = extract(doc).fields
    assert fields["due_date"].value == date(2026, 11, 8)
    assert fields["date"].value == date(2026, 11, 1)


def test_a_value_on_the_next_line_below_a_label_is_not_taken_for_it_when_printed_lower():
    # the next line's date stands a line lower than the label: it is not beside it
    doc = _french_header([("Echéance", 1878, 413, 2066, 450)], [("08/11/2026", 2421, 480, 2642, 515)])
    assert "due_date" not in extract(doc).fields


def test_a_stray_mark_read_as_a_capital_glued_to_a_date_label_still_labels_the_date():
    doc = _french_header([("FEchéance", 1878, 413, 2080, 450)], [("13/11/2026", 2421, 415, 2642, 450)])
    assert extract(doc).fields["due_date"].value == date(2026, 11, 13)


def test_between_two_equally_plain_date_labels_the_first_printed_is_the_invoice_date():
    # a Tally invoice: 'Invoice No. | Dated' over its values, then 'Buyer's Order No. | Dated';
    # the order's date came out of the scan cleaner than the invoice's
    doc = _scan([
        ("Tax", 1097, 151, 1190, 190), ("Invoice", 1210, 151, 1375, 190),
        ("Sri", 153, 234, 220, 297), ("Balaji", 240, 234, 380, 297), ("Enterprises", 400, 234, 585, 297),
        ("Invoice", 1270, 226, 1360, 248), ("No.", 1370, 226, 1409, 248), ("Dated", 1822, 226, 1893, 248),
        ("5767", 1269, 265, 1351, 292), ("19-Oct-26", 1821, 265, 1989, 292),
        ("Buyer's", 1270, 426, 1370, 454), ("Order", 1380, 426, 1440, 454), ("No.", 1450, 426, 1496, 454),
        ("Dated", 1822, 426, 1893, 448),
        ("PO-7053", 1270, 465, 1401, 492), ("17-Oct-26", 1820, 465, 1973, 492),
    ], conf=0.99)
    first = next(w for w in doc.pages[0].words if w.text == "19-Oct-26")
    doc.pages[0].words[doc.pages[0].words.index(first)] = Word(first.text, first.x0, first.y0, first.x1, first.y1, 0.8)
    assert extract(doc).fields["date"].value == date(2026, 10, 19)


def _number_line(*words: tuple[str, float, float]) -> Document:
    return _scan([("Faktura", 289, 250, 531, 295), ("VAT", 556, 252, 676, 294), ("nr", 701, 261, 766, 294)]
                 + [(text, x0, 251, x1, 300) for text, x0, x1 in words]
                 + [("Data", 288, 337, 375, 365), ("wystawienia:", 392, 335, 640, 373), ("2026-10-13", 659, 336, 880, 365)])


def test_a_scanned_number_whose_next_word_reads_as_more_of_it_is_doubted():
    # 'FV/86672/2026' read as two words: 'FV/8667' and '2/2026'
    number = extract(_number_line(("FV/8667", 796, 1038), ("2/2026", 1058, 1273))).fields["invoice_number"]
    assert number.value == "FV/8667"
    assert number.confidence < 0.6 and "'2/2026'" in number.detail


def test_a_scanned_number_followed_by_a_date_or_an_amount_is_not_doubted():
    for after in ("13.10.2026", "1250.00"):
        number = extract(_number_line(("FV/86672/2026", 796, 1273), (after, 1300, 1500))).fields["invoice_number"]
        assert number.value == "FV/86672/2026" and number.confidence > 0.8


@pytest.mark.parametrize("label, order_line", [
    ("Liefer-/Rechnungsdatum:", "Ihre Bestellung vom 2. März 2026"),
    ("Lieferdatum/Rechnungsdatum.", "Ihre Bestellung vom 2. März 2026"),  # its colon read as a dot
    ("Delivery/Invoice date:", "Your order of 2 March 2026"),
])
def test_two_labels_joined_by_a_slash_label_the_invoice_date_not_the_order_date_printed_first(label, order_line):
    words, y = [], 60
    for line in ("Nordlicht Versand GmbH", "Rechnung / Invoice 2026-0418", order_line, f"{label} 6. März 2026"
                 if "datum" in label else f"{label} 6 March 2026", "Gesamtsumme EUR 84,20"):
        x = 80
        for token in line.split(" "):
            words.append(Word(token, x, y, x + 16 * len(token), y + 30, 0.93, 1))
            x += 16 * len(token) + 14
        y += 60
    fields = extract(Document("scan.png", [Page(1, 2480, 3508, words, "ocr")], "image")).fields
    assert fields["date"].value == date(2026, 3, 6)
