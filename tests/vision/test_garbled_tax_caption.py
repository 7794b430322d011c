"""A totals block whose tax caption a scan garbled ('BIW 21%' for 'BTW 21%', 'zzgl. 19% MwsSt.'):
the tax row still prints its rate, and the net plus its figure is exactly the amount under the
strongest total label. The invoice is booked with that total and that tax, not with the net as
its total and no tax."""

from decimal import Decimal

from tests.vision.corpus import Invoice, Run, write_pdf
from vision import read_invoice


def _invoice(tax_caption: str, shipping: bool = False) -> Invoice:
    inv = Invoice(1, "classic", {})
    inv.runs = [
        Run("Hoveniersbedrijf Dekker B.V.", 50, 40, 14, True), Run("Veldweg 3", 50, 58, 9), Run("3771 AB Barneveld", 50, 70, 9),
        Run("Factuur", 50, 160, 16, True),
        Run("Factuurnummer: 2026-0877", 50, 185, 9), Run("Factuurdatum: 14-10-2026", 50, 197, 9),
        Run("Omschrijving", 50, 240, 9, True), Run("Aantal", 300, 240, 9, True), Run("Totaal", 545, 240, 9, True, "right"),
        Run("Snoeiwerk", 50, 256, 9), Run("8", 300, 256, 9), Run("€ 1.200,00", 545, 256, 9, align="right"),
        Run("Subtotaal", 330, 300, 9), Run("€ 1.200,00", 545, 300, 9, align="right"),
        Run(tax_caption, 330, 314, 9), Run("€ 60,00" if shipping else "€ 252,00", 545, 314, 9, align="right"),
        Run("Totaal te betalen", 330, 330, 10, True), Run("€ 1.260,00" if shipping else "€ 1.452,00", 545, 330, 10, True, "right"),
    ]
    return inv


def test_a_tax_row_whose_caption_was_garbled_still_makes_the_total(tmp_path):
    result = read_invoice(write_pdf(_invoice("BIW 21% over € 1.200,00"), tmp_path / "biw.pdf"), templates=[])
    got = result.plain_fields()
    assert (got.get("amount"), got.get("vat")) == (Decimal("1452.00"), Decimal("252.00"))


def test_an_unlabelled_charge_without_a_rate_is_not_taken_for_the_tax(tmp_path):
    result = read_invoice(write_pdf(_invoice("Vrachtkosten bezorging", shipping=True), tmp_path / "vracht.pdf"), templates=[])
    got = result.plain_fields()
    assert got.get("vat") in (None, Decimal("0"))
    assert result.status != "ready" or got.get("amount") == Decimal("1260.00")
