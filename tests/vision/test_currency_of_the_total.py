"""An invoice's currency is the unit of its total, not of a tax restated in the local money."""

from tests.vision.corpus import Invoice, Run, write_pdf
from vision import read_invoice


def _czech_invoice_in_euro(total_unit: str) -> Invoice:
    """A Czech supplier billing in euro: the recap row prints the total bare, the amount due
    prints it with ``total_unit``, and the VAT is restated in crowns at the ČNB rate, as Czech law asks."""
    inv = Invoice(1, "classic", {})
    inv.runs = [Run("Sklárna Novák s.r.o.", 50, 40, 14, True), Run("Faktura č. 2026-0517", 545, 40, 14, True, "right"),
                Run("Dodavatel:", 50, 70, 9, True), Run("Odběratel:", 330, 70, 9, True),
                Run("Sklárna Novák s.r.o.", 50, 82, 9), Run("Nordlicht Handel GmbH", 330, 82, 9),
                Run("Husova 112", 50, 94, 9), Run("Lindenstraße 4", 330, 94, 9),
                Run("543 01 Vrchlabí", 50, 106, 9), Run("01067 Dresden", 330, 106, 9),
                Run("DIČ: CZ27193141", 50, 118, 9), Run("USt-IdNr.: DE812526315", 330, 118, 9),
                Run("Datum vystavení: 2. 11. 2026", 50, 145, 9), Run("Datum splatnosti: 16. 11. 2026", 330, 145, 9),
                Run("Označení dodávky", 50, 180, 9, True), Run("Cena celkem", 545, 180, 9, True, "right"),
                Run("Váza broušená, 40 ks", 50, 196, 9), Run("1 600,00", 545, 196, 9, align="right"),
                Run("Rekapitulace DPH", 50, 230, 9, True),
                Run("Sazba", 50, 244, 9, True), Run("Základ", 300, 244, 9, True, "right"),
                Run("DPH", 420, 244, 9, True, "right"), Run("Celkem s DPH", 545, 244, 9, True, "right"),
                Run("21 %", 50, 258, 9), Run("1 600,00", 300, 258, 9, align="right"),
                Run("336,00", 420, 258, 9, align="right"), Run("1 936,00", 545, 258, 9, align="right"),
                Run("Celkem:", 50, 272, 9, True), Run("1 600,00", 300, 272, 9, True, "right"),
                Run("336,00", 420, 272, 9, True, "right"), Run("1 936,00", 545, 272, 9, True, "right"),
                Run(f"Celkem k úhradě: 1 936,00 {total_unit}", 545, 290, 11, True, "right"),
                Run("Kurz ČNB ze dne 30. 10. 2026: 1 EUR = 24,315 CZK", 50, 330, 8),
                Run("DPH v CZK: 8 169,84 CZK", 50, 342, 8),
                Run("Celkem v CZK: 47 073,84 CZK", 50, 354, 8)]
    return inv


def test_a_czech_invoice_in_euro_whose_vat_is_restated_in_crowns_is_in_euro(tmp_path):
    result = read_invoice(write_pdf(_czech_invoice_in_euro("EUR"), tmp_path / "eur.pdf"), templates=[])
    assert result.plain_fields().get("currency") == "EUR"


def test_crowns_and_euro_side_by_side_with_a_bare_total_go_to_a_person(tmp_path):
    # the amount due printed without its unit: the page names crowns and euro nearly as often
    result = read_invoice(write_pdf(_czech_invoice_in_euro(""), tmp_path / "bare.pdf"), templates=[])
    assert result.status != "ready" or result.plain_fields().get("currency") == "EUR"
