"""Invoices that print each header value large with its caption small underneath."""

from decimal import Decimal

from tests.vision.corpus import Invoice, Run, make_invoice, same, write_pdf
from tests.vision.corpus_blind4 import BLIND4_LAYOUTS  # noqa: F401 (registers es_pie)
from vision import read_invoice


def _caption_row_invoice() -> Invoice:
    inv = Invoice(1, "classic", {})
    runs = [Run("Harbourside Print Co Ltd", 50, 40, 15, True), Run("INVOICE", 545, 40, 20, True, "right")]
    for k, (value, caption) in enumerate([("HP-7731", "Invoice number"), ("12 Nov 2026", "Issue date"),
                                          ("26 Nov 2026", "Payment due"), ("£1,230.00", "Amount due")]):
        runs += [Run(value, 50 + 125 * k, 95, 12, True), Run(caption, 50 + 125 * k, 111, 7)]
    runs += [Run("Bill to", 50, 150, 8, True), Run("Seaview Guest House", 50, 162, 10),
             Run("4 Marine Parade, Whitby YO21 3PR", 50, 174, 9),
             Run("Description", 50, 230, 9, True), Run("Amount", 545, 230, 9, True, "right"),
             Run("Brochures A5, 2000", 50, 248, 9), Run("1,025.00", 545, 248, 9, align="right"),
             Run("Subtotal", 380, 300, 9), Run("1,025.00", 545, 300, 9, align="right"),
             Run("VAT 20%", 380, 314, 9), Run("205.00", 545, 314, 9, align="right"),
             Run("Total", 380, 328, 10, True), Run("£1,230.00", 545, 328, 10, True, "right")]
    inv.runs = runs
    return inv


def test_the_number_and_dates_are_the_values_over_their_captions(tmp_path):
    got = read_invoice(write_pdf(_caption_row_invoice(), tmp_path / "captions.pdf"), templates=[]).plain_fields()
    assert got.get("invoice_number") == "HP-7731"
    assert got.get("date") == "2026-11-12" and got.get("due_date") == "2026-11-26"
    assert Decimal(str(got["amount"])) == Decimal("1230.00")


def test_spanish_captions_under_the_values_give_the_number_not_a_postcode_below(tmp_path):
    for seed in range(100910, 100914):
        inv = make_invoice(seed, "es_pie")
        got = read_invoice(write_pdf(inv, tmp_path / f"{seed}.pdf"), templates=[]).plain_fields()
        for name in ("invoice_number", "date", "due_date"):
            assert same(name, got.get(name), inv.truth[name]), (seed, name, got.get(name), inv.truth[name])

