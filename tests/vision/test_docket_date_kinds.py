"""Which of a docket's dates is the sale's: told by the caption printed before each, from the
lexicons (config/lexicons: the next service, an expiry, a validity, a print time), not by where
it stands; and labels a till prints around its GST read as the net, the tax or the total."""

import shutil
from datetime import date
from decimal import Decimal

from tests.vision.test_dot_matrix_dates import _date, _docket
from vision.fields import extract
from vision.lexicon import load_lexicons
from vision.receipts import read_receipt

_SHOP = ("SPEEDWAY AUTO SERVICE CENTRE", "GST No: 001946205317", "TAX INVOICE")
_PAID = ("Total (Incl GST)   84.80", "Cash Tendered   100.00", "Change Due   15.20")


def _unbookable(day) -> bool:
    return day is None or day.confidence < 0.6


def test_the_next_service_date_is_never_taken_for_the_sale_date():
    # the invoice's own date smudged past reading; the next service date under the totals is legible
    day = _date(*_SHOP, "Inv No : W17-00123   Date : @#!", "Car No : WXY 123  Time : 01:39 PM", *_PAID,
                "Next Service: 31,802 KM or 23/03/2018")
    assert _unbookable(day)
    # the caption's letters worn ('Naxt Service', its N lost): still the next service
    assert _unbookable(_date(*_SHOP, "Inv No : W16-04886   Date : 69-4UN-2916", *_PAID,
                             "Naxt Service: 45,501 KM or 06/12/2016"))
    assert _unbookable(_date(*_SHOP, "Inv No : W16-04886", *_PAID, "ext Service: 45,501 KM or 06/12/2016"))
    # the caption on its own line, the date under it
    assert _unbookable(_date(*_SHOP, "Inv No : W17-00123", *_PAID, "Next Service Date", "23/03/2018"))


def test_a_next_service_date_wrapped_onto_the_line_under_its_caption_is_not_the_sale_date():
    # the mileage stays beside the caption, the date went down a line (a narrow roll, a bowed photo)
    assert _unbookable(_date(*_SHOP, "Inv No : W17-00123   Date : @#!", *_PAID, "Next Service: 31,802 KM",
                             "or 23/03/2018"))
    day = _date(*_SHOP, "Inv No : W17-00123   Date : 14/03/2017", *_PAID, "Next Service: 31,802 KM", "or 23/03/2018")
    assert day.value == date(2017, 3, 14)
    # a line under that is stamped with a time of day is the till's own date, not the service's
    day = _date(*_SHOP, "Inv No : W17-00123", *_PAID, "Next Service: 31,802 KM", "14/03/2017 10:22")
    assert day.value == date(2017, 3, 14)


def test_a_member_card_expiry_printed_above_the_sale_date_is_passed_over():
    day = _date(*_SHOP, "Member Expiry Date : 31/12/2016", "Date : 22/03/2016", *_PAID)
    assert day.value == date(2016, 3, 22)
    # Malay captions too: Tarikh Luput (expiry) beside Tarikh (the sale)
    day = _date(*_SHOP, "Tarikh Luput : 31/12/2016   Tarikh : 22/03/2016", *_PAID)
    assert day.value == date(2016, 3, 22)


def test_a_date_only_printed_as_the_slip_s_print_time_goes_to_a_person():
    # 'Printed' is the sale's day as a rule, not on a slip printed again the next week
    day = _date(*_SHOP, "Inv No : W17-00123", *_PAID, "Printed: 23/03/2016 14:05")
    assert day.value == date(2016, 3, 23) and day.confidence < 0.6
    # beside the sale's own stamp it changes nothing
    day = _date(*_SHOP, "Date: 22/03/2016 14:01", *_PAID, "Printed: 23/03/2016 14:05")
    assert day.value == date(2016, 3, 22) and day.confidence >= 0.6


