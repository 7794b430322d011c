"""Letters that OCR read beside digits, told from the digits they look like by their glyphs.

    from vision.lookalikes import settle_lookalikes
    words = settle_lookalikes(page_image, words)   # 'RO005532486' -> 'R0005532486'

In many fonts a zero and a capital O differ by a few pixels, and Tesseract's models read an
invoice number's zeros as O about as often as not (one scan gave 'RO005532486' and
'R0O005532486' for the two places that print R0005532486); the same goes, less often, for I/l
and 1, S and 5, B and 8, Z and 2, G and 6. The page itself can tell: a glyph printed in the
same word, in the same font and at the same size as the word's zeros, whose ink has the same
width, height and shape, is a zero; one whose ink differs from the word's zeros is a letter
(a capital O is wider than a zero in common fonts: Helvetica, Arial, DejaVu, Times 15-40%; a
lowercase o is shorter).

Only letters beside a digit are looked at, and only when the word's ink falls into exactly one
piece per character (touching letters, or a character OCR dropped, leave the word as read).
One exception: the model sometimes reads one ambiguous glyph twice, as '0O'; when the ink has
one piece fewer than the characters read and the piece under the pair is the word's zero, the
O goes. A word whose every such letter was told apart this way (the digit's ink, or plainly
not: less than ``DIFFERENT_SHAPE`` of it shared) is marked ``shapes_settled``;
where the word holds no digit to compare a letter with, nothing settles it and an invoice
number stays doubtful (``vision.fields`` lowers its confidence for a person to check).
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from vision.document import Word

#: the digit each letter is taken for, and taken from
DIGIT_OF = {"O": "0", "o": "0", "I": "1", "l": "1", "S": "5", "B": "8", "Z": "2", "G": "6"}
# a letter that looks like a digit, beside a digit
BESIDE_DIGIT = re.compile(r"[OoIlSBZG](?=\d)|(?<=\d)[OoIlSBZG]")
#: a digit that looks like a letter where a letter could stand: right after a letter ('S1008555'
#: read for SI008555) or first in a number ('51005435' read for SI005435). The 0/O, 1/I, 5/S
#: and 8/B a scan confuses; a 2 or 6 after a series code ('FT26/5023') is left alone
MAYBE_LETTER = re.compile(r"(?<=[A-Za-z])[0158]|^[0158](?=\w{3})")
#: share of the ink below which two glyphs read as one digit are two different characters: two
#: prints of one digit on a noisy scan shared 0.62 or more in 731 pairs on generated scans
DIFFERENT_SHAPE = 0.55
#: how much two glyphs' boxes may differ and still be one glyph: a pixel, or this share
SAME_SIZE = 0.08
#: share of the ink two glyphs have in common, aligned by their boxes: two prints of one zero on
#: a 300-dpi scan share all of it, a monospaced font's O and dotted zero (same box) 0.5-0.87
SAME_SHAPE = 0.92


def settle_lookalikes(image: np.ndarray, words: list[Word]) -> list[Word]:
    """``words`` with each letter read beside a digit turned into that digit where its glyph is
    the word's digit, and marked ``shapes_settled`` where every such letter was told apart
    (coordinates of ``words`` are pixels of ``image``, a grey page)."""
    out = []
    for word in words:
        fixed, settled = word.text, word.shapes_settled
        if BESIDE_DIGIT.search(word.text):
            fixed, settled = _by_glyph(image, word)
        if MAYBE_LETTER.search(fixed):
            settled = (settled or not BESIDE_DIGIT.search(word.text)) and _digits_are_digits(
                image, replace(word, text=fixed))
        if fixed != word.text or settled != word.shapes_settled:
            word = replace(word, text=fixed, shapes_settled=settled)
        out.append(word)
    return out


def _digits_are_digits(image: np.ndarray, word: Word) -> bool:
    """Whether each digit read where the word could spell a letter ('S1008555', '51005435') is
    that digit by its ink. Right after a letter, it must have the ink of the word's other print
    of that digit (with none to compare, a scan cannot tell 1 from I); first in the word, it is
    in doubt only when its ink differs from every other print of that digit in the word (most
    numbers start with a digit printed once: nothing says it is not one)."""
    glyphs = word_glyphs(image, word, len(word.text))
    found = list(MAYBE_LETTER.finditer(word.text))
    if glyphs is None:
        return not any(m.start() > 0 for m in found)
    for m in found:
        i = m.start()
        others = [glyphs[j] for j, c in enumerate(word.text) if c == m.group() and j != i]
        if not others:
            if i > 0:
                return False
        elif all(_overlap(glyphs[i], other) < DIFFERENT_SHAPE for other in others):
            return False
    return True


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the ink two glyphs have in common, laid top-left on top-left (0 when their
    boxes differ in size by more than ``SAME_SIZE``)."""
    (ha, wa), (hb, wb) = a.shape, b.shape
    if abs(ha - hb) > max(1, SAME_SIZE * hb) or abs(wa - wb) > max(1, SAME_SIZE * wb):
        return 0.0
    h, w = max(ha, hb), max(wa, wb)
    pa = np.zeros((h, w), bool)
    pb = np.zeros((h, w), bool)
    pa[:ha, :wa] = a
    pb[:hb, :wb] = b
    union = np.count_nonzero(pa | pb)
    return np.count_nonzero(pa & pb) / union if union else 0.0


