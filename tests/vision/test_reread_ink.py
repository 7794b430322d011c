"""Reading a scanned number or date again reads the value's own ink, at the size Tesseract reads
figures best.

What a user sees: a scanned invoice whose number and date read right the first time is booked,
not sent to a person because the second readings disagree with the first. A number printed in
large bold serif type ('5459/PA', 45 px high at 300 dpi) was read again as '3459/PA' at the sizes
the value was blown up to; a date in a ruled cell was read again with the cell's rule in it.
A digit the first read got wrong must still be caught (``test_ready_is_right``).
"""

from __future__ import annotations

import numpy as np

from tests.vision.conftest import needs_tesseract
from tests.vision.corpus import Scan, make_invoice, write_scan
from vision import read_invoice
from vision.reread import _date_verdict, _number_verdict, readings


@needs_tesseract
def test_a_scanned_number_printed_large_in_bold_serif_reads_the_same_again_and_is_booked(tmp_path):
    inv = make_invoice(25002956, "it_cortesia")  # its number printed ~45 px high, turned a quarter
    result = read_invoice(write_scan(inv, Scan(300, rotate=90), tmp_path / "scan.png"), templates=[])
    assert result.value("invoice_number") == inv.truth["invoice_number"]
    assert result.status == "ready", result.reasons


@needs_tesseract
def test_a_date_in_a_ruled_cell_of_a_blurred_scan_reads_the_same_again(tmp_path):
    from datetime import date

    from vision.reader import read_document
    from vision.reread import page_image

    inv = make_invoice(25004341, "pt_atcud")  # its date in a ruled cell, 150 dpi, blurred
    path = write_scan(inv, Scan(150, skew=2.0, blur=0.8), tmp_path / "scan.png")
    doc = read_document(path, thorough=False, keep_images=True)
    page = doc.pages[0]
    printed = date.fromisoformat(inv.truth["date"])
    (word,) = [w for w in page.words if w.text.strip(":") == printed.strftime("%d/%m/%Y")]
    (texts,) = readings(page_image(path, page), [(word.x0, word.y0, word.x1, word.y1)])
    said = [_date_verdict(printed, text, True, None) for text in texts]
    assert said.count("same") >= 2 and "other" not in said, texts


@needs_tesseract
def test_a_number_read_again_is_not_taken_for_one_a_digit_off():
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (700, 200), 255)
    ImageDraw.Draw(page).text((120, 70), "4817/PA", font=ImageFont.truetype(
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", 44), fill=0)
    image = np.array(page)
    ys, xs = np.nonzero(image < 128)
    (texts,) = readings(image, [(xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)])
    assert sum(_number_verdict("4817/PA", text, None, None) == "same" for text in texts) >= 2, texts
    # had the page read a digit otherwise, the readings would not say it
    for wrong in ("4317/PA", "4847/PA", "1817/PA"):
        assert not [t for t in texts if _number_verdict(wrong, t, None, None) == "same"], (wrong, texts)
