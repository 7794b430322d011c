"""OpenCV clean-up of a scanned or photographed page before OCR.

``prepare(image)`` returns the image Tesseract should read and what was done to it:

- grayscale;
- the document found on the image: a phone photo's paper (the largest bright region on a
  darker table) cut out and squared by its four corners (``find_paper``: perspective); a
  small document on a big scanner page (a till receipt filling a third of a flatbed scan)
  cut to its print (``find_text_block``);
- uneven light (a shadow across a photo, a stain) divided out against the paper's own
  brightness (``flatten_background``), and faint print (a fading thermal receipt) stretched
  to full contrast (``deepen_faint_print``);
- dot-matrix print whose dots stand apart (a ribbon printer's docket on a flatbed) joined
  into strokes (``join_dotted_print``), only when its ink blobs show it;
- the page resized to its TRUE resolution: the height of its capitals and digits is measured
  on the print itself (``text_height``) and the page is enlarged only when they are smaller
  than ~22 px, reduced when larger than ~64 px (``true_size``). A file's dpi metadata is not
  used: phones and messengers write 72 dpi whatever the photo shows, and a 1,000-pixel
  receipt blown up 3x costs ~9x the OCR time for nothing;
- page orientation: text running vertically (a page scanned 90/270 degrees off) is detected
  from which way its words are long (``text_is_vertical``), which is far cheaper than
  Tesseract's OSD; upside-down pages from where ascenders and descenders stick out of text
  lines (``upright_score``, and line by line on Latin pages); ``vision.reader`` settles the
  cases left undecided from recognition confidence;
- deskew of small angles (up to 5 degrees) by maximising the sharpness of the row profile
  (profiles from sheared ink coordinates, not rotated images); a photographed page whose two
  halves level at angles a degree apart bows (curled paper) and is turned by the angle between
  them (``level_of_a_bowed_page``), so a line's label and its amount stay on one line;
- how many CJK characters the page carries (``cjk_characters``): the CJK models load only
  for pages with some, and the Latin model is left out on pages that are mostly CJK;
- on a page ruled as a grid of boxed cells (``ruled_grid``: an air-ticket itinerary, a form),
  the rules painted out (``remove_rules``): Tesseract drops text that touches a cell's border;
- denoising (median filter) only when the page is measurably speckled;
- on a CJK page printed partly in light grey (captions at grey 100-205 beside values in black),
  the grey darkened (``darken_grey_print``): Tesseract's threshold falls on that grey.

Binarization is left to Tesseract's own Otsu step, which does better on a flattened grey
image than an adaptive threshold (which turned a receipt's show-through into noise).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

TARGET_DPI = 300
#: CJK characters (as ``count_cjk_characters`` finds them in runs: about one in four) that make a
#: page a Chinese/Japanese document rather than a Latin one with a name in CJK script: on
#: Chinese VAT invoices 19-50 are found (generated scans), 9 on the real air-ticket preview
CJK_PAGE = 9
#: CJK characters that show the page carries CJK text at all: Latin print finds 0-1 in runs, but
#: a worn till photo whose faint print was stretched and flattened finds up to 3 in its speckle
CJK_TEXT = 4
#: Latin lines voting for a page's orientation (``upside_down_votes``) that settle it: the same
#: count that turns a page whose lines vote the other way
UPRIGHT_LINES = 4


@dataclass
class Prepared:
    image: np.ndarray
    dpi: float
    skew: float = 0.0
    vertical_text: bool = False
    notes: list[str] = field(default_factory=list)
    upside_down: bool = False
    cjk_characters: int = 0  # CJK characters found, counted up to CJK_PAGE (0 when a view was given)
    #: Latin lines show the page is the right way up: their ascenders and capitals stick out
    #: above (UPRIGHT_LINES or more lines, three times as many as stick out below); False when
    #: the page does not say (a receipt in capitals and digits only, CJK text, a view given)
    upright_latin: bool = False
    #: the print was dot-matrix, its dots joined into strokes (``join_dotted_print``)
    dotted: bool = False

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
    ~10 ms instead of ~100 ms of warpAffine. Shearing the coordinates lays a line turned by
    ``angle`` onto one row, as rotating the image does, at every angle searched."""
    # OpenCV lists the ink pixels in the same (row by row) order as np.nonzero, in half its time
    found = cv2.findNonZero((np.asarray(ink) != 0).view(np.uint8))
    points = np.zeros((0, 2), np.int32) if found is None else found.reshape(-1, 2)
    h, w = ink.shape
    ys = points[:, 1].astype(np.float32) - h / 2
    xs = points[:, 0].astype(np.float32) - w / 2

    reach = {1: float(np.abs(xs).max(initial=0.0)), 0: float(np.abs(ys).max(initial=0.0))}
    # each angle's arithmetic is done in these two arrays, made once: the same float32 steps as
    # ``(along - across * t + size / 2).astype(int)``, without four new arrays an angle, and
    # indices already of the width np.bincount counts in (it would copy narrower ones)
    sheared = np.empty(len(ys), np.float32)
    index = np.empty(len(ys), np.intp)

    def profile(angle: float, axis: int) -> np.ndarray:
        t = np.float32(np.tan(np.radians(angle)))
        along, across, size = (ys, xs, h) if axis == 1 else (xs, -ys, w)
        np.multiply(across, t, out=sheared)
        np.subtract(along, sheared, out=sheared)
        np.add(sheared, size / 2, out=sheared)
        np.copyto(index, sheared, casting="unsafe")
        # the rows sheared off the page are left out by counting from below the lowest index
        # the shear can give and keeping the page's rows: the same counts as masking them out
        # first, without the three passes over every ink pixel that masking takes
        below = int(reach[axis] * abs(float(t))) + 2
        np.add(index, below, out=index)
        return np.bincount(index, minlength=size + below)[below:below + size].astype(np.float64)

    return profile


#: how far turned a page may lie for ``estimate_skew`` to level it: a receipt laid on a flatbed
#: or photographed on a table lies turned by more than a scan's few degrees, and searched only
#: within 5 degrees a page turned 8.5 levels at 5 or at some lesser bump of the rows'
#: sharpness: the rest of the turn puts its right-hand amounts a line below their labels
FURTHEST_SKEW = 15.0


def estimate_skew(ink: np.ndarray, limit: float = FURTHEST_SKEW) -> tuple[float, float]:
    """(angle in degrees, sharpness) that makes text rows most distinct."""
    return _sharpest(ink, _skew_steps(limit))


def _skew_steps(limit: float = FURTHEST_SKEW) -> np.ndarray:
    """The angles the skew search tries first, half a degree apart."""
    return np.arange(-limit, limit + 0.01, 0.5)


def _sharpest(ink: np.ndarray, steps: np.ndarray) -> tuple[float, float]:
    """(angle, sharpness): the sharpest of ``steps``, then of the tenths of a degree around it."""
    profile = _profiles(ink)

    scores: dict[float, float] = {}

    def score(angle: float) -> float:
        if angle not in scores:
            scores[angle] = _sharpness(profile(angle, 1))
        return scores[angle]

    best = max(steps, key=score)
    fine = max(np.arange(best - 0.4, best + 0.41, 0.1), key=score)
    return float(round(fine, 2)), score(fine)


#: a photographed page whose left and right halves each level at angles this far apart (degrees)
#: bows: curled paper, its lines sloping one way on the left and the other way on the right
BOWED_HALVES = 1.0
#: each half needs this share of the page's ink for its angle to be measured
HALF_INK_AT_LEAST = 0.2
#: how far either side of the whole page's level (degrees) a half's level is looked for first:
#: curl tips a half's lines a degree or two off the page's, and the skew search over all
#: thirty degrees, twice more, was half the page's search for its level
HALF_REACH = 4.0


