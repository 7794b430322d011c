"""A till receipt whose dates wore away but for a card slip's stamp of day, month and time
('Zeit 17.09. 09:12') and a year standing where a date ended ('Datum ... 2025'): the two are
offered together, for a person to confirm; never when the receipt prints two years."""

from datetime import date

from tests.vision.test_receipts import _read, _receipt


def _slip(*rows: str) -> dict:
    return _read(_receipt("Gartencenter Lindenhof", "Rasensamen 1 kg   12,49", "SUMME EUR   12,49",
                          "BAR   20,00",
                          "Rueckgeld   7,51", "MwSt 19%  Netto 10,50  MwSt 1,99", *rows, "Danke"))


def test_a_stamped_day_and_month_take_the_year_printed_apart():
    found = _slip("Buchung Nr.   5521", "Zeit 17.09. 09:12 Uhr", "Beleg   xx. 2025")
    assert found["date"].value == date(2025, 9, 17)
    assert found["date"].confidence <= 0.5


def test_a_year_before_a_time_in_the_closing_row():
    found = _slip("Autor. 03.11. 18:40 Uhr", "Bon Kasse", "2024 18:41 6620   77")
    assert found["date"].value == date(2024, 11, 3)


def test_two_years_printed_leave_the_day_to_a_person():
    found = _slip("Zeit 17.09. 09:12 Uhr", "Beleg   xx. 2025", "Kasse 4   2024 09:13")
    assert found.get("date") is None or found["date"].value != date(2025, 9, 17)
