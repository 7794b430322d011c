"""An Indian tax invoice whose rupee signs a scan lost (read as '=' or '%'): the taxes it names,
CGST and SGST, are levied nowhere else, so the rupee is offered to the person who checks it
instead of no currency at all."""

from tests.vision.corpus import Invoice, Run, write_pdf
from vision import read_invoice


def _invoice_without_currency_marks() -> Invoice:
    inv = Invoice(1, "classic", {})
    inv.runs = [
        Run("TAX INVOICE", 297, 30, 14, True, "center"),
        Run("Sahyadri Fasteners Pvt Ltd", 50, 60, 12, True), Run("Invoice No. SF/2026/0931", 545, 60, 9, align="right"),
        Run("Plot 14, Bhosari MIDC, Pune 411026", 50, 76, 9), Run("Invoice Date 09-10-2026", 545, 76, 9, align="right"),
        Run("Billed to", 50, 120, 9, True), Run("Konkan Agro Products Pvt Ltd", 50, 134, 9),
        Run("Description", 50, 180, 9, True), Run("Taxable Value", 545, 180, 9, True, "right"),
        Run("Hex bolts M12, 400 pcs", 50, 196, 9), Run("12,400.00", 545, 196, 9, align="right"),
        Run("Taxable Amount", 330, 240, 9), Run("= 12,400.00", 545, 240, 9, align="right"),
        Run("CGST @ 9%", 330, 254, 9), Run("= 1,116.00", 545, 254, 9, align="right"),
        Run("SGST @ 9%", 330, 268, 9), Run("= 1,116.00", 545, 268, 9, align="right"),
        Run("Grand Total", 330, 284, 10, True), Run("% 14,632.00", 545, 284, 10, True, "right"),
    ]
    return inv


def test_the_rupee_is_offered_when_only_indias_taxes_say_it(tmp_path):
    result = read_invoice(write_pdf(_invoice_without_currency_marks(), tmp_path / "gst.pdf"), templates=[])
    assert result.plain_fields().get("currency") == "INR"
    assert result.status != "ready"  # a guess from the taxes named, for a person to confirm
