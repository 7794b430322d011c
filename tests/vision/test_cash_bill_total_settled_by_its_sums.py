"""Cash bills of Malaysia's GST years whose total lines OCR misread, settled by the bill's own
sums: total lines read as the very same amount are one witness (a figure lost at the paper's
edge is lost on each), the cash less the change and the tax are two, the total before rounding
read as printed is brought to the coin, and an amount a total line reads beats one only a
misread change says. Each amount so
found is offered to a person, never booked."""

from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt
from vision.fields import Field
from vision.lexicon import load_lexicons
from vision.receipts import _total_by_the_tax


def _builders_bill(*foot: str) -> dict:
    return _read(_receipt("TECK GUAN BUILDING SUPPLY SDN BHD", "GST Reg. No. : 002117640385",
                          "CASH BILL / TAX INVOICE", "Bill No : TG40918   Date : 07/10/2016",
                          "ITEM   QTY   PRICE   AMOUNT", "GALVANISED NAIL 2IN   6 BOX   9.40   56.40", *foot))


def test_total_lines_that_lost_the_same_leading_figure_give_way_to_the_tax_summary():
    # 615.38 + 6% (36.92) = 652.30; both total lines lost the 6 at the paper's edge
    found = _builders_bill("TOTAL AMOUNT   6l5.#B", "GST 6%   3G.9?", "TOTAL INCL. GST   52.30",
                           "GRAND TOTAL   52.30", "CASH   700.00", "GST SUMMARY   AMOUNT(RM)   TAX(RM)",
                           "SR 6%   615.38   36.92")
    assert found["amount"].value == Decimal("652.30")
    assert found["amount"].confidence <= 0.5


def test_cash_less_change_and_the_tax_outweigh_a_misread_net_taken_for_the_total():
    # 1,412.50 + 84.75 = 1,497.25 = 1,500.00 - 2.75; the net read 1,312.50 and every total line garbled
    found = _builders_bill("TOTAL AMOUNT   1,312.50", "GST 6%   84.75", "TOTAL INCL. GST   1,4?7.2S",
                           "ROUNDING   0.00", "GRAND TOTAL   l,#9?.Z", "CASH   1,500.00", "CHANGE   2.75",
                           "GST SUMMARY   AMOUNT(RM)   TAX(RM)", "SR 6%   1,4l2.5O   8#.7S")
    assert found["amount"].value == Decimal("1497.25")
    assert found["amount"].confidence <= 0.5


def test_the_total_before_rounding_as_read_is_brought_to_the_coin():
    # 1,327.46 + 79.65 = 1,407.11, rounded down a sen; read 1,407.12 before the rounding and 1,467.16
    # after it, the summary's rate 5%: the total before rounding as read says which coin was paid
    doc = _receipt("LIM SENG HUAT TRADING", "CASH BILL / TAX INVOICE", "TOTAL AMOUNT   3,327.47", "GST 6%   79.05",
                   "TOTAL INCL. GST   1,407.12", "ROUNDING   -0.01", "GRAND TOTAL   1,467.16", "CASH   2,410.60",
                   "CHANGE   2.98", "GST SUMMARY   AMOUNT(RM)   TAX(RM)", "SR 5%   1,327.46   79.65")
    lex = load_lexicons()
    read = Field(Decimal("1467.16"), 0.8, "layout", 1, "GRAND TOTAL   1,467.16")
    paid = _total_by_the_tax(read, doc, lex, lex.conventions(doc.text))
    assert paid.value == Decimal("1407.10")
    assert paid.confidence <= 0.5


def test_a_total_line_read_beats_an_amount_only_a_misread_change_says():
    # 335.38 + 20.12 = 355.50; both total lines read 356.50, the change 44.60 for 44.50 (355.40)
    found = _builders_bill("TOTAL AMOUNT   335.33", "GST 6%   20.12", "TOTAL INCL. GST   356.50", "ROUNDING   8.6e",
                           "GRAND TOTAL   356,50", "CASH   400.00", "CHANGE   44.60",
                           "GST SUMMARY   AMOUNT(RM)   TAX(RM)", "SR 6%   336.38   20.12")
    assert found["amount"].value == Decimal("355.50")
