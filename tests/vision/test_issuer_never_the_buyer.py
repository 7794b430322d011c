"""The issuer is who issued the document, never the buyer a reverse-charge line names."""

from tests.vision.corpus import Invoice, Run, write_pdf
from vision import read_invoice


def _reverse_charged(buyer_block: bool) -> Invoice:
    """A Dutch subcontractor's invoice: the tax is shifted to the buyer ('btw verlegd'), so the
    buyer's name and VAT number are printed again in the footer's tax line."""
    inv = Invoice(1, "classic", {})
    runs = [Run("Schildersbedrijf Mulder V.O.F.", 50, 40, 15, True),
            Run("Havenweg 12", 50, 60, 9), Run("3011 BD Rotterdam", 50, 72, 9)]
    if buyer_block:  # an address window, its attention line making it the recipient's
        runs += [Run("Aannemersbedrijf De Wit B.V.", 50, 120, 10), Run("t.a.v. financiële administratie", 50, 132, 10),
                 Run("Postbus 220", 50, 144, 10), Run("6500 AE Nijmegen", 50, 156, 10)]
    else:  # the buyer known by its customer number only
        runs += [Run("Klantnummer: 40417", 545, 120, 9, align="right")]
    runs += [Run("Factuur", 50, 200, 16, True),
             Run("Factuurnummer: 2026-0288", 50, 225, 9), Run("Factuurdatum: 12-11-2026", 50, 237, 9),
             Run("Vervaldatum: 26-11-2026", 50, 249, 9),
             Run("Omschrijving", 50, 290, 9, True), Run("Bedrag", 545, 290, 9, True, "right"),
             Run("Schilderwerk kozijnen, 32 uur", 50, 306, 9), Run("€ 1.920,00", 545, 306, 9, align="right"),
             Run("Totaal excl. btw", 330, 350, 9), Run("€ 1.920,00", 545, 350, 9, align="right"),
             Run("Btw verlegd", 330, 364, 9), Run("€ 0,00", 545, 364, 9, align="right"),
             Run("Te betalen", 330, 378, 10, True), Run("€ 1.920,00", 545, 378, 10, True, "right"),
             Run("Btw verlegd naar Aannemersbedrijf De Wit B.V., btw-nummer NL004567891B01.", 50, 420, 8),
             Run("Graag betalen binnen 14 dagen op NL20 INGB 0001234567.", 50, 432, 8)]
    inv.runs = runs
    return inv


def test_the_buyer_named_on_a_reverse_charge_line_is_not_the_issuer(tmp_path):
    got = read_invoice(write_pdf(_reverse_charged(True), tmp_path / "tav.pdf"), templates=[]).plain_fields()
    assert got.get("issuer") == "Schildersbedrijf Mulder V.O.F."


def test_a_close_vote_between_the_seller_and_a_company_named_in_the_footer_is_not_booked(tmp_path):
    result = read_invoice(write_pdf(_reverse_charged(False), tmp_path / "window.pdf"), templates=[])
    assert result.status != "ready" or result.plain_fields().get("issuer") == "Schildersbedrijf Mulder V.O.F."
