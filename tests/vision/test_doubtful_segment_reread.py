"""A doubtful segment read again replaces its own words, never adds a neighbouring line's again."""

from vision.document import Word
from vision.reader import _doubtful_segments, _replace_doubtful


def _words():
    # two close lines of a receipt header: the lower one read doubtfully
    return [Word("Order", 100, 200, 190, 230, 0.95), Word("Ref", 200, 200, 250, 230, 0.95),
            Word("77-1043", 270, 200, 400, 230, 0.93),
            Word("Paid", 100, 240, 170, 282, 0.41), Word("0n", 180, 248, 215, 276, 0.38),
            Word("14/02", 230, 248, 320, 276, 0.52)]


def test_a_close_line_the_cut_out_took_in_is_not_added_twice():
    words = _words()
    doubtful = [(seg, None) for seg in _doubtful_segments(words, 1)]
    assert len(doubtful) == 1
    # the cut-out's margin reached the line above: the second reading gives it too
    read = [[Word("Order", 100, 200, 190, 230, 0.96), Word("Ref", 200, 200, 250, 230, 0.96),
             Word("77-1043", 270, 201, 400, 230, 0.95),
             Word("Paid", 100, 246, 170, 276, 0.93), Word("on", 180, 248, 215, 276, 0.92),
             Word("14/02", 230, 248, 320, 276, 0.9)]]
    out = _replace_doubtful(words, doubtful, read)
    assert sorted(w.text for w in out) == sorted(["Order", "Ref", "77-1043", "Paid", "on", "14/02"])
