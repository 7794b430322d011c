"""A learned invoice number read faintly: when it is worth reading its ink again."""

from __future__ import annotations

from vision.learned import Anchor, LearnedField, LearnedTemplate, Spot, faint_numbers


def _template(example: str) -> LearnedTemplate:
    template = LearnedTemplate("Harrow Fittings Ltd")
    template.spots["invoice_number"] = Spot(1, (0.8, 0.1, 0.9, 0.12), Anchor("Invoice No.", 20.0, 19.0, 0.0),
                                            example)
    return template


def test_a_number_whose_series_letters_were_read_as_digits_is_read_again_however_faint():
    # the scan read the series letters 'SI' as '51', and was unsure of the whole word for it
    found = LearnedField("SI004417", 0.08, "learned", 1, "51004417", box=(10, 10, 90, 20))
    assert faint_numbers({"invoice_number": found}, _template("SI000321"), 0.6) == ["invoice_number"]


def test_a_number_read_as_printed_but_almost_unreadable_stays_with_a_person():
    found = LearnedField("SI004417", 0.08, "learned", 1, "SI004417", box=(10, 10, 90, 20))
    assert faint_numbers({"invoice_number": found}, _template("SI000321"), 0.6) == []