def level_of_a_bowed_page(ink: np.ndarray, skew: float) -> tuple[float, str | None]:
    """The turn that levels a photographed page (``skew``, found on the whole page), or, when
    its halves level at angles a degree or more apart, the angle between them: curled paper
    bows its lines, and the whole page's best turn is the turn of its heavier half (a
    receipt's labels on the left), which tips the lighter half further (the amounts on the
    right, a line above or below their labels, read as lines of their own). Between the two,
    a line's ends, where its label and its amount are printed, come out level with each other."""
    h, w = ink.shape
    left, right = ink[:, : w // 2], ink[:, w // 2:]
    total = float(ink.sum())
    if not total or min(float(left.sum()), float(right.sum())) < HALF_INK_AT_LEAST * total:
        return skew, None
    a, b = _level_of_half(left, skew), _level_of_half(right, skew)
    if abs(a - b) < BOWED_HALVES:
        return skew, None
    middle = round((a + b) / 2, 2)
    return middle, (f"lines bowed (left half level at {a:+.1f} degrees, right half at {b:+.1f}): "
                    f"turned by the angle between them, not {skew:+.1f}")


def _level_of_half(half: np.ndarray, skew: float) -> float:
    """The angle that levels ``half`` of a page the whole of which levels at ``skew``: searched
    near ``skew`` (``HALF_REACH``), and over the whole range as ``estimate_skew`` does when
    the sharpest angle there lies at the edge of that reach (its level may lie beyond it)."""
    steps = _skew_steps()
    angle, _ = _sharpest(half, steps[np.abs(steps - skew) <= HALF_REACH])
    if abs(angle - skew) > HALF_REACH - 1:
        angle, _ = _sharpest(half, steps)
    return angle


def _word_directions(ink: np.ndarray, text_height: float) -> tuple[int, int]:
    """(words lying, words standing): the letters joined along one direction at a time (they
    stand a quarter of a letter apart, lines of text further), then the word-long blobs
    counted. Upright text makes long lying blobs when smeared sideways and none when smeared
    downwards; text on its side the other way round."""
    binary = ink.astype(np.uint8)
    # straight strokes longer than three letters are no letters: bar codes, rules, box borders
    length = max(int(3 * text_height), 9)
    bars = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    bars |= cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    binary &= 1 - bars
    k = max(int(round(0.5 * text_height)), 2)
    counts = []
    for kernel, long_axis in (((k, 1), 2), ((1, k), 3)):
        blobs = component_boxes(cv2.dilate(binary, np.ones(kernel[::-1], np.uint8)))
        long_side, short_side = blobs[:, long_axis], blobs[:, 5 - long_axis]
        counts.append(int(np.count_nonzero((long_side >= 3 * text_height) & (short_side <= 2.5 * text_height)
                                           & (short_side >= 0.5 * text_height))))
    return counts[0], counts[1]


def _glyph_size(ink: np.ndarray) -> float | None:
    """Roughly the size of the letters on a binary page, whichever way they are turned: the
    smaller of the typical blob height and width."""
    boxes = component_boxes(ink.astype(np.uint8))
    sides = boxes[(boxes[:, 2] >= 3) & (boxes[:, 3] >= 3) & (boxes[:, 2] <= 6 * boxes[:, 3]) &
                  (boxes[:, 3] <= 6 * boxes[:, 2]) & (boxes[:, 3] < ink.shape[0] / 10) & (boxes[:, 2] < ink.shape[1] / 10)]
    if len(sides) < 20:
        return None
    return float(min(np.percentile(sides[:, 2], 75), np.percentile(sides[:, 3], 75)))


def text_is_vertical(ink: np.ndarray, text_height: float | None = None) -> bool:
    """True when text lines run top-to-bottom (page turned 90 or 270 degrees).

    With ``text_height`` (pixels, in ``ink``) words decide: a word is long along its line.
    Profiles alone cannot tell on a narrow till receipt in a fixed-pitch font, whose columns
    line up as neatly as its rows (and whose bar code is a fence of vertical bars)."""
    if ink.sum() < 50:
        return False
    if text_height and text_height >= 4:
        lying, standing = _word_directions(ink, text_height)
        if lying + standing >= 10:
            return standing > 2 * lying
    profile = _profiles(ink)
    rows = max(_sharpness(profile(a, 1)) for a in (-3, 0, 3))
    cols = max(_sharpness(profile(a, 0)) for a in (-3, 0, 3))
    return cols > rows * 1.6


#: rows next to a text line's x-height (or capital) band, as a share of its height, that are
#: the edges of its strokes rather than ascenders or descenders
EDGE_ROWS = 0.075


def _line_ends(ink: np.ndarray, dotted: bool = False) -> list[tuple[float, float]]:
    """Per text line (a band of the row profile): (ink above the x-height band, ink below
    the baseline); lines where next to nothing sticks out either way are left out.

    The x-height band is the rows with at least half the ink of the line's fullest row. On
    ``dotted`` print (dot-matrix, its dots joined) every horizontal stroke is a full row of
    dots and every vertical one a single column, so the rows of a line in capitals and digits
    swing between a few full rows and many thin ones: half the fullest row leaves the thin
    bottom rows of "1  7.47  SR" outside the band, as if they were descenders (an all-capitals
    docket measured upside down). There the band is the rows with half the ink of the line's
    typical (median) row, which a capital's rows all reach and an ascender's or descender's
    few pixels do not."""
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
        core = np.nonzero(band >= (np.median(band) if dotted else band.max()) * 0.5)[0]
        # the rows just outside the band are the blurred edges of its strokes and the overshoot
        # of round letters and digits (the bottoms of 0 3 5 6 8 9 S O taper, the tops of
        # 5 7 T E are flat): on a photo's soft print they looked like descenders, and lines of
        # capitals and digits voted a till receipt upside down. Ascenders and descenders
        # reach a good way further
        edge = int(round(EDGE_ROWS * (core[-1] - core[0] + 1)))
        top = float(band[: max(core[0] - edge, 0)].sum())
        bottom = float(band[core[-1] + 1 + edge:].sum())
        # a line in capitals and digits only (most till receipts) sticks out neither way: no clue
        if top + bottom >= 0.03 * float(band.sum()):
            ends.append((top, bottom))
    return ends


def _without_marks(ink: np.ndarray, text_height: float) -> np.ndarray:
    """The ink without commas, full stops and specks (blobs under half a text height both
    ways): decimal commas hang below the baseline of every amount on a German receipt, and
    would outvote the ascenders that tell which way is up."""
    binary = ink.astype(np.uint8)
    try:  # 16-bit labels take half the time of 32-bit ones; OpenCV refuses them past 65,534 blobs
        count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    small = (stats[:, cv2.CC_STAT_HEIGHT] < 0.5 * text_height) & (stats[:, cv2.CC_STAT_WIDTH] < 0.5 * text_height)
    small[0] = False
    # a keep table looked up with np.take: a third of the time of indexing a mask by the labels
    keep = (~small).astype(np.uint8)
    return (np.take(keep, labels) & binary).astype(np.float32)


def upright_score(ink: np.ndarray, dotted: bool = False) -> float | None:
    """Ink above the x-height band / ink below the baseline, over all text lines.

    Latin capitals, digits and ascenders (b d f h k l t) reach above the x-height far more
    often than descenders (g j p q y) reach below the baseline, so an upright page scores
    well above 1 and an upside-down one well below. None when there is too little text.
    ``dotted``: the print was dot-matrix (``_line_ends``)."""
    ends = _line_ends(ink, dotted)
    top, bottom = sum(t for t, _ in ends), sum(b for _, b in ends)
    if len(ends) < 3 or top + bottom == 0:
        return None
    return (top + 1.0) / (bottom + 1.0)


def upside_down_votes(ink: np.ndarray, dotted: bool = False) -> tuple[int, int]:
    """(lines that look upright, lines that look upside down) by the same ascender/descender
    test, line by line: a few large lines (a title, a logo) sway ``upright_score`` but get
    one vote each here. Only meaningful for Latin text (CJK glyphs have no such asymmetry)."""
    ends = _line_ends(ink, dotted)
    return (sum(top > 1.5 * bottom + 1 for top, bottom in ends),
            sum(bottom > 1.5 * top + 1 for top, bottom in ends))


def prepare(image: np.ndarray, view: tuple[int, float] | None = None) -> Prepared:
    """``view`` = (rotation, skew) of an earlier ``prepare`` of the same page: that view again
    without the orientation and skew searches. ``Prepared.dpi`` is the resolution the page is
    read at, as a 300-dpi scan of 10-pt text would have it."""
    gray = to_gray(image)
    notes: list[str] = []
    gray, found = find_paper(gray)
    if found is None:
        gray, found = find_text_block(gray)
    if found:
        notes.append(found)
    gray, bands = light_on_dark(gray)
    if bands:
        notes.append(f"light print on {bands} dark band(s) turned dark on white")
    flattened = _uneven(gray)
    if flattened:
        gray = flatten_background(gray)
        notes.append("uneven light (shadow, stains): background divided out")
    gray, faint = deepen_faint_print(gray)
    if faint:
        notes.append(faint)
        if not flattened and _uneven(gray):
            # the stretch multiplies the light's unevenness too: a photo's fall-off light too
            # slight to flatten before (a ribbon's grey print) is now a dark side Tesseract's
            # one threshold loses the amounts column in
            gray = flatten_background(gray)
            notes.append("uneven light after the stretch: background divided out")
    # before anything measures letters: dot-matrix dots measure as specks, not letters
    gray, dotted, measured = join_dotted_print(gray)
    if dotted:
        notes.append(dotted)
    shrunk = None  # the 1400-px copy of the page before true_size, kept if true_size leaves the page
    if view is None:
        # on its side, the print's height would be measured across its letters: turn it first
        shrunk = (gray, _shrink(gray, 1400))
        ink = _ink(shrunk[1])
        vertical = text_is_vertical(ink, _glyph_size(ink))
        if vertical:
            notes.append("text ran vertically: turned 90 degrees")
    else:
        vertical = view[0] % 360 in (90, 270)
    if vertical:
        gray = rotate_quarter(gray, 90)
        measured = None  # measured across the letters: measured again on the page turned
    gray, dpi, resized = true_size(gray, measured)
    if resized:
        notes.append(resized)

    if view is not None:
        rotation, skew = view[0] % 360, view[1]
        turned = rotation in (180, 270)
        cjk_characters = 0
        upright_latin = False
        if abs(skew) >= 0.2:
            gray = _rotate_small(gray, skew, 255)
        if turned:
            gray = rotate_quarter(gray, 180)
    else:
        # the searches run on one 1400-px-wide copy, turned along with the page, instead of
        # shrinking the full page again for each of them
        small = shrunk[1] if shrunk is not None and shrunk[0] is gray else _shrink(gray, 1400)
        ink = _ink(small)
        letter_height = TEXT_HEIGHT * dpi / TARGET_DPI  # in the page's pixels, as true_size measured it

        skew, _ = estimate_skew(ink)
        if found and found.startswith("paper found"):
            skew, bowed = level_of_a_bowed_page(ink, skew)
            if bowed:
                notes.append(bowed)
        if abs(skew) >= 0.2:
            gray = _rotate_small(gray, skew, 255)
            small = _rotate_small(small, skew, 255)
            notes.append(f"deskewed {skew:+.1f} degrees")

        ink = _ink(small, small.shape[1])
        small_dpi = dpi * small.shape[1] / gray.shape[1]
        cjk_characters = count_cjk_characters(_cjk_ink(small, ink, small_dpi), _cjk_count_dpi(small_dpi),
                                              enough=CJK_PAGE, in_runs=True)
        letters = _without_marks(ink, letter_height * small.shape[1] / gray.shape[1])
        upright = upright_score(letters, dotted is not None)
        turned = upright is not None and upright < 0.3
        up = down = 0
        if cjk_characters < CJK_TEXT:
            up, down = upside_down_votes(letters, dotted is not None)
        if turned:
            notes.append(f"upside down (ascender/descender ratio {upright:.2f}): turned 180 degrees")
            up, down = down, up  # the votes of the page as it is now turned
        elif cjk_characters < CJK_TEXT:
            # a page read upside down costs a whole wasted Tesseract pass: on Latin pages the
            # line-by-line vote catches most of those the overall ratio leaves undecided
            turned = down >= 4 and down >= 3 * up
            if turned:
                notes.append(f"upside down ({down} of {up + down} lines): turned 180 degrees")
                up, down = down, up
        upright_latin = up >= UPRIGHT_LINES and up >= 3 * down
        if turned:
            gray = rotate_quarter(gray, 180)

    gray, rules = remove_rules(gray, grid_only=True)
    if rules:
        notes.append(f"ruled grid: {rules} rules painted out")

    smoothed = cv2.medianBlur(gray, 3)
    noise = float(np.mean(cv2.absdiff(gray, smoothed)))
    if noise > 6.0:
        gray = smoothed
        notes.append(f"denoised (speckle level {noise:.1f})")

    grey = grey_print_level(gray)
    if grey is not None:
        # the grey print is darkened on mostly CJK pages only (their captions come out as other
        # characters). A Latin page with a few CJK-looking blobs is no such page: on a worn till
        # photo they are speckle, its grey the back's print showing through, and darkened that
        # show-through buried the print. A view given means no count was made: the page is
        # counted here, which only pages with grey print pay for
        cjk = cjk_characters if view is None else _cjk_characters_of(gray, dpi)
        if cjk >= CJK_PAGE:
            gray = darken_grey_print(gray, grey)
            notes.append(f"grey print (level {grey}) on a CJK page: darkened")

    return Prepared(gray, dpi, skew, vertical, notes, upside_down=turned, cjk_characters=cjk_characters,
                    upright_latin=upright_latin, dotted=dotted is not None)


#: ink pixels within 15 grey levels of the grey print's level: text printed in black, even
#: blurred, noisy or JPEG'd, puts 3-17% of its ink in any such band (its anti-aliased edges); a
#: page whose captions are printed in light grey (an e-ticket itinerary's at 160) 21-39%, and
#: 15% once noise of sigma 12 spreads them (left as they are)
GREY_PRINT_SHARE = 0.2
#: share of the ink darker than 90: black print 38-84% (blurred to noisy), pages of grey
#: captions beside black values 9-45%
GREY_PRINT_DARK_AT_MOST = 0.5


def grey_print_level(gray: np.ndarray) -> int | None:
    """The grey level of text printed in a light grey ink (100-205) when much of the page's
    print is (captions and labels in grey beside values in black); None for print in black."""
    sample = gray[::2, ::2]
    if sample.size < 1 << 24:  # OpenCV's histogram: ~10x faster than np.bincount, its float32 counts exact
        hist = cv2.calcHist([np.ascontiguousarray(sample)], [0], None, [256], [0, 256]).ravel().astype(np.float64)
    else:
        hist = np.bincount(sample.ravel(), minlength=256).astype(np.float64)
    ink = hist[:230].sum()
    if ink < 500:
        return None
    smooth = np.convolve(hist, np.ones(9) / 9, mode="same")
    level = 100 + int(smooth[100:205].argmax())
    if hist[level - 15:level + 16].sum() < GREY_PRINT_SHARE * ink or hist[:90].sum() > GREY_PRINT_DARK_AT_MOST * ink:
        return None
    return level


def darken_grey_print(gray: np.ndarray, level: int) -> np.ndarray:
    """Grey print taken down to dark grey (its level to ~70), white paper kept white: Tesseract's
    global Otsu threshold falls between black print and paper, right where light-grey captions
    are, and the Chinese model read their strokes half gone (发票号码 as 发标号加, 填开单位 as
    十开单位)."""
    power = np.log(70 / 255) / np.log(level / 255)
    lut = 255.0 * (np.arange(256) / 255.0) ** power
    return cv2.LUT(gray, lut.astype(np.uint8))


def _cjk_characters_of(gray: np.ndarray, dpi: float) -> int:
    """``count_cjk_characters`` of a prepared page, as ``prepare`` counts them."""
    small = _shrink(gray, 1400)
    small_dpi = dpi * small.shape[1] / gray.shape[1]
    return count_cjk_characters(_cjk_ink(small, _ink(small, small.shape[1]), small_dpi), _cjk_count_dpi(small_dpi),
                                enough=CJK_PAGE, in_runs=True)


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


#: CJK characters are counted in the range the test was measured in: the 1400-px copy of an A4
#: page comes at 200-230 dpi (Chinese invoice scans count 20-35 there, Latin pages 0-2). A
#: narrow till receipt keeps 240-340 dpi in that copy, and there the print head's white streaks
#: across worn thermal print (an "n" cut into slices) and the dither of a logo cross a column
#: four times like a Chinese character's strokes: ten German till receipts counted 0-59 "CJK
#: characters" at their own resolution, 0-2 at CJK_COUNT_DPI. So a copy above the measured range
#: is counted at CJK_COUNT_DPI; one within it as it is (counting a blurred 150-dpi Chinese scan at
#: 170 dpi instead of its 230 halved its count and read it as a Latin page)
CJK_COUNT_DPI = 170.0
CJK_MEASURED_UP_TO_DPI = 240.0


def _cjk_count_dpi(dpi: float) -> float:
    return CJK_COUNT_DPI if dpi > CJK_MEASURED_UP_TO_DPI else dpi


def _cjk_ink(small: np.ndarray, ink: np.ndarray, dpi: float) -> np.ndarray:
    """The binary page (uint8) at the resolution ``_cjk_count_dpi`` gives, for ``count_cjk_characters``."""
    if _cjk_count_dpi(dpi) == dpi:
        return ink.astype(np.uint8)
    factor = CJK_COUNT_DPI / dpi
    return _ink(cv2.resize(small, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA),
                int(small.shape[1] * factor) + 1).astype(np.uint8)


def cjk_characters_in(crop: np.ndarray, dpi: float, enough: int) -> int:
    """``count_cjk_characters`` of a grey cut-out (a text line) printed at ``dpi``."""
    factor = min(1.0, CJK_COUNT_DPI / max(dpi, 1.0))
    if factor < 1.0:
        crop = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return count_cjk_characters(ink.astype(np.uint8), dpi * factor, enough)


def count_cjk_characters(ink: np.ndarray, dpi: float, enough: int, in_runs: bool = False) -> int:
    """Chinese/Japanese characters on a binary (ink = 1, uint8) page at 120-200 dpi, counted
    up to ``enough``.

    A CJK character is a roughly square blob of text size crossed by many horizontal strokes:
    two of its columns meet ink four or more times. Latin letters, digits and punctuation
    never do more than three times (e, a, s, B, 8) except a few signs and letters: €, @, ä,
    é, à, and icons (a letter, a globe). Simple characters (小, 人) are missed: about one in
    three is counted. ``in_runs``: only characters set beside another of their kind, as CJK
    text is (``_beside_a_cjk_character``): a € or an @ stands among Latin letters and digits,
    and a page of prices in euros counted 10-16 of them, read with the Chinese model first."""
    # where a vertical run of ink starts: a column crosses as many strokes as runs start in it.
    # One-pixel gaps are closed first: the ragged edges of worn print (till receipts) break a
    # single stroke into several runs, a CJK character's strokes are further apart
    solid = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((2, 1), np.uint8))
    starts = np.zeros(ink.shape, np.uint8)
    np.greater(solid[1:], solid[:-1], out=starts[1:])
    # a 2x2 dilation joins the strokes of one character but not the characters of a line
    boxes = component_boxes(cv2.dilate(ink, np.ones((2, 2), np.uint8)))
    widths, heights = boxes[:, 2], boxes[:, 3]
    # 5 to 36 pt text
    lo, hi = 10 * dpi / 150, 75 * dpi / 150
    square = (heights >= lo) & (heights <= hi) & (widths >= 0.6 * heights) & (widths <= 1.6 * heights)
    found = 0
    for x, y, w, h in boxes[square]:
        if (_columns_crossing(starts, x, y, w, h, 4) >= 2 and not _halftone(ink[y:y + h, x:x + w])
                and (not in_runs or _beside_a_cjk_character(boxes, starts, x, y, w, h))):
            found += 1
            if found >= enough:
                break
    return found


