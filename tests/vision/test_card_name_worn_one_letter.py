"""A card payment line whose card name a worn ribbon printed one letter off ('TISA', 'MASTERCAKD')
still says what was charged: a witness of the total like any payment line."""

from decimal import Decimal

from tests.vision.test_cash_less_change_struck_alike import _amount

_HEAD = ("PERNIAGAAN TAYAR WAH SENG", "GST No: 000912345678", "TAX INVOICE", "Date : 11 AUG 2016")


def _docket_total(card_line: str):
    # paid 305.15: net 287.90 + 6% 17.27 = 305.17, rounded -0.02; the net and the tax misread, the
    # taxed total's zero read as 8, the rounding and the amount payable garbled
    return _amount(*_HEAD, "Sub Total (Excl GST)   237.90", "GST 6%   17.87", "Total (Incl GST)   385.17",
                   "Rounding Adj   -@.2?", "TOTAL PAYABLE   3a5.1S9", card_line)


def test_a_card_name_one_letter_off_says_what_the_card_was_charged():
    for card_line in ("TISA   305.15", "MASTERCAKD   305.15"):
        total = _docket_total(card_line)
        assert total is not None and total.value == Decimal("305.15") and total.confidence <= 0.5, card_line


def test_a_word_two_letters_off_a_card_name_is_no_payment():
    # 'VOSR' is no card name: the total before rounding brought to the coin stays, for a person
    total = _docket_total("VOSR   305.15")
    assert total is not None and total.value == Decimal("385.15") and total.confidence <= 0.5
