"""Faint learned values read again: a vendor that pads no day or month, a closing 日 misread, a
stroke read between an amount's groups."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from vision.fields import Options
from vision.learned import Anchor, LearnedField, LearnedTemplate, Spot, _amount_verdict, faint_dates


def _template(example_issued: str, example_due: str) -> LearnedTemplate:
    template = LearnedTemplate("大阪精機株式会社")
    template.spots["date"] = Spot(1, (0.7, 0.12, 0.9, 0.14), Anchor("発行日", 0.0, 4.0, 2.4), example_issued)
    template.spots["due_date"] = Spot(1, (0.2, 0.35, 0.3, 0.37), Anchor("お支払期限", 0.0, 4.0, 2.4), example_due)
    template.terms = [14]
    return template


def _read(value: date, text: str, confidence: float) -> LearnedField:
    return LearnedField(value, confidence, "learned", 1, text, box=(100, 100, 300, 130))


def test_a_vendor_printing_a_one_figure_day_pads_none_so_a_two_figure_day_is_its_form():
    template = _template("2027 年 3 月 8 日", "2027 年 3 月 22 日")
    due = _read(date(2027, 11, 30), "2027 年 11 月 30 日", 0.9)
    issued = _read(date(2027, 11, 16), "2027 年 11 月 16 日", 0.45)
    assert faint_dates({"date": issued, "due_date": due}, template, 0.6) == ["date"]


def test_a_closing_mark_misread_after_a_two_figure_day_leaves_the_date_whole():
    template = _template("2027 年 3 月 8 日", "2027 年 3 月 22 日")
    due = _read(date(2027, 11, 30), "2027 年 11 月 30 日", 0.9)
    issued = _read(date(2027, 11, 16), "2027 年 11 月 16 ", 0.45)  # its 日 read as another character
    assert faint_dates({"date": issued, "due_date": due}, template, 0.6) == ["date"]


def test_one_figure_left_before_a_lost_closing_mark_may_be_half_a_day_and_stays_with_a_person():
    template = _template("2027 年 3 月 8 日", "2027 年 3 月 22 日")
    due = _read(date(2027, 11, 15), "2027 年 11 月 15 日", 0.9)
    issued = _read(date(2027, 11, 1), "2027 年 11 月 1", 0.45)
    assert faint_dates({"date": issued, "due_date": due}, template, 0.6) == []


def test_a_vendor_that_pads_its_days_keeps_asking_for_two_figures():
    template = _template("2027 年 03 月 08 日", "2027 年 03 月 22 日")
    due = _read(date(2027, 11, 15), "2027 年 11 月 15 日", 0.9)
    issued = _read(date(2027, 11, 1), "2027 年 11 月 1 日", 0.45)
    assert faint_dates({"date": issued, "due_date": due}, template, 0.6) == []


def test_a_stroke_between_an_amounts_groups_says_no_other_amount():
    opts = Options()
    assert _amount_verdict(Decimal("612480"), "¥612,/480", opts) == "unclear"
    assert _amount_verdict(Decimal("612480"), "¥612,480", opts) == "same"
    # a figure more or another one is another amount
    assert _amount_verdict(Decimal("612480"), "¥612,1480", opts) == "other"
    assert _amount_verdict(Decimal("612480"), "¥642,480", opts) == "other"


def test_the_same_figures_with_the_point_moved_are_another_amount():
    opts = Options()
    assert _amount_verdict(Decimal("907.15"), "9071.5", opts) == "other"
    assert _amount_verdict(Decimal("907.15"), "90.715", opts) == "other"
    assert _amount_verdict(Decimal("907.15"), "907|.15", opts) == "unclear"
