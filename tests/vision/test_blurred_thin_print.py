"""A low-resolution office scan, a little blurred, of an invoice whose small print is in a light
typeface: the threshold breaks its thin letters into pieces at their thinnest points, pieces of
every length. A dot-matrix printer's pins print dots of one size. Only print in pieces of about
one size is joined up as dots; the light print is read as it is (joined, every caption and the
item lines of a 150-dpi Spanish invoice came out a smear)."""

from __future__ import annotations

import numpy as np

from vision.preprocess import _piece_of_print


def _boxes(sizes_across: list[int], letters: int = 40, capital: int = 18) -> np.ndarray:
    """Ink blobs as (x, y, width, height): pieces ``sizes_across`` wide and twice as tall, and
    ``letters`` whole letters of a heading."""
    pieces = [(i * 10, 0, size, 2 * size) for i, size in enumerate(sizes_across)]
    whole = [(i * 20, 100, capital - 4, capital) for i in range(letters)]
    return np.array(pieces + whole, np.int32).reshape(-1, 4)


def test_pieces_of_one_size_are_a_printers_dots():
    dots = [4, 5, 4, 4, 5, 4, 3, 4, 5, 4] * 12  # a pin's dot, now and then two of them run together
    assert _piece_of_print(_boxes(dots), 18.0) is not None


def test_pieces_of_every_length_are_thin_print_broken_by_the_threshold():
    broken = [1, 2, 5, 3, 1, 2, 4, 1, 2, 3, 5, 1] * 10  # stroke ends, a bowl's half, a dot of an i
    assert _piece_of_print(_boxes(broken), 18.0) is None
