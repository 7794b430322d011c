"""Worn digits in a printed date: a glyph whose ink matches none of the page's other prints of
the digit it was read as.

    from vision.worn import mark_worn_digits, read_by_prints
    words = mark_worn_digits(page_image, words)   # Word('16.03.26', ..., worn=(1,))
    read_by_prints(page_image, words, stamp)      # ('25.02.20', 1): OCR read 26.02.20, unsurely

A till prints every digit in one fixed font at one size, so on a scan each print of a 6 has the
same ink as every other 6 on the receipt (two prints of one digit share 66-99% of their ink on
the real till scans, 90-99% on generated ones). Worn thermal print (dead dots of the head, a
rubbed strip) loses part of a digit's strokes: Tesseract reads what is left as the digit it
looks most like, often with high confidence (a worn 8 read as 6 at 0.89), and nothing in the
reading says so. The page does: what is left of that digit matches no 6 printed elsewhere.

Only digits of words that hold a numeric date are judged (a date has no arithmetic behind it;
an amount does), and only where the word's ink falls into one piece per character, or into more
pieces that the till's fixed pitch cuts into characters (a worn digit broken into strokes: the
pitch measured between the date's first and last characters). A digit is
worn when its best overlap with the page's prints of the same digit at the same size is
under ``WORN_OVERLAP`` and under ``WORN_SHARE`` of how well the word's other digits match
theirs (scans differ in sharpness: the word's own digits set the bar). A digit printed
nowhere else on the page cannot be judged and is left alone; so is a date with more than one
such digit (the page prints its date in another face than its other numbers).

``vision.receipts`` lets a worn date stand only where another print of the date, clean,
agrees with it; alone, it goes to a person. What that person is offered for a date OCR itself
read unsurely is what the page's prints say (``read_by_prints``): each digit of the stamp
compared, ink as it is, with the page's prints of every digit; one digit clearly more like
another digit's prints than its reading's is read as that digit.
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


def ink_shared(a: np.ndarray, b: np.ndarray) -> float:
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
        # a worn digit is often broken into strokes: the date's own ink is cut by its pitch
        word, mine = words[i], word_glyphs(image, words[i], len(words[i].text), broken=True)
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
                best[k] = max(ink_shared(mine[k], other) for other in others)
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


#: a doubtful digit is read as another when its ink is at least this much more like the page's
#: prints of that digit than like the prints of the digit OCR read
LIKER_BY = 1.15
#: prints of each digit a doubtful glyph is compared with (the nearest numbers of the page)
KEY_PRINTS = 4
#: a print of a digit is taken from a number OCR read at least this surely
KEY_CONFIDENCE = 0.85


def _cells(image: np.ndarray, word: Word, ghost: bool = False) -> list[np.ndarray] | None:
    """The ink of each character of a fixed-pitch ``word`` (0 paper to 1 the word's darkest),
    its box cut into equal cells, each widened by a fifth of a cell each side: no binarizing,
    so a faded or broken stroke counts for what is left of it. ``ghost``: 1 is ``GHOST_DEPTH``
    grey levels under the paper, so a worn stroke's ghost counts as much as the strokes left."""
    height, width = image.shape[:2]
    pitch = (word.x1 - word.x0) / max(len(word.text), 1)
    y0, y1 = max(int(word.y0) - 2, 0), min(int(np.ceil(word.y1)) + 2, height)
    region = image[y0:y1, max(int(word.x0), 0):min(int(np.ceil(word.x1)), width)]
    if pitch < 4 or region.size == 0 or region.ndim != 2 or y1 - y0 < 8:
        return None
    paper, dark = np.percentile(region, 95), np.percentile(region, 3)
    if paper - dark < 40:
        return None
    if ghost:
        # the paper's own level: most of its grain stays paper, a ghost a few levels under it is ink
        paper = np.percentile(region, GHOST_PAPER)
        dark = paper - GHOST_DEPTH
    cells = []
    for k in range(len(word.text)):
        a = max(int(word.x0 + (k - 0.2) * pitch), 0)
        b = min(int(np.ceil(word.x0 + (k + 1.2) * pitch)), width)
        cell = image[y0:y1, a:b].astype(np.float32)
        cells.append(np.clip((paper - cell) / (paper - dark), 0, 1))
    return cells


def _likeness(glyph: np.ndarray, key: np.ndarray) -> float:
    """How alike two cells' ink is (shared ink over all ink), the best of the key shifted by up
    to a fifth of a cell sideways and two pixels up or down."""
    from numpy.lib.stride_tricks import sliding_window_view

    sy, sx = 2, max(2, int(0.15 * glyph.shape[1]))
    canvas = np.zeros((max(glyph.shape[0], key.shape[0]) + 2 * sy, max(glyph.shape[1], key.shape[1]) + 2 * sx),
                      np.float32)
    canvas[sy:sy + glyph.shape[0], sx:sx + glyph.shape[1]] = glyph
    windows = sliding_window_view(canvas, key.shape)
    shared = np.minimum(windows, key).sum(axis=(-2, -1))
    union = float(glyph.sum()) + float(key.sum()) - shared
    return float((shared / np.maximum(union, 1e-6)).max())


def read_by_prints(image: np.ndarray, words: list[Word], word: Word) -> tuple[str, int] | None:
    """``word`` (a number OCR read doubtfully: a worn date stamp) read again digit by digit against
    the page's own prints of each digit, and the position of the digit that reads otherwise; None
    when the prints confirm what OCR read, or cannot say.

    A till prints every digit alike, so the page is its own key: each digit of ``word`` is
    compared with the clearest prints of every digit in the numbers around it, on the ink as
    it is (a faded or broken stroke counts for what is left of it). The key is trusted only
    when every other digit of ``word`` is most like its own prints, and a reading is given only
    when exactly one digit is clearly (``LIKER_BY``) more like another digit's prints than like
    those of the digit OCR read: what is left of a worn 5 that OCR read as 6 has no stroke
    where a 6 has one."""
    mine = _cells(image, word)
    digits = [k for k, ch in enumerate(word.text) if ch.isdigit()]
    if mine is None or len(digits) < 3:
        return None
    key = _key(image, words, word)
    if len(key) < 5:
        return None  # too few digits printed elsewhere to tell any from the others
    doubtful = []
    for k in digits:
        if word.text[k] not in key:
            return None  # a digit printed nowhere else: nothing to compare it with
        scores = {d: max(_likeness(mine[k], print_) for print_ in prints) for d, prints in key.items()}
        best = max(scores, key=scores.get)
        if scores[best] >= LIKER_BY * scores[word.text[k]]:
            doubtful.append((k, best))
    if len(doubtful) != 1:
        return None
    k, digit = doubtful[0]
    return word.text[:k] + digit + word.text[k + 1:], k


def _key(image: np.ndarray, words: list[Word], word: Word, ghost: bool = False) -> dict[str, list[np.ndarray]]:
    """The clearest prints (``_cells``) of each digit in the numbers around ``word`` on the page,
    at its size, none from ``word``'s own ink: the page's key to its font."""
    key: dict[str, list[np.ndarray]] = {}
    for other in sorted(words, key=lambda w: abs(w.cy - word.cy)):
        if other is word or other.conf < KEY_CONFIDENCE or not _NUMERIC.fullmatch(other.text) \
                or abs(other.height - word.height) > SAME_HEIGHT * word.height \
                or (other.x0 < word.x1 and word.x0 < other.x1 and abs(other.cy - word.cy) < word.height / 2):
            continue
        if all(len(key.get(d, ())) >= KEY_PRINTS for d in "0123456789"):
            break
        needed = [n for n, ch in enumerate(other.text) if ch.isdigit() and len(key.get(ch, ())) < KEY_PRINTS]
        theirs = _cells(image, other, ghost) if needed else None
        if theirs is None:
            continue
        for n in needed:
            key.setdefault(other.text[n], []).append(theirs[n])
    return key


#: a worn stroke is seldom gone: dead dots of a print head and rubbing leave a ghost a few grey
#: levels under the paper (``vision.reread.FAINT_DEPTHS``). Read against the page's prints, a
#: worn digit is judged with every pixel this many levels under the paper counted as full ink
GHOST_DEPTH = 12
#: the paper's level there: this percentile of the stamp's box (its grain lies about it)
GHOST_PAPER = 90
#: a worn digit is read as the candidate whose prints it is this much more like than the next's
#: (generated worn stamps: the digit printed 1.10-1.50 more like its own prints where the
#: readings split; a misread's margin at most 1.06)
GHOST_LIKER_BY = 1.1
#: a stamp's pitch (its box over its characters) may differ this much from its page's numbers'
SAME_PITCH = 0.12


def worn_digit_by_prints(image: np.ndarray, words: list[Word], stamp: Word, position: int,
                         candidates: set[str]) -> str | None:
    """Which of ``candidates`` (digits the readings of a worn stamp split between) the character
    at ``position`` of ``stamp`` was printed as: its ink, ghost and all (``GHOST_DEPTH``),
    against the page's own prints of each candidate read at the same level. A reading of what
    is left of a worn stroke sees another digit (a 3 whose middle is a ghost reads as 2, an 8
    whose left side is a ghost as 3); the ghost is still the printed digit's shape.

    ``stamp`` is the stamp's box over its characters, its text as one reading gives it (the
    till's fixed pitch cuts the box into characters). None when a candidate is printed nowhere
    else on the page, the box is not the page's pitch (OCR lost a character at its edge), the
    ink is most like a digit that is no candidate, or no candidate is clearly
    (``GHOST_LIKER_BY``) the most alike."""
    if len(candidates) < 2 or not 0 <= position < len(stamp.text):
        return None
    key = _key(image, words, stamp, ghost=True)
    if any(digit not in key for digit in candidates):
        return None
    pitches = [(w.x1 - w.x0) / len(w.text) for w in words if w.text and _NUMERIC.fullmatch(w.text)
               and w.conf >= KEY_CONFIDENCE and abs(w.height - stamp.height) <= SAME_HEIGHT * stamp.height]
    if not pitches or abs((stamp.x1 - stamp.x0) / len(stamp.text) - median(pitches)) > SAME_PITCH * median(pitches):
        return None
    cells = _cells(image, stamp, ghost=True)
    if cells is None:
        return None
    likeness = {digit: max(_likeness(cells[position], print_) for print_ in prints) for digit, prints in key.items()}
    if max(likeness, key=likeness.get) not in candidates:
        # the ghost is most like a digit no reading gave (a worn 8 read as 3 and as 5): the
        # readings lost it, and the prints do not choose between what they read
        return None
    first, second = sorted(candidates, key=likeness.get, reverse=True)[:2]
    return first if likeness[first] >= GHOST_LIKER_BY * likeness[second] else None


#: the strokes of each digit drawn as seven segments (a top, b upper right, c lower right, d
#: bottom, e lower left, f upper left, g middle), of the digits drawn with five strokes or more:
#: the ones that wear turns into each other (an 8 into a 3, 5, 6, 9, 0 or 2; a 9 into a 3 or 5;
#: a 6 into a 5), a 1, 4 or 7 too unlike them in the faces tills print
_STROKES = {"0": "abcdef", "2": "abdeg", "3": "abcdg", "5": "acdfg", "6": "acdefg", "8": "abcdefg", "9": "abcdfg"}


def strokes_both_saw(a: str, b: str) -> str | None:
    """The digit drawn with exactly the strokes two readings of one glyph share, when each saw a
    stroke the other did not (OCR's 6 and the prints' 9: each of them a 5 with one stroke more,
    the lower left or the upper right). A phone photo's blur and grain darken a worn print's
    gaps as readily as wear empties its strokes, so a stroke only one reading saw is in doubt,
    and the strokes both saw are the ones the print surely has. None when either digit holds
    all of the other's strokes (``fuller_digit`` weighs those) or no digit is drawn with just
    the shared ones."""
    if a == b or a not in _STROKES or b not in _STROKES or fuller_digit(a, b) is not None:
        return None
    shared = set(_STROKES[a]) & set(_STROKES[b])
    return next((digit for digit, strokes in _STROKES.items() if set(strokes) == shared), None)


def fuller_digit(a: str, b: str) -> str | None:
    """Of two digits the readings of one worn glyph split between, the one drawn with every
    stroke of the other and more (8 and 3: 8): a reading that saw the fuller digit saw strokes
    the other has not, and wear takes strokes, it does not add them. None when neither digit
    holds all of the other's strokes."""
    if a == b or a not in _STROKES or b not in _STROKES:
        return None
    if set(_STROKES[b]) < set(_STROKES[a]):
        return a
    if set(_STROKES[a]) < set(_STROKES[b]):
        return b
    return None
