"""What kind of document a page is: an invoice that prints its net and gross totals is no till
receipt; a till receipt is still one when its tax summary says Brutto; a credit note's amounts in
brackets are negative."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from vision import analyse, read_document

from tests.vision.test_issuer_and_currency import _pdf

TODAY = date.today()


def test_an_invoice_with_net_and_gross_rows_is_not_a_till_receipt(tmp_path):
    day = (TODAY - timedelta(days=3)).strftime("%d.%m.%Y")
    runs = [("Serverhaus Nord GmbH · Industriestr. 25 · 91710 Gunzenhausen", 50, 40, 7),
            ("Rechnung", 50, 120, 14), ("Rechnungsnummer: R0004711", 330, 120, 9), (f"Rechnungsdatum: {day}", 330, 134, 9),
            ("Position", 50, 200, 9), ("Betrag", 480, 200, 9), ("Dedicated Server EX41", 50, 216, 9), ("87,39 €", 480, 216, 9),
            ("Netto", 380, 300, 9), ("87,39 €", 480, 300, 9), ("MwSt. 19 %", 380, 314, 9), ("16,61 €", 480, 314, 9),
            ("Brutto", 380, 328, 9), ("104,00 €", 480, 328, 9)]
    result = analyse(read_document(_pdf(tmp_path / "rechnung.pdf", runs)), templates=[])
    assert result.value("document_type") is None
    assert result.value("invoice_number") == "R0004711"
    assert result.value("amount") == Decimal("104.00")


def test_a_till_receipt_that_prints_brutto_in_its_tax_summary_is_still_a_receipt(tmp_path):
    day = (TODAY - timedelta(days=2)).strftime("%d.%m.%Y")
    runs = [("Backstube Kranz", 50, 40, 11), ("Laugenbrezel", 50, 80, 9), ("2,40", 200, 80, 9),
            ("Kaffee", 50, 94, 9), ("3,10", 200, 94, 9), ("SUMME EUR", 50, 120, 10), ("5,50", 200, 120, 10),
            ("Gegeben Bar", 50, 134, 9), ("10,00", 200, 134, 9), ("Rückgeld", 50, 148, 9), ("4,50", 200, 148, 9),
            ("MwSt  Netto  Steuer  Brutto", 50, 172, 8), ("A 7%  5,14  0,36  5,50", 50, 184, 8),
            (f"{day} 08:14", 50, 210, 8)]
    result = analyse(read_document(_pdf(tmp_path / "bon.pdf", runs)), templates=[])
    assert result.value("document_type") == "receipt"
    assert result.value("amount") == Decimal("5.50")


def test_a_credit_notes_figures_in_accounting_brackets_are_booked_negative(tmp_path):
    # accountants write a negative figure in brackets: £(8,558.36) is minus 8,558.36, and a person
    # approving the credit note must not see it as a bill
    day = (TODAY - timedelta(days=4)).strftime("%d/%m/%Y")
    runs = [("Pennine Joinery Ltd", 45, 45, 13), ("12 Mill Lane", 45, 63, 8.5), ("VAT No. GB123456789", 45, 74, 8.5),
            ("CREDIT NOTE", 400, 45, 18), ("Credit Note No: CN-2291", 360, 80, 8.5), (f"Date: {day}", 360, 92, 8.5),
            ("Credit To:", 45, 150, 8.5), ("Harbour Books Ltd", 45, 163, 9),
            ("Description", 45, 240, 8.5), ("Amount", 500, 240, 8.5),
            ("Oak worktops returned", 45, 258, 9), ("(7,131.97)", 500, 258, 9),
            ("Net", 350, 350, 9.5), ("(7,131.97)", 500, 350, 9.5), ("VAT @ 20%", 350, 365, 9.5), ("(1,426.39)", 500, 365, 9.5),
            ("Total Credit", 350, 380, 9.5), ("£(8,558.36)", 500, 380, 9.5)]
    result = analyse(read_document(_pdf(tmp_path / "credit.pdf", runs)), templates=[])
    assert result.value("amount") == Decimal("-8558.36")
    assert result.value("amount_untaxed") == Decimal("-7131.97")
    assert result.value("vat") == Decimal("-1426.39")
    assert result.status == "review"  # a credit note always goes to a person


def test_a_number_in_brackets_without_cents_is_not_made_negative(tmp_path):
    day = (TODAY - timedelta(days=4)).strftime("%d/%m/%Y")
    runs = [("Pennine Joinery Ltd", 45, 45, 13), ("INVOICE", 400, 45, 18), ("Invoice No: 7731", 360, 80, 8.5),
            (f"Date: {day}", 360, 92, 8.5), ("Description", 45, 240, 8.5), ("Amount", 500, 240, 8.5),
            ("Shelving units (4)", 45, 258, 9), ("400.00", 500, 258, 9),
            ("Subtotal", 350, 350, 9.5), ("400.00", 500, 350, 9.5), ("VAT (20%)", 350, 365, 9.5), ("80.00", 500, 365, 9.5),
            ("Total", 350, 380, 9.5), ("£480.00", 500, 380, 9.5)]
    result = analyse(read_document(_pdf(tmp_path / "invoice.pdf", runs)), templates=[])
    assert result.value("amount") == Decimal("480.00")
    assert result.value("vat") == Decimal("80.00")
