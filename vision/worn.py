"""Worn digits in a printed date: a glyph whose ink matches none of the page's other prints of
the digit it was read as.

    from vision.worn import mark_worn_digits
    words = mark_worn_digits(page_image, words)   # Word('16.03.26', ..., worn=(1,))

A till prints every digit in one fixed font at one size, so on a scan each print of a 6 has the
same ink as every other 6 on the receipt (two prints of one digit share 66-99% of their ink on
the real till scans, 90-99% on generated ones). Worn thermal print (dead dots of the head, a
rubbed strip) loses part of a digit's strokes: Tesseract reads what is left as the digit it
looks most like, often with high confidence (a worn 8 read as 6 at 0.89), and nothing in the
reading says so. The page does: what is left of that digit matches no 6 printed elsewhere.

Only digits of words that hold a numeric date are judged (a date has no arithmetic behind it;
an amount does), and only where the word's ink falls into one piece per character. A digit is
worn when its best overlap with the page's prints of the same digit at the same size is
under ``WORN_OVERLAP`` and under ``WORN_SHARE`` of how well the word's other digits match
theirs (scans differ in sharpness: the word's own digits set the bar). A digit printed
nowhere else on the page cannot be judged and is left alone; so is a date with more than one
such digit (the page prints its date in another face than its other numbers).

``vision.receipts`` lets a worn date stand only where another print of the date, clean,
agrees with it; alone, it goes to a person.
"""

from __future__ import annotations

import re
from dataclasses import replace
from statistics import median

import numpy as np

from vision.document import Word
from vision.lookalikes import word_glyphs

_DATE = re.compile(r"(?<!\d)\d{1,2}[.,/-]\d{1,2}[.,/-](?:\d{4}|\d{2})(?!\d)")
#: a word that is a number (an amount, a time, a date, a code): where prints of digits come from
_NUMERIC = re.compile(r"[\d.,:/-]*\d[\d.,:/-]*\d[\d.,:/-]*")
#: a worn digit's best overlap with another print of its digit is under this (worn digits on
#: generated scans: 0.07-0.53; clean prints on the real till scans: 0.66 and up) ...
WORN_OVERLAP = 0.7
#: ... and under this share of the median best overlap of the date's other digits (clean prints
#: on the real till scans: 0.85 and up; worn digits on generated scans: 0.55 and below)
WORN_SHARE = 0.75
#: prints of another word count as the same size when their median glyph height is this close
SAME_HEIGHT = 0.15
#: prints of one digit compared with (the nearest found), to bound the work on a long receipt
MAX_PRINTS = 6


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the ink two glyphs have in common (intersection over union), the best of their
    boxes aligned at the top left and shifted by up to a pixel each way."""
    (ha, wa), (hb, wb) = a.shape, b.shape
    h, w = max(ha, hb) + 2, max(wa, wb) + 2
    pa = np.zeros((h, w), bool)
    pa[1:1 + ha, 1:1 + wa] = a
    best = 0.0
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            pb = np.zeros((h, w), bool)
            pb[dy:dy + hb, dx:dx + wb] = b
            union = np.count_nonzero(pa | pb)
            if union:
                best = max(best, np.count_nonzero(pa & pb) / union)
    return best


def mark_worn_digits(image: np.ndarray, words: list[Word]) -> list[Word]:
    """``words`` with ``worn`` set on each word holding a numeric date: the positions of its
    digits whose glyph matches no other print of that digit on the page (coordinates of
    ``words`` are pixels of ``image``, a grey page)."""
    dated = [i for i, w in enumerate(words) if _NUMERIC.fullmatch(w.text) and _DATE.search(w.text)]
    if not dated:
        return words
    cache: dict[int, list[np.ndarray] | None] = {}

    def glyphs_of(j: int) -> list[np.ndarray] | None:
        if j not in cache:
            cache[j] = word_glyphs(image, words[j], len(words[j].text))
        return cache[j]

    numbers = [j for j, w in enumerate(words) if _NUMERIC.fullmatch(w.text)]
    out = list(words)
    for i in dated:
        word, mine = words[i], glyphs_of(i)
        if mine is None:
            continue
        digits = [k for k, ch in enumerate(word.text) if ch.isdigit()]
        height = median(mine[k].shape[0] for k in digits)
        prints: dict[str, list[tuple[tuple[int, int], np.ndarray]]] = {}
        for k in digits:
            prints.setdefault(word.text[k], []).append(((i, k), mine[k]))
        # the numbers nearest the date first (printed by the same head, scanned alike); glyphs
        # are cut out only of words that hold a digit still wanted, at about the date's size
        for j in sorted(numbers, key=lambda j: abs(words[j].cy - word.cy)):
            if j == i or abs(words[j].height - word.height) > 0.35 * word.height:
                continue
            if not any(ch in prints and len(prints[ch]) <= MAX_PRINTS for ch in words[j].text):
                continue
            theirs = glyphs_of(j)
            if theirs is None:
                continue
            if abs(median(theirs[n].shape[0] for n, ch in enumerate(words[j].text) if ch.isdigit()) - height) \
                    > SAME_HEIGHT * height:
                continue
            for n, ch in enumerate(words[j].text):
                if ch in prints and len(prints[ch]) <= MAX_PRINTS:
                    prints[ch].append(((j, n), theirs[n]))
        best: dict[int, float] = {}
        for k in digits:
            others = [glyph for where, glyph in prints[word.text[k]] if where != (i, k)]
            if others:
                best[k] = max(_overlap(mine[k], other) for other in others)
        worn = []
        for k, score in best.items():
            others = [v for n, v in best.items() if n != k]
            if len(others) >= 2 and score < WORN_OVERLAP and score < WORN_SHARE * median(others):
                worn.append(k)
        # wear takes a digit; several digits unlike their prints elsewhere say the page prints its
        # numbers in several faces (an invoice's date in another font than its amounts)
        if len(worn) == 1:
            out[i] = replace(word, worn=tuple(worn))
    return out
