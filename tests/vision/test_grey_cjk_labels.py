"""Chinese pages whose captions are printed in light grey beside values in black (an e-ticket
itinerary's 发票号码, 填开单位, 填开日期): Tesseract's threshold fell right on the grey, so the
captions came out as other characters and the number, seller and date went unread. The grey is
darkened before reading, and a long Chinese label read one character off is still found."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from vision import analyse, read_document
from vision.lexicon import fold, load_lexicons
from vision.preprocess import prepare

from tests.vision.conftest import needs_tesseract
from tests.vision.corpus import cjk_font
from tests.vision.test_issuer_names import _ocr_page

TODAY = date.today()
needs_cjk_font = pytest.mark.skipif(cjk_font() is None, reason="no CJK font (apt-get install fonts-wqy-microhei)")


def _itinerary(caption_grey: int) -> np.ndarray:
    """A 300-dpi A4-landscape itinerary invoice: captions in ``caption_grey``, values in black."""
    page = Image.new("L", (2480, 1754), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(cjk_font(), 34)
    title = ImageFont.truetype(cjk_font(), 56)
    day = TODAY - timedelta(days=5)
    draw.text((560, 60), "电子发票（航空运输电子客票行程单）", font=title, fill=0)
    rows = [((1700, 230), "发票号码：", "25117000000123456789"), ((80, 330), "旅客姓名：", "王某某"),
            ((80, 420), "航班号：", "CZ8866   广州 CAN — 北海 BHY"),
            ((80, 900), "销售网点代号：", "CAN001/08682256"), ((900, 900), "填开单位：", "中国南方航空股份有限公司"),
            ((1800, 900), "填开日期：", day.isoformat()), ((80, 990), "购买方名称：", "北京星河科技有限公司")]
    for (x, y), caption, value in rows:
        draw.text((x, y), caption, font=font, fill=caption_grey)
        draw.text((x + draw.textlength(caption, font=font) + 20, y), value, font=font, fill=0)
    draw.text((80, 600), "原价 CNY 477.06   燃油附加费 CNY 45.87   增值税税额 CNY 47.07   民航发展基金 CNY 50.00", font=font,
              fill=caption_grey)
    draw.text((80, 680), "合计 CNY 620.00", font=font, fill=0)
    return np.array(page)


@needs_cjk_font
def test_light_grey_captions_on_a_chinese_page_are_darkened_and_black_print_is_left_alone():
    grey = prepare(_itinerary(160))
    assert any(note.startswith("grey print") for note in grey.notes)
    black = prepare(_itinerary(0))
    assert not any(note.startswith("grey print") for note in black.notes)


@needs_tesseract
@needs_cjk_font
@pytest.mark.ocr
def test_an_itinerary_with_grey_captions_gives_its_number_seller_and_date(tmp_path):
    scan = tmp_path / "itinerary.png"
    Image.fromarray(_itinerary(160)).save(scan, dpi=(300, 300))
    result = analyse(read_document(scan), templates=[])
    assert result.value("invoice_number") == "25117000000123456789"
    assert result.value("issuer") == "中国南方航空股份有限公司"
    assert result.value("date") == TODAY - timedelta(days=5)


@pytest.mark.parametrize("caption, field", [("十开单位：", "issuer"), ("填开单值：", "issuer"), ("票号码：", "invoice_number"),
                                            ("发票号吗：", "invoice_number"), ("开票日朗：", "date")])
def test_a_long_chinese_label_read_one_character_off_is_still_its_label(caption, field):
    assert load_lexicons().match(fold(caption + "123"), ("invoice_number", "date", "issuer", "buyer")).field == field


@pytest.mark.parametrize("text", ["发票代码：044001900111",  # the invoice code: a label of its own, read exactly
                                  "钩方名称：某某",  # one character from both 购方名称 (buyer) and 销方名称 (seller)
                                  "购买方：某某",  # three characters: one off is another word
                                  "蓝字发票"])  # a blue-ink (normal) invoice, one character from 红字发票 (a credit note)
def test_a_chinese_word_one_character_off_two_labels_or_a_label_of_its_own_is_not_misfiled(text):
    lex = load_lexicons()
    hit = lex.match(fold(text), ("invoice_number", "issuer", "buyer", "credit_note"))
    assert hit is None or hit.label in (fold("发票代码："), fold("购买方："))


def test_a_quote_mark_a_scan_put_before_the_number_is_not_part_of_it():
    doc = _ocr_page([(60, 80, ["电子发票（普通发票）"]), (1700, 200, ["发票号码：", "”25117000000123456789"]),
                     (1700, 250, [f"开票日期：{(TODAY - timedelta(days=3)).isoformat()}"]),
                     (60, 700, ["价税合计（小写）", "¥113.00"])])
    assert analyse(doc, templates=[]).value("invoice_number") == "25117000000123456789"
