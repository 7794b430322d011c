"""Pages are read at the size their print needs, whatever the file claims: a phone photo's
paper is found and squared, a receipt on a big scanner page is cut out, and a receipt's bar
code and fixed-pitch columns do not make it look turned on its side."""

import cv2
import numpy as np
import pytest

from tests.conftest import SAMPLES
from tests.vision.receipt_corpus import PHOTO_VARIANTS, Photo, flatbed, make_receipt, photo, render, same_amount
from vision.preprocess import find_paper, find_text_block, prepare, text_height, true_size
from vision.reader import PageTask, load_image

REAL_RECEIPTS = SAMPLES / "invoices" / "receipts-softmatic"


def _capitals(height_px: int) -> np.ndarray:
    """A page of capitals and digits whose capitals are ``height_px`` tall."""
    image = np.full((height_px * 40, height_px * 30), 255, np.uint8)
    scale = height_px / 22.0  # FONT_HERSHEY_SIMPLEX capitals are ~22 px at scale 1
    for row in range(12):
        cv2.putText(image, "TOTAL 1234.50 CASH", (height_px, int((row + 2) * height_px * 2.5)),
                    cv2.FONT_HERSHEY_SIMPLEX, scale, 0, max(1, int(scale * 2)))
    return image


@pytest.mark.parametrize("size", [12, 30, 90])
def test_text_height_is_measured_on_the_print(size):
    measured = text_height(_capitals(size))
    assert measured == pytest.approx(size, rel=0.2)


def test_a_thousand_pixel_receipt_is_not_blown_up_but_tiny_print_is_enlarged():
    normal, _, note = true_size(_capitals(30))
    assert normal.shape == _capitals(30).shape and note is None
    small = _capitals(12)
    bigger, dpi, note = true_size(small)
    assert bigger.shape[0] == pytest.approx(small.shape[0] * 30 / 12, rel=0.25)
    assert "enlarged" in note
    huge, _, note = true_size(_capitals(90))
    assert huge.shape[0] < _capitals(90).shape[0] / 1.8 and "reduced" in note


def test_photo_metadata_of_72_dpi_does_not_decide_the_size(tmp_path):
    receipt = make_receipt(3, "my_mart")
    path = photo(receipt, Photo(width=1000), tmp_path / "r.jpg")
    prepared = prepare(load_image(PageTask(str(path), "image", 0, 1)))
    # the paper is ~1000 px wide in the photo: read at about that size, not 3x
    assert prepared.image.shape[1] < 1400
    assert not any("enlarged" in note for note in prepared.notes)


@pytest.mark.parametrize("shot", PHOTO_VARIANTS[:4], ids=lambda s: s.label())
def test_the_paper_in_a_phone_photo_is_found_and_squared(shot, tmp_path):
    receipt = make_receipt(11, "de_discount")
    path = photo(receipt, shot, tmp_path / "r.jpg")
    gray = load_image(PageTask(str(path), "image", 0, 1))
    paper, note = find_paper(gray)
    assert note and "paper found" in note
    rendered = render(receipt)
    # cut out to the paper: its shape is the receipt's, not the photo's
    assert paper.shape[0] / paper.shape[1] == pytest.approx(rendered.shape[0] / rendered.shape[1], rel=0.12)
    assert paper.size < 0.8 * gray.size


def test_a_scan_filling_the_frame_is_left_alone():
    page = _capitals(30)
    same, note = find_paper(page)
    assert note is None and same is page


def test_a_receipt_on_a_flatbed_page_is_cut_out(tmp_path):
    receipt = make_receipt(5, "de_baumarkt")
    path = flatbed(receipt, tmp_path / "scan.jpg", turn=2.0)
    gray = load_image(PageTask(str(path), "image", 0, 1))
    block, note = find_text_block(gray)
    assert note is not None
    assert block.size < 0.4 * gray.size
    prepared = prepare(gray)
    assert not prepared.vertical_text and not prepared.upside_down
    assert abs(prepared.skew + 2.0) < 0.6


@pytest.mark.parametrize("lid", [250, 190])  # a white lid, a grey one the paper is brighter than
def test_the_whole_receipt_is_cut_from_a_flatbed_page_whatever_the_lid(lid):
    paper = render(make_receipt(12, "my_mart"), px_per_mm=300 / 25.4, faint=0.3)
    page = np.full((3508, 2480), lid, np.uint8)
    top, left = 300, 1200
    page[top:top + paper.shape[0], left:left + paper.shape[1]] = paper
    block, note = find_text_block(page)
    assert note is not None
    # every line of print is kept (the blank paper between blocks of print is no edge) and
    # most of the page is not
    assert block.shape[0] >= paper.shape[0] * 0.9 and block.shape[1] >= paper.shape[1] * 0.85
    assert block.size < 0.35 * page.size


