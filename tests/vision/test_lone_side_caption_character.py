"""A Chinese VAT invoice whose side captions the scan kept one character of.

What a user sees: a paper fapiao prints 购买方 and 销售方 down the left side of the buyer's and
the seller's boxes. A scan that kept only 购 of the one and 售 of the other (the rest read as
'5', 'x' or 'A') still has its seller named from the seller's box, never the buyer's name; a
lone character that other labels also hold (开 of 开票方 and of 开票日期) names no box.
"""

from __future__ import annotations

from tests.vision.test_lexicons import page_of
from vision.fields import extract


def _fapiao(buyer_caption: str, seller_caption: str):
    return page_of([
        (20, [(150, "陕西增值税电子普通发票")]),
        (36, [(400, "发票号码 : 54106796")]), (48, [(400, "开票日期 : 2026 年 09 月 24 日")]),
        (80, [(60, "名"), (84, "称 : 合肥创新科技股份有限公司")]),
        (94, [(40, buyer_caption)]),
        (108, [(60, "纳税人识别号 : 914K72RJ5742TKIMLN")]),
        (122, [(60, "地址、电话 : 青岛市市南区香港中路 203 号 0548-16707443")]),
        (150, [(40, "货物或应税劳务、服务名称"), (300, "金额"), (380, "税率"), (440, "税额")]),
        (166, [(40, "* 纸制品 * 打印纸"), (300, "8515.68"), (380, "6%"), (440, "510.94")]),
        (190, [(40, "合 计"), (300, "¥8515.68"), (440, "¥510.94")]),
        (206, [(40, "价税合计 (大写 )"), (300, "(小写 ) ¥9026.62")]),
        (230, [(40, "5"), (60, "名"), (84, "称 : 天津滨海机电设备有限公司")]),
        (244, [(40, seller_caption + " | 纳税人识别号 : 91095705YW7PQ8FHMK")]),
        (258, [(60, "地 址、电话 : 厦门市思明区湖滨南路 94 号 021-52742087")]),
    ], scanned=True)


def test_the_seller_is_named_from_the_box_its_one_kept_caption_character_names():
    issuer = extract(_fapiao("购", "售")).fields.get("issuer")
    assert issuer is not None and issuer.value == "天津滨海机电设备有限公司"


def test_a_lone_character_other_labels_also_hold_names_no_box():
    # read as if the captions were lost altogether ('x', 'A'): 开 is no party's mark
    as_lost = extract(_fapiao("x", "A")).fields.get("issuer")
    read = extract(_fapiao("开", "开")).fields.get("issuer")
    assert (read.value, read.confidence) == (as_lost.value, as_lost.confidence)
