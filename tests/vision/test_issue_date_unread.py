"""An invoice date whose own caption a scan printed clearly but whose figures it garbled.

What a user sees: a Czech invoice scanned upside down, its 'Datum vystavení' (date of issue)
read as '24. 9, 2026' (a comma for a dot), and the only date the reader could parse another
day's, the tax point ('Datum zdan. plnění 23. 9. 2026'). It was booked with the tax point as its
date; now a person is asked, shown what the date of issue's caption printed. An invoice whose
date of issue reads cleanly is booked with it, as before.
"""

from __future__ import annotations

from datetime import date

from tests.vision.test_lexicons import page_of
from vision.document import Document
from vision.fields import extract


def _scan(issued: str) -> Document:
    rows = [
        (40, [(40, "FAKTURA - DAŇOVÝ DOKLAD"), (420, "č. 20269340")]),
        (60, [(40, "Dodavatel:"), (320, "Odběratel:")]),
        (74, [(40, "Truhlářství Dvořák a syn"), (320, "Obec Velké Meziříčí")]),
        (88, [(40, "Hlavní 192/10"), (320, "Kollárova 28")]),
        (102, [(40, "779 00 Olomouc"), (320, "602 00 Brno")]),
        (116, [(40, "IČO: 97373677"), (320, "IČO: 96124917")]),
        (150, [(40, "Bankovní spojení:"), (150, "ČSOB"), (320, "Datum vystavení:"), (460, issued)]),
        (164, [(40, "Číslo účtu:"), (150, "2552099488/0800"), (320, "Datum splatnosti:"), (460, "1. 10. 2026")]),
        (178, [(40, "Variabilní symbol:"), (150, "20269340"), (320, "Datum zdan. plnění:"), (460, "23. 9. 2026")]),
        (260, [(320, "Celkem bez DPH:"), (460, "1 000,00 CZK")]),
        (274, [(320, "DPH celkem:"), (460, "210,00 CZK")]),
        (288, [(320, "Celkem k úhradě:"), (460, "1 210,00 CZK")]),
    ]
    return page_of(rows, scanned=True)


def test_a_date_of_issue_the_scan_garbled_is_not_replaced_by_the_tax_point():
    read = extract(_scan("24. 9, 2026"))
    taken = read.fields.get("date")
    assert taken is None or taken.confidence < 0.6
    if taken is not None:
        assert "24. 9, 2026" in taken.detail


def test_a_date_of_issue_read_cleanly_is_booked():
    read = extract(_scan("24. 9. 2026"))
    assert read.fields["date"].value == date(2026, 9, 24) and read.fields["date"].confidence >= 0.6
