"""The blind3 layouts draw what their truth says (no reading: cheap)."""

from decimal import Decimal

import pytest

from tests.vision.corpus import make_invoice, write_pdf
from tests.vision.corpus_blind3 import BLIND3_KEPT_OUT, BLIND3_LAYOUTS


@pytest.mark.parametrize("layout", BLIND3_LAYOUTS)
def test_layout_prints_its_number_and_total_and_adds_up(layout, tmp_path):
    for seed in range(95000, 95008):
        inv = make_invoice(seed, layout)  # asserts total == net + tax + rounding
        text = "\n".join(run.text for run in inv.runs)
        assert inv.truth["invoice_number"] in text
        assert inv.money(inv.truth["amount"]) in text
        assert inv.truth["issuer"] in text
    if inv.latin:
        assert write_pdf(inv, tmp_path / "x.pdf").stat().st_size > 1000


@pytest.mark.parametrize("layout", BLIND3_LAYOUTS)
def test_misprinted_total_is_printed_ten_off(layout):
    inv = make_invoice(95003, layout, wrong_total=True)
    assert inv.truth["printed_amount"] == inv.truth["amount"] + Decimal("10.00")
    assert inv.money(inv.truth["printed_amount"]) in "\n".join(run.text for run in inv.runs)


def test_half_the_layouts_are_kept_out():
    assert set(BLIND3_KEPT_OUT) < set(BLIND3_LAYOUTS) and len(BLIND3_KEPT_OUT) == 4
