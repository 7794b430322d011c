"""A ribbon printer's slashed zero, read by OCR as 3, 6, 8 or 9 on every line that states the
total, read as the zero it is by laying the page's own prints of its zero together."""

import pytest

from tests.vision.conftest import needs_tesseract
from tests.vision.receipt_corpus import flatbed, make_receipt, same_amount
from vision import CheckPolicy, read_invoice


@needs_tesseract
@pytest.mark.ocr
@pytest.mark.parametrize("seed, layout", [(110900, "my_bookshop_invoice"), (111104, "my_tyre_workshop")])
def test_a_dot_matrix_docket_whose_total_holds_a_slashed_zero_is_read_with_that_zero(tmp_path, seed, layout):
    # scanned on a flatbed: the bookshop's 84.20 had been read 83.90 and the workshop's 167.10
    # as 167.88 on each line that says it, so the docket's own sums could not tell
    receipt = make_receipt(seed, layout)
    result = read_invoice(flatbed(receipt, tmp_path / "docket.jpg"), templates=[],
                          policy=CheckPolicy(max_age_days=100_000))
    assert same_amount(result.value("amount"), receipt.truth["amount"]), result.fields_json()
    assert result.status != "ready" or same_amount(result.value("amount"), receipt.truth["amount"])


def test_a_print_pinched_in_on_both_sides_is_an_eight_and_straight_sides_a_zero():
    import numpy as np

    from vision.pageglyphs import is_zero_shape, pinched

    zero = np.zeros((14, 10), bool)
    zero[0, 2:8] = zero[-1, 2:8] = True
    zero[1:-1, 0] = zero[1:-1, -1] = True
    zero[4:10, 4:6] = True  # the slash or dot inside
    eight = zero.copy()
    eight[6:8, 0] = eight[6:8, -1] = False
    eight[6:8, 2:8] = True  # the waist between its loops
    assert is_zero_shape(zero) and not pinched(zero)
    assert pinched(eight) and not is_zero_shape(eight)
