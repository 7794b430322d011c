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
from vision.reread import date_verdict, _number_verdict, readings


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
    said = [date_verdict(printed, text, True, None) for text in texts]
    assert said.count("same") >= 2 and "other" not in said, texts


def _printed(text: str, width: int, at: tuple[int, int], font: str, size: int):
    """A white strip with ``text`` printed on it, and the box of its ink."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (width, 200), 255)
    ImageDraw.Draw(page).text(at, text, font=ImageFont.truetype(f"/usr/share/fonts/truetype/dejavu/{font}", size),
                              fill=0)
    image = np.array(page)
    ys, xs = np.nonzero(image < 128)
    return image, (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)


@needs_tesseract
def test_a_number_read_again_is_not_taken_for_one_a_digit_off():
    image, box = _printed("4817/PA", 700, (120, 70), "DejaVuSerif-Bold.ttf", 44)
    (texts,) = readings(image, [box])
    assert sum(_number_verdict("4817/PA", text, None, None) == "same" for text in texts) >= 2, texts
    # had the page read a digit otherwise, the readings would not say it
    for wrong in ("4317/PA", "4847/PA", "1817/PA"):
        assert not [t for t in texts if _number_verdict(wrong, t, None, None) == "same"], (wrong, texts)


@needs_tesseract
def test_a_date_whose_label_and_value_the_scan_lost_is_read_beside_the_other_date():
    # a ruled row of two dates: the first read kept the due date and its heading only. The
    # vendor's template knows the issue date stands one cell left of the due date
    from datetime import date

    from PIL import Image, ImageDraw, ImageFont

    from vision.document import Document, Page, Word
    from vision.fields import Options
    from vision.learned import Anchor, LearnedField, Spot, read_date_beside_the_other

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    canvas = Image.new("L", (1600, 400), 255)
    draw = ImageDraw.Draw(canvas)
    draw.text((140, 220), "03-02-2027", font=font, fill=0)
    draw.text((640, 220), "05-03-2027", font=font, fill=0)
    draw.text((640, 160), "Vencimento", font=font, fill=0)
    image = np.array(canvas)
    ink = lambda x0, x1: np.nonzero(image[200:270, x0:x1] < 128)  # noqa: E731
    ys, xs = ink(600, 1000)
    due_box = (600 + xs.min(), 200 + ys.min(), 600 + xs.max() + 1, 200 + ys.max() + 1)
    words = [Word("Vencimento", 640, 165, 820, 190, 0.9), Word("05-03-2027", *due_box, 0.9)]
    page = Page(1, 1600, 400, words, "ocr", image=image)
    doc = Document("row.png", [page], "image")
    # where the page that taught the vendor had them (another scale: fractions of the page)
    due_spot = Spot(1, (0.40, 0.55, 0.50, 0.60), Anchor("Vencimento", 0, 0, 2.0), "01-01-2027")
    date_spot = Spot(1, (0.0875, 0.55, 0.1875, 0.60), Anchor("Emissão", 0, 0, 2.0), "02-12-2026")
    due = LearnedField(date(2027, 3, 5), 0.9, "learned", 1, "05-03-2027", box=due_box)
    found = read_date_beside_the_other(doc, "date", date_spot, due_spot, due, Options(day_first=True))
    assert found is not None and found.value == date(2027, 2, 3), found
    # nothing printed where the vendor prints it: nothing is made up
    blank = image.copy()
    blank[200:270, 100:500] = 255
    page = Page(1, 1600, 400, words, "ocr", image=blank)
    lost = read_date_beside_the_other(Document("row.png", [page], "image"), "date", date_spot, due_spot, due,
                                      Options(day_first=True))
    assert lost is None
