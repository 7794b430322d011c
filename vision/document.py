"""What reading a file produces: pages of words with boxes and confidences, and their layout.

Coordinates have their origin at the top left of the page; units are whatever the source
used (PDF points for a text layer, pixels for OCR). Layout code therefore measures distances
in multiples of the text height, never in absolute units.

A page's words are grouped into ``Line``s (same baseline band) and each line into
``Segment``s (runs of words separated by less than about one text height): a label and its
value in another column are two segments of one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float = 1.0  # 0..1; a text layer is certain
    page: int = 1
    # every letter read beside a digit (O/0, S/5 …) was told apart by its glyph (vision.lookalikes)
    shapes_settled: bool = False
    # positions of digits whose ink matches none of the page's other prints of that digit: worn
    # print, read as whatever it looked like most (vision.worn)
    worn: tuple[int, ...] = ()

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1e-6)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def to_json(self) -> dict:
        return {"text": self.text, "box": [round(self.x0, 1), round(self.y0, 1), round(self.x1, 1), round(self.y1, 1)],
                "conf": round(self.conf, 3), "page": self.page}


def box_of(words: list[Word]) -> tuple[float, float, float, float]:
    """The box round ``words`` (x0, y0, x1, y1, in their page's pixels); ``words`` not empty."""
    return (min(w.x0 for w in words), min(w.y0 for w in words), max(w.x1 for w in words), max(w.y1 for w in words))


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """The share of the smaller of two boxes (x0, y0, x1, y1) that the other covers."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / smaller if smaller > 0 else 0.0


def join_words(words: list[Word]) -> tuple[str, list[tuple[int, int]]]:
    """Words to text, without spaces between CJK characters; returns each word's char span."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for i, w in enumerate(words):
        if i and not (_CJK.search(words[i - 1].text[-1:]) and _CJK.search(w.text[:1])):
            parts.append(" ")
            pos += 1
        parts.append(w.text)
        spans.append((pos, pos + len(w.text)))
        pos += len(w.text)
    return "".join(parts), spans


@dataclass
class Segment:
    words: list[Word]
    line: int  # index of the line on its page
    page: int

    def __post_init__(self):
        self.text, self.spans = join_words(self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    def words_in(self, start: int, end: int) -> list[Word]:
        """The words whose characters overlap text[start:end]."""
        return [w for w, (a, b) in zip(self.words, self.spans) if a < end and b > start]

    def x_at(self, char: int) -> float:
        """Left edge of the word holding character ``char`` (for text right of a label)."""
        for w, (a, b) in zip(self.words, self.spans):
            if b > char:
                return w.x0
        return self.x1


@dataclass
class Line:
    segments: list[Segment]
    height: float

    @property
    def text(self) -> str:
        return "   ".join(s.text for s in self.segments)

    @property
    def y0(self) -> float:
        return min(s.y0 for s in self.segments)

    @property
    def y1(self) -> float:
        return max(s.y1 for s in self.segments)


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word]
    source: str  # "text" (PDF text layer) or "ocr"
    dpi: float | None = None
    rotation: int = 0  # degrees the scan was turned to read it
    skew: float = 0.0  # degrees of deskew applied
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    retry_turn: int = 0  # extra 180 degrees chosen after a poor first read (to redo the same view)
    thorough: bool = False  # doubtful segments were read a second time
    _lines: list[Line] | None = field(default=None, repr=False)
    #: the prepared page the OCR read (grey pixels the words' boxes are in), kept only when
    #: ``read_document(keep_images=True)`` asks, so reading a few words again needs no second
    #: load and preparation of the page (``vision.reread.page_image``); ~9 MB at 300 dpi
    image: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> list[Line]:
        if self._lines is None:
            self._lines = group_lines(self.words, self.number)
        return self._lines

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def mean_conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words) if self.words else 0.0

    def summary(self) -> dict:
        return {"page": self.number, "source": self.source, "words": len(self.words),
                "width": round(self.width, 1), "height": round(self.height, 1),
                "mean_conf": round(self.mean_conf, 3), "rotation": self.rotation,
                "skew": round(self.skew, 2), "dpi": self.dpi, "seconds": round(self.seconds, 3),
                "notes": list(self.notes)}


