"""OpenCV clean-up of a scanned page before OCR.

``prepare(image, dpi)`` returns the image Tesseract should read and what was done to it:

- grayscale;
- upscaling of low-resolution scans (below ~220 dpi) to about 300 dpi, where Tesseract's
  models are at their best;
- page orientation: text running vertically (a page scanned 90/270 degrees off) is detected
  from projection profiles, which is far cheaper than Tesseract's OSD; upside-down pages
  from where ascenders and descenders stick out of text lines (``upright_score``, and line by
  line on Latin pages); ``vision.reader`` settles the cases left undecided from recognition
  confidence;
- deskew of small angles (up to 5 degrees) by maximising the sharpness of the row profile
  (profiles from sheared ink coordinates, not rotated images);
- how many CJK characters the page carries (``cjk_characters``): the CJK models load only
  for pages with some, and the Latin model is left out on pages that are mostly CJK;
- denoising (median filter) only when the page is measurably speckled;
- binarization (adaptive threshold) only when the background is uneven (shadows, stains);
  otherwise Tesseract's own Otsu step does better on a clean grey image.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

TARGET_DPI = 300
#: CJK characters (as ``count_cjk_characters`` finds them: about one in three) that make a page a
#: Chinese/Japanese document rather than a Latin one with a name in CJK script: on a Chinese
#: VAT invoice 17-40 are found, on an English invoice with a Chinese vendor name 2-6
CJK_PAGE = 12
#: CJK characters that show the page carries CJK text at all (Latin print finds 0-1)
CJK_TEXT = 4


@dataclass
class Prepared:
    image: np.ndarray
    dpi: float
    skew: float = 0.0
    vertical_text: bool = False
    notes: list[str] = field(default_factory=list)
    upside_down: bool = False
    cjk_characters: int = 0  # CJK characters found, counted up to CJK_PAGE (0 when a view was given)

    @property
    def cjk(self) -> bool:
        return self.cjk_characters >= CJK_TEXT


def to_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def rotate_quarter(image: np.ndarray, degrees: int) -> np.ndarray:
    """Rotate by a multiple of 90 degrees counter-clockwise."""
    turns = (degrees // 90) % 4
    codes = {1: cv2.ROTATE_90_COUNTERCLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_CLOCKWISE}
    return cv2.rotate(image, codes[turns]) if turns else image


def _shrink(gray: np.ndarray, width: int) -> np.ndarray:
    scale = min(1.0, width / max(gray.shape[1], 1))
    if scale >= 1:
        return gray
    # area averaging is the right filter below half size, but OpenCV's takes ~25 ms on a
    # 300-dpi page for a non-integer factor; above half size bilinear samples every pixel
    # anyway, in ~3 ms
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale <= 0.5 else cv2.INTER_LINEAR)


def _ink(gray: np.ndarray, width: int = 900) -> np.ndarray:
    """A small binary (ink = 1) version of the page for measuring layout cheaply."""
    _, ink = cv2.threshold(_shrink(gray, width), 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink.astype(np.float32)


def _sharpness(profile: np.ndarray) -> float:
    total = float(profile.sum()) or 1.0
    return float(np.square(np.diff(profile)).sum()) / (total * total) * len(profile)


def _rotate_small(image: np.ndarray, angle: float, border: float) -> np.ndarray:
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=border)


def _profiles(ink: np.ndarray):
    """``profile(angle, axis)``: the ink's row (axis 1) or column (axis 0) sums after turning it
    by ``angle`` degrees, from the ink pixels' coordinates: a search over 30 angles costs
    ~10 ms instead of ~100 ms of warpAffine. For the few degrees searched, shearing the
    coordinates gives the same profile as rotating the image."""
    ys, xs = np.nonzero(ink)
    h, w = ink.shape
    ys = ys.astype(np.float32) - h / 2
    xs = xs.astype(np.float32) - w / 2

    def profile(angle: float, axis: int) -> np.ndarray:
        t = np.float32(np.tan(np.radians(angle)))
        along, across, size = (ys, xs, h) if axis == 1 else (xs, -ys, w)
        index = (along - across * t + size / 2).astype(np.int32)
        index = index[(index >= 0) & (index < size)]
        return np.bincount(index, minlength=size).astype(np.float64)

    return profile


def estimate_skew(ink: np.ndarray, limit: float = 5.0) -> tuple[float, float]:
    """(angle in degrees, sharpness) that makes text rows most distinct."""
    profile = _profiles(ink)

    def score(angle: float) -> float:
        return _sharpness(profile(angle, 1))

    best = max(np.arange(-limit, limit + 0.01, 0.5), key=score)
    fine = max(np.arange(best - 0.4, best + 0.41, 0.1), key=score)
    return float(round(fine, 2)), score(fine)


def text_is_vertical(ink: np.ndarray) -> bool:
    """True when text lines run top-to-bottom (page turned 90 or 270 degrees)."""
    if ink.sum() < 50:
        return False
    profile = _profiles(ink)
    rows = max(_sharpness(profile(a, 1)) for a in (-3, 0, 3))
    cols = max(_sharpness(profile(a, 0)) for a in (-3, 0, 3))
    return cols > rows * 1.6


def _line_ends(ink: np.ndarray) -> list[tuple[float, float]]:
    """Per text line (a band of the row profile): (ink above the x-height band, ink below
    the baseline)."""
    rows = ink.sum(axis=1)
    if rows.max(initial=0) <= 0:
        return []
    on = rows > max(rows.max() * 0.02, 1)
    ends = []
    y = 0
    n = len(rows)
    while y < n:
        if not on[y]:
            y += 1
            continue
        start = y
        while y < n and on[y]:
            y += 1
        band = rows[start:y]
        if len(band) < 4:
            continue
        core = np.nonzero(band >= band.max() * 0.5)[0]
        ends.append((float(band[: core[0]].sum()), float(band[core[-1] + 1:].sum())))
    return ends


def upright_score(ink: np.ndarray) -> float | None:
    """Ink above the x-height band / ink below the baseline, over all text lines.

    Latin capitals, digits and ascenders (b d f h k l t) reach above the x-height far more
    often than descenders (g j p q y) reach below the baseline, so an upright page scores
    well above 1 and an upside-down one well below. None when there is too little text."""
    ends = _line_ends(ink)
    top, bottom = sum(t for t, _ in ends), sum(b for _, b in ends)
    if len(ends) < 3 or top + bottom == 0:
        return None
    return (top + 1.0) / (bottom + 1.0)


def upside_down_votes(ink: np.ndarray) -> tuple[int, int]:
    """(lines that look upright, lines that look upside down) by the same ascender/descender
    test, line by line: a few large lines (a title, a logo) sway ``upright_score`` but get
    one vote each here. Only meaningful for Latin text (CJK glyphs have no such asymmetry)."""
    ends = _line_ends(ink)
    return (sum(top > 1.5 * bottom + 1 for top, bottom in ends),
            sum(bottom > 1.5 * top + 1 for top, bottom in ends))


def prepare(image: np.ndarray, dpi: float | None, view: tuple[int, float] | None = None) -> Prepared:
    """``view`` = (rotation, skew) of an earlier ``prepare`` of the same page: that view again
    without the orientation and skew searches."""
    gray = to_gray(image)
    notes: list[str] = []
    dpi = float(dpi or 0) or _guess_dpi(gray)
    if dpi < 220:
        factor = min(TARGET_DPI / dpi, 3.0)
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        notes.append(f"upscaled x{factor:.2f} from {dpi:.0f} dpi")
        dpi = dpi * factor

    if view is not None:
        rotation, skew = view[0] % 360, view[1]
        vertical, turned = rotation in (90, 270), rotation in (180, 270)
        cjk_characters = 0
        if vertical:
            gray = rotate_quarter(gray, 90)
        if abs(skew) >= 0.2:
            gray = _rotate_small(gray, skew, 255)
        if turned:
            gray = rotate_quarter(gray, 180)
    else:
        # the searches run on one 1400-px-wide copy, turned along with the page, instead of
        # shrinking the full page again for each of them
        small = _shrink(gray, 1400)
        ink = _ink(small)
        vertical = text_is_vertical(ink)
        if vertical:
            gray = rotate_quarter(gray, 90)
            small = _shrink(gray, 1400)
            ink = _ink(small)
            notes.append("text ran vertically: turned 90 degrees")

        skew, _ = estimate_skew(ink)
        if abs(skew) >= 0.2:
            gray = _rotate_small(gray, skew, 255)
            small = _rotate_small(small, skew, 255)
            notes.append(f"deskewed {skew:+.1f} degrees")

        ink = _ink(small, small.shape[1])
        cjk_characters = count_cjk_characters(ink.astype(np.uint8), dpi * small.shape[1] / gray.shape[1],
                                              enough=CJK_PAGE)
        upright = upright_score(ink)
        turned = upright is not None and upright < 0.3
        if turned:
            notes.append(f"upside down (ascender/descender ratio {upright:.2f}): turned 180 degrees")
        elif cjk_characters < CJK_TEXT:
            # a page read upside down costs a whole wasted Tesseract pass: on Latin pages the
            # line-by-line vote catches most of those the overall ratio leaves undecided
            up, down = upside_down_votes(ink)
            turned = down >= 4 and down >= 3 * up
            if turned:
                notes.append(f"upside down ({down} of {up + down} lines): turned 180 degrees")
        if turned:
            gray = rotate_quarter(gray, 180)

    noise = float(np.mean(cv2.absdiff(gray, cv2.medianBlur(gray, 3))))
    if noise > 6.0:
        gray = cv2.medianBlur(gray, 3)
        notes.append(f"denoised (speckle level {noise:.1f})")

    background = cv2.medianBlur(cv2.resize(gray, None, fx=0.1, fy=0.1, interpolation=cv2.INTER_AREA), 5)
    if float(np.percentile(background, 95) - np.percentile(background, 5)) > 40:
        gray = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 41, 15)
        notes.append("uneven background: adaptive binarization")
    return Prepared(gray, dpi, skew, vertical, notes, upside_down=turned, cjk_characters=cjk_characters)


def component_boxes(binary: np.ndarray) -> np.ndarray:
    """(x, y, width, height) of every 8-connected component of a binary uint8 image, in no
    particular order: the outer contours' bounding boxes, the same boxes as
    ``connectedComponentsWithStats`` gives in a tenth of the time (2 ms instead of ~22 ms on
    a page at 170 dpi: OpenCV's statistics pass is slow)."""
    contours, hierarchy = cv2.findContours(binary, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return np.zeros((0, 4), np.int32)
    # RETR_CCOMP: outer borders have no parent, holes do (a component inside a hole is outer)
    return np.array([cv2.boundingRect(c) for c, link in zip(contours, hierarchy[0]) if link[3] < 0],
                    np.int32).reshape(-1, 4)


def count_cjk_characters(ink: np.ndarray, dpi: float, enough: int) -> int:
    """Chinese/Japanese characters on a binary (ink = 1, uint8) page at 120-200 dpi, counted
    up to ``enough``.

    A CJK character is a roughly square blob of text size crossed by many horizontal strokes:
    two of its columns meet ink four or more times. Latin letters, digits and punctuation
    never do more than three times (e, a, s, B, 8, €) except with diacritics above (ä),
    which stay rare. Simple characters (小, 人) are missed: about one in three is counted."""
    # where a vertical run of ink starts: a column crosses as many strokes as runs start in it
    starts = np.zeros(ink.shape, np.uint8)
    np.greater(ink[1:], ink[:-1], out=starts[1:])
    # a 2x2 dilation joins the strokes of one character but not the characters of a line
    boxes = component_boxes(cv2.dilate(ink, np.ones((2, 2), np.uint8)))
    widths, heights = boxes[:, 2], boxes[:, 3]
    # 5 to 36 pt text
    lo, hi = 10 * dpi / 150, 75 * dpi / 150
    square = (heights >= lo) & (heights <= hi) & (widths >= 0.6 * heights) & (widths <= 1.6 * heights)
    found = 0
    for x, y, w, h in boxes[square]:
        if np.count_nonzero(starts[y + 1:y + h, x:x + w].sum(axis=0, dtype=np.int16) >= 4) >= 2:
            found += 1
            if found >= enough:
                break
    return found


def content_box(gray: np.ndarray, margin: int = 40) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) around everything darker than the paper, plus ``margin`` pixels:
    Tesseract's cost grows with the image, and an invoice's blank margins are a quarter of it.
    Lone specks (scanner dust, noise) are not content; faint print is (the test is 30 grey
    levels below the paper, not Otsu)."""
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    paper = float(np.percentile(small, 90))
    ink = (small < paper - 30).astype(np.uint8)
    # a speck is one or two pixels here; a line of text is a run of several along x
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, 3), np.uint8))
    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    h, w = gray.shape[:2]
    if len(rows) == 0:
        return 0, 0, w, h
    return (max(int(cols[0]) * 4 - margin, 0), max(int(rows[0]) * 4 - margin, 0),
            min(int(cols[-1] + 1) * 4 + margin, w), min(int(rows[-1] + 1) * 4 + margin, h))


def _guess_dpi(gray: np.ndarray) -> float:
    """Without metadata, assume the short side of the page is A4/Letter width (~8.3 in)."""
    return min(gray.shape[:2]) / 8.3


def remove_rules(gray: np.ndarray) -> tuple[np.ndarray, int]:
    """Paint out table rules and (dashed) box borders, which make Tesseract drop the text
    inside them. Only long, thin strokes go: letters are never that long and that thin."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    scale = max(gray.shape[1] / 2480, 0.3)
    length = int(80 * scale)
    removed = 0
    out = gray.copy()
    for kernel_close, kernel_open in (((int(12 * scale), 1), (length, 1)), ((1, int(12 * scale)), (1, length))):
        joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, kernel_close))
        rules = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel_open))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
        thin = max(int(8 * scale), 3)
        for i in range(1, count):
            x, y, w, h, _ = stats[i]
            if min(w, h) <= thin and max(w, h) >= length:
                mask = labels[y:y + h, x:x + w] == i
                region = out[y:y + h, x:x + w]
                region[cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)] = 255
                removed += 1
    return out, removed