def _columns_crossing(starts: np.ndarray, x: int, y: int, w: int, h: int, strokes: int) -> int:
    """Columns of the box that cross ``strokes`` or more strokes (``starts``: where runs begin)."""
    return int(np.count_nonzero(starts[y + 1:y + h, x:x + w].sum(axis=0, dtype=np.int16) >= strokes))


#: the widest gap between two characters of a CJK run, in character heights: CJK is set with
#: next to no space between characters; a Latin word space (before a €) is wider
CJK_RUN_GAP = 0.3


def _beside_a_cjk_character(boxes: np.ndarray, starts: np.ndarray, x: int, y: int, w: int, h: int) -> bool:
    """Does a character of CJK build stand right beside the blob (x, y, w, h) on its line: of
    its height (within 20%), about as wide as tall (a Latin digit or capital is narrower),
    crossing three strokes or more, at most ``CJK_RUN_GAP`` away? Generated Chinese invoices
    keep 65-80% of their counted characters, the real air-ticket preview 9 of 12; Latin pages
    keep 0-1 of up to 16 (euro signs after amounts, @ in item lines and addresses, accents)."""
    bx, by, bw, bh = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    gap = np.maximum(bx - (x + w), x - (bx + bw))
    near = ((gap >= 0) & (gap <= CJK_RUN_GAP * h) & (np.abs(by + bh / 2 - (y + h / 2)) < 0.3 * h)
            & (bh >= 0.8 * h) & (bh <= h / 0.8) & (bw >= 0.85 * bh))
    return any(_columns_crossing(starts, *boxes[i], 3) >= 2 for i in np.flatnonzero(near))


