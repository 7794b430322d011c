"""Tesseract sometimes reads part of a label twice, putting the second reading in the next
text line at nearly the same height ('Tax Date' as 'Tax Dat' and 'ax mare'): the page's words
must hold each printed word once, or a label learned from that scan is garbage."""

from vision.reader import _words_of_rows


def _row(line: int, word: int, text: str, left: int, top: int, width: int, height: int, conf: int) -> list[str]:
    # level, page, block, paragraph, line, word, left, top, width, height, conf, text (Tesseract's TSV)
    return ["5", "1", "1", "1", str(line), str(word), str(left), str(top), str(width), str(height), str(conf), text]


def test_a_label_tesseract_read_twice_in_two_text_lines_is_read_once():
    rows = [_row(3, 1, "Tax", 1500, 557, 24, 26, 96), _row(3, 2, "Dat", 1581, 557, 65, 26, 96),
            _row(3, 3, "11/11/2026", 2052, 557, 195, 29, 96),
            _row(4, 1, "Blackburn", 213, 578, 175, 29, 93), _row(4, 2, "ax", 1521, 564, 44, 19, 64),
            _row(4, 3, "mare", 1609, 564, 60, 19, 68)]
    words = _words_of_rows(rows, 1)
    assert [w.text for w in words] == ["Tax", "Dat", "11/11/2026", "Blackburn"]
    tax = words[0]
    assert (tax.x0, tax.x1) == (1500, 1565)  # the box spans the ink both readings covered


def test_words_side_by_side_in_two_text_lines_are_all_kept():
    # two columns Tesseract read as two lines at one height, and figures close together
    rows = [_row(1, 1, "Quantity", 100, 500, 160, 27, 96), _row(1, 2, "2", 300, 500, 14, 27, 90),
            _row(2, 1, "Qty", 330, 502, 60, 27, 95), _row(2, 2, "2.50", 318, 540, 70, 27, 96),
            _row(2, 3, "Invoice", 400, 503, 137, 27, 93)]
    assert [w.text for w in _words_of_rows(rows, 1)] == ["Quantity", "2", "Qty", "2.50", "Invoice"]
