"""A header row of an invoice's number and dates whose due date's caption the scan lost.

What a user sees: a Spanish invoice scanned at 150 dpi, 'Nº Factura | Fecha | Vencimiento' over
'F264023 | 09-10-2026 | 23-10-2026', whose 'Vencimiento' came out as a dash, goes to a person
naming the date no caption explained, instead of being booked with no due date. A row whose
later date is captioned as another day (a delivery date) is booked as before.
"""

from __future__ import annotations

from datetime import date

from tests.vision.test_lexicons import page_of
from vision.document import Document
from vision.fields import extract


def _scan(third_caption: str) -> Document:
    rows = [
        (40, [(40, "Reformas Hermanos Ortega S.L."), (420, "FACTURA")]), (54, [(40, "C/ Mayor, 8")]),
        (68, [(40, "46001 Valencia")]),
        (100, [(220, "Nº Factura"), (320, "Fecha"), (420, third_caption)]),
        (110, [(40, "CIF: J26125427")]),
        (122, [(40, "Tel. 993 468 253"), (220, "F264023"), (320, "09-10-2026"), (420, "23-10-2026")]),
        (200, [(40, "CONCEPTO"), (460, "IMPORTE")]),
        (216, [(40, "Desplazamiento"), (460, "7.112,28 €")]),
        (270, [(360, "Base imponible"), (460, "7.112,28 €")]),
        (284, [(360, "IVA 10%"), (460, "711,23 €")]),
        (298, [(360, "TOTAL FACTURA"), (460, "7.823,51 €")]),
    ]
    return page_of(rows, scanned=True)


def test_a_later_date_whose_caption_the_scan_lost_is_for_a_person_to_read():
    read = extract(_scan("—"))
    assert read.fields["date"].value == date(2026, 10, 9)
    assert "due_date" not in read.fields
    assert "23-10-2026" in read.unread.get("due_date", "")


def test_a_later_date_captioned_as_the_due_date_or_another_day_is_read_as_before():
    due = extract(_scan("Vencimiento"))
    assert due.fields["due_date"].value == date(2026, 10, 23) and not due.unread
    delivered = extract(_scan("Fecha de entrega"))
    assert "due_date" not in delivered.fields and not delivered.unread