def _halftone(glyph: np.ndarray) -> bool:
    """Is this blob a patch of printed dots (a halftone logo, a dithered picture on a till
    receipt) rather than a character? Its ink falls apart into many specks, where a CJK
    character is a few strokes, each many pixels long; both cross a column many times."""
    count, _ = cv2.connectedComponents(glyph, connectivity=8)
    return count > 6 and int(glyph.sum()) / (count - 1) < 0.03 * glyph.shape[0] * glyph.shape[0]


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


def _uneven(gray: np.ndarray) -> bool:
    """Is the paper lit unevenly (a shadow, a stain, a photo's falling-off light)?"""
    background = cv2.medianBlur(cv2.resize(gray, None, fx=0.1, fy=0.1, interpolation=cv2.INTER_AREA), 5)
    return float(np.percentile(background, 95) - np.percentile(background, 5)) > 40


def _long_rules(gray: np.ndarray) -> list[tuple[np.ndarray, int, int, int, int]]:
    """The long thin strokes of a page: (mask, x, y, w, h) of each."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    scale = max(gray.shape[1] / 2480, 0.3)
    length = int(80 * scale)
    thin = max(int(8 * scale), 3)
    rules = []
    # the gaps of a dashed border are bridged, not the gaps between letters: closed over 12 px,
    # the rows of a bold text line ran on for 80 px, and painting them out cut the text in half
    gap = max(int(4 * scale), 2)
    for kernel_close, kernel_open in (((gap, 1), (length, 1)), ((1, gap), (1, length))):
        joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, kernel_close))
        found = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel_open))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(found, connectivity=8)
        for i in range(1, count):
            x, y, w, h, _ = stats[i]
            if min(w, h) <= thin and max(w, h) >= length:
                rules.append((labels[y:y + h, x:x + w] == i, x, y, w, h))
    return rules


def ruled_grid(gray: np.ndarray) -> bool:
    """Is the page ruled as a grid (``GRID_COLUMNS``)? Looked for on a quarter-size copy that
    keeps every dark pixel (a 4x4 minimum), ~10 ms where the full-size rule search costs
    200-300 ms of a page's ~1 s."""
    step = 4
    dark = cv2.erode(gray, np.ones((step, step), np.uint8))[step // 2::step, step // 2::step]
    _, ink = cv2.threshold(dark, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    height, width = ink.shape
    counts = []
    for kernel in ((max(int(GRID_ROW * width), 2), 1), (1, max(int(GRID_COLUMN * height), 2))):
        # dashed borders are joined first; text never runs a fifth of a page in one stroke
        along = (3, 1) if kernel[0] > 1 else (1, 3)
        joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, along))
        found = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        counts.append(cv2.connectedComponents(found, connectivity=8)[0] - 1)
    across, down = counts
    return down >= GRID_COLUMNS and across >= 2


#: what makes a page a ruled grid (boxed cells, as on a Chinese air-ticket itinerary or a
#: form): at least GRID_COLUMNS vertical rules down GRID_COLUMN of the page's height and two
#: horizontal rules across GRID_ROW of its width. A table of rows with a rule under its
#: heading, or a box around the address, is not one
GRID_COLUMN = 0.2
GRID_COLUMNS = 3
GRID_ROW = 0.3


def remove_rules(gray: np.ndarray, grid_only: bool = False) -> tuple[np.ndarray, int]:
    """Paint out table rules and (dashed) box borders, which make Tesseract drop the text
    inside them (a boxed cell whose text touches its border is read as a picture). Only long,
    thin strokes go: letters are never that long and that thin. ``grid_only``: only on a page
    ruled as a grid (``GRID_COLUMNS``); elsewhere a rule is left alone, since painting it out
    also takes the strokes of letters that touch it."""
    if grid_only and not ruled_grid(gray):
        return gray, 0
    rules = _long_rules(gray)
    out = gray.copy()
    for mask, x, y, w, h in rules:
        region = out[y:y + h, x:x + w]
        region[cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)] = 255
    return out, len(rules)


#: a dark band covering more of the page than this is no bar but the page's own ground: a photo's
#: dim paper, or a shadow across it (its dark print turned light, its paper dark, read as nothing)
MOST_OF_A_PAGE = 0.5


def light_on_dark(gray: np.ndarray) -> tuple[np.ndarray, int]:
    """Turn bands of light print on a dark ground (a total or a table heading in a filled bar)
    into dark print on white: Tesseract binarizes the whole page at once and the bar comes out
    solid black, its text lost. A band is a filled dark rectangle at least a line of text tall
    and several letters wide whose inside is mostly dark with some light strokes; bold text,
    logos and rules are not (their inside is mostly paper, or no light strokes, or too thin).
    Sizes scale with the page's width (before ``true_size``): on an A4 page at 300 dpi a band is
    at least 36 px tall (a capital and a half) and 180 px wide."""
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    dark = (small < 150).astype(np.uint8)
    # thin strokes (rules, letters) go, then the light letters' holes in a bar are filled
    dark = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    dark = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    scale = max(gray.shape[1] / 2480, 0.3)  # an A4 page at 300 dpi is 2480 px wide
    out, turned = gray, 0
    for x, y, w, h, area in stats[1:]:
        if h < 9 * scale or w < 45 * scale or area < 0.8 * w * h or w * h > MOST_OF_A_PAGE * dark.size:
            continue
        x0, y0, x1, y1 = x * 4, y * 4, (x + w) * 4, (y + h) * 4
        region = gray[y0:y1, x0:x1]
        light = np.count_nonzero(region > 160) / region.size
        if np.median(region) > 140 or not 0.03 <= light <= 0.45 or _frame_darkness(region) < 0.9:
            continue
        if out is gray:
            out = gray.copy()
        inverted = 255 - region.astype(np.float32)
        ground = max(float(np.median(inverted)), 1.0)
        out[y0:y1, x0:x1] = np.clip(inverted * (255.0 / ground), 0, 255).astype(np.uint8)
        turned += 1
    return out, turned