@dataclass
class Document:
    path: str
    pages: list[Page]
    kind: str  # "pdf" or "image"

    @property
    def text(self) -> str:
        return "\n\f".join(p.text for p in self.pages)

    @property
    def words(self) -> list[Word]:
        return [w for p in self.pages for w in p.words]

    @property
    def lines(self) -> list[Line]:
        return [line for p in self.pages for line in p.lines]


#: a ruling between two cells as a scan reads it: '|', '=|', '[', '｜'
_CELL_RULE = re.compile(r"[=_-]?[|\[\]｜][=_-]?")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _heads_a_cell(row: list[Word], rule: Word) -> bool:
    """The word after a rule starts with a letter: a heading, not a figure of the row. Latin
    letters only: a fapiao's vertical captions (购 | 名称, 售 | 名称) are read with the rule between
    a caption's character and the field it names, one piece the seller's name is found by."""
    after = row[row.index(rule) + 1:]
    return bool(after) and bool(_LATIN_LETTER.fullmatch(after[0].text[:1]))


def _one_typewriter_space(prev: Word, word: Word) -> bool:
    """Two words of a fixed-pitch face (a till's Courier) one character cell apart: one space of
    a name ('THE GREEN GROCER'), wider than a line's height in capitals, which split it as if a
    gap between columns. Both words of letters, their letters equally wide, and the next word
    set on the first's grid of cells one space on: a proportional face's column gap fits none
    of these."""
    if not (_LETTER_WORD.fullmatch(prev.text) and _LETTER_WORD.fullmatch(word.text)):
        return False
    cell = (word.x0 - prev.x0) / (len(prev.text) + 1)  # the pitch, were the words one space apart
    # each glyph's ink fills most of its cell in a fixed-pitch face; a space adds its side bearings
    widths = [(w.x1 - w.x0) / len(w.text) for w in (prev, word)]
    return all(0.8 * cell <= width <= 1.02 * cell for width in widths) and word.x0 - prev.x1 <= 1.5 * cell


#: a word of two letters or more, dots or an apostrophe inside ('S.r.l.'), a colon after ('No:')
_LETTER_WORD = re.compile(r"[^\W\d_](?:[.'-]?[^\W\d_])+[.:,]?")


def group_lines(words: list[Word], page: int = 1) -> list[Line]:
    """Group words into lines by vertical overlap, then split lines at wide gaps."""
    usable = [w for w in words if w.text.strip()]
    if not usable:
        return []
    usable.sort(key=lambda w: (w.cy, w.x0))
    rows: list[list[Word]] = []
    centers: list[float] = []
    heights: list[float] = []
    for w in usable:
        # join the most recent row whose centre band holds this word's centre
        for i in range(len(rows) - 1, max(len(rows) - 4, -1), -1):
            if abs(w.cy - centers[i]) <= 0.5 * max(heights[i], w.height) * 0.9:
                rows[i].append(w)
                n = len(rows[i])
                centers[i] += (w.cy - centers[i]) / n
                heights[i] = median(x.height for x in rows[i])
                break
        else:
            rows.append([w])
            centers.append(w.cy)
            heights.append(w.height)
    order = sorted(range(len(rows)), key=lambda i: centers[i])
    lines: list[Line] = []
    for index, i in enumerate(order):
        row = sorted(rows[i], key=lambda w: w.x0)
        h = heights[i]
        segments: list[list[Word]] = [[row[0]]]
        for prev, w in zip(row, row[1:]):
            if w.x0 - prev.x1 > 0.95 * h and not _one_typewriter_space(prev, w):
                segments.append([w])
            elif _CELL_RULE.fullmatch(w.text) and _LATIN_LETTER.fullmatch(prev.text[-1:]) and _heads_a_cell(row, w):
                # a table's rule a scan read between two headings set close ('Fecha =| Vencimiento'):
                # two cells, each heading its own column, not one label with words after it
                segments.append([w])
            else:
                segments[-1].append(w)
        lines.append(Line([Segment(s, index, page) for s in segments], h))
    return lines
