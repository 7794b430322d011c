"""A Japanese era date read again at another scale, the era's two characters set apart."""

from __future__ import annotations

from datetime import date


def test_an_era_date_whose_name_a_second_reading_spaced_is_still_that_date():
    from vision.fields import Options
    from vision.learned import _verdict

    # 令和7年2月14日 is 14 February 2025; the second reading put a space inside 令和
    assert _verdict("date", date(2025, 2, 14), "令 和 7 年 2 月 14 日", Options()) == "same"
    assert _verdict("due_date", date(2025, 3, 16), "令  和 7年3月16日", Options(day_first=True)) == "same"


def test_an_era_date_read_again_as_another_day_is_another_date():
    from vision.fields import Options
    from vision.learned import _verdict

    assert _verdict("date", date(2025, 2, 14), "令 和 7 年 2 月 17 日", Options()) == "other"