def _frame_darkness(region: np.ndarray) -> float:
    """Share of dark pixels on a ring just inside the region's edge: a filled bar is dark all
    round its text; big bold letters packed together leave paper at the edges of their box."""
    inset = max(min(region.shape) // 10, 2)
    inner = region[inset:-inset, inset:-inset]
    if inner.size == 0:
        return 0.0
    ring = np.concatenate([inner[0], inner[-1], inner[:, 0], inner[:, -1]])
    return float(np.count_nonzero(ring < 150)) / ring.size


def strengthen_faint(gray: np.ndarray) -> np.ndarray:
    """Darken light-grey text (receipts printed in 30% grey) so binarization keeps it."""
    lut = (255.0 * (np.arange(256) / 255.0) ** 3).astype(np.uint8)
    return cv2.LUT(gray, lut)


#: paper darker than this (a photo's, in the shade) is brought to white before its cut-outs are
#: read on a white strip; lighter paper is left as it is
GREY_PAPER = 225


def _broken_rule_pieces(ink: np.ndarray, text_height: float) -> np.ndarray:
    """Mask of the dashes a box's border left: strokes a pixel or so wide and most of a line
    long that, joined across gaps shorter than a line's height, run longer than the rule
    search's reach. A scan's faint or skewed border breaks into dashes each about a line tall,
    which the rule search misses; the one beside a boxed caption ('FACTURE N° :' on a real
    Factur-X invoice scanned 2 degrees askew) was glued to the caption, the two too tall for a
    line of text, and the caption was never read again. Letters' strokes are wider than such a
    border, and never line up over several lines without a gap of a line's height."""
    thin = max(int(text_height * 0.08), 1)
    long = int(2.5 * text_height)
    gap = max(int(text_height), 2)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h = stats[1:, 2], stats[1:, 3]
    out = np.zeros_like(ink)
    for thin_side, long_side, kernel in ((w, h, (1, gap)), (h, w, (gap, 1))):
        # a dash is itself most of a line tall: a dot-matrix print's dots are no dashes
        pieces = np.nonzero((thin_side <= thin) & (long_side >= 0.6 * text_height))[0] + 1
        if not len(pieces):
            continue
        dashes = np.isin(labels, pieces).astype(np.uint8)
        joined = cv2.morphologyEx(dashes, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        runs, run_of, run_stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
        along = run_stats[1:, 3] if kernel[0] == 1 else run_stats[1:, 2]
        long_runs = np.nonzero(along >= long)[0] + 1
        if len(long_runs):
            out |= dashes & np.isin(run_of, long_runs).astype(np.uint8)
    return out.astype(ink.dtype)


def _text_blobs(small: np.ndarray, height: float) -> tuple[list[tuple[int, int, int, int]], np.ndarray | None]:
    """(boxes at full resolution of the blobs of ``small``, half-resolution ink, that may be a
    line of text, mask of the blobs too tall for one line or None): each blob is ink smeared along its
    line, so a line's words join and lines stay apart."""
    blobs = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (max(int(height), 2), 2)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    w, h = stats[1:, 2], stats[1:, 3]
    candidates = np.nonzero((h >= 0.5 * height) & (h <= 3 * height) & (w >= 0.4 * height))[0] + 1
    found = []
    for i in candidates:
        x, y, w, h = (int(v) for v in stats[i, :4])
        if (x == 0 or x + w >= small.shape[1]) and np.count_nonzero(small[y:y + h, x:x + w].any(axis=0)) < 0.3 * height:
            # a sliver against the page's left or right edge: the receipt paper's edge or the
            # scanner's shadow, broken into dashes a line tall. Each dash took one of
            # MAX_LEFTOVER places: a dot-matrix docket's cents column, below thirty dashes, was
            # never read again
            continue
        if int(small[y:y + h, x:x + w].sum()) >= 0.08 * w * h:
            found.append((2 * x, 2 * y, 2 * w, 2 * h))
    tall = np.nonzero((stats[1:, 3] > 3 * height) & (stats[1:, 2] >= 0.4 * height))[0] + 1
    return found, np.isin(labels, tall).astype(small.dtype) if len(tall) else None


def _without_specks(ink: np.ndarray, height: float) -> np.ndarray:
    """``ink`` (half resolution) without its specks: pieces of a pixel or few, far smaller
    than any stroke of a letter a line ``height`` tall. A photo's paper grain, stretched with
    faint print, leaves such specks between the lines of a column, and smeared along the line
    they glue a whole column of amounts into one blob too tall for a line, never read again
    (a dot-matrix docket photographed: every amount right of its labels)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    big = np.zeros(count, ink.dtype)
    big[1:] = stats[1:, 4] > max(2.0, (height / 8) ** 2)
    return big[labels]


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
    small &= 1 - _broken_rule_pieces(small, height)
    found, glued = _text_blobs(small, height)
    if glued is not None:
        # blobs too tall for a line, taken apart once the specks between their lines are gone
        found += _text_blobs(_without_specks(small & glued, height), height)[0]
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
        # the paper brought to white first: the cut-outs are read on a white strip, and a photo's
        # grey paper (~200) darkened with the print came out mid-grey there, which Tesseract's
        # one threshold for the whole strip turned into solid black boxes (a photographed
        # receipt's whole amounts column, left out by the first pass, was read as nothing)
        window = (slice(y0, y + h + pad), slice(x0, x + w + pad))
        crop = gray[window]
        if np.median(background[window]) < GREY_PAPER:
            crop = cv2.divide(crop, np.maximum(background[window], 1), scale=255)
        crop = strengthen_faint(crop)
        crop[keep[window] == 0] = 255
        pieces.append((crop, x0, y0))
    return pieces


# ------------------------------------------------------------------ the page at its true size

#: capital/digit height (pixels) Tesseract reads best at; text this size needs no resizing
TEXT_HEIGHT = 30.0
#: text below TOO_SMALL is enlarged to TEXT_HEIGHT, text above TOO_BIG reduced to REDUCED_TO.
#: Not from 42 px (tried 2026-12-07): phone photos of real tills read at 39 px instead of 42-64
#: took ~8% less CPU, but their readings flipped both ways (photo seed 0: two totals lost; seed 8
#: one gained, one date lost; a generated Malaysian photo's total lost)
TOO_SMALL, TOO_BIG = 22.0, 64.0
REDUCED_TO = TEXT_HEIGHT * 1.3


def _paper_background(gray: np.ndarray) -> np.ndarray:
    """The paper without its print, at full size: a grey closing (ink is darker than paper and
    thinner than the 7-pixel kernel at quarter size) on a quarter-size copy, smoothed."""
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    background = cv2.medianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel), 5)
    return cv2.resize(background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)


def _print_ink(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """(ink, darkness, scale): the print as binary ink (1) on a copy at most 2000 px long, how
    much darker than the paper around it each pixel is, and the copy's scale. Ink is what Otsu
    separates from the paper on the darkness, so uneven light does not count."""
    scale = min(1.0, 2000 / max(gray.shape))
    small = _shrink(gray, int(gray.shape[1] * scale)) if scale < 1 else gray
    background = cv2.medianBlur(cv2.resize(small, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA), 5)
    background = cv2.resize(background, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_LINEAR)
    darkness = cv2.subtract(background, small)
    _, ink = cv2.threshold(darkness, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return ink, darkness, scale


def _capital_height(ink: np.ndarray, darkness: np.ndarray) -> float | None:
    """``text_height`` on ``_print_ink``'s copy (in its pixels)."""
    boxes = component_boxes(ink)
    widths, heights = boxes[:, 2], boxes[:, 3]
    boxes = boxes[(heights >= 4) & (heights <= ink.shape[0] / 10) & (widths <= 3 * heights) & (widths >= 0.15 * heights)]
    if len(boxes) < 20:
        return None
    dark = np.array([darkness[y:y + h, x:x + w].max() for x, y, w, h in boxes], np.float32)
    strong = boxes[dark >= 0.7 * np.percentile(dark, 90)]
    return float(np.percentile(strong[:, 3], 75))


def text_height(gray: np.ndarray) -> float | None:
    """The height in pixels of the page's capitals and digits, measured on its print: the 75th
    percentile of the heights of character-sized ink blobs (lower-case letters, punctuation
    and print broken into pieces are the lower quarters), counting only blobs at least 70% as
    dark as the darkest print, so the faint show-through of the back of a receipt or a
    watermark does not count. None when there is too little text to say."""
    ink, darkness, scale = _print_ink(gray)
    height = _capital_height(ink, darkness)
    return None if height is None else height / scale


#: a page's print is in pieces when its typical ink blob is at most this share of a capital's
#: measured height across (whole letters are half a capital or more across; a dot-matrix dot,
#: a dash of two dots, a comma or a speck much less)
PIECE_OF_A_CAPITAL = 0.3
#: and joining gaps no wider than those pieces makes the measured capitals this much taller:
#: the letters were dots, not letters with specks beside them (dot-matrix dockets on a
#: flatbed: 1.24-1.50; worn thermal till receipts, whose pieces are small too: 1.00-1.12)
JOINED_TALLER = 1.2
#: capital height (pixels) dot-matrix print is read at once its dots are joined, above the
#: usual TEXT_HEIGHT: a 5x7 glyph's digits read at ~24 px came out as look-alikes (dockets on a
#: flatbed, seeds +40000..42000: totals 48 -> 58%, dates 42 -> 53% read at this height)
DOTTED_TEXT_HEIGHT = 36.0


#: side (pixels) of the window of a large page its dots are measured on at the page's own size
DOT_WINDOW = 2000


#: how much the pieces' sizes across may vary (standard deviation over mean) and still be a
#: printer's dots: a pin prints one dot size, and a dot-matrix docket's pieces (dots and short
#: runs of them) vary 0.21-0.37 on flatbed scans and phone photos; thin grey print a blurred
#: low-resolution scan broke at its thinnest points falls apart in pieces of every length
#: (an invoice's captions at 150 dpi, blur 0.8 px: 0.48-0.49), which joined come out a smear
DOT_SIZES_VARY = 0.42


def _piece_of_print(boxes: np.ndarray, measured: float | None) -> float | None:
    """The typical ink blob's size across when it is a piece of a letter (a dot or a short run
    of dots: at most ``PIECE_OF_A_CAPITAL`` of the capitals ``measured``, the pieces about one
    size: ``DOT_SIZES_VARY``), else None."""
    across = np.minimum(boxes[:, 2], boxes[:, 3]).astype(float)
    piece = float(np.median(across))
    if measured is None or piece > PIECE_OF_A_CAPITAL * measured:
        return None
    pieces = across[across <= PIECE_OF_A_CAPITAL * measured]
    return piece if float(pieces.std()) <= DOT_SIZES_VARY * float(pieces.mean()) else None


def _dots_joined(ink: np.ndarray, darkness: np.ndarray, piece: float,
                 measured: float) -> tuple[float, float, float] | None:
    """(dot size, capital height measured, capital height once the dots are joined), in the
    pixels of ``ink``, when joining its pieces made letters of them (``join_dotted_print``)."""
    width = max(int(round(piece)), 2)
    kernel = np.ones((width, width), np.uint8)
    joined_ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, kernel)
    joined_darkness = cv2.morphologyEx(darkness, cv2.MORPH_DILATE, kernel)
    joined_darkness = cv2.morphologyEx(joined_darkness, cv2.MORPH_ERODE, kernel)
    taller = _capital_height(joined_ink, joined_darkness)
    if taller is None or taller < JOINED_TALLER * measured:
        return None
    return piece, measured, taller


def _dots_at_own_size(gray: np.ndarray) -> tuple[float, float, float] | None:
    """``_dots_joined`` measured on a window of the page at its own size (``DOT_WINDOW`` square,
    in its middle, where a receipt's print is)."""
    top, left = max(0, (gray.shape[0] - DOT_WINDOW) // 2), max(0, (gray.shape[1] - DOT_WINDOW) // 2)
    ink, darkness, _ = _print_ink(gray[top:top + DOT_WINDOW, left:left + DOT_WINDOW])
    boxes = component_boxes(ink)
    boxes = boxes[boxes[:, 2] * boxes[:, 3] >= 4]
    measured = _capital_height(ink, darkness) if len(boxes) >= 50 else None
    piece = None if measured is None else _piece_of_print(boxes, measured)
    return None if piece is None else _dots_joined(ink, darkness, piece, measured)


def join_dotted_print(gray: np.ndarray) -> tuple[np.ndarray, str | None, tuple[float | None] | None]:
    """Dot-matrix print (a ribbon printer's docket: every stroke a row of separate dots), its
    dots joined into strokes; the page unchanged when its print is not in pieces.

    Tesseract reads separate dots as specks: letters come out as punctuation and noise, most
    words doubtful. Such print shows in its ink blobs: the typical blob is a dot or a short run
    of dots, a fraction of a capital across, where whole letters are half a capital or more.
    The gaps between the dots of one stroke are narrower than a dot (the pins overlap or nearly
    touch), the gap between two letters is at least a dot column wider: a grey opening (ink
    spread, then shrunk back) as wide as a dot fills the first and keeps the second. It is
    kept only when it made letters of the pieces: the capitals measured on the page are then
    much taller (whole letters instead of runs of dots). Worn thermal print, also in pieces,
    already measures its capitals on whole letters and is left alone. The dots are told on the
    page at its own size (a large page's shrunk copy runs them together).

    The dots are joined as round dots (a disc a pixel wider than a dot spread over each and
    shrunk back), not squares, and the page is enlarged until its capitals are
    ``DOTTED_TEXT_HEIGHT`` tall: square joins made a 5x7 glyph's curves into corners, and at
    its joined size (capitals ~24 px on a 300-dpi scan) Tesseract read a 5 as a 7, a slashed
    zero as a 6 or 9, a date's digits as letters.

    Returns (page, what was done, ``(text_height(page),)``): the last when the page comes back
    as it was and its print was measured (the same ink ``text_height`` measures, so
    ``true_size`` need not measure it again), else None."""
    ink, darkness, scale = _print_ink(gray)
    boxes = component_boxes(ink)
    boxes = boxes[boxes[:, 2] * boxes[:, 3] >= 4]  # not JPEG specks
    if len(boxes) < 50:
        return gray, None, None
    measured = _capital_height(ink, darkness)
    # the page left as it is: ``text_height`` of it is this same measure (its ink measured the same way)
    unchanged = (None if measured is None else measured / scale,)
    piece = _piece_of_print(boxes, measured)
    if piece is None:
        return gray, None, unchanged
    dots = _dots_joined(ink, darkness, piece, measured)
    if dots is None and scale < 1:
        # the copy shrunk to 2000 px blurred the 1-2 px gaps between its pieces shut: measured on
        # runs of dots run together, a docket a little longer than 17 cm at 300 dpi was read as
        # it was (a total of '3' for 211.35). Only print in pieces is measured again: a photo's
        # whole letters need no second look
        dots, scale = _dots_at_own_size(gray), 1.0
    if dots is None:
        return gray, None, unchanged
    piece, measured, taller = dots
    full = max(int(round(piece / scale)), 2)
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (full + 1, full + 1))
    joined = cv2.morphologyEx(gray, cv2.MORPH_OPEN, disc)
    done = (f"print in dots (pieces {piece / scale:.0f} px across, capitals measured {measured / scale:.0f} "
            f"-> {taller / scale:.0f} px once joined): gaps up to {full} px closed as round dots")
    enlarged = DOTTED_TEXT_HEIGHT / (taller / scale)
    if enlarged > 1.05:
        joined = cv2.resize(joined, None, fx=enlarged, fy=enlarged, interpolation=cv2.INTER_CUBIC)
        done += f", enlarged x{enlarged:.2f}"
    return joined, done, None


def _order_corners(points: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left."""
    points = points.reshape(4, 2).astype(np.float32)
    by_sum, by_diff = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.float32([points[np.argmin(by_sum)], points[np.argmin(by_diff)], points[np.argmax(by_sum)],
                       points[np.argmax(by_diff)]])


#: how much of its smallest turned rectangle a sheet of paper's outline fills (photos of
#: receipts, tilted, curled: 0.90-0.98; a receipt whose shaded half fell below the threshold:
#: 0.65-0.70)
PAPER_SQUARENESS = 0.85
#: a bright region running along this much more of the photo's edge than the paper found at
#: first is the table's lit part joined to the paper, not the paper's shaded part
TABLE_AT_THE_EDGE = 0.1


def _bright_region(blurred: np.ndarray, threshold: float):
    """(outline, share of the photo, how much of its turned rectangle it fills, share of the
    photo's edge it runs along) of the largest region brighter than ``threshold``; None when
    there is none."""
    _, bright = cv2.threshold(blurred, threshold, 255, cv2.THRESH_BINARY)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outline)
    box = cv2.contourArea(cv2.boxPoints(cv2.minAreaRect(outline)))
    region = np.zeros(blurred.shape, np.uint8)
    cv2.drawContours(region, [outline], -1, 1, -1)
    edge = np.concatenate([region[0], region[-1], region[:, 0], region[:, -1]])
    return (outline, area / float(blurred.shape[0] * blurred.shape[1]), area / max(box, 1.0),
            np.count_nonzero(edge) / edge.size)


def _cut_corner_restored(points: np.ndarray, hull: np.ndarray, shape: tuple[int, int]) -> np.ndarray | None:
    """Four corners of a paper outline with five (``points``, in order) when one corner is cut
    off (a shadow or a fold across it leaves it below the bright threshold): the shortest side
    is the cut, and the corner is where the two sides beside it meet. None when that point is
    no corner of this paper (off the photo, or a quadrilateral much larger than the outline)."""
    sides = [np.linalg.norm(points[(k + 1) % 5] - points[k]) for k in range(5)]
    cut = int(np.argmin(sides))
    a, b = points[cut], points[(cut + 1) % 5]
    before, after = points[(cut - 1) % 5], points[(cut + 2) % 5]
    d1, d2 = a - before, b - after
    cross = d1[0] * d2[1] - d1[1] * d2[0]
    if abs(cross) < 1e-6:
        return None
    t = ((b - before)[0] * d2[1] - (b - before)[1] * d2[0]) / cross
    corner = before + t * d1
    height, width = shape
    if not (-0.02 * width <= corner[0] <= 1.02 * width and -0.02 * height <= corner[1] <= 1.02 * height):
        return None
    quad = np.array([corner if k == cut else p for k, p in enumerate(points) if k != (cut + 1) % 5], np.float32)
    if cv2.contourArea(quad) > 1.15 * cv2.contourArea(hull):
        return None
    return quad.reshape(-1, 1, 2)


#: a threshold 15 grey levels lower adds at least this share to a bright region when paper in
#: the shade joins it (a whole sheet's edge is sharp: it grows 0.2-1% a step)
SHADED_PAPER_JOINS = 1.1


def _shaded_part_joined(blurred: np.ndarray, otsu: float, outline, share: float, edge: float):
    """(outline, share) of the paper when the bright region found at ``otsu`` is square but
    only the lit part of it: a shadow whose edge runs straight across the receipt leaves a
    lit part that is a rectangle too, and its amounts column beyond the shadow's edge was cut
    off. The threshold is lowered while the region stays square, runs along the photo's edge
    no more than before (the table has not joined it), and grows by a step of shaded paper."""
    for lower in range(int(otsu) - 15, int(otsu) - 76, -15):
        wider = _bright_region(blurred, lower)
        if wider is None or wider[2] < PAPER_SQUARENESS or wider[3] > edge + 0.01:
            break
        if wider[1] >= SHADED_PAPER_JOINS * share:
            outline, share = wider[0], wider[1]
    return outline, share


#: the share of a photo a bright region covers to be the paper: less is a speck of light, more
#: is a scan or a page that fills the frame (nothing to cut out)
LEAST_PAPER, MOST_PAPER = 0.08, 0.85


def _lit_table_left_out(blurred: np.ndarray, otsu: float, found: tuple):
    """(the paper's bright region, as ``_bright_region`` gives it; the threshold it was found
    at) when the region found at the Otsu threshold ran out along the photo's edge: a lit
    table little darker than paper that is not white (a grey thermal roll, a photo's dim
    light) joined it, and the four corners of paper and table together shear every line. The threshold is raised step by step: a
    region that is square and clear of the photo's edge is the paper (its shaded part, left
    below the threshold, is what ``_holding_the_print`` keeps). The region found stands when
    no such region shows (a long receipt running out of the frame stays on its edge)."""
    for higher in range(int(otsu) + 15, int(otsu) + 76, 15):
        raised = _bright_region(blurred, higher)
        if raised is None or raised[1] < LEAST_PAPER:
            break
        if (raised[2] >= PAPER_SQUARENESS and raised[3] <= found[3] - TABLE_AT_THE_EDGE
                and _stands_out(blurred, raised[0])):
            return raised, higher
    return found, otsu


#: grey levels paper is brighter than what lies around it, on average: less is no paper on a
#: darker surface (a pale desk, a scan)
PAPER_STANDS_OUT = 40


def _stands_out(blurred: np.ndarray, outline) -> bool:
    """Is the region inside ``outline`` paper on a darker surface: brighter, on average, than
    the rest of the photo by ``PAPER_STANDS_OUT``?"""
    mask = np.zeros(blurred.shape, np.uint8)
    cv2.drawContours(mask, [outline], -1, 255, -1)
    return cv2.mean(blurred, mask)[0] - cv2.mean(blurred, 255 - mask)[0] >= PAPER_STANDS_OUT


#: long side (pixels) of the copy a photo's print is found on: a receipt a fifth of the frame
#: keeps letters 6-10 px tall there, enough to tell lines of print from a table's pattern
PRINT_COPY = 1000
#: side (pixels, on that copy) of the closing that finds print: strokes thinner than this and
#: darker than what lies around them (a tile's joints are as thin, but run on for far longer
#: than a word)
PRINT_STROKE = 9
#: share of the print a cut-out paper must hold: print beyond its edge (a shadowed column of
#: amounts, the receipt's far end) is a total nobody reads
PRINT_KEPT = 0.97


def _print_blocks(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, float] | None:
    """(block labels, each block's box, its ink, a line's height, the copy's scale) of the
    photo's print on a copy at most ``PRINT_COPY`` long: thin dark strokes the size of
    letters, joined line to line into blocks. Tile joints and a board's grain run on too long
    for letters; specks on a table stand alone. None when no print shows."""
    scale = min(1.0, PRINT_COPY / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (PRINT_STROKE, PRINT_STROKE))
    hat = cv2.morphologyEx(small, cv2.MORPH_BLACKHAT, kernel)
    strokes = (hat > max(20.0, 0.3 * float(np.percentile(hat, 99.5)))).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
    widths, heights, areas = stats[:, 2], stats[:, 3], stats[:, 4]
    longer, shorter = np.maximum(widths, heights), np.maximum(np.minimum(widths, heights), 1)
    # a piece of a rule, a tile's joint, a board's grain: a thin straight run longer than letters
    ruled = (longer >= 2 * PRINT_STROKE) & (longer >= 5 * shorter)
    letters = (heights <= 6 * PRINT_STROKE) & (widths <= 10 * PRINT_STROKE) & (areas >= 3) & ~ruled
    letters[0] = False
    if np.count_nonzero(letters) < 20:
        return None
    line = max(3, int(np.percentile(heights[letters], 75) * 2))
    ink = letters[labels].astype(np.uint8)
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((line, 2 * line), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    inked = np.bincount(labels.ravel(), weights=ink.ravel(), minlength=count)
    # a line of print or more, not a lone mark: a few letters' ink
    blocks = (stats[:, 3] >= line) & (inked >= 10 * line)
    blocks[0] = False
    labels = np.where(blocks[labels] & (ink > 0), labels, 0)
    return labels, stats[:, :4], inked * blocks, line, scale


def _in_its_column(stats: np.ndarray, chosen: set[int], candidates, line: int) -> set[int]:
    """``chosen`` blocks and those in their column, no more than a blank stretch of a few
    lines above or below them (a receipt's blocks of print, one under the other)."""
    chosen = set(chosen)
    x0 = min(stats[k, 0] for k in chosen)
    y0 = min(stats[k, 1] for k in chosen)
    x1 = max(stats[k, 0] + stats[k, 2] for k in chosen)
    y1 = max(stats[k, 1] + stats[k, 3] for k in chosen)
    grown = True
    while grown:
        grown = False
        for k in candidates:
            bx0, by0, bx1, by1 = stats[k, 0], stats[k, 1], stats[k, 0] + stats[k, 2], stats[k, 1] + stats[k, 3]
            near = max(by0 - y1, y0 - by1) <= 4 * line
            if k not in chosen and near and min(bx1, x1) - max(bx0, x0) >= 0.5 * (bx1 - bx0):
                chosen.add(k)
                x0, y0, x1, y1 = min(x0, bx0), min(y0, by0), max(x1, bx1), max(y1, by1)
                grown = True
    return chosen


def find_paper(gray: np.ndarray) -> tuple[np.ndarray, str | None]:
    """A phone photo of a document lying on a darker surface: the paper cut out and seen
    square-on (its four corners warped to a rectangle), and what was done; the page unchanged
    when no such paper shows (a scan, or paper filling the frame).

    The paper is the largest bright region, at least 40 grey levels brighter than what lies
    around it; its outline is simplified to four corners, or, when it has no clean four corners
    (torn, curled, running out of the frame), its smallest turned rectangle.

    The bright region is cut at the photo's Otsu threshold; when that region is no rectangle
    (a shadow across the paper left its shaded part below the threshold: only the lit part of
    the receipt, its amounts column cut off), the threshold is lowered step by step until the
    region is one (the shaded paper joins it) or the table joins it too (no rectangle again,
    or most of the photo): then the Otsu region stands as before."""
    found = paper_corners(gray)
    if found is None:
        return gray, None
    corners, how, share = found
    tl, tr, br, bl = corners
    out_w = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    out_h = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.float32([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]])
    matrix = cv2.getPerspectiveTransform(corners, target)
    paper = cv2.warpPerspective(gray, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return paper, f"paper found in the photo ({how}, {share:.0%} of it): cut out and squared, {out_w}x{out_h} px"


def paper_corners(gray: np.ndarray) -> tuple[np.ndarray, str, float] | None:
    """(the paper's four corners in the photo, top-left first and clockwise; how they were
    found; the share of the photo the paper covers), or None when no paper shows: what
    ``find_paper`` cuts out."""
    height, width = gray.shape
    scale = 600 / max(height, width)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    scale = min(scale, 1.0)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    otsu, _ = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    found = _bright_region(blurred, otsu)
    if found is None:
        return None
    outline, share, squareness, edge = found
    if edge > TABLE_AT_THE_EDGE and share <= MOST_PAPER:
        (outline, share, squareness, edge), otsu = _lit_table_left_out(blurred, otsu, found)
    if squareness < PAPER_SQUARENESS:
        for lower in range(int(otsu) - 15, int(otsu) - 76, -15):
            wider = _bright_region(blurred, lower)
            # the table joined it when it runs out along the photo's edge where the paper did
            # not (paper seen at a slant fills its turned rectangle no better than a shadowed one)
            if wider is None or wider[1] > MOST_PAPER or wider[3] > edge + TABLE_AT_THE_EDGE:
                break
            if squareness >= PAPER_SQUARENESS and wider[2] < squareness:
                break  # square already, and less so with more of the table: the paper was whole
            if wider[2] >= PAPER_SQUARENESS:
                # square enough: and squarer still a little lower, where the last of the shade
                # across a side (its digits cut off at the paper's edge) joins it
                outline, share, squareness, edge = wider
    else:
        outline, share = _shaded_part_joined(blurred, otsu, outline, share, edge)
    if not LEAST_PAPER <= share <= MOST_PAPER:
        return None
    if not _stands_out(blurred, outline):
        return None
    hull = cv2.convexHull(outline)
    corners = None
    for tolerance in (0.02, 0.035, 0.05):
        approx = cv2.approxPolyDP(hull, tolerance * cv2.arcLength(hull, True), True)
        if len(approx) == 5 and tolerance == 0.02:
            approx = _cut_corner_restored(approx.reshape(-1, 2).astype(np.float64), hull, small.shape)
        if approx is not None and len(approx) == 4:
            corners = approx
            break
    how = "four corners"
    if corners is None or cv2.contourArea(corners) < 0.85 * cv2.contourArea(hull):
        corners, how = cv2.boxPoints(cv2.minAreaRect(hull)), "turned rectangle"
    corners = _order_corners(np.asarray(corners) / scale)
    corners, how = _holding_the_print(gray, corners, how)
    share = cv2.contourArea(corners) / float(height * width)
    tl, tr, br, bl = corners
    if (max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)) < 50
            or max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)) < 50):
        return None
    return corners, how, share


