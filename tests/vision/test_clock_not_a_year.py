"""A till whose only day and month stand beside a clock time, with no year (a card slip's or a
signing unit's stamp, 'Zeit 04.04. 13:43'): deskbot does not read the hour as the year and book
the 4th of April 2013; a year printed after the day and month, with the time after it, is read
as before."""

from datetime import date

from tests.vision.test_receipts import _read, _receipt


def _till(stamp: str) -> dict:
    return _read(_receipt("Gartencenter Lindenhof", "Blumenerde 40 l   2 x 4,49   8,98", "SUMME EUR   8,98",
                          "BAR   10,00", "Rueckgeld   1,02", "MwSt 19%  Netto 7,55  MwSt 1,43", stamp,
                          "Vielen Dank fuer Ihren Einkauf"))


def test_an_hour_after_a_day_and_month_is_no_year():
    found = _till("Zeit 17.09. 13:43   Kasse 2")
    assert found.get("date") is None or found["date"].value.year != 2013


def test_a_year_before_the_hour_is_still_the_year():
    assert _till("Zeit 17.09.25 13:43   Kasse 2")["date"].value == date(2025, 9, 17)
