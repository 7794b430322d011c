"""A page's zeros told by the page's own print of them, all its prints of a glyph taken together.

    from vision.pageglyphs import zeros_by_their_prints
    words = zeros_by_their_prints(page_image, words)   # '436.75' -> '430.75' on a 9-pin docket

A ribbon printer's zero with a slash or a dot inside reads as 3, 6, 8 or 9 far more often than
as 0, and a worn ribbon drops dots: one print of that zero, its side broken where a dot is
missing, can look like a 3 or a 9 even to the glyph tests of ``vision.lookalikes``. But a
printer strikes every zero of the page with the same pins, and a docket prints a dozen or more
of them: laid on top of each other (each print brought to the same box), the missing dots of
one print are filled by the others and the page's zero shows whole. So:

- every digit of the page's numbers is cut out (``word_glyphs``, or, when the dots of a glyph
  fall into several pieces, the word's ink cut at its empty columns: a monospaced print leaves
  a column of paper between characters);
- each 3, 6, 8 or 9 OCR read in an amount is laid together with its nearest prints on the page
  (``NEIGHBOURS``, brought to one size, those within ``SAME_GLYPH`` of it, itself among them):
  when those prints, averaged, make a zero (``is_zero_shape``: its two sides run straight down
  the glyph's middle, no waist between two loops as an 8 has, no side open as a 6, 9 or 3 has)
  and the print itself does not pinch in on both sides as an 8 does (``pinched``), it is a 0.

Only on pages whose print was found in dots (``vision.preprocess.join_dotted_print``): a
thermal till's bold 8 sits closer to its zeros than a ribbon's does, and only amounts are
changed (a date or a time is settled by its calendar, ``vision.dotdates``).
At least ``LEAST_PRINTS`` prints are laid together: one print alone is what ``vision.lookalikes`` judges.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from vision.document import Word
from vision.lookalikes import ZERO_READ_AS, word_glyphs, word_ink

#: every glyph is compared brought to this box (width, height): a 5x7 dot glyph's dots stay apart
SHAPE = (12, 20)
#: two prints are of one glyph when their inks, at ``SHAPE``, differ on less than this share of
#: the pixels (on generated 9-pin dockets scanned at 300 dpi, development seeds: 0.14 found
#: about half the misread zeros of 0.18; 0.18 also made some 8s of dates zeros, hence amounts only)
SAME_GLYPH = 0.18
#: prints of one glyph that settle what it is together; fewer say nothing a single print does not
LEAST_PRINTS = 3
#: the prints of a glyph taken together: the nearest ones (itself among them) within ``SAME_GLYPH``
NEIGHBOURS = 5
#: a zero's sides: ink within this share of the glyph's width of its box's edge on every row of
#: the glyph's middle (a slashed 9-pin zero's sides run straight; the 8 of the same print
#: pinched in 3-4 px of 22 each side between its loops; a 6's right side and a 9's left side
#: are open)
STRAIGHT_SIDE = 0.12
#: the rows of a glyph whose sides must run straight, in shares of its height (a zero's top
#: and bottom curve in)
MIDDLE_ROWS = (0.25, 0.75)
#: an averaged pixel inked on at least this share of the prints is the glyph's ink
INKED = 0.5
#: an amount as a till prints one ('430.75', '-0.01', '1,058.90', or its cents lost: '406.'), the
#: only numbers changed: a date or a time is settled by its calendar (``vision.dotdates``), and
#: an 8 of a date whose neighbours on the page were zeros was made one
_AMOUNT = re.compile(r"-?\d{1,3}(?:,\d{3})*[.,](?:\d{2})?|-?\d+[.,](?:\d{2})?")
#: a number as OCR reads one (digits with marks between), whose digits are cut out
_NUMBER = re.compile(r"[\d.,:/-]*\d[\d.,:/-]*")


def zeros_by_their_prints(image: np.ndarray, words: list[Word]) -> list[Word]:
    """``words`` with each 3, 6, 8 or 9 of an amount made 0 where its glyph is one of the page's
    prints of its zero (coordinates of ``words`` are pixels of ``image``, a grey page)."""
    prints: list[tuple[int, int, np.ndarray]] = []  # (word, character, glyph at SHAPE)
    for i, word in enumerate(words):
        if not _NUMBER.fullmatch(word.text) or sum(ch.isdigit() for ch in word.text) < 2:
            continue
        glyphs = word_glyphs(image, word, len(word.text)) or glyphs_by_columns(image, word, len(word.text))
        if glyphs is None:
            continue
        for k, (ch, glyph) in enumerate(zip(word.text, glyphs)):
            if ch.isdigit() and glyph.shape[0] >= 8 and glyph.shape[1] >= 4:
                prints.append((i, k, _at_shape(glyph)))
    if not any(words[i].text[k] in ZERO_READ_AS for i, k, _ in prints):
        return words
    changes: dict[int, set[int]] = {}
    inks = np.array([shape >= INKED for _, _, shape in prints])
    for n, (i, k, _) in enumerate(prints):
        if words[i].text[k] not in ZERO_READ_AS or not _AMOUNT.fullmatch(words[i].text):
            continue
        apart = np.count_nonzero(inks != inks[n], axis=(1, 2)) / inks[n].size
        near = [m for m in np.argsort(apart, kind="stable")[:NEIGHBOURS] if apart[m] < SAME_GLYPH]
        if len(near) >= LEAST_PRINTS and not pinched(inks[n]) \
                and is_zero_shape(np.mean([prints[m][2] for m in near], axis=0) >= INKED):
            changes.setdefault(i, set()).add(k)
    out = list(words)
    for i, places in changes.items():
        text = "".join("0" if k in places else ch for k, ch in enumerate(words[i].text))
        out[i] = replace(words[i], text=text)
    return out


def glyphs_by_columns(image: np.ndarray, word: Word, characters: int) -> list[np.ndarray] | None:
    """The binary ink of each character of ``word`` cut at the columns of paper between
    characters (a glyph whose dots fall into pieces is one run of inked columns); None when
    the word's ink does not fall into ``characters`` runs."""
    ink = word_ink(image, word)
    if ink is None:
        return None
    inked = np.concatenate([[False], ink.any(axis=0), [False]])
    edges = np.flatnonzero(np.diff(inked.astype(np.int8)))
    runs = list(zip(edges[::2], edges[1::2]))
    if len(runs) != characters:
        return None
    glyphs = []
    for left, right in runs:
        piece = ink[:, left:right].astype(bool)
        rows = np.flatnonzero(piece.any(axis=1))
        glyphs.append(piece[rows[0]: rows[-1] + 1])
    return glyphs