def _holding_the_print(gray: np.ndarray, corners: np.ndarray, how: str) -> tuple[np.ndarray, str]:
    """``corners`` when the paper they outline holds the photo's print; else the print's own
    extent (its turned rectangle, a line's height round it): the bright region was a lit part
    of the table (no print in it), or the paper with its shaded part left out (print beyond
    its edge), and cutting it out would cut away print. Print elsewhere on the photo, away
    from the paper's column of print (a board's grain, another document), does not count."""
    found = _print_blocks(gray)
    if found is None:
        return corners, how
    labels, stats, inked, line, scale = found
    region = np.zeros(labels.shape, np.uint8)
    cv2.fillPoly(region, [np.round(corners * scale).astype(np.int32)], 1)
    region = cv2.dilate(region, np.ones((3, 3), np.uint8))
    inside = np.bincount(labels.ravel(), weights=region.ravel().astype(np.float64), minlength=len(inked))
    inside[0] = 0
    candidates = [k for k in range(1, len(inked)) if inked[k] > 0]
    holding = {k for k in candidates if inside[k] >= 0.05 * inked[k]}
    if holding:
        paper_print = _in_its_column(stats, holding, candidates, line)
        if sum(inside[k] for k in paper_print) >= PRINT_KEPT * sum(inked[k] for k in paper_print):
            return corners, how
        why = "print beyond the bright region's edge"
    else:
        paper_print = _in_its_column(stats, {max(candidates, key=lambda k: inked[k])}, candidates, line)
        why = "no print in the bright region"
    ys, xs = np.nonzero(np.isin(labels, list(paper_print)))
    (cx, cy), (w, h), angle = cv2.minAreaRect(np.stack([xs, ys], axis=1).astype(np.float32))
    box = cv2.boxPoints(((cx, cy), (w + 2 * line, h + 2 * line), angle)) / scale
    height, width = gray.shape
    box[:, 0], box[:, 1] = box[:, 0].clip(0, width - 1), box[:, 1].clip(0, height - 1)
    return _order_corners(box), f"the print's own extent: {why}"


