"""A till receipt priced with a bare $: which dollar, and so which way its numeric dates run.

The US charges sales tax and writes its dates month first; the countries whose tills print GST
or VAT beside a plain $ (Singapore, Australia, New Zealand …) write them day first. A date whose
day and month could be swapped is only as sure as the order it was read in."""

from datetime import date

from tests.vision.test_receipts import _receipt
from vision import CheckPolicy
from vision.invoice import analyse

_SEEN = CheckPolicy(today=date(2026, 12, 1))


def _bike_shop(*tax_rows: str, when: str = "03/08/2026 16:42") -> list[str]:
    return ["SPOKES & CHAINS CYCLERY", "14 Marina Parade", "Inner tube 700c   $9.50", "Brake pads   $24.00",
            "Labour   $25.00", *tax_rows, "AMOUNT DUE   $58.50", "EFTPOS   $58.50", when, "Thanks for riding with us"]


def test_a_dollar_till_that_charges_gst_dates_its_receipts_day_first():
    result = analyse(_receipt(*_bike_shop("Incl. GST 9%   $4.83")), templates=[], policy=_SEEN)
    assert result.value("date") == date(2026, 8, 3), result.fields["date"]


def test_a_registered_goods_and_services_tax_number_is_enough_to_read_the_day_first():
    rows = _bike_shop("Goods & Services Tax Reg: 200312345M", when="11/02/2026 09:05")
    result = analyse(_receipt(*rows), templates=[], policy=_SEEN)
    assert result.value("date") == date(2026, 2, 11), result.fields["date"]


def test_a_dollar_till_that_adds_sales_tax_still_reads_month_first():
    result = analyse(_receipt(*_bike_shop("State sales tax 6%   $3.31")), templates=[], policy=_SEEN)
    assert result.value("date") == date(2026, 3, 8), result.fields["date"]


def test_a_receipt_naming_the_us_dollar_is_not_turned_day_first_by_a_vat_line():
    rows = _bike_shop("VAT exempt", "Prices in USD")
    result = analyse(_receipt(*rows), templates=[], policy=_SEEN)
    assert result.value("date") == date(2026, 3, 8), result.fields["date"]


def test_a_date_read_in_a_guessed_order_is_not_offered_as_sure():
    # nothing on the strip says which dollar: 03/08 may be 8 March or 3 August
    guessed = analyse(_receipt(*_bike_shop()), templates=[], policy=_SEEN)
    assert guessed.status == "review"
    assert guessed.fields["date"].confidence < CheckPolicy().threshold, guessed.fields["date"]
    # a day over 12 leaves no doubt, whatever the dollar
    plain = analyse(_receipt(*_bike_shop(when="23/08/2026 16:42")), templates=[], policy=_SEEN)
    assert plain.value("date") == date(2026, 8, 23)
    assert plain.fields["date"].confidence >= 0.85, plain.fields["date"]


def test_a_gst_receipts_either_way_date_is_less_sure_than_one_only_readable_one_way():
    either = analyse(_receipt(*_bike_shop("GST incl.   $4.83", when="05/04/2026 12:10")), templates=[], policy=_SEEN)
    one_way = analyse(_receipt(*_bike_shop("GST incl.   $4.83", when="25/04/2026 12:10")), templates=[], policy=_SEEN)
    assert either.value("date") == date(2026, 4, 5)
    assert either.fields["date"].confidence < one_way.fields["date"].confidence - 0.1


def test_a_shop_name_with_a_word_ending_in_d_does_not_say_which_dollar():
    # 'RED', 'OLD', 'AND' end like SGD or AUD; only a dollar's code, its country's letters before
    # the $ or the word says which one a bare $ is
    rows = ["THE RED LION PUB", "Caesar Salad   $84.75", "Laksa   $36.88", "GST 7%   $8.46", "TOTAL DUE   $121.63",
            "VISA   $121.63", "23/09/2026 12:46", "Thank you! See you again"]
    result = analyse(_receipt(*rows), templates=[], policy=_SEEN)
    assert result.fields["currency"].confidence < CheckPolicy().threshold, result.fields["currency"]
    assert result.status == "review"
    named = analyse(_receipt(*rows[:-1], "All prices in SGD"), templates=[], policy=_SEEN)
    assert named.value("currency") == "SGD", named.fields["currency"]
