"""Till dates after their caption: printed without separators, one separator lost, or read as no date at all."""

from datetime import date

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tests.vision.conftest import needs_tesseract
from tests.vision.receipt_corpus import MONO
from tests.vision.test_dot_matrix_dates import _docket
from vision import CheckPolicy
from vision.document import Document, Page, Word
from vision.invoice import analyse
from vision.lexicon import load_lexicons
from vision.receipts import read_receipt

_SHOP = ("KEDAI MAKAN SRI JAYA SDN BHD", "(Co. Reg. No. 123456-X)", "NO 12, JALAN SS2/24, PETALING JAYA")
_PAID = ("NASI LEMAK   2   12.00", "TEH TARIK   2   5.00", "TOTAL   17.00", "CASH   20.00", "CHANGE   3.00")


def _date_of(row: str):
    result = analyse(_docket(*_SHOP, row, *_PAID), templates=[], policy=CheckPolicy(max_age_days=100_000))
    return result.fields.get("date")


def test_a_till_that_prints_its_date_as_eight_digits_after_the_caption_has_that_date_read():
    assert _date_of("Date 25122018").value == date(2018, 12, 25)
    assert _date_of("DATE: 04072019 TIME: 14:32").value == date(2019, 7, 4)
    # the year first, as some tills print it
    assert _date_of("Tarikh : 20180325").value == date(2018, 3, 25)


def test_eight_digits_after_a_date_caption_misread_by_a_letter_are_still_the_date():
    # 'Date' photographed as 'Oate' and 'Bate'
    assert _date_of("Oate : 25122018").value == date(2018, 12, 25)
    assert _date_of("Bate: 03/042018 14:02").value == date(2018, 4, 3)


def test_a_date_missing_one_of_its_slashes_is_still_the_date():
    assert _date_of("Date : 2512/2018").value == date(2018, 12, 25)
    assert _date_of("Date : 25/122018 10:05").value == date(2018, 12, 25)


def test_eight_digits_that_no_caption_calls_a_date_or_that_are_no_day_stay_unread():
    # a document number and a terminal id are not dates, however date-like their digits
    assert _date_of("Doc No : 25122018") is None
    assert _date_of("Date : 45122018") is None
    assert _date_of("Next Service : 25122018") is None


@needs_tesseract
def test_a_date_whose_ocr_came_out_as_no_date_is_read_again_with_its_year():
    # printed 'Date : 08/04/15 07:31:21 AM'; the page's OCR made the date 'oe Seana 1S', with the
    # colon read apart: the ink after the caption, up to the year, is read again and the date
    # offered for a person to confirm
    font = ImageFont.truetype(MONO, 30)
    printed = "Date : 08/04/15 07:31:21 AM".split(" ")
    read_as = ["Date", ":", "oe", "Seana", "1S", "07:31:21", "AM"]
    rows = [("KEDAI HARDWARE SDN BHD", None), (" ".join(printed), read_as), ("TOTAL   27.75", None),
            ("CASH   50.00", None), ("CHANGE   22.25", None)]
    image = Image.new("L", (900, 60 * len(rows) + 40), 255)
    draw = ImageDraw.Draw(image)
    words = []
    for n, (row, misread) in enumerate(rows):
        y, x = 20 + 60 * n, 20
        for k, token in enumerate(row.split(" ")):
            if token:
                left, top, right, bottom = draw.textbbox((x, y), token, font=font)
                draw.text((x, y), token, font=font, fill=0)
                words.append(Word(misread[k] if misread else token, left, top, right, bottom, 0.5))
            x += font.getlength(token + " ")
    page = Page(1, image.width, image.height, words, "ocr", image=np.array(image))
    doc = Document("till.jpg", [page], "image")
    lex = load_lexicons()
    day = read_receipt(doc, lex, lex.conventions(doc.text)).get("date")
    assert day is not None and day.value == date(2015, 4, 8) and day.confidence < 0.6
