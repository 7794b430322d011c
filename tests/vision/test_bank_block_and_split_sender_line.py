"""Two places a German letter names companies other than its seller, read as a scan reads them:
the bank that keeps the seller's account, printed in the footer under its caption with the IBAN;
and the seller's own return address over the envelope window, in small print whose dots OCR
reads as other marks and splits in two."""

from __future__ import annotations

import pytest

from tests.vision.word_pages import cells
from vision.document import Document, Page, Word
from vision.invoice import analyse


def _document(*rows: tuple[int, int, str]) -> Document:
    words: list[Word] = [w for x, y, text in rows for w in cells(y, (x, text))]
    return Document("scan.png", [Page(1, 1240, 1750, words, "ocr")], "image")


_BODY = ((90, 420, "Rechnung Nr. 2026-0457"), (800, 420, "Datum: 12.11.2026"),
         (90, 520, "Beschreibung"), (1000, 520, "Betrag"), (90, 550, "Wartung Fräsmaschine"), (1000, 550, "840,00"),
         (800, 640, "Netto  840,00 €"), (800, 665, "USt. 19 %  159,60 €"), (800, 690, "Gesamtbetrag  999,60 €"))


@pytest.mark.parametrize("caption, bank", [("Bankverbindung", "Volksbank Hohenlohe eG"),
                                           ("Coordonnées bancaires", "Crédit Agricole SA"),
                                           ("Bank:", "Barclays Bank PLC")])
def test_the_bank_named_over_the_sellers_iban_is_not_the_issuer(caption, bank):
    page = _document((90, 200, "Herrn Tobias Kern"), (90, 225, "Lindenallee 4"), (90, 250, "74523 Schwäbisch Hall"),
                     *_BODY,
                     (90, 1600, "Feldmann Präzisionstechnik GmbH"), (90, 1625, "Amtsgericht Ulm HRB 72310"),
                     (90, 1650, "USt-IdNr. DE 287 441 903"),
                     (800, 1600, caption), (800, 1625, bank), (800, 1650, "IBAN DE12 6009 0100 0123 4567 89"))
    issuer = analyse(page, templates=[]).fields["issuer"]
    assert issuer.value == "Feldmann Präzisionstechnik GmbH"
    assert issuer.confidence >= 0.6, issuer.detail  # the seller alone, not a coin flip against its bank


def test_a_bank_caption_inside_the_sellers_block_leaves_the_seller_above_it():
    page = _document((90, 200, "Herrn Tobias Kern"), (90, 225, "Lindenallee 4"), (90, 250, "74523 Schwäbisch Hall"),
                     *_BODY,
                     (90, 1575, "Feldmann Präzisionstechnik GmbH"), (90, 1600, "Bahnhofstr. 19, 89073 Ulm"),
                     (90, 1625, "Bankverbindung: Sparkasse Ulm"), (90, 1650, "IBAN DE12 6305 0000 0009 8765 43"))
    assert analyse(page, templates=[]).value("issuer") == "Feldmann Präzisionstechnik GmbH"


@pytest.mark.parametrize("bullet", ["«", "¢", "*"])
def test_a_return_address_split_where_its_dot_was_misread_is_still_the_sellers(bullet):
    # the return address over the window, its dots read as another mark and the line cut in two
    # pieces: the name is still the sender's, and the window under it still the customer's
    page = _document((90, 170, f"Feldmann Präzisionstechnik GmbH {bullet}"),
                     (400, 170, f"Bahnhofstr. 19 {bullet} 89073 Ulm"),
                     (90, 200, "Kern Gartenbau KG"), (90, 225, "Herrn Tobias Kern"), (90, 250, "Lindenallee 4"),
                     (90, 275, "74523 Schwäbisch Hall"),
                     *_BODY, (90, 1600, "Geschäftsführer: Jens Feldmann"), (90, 1625, "USt-IdNr. DE 287 441 903"))
    assert analyse(page, templates=[]).value("issuer") == "Feldmann Präzisionstechnik GmbH"
