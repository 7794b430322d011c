"""A postcode in the seller's or buyer's address is never the invoice number."""

from tests.vision.corpus import Invoice, Run, write_pdf
from vision import read_invoice
from vision.lexicon import fold, load_lexicons


def _spanish_invoice_without_a_number_label(street: str) -> Invoice:
    """A Spanish bill whose number went unprinted (a person must add it): the seller's street,
    abbreviated the Spanish way, stands over the postcode and town."""
    inv = Invoice(1, "classic", {})
    inv.runs = [Run("Carpintería Navarro S.L.", 50, 40, 14, True), Run("FACTURA", 545, 40, 18, True, "right"),
                Run(street, 50, 60, 9), Run("50003 Zaragoza", 50, 72, 9), Run("CIF: B50123456", 50, 84, 9),
                Run("Fecha: 14/10/2026", 545, 72, 9, align="right"),
                Run("Cliente", 50, 130, 9, True), Run("Bodegas Ebro S.A.", 50, 142, 9),
                Run("Paseo Independencia 8", 50, 154, 9), Run("50004 Zaragoza", 50, 166, 9),
                Run("Concepto", 50, 220, 9, True), Run("Importe", 545, 220, 9, True, "right"),
                Run("Armario de roble a medida", 50, 238, 9), Run("1.200,00 €", 545, 238, 9, align="right"),
                Run("Base imponible", 380, 290, 9), Run("1.200,00 €", 545, 290, 9, align="right"),
                Run("IVA 21%", 380, 304, 9), Run("252,00 €", 545, 304, 9, align="right"),
                Run("TOTAL", 380, 318, 10, True), Run("1.452,00 €", 545, 318, 10, True, "right")]
    return inv


def test_a_spanish_street_written_c_slash_labels_no_invoice_number(tmp_path):
    result = read_invoice(write_pdf(_spanish_invoice_without_a_number_label("C/ San Miguel, 9"), tmp_path / "a.pdf"),
                          templates=[])
    assert result.plain_fields().get("invoice_number") != "50003"
    assert result.status != "ready"  # no number: a person adds it


def test_the_postcode_and_town_under_a_street_written_c_dot_is_no_number(tmp_path):
    result = read_invoice(write_pdf(_spanish_invoice_without_a_number_label("C. San Miguel, 9"), tmp_path / "b.pdf"),
                          templates=[])
    assert result.plain_fields().get("invoice_number") != "50003"
    assert result.status != "ready"


def test_a_one_letter_abbreviation_is_a_label_only_with_its_dot():
    lex = load_lexicons()
    assert lex.match(fold("C/ Gran Vía, 32"), ("invoice_number",)) is None
    hit = lex.match(fold("č. FV2026-0932"), ("invoice_number",))
    assert hit is not None  # the Czech 'No.' with its dot still labels the number
