"""An English and Arabic tax invoice: every caption printed in both languages. A block's heading
with its translation beside it ('Bank details / تفاصيل البنك') is still a heading, never the
seller's name, and the seller's tax registration number (TRN) heads the seller's block."""

from tests.vision.corpus import Invoice, Run, write_pdf
from vision import read_invoice


def _bilingual_invoice() -> Invoice:
    inv = Invoice(1, "classic", {})
    inv.runs = [
        Run("Gulf Horizon Marine Services L.L.C.", 45, 36, 13, True),
        Run("P.O. Box 48213, Dubai, United Arab Emirates", 45, 54, 8.5),
        Run("TRN: 100287345612003", 45, 65, 8.5),
        Run("TAX INVOICE", 297, 100, 15, True, "center"),
        Run("Invoice No.", 45, 145, 8.5, True), Run("TI/2026/0412", 150, 145, 9),
        Run("Invoice Date", 45, 158, 8.5, True), Run("14/10/2026", 150, 158, 9),
        Run("Customer TRN", 45, 171, 8.5, True), Run("100556677889003", 150, 171, 9),
        Run("Customer", 45, 184, 8.5, True), Run("Palm Coast Hotels", 150, 184, 9),
        Run("Description", 45, 220, 8, True), Run("Total AED", 550, 220, 8, True, "right"),
        Run("Hull cleaning, two vessels", 45, 240, 8.5), Run("12,400.00", 550, 240, 8.5, align="right"),
        Run("Total (Excl. VAT)", 330, 280, 8.5), Run("12,400.00", 550, 280, 8.5, align="right"),
        Run("VAT @ 5%", 330, 293, 8.5), Run("620.00", 550, 293, 8.5, align="right"),
        Run("Total Amount Due (AED)", 330, 306, 9, True), Run("13,020.00", 550, 306, 9, True, "right"),
        Run("Bank details / تفاصيل البنك", 45, 360, 8.5, True),
        Run("Emirates NBD IBAN AE07 0331 2345 6789 0123 456", 45, 372, 8.5),
    ]
    return inv


def test_a_bilingual_block_heading_is_not_the_seller(tmp_path):
    result = read_invoice(write_pdf(_bilingual_invoice(), tmp_path / "ae.pdf"), templates=[])
    assert result.plain_fields().get("issuer") == "Gulf Horizon Marine Services L.L.C."
    assert result.status == "ready"


def _dollar_invoice_under_vat() -> Invoice:
    """A Gulf seller billing in US dollars with 5% VAT; its two dates, the same day, read
    02/11/2026: 2 November where it was written, 11 February in the United States."""
    inv = _bilingual_invoice()
    inv.runs = [r for r in inv.runs if r.text not in ("14/10/2026",) and "AED" not in r.text and "Bank" not in r.text
                and "TRN:" not in r.text] + [Run("VAT Reg. No. 100287345612003", 45, 65, 8.5),
        Run("02/11/2026", 150, 158, 9), Run("Date of Supply", 45, 197, 8.5, True), Run("02/11/2026", 150, 197, 9),
        Run("Total Amount Due (USD)", 330, 306, 9, True)]
    return inv


def test_a_dollar_invoice_under_vat_does_not_book_a_date_readable_both_ways(tmp_path):
    result = read_invoice(write_pdf(_dollar_invoice_under_vat(), tmp_path / "usd.pdf"), templates=[])
    got = result.plain_fields()
    assert got.get("amount") == 13020
    assert result.status != "ready" or got.get("date") == "2026-11-02"
