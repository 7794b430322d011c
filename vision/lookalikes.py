"""A letter O that OCR read beside digits, told from a zero by its glyph.

    from vision.lookalikes import settle_zeros
    words = settle_zeros(page_image, words)   # 'RO005532486' -> 'R0005532486'

In many fonts a zero and a capital O differ by a few pixels, and Tesseract's models read an
invoice number's zeros as O about as often as not (one scan gave 'RO005532486' and
'R0O005532486' for the two places that print R0005532486). The page itself can tell: a glyph
printed in the same word, in the same font and at the same size as the word's zeros, whose ink
has the same width, height and shape, is a zero. A capital O is wider than a zero in common
fonts (Helvetica, Arial, DejaVu, Times: 15-40%), and a lowercase o is shorter.

Only words that hold both an O read beside a digit and at least one zero are looked at, and
only when the word's ink falls into exactly one piece per character (touching letters, or a
character OCR added or dropped, leave the word as read). Where nothing settles it, the number
stays doubtful (``vision.fields`` lowers its confidence for a person to check).
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from vision.document import Word

# an O or o beside a digit, in a word that also holds a zero read as a zero
_BESIDE_DIGIT = re.compile(r"[Oo](?=\d)|(?<=\d)[Oo]")
#: how much two glyphs' boxes may differ and still be one glyph: a pixel, or this share
SAME_SIZE = 0.08
#: share of the ink two glyphs have in common, aligned by their boxes: two prints of one zero on
#: a 300-dpi scan share all of it, a monospaced font's O and dotted zero (same box) 0.5-0.87
SAME_SHAPE = 0.92


def settle_zeros(image: np.ndarray, words: list[Word]) -> list[Word]:
    """``words`` with each O read beside a digit turned into a zero where its glyph is the
    word's zero (coordinates of ``words`` are pixels of ``image``, a grey page)."""
    out = []
    for word in words:
        if "0" in word.text and _BESIDE_DIGIT.search(word.text):
            fixed = _zeros_by_glyph(image, word)
            if fixed is not None and fixed != word.text:
                word = replace(word, text=fixed)
        out.append(word)
    return out


def _glyphs(image: np.ndarray, word: Word) -> list[np.ndarray] | None:
    """The binary ink of each character of ``word``, left to right; None when the ink does
    not fall into one piece per character."""
    import cv2

    height, width = image.shape[:2]
    x0, y0 = max(int(word.x0) - 1, 0), max(int(word.y0) - 1, 0)
    x1, y1 = min(int(np.ceil(word.x1)) + 1, width), min(int(np.ceil(word.y1)) + 1, height)
    crop = image[y0:y1, x0:x1]
    if crop.size == 0 or crop.ndim != 2 or crop.shape[0] < 8:
        return None
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    tall = crop.shape[0]
    pieces = [i for i in range(1, count) if stats[i][3] >= 0.15 * tall or stats[i][4] >= 0.01 * tall * tall]
    # a piece above or below another (the dot of an i, the two dots of a colon) is one character
    columns: list[list[int]] = []
    for i in sorted(pieces, key=lambda i: stats[i][0]):
        x, _, w, _, _ = stats[i]
        if columns:
            last = columns[-1]
            left = min(stats[j][0] for j in last)
            right = max(stats[j][0] + stats[j][2] for j in last)
            if min(right, x + w) - max(left, x) > 0.5 * min(w, right - left):
                last.append(i)
                continue
        columns.append([i])
    if len(columns) != len(word.text):
        return None
    glyphs = []
    for members in columns:
        mask = np.isin(labels, members)
        ys, xs = np.nonzero(mask)
        glyphs.append(mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1])
    return glyphs


def _same_glyph(a: np.ndarray, b: np.ndarray) -> bool:
    (ha, wa), (hb, wb) = a.shape, b.shape
    if abs(ha - hb) > max(1, SAME_SIZE * hb) or abs(wa - wb) > max(1, SAME_SIZE * wb):
        return False
    h, w = max(ha, hb), max(wa, wb)
    pa = np.zeros((h, w), bool)
    pb = np.zeros((h, w), bool)
    pa[:ha, :wa] = a
    pb[:hb, :wb] = b
    union = np.count_nonzero(pa | pb)
    return union > 0 and np.count_nonzero(pa & pb) / union >= SAME_SHAPE


def _zeros_by_glyph(image: np.ndarray, word: Word) -> str | None:
    glyphs = _glyphs(image, word)
    if glyphs is None:
        return None
    text = list(word.text)
    zeros = [glyphs[i] for i, c in enumerate(text) if c == "0"]
    for m in _BESIDE_DIGIT.finditer(word.text):
        i = m.start()
        if any(_same_glyph(glyphs[i], zero) for zero in zeros):
            text[i] = "0"
    return "".join(text)
