"""Dot-matrix print read by its glyphs: a zero printed with a mark inside is a zero, whatever
OCR took it for."""

import numpy as np
import pytest

from vision.document import Word
from vision.lookalikes import is_zero_by_counter, zeros_by_their_counter

# a 5x7 ribbon font of our own: the zero carries a dot in its middle, as many printers print it
_FONT = {
    "0": [".###.", "#...#", "#...#", "#.#.#", "#...#", "#...#", ".###."],
    "1": ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
    "2": [".###.", "#...#", "....#", "..##.", ".#...", "#....", "#####"],
    "4": ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
    "5": ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
    "6": ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
    "8": [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
    "9": [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
    "-": [".....", ".....", ".....", "#####", ".....", ".....", "....."],
}
_PITCH = 7  # pixels from one pin's dot to the next
_CELL = 6 * _PITCH  # five dots and a blank column


def _struck(text: str) -> np.ndarray:
    """``text`` as a 9-pin printer strikes it: round grey dots that overlap their neighbours, on white paper."""
    import cv2

    height, width = 9 * _PITCH + 20, len(text) * _CELL + 20
    ink = np.zeros((height, width), np.float32)
    for n, ch in enumerate(text):
        for row, line in enumerate(_FONT[ch]):
            for col, pin in enumerate(line):
                if pin == "#":
                    cv2.circle(ink, (10 + n * _CELL + col * _PITCH + 3, 10 + row * _PITCH + 3), 5, 1.0, -1)
    return (255 - 170 * cv2.GaussianBlur(ink, (0, 0), 1.0)).clip(0, 255).astype(np.uint8)


def _word(text: str, read_as: str) -> Word:
    return Word(read_as, 10, 10, 10 + len(text) * _CELL - _PITCH, 10 + 7 * _PITCH, 0.8)


def test_a_zero_printed_with_a_dot_inside_is_a_zero_whatever_ocr_took_it_for():
    # printed 20-04-2015; OCR read each dotted zero as a 6, an 8 or a 9
    page = _struck("20-04-2015")
    fixed = zeros_by_their_counter(page, [_word("20-04-2015", "26-84-2915")])
    assert fixed[0].text == "20-04-2015"


def test_sixes_eights_and_nines_stay_as_read():
    page = _struck("69-18-1986")
    assert zeros_by_their_counter(page, [_word("69-18-1986", "69-18-1986")])[0].text == "69-18-1986"
    # a digit whose paper is enclosed in one half only, or in two counters, is no zero
    six = np.array([[ch == "#" for ch in line] for line in _FONT["6"]]).repeat(3, 0).repeat(3, 1)
    eight = np.array([[ch == "#" for ch in line] for line in _FONT["8"]]).repeat(3, 0).repeat(3, 1)
    plain_zero = np.array([[ch == "#" for ch in line] for line in [".###.", "#...#", "#...#", "#...#", "#...#",
                                                                   "#...#", ".###."]]).repeat(3, 0).repeat(3, 1)
    assert not is_zero_by_counter(six) and not is_zero_by_counter(eight)
    assert is_zero_by_counter(plain_zero)


def test_letters_and_words_without_digits_are_not_touched():
    page = _struck("20-04-2015")
    assert zeros_by_their_counter(page, [_word("20-04-2015", "BOOK")])[0].text == "BOOK"


# the same docket read large: the dot inside each zero has grown into a bar from side to side
_BARRED_ZERO = [".###.", "#...#", "#...#", "#####", "#...#", "#...#", ".###."]


def _struck_with(digit: str, dots: list[str], text: str) -> np.ndarray:
    """``text`` struck with ``digit`` printed as ``dots`` instead of the font's own."""
    saved = _FONT[digit]
    _FONT[digit] = dots
    try:
        return _struck(text)
    finally:
        _FONT[digit] = saved


def test_a_zero_whose_inner_mark_spans_it_is_still_a_zero():
    # printed 104.00 (a hardware docket's total); OCR read it '164.86' and '184.08'
    page = _struck_with("0", _BARRED_ZERO, "104-00")
    assert zeros_by_their_counter(page, [_word("104-00", "164-86")])[0].text == "104-00"
    assert zeros_by_their_counter(page, [_word("104-00", "184-08")])[0].text == "104-00"


def test_an_eight_pinched_between_its_loops_stays_an_eight():
    # a zero with a bar inside and an 8 both hold two paper counters, one above the other
    page = _struck_with("0", _BARRED_ZERO, "80-08")
    assert zeros_by_their_counter(page, [_word("80-08", "88-88")])[0].text == "80-08"
    eight = np.array([[ch == "#" for ch in line] for line in _FONT["8"]]).repeat(3, 0).repeat(3, 1)
    assert not is_zero_by_counter(eight)


def test_a_dotted_zero_read_as_a_three_is_a_zero():
    # a photo's blurred ribbon print: 'Date : 09 MAY 2016' came out '39 MAY 2016'
    page = _struck("09")
    assert zeros_by_their_counter(page, [_word("09", "39")])[0].text == "09"


def test_an_eight_whose_middle_dot_was_lost_stays_an_eight():
    # the ribbon missed the dot between the 8's loops: its paper runs from top to bottom as a
    # zero's does, but its sides pinch in at the middle (728.70 had been read 720.70)
    page = _struck_with("8", [".###.", "#...#", "#...#", ".#.#.", "#...#", "#...#", ".###."], "18")
    assert zeros_by_their_counter(page, [_word("18", "18")])[0].text == "18"


def test_eights_of_common_faces_are_not_zeros_with_a_bar():
    # their loops pinch in between them, however bold the face
    import glob

    from PIL import Image, ImageDraw, ImageFont

    faces = sorted(glob.glob("/usr/share/fonts/truetype/dejavu/DejaVuSans*.ttf"))
    if not faces:
        pytest.skip("no DejaVu fonts (apt-get install fonts-dejavu-core)")
    for face in faces:
        canvas = Image.new("L", (60, 60), 0)
        ImageDraw.Draw(canvas).text((5, 5), "8", fill=255, font=ImageFont.truetype(face, 34))
        ink = np.asarray(canvas) > 127
        rows, cols = np.nonzero(ink)
        assert not is_zero_by_counter(ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]), face
