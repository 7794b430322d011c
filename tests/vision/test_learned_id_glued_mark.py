"""A seller's tax id the scan read with a bracket glued on ('91440300MA5FT2K8L1)', the ')' of
the stamp's '(章)' or of the printed box) is still the vendor's id: learned, it identifies the
vendor's later scans, even those that misread its name."""

from vision.document import Document, Page, Word
from vision.learned import find_ids


def _seller_block(id_as_read: str) -> Document:
    words = [Word("销售方", 200, 900, 330, 930, 0.9), Word("纳税人识别号", 400, 900, 640, 930, 0.9),
             Word(":", 650, 900, 660, 930, 0.9), Word(id_as_read, 680, 900, 1120, 930, 0.88)]
    return Document("fapiao.png", [Page(1, 2480, 3508, words, "ocr", dpi=300)], "image")


def test_a_bracket_the_scan_glued_to_a_tax_id_is_no_part_of_it():
    assert find_ids(_seller_block("91440300MA5FT2K8L1)"))["tax_ids"] == ["91440300MA5FT2K8L1"]
    assert find_ids(_seller_block("(91440300MA5FT2K8L1,"))["tax_ids"] == ["91440300MA5FT2K8L1"]


def test_a_glued_mark_does_not_make_an_invalid_id_valid():
    assert find_ids(_seller_block("91440300MA5FT2K8L2)"))["tax_ids"] == []


def test_the_id_learned_so_names_the_vendor_on_a_scan_that_misread_its_name_and_a_character_of_the_id():
    from vision.learned import LearnedTemplate

    learned = find_ids(_seller_block("91440300MA5FT2K8L1)"))["tax_ids"]
    vendor = LearnedTemplate("深圳南山印刷有限公司", names=["深圳南山印刷有限公司"], tax_ids=learned)
    # 印 read as 即, and the id's final 1 as an I, a letter the USCC never prints
    assert vendor.score("销售方 名称: 深圳南山即刷有限公司 纳税人识别号: 91440300MA5FT2K8LI") >= 3
