"""A field's caption printed over a name ('SELLER TRADE NAME', 'Supplier name', 'Raison sociale')
is never the company's name: the name under it is."""

from __future__ import annotations

import pytest

from vision.document import Document, Page, Word
from vision.invoice import analyse


def _rows(*rows: tuple[int, int, str]) -> Document:
    words = []
    for x, y, text in rows:
        for part in text.split():
            words.append(Word(part, x, y, x + 9 * len(part), y + 12, 0.95, 1))
            x += 9 * len(part) + 7
    return Document("scan.png", [Page(1, 1240, 1750, words, "ocr")], "image")


@pytest.mark.parametrize("caption", ["VENDOR TRADE NAME", "Supplier name:", "Raison sociale"])
def test_a_caption_heading_the_sellers_block_is_not_its_name(caption):
    doc = _rows((60, 60, caption), (60, 84, "ATELIER BRUNET"), (60, 108, "8 quai Perrache, 69002 LYON"),
                (60, 132, "contact: vendor@vendor-mail.fr"), (60, 156, "SIREN : 552 100 554"),
                (60, 180, "N° TVA intra : FR 40 552 100 554"),
                (700, 60, "FACTURE N° : FA-2026-0412"), (700, 84, "Date : 02/11/2026"),
                (700, 132, "CLIENT :"), (700, 156, "Boulangerie Morel"), (700, 180, "3 rue Neuve, 38000 GRENOBLE"),
                (700, 400, "TOTAL HT  250,00"), (700, 424, "TVA 20 %  50,00"), (700, 448, "TOTAL TTC  300,00 EUR"))
    result = analyse(doc, templates=[])
    assert result.value("issuer") == "ATELIER BRUNET"
