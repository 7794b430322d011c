"""A workshop's dot-matrix invoice whose ribbon struck its zeros as eights on every amount line:
the cash handed over less the change still says what was paid, and the total before the
rounding says it too once one of its look-alike digits is read as printed."""

from decimal import Decimal

from tests.vision.test_dot_matrix_dates import _docket
from vision.lexicon import load_lexicons
from vision.receipts import read_receipt


def _amount(*rows: str):
    lex = load_lexicons()
    doc = _docket(*rows)
    return read_receipt(doc, lex, lex.conventions(doc.text)).get("amount")


_HEAD = ("SIN LEE TYRE & BATTERY SERVICE", "GST No: 001234567890", "TAX INVOICE", "Date : 15 MAY 2015")


def test_cash_less_change_with_a_look_alike_gross_outweighs_the_gross_brought_to_the_coin():
    # paid 190.10: gross 190.08 (read 190.68), rounding 0.02 (illegible), the amount due lost in
    # specks, the rounding's label worn; cash 211.00 and change 20.90, each read with an 8 for its last zero
    total = _amount(*_HEAD, "Sub Total (Excl GST}   179.32", "GST 6%   16.76", "Total (Incl 6ST)   190.68",
                    "Reunding fd)   &. 02", "AMOUNT DUE   193.186", "Cash Tendered   211.08", "Change Due   20.98",
                    "GST Summary   Amt{ RN)   GSTCRM)", "S$ =   6%   179.32   19   76")
    assert total is not None and total.value == Decimal("190.10")
    assert total.confidence <= 0.5  # the sums chose among misread digits: a person confirms it


def test_cash_less_change_no_total_line_gives_leaves_the_total_as_read():
    # paid 85.00 as printed on the rounded line; the change misread (14.30 for 15.00) gives 85.70,
    # which no reading of the total before rounding gives: nothing changes
    total = _amount(*_HEAD, "Sub Total (Excl GST)   80.19", "GST 6%   4.81", "Total (Incl GST)   85.00",
                    "Rounding Adj   0.00", "AMOUNT DUE   85.00", "", "Cash Tendered   100.00",
                    "Change Due   14.30")
    assert total is not None and total.value == Decimal("85.00")


def test_a_card_line_on_the_coin_a_look_alike_gross_rounds_to_is_the_amount_paid():
    # paid 322.90 by card: gross 322.88 (its 8 read as 3), rounding 0.02 (read '@. G2'), the
    # amount due garbled, the net's 0 and the tax's 8 and rate misread too (no arithmetic holds);
    # the card's line reads the amount paid, a whole number of 5-sen coins
    total = _amount(*_HEAD, "Sub Total (Excl GST)   394.60", "6ST   5%   18.23", "Total {Incl GST}   322.83",
                    "Rounding Adj   @. G2", "HET? PAYABLE   (RM)   3272.96", "MASTERCARD   322.90",
                    "Card: ************3679   Appr: 728597", "GST Summary   Amc(RM)   GSTCRA)",
                    "S   =   sk   394.60   18.28")
    assert total is not None and total.value == Decimal("322.90") and total.confidence <= 0.5


def test_two_prints_of_the_amount_one_digit_apart_are_settled_by_the_net_and_its_tax():
    # paid 151.20 by card, no rounding: the total line reads 151,23, the card's line 151.28 (a
    # slashed zero read as 3 and as 8); 142.64 and its 6% tax 8.56 add up to 151.20
    total = _amount(*_HEAD, "Sub Total (Excl GST)   142.64", "GST   6%   8.56", "Total (Incl GST)   1£1.26",
                    "AMOUNT DUE   151,23", "MASTERCARD   151.28", "Card: ************4546   Appr: 947404")
    assert total is not None and total.value == Decimal("151.20") and total.confidence <= 0.5


def test_a_bracket_and_an_e_misread_still_say_the_subtotal_excludes_the_tax():
    # '(Excl GST)' struck as 'féxcl GST)': the amount after it is the net, not a tax of 142.64
    total = _amount(*_HEAD, "Sub Total féxcl GST)   142.64", "GST   6%   8.56", "Total (Incl GST)   1£1.26",
                    "AMOUNT DUE   151,23", "MASTERCARD   151.28", "Card: ************4546   Appr: 947404")
    assert total is not None and total.value == Decimal("151.20") and total.confidence <= 0.5
