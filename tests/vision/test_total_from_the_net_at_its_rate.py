"""A cash bill whose net was read right and whose taxed totals were not: the net at the printed
rate gives the gross to the cent, whatever OCR made of the tax line's label, of the tax total's
decimal point or of two of its digits; that gross is offered for a person to confirm."""

from decimal import Decimal

from tests.vision.test_cash_less_change_struck_alike import _amount
from tests.vision.test_dot_matrix_dates import _docket
from vision.lexicon import load_lexicons
from vision.receipts import _labelled_amounts


def _offered(*rows: str) -> Decimal | None:
    """The total a docket's rows give, asserted to be left for a person to confirm."""
    total = _amount(*_TOP, *rows)
    assert total is None or total.confidence <= 0.5
    return None if total is None else total.value


_TOP = ("PERNIAGAAN KAYU MAJU", "GST Reg. No. : 000987654321", "CASH BILL / TAX INVOICE",
        "Bill No : CB700311  Date : 02/11/2016")


def test_a_total_excluding_a_tax_the_lexicon_names_elsewhere_is_a_net():
    lex = load_lexicons()
    doc = _docket("Total Exclusive of SST   318.40")
    labelled = _labelled_amounts(doc.lines[0], 0, lex, lex.conventions(doc.text))
    assert [(item.field, [a[0] for a in item.amounts]) for item in labelled] == [("amount_untaxed", [Decimal("318.40")])]


def test_a_tax_line_whose_label_wore_away_still_makes_the_total_above_it_a_net():
    # paid 779.55: net 735.42 + 6% 44.13 (read 44.18, its label '%$7'); the grand total lost its
    # first figure, the total with the tax read a 5 as a 6
    assert _offered("TOTAL AMOUNT   735.42", "%$7 6%   44.18", "TOTAL INCL. GST   779.65",
                    "ROUNDING   0.00", "GRAND TOTAL   79.55") == Decimal("779.55")


def test_a_taxed_total_with_a_space_for_its_point_spells_what_the_net_gives():
    # paid 2,550.85: net 2,406.45 + 6% 144.39 = 2,550.84, rounded +0.01; the tax read as '$4.39',
    # the taxed total with a space for its point, the grand total and the payment lines lost
    assert _offered("TOTAL AMOUNT   2,406.45", "GST 6%   $4.39", "TOTAL INCL. GST   2,550 84",
                    "ROUNDING   0.01", "GRAND TOTAL", "CASH", "CHANGE") == Decimal("2550.85")


def test_taxed_totals_two_look_alike_digits_off_what_net_and_tax_give():
    # paid 580.20: net 547.36 + 6% 32.84; the taxed total read 630.20 (a 5 struck as 6, an 8 as 3),
    # the grand total 636.26 (its zeros as sixes too)
    assert _offered("TOTAL AMOUNT   547.36", "GST 6%   32.84", "TOTAL INCL. GST   630.20",
                    "ROUNDING   0.00", "GRAND TOTAL   636.26") == Decimal("580.20")
