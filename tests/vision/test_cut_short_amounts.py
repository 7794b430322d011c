"""A scanned amount whose last decimal the scan lost is no rounding difference: the sums hold a
cent's slack for how a vendor rounds, never for a figure read short."""

from datetime import date
from decimal import Decimal

from vision.checks import CheckPolicy, run_checks, status_of
from vision.fields import Field


def _status(net_text: str, total_text: str = "1,204.47") -> tuple[str, list[str]]:
    fields = {
        "issuer": Field("Marlow Joinery Ltd", 0.95),
        "invoice_number": Field("MJ-2207", 0.95),
        "date": Field(date(2026, 11, 2), 0.95),
        "currency": Field("GBP", 0.95),
        "amount": Field(Decimal(total_text.replace(",", "")), 0.95, text=total_text),
        "vat": Field(Decimal("200.74"), 0.9, text="200.74"),
        "amount_untaxed": Field(Decimal(net_text.replace(",", "")), 0.9, text=net_text),
    }
    checks = run_checks(fields, [], CheckPolicy(today=date(2026, 11, 5)), all_text_layer=False)
    return status_of(checks, fields, word_count=80)


def test_a_net_missing_its_last_digit_is_not_booked_on_a_cents_slack():
    # 1,003.73 printed; the scan gave '1,003.7': 1,003.70 + 200.74 is a cent short of the total
    status, reasons = _status("1,003.7")
    assert status == "review"
    assert any("one decimal" in r for r in reasons), reasons


def test_a_lost_zero_leaves_the_sum_exact_and_books():
    assert _status("1,003.7", total_text="1,204.44")[0] == "ready"


def test_a_vendors_rounding_cent_still_books_when_every_figure_is_whole():
    assert _status("1,003.72")[0] == "ready"  # 1,003.72 + 200.74 = 1,204.46, printed 1,204.47
