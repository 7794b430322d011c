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


def test_two_lines_that_agree_as_read_outweigh_three_that_agree_only_once_digits_are_reread():
    # a hypermarket till: subtotal 175.24 rounded up a sen is 175.25, and 200.00 tendered less
    # 24.75 change is 175.25 too; the photo turned the total's 5 into a 9. Reading 175.29 and the
    # change's digits as look-alikes could make three lines say 175.30, but only by rewriting five
    # digits: the person is offered what the lines say as printed
    found = _read(_receipt("TF VALUE-MART SDN BHD", "TEL: 013-756 9138", "MILO ACTIV-GO 2KG",
                           "3 X 25.00   75.00", "BERAS SUPER SPECIAL 10KG", "3 X 33.41   100.23",
                           "PROMO DISC   -0.22", "SUBTOTAL   175.24", "ROUNDING ADJ   0.01", "TOTAL (RM)   175.29",
                           "CASH   200.00", "Change Amt   24.75", "15/04/2021   16:30   7519"))
    assert found["amount"].value == Decimal("175.25")
    assert found["amount"].confidence <= 0.5


def test_a_tax_line_whose_g_reads_as_a_six_is_not_taken_for_the_amount_paid():
    # 'Total 6ST' is the docket's GST; its own total line's label smudged to 'Tetal', nothing
    # else on the strip says what was paid: the person is not offered the tax as the total
    found = _read(_receipt("MR. D.I.Y. (M) SDN BHD", "GST ID : 000306020352", "CASH SALE / TAX INVOICE",
                           "Doc No : INV362475   Date: 13/04/2015", "SPRAY PAINT BLACK", "2   11.61   23.22   SR",
                           "Total Qty: 2", "Total (Excluding GST) :   21.91", "Total 6ST :   1.31",
                           "Tetal Sales (Inclusive of GST) :   23.22"))
    assert "amount" not in found or found["amount"].value != Decimal("1.31")



def test_a_rounding_label_whose_letters_print_turned_into_look_alikes_still_rounds_the_total():
    # 'RQUMDIRC': Q for O, M and R for N, C for G, each a letter dot-matrix print turns into its
    # look-alike; the rounding's own amount, the grand total's and the cash are smudged past reading
    found = _cash_bill("TOTAL AMOUNT   305.11", "GST 6%   18.31", "TOTAL INCL. GST   323.42", "RQUMDIRC   Q.?3",
                       "GRAND TOTAL   3Z3. 4O", "CASH   3S0.OQ", "CHANGE   6.60", "SR 6%   305.11   18.31")
    assert found["amount"].value == Decimal("323.40")
    assert found["amount"].confidence <= 0.5
