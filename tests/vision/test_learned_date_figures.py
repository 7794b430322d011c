"""A learned date read from a scan with a figure fewer than the vendor prints: the scan lost it."""

from __future__ import annotations

from vision.learned import learn


def _scan(date_text: str, number: str):
    """An OCR'd page of one vendor that pads day and month to two figures (word boxes as
    Tesseract gives them)."""
    from tests.vision.test_lexicons import page_of

    rows = [(40, [(40, "Corvel Instruments GmbH")]), (56, [(40, "Mühlweg 3, 70173 Stuttgart")]),
            (100, [(40, "Belegnummer"), (200, number)]), (114, [(40, "Datum"), (200, date_text)]),
            (300, [(330, "Nettobetrag"), (480, "100,00")]), (314, [(330, "USt. 19%"), (480, "19,00")]),
            (328, [(330, "Gesamtbetrag"), (480, "119,00 EUR")]),
            (760, [(40, "Corvel Instruments GmbH · USt-IdNr. DE136695976")])]
    return page_of(rows, scanned=True)


def _taught():
    from vision import analyse
    from vision.checks import CheckPolicy

    first = _scan("07.03.2025", "K030412")
    before = {k: f.value for k, f in analyse(first, templates=[], policy=CheckPolicy(max_age_days=100_000)).fields.items()}
    template, _ = learn(first, before, {**before, "issuer": "Corvel Instruments GmbH"})
    return template


def test_a_month_read_with_one_figure_where_the_vendor_prints_two_goes_to_a_person():
    from vision import analyse
    from vision.checks import CheckPolicy

    template = _taught()
    # printed 18.11.2025; the scan kept '1' of the month '11'
    later = analyse(_scan("18.1.2025", "K030977"), templates=[template], policy=CheckPolicy(max_age_days=100_000))
    assert later.status == "review"
    assert later.fields["date"].confidence < 0.6
    assert "one figure" in later.fields["date"].detail


def test_a_date_read_with_the_vendors_two_figures_is_not_doubted_for_them():
    from vision import analyse
    from vision.checks import CheckPolicy

    template = _taught()
    later = analyse(_scan("18.11.2025", "K030977"), templates=[template], policy=CheckPolicy(max_age_days=100_000))
    assert "one figure" not in later.fields["date"].detail
    assert later.fields["date"].confidence >= 0.6


def test_a_date_read_again_at_its_place_with_a_figure_lost_goes_to_a_person(monkeypatch):
    # the scan lost the date beside its label; every reading of that ink again keeps '1' of the
    # month '11', as the vendor's '08.11.26' never prints it
    import numpy as np

    import vision.reread
    from vision.document import Document, Page, Word
    from vision.fields import Options
    from vision.learned import Anchor, Spot, read_spot_again

    h = 30
    words = [Word("Due", 240, 100, 310, 100 + h, 0.96), Word("date", 322, 100, 400, 100 + h, 0.96)]
    page = Page(1, 1200, 400, words, "ocr", image=np.full((400, 1200), 255, np.uint8))
    anchor = Anchor("Due date", round((412 - 240) / h, 2), round((580 - words[-1].x1) / h, 2), 0.0)
    spot = Spot(1, (0.34, 0.25, 0.48, 0.33), anchor, example="08.11.26")

    def read_the_ink(image, boxes, languages="eng", faded=False):
        return [["13.1.26"] * 3 for _ in boxes]

    monkeypatch.setattr(vision.reread, "readings", read_the_ink)
    found = read_spot_again(Document("later.png", [page], "image"), "due_date", spot, Options(day_first=True))
    assert found is not None and found.confidence < 0.6
    assert "one figure" in found.detail


def _chinese_scan(date_text: str):
    """An OCR'd page of one Chinese seller (word boxes as Tesseract gives them, characters spaced)."""
    from tests.vision.test_lexicons import page_of

    rows = [(40, [(40, "杭州青禾文具有限公司")]), (70, [(40, "纳税人识别号"), (200, "91330106MA2CX3LK5Q")]),
            (100, [(40, "发票号码"), (200, "30418862")]), (114, [(40, "开票日期"), (200, date_text)]),
            (300, [(330, "金额"), (480, "500.00")]), (314, [(330, "税额"), (480, "65.00")]),
            (328, [(330, "价税合计"), (480, "¥565.00")])]
    return page_of(rows, scanned=True)


def test_a_chinese_date_whose_reading_stops_after_one_figure_of_its_day_goes_to_a_person():
    from vision import analyse
    from vision.checks import CheckPolicy

    first = _chinese_scan("2025 年 12 月 19 日")
    policy = CheckPolicy(max_age_days=100_000)
    before = {k: f.value for k, f in analyse(first, templates=[], policy=policy).fields.items()}
    template, _ = learn(first, before, {**before, "issuer": "杭州青禾文具有限公司"})
    # printed 2026 年 03 月 14 日: the scan lost the 4 and the 日 at the date's end
    later = analyse(_chinese_scan("2026 年 3 月 1"), templates=[template], policy=policy)
    assert later.fields["date"].confidence < 0.6
    assert later.status == "review"
    whole = analyse(_chinese_scan("2026 年 3 月 1 日"), templates=[template], policy=policy)
    assert "figure lost" not in whole.fields["date"].detail
