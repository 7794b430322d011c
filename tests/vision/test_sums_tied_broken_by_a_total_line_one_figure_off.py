"""Two amounts the sums give as surely (a lone tax leaves the cents open; a total before the
rounding one look-alike digit off either way): the rounded total line whose figures spell one of
them but for a figure worn into another says which, for a person to confirm."""

from decimal import Decimal

from tests.vision.test_cash_less_change_struck_alike import _amount

_HEAD = ("PUSAT SERVIS KERETA MAJU", "GST No: 000765432198", "TAX INVOICE", "Date : 22 OCT 2016")


def test_the_amount_due_read_one_worn_figure_off_settles_two_amounts_the_sums_tie_on():
    # paid 248.85: net 234.75 (read 234.45) + 6% 14.09 = 248.84 (read 248.34: 248.84 or 248.94 by
    # its look-alikes), rounding 0.01 (read 6.01); the amount due read its 4 as a 0
    total = _amount(*_HEAD, "Sub Total (Excl GST)   234.45", "GST 6%   14.09", "Total (Incl GST)   248.34",
                    "Rounding Adj   6.01", "AMOUNT DUE   208.85")
    assert total is not None and total.value == Decimal("248.85") and total.confidence <= 0.5
