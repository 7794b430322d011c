"""Dot-matrix till dates whose digits OCR read as look-alikes: the date they can be, for a person."""

from datetime import date

import pytest

from tests.vision.conftest import needs_tesseract
from tests.vision.receipt_corpus import flatbed, make_receipt, same_date
from vision import read_invoice
from vision.document import Document, Page, Word
from vision.lexicon import load_lexicons
from vision.receipts import read_receipt


def _docket(*rows: str) -> Document:
    """A ribbon printer's docket as OCR returns it: fixed-pitch words, one row per line."""
    words = []
    for n, row in enumerate(rows):
        x = 0
        for token in row.split(" "):
            if token:
                words.append(Word(token, x * 12.0, n * 30.0, (x + len(token)) * 12.0, n * 30.0 + 20, 0.9))
            x += len(token) + 1
    return Document("docket.jpg", [Page(1, 42 * 12.0, len(rows) * 30.0, words, "ocr")], "image")


def _date(*rows: str):
    lex = load_lexicons()
    doc = _docket(*rows)
    return read_receipt(doc, lex, lex.conventions(doc.text)).get("date")


_HEAD = ("SYARIKAT PERABOT LEONG SDN BHD", "GST REG NO : 001946205317")
_FOOT = ("TOTAL INCL GST   84.80", "CASH   100.00", "CHANGE   15.20")


def test_a_year_to_come_is_read_as_the_year_its_look_alikes_give_while_the_tax_was_levied():
    # printed 19/02/2018: the year's zero came out as a 6, its 8 as a 2 (2612, a year to come, or
    # 2012 if only one digit were wrong); the page charges Malaysian GST, levied from April 2015
    # to August 2018
    day = _date(*_HEAD, "Tarikh : 19/02/2612 16:40", *_FOOT)
    assert day.value == date(2018, 2, 19)
    assert day.confidence < 0.6 and "look-alike" in day.detail  # never booked: a person confirms it


def test_a_date_whose_digits_came_out_as_letters_is_read_as_the_digits_they_stand_for():
    # printed 17/06/2017 and 04/03/17: a 1 read as L, slashed zeros as u, O and G (a 6 to OCR)
    day = _date(*_HEAD, "Date/Time : L7/u6/2O17 10:05", *_FOOT)
    assert day.value == date(2017, 6, 17) and day.confidence < 0.6
    assert _date(*_HEAD, "Date/Time : G4/G3/17 18:20", *_FOOT).value == date(2017, 3, 4)
    # a month that cannot be, read as the one its look-alike digit makes (17-86-2016: 86 is 06)
    assert _date(*_HEAD, "Date : 17-86-2016 09:12", *_FOOT).value == date(2016, 6, 17)


def test_a_weekday_printed_beside_the_date_chooses_among_its_readings():
    # printed MON 28-03-2016: the month's 0 read as 8, the day's 8 as 3 (23-83-2016); 23 March
    # 2016 was a Wednesday, 28 March a Monday
    assert _date(*_HEAD, "MON 23-83-2016 11:05", *_FOOT).value == date(2016, 3, 28)
    assert _date(*_HEAD, "23-83-2016 11:05", *_FOOT).value == date(2016, 3, 23)


def test_a_month_name_whose_dotted_v_came_out_as_a_y_is_still_that_month():
    # printed 12-NOV-17: the N's dots read as an H, the V's two strokes meeting in dots as a Y;
    # HOY is two letters off NOV, but a V read as Y is how dot print fails, not another letter
    day = _date(*_HEAD, "Cashier : SITI   Date : l2-HOY-17", *_FOOT)
    assert day is not None and day.value == date(2017, 11, 12), day
    assert day.confidence < 0.6  # a guessed letter: a person confirms it
    # a Y that is a Y stays one: MAY is May, not the V of no month
    assert _date(*_HEAD, "Date : 03-MAY-17 10:15", *_FOOT).value == date(2017, 5, 3)


def test_a_date_that_can_be_stays_as_read():
    # a clean 2021 date on a page that names GST: outside the tax's years, but printed so
    day = _date(*_HEAD, "Date : 14/02/2021 12:00", *_FOOT)
    assert day.value == date(2021, 2, 14) and "look-alike" not in day.detail


