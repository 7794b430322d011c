"""A customer's VAT number printed a second time, beside the customer's name, never makes that
name the issuer: a subcontractor's invoice with the tax shifted to its customer prints the
customer's number under its own caption and again in a sentence about the tax."""

from tests.vision.corpus import Invoice, Run, write_pdf
from vision import read_invoice


def _invoice(header: list[Run], footer: list[Run]) -> Invoice:
    inv = Invoice(1, "classic", {})
    inv.runs = header + [
        Run("Omschrijving", 50, 290, 9, True), Run("Bedrag", 545, 290, 9, True, "right"),
        Run("Tegelwerk badkamer, 18 m2", 50, 306, 9), Run("€ 1.476,00", 545, 306, 9, align="right"),
        Run("Totaal excl. btw", 330, 350, 9), Run("€ 1.476,00", 545, 350, 9, align="right"),
        Run("Btw", 330, 364, 9), Run("€ 0,00", 545, 364, 9, align="right"),
        Run("Te betalen", 330, 378, 10, True), Run("€ 1.476,00", 545, 378, 10, True, "right")] + footer
    return inv


def _dutch_subcontractor() -> Invoice:
    """The tiler's letterhead has no legal form; the main contractor is named only where the
    tax is shifted to it, its number also under 'Uw btw-nummer'."""
    header = [Run("Voegwerken Smit", 50, 40, 15, True), Run("Kerkstraat 7", 50, 60, 9), Run("5611 GH Eindhoven", 50, 72, 9),
              Run("Factuur", 50, 200, 16, True), Run("Factuurnummer: V-2026-114", 50, 225, 9),
              Run("Factuurdatum: 03-11-2026", 50, 237, 9), Run("Uw btw-nummer: NL823456789B01", 50, 249, 9)]
    footer = [Run("Btw verlegd naar Bouwbedrijf Verhoeven & Co B.V., btw-nummer NL823456789B01.", 50, 420, 8),
              Run("Graag betalen binnen 30 dagen op NL44 RABO 0123456789.", 50, 432, 8)]
    return _invoice(header, footer)


def _english_subcontractor() -> Invoice:
    """The customer's number under 'Customer VAT No.', then beside its name in a remark about the
    domestic reverse charge; the seller's own letterhead has no legal form either."""
    header = [Run("Northfield Scaffolding", 50, 40, 15, True), Run("12 Mill Lane", 50, 60, 9),
              Run("Leeds LS2 7EW", 50, 72, 9),
              Run("Invoice", 50, 200, 16, True), Run("Invoice No: NS-4471", 50, 225, 9),
              Run("Invoice Date: 03/11/2026", 50, 237, 9), Run("Customer VAT No: GB 284 5581 27", 50, 249, 9)]
    footer = [Run("Harbour Builders Ltd, VAT No. GB 284 5581 27: domestic reverse charge applies.", 50, 420, 8),
              Run("Payment within 30 days, sort code 20-00-00, account 73010446.", 50, 432, 8)]
    inv = _invoice(header, footer)
    inv.runs = [Run(r.text.replace("Omschrijving", "Description").replace("Bedrag", "Amount")
                    .replace("Tegelwerk badkamer, 18 m2", "Scaffold hire, 6 weeks").replace("Totaal excl. btw", "Net")
                    .replace("Btw", "VAT").replace("Te betalen", "Total due").replace("€ 1.476,00", "£1,476.00")
                    .replace("€ 0,00", "£0.00"), r.x, r.y, r.size, r.bold, r.align) for r in inv.runs]
    return inv


def test_the_contractor_the_tax_is_shifted_to_is_not_the_issuer(tmp_path):
    result = read_invoice(write_pdf(_dutch_subcontractor(), tmp_path / "verlegd.pdf"), templates=[])
    issuer = result.plain_fields().get("issuer") or ""
    assert "Verhoeven" not in issuer
    assert issuer == "Voegwerken Smit" or result.status != "ready"


def test_a_name_beside_the_customers_vat_number_is_not_the_issuer(tmp_path):
    result = read_invoice(write_pdf(_english_subcontractor(), tmp_path / "customer-vat.pdf"), templates=[])
    issuer = result.plain_fields().get("issuer") or ""
    assert "Harbour" not in issuer
    assert issuer == "Northfield Scaffolding" or result.status != "ready"