def find_text_block(gray: np.ndarray, margin: float = 1.5) -> tuple[np.ndarray, str | None]:
    """A small document (a till receipt) lying on a big scanner page: the region around its
    print when that covers less than half the page, else the region that differs from the
    scanner lid (``_off_the_lid``: a grey lid darker than the receipt's paper). Cut out, the
    rest of the page costs OCR time and skews every layout measure taken over the page."""
    x0, y0, x1, y1 = content_box(gray, margin=0)
    height, width = gray.shape
    if (x1 - x0) * (y1 - y0) >= 0.5 * width * height:
        return _off_the_lid(gray, margin)
    pad = int(margin * (text_height(gray[y0:y1, x0:x1]) or 30))
    x0, y0, x1, y1 = max(x0 - pad, 0), max(y0 - pad, 0), min(x1 + pad, width), min(y1 + pad, height)
    return gray[y0:y1, x0:x1], f"print covers part of the page: read {x1 - x0}x{y1 - y0} px of {width}x{height}"


def _off_the_lid(gray: np.ndarray, margin: float) -> tuple[np.ndarray, str | None]:
    """The region of a scanner page that differs from the lid, when it covers less than half
    the page: on a grey lid the print box is the whole page (the lid is darker than paper).

    The lid's tone is read from the page's outer border (white, grey or dark): what differs
    from it by 30 grey levels is the receipt, its paper (brighter than a grey lid) as much as
    its print (darker than a white one). Lines of print and the paper they lie on are joined
    into one region; specks and the thin shadows along the page's edges are not the receipt."""
    height, width = gray.shape
    scale = min(1.0, 1000 / max(height, width))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    band = max(2, int(0.03 * min(small.shape)))
    border = np.concatenate([small[:band].ravel(), small[-band:].ravel(), small[:, :band].ravel(),
                             small[:, -band:].ravel()])
    lid = float(np.median(border))
    differs = (cv2.absdiff(small, np.full_like(small, int(lid))) > 30).astype(np.uint8)
    differs = cv2.morphologyEx(differs, cv2.MORPH_OPEN, np.ones((1, 3), np.uint8))  # specks and JPEG noise
    join = max(3, int(0.02 * max(small.shape)))  # line spacing of receipt print at this scale
    joined = cv2.morphologyEx(differs, cv2.MORPH_CLOSE, np.ones((join, join), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    if count < 2:
        return gray, None
    sh, sw = small.shape
    regions = []
    for x, y, w, h, area in stats[1:]:
        along_edge = (x == 0 or y == 0 or x + w == sw or y + h == sh) and min(w, h) < 3 * join
        if not along_edge and area >= join * join // 2:  # the scanner's edge shadow, dust
            regions.append((x, y, x + w, y + h, area))
    if not regions:
        return gray, None
    # the receipt's blocks of print (a blank stretch of white paper on a white lid separates
    # them) lie one above the other: grow the largest region by those sharing its column or row
    x0, y0, x1, y1, _ = max(regions, key=lambda r: r[4])
    grown = True
    while grown:
        grown = False
        for rx0, ry0, rx1, ry1, _ in regions:
            inside = rx0 >= x0 and ry0 >= y0 and rx1 <= x1 and ry1 <= y1
            column = min(rx1, x1) - max(rx0, x0) >= 0.5 * (rx1 - rx0)
            row = min(ry1, y1) - max(ry0, y0) >= 0.5 * (ry1 - ry0)
            if not inside and (column or row):
                x0, y0, x1, y1 = min(x0, rx0), min(y0, ry0), max(x1, rx1), max(y1, ry1)
                grown = True
    x0, y0, x1, y1 = int(x0 / scale), int(y0 / scale), int(x1 / scale), int(y1 / scale)
    if (x1 - x0) * (y1 - y0) >= 0.5 * width * height:
        return gray, None
    pad = int(margin * join / scale / 2)  # a blank margin of about a line's height
    x0, y0, x1, y1 = max(x0 - pad, 0), max(y0 - pad, 0), min(x1 + pad, width), min(y1 + pad, height)
    return gray[y0:y1, x0:x1], (f"receipt on a {lid:.0f}-grey lid: read {x1 - x0}x{y1 - y0} px of "
                                f"{width}x{height}")


def flatten_background(gray: np.ndarray) -> np.ndarray:
    """Shadows and uneven light divided out: every part of the paper becomes white, the print
    keeps its contrast to the paper under it."""
    return cv2.divide(gray, np.maximum(_paper_background(gray), 1), scale=255)


def _low_percentile(gray: np.ndarray, q: float) -> float:
    """``np.percentile(gray, q)`` of a grey (uint8) page, read off its histogram where the grey
    levels sorted around that rank are one level (as good as always on a page: then no
    interpolation happens), else as numpy computes it. A partial sort of every pixel cost
    ~8-20 ms a page; OpenCV's histogram ~1-4 ms."""
    size = gray.size
    if gray.dtype != np.uint8 or gray.ndim != 2 or not 4 <= size < 1 << 24:  # counts exact in float32
        return float(np.percentile(gray, q))
    rank = int(q / 100 * (size - 1))
    ranked = np.cumsum(cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel().astype(np.int64))
    # the levels at the ranks just below and above: the one numpy interpolates lies between
    low, high = np.searchsorted(ranked, [max(rank - 1, 0), min(rank + 2, size - 1)], side="right")
    if low == high:
        return float(low)
    return float(np.percentile(gray, q))


def deepen_faint_print(gray: np.ndarray) -> tuple[np.ndarray, str | None]:
    """Faint print (a fading thermal receipt) stretched to full contrast, on a flattened page:
    the darkest print is taken to near black. Unchanged when the print is dark already."""
    ink = _low_percentile(gray, 0.5)
    if ink < 90:
        return gray, None
    lut = np.clip((np.arange(256, dtype=np.float32) - ink) / max(250.0 - ink, 1.0) * 255, 0, 255) ** 1.0
    return cv2.LUT(gray, lut.astype(np.uint8)), f"faint print (darkest {ink:.0f}): contrast stretched"


def true_size(gray: np.ndarray, measured: tuple[float | None] | None = None) -> tuple[np.ndarray, float, str | None]:
    """The page resized so its capitals are about TEXT_HEIGHT pixels tall, the size
    Tesseract reads best, when they are far from it; (image, its resolution in dpi as a
    300-dpi scan of 10-pt text would have it, what was done). The size comes from the print
    itself: a photo's metadata says 72 dpi whatever it shows. ``measured``: ``(text_height(gray),)``
    when it was measured already (``join_dotted_print`` measures the same ink)."""
    measured = text_height(gray) if measured is None else measured[0]
    if measured is None:
        return gray, TARGET_DPI * min(gray.shape) / 2480, None
    factor = 1.0
    if measured < TOO_SMALL:
        factor = min(TEXT_HEIGHT / measured, 3.0)
    elif measured > TOO_BIG:
        factor = REDUCED_TO / measured
    dpi = TARGET_DPI * measured / TEXT_HEIGHT
    if factor == 1.0:
        return gray, dpi, None
    method = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    resized = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=method)
    return resized, dpi * factor, (f"text {measured:.0f} px tall: {'enlarged' if factor > 1 else 'reduced'} "
                                   f"x{factor:.2f}")