def _at_shape(glyph: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.resize(glyph.astype(np.float32), SHAPE, interpolation=cv2.INTER_AREA)


def is_zero_shape(glyph: np.ndarray) -> bool:
    """Whether a glyph's ink (a boolean image, its box its ink's) is a zero's: its left and
    right sides run straight down its middle rows, whatever is printed inside."""
    height, width = glyph.shape
    rows = glyph[int(MIDDLE_ROWS[0] * height): int(np.ceil(MIDDLE_ROWS[1] * height))]
    if not len(rows) or not rows.any(axis=1).all():
        return False
    left = rows.argmax(axis=1)
    right = width - 1 - rows[:, ::-1].argmax(axis=1)
    reach = STRAIGHT_SIDE * width
    return bool((left <= reach).all() and (right >= width - 1 - reach).all())


def pinched(glyph: np.ndarray) -> bool:
    """Whether a print's ink pinches in on both sides at once somewhere down its middle, as an
    8 does between its loops (a zero's missing dot breaks one side only)."""
    height, width = glyph.shape
    rows = glyph[int(MIDDLE_ROWS[0] * height): int(np.ceil(MIDDLE_ROWS[1] * height))]
    inked = rows.any(axis=1)
    left = np.where(inked, rows.argmax(axis=1), width)
    right = np.where(inked, width - 1 - rows[:, ::-1].argmax(axis=1), -1)
    reach = STRAIGHT_SIDE * width
    return bool(((left > reach) & (right < width - 1 - reach)).any())
