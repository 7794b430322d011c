"""Who sold it, on a German till receipt as Tesseract reads a flatbed scan of one: the shop's
name the till spaces out across the slip, never its opening hours, an item it sold or a row of
its tax table."""

from __future__ import annotations

from vision import analyse
from vision.document import Document, Page

from tests.vision.word_pages import cells

ROW = 18  # a line 12 px tall, as a till prints them close together


def _till(top: list[tuple[tuple[int, str], ...]], footer: list[tuple[tuple[int, str], ...]] = ()) -> Document:
    """A slip 900 px wide: ``top`` rows, a blank line, then items, the sum, the tax table, the
    footer rows."""
    body = [((60, "Rosenstrauss Bunt"), (700, "12,99 A")),
            ((60, "Apfelsaft 1,5l"), (700, "1,19 B")),
            ((60, "Vase Glas"), (700, "8,50 A")),
            ((60, "SUMME EUR"), (700, "22,68")),
            ((60, "BAR EUR"), (700, "30,00")),
            ((60, "RUECKGELD"), (700, "7,32")),
            ((60, "MwSt Gruppe"), (330, "Netto"), (500, "MwSt"), (700, "Brutto")),
            ((60, "A 7%"), (330, "21,20"), (500, "1,48"), (700, "22,68")),
            ((60, "USt-IdNr. DE 123 456 789"),),
            ((60, "Datum 12.03.26 14:22 Bon 4711"),)]
    words, y = [], 80
    for row in list(top) + [()] + body + list(footer):
        words += cells(y, *row)
        y += ROW
    return Document("till.jpg", [Page(1, 900, y + 200, words, "ocr", dpi=300)], "image")


def test_a_name_the_till_spaces_out_across_the_slip_is_read_whole():
    doc = _till([((60, "Blumen"), (300, "Kontor"), (620, "GmbH")),
                 ((60, "Hafenweg 12"),),
                 ((60, "20457 Hamburg"),)])
    assert analyse(doc, templates=[]).fields["issuer"].value == "Blumen Kontor GmbH"


def test_opening_hours_items_and_the_tax_table_name_no_shop():
    # the shop's logo is a picture; its name and legal form are printed again in the footer
    doc = _till([((60, "Hafenweg 12"),),
                 ((60, "20457 Hamburg"),),
                 ((60, "MO.-SA. 8.00 Uhr - 20.00 Uhr"),)],
                footer=[((60, "Vielen Dank fuer Ihren Einkauf"),),
                        ((60, "Blumenkontor Nord GmbH, Hamburg"),)])
    issuer = analyse(doc, templates=[]).fields.get("issuer")
    assert issuer is not None and issuer.value == "Blumenkontor Nord GmbH"


def test_a_stain_read_as_two_small_letters_names_no_shop():
    # the logo's smudge over the address reads 'ne'; the till names its company in the footer
    doc = _till([((60, "ne"),),
                 ((60, "Hafenweg 12"),),
                 ((60, "20457 Hamburg"),)],
                footer=[((60, "Blumenkontor Nord GmbH, Hamburg"),)])
    issuer = analyse(doc, templates=[]).fields.get("issuer")
    assert issuer is not None and issuer.value == "Blumenkontor Nord GmbH"
