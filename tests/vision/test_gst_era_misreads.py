"""Ribbon-struck GST-era receipts read wrong in three ways that say what was printed all the same:
a month's name with one letter struck into a letter of no look-alike family, the registration
number's own caption worn while the page still names its tax, and a rounded total that is no
whole number of five-sen coins with nothing else on the slip left to add up."""

from datetime import date
from decimal import Decimal

from tests.vision.test_dot_matrix_dates import _date
from tests.vision.conftest import needs_tesseract
from tests.vision.test_receipts import _read, _read_photo, _receipt

_SHOP = ("KEDAI ALAT TULIS CAHAYA", "TEL 04-2261 889")
_TAIL = ("SUBTOTAL   31.80", "GST 6%   1.91", "TOTAL   33.71", "CASH   50.00", "CHANGE   16.29")


def test_a_month_name_one_stray_letter_off_is_read_as_that_month():
    # printed 12-SEP-16 and 03-DEC-17 under a caption OCR garbled ('Uate'); the page names its
    # Malaysian GST number, so only dates while that tax was levied can be its
    head = (*_SHOP, "GST ID : 000812345678")
    day = _date(*head, "Uate : 12-SEQ-16   09:41", *_TAIL)
    assert day is not None and day.value == date(2016, 9, 12)
    assert day.confidence < 0.6  # a person confirms a month the print did not spell
    day = _date(*head, "Uate : O3-DFC-17   17:02", *_TAIL)
    assert day is not None and day.value == date(2017, 12, 3)
    # a word one letter from two months ('JUX': June or July) or from none names no month
    assert _date(*head, "Uate : 21-JUX-17   10:10", *_TAIL) is None
    assert _date(*head, "Uate : 21-QXZ-17   10:10", *_TAIL) is None


def test_a_registration_number_whose_tax_caption_wore_still_dates_the_page_day_first():
    # printed 03/10/16 (3 October 2016) with its month's zero read as a 5: as read, '03/15/16' is
    # only a date month first. The GST number's caption came out as 'C5T REG NO' and a '$' in
    # the amounts made the page look American; the page still charges GST at 6%, and a
    # registration number of twelve digits is Malaysia's, whose dates run day first
    rows = (*_SHOP, "C5T REG NO : 000812345678", "Date/Time : 03/15/16 11:20", "PHOTOCOPY A4   x40   $ 4.00",
            "Amount Before GST   30.00", "GST Payable 6%   1.80", "AMOUNT PAYABLE   31.80", "CASH   50.00",
            "CHANGE   18.20")
    day = _date(*rows)
    assert day is not None and day.value == date(2016, 10, 3)
    assert day.confidence < 0.6


def test_a_rounded_total_off_the_coin_is_read_with_its_last_digit_worn():
    # 47.35 rounded from 47.33; the net, tax and payment lines all lost, the rounded total's 0
    # struck as an 8. Only 47.30 of 47.38's readings is whole five-sen coins
    found = _read(_receipt("KEDAI BUKU SRI ANGSANA", "Date : 14/07/2017", "PEN BIRU   2   1.20   2.40",
                           "TOTAL EXCL. GST", "GST @ 6%", "TOTAL INCL. GST", "ROUNDING ADJ   b.02",
                           "TOTAL ROUNDED   47.38", "CASH", "CHANGE"))
    assert found["amount"].value == Decimal("47.30")
    assert found["amount"].confidence < 0.6
    # a last digit no look-alike of which lands on a coin (a 7, read for a 1) is left as read
    found = _read(_receipt("KEDAI BUKU SRI ANGSANA", "Date : 14/07/2017", "PEN BIRU   2   1.20   2.40",
                           "TOTAL EXCL. GST", "GST @ 6%", "TOTAL INCL. GST", "ROUNDING ADJ   b.02",
                           "TOTAL ROUNDED   47.37", "CASH", "CHANGE"))
    assert found["amount"].value == Decimal("47.37")


def test_a_date_a_malaysian_page_prints_only_month_first_is_never_booked_as_read():
    # '06-23-2016' for 06-03-2016: the month's 0 struck into a 2. As read it is 23 June, month
    # first; the till writes day first, and nothing on a text-only page tells what the digit was
    rows = (*_SHOP, "GST ID : 000604344320", "TAX INVOICE", "Date : 06-23-2016 11:26:01", *_TAIL,
            "GST Summary", "SR @ 6%   31.80   1.91")
    day = _read(_receipt(*rows)).get("date")
    assert day is None or day.confidence < 0.6
    assert day is None or "month first" in day.detail


@needs_tesseract
def test_a_worn_month_on_a_diy_store_photo_is_read_day_first(tmp_path):
    # a hardware chain's GST tax invoice photographed by a phone: its one date's month lost a
    # stroke, and the page's order had been taken from that very misread
    receipt, result = _read_photo(410104, "my_hardware", 5, tmp_path / "diy.jpg")
    day = result.fields.get("date")
    assert receipt.truth["date"] == date(2016, 3, 6)
    assert day is not None and day.value == date(2016, 3, 6)
