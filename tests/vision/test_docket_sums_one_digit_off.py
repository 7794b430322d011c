"""Dot-matrix dockets of Malaysia's GST years where the sums and the amount paid disagree by one
misread figure: the rounded total line's own reading is not overruled by a sum whose net had a
slashed zero read as another digit, a rounding line whose label came out worn still says the
till rounded to the coin, and a column of amounts the page's layout analysis left out, glued
into one blob by a photo's paper grain, is still read again."""

from decimal import Decimal

import cv2
import numpy as np

from tests.vision.test_receipts import _read, _receipt
from vision.preprocess import uncovered_text


def _tyre_shop(*foot: str) -> dict:
    return _read(_receipt("CHOP KIM HIN TAYAR SDN BHD", "GST No: 001622047315", "TAX INVOICE",
                          "Inv No : W16-00417   Date : 03/09/2016", "Car No : WKL 5521   Time : 11:20 AM", *foot))


def test_a_net_with_a_zero_read_as_six_does_not_overrule_the_total_payable_as_read():
    # 248.60 + 14.92 = 263.52, paid 263.50; the net's 0 came out a 6 (248.66 + 14.92 would be paid 263.60)
    found = _tyre_shop("Sub Total (Excl GST)   248.66", "GST 6%   14.92", "Total (Incl GST)   2G3.5Z",
                       "Rounding Adj   -0.02", "TOTAL PAYABLE   263.50", "Cash Tendered   300.00")
    assert found["amount"].value == Decimal("263.50")


def test_a_tax_summary_net_one_look_alike_off_ties_with_the_rounded_total_read():
    # SR row 154.28 for 154.23: its gross 163.53 rounds to 163.55; 154.23 + 9.25 = 163.48, paid 163.50
    found = _read(_receipt("KEDAI BUKU SENG FATT", "GST ID NO: 001385529904", "TAX INVOICE", "Date : 11-MAR-16",
                           "TOTAL EXCL. GST", "GST @ 6%", "TOTAL INCL. GST   1G3.4B", "ROUNDING ADJ   0.02",
                           "TOTAL ROUNDED   163.50", "CASH   200.00", "CHANGE   36.5G", "GST SUMMARY",
                           "SR   6%   154.28   9.25"))
    assert found["amount"].value == Decimal("163.50")


def test_a_rounding_line_whose_label_wore_still_brings_the_sums_to_the_coin():
    # 512.40 + 30.74 = 543.14, rounded up a sen; the total before rounding read 548.14, the grand
    # total garbled: the sums, with the till's rounding, say what was paid
    found = _read(_receipt("LIM BROTHERS TRADING CO", "GST Reg. No. : 001433210986", "CASH BILL / TAX INVOICE",
                           "Bill No : CB551203   Date : 21/07/2016", "TOTAL AMOUNT   512.48", "GST 6%   30.74",
                           "TOTAL INCL. GST   548.14", "ROUNSING   0.01", "GRAND TOTAL   343, 16", "CASH   600.00",
                           "CHANGE   56.8S", "GST SUMMARY   AMOUNT(RM)   TAX(RM)", "SR 6%   512.40   30.74"))
    assert found["amount"].value == Decimal("543.15")
    assert found["amount"].confidence <= 0.5  # rewritten digits: a person confirms it


def _grainy_page_with_a_column(rnd: np.random.Generator) -> tuple[np.ndarray, list]:
    """A photographed docket after its contrast was stretched: labels on the left (read), a
    right-hand column of amounts a line apart (left unread), and paper grain all over."""
    page = np.full((900, 700), 235, np.uint8)
    boxes = []
    for n in range(12):
        y = 120 + n * 40
        cv2.putText(page, f"LINE {n}", (40, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 60, 2)
        boxes.append((38.0, y - 24.0, 160.0, y + 4.0))
        cv2.putText(page, f"{37 * n + 12}.{(n * 7) % 100:02d}", (520, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 60, 2)
    grain = rnd.random(page.shape) < 0.01  # a speck in every hundred pixels
    page[grain] = 150
    return page, boxes


def test_a_column_of_amounts_glued_by_paper_grain_is_cut_out_line_by_line():
    page, boxes = _grainy_page_with_a_column(np.random.default_rng(5))
    pieces = uncovered_text(page, boxes, 26.0)
    right = [(x, y, crop.shape) for crop, x, y in pieces if x > 400]
    # one cut-out a line: each amount is read again on its own
    assert len(right) >= 10
    assert all(crop[0] < 3 * 26 for _, _, crop in right)
