"""A learned total whose currency mark a scan read as one more digit, on an invoice whose line
rows print each item with its tax (so the lines add up to the total, not to the net)."""

from decimal import Decimal

from vision.fields import Field
from vision.learned import LearnedField, keep_arithmetic


def _read(total_text: str, net: str = "12,500.00", tax: str = "2,250.00") -> dict:
    as_decimal = lambda text: Decimal(text.replace(",", ""))  # noqa: E731
    return {"amount": LearnedField(as_decimal(total_text), 0.55, "learned", 1, total_text),
            "amount_untaxed": LearnedField(as_decimal(net), 0.93, "learned", 1, net),
            "vat": Field(as_decimal(tax), 0.95, "layout", 1, tax)}


def test_a_total_whose_mark_was_read_as_a_digit_is_mended_when_the_taxed_lines_add_up_to_it():
    fields = _read("714,750.00")  # ₹14,750.00 with its mark read as a 7
    lines = [{"amount": Decimal("9440.00")}, {"amount": Decimal("5310.00")}]  # each with its 18% tax
    check = keep_arithmetic(fields, {}, lines)
    assert check["ok"], check
    assert fields["amount"].value == Decimal("14750.00")
    assert fields["amount"].confidence >= 0.9  # both sums vouch for the value


def test_the_mark_is_not_dropped_when_the_lines_add_up_to_neither_net_nor_total():
    fields = _read("714,750.00")
    lines = [{"amount": Decimal("9440.00")}, {"amount": Decimal("5300.00")}]  # a line misread
    check = keep_arithmetic(fields, {}, lines)
    assert not check["ok"], check
    assert fields["amount"].value == Decimal("714750.00")

