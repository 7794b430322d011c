"""A vendor's name is booked only as printed in full: a till slip's name in a typewriter face
whose spaces are wider than its capitals are tall, a legal form a scan read with a digit, and a
name whose legal form lost its end (which would file the invoice under a vendor that does not
exist) goes to a person."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from vision import analyse, read_document, read_invoice
from vision.document import Document, Page, Word, group_lines

from tests.vision.conftest import needs_tesseract
from tests.vision.corpus import SCAN_VARIANTS, make_invoice, write_scan
from tests.vision.corpus_blind4 import BLIND4_LAYOUTS  # noqa: F401 (registers it_sdi)
from tests.vision.test_issuer_and_currency import _invoice_body, _pdf

DAY = date.today() - timedelta(days=3)


def _typed(y: int, x: int, text: str, pitch: int, height: int) -> list[Word]:
    """One line of a fixed-pitch face as OCR boxes it: each word's ink a little narrower than
    its cells, the next word one cell further on per space."""
    words = []
    for part in text.split(" "):
        if part:
            words.append(Word(part, x + 3, y, x + pitch * len(part) - 3, y + height, 0.95, 1))
        x += pitch * (len(part) + 1)
    return words


def _till_slip(head: list[str]) -> Document:
    """A 300-dpi scan of a till slip that is a VAT invoice, in Courier: the shop's name at 12 pt
    bold (30 px a character) and the lines under it at 9 pt (22 px) centred on the slip, its
    body at 9 pt from the slip's left edge."""
    words = _typed(240, 480 - 15 * len("THE GREEN GROCER"), "THE GREEN GROCER", 30, 37)
    for k, row in enumerate(head):
        words += _typed(300 + 50 * k, 480 - 11 * len(row), row, 22, 27)
    rows = ["VAT INVOICE", f"Inv No: 002513       Till 2", f"{DAY:%d/%m/%Y} 13:03      Op: 03", "-" * 30,
            "Bananas 1kg               3.20", "Apples Gala               4.80", "-" * 30,
            "SUBTOTAL                  8.00", "TOTAL                    £8.00", "CASH                     10.00",
            "CHANGE                    2.00"]
    for k, row in enumerate(rows):
        words += _typed(300 + 50 * (len(head) + 1 + k), 150, row, 22, 27)
    return Document("till.png", [Page(1, 1240, 1754, words, "ocr", dpi=300)], "image")


def test_a_till_slips_name_in_a_typewriter_face_is_read_whole():
    result = analyse(_till_slip(["12 Quay Road", "Galway", "Tel: 091 455 9010", "VAT No: IE2468804T"]), templates=[])
    assert result.fields["issuer"].value == "THE GREEN GROCER"


def test_the_phone_line_over_a_tax_number_is_not_taken_for_the_shop():
    # the lines between are centred off the tax number's column: the phone line heads it alone
    result = analyse(_till_slip(["79 Quay Road", "Bath BA1 1LT", "Tel: 028 201 2562", "VAT No: GB 933857847"]),
                     templates=[])
    assert result.fields["issuer"].value == "THE GREEN GROCER"
    assert "contested" not in result.fields["issuer"].detail


def test_two_words_a_column_apart_in_a_proportional_face_stay_apart():
    # 'Description' and 'Qty' headings: letters of different widths, set wider than one space
    words = [Word("Description", 100, 50, 262, 77, 0.95, 1), Word("Qty", 300, 50, 348, 77, 0.95, 1)]
    assert [s.text for s in group_lines(words)[0].segments] == ["Description", "Qty"]


def _letterhead(name: str, tmp_path):
    pdf = _pdf(tmp_path / "letterhead.pdf", [(name, 50, 40, 10), ("Via Roma 3", 50, 54, 8.5)] + _invoice_body())
    return analyse(read_document(pdf), templates=[])


def test_a_legal_form_read_with_a_one_for_its_l_is_the_company_s_name(tmp_path):
    result = _letterhead("Idraulica Esposito S.r.1", tmp_path)
    assert result.fields["issuer"].value == "Idraulica Esposito S.r.l"


@pytest.mark.parametrize("cut", ["Idraulica Esposito S.r", "Druckerei Lindner Gmb"])
def test_a_name_whose_legal_form_lost_its_end_goes_to_a_person(cut, tmp_path):
    result = _letterhead(cut, tmp_path)
    assert result.status != "ready"
    assert "cut short" in result.fields["issuer"].detail


def test_the_same_name_printed_whole_is_booked(tmp_path):
    result = _letterhead("Idraulica Esposito S.r.l.", tmp_path)
    assert result.fields["issuer"].value == "Idraulica Esposito S.r.l."
    assert result.status == "ready"


@needs_tesseract
@pytest.mark.parametrize("seed", [566003, 566010])
def test_an_italian_agriturismo_scanned_keeps_its_article(seed, tmp_path):
    # a sans-serif 'Il' is two upright strokes: read as the numeral II, the vendor booked would
    # be one nobody invoices as
    inv = make_invoice(seed, "it_sdi")
    assert inv.truth["issuer"] == "Agriturismo Il Poggio di Greco Marco"
    result = read_invoice(write_scan(inv, SCAN_VARIANTS[0], tmp_path / "agriturismo.png"), templates=[])
    issuer = result.plain_fields().get("issuer")
    assert issuer is None or " II " not in issuer, issuer
    if result.status == "ready":
        assert issuer == inv.truth["issuer"]


def test_a_roman_numeral_after_a_name_is_left_as_printed():
    from vision.issuer import _italian_article_lookalike
    assert _italian_article_lookalike("Caffè Vittorio Emanuele II") == "Caffè Vittorio Emanuele II"
    assert _italian_article_lookalike("Immobiliare Pio II S.r.l.") == "Immobiliare Pio II S.r.l."
    assert _italian_article_lookalike("II Fornaio di Siena") == "Il Fornaio di Siena"