def test_a_date_with_three_slashed_zeros_read_as_sixes_beside_a_misread_label_is_offered():
    # printed 'Bill No : CB926399   Date : 03/05/2016' on a cash bill: the day's, the month's and
    # the year's zeros came out as 8, 6 and 6, and the label's dotted D as a C or a G
    day = _date(*_HEAD, "Bill No : CB926399   Cate : 83/65/2616", *_FOOT)
    assert day is not None and day.value == date(2016, 5, 3)
    assert day.confidence < 0.6  # a guess about the print: a person confirms it
    assert _date(*_HEAD, "Bill No : CB841421   Gate : 24/ 03f 2616", *_FOOT).value == date(2016, 3, 24)
    # a rate is no date label, and a figure on its line is no date
    assert _date(*_HEAD, "Rate : 6% 18/65", *_FOOT) is None


def test_a_date_whose_slashes_came_out_as_other_marks_or_a_space_is_still_offered():
    # printed 28/07/2017 and 23/03/2016: the 5x7 slash read as %, or lost to a space; zeros as 3
    assert _date(*_HEAD, "Bill No : CB756628   Date : 28/ 37% 2317", *_FOOT).value == date(2017, 7, 28)
    assert _date(*_HEAD, "Bill No : CB918885   Date : 23 O3/ 2016", *_FOOT).value == date(2016, 3, 23)


def test_a_slash_read_as_a_cent_sign_or_a_hash_still_separates_the_date():
    # printed 24/10/2016 and 18/11/2017 on cash bills: the 5x7 slash beside a digit's dots came
    # out as a cent sign, a hash, or its hook apart from it
    day = _date(*_HEAD, "Bill No : CB180624   Date : 24¢ 10/ 2016", *_FOOT)
    assert day is not None and day.value == date(2016, 10, 24) and day.confidence < 0.6
    assert _date(*_HEAD, "Bill No : CB377012   Date : 18#11#2017", *_FOOT).value == date(2017, 11, 18)
    assert _date(*_HEAD, "Bill No : CB377012   Date : 18f/11/2017", *_FOOT).value == date(2017, 11, 18)


def test_a_slashed_zero_read_as_a_five_is_offered_as_the_zero():
    # printed 08/08/2016 and 16/10/2016: the zeros' slash and left side came out as a 5 (and an 8, a 9)
    day = _date(*_HEAD, "Bill No : CB226310   Date : 98/58/2016", *_FOOT)
    assert day is not None and day.value == date(2016, 8, 8) and day.confidence < 0.6
    assert _date(*_HEAD, "Bill No : CB226310   Date : 16/10/2516", *_FOOT).value == date(2016, 10, 16)


def test_a_bill_number_written_like_a_date_does_not_stand_for_the_purchase_date():
    # a bill numbered by month and serial (18/03/0012) before the date on the same line: 0012 is
    # no year, and 2012 is not what the receipt says
    day = _date(*_HEAD, "Bill No: 18/03/0012   Date: 15/03/2018", *_FOOT)
    assert day.value == date(2018, 3, 15)


def test_a_date_beside_a_label_garbled_past_knowing_is_still_offered_when_no_line_names_a_date():
    # printed 'Date : 22/06/2016': the label came out as 'Dace' and both zeros as 8; no other
    # line names a date or stamps a time
    day = _date(*_HEAD, "Bill No : CB151299   Dace : 22/86/2016", *_FOOT)
    assert day is not None and day.value == date(2016, 6, 22) and day.confidence < 0.6
    # a date line the page names wins over one whose label is unknown
    assert _date(*_HEAD, "Ref : 12/86/2016", "Date : 22/86/2016", *_FOOT).value == date(2016, 6, 22)


