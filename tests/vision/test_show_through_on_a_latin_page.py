"""A Latin till receipt whose back shows through in light grey, with a few blobs that look like
CJK characters (a shop's name in Chinese, or speckle on a worn photo): only a mostly CJK page
has its grey print darkened. Darkening a Latin page's show-through turned it into ink that
buried the receipt's own print (a German till photo read as 20 words, its total and date lost)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from vision.preprocess import CJK_PAGE, CJK_TEXT, grey_print_level, prepare

from tests.vision.corpus import LATIN_FONT, cjk_font

needs_cjk_font = pytest.mark.skipif(cjk_font() is None, reason="no CJK font (apt-get install fonts-wqy-microhei)")


def _receipt_with_its_back_showing(name_in_chinese: str) -> np.ndarray:
    """A till receipt in black, the mirrored print of its back in grey 200 over the whole
    paper, and a line with the shop's name in Chinese."""
    back = Image.new("L", (1000, 2400), 255)
    draw = ImageDraw.Draw(back)
    terms = ImageFont.truetype(LATIN_FONT, 40)
    for row in range(40):
        draw.text((40, 40 + 58 * row), f"Allgemeine Geschaeftsbedingungen {row:02d}", font=terms, fill=200)
    paper = Image.fromarray(np.array(back.transpose(Image.FLIP_LEFT_RIGHT)))
    draw = ImageDraw.Draw(paper)
    font = ImageFont.truetype(LATIN_FONT, 30)
    for row, text in enumerate(["Werkzeug Kontor KG", "Kaiserkai 7, 20457 Hamburg", "Zange 180mm   11,90",
                                "Feile flach    7,45", "SUMME EUR     19,35", "Karte EUR     19,35",
                                "Datum 02.05.2024 16:40"]):
        draw.text((80, 300 + 60 * row), text, font=font, fill=0)
    draw.text((80, 1100), name_in_chinese, font=ImageFont.truetype(cjk_font(), 36), fill=0)
    return np.array(paper)


@needs_cjk_font
def test_show_through_on_a_latin_page_with_some_cjk_looking_blobs_is_not_darkened():
    page = _receipt_with_its_back_showing("汉堡市五金店铺有限责任公司")
    assert grey_print_level(page) is not None  # the show-through reads as grey print
    prepared = prepare(page)
    # a few CJK-looking blobs: CJK text on the page, not a CJK page
    assert CJK_TEXT <= prepared.cjk_characters < CJK_PAGE
    assert not any(note.startswith("grey print") for note in prepared.notes)