def test_a_month_name_one_letter_off_is_offered_for_a_person_to_confirm():
    day = _date(*_SHOP, "Inv No : W15-00123   Date : 21 OfT 2015", *_PAID)
    assert day.value == date(2015, 10, 21) and day.confidence < 0.6
    # and its year's slashed zero read as a 6: a year to come
    day = _date(*_SHOP, "Inv No : W17-00123   Date : 23 NOY 2617", *_PAID, "Next Service: 31,802 KM or 23/03/2018")
    assert day.value == date(2017, 11, 23) and day.confidence < 0.6
    # the day's ones read as letters, the month's M as a W: 11 MAY 2018
    day = _date(*_SHOP, "Inv No : TI18-38486   Date : li WAY 2618", *_PAID)
    assert day.value == date(2018, 5, 11) and day.confidence < 0.6
    # a letter of the month read as a digit, the day's and the year's zeros as 6 and 9: 09-JUN-2016
    day = _date(*_SHOP, "Inv No : W16-48886   Date : 69-4UN-2916", *_PAID)
    assert day.value == date(2016, 6, 9) and day.confidence < 0.6


def test_a_month_word_two_months_can_be_read_from_is_not_guessed():
    # 'MOY': MAY with its A's dots read as an O, or NOV with its V's strokes read as a Y and its N as
    # an M; nothing on the page says which
    day = _date(*_SHOP, "Inv No : W16-02767   Date : 08 MOY 2016", *_PAID)
    assert _unbookable(day)
    # one letter off one month only still reads as that month
    day = _date(*_SHOP, "Inv No : W16-02767   Date : 08 NOY 2016", *_PAID)
    assert day.value == date(2016, 11, 8) and day.confidence < 0.6


def test_a_caption_an_admin_adds_to_the_lexicon_names_another_date(tmp_path):
    folder = tmp_path / "lexicons"
    shutil.copytree(load_lexicons().by_code["en"].path.rsplit("/", 1)[0], folder)
    english = folder / "en.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "  other_date:\n    10: [", "  other_date:\n    10: [next wof, "), encoding="utf-8")
    lex = load_lexicons(folder)
    doc = _docket(*_SHOP, "Inv No : W17-00123   Date : @#!", *_PAID, "Next WOF 12/06/2018")
    assert _unbookable(read_receipt(doc, lex, lex.conventions(doc.text)).get("date"))
    assert read_receipt(doc, load_lexicons(), lex.conventions(doc.text))["date"].value == date(2018, 6, 12)


def _amounts(*rows: str) -> dict:
    doc = _docket("KEDAI BUKU SENG FATT", "GST ID NO: 001234567890", "TAX INVOICE", "Date: 13/03/2018 14:05",
                  "PEN 2 x 5.00   10.00 SR", "BOOK 1 x 96.00   96.00 SR", *rows, "CASH   110.00", "CHANGE   4.00")
    fields = extract(doc, lexicons=load_lexicons()).fields
    return {name: fields[name].value if name in fields else None for name in ("amount_untaxed", "vat", "amount")}


def test_a_till_s_words_for_the_amount_before_and_with_its_gst():
    want = {"amount_untaxed": Decimal("100.00"), "vat": Decimal("6.00"), "amount": Decimal("106.00")}
    assert _amounts("Total Amt Excl. GST   100.00", "GST @6%   6.00", "Total Amt Incl. GST   106.00") == want
    assert _amounts("Total Sales (Excluding GST)   100.00", "GST @ 6%   6.00",
                    "Total Sales (Inclusive of GST)   106.00") == want
    assert _amounts("Amt Excl GST   100.00", "GST Amt   6.00", "Amt Incl GST   106.00") == want
    # a letter of the label misread by a worn ribbon
    assert _amounts("Amount sefore GST   100.00", "GST 6%   6.00", "Rounding Adj   0.00", "Total   106.00") == want


def test_a_date_before_the_tax_the_receipt_charges_was_levied_goes_to_a_person():
    # printed 08/05/2018 on a cash bill charging 6% GST (levied from April 2015): the year's 8
    # read as a 2; 2012 is a date, but no till charged Malaysian GST then
    day = _date(*_SHOP, "Bill No : CB926399   Date : 08/05/2012", *_PAID)
    assert day.value == date(2018, 5, 8) and day.confidence < 0.6
