"""OpenCV clean-up of a scanned page before OCR.

``prepare(image, dpi)`` returns the image Tesseract should read and what was done to it:

- grayscale;
- upscaling of low-resolution scans (below ~220 dpi) to about 300 dpi, where Tesseract's
  models are at their best;
- page orientation: text running vertically (a page scanned 90/270 degrees off) is detected
  from projection profiles, which is far cheaper than Tesseract's OSD; the exact direction,
  and upside-down pages, are settled by ``vision.ocr`` from OSD / recognition confidence;
- deskew of small angles (up to 5 degrees) by maximising the sharpness of the row profile;
- denoising (median filter) only when the page is measurably speckled;
- binarization (adaptive threshold) only when the background is uneven (shadows, stains);
  otherwise Tesseract's own Otsu step does better on a clean grey image.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

TARGET_DPI = 300


@dataclass
class Prepared:
    image: np.ndarray
    dpi: float
    skew: float = 0.0
    vertical_text: bool = False
    notes: list[str] = field(default_factory=list)


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


def _ink(gray: np.ndarray, width: int = 900) -> np.ndarray:
    """A small binary (ink = 1) version of the page for measuring layout cheaply."""
    scale = min(1.0, width / max(gray.shape[1], 1))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink.astype(np.float32)


def _sharpness(profile: np.ndarray) -> float:
    total = float(profile.sum()) or 1.0
    return float(np.square(np.diff(profile)).sum()) / (total * total) * len(profile)


def _rotate_small(image: np.ndarray, angle: float, border: float) -> np.ndarray:
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=border)


def estimate_skew(ink: np.ndarray, limit: float = 5.0) -> tuple[float, float]:
    """(angle in degrees, sharpness) that makes text rows most distinct."""

    def score(angle: float) -> float:
        return _sharpness(_rotate_small(ink, angle, 0).sum(axis=1))

    best = max(np.arange(-limit, limit + 0.01, 0.5), key=score)
    fine = max(np.arange(best - 0.4, best + 0.41, 0.1), key=score)
    return float(round(fine, 2)), score(fine)


def text_is_vertical(ink: np.ndarray) -> bool:
    """True when text lines run top-to-bottom (page turned 90 or 270 degrees)."""
    if ink.sum() < 50:
        return False
    rows = max(_sharpness(_rotate_small(ink, a, 0).sum(axis=1)) for a in (-3, 0, 3))
    cols = max(_sharpness(_rotate_small(ink, a, 0).sum(axis=0)) for a in (-3, 0, 3))
    return cols > rows * 1.6


def upright_score(ink: np.ndarray) -> float | None:
    """Ink above the x-height band / ink below the baseline, over all text lines.

    Latin capitals, digits and ascenders (b d f h k l t) reach above the x-height far more
    often than descenders (g j p q y) reach below the baseline, so an upright page scores
    well above 1 and an upside-down one well below. None when there is too little text."""
    rows = ink.sum(axis=1)
    if rows.max(initial=0) <= 0:
        return None
    on = rows > max(rows.max() * 0.02, 1)
    top = bottom = 0.0
    y = 0
    n = len(rows)
    lines = 0
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
        top += float(band[: core[0]].sum())
        bottom += float(band[core[-1] + 1:].sum())
        lines += 1
    if lines < 3 or top + bottom == 0:
        return None
    return (top + 1.0) / (bottom + 1.0)


def prepare(image: np.ndarray, dpi: float | None) -> Prepared:
    gray = to_gray(image)
    notes: list[str] = []
    dpi = float(dpi or 0) or _guess_dpi(gray)
    if dpi < 220:
        factor = min(TARGET_DPI / dpi, 3.0)
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        notes.append(f"upscaled x{factor:.2f} from {dpi:.0f} dpi")
        dpi = dpi * factor

    ink = _ink(gray)
    vertical = text_is_vertical(ink)
    if vertical:
        gray = rotate_quarter(gray, 90)
        ink = _ink(gray)
        notes.append("text ran vertically: turned 90 degrees")

    skew, _ = estimate_skew(ink)
    if abs(skew) >= 0.2:
        gray = _rotate_small(gray, skew, 255)
        notes.append(f"deskewed {skew:+.1f} degrees")

    upright = upright_score(_ink(gray, 1400))
    turned = False
    if upright is not None and upright < 0.3:
        gray = rotate_quarter(gray, 180)
        turned = True
        notes.append(f"upside down (ascender/descender ratio {upright:.2f}): turned 180 degrees")

    noise = float(np.mean(cv2.absdiff(gray, cv2.medianBlur(gray, 3))))
    if noise > 6.0:
        gray = cv2.medianBlur(gray, 3)
        notes.append(f"denoised (speckle level {noise:.1f})")

    background = cv2.medianBlur(cv2.resize(gray, None, fx=0.1, fy=0.1, interpolation=cv2.INTER_AREA), 5)
    if float(np.percentile(background, 95) - np.percentile(background, 5)) > 40:
        gray = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 41, 15)
        notes.append("uneven background: adaptive binarization")
    prepared = Prepared(gray, dpi, skew, vertical, notes)
    prepared.upside_down = turned
    prepared.orientation_sure = upright is not None and (upright < 0.3 or upright > 1.5)
    return prepared


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


def uncovered_text(gray: np.ndarray, boxes: list[tuple[float, float, float, float]], text_height: float) -> np.ndarray | None:
    """A copy of the page holding only ink that OCR did not turn into words (faint grey text,
    text inside boxes), darkened; None when nothing text-like was left over."""
    background = cv2.medianBlur(cv2.resize(gray, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA), 5)
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    ink = ((background.astype(np.int16) - gray.astype(np.int16)) > 25).astype(np.uint8)
    pad = max(int(text_height * 0.3), 2)
    for x0, y0, x1, y1 in boxes:
        ink[max(int(y0) - pad, 0):int(y1) + pad, max(int(x0) - pad, 0):int(x1) + pad] = 0
    if ink.sum() < text_height * text_height:
        return None
    # box borders and table rules would glue text into one huge blob: take them out first
    length = max(int(text_height * 2.5), 10)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    rules |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    ink &= 1 - cv2.dilate(rules, np.ones((3, 3), np.uint8))
    blobs = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (max(int(text_height), 3), 3)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    keep = np.zeros_like(ink)
    found = 0
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        inked = int(ink[y:y + h, x:x + w].sum())
        if 0.5 * text_height <= h <= 3 * text_height and w >= 0.4 * text_height and inked >= 0.08 * w * h:
            keep[y:y + h, x:x + w] = 1
            found += 1
    if not found:
        return None
    out = np.full_like(gray, 255)
    darkened = strengthen_faint(gray)
    region = keep.astype(bool) & ~cv2.dilate(rules, np.ones((3, 3), np.uint8)).astype(bool)
    out[region] = darkened[region]
    return out
