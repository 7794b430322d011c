"""Dot-matrix workshop dockets whose total lines wore: a worn 'Incl' after TOTAL is still the total
including the tax (never mended into the net's 'Excl', a letter further away), and a tax summary
whose tax opens with a 1 read as a letter still gives the gross, where its arithmetic holds."""

from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt


def _workshop(*foot: str) -> dict:
    return _read(_receipt("SRI MAJU MOTOR WORKS", "GST No: 000812345678", "TAX INVOICE",
                          "Inv No : SM17-02231   Date : 14/08/2017", "Car No : JHR 4410   Time : 09:15 AM",
                          "DESCRIPTION   QTY   PRICE   AMOUNT", "ENGINE OIL 5W30", "1   176.80   176.80", *foot))


def test_a_worn_incl_after_total_keeps_the_line_the_total_paid():
    # 'Incl' and the bracket before it wore to 'ilacl': two letters from incl, three from the net's excl
    found = _workshop("Sub Total (Excl GST)   176.80", "GST 6%   10.61", "Total ilacl GST)   187.41",
                      "Cash   200.00", "Change   12.59")
    assert found["amount"].value == Decimal("187.41")


def test_a_worn_incl_line_with_its_point_lost_still_witnesses_the_sums_against_a_misread_payable():
    # 176.80 + 6% (10.61) = 187.41, paid 187.40: the payable line read two figures otherwise, the tax line one
    found = _workshop("Sub Total (Excl GST)   176.80", "GST 6%   30.61", "Total ilacl GST)   187 41",
                      "Rounding Adj   -0.01", "TOTAL PAYABLE   381.40", "SR   6%   176.80   10.61")
    assert found["amount"].value == Decimal("187.40")
    assert found["amount"].confidence <= 0.5


def test_a_summary_tax_whose_leading_one_reads_as_a_letter_still_gives_the_gross():
    # 176.80 + 6% (10.61) = 187.41, paid 187.40; the tax line read 30.61: only the summary's row
    # ties net and tax, its tax's 1 read as an l and its point lost
    found = _workshop("Sub Total (Excl GST)   176.80", "GST 6%   30.61", "Total (Incl GST)   137 41",
                      "Rounding Adj   -0.01", "TOTAL PAYABLE   387.40", "GST Summary   Amt(RM)   GST(RM)",
                      "SR   6%   176.80   l0 61")
    assert found["amount"].value == Decimal("187.40")
    assert found["amount"].confidence <= 0.5
