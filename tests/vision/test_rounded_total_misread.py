"""A worn dot-matrix cash bill whose rounded total is misread by one character (a digit worn into
another digit or into a letter, a lost decimal digit), where the bill's own arithmetic (the tax
the printed rate of the net, the cash less the change) says what was paid; the tax line known by
that arithmetic when its label is worn; the 'NETT PAYABLE' caption Malaysian dockets print."""

from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt


def _bill(*bottom: str):
    return _receipt("SYARIKAT MAJU JAYA SDN BHD", "CASH BILL", "Date : 11/08/2016  Time : 10:15",
                    "CEMENT 50KG   4 BAG   22.50   90.00", "SAND (TON)   2 UNIT   65.15   130.30", *bottom)


def test_a_rounded_total_with_one_digit_worn_gives_way_to_the_net_and_its_tax():
    # 220.30 net, 13.22 tax (6%), 233.52 rounded to 233.50; the rounded total's 5 read as a 9
    found = _read(_bill("TOTAL AMOUNT   220.30", "GST 6%   13.22", "TOTAL INCL. GST   233.52", "ROUNDING   -0.02",
                        "GRAND TOTAL   233.90", "CASH   250.00", "CHANGE   1b.50"))
    assert found["amount"].value == Decimal("233.50")
    assert found["amount"].confidence <= 0.5  # for a person to confirm: the line printed another figure
    # the tax misread (13.82): no arithmetic ties the net to it; the grand total as read stands
    found = _read(_bill("TOTAL AMOUNT   220.30", "GST 6%   13.82", "TOTAL INCL. GST   233.52", "ROUNDING   -0.02",
                        "GRAND TOTAL   233.50", "CASH   250.00", "CHANGE   16.50"))
    assert found["amount"].value == Decimal("233.50") and found["amount"].confidence > 0.5
    # net and tax that give a total two figures away from the one printed (252.50, 233.50) say
    # nothing of how that total was misread: it stays
    found = _read(_bill("TOTAL AMOUNT   238.21", "GST 6%   14.29", "ROUNDING   a.al", "GRAND TOTAL   233.50",
                        "CASH   300.00", "CHANGE   6b.5O"))
    assert found["amount"].value == Decimal("233.50")


def test_a_letter_for_a_digit_in_the_rounded_total_is_not_the_total():
    # the leading 2 of 233.50 worn into a Z: '233.50' is not '33.50'
    found = _read(_bill("TOTAL AMOUNT   220.30", "GST 6%   13.22", "TOTAL INCL. GST   233.52", "ROUNDING   -0.02",
                        "GRAND TOTAL   Z33.50", "CASH   250.00", "CHANGE   1b.5O"))
    assert found["amount"].value == Decimal("233.50")


def test_the_tax_line_is_known_by_its_rate_of_the_net_when_its_label_is_worn():
    # 'GST' worn into '6ST'; the rounding's amount and the total before it illegible
    found = _read(_bill("TOTAL AMOUNT   220.30", "6ST 6%   13.22", "TOTAL INCL. GST   ee ae", "ROUNDING   a.a2",
                        "GRAND TOTAL   283.50", "CASH   300.00", "CHANGE   6b.5O"))
    assert found["amount"].value == Decimal("233.50")


def test_nett_payable_is_the_amount_paid():
    # a workshop's docket: the total with its GST, then what is payable after rounding
    found = _read(_receipt("BENGKEL AUTO MAJU", "Inv No : W116-11223  Date : 03 MAR 2017", "OIL FILTER   1   25.00",
                           "Sub Total (Excl GST)   80.00", "GST 6%   4.80", "NETT PAYABLE (RM)   84.80",
                           "Cash Tendered   100.00", "Change Due   15.20"))
    assert found["amount"].value == Decimal("84.80") and found["amount"].confidence > 0.9  # read, not worked out
    found = _read(_receipt("BENGKEL AUTO MAJU", "Inv No : W116-11223  Date : 03 MAR 2017", "OIL FILTER   1   25.00",
                           "Total (Incl GST)   84.82", "Rounding Adj   -0.02", "Net Payable   84.80"))
    assert found["amount"].value == Decimal("84.80") and found["amount"].confidence > 0.5


def test_a_total_above_the_tax_line_is_the_net_not_what_the_rounding_rounds():
    # 'TOTAL AMOUNT' is the net here: the GST follows it, and the total with the GST in it, like
    # the rounded total, is illegible. The rounding rounds 184.19 + 11.05 = 195.24 (to 195.25),
    # not the net (184.19 to 184.20)
    found = _read(_bill("TOTAL AMOUNT   184.19", "GST 6%   11.05", "TOTAL INCL. GST   1a5.Z4", "ROUNDING   0.01",
                        "GRAND TOTAL   1aS.z5"))
    assert found["amount"].value == Decimal("195.25") and found["amount"].confidence <= 0.5
    # a total whose label names the tax it holds is the total before rounding, a tax line below it or not
    found = _read(_bill("TOTAL INCL. GST   195.24", "GST 6%   11.05", "ROUNDING   0.01", "GRAND TOTAL   1aS.z5"))
    assert found["amount"].value == Decimal("195.25")


def test_a_total_off_the_coin_taken_to_it_by_the_rounding_as_printed():
    # the docket's total lines worn past reading: its tax summary gives 157.41 (148.50 + 8.91),
    # and the rounding line as printed takes exactly that to the nearest 5 sen, 157.40: paid
    def docket(rounding: str):
        return _receipt("BENGKEL AUTO MAJU", "Inv No : W116-11223  Date : 03 MAR 2017", "OIL FILTER   1   148.50",
                        "Sub Total (Excl GST)   148.50", "GST 6%   a.9I", f"Rounding Adj   {rounding}",
                        "GST Summary   Amt(RM)   Tax(RM)", "SR 6%   148.50   8.91")

    found = _read(docket("-0.01"))
    assert found["amount"].value == Decimal("157.40") and found["amount"].confidence <= 0.5
    # a rounding that takes it elsewhere than its nearest coin says nothing of the cent paid
    assert _read(docket("0.01"))["amount"].value == Decimal("157.41")


def test_cash_whose_decimal_mark_reads_as_a_space_still_less_its_change():
    # 888.41 to the coin 888.40: the total with the GST read 883.41 (an 8's left dots lost, a 3),
    # the grand total's label worn; cash 900.00 printed as '900 00' less 11.60 change says 888.40
    def bill(cash: str):
        return _bill("TOTAL AMOUNT   833.12", "6ST 6%   50.29", "TOTAL IWCL. GST   883.41", "ROUND AA   -0.01",
                     "6RAMD TQTEL   688.40", cash, "CHANGE   11.60")

    for cash in ("CASH   900 00", "CASH   900.00"):
        found = _read(bill(cash))
        assert found["amount"].value == Decimal("888.40") and found["amount"].confidence <= 0.5
