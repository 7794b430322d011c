"""Scans whose print fools a quick look: a Latin page whose bold print or boxed cells look like
Chinese script to the ink test, a zero that OCR reads as the letter O, a form ruled as a grid
of boxed cells (Tesseract drops text touching a cell's border).

The real samples that showed these are checked at the end, skipped when absent."""

from __future__ import annotations

import re
from decimal import Decimal

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.vision.conftest import INVOICE_SAMPLES, needs_tesseract, render_pdf
from vision import CheckPolicy, read_invoice
from vision.document import Word
from vision.lookalikes import settle_lookalikes
from vision.preprocess import remove_rules, ruled_grid
from vision.reader import _reads_as_cjk

OLD_DATES_OK = CheckPolicy(max_age_days=100_000)
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _printed(text: str, size: int = 40, read_as: str | None = None) -> tuple[np.ndarray, Word]:
    """A grey image of ``text`` and the Word OCR would give for it, reading ``read_as``."""
    try:
        font = ImageFont.truetype(_FONT, size)
    except OSError:
        pytest.skip(f"font {_FONT} not installed")
    image = Image.new("L", (40 + size * len(text), size * 2), 255)
    ImageDraw.Draw(image).text((20, size // 3), text, font=font, fill=0)
    gray = np.asarray(image)
    ys, xs = np.nonzero(gray < 128)
    return gray, Word(read_as or text, float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1), 0.56)


def test_an_o_that_is_printed_like_the_numbers_zeros_is_read_as_a_zero():
    gray, word = _printed("R0005532486", read_as="RO005532486")
    assert settle_lookalikes(gray, [word])[0].text == "R0005532486"


def test_a_real_letter_o_beside_digits_stays_a_letter():
    # a capital O is wider than a zero in the same font: 'PO0815' keeps its O
    gray, word = _printed("PO0815")
    assert settle_lookalikes(gray, [word])[0].text == "PO0815"


def test_an_o_with_no_zero_in_the_word_to_compare_with_is_left_as_read():
    gray, word = _printed("R7", read_as="RO7")  # one glyph fewer than letters read: nothing to compare
    assert settle_lookalikes(gray, [word])[0].text == "RO7"


def _words(text: str) -> list[Word]:
    return [Word(t, 0, 0, 10, 10, 0.9) for t in text.split()]


def test_what_the_chinese_model_reads_on_a_latin_page_is_not_taken_for_chinese():
    latin = _words("Facture N° FA-2017-0009 Date 05/11/2017 Total TTC 530,75 € Au bon moulin 一 SARL")
    chinese = _words("电子发票 发票号码 9223372036854775807 填开单位 中国南方航空股份有限公司 CNY 620.00")
    assert not _reads_as_cjk(latin)
    assert _reads_as_cjk(chinese)


def _ruled_page(columns: bool) -> np.ndarray:
    page = np.full((1754, 1240), 255, np.uint8)  # A4 at 150 dpi
    for y in range(300, 1300, 100):
        page[y:y + 2, 100:1140] = 0
    if columns:
        for x in (100, 400, 700, 1140):
            page[300:1202, x:x + 2] = 0
    return page


def test_boxed_cells_are_a_grid_rows_under_a_heading_are_not():
    assert ruled_grid(_ruled_page(columns=True))
    assert not ruled_grid(_ruled_page(columns=False))
    page = _ruled_page(columns=False)
    assert remove_rules(page, grid_only=True)[1] == 0
    grid = _ruled_page(columns=True)
    cleaned, removed = remove_rules(grid, grid_only=True)
    assert removed >= 10 and np.count_nonzero(cleaned < 128) < 0.01 * np.count_nonzero(grid < 128)


# ---------------------------------------------------------------------------- the real samples


def _scan(relative: str, tmp_path):
    pdf = INVOICE_SAMPLES / relative
    if not pdf.exists():
        pytest.skip(f"real sample {relative} not found under {INVOICE_SAMPLES} (a clone outside the workplace)")
    return read_invoice(render_pdf(pdf, tmp_path / "scan.tif"), templates=[], policy=OLD_DATES_OK)


_CJK = re.compile(r"[\u3400-\u9fff]")


@needs_tesseract
@pytest.mark.ocr
@pytest.mark.parametrize("relative, number", [
    ("zugferd-corpus/Facture_DOM_BASICWL.pdf", "FA-2017-0009"),
    ("zugferd-corpus/RE-E-974-Hetzner_2016-01-19_R0005532486.pdf", "R0005532486"),
])
def test_a_latin_invoice_whose_print_looks_chinese_to_the_ink_test_is_read_in_latin(tmp_path, relative, number):
    result = _scan(relative, tmp_path)
    assert not _CJK.search(result.text)
    assert result.value("invoice_number") == number


@needs_tesseract
@pytest.mark.ocr
def test_an_air_ticket_itinerary_scan_reads_the_total_in_its_boxed_cell(tmp_path):
    result = _scan("ofdrw-cn/xbrl-001.pdf", tmp_path)
    assert result.value("amount") == Decimal("620.00")
    assert result.value("currency") == "CNY"
    assert result.status != "ready" or result.value("invoice_number") == "9223372036854775807"


def test_a_zero_read_twice_as_zero_and_o_is_one_zero():
    gray, word = _printed("R0005532486", read_as="R0O005532486")
    assert settle_lookalikes(gray, [word])[0].text == "R0005532486"


def test_a_letter_o_read_twice_is_not_turned_into_a_zero():
    gray, word = _printed("PO0815", read_as="PO0O815")  # one glyph fewer than letters read, but it is an O
    assert settle_lookalikes(gray, [word])[0].text == "PO0O815"


def test_a_letter_s_whose_glyph_is_not_the_words_five_is_told_apart_and_no_longer_doubtful():
    gray, word = _printed("EUVINS1-OFS-DE-120725895")
    settled = settle_lookalikes(gray, [word])[0]
    assert settled.text == "EUVINS1-OFS-DE-120725895" and settled.shapes_settled


def test_a_letter_with_no_print_of_its_digit_in_the_word_stays_doubtful():
    gray, word = _printed("AB-S17")  # no 5 in the word: an S beside a 1 cannot be compared
    assert not settle_lookalikes(gray, [word])[0].shapes_settled


def test_an_invoice_number_read_by_ocr_with_a_settled_letter_is_not_sent_to_a_person_for_it():
    from vision.document import Document, Page
    from vision import analyse

    number = Word("EUVINS1-OFS-DE-120725895", 330, 60, 470, 70, 0.95, 1, shapes_settled=True)
    doubtful = Word("EUVINS1-OFS-DE-120725895", 330, 60, 470, 70, 0.95, 1)
    for word, settled in ((number, True), (doubtful, False)):
        label = [Word("Rechnungsnummer", 200, 60, 300, 70, 0.95, 1)]
        result = analyse(Document("scan.png", [Page(1, 600, 850, label + [word], "ocr")], "image"), templates=[])
        assert result.value("invoice_number") == "EUVINS1-OFS-DE-120725895"
        assert (result.fields["invoice_number"].confidence > 0.6) is settled


def _prepared_sample(relative: str, tmp_path):
    import cv2

    from vision.preprocess import prepare

    pdf = INVOICE_SAMPLES / relative
    if not pdf.exists():
        pytest.skip(f"real sample {relative} not found under {INVOICE_SAMPLES} (a clone outside the workplace)")
    return prepare(cv2.imread(str(render_pdf(pdf, tmp_path / "scan.tif")), cv2.IMREAD_GRAYSCALE))


@pytest.mark.parametrize("relative", [
    "zugferd-corpus/RE-E-974-Hetzner_2016-01-19_R0005532486.pdf",  # '0,84 €' on every line
    "zugferd-corpus/Facture_DOM_BASICWL.pdf",  # €, à, é, an @ in the address, icons
])
def test_euro_signs_accents_and_at_signs_on_a_latin_invoice_do_not_make_it_chinese(tmp_path, relative):
    # each crosses a column four times like a CJK character, but stands among Latin letters
    # and digits: the page was read with the Chinese model first, then again in Latin
    assert not _prepared_sample(relative, tmp_path).cjk


def test_the_real_chinese_air_ticket_preview_is_still_read_with_the_chinese_model_alone(tmp_path):
    from vision.preprocess import CJK_PAGE

    assert _prepared_sample("ofdrw-cn/xbrl-001.pdf", tmp_path).cjk_characters >= CJK_PAGE


def test_a_receipt_with_quantity_at_price_item_lines_is_not_taken_for_chinese(tmp_path):
    # '2 @ 4.95' on every item line: the @ crosses a column four or five times
    import cv2

    from tests.vision.receipt_corpus import flatbed, make_receipt
    from vision.preprocess import prepare

    for seed in (9000, 9001):
        path = flatbed(make_receipt(seed, "my_minimart_long"), tmp_path / f"{seed}.jpg")
        assert not prepare(cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)).cjk, seed


def test_a_zero_a_skewed_scan_printed_unlike_the_numbers_other_zero_leaves_the_number_doubtful():
    # R097806 scanned two degrees askew: its two zeros share four fifths of their ink, neither
    # all of it nor plainly less, so nothing tells whether OCR's 'O' is a letter; a person checks
    gray, word = _printed("R097806", size=30, read_as="RO97806")
    skewed = np.asarray(Image.fromarray(gray).rotate(2, resample=Image.BILINEAR, fillcolor=255))
    skewed = cv2.GaussianBlur(skewed, (3, 3), 0.8)
    ys, xs = np.nonzero(skewed < 128)
    word = Word("RO97806", float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1), 0.6)
    settled = settle_lookalikes(skewed, [word])[0]
    assert settled.text == "R097806" or not settled.shapes_settled
