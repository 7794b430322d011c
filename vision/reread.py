"""Second readings of a few words of a scanned page: is what the page's OCR read there sure?

A value with no arithmetic behind it (an invoice number, a date) read by OCR at a learned
spot is booked with no person looking only if reading the same ink again, differently, gives
the same text. A digit Tesseract took for another one (a 7 for a 5 in a worn scan) rarely comes
out the same way at another scale and threshold, so the readings disagree and a person looks.

    from vision.reread import page_image, readings
    image = page_image(doc.path, doc.pages[0])         # the page as the reader saw it, or None
    texts = readings(image, [(812, 240, 1010, 268)])  # [["V-920509", "V-920509", "V-920509"]]

- ``page_image`` is the image the page's OCR read (``Page.image``, kept by
  ``read_document(keep_images=True)``), else the page loaded again and prepared with the view
  the first read found (turn, skew, size), so word boxes of ``Page.words`` land on the same
  ink; None for a text layer, or when the page no longer comes out the same size (then
  nothing is confirmed).
- ``readings`` cuts the box out with a margin of paper, keeping only the value's own ink (a
  cell's rule beside it, the edge of the line above or below are wiped), and reads it with its
  letters ~28-36 pixels tall, grey and black-on-white (Otsu), in one Tesseract call (``--psm 7``:
  one line).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np

from vision.document import Document, Page
from vision.errors import UnreadableDocument
from vision.fields import TOLERANCE, Field

#: how the cut-out is read again: (height of the box in pixels, black-on-white); each one
#: reads the ink another way. Scaled down as well as up: Tesseract reads figures best ~28-36 px
#: high; a bold serif '5459/PA' scanned 45 px high read '3459/PA' at 40-56 px and '9459/PA' at
#: 56 px on every reading, and a clean 5 reads as 9 at ~90 px
VARIANTS = ((28, False), (32, True), (36, False))
#: grey readings at further sizes, taken when the black-on-white reading alone says another
#: value (``check_by_reading_again``): thresholding thickens a zero's inner dot or slash (till
#: and terminal fonts print them) into a loop, and '26-04560' came out '26 - 64560'
#: black-on-white while grey read it '26 -04560' at every size from 20 to 48 pixels; the
#: larger sizes tell a dot from a loop best on a blurred scan
GREY_AGAIN = ((40, False), (44, False), (48, False))
#: faded print read again at its own contrast (``readings(faded=True)``, besides ``VARIANTS``):
#: the cut-out's darkest ink made black and its paper white, then every pixel darker than this
#: share of the way to the paper made ink, so a worn stroke too pale for Otsu still counts
FADED_INK = 0.7
#: worn print read again at the paper's own level (``readings(faint=True)``): a stroke that dead
#: dots of a print head or rubbing took is often not gone but a ghost a few grey levels under
#: the paper, which Otsu and ``FADED_INK`` (set by the darkest ink) leave paper. The cut-out is
#: stretched so that ink this many grey levels under its paper is black, once per depth (the
#: shallower, the more of a ghost and of the paper's grain becomes ink), read ``FAINT_HEIGHT``
#: pixels high
FAINT_DEPTHS = (12, 20, 32)
FAINT_HEIGHT = 32


def page_image(path: str | Path, page: Page) -> np.ndarray | None:
    """The page ``page`` of ``path`` as the reader OCR'd it (same turn, deskew and size), or
    None when it is a text-layer page or cannot be produced again the same size."""
    from vision.preprocess import prepare, rotate_quarter
    from vision.reader import PageTask, load_image, plan

    if page.source != "ocr":
        return None
    if page.image is not None:  # kept from the read: preparing the page again costs ~0.2 s CPU
        return page.image
    try:
        _, pages = plan(path, thorough=False)
        task = pages[page.number - 1] if page.number <= len(pages) else None
        if not isinstance(task, PageTask):
            return None
        raw = load_image(task)
    except (UnreadableDocument, OSError):
        return None
    prepared = prepare(raw, ((page.rotation - page.retry_turn) % 360, page.skew))
    image = prepared.image
    if page.retry_turn:
        image = rotate_quarter(image, page.retry_turn)
    if image.shape[:2] != (round(page.height), round(page.width)):
        return None
    return image


def readings(image: np.ndarray, boxes: list[tuple[float, float, float, float]],
             languages: str = "eng", faded: bool = False,
             variants: tuple[tuple[int, bool], ...] = VARIANTS, faint: bool = False) -> list[list[str]]:
    """The text of each box (x0, y0, x1, y1 in the page's pixels) read once per ``variants``,
    all in one Tesseract call (loading the model costs more than reading a few words);
    ``faded``: at the box's own contrast too, once per size of ``variants`` (``FADED_INK``);
    ``faint``: at the paper's own level too, the last ``len(FAINT_DEPTHS)`` readings of each box
    (none when the cut-out could not be made)."""
    from vision.reader import _tesseract_batch

    pieces = [_variants(image, box, faded, variants, faint) for box in boxes]
    images = [one for some in pieces for one in some]
    if not images:
        return [[] for _ in boxes]
    keys = [(languages, one.shape, one.tobytes()) for one in images]
    known = {key: text for key in keys if (text := _READ.get(key)) is not None}
    new = {key: one for key, one in zip(keys, images) if key not in known}
    if new:
        read = _tesseract_batch(list(new.values()), languages, 7, [1] * len(new))
        known.update(zip(new, (" ".join(w.text for w in words) for words in read)))
        if len(_READ) + len(new) > READ_REMEMBERED:
            _READ.clear()
        _READ.update((key, known[key]) for key in new)
    texts = iter([known[key] for key in keys])
    return [[next(texts) for _ in some] for some in pieces]


#: cut-outs read, and the text Tesseract read in each: the same pixels read the same way, and
#: a slower second read of a page analyses it again and asks for the cut-outs the first
#: analysis read (a date's digits, read again in the same boxes)
_READ: dict[tuple, str] = {}
READ_REMEMBERED = 256


#: a word box taller than its line's ink by this share is swollen (a speck, the next line's tops
#: taken into it): the box is read again at the ink's own band (``ink_band``)
SWOLLEN = 1.25


def ink_band(image: np.ndarray, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """``box`` with its top and bottom drawn in to the band of rows its ink fills, when OCR's
    word boxes came out taller than the print (a photo's specks and the next line's tops taken
    in: a date 38 px tall in boxes 81 px tall). ``readings`` scales a box to a letter height and
    keeps the ink reaching into it: a swollen box shrinks the letters past reading and keeps the
    line below, and Tesseract reads two lines as one line of nonsense. The band is the run of
    rows around the densest one whose ink (smoothed over the gaps between a dot-matrix
    print's rows of dots) is at least a fifth of that row's; ``box`` as it is when the band is
    most of it."""
    import cv2

    x0, y0, x1, y1 = (int(round(v)) for v in box)
    h, w = image.shape[:2]
    x0, x1, y0, y1 = max(0, x0), min(w, x1), max(0, y0), min(h, y1)
    if x1 - x0 < 4 or y1 - y0 < 8:
        return box
    crop = image[y0:y1, x0:x1]
    if crop.ndim == 3:
        crop = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rows = (ink > 0).sum(axis=1).astype(np.float32)
    k = max(3, (y1 - y0) // 12) | 1
    rows = np.convolve(rows, np.ones(k, np.float32) / k, mode="same")
    if rows.max() <= 0:
        return box
    peak = int(rows.argmax())
    full = rows >= 0.2 * rows.max()
    top, bottom = peak, peak
    while top > 0 and full[top - 1]:
        top -= 1
    while bottom < len(rows) - 1 and full[bottom + 1]:
        bottom += 1
    band = bottom - top + 1
    if band * SWOLLEN > y1 - y0 or band < 0.3 * (y1 - y0):
        return box
    margin = band * 0.08
    return (box[0], y0 + top - margin, box[2], y0 + bottom + 1 + margin)


def _variants(image: np.ndarray, box: tuple[float, float, float, float], faded: bool = False,
              variants: tuple[tuple[int, bool], ...] = VARIANTS, faint: bool = False) -> list[np.ndarray]:
    import cv2

    x0, y0, x1, y1 = box
    height = max(y1 - y0, 1.0)
    pad_x, pad_y = height * 0.35, height * 0.3
    h, w = image.shape[:2]
    left, right = max(0, int(x0 - pad_x)), min(w, int(round(x1 + pad_x)))
    top, bottom = max(0, int(y0 - pad_y)), min(h, int(round(y1 + pad_y)))
    if right - left < 4 or bottom - top < 4:
        return []
    crop = image[top:bottom, left:right]
    if crop.ndim == 3:
        crop = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    crop = _own_ink(crop, (x0 - left, y0 - top, x1 - left, y1 - top))
    # the cut-out is mostly paper, around and between its letters (measured before the border)
    paper = float(np.median(crop)) if faint else 0.0
    margin = int(height)  # paper around the ink: Tesseract misses text that touches the edge
    crop = cv2.copyMakeBorder(crop, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)
    images = []
    for target, binary in variants:
        scale = min(max(target / height, 0.25), 4.0)
        big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
        if faded:
            paper, dark = np.percentile(big, 90), np.percentile(big, 2)
            if paper - dark >= 20:
                ink = big.astype(np.float32) < dark + FADED_INK * (paper - dark)
                images.append(np.ascontiguousarray(np.where(ink, 0, 255).astype(np.uint8)))
        if binary:
            _, big = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        images.append(np.ascontiguousarray(big))
    if faint:
        scale = min(max(FAINT_HEIGHT / height, 0.25), 4.0)
        big = cv2.resize(crop, None, fx=scale, fy=scale,
                         interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC).astype(np.float32)
        for depth in FAINT_DEPTHS:
            stretched = np.clip((big - (paper - depth)) * (255.0 / depth), 0, 255)
            images.append(np.ascontiguousarray(stretched.astype(np.uint8)))
    return images


def _own_ink(crop: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """``crop`` (grey) with the ink that is not the value in ``box`` made paper: blots of ink
    that do not reach into the box (the label's last letter, the top of the line below) and
    rules (a cell's border, far taller than the text or a thin line far wider than it).
    Tesseract reads such ink into the value: a cell's rule just left of '22/11/2026' made it
    '[pani026' on every reading."""
    import cv2

    x0, y0, x1, y1 = box
    height = max(y1 - y0, 1.0)
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count <= 1 or not (ink == 0).any():
        return crop
    grow = 0.15 * height
    foreign = []
    for k in range(1, count):
        left, top, width, tall = stats[k][:4]
        reaches = left < x1 + grow and left + width > x0 - grow and top < y1 + grow and top + tall > y0 - grow
        # the cut-out is 1.6 box heights high: ink that tall is a rule, not a letter
        rule = tall > 1.3 * height or (width > (x1 - x0) + 0.4 * height and tall < 0.25 * height)
        if rule or not reaches:
            foreign.append(k)
    if not foreign:
        return crop
    out = crop.copy()
    out[np.isin(labels, foreign)] = int(np.median(crop[ink == 0]))
    return out


def _sums_hold(lines: list[dict], net: Decimal | None, total: Decimal | None) -> bool:
    line_sum = sum((item["amount"] for item in lines), Decimal(0))
    return any(target is not None and abs(line_sum - target) <= TOLERANCE for target in (net, total))


def repair_line_amounts(doc: Document, lines: list[dict], net: Decimal | None, total: Decimal | None,
                        decimal: str | None = None) -> list[int]:
    """A scanned line whose amount disagrees with its quantity x unit price, where the lines add
    up to the net (or total) only with quantity x unit price: OCR misread a digit of the amount,
    or the vendor misprinted it. Reading its ink again tells which: when every second reading
    says quantity x unit price, that is the amount (the line is marked ``reread``); when one
    says what the page's OCR read, the page prints it so and a person looks. ``lines`` change in
    place; returns the numbers (from 1) of the lines repaired."""
    from vision.parsing import find_amounts

    if not lines or (net is None and total is None) or _sums_hold(lines, net, total):
        return []
    off = [i for i, item in enumerate(lines)
           if item.get("quantity") is not None and item.get("unit_price") is not None
           and abs(item["quantity"] * item["unit_price"] - item["amount"]) > TOLERANCE]
    if len(off) != 1:
        return []
    item = lines[off[0]]
    expected = (item["quantity"] * item["unit_price"]).quantize(Decimal("0.01"))
    trial = [dict(x, amount=expected) if n == off[0] else x for n, x in enumerate(lines)]
    pages = [p for p in doc.pages if p.number == item.get("page") and p.source == "ocr"]
    if not _sums_hold(trial, net, total) or not pages:
        return []
    page = pages[0]
    printed = [w for w in page.words if (found := find_amounts(w.text, decimal)) and len(found) == 1
               and found[0][0] == item["amount"]]
    # the amount's own word: on the line that also prints the unit price
    prices = [w for w in page.words if any(v == item["unit_price"] for v, *_ in find_amounts(w.text, decimal))]
    printed = [w for w in printed if any(abs(p.cy - w.cy) < w.height * 0.8 and p.x1 < w.x0 for p in prices)]
    if len(printed) != 1:
        return []
    image = page_image(doc.path, page)
    if image is None:
        return []
    word = printed[0]
    (texts,) = readings(image, [(word.x0, word.y0, word.x1, word.y1)])
    said = [{v for v, *_ in find_amounts(text, decimal)} for text in texts]
    if not texts or not all(expected in values and item["amount"] not in values for values in said):
        return []
    item["reread"] = f"read {item['amount']} first; read again {len(texts)} times: {expected}, quantity x unit price"
    item["amount"] = expected
    return [off[0] + 1]


#: what a scan's reading of these has no sum behind it to confirm: each is read again first
CONFIRMED_BY_READING = ("invoice_number", "date", "due_date")
#: the dates an invoice prints: of issue and due
DATES = ("date", "due_date")
#: second readings that must say the value (and none another value of its form)
AGREEING = 2


def confirm_scanned(doc: Document, fields: dict, day_first: bool | None = None,
                    months: dict[str, int] | None = None, terms: tuple[int, ...] = ()) -> dict | None:
    """An invoice number or date (of issue or due) read from a scan has no arithmetic behind
    it: a digit taken for another, or a letter for a digit ('SI005435' read '51005435',
    'T04379' read '104379', a due date's 18 read 10), would be booked as it stands. So its ink
    is read again (``readings``): at least ``AGREEING`` of the readings must say exactly the
    value and none a value like it (a number one or two characters apart, another date); else
    the check fails and a person looks. A due date the page's payment ``terms`` keep with the
    date of issue needs one reading (``vouched_by_terms``). A value read from a text layer is
    exact and is not read again; nor one read at a learned spot
    (``vision.learned.confirm_by_reading_again`` does that, against the vendor's form).
    Returns the check, or None when no such value was read from a scan."""
    todo = [(name, fields[name]) for name in CONFIRMED_BY_READING
            if name in fields and fields[name].source not in ("learned", "template", "document")]

    def verdict(name: str, value: object, text: str) -> str:
        return (date_verdict if name in DATES else _number_verdict)(value, text, day_first, months)

    # a date printed with Chinese characters (2026年11月25日) is read again with the Chinese
    # model: the English one reads 年 as a 7 or a 4, which is another date
    return check_by_reading_again(doc, todo, verdict, "scan_reread",
                                  languages_of=lambda found: "chi_sim" if _CJK.search(found.text) else "eng",
                                  agreeing=vouched_by_terms(dict(todo), terms))


def vouched_by_terms(todo: dict[str, Field], terms: tuple[int, ...]) -> dict[str, int]:
    """How many readings again the due date needs when it keeps the payment terms (the vendor's
    or the page's) with the invoice date, which is read again in the same check and needs its
    ``AGREEING``: one. A figure of the due date misread would break the terms, so the date's
    readings and the terms stand for the second reading ('11.11.26' once beside 'LET 26' and
    '11-3126'); a reading that says another date still stops it."""
    return {"due_date": 1} if keeps_terms(todo.get("date"), todo.get("due_date"), terms) else {}


def keeps_terms(issued: Field | None, due: Field | None, terms: tuple[int, ...]) -> bool:
    """Are the invoice date and the due date both read, as dates one of the payment terms apart?"""
    return (bool(terms) and issued is not None and due is not None
            and all(isinstance(f.value, date) for f in (issued, due)) and (due.value - issued.value).days in terms)


def check_by_reading_again(doc: Document, todo: list[tuple[str, object]], verdict, check_name: str,
                           languages_of=lambda found: "eng", agreeing: dict[str, int] | None = None) -> dict | None:
    """The check ``check_name`` over the fields ``todo`` ((name, field) pairs) that were read
    from a scanned page with a box: each box is read again (``readings``, one Tesseract call
    per page and language), and ``verdict(name, value, text)`` says what each reading says
    ('same', 'other' or 'unclear'). A value passes when at least ``AGREEING`` readings (or
    ``agreeing[name]``: a caller whose sums already vouch for a value asks fewer) say 'same'
    and none 'other'. None when no field was read from a scan."""
    todo = [(name, found) for name, found in todo
            if getattr(found, "box", None) is not None and found.page is not None
            and 0 < found.page <= len(doc.pages) and doc.pages[found.page - 1].source == "ocr"]
    if not todo:
        return None
    doubts: list[str] = []
    confirmed: list[str] = []
    for number in sorted({f.page for _, f in todo}):
        boxed = [(name, f) for name, f in todo if f.page == number]
        image = page_image(doc.path, doc.pages[number - 1])
        if image is None:
            doubts += [f"{name} (page {number} could not be read again)" for name, _ in boxed]
            continue
        texts_of: dict[int, list[str]] = {}
        for languages in dict.fromkeys(languages_of(f) for _, f in boxed):
            mine = [n for n, (_, f) in enumerate(boxed) if languages_of(f) == languages]
            texts_of.update(zip(mine, readings(image, [boxed[n][1].box for n in mine], languages)))
        for n, (name, found) in enumerate(boxed):
            texts = texts_of[n]
            shown = found.value.isoformat() if hasattr(found.value, "isoformat") else str(found.value)
            said = [verdict(name, found.value, text) for text in texts]
            if said.count("same") >= (agreeing or {}).get(name, AGREEING) and "other" not in said:
                confirmed.append(f"{name} {shown}")
            elif _thresholding_alone_dissents(said) and _grey_says_the_same(
                    image, found.box, languages_of(found), lambda text: verdict(name, found.value, text)):
                confirmed.append(f"{name} {shown} (black on white read it otherwise, every grey reading as here)")
            else:
                doubts.append(f"{name} {shown} (read again: {' / '.join(repr(t) for t in texts) or 'nothing'})")
    if doubts:
        return {"name": check_name, "ok": False,
                "detail": f"read again, the scan does not say the same: {'; '.join(doubts)}; a person must look"}
    return {"name": check_name, "ok": True,
            "detail": f"read again at other scales, the scan says the same: {', '.join(confirmed)}"}


def _thresholding_alone_dissents(said: list[str]) -> bool:
    """Do the ``VARIANTS`` readings say the value in grey, every one, and another value only
    black-on-white (``said``: their verdicts, in ``VARIANTS`` order)?"""
    grey = [v for v, (_, binary) in zip(said, VARIANTS) if not binary]
    black = [v for v, (_, binary) in zip(said, VARIANTS) if binary]
    return len(grey) >= AGREEING and all(v == "same" for v in grey) and "other" in black


def _grey_says_the_same(image: np.ndarray, box: tuple[float, float, float, float], languages: str, verdict) -> bool:
    """Does every grey reading at the further sizes of ``GREY_AGAIN`` say the value
    (``verdict(text)``: 'same')? A digit grey reading took for another would rarely read the
    same at five sizes, as black-on-white can (a dotted zero read as a 6 at every size)."""
    (texts,) = readings(image, [box], languages, variants=GREY_AGAIN)
    return len(texts) == len(GREY_AGAIN) and all(verdict(text) == "same" for text in texts)


_EDGE = " :#.,;|[](){}'\"‘’“”"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _number_verdict(value: object, text: str, day_first: bool | None, months: dict[str, int] | None) -> str:
    """'same' when some run of the reading's words is the number exactly (spaces aside),
    'other' when one is one or two characters off it (a letter for a digit counts: on a scan,
    which one was printed is what is in doubt), else 'unclear' (a smudge, a label alone)."""
    from rapidfuzz.distance import Levenshtein

    wanted = re.sub(r"\s+", "", str(value)).strip(_EDGE)
    words = [w for w in (w.strip(_EDGE) for w in text.split()) if w]
    verdict = "unclear"
    # a word more for a space read into the number, another for a separator read as a word of
    # its own ('26 - 04560' of '26-04560', at another scale)
    span = len(str(value).split()) + 2
    for i in range(len(words)):
        for j in range(i + 1, min(i + span, len(words)) + 1):
            piece = "".join(words[i:j]).strip(_EDGE)
            if piece == wanted or _digit_read_as_letter(piece, wanted):
                return "same"
            # the number as the start or the end of a longer one ('FV/86672/2026' for 'FV/8667'):
            # the page's OCR cut it where the scan left a gap
            if (_NUMBER.fullmatch(piece) and len(piece) > len(wanted)
                    and any(re.search(r"\d", extra) for extra in _beyond(piece, wanted))):
                verdict = "other"
                continue
            # a reading with a sign no invoice number holds ('§909/PA') is a smudge, not a number
            if (_NUMBER.fullmatch(piece) and abs(len(piece) - len(wanted)) <= 2
                    and Levenshtein.distance(piece, wanted) <= 2):
                verdict = "other"
    return verdict


_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-/.]*\d[A-Za-z0-9_\-/.]*")


def _beyond(piece: str, wanted: str) -> list[str]:
    """What ``piece`` holds beyond ``wanted`` when it starts or ends with it."""
    return ([piece[len(wanted):]] if piece.startswith(wanted) else []) + (
        [piece[:-len(wanted)]] if piece.endswith(wanted) else [])
_AS_LETTER = {"0": "Oo", "1": "Il|"}


def _digit_read_as_letter(piece: str, wanted: str) -> bool:
    """'INV/O5503' for INV/05503: the reading differs only by an O for a 0 or an I for a 1
    among digits (no letter beside it), where a number prints a digit; beside a letter
    ('RO30874' or 'R030874') the letter may be what is printed, and that stays a doubt."""
    if len(piece) != len(wanted) or piece == wanted:
        return False
    for i, (got, want) in enumerate(zip(piece, wanted)):
        if got == want:
            continue
        beside = wanted[max(i - 1, 0):i] + wanted[i + 1:i + 2]
        if got not in _AS_LETTER.get(want, "") or any(c.isalpha() for c in beside):
            return False
    return True


def date_verdict(value: object, text: str, day_first: bool | None, months: dict[str, int] | None) -> str:
    """What a reading of a date's ink says of ``value``: 'same' when it gives that date,
    'other' when it gives dates and not that one, else what its figures alone say
    (``year_first_figures``); for the generic and the learned re-read checks alike."""
    from vision.parsing import find_dates

    found = {hit[0] for flag in (day_first, True, False) for hit in find_dates(text, flag, months)}
    return "same" if value in found else "other" if found else year_first_figures(value, text)


def year_first_figures(value: object, text: str) -> str:
    """What a reading of a date printed year first says by its figures alone, when the marks
    between them came out as other characters ('2026 年 10 有 03 日' of 2026年10月03日: 月 read
    as 有, which no date pattern reads): exactly three runs of digits, a year, then a month and
    a day of one or two digits each, are 'same' when they are ``value`` and 'other' when they
    are another date; anything else ('2026 年 003 日', a mark read as a digit: '20267 10 03')
    is 'unclear'. The check is about the digits; the garbled marks between them say nothing."""
    if not isinstance(value, date):
        return "unclear"
    runs = re.findall(r"\d+", text)
    if len(runs) != 3 or len(runs[0]) != 4 or not all(1 <= len(r) <= 2 for r in runs[1:]):
        return "unclear"
    try:
        read = date(int(runs[0]), int(runs[1]), int(runs[2]))
    except ValueError:
        return "unclear"
    return "same" if read == value else "other"
