"""A till that prints the purchase date more than once and whose prints disagree by more than a
worn look-alike digit: the date is never booked; the reading more prints share is offered."""

from datetime import date

from tests.vision.test_receipts import _read, _receipt


def test_a_stamp_whose_day_lost_a_digit_yields_to_the_slip_and_the_fiscal_stamps_for_a_person():
    found = _read(_receipt("SUMME EUR        88,10", "Geg. EC-Karte EUR 88,10",
                           "7.03.25   18:41   Bon 1204   Kasse 2",
                           "Datum:   27.03.25   Uhrzeit:   18:41",
                           "TSE-Start:   2025-03-27T18:41:02", "TSE-Stop:   2025-03-27T18:41:09"))
    assert found["date"].value == date(2025, 3, 27)
    assert found["date"].confidence <= 0.5


def test_two_prints_one_each_way_leave_the_first_for_a_person():
    found = _read(_receipt("TOTAL EUR  12,40", "CB  12,40", "12/05/2024 09:15  Ticket 88",
                           "Date : 17/05/2024  Heure : 09:15"))
    assert found["date"].confidence <= 0.5


def test_a_date_printed_alike_everywhere_is_booked_and_a_later_return_date_is_no_rival():
    found = _read(_receipt("SUMME EUR   19,99", "BAR   20,00", "03.02.2026 11:05  Bon 77",
                           "Datum: 03.02.2026 Uhrzeit: 11:05", "Rückgabe bis 05.03.2026"))
    assert found["date"].value == date(2026, 2, 3) and found["date"].confidence > 0.6