def word_ink(image: np.ndarray, word: Word) -> np.ndarray | None:
    """The ink (1) and paper (0) of ``word``'s box with a pixel of margin, split at Otsu's
    threshold; None when the box is empty or under 8 pixels tall."""
    import cv2

    height, width = image.shape[:2]
    x0, y0 = max(int(word.x0) - 1, 0), max(int(word.y0) - 1, 0)
    x1, y1 = min(int(np.ceil(word.x1)) + 1, width), min(int(np.ceil(word.y1)) + 1, height)
    crop = image[y0:y1, x0:x1]
    if crop.size == 0 or crop.ndim != 2 or crop.shape[0] < 8:
        return None
    return cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]


def word_glyphs(image: np.ndarray, word: Word, characters: int, broken: bool = False) -> list[np.ndarray] | None:
    """The binary ink of each character of ``word``, left to right; None when the ink does
    not fall into ``characters`` pieces. ``broken``: a fixed-pitch word whose ink falls into
    more pieces than it has characters (a worn digit broken into strokes) is cut into
    characters by the pitch of its first and last (``_pieces_by_pitch``)."""
    import cv2

    ink = word_ink(image, word)
    if ink is None:
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    tall = ink.shape[0]
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
    if len(columns) > characters and broken:
        columns = _pieces_by_pitch(columns, stats, characters)
    if columns is None or len(columns) != characters:
        return None
    glyphs = []
    for members in columns:
        # the members' boxes bound the glyph: its labels looked up there, not over the word
        # (np.isin over the whole cut-out for each character cost more than the rest of it)
        left = min(stats[i][0] for i in members)
        top = min(stats[i][1] for i in members)
        right = max(stats[i][0] + stats[i][2] for i in members)
        bottom = max(stats[i][1] + stats[i][3] for i in members)
        member = np.zeros(count, bool)
        member[members] = True
        glyphs.append(member[labels[top:bottom, left:right]])
    return glyphs


def _pieces_by_pitch(columns: list[list[int]], stats: np.ndarray, characters: int) -> list[list[int]] | None:
    """``columns`` (pieces of ink side by side) grouped into ``characters`` cells of one pitch,
    the pitch measured between the first and the last column's centres: a till prints every
    character in one width, so a digit worn into strokes keeps its cell. None when a cell is
    left empty or wider than a character (the pitch is not the word's)."""
    def centre(members: list[int]) -> float:
        left = min(stats[i][0] for i in members)
        return (left + max(stats[i][0] + stats[i][2] for i in members)) / 2

    first, last = centre(columns[0]), centre(columns[-1])
    if characters < 2 or last <= first:
        return None
    pitch = (last - first) / (characters - 1)
    cells: list[list[int]] = [[] for _ in range(characters)]
    for members in columns:
        at = (centre(members) - first) / pitch
        cell = round(at)
        if not 0 <= cell < characters or abs(at - cell) > 0.4:
            return None
        cells[cell].extend(members)
    for members in cells:
        if not members or max(stats[i][0] + stats[i][2] for i in members) - min(stats[i][0] for i in members) \
                > 1.2 * pitch:
            return None
    return cells


