"""GST-era dockets where OCR read the amount paid's lines past knowing: a total line that prints
the bill before its tax is not the amount paid when the tax summary taxes exactly that net, a
thousands group whose zero came out as an at sign is still one amount, and a day whose 6 came
out as a euro sign is still a day."""

from datetime import date
from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt


def _hardware_bill(*foot: str) -> dict:
    return _read(_receipt("SIN HUAT HARDWARE SDN BHD", "GST Reg. No. : 001298834521", "CASH BILL / TAX INVOICE",
                          "Bill No : HB20417   Date : 14/09/2016", "ITEM   QTY   PRICE   AMOUNT",
                          "PAINT BRUSH 3IN   4 PCS   6.50   26.00", *foot))


def test_a_total_before_the_tax_is_not_the_amount_paid_when_the_tax_summary_taxes_it():
    # 412.30 + 6% (24.74) = 437.04; both lines under the net came out garbled
    found = _hardware_bill("TOTAL AMOUNT   412.30", "GST 6%   24.74", "TOTAL INCL. GST   4S7,O#",
                           "GRAND TOTAL   43?.0u", "CASH   500.00", "GST SUMMARY   AMOUNT(RM)   TAX(RM)",
                           "SR 6%   412.30   24.74")
    assert found["amount"].value == Decimal("437.04")
    assert found["amount"].confidence <= 0.5  # the amount paid was never read: a person confirms it


def test_a_total_that_the_tax_summary_gives_stays_as_read():
    found = _hardware_bill("TOTAL AMOUNT   437.04", "CASH   500.00", "GST SUMMARY   AMOUNT(RM)   TAX(RM)",
                           "SR 6%   412.30   24.74")
    assert found["amount"].value == Decimal("437.04")


def test_a_zero_read_as_an_at_sign_in_a_thousands_group_keeps_the_amount_whole():
    # 1,204.72 - 0.02 = 1,204.70, what the cash less the change also gives
    found = _hardware_bill("TOTAL INCL. GST   1,2@4.72", "ROUNDING   -0.02", "GRAND TOTAL   1,ZO#,7",
                           "CASH   1,300.00", "CHANGE   95.30")
    assert found["amount"].value == Decimal("1204.70")


def test_a_day_whose_six_came_out_as_a_euro_sign_is_read():
    found = _read(_receipt("KEDAI BUKU SENG FATT", "GST ID NO: 001385529904", "TAX INVOICE",
                           "Invoice No : KB-20981", "Date : 2€-OCT-17 14:02:11", "TOTAL INCL. GST   53.00",
                           "CASH   60.00", "CHANGE   7.00"))
    assert found["date"].value == date(2017, 10, 26)
