"""Workshop and hardware dockets printed by dot-matrix tills that round cash to 5 sen: the rounding
line and the labels around it as a worn ribbon and OCR leave them. The amount paid is still the
one the docket's own lines give: the total before rounding and its rounding, a card slip's line,
the net and its tax."""

from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt


def _docket(*foot: str) -> dict:
    """What deskbot reads of a tyre shop's docket whose foot OCR read as ``foot``."""
    return _read(_receipt("PUSAT TAYAR SERI INDAH", "GST No: 001122334455", "TAX INVOICE",
                          "Inv No : PT17-20931   Date : 14/07/2016", "Vehicle : WXY 4410   Time : 10:12 AM",
                          "ALIGNMENT AND BALANCING", "1   84.90   84.90", "VALVE SET", "4   6.50   26.00", *foot))


def test_a_quote_mark_glued_to_a_word_of_the_total_label_leaves_it_the_total_label():
    # a stray pin after NETT read as a closing quote; the line above it is the net, and no other
    # total line is legible: the label still says the amount is what was paid, not a net amount
    found = _docket("Sub Total (Excl GST)   110.90", "GST 6%   6.65", "Total Incl GST   ll7.5S",
                    "Rounding Adj   0.00", "NETT’ PAYABLE   117.55", "Cash Tendered   120.00", "Change Due   2.45")
    assert found["amount"].value == Decimal("117.55")
    assert found["amount"].agreeing >= 2


def test_a_bracket_read_as_f_before_a_worn_incl_still_labels_the_total_not_its_tax():
    # '(Incl SST)' came out as 'fTncl SST)': the amount on that line includes the tax
    found = _docket("Sub Total (Excl SST)   110.90", "SST 6%   6.65", "Total fTncl SST)   117.55",
                    "Cash Tendered   150.00", "Change Due   32.45")
    assert found["amount"].value == Decimal("117.55")
    assert found["amount"].agreeing >= 2


def test_a_rounding_read_as_more_than_a_coin_is_the_reading_that_takes_the_total_to_its_coin():
    # -0.02 with its 0 read as 8 could be -0.02 or -0.32 within half a ringgit; only -0.02 takes
    # 158.47 to its nearest 5 sen, and the card slip's line says 158.45 was paid (the net and
    # tax lines above were torn off)
    found = _docket("Total (Incl GST)   158.47", "Rounding Adj   -0.82", "MASTERCARD   158.45",
                    "Card: XXXXXXXXXXXX1187   Appr: 402211")
    assert found["amount"].value == Decimal("158.45")


def test_a_rounding_that_reads_nothing_rounded_brings_no_misread_total_to_a_coin():
    # net 313.21 and its 6% tax 18.79 add up to 332.00, a whole number of coins: the till rounded
    # nothing, and its rounding line says so. The tax line's label and the summary's tax (18.79 as
    # 18.99) are worn, the total lines' zeros read as 9, 8 and 6; brought to the nearest 5 sen,
    # their look-alike readings would agree on 332.05, which no line printed
    found = _docket("Sub Total (Excl GST)   313.21", "6ST 6%   18.79", "Total {Incl GST)   332.90",
                    "Rounding &dj   0.00", "TOTAL PAYABLE   382,06", "GST Summary   Amt(RM)   GST(RM)",
                    "S$ = 6%   313.21   18.99")
    assert found["amount"].value == Decimal("332.00")
    assert found["amount"].confidence <= 0.5


def test_a_total_cut_short_on_a_rounding_till_is_the_cash_less_change_with_its_zeros_read_back():
    # cash 300.00 less change 51.40 paid 248.60; the slashed zeros came out as 6 and 8 (300.06,
    # 51.48), which leaves 248.58, no whole number of 5 sen on a till that rounds to them
    found = _read(_receipt("KEDAI BESI ANEKA JAYA", "GST Reg. No. : 000912345678", "CASH BILL / TAX INVOICE",
                           "Bill No : CB50311   Date : 02/09/2016", "TOTAL INCL. GST   a", "ROUNDING   -",
                           "GRAND TOTAL   248,", "CASH   300.06", "CHANGE   51.48"))
    assert found["amount"].value == Decimal("248.60")
    assert found["amount"].confidence <= 0.5