def strengthen_faint(gray: np.ndarray) -> np.ndarray:
    """Darken light-grey text (receipts printed in 30% grey) so binarization keeps it."""
    lut = (255.0 * (np.arange(256) / 255.0) ** 3).astype(np.uint8)
    return cv2.LUT(gray, lut)


def uncovered_text(gray: np.ndarray, boxes: list[tuple[float, float, float, float]],
                   text_height: float) -> list[tuple[np.ndarray, int, int]]:
    """Cut-outs ``(image, x0, y0)`` of text-like ink that OCR did not turn into words (faint
    grey text, text inside boxes), darkened on a white ground; [] when none was left over.

    Only the ink test runs at full resolution; finding text-like blobs among it runs at half
    resolution (a quarter of the pixels: this runs on every page)."""
    background = cv2.medianBlur(cv2.resize(gray, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA), 5)
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    _, ink = cv2.threshold(cv2.subtract(background, gray), 25, 255, cv2.THRESH_BINARY)
    pad = max(int(text_height * 0.3), 2)
    for x0, y0, x1, y1 in boxes:
        ink[max(int(y0) - pad, 0):int(y1) + pad, max(int(x0) - pad, 0):int(x1) + pad] = 0
    if cv2.countNonZero(ink) < text_height * text_height:
        return []
    # any ink in a 2x2 cell keeps the half-resolution pixel: thin faint strokes survive. An odd
    # side is padded to even first: OpenCV's area filter is ~10x slower when the factor is not
    # exactly 2
    even = cv2.copyMakeBorder(ink, 0, ink.shape[0] % 2, 0, ink.shape[1] % 2, cv2.BORDER_CONSTANT, value=0)
    small = (cv2.resize(even, (even.shape[1] // 2, even.shape[0] // 2), interpolation=cv2.INTER_AREA)
             > 0).astype(np.uint8)
    height = text_height / 2
    # box borders and table rules would glue text into one huge blob: take them out first
    length = max(int(height * 2.5), 5)
    rules = cv2.morphologyEx(small, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    rules |= cv2.morphologyEx(small, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    rules = cv2.dilate(rules, np.ones((2, 2), np.uint8))
    small &= 1 - rules
    blobs = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (max(int(height), 2), 2)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    w, h = stats[1:, 2], stats[1:, 3]
    candidates = np.nonzero((h >= 0.5 * height) & (h <= 3 * height) & (w >= 0.4 * height))[0] + 1
    found = []
    for i in candidates:
        x, y, w, h = (int(v) for v in stats[i, :4])
        if int(small[y:y + h, x:x + w].sum()) >= 0.08 * w * h:
            found.append((2 * x, 2 * y, 2 * w, 2 * h))
    if not found:
        return []
    rules = cv2.resize(rules, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    keep = np.zeros(gray.shape, np.uint8)
    for x, y, w, h in found:
        keep[y:y + h, x:x + w] = 1
    keep &= 1 - rules
    pieces = []
    for x, y, w, h in found:
        x0, y0 = max(x - pad, 0), max(y - pad, 0)
        crop = strengthen_faint(gray[y0:y + h + pad, x0:x + w + pad])
        crop[keep[y0:y + h + pad, x0:x + w + pad] == 0] = 255
        pieces.append((crop, x0, y0))
    return pieces
