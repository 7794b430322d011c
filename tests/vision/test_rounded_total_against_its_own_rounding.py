"""A rounded total the lines above it contradict: the total before rounding and a legible rounding
line agree on the cent a till that rounds to 5 sen ends on; a total line whose figures OCR garbled
(a dotted zero read as two digits, a 9 read as S) still spells what the sums give."""

from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt


def test_a_rounded_total_read_with_another_last_cent_is_what_the_total_and_its_rounding_give():
    # 64.37 - 0.02 is 64.35; the rounded line's last digit read as another (64.30)
    found = _read(_receipt("KEDAI BUKU MAJU", "GST ID NO: 002211334455", "Date: 09-OCT-17",
                           "TOTAL EXCL.   GST   6O.7Z", "GST   @   6%   3.64", "TOTAL INCL.   GST   64.37",
                           "ROUNDING ADJ   -0.02", "TOTAL ROUNDED   64.30", "CASH   1Oo.OO"))
    assert found["amount"].value == Decimal("64.35")
    assert found["amount"].confidence <= 0.5  # for a person to confirm


def test_a_rounded_total_whose_figures_agree_with_the_total_above_stays():
    found = _read(_receipt("KEDAI BUKU MAJU", "GST ID NO: 002211334455", "Date: 09-OCT-17",
                           "TOTAL INCL.   GST   64.37", "ROUNDING ADJ   -0.02", "TOTAL ROUNDED   64.35",
                           "CASH   70.00", "CHANGE   5.65"))
    assert found["amount"].value == Decimal("64.35")
    assert found["amount"].confidence > 0.5


def test_a_legible_rounding_rules_out_readings_of_the_total_the_till_would_have_rounded_otherwise():
    # 233.72 rounded by -0.02 is 233.70; cash 250.00 (zeros read as 6 and 8) less 16.30 says it too.
    # The total before read with its 2 as an 8, brought to a 10-cent coin (233.80), would need a
    # rounding of +0.02, not the -0.02 printed, however many lines its look-alikes then agree with
    found = _read(_receipt("SYARIKAT ALAT TULIS", "GST ID NO: 002299887766", "Date: 14-MAR-16",
                           "TOTAL EXCL.   GST   2201.49", "GST   @   &%   13.23", "TOTAL INCL.   GST   233.72",
                           "ROUNDING ADJ   -0.02", "TOTAL ROUNDED   233.30", "CASH   256.08", "CHANGE   16.30"))
    assert found["amount"].value == Decimal("233.70")
    assert found["amount"].confidence <= 0.5


def test_a_total_line_with_a_zero_read_as_two_digits_is_one_more_witness_of_the_summed_total():
    # net 612.45 + 6% (36.75) = 649.20 in the tax summary; 'NETT PAYABLE 649,202' is 649.20 with
    # its 0 read as '02'; the total incl. tax above it read with its 4 as a 9 (699.20)
    found = _read(_receipt("BENGKEL MOTOR SETIA", "GST No: 001234567890", "Date : 17/05/2016",
                           "Total (Incl GST)   699.20", "NETT PAYABLE   (RM)   649,202",
                           "Cash Tendered   700.00", "Change Due   5O. B0", "GST Summary   Amount   Tax", "SR @ 6%   612.45   36.75"))
    assert found["amount"].value == Decimal("649.20")
    assert found["amount"].confidence <= 0.5


def test_a_total_off_the_coin_over_a_garbled_total_that_spells_its_coin_is_that_coin():
    found = _read(_receipt("LIM BROTHERS TRADING", "GST Reg. No. : 000987654321", "Date: 03/02/2016",
                           "TOTAL INCL.   GST   418.73", "GRAND TOTAL   41B. 75", "CASH   420.00"))
    assert found["amount"].value == Decimal("418.75")
    assert found["amount"].confidence <= 0.5


def test_a_garbled_total_line_that_spells_the_total_above_as_well_changes_nothing():
    # '418.7S' is one character from 418.75 and from 418.73 alike: it says nothing of a rounding
    found = _read(_receipt("LIM BROTHERS TRADING", "GST Reg. No. : 000987654321", "Date: 03/02/2016",
                           "TOTAL INCL.   GST   418.73", "GRAND TOTAL   418.7S", "CARD   418.73"))
    assert found["amount"].value == Decimal("418.73")


def test_a_total_including_the_tax_whose_l_wore_to_an_i_is_no_tax_amount():
    # 'InCi.' is Incl. with the l's foot worn off; the grand total lost its 5 to a $ and read its 0 as 6
    found = _read(_receipt("PERNIAGAAN BATU BATA", "GST Reg. No. : 000765432109", "Date: 21/08/2015",
                           "TOTAL AMOUNT   4B9.97", "GST   6%   29.40", "TOTAL InCi.   SST   519.37",
                           "ROUNDING   -0.02", "GRAND TOTAL   $19.36", "CASH   $2O.OO"))
    assert found["amount"].value == Decimal("519.35")
    assert found["amount"].confidence <= 0.5
    assert "vat" not in found or found["vat"].value != Decimal("519.37")


def test_a_net_and_tax_that_tie_as_printed_are_not_outvoted_by_amounts_only_look_alikes_make():
    # 50.28 + 6% (3.02) = 53.30; the total's figures and the rounding garbled. The tax table under
    # its rate heads read '$0.28' (80.28: 60.28 + 3.62 with two digits read otherwise) and the cash
    # and change struck with look-alikes agree on 63.90 only by reading five digits otherwise
    found = _read(_receipt("PERCETAKAN SINAR", "GST REG NO : 001122334455", "Date: 04/06/2017",
                           "Amount before GST   50.28", "65ST Payable 6%   3.02", "Total   &mount   03.30",
                           "Rounding Ady   #49", "CASH RECEIVED   109.08", "CHANGE DWE   46.18",
                           "GST ANALYSIS", "5 =   6%   Z =   8%", "$0.28 f   3.02   0.80 /   3.89"))
    assert found["amount"].value == Decimal("53.30")
    assert found["amount"].confidence <= 0.5