def _same_glyph(a: np.ndarray, b: np.ndarray) -> bool:
    return _overlap(a, b) >= SAME_SHAPE


def _by_glyph(image: np.ndarray, word: Word) -> tuple[str, bool]:
    """(the word's text with letters that are the word's digits made digits, whether every
    letter beside a digit was told apart)."""
    glyphs = word_glyphs(image, word, len(word.text))
    text = list(word.text)
    if glyphs is None:
        # the model may read one ambiguous glyph twice, as a zero and as an O ('R0O005532486'
        # for the 11 glyphs of R0005532486): with one piece fewer than characters read, the
        # O of a '0O' or 'O0' pair goes when the glyph the pair stands on is the word's zero
        glyphs = word_glyphs(image, word, len(word.text) - 1)
        pair = re.search(r"0[Oo]|[Oo]0", word.text)
        if glyphs is None or pair is None:
            return word.text, False
        del text[pair.start() + (1 if text[pair.start()] == "0" else 0)]
        at = pair.start()
        others = [glyphs[i] for i, c in enumerate(text) if c == "0" and i != at]
        if not any(_same_glyph(glyphs[at], zero) for zero in others):
            return word.text, False
    read = "".join(text)
    settled = True
    for m in BESIDE_DIGIT.finditer(read):
        i, digit = m.start(), DIGIT_OF[m.group()]
        same_digit = [glyphs[j] for j, c in enumerate(read) if c == digit]
        if not same_digit:
            settled = False  # no print of that digit in the word to compare with
        elif any(_same_glyph(glyphs[i], other) for other in same_digit):
            text[i] = digit
        elif any(_overlap(glyphs[i], other) >= DIFFERENT_SHAPE for other in same_digit):
            # neither the digit's print nor plainly another glyph: a skewed or noisy scan's zero
            # shared 0.67 of its ink with the word's other zero ('RO97806' for R097806)
            settled = False
    return "".join(text), settled


# ------------------------------------------------------------------ a zero read as 6, 8, 9 or 3
#
# Dot-matrix ribbon printers (and some thermal fonts) print a zero with a mark inside it, a
# slash or a dot: Tesseract reads such a zero as 6, 8 or 9 more often than as 0 (a generated
# 9-pin docket: 0 read right 1 time in 5), on a photo's blurred print as 3 too ('39 MAY 2016'),
# and the date 20-04-2015 comes out a valid 26-04-2615 or 28-04-2015. The glyph's paper says
# which it is: a 6 encloses paper in its lower half only, a 9 in its upper half, an 8 one
# counter above the other with ink across the middle; a zero, whatever is printed inside it,
# encloses one counter that runs from near its top to near its bottom. When the mark inside
# reaches both sides (the dots joined and the docket read large, its dot grows into a bar: a
# zero like a theta), the zero encloses two counters one above the other, as an 8 does: the 8
# pinches in between its loops, the zero's sides run straight past the bar.

#: a digit's counter (paper enclosed by its ink) runs the zero's height when it starts within
#: this share of the glyph's height from its top and ends within it from its bottom (a 6's
#: counter starts about half-way down, a 9's ends about half-way; the counters of a zero
#: printed by a 9-pin ribbon, photographed or scanned: 0.1-0.2)
COUNTER_REACH = 0.3
#: a counter smaller than this share of the glyph's box is a speck of paper between dots
COUNTER_AT_LEAST = 0.02
#: a glyph whose ink between its two counters is at least this share of its widest has no
#: waist: a zero with a bar inside (9-pin dockets read at 36-px capitals: 0.86-1.0), not an 8
#: (the same dockets: 0.45-0.65, its middle row of dots set in by a dot each side; DejaVu's
#: faces 0.46-0.65; a bold thermal 8 photographed: 0.68)
NO_WAIST = 0.8


