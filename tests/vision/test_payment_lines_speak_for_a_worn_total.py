"""A phone photo of a German till slip whose total line came out worse than the payment lines
under it: what those lines reckon was paid, when another print says it too, is offered for a
person to confirm; a payment line alone never overrules the total line."""

from dataclasses import replace
from decimal import Decimal

from tests.vision.test_dot_matrix_dates import _docket
from vision.lexicon import load_lexicons
from vision.receipts import read_receipt


def _amount(*rows: str):
    lex = load_lexicons()
    docket = _docket(*rows)
    # a till's strip of paper, cut out of the photo: far taller than wide
    doc = replace(docket, pages=[replace(page, height=page.width * 3) for page in docket.pages])
    return read_receipt(doc, lex, lex.conventions(doc.text)).get("amount")


_BAKERY = ("Backstube Hollmann", "Kirchplatz 4, 48143 Münster", "Datum: 14.11.2021 07:52",
           "Roggenbrot   3,40", "Mohnkuchen   4,15")


def test_a_worn_total_label_above_cash_less_change_gives_the_amount_for_a_person():
    # 'ZU ZAHLEN' worn to '7U ZAHLEN': no total label; cash 10,00 less change 2,45 is 7,55, and
    # the line right above the cash prints 7,55
    total = _amount(*_BAKERY, "7U ZAHLEN EUR   7,55", "BARGELD   10,00", "ZURÜCK   2,45", "Vielen Dank!")
    assert total is not None and total.value == Decimal("7.55")
    assert total.confidence <= 0.5


def test_a_line_above_the_cash_printing_another_amount_is_not_taken_for_the_total():
    # the line above prints 7,95 where cash less change is 7,55: one of them is misread, nothing says which
    total = _amount(*_BAKERY, "7U ZAHLEN EUR   7,95", "BARGELD   10,00", "ZURÜCK   2,45", "Vielen Dank!")
    assert total is None or total.value != Decimal("7.55")


def test_a_card_label_whose_e_was_read_as_the_euro_sign_still_pays_the_worn_total():
    # 'EC-Karte' read '€C-Karte', the total's label 'Summe' read 'Snnue': the card's charge to the
    # cent and the line above it both print 88,47
    total = _amount("Wohnwelt Brandt", "Hafenweg 9, 26789 Leer", "Datum: 02.05.2019 16:20",
                    "Stehleuchte   88,47", "Snnue   88, 47", "€C-Karte   88,47", "Danke fur Ihren Einkauf")
    assert total is not None and total.value == Decimal("88.47")
    assert total.confidence <= 0.5


def test_a_card_charge_printed_twice_outweighs_a_total_one_look_alike_digit_off():
    # the total's 9 read as 0; the shop's card line and the card slip's own amount line read 61,89
    rows = ("Gartencenter Wiese", "Dorfstr. 21, 31134 Hildesheim", "Datum: 21.03.2022 11:05",
            "Blumenerde 40l   12,99", "Rosenschere   48,90", "Summe   61,80", "Kartenzahlung   61,89",
            "Kundenbeleg", "Terminal 5512093", "EUR   61,89")
    total = _amount(*rows)
    assert total is not None and total.value == Decimal("61.89")
    assert total.confidence <= 0.5


def test_a_card_charge_printed_once_leaves_the_total_line_as_read():
    # nothing prints the card's 61,89 again: the total line's 61,80 against one other line
    total = _amount("Gartencenter Wiese", "Dorfstr. 21, 31134 Hildesheim", "Datum: 21.03.2022 11:05",
                    "Blumenerde 40l   12,99", "Rosenschere   48,90", "Summe   61,80", "Kartenzahlung   61,89",
                    "Vielen Dank")
    assert total is not None and total.value == Decimal("61.80")


def _date(*rows: str):
    lex = load_lexicons()
    docket = _docket(*rows)
    doc = replace(docket, pages=[replace(page, height=page.width * 3) for page in docket.pages])
    return read_receipt(doc, lex, lex.conventions(doc.text)).get("date")


_PAID = ("Summe   7,55", "Bar   10,00", "Rückgeld   2,45")


def test_a_date_group_read_twice_before_its_year_is_read_once_for_a_person():
    # printed 'Datum: 17.11.2022', the 11 read twice and the marks as commas
    day = _date(_BAKERY[0], _BAKERY[1], "Datum: 17, 11. 11, 2022 09:15", *_PAID)
    assert day is not None and day.value.isoformat() == "2022-11-17"
    assert day.confidence < 0.6

