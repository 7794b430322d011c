"""A till slip whose total line and its own payment line read one amount, while another total
line (a card slip's amount) reads it with one look-alike digit otherwise: the till's head may
have worn that digit alike on both lines, so the two agreeing prints do not make the total sure.
The amount as read is kept, for a person to confirm."""

from decimal import Decimal

import pytest

from tests.vision.test_payment_lines_speak_for_a_worn_total import _amount


@pytest.mark.parametrize("till_reads, slip_reads, sure", [
    # printed 36,59 everywhere: the till's 6 wore into a 0 on the total and the payment line
    # alike, the card slip's amount came out with a space after its mark
    ("30,59", "36, 59", False),
    # the slip agrees: nothing doubts the total
    ("36,59", "36, 59", True),
    # a 4 is no look-alike of a 6: another charge, not a worn digit
    ("36,59", "34, 59", True),
])
def test_a_card_slip_amount_one_look_alike_digit_off_leaves_the_total_for_a_person(till_reads, slip_reads, sure):
    total = _amount("Eisenwaren Kordes", "Marktstr. 12, 49074 Osnabrück", "Datum: 09.06.2021 10:31",
                    "Schraubenset   14,49", "Holzleim   22,10", f"Summe EUR   {till_reads}",
                    f"Girocard   {till_reads}", "Kundenbeleg", f"Betrag EUR   {slip_reads}")
    assert total is not None and total.value == Decimal(till_reads.replace(",", "."))
    assert (total.confidence > 0.5) == sure
