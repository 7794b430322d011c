"""A Latin page's doubtful ink that looks like CJK script (many strokes crossing a line) gets a
second pass with the Chinese model only when that model, shown the suspects alone, reads
characters it is sure of: a Chinese supplier name on an English invoice is read; marks with the
strokes of CJK script that are no characters (a till's QR code, striped logo, script-font
slogan) no longer cost a phone photo 2-3 s of CPU."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.vision.conftest import needs_tesseract
from tests.vision.corpus import cjk_font
from vision import CheckPolicy, read_invoice
from vision.document import Word
from vision.reader import _cjk_misread, _doubtful_pieces, _tesseract_batch

CHINESE_MODEL_AGAIN = "read again with the CJK models"

needs_cjk_font = pytest.mark.skipif(cjk_font() is None, reason="no CJK font (apt-get install fonts-wqy-microhei)")


def _english_invoice_from_a_chinese_supplier(path) -> None:
    """A 300-dpi scan: English labels and amounts, the supplier named in Chinese only."""
    page = Image.new("L", (2480, 1400), 255)
    draw = ImageDraw.Draw(page)
    latin = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    y = 150
    for line in ["INVOICE", "Supplier:", "Invoice number: HK-20931", "Invoice date: 14 March 2026",
                 "Description                 Qty      Amount", "Cable assemblies            10      1,200.00",
                 "Total due                          USD 1,200.00"]:
        draw.text((200, y), line, font=latin, fill=0)
        y += 120
    draw.text((420, 270), "深圳华强电子", font=ImageFont.truetype(cjk_font(), 44), fill=0)
    grey = cv2.GaussianBlur(np.array(page).astype(np.float32), (3, 3), 0.8)
    grey += np.random.default_rng(1).normal(0, 12, grey.shape)
    cv2.imwrite(str(path), np.clip(grey, 0, 255).astype(np.uint8))


def _notes(result) -> list[str]:
    return [note for page in result.pages for note in page["notes"]]


@needs_tesseract
@needs_cjk_font
@pytest.mark.ocr
def test_a_supplier_named_in_chinese_on_an_english_invoice_is_read_with_the_chinese_model(tmp_path):
    scan = tmp_path / "supplier-in-chinese.png"
    _english_invoice_from_a_chinese_supplier(scan)
    result = read_invoice(scan, templates=[], policy=CheckPolicy(max_age_days=100_000))
    assert any(note.startswith(CHINESE_MODEL_AGAIN) for note in _notes(result))
    assert result.value("issuer") == "深圳华强电子"


def _cjk_misread_on(page: np.ndarray, words: list[Word]) -> bool:
    """``_cjk_misread`` with the reads it asks for done by Tesseract, as ``read_tasks`` does."""
    steps = _cjk_misread(_doubtful_pieces(page, words, 1), 300, "eng+chi_sim")
    try:
        request = next(steps)
        while True:
            request = steps.send(_tesseract_batch([request.image], request.languages, request.psm, [1])[0])
    except StopIteration as finished:
        return finished.value


def _name_read_as_latin_garbage(name: str, mirrored: bool) -> tuple[np.ndarray, list[Word]]:
    """A line printing ``name`` (mirrored: the same strokes, no character of any script) and the
    Latin pass's doubtful word over it."""
    font = ImageFont.truetype(cjk_font(), 44)
    page = Image.new("L", (1400, 400), 255)
    draw = ImageDraw.Draw(page)
    draw.text((300, 150), name, font=font, fill=0)
    x0, y0, x1, y1 = draw.textbbox((300, 150), name, font=font)
    pixels = np.array(page)
    if mirrored:
        pixels[:, x0:x1] = pixels[:, x0:x1][:, ::-1].copy()
    return pixels, [Word("iS", x0, y0, x1, y1, 0.3, 1)]


@needs_tesseract
@needs_cjk_font
@pytest.mark.ocr
@pytest.mark.parametrize("name", ["深圳华强电子", "東莞市精密五金"])
def test_cjk_looking_marks_the_chinese_model_cannot_read_cost_no_second_pass(name):
    # mirrored, the name keeps every stroke and crossing a CJK line has (a QR code, a striped
    # logo and a script-font slogan share them), so only a reading can tell it from a name
    assert _cjk_misread_on(*_name_read_as_latin_garbage(name, mirrored=False))
    assert not _cjk_misread_on(*_name_read_as_latin_garbage(name, mirrored=True))
