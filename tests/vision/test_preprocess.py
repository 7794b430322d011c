"""OpenCV helpers whose shortcuts must give the same answers as the slow, obvious way."""

import cv2
import numpy as np

from vision.preprocess import component_boxes, estimate_skew, level_of_a_bowed_page


def test_component_boxes_match_opencv_statistics_with_nested_and_touching_shapes():
    image = np.zeros((300, 400), np.uint8)
    cv2.rectangle(image, (10, 10), (390, 290), 1, 2)        # a table border ...
    cv2.putText(image, "8 O B", (40, 120), cv2.FONT_HERSHEY_SIMPLEX, 2, 1, 3)  # ... text with holes inside it
    cv2.rectangle(image, (60, 180), (140, 260), 1, 2)       # a box in the box ...
    cv2.circle(image, (100, 220), 15, 1, -1)                # ... with a blob in its hole
    image[200, 300] = image[201, 301] = 1                  # diagonal neighbours: one 8-connected component
    count, _, stats, _ = cv2.connectedComponentsWithStats(image, connectivity=8)
    expected = sorted(map(tuple, stats[1:, :4].tolist()))
    assert sorted(map(tuple, component_boxes(image).tolist())) == expected
    assert len(expected) >= 7
    assert component_boxes(np.zeros((20, 20), np.uint8)).shape == (0, 4)


def test_a_blurred_low_resolution_chinese_scan_is_still_found_to_be_mostly_chinese(tmp_path):
    # A4 copies are counted for CJK characters at their own 200-230 dpi (only a narrow till
    # receipt's 240-340 dpi copy is counted lower): counting this 150-dpi blurred invoice at
    # 170 dpi halved its count, so it was read as a Latin page and lost number, date and total
    from tests.vision.corpus import Scan, make_invoice, write_scan
    from vision.preprocess import CJK_PAGE, prepare

    counts = {}
    for seed in (7002, 7012):
        scan = write_scan(make_invoice(seed, "cn"), Scan(150, skew=2.0, blur=0.8), tmp_path / f"{seed}.png")
        prepared = prepare(cv2.imread(str(scan)))
        assert prepared.cjk, seed  # read with the Chinese model
        counts[seed] = prepared.cjk_characters
    assert max(counts.values()) >= CJK_PAGE, counts  # and the clearer one with it alone


