"""The same cut-out is handed to Tesseract once, however often a page's words are read again.

What a user sees: a till receipt that goes to the slower second read is analysed twice, and
the second analysis reads the date's box again exactly as the first did; reading those pixels
a second time costs CPU and cannot say anything new. The texts given back are the same.
"""

from __future__ import annotations

import numpy as np

from tests.vision.conftest import needs_tesseract


def _strip(text: str) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (420, 90), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 30)
    ImageDraw.Draw(page).text((20, 25), text, font=font, fill=0)
    image = np.array(page)
    ys, xs = np.nonzero(image < 128)
    return image, (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)


@needs_tesseract
def test_a_box_read_again_a_second_time_costs_no_second_tesseract_read(monkeypatch):
    import vision.reader
    from vision.reread import readings

    image, box = _strip("12/03/2017")
    handed: list[int] = []
    real = vision.reader._tesseract_batch

    def counting(images, languages, psm, pages):
        handed.append(len(images))
        return real(images, languages, psm, pages)

    monkeypatch.setattr(vision.reader, "_tesseract_batch", counting)
    first = readings(image, [box])
    second = readings(image.copy(), [box])
    assert second == first
    assert "12/03/2017" in first[0], first
    assert len(handed) == 1, handed

    # other ink in the same box is read: what is remembered is the pixels, not the place
    other, _ = _strip("12/08/2017")
    third = readings(other, [box])
    assert len(handed) == 2 and "12/08/2017" in third[0], third
