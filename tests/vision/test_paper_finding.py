"""A phone photo's receipt is cut out whole, print and all, even where the bright region the
paper finder starts from is not the paper: a strong shadow over part of the receipt on a
pale desk, a receipt small on a floor of lit tiles. Cutting the shaded part away lost the
amounts and the date printed there."""

import cv2
import numpy as np
import pytest

from tests.vision.receipt_corpus import HardShot, hard_photo, make_receipt, render, same_amount
from vision.preprocess import find_paper, paper_corners, to_gray

SHADED_ON_A_PALE_DESK = HardShot(width=900, share=0.28, pitch=3, turn=-3, shadow=0.85, surface="light", paper=219)
SMALL_ON_LIT_TILES = HardShot(width=1200, share=0.21, pitch=19, turn=3.5, curl=0.015, shadow=0.7, surface="tiles",
                              paper=193)


def _print_outside(receipt, shot, truth, corners, shape) -> float:
    """Share of the receipt's print that lies outside the quadrilateral ``corners``."""
    flat = (render(receipt, px_per_mm=shot.width / 80, faint=shot.faint) < 160).astype(np.float32)
    h, w = flat.shape
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), truth.astype(np.float32))
    ink = cv2.warpPerspective(flat, matrix, shape[::-1]) > 0.5
    cut = np.zeros(shape, np.uint8)
    cv2.fillPoly(cut, [np.round(corners).astype(np.int32)], 1)
    return np.count_nonzero(ink & (cut == 0)) / np.count_nonzero(ink)


#: a shadow's band across a pale desk and the slip: the desk's lit side joins the slip at the
#: photo's threshold, and the slip's lit corner alone, raised above it, stands out from nothing
BANDED_PALE_DESK = HardShot(width=1200, share=0.29, pitch=16, turn=-6.8, shadow=0.5, surface="light", paper=222)


@pytest.mark.parametrize("seed, layout, shot", [(280011, "de_discount", SHADED_ON_A_PALE_DESK),
                                                (280018, "my_petrol", SMALL_ON_LIT_TILES),
                                                (640015, "nl_supermarkt", BANDED_PALE_DESK)],
                         ids=["shaded-on-a-pale-desk", "small-on-lit-tiles", "banded-pale-desk"])
def test_no_print_is_cut_away_with_the_shade_or_the_floor(seed, layout, shot, tmp_path):
    receipt = make_receipt(seed, layout)
    path, truth = hard_photo(receipt, shot, tmp_path / "photo.jpg")
    gray = to_gray(cv2.imread(str(path)))
    found = paper_corners(gray)
    assert found is not None
    assert _print_outside(receipt, shot, truth, found[0], gray.shape) < 0.002, found[1]
    # and the cut-out is about the receipt, not the whole photo
    assert cv2.contourArea(found[0]) < 0.6 * gray.size, found[1]


def test_a_receipt_half_in_shadow_on_a_pale_desk_is_read_with_its_total(tmp_path):
    from vision.invoice import read_invoice

    receipt = make_receipt(280011, "de_discount")
    path, _ = hard_photo(receipt, SHADED_ON_A_PALE_DESK, tmp_path / "photo.jpg")
    result = read_invoice(path, templates=[])
    assert same_amount(result.value("amount"), receipt.truth["amount"]), result.fields_json()


def test_a_receipt_on_a_dark_table_is_still_cut_to_its_four_corners(tmp_path):
    receipt = make_receipt(280016, "my_hardware")
    path, truth = hard_photo(receipt, HardShot(width=1000, share=0.25, pitch=20, turn=5, shadow=0.7), tmp_path / "p.jpg")
    gray = to_gray(cv2.imread(str(path)))
    paper, note = find_paper(gray)
    assert note and "four corners" in note
    expected = cv2.contourArea(truth)
    assert cv2.contourArea(paper_corners(gray)[0]) == pytest.approx(expected, rel=0.1)


def test_a_grey_slip_beside_a_lit_stretch_of_table_is_cut_out_alone_and_level():
    # a thermal roll that is not white, photographed in dim light: the table's lit side is
    # nearly as bright as the slip, so the brightest half of the photo takes both in, and
    # corners drawn round slip and table together slant every line of print
    paper = np.full((900, 300), 185, np.uint8)
    for y in range(60, 860, 40):
        cv2.line(paper, (20, y), (280, y), 40, 5)
    seen = np.float32([[260, 150], [560, 140], [575, 1040], [275, 1050]])
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [300, 0], [300, 900], [0, 900]]), seen)
    table = np.tile(np.linspace(150, 55, 800, dtype=np.float32), (1200, 1))  # lit at the left, dim at the right
    slip = cv2.warpPerspective(paper.astype(np.float32), matrix, (800, 1200))
    cover = cv2.warpPerspective(np.ones((900, 300), np.float32), matrix, (800, 1200))
    shot = (slip * cover + table * (1 - cover)).clip(0, 255).astype(np.uint8)
    corners, how, _ = paper_corners(cv2.GaussianBlur(shot, (5, 5), 0))
    assert cv2.contourArea(corners) == pytest.approx(cv2.contourArea(seen), rel=0.1), how
    squared, _ = find_paper(cv2.GaussianBlur(shot, (5, 5), 0))
    below = squared[squared.shape[0] // 3:] < 128

    def first_print(x: int) -> int:
        return int(np.nonzero(below[:, x])[0][0])

    assert abs(first_print(int(squared.shape[1] * 0.15)) - first_print(int(squared.shape[1] * 0.85))) <= 3