def test_a_month_first_order_guessed_from_a_misread_dollar_does_not_lose_a_day_first_date():
    # a dot-matrix page whose GST and ringgit OCR garbled, with a 5 read as '$' in '$61.16': the
    # order is a guess, so 24/64/2015 (24/04/2015) is read day first when month first gives no date
    rows = ("LIM BROTHERS TRADING CO", "Bill No : CB123456   Date : 24/64/2015", "TOTAL AMOUNT   1,019.27",
            "6ST 6%   $61.16", "GRAND TOTAL   1,080.45", "CASH   1,100.00", "CHANGE   19.55")
    lex = load_lexicons()
    doc = _docket(*rows)
    conv = lex.conventions(doc.text, "USD")
    assert conv.day_first is False and conv.date_certainty < 1.0
    day = read_receipt(doc, lex, conv)["date"]
    assert day.value == date(2015, 4, 24) and day.confidence < 0.6


@needs_tesseract
@pytest.mark.ocr
def test_a_dockets_date_printed_after_the_time_of_day_is_not_lost_to_the_seconds_before_it(tmp_path):
    # a hardware shop's ribbon docket on a flatbed, 'Invoice 14:01:28 25/05/2016' read with the
    # month's zero as 6 and the columns jumbled: the seconds and the day, a space between them
    # (a slash lost to a space is a separator), made a date of their own that swallowed the real one
    receipt = make_receipt(23604, "my_hardware")
    result = read_invoice(flatbed(receipt, tmp_path / "docket.jpg"), templates=[])
    assert same_date(result.value("date"), receipt.truth["date"]), result.fields_json()


def test_a_date_after_the_tax_the_page_charges_was_repealed_goes_to_a_person():
    # printed 27 JUN 2016 on a docket charging 6% GST; OCR read the year's 1 as a 2. A till may
    # still name GST after 2018 (its registration number), but it charges no GST at a rate then
    day = _date(*_HEAD, "Date : 27/06/2026", "TOTAL   84.80", "GST @ 6%   4.80", "CASH   100.00")
    assert day is not None and day.confidence < 0.6, day
    assert "GST" in day.detail


def _docket_photo(rows: list[tuple[str, str]]) -> Document:
    """A docket whose page image prints the first text of each row while OCR's reading of the
    page (its words) says the second: a dot-matrix digit read as a look-alike on the page."""
    import cv2
    import numpy as np

    image = np.full((60 * len(rows) + 40, 1100), 255, np.uint8)
    words = []
    for n, (printed, read) in enumerate(rows):
        x, base = 20, 60 * n + 50
        for shown, said in zip(printed.split(" "), read.split(" ")):
            (width, height), _ = cv2.getTextSize(shown, cv2.FONT_HERSHEY_SIMPLEX, 1.0, 2)
            cv2.putText(image, shown, (x, base), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2, cv2.LINE_AA)
            words.append(Word(said, x, base - height, x + width, base + 2, 0.9))
            x += width + 20
    page = Page(1, 1100.0, float(image.shape[0]), words, "ocr", image=image)
    return Document("docket.jpg", [page], "image")


# what the docket prints on its date's line, what OCR made of it, the date its ink says
_DATES_READ_AS_NO_DATE = [
    # an 8 read as two glyphs ('238 APR 2015'): no date, and the look-alikes of the words alone
    # cannot say which
    ("Inv No : W15-04698 Date : 28 APR 2015", "Inv No : W15-04698 Date : 238 APR 2015", date(2015, 4, 28)),
    # a print shop's one label for the date and the time; OCR made '24f/GB2/26i8' of the date
    ("Date/Time : 24/02/2018 10:47", "Date/Time : 24f/GB2/26i8 10:47", date(2018, 2, 24)),
]


@needs_tesseract
@pytest.mark.ocr
@pytest.mark.parametrize("printed,read,expected", _DATES_READ_AS_NO_DATE)
def test_a_date_read_as_no_date_on_the_page_is_read_again_from_its_ink(printed, read, expected):
    rows = [("PERNIAGAAN BATA MERAH SDN BHD", "PERNIAGAAN BATA MERAH SDN BHD"),
            ("GST REG NO : 001946205317", "GST REG NO : 001946205317"), (printed, read),
            ("TOTAL INCL GST 240.90", "TOTAL INCL GST 240.90"), ("CASH 250.00", "CASH 250.00")]
    lex = load_lexicons()
    doc = _docket_photo(rows)
    day = read_receipt(doc, lex, lex.conventions(doc.text)).get("date")
    assert day is not None and day.value == expected, day
    assert day.confidence < 0.6  # read again, still a guess about the print: a person confirms it


