"""A scanned invoice whose only legible date stands under the due date's caption, cut short.

What a user sees: a header row 'Factura | Fecha de emisión | Fecha de vencimiento' over
'F26-118 | <the issue date, smudged past reading> | 23-10-2026', where the scan also lost the end
of 'vencimiento', goes to a person asking whether 23-10-2026 is the due date, instead of being
booked with the due date as the invoice's date. A row whose date stands under a caption that
names no other day is booked as before.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.vision.test_lexicons import page_of
from vision.document import Document
from vision.fields import DATE_BESIDE_LATER_CONFIDENCE, extract


def _scan(issue_caption: str, issue_value: str, due_caption: str) -> Document:
    rows = [
        (40, [(40, "Carpinteria Lopez Ruiz S.L."), (420, "FACTURA")]), (54, [(40, "Calle Real 21")]),
        (68, [(40, "28013 Madrid")]),
        (100, [(40, "Factura"), (160, issue_caption), (300, due_caption), (440, "Cliente")]),
        (118, [(40, "F26-118"), (160, issue_value), (300, "23-10-2026"), (440, "C-0047")]),
        (200, [(40, "CONCEPTO"), (460, "IMPORTE")]),
        (216, [(40, "Puertas de roble"), (460, "1.210,00 €")]),
        (270, [(360, "Base imponible"), (460, "1.000,00 €")]),
        (284, [(360, "IVA 21%"), (460, "210,00 €")]),
        (298, [(360, "TOTAL FACTURA"), (460, "1.210,00 €")]),
    ]
    return page_of(rows, scanned=True)


@pytest.mark.parametrize("due_caption", ["Fecha de vencimie", "Fecha de venc.", "Vencimi"])
def test_the_only_date_under_a_due_caption_cut_short_is_not_booked_as_the_invoice_date(due_caption):
    read = extract(_scan("Fecna de emis1on", "O9-1O-2O2G", due_caption))
    taken = read.fields.get("date")
    assert taken is None or (taken.value != date(2026, 10, 23) or taken.confidence <= DATE_BESIDE_LATER_CONFIDENCE)


def test_a_date_under_a_caption_naming_no_other_day_is_read_as_before():
    read = extract(_scan("Fecha de emisión", "09-10-2026", "Forma de pago"))
    assert read.fields["date"].value == date(2026, 10, 9)
    assert read.fields["date"].confidence > DATE_BESIDE_LATER_CONFIDENCE
