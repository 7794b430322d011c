"""Fixtures for vision tests: the real samples, their 300-dpi renderings, generated invoices."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import SAMPLES

INVOICE_SAMPLES = SAMPLES / "invoices"
SAMPLE_NAMES = ["AmazonWebServices", "FlipkartInvoice", "QualityHosting", "oyo"]
REQUIRED = ["issuer", "invoice_number", "date", "amount", "currency"]

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


def expected(name: str) -> dict:
    return json.loads((INVOICE_SAMPLES / f"{name}.json").read_text(encoding="utf-8"))[0]


def render_pdf(pdf, out, dpi: int = 300):
    """Render every page as a scanner would deliver it: one multi-page TIFF at ``dpi``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()
    pages[0].save(out, save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="tiff_lzw")
    return out


@pytest.fixture
def second_readings(monkeypatch):
    """Each box read again (``vision.reread.readings``) says what the test puts under its top
    edge, with no Tesseract: ``second_readings[y] = [text, ...]``."""
    import numpy as np

    import vision.reread as reread

    said: dict[int, list[str]] = {}
    monkeypatch.setattr(reread, "page_image", lambda path, page: np.zeros((10, 10), np.uint8))
    monkeypatch.setattr(reread, "readings", lambda image, boxes, languages="eng": [said[int(b[1])] for b in boxes])
    return said
