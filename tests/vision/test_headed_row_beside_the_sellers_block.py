"""A row of headed cells printed beside the seller's block, whose lines fall between the headings
and their values.

What a user sees: a Spanish invoice prints 'Nº Factura | Fecha | Vencimiento' well right of the
seller's address, with 'CIF: …' on a line of its own between that row and its values. The CIF
line lies wholly left of the first heading, in no column of the row: the invoice is booked with
its number, not sent to a person for want of one.
"""

from __future__ import annotations

from datetime import date

from tests.vision.test_lexicons import page_of
from vision.fields import extract


def _invoice(number_heading: tuple[float, str] = (190, "Nº Factura"), number_x: float = 190):
    return page_of([
        (30, [(50, "Papelería Gómez Ruiz S.L."), (465, "FACTURA")]), (49, [(50, "Avda. del Puerto 77")]),
        (58, [(50, "46021 Valencia")]),
        (74, [number_heading, (285, "Fecha"), (418, "Vencimiento")]),
        (87, [(50, "NIF: B63018845")]),
        (100, [(50, "Tel. 961 220"), (number_x, "PG-2026-0588"), (285, "03-11-2026"), (418, "03-12-2026")]),
        (200, [(50, "CONCEPTO"), (460, "IMPORTE")]),
        (216, [(50, "Cuadernos A4"), (460, "1.240,00 €")]),
        (270, [(360, "Base imponible"), (460, "1.240,00 €")]),
        (284, [(360, "IVA 21%"), (460, "260,40 €")]),
        (298, [(360, "TOTAL FACTURA"), (460, "1.500,40 €")]),
    ])


def test_the_sellers_tax_line_left_of_the_headed_row_hides_no_cell_of_it():
    read = extract(_invoice())
    assert read.fields["invoice_number"].value == "PG-2026-0588"
    assert read.fields["date"].value == date(2026, 11, 3)
    assert read.fields["due_date"].value == date(2026, 12, 3)


def test_a_number_set_flush_right_under_a_short_first_heading_is_still_its_cell():
    # 'Número' over a number that ends under the heading and so begins left of it
    read = extract(_invoice(number_heading=(200, "Número"), number_x=150))
    assert read.fields["invoice_number"].value == "PG-2026-0588"
