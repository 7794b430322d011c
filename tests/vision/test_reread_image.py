"""Reading a few words of a scan again cuts them out of the image the page's OCR read.

What a user sees: a scanned invoice's number is booked only when reading its ink again says the
same (``vision.reread``); if the image read again were turned, deskewed or sized otherwise than
the first read's, the word boxes would land beside the ink and every scan would go to review.
The read keeps its prepared image (``Page.image``, across the worker processes of a pool) so the
page is not loaded and prepared a second time; prepared again, it must be the same pixels.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tests.vision.conftest import needs_tesseract
from tests.vision.corpus import Scan, make_invoice, write_scan
from vision.pool import PagePool
from vision.reader import read_document
from vision.reread import page_image, readings


@needs_tesseract
def test_the_number_read_again_on_a_turned_and_skewed_scan_is_cut_from_the_image_the_page_was_read_on(tmp_path):
    inv = make_invoice(36, "it")
    path = write_scan(inv, Scan(300, rotate=90, skew=1.5), tmp_path / "scan.png")
    number = inv.truth["invoice_number"]
    with PagePool(workers=1) as pool:  # read in a worker process, re-read in this one
        doc = read_document(path, executor=pool, thorough=False, keep_images=True)
    page = doc.pages[0]
    assert page.rotation in (90, 270) and page.image is not None  # turned a quarter: boxes are in its frame
    kept = page_image(path, page)
    assert kept.shape[:2] == (round(page.height), round(page.width))
    # prepared again from the file with the view the read found: the same pixels
    again = page_image(path, replace(page, image=None))
    assert again is not None and np.array_equal(again, kept)
    (word,) = [w for w in page.words if w.text.strip(":#") == number]
    (texts,) = readings(kept, [(word.x0, word.y0, word.x1, word.y1)])
    assert sum(number in text for text in texts) >= 2, texts


@needs_tesseract
def test_a_document_read_without_keeping_images_carries_none(tmp_path):
    inv = make_invoice(36, "it")
    path = write_scan(inv, Scan(300), tmp_path / "scan.png")
    doc = read_document(path, thorough=False)
    assert doc.pages[0].image is None
