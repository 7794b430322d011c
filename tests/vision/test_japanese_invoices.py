"""Japanese invoices (請求書): yen, not yuan, behind the ¥; dates in the Reiwa era."""

import pytest

from tests.vision.conftest import needs_tesseract
from tests.vision.corpus import SCAN_VARIANTS, cjk_font, make_invoice, same, write_scan
from tests.vision.corpus_blind4 import BLIND4_LAYOUTS  # noqa: F401 (registers jp_seikyu)
from vision import read_invoice
from vision.parsing import detect_currency, find_dates


def test_an_era_date_is_the_western_calendar_day():
    assert [d.isoformat() for d, *_ in find_dates("請求日 令和8年12月3日")] == ["2026-12-03"]
    assert [d.isoformat() for d, *_ in find_dates("令和元年5月1日")] == ["2019-05-01"]
    assert [d.isoformat() for d, *_ in find_dates("平成31年4月30日")] == ["2019-04-30"]


def test_the_yen_sign_on_a_japanese_page_is_the_yen_and_on_a_chinese_one_the_yuan():
    assert detect_currency("株式会社さくら商事 御中 ご請求金額 ¥301,320-")[0] == "JPY"
    # as the Chinese model reads a Japanese page: no kana left, 消費税 in simplified strokes
    assert detect_currency("光精密工业株式会社 消费税 Y22,320 合计 ¥301,320")[0] == "JPY"
    assert detect_currency("增值税专用发票 价税合计 ¥1,130.00")[0] == "CNY"
    assert detect_currency("上海明远办公用品有限公司 合计 ¥1,130.00 (小写)")[0] == "CNY"


def test_katakana_the_chinese_model_garbled_into_hanzi_does_not_turn_yen_into_yuan():
    # 'ロゴデザイン' (logo design) on a Japanese exporter's invoice, as chi_sim reads it
    page = "ミナト物流株式会社 御中 Logo design / 口卫元女人之 8 43,800 350,400 消费税 ¥67,800 合计 ¥745,800"
    assert detect_currency(page)[0] == "JPY"
    # the yuan where a Chinese page names it: beside a figure, as a column's unit, in capitals
    assert detect_currency("北京某某科技有限公司 金额（元） 单价 ¥1,130.00")[0] == "CNY"
    assert detect_currency("合计 ¥1,130.00 壹仟壹佰叁拾元整")[0] == "CNY"
    assert detect_currency("运费 300元 合计 ¥1,430")[0] == "CNY"


@needs_tesseract
@pytest.mark.skipif(cjk_font() is None, reason="no CJK font to draw the Japanese invoice with")
def test_a_japanese_exporters_invoice_is_never_booked_in_yuan(tmp_path):
    for seed in (100903, 100907):
        inv = make_invoice(seed, "jp_seikyu")
        result = read_invoice(write_scan(inv, SCAN_VARIANTS[0], tmp_path / f"{seed}.png"), templates=[])
        got = result.plain_fields()
        assert got.get("currency") in ("JPY", None), (seed, got.get("currency"))
        if result.status == "ready":
            assert all(same(f, got.get(f), inv.truth[f]) for f in ("issuer", "invoice_number", "date", "amount")), got
