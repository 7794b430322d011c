"""Pages built from words where a test puts them, as a text layer or an OCR read them: the
reader's input without a PDF or a scan behind it."""

from __future__ import annotations

from vision.document import Word

#: pixels per character and between words, as a 10-pt line of a 300-dpi scan measures
CHAR_WIDTH, WORD_GAP, LINE_HEIGHT = 9, 7, 12


def cells(y: int, *cells: tuple[int, str], confidence: float = 0.95) -> list[Word]:
    """The words of cells on one line, each cell starting at its x."""
    words = []
    for x, text in cells:
        for part in text.split():
            words.append(Word(part, x, y, x + CHAR_WIDTH * len(part), y + LINE_HEIGHT, confidence, 1))
            x += CHAR_WIDTH * len(part) + WORD_GAP
    return words


def labelled_amounts(rows: tuple[str, ...], *, left: int, right: int, step: int, top: int = 60,
                     confidence: float = 0.96) -> list[Word]:
    """One row a line: the label's words from ``left``; after two spaces in the row, its amount
    ending at ``right`` (``'Total due  $4,180.00'``)."""
    words, y = [], top
    for row in rows:
        label, _, amount = row.partition("  ")
        words += cells(y, (left, label), confidence=confidence)
        if amount:  # one word, as the column's cell is read
            words.append(Word(amount, right - CHAR_WIDTH * len(amount), y, right, y + LINE_HEIGHT, confidence, 1))
        y += step
    return words
