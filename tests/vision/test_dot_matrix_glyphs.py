"""Dot-matrix print read by its glyphs: a zero printed with a mark inside is a zero, whatever
OCR took it for."""

import numpy as np

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
