"""Two things a plain invoice prints that read wrong: a small business's invoice numbered with one
digit (its fifth invoice, under a 'Numero documento' heading), and a bank's sort code printed like
a date ('Sort code 10-30-80') that made a British page's dates read month first."""

from __future__ import annotations

from datetime import date

from tests.vision.test_issuer_and_currency import _pdf
from vision import analyse, read_document
from vision.parsing import date_order_votes, find_dates


def _italian_table(tmp_path, number: str):
    runs = [("Studio Tecnico Ing. Moretti", 50, 60, 12), ("Via Dante 4, 53100 Siena", 50, 78, 9),
            ("Tipo documento", 50, 140, 9), ("Numero documento", 200, 140, 9), ("Data documento", 340, 140, 9),
            ("TD01 fattura", 50, 156, 9), (number, 200, 156, 9), ("31-10-2026", 340, 156, 9),
            ("Descrizione", 50, 220, 9), ("Importo", 480, 220, 9), ("Consulenza", 50, 236, 9), ("400,00", 480, 236, 9),
            ("Imponibile", 380, 300, 9), ("400,00", 480, 300, 9), ("IVA 22%", 380, 314, 9), ("88,00", 480, 314, 9),
            ("Totale documento", 380, 328, 9), ("488,00", 480, 328, 9)]
    return analyse(read_document(_pdf(tmp_path / f"n{len(number)}.pdf", runs)), templates=[])


def test_an_invoice_numbered_with_one_digit_under_its_heading_is_read(tmp_path):
    assert _italian_table(tmp_path, "7").value("invoice_number") == "7"
    assert _italian_table(tmp_path, "12").value("invoice_number") == "12"  # as before


def test_a_sort_code_is_no_date_and_casts_no_vote_for_the_date_order():
    text = "Payment due by 08/11/2026.\nBACS: Sort code 10-30-80 Account 76850868"
    assert [d for d, *_ in find_dates(text)] == [date(2026, 11, 8)]
    assert date_order_votes(text) == (0, 0)
    assert date_order_votes("Tax point 09/10/2026, paid 13/10/2026") == (1, 0)  # a real date still votes


def test_a_british_invoice_with_a_sort_code_reads_its_dates_day_first(tmp_path):
    runs = [("Harbour Catering Supplies Ltd", 50, 60, 12), ("Rochester ME2 4DZ", 50, 78, 9),
            ("VAT Reg No: GB 224 1191 60", 50, 92, 9), ("INVOICE", 330, 60, 16), ("Invoice No: HC-20417", 330, 90, 9),
            ("Invoice / Tax Point 09/10/2026", 330, 104, 9), ("Description", 50, 200, 9), ("Amount", 480, 200, 9),
            ("Gastronorm pans", 50, 216, 9), ("100.00", 480, 216, 9), ("Net", 380, 260, 9), ("100.00 GBP", 470, 260, 9),
            ("VAT 20%", 380, 274, 9), ("20.00 GBP", 470, 274, 9), ("Total", 380, 288, 9), ("120.00 GBP", 470, 288, 9),
            ("Payment terms: 30 days net. Payment due by 08/11/2026.", 50, 340, 9),
            ("BACS: Sort code 10-30-80 Account 76850868", 50, 354, 9)]
    result = analyse(read_document(_pdf(tmp_path / "uk.pdf", runs)), templates=[])
    assert result.value("date") == date(2026, 10, 9)
    assert result.value("due_date") == date(2026, 11, 8)