def test_a_slash_struck_as_a_seven_or_a_four_against_the_digits_before_it_still_separates_the_date():
    # printed 12/05/2018 and 18/09/2016 on cash bills: the slash's dots, slanting up to the right,
    # came out of OCR as the top bar of a 7 or as a 4 joined to the group before it
    day = _date(*_HEAD, "Bill No : CB450321   Date : 127 05/2618", *_FOOT)
    assert day is not None and day.value == date(2018, 5, 12) and day.confidence < 0.6, day
    assert _date(*_HEAD, "Bill No : CB450321   Date : 18/094 2016", *_FOOT).value == date(2016, 9, 18)


@needs_tesseract
@pytest.mark.ocr
def test_a_date_whose_word_boxes_took_in_the_next_line_is_read_again_at_its_own_height():
    # a phone photo's specks swell OCR's boxes of the date's words past the line below ('Time'):
    # its ink must be read again as one line at the print's height, not two lines shrunk
    import cv2
    import numpy as np

    rows = ["PERNIAGAAN BATA MERAH SDN BHD", "GST REG NO : 001946205317", "Date : 12/05/2018",
            "Time : 07:55", "TOTAL INCL GST 240.90", "CASH 250.00"]
    read = {2: "Late : 127 05/Z6i8"}
    image = np.full((36 * len(rows) + 40, 900), 255, np.uint8)
    words = []
    for n, row in enumerate(rows):
        x, base = 20, 36 * n + 40
        for k, (shown, said) in enumerate(zip(row.split(" "), read.get(n, row).split(" "))):
            (width, height), _ = cv2.getTextSize(shown, cv2.FONT_HERSHEY_SIMPLEX, 0.9, 2)
            cv2.putText(image, shown, (x, base), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2, cv2.LINE_AA)
            top, bottom = base - height, base + 2
            if n in read and k >= 2:
                top, bottom = top - 14, bottom + 26  # swollen into the row below
            words.append(Word(said, x, top, x + width, bottom, 0.9))
            x += width + 20
    doc = Document("docket.jpg", [Page(1, 900.0, float(image.shape[0]), words, "ocr", image=image)], "image")
    lex = load_lexicons()
    day = read_receipt(doc, lex, lex.conventions(doc.text)).get("date")
    assert day is not None and day.value == date(2018, 5, 12), day
    assert day.confidence < 0.6