def test_the_dashed_edge_of_a_cut_out_receipt_takes_no_place_of_its_unread_amounts():
    # a dot-matrix docket cut out of a flatbed page: its paper's edge runs down the right side in
    # dashes a line tall, and the cents of its totals, which the page's first reading dropped,
    # lie at the bottom. Each dash was a piece of leftover ink, and the first MAX_LEFTOVER of
    # them, top to bottom, left no place for the cents: the docket's total was lost
    from vision.document import Word
    from vision.reader import MAX_LEFTOVER, _leftover_pieces

    height = 2 * 30 * (MAX_LEFTOVER + 5)
    image = np.full((height, 400), 255, np.uint8)
    for y in range(0, height, 30):
        image[y:y + 22, 397:400] = 60  # the paper's edge: a dash a line tall, a gap
    for n, cents in enumerate(("13", "02", "15")):
        cv2.putText(image, cents, (300, height - 150 + 40 * n), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    words = [Word("TOTAL", 20, 20 + 40 * n, 120, 44 + 40 * n, 0.9) for n in range(5)]
    pieces = _leftover_pieces(image, words)
    assert sum(1 for _, x, y in pieces if 280 <= x <= 310 and y >= height - 200) == 3
    assert all(x + crop.shape[1] < 390 for crop, x, _ in pieces)  # no dash is read as text


def _rows_of_print(width: int, height: int, dy_of_x) -> np.ndarray:
    """Ink of a page of text rows (dashes for words, labels on the left, amounts on the right),
    each row's height along it given by ``dy_of_x``."""
    ink = np.zeros((height, width), np.float32)
    for top in range(40, height - 60, 36):
        for x0, x1 in ((20, 140), (160, 260), (300, 380), (width - 130, width - 30)):
            for x in range(x0, x1):
                y = int(round(top + dy_of_x(x)))
                ink[y:y + 14, x] = 1
    return ink


def test_a_bowed_photo_is_turned_so_both_ends_of_its_lines_are_level():
    w = 900
    bow = _rows_of_print(w, 1200, lambda x: -14 * np.sin(np.pi * x / w))  # sags in the middle
    whole, _ = estimate_skew(bow)
    angle, note = level_of_a_bowed_page(bow, whole)
    assert abs(angle) <= 0.3 and note and "bowed" in note


def test_a_flat_photo_turned_a_little_keeps_its_turn():
    w = 900
    turned = _rows_of_print(w, 1200, lambda x: (x - w / 2) * np.tan(np.radians(1.5)))
    whole, _ = estimate_skew(turned)
    angle, note = level_of_a_bowed_page(turned, whole)
    assert note is None and angle == whole and abs(angle - 1.5) <= 0.2


def test_a_gently_curled_photo_has_its_halves_levelled_near_the_page_level(monkeypatch):
    import vision.preprocess as preprocess

    w = 900
    bow = _rows_of_print(w, 1200, lambda x: -8 * np.sin(np.pi * x / w))  # each end a degree off
    whole, _ = estimate_skew(bow)
    tried = []
    real = preprocess._profiles

    def counting(ink):
        profile = real(ink)
        return lambda angle, axis: tried.append(angle) or profile(angle, axis)

    monkeypatch.setattr(preprocess, "_profiles", counting)
    angle, note = level_of_a_bowed_page(bow, whole)
    assert abs(angle) <= 0.3 and note and "bowed" in note
    # each half's lines lie a degree or two off the page's: the thirty degrees a flat page is
    # searched over are not searched again for each half
    assert len(tried) < len(np.arange(-15, 15.01, 0.5))


def test_a_half_curled_further_than_its_search_reach_is_still_levelled():
    # the left half lies flat; the right half curls away, its lines 7 degrees down
    w = 900
    tip = np.tan(np.radians(7))
    bent = _rows_of_print(w, 1400, lambda x: 0.0 if x < w / 2 else (x - w / 2) * tip)
    angle, note = level_of_a_bowed_page(bent, 0.0)
    assert note and "right half at +7" in note.replace("-7", "+7"), note
    assert abs(abs(angle) - 3.5) <= 0.3, angle


def test_a_page_lying_turned_further_than_a_scan_is_still_levelled():
    # a receipt laid askew on the glass, or photographed on a table, lies turned by 8-12 degrees
    w = 900
    for degrees in (8.5, -11.0):
        turned = _rows_of_print(w, 1400, lambda x, d=degrees: (x - w / 2) * np.tan(np.radians(d)))
        found, _ = estimate_skew(turned)
        assert abs(found - degrees) <= 0.2, (degrees, found)


def test_a_caption_beside_the_dashes_of_a_broken_box_border_is_read_again():
    # a scan's faint box border breaks into dashes about a line tall, too short for a rule; the
    # dash beside a boxed caption was glued to it, the two too tall for a line of text, so the
    # caption that the page's first reading dropped ('FACTURE N° :') was never read again
    from vision.document import Word
    from vision.reader import _leftover_pieces

    image = np.full((420, 1000), 255, np.uint8)
    for y in range(10, 410, 40):
        image[y:y + 30, 100:102] = 90  # the box's left border, broken into dashes
    cv2.putText(image, "ORDER REF:", (106, 222), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 0, 3)
    # the page's other words, read by the first pass: smaller print than the caption
    words = [Word(f"w{n}", 600, 20 + 70 * n, 700, 40 + 70 * n, 0.9) for n in range(5)]
    pieces = _leftover_pieces(image, words)
    assert any(x <= 115 and x + crop.shape[1] >= 300 and y <= 195 <= y + crop.shape[0] for crop, x, y in pieces)
