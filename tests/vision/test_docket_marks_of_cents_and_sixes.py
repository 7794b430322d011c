"""Dockets whose marks came out of OCR as other marks: the full stop before a total's cents
read as a comma on a page that writes its amounts with stops, and a 6 at the front of the
rounded total read as a euro sign. What the page's sums give says what was printed."""

from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt
from vision import analyse

_HEAD = ("BENGKEL KERETA AUTO JAYA", "GST REG NO : 000812345678", "Date : 14/09/2016   10:31")


def test_cents_after_a_comma_on_a_ringgit_docket_are_cents():
    # printed 316.29 and 7,154.15; the stop's tail made it a comma: no thousands group is two
    # digits long, whatever the page's own decimal mark
    for total, paid in (("316,29", "316.29"), ("7,154,15", "7154.15")):
        result = analyse(_receipt(*_HEAD, "Sub Total (Excl GST)   293.36", "Total (Incl GST)   315.20",
                                  f"TOTAL PAYABLE   {total}"), templates=[])
        assert result.value("amount") == Decimal(paid)


def test_a_rounded_total_whose_first_six_reads_as_a_euro_sign():
    # 595.83 + 35.75 = 631.58, rounded by 0.02 to 631.60; the 6 at the front of the rounded
    # total's line struck into a euro sign, a ringgit page that names no euro anywhere
    rows = ("TOTAL AMOUNT   595.83", "GST 6%   35.75", "TOTAL INCL. GST   631.58", "ROUNDING   0.02")
    found = _read(_receipt(*_HEAD, *rows, "GRAND TOTAL   €31.60", "CASH   700.00"))
    assert found["amount"].value == Decimal("631.60")
    assert found["amount"].confidence < 0.6  # a mark taken for a digit: a person confirms it
    # its last digit misread as well: the sums still name the one total it is one figure off
    found = _read(_receipt(*_HEAD, *rows, "GRAND TOTAL   €31.65", "CASH   700.00"))
    assert found["amount"].value == Decimal("631.60")
    assert found["amount"].confidence < 0.6
