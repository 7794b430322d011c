"""A docket whose every line printing the amount paid struck its slashed zeros as other digits:
the tax arithmetic reads those lines with their zeros read back, so the amount net and tax give
has the total lines as witnesses too, and is offered for a person to confirm."""

from decimal import Decimal

from tests.vision.test_cash_less_change_struck_alike import _amount

_HEAD = ("BENGKEL MOTOR SETIA JAYA", "GST No: 000456789123", "TAX INVOICE", "Date : 03 MAR 2016")


def _offered(*rows: str) -> Decimal | None:
    total = _amount(*_HEAD, *rows)
    assert total is None or total.confidence <= 0.5
    return None if total is None else total.value


def test_net_and_tax_to_the_cent_against_total_lines_with_their_zeros_struck_otherwise():
    # paid 600.00: net 566.04 + 6% 33.96; the taxed total lost in specks, the amount due and the
    # card line read a 6 as an 8 and the cents' zeros as 9, 8 and 3
    assert _offered("Sub Total (Excl GST)   566.04", "GST 6%   33.96", "Total (Incl GST)   6#@.",
                    "AMOUNT DUE   800,98", "VISA   800.38", "Card: XXXX1234") == Decimal("600.00")


def test_a_lone_tax_against_a_total_line_whose_cents_are_slashed_zeros():
    # paid 215.00: 6% of 202.83 is 12.17 (the tax line's point read as a space, the summary's net
    # 203.88); the taxed total read its two zeros as 6 and 9, the amount payable and the debit
    # card line a 1 as a 7, alike
    assert _offered("Sub Total (Excl GST)   292.83", "GST 6%   12 17", "Total (Incl GST)   215.69",
                    "TOTAL PAYABLE   275,00", "DEBIT CARD   275.00", "GST Summary",
                    "S = 6%   203.88   12.17") == Decimal("215.00")