def _counters(glyph: np.ndarray) -> list[tuple[float, float]]:
    """The paper a glyph encloses, as (top, bottom) of each counter in shares of its height."""
    import cv2

    paper = np.pad(~glyph, 1, constant_values=True).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(paper, connectivity=4)
    height, width = glyph.shape
    found = []
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        if x == 0 or y == 0 or x + w >= width + 2 or y + h >= height + 2:
            continue  # the paper around the glyph, or a gap open to it
        if area >= max(2, COUNTER_AT_LEAST * height * width):
            found.append(((y - 1) / height, (y - 1 + h) / height))
    return sorted(found)


def _ink_widths(glyph: np.ndarray, rows: range) -> np.ndarray:
    """How wide the ink runs (leftmost to rightmost inked pixel) in each of ``rows``."""
    widths = []
    for row in rows:
        inked = np.flatnonzero(glyph[row])
        widths.append(inked[-1] - inked[0] + 1 if len(inked) else 0)
    return np.array(widths)


def _no_waist(glyph: np.ndarray, between: tuple[float, float]) -> bool:
    """Whether the ink across the rows ``between`` (shares of the glyph's height: where an 8
    pinches in between its loops) runs nearly as wide as the glyph's widest: a zero's straight
    sides, whatever mark is printed inside it."""
    height = glyph.shape[0]
    top = min(int(between[0] * height), height - 1)
    bottom = min(max(int(np.ceil(between[1] * height)), top + 1), height)
    pinched = _ink_widths(glyph, range(top, bottom)).min()
    return pinched >= NO_WAIST * _ink_widths(glyph, range(height)).max()


#: the rows of a glyph an 8 pinches in at, in shares of its height (between its loops)
MIDDLE = (0.42, 0.58)


def is_zero_by_counter(glyph: np.ndarray) -> bool:
    """Whether a glyph is a zero by the paper it encloses, as only a zero's is among 0, 6, 8,
    9: one counter that runs its height, or two stacked that do together, with no waist
    between them (an 8 whose middle dots printed weak encloses one tall counter too)."""
    if glyph.shape[0] < 8 or glyph.shape[1] < 4:
        return False
    counters = _counters(glyph)
    if len(counters) == 1:
        (top, bottom), between = counters[0], MIDDLE
    elif len(counters) == 2:
        (top, upper_end), (lower_start, bottom) = counters
        if upper_end >= 1 - COUNTER_REACH or lower_start <= COUNTER_REACH:
            return False  # not one above the other
        between = (min(upper_end, lower_start), max(upper_end, lower_start))
    else:
        return False
    return top <= COUNTER_REACH and bottom >= 1 - COUNTER_REACH and _no_waist(glyph, between)


#: the digits OCR reads a zero with a mark inside as; a 1, 2, 4, 5 or 7 never encloses a counter
#: running its height, and one found under it is a neighbour's ink, the word cut up wrong (a
#: fapiao's '10' became '00')
ZERO_READ_AS = "3689"
#: a number as dot-matrix print and OCR leave it: digits, with marks between
_NUMBER_WORD = re.compile(r"[\d.,:/-]*\d[\d.,:/-]*")


def zeros_by_their_counter(image: np.ndarray, words: list[Word]) -> list[Word]:
    """``words`` with each 3, 6, 8 or 9 of a number whose glyph is a zero by its counters (a
    zero with a mark inside, ``is_zero_by_counter``) read as 0."""
    out = []
    for word in words:
        if _NUMBER_WORD.fullmatch(word.text) and re.search(f"[{ZERO_READ_AS}]", word.text) \
                and sum(ch.isdigit() for ch in word.text) >= 2:
            glyphs = word_glyphs(image, word, len(word.text))
            if glyphs is not None:
                text = "".join("0" if ch in ZERO_READ_AS and is_zero_by_counter(glyph) else ch
                               for ch, glyph in zip(word.text, glyphs))
                if text != word.text:
                    word = replace(word, text=text)
        out.append(word)
    return out
