"""A docket's payable amount misread where its own tax sums say otherwise: the net and the tax
at the printed rate tie two figures together, so a total that no such sum gives, and that is one
misread digit from what the sums give, is offered as the sums give it, for a person; a payable
amount smaller than the net it was taxed on is no total at all."""

from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt


def _head() -> tuple:
    return ("SENG HUAT BESI & PAIP", "GST Reg No : 001122334455", "INVOICE / CASH SALE",
            "Date : 07/09/2016 09:12", "GALVANISED PIPE 1IN   8   PCS")


def test_the_same_digit_misread_on_both_payable_lines_gives_way_to_net_plus_tax():
    # paid 957.45: goods 903.26, tax 54.20 (6%), 957.46 rounded down; a faint pin row turned the
    # 9 into a 3 on both the taxed total and the rounded one, which so agree with each other only
    found = _read(_receipt(*_head(), "NET AMOUNT   903.26", "GST @ 6%   54.20", "AMOUNT INCL GST   357.46",
                           "ROUNDING ADJ   -0.01", "TOTAL PAYABLE   357.45", "PAID CASH   1000.00",
                           "BALANCE   42.55"))
    amount = found["amount"]
    assert amount.value == Decimal("957.45") and amount.confidence <= 0.5


def test_a_payable_amount_below_its_own_net_is_read_from_the_tax_summary():
    # a dollar sign made of the payable figure's 2 (6$5.80 read as 5.80), the card slip's last
    # cent smudged; the summary's row (net 590.38, tax 35.42 at 6%) gives 625.80
    found = _read(_receipt(*_head(), "Goods Value   590.38", "NETT PAYABLE   6$5.80", "DEBIT CARD   625.85",
                           "Tax Analysis   Net   Tax", "SR @ 6%   590.38   35.42"))
    amount = found["amount"]
    assert amount.value == Decimal("625.80") and amount.confidence <= 0.5


def test_a_summary_over_a_thousand_printed_with_its_thousands_comma_is_read():
    # the summary's net printed 1,250.00 with its comma; 6% of it 75.00: 1,325.00 paid
    from vision.receipts import _till_amounts

    assert _till_amounts("SR 6%   1,250.00   75.00") == [Decimal("1250.00"), Decimal("75.00")]
    assert _till_amounts("ZR 0%   1.250,00   0,00") == [Decimal("1250.00"), Decimal("0.00")]


def test_a_payable_amount_whose_decimal_dot_reads_as_a_hyphen_is_still_an_amount():
    # paid 212.40 by card; the payable line's dot worn into a hyphen, the card line as printed
    found = _read(_receipt(*_head(), "Goods   200.38", "GST 6%   12.02", "Rounding   0.00", "TOTAL PAYABLE   212-40",
                           "MASTERCARD   212.40"))
    assert found["amount"].value == Decimal("212.40")