@needs_tesseract
@pytest.mark.ocr
def test_a_year_the_tightly_cut_date_reads_outside_the_tax_years_is_read_in_the_words_own_box(tmp_path):
    # a hardware shop's GST tax invoice photographed by a phone, printed 03/05/2018: OCR read its
    # year '201%', and the date cut out at its ink's band read '2012' at most scales, a year the
    # page's GST was never levied in; read in the words' whole box, the 8 comes back
    from tests.vision.receipt_corpus import PHOTO_VARIANTS, photo

    receipt = make_receipt(419608, "my_hardware")
    shot = photo(receipt, PHOTO_VARIANTS[(8 // 4 + 8) % len(PHOTO_VARIANTS)], tmp_path / "docket.jpg")
    day = read_invoice(str(shot), templates=[]).fields.get("date")
    assert day is not None and same_date(day.value, receipt.truth["date"]), day
    assert day.confidence < 0.6  # a year read from look-alike digits: a person confirms it


def _tyre_shop(town: str, day: str):
    # the GST number's label worn past reading, no ringgit printed: only the address is Malaysian
    return _date("TAYAR JAYA ENTERPRISE", "NO 12, JALAN BESAR", town, "OST NO : 001946205317",
                 f"Date : {day} 10:15", "Sub Total   80.00", "GST 6%   4.80", *_FOOT)


def test_a_docket_addressed_in_a_malaysian_state_is_read_within_the_years_of_the_gst_it_charges():
    # struck 19-04-2017; its 0 read as 8 and the 7 as a question mark: 2017, not 2012 or 2027
    # (nor a year after the tax was repealed, which a docket that charges it cannot carry)
    day = _tyre_shop("43000 KAJANG, SELANGOR", "19-04-281?")
    assert day.value == date(2017, 4, 19) and day.confidence < 0.6


def test_a_date_after_the_gst_a_malaysian_address_charges_goes_to_a_person():
    assert _tyre_shop("43000 KAJANG, SELANGOR", "19/04/2021").confidence < 0.6
    assert _tyre_shop("43000 KAJANG", "19/04/2021").confidence >= 0.6  # no country named: the date as read


_CHARGING = ("Sub Total   80.00", "GST 6%   4.80")

#: (the date line as OCR read it, the date a ribbon struck) on dockets that charge GST
_GARBLED_DOCKET_DATES = [
    # 28/06/2016: the day's 8 lost the dots of its upper right and came out as an e
    ("Receipt : 55120   Date : 2e/ 06/2016", date(2016, 6, 28)),
    # 09-11-2017: the year's 2 lost its base and came out as a 7, a year millennia to come
    ("Date : 09-11-7017   14:22", date(2017, 11, 9)),
    # 21-DEC-16: the C's open dots read as a 5 (DES, DEZ, DEC are all December)
    ("Invoice No : K7-20981   Date : 21-DE5-16", date(2016, 12, 21)),
    # 11-JUL-18: the L read as a 1 and the year's 8 as a 3 (2013, before the tax was levied)
    ("Date : 11-JU1-13", date(2018, 7, 11)),
    # 04-NOV-16 beside its time: the year's 1, its flag and foot, read as a J
    ("Date : 04-NOV-J6   09:31:12", date(2016, 11, 4)),
    # 11-AUG-18: the G read as a C, the 8 as a 3, and the label's t as an r: the line still names
    # a date, whose short year is read for its look-alikes
    ("Invoice No: T4-47120   Dare: 11-AUC-13", date(2018, 8, 11)),
    # 07-OCT-2017 spaced wide: two words of the year ('20 17'); '07-OCT-20' alone is a date of
    # 2020, after the tax the docket charges was repealed
    ("Date : 07-OCT -20 17", date(2017, 10, 7)),
    # 23-MAY-18, its label worn past reading, the M read as an H and the 8 as a 3: no month's date
    # until the month is guessed, and then one before the tax was levied
    ("Invoice No : T4-47120   Qxte= 23-HAY-13", date(2018, 5, 23)),
]


@pytest.mark.parametrize("read,struck", _GARBLED_DOCKET_DATES)
def test_a_docket_date_garbled_by_the_ribbon_and_ocr_is_offered_as_the_date_it_can_be(read, struck):
    day = _date(*_HEAD, read, *_CHARGING, *_FOOT)
    assert day is not None and day.value == struck and day.confidence < 0.6, day


def test_a_short_year_before_a_time_of_day_stays_the_year_it_reads():
    assert _date(*_HEAD, "Date : 07-OCT-17 20:15", *_CHARGING, *_FOOT).value == date(2017, 10, 7)


@needs_tesseract
@pytest.mark.ocr
def test_a_date_that_reads_only_month_first_on_a_day_first_till_is_read_again_not_booked():
    # a German supermarket's bon: 03.11.19 printed, the month's second 1 read as a 6 ('03.16.19');
    # German tills write the day first, so 16 March is a misread, not the date
    rows = [("EDEKA MARKT WEBER", "EDEKA MARKT WEBER"), ("Lindenstr. 4, 72070 Tuebingen", "Lindenstr. 4, 72070 Tuebingen"),
            ("Bananen 1,49 A", "Bananen 1,49 A"), ("SUMME EUR 1,49", "SUMME EUR 1,49"), ("Bar EUR 5,00", "Bar EUR 5,00"),
            ("Datum 03.11.19 09:41 Uhr", "Datum 03.16.19 09:41 Uhr")]
    lex = load_lexicons()
    doc = _docket_photo(rows)
    day = read_receipt(doc, lex, lex.conventions(doc.text)).get("date")
    assert day is not None and day.value == date(2019, 11, 3) and day.confidence < 0.6, day


def _bookshop(gst_line: str, day: str):
    # no ringgit, no Sdn Bhd, no state read: only the registration number (its label's letters or
    # its own zeros read as look-alikes) says the docket is Malaysian
    return _date("CAHAYA BOOK & STATIONERY", "NO 3, JALAN TUN RAZAK", gst_line, f"Date : {day} 11:05",
                 "Sub Total   80.00", "GST @ 6%   4.80", *_FOOT)


@pytest.mark.parametrize("gst_line", ["6ST NO : 001946205317", "G5T ID: 001946205317",
                                      "GST Reg. No : O@1946@2G317"])
def test_a_gst_number_or_its_label_read_as_look_alikes_still_dates_the_docket_within_the_tax(gst_line):
    # struck 14/03/2018, the year's 8 read as a 3: 2013, two years before the tax it charges
    day = _bookshop(gst_line, "14/03/2013")
    assert day.value == date(2018, 3, 14) and day.confidence < 0.6, day


def test_a_gst_label_read_with_digits_before_no_malaysian_number_leaves_the_date_as_read():
    # nine digits and a program account: another country's GST number, whose years are not Malaysia's
    day = _bookshop("6ST NO : 123456789 RT0001", "14/03/2013")
    assert day.value == date(2013, 3, 14) and day.confidence >= 0.6, day


_ENGLISH_SLIP_HEAD = ("TAN BROTHERS HARDWARE SDN BHD", "GST REG NO : 000812345670")
_ENGLISH_SLIP_FOOT = ("Salesman : LIM   Time : 10:42", "TOTAL INCL GST   52.40", "CASH   60.00", "CHANGE   7.60",
                      "THANK YOU, PLEASE COME AGAIN")


def test_a_month_read_one_letter_off_on_an_english_slip_is_mended_to_an_english_month():
    # printed 14-OCT-2016: the O's dots read as an S. SCT is one look-alike letter from SET, which
    # is September only in Italian, Spanish and Portuguese, none of them this slip's language
    day = _date(*_ENGLISH_SLIP_HEAD, "Bill No : CS40817   Date : 14-SCT-2016", *_ENGLISH_SLIP_FOOT)
    assert day is not None and day.value == date(2016, 10, 14)
    assert day.confidence < 0.6  # a guessed month: a person confirms it


def test_a_month_name_another_language_prints_is_still_read_as_printed_on_an_english_slip():
    # a till that prints Italian month names on an English slip: SET read right is September
    day = _date(*_ENGLISH_SLIP_HEAD, "Bill No : CS40817   Date : 14-SET-2016", *_ENGLISH_SLIP_FOOT)
    assert day is not None and day.value == date(2016, 9, 14)


def test_a_slashed_zero_read_as_an_a_in_the_day_is_read_as_that_zero():
    # printed 03/05/2017: the day's zero, its top dots closing to a point and its slash a bar, read
    # as an A; the month's zero as a 6, the slash after the day as an f
    day = _date(*_ENGLISH_SLIP_HEAD, "Bill No : CS40817   Date : A3f 65/2017", *_ENGLISH_SLIP_FOOT)
    assert day is not None and day.value == date(2017, 5, 3) and day.confidence < 0.6


@pytest.mark.parametrize("read", ["Date : 23/0d/2017", "Date : 23-0a-2017"])
def test_a_dotted_four_read_as_a_d_or_an_a_is_among_the_digits_it_may_be(read):
    # printed 23/04/2017: the month's 4, a closed triangle of dots beside its upright, read as a
    # bowl and stem; as a slashed zero the month would be 00, no month
    day = _date(*_ENGLISH_SLIP_HEAD, f"Bill No : CS51290   {read}", *_ENGLISH_SLIP_FOOT)
    assert day is not None and day.value == date(2017, 4, 23) and day.confidence < 0.6, day


def test_a_slashed_zero_read_as_a_b_is_read_as_that_zero():
    # printed 07/03/2016: the day's zero read as a b, the 6 OCR makes of a slashed zero with its
    # upright stroke; 67 is no day
    day = _date(*_ENGLISH_SLIP_HEAD, "Bill No : CS51290   Date : b7/ 03/ 2016", *_ENGLISH_SLIP_FOOT)
    assert day is not None and day.value == date(2016, 3, 7) and day.confidence < 0.6, day


@needs_tesseract
@pytest.mark.ocr
def test_a_four_digit_year_ocr_read_apart_at_its_end_is_read_again_whole():
    # a hardware shop's docket printed 21-MAR-2016; OCR cut the year's last two digits off as a
    # word of their own ('21-MAR-26' and 'l6' right against it): 2026, after the GST it charges
    import cv2
    import numpy as np

    rows = ["KEDAI PAKU SENG HUAT SDN BHD", "GST REG NO : 000812345670", "Date : 21-MAR-2016",
            "GST @ 6% 3.60", "TOTAL INCL GST 63.60", "CASH 70.00"]
    image = np.full((36 * len(rows) + 40, 900), 255, np.uint8)
    words = []
    for n, row in enumerate(rows):
        x, base = 20, 36 * n + 40
        for shown in row.split(" "):
            (width, height), _ = cv2.getTextSize(shown, cv2.FONT_HERSHEY_SIMPLEX, 0.9, 2)
            cv2.putText(image, shown, (x, base), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2, cv2.LINE_AA)
            if shown == "21-MAR-2016":
                (head, _), _ = cv2.getTextSize("21-MAR-20", cv2.FONT_HERSHEY_SIMPLEX, 0.9, 2)
                words += [Word("21-MAR-26", x, base - height, x + head, base + 2, 0.5),
                          Word("l6", x + head + 2, base - height, x + width, base + 2, 0.4)]
            else:
                words.append(Word(shown, x, base - height, x + width, base + 2, 0.9))
            x += width + 20
    doc = Document("docket.jpg", [Page(1, 900.0, float(image.shape[0]), words, "ocr", image=image)], "image")
    lex = load_lexicons()
    day = read_receipt(doc, lex, lex.conventions(doc.text)).get("date")
    assert day is not None and day.value == date(2016, 3, 21) and day.confidence < 0.6, day


def test_a_slashed_zero_read_as_an_e_in_the_year_is_read_as_that_zero():
    # printed 09/11/2016: the year's zero, its slash a bar across its bowl, read as an e; as the 8
    # an e also stands for, 2816 is a year to come
    day = _date(*_ENGLISH_SLIP_HEAD, "Bill No : CS62418   Date : 09/11/2e16", *_ENGLISH_SLIP_FOOT)
    assert day is not None and day.value == date(2016, 11, 9) and day.confidence < 0.6, day


def test_a_slash_read_as_an_s_glued_to_the_day_before_a_space_still_parts_the_day_from_the_month():
    # printed 18/05/16; the slash after the day came out as an s stuck to the day's 8, the space
    # after it kept, and the day's 1 and the month's 0 as letters: 'I8s O5/ 16'
    day = _date(*_HEAD, "Tarikh : I8s O5/ 16 11:20", *_FOOT)
    assert day is not None and day.value == date(2016, 5, 18), day
    assert day.confidence < 0.6  # a guess about the print: a person confirms it


def test_a_slash_read_as_a_two_glued_to_the_day_before_a_space_parts_the_day_from_the_month():
    # printed 21/06/17; the slash after the day came out as a 2 stuck to it (its diagonal with a
    # foot), the space after it kept, the month's 0 as a G: '212 G6/ 2017'
    day = _date(*_HEAD, "Tarikh : 212 G6/ 2017 09:41", *_FOOT)
    assert day is not None and day.value == date(2017, 6, 21), day
    assert day.confidence < 0.6


def test_a_slashed_zero_read_as_a_capital_s_may_be_a_zero():
    # printed 08/10/2016: the month's slashed zero read as an S, the slash after it as a 7
    day = _date(*_HEAD, "Tarikh : 08/1S7 2016 14:05", *_FOOT)
    assert day is not None and day.value == date(2016, 10, 8), day
    assert day.confidence < 0.6
