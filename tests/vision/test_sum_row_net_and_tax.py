"""A paper fapiao whose scan garbled its table's column headings (金额 and 税额 read as Latin
letters): its sum row, printed 合  计 with the two characters far apart, still holds the net and
the tax, which add up to the total in words and figures and stand at the rate the rows print.
A sum row whose two amounts are no net and tax at the page's rate names neither."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from tests.vision.word_pages import cells
from vision.document import Document, Page, Word
from vision.invoice import analyse


def _fapiao(net: str, tax: str, total: str, rate: str = "9%") -> Document:
    rows = [(700, 170, "四川增值税普通发票"), (1500, 300, "发票号码 : 31642087"),
            (1500, 350, "开票日期 : 2026 年 09 月 03 日"),
            (260, 492, "名"), (330, 492, "称 : 成都蓝天物流有限公司"), (260, 558, "纳税人识别号 : 91510100MA6C7D8E9F"),
            (260, 800, "货物或应税劳务、服务名称"), (1300, 800, "se"), (1500, 800, "税率"), (1700, 800, "wm"),
            (260, 850, "*运输服务*货物运输"), (1300, 850, net), (1500, 850, rate), (1700, 850, tax),
            (260, 1586, "合"), (420, 1586, "计"), (1300, 1586, f"¥{net}"), (1700, 1586, f"¥{tax}"),
            (260, 1673, "价税合计（大写）"), (700, 1673, "贰仟壹佰捌拾元整"), (1300, 1673, f"（小写）¥{total}"),
            (260, 1792, "名"), (330, 1792, "称 : 重庆山城建材有限公司"), (260, 1858, "纳税人识别号 : 91500000MA7F8G9H0J")]
    words: list[Word] = [replace(w, y1=w.y0 + 30) for x, y, text in rows for w in cells(y, (x, text))]
    return Document("fapiao.png", [Page(1, 2480, 3508, words, "ocr")], "image")


def test_the_sum_row_under_garbled_headings_gives_the_net_and_the_tax():
    result = analyse(_fapiao("2000.00", "180.00", "2180.00"), templates=[])
    assert (result.value("amount_untaxed"), result.value("vat")) == (Decimal("2000.00"), Decimal("180.00"))
    assert next(c for c in result.checks if c["name"] == "subtotal_plus_tax")["ok"] is True


def test_two_amounts_at_no_rate_the_page_prints_are_not_taken_for_net_and_tax():
    # 180.00 is 9% of 2000.00, but the rows print 13%: the pair is something else
    result = analyse(_fapiao("2000.00", "180.00", "2180.00", rate="13%"), templates=[])
    assert result.value("vat") is None and result.value("amount_untaxed") is None