def test_a_narrow_receipt_with_a_bar_code_is_not_taken_for_a_page_on_its_side():
    receipt = make_receipt(8, "de_discount")
    paper = render(receipt)
    bars = paper[-1:].repeat(int(paper.shape[1] * 0.3), axis=0).copy()
    rng = np.random.default_rng(1)
    for x in range(40, paper.shape[1] - 40, 6):  # a bar code: a fence of vertical bars
        if rng.random() < 0.6:
            bars[:, x:x + int(rng.integers(2, 5))] = 0
    prepared = prepare(np.vstack([paper, bars]))
    assert not prepared.vertical_text
    turned = prepare(np.rot90(np.vstack([paper, bars])).copy())
    assert turned.vertical_text


@pytest.mark.skipif(not REAL_RECEIPTS.is_dir(), reason=f"real till scans not present at {REAL_RECEIPTS}")
def test_real_till_scans_are_read_upright_at_their_own_size():
    for path in sorted(REAL_RECEIPTS.glob("*.jpg")):
        gray = load_image(PageTask(str(path), "image", 0, 1))
        prepared = prepare(gray)
        assert not prepared.vertical_text and not prepared.upside_down, (path.name, prepared.notes)
        assert not any("enlarged" in n for n in prepared.notes), (path.name, prepared.notes)


@pytest.mark.parametrize("seed, shot", [(9118, 6), (10118, 6), (10122, 3), (11110, 4)])
def test_an_upright_photo_of_a_receipt_in_capitals_and_digits_is_not_turned_over(seed, shot, tmp_path):
    # a petrol station's till prints capitals and digits only; photographed, their soft round
    # bottoms (0 3 5 6 8 9 S O) are all that sticks out of the lines, and it is not a descender
    receipt = make_receipt(seed, "my_petrol")
    path = photo(receipt, PHOTO_VARIANTS[shot], tmp_path / "pump.jpg")
    prepared = prepare(load_image(PageTask(str(path), "image", 0, 1, "eng")))
    assert not prepared.upside_down, prepared.notes


def test_a_paper_corner_lost_in_a_shadow_is_still_where_its_two_edges_meet():
    paper = np.full((900, 300), 235, np.uint8)
    for y in range(60, 860, 40):  # lines of print straight across the strip
        cv2.line(paper, (20, y), (280, y), 40, 5)
    seen = np.float32([[230, 140], [560, 170], [540, 1080], [200, 1060]])  # the phone held at an angle
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [300, 0], [300, 900], [0, 900]]), seen)
    shot = cv2.warpPerspective(paper, matrix, (800, 1200), borderValue=90)
    cv2.circle(shot, (560, 170), 110, 85, -1)  # a hand's shadow over one corner, as dark as the table
    squared, note = find_paper(cv2.GaussianBlur(shot, (5, 5), 0))
    assert note and "four corners" in note
    height, width = squared.shape
    below_the_shadow = squared[height // 3:] < 128

    def first_print(x: int) -> int:
        return int(np.nonzero(below_the_shadow[:, x])[0][0])

    # squared from its true corners, the paper's lines of print run level again
    assert abs(first_print(int(width * 0.1)) - first_print(int(width * 0.9))) <= 3


def test_a_receipt_whose_right_third_lies_in_a_straight_shadow_is_cut_out_whole():
    # the edge of a phone's shadow runs straight down the slip: the lit two thirds are a clean
    # rectangle of their own, and the amounts printed in the shade at the right were cut off
    paper = np.full((900, 300), 240, np.uint8)
    for y in range(60, 860, 40):
        cv2.line(paper, (20, y), (120, y), 40, 5)  # an item's name
        cv2.line(paper, (220, y), (280, y), 40, 5)  # its amount, at the right edge
    seen = np.float32([[250, 150], [550, 160], [545, 1060], [245, 1050]])
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [300, 0], [300, 900], [0, 900]]), seen)
    shot = cv2.warpPerspective(paper, matrix, (800, 1200), borderValue=90).astype(np.float32)
    shot[:, 450:] *= 0.55  # the shade, over the paper's right third and the table beside it
    squared, note = find_paper(cv2.GaussianBlur(shot.astype(np.uint8), (5, 5), 0))
    assert note and "paper found" in note
    assert squared.shape[1] == pytest.approx(300, rel=0.08), note
    amounts = squared[:, int(squared.shape[1] * 0.75):] < 100
    assert np.count_nonzero(amounts.any(axis=1)) > 100  # the column of amounts is on the cut-out


@pytest.mark.parametrize("seed,layout,degrees", [(4101, "my_pharmacy", 8.5), (4103, "my_mart", -9.0),
                                                  (4102, "de_discount", 8.5)])
def test_a_receipt_laid_well_askew_on_the_glass_is_read_with_its_total(seed, layout, degrees, tmp_path):
    # turned that far, each line's amount on the right stands a line or two lower than its label;
    # levelled by only part of the turn, SUMME was read beside another line's amount
    from vision.invoice import read_invoice

    receipt = make_receipt(seed, layout)
    result = read_invoice(flatbed(receipt, tmp_path / "askew.png", turn=degrees))
    assert same_amount(result.value("amount"), receipt.truth["amount"]), result.fields_json()
