"""A paper fapiao as a scan reads it: the caption down the side of each party's box (购买方,
销售方) is printed one character per line, spread over the whole box, and is the worst read
part of the page: a character dropped, or garbled into another. The buyer's box still keeps
its name out of the issuer's place, and a caption waiting for its value ('地址、电话:') is no
company at all."""

from __future__ import annotations

from dataclasses import replace

from tests.vision.word_pages import CHAR_WIDTH, LINE_HEIGHT, cells
from vision.document import Document, Page, Word
from vision.invoice import analyse


def _fapiao(buyer_caption: list[str], seller_caption: list[str]) -> Document:
    rows = [(700, 170, "江苏增值税电子普通发票"), (1500, 300, "发票号码 : 20731845"),
            (1500, 350, "开票日期 : 2026 年 10 月 12 日")]
    # each party's box: four captioned lines 66 px apart, its side caption's characters beside
    # them, one every 84 px from the box's second line
    for top, name, tax_id, caption in ((492, "南京星河贸易有限公司", "91320100MA1X2Y3Z4K", buyer_caption),
                                       (1792, "苏州启明电子有限公司", "91320500MA2A3B4C5D", seller_caption)):
        # 名称 printed with its two characters far apart, read as two pieces
        rows += [(260, top, "名"), (330, top, f"称 : {name}"), (260, top + 66, f"纳税人识别号 : {tax_id}"),
                 (260, top + 132, "地址、电话:"), (470, top + 132, "江苏省南通市人民路 8 号 0513-5557123"),
                 (260, top + 198, "开户行及账号 : 中国银行南通分行 6217001234567890")]
        rows += [(194, top + 34 + 84 * n, char) for n, char in enumerate(caption) if char]
    rows += [(260, 800, "货物或应税劳务、服务名称"), (1300, 800, "金额"), (1500, 800, "税率"), (1700, 800, "税额"),
             (260, 850, "*纸制品*打印纸"), (1300, 850, "1000.00"), (1500, 850, "13%"), (1700, 850, "130.00"),
             (260, 1586, "合计"), (1300, 1586, "¥1000.00"), (1700, 1586, "¥130.00"),
             (260, 1673, "价税合计（大写）"), (700, 1673, "壹仟壹佰叁拾圆整"), (1300, 1673, "（小写）¥1130.00")]
    # a 300-dpi scan's 10-point characters: 30 px tall
    words: list[Word] = [replace(w, y1=w.y0 + 30) for x, y, text in rows for w in cells(y, (x, text))]
    return Document("fapiao.png", [Page(1, 2480, 3508, words, "ocr")], "image")


def test_a_buyer_caption_that_lost_its_last_character_still_holds_the_buyers_name_back():
    result = analyse(_fapiao(["购", "买", ""], ["销", "隘", "蘑"]), templates=[])
    assert result.value("issuer") == "苏州启明电子有限公司"


def test_a_fapiao_read_whole_names_its_seller_not_its_buyer_or_a_caption():
    result = analyse(_fapiao(["购", "买", "方"], ["销", "售", "方"]), templates=[])
    assert result.value("issuer") == "苏州启明电子有限公司"
    assert "地址" not in (result.fields["issuer"].detail or "")


def test_a_caption_over_an_address_is_not_the_company_it_introduces():
    rows = [(90, 150, "Postanschrift:"), (90, 175, "Ringstraße 12"), (90, 200, "80331 München"),
            (800, 300, "Rechnung Nr. 2026-318"), (800, 325, "Datum: 04.11.2026"),
            (90, 450, "Reparatur Schaltschrank"), (1000, 450, "400,00"),
            (800, 550, "Netto  400,00 €"), (800, 575, "USt. 19 %  76,00 €"), (800, 600, "Gesamtbetrag  476,00 €"),
            (90, 900, "Mit freundlichen Grüßen, Huber Elektrotechnik GmbH")]
    words = [w for x, y, text in rows for w in cells(y, (x, text))]
    result = analyse(Document("brief.png", [Page(1, 1240, 1750, words, "ocr")], "image"), templates=[])
    assert "Postanschrift" not in (result.value("issuer") or "")


def test_a_logo_word_a_scan_read_with_a_colon_is_still_the_company_its_domain_spells():
    # the seller's logo at the top right, as large as the title beside it, its round mark read
    # as a colon after the word; the buyer's address in the window at the left carries a legal
    # form, the seller's none
    rows = [(45, 122, "March 2, 2026"),
            (45, 235, "Halvorsen Corporation"), (800, 235, "LINDQVIST DE"),
            (45, 255, "Mill Lane, 7"), (800, 255, "Kaistraße 3"),
            (45, 275, "40213 Düsseldorf"), (800, 275, "Vegesack"), (800, 295, "28195 Bremen"),
            (45, 840, "Schrank, eiche"), (750, 840, "240.00"),
            (550, 935, "Subtotal"), (750, 935, "240.00"), (550, 965, "19% VAT"), (750, 965, "45.60"),
            (550, 1020, "Total € Incl. VAT"), (750, 1020, "285.60"),
            (45, 1555, "DE123456789"), (350, 1555, "0421 555 0101"), (650, 1555, "info@lindqvist.com")]
    words = [w for x, y, text in rows for w in cells(y, (x, text))]
    words += [Word(text, x, 64, x + 2 * CHAR_WIDTH * len(text), 64 + 2 * LINE_HEIGHT, 0.9, 1)
              for x, text in ((45, "Invoice"), (200, "88412"), (1000, "lindqvist:"))]
    result = analyse(Document("rechnung.png", [Page(1, 1240, 1754, words, "ocr")], "image"), templates=[])
    assert result.value("issuer") == "LINDQVIST DE", result.fields["issuer"].detail
