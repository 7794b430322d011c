"""Malaysian till receipts of the GST years, whose tills round a cash total to 5 sen: the amount
paid is the rounded total, even where dot-matrix print smudged the rounding line or a digit of
the rounded total, and a receipt whose till rounded nothing keeps its total to the sen."""

from datetime import date
from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt


def _cash_bill(*foot: str, dated: str = "16/05/2015") -> dict:
    """What deskbot reads of a building-supply company's cash bill whose foot OCR read as ``foot``."""
    return _read(_receipt("SYARIKAT BINAAN JAYA MAJU", "GST Reg. No. : 001049113422",
                          f"Bill No : CB222629   Date : {dated}", "Salesman: ZUL   Time : 14:15", *foot))


def test_the_rounded_grand_total_is_paid_when_the_rounding_amount_is_smudged():
    found = _cash_bill("TOTAL AMOUNT   609.57", "GST 6%   36.57", "TOTAL INCL. GST   646.14", "ROUNDING   @.G1",
                       "GRAND TOTAL   646.15", "CASH   662.80", "GST SUMMARY   AMOUNT(RM)   TAX(RM)",
                       "SR 6%   609.57   36.57")
    assert found["amount"].value == Decimal("646.15")


def test_a_card_payment_the_till_did_not_round_keeps_its_sen():
    found = _cash_bill("TOTAL AMOUNT   609.57", "GST 6%   36.57", "TOTAL INCL. GST   646.14", "ROUNDING   a.ee",
                       "GRAND TOTAL   646.14", "VISA   646.14")
    assert found["amount"].value == Decimal("646.14")


def test_a_worn_digit_of_the_rounded_total_is_offered_as_the_sums_say_for_a_person():
    # 77.93 + 6% of it (4.68) is 82.61, which the till rounds to 82.60: the 0 came out as a 9
    found = _read(_receipt("PUSTAKA CAHAYA SDN BHD", "GST ID NO: 001767663172", "Date: 20-APR-15",
                           "TOTAL EXCL. GST   77.93", "GST @ 6%   4.68", "TOTAL INCL. GST   82.",
                           "ROUNDING ADJ   -§. G1", "TOTAL ROUNDED   82.69", "CHANGE   117.4g"))
    assert found["amount"].value == Decimal("82.60")
    assert found["amount"].confidence <= 0.5  # a person confirms it before it is booked


def test_a_total_incl_gst_whose_incl_is_worn_is_still_the_total_before_rounding():
    # 'INCiL.' for INCL.: the amount is the total's, not a tax of 982.62; rounded by -0.02 it was paid
    found = _cash_bill("TOTAL AMOUNT   $27.40", "TOTAL INCiL. GST   982.62", "ROUNDING   -0.02",
                       "GRAND TOTAL   982.68")
    assert found["amount"].value == Decimal("982.60")
    assert found["amount"].confidence <= 0.5


def test_a_rounding_label_worn_past_its_spelling_still_rounds_the_total():
    found = _cash_bill("TOTAL AMOUNT   660.36", "G5T 6%   39.62", "TOTAL INCL. GST   699.98", "RGUNDI AG   6.02",
                       "GRAND TOTAL   768. 96", "CASH   716.46", "SR 6%   660.36   39.62")
    assert found["amount"].value == Decimal("700.00")


def test_a_slashed_zero_read_as_a_section_sign_in_the_date():
    found = _cash_bill("TOTAL INCL. GST   781.90", "CASH   800.00", "CHANGE   18.10", dated="§6/ 05/2018")
    assert found["date"].value == date(2018, 5, 6)
    assert found["date"].confidence < 0.6  # a guess about the print: a person confirms it
