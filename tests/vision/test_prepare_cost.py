"""Preparing a page costs less CPU and gives the very same page: a receipt's print is measured
once, not twice, and the darkest print, the skew search and the specks left out of the
upside-down test come out as before, bit for bit (the words Tesseract reads stay the same)."""

import cv2
import numpy as np
import pytest

import vision.preprocess as preprocess
from tests.vision.receipt_corpus import PHOTO_VARIANTS, flatbed, make_receipt, photo
from vision.reader import PageTask, load_image


def _receipt_photo(tmp_path, seed=4242, layout="my_kopitiam"):
    receipt = make_receipt(seed, layout)
    return load_image(PageTask(str(photo(receipt, PHOTO_VARIANTS[0], tmp_path / "shot.jpg")), "image", 0, 1))


def test_a_receipt_photo_has_its_print_measured_once(tmp_path, monkeypatch):
    page = _receipt_photo(tmp_path)
    measured = []
    real = preprocess._print_ink

    def counting(gray):
        measured.append(gray.shape)
        return real(gray)

    monkeypatch.setattr(preprocess, "_print_ink", counting)
    prepared = preprocess.prepare(page)
    # the dot-matrix test and the true-size test both measured the same ink of the same page
    assert len(measured) == 1, measured
    assert 200 <= prepared.dpi <= 500


def test_a_page_turned_on_its_side_is_measured_again_once_upright(tmp_path, monkeypatch):
    receipt = make_receipt(777, "de_baumarkt")
    path = flatbed(receipt, tmp_path / "scan.jpg")
    turned = cv2.rotate(load_image(PageTask(str(path), "image", 0, 1)), cv2.ROTATE_90_CLOCKWISE)
    measured = []
    real = preprocess._print_ink
    monkeypatch.setattr(preprocess, "_print_ink", lambda gray: measured.append(gray.shape) or real(gray))
    prepared = preprocess.prepare(turned)
    assert prepared.vertical_text
    # measured across the letters by the dot-matrix test, then again along them for the size
    assert len(measured) >= 2 and measured[-1] == measured[-2][::-1]


@pytest.mark.parametrize("seed", range(6))
def test_the_darkest_print_is_the_same_as_numpy_gives(seed):
    rng = np.random.default_rng(seed)
    pages = [rng.integers(0, 256, (300, 200), dtype=np.uint8),
             np.clip(rng.normal(200, 30, (517, 311)), 0, 255).astype(np.uint8),
             np.full((40, 40), 231, np.uint8)]
    two_levels = np.full((10, 20), 250, np.uint8)
    two_levels.flat[:1] = 3  # the 0.5th percentile falls between two levels: interpolated
    pages.append(two_levels)
    pages.append(rng.integers(0, 256, (600, 900), dtype=np.uint8)[50:400:2, 100:700])  # a view, not contiguous
    for page in pages:
        for q in (0.5, 5, 50, 95):
            assert preprocess._low_percentile(page, q) == float(np.percentile(page, q))


def _masked_profile(ink: np.ndarray, angle: float) -> np.ndarray:
    """The row profile of ``ink`` sheared by ``angle`` as it was counted before: rows off the
    page masked out."""
    ys, xs = np.nonzero(ink)
    h, w = ink.shape
    ys = ys.astype(np.float32) - h / 2
    xs = xs.astype(np.float32) - w / 2
    t = np.float32(np.tan(np.radians(angle)))
    index = (ys - xs * t + h / 2).astype(np.int32)
    index = index[(index >= 0) & (index < h)]
    return np.bincount(index, minlength=h).astype(np.float64)


def test_the_skew_search_counts_the_same_rows(tmp_path):
    page = _receipt_photo(tmp_path, seed=99, layout="my_petrol")
    ink = preprocess._ink(preprocess._shrink(page, 1400))
    ink[:5] = 1  # print touching the top and the bottom edge: sheared off the page at any angle
    ink[-5:] = 1
    profile = preprocess._profiles(ink)
    for angle in (-5.0, -2.5, -0.1, 0.0, 0.3, 4.9):
        assert np.array_equal(profile(angle, 1), _masked_profile(ink, angle))
    skew, sharpness = preprocess.estimate_skew(ink)
    assert -5 <= skew <= 5 and sharpness > 0


def test_specks_are_left_out_as_before(tmp_path):
    page = _receipt_photo(tmp_path, seed=5, layout="my_pharmacy")
    ink = preprocess._ink(preprocess._shrink(page, 1400))
    binary = ink.astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    small = (stats[:, cv2.CC_STAT_HEIGHT] < 6) & (stats[:, cv2.CC_STAT_WIDTH] < 6)
    small[0] = False
    before = np.where(small[labels], 0, binary).astype(np.float32)
    assert np.array_equal(preprocess._without_marks(ink, 12), before)
    assert 0 < before.sum() < ink.sum()
