"""Learned vendor templates: what a person's correction in review teaches about one vendor.

When an invoice is approved with corrections, ``learn`` writes down two things:

- **who the vendor is**: the name the person confirmed, and the tax ids and IBANs printed on
  the document outside the buyer's block (validated with python-stdnum, so an OCR slip or a
  phone number is never taken for one);
- **where each corrected field stood**: relative to the label beside or above it (the label's
  text, the direction, and the offset in text heights, so it holds at any resolution and
  for scans as for PDF text layers) and, as a fallback, as a region of the page. A corrected
  issuer or currency is remembered as the vendor's value; a currency confirmed as read as the
  vendor's usual one (``unless_printed``: an invoice printing another with its total goes to
  a person). A date or amount that only reads right with another convention (month first,
  decimal comma) teaches that convention.

The next document that names the vendor (one of its ids, or its name) is read with the
template: each learned field is taken from the learned spot, with ``source: learned``. A
learned amount never overrides arithmetic that disagrees with it (``keep_arithmetic``).

```yaml
# config/invoice_templates/learned/kestrel-analytics-bv.yaml
kind: learned
vendor: Kestrel Analytics BV
identify:
  names: [Kestrel Analytics BV]
  tax_ids: [NL004495445B01]
  ibans: [NL91ABNA0417164300]
options: {day_first: false}
fields:
  issuer: {value: Kestrel Analytics BV}
  currency: {value: EUR, unless_printed: true}
  amount:
    anchor: {text: "Te voldoen", direction: right, dx0: 21.4, dx1: 27.9, dy: 0.0}
    page: 1
    region: [0.71, 0.62, 0.92, 0.64]
    example: "1.234,56"
taught:
  - {review: 3f9a1c0d2b7e, by: alice, at: "2026-03-15T10:02:11+00:00", fields: [amount, issuer]}
```
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations
from pathlib import Path
from statistics import median
from typing import Any, Iterator

import yaml

from vision.document import Document, Line, Page, Word, box_of, overlap
from vision.errors import VisionError
from vision.fields import (LOOKALIKE_BY_DIGIT, LOOKALIKE_CONFIDENCE, MAX_ROUNDING, TOLERANCE, Field, Options,
                           clear_reprint)
from vision.lookalikes import DIGIT_OF
from vision.parsing import (OTHER_DOLLARS, PERCENT, currency_named, find_amounts, find_dates, parse_invoice_number,
                            printed_rates)
from vision.reread import DATES, keeps_terms
from vision.yamlfile import load_admin_yaml

AMOUNTS = ("amount", "amount_untaxed", "vat")
FIXED = ("issuer", "currency")  # the vendor's own values, not read from a spot
LEARNABLE = ("issuer", "invoice_number", "date", "due_date", "currency", "amount", "amount_untaxed", "vat")

# the buyer's block: ids printed there are the customer's, not the vendor's
_BUYER_LABEL = re.compile(r"^[\W_]*(?:bill(?:ed)?\s*to|invoice\s*to|ship(?:ped)?\s*to|sold\s*to|deliver(?:ed|y)?\s*to|"
                          r"buyer|customer|client|recipient|kunde|rechnungsempf|empfänger|acheteur|destinataire|"
                          r"factur[ée]\s*à|klant|afnemer|cliente|comprador|nabywca|购\s*买\s*方|客\s*户)", re.I)


#: letters whose accent is part of the letter, so that Unicode leaves no plain letter behind it:
#: a scan read without that language's model prints the plain one ('Zakład' read 'Zaklad')
_PLAIN_LETTER = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})


def fold(text: str) -> str:
    """Case, accents, spacing and punctuation removed: how names and ids are compared."""
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in text.casefold().translate(_PLAIN_LETTER) if c.isalnum())


def words_of(text: str) -> str:
    """Folded words separated by single spaces: names compared word for word."""
    text = unicodedata.normalize("NFKD", str(text)).casefold().translate(_PLAIN_LETTER)
    return " ".join("".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c)).split())


def letters(text: str) -> str:
    """The letters of a label: digits and punctuation vary between invoices ("Tax 19%")."""
    return "".join(c for c in unicodedata.normalize("NFKD", str(text)).casefold() if c.isalpha())


# ------------------------------------------------------------------------------ identity


#: a Chinese unified social credit code (USCC): 8 digits, then 9 characters of this alphabet and
#: its check character; it never prints I, O, S, V or Z
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: letters a scan reads for the digits they look like, where a USCC prints only digits
_DIGIT_LOOKALIKES = str.maketrans("IOSZBG", "105286")


def _id_kind(compact: str) -> tuple[str, str] | None:
    """(kind, the id) of a run of letters and digits that is a valid tax id or IBAN, else None.
    A USCC the scan misread is given back as printed (``_uscc_mended``)."""
    kind = _kind_as_read(compact)
    if kind is not None:
        return kind, compact
    mended = _uscc_mended(compact)
    return ("tax_id", mended) if mended else None


def _uscc_mended(read: str) -> str | None:
    """A USCC as printed, from a reading with one character off: a digit read as the letter it
    looks like in its first eight (mended, then proven by the check character), or one
    character its alphabet never prints in the rest (J read I, 1 read I): the one character the
    check allows in its place. Only the USCC's own shape is mended this way."""
    from stdnum.cn import uscc

    if len(read) != 18:
        return None
    head = read[:8].translate(_DIGIT_LOOKALIKES)
    if not head.isdigit():
        return None
    tail = read[8:]
    foreign = [k for k, c in enumerate(tail) if c not in _USCC_ALPHABET]
    if not foreign:
        return head + tail if head != read[:8] and uscc.is_valid(head + tail) else None
    if len(foreign) > 1 or head != read[:8]:
        return None  # two characters off: the check character can settle only one
    k = foreign[0]
    fits = [head + tail[:k] + c + tail[k + 1:] for c in _USCC_ALPHABET]
    fits = [code for code in fits if uscc.is_valid(code)]
    return fits[0] if len(fits) == 1 else None


def _read_one_off(printed: str, compact: str) -> bool:
    """Is USCC ``printed`` in ``compact`` (a page's letters and digits) as a scan may read it,
    one character off the way ``_uscc_mended`` gives back?"""
    if len(printed) != 18 or not printed[:8].isdigit():
        return False
    for anchor, offset in ((printed[:6], 0), (printed[-6:], 12)):
        for m in re.finditer(re.escape(anchor), compact):
            start = m.start() - offset
            if start >= 0 and _uscc_mended(compact[start: start + 18]) == printed:
                return True
    return False


def _kind_as_read(compact: str) -> str | None:
    from stdnum import iban
    from stdnum.ch import uid
    from stdnum.cn import uscc
    from stdnum.eu import vat
    from stdnum.gb import vat as gb_vat
    from stdnum.in_ import gstin

    if len(compact) < 8 or len(compact) > 34 or not any(c.isdigit() for c in compact):
        return None
    if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", compact) and iban.is_valid(compact):
        return "iban"
    if re.fullmatch(r"[A-Z]{2}[0-9A-Z]{8,12}", compact):
        if compact.startswith("GB") and gb_vat.is_valid(compact):
            return "tax_id"
        if not compact.startswith("GB") and vat.is_valid(compact):
            return "tax_id"
    if compact.startswith("CHE") and uid.is_valid(compact):
        return "tax_id"
    if len(compact) == 18 and uscc.is_valid(compact):
        return "tax_id"
    if len(compact) == 15 and gstin.is_valid(compact):
        return "tax_id"
    return None


def _in_buyer_block(page: Page, index: int, x0: float, x1: float) -> bool:
    lines = page.lines
    line = lines[index]
    for seg in line.segments:
        if seg.x1 <= x0 + 1 and _BUYER_LABEL.match(seg.text):
            return True
    h = line.height
    for above in reversed(lines[max(0, index - 6): index]):
        if line.y0 - above.y1 > h * 8:
            break
        for seg in above.segments:
            if seg.x0 < x1 + h * 2 and seg.x1 > x0 - h * 2 and re.search(r"[^\W\d_]{2}", seg.text):
                if _BUYER_LABEL.match(seg.text):
                    return True
    return False


#: marks a scan reads at the edges of a word, around an id, that are not part of it
_GLUED_MARKS = "()[]{}|;,'\"‘’“”"


def find_ids(doc: Document, skip_buyer: bool = True) -> dict[str, list[str]]:
    """Tax ids and IBANs printed on the document (checksums verified), outside the buyer's
    block unless ``skip_buyer`` is False: ``{"tax_ids": [...], "ibans": [...]}``."""
    found: dict[str, list[str]] = {"tax_ids": [], "ibans": []}
    for page in doc.pages:
        for index, line in enumerate(page.lines):
            words = [w for seg in line.segments for w in seg.words]
            for i in range(len(words)):
                compact = ""
                for j in range(i, min(i + 9, len(words))):
                    # a bracket or mark the scan glued to the id ('91110108MA01234567)') is no part of it
                    compact += re.sub(r"[\s.\-/:]", "", words[j].text.strip(_GLUED_MARKS)).upper()
                    if not re.fullmatch(r"[A-Z0-9]*", compact):
                        break
                    identified = _id_kind(compact)
                    if identified is None:
                        continue
                    kind, printed = identified
                    if skip_buyer and _in_buyer_block(page, index, words[i].x0, words[j].x1):
                        break
                    bucket = found["ibans" if kind == "iban" else "tax_ids"]
                    if printed not in bucket:
                        bucket.append(printed)
                    break
    return found


# ------------------------------------------------------------------------------ where values stand


@dataclass
class Anchor:
    text: str        # the label as printed when it was learned
    dx0: float       # value left - label left, in text heights
    dx1: float       # value right - label right
    dy: float        # value centre - label centre (positive: below)
    #: the label printed in several places on the page that taught it ('Dated' in three boxes,
    #: 'Data de' twice where the scan cut the rest off): which of them, in reading order (from 1),
    #: and how many there were; None when printed once
    nth: int | None = None
    of: int | None = None

    @property
    def key(self) -> str:
        return letters(self.text)

    @property
    def direction(self) -> str:
        if abs(self.dy) < 0.6:
            return "right" if self.dx0 >= 0 else "left"
        return "below" if self.dy > 0 else "above"


@dataclass
class Spot:
    """Where one field's value stood: relative to a label, and as a page region."""

    page: int
    region: tuple[float, float, float, float]  # left, top, right, bottom as fractions of the page
    anchor: Anchor | None = None
    example: str = ""
    words: int = 1  # how many words the value spans (an invoice number printed "INV 2026 0042")
    corrected: bool = False  # the reader without a template got this field wrong


@dataclass
class LearnedField(Field):
    """A value read at a learned spot, with the box it was read from (to read it again)."""

    box: tuple[float, float, float, float] | None = field(default=None, repr=False)


@dataclass
class _Candidate:
    value: Any
    box: tuple[float, float, float, float]
    conf: float
    text: str
    page: int
    words: list[Word] = field(default_factory=list)


REGION_ONLY_CONFIDENCE = 0.55  # below the default threshold (0.6): a value found by region alone is not booked
CAP_HEIGHT = 0.72  # of the font size, in most Latin fonts


def page_unit(page: Page) -> float:
    """The text height offsets are measured in: the height of capitals in the page's body
    text (the median word, so one odd box cannot skew it). OCR boxes hug the ink, so a word's
    box is about that high; a PDF text layer's boxes are the font size, of which capitals take
    ~0.72. So a template learned from a scan reads PDFs and back, at any resolution."""
    heights = [w.height for w in page.words if sum(c.isalnum() for c in w.text) >= 2] or [w.height for w in page.words]
    height = max(median(heights), 1e-6) if heights else 1.0
    return height * CAP_HEIGHT if page.source == "text" else height


def candidates(page: Page, name: str, opts: Options, span: int = 1) -> list[_Candidate]:
    """Every value on ``page`` that reads as field ``name`` (amounts, dates, numbers)."""
    out: list[_Candidate] = []
    for line in page.lines:
        for seg in line.segments:
            if name in AMOUNTS:
                text = seg.text
                found = []
                for value, _, a, b in find_amounts(_mask_dates(text), opts.decimal):
                    used = seg.words_in(a, b)
                    if used:
                        found.append(_Candidate(value, box_of(used), min(w.conf for w in used), text[a:b], page.number,
                                                used))
                out += _split_decimals(seg.words, found, opts, page.number)
            elif name in DATES:
                for value, certainty, a, b in find_dates(seg.text, opts.day_first):
                    used = seg.words_in(a, b)
                    if used:
                        # a date is as sure as its digits: the 年 月 日 between them, which a scan
                        # reads faintly (0.30), say nothing the digits do not (and a learned date
                        # on a scan is read again before it is booked)
                        digits = [w for w in used if not _CJK_MARKS.fullmatch(w.text)] or used
                        out.append(_Candidate(value, box_of(used), min(w.conf for w in digits) * certainty,
                                              seg.text[a:b], page.number, used))
            elif name == "invoice_number":
                words = seg.words
                for i in range(len(words)):
                    run = words[i:i + span]
                    if len(run) < span:
                        break
                    text = " ".join(w.text for w in run)
                    value = parse_invoice_number(text) if span == 1 else _spaced_number(text)
                    if not value and span == 1:
                        value = parse_invoice_number(_dollar_as_s(text))
                    if value and not _whole_date(text):
                        out.append(_Candidate(value, box_of(run), min(w.conf for w in run), text, page.number, run))
    return out


_S_AS_DOLLAR = re.compile(r"\$(?=[A-Z0-9]*\d[A-Z0-9/\-]*$)")


def _dollar_as_s(text: str) -> str:
    """A number's S that a scan read as a dollar sign ('$1001361' of 'SI001361') written as
    an S: whether it is that letter or a 5, the vendor's example says (``settle_lookalikes``)."""
    return _S_AS_DOLLAR.sub("S", text, count=1) if text.startswith("$") else text


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
#: a word of Chinese characters alone (年, 月, 日 between a date's digits)
_CJK_MARKS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]+")

#: a number that ends in a decimal mark ('84.609,'): its cents may stand apart as the next word
_CUT_AT_MARK = re.compile(r"\d[\d.,' ]*\d([.,])")


def _split_decimals(words: list[Word], found: list[_Candidate], opts: Options, page: int) -> list[_Candidate]:
    """``found`` (the amounts of one piece of text) with an amount that OCR split after its
    decimal mark ('EUR 84.609, 74' for 84.609,74: a space read into the print) read whole, in
    place of the part before the split, which lost its cents. Only the vendor's decimal mark
    (or either, when not learned) followed by exactly two digits close by; the sums still
    decide whether such an amount is booked (``keep_arithmetic``)."""
    out = list(found)
    for before, after in zip(words, words[1:]):
        cut = _CUT_AT_MARK.fullmatch(before.text)
        if (cut is None or not re.fullmatch(r"\d{2}", after.text) or (opts.decimal and cut.group(1) != opts.decimal)
                or not 0 <= after.x0 - before.x1 < before.height):
            continue
        joined = before.text + after.text
        read = find_amounts(joined, opts.decimal)
        if len(read) != 1 or read[0][2] != 0 or read[0][3] != len(joined):
            continue
        out = [c for c in out if not any(w is before or w is after for w in c.words)]
        out.append(_Candidate(read[0][0], box_of([before, after]), min(before.conf, after.conf), joined, page,
                              [before, after]))
    return out


def _whole_date(text: str) -> bool:
    found = find_dates(text)
    return bool(found) and found[0][3] - found[0][2] >= len(text.strip(" :#.,")) - 1


def shape(text: str) -> str:
    """'N116423' -> 'A9', 'V-2026/17' -> 'A-9/9': how a vendor writes its numbers."""
    return re.sub(r"\d+", "9", re.sub(r"[^\W\d_]+", "A", str(text).strip()))


def _split_by_a_space(page: Page, spot: Spot) -> list[_Candidate]:
    """Numbers of the vendor's form that a scan read as two words or three ('26-' and '04572'
    of '26-04572': a space read into the print, where the vendor prints none), read whole: the
    words one after the other, less than a character apart, whose text together has the form
    and length of the vendor's ``spot.example`` and whose first alone has not. A gap the
    vendor prints ('INV 2026 0042') is learned as words of the value, and read as such."""
    if " " in spot.example:
        return []
    out = []
    for line in page.lines:
        for seg in line.segments:
            # a space read into it, or one on each side of a separator ('26 - 06933')
            for i, extra in ((i, extra) for extra in (1, 2) for i in range(len(seg.words) - spot.words - extra + 1)):
                run = seg.words[i:i + spot.words + extra]
                gaps = [b.x0 - a.x1 for a, b in zip(run, run[1:])]
                joined = "".join(w.text for w in run).strip(" :#")
                if (max(gaps) >= max(w.height for w in run) or _same_form(run[0].text.strip(" :#"), spot.example)
                        or not _same_form(joined, spot.example) or len(joined) != len(spot.example)):
                    continue
                out.append(_Candidate(joined, box_of(run), min(w.conf for w in run), joined, page.number, run))
    return out


def _spaced_number(text: str) -> str | None:
    text = text.strip(" :#")
    return text if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _\-/.]{1,59}", text) and re.search(r"\d", text) else None


def _mask_dates(text: str) -> str:
    for _, _, a, b in reversed(find_dates(text)):
        text = text[:a] + " " * (b - a) + text[b:]
    return text


_AS_DIGIT = str.maketrans(DIGIT_OF)
#: digits a scan reads where a (folded) letter was printed, and back: names compare the same either way
_DIGIT_AS_LETTER = str.maketrans("1058", "losb")
#: letters a scan reads as a digit (a till's T as a 1, an L as a 1): a number of the vendor's
#: form is written back with the letter the vendor's example has there
_AS_LETTER = {"0": "OD", "1": "ITL", "5": "S", "8": "B", "2": "Z", "6": "G", "7": "T"}


def _same(name: str, got: Any, want: Any) -> bool:
    if name in AMOUNTS:
        return isinstance(got, Decimal) and abs(got - Decimal(str(want))) <= Decimal("0.005")
    if name in DATES:
        return got == want
    if name == "invoice_number":  # the person's "R017494" is where the scan read "RO17494"
        return fold(got).upper().translate(_AS_DIGIT) == fold(want).upper().translate(_AS_DIGIT)
    return fold(got) == fold(want)


def settle_lookalikes(text: str, example: str) -> str | None:
    """``text`` with each letter-or-digit a scan makes look alike (O/0, I/1, T/1, S/5, B/8)
    written as the vendor's confirmed number ``example`` writes that position; None when the
    example cannot tell (another length, or the classes still disagree)."""
    if len(text) != len(example):
        return None if LOOKALIKE_BY_DIGIT.search(text) else text
    out = []
    for c, e in zip(text, example):
        if c.isalpha() and e.isdigit() and c.translate(_AS_DIGIT).isdigit():
            out.append(c.translate(_AS_DIGIT))
        elif c.isdigit() and e.isalpha() and e.upper() in _AS_LETTER.get(c, ""):
            out.append(e)
        else:
            out.append(c)
    settled = "".join(out)
    if any(c.isdigit() != e.isdigit() for c, e in zip(settled, example) if c.isalnum() and e.isalnum()):
        return None
    return settled


#: capital letters a scan takes one for another in a number's series code (a serif T whose
#: bar the scan thinned read as an I, an I read as an l): only within one of these groups is a
#: letter the vendor's fixed one misread, never between them ('FT A' and 'FT B' are two series)
_LETTERS_ALIKE = ("ITl",)


def _alike_letters(read: str, printed: str) -> bool:
    return read.upper() != printed.upper() and any(read in g and printed in g for g in _LETTERS_ALIKE)


def _keeps_padding(number: str, example: str) -> bool:
    """Is each run of digits the vendor pads with zeros (one that begins with a 0 in its
    confirmed ``example``: 'INV/03792', 'SI009199') as long in ``number``?"""
    runs, padded = re.findall(r"\d+", number), re.findall(r"\d+", example)
    return len(runs) == len(padded) and all(len(r) == len(p) for r, p in zip(runs, padded) if p[0] == "0")


def in_vendors_form(text: str, example: str) -> str | None:
    """``text`` (a number read from a scan) written in the form of the vendor's confirmed number
    ``example``, when a scan's slip explains every difference and only one reading of it is
    the vendor's form: a letter or digit that look alike (``settle_lookalikes``); a letter of
    the vendor's series code read as one it looks like ('FT FI26/7967' of a vendor writing
    'FT FT26/…'); a zero read twice, as 'O0' ('INV/O03241' of a vendor padding to five digits:
    'INV/03241'). None when nothing or more than one reading fits: a person looks."""
    settled = settle_lookalikes(text, example)
    if settled is not None and _same_form(settled, example) and _keeps_padding(settled, example):
        return settled
    tries = [text]
    if len(text) == len(example) + 1 and re.search(r"(?<!\d)0\d", example):
        tries = [text[:i] + text[i + 1:] for i in range(len(text))
                 if text[i] in "Oo" and "0" in text[max(0, i - 1):i] + text[i + 1:i + 2]]
    fits = set()
    for tried in tries:
        if len(tried) != len(example):
            continue
        lettered = "".join(e if c.isalpha() and e.isalpha() and _alike_letters(c, e) else c
                           for c, e in zip(tried, example))
        mended = settle_lookalikes(lettered, example)
        if mended is not None and _same_form(mended, example) and _keeps_padding(mended, example):
            fits.add(mended)
    return fits.pop() if len(fits) == 1 else None


def _anchor_for(page: Page, box: tuple[float, float, float, float], unit: float,
                across: bool = False) -> Anchor | None:
    """The label of a value: the text just left of it on its line, else the text above it.
    ``across`` (amounts): a value in a row of figures ('Razem: 7 119,26  23%  1 637,43') whose
    neighbours on the left are other figures of the row, with no heading just above it, is
    labelled by the row's own label further left (the sums check what such a spot reads)."""
    lines = page.lines
    cy = (box[1] + box[3]) / 2
    own = min(range(len(lines)), key=lambda i: abs((lines[i].y0 + lines[i].y1) / 2 - cy)) if lines else None
    if own is None:
        return None
    left = [w for seg in lines[own].segments for w in seg.words if w.x1 <= box[0] + unit * 0.2]
    if not left:  # a scan left slightly skewed puts a far label on a line of its own
        beside = [w for w in page.words if w.x1 <= box[0] + unit * 0.2
                  and abs(w.cy - cy) <= unit * 0.6 + (box[0] - w.x1) * _SKEW and letters(w.text)]
        if beside:
            nearest = max(beside, key=lambda w: w.x1)
            row = next(line for line in lines if any(w is nearest for seg in line.segments for w in seg.words))
            left = [w for seg in row.segments for w in seg.words if w.x1 <= nearest.x1]
    while left and (_CURRENCY_MARK.fullmatch(left[-1].text.strip(" :")) or not left[-1].text.strip(" :|.-_")):
        left.pop()  # "EUR 1,234.00", a stray mark: the label is further left
    label: list[Word] = []
    for w in reversed(left):  # the run of words next to the value, up to a wide gap
        if label and _apart(w, label[0], unit):
            break
        label.insert(0, w)
        if len(label) >= 6:
            break
    if not label or len(letters(" ".join(w.text for w in label))) < 2:
        label = _row_label(left, unit, page.text, box[0]) if across else []
    over: list[Word] = []
    for above in reversed(lines[max(0, own - 3): own]):
        if box[1] - above.y1 > unit * 4:
            break
        if _speckle(above, unit):
            continue
        for seg in above.segments:
            # another value above it ('INV/04263', the number over the date whose label the
            # scan garbled) is no heading: it changes on every invoice. Nor is an amount with its
            # currency's letters ('22 734,29 Kč' over the tax): they name no field
            heading = " ".join(w.text for w in seg.words if not re.search(r"\d", w.text))
            if (seg.x0 < box[2] + unit and seg.x1 > box[0] - unit and len(letters(heading)) >= 2
                    and not _another_value(seg.words)):
                over = seg.words
                break
        if over:
            break
    # the nearer of the two is the label: a heading just above beats text far off to the left
    # (another column, the buyer's address), text beside the value beats a line further up
    if label and over and _another_value(label):
        return _anchor(over, box, unit)
    if label and over:
        left_gap = (box[0] - label[-1].x1) / unit
        up_gap = (box[1] - max(w.y1 for w in over)) / unit
        return _anchor(over if up_gap <= 1.5 and left_gap > 4 else label, box, unit)
    if label or over:
        return _anchor(label or over, box, unit)
    return None


#: digits in a run of words left of a value that make it another value (a phone number, an
#: account, an id), not a label: labels print a few at most ('Total incl. 19% VAT', 'Box 2')
VALUE_DIGITS = 5


def _another_value(words: list[Word]) -> bool:
    """Is the text left of a value another value, not its label: a date (the invoice date
    beside the due date in a row of dates under their headings) or a run of digits (the
    seller's 'Tel. 925 461 468' beside the number)? A date changes on every invoice, so a
    label made of one is never found again; the heading above the value is its label."""
    text = " ".join(w.text for w in words)
    return bool(find_dates(text)) or sum(c.isdigit() for c in text) >= VALUE_DIGITS


def _speckle(line: Line, unit: float) -> bool:
    """Is ``line`` the specks of a ruled line that OCR made words of ('ESA  A  ROE' under a
    table's headings): a line far lower than text, every word of it doubted? A heading the scan
    garbled is still as high as text."""
    words = [w for seg in line.segments for w in seg.words]
    return line.height < unit / 2 and all(w.conf < DOUBTED for w in words)


def _place_among_repeats(page: Page, anchor: Anchor, box: tuple[float, float, float, float], unit: float) -> Anchor:
    """``anchor`` with which of its label's places it is, when the page prints the label more
    than once: on the next invoice the same place is read, not the one whose value happens to
    fit the offset best (the due date's 'Data de' box for the invoice date's)."""
    runs = _label_runs(page, anchor.key)
    if len(runs) < 2:
        return anchor
    # where the label stood: the value's box less the learned offsets
    x0, cy = box[0] - anchor.dx0 * unit, (box[1] + box[3]) / 2 - anchor.dy * unit
    nearest = min(range(len(runs)), key=lambda i: abs(box_of(runs[i])[0] - x0)
                  + abs((box_of(runs[i])[1] + box_of(runs[i])[3]) / 2 - cy))
    return replace(anchor, nth=nearest + 1, of=len(runs))


def _row_label(left: list[Word], unit: float, page_text: str = "", value_x0: float | None = None) -> list[Word]:
    """The label of a row of figures, read leftwards from a value past the other figures of
    its row (amounts, rates, currency marks: words without letters) and past what the scan
    garbled there (a word read at confidence under ``GARBLED``: a '¥' read as a letter; a
    single character set against the value, at ``value_x0``, with no space: its currency mark
    read as a letter, '¥' as '对', however sure): the run of words, up to a wide gap, that ends
    at the first word read with letters; [] when the row has none."""
    rest = list(left)
    while rest and (not letters(rest[-1].text) or rest[-1].conf < GARBLED
                    or _CURRENCY_MARK.fullmatch(rest[-1].text.strip(" :"))
                    or (value_x0 is not None and len(rest[-1].text.strip()) == 1
                        and value_x0 - rest[-1].x1 < unit * 0.3)):
        value_x0 = rest[-1].x0
        rest.pop()
    label: list[Word] = []
    for w in reversed(rest):
        if label and _apart(w, label[0], unit):
            break
        label.insert(0, w)
        if len(label) >= 6:
            break
    # only a totals row's own label ('Razem:', 'Total'): a line row's words ('ust.' of its unit
    # column) would label one line's net, tax and gross, which add up as the totals do
    return label if _names_a_total(" ".join(w.text for w in label), page_text) else []


#: the gap, in text heights, beyond which two words are two pieces of text, not one label
LABEL_GAP = 2.5
#: and between two single Chinese characters: a form spreads a label of two over its cell ('合   计')
SPREAD_LABEL_GAP = 5.0


def _apart(left: Word, right: Word, unit: float) -> bool:
    """Are ``left`` and ``right`` too far apart to be words of one label?"""
    spread = all(len(w.text.strip()) == 1 and _is_han(w.text.strip()) for w in (left, right))
    return right.x0 - left.x1 > unit * (SPREAD_LABEL_GAP if spread else LABEL_GAP)


def _names_a_total(text: str, page_text: str) -> bool:
    """Is ``text`` a label of the totals (the whole of it, bar punctuation) in the language of
    the page? 'ust.' is German for VAT, and the unit column of a Polish line row."""
    from vision.lexicon import fold as fold_label, load_lexicons

    lex = load_lexicons()
    folded = fold_label(text).strip(" :.")
    languages = lex.detect(page_text)
    if not folded or not languages:
        return False
    found = lex.match(folded, AMOUNTS, prefer=languages[0][0])  # 'Total' is English and French alike
    return found is not None and not letters(folded[found.end:]) and found.language == languages[0][0]


def _amount_label_rank(text: str, name: str, page_text: str) -> int:
    """0 when the label ``text`` begins with a label of amount ``name`` in the language of the
    page ('TOTAL' for the total), 2 when with another amount's ('SUBTOTAL'), else 1."""
    from vision.lexicon import fold as fold_label, load_lexicons

    lex = load_lexicons()
    languages = lex.detect(page_text)
    found = lex.match(fold_label(text).strip(" :."), AMOUNTS, prefer=languages[0][0] if languages else None)
    return 1 if found is None else 0 if found.field == name else 2


def _spells_a_label(text: str) -> bool:
    """Two letters or more, or a Chinese character ('合' of a totals row whose 计 a scan garbled)."""
    spelled = letters(text)
    return len(spelled) >= 2 or bool(_CJK.search(spelled))


def _anchor(label: list[Word], box: tuple[float, float, float, float], h: float) -> Anchor:
    a = box_of(label)
    text = re.sub(r"\s+", " ", " ".join(w.text for w in label)).strip()
    return Anchor(text, round((box[0] - a[0]) / h, 2), round((box[2] - a[2]) / h, 2),
                  round(((box[1] + box[3]) - (a[1] + a[3])) / 2 / h, 2))


#: OCR confidence under which a word is taken for garble, not a label to find again
GARBLED = 0.5
_SKEW = 0.05  # vertical drift per unit of horizontal distance a scan may keep after deskewing (~3 degrees)
_CURRENCY_MARK = re.compile(r"[A-Z]{3}|[$€£¥₹]|US\$|Rs\.?|[A-Z]{3}[$€£¥₹]")
_NUMERIC_DATE = re.compile(r"(?<![\d.\-/])(\d{1,2})([-/.])(\d{1,2})[-/.](?:\d{4}|\d{2})(?![\d.\-/])")


def _date_order(text: str) -> bool | None:
    """day_first as a printed numeric date shows it (13/02 or 02/13), else None."""
    m = _NUMERIC_DATE.search(text)
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(3))
    return True if a > 12 >= b else False if b > 12 >= a else None


def _page_date_order(page: Page, like: str) -> bool | None:
    """The date order the other numeric dates on the page show, written with the same
    separator as ``like`` ("06.06.26" says nothing; "05.29.26" beside it does)."""
    m = _NUMERIC_DATE.search(like)
    if not m:
        return None
    orders = {_date_order(x.group(0)) for x in _NUMERIC_DATE.finditer(page.text) if x.group(2) == m.group(2)}
    orders.discard(None)
    return orders.pop() if len(orders) == 1 else None


def _label_runs(page: Page, key: str) -> list[list[Word]]:
    """Runs of words on ``page`` whose letters spell the label ``key`` (OCR slips allowed).
    When none does, runs that end a line with most of it ("Drawn" of a "Drawn up" that the
    scan broke over two lines)."""
    from rapidfuzz import fuzz

    exact, runs, inner, starts, longer = [], [], [], [], []
    for line in page.lines:
        words = [w for seg in line.segments for w in seg.words]
        firsts = {id(seg.words[0]) for seg in line.segments}
        for i in range(len(words)):
            if not letters(words[i].text):
                continue
            # "date" inside "Due date" is another label than "Dated": a run that follows a word of
            # its own text piece is taken only when no piece starts with the label
            inside = id(words[i]) not in firsts and bool(letters(words[i - 1].text))
            acc = ""
            near = None
            for j in range(i, min(i + 8, len(words))):
                acc += letters(words[j].text)
                if acc == key:
                    (inner if inside else exact).append(words[i:j + 1])
                    near = None
                    break
                if near is None and len(key) >= 5 and abs(len(acc) - len(key)) <= 2 and fuzz.ratio(acc, key) >= 85:
                    near = words[i:j + 1]  # unless the words go on to spell it exactly
                if len(acc) > len(key) + 2:
                    break
                if (j == i and not inside and len(key) >= 4 and acc.startswith(key) and len(acc) - len(key) <= 2
                        and letters(words[j].text) == acc):
                    longer.append(words[i:j + 1])  # 'Fecha' of a label the teaching scan read 'Fech'
                if (key.startswith(acc) and len(acc) >= max(4, 0.6 * len(key)) and letters(words[j].text)
                        and not any(letters(w.text) for w in words[j + 1:j + 2] if w.x0 - words[j].x1 < w.height)):
                    starts.append(words[i:j + 1])
            if near is not None:
                (inner if inside else runs).append(near)
    # the label spelled exactly where the page prints it so: 'Invoice' of 'Invoice Total' or
    # 'SALES INVOICE' is one OCR slip from 'Invoice No.' too, and made the label seem printed
    # four times, of which later invoices read another number
    # a label the teaching scan cut short by a letter or two ('Fech' of 'Fecha'), as one word
    # that spells it and no more than two letters on
    return exact or runs or inner or starts or longer


def _every_print(page: Page, key: str) -> list[list[Word]]:
    """Every run of words on ``page`` that spells the label ``key``, however it does (exactly,
    with an OCR slip, inside a piece of text, glued to a mark before it), top to bottom."""
    from rapidfuzz import fuzz

    found: list[list[Word]] = []
    for line in page.lines:
        words = [w for seg in line.segments for w in seg.words]
        last: tuple[int, bool] | None = None  # where the line's last run ends, and whether it spells the key
        for i in range(len(words)):
            if not letters(words[i].text):
                continue
            acc = ""
            for j in range(i, min(i + 8, len(words))):
                acc += letters(words[j].text)
                if acc == key or (len(key) >= 5 and abs(len(acc) - len(key)) <= 2 and fuzz.ratio(acc, key) >= 85):
                    if last is not None and i <= last[0]:  # the same print ('N&' 'Factura', and 'Factura')
                        if last[1] or acc != key:
                            break
                        found.pop()
                    found.append(words[i:j + 1])
                    last = (j, acc == key)
                    break
                if len(acc) > len(key) + 2:
                    break
    return found


#: how far, in text heights, a print of a learned label may stand from where the value's learned
#: page region and offset put it, to be taken for that label when the page prints it another
#: number of times than the page that taught it
PLACE_REACH = 3.0


def _learned_prints(page: Page, spot: Spot) -> list[list[Word]]:
    """The prints of ``spot``'s label on ``page`` that may be its label: all of them, or, for a
    label the page that taught it printed several times (``Anchor.of``), the one in the learned
    place among them. A later scan may read one of those prints another way ('Nº Factura' read
    '|NeFactura' or 'N& Factura' beside the title 'FACTURA', which it read exactly): the label
    then seems printed once, and which print is the spot was unknown, so the value was never
    found. Then the print is taken that stands where the learned page region and offset put
    the label, within ``PLACE_REACH`` text heights, when only one does."""
    a = spot.anchor
    runs = _label_runs(page, a.key)
    if not a.of:
        if len(runs) > 1:
            # printed once when taught, several times now: a label the teaching scan garbled past
            # its first words ('Data de c=!=-S0') spells the start of every 'Data de ...' label of
            # the page, and the value under the other one (the due date) fitted as well
            near = _in_learned_place(page, spot, runs)
            return near if len(near) == 1 else runs
        spelled = letters(" ".join(w.text for w in runs[0])) if runs else ""
        if spelled and spelled != a.key and a.key.startswith(spelled):
            # only the label's first words, once: another label of the page may start so (the
            # invoice date's label lost, the due date's 'Data de' left): only in the learned place
            return _in_learned_place(page, spot, runs)
        return runs
    if len(runs) == a.of:
        return [runs[a.nth - 1]]
    near = _in_learned_place(page, spot, _every_print(page, a.key))
    return near if len(near) == 1 else []


def _in_learned_place(page: Page, spot: Spot, runs: list[list[Word]]) -> list[list[Word]]:
    """Those of ``runs`` (prints of ``spot``'s label) that stand where the learned page region
    and offset put the label, within ``PLACE_REACH`` text heights; none on another page."""
    if page.number != spot.page:
        return []
    a = spot.anchor
    h = page_unit(page)
    left, top, right, bottom = spot.region
    x0, cy = left * page.width - a.dx0 * h, (top + bottom) / 2 * page.height - a.dy * h
    x1 = right * page.width - a.dx1 * h
    return [run for run in runs
            if abs((box_of(run)[1] + box_of(run)[3]) / 2 - cy) <= PLACE_REACH * h
            and min(abs(box_of(run)[0] - x0), abs(box_of(run)[2] - x1)) <= PLACE_REACH * h]


def locate(doc: Document, name: str, value: Any, opts: Options) -> tuple[Spot | None, Options]:
    """Where ``value`` of field ``name`` stands in ``doc``, and the reading conventions it
    needs (day-first dates, decimal comma) when the default reading gives another value."""
    trials = [opts]
    if name in DATES:
        trials += [Options(opts.decimal, flag, opts.date_format, opts.currency) for flag in (True, False)]
    if name in AMOUNTS:
        trials += [Options(mark, opts.day_first, opts.date_format, opts.currency) for mark in (",", ".")]
    span = len(str(value).split()) if name == "invoice_number" else 1
    # a scan may set a space inside a number ('FT FT2 6/6599' of 'FT FT26/6599'): one word more
    spans = (span, span + 1) if name == "invoice_number" else (span,)
    for trial, page, words in ((t, p, n) for t in trials for p in doc.pages for n in spans):
        if words != span and page.source != "ocr":
            continue
        hits = [c for c in candidates(page, name, trial, words)
                if _same(name, c.value, value) or _read_as_lookalike(page, name, c.value, value)]
        if not hits:
            continue
        unit = page_unit(page)
        # a row label only for amounts, and only a totals row's (``_names_a_total``): taught on a
        # one-line invoice, a line row's unit column ('ust.') once labelled the totals, and later
        # invoices booked one line's net, tax and gross (pl_faktura, blind seed 25000)
        placed = [(hit, _anchor_for(page, hit.box, unit, across=name in AMOUNTS)) for hit in hits]
        # a value with a label beside or above it is the one to learn, the first such. An
        # amount printed twice (the net of a one-line invoice is also that line's amount,
        # under the column's heading) is learned where a label stands beside it. Not the
        # lowest: a 'remaining to pay' row under the total equals it only while nothing is paid
        # Among labels beside it, the one the page's language gives this amount, else one it
        # gives no amount: with nothing discounted or taxed, a till prints its total beside an
        # item and SUBTOTAL first, and every later invoice would have read those for it
        # A total printed again below a rounding line (`Total Incl. GST 340.55` / `Rounding Adj
        # 0.00` / `NETT TOTAL 340.55`) is the amount due: rounded by nothing on this day only, the
        # total above the rounding is another amount on the vendor's next receipt
        rounded_later = _before_a_rounding(page, [hit for hit, _ in placed]) if name == "amount" else set()
        hit, anchor = min(placed, key=lambda ha: (
            ha[1] is None,
            name in AMOUNTS and ha[1] is not None and ha[1].direction not in ("left", "right"),
            id(ha[0]) in rounded_later,
            _amount_label_rank(ha[1].text, name, page.text) if name in AMOUNTS and ha[1] is not None else 0))
        if anchor is not None:
            anchor = _place_among_repeats(page, anchor, hit.box, unit)
        if name in DATES and trial.day_first is None:
            order = _date_order(hit.text)
            order = order if order is not None else _page_date_order(page, hit.text)
            if order is None and len(_readings(hit.text)) > 1:
                # 06.11.26 confirmed as 6 November: the person's value shows the vendor's order
                order = bool(find_dates(hit.text, True)[0][0] == value)
            trial = Options(trial.decimal, order, trial.date_format, trial.currency)
        region = _page_region(page, hit.box)
        # a number's example is the value a person confirmed, not how the scan spelled it
        example = str(value) if name == "invoice_number" else hit.text
        return Spot(page.number, region, anchor, example, span), trial
    if name in DATES and isinstance(value, date):
        spot, needed = _locate_garbled_date(doc, value, opts)
        if spot is None:
            spot, needed = _locate_month_cut_short(doc, value) or _locate_date_in_pieces(doc, value, opts), opts
        if spot is None:
            spot, needed = _locate_date_by_its_ink(doc, value, opts)
        return spot, needed
    return None, opts


def _before_a_rounding(page: Page, hits: list[_Candidate]) -> set[int]:
    """The ids of ``hits`` (one amount printed in several places) with a line naming a rounding
    (the lexicon's 'Rounding Adj', 'Rundung', ``vision.receipts._names_a_rounding``) between them
    and a later hit: the total before rounding, not the amount due."""
    from vision.lexicon import load_lexicons
    from vision.receipts import _names_a_rounding

    if len(hits) < 2:
        return set()
    lex = load_lexicons()
    conv = lex.conventions(page.text)
    lines = page.lines
    rounding_at = [(line.y0 + line.y1) / 2 for line in lines if _names_a_rounding(line, lex, conv)]
    if not rounding_at:
        return set()
    middles = [(hit.box[1] + hit.box[3]) / 2 for hit in hits]
    lowest = max(middles)
    return {id(hit) for hit, middle in zip(hits, middles) if any(middle < at < lowest for at in rounding_at)}


#: how many characters a number the scan misread may differ from the one a person set, at most
#: (and at most a third of it): 'FT 6/4959' for 'FT FT26/4959', '0005027' for '0005827'; an order
#: or customer number beside it differs in more
MISREAD_EDITS = 3


def _where_misread(doc: Document, name: str, read: Any, value: Any, opts: Options) -> tuple[Spot | None, Options]:
    """The spot of an invoice number the scan that taught it misread ('0005027' for the
    '0005827' a person set): where the reader's own value stood beside a label, when it is
    the number misread, a few characters off, not another number of the page. The spot keeps
    the person's value as its example, so a later number read there must have the vendor's
    form and is read again before it is booked."""
    from rapidfuzz.distance import Levenshtein

    if all(p.source == "text" for p in doc.pages):
        return None, opts
    if name in DATES:
        return _where_date_misread(doc, name, read, value, opts)
    if name != "invoice_number" or read in (None, ""):
        return None, opts
    read, value = str(read), str(value)
    edits = Levenshtein.distance(read.upper(), value.upper())
    if edits == 0 or edits > min(MISREAD_EDITS, len(value) // 3):
        return None, opts
    spot, needed = locate(doc, name, read, opts)
    if spot is None or spot.anchor is None:
        return None, opts  # no label beside it: the reader's guess, not the vendor's spot
    return replace(spot, example=value, words=len(value.split())), needed


def _where_date_misread(doc: Document, name: str, read: Any, value: Any, opts: Options) -> tuple[Spot | None, Options]:
    """The spot of a date the scan that taught it misread by one digit ('10 Sep 2026' where
    18 Sep 2026 is printed, a blurred 8 taken for a 0): where the reader's own date stood
    beside a label, when it is the only place the page reads that date (another date of the
    page that happens to be one digit off the confirmed one is not its spot). Later dates read
    there keep the vendor's payment terms and are read again before they are booked."""
    from rapidfuzz.distance import Levenshtein

    if not isinstance(read, date) or not isinstance(value, date) or read == value:
        return None, opts
    if Levenshtein.distance(read.isoformat(), value.isoformat()) != 1:
        return None, opts
    spot, needed = locate(doc, name, read, opts)
    if spot is None or spot.anchor is None or doc.pages[spot.page - 1].source != "ocr":
        return None, opts
    prints = [c for page in doc.pages for c in candidates(page, name, needed) if c.value == read]
    if len(prints) != 1:
        return None, opts
    return spot, needed


def _read_as_lookalike(page: Page, name: str, read: Any, value: Any) -> bool:
    """A number a scan read with a letter taken for a digit or back ('104643' for a till's
    'T04643'), position by position as the person confirmed it: the same glyphs, so its spot is
    learned there, and later numbers read at it are written back in the vendor's form
    (``settle_lookalikes``). A text layer has no such slips."""
    return (name == "invoice_number" and page.source != "text"
            and settle_lookalikes(str(read), str(value)) == str(value))


#: a numeric date as its digits, and the order each writing implies (None: year first)
_DATE_DIGITS = (("%m%d%Y", False), ("%d%m%Y", True), ("%m%d%y", False), ("%d%m%y", True), ("%Y%m%d", None))


def _locate_garbled_date(doc: Document, value: date, opts: Options) -> tuple[Spot | None, Options]:
    """The spot of a date the scan printed with a separator lost ("1121-2026" for 11-21-2026):
    a word of digits and separators that reads as no date, whose digits are exactly those of
    the date the person confirmed written in one order. Another date of the block (the order
    placed, a few days earlier) has other digits, so it is never taken for it. Failing that, a
    scanned word all but one of whose digits are the date's, the only one of the page."""
    exact = _garbled_date_spot(doc, value, opts, digits_off=0)
    if exact[0] is not None:
        return exact
    # one digit misread too ('32.1126' for 22.11.26: a 2 read as 3, the marks lost), where it is
    # the page's only such word beside a label: no other word of the page spells that date
    return _garbled_date_spot(doc, value, opts, digits_off=1)


def _garbled_date_spot(doc: Document, value: date, opts: Options, digits_off: int) -> tuple[Spot | None, Options]:
    """``_locate_garbled_date``'s search, the digits exactly the confirmed date's (``digits_off``
    0) or all but one of them, and that word the only one of the page."""
    found: list[tuple[Spot, Options]] = []
    for page in doc.pages:
        if digits_off and page.source != "ocr":
            continue  # a text layer prints what the vendor typed: no digit of it is misread
        unit = page_unit(page)
        for line in page.lines:
            for seg in line.segments:
                for word in seg.words:
                    text = word.text.strip(" :.,;")
                    if not re.fullmatch(r"\d[\d\-/.]{4,12}\d", text) or find_dates(text):
                        continue
                    digits = re.sub(r"\D", "", text)
                    orders = {flag for fmt, flag in _DATE_DIGITS if _digits_apart(value.strftime(fmt), digits) == digits_off}
                    if len(orders) != 1:
                        continue
                    day_first = orders.pop()
                    fmt = next(f for f, flag in _DATE_DIGITS
                               if flag == day_first and _digits_apart(value.strftime(f), digits) == digits_off)
                    mark = (re.findall(r"[\-/.]", text) or ["/"])[0]
                    example = value.strftime(mark.join("%" + c for c in fmt.replace("%", "")))
                    anchor = _anchor_for(page, box_of([word]), unit)
                    if anchor is None:
                        continue  # a lone string of digits with no label: not sure enough to learn
                    region = _page_region(page, box_of([word]))
                    needed = Options(opts.decimal, day_first if opts.day_first is None else opts.day_first,
                                     opts.date_format, opts.currency)
                    if not digits_off:
                        return Spot(page.number, region, anchor, example, 1), needed
                    found.append((Spot(page.number, region, anchor, example, 1), needed))
    return found[0] if len(found) == 1 else (None, opts)


def _digits_apart(printed: str, read: str) -> int:
    """How many digits of ``read`` differ from ``printed``'s, place by place (-1: not as many)."""
    return sum(a != b for a, b in zip(printed, read)) if len(printed) == len(read) else -1


def _month_cut_short(piece: str, month: int) -> str | None:
    """The name of ``month`` (any lexicon's) of which ``piece`` is what a scan kept, one letter
    lost at either end ('an' of Jan: a descending J the page's OCR put on the line above), as
    the page would print it; None when it is no such piece, or also one of another month's."""
    from vision.parsing import _default_months

    folded = piece.casefold()
    if len(folded) < 2 or not folded.isalpha():
        return None
    names = _default_months()
    if folded in names:
        return None  # a whole month name: a date the reader would have read
    kept = {n: m for n, m in names.items() if len(n) == len(folded) + 1 and folded in (n[1:], n[:-1])}
    if set(kept.values()) != {month}:
        return None
    whole = min(kept)
    return whole.upper() if piece.isupper() else whole.capitalize()


def _locate_month_cut_short(doc: Document, value: date) -> Spot | None:
    """The spot of a date whose month name the scan cut short by a letter ('07 an 2027' for
    07 Jan 2027), beside a label: the day and year as the person confirmed them on either side
    of what is left of that month's name, and of no other month's. The spot is read again on
    later invoices where the page's reading loses the month (``read_spot_again``)."""
    for page, seg in _scanned_segments(doc):
        words = [w.text.strip(" :.,;") for w in seg.words]
        for i in range(len(words) - 2):
            day, piece, year = words[i:i + 3]
            if not (day.isdigit() and int(day) == value.day and year == str(value.year)):
                continue
            month = _month_cut_short(piece, value.month)
            spot = None if month is None else _labelled_spot(page, seg.words[i:i + 3], f"{day} {month} {year}")
            if spot is not None:
                return spot
    return None


def _scanned_segments(doc: Document) -> Iterator[tuple[Page, Any]]:
    """Each piece of text of each line OCR read on ``doc``'s scanned pages, with its page."""
    for page in doc.pages:
        if page.source == "ocr":
            for line in page.lines:
                for seg in line.segments:
                    yield page, seg


def _labelled_spot(page: Page, words: list[Word], example: str) -> Spot | None:
    """The spot of a value a scan read as ``words``, by the label beside or above it; None
    when it has none (a date with no label: not sure enough to learn)."""
    box = box_of(words)
    anchor = _anchor_for(page, box, page_unit(page))
    if anchor is None:
        return None
    return Spot(page.number, _page_region(page, box), anchor, example, 1)


def _page_region(page: Page, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """``box`` (pixels) as fractions of ``page``'s width and height: where a spot stands on any scan."""
    return (round(box[0] / page.width, 4), round(box[1] / page.height, 4),
            round(box[2] / page.width, 4), round(box[3] / page.height, 4))


#: the longest piece of garble a scan may read into a date between its parts ('Cc' of '11 Oct Cc 2026')
STRAY_LETTERS = 2
#: OCR's own confidence under which letters it read between a date's parts are garble at any
#: length: a skewed scan read the rule beside '27 de noviembre de 2026' as 'assinme' at 0.00
GARBLE_CONFIDENCE = 0.1
#: the most words a date a scan garbled may be read as: five of '27 de noviembre de 2026' and
#: as many pieces of garble again between them
DATE_RUN_WORDS = 10


def _date_pieces(words: list[str], value: date, day_first: bool | None) -> str | None:
    """The date ``value`` as a scan that garbled it printed it, made whole from ``words`` (one
    run of words of a line, each stripped), or None: a few stray letters read between its parts
    ('11 Oct Cc 2026': a speck read as 'Cc'), or a separator read as a space ('25 10.26' of
    25.10.26, the dot lost: the other separator tells which). The whole run must be the date
    and read as nothing else: the value and only it, in one order. An empty word is garble the
    caller told (``_garble``)."""
    if len(words) < 2 or not words[0][:1].isdigit() or not words[-1][-1:].isdigit():
        return None
    tries = []
    kept = [w for w in words[1:-1] if w and not (w.isalpha() and len(w) <= STRAY_LETTERS)]
    if len(kept) < len(words) - 2:  # stray letters between the parts, taken out
        tries.append(" ".join([words[0], *kept, words[-1]]))
    marks = set(re.findall(r"[\-/.]", "".join(words)))
    if len(words) == 2 and len(marks) == 1 and all(re.fullmatch(r"[\d\-/.]+", w) for w in words):
        tries.append(marks.pop().join(w.strip("-/.") for w in words))  # a separator read as a space
    for text in tries:
        found = find_dates(text, day_first)
        if (len(found) == 1 and found[0][0] == value and found[0][2] == 0 and found[0][3] >= len(text) - 1
                and (day_first is not None or len(_readings(text)) <= 1)):
            return text
    return None


def _locate_date_in_pieces(doc: Document, value: date, opts: Options) -> Spot | None:
    """The spot of a date the scan read in pieces the reader takes for no date
    (``_date_pieces``), beside or under a label. Another date of the block (the order placed, a
    few days earlier) reads as another value, so it is never taken for it. On a later invoice
    the spot is read as any learned date is, and read again from its ink where the scan garbles
    it once more (``read_spot_again``). The run may go on past a gap OCR split the line at: the
    garble of a skewed scan ('27 A de an noviembre wm assinme kh' and 'de 2026')."""
    for page in doc.pages:
        if page.source != "ocr":
            continue
        for line in page.lines:
            read = [w for seg in line.segments for w in seg.words]
            words = ["" if _garble(w) else w.text.strip(" :,;") for w in read]
            for i in range(len(words) - 1):
                for j in range(i + 2, min(i + DATE_RUN_WORDS, len(words)) + 1):
                    text = _date_pieces(words[i:j], value, opts.day_first)
                    if text is None or find_dates(" ".join(w.text for w in read[i:j]), opts.day_first):
                        continue
                    spot = _labelled_spot(page, read[i:j], text)
                    if spot is not None:
                        return spot
    return None


#: how far right of a date's last figure read its ink is read again, in text heights: a scan
#: may lose the year at the end ('22 Nov' of 22 Nov 2026), whose ink is still there
DATE_TAIL = 4.5
_MONTH_LIKE = re.compile(r"[^\W\d_]{3,9}\.?")


def _garbled_date_runs(page: Page, value: date) -> list[list[Word]]:
    """The runs of words of a scanned ``page`` that may be the date ``value`` OCR garbled:
    within one piece of a line, from a word with a figure to the last word with one (and a
    month's name after it), that no date pattern reads (a date read is the reader's, right or
    wrong), with the day's figures among their digits (a misread mark leaves the figures; the
    day is the date's most telling part), and not an amount with its cents."""
    runs = []
    for line in page.lines:
        for seg in line.segments:
            figured = [i for i, w in enumerate(seg.words) if re.search(r"\d", w.text)]
            for start in figured:
                end = max(figured)
                while (end + 1 < len(seg.words) and end - max(figured) < 2
                       and _MONTH_LIKE.fullmatch(seg.words[end + 1].text)):
                    end += 1  # a month's name after the last figure ('22 Nov', its year lost)
                run = seg.words[start:end + 1]
                text = " ".join(w.text for w in run)
                digits = re.sub(r"\D", "", text)
                if (len(run) <= DATE_RUN_WORDS and (len(digits) >= 2 or len(run) > 1) and len(digits) <= 14
                        and str(value.day) in digits and not find_dates(text)
                        and not re.fullmatch(r"[\d.,' ]*\d[.,]\d\d", text.strip())):
                    runs.append(run)
                break  # one run a piece: from its first figure
    return runs


def _last_ink(image, box: tuple[float, float, float, float]) -> float:
    """The right edge of the ink in ``box`` of a page ``image`` (its x in the page's pixels)."""
    import cv2
    import numpy as np

    x0, y0, x1, y1 = (int(round(v)) for v in box)
    crop = image[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    if crop.size == 0:
        return box[2]
    if crop.ndim == 3:
        crop = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    inked = np.flatnonzero((ink > 0).sum(axis=0) >= 2)  # a lone dot of the paper is no stroke
    return float(max(0, x0) + inked[-1] + 1) if inked.size else box[2]


def _label_as_its_ink_reads(image, anchor: Anchor, value: tuple[float, float, float, float], unit: float,
                            languages: str) -> Anchor:
    """``anchor`` of a date found by its ink, with the label's own ink read again when the
    first reading of the scan garbled it too ('FMAM:' of 开票日期:, the line read in the wrong
    script): later scans look for the label as printed, and never meet the garble again. Taken
    only when at least ``SPOT_READINGS_AGREEING`` readings spell the same date label of the
    lexicons and the first reading spelled none."""
    from vision.lexicon import fold as fold_label
    from vision.lexicon import load_lexicons
    from vision.reread import readings

    lexicons = load_lexicons()
    if lexicons.match(fold_label(anchor.text), DATES):
        return anchor
    cy = (value[1] + value[3]) / 2 - anchor.dy * unit
    box = (value[0] - anchor.dx0 * unit, cy - unit * 0.7, value[2] - anchor.dx1 * unit, cy + unit * 0.7)
    (texts,) = readings(image, [box], languages)
    labels = [text.strip(" |:;,.") for text in texts if lexicons.match(fold_label(text.strip(" |:;,.")), DATES)]
    agreeing = [text for text in labels if sum(letters(other) == letters(text) for other in labels) >= SPOT_READINGS_AGREEING]
    return replace(anchor, text=agreeing[0]) if agreeing else anchor


def _locate_date_by_its_ink(doc: Document, value: date, opts: Options) -> tuple[Spot | None, Options]:
    """The spot of a date the teaching scan garbled past every pattern ('2026119110' of
    2026年11月11日, its marks read as figures; '22 Nov' with the year lost), found by reading
    its ink again (``vision.reread``): the run of words whose cut-out at least
    ``SPOT_READINGS_AGREEING`` readings say is the date the person confirmed, none another
    date, beside a label. The page must hold one such run only: a delivery date printed the
    same day is not told from it. Later invoices read the spot as any learned date (the
    vendor's payment terms, a reading again before booking)."""
    from vision.reread import page_image, readings

    found: list[tuple[Spot, Options]] = []
    for page in doc.pages:
        runs = _garbled_date_runs(page, value) if page.source == "ocr" else []
        image = page_image(doc.path, page) if runs else None
        if image is None:
            continue
        unit = page_unit(page)
        boxes = []
        for run in runs:
            x0, y0, x1, y1 = box_of(run)
            after = [w.x0 for w in page.words if w.x0 > x1 and abs(w.cy - (y0 + y1) / 2) < unit / 2]
            boxes.append((x0, y0, min([x1 + DATE_TAIL * unit] + [x - LABEL_CLEARANCE * unit for x in after]), y1))
        # a line printing Chinese marks its dates with them too (年 月 日): read in Chinese
        cjk = [any(_CJK.search(w.text) for w in page.words if abs(w.cy - (b[1] + b[3]) / 2) < unit) for b in boxes]
        said_by_box: list[list[str]] = [[] for _ in boxes]
        for languages in ("eng", "chi_sim"):
            chosen = [i for i, c in enumerate(cjk) if c == (languages == "chi_sim")]
            if chosen:
                for i, texts in zip(chosen, readings(image, [boxes[i] for i in chosen], languages)):
                    said_by_box[i] = texts
        for run, box, texts, in_cjk in zip(runs, boxes, said_by_box, cjk):
            said = [_readings(t) if opts.day_first is None else {f[0] for f in find_dates(t, opts.day_first)}
                    for t in texts]
            if {d for one in said for d in one} != {value} or sum(1 for one in said if one) < SPOT_READINGS_AGREEING:
                continue
            # the spot is the ink read, to its last stroke: a year the first reading lost is part of it
            inked = (box[0], box[1], _last_ink(image, box), box[3])
            anchor = _anchor_for(page, inked, unit)
            if anchor is None:
                continue
            anchor = _label_as_its_ink_reads(image, anchor, inked, unit, "chi_sim" if in_cjk else "eng")
            text = next(t for t, one in zip(texts, said) if one)
            order = _date_order(text)
            needed = opts if opts.day_first is not None or order is None else Options(
                opts.decimal, order, opts.date_format, opts.currency)
            found.append((Spot(page.number, _page_region(page, inked), anchor, text.strip(), 1), needed))
    return found[0] if len(found) == 1 else (None, opts)


def _garble(word: Word) -> bool:
    """Letters OCR read but itself doubts to be any: the ink of a rule or a speck, not a word."""
    return word.text.isalpha() and word.conf < GARBLE_CONFIDENCE


def _readings(text: str) -> set[date]:
    """The dates a numeric date can be, read day first and month first (one when both agree)."""
    return {found[0][0] for found in (find_dates(text, flag) for flag in (True, False)) if found}


def _order_by_terms(text: str, due: date, terms: tuple[int, ...]) -> date | None:
    """The one reading of an ambiguous date (06.11.26) that stands one of the vendor's
    ``terms`` (days) before the due date, as on the invoices a person confirmed; None when
    both or neither do."""
    fits = [d for d in _readings(text) if (due - d).days in terms]
    return fits[0] if len(fits) == 1 else None


_CENTS = re.compile(r"\d[.,]\d{2}\s*\S{0,3}$")


def _fits(a: Anchor, label: tuple[float, float, float, float], value: tuple[float, float, float, float],
          h: float) -> float | None:
    """How far ``value`` stands from where ``a`` puts it beside ``label`` (x error + 2 y error,
    in text heights), or None when it is too far to be the learned spot."""
    dx0 = (value[0] - label[0]) / h
    dx1 = (value[2] - label[2]) / h
    dy = ((value[1] + value[3]) - (label[1] + label[3])) / 2 / h
    # text heights differ a little between a text layer and a scan: allow a share
    y_err = abs(dy - a.dy)
    x_err = min(abs(dx0 - a.dx0), abs(dx1 - a.dx1))
    reach = max(abs(a.dx0), abs(a.dx1))
    if y_err > max(0.8, 0.3 * abs(a.dy)) + _SKEW * reach or x_err > max(3.0, 0.35 * reach):
        return None
    return x_err + 2 * y_err


def _label_beginnings(label: str) -> set[str]:
    """The letters of the label's first words, each a beginning at least 4 letters long, short
    of the whole label ('data', 'datade' of 'Data de vencimento')."""
    words = label.split()
    return {start for k in range(1, len(words)) if len(start := letters(" ".join(words[:k]))) >= 4}


def _under_garbled_label(doc: Document, name: str, spot: Spot, opts: Options, other_labels: list[str],
                         taken: list[tuple[float, float, float, float]] | None = None) -> tuple[_Candidate, str] | None:
    """The one value of ``name`` that has, where the learned label stood relative to it, a
    piece of text about as long as the label that spells nothing the vendor's other labels
    spell ('Srcteeny' where 'Written' was printed: the scan garbled the label, not the
    value). None when no value or several values have such a piece of text.

    ``taken``: the boxes of the values the other fields were read from, when they are all
    read. A piece of text that spells the label's first words only ('Data de' of 'Data de
    vencimento': the scan lost the rest of a small bold label) then counts too, though it may
    spell another field's label as well ('Data de' of 'Data de emissão'): the value that
    field took is left out instead. When several values still have such a piece of text (two
    dates under 'Data de' each, the scan having lost 'emissão' and 'vencimento' both), the one
    in the page region where the vendor prints the field is taken, if only one is."""
    a = spot.anchor
    beginnings = _label_beginnings(a.text) if taken is not None else set()
    fits: list[tuple[_Candidate, str]] = []
    in_region: list[tuple[_Candidate, str]] = []
    number = name == "invoice_number"
    for page in doc.pages:
        h = page_unit(page)
        for c in candidates(page, name, opts, spot.words):
            if taken and any(overlap(c.box, box) > 0.5 for box in taken):
                continue
            if number and not (page.source == "ocr" and _same_form(str(c.value), spot.example)
                               and (re.search(r"[^\W\d_]", spot.example)
                                    or page.number == spot.page and _in_region(page, spot.region, c.box))):
                # no sum checks a number: only one of the vendor's form, read again before it is
                # booked; a form of digits alone (a phone number may have as many) where the
                # vendor prints its number
                continue
            ccy = (c.box[1] + c.box[3]) / 2
            x0, x1, cy = c.box[0] - a.dx0 * h, c.box[2] - a.dx1 * h, ccy - a.dy * h
            near = [w for w in page.words if letters(w.text) and abs(w.cy - cy) <= 0.8 * h
                    and w.x1 > x0 - h and w.x0 < x1 + h and not any(w is v for v in c.words)]
            if not near:
                continue
            near.sort(key=lambda w: w.x0)
            text = letters(" ".join(w.text for w in near))
            if _fits(a, box_of(near), c.box, h) is None:
                continue
            if text not in beginnings:
                if not 0.5 * len(a.key) <= len(text) <= 2 * len(a.key):
                    continue
                if any(_spells(text, key) or _cut_short_of(key, text, a.key) for key in other_labels):
                    continue  # another field's label: its value, not this one
            fits.append((c, " ".join(w.text for w in near)))
            if page.number == spot.page and _in_region(page, spot.region, c.box):
                in_region.append(fits[-1])
    if len(fits) == 1:
        return fits[0]
    return in_region[0] if len(in_region) == 1 else None


def _cut_short_of(key: str, text: str, own: str) -> bool:
    """Whether ``text`` is the label another field learned as ``key`` from a scan that cut
    its last letters off ('Fech' of 'Fecha'): the text begins with it, and this field's own
    label does not (a due date's 'Fecha de vencimiento' beside the date's 'Fecha')."""
    return len(key) >= 4 and text.startswith(key) and not own.startswith(key)


def _spells(text: str, key: str) -> bool:
    from rapidfuzz import fuzz

    return text == key or (len(key) >= 5 and abs(len(text) - len(key)) <= 2 and fuzz.ratio(text, key) >= 85)


def read_spot(doc: Document, name: str, spot: Spot, opts: Options,
              terms: tuple[date, tuple[int, ...]] | None = None, garbled: list[str] | None = None,
              taken: list[tuple[float, float, float, float]] | None = None) -> Field | None:
    """The value of ``name`` at the learned ``spot`` in ``doc``: next to a matching label at
    the learned offset; a value learned without a label, inside the learned page region.
    ``terms`` (the due date read, the vendor's days to pay) settle an invoice date whose order
    this vendor's template never saw. ``garbled`` (the vendor's other labels), when given:
    a label the scan garbled beyond recognition is looked for at the learned offset from each
    value (``_under_garbled_label``); only for a field a check still confirms (amounts: the
    sums; dates: the vendor's payment terms; a number: its ink read again). ``taken``: the
    boxes the other fields' values were read from, once they all are (see
    ``_under_garbled_label``)."""
    best: tuple[float, _Candidate] | None = None
    if spot.anchor is not None and spot.anchor.key:
        a = spot.anchor
        label_seen = False
        for page in doc.pages:
            if not _label_runs(page, a.key):
                continue
            label_seen = True
            # printed as often as when taught, or the print in the learned place
            runs = _learned_prints(page, spot)
            found = candidates(page, name, opts, spot.words)
            if name == "invoice_number" and spot.example and page.source == "ocr":
                found += _split_by_a_space(page, spot)
            h = page_unit(page)
            for run in runs:
                lb = box_of(run)
                for c in found:
                    score = _fits(a, lb, c.box, h)
                    if score is None:
                        continue
                    score += 0.5 if page.number != spot.page else 0
                    if name == "invoice_number" and spot.example and shape(c.text) != shape(spot.example):
                        score += 3  # the vendor's numbers keep their form (prefix, separators)
                    if name in AMOUNTS and _CENTS.search(spot.example) and not _CENTS.search(c.text):
                        score += 3  # and its amounts their cents: '5205' of an IBAN beside 'VAT' is none

                    if best is None or score < best[0]:
                        best = (score, c)
        detail = ""
        if best is None and not label_seen and garbled is not None:
            found_garbled = _under_garbled_label(doc, name, spot, opts, garbled, taken)
            if found_garbled is not None:
                best = (0.0, found_garbled[0])
                detail = f"its label {a.text!r} read as {found_garbled[1]!r}"
        if best is None:
            return None  # the label is not where it was: no guess from the region
        c = best[1]
        conf = c.conf * (0.9 if detail else 0.98)
        value = c.value
        scanned = any(p.number == c.page and p.source != "text" for p in doc.pages)
        if name == "invoice_number" and scanned:
            settled = in_vendors_form(str(value), spot.example) if spot.example else None
            if settled is None:
                conf = min(conf, LOOKALIKE_CONFIDENCE)  # "RO17494" or "R017494": a person looks
            else:
                if settled != settle_lookalikes(str(value), spot.example):
                    detail = (detail + "; " if detail else "") + f"read {value!r}, written in the vendor's form"
                value = settled
        if name == "invoice_number" and spot.example and not _same_form(str(value), spot.example):
            # the best the spot offers is not of the vendor's form ('FT FT2' where it writes
            # 'FT FT26/1866': a number the scan split and cut short); reading it again only says
            # the same cut-short text, so a person looks
            conf = min(conf, LOOKALIKE_CONFIDENCE)
            detail = (detail + "; " if detail else "") + f"not of the vendor's form ({spot.example!r})"
        lost = _figure_lost(name, c.text, spot) if scanned else None
        if lost:
            conf = min(conf, LOOKALIKE_CONFIDENCE)
            detail = (detail + "; " if detail else "") + lost
        if (name in DATES and opts.day_first is None and _NUMERIC_DATE.search(c.text)
                and _date_order(c.text) is None and len(_readings(c.text)) > 1):
            settled = _order_by_terms(c.text, *terms) if terms and name == "date" else None
            if settled is None:
                conf = min(conf, 0.5)  # 03/04: this vendor's date order was never seen; a person decides
            else:
                value = settled  # only one reading keeps the vendor's payment terms
        return LearnedField(value, conf, "learned", c.page, c.text, detail=detail, box=c.box)
    if spot.page > len(doc.pages):
        return None
    page = doc.pages[spot.page - 1]
    left, top, right, bottom = spot.region
    cx, cy = (left + right) / 2 * page.width, (top + bottom) / 2 * page.height
    for c in candidates(page, name, opts, spot.words):
        if _in_region(page, spot.region, c.box):
            distance = abs((c.box[1] + c.box[3]) / 2 - cy) * 4 + abs((c.box[0] + c.box[2]) / 2 - cx)
            if best is None or distance < best[0]:
                best = (distance, c)
    if best is None:
        return None
    c = best[1]
    # a spot learned from one page without a label to hold on to may hold another value next
    # time (another field, a longer list): it suggests, a person confirms
    return LearnedField(c.value, min(c.conf * 0.9, REGION_ONLY_CONFIDENCE), "learned", c.page, c.text, box=c.box)


#: second readings of a learned spot's ink that must give its value, none giving another
SPOT_READINGS_AGREEING = 2
#: paper, in text heights, kept between a label and the spot read again right of it
LABEL_CLEARANCE = 0.3
#: how far right of its label a garbled date's ink is read again, in text heights: '22 Nov 2026'
#: is ~6, and a vendor may print its dates in a column well right of their labels
DATE_BESIDE_LABEL = 24


def read_spot_again(doc: Document, name: str, spot: Spot, opts: Options) -> LearnedField | None:
    """The value of ``name`` read from the ink where the vendor prints it, when the scan's OCR
    found the learned label but nothing of the field's kind beside it: the value's letters were
    misread or lost ('Tax Dat 25 Sen cP 2026', 'Due date lov 2026'). The template knows where the
    value stands and what it looks like, so that ink is read again (``vision.reread``): at least
    ``SPOT_READINGS_AGREEING`` readings must give one value of the field's kind (a date of the
    vendor's order, an amount, a number of the vendor's form) and none another. Booked only
    behind the checks any learned value has: the sums for an amount, the vendor's payment
    terms for a date, a third reading for a number or date (``confirm_by_reading_again``)."""
    from vision.reread import page_image, readings

    a = spot.anchor
    if a is None or not a.key:
        return None
    for page in doc.pages:
        if page.source != "ocr":
            continue
        runs = _learned_prints(page, spot)
        if len(runs) != 1:
            continue  # which of the labels is the spot is unknown
        h = page_unit(page)
        label = box_of(runs[0])
        cy = (label[1] + label[3]) / 2 + a.dy * h
        # the learned edges, each widened by the drift ``_fits`` allows a value read the first time
        x0, x1 = label[0] + a.dx0 * h - h, label[2] + a.dx1 * h + h
        if a.direction == "right":
            # but never back over the label's own last letters: 'date' of 'Due date' cut into
            # the spot read 'e 13.10.26' and '€.13210.26', and no two readings agreed
            x0 = max(x0, label[2] + LABEL_CLEARANCE * h)
        if x1 - x0 < 2 * h:
            continue
        box = (max(0.0, x0), cy - h / 2, min(page.width, x1), cy + h / 2)
        if any(overlap(box, box_of([w])) > 0.5 for w in runs[0]):
            continue  # the spot and its label overlap: reading it would read the label
        return _read_box_again(doc, page, box, name, spot, opts)
    return None


def _ink_read(doc: Document, page: Page, box: tuple[float, float, float, float], name: str, spot: Spot,
              opts: Options) -> tuple[list[str], list[set]] | None:
    """The readings of the ink in ``box`` (``vision.reread.readings``) and the values of
    ``name``'s kind each gives; None when the page has no image to read."""
    from vision.reread import page_image, readings

    image = page_image(doc.path, page)
    if image is None:
        return None
    (texts,) = readings(image, [box], "chi_sim" if _CJK.search(spot.example) else "eng")
    return texts, [_values_read(name, text, spot, opts) for text in texts]


def _read_box_again(doc: Document, page: Page, box: tuple[float, float, float, float], name: str, spot: Spot,
                    opts: Options, how: str = "") -> LearnedField | None:
    """The one value of ``name``'s kind that at least ``SPOT_READINGS_AGREEING`` readings of
    the ink in ``box`` give, none giving another; None otherwise."""
    read = _ink_read(doc, page, box, name, spot, opts)
    if read is None:
        return None
    texts, said = read
    values = {v for one in said for v in one}
    agreeing = sum(1 for one in said if len(one) == 1)
    if len(values) != 1 or agreeing < SPOT_READINGS_AGREEING:
        return None
    (value,) = values
    shown = " / ".join(repr(t) for t in texts)
    text = next(t for t, one in zip(texts, said) if one)
    lost = _figure_lost(name, text, spot)
    return LearnedField(value, LOOKALIKE_CONFIDENCE if lost else 0.9, "learned", page.number, text, box=box,
                        detail="; ".join(filter(None, [f"read again where {name.replace('_', ' ')} stands{how}, the "
                                                       f"first reading of the scan lost it ({shown})", lost])))


def read_date_beside_the_other(doc: Document, name: str, spot: Spot, witness: Spot,
                               found: Field | None, opts: Options, other: str = "") -> LearnedField | None:
    """A date whose label and value the scan both lost (a ruled row of dates read as one tall
    line, its values gone; a header line read as one faint word), read from the ink where the
    vendor prints it relative to another field read at its own learned spot (``other`` names
    it; the other date by default): the offset between the two places on the page that taught
    them (page fractions) holds on every invoice of the vendor. Only for a date: the vendor's
    payment terms stand behind it when it prints two, and it is read again before it is
    booked."""
    if (name not in DATES or not isinstance(found, LearnedField) or found.box is None
            or witness.page != spot.page or not 0 < (found.page or 0) <= len(doc.pages)):
        return None
    page = doc.pages[found.page - 1]
    if page.source != "ocr":
        return None
    h = page_unit(page)
    dx = ((spot.region[0] + spot.region[2]) - (witness.region[0] + witness.region[2])) / 2 * page.width
    dy = ((spot.region[1] + spot.region[3]) - (witness.region[1] + witness.region[3])) / 2 * page.height
    cx, cy = (found.box[0] + found.box[2]) / 2 + dx, (found.box[1] + found.box[3]) / 2 + dy
    half = (spot.region[2] - spot.region[0]) / 2 * page.width + h
    box = (max(0.0, cx - half), cy - h / 2 - h * 0.2, min(page.width, cx + half), cy + h / 2 + h * 0.2)
    if box[2] - box[0] < 2 * h or overlap(box, found.box) > 0:
        return None
    other = other or ("due date" if name == "date" else "invoice date")
    return _read_box_again(doc, page, box, name, spot, opts, f", beside the {other}")


def _values_read(name: str, text: str, spot: Spot, opts: Options) -> set:
    """The values of ``name``'s kind in one second reading of a learned spot (``read_spot_again``)."""
    if name in DATES:
        if opts.day_first is None and len(_readings(text)) > 1:
            return _readings(text)  # the vendor's order unknown: 03/04/2026 says two dates
        return {found[0] for found in find_dates(text, opts.day_first)}
    if name in AMOUNTS:
        return {found[0] for found in find_amounts(_mask_dates(text), opts.decimal)}
    if name == "invoice_number" and spot.example:
        out = set()
        for word in text.split():
            settled = in_vendors_form(_dollar_as_s(word.strip(" :#.,;|[](){}'\"")), spot.example)
            if settled and len(settled) == len(spot.example):
                out.add(settled)
        return out
    return set()


def _seconded(name: str, found: LearnedField, generic: Field | None) -> LearnedField:
    """A value read in a learned page region alone (no label was learned beside it: a '¥' the
    scan read as a letter stood there) that the reader without the template found too, from
    the same printed words and beside a label of its own, is as sure as that reading: the
    region and the label owe nothing to each other. Otherwise it stays a suggestion
    (``REGION_ONLY_CONFIDENCE``) for a person to confirm. Only a region can second a labelled
    reading this way: a region alone never books a value the generic reader did not find."""
    if (generic is None or generic.source != "layout" or found.box is None or generic.page != found.page
            or not _same(name, generic.value, found.value)):
        return found
    if generic.box is not None:
        same_words = overlap(generic.box, found.box) > 0.5
    else:  # an amount keeps only the top of its words (``where``)
        same_words = generic.where is not None and abs(generic.where[1] - found.box[1]) <= (found.box[3] - found.box[1]) / 2
    if not same_words:
        return found
    return replace(found, confidence=max(found.confidence, generic.confidence),
                   detail=f"where the vendor prints {name.replace('_', ' ')}, and beside a label of its own")


def _in_region(page: Page, region: tuple[float, float, float, float], box: tuple[float, float, float, float]) -> bool:
    """Does ``box`` (pixels) touch the learned page ``region`` (fractions of the page), grown by
    what a scan's margins and a longer value shift it?"""
    left, top, right, bottom = region
    grow_x, grow_y = 0.08 * page.width, max(0.01 * page.height, (bottom - top) * page.height)
    return (box[2] >= left * page.width - grow_x and box[0] <= right * page.width + grow_x
            and box[3] >= top * page.height - grow_y and box[1] <= bottom * page.height + grow_y)


# ------------------------------------------------------------------------------ the template


@dataclass
class LearnedTemplate:
    vendor: str
    names: list[str] = field(default_factory=list)
    tax_ids: list[str] = field(default_factory=list)
    ibans: list[str] = field(default_factory=list)
    fixed: dict[str, str] = field(default_factory=dict)  # issuer / currency: the vendor's own values
    #: a currency a person confirmed without correcting it: the vendor's, unless the invoice
    #: prints another (a vendor may bill in another currency now and then: a person looks)
    usual: dict[str, str] = field(default_factory=dict)
    spots: dict[str, Spot] = field(default_factory=dict)
    #: fields the reader got wrong for this vendor whose spot could not be learned: a person looks
    doubtful: list[str] = field(default_factory=list)
    options: Options = field(default_factory=Options)
    taught: list[dict] = field(default_factory=list)
    path: str = ""
    #: fields the vendor printed on the invoice that taught it (a person confirmed them) whose
    #: spot could not be learned: a later invoice without them is not booked with them empty
    printed: list[str] = field(default_factory=list)
    #: days from invoice date to due date on each invoice a person confirmed (a vendor may give
    #: one customer 7 days and another 30, or change its terms): empty in a template written
    #: before they were kept, whose terms its date examples give
    terms: list[int] = field(default_factory=list)
    #: the value a person confirmed for a ``doubtful`` invoice number: its form (letters,
    #: separators, digit runs) tells a later reading of the vendor's number from a misread
    examples: dict[str, str] = field(default_factory=dict)
    kind = "learned"

    @property
    def name(self) -> str:
        return f"learned: {self.vendor}"

    @property
    def field_names(self) -> list[str]:
        return [n for n in LEARNABLE if n in self.fixed or n in self.usual or n in self.spots]

    def wants_teaching(self) -> bool:
        """A later approval can still teach something (a spot that was not found before, or
        one known only by its region)."""
        return bool(self.doubtful or self.printed) or any(spot.anchor is None for spot in self.spots.values())

    def ids(self) -> list[str]:
        return self.tax_ids + self.ibans

    def score(self, text: str, shared: set[str] = frozenset(), words: list[Word] = ()) -> float:
        """How surely ``text`` is this vendor's: 3 per id of its own printed, 2 for its name
        as written, 1.5 for its name with an OCR slip; 0 when nothing identifies it.
        ``words``: the page's words as read, which say where a scan doubted a character."""
        compact = re.sub(r"[^A-Z0-9]", "", text.upper())
        score = 3.0 * sum(1 for i in self.ids() if i not in shared and (i in compact or _read_one_off(i, compact)))
        spaced = f" {words_of(text)} "
        best = 0.0
        for name in self.names:
            key = words_of(name)
            if len(key) < 4:
                continue
            if f" {key} " in spaced:  # whole words: "Acme Co" is not "Acme Corporation"
                best = 2.0
            elif f" {key.translate(_DIGIT_AS_LETTER)} " in spaced.translate(_DIGIT_AS_LETTER):
                best = max(best, 1.5)  # 'S.r.1' for 'S.r.l.': a digit a scan made of a letter
            elif _han_slip(key, spaced, words) or _doubted_slip(key, words):
                best = max(best, 1.5)
            elif len(key) >= 8 and _slipped_name_in(key, spaced):
                best = max(best, 1.5)
        return score + best

    def read(self, doc: Document, sure: bool = True,
             generic: dict[str, Field] | None = None) -> tuple[dict[str, Field], list[str]]:
        """(fields read at the learned spots, corrected fields whose spot was not found:
        the reader without a template got those wrong before, so a person must look).
        ``generic``: what the reader found without the template; a currency the vendor usually
        bills in yields to another one read on the page (a mark, a code), never to a guess."""
        out: dict[str, Field] = {}
        missed: list[str] = []
        for name, value in self.fixed.items():
            out[name] = Field(value, 0.99 if sure else 0.9, "learned", None, value)
        for name, value in self.usual.items():
            printed = (generic or {}).get(name)
            if _currency_on_page(printed, value, doc.text) not in (None, value):
                continue  # another currency read on the page (a mark, a code): ``check_found`` asks a person
            out[name] = Field(value, 0.99 if sure else 0.9, "learned", printed.page if printed else None,
                              printed.text if printed else value,
                              detail=f"{self.vendor}'s currency, as a person confirmed it"
                                     + ("" if printed is None or printed.value == value
                                        else f"; no currency read, the seller's tax id suggested "
                                             f"{printed.value}"))
        terms = self.payment_terms()
        retry: list[str] = []
        lost: list[str] = []  # not found at their spots
        # the due date first: when it is read unambiguously, it settles the invoice date's order
        for name, spot in sorted(self.spots.items(), key=lambda item: item[0] != "due_date"):
            due = out.get("due_date")
            hint = None
            if (name == "date" and terms and due is not None and isinstance(due.value, date)
                    and len(_readings(due.text)) <= 1):
                hint = (due.value, terms)
            # a garbled label is looked past only where a check still stands behind the value:
            # the sums for an amount, the payment terms for a date; a number of the vendor's
            # form is read again before it is booked (``confirm_by_reading_again``)
            confirmed = (name in AMOUNTS or (name in DATES and bool(terms))
                         or (name == "invoice_number" and bool(spot.example)))
            others = [s.anchor.key for n, s in self.spots.items() if n != name and s.anchor is not None]
            got = read_spot(doc, name, spot, self.options, hint, others if confirmed else None)
            if got is None and name == "invoice_number" and spot.corrected:
                got = self._labelled_at_spot(doc, name, spot, generic)
            if got is not None and spot.anchor is None:
                got = _seconded(name, got, (generic or {}).get(name))
            if got is not None and name in DATES:
                got = self._ordered_as_the_page_reads(got, (generic or {}).get(name))
            if got is not None:
                out[name] = got
            elif confirmed:
                retry.append(name)
            else:
                lost.append(name)
        # a label the scan kept only the first words of, once every other field has its value
        taken = [f.box for f in out.values() if isinstance(f, LearnedField) and f.box is not None]
        for name in retry:
            spot = self.spots[name]
            others = [s.anchor.key for n, s in self.spots.items() if n != name and s.anchor is not None]
            got = read_spot(doc, name, spot, self.options, None, others, taken)
            if got is not None:
                out[name] = got
            else:
                lost.append(name)
        lost.sort(key=lambda n: n in DATES)  # a date lost with its label is placed beside the other date
        for name in lost:
            # the label is there and nothing of the kind beside it: the value's ink is read again
            got = read_spot_again(doc, name, self.spots[name], self.options)
            witness = self._witness(name, out, terms) if got is None and name in DATES else None
            if witness is not None:
                # label and value both lost: read where the vendor prints it beside the other date
                # or, for a vendor printing one date, the field nearest it (read by now: the
                # dates come last)
                got = read_date_beside_the_other(doc, name, self.spots[name], self.spots[witness], out.get(witness),
                                                 self.options, witness.replace("_", " "))
            if got is None and name == "invoice_number":
                # label and all lost ('Nº Factura' read as '|'): read where the vendor prints
                # the number beside another field read at its own learned spot
                got = self._number_beside(doc, out)
            if got is not None:
                out[name] = got
            elif self.spots[name].corrected:
                missed.append(name)
        for name in (n for n in self.doubtful if n not in self.spots):
            found = self._of_the_vendors_form(name, (generic or {}).get(name))
            if found is not None:
                out[name] = found
            else:
                missed.append(name)
        self._settle_both_orders(doc, out)
        return out, missed

    def _witness(self, name: str, out: dict[str, Field], terms: tuple[int, ...]) -> str | None:
        """The field whose place on this page tells where the date ``name`` stands when its
        label and value were both lost: the other date, when the vendor's payment terms stand
        behind the one found; for a vendor that prints one date only (no terms to keep), the
        learned field on the same page nearest the date on the page that taught them, but not
        an amount (the sums have not yet said whether it was read where it stands)."""
        other = "due_date" if name == "date" else "date"
        if other in self.spots:
            return other if terms else None
        spot = self.spots[name]
        near = [n for n, f in out.items()
                if n in self.spots and n != name and n not in AMOUNTS and self.spots[n].page == spot.page
                and isinstance(f, LearnedField) and f.box is not None]
        return min(near, key=lambda n: _spots_apart(spot, self.spots[n]), default=None)

    def _number_beside(self, doc: Document, out: dict[str, Field]) -> LearnedField | None:
        """The invoice number of a scan that lost its label (nothing spells it, not even
        garbled), read where the vendor prints it relative to the nearest other field read at
        its own learned spot on the same page (a date: never an amount, which the line items
        push down and the sums have not yet placed): the offset between the two places on the
        page that taught them, in page fractions (``_placed_from``). Only a number of the
        vendor's form (``_same_form``), the one such number there, on a scan; like any learned
        number it is read again before it is booked (``confirm_by_reading_again``)."""
        spot = self.spots["invoice_number"]
        if not spot.example:
            return None
        witnesses = [n for n, f in out.items()
                     if n in self.spots and n in DATES and self.spots[n].page == spot.page
                     and isinstance(f, LearnedField) and f.box is not None and f.page == spot.page]
        if not witnesses:
            return None
        witness = min(witnesses, key=lambda n: _spots_apart(spot, self.spots[n]))
        if not 0 < spot.page <= len(doc.pages) or doc.pages[spot.page - 1].source != "ocr":
            return None
        page = doc.pages[spot.page - 1]
        h = page_unit(page)
        left, right, middle = _where_placed(page, spot, self.spots[witness], out[witness].box)
        near = [c for c in candidates(page, "invoice_number", self.options)
                if _same_form(str(c.value), spot.example) and not _whole_date(c.text)
                and min(abs(c.box[0] - left), abs(c.box[2] - right)) <= PLACED_ACROSS * h
                and abs((c.box[1] + c.box[3]) / 2 - middle) <= PLACED_DOWN * h
                and overlap(c.box, out[witness].box) == 0]
        if len(near) != 1:
            return None
        c = near[0]
        value = in_vendors_form(str(c.value), spot.example) or c.value
        return LearnedField(value, c.conf * 0.9, "learned", c.page, c.text, box=c.box,
                            detail=f"its label lost on this scan: read where {self.vendor} prints it beside the "
                                   f"{witness.replace('_', ' ')}")

    def read_due_date_by_its_label(self, doc: Document, fields: dict[str, Field], labels: dict[str, Word]) -> None:
        """A due date the vendor prints (the template knows it does) that the scan garbled
        beside its label, so the reader found the label and no date ('Due date 04 No 2026',
        'Due date Ict 2026'): the ink right of the label's last word (``labels``, as the reader
        found it) is read again (``_read_box_again``: at least two readings give one date,
        none another). It is kept only when it stands the vendor's payment terms from the
        invoice date read, and it is read a third time before it is booked
        (``confirm_by_reading_again``); otherwise it stays unread and a person looks
        (``check_found``). ``fields`` change in place."""
        name = "due_date"
        word, issued, terms = labels.get(name), fields.get("date"), self.payment_terms()
        if (word is None or not terms or (name not in self.printed and name not in self.spots)
                or (fields.get(name) is not None and fields[name].value not in (None, ""))
                or issued is None or not isinstance(issued.value, date) or not 0 < word.page <= len(doc.pages)):
            return
        page = doc.pages[word.page - 1]
        if page.source != "ocr":
            return
        h = page_unit(page)
        cy, x0 = (word.y0 + word.y1) / 2, word.x1 + LABEL_CLEARANCE * h
        box = (x0, cy - h / 2, min(page.width, x0 + DATE_BESIDE_LABEL * h), cy + h / 2)
        if box[2] - box[0] < 2 * h:
            return
        got = _read_box_again(doc, page, box, name, Spot(page.number, _page_region(page, box)), self.options,
                              ", right of its label")
        if got is not None and isinstance(got.value, date) and (got.value - issued.value).days in terms:
            fields[name] = got

    def _of_the_vendors_form(self, name: str, generic: Field | None) -> LearnedField | None:
        """An invoice number whose spot the teaching scan did not show (``doubtful``), read by
        the generic reader on a scan exactly in the form of the number a person confirmed:
        the same letters, separators and padded digit runs, as long. It is taken as read at a
        learned spot, so its ink is read again before it is booked
        (``confirm_by_reading_again``); a number of another form, or one with no ink to read
        again (a text layer), still goes to a person. Without this, every later invoice of a
        vendor whose teaching scan lost its number would go to a person for good."""
        example = self.examples.get(name, "")
        if name != "invoice_number" or not example or generic is None or generic.box is None:
            return None
        value = str(generic.value or "")
        if len(value) != len(example) or not _same_form(value, example) or not _keeps_padding(value, example):
            return None
        return LearnedField(generic.value, generic.confidence, "learned", generic.page, generic.text,
                            detail=f"in the form of {self.vendor}'s number a person confirmed ({example}), "
                                   f"where the reader found it", box=generic.box)

    def _ordered_as_the_page_reads(self, found: LearnedField, generic: Field | None) -> LearnedField:
        """A date either order reads (01/11/2026), read at its spot in a template that never saw
        the vendor's order (it was taught on 11/11/2026), that the reader without the template
        read from the same words to the same day, by the order the document itself shows (its
        language, its other dates): as sure as that reading, no surer. What a person taught must
        not make a date less sure than reading without it; another day read stays doubtful."""
        if (self.options.day_first is not None or generic is None or generic.source != "layout"
                or generic.value != found.value or generic.page != found.page
                or generic.text.strip() != found.text.strip() or generic.confidence <= found.confidence
                or len(_readings(found.text)) <= 1):
            return found
        if generic.box is not None and found.box is not None and overlap(generic.box, found.box) <= 0.5:
            return found
        return replace(found, confidence=generic.confidence,
                       detail="its date order as the document shows it (the vendor's was never seen)")

    def _labelled_at_spot(self, doc: Document, name: str, spot: Spot,
                          generic: dict[str, Field] | None) -> LearnedField | None:
        """The number the reader found beside a number label of its own, when its learned label
        was not found (the scan that taught it read '发票号码' as 'RRSB:', and no later scan
        reads it so) but the number stands where the vendor prints it and has the vendor's
        form: two witnesses that owe nothing to each other. Read again before it is booked,
        as any number read at a learned spot."""
        found = (generic or {}).get(name)
        if (found is None or found.source != "layout" or found.box is None or found.page != spot.page
                or not spot.example or not _same_form(str(found.value), spot.example)
                or spot.page > len(doc.pages)):
            return None
        if not _in_region(doc.pages[spot.page - 1], spot.region, found.box):
            return None
        return LearnedField(found.value, min(found.confidence, 0.9), "learned", found.page, found.text,
                            detail=f"beside a number label, where {self.vendor} prints it (its label "
                                   f"{spot.anchor.text if spot.anchor else ''!r} not read)", box=found.box)

    def _settle_both_orders(self, doc: Document, out: dict[str, Field]) -> None:
        """Both dates read at their spots either order reads (02-11-2026 and 02-12-2026), in a
        template that never saw the vendor's order: one document prints both one way, and when
        exactly one way keeps the vendor's payment terms (2 Nov to 2 Dec, 30 days; not 11 to 12
        Feb, one day), both are read that way. ``out`` is changed in place."""
        terms = self.payment_terms()
        found = [out.get(n) for n in DATES]
        if (self.options.day_first is not None or not terms
                or not all(isinstance(f, LearnedField) and len(_readings(f.text)) > 1 for f in found)):
            return
        fits = []
        for day_first in (True, False):
            read = [read_spot(doc, n, self.spots[n], replace(self.options, day_first=day_first)) for n in DATES]
            if all(isinstance(f, LearnedField) and isinstance(f.value, date) and f.box == g.box
                   for f, g in zip(read, found)) and (read[1].value - read[0].value).days in terms:
                fits.append(read)
        if len(fits) == 1:
            for name, settled in zip(DATES, fits[0]):
                out[name] = replace(settled, detail=f"date order: the one that keeps {self.vendor}'s payment terms "
                                                    f"({(fits[0][1].value - fits[0][0].value).days} days)")

    def settle_date_order(self, fields: dict[str, Field]) -> None:
        """An invoice date either order reads (06.11.26) that the reader found without the
        template (its learned spot was not found on this copy) takes, like one read at the spot,
        the one reading that keeps the vendor's payment terms to a due date read unambiguously;
        otherwise it stays doubtful and a person decides. ``fields`` is changed in place."""
        found, due = fields.get("date"), fields.get("due_date")
        terms = self.payment_terms()
        if (self.options.day_first is not None or not terms or found is None or due is None
                or found.source == "learned" or not isinstance(due.value, date) or len(_readings(due.text)) > 1
                or len(_readings(found.text)) <= 1):
            return
        settled = _order_by_terms(found.text, due.value, terms)
        if settled is not None:
            fields["date"] = Field(settled, max(found.confidence, min(due.confidence, 0.9)), "learned", found.page,
                                   found.text, detail=f"date order: the one reading {(due.value - settled).days} "
                                                      f"days before the due date, {self.vendor}'s payment terms",
                                   where=found.where)

    def payment_terms(self) -> tuple[int, ...]:
        """Days from invoice date to due date on the invoices a person confirmed (each
        approval's), or, in a template written before they were kept, on the one its date
        examples come from; empty when none showed both dates."""
        if self.terms:
            return tuple(self.terms)
        dates = []
        for name in DATES:
            spot = self.spots.get(name)
            found = find_dates(spot.example, self.options.day_first) if spot and spot.example else []
            if len(found) != 1:
                return ()
            dates.append(found[0][0])
        return ((dates[1] - dates[0]).days,)

    def taught_rate(self) -> Decimal | None:
        """The vendor's tax as a share of its net on the invoice a person approved (the learned
        tax and net spots' examples); None when the template learned no place for either."""
        shares = []
        for name in ("vat", "amount_untaxed"):
            spot = self.spots.get(name)
            found = find_amounts(spot.example, self.options.decimal) if spot is not None and spot.example else []
            if len(found) != 1:
                return None
            shares.append(found[0][0])
        tax, net = shares
        return tax / net if net > 0 and tax >= 0 else None

    def keeps_its_rate(self, fields: dict[str, Field], lines: list[dict], text: str = "") -> bool:
        """Do the amounts about to be booked tax the net as this vendor does? When an amount
        was not taken as read at its learned place (set aside for what the page prints
        elsewhere, placed or read again from ink), both sums can still hold with the wrong
        figures: a tax row read as one more line item and the net taken from the total, the tax
        then 0.00. The tax must then come to the net times the rate the vendor's approved
        invoice showed, or times a rate this page prints (a vendor bills at more than one:
        '6%' and '13%' on fapiao lines), give or take a cent per line rounded; never no tax
        where the approved invoice had some. True when the template taught no rate, or when
        the rows print their own tax and those add up to the tax (``_taxed_by_its_rows``):
        the page's own arithmetic then says the rate, whatever the scan made of its '6%'."""
        rate = self.taught_rate()
        if rate is None:
            return True

        total, net, tax = _money_of(fields, "amount"), _money_of(fields, "amount_untaxed"), _money_of(fields, "vat")
        tax = tax if tax is not None else Decimal(0)
        if net is None:
            net = total - tax if total is not None else None
        if net is None or net <= 0:
            return False
        if tax == 0:
            return rate == 0
        if _taxed_by_its_rows(tax, lines):
            return True
        slack = TOLERANCE * (len(lines) + 1) + net * RATE_SLACK
        printed = [r / 100 for r in printed_rates(text)]
        return any(abs(tax - net * r) <= slack for r in [rate, *printed] if r > 0)

    def check_dates(self, fields: dict[str, Field]) -> dict | None:
        """A date read at a learned spot must agree with the other date on the page: this
        vendor's invoice and due dates stood a fixed number of days apart when it was taught.
        A spot that drifted onto another date of the block (delivered, order placed) breaks
        that, and a person looks instead of the wrong date being booked. None when no learned
        date was used or nothing can be compared."""
        learned = [n for n in DATES if n in fields and fields[n].source == "learned"]
        terms = self.payment_terms() if learned else ()
        invoice_date, due = fields.get("date"), fields.get("due_date")
        if not terms or invoice_date is None or due is None:
            past_label = [n for n in learned if fields[n].detail.startswith("its label")]
            if past_label:  # found past a garbled label only because this check would confirm it
                return {"name": "learned_dates", "ok": False,
                        "detail": f"{', '.join(past_label)} found under a label the scan garbled, and no other "
                                  f"date to check it against; a person must look"}
            return None
        if not isinstance(invoice_date.value, date) or not isinstance(due.value, date):
            return None
        apart = (due.value - invoice_date.value).days
        if apart in terms:
            return {"name": "learned_dates", "ok": True,
                    "detail": f"date and due date {apart} days apart, as on an invoice that taught {self.vendor}"}
        had = " or ".join(map(str, terms))
        return {"name": "learned_dates", "ok": False,
                "detail": f"learned {', '.join(learned)}: date {invoice_date.value} and due date {due.value} are "
                          f"{apart} days apart, {self.vendor}'s invoices that taught it had {had}; a person must look"}

    def mend_date_by_terms(self, doc: Document, fields: dict[str, Field], day_first: bool | None = None) -> dict | None:
        """A date a scan misread by one figure ('13.11.26' read '18.11.26'), so that the invoice
        and due dates break this vendor's payment terms: the date the terms put there (the other
        date plus or minus the days the vendor gives) differs from the one read by exactly one
        figure of its day, month and year. That date's ink is read again (``vision.reread``):
        when at least ``AGREEING`` readings give the date the terms put there and none another
        date, it is taken (and read once more before it is booked, like any learned date).
        Only one of the two dates may be mended so; when both could, or neither reads so, the
        dates stay as read and ``check_dates`` sends the invoice to a person. ``fields`` change
        in place; returns the check, or None when nothing was mended."""
        from vision.reread import date_verdict, page_image, readings

        terms = self.payment_terms()
        issued, due = fields.get("date"), fields.get("due_date")
        if (not terms or issued is None or due is None or not isinstance(issued.value, date)
                or not isinstance(due.value, date) or (due.value - issued.value).days in terms):
            return None
        order = self.options.day_first if self.options.day_first is not None else day_first
        mended: list[tuple[str, date, list[str]]] = []
        for name, other, sign in (("due_date", issued, 1), ("date", due, -1)):
            found = fields[name]
            if found.box is None or not 0 < (found.page or 0) <= len(doc.pages):
                continue
            page = doc.pages[found.page - 1]
            if page.source != "ocr":
                continue
            wanted = {other.value + timedelta(days=sign * t) for t in terms}
            wanted = [w for w in wanted if _one_figure_off(found.value, w)]
            if not wanted:
                continue
            image = page_image(doc.path, page)
            if image is None:
                continue
            (texts,) = readings(image, [found.box], _reading_languages(found))
            for w in wanted:
                said = [date_verdict(w, text, order, None) for text in texts]
                if said.count("same") >= AGREEING and "other" not in said:
                    mended.append((name, w, texts))
        if len(mended) != 1:
            return None
        name, value, texts = mended[0]
        found = fields[name]
        fields[name] = replace(found, value=value, detail=(found.detail + "; " if found.detail else "")
                               + f"read {found.value.isoformat()} first, one figure off {self.vendor}'s payment "
                                 f"terms; read again: {' / '.join(repr(t) for t in texts)}")
        return {"name": "learned_dates", "ok": True,
                "detail": f"{name.replace('_', ' ')} read {found.value} first, one figure from the date "
                          f"{self.vendor}'s payment terms put there; its ink read again says {value}"}

    def confirmed_elsewhere(self, fields: dict[str, Field], missed: list[str], lines: list[dict]) -> list[str]:
        """Of the corrected fields whose learned spot was not found (``missed``), those the
        generic reader found where the invoice's own arithmetic confirms them: an amount when
        net + tax = total and the line items add up to the net (each amount is then fixed by the
        other two); a date when it stands the vendor's payment terms from the other date, read
        at its learned spot, or found itself beside a date label (the label the teaching scan
        lost). The label the scan garbled or left out then costs no person."""
        out = []
        if any(n in AMOUNTS for n in missed) and _fixed_by_both_sums(fields, lines):
            out += [n for n in missed if n in AMOUNTS]
        terms = self.payment_terms()
        for name in (n for n in missed if n in DATES):
            other = fields.get("due_date" if name == "date" else "date")
            found = fields.get(name)
            # the other date read at its learned spot, or this one beside a date label of its own
            # (the teaching scan's label was lost, this one's is not): the terms then bind the two
            if (terms and found is not None and other is not None
                    and (isinstance(other, LearnedField) or found.source == "layout")
                    and isinstance(found.value, date) and isinstance(other.value, date)):
                apart = (found.value - other.value).days if name == "due_date" else (other.value - found.value).days
                if apart in terms:
                    out.append(name)
        return out

    def place_amounts(self, doc: Document, fields: dict[str, Field], lines: list[dict]) -> dict | None:
        """The amounts the learned spots got wrong (their labels lost or garbled on this scan:
        '合 计' read 'a it', or found only inside '价税合计', the total's label), read where the
        vendor prints them relative to an amount that was read: the offset between two learned
        spots' places on the page holds on every invoice of the vendor, at any scale and
        margin, whatever the scan made of the labels. Kept only when net + tax = total and the
        line items add up to the net: each amount is then fixed by the others. ``fields``
        change in place; returns the check, or None when no placing makes the sums hold."""
        spots = {n: s for n, s in self.spots.items() if n in AMOUNTS}
        for witness in AMOUNTS:
            found = fields.get(witness)
            if witness not in spots or not isinstance(found, LearnedField) or found.box is None \
                    or not 0 < (found.page or 0) <= len(doc.pages):
                continue
            page = doc.pages[found.page - 1]
            trial = dict(fields)
            for name in (n for n in spots if n != witness):
                placed = _placed_from(page, name, spots[name], spots[witness], found.box, self.options)
                if placed is None and page.source == "ocr":
                    # nothing read there (the scan lost the amount's ink in a ruled row): read it
                    # again; the sums below still decide
                    placed = _placed_ink(doc, page, name, spots[name], spots[witness], found.box, self.options)
                if placed is not None:
                    trial[name] = LearnedField(placed.value, placed.conf * 0.98, "learned", page.number, placed.text,
                                               detail=f"where {self.vendor} prints it beside the "
                                                      f"{witness.replace('_', ' ')}", box=placed.box)
            if trial != fields and _fixed_by_both_sums(trial, lines) and self.keeps_its_rate(trial, lines, doc.text):
                moved = ", ".join(f"{n} {fields[n].value if n in fields else '-'} -> {trial[n].value}"
                                  for n in AMOUNTS if trial.get(n) is not fields.get(n))
                fields.update(trial)
                vouched = _vouch_by_sums(fields, lines)
                return {"name": "learned_template", "ok": True,
                        "detail": f"{moved}: read where {self.vendor} prints them beside the "
                                  f"{witness.replace('_', ' ')} (their labels not read as taught); net + tax = "
                                  f"total and the lines add up to the net" + (f"; {vouched}" if vouched else "")}
        return (self._amount_printed_to_close_the_sums(doc, fields, lines) or self._amount_read_again(doc, fields, lines)
                or _tax_of_its_rates(doc, fields, lines) or self._discount_off_the_lines(doc, fields, lines))

    def _discount_off_the_lines(self, doc: Document, fields: dict[str, Field], lines: list[dict]) -> dict | None:
        """A discount off the whole invoice (for paying early, a customer's rebate): the line
        items add up to more than the net, and the page prints their sum, below it the
        difference as a negative figure ('-249,72', '(249.72)') and below that the net
        (``_discount_row``). The discount is then one more line of the invoice, appended to
        ``lines`` (changed in place, as the lines' sum checks them). Kept only when net + tax =
        total and the vendor's rate holds on the discounted net, as read or with one amount the
        page prints to close the sums (``_amount_printed_to_close_the_sums``, a tax whose cents
        the scan set apart): a figure the sums merely need is never made up, the page must
        print the lines' sum and the discount both."""
        item = self._discount_row(doc, fields, lines)
        if item is None:
            return None
        discounted = lines + [item]
        if _fixed_by_both_sums(fields, discounted) and self.keeps_its_rate(fields, discounted, doc.text):
            closed = {"name": "learned_template", "ok": True, "detail": "net + tax = total"}
        else:
            closed = self._amount_printed_to_close_the_sums(doc, fields, discounted)
        if closed is None:
            return None
        lines.append(item)
        vouched = _vouch_by_sums(fields, lines)
        return {**closed, "detail": f"a discount {item['discount']}; " + closed["detail"]
                + "; the lines less the discount add up to the net" + (f"; {vouched}" if vouched else "")}

    def _discount_row(self, doc: Document, fields: dict[str, Field], lines: list[dict]) -> dict | None:
        """The line item a discount off the whole invoice makes (``_discount_off_the_lines``),
        from the words of its row; None when the page does not print the line items' sum above
        the learned net and their difference from it, negative, in between."""
        found = fields.get("amount_untaxed")
        if (not lines or not isinstance(found, LearnedField) or not isinstance(found.value, Decimal)
                or found.box is None or not 0 < (found.page or 0) <= len(doc.pages)):
            return None
        line_sum = sum((item["amount"] for item in lines), Decimal(0))
        discount = line_sum - found.value
        if discount <= TOLERANCE or discount >= line_sum:
            return None
        page = doc.pages[found.page - 1]
        printed = candidates(page, "amount_untaxed", self.options)

        def middle(c: _Candidate) -> float:
            return (c.box[1] + c.box[3]) / 2

        net_at = (found.box[1] + found.box[3]) / 2
        sums_at = [middle(c) for c in printed if c.value == line_sum and middle(c) < net_at]
        between = [c for c in printed if c.value == -discount and sums_at and min(sums_at) < middle(c) < net_at]
        if len(between) != 1:
            return None
        row = between[0]
        own_line = next(line for line in page.lines if any(row.words[0] in seg.words for seg in line.segments))
        return {"description": " ".join(w.text for seg in own_line.segments for w in seg.words if w not in row.words),
                "quantity": None, "unit_price": None, "tax": None, "amount": row.value,
                "confidence": round(row.conf, 3), "page": page.number,
                "discount": f"of {discount} printed ({row.text!r}) between the line items' sum {line_sum} and the net"}

    def _amount_printed_to_close_the_sums(self, doc: Document, fields: dict[str, Field],
                                          lines: list[dict]) -> dict | None:
        """One learned amount that breaks the sums (a tax learned under its column's heading on a
        one-line invoice, where the line's tax was the invoice's: on a longer one that spot
        reads the first line's), when the page prints, in words read as one amount, the figure
        the other two give it (total - net for the tax, total - tax for the net, net + tax for
        the total) on the page the learned amounts were read on, or a reading of its ink where
        the vendor prints it says that figure (``_ink_saying``): kept only when the line items
        then add up to the net and the vendor's rate holds, so the figure is the page's own,
        fixed by the other two amounts and the lines, never worked out and booked unprinted.
        Tried again with the net the line items' sum, where the spot read a piece of it and the
        page prints the sum on its row (``_net_the_lines_print``): then both are fixed alike."""
        for start in (fields, self._net_the_lines_print(doc, fields, lines)):
            closed = self._closing_amount_printed(doc, start, lines) if start is not None else None
            if closed is not None:
                fields.update(start)
                return closed
        return None

    def _net_the_lines_print(self, doc: Document, fields: dict[str, Field], lines: list[dict]) -> dict | None:
        """``fields`` with the learned net that the line items do not add up to ('224.50' read of
        '325 ,224.50', its first group set apart) replaced by their sum, where the page prints
        that sum (its marks garbled or not) on the row the net was read on; None otherwise. The
        tax must still close the sums with it (``_closing_amount_printed``)."""
        found = fields.get("amount_untaxed")
        if (not lines or not isinstance(found, LearnedField) or found.box is None
                or not 0 < (found.page or 0) <= len(doc.pages)):
            return None
        line_sum = sum((item["amount"] for item in lines), Decimal(0))
        if line_sum <= 0 or abs(line_sum - found.value) <= TOLERANCE:
            return None
        page = doc.pages[found.page - 1]
        h = page_unit(page)
        same_row = [c for c in ([c for c in candidates(page, "amount_untaxed", self.options) if c.value == line_sum]
                                or _printed_with_marks_garbled(page, line_sum))
                    if abs((c.box[1] + c.box[3]) / 2 - (found.box[1] + found.box[3]) / 2) < PLACED_DOWN * h]
        if not same_row:
            return None
        placed = max(same_row, key=lambda c: c.conf)
        return {**fields, "amount_untaxed": LearnedField(
            line_sum, min(placed.conf, found.confidence), "learned", page.number, placed.text, box=placed.box,
            detail=f"the line items' sum, printed where the spot {self.vendor} taught read {found.value}")}

    def _closing_amount_printed(self, doc: Document, fields: dict[str, Field], lines: list[dict]) -> dict | None:
        """``_amount_printed_to_close_the_sums`` on ``fields`` as they stand."""
        total, net, tax = _money_of(fields, "amount"), _money_of(fields, "amount_untaxed"), _money_of(fields, "vat")
        if total is None or net is None or tax is None:
            return None
        closing = {"vat": total - net, "amount_untaxed": total - tax, "amount": net + tax}
        for name in AMOUNTS:
            found = fields[name]
            if (name not in self.spots or not isinstance(found, LearnedField) or closing[name] <= 0
                    or not 0 < (found.page or 0) <= len(doc.pages)):
                continue
            page = doc.pages[found.page - 1]
            printed = ([c for c in candidates(page, name, self.options) if c.value == closing[name]]
                       or _printed_with_marks_garbled(page, closing[name]))
            placed = max(printed, key=lambda c: c.conf) if printed else self._ink_saying(doc, page, name, closing[name],
                                                                                          fields)
            if placed is None:
                continue
            trial = {**fields, name: LearnedField(placed.value, min(placed.conf, found.confidence), "learned",
                                                  page.number, placed.text,
                                                  detail=f"printed on the page where the spot {self.vendor} "
                                                         f"taught read {found.value}", box=placed.box)}
            # with no line items to second it, a first reading that kept the figure's every
            # digit and lost only its decimal mark ('1221' of 12.21, the point faint) does
            if _fixed_by_both_sums(trial, lines):
                seconded = "the lines add up to the net"
            elif _mark_lost(found.text, closing[name]) and sums_hold(trial, lines) is True:
                seconded = f"the spot read the same figures with the decimal mark lost ({found.text!r})"
                trial[name] = replace(trial[name], confidence=min(f.confidence for n, f in fields.items()
                                                                  if n in AMOUNTS and n != name))
            elif name != "amount" and not lines and self._taxed_to_the_cent(trial):
                # no line items read to second it: the vendor's one rate does. Net + tax = total
                # with the tax the net at that rate to the cent leaves one net for the total read,
                # and the page prints it. Never the total: a deposit or a rounding outside the
                # net makes the total more than net + tax, and the total is what is paid
                seconded = "the tax is the net at the vendor's rate to the cent"
            else:
                continue
            if self.keeps_its_rate(trial, lines, doc.text):
                fields.update(trial)
                return {"name": "learned_template", "ok": True,
                        "detail": f"{name} {found.value} -> {placed.value}: printed on the page, where the "
                                  f"learned spot read another figure; net + tax = total and {seconded}"}
        return None

    def _taxed_to_the_cent(self, fields: dict[str, Field]) -> bool:
        """Is the tax the net at the rate the vendor's approved invoice showed (to a tenth of a
        percent), to the cent, and net + tax the total? With one rate, the total read fixes
        both."""
        rate = self.taught_rate()
        total, net, tax = _money_of(fields, "amount"), _money_of(fields, "amount_untaxed"), _money_of(fields, "vat")
        if rate is None or rate <= 0 or None in (total, net, tax) or net <= 0 or net + tax != total:
            return False
        nominal = rate.quantize(Decimal("0.001"))
        return abs(tax - (net * nominal).quantize(TOLERANCE, rounding=ROUND_HALF_UP)) <= TOLERANCE

    def _ink_saying(self, doc: Document, page: Page, name: str, figure: Decimal,
                    fields: dict[str, Field]) -> _Candidate | None:
        """On a scan, a reading of the ink where the vendor prints ``name`` beside another
        amount read at its spot (``_placed_box``) that says exactly ``figure`` and nothing
        else: a first reading that lost the decimals ('1103' of 1,103.37, their ink faint)
        and readings again of which only one kept them. The sums the figure comes from are
        the reading that seconds it, as two agreeing readings do elsewhere."""
        if page.source != "ocr":
            return None
        for witness in (n for n in AMOUNTS if n != name and n in self.spots):
            beside = fields.get(witness)
            if not isinstance(beside, LearnedField) or beside.box is None or beside.page != page.number:
                continue
            box = _placed_box(page, self.spots[name], self.spots[witness], beside.box)
            read = _ink_read(doc, page, box, name, self.spots[name], self.options) if box is not None else None
            texts, said = read if read is not None else ([], [])
            for text, values in zip(texts, said):
                if values == {figure}:
                    return _Candidate(figure, box, LOOKALIKE_CONFIDENCE, text, page.number)
        return None

    def _amount_read_again(self, doc: Document, fields: dict[str, Field], lines: list[dict]) -> dict | None:
        """One learned amount a scan cut short or misread where it stands ('3517.80' of
        13517.80: its first digit lost in the row's rule), read again from its ink, a little
        wider than the words read: kept only when the sums then hold both ways (net + tax =
        total, the lines add up to the net), each amount then fixed by the others."""
        for name in AMOUNTS:
            found = fields.get(name)
            if (name not in self.spots or not isinstance(found, LearnedField) or found.box is None
                    or not 0 < (found.page or 0) <= len(doc.pages)):
                continue
            page = doc.pages[found.page - 1]
            if page.source != "ocr":
                continue
            h = page_unit(page)
            x0, y0, x1, y1 = found.box
            box = (max(0.0, x0 - AMOUNT_WIDENED * h), y0 - 0.2 * h, min(page.width, x1 + AMOUNT_WIDENED * h),
                   y1 + 0.2 * h)
            if any(overlap(box, f.box) > 0 for n, f in fields.items()
                   if n != name and isinstance(f, LearnedField) and f.box is not None and f.page == found.page
                   and overlap(f.box, found.box) == 0):
                continue  # another amount stands that close: the reading would take in its ink
            again = _read_box_again(doc, page, box, name, self.spots[name], self.options)
            if again is None or again.value == found.value:
                continue
            trial = {**fields, name: replace(again, confidence=min(again.confidence, found.confidence))}
            if _fixed_by_both_sums(trial, lines) and self.keeps_its_rate(trial, lines, doc.text):
                fields.update(trial)
                return {"name": "learned_template", "ok": True,
                        "detail": f"{name} {found.value} -> {again.value}: read again where {self.vendor} prints "
                                  f"it; net + tax = total and the lines add up to the net"}
        return None

    def check_found(self, doc: Document, fields: dict[str, Field], missed: list[str],
                    lines: list[dict] | None = None) -> dict | None:
        """What the template reads must all be there, each from its own ink, before the invoice
        is booked without a person:

        - ``missed``: corrected fields whose learned spot was not found (read without the
          template, they were wrong before), unless the sums or the vendor's payment terms
          confirm what the generic reader found (``confirmed_elsewhere``; ``lines``: the line
          items read);
        - a field the vendor printed on the invoice that taught the template (it has a learned
          spot) that neither the spot nor the generic reader found on this one: booked, it would
          go in empty where the vendor prints a value (a due date the scan lost);
        - two fields read from the same words, one of them at a learned spot (the invoice date
          taken from where the due date stands): one of the two is wrong.

        Returns the failed check, or None when nothing is amiss."""
        problems = []
        missed = [n for n in missed if n not in self.confirmed_elsewhere(fields, missed, lines or [])]
        if missed:
            problems.append(f"{', '.join(missed)} not found where {self.vendor} prints it; read without the "
                            f"template, it was wrong before")
        absent = [n for n in LEARNABLE if (n in self.spots or n in self.printed) and n not in missed
                  and (fields.get(n) is None or fields[n].value in (None, ""))]
        if absent:
            problems.append(f"{', '.join(absent)} not found on this invoice, though {self.vendor} printed "
                            f"{'it' if len(absent) == 1 else 'them'} on the invoice that taught deskbot")
        elsewhere = [n for n in UNCHECKED if n in self.spots and n not in missed and n not in absent
                     and fields[n].source not in ("learned", "template") and not self._vouched(n, fields)]
        if elsewhere:
            shown = ", ".join(f"{n} {fields[n].text or fields[n].value!s}" for n in elsewhere)
            problems.append(f"{shown} read elsewhere than where {self.vendor} prints "
                            f"{'it' if len(elsewhere) == 1 else 'them'}, and nothing confirms "
                            f"{'it' if len(elsewhere) == 1 else 'them'}")
        for name, value in self.usual.items():
            printed = fields.get(name)
            shown = (_currency_on_page(printed, value, doc.text)
                     if printed is not None and printed.source != "template" else None)
            if shown not in (None, value):
                problems.append(f"{name}: the invoice prints {shown} where {self.vendor}'s invoice that "
                                f"taught deskbot was in {value}")
        for a, b in _read_from_the_same_words(doc, fields):
            problems.append(f"{a} and {b} read from the same words ({fields[a].text!r}): one of them is not "
                            f"where {self.vendor} prints it")
        if not problems:
            return None
        return {"name": "learned_template", "ok": False, "detail": "; ".join(problems) + "; a person must look"}

    def _vouched(self, name: str, fields: dict[str, Field]) -> bool:
        """Can a number or date the generic reader found, where the learned spot was not found,
        be trusted as this vendor's? A number when it has the vendor's form (prefix,
        separators, digit runs as long, give or take the one a counter gains: not the
        12-digit code printed beside an 8-digit number); a date when it stood beside a date
        label, or (the first date on the page, no label read) when the other date stands the
        vendor's payment terms from it."""
        found = fields[name]
        if name == "invoice_number":
            example = self.spots[name].example
            return bool(example) and _same_form(str(found.value), example)
        anchor = self.spots[name].anchor
        if found.source == "layout" and not (anchor is not None and anchor.of):
            return True  # beside a date label of its own, as on any invoice (the same words as a
            # learned field's would still be caught: ``_read_from_the_same_words``). Not when the
            # vendor prints its label in several places ('Dated' over the invoice's and the order's
            # date) and this copy not in as many: the one left may be the other date's
        return keeps_terms(*(fields.get(n) for n in DATES), self.payment_terms())

    def to_data(self) -> dict:
        fields: dict[str, Any] = {}
        for name in LEARNABLE:
            if name in self.doubtful and name not in self.spots:
                # wrong before, spot unknown: a person looks, unless a number of the form confirmed
                fields[name] = {"corrected": True, **({"example": self.examples[name]} if name in self.examples else {})}
            elif name in self.fixed:
                fields[name] = {"value": self.fixed[name]}
            elif name in self.usual:
                fields[name] = {"value": self.usual[name], "unless_printed": True}
            elif name in self.printed and name not in self.spots:
                fields[name] = {"printed": True}  # spot unknown: an invoice without it goes to a person
            elif name in self.spots:
                spot = self.spots[name]
                entry: dict[str, Any] = {}
                if spot.anchor is not None:
                    a = spot.anchor
                    entry["anchor"] = {"text": a.text, "direction": a.direction, "dx0": a.dx0, "dx1": a.dx1,
                                       "dy": a.dy}
                    if a.of:
                        entry["anchor"].update(nth=a.nth, of=a.of)
                entry["page"] = spot.page
                entry["region"] = list(spot.region)
                if spot.words > 1:
                    entry["words"] = spot.words
                if spot.corrected:
                    entry["corrected"] = True
                entry["example"] = spot.example
                fields[name] = entry
        options: dict[str, Any] = {k: v for k, v in (("day_first", self.options.day_first),
                                                     ("decimal_separator", self.options.decimal)) if v is not None}
        if self.terms:
            options["payment_terms"] = list(self.terms)
        data: dict[str, Any] = {"kind": "learned", "vendor": self.vendor,
                                "identify": {"names": self.names, "tax_ids": self.tax_ids, "ibans": self.ibans}}
        if options:
            data["options"] = options
        data["fields"] = fields
        data["taught"] = self.taught
        return data

    def to_yaml(self) -> str:
        head = ("# Learned by deskbot from corrections in review (deskbot review approve --set ...).\n"
                "# It applies to documents that print one of the ids or the name under 'identify'.\n"
                "# Edit it like any template, or remove it with: deskbot templates delete\n")
        return head + yaml.safe_dump(self.to_data(), sort_keys=False, allow_unicode=True, width=100)


def _spots_apart(a: Spot, b: Spot) -> float:
    """How far apart two learned places stand on the page that taught them: their centres'
    distance across plus down, in page fractions (twice over: the sums of their edges)."""
    return (abs(a.region[0] + a.region[2] - b.region[0] - b.region[2])
            + abs(a.region[1] + a.region[3] - b.region[1] - b.region[3]))


def _one_figure_off(read: date, other: date) -> bool:
    """Do two dates differ in exactly one figure of their day, month and year (a digit a scan
    took for another: 13 and 18, 2026 and 2028)?"""
    a, b = read.strftime("%Y%m%d"), other.strftime("%Y%m%d")
    return sum(x != y for x, y in zip(a, b)) == 1


def _same_form(number: str, example: str) -> bool:
    """Does ``number`` look like the vendor's ``example``: the same letters and separators
    ('FPR 50/26' of 'FPR 4883/26'), and a number of digits alone as long, give or take the
    digit a counter gains (not the 12-digit code printed beside an 8-digit number)?"""
    if shape(number) != shape(example):
        return False
    if shape(example) == "9":
        return abs(len(number) - len(example)) <= 1
    return [r.upper() for r in re.findall(r"[^\W\d_]+", number)] == \
        [r.upper() for r in re.findall(r"[^\W\d_]+", example)]


#: (the mark's currency as read, the vendor's): marks a scan turns one into the other, ₹ read as ¥
_MISREAD_MARKS = {("CNY", "INR"), ("JPY", "INR")}


def _currency_on_page(found: Field | None, vendor: str | None = None, page_text: str = "") -> str | None:
    """The currency the page itself showed for ``found`` (the generic reader's currency): the
    code its mark or text was read as ('$' is USD, though a German seller makes the reader
    guess EUR), None when it was only guessed from the seller's country or not read at all.
    A mark read as the look-alike of the ``vendor``'s own (¥ for its ₹), which the reader
    itself set aside for the seller's tax id's currency, the vendor's, showed the vendor's; so
    did a bare $ on a page (``page_text``) that names no US dollar, where the vendor's currency is
    another dollar: $ is the Australian, Canadian, Singapore … dollar's mark as much as the US one's."""
    if found is None or found.source in ("derived", "learned"):
        return None
    if re.fullmatch(r"[A-Z]{3}", found.text or ""):
        if found.value == vendor and (found.text, vendor) in _MISREAD_MARKS:
            return vendor
        if (found.text == "USD" and vendor in OTHER_DOLLARS and page_text
                and not currency_named(page_text, "USD") and "US$" not in page_text):
            return vendor
        return found.text
    return str(found.value)


def _read_from_the_same_words(doc: Document, fields: dict[str, Field]) -> list[tuple[str, str]]:
    """Pairs of fields (one of them read at a learned spot) whose values came from the same
    printed words: each printed value is one field's, so one of the pair is misplaced. A date
    the generic reader found without keeping its box counts as read from the learned date's
    words when it reads the same and that text is printed once on the page."""
    learned = [(n, f) for n in LEARNABLE if isinstance(f := fields.get(n), LearnedField) and f.box is not None]
    pairs = []
    for a, fa in learned:
        for b in LEARNABLE:
            fb = fields.get(b)
            if b == a or fb is None or fb.page != fa.page or fb.value in (None, "") or (b, a) in pairs:
                continue
            if fb.box is not None:
                same = overlap(fa.box, fb.box) > 0.5
            else:
                page = doc.pages[fa.page - 1] if fa.page and fa.page <= len(doc.pages) else None
                printed = fa.text.strip()
                same = (a in DATES and b in DATES and fb.value == fa.value and fb.text.strip() == printed
                        and page is not None and page.text.count(printed) == 1)
            if same:
                pairs.append((a, b))
    return pairs


def _number(value: Any, where: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise VisionError(f"{where} must be a number")
    return float(value)


def load_learned(path: str | Path) -> LearnedTemplate:
    path = Path(path)
    data = load_admin_yaml(path, "learned template")
    if not isinstance(data, dict) or data.get("kind") != "learned":
        raise VisionError(f"{path}: a learned template is a mapping with kind: learned, vendor, identify, fields")
    unknown = set(data) - {"kind", "vendor", "identify", "options", "fields", "taught"}
    if unknown:
        raise VisionError(f"{path}: unknown keys {sorted(unknown)}; allowed: kind, vendor, identify, options, "
                          f"fields, taught")
    ident = data.get("identify") or {}
    if not isinstance(ident, dict):
        raise VisionError(f"{path}: 'identify' must be a mapping of names, tax_ids, ibans")
    lists = {}
    for key in ("names", "tax_ids", "ibans"):
        items = ident.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            raise VisionError(f"{path}: identify.{key} must be a list of texts")
        lists[key] = [i.strip() for i in items]
    lists["tax_ids"] = [re.sub(r"[^A-Z0-9]", "", i.upper()) for i in lists["tax_ids"]]
    lists["ibans"] = [re.sub(r"[^A-Z0-9]", "", i.upper()) for i in lists["ibans"]]
    if not any(lists.values()):
        raise VisionError(f"{path}: identify needs at least one name, tax id or IBAN")
    raw_opts = data.get("options") or {}
    if not isinstance(raw_opts, dict) or set(raw_opts) - {"day_first", "decimal_separator", "payment_terms"}:
        raise VisionError(f"{path}: options may hold day_first, decimal_separator and payment_terms")
    terms = raw_opts.get("payment_terms") or []
    if not isinstance(terms, list) or not all(isinstance(t, int) and not isinstance(t, bool) and 0 <= t <= 730
                                              for t in terms):
        raise VisionError(f"{path}: options.payment_terms must be a list of days (0..730) from invoice date to due date")
    if raw_opts.get("decimal_separator") not in (None, ".", ","):
        raise VisionError(f"{path}: options.decimal_separator must be '.' or ','")
    if raw_opts.get("day_first") not in (None, True, False):
        raise VisionError(f"{path}: options.day_first must be true or false")
    options = Options(decimal=raw_opts.get("decimal_separator"), day_first=raw_opts.get("day_first"))
    fields = data.get("fields") or {}
    if not isinstance(fields, dict):
        raise VisionError(f"{path}: 'fields' must be a mapping")
    fixed: dict[str, str] = {}
    usual: dict[str, str] = {}
    spots: dict[str, Spot] = {}
    doubtful: list[str] = []
    examples: dict[str, str] = {}
    printed: list[str] = []
    for name, spec in fields.items():
        where = f"{path}: fields.{name}"
        if name not in LEARNABLE:
            raise VisionError(f"{path}: unknown field {name!r}; known: {', '.join(LEARNABLE)}")
        if not isinstance(spec, dict):
            raise VisionError(f"{where} must be a mapping (value, or anchor/page/region)")
        if "value" in spec:
            if name not in FIXED or not isinstance(spec["value"], str) or not spec["value"].strip():
                raise VisionError(f"{where}.value: only issuer and currency take a fixed text value")
            if set(spec) - {"value", "unless_printed"} or spec.get("unless_printed", False) not in (True, False):
                raise VisionError(f"{where}: a fixed value takes only 'value' and 'unless_printed: true'")
            if spec.get("unless_printed") and name != "currency":
                raise VisionError(f"{where}.unless_printed: only a currency yields to one printed on the invoice")
            (usual if spec.get("unless_printed") else fixed)[name] = spec["value"].strip()
            continue
        if set(spec) - {"example"} == {"corrected"}:
            if spec["corrected"] is not True:
                raise VisionError(f"{where}: a field without a spot says only 'corrected: true' (and its 'example')")
            if "example" in spec:
                if name != "invoice_number" or not isinstance(spec["example"], (str, int)) or not str(spec["example"]).strip():
                    raise VisionError(f"{where}.example: only an invoice number keeps the value a person confirmed")
                examples[name] = str(spec["example"]).strip()
            doubtful.append(name)
            continue
        if set(spec) == {"printed"}:
            if spec["printed"] is not True or name in FIXED:
                raise VisionError(f"{where}: a field printed where no spot was learned says only 'printed: true'")
            printed.append(name)
            continue
        region = spec.get("region")
        if (not isinstance(region, list) or len(region) != 4
                or not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in region)):
            raise VisionError(f"{where}.region must be [left, top, right, bottom] in 0..1")
        page = spec.get("page", 1)
        if not isinstance(page, int) or page < 1:
            raise VisionError(f"{where}.page must be a page number from 1")
        anchor = None
        if spec.get("anchor") is not None:
            a = spec["anchor"]
            if not isinstance(a, dict) or not isinstance(a.get("text"), str) or not _spells_a_label(a["text"]):
                raise VisionError(f"{where}.anchor needs the label 'text' (with letters) and dx0, dx1, dy")
            anchor = Anchor(a["text"], _number(a.get("dx0"), f"{where}.anchor.dx0"),
                            _number(a.get("dx1"), f"{where}.anchor.dx1"), _number(a.get("dy"), f"{where}.anchor.dy"))
            if a.get("of") is not None or a.get("nth") is not None:
                nth, of = a.get("nth"), a.get("of")
                if not (isinstance(nth, int) and isinstance(of, int) and 1 <= nth <= of and of >= 2):
                    raise VisionError(f"{where}.anchor: nth and of say which of the label's places it is "
                                      f"(1 <= nth <= of, of >= 2)")
                anchor.nth, anchor.of = nth, of
        words = spec.get("words", 1)
        if not isinstance(words, int) or not 1 <= words <= 6:
            raise VisionError(f"{where}.words must be 1..6")
        if spec.get("corrected", False) not in (True, False):
            raise VisionError(f"{where}.corrected must be true or false")
        spots[name] = Spot(page, tuple(float(v) for v in region), anchor, str(spec.get("example") or ""), words,
                           bool(spec.get("corrected", False)))
    taught = data.get("taught") or []
    if not isinstance(taught, list):
        raise VisionError(f"{path}: 'taught' must be a list")
    vendor = data.get("vendor")
    if not isinstance(vendor, str) or not vendor.strip():
        raise VisionError(f"{path}: 'vendor' must name the vendor")
    return LearnedTemplate(vendor.strip(), lists["names"], lists["tax_ids"], lists["ibans"], fixed, usual, spots,
                           doubtful, options, taught, str(path), printed, list(terms), examples)


def learn(doc: Document, before: dict[str, Any], after: dict[str, Any], *, existing: LearnedTemplate | None = None,
          taught_by: dict | None = None) -> tuple[LearnedTemplate, dict[str, str]]:
    """A learned template from a correction (``before`` -> ``after`` values of one document),
    merged into ``existing`` for the same vendor. Returns it and the corrected fields that
    could not be placed, each with the reason."""
    vendor = str(after.get("issuer") or before.get("issuer") or "").strip()
    template = existing or LearnedTemplate(vendor)
    template.vendor = vendor or template.vendor
    known_terms = list(template.payment_terms())  # before this approval's date spots replace the examples
    if vendor and fold(vendor) and all(fold(n) != fold(vendor) for n in template.names):
        template.names.append(vendor)
    ids = find_ids(doc)
    template.tax_ids += [i for i in ids["tax_ids"] if i not in template.tax_ids]
    template.ibans += [i for i in ids["ibans"] if i not in template.ibans]
    corrected = [n for n in LEARNABLE if after.get(n) is not None and before.get(n) != after.get(n)]
    skipped: dict[str, str] = {}
    # the approval confirms every value, not only the corrected ones: the spots of all of them
    # are learned, so a decoy that happened not to fool the reader this time cannot next time
    for name in (n for n in LEARNABLE if after.get(n) is not None):
        value = after[name]
        if name in FIXED:
            if name in corrected or name == "issuer":
                template.fixed[name] = str(value)
                template.usual.pop(name, None)
                template.spots.pop(name, None)
            elif name == "currency" and name not in template.fixed:
                # confirmed as read: the reader may have doubted it (no mark read, only the
                # seller's country), and will again on the next invoice without this
                template.usual[name] = str(value)
            continue
        spot, needed = locate(doc, name, value, template.options)
        if spot is None and name in corrected:
            spot, needed = _where_misread(doc, name, before.get(name), value, template.options)
        if spot is None:
            if name in corrected:
                skipped[name] = f"{value} is not printed where deskbot can read it; it was booked, not learned"
                if before.get(name) in (None, ""):
                    # nothing was read, so nothing on the page fooled the reader: the scan lost the
                    # value. The vendor is not doubted for it (its later invoices would all go to
                    # a person); an invoice of it without the value still does
                    if name not in template.spots and name not in template.printed:
                        template.printed.append(name)
                elif name not in AMOUNTS and name not in template.spots and name not in template.doubtful:
                    # the sums guard amounts; a number or date read wrong before is not trusted
                    template.doubtful.append(name)
                if name == "invoice_number" and name in template.doubtful:
                    template.examples[name] = str(value)
            elif name not in template.spots and name not in template.printed:
                template.printed.append(name)  # read right, spot unknown: it must not go missing later
            continue
        if name in template.printed:
            template.printed.remove(name)
        if name in template.doubtful:
            template.doubtful.remove(name)
            template.examples.pop(name, None)
        if name in DATES and needed.day_first is not None:
            template.options.day_first = needed.day_first
        if name in AMOUNTS and needed.decimal is not None:
            template.options.decimal = needed.decimal
        previous = template.spots.get(name)
        spot.corrected = name in corrected or bool(previous and previous.corrected)
        template.spots[name] = spot
        template.fixed.pop(name, None)
    issued, due = after.get("date"), after.get("due_date")
    if isinstance(issued, date) and isinstance(due, date) and due >= issued:
        # the days to pay as a person confirmed them, each approval's: the dates' spots alone
        # would keep only the last invoice's terms, and the vendor's invoices on other terms
        # would all go to a person
        template.terms = known_terms + [(due - issued).days] * ((due - issued).days not in known_terms)
    template.taught.append({**(taught_by or {}), "fields": [n for n in corrected if n not in skipped]})
    return template, skipped


# ------------------------------------------------------------------------------ choosing and checking

#: a Chinese name this long (in characters) is still the vendor's with one character misread;
#: each character carries about as much as a Latin word, so a shorter one could be another firm's
HAN_NAME_MIN = 8
DOUBTED = 0.6  # a character read below this confidence (the default threshold) is one the scan doubted


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _han_slip(key: str, spaced: str, words: list[Word]) -> bool:
    """A Chinese name (``key``, folded) printed on the page with exactly one character read
    otherwise (鹭 read 警 or 敬 on a scan), where the scan doubted that very character: every
    word of the page that holds the character read was read below ``DOUBTED``. A character
    read with confidence that differs names another firm (厦门鹭江 is not 厦门鹭岛)."""
    if len(key) < HAN_NAME_MIN or sum(map(_is_han, key)) < HAN_NAME_MIN or not words:
        return False
    for start in range(len(spaced) - len(key) + 1):
        window = spaced[start: start + len(key)]
        if " " in window or spaced[start - 1: start] not in (" ", "") \
                or spaced[start + len(key): start + len(key) + 1] not in (" ", ""):
            continue
        slips = [(want, got) for want, got in zip(key, window) if want != got]
        if len(slips) != 1 or not _is_han(slips[0][1]):
            continue
        holding = [w for w in words if slips[0][1] in w.text]
        if holding and all(w.conf < DOUBTED for w in holding):
            return True
    return False


#: how alike (rapidfuzz ratio) a run of words read must be to a vendor's name whose differing
#: words the scan doubted: one letter doubled or lost in a name of 20 ('Iimprenta Castillo S.A.')
NAME_SLIP_RATIO = 90


def _doubted_slip(key: str, words: list[Word]) -> bool:
    """A Latin-script name (``key``, as ``words_of`` writes it) read on one line with its words
    alike (``NAME_SLIP_RATIO``), where every word read otherwise than the name spells it was one
    the scan doubted (below ``DOUBTED``): 'Iimprenta Castillo S.A.' (the first word at 0.48),
    'Tipografia Ricci S.r.].' (the legal form at 0.24). A word read with confidence that the
    name does not have names another firm (Nord Bau GmbH is not Nord Baum GmbH)."""
    from rapidfuzz import fuzz

    names = key.split()
    if len(key) < 8 or not words or any(_is_han(c) for c in key):
        return False
    spelled = set(names)
    for start in range(len(words)):
        for count in range(1, len(names) + 2):  # a word read may hold several of the name's ('S.r.l.')
            run = words[start: start + count]
            if len(run) < count or any(abs(w.cy - run[0].cy) > run[0].height / 2 or w.page != run[0].page
                                       for w in run):
                break
            read = words_of(" ".join(w.text for w in run))
            if len(read.split()) > len(names) + 1:
                break
            if fuzz.ratio(key, read) < NAME_SLIP_RATIO:
                continue
            if all(w.conf < DOUBTED or set(words_of(w.text).split()) <= spelled for w in run):
                return True
    return False


#: how alike (rapidfuzz ratio) a run of whole words must be to a learned name to be that name
#: read with a slip: one letter read otherwise in a name of a dozen, two in one of twenty-five
NAME_SLIP_WORDS = 92


def _slipped_name_in(name: str, spaced: str) -> bool:
    """Does ``spaced`` (a page's folded words, ``words_of``) hold ``name`` as whole words with
    a slip? Either a run of whole words as long as the name, as alike as ``NAME_SLIP_WORDS``;
    or, its spaces aside (a name taught as one scan read it, ``dvorak asyn``, is ``dvorak a
    syn`` on the next, which no window of the name's own length lines up with), as many
    letters, one in twelve at most read otherwise: a letter more or less is another name
    ('Acme Tradings'). Letters a scan read as digits ('Sp. z o.o.' read 'Sp. z 0.0') count as
    no slip at all."""
    from rapidfuzz import fuzz

    key, text = name.translate(_DIGIT_AS_LETTER), spaced.translate(_DIGIT_AS_LETTER)
    near = fuzz.partial_ratio_alignment(key, text, score_cutoff=NAME_SLIP_WORDS - 8)
    if near is None:
        return False
    if near.score >= NAME_SLIP_WORDS and text[near.dest_start - 1: near.dest_start] in (" ", "") \
            and text[near.dest_end: near.dest_end + 1] in (" ", ""):
        return True
    # the spacing-free runs start where the name lies at best, as windows of its length see it
    # (a page holds hundreds of words, a deskbot home hundreds of vendors)
    solid = key.replace(" ", "")
    allowed = (100 - NAME_SLIP_WORDS) / 100 * len(solid)
    starts = [m.start() for m in re.finditer(r"\S+", text)]
    words = text.split()
    for start in (i for i, at in enumerate(starts) if abs(at - near.dest_start) <= 3):
        run = ""
        for word in words[start:]:
            run += word
            if len(run) > len(solid):
                break
            if len(run) == len(solid) and sum(a != b for a, b in zip(solid, run)) <= allowed:
                return True
    return False


def find_learned(templates: list, text: str, words: list[Word] = ()) -> tuple[LearnedTemplate | None, float]:
    """The learned template of the vendor ``text`` belongs to, and how surely (ids shared by
    several vendors' templates are the buyer's, and identify nobody). ``words``: the words as
    read (their confidences), when there are any."""
    learned = [t for t in templates if isinstance(t, LearnedTemplate)]
    if not learned:
        return None, 0.0
    owners: dict[str, set[str]] = {}
    for t in learned:
        for i in t.ids():
            owners.setdefault(i, set()).add(fold(t.vendor))
    shared = {i for i, vendors in owners.items() if len(vendors) > 1}
    scored = sorted(((t.score(text, shared, words), t) for t in learned), key=lambda st: -st[0])
    best_score, best = scored[0]
    if best_score < 1.5:
        return None, 0.0
    if len(scored) > 1 and scored[1][0] == best_score and fold(scored[1][1].vendor) != fold(best.vendor):
        return None, 0.0  # two vendors fit equally: a person must look, not a guess
    return best, best_score


def near_a_known_vendor(templates: list, issuer: Field | None) -> dict | None:
    """The issuer read on a document no learned template was found for, when it is one slip
    from a vendor deskbot learned (one Chinese character of a name of ``HAN_NAME_MIN`` or more
    read otherwise, a Latin name as alike as ``NAME_SLIP_RATIO``) but not that vendor's name: the
    scan misread the vendor's name with confidence (鹭 read 警 at 0.9), or it is another firm of a
    near name. Either way the name read is not booked: a failed check that names both, or None."""
    from rapidfuzz import fuzz

    if issuer is None or not str(issuer.value or "").strip():
        return None
    read = words_of(str(issuer.value))
    for template in (t for t in templates if isinstance(t, LearnedTemplate)):
        for name in template.names:
            known = words_of(name)
            if not known or known == read:
                continue
            if any(_is_han(c) for c in known):
                near = (len(known) == len(read) and len(known) >= HAN_NAME_MIN
                        and sum(a != b for a, b in zip(known, read)) == 1)
            else:
                near = len(known) >= 8 and fuzz.ratio(known, read) >= NAME_SLIP_RATIO
            if near:
                return {"name": "issuer_near_known_vendor", "ok": False,
                        "detail": f"issuer read {issuer.value!r}, one slip from {name!r}, a vendor deskbot learned, "
                                  f"whose template was not found on this document: a misread name or another firm; "
                                  f"a person must look"}
    return None


def _money_of(fields: dict[str, Field], name: str) -> Decimal | None:
    """The amount ``fields`` holds under ``name``; None when it holds none."""
    f = fields.get(name)
    return f.value if f is not None and isinstance(f.value, Decimal) else None


def sums_hold(fields: dict[str, Field], lines: list[dict]) -> bool | None:
    """True when every sum that can be checked holds, False when one fails, None when none can.
    A ``rounding`` field (a line printed under a rounding label, at most one unit, as the main
    checks allow it: ``vision.checks``) is part of the sum that makes the total."""
    total, untaxed, tax = _money_of(fields, "amount"), _money_of(fields, "amount_untaxed"), _money_of(fields, "vat")
    if total is None:
        return None
    rounding = _money_of(fields, "rounding")
    offsets = (Decimal(0),) + ((rounding,) if rounding is not None and abs(rounding) <= MAX_ROUNDING else ())
    results = []
    if untaxed is not None:
        results.append(any(abs(untaxed + (tax or Decimal(0)) + r - total) <= TOLERANCE for r in offsets))
    if lines:
        line_sum = sum((item["amount"] for item in lines), Decimal(0))
        base = untaxed if untaxed is not None else (total - tax if tax is not None else total)
        results.append(abs(line_sum - base) <= TOLERANCE
                       or any(abs(line_sum + r - total) <= TOLERANCE for r in offsets))
    return all(results) if results else None


def _fixed_by_both_sums(fields: dict[str, Field], lines: list[dict], lines_add_up_to: str = "amount_untaxed") -> bool:
    """Net + tax (+ rounding) = total, and line items were read that add up to the net (or, with
    ``lines_add_up_to="amount"``, to the total: rows printed with their tax, a GST row's last
    column): each amount is then fixed by readings that owe nothing to its own."""
    amounts = [fields.get(n) for n in AMOUNTS]
    if not lines or any(f is None or not isinstance(f.value, Decimal) for f in amounts):
        return False
    line_sum = sum((item["amount"] for item in lines), Decimal(0))
    return sums_hold(fields, lines) is True and abs(line_sum - fields[lines_add_up_to].value) <= TOLERANCE


#: an amount in groups of three digits, its decimals two, whatever marks and spaces a scan made
#: of the marks between them ('19 ,393 ,56' of 19,393.56: the point read as a comma, set apart)
_MARKS_GARBLED = re.compile(r"(?<![\d.,])\d{1,3}(?:\s?[.,]?\s?\d{3})*\s?[.,]\s?\d{2}(?![\d])")


def _printed_with_marks_garbled(page: Page, figure: Decimal) -> list[_Candidate]:
    """The words of ``page`` that print ``figure``'s every digit, in order and grouped as an
    amount is, where the scan garbled the marks between the groups so that no amount pattern
    reads them ('19 ,393 ,56' of 19,393.56). The figure comes from the sums; the page printing
    its digits is what keeps it from being booked unprinted."""
    digits = f"{figure:.2f}".replace(".", "").lstrip("0") or "0"
    out = []
    for line in page.lines:
        for seg in line.segments:
            for hit in _MARKS_GARBLED.finditer(seg.text):
                used = seg.words_in(hit.start(), hit.end())
                if used and re.sub(r"\D", "", hit.group()) == digits:
                    out.append(_Candidate(figure, box_of(used), min(w.conf for w in used), hit.group(), page.number,
                                          used))
    return out


def _tax_of_its_rates(doc: Document, fields: dict[str, Field], lines: list[dict]) -> dict | None:
    """The tax of an invoice that taxes at more than one rate and prints no tax total: one row
    per rate under the net, each the rate, its base and its tax ('+7 % MwSt. auf 966,87  67,68'),
    where a tax read from one row alone breaks net + tax = total. Their taxes together are the
    invoice's tax when every row's tax is its base at its rate, the bases add up to the net, net
    + those taxes = total and the line items add up to the net: each figure is printed and fixed
    by the others. ``fields`` change in place; returns the check, or None when no rows do."""
    total, net = _money_of(fields, "amount"), _money_of(fields, "amount_untaxed")
    if total is None or net is None or net <= 0:
        return None
    for page in doc.pages:
        rows = [row for row in map(_taxed_at_its_rate, page.lines) if row is not None]
        if len(rows) < 2 or abs(sum((base for base, _, _ in rows), Decimal(0)) - net) > TOLERANCE:
            continue
        tax = sum((tax for _, tax, _ in rows), Decimal(0))
        words = [w for _, _, used in rows for w in used]
        trial = {**fields, "vat": LearnedField(tax, min(w.conf for w in words), "learned", page.number,
                                               " + ".join(f"{t}" for _, t, _ in rows), box=box_of(words),
                                               detail=f"the taxes of its {len(rows)} rates added up")}
        if _fixed_by_both_sums(trial, lines):
            was = fields["vat"].value if "vat" in fields else "-"
            fields.update(trial)
            return {"name": "learned_template", "ok": True,
                    "detail": f"vat {was} -> {tax}: the page taxes at {len(rows)} rates, each row's tax its base "
                              f"at its rate; the bases add up to the net, net + tax = total and the lines add up "
                              f"to the net"}
    return None


def _taxed_at_its_rate(line: Line) -> tuple[Decimal, Decimal, list[Word]] | None:
    """(base, tax, the words of both) of a row that prints one rate and two amounts, the second
    the first at that rate to the cent: a tax row of an invoice taxing at several rates."""
    rates = [Decimal(m.group(1).replace(",", ".")) for m in PERCENT.finditer(line.text)]
    amounts = [(value, seg.words_in(a, b)) for seg in line.segments
               for value, _, a, b in find_amounts(seg.text) if value > 0]
    if len(rates) != 1 or len(amounts) != 2 or not all(used for _, used in amounts):
        return None
    (base, base_words), (tax, tax_words) = amounts
    if abs((base * rates[0] / 100).quantize(TOLERANCE, rounding=ROUND_HALF_UP) - tax) > TOLERANCE:
        return None
    return base, tax, base_words + tax_words


def _mark_lost(text: str, figure: Decimal) -> bool:
    """Is ``text`` ``figure``'s digits, all of them and in order, in one run with no mark
    between them ('1221' of 12.21): an amount whose decimal mark the scan lost."""
    runs = re.findall(r"\d+", text)
    return len(runs) == 1 and not re.search(r"[.,]\d", text) and runs[0] == f"{figure:.2f}".replace(".", "")


def _taxed_by_its_rows(tax: Decimal, lines: list[dict]) -> bool:
    """Every line item read prints its own tax (a fapiao's 税额 column) and those add up to
    ``tax``, a cent per row rounded: a sum of figures read apart from the tax's own, which a
    tax row taken for an item, or a net read from the total, would not make."""
    taxes = [item.get("tax") for item in lines]
    if not taxes or not all(isinstance(t, Decimal) and t > 0 for t in taxes):
        return False
    return abs(sum(taxes, Decimal(0)) - tax) <= TOLERANCE * len(taxes)


#: how far an invoice's tax may stand from its net times the vendor's rate, as a share of the net,
#: beyond a cent per line (``LearnedTemplate.keeps_its_rate``): a rate the approved invoice showed
#: rounded to the cent; 13% is not 6%, nor 20% 19.5%
RATE_SLACK = Decimal("0.0005")


#: how far, in text heights, a value may stand from where another learned value puts it
#: (``_placed_from``): across, the few digits an amount gains or loses; down, well under a row
PLACED_ACROSS = 3.0
PLACED_DOWN = 0.8
#: how far either side of an amount's words, in text heights, its ink is read again when the sums
#: fail (``LearnedTemplate._amount_read_again``): a digit or two the first reading cut off
AMOUNT_WIDENED = 1.5


def _where_placed(page: Page, spot: Spot, witness: Spot,
                  witness_box: tuple[float, float, float, float]) -> tuple[float, float, float]:
    """Where ``spot`` stands on ``page`` relative to ``witness`` read at ``witness_box``: its
    left and right edges and the middle of its height, in pixels."""
    left = witness_box[0] + (spot.region[0] - witness.region[0]) * page.width
    right = witness_box[2] + (spot.region[2] - witness.region[2]) * page.width
    middle = (witness_box[1] + witness_box[3]) / 2 + ((spot.region[1] + spot.region[3])
                                                      - (witness.region[1] + witness.region[3])) / 2 * page.height
    return left, right, middle


def _placed_from(page: Page, name: str, spot: Spot, witness: Spot, witness_box: tuple[float, float, float, float],
                 opts: Options) -> _Candidate | None:
    """The value of ``name`` nearest where ``spot`` stands relative to another learned spot
    (``witness``) whose value was read at ``witness_box`` on ``page``: the two places' offset
    on the page that taught them, in page fractions (the same at any scale), from the left
    edges and from the right ones (an amount is aligned on one of them). None when no value
    stands within ``PLACED_ACROSS`` / ``PLACED_DOWN`` text heights of it."""
    if spot.page != witness.page or spot.page != page.number:
        return None
    h = page_unit(page)
    left, right, middle = _where_placed(page, spot, witness, witness_box)
    best: tuple[float, _Candidate] | None = None
    for c in candidates(page, name, opts):
        across = min(abs(c.box[0] - left), abs(c.box[2] - right)) / h
        down = abs((c.box[1] + c.box[3]) / 2 - middle) / h
        if across <= PLACED_ACROSS and down <= PLACED_DOWN and (best is None or across + 2 * down < best[0]):
            best = (across + 2 * down, c)
    return best[1] if best else None


def _placed_box(page: Page, spot: Spot, witness: Spot,
                witness_box: tuple[float, float, float, float]) -> tuple[float, float, float, float] | None:
    """The box of ink where ``_placed_from`` looks for ``spot``'s value, a text height wider
    each side; None on another page, or where it would take in the witness's own ink."""
    if spot.page != witness.page or spot.page != page.number:
        return None
    h = page_unit(page)
    left, right, middle = _where_placed(page, spot, witness, witness_box)
    box = (max(0.0, left - h), middle - 0.7 * h, min(page.width, right + h), middle + 0.7 * h)
    if box[2] - box[0] < 2 * h or overlap(box, witness_box) > 0:
        return None
    return box


def _placed_ink(doc: Document, page: Page, name: str, spot: Spot, witness: Spot,
                witness_box: tuple[float, float, float, float], opts: Options) -> _Candidate | None:
    """The amount ``name`` read again from the ink where ``_placed_from`` looks for it, when
    the page's first reading found nothing there: at least ``SPOT_READINGS_AGREEING`` readings
    must give one amount, none another (``_read_box_again``)."""
    box = _placed_box(page, spot, witness, witness_box)
    if box is None:
        return None
    got = _read_box_again(doc, page, box, name, spot, opts)
    if got is None:
        return None
    return _Candidate(got.value, box, got.confidence, got.text, page.number)


def _with_rounding(fields: dict[str, Field], lines: list[dict], roundings: list[Field]) -> dict[str, Field] | None:
    """``fields`` with the rounding line that makes the sums hold: the one the generic reading
    applied, none, or one printed under a rounding label (``roundings``, with or without its
    sign: it is often printed bare), at most one unit; None when no choice does."""
    variants = [fields]
    if "rounding" in fields:
        variants.append({k: v for k, v in fields.items() if k != "rounding"})
    for line in roundings:
        if isinstance(line.value, Decimal) and 0 < abs(line.value) <= MAX_ROUNDING:
            variants += [{**fields, "rounding": Field(sign * line.value, line.confidence, "layout", line.page,
                                                      line.text, detail="rounding line printed on the invoice, "
                                                                        "part of the sum that makes the total")}
                         for sign in (1, -1)]
    return next((v for v in variants if sums_hold(v, lines) is not False), None)


#: an amount read at least this surely is left as read, confirmed or not
SURE_AMOUNT = 0.8



def _vouch_by_sums(fields: dict[str, Field], lines: list[dict]) -> str:
    """When net + tax (+ rounding) = total and the line items add up to the net (or, printed
    with their tax, to the total), each of the three amounts is fixed by the other two: one
    whose ink OCR read faintly (cents set apart, a smudge, a bold total: confidence 0.18)
    takes the confidence of the two that confirm it (the policy's threshold then decides as
    for any field). ``fields`` change in place; returns what was vouched for ('' when nothing)."""
    amounts = {n: fields.get(n) for n in AMOUNTS}
    if not lines or any(f is None or not isinstance(f.value, Decimal) for f in amounts.values()):
        return ""
    line_sum = sum((item["amount"] for item in lines), Decimal(0))
    rounding = fields.get("rounding")
    offsets = (Decimal(0),) + ((rounding.value,) if rounding is not None and isinstance(rounding.value, Decimal)
                               and abs(rounding.value) <= MAX_ROUNDING else ())
    to_net = abs(line_sum - amounts["amount_untaxed"].value) <= TOLERANCE
    to_total = any(abs(line_sum + r - amounts["amount"].value) <= TOLERANCE for r in offsets)
    if not (to_net or to_total) or not sums_hold(fields, lines):
        return ""
    vouched = []
    for name, f in amounts.items():
        others = min(g.confidence for n, g in amounts.items() if n != name)
        if f.source == "learned" and f.confidence < min(SURE_AMOUNT, others):
            fields[name] = replace(f, confidence=others, detail=(f.detail + "; " if f.detail else "")
                                   + f"read at {f.confidence:.2f}; net + tax = total and the lines add up "
                                     f"to the {'net' if to_net else 'total'}")
            vouched.append(f"{name} {f.value} (read at {f.confidence:.2f}) confirmed by both sums")
    return ", ".join(vouched)


def _vouch_by_reprint(doc: Document, fields: dict[str, Field], template: "LearnedTemplate",
                      decimal: str | None) -> str:
    """When no line item was read (a table the scan blurred), a learned total whose ink OCR
    read faintly beside the vendor's label for it is as sure as its witnesses when net + tax
    (+ rounding) = total, the net and the tax were read surely, and the page prints the same
    figure again in clear words (the amount to pay under the table:
    ``vision.fields.clear_reprint``): a misread total would have to be misread alike in two
    places and still make the sum. Only the total (a net or tax needs the lines), and only one
    learned beside a label: a page place alone stays a suggestion. ``fields`` change in place;
    returns what was vouched for ('' when nothing)."""
    spot = template.spots.get("amount")
    if spot is None or spot.anchor is None:
        return ""
    total = fields.get("amount")
    others = [fields.get(n) for n in ("amount_untaxed", "vat")]
    if (total is None or total.source != "learned" or total.confidence >= SURE_AMOUNT
            or any(f is None or f.confidence < SURE_AMOUNT for f in others) or sums_hold(fields, []) is not True):
        return ""
    reprint = clear_reprint(doc, total, decimal)
    if reprint is None:
        return ""
    sure = min(reprint[0], *(f.confidence for f in others))
    fields["amount"] = replace(total, confidence=sure, detail=f"read at {total.confidence:.2f}; net + tax = total "
                                                              f"and {reprint[1]!r} prints it again")
    return f"amount {total.value} (read at {total.confidence:.2f}) confirmed by net + tax and printed again"


def keep_arithmetic(fields: dict[str, Field], generic: dict[str, Field], lines: list[dict],
                    roundings: list[Field] = (), doc: Document | None = None,
                    template: "LearnedTemplate | None" = None, decimal: str | None = None) -> dict | None:
    """A learned amount never overrides arithmetic that disagrees with it. When the learned
    amounts break a sum that the generic reading keeps, the generic amounts stay (``fields``
    is changed in place); when no reading makes the sums hold, the check fails and a person
    looks. ``roundings``: the amounts printed under a rounding label, which may close the sum
    as on any invoice. ``doc`` (its amounts written with ``decimal``) and the ``template`` read
    on it: where a faint learned total may be printed again when no line item was read
    (``_vouch_by_reprint``). Returns the check to add, or None when no learned amount was used."""
    learned = [n for n in AMOUNTS if n in fields and fields[n].source == "learned"]
    if not learned:
        return None
    held = _with_rounding(fields, lines, roundings)
    if held is not None:
        held = dict(held)  # may be ``fields`` itself
        fields.clear()
        fields.update(held)
        detail = (f"learned {', '.join(learned)} agree with the sums" if sums_hold(held, lines)
                  else f"learned {', '.join(learned)} (no sum to check them against)")
        vouched = _vouch_by_sums(fields, lines)
        if not vouched and not lines and doc is not None and template is not None:
            vouched = _vouch_by_reprint(doc, fields, template, decimal)
        if vouched:
            detail += f"; {vouched}"
        return {"name": "learned_template", "ok": True, "detail": detail}
    for size in range(1, len(learned) + 1):
        for subset in combinations(learned, size):
            trial = dict(fields)
            for name in subset:
                if name in generic:
                    trial[name] = generic[name]
                else:
                    trial.pop(name, None)
            held = _with_rounding(trial, lines, roundings) if "amount" in trial else None
            if held is not None and sums_hold(held, lines) and (
                    template is None or template.keeps_its_rate(held, lines, doc.text if doc is not None else "")):
                dropped = ", ".join(f"{n} {fields[n].value}" for n in subset)
                held = dict(held)
                fields.clear()
                fields.update(held)
                detail = f"learned {dropped} set aside: the sums hold with what is printed elsewhere"
                vouched = _vouch_by_sums(fields, lines)
                return {"name": "learned_template", "ok": True, "detail": detail + (f"; {vouched}" if vouched else "")}
    mended = _mark_read_as_a_digit(fields, lines, learned)
    if mended is not None:
        # the mark read faintly as a digit made the whole word faint; the sums that fixed the
        # value vouch for it as for any learned amount
        vouched = _vouch_by_sums(fields, lines)
        return {**mended, "detail": mended["detail"] + (f"; {vouched}" if vouched else "")}
    shown = ", ".join(f"{n} {fields[n].value}" for n in learned)
    return {"name": "learned_template", "ok": False,
            "detail": f"learned {shown} disagree with the sums (net + tax, line items); a person must look"}


def _mark_read_as_a_digit(fields: dict[str, Field], lines: list[dict], learned: list[str]) -> dict | None:
    """A learned amount whose currency mark, printed against its first digit, the scan read as
    one more digit ('¥20,276.90' read '820,276.90', '₹1,899.80' read '71,899.80'): read
    without that first digit, when net + tax = total and the line items add up to the net then
    (each amount fixed by the other two: ``_fixed_by_both_sums``) or, for the total, to the
    total (its lines printed with their tax). ``fields`` change in place;
    returns the check, or None when no such reading makes both sums hold."""
    for name in learned:
        found = fields[name]
        text = re.sub(r"\s+", "", str(found.text or ""))
        whole = str(abs(int(found.value))) if isinstance(found.value, Decimal) else ""
        if len(whole) < 2 or whole[1] == "0" or not text.startswith(whole[0]) or not text[1:2].isdigit():
            continue
        value = found.value - Decimal(whole[0]) * 10 ** (len(whole) - 1) * (1 if found.value > 0 else -1)
        trial = {**fields, name: replace(found, value=value, detail=(found.detail + "; " if found.detail else "")
                                         + f"read {text!r}: its first digit is the currency mark")}
        witness = ("net" if _fixed_by_both_sums(trial, lines)
                   else "total" if name == "amount" and _fixed_by_both_sums(trial, lines, "amount") else None)
        if witness:
            fields.update(trial)
            return {"name": "learned_template", "ok": True,
                    "detail": f"learned {name} {found.value} -> {value}: the currency mark before it read as a "
                              f"digit; net + tax = total and the lines add up to the {witness}"}
    return None


#: learned values no sum can check: on a scan they are read again before they are booked
UNCHECKED = ("invoice_number", "date", "due_date")
#: second readings that must say the value (of ``vision.reread.VARIANTS``), none saying another
AGREEING = 2


#: a separator between two characters, with spaces beside it or not: a reading at another scale
#: may set it apart ('26 - 03303' of '26-03303')
_SEPARATOR = re.compile(r"(?<=\w)\s*([-/.])\s*(?=\w)")


#: the space a reading put between two ideographs (kana, kanji): CJK writing has none
_IDEOGRAPHS_SET_APART = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff])\s+(?=[\u3040-\u30ff\u3400-\u9fff])")


def _verdict(name: str, value: Any, text: str, opts: Options) -> str:
    """What one second reading of the ink of ``value`` says: 'same', 'other' (another value of
    the same form: another date, a number of the vendor's form with another digit) or 'unclear'
    (nothing of that form: a digit broken into a stroke, a smudge)."""
    if name in DATES:
        from vision.reread import date_verdict

        # a reading at another scale may set two ideographs of one word apart ('令 和 8 年' of
        # 令和8年): the era's name is one word, and no date pattern reads it split
        text = _IDEOGRAPHS_SET_APART.sub("", text)
        said = date_verdict(value, text, opts.day_first, None)
        return _figures_in_order(value, text, opts.day_first) if said == "unclear" else said
    wanted = str(value)
    words = text.split()
    verdict = "unclear"
    for i in range(len(words)):
        # a separator the second reading set apart ('26 - 03303' of '26-03303') is a word of its own
        for j in range(i + 1, min(i + len(wanted.split()) + 3, len(words) + 1)):
            piece = _dollar_as_s(" ".join(words[i:j]).strip(" :#.,;|[](){}'\""))
            if not re.search(r"\s[-/.]|[-/.]\s", wanted):
                piece = _SEPARATOR.sub(r"\1", piece)
            if not piece:
                continue
            # a slip of the scan the vendor's form explains ('FT FI26/7967' of 'FT FT26/7967')
            mended = in_vendors_form(piece, wanted)
            if mended is not None and _same(name, mended, wanted):
                return "same"
            settled = settle_lookalikes(piece, wanted)
            if settled is None:
                continue
            if _same(name, settled, wanted):
                return "same"
            if shape(settled) == shape(wanted) and len(settled) == len(wanted):
                verdict = "other"
    return verdict


def _figure_lost(name: str, text: str, spot: Spot) -> str | None:
    """Why a date a scan read as ``text`` is doubted, when it prints a day or month of one
    figure where the vendor's confirmed date (``spot.example``) pads them to two ('07'): a
    vendor prints every date alike, so the figure is one the scan lost ('2026 年 1 月 20 日' of
    '2026 年 11 月 20 日'), and reading the same ink again loses it again. Also when a date of
    年 and 月 ends after one figure of its day, its 日 not read: the ink lost at the end may
    have held a figure too. None otherwise."""
    def day_and_month(printed: str) -> list[str]:
        return [run for run in re.findall(r"\d+", printed) if len(run) <= 2]

    if name not in DATES:
        return None
    if _CUT_AFTER_ONE_FIGURE_OF_ITS_DAY.search(text):
        # the 日 closing the date was not read, and ink lost at the date's end may have taken a
        # figure of the day with it ('2026 年 11 月 1' of '2026 年 11 月 11 日'): read again, the
        # same box says the same cut-short day
        return f"a day of one figure ending the date, its closing 日 not read ({text.strip()!r}): a figure lost?"
    if not any(len(run) == 2 and run.startswith("0") for run in day_and_month(spot.example)):
        return None
    if not any(len(run) == 1 for run in day_and_month(text)):
        return None
    return f"a day or month of one figure where the vendor pads them to two ({spot.example!r}): a figure lost?"


#: a date written with 年 and 月 whose reading ends after one figure of its day, without the 日
_CUT_AFTER_ONE_FIGURE_OF_ITS_DAY = re.compile(r"年\s*\d{1,2}\s*月\s*\d\s*$")


def _padded_figures(value: date, day_first: bool) -> set[str]:
    """A date's figures as printed with two-digit day and month in this order, year of 2 or 4."""
    first, second = (value.day, value.month) if day_first else (value.month, value.day)
    return {f"{first:02d}{second:02d}{value.year % 100:02d}", f"{first:02d}{second:02d}{value.year}"}


#: a figure with a character beside it that is neither a figure nor a mark a date is printed with
_FIGURES_AGAINST_GARBLE = re.compile(r"\d[^\d\s.,:;/\\|\-']|[^\d\s.,:;/\\|\-']\d")


def _figures_in_order(value: Any, text: str, day_first: bool | None) -> str:
    """What a second reading of a numeric date says by its figures alone, when the marks between
    them came out as others ('29:11:26' of 29.11.26: no date pattern reads a colon), in the
    order this vendor writes its dates (a template's ``day_first``, which a person's approval
    settled): exactly three runs of digits, day and month of one or two digits each in that
    order, then a year of two or four, are 'same' when they are ``value`` and 'other' when they
    are another date. With a mark lost ('15.0127'), figures that are ``value``'s with two-digit
    day and month are 'same'; anything else ('1311826', a mark read as a digit) is 'unclear'.
    A run of figures with a letter or a sign against it ('Z2¥10.26') is 'unclear' too: that
    ink is a figure misread, so the run may be short of one and says no date."""
    if not isinstance(value, date) or day_first is None or _FIGURES_AGAINST_GARBLE.search(text):
        return "unclear"
    runs = re.findall(r"\d+", text)
    if len(runs) != 3 or len(runs[2]) not in (2, 4) or not all(1 <= len(r) <= 2 for r in runs[:2]):
        # a mark lost ('15.0127' of 15.01.27): the figures of the date written with two-digit day
        # and month in the vendor's order, and nothing else, can be no other date
        if re.fullmatch(r"[\d\s.,:;/\-']+", text.strip()) and "".join(runs) in _padded_figures(value, day_first):
            return "same"
        return "unclear"
    day, month = (runs[0], runs[1]) if day_first else (runs[1], runs[0])
    year = int(runs[2]) + (value.year - value.year % 100 if len(runs[2]) == 2 else 0)
    try:
        read = date(year, int(month), int(day))
    except ValueError:
        return "unclear"
    return "same" if read == value else "other"


def confirm_by_reading_again(doc: Document, fields: dict[str, Field], opts: Options,
                             template: "LearnedTemplate | None" = None) -> dict | None:
    """An invoice number or date read by OCR at a learned spot has no arithmetic to confirm
    it: a digit taken for another (a 7 read as 5) would be booked as it stands. So its ink is
    read again, at other scales and thresholds (``vision.reread``): at least ``AGREEING`` of
    those readings must say the value and none another value of its form; otherwise the check
    fails and a person looks. Only an invoice that would be booked is worth it: a value read
    faintly stays with a person even if it reads the same again (the box itself may cut the
    number short: '26/75' of '26/757046', confidence 0.00, read alike three times). Returns
    the check, or None when no such value was read."""
    from vision.reread import check_by_reading_again, vouched_by_terms

    lengthened = _read_whole_again(doc, fields, template) if template is not None else None
    # a value the template only settled (a date's order) was read where the generic reader
    # found it, like any other field: only what was read at a learned spot has a box here
    todo = [(n, replace(fields[n], box=_line_of_digits(doc, fields[n])))
            for n in UNCHECKED if n in fields and isinstance(fields[n], LearnedField)]
    terms = template.payment_terms() if template is not None else ()

    def verdict(name: str, value: Any, text: str) -> str:
        said = _verdict(name, value, text, opts)
        if said == "other" and _refuted_by_terms(name, text, fields, terms, opts.day_first):
            return "unclear"
        return said

    check = check_by_reading_again(doc, todo, verdict, "learned_reread", languages_of=_reading_languages,
                                   agreeing=vouched_by_terms(dict(todo), terms))
    if check is not None and not check["ok"]:
        # every reading again took one digit of the number for another: the page's own prints
        # of the digits may say which it is (the readings are remembered: no second OCR)
        number = dict(todo).get("invoice_number")
        settled = _digit_settled_by_prints(doc, number) if number is not None else None
        if settled is not None:
            rest = [(n, f) for n, f in todo if n != "invoice_number"]
            again = check_by_reading_again(doc, rest, verdict, "learned_reread",
                                           languages_of=_reading_languages) if rest else None
            if again is None or again["ok"]:
                check = {"name": "learned_reread", "ok": True,
                         "detail": (again["detail"] + "; " if again else "") + settled}
    if check is not None and lengthened:
        check = {**check, "detail": check["detail"] + f" ({lengthened})"}
    return check


def _refuted_by_terms(name: str, text: str, fields: dict[str, Field], terms: tuple[int, ...],
                      day_first: bool | None) -> bool:
    """Is a reading again of date ``name`` that says another date ('29.10.26' of the due date
    25.10.26 read first, a 5's open bowl closed) refuted by the vendor's payment terms: the
    date as read keeps them with the other date, and every date the reading can be breaks them.
    The terms are the page's other date, read on its own: a misread that kept them would have
    to misread both dates alike."""
    other = fields.get("due_date" if name == "date" else "date")
    found = fields.get(name)
    if not terms or other is None or found is None or not all(isinstance(f.value, date) for f in (found, other)):
        return False

    def apart(read: date) -> int:
        return (read - other.value).days if name == "due_date" else (other.value - read).days

    said = {hit[0] for hit in find_dates(text, day_first)} if day_first is not None else _readings(text)
    return apart(found.value) in terms and bool(said) and all(apart(d) not in terms for d in said)


#: characters a reading of a number's box may carry at its edges (a colon of the label, a rule)
_NUMBER_EDGE = " :#.,;|[](){}'\"‘’“”"


def _read_whole_again(doc: Document, fields: dict[str, Field], template: "LearnedTemplate") -> str | None:
    """A learned invoice number the first reading cut short ('FT 2026A/624' where the vendor
    writes 'FT 2026A/6245': the last digit faint or against the box's edge), whose ink, read
    again (``vision.reread``), says one number every time: of the vendor's form and exactly as
    long as the number a person confirmed, beginning or ending with what was read first. That
    number is taken (``fields`` change in place) and the readings that said it stand behind
    it as behind any learned number. Says what it did, or None when nothing was lengthened."""
    from vision.reread import page_image, readings

    found, spot = fields.get("invoice_number"), template.spots.get("invoice_number")
    if (not isinstance(found, LearnedField) or spot is None or not spot.example or found.box is None
            or not 0 < (found.page or 0) <= len(doc.pages) or doc.pages[found.page - 1].source != "ocr"):
        return None
    value, example = str(found.value), spot.example
    if len(value) >= len(example) or shape(value) != shape(example):
        return None
    box = _line_of_digits(doc, found)
    image = page_image(doc.path, doc.pages[found.page - 1])
    if image is None or box is None:
        return None
    (texts,) = readings(image, [box], _reading_languages(found))
    said = {in_vendors_form(text.strip(_NUMBER_EDGE), example) for text in texts}
    if len(texts) <= AGREEING or len(said) != 1:
        return None
    (whole,) = said
    if whole is None or not (whole.startswith(value) or whole.endswith(value)):
        return None
    fields["invoice_number"] = replace(found, value=whole, detail=(found.detail + "; " if found.detail else "")
                                       + f"read {value!r} first, cut short; read again "
                                         f"{' / '.join(repr(t) for t in texts)}")
    return f"invoice number read {value!r} first, cut short: every reading again says {whole!r}"


#: a glyph is the digit whose print elsewhere on the page shares at least this much of its ink
#: (``vision.worn.ink_shared``: two prints of one bold serif 5 on a scan, 0.96) ...
PRINT_ALIKE = 0.92
#: ... while no print of another digit shares this much (that 5 and the page's 6: 0.49; a 6
#: and a 0 of that face, 0.72)
PRINT_UNLIKE = 0.8
#: words of the page whose glyphs are compared, nearest first, to bound the work
PRINT_WORDS = 40


def _digit_settled_by_prints(doc: Document, found: Field) -> str | None:
    """A learned number whose every reading again says one other number, one digit apart
    ('360/PA' three times where the page read '560/PA': at 28-36 px Tesseract takes a bold
    serif 5 for a 3): the glyph of that digit is compared with the page's own prints of the
    digits, in words of its height that OCR read surely (the date beside it prints a 5 in the
    same face). When it is a print of the digit first read (``PRINT_ALIKE``) and like no print
    of any other digit (``PRINT_UNLIKE``), the first reading stands: says why; else None (a
    person looks, as before)."""
    from vision.lookalikes import word_glyphs
    from vision.reread import page_image, readings
    from vision.worn import KEY_CONFIDENCE, SAME_HEIGHT, ink_shared

    if found.box is None or not 0 < (found.page or 0) <= len(doc.pages):
        return None
    page = doc.pages[found.page - 1]
    value = re.sub(r"\s+", "", str(found.value))
    words = [w for w in page.words if w.text == value and overlap(found.box, (w.x0, w.y0, w.x1, w.y1)) > 0.5]
    image = page_image(doc.path, page) if page.source == "ocr" and len(words) == 1 else None
    if image is None:
        return None
    (texts,) = readings(image, [found.box], _reading_languages(found))
    said = {re.sub(r"\s+", "", text).strip(_NUMBER_EDGE) for text in texts}
    if len(texts) <= AGREEING or len(said) != 1:
        return None
    (other,) = said
    apart = [k for k, (a, b) in enumerate(zip(value, other)) if a != b]
    if len(other) != len(value) or len(apart) != 1 or not (value[apart[0]].isdigit() and other[apart[0]].isdigit()):
        return None
    k, word = apart[0], words[0]
    mine = word_glyphs(image, word, len(word.text))
    if mine is None:
        return None
    best: dict[str, float] = {}
    # not another print of the number itself ('Rif. 560/PA' below): its digits are in doubt alike
    near = sorted((w for w in page.words if w is not word and value not in w.text and w.conf >= KEY_CONFIDENCE
                   and any(c.isdigit() for c in w.text)
                   and abs(w.height - word.height) <= SAME_HEIGHT * word.height), key=lambda w: abs(w.cy - word.cy))
    for other_word in near[:PRINT_WORDS]:
        theirs = word_glyphs(image, other_word, len(other_word.text))
        for ch, glyph in zip(other_word.text, theirs or []):
            if ch.isdigit():
                best[ch] = max(best.get(ch, 0.0), ink_shared(mine[k], glyph))
    first = value[k]
    if best.get(first, 0.0) < PRINT_ALIKE or any(v >= PRINT_UNLIKE for d, v in best.items() if d != first):
        return None
    return (f"invoice number {found.value}: every reading again said {other!r}, its {first} is a print of the "
            f"page's {first} ({best[first]:.2f} of the ink shared; of any other digit at most "
            f"{max([v for d, v in best.items() if d != first], default=0.0):.2f})")


def _line_of_digits(doc: Document, found: LearnedField) -> tuple[float, float, float, float] | None:
    """The box of ``found`` to read again, as high as its digits: OCR may give the characters
    between them boxes reaching into the lines above and below ('年' and '09' of '2026年09月16日'
    57 px high where the digits are 31), and read at that height the digits come out too small
    to read ('2nz6 和 09 有 16')."""
    box = found.box
    if box is None or not 0 < (found.page or 0) <= len(doc.pages):
        return box
    page = doc.pages[found.page - 1]
    line = page_unit(page)
    if box[3] - box[1] <= TALL * line:
        return box  # as high as a line of text: a word OCR read twice over it may be half of it
    digits = [w for w in page.words if any(c.isdigit() for c in w.text) and w.height <= TALL * line
              and overlap(box, (w.x0, w.y0, w.x1, w.y1)) > 0.5]
    if not digits:
        return box
    return (box[0], max(box[1], min(w.y0 for w in digits)), box[2], min(box[3], max(w.y1 for w in digits)))


#: a box this many text heights high (the page's, ``page_unit``) reaches beyond its line
TALL = 1.5


#: a learned number read fainter than this is not read again: its box may hold part of it only
FAINT_FLOOR = 0.3


def faint_numbers(fields: dict[str, Field], template: "LearnedTemplate", threshold: float) -> list[str]:
    """The invoice number, when it was read at its learned spot below ``threshold`` (and not
    far below: ``FAINT_FLOOR``, unless the faint read is the number with its letters read as
    digits) in exactly the vendor's form: the letters, separators and as many characters as
    the number a person confirmed. A faint read cut short ('26/75' of '26/757046') has not the
    vendor's length; one of that form is read again (``confirm_faint``) before a person is
    asked."""
    found = fields.get("invoice_number")
    spot = template.spots.get("invoice_number")
    if not isinstance(found, LearnedField) or spot is None or not spot.example or found.confidence >= threshold:
        return []
    value = str(found.value)
    # a number whose series letters the scan read as digits ('51000859' of the vendor's
    # 'SI000859') is faint for those letters, which the vendor's form settled, not for a box
    # that cut it short: it is read again however faint
    read, whole = re.sub(r"\s+", "", found.text), re.sub(r"\s+", "", value)
    lettered = read != whole and len(read) == len(whole)
    if found.confidence < FAINT_FLOOR and not lettered:
        return []
    if shape(value) != shape(spot.example) or len(value) != len(spot.example):
        return []
    if settle_lookalikes(value, spot.example) != value:
        return []  # 'RO17494' where the vendor writes 'R017494': which was printed is the doubt
    return ["invoice_number"]


def faint_dates(fields: dict[str, Field], template: "LearnedTemplate", threshold: float) -> list[str]:
    """The one date read at its learned spot below ``threshold`` (and not far below:
    ``FAINT_FLOOR``), whole and in the vendor's form (as the date a person confirmed prints it:
    '23-11-2026' of a vendor writing '23-10-2026'), when either
    - the other date was read at or above ``threshold`` and the two keep the vendor's payment
      terms: a figure misread would break them unless the other date were misread alike; or
    - the vendor prints no other date (a fapiao's 开票日期 alone: nothing was learned or read
      for a due date), so the date is like the vendor's number: one value in its learned form,
      read faintly (a clean render's year at 0.45 beside its 年 at 0.96).
    It is read again (``confirm_faint``) before a person is asked. With a due date learned but
    not kept by the terms, or both faint, a person looks as before."""
    issued, due = fields.get("date"), fields.get("due_date")
    if isinstance(issued, LearnedField) and due is None and "due_date" not in template.spots:
        faint = ["date"] if FAINT_FLOOR <= issued.confidence < threshold and issued.box is not None else []
    else:
        if not keeps_terms(issued, due, template.payment_terms()):
            return []
        faint = [n for n in DATES if isinstance(fields[n], LearnedField) and fields[n].box is not None
                 and fields[n].confidence < threshold]
    if len(faint) != 1 or not isinstance(fields[faint[0]].value, date):
        return []
    found, spot = fields[faint[0]], template.spots.get(faint[0])
    if spot is None or not spot.example or not _in_dates_form(found.text, spot.example):
        return []
    return faint if _whole_date(found.text) else []


def _figures_form(text: str) -> str:
    """'23-11-2026' -> '99-99-9999': a date's marks and how many figures each part has."""
    return re.sub(r"[^\W\d_]+", "A", re.sub(r"\d", "9", str(text).strip()))


#: a day or month of one figure or two, where a vendor pads neither
_UNPADDED_PART = re.compile(r"(?<!9)99?(?!9)")
#: a part of one figure: a vendor that prints one pads no day or month
_ONE_FIGURE = re.compile(r"(?<!9)9(?!9)")


def _in_dates_form(text: str, example: str) -> bool:
    """Is ``text`` a date printed as the vendor's ``example`` prints its own: the same marks
    between the figures, each part as many figures. A vendor whose example prints a day or
    month of one figure ('2026 年 11 月 5 日') pads none: its days and months have one figure
    or two, whichever the date needs. A closing CJK mark (日) is the one mark a scan may read
    as something else ('22 晶') and leave out of the date: where the part before it has two
    figures, as many as a day or month can have, the figures still say it all (one figure may
    be what is left of two, the second lost with the mark)."""
    read, own = _figures_form(text), _figures_form(example)
    closing_lost = (bool(_CJK_MARKS.fullmatch(str(example).strip()[-1:])) and own.endswith("A")
                    and read.endswith("99"))
    if _ONE_FIGURE.search(own):
        read, own = _UNPADDED_PART.sub("9", read), _UNPADDED_PART.sub("9", own)
    return read == own or closing_lost and own[:-1].rstrip() == read


def faint_amounts(fields: dict[str, Field], lines: list[dict], threshold: float,
                  template: "LearnedTemplate") -> list[str]:
    """The amounts read at their learned spots below ``threshold`` when net + tax = total and
    the line items add up to the net. One faint amount takes the confidence of the two that fix
    it (``_vouch_by_sums``); two faint ones (a fapiao's total '¥9585.27' and tax both read at
    0.5) only vouch for each other, and two misreads could still keep the sum: each is read
    again from its ink (``confirm_faint``) before a person is asked. With no line item read, a
    faint total alone is fixed by a net and a tax read clearly at the vendor's rate to the cent
    (``LearnedTemplate._taxed_to_the_cent``)."""
    faint = [n for n in AMOUNTS if isinstance(fields.get(n), LearnedField) and fields[n].box is not None
             and fields[n].confidence < threshold]
    if _fixed_by_both_sums(fields, lines):
        return faint
    if not lines and faint == ["amount"] and template._taxed_to_the_cent(fields):
        # a misread total would have to equal net + tax to the cent, and a misread net or tax
        # would break the vendor's rate unless both slipped alike: with its ink read again, the
        # three are as sure as a table's sum would make them
        return faint
    return []


def _amount_verdict(value: Any, text: str, opts: Options) -> str:
    """What one second reading of an amount's ink says: 'same' when the one amount in it is
    ``value``, 'other' when it holds another ('79585.27': a mark read as a digit), else 'unclear'."""
    def amounts_said(reading: str) -> set:
        return {found[0] for found in find_amounts(_mask_dates(reading), opts.decimal)}

    said = amounts_said(text)
    if not said:
        return "unclear"
    if said == {value}:
        return "same"
    # a stroke read between two groups ('¥853,/750'): the reading says no other amount, it only
    # fails to say this one; the same figures with the point elsewhere ('8537.5' for 853.75) are
    # another amount
    unstroked = re.sub(r"(?<=[\d.,])\s*[/|\\]\s*(?=[\d.,])", "", text)
    if unstroked != text and amounts_said(unstroked) == {value}:
        return "unclear"
    return "other"


def confirm_faint(doc: Document, fields: dict[str, Field], names: list[str], opts: Options,
                  threshold: float, template: "LearnedTemplate | None" = None) -> tuple[dict[str, Field], dict] | None:
    """``fields`` with each of ``names`` (``faint_numbers``, ``faint_dates``, ``faint_amounts``) at ``threshold``
    and the check that says why, when it and every other value read at a learned spot with no
    sum behind it reads the same again (as ``confirm_by_reading_again``: at least ``AGREEING``
    readings say the value, none another of its form); None otherwise."""
    from vision.reread import check_by_reading_again

    check = confirm_by_reading_again(doc, fields, opts, template)
    if check is None or not check["ok"]:
        return None
    amounts = [(n, fields[n]) for n in names if n in AMOUNTS]
    if amounts:
        again = check_by_reading_again(doc, amounts, lambda name, value, text: _amount_verdict(value, text, opts),
                                       "learned_reread", languages_of=_reading_languages)
        if again is None or not again["ok"]:
            return None
        check = {**check, "detail": check["detail"] + "; " + again["detail"]}
    out = dict(fields)
    for name in names:
        out[name] = replace(fields[name], confidence=threshold,
                            detail=(fields[name].detail + "; " if fields[name].detail else "")
                            + f"read faintly ({fields[name].confidence:.2f}) "
                            + ("where both sums fix it" if name in AMOUNTS
                               else "in the vendor's form, its payment terms kept"
                               if name in DATES and "due_date" in fields
                               else "in the vendor's form, its only date" if name in DATES
                               else f"in {name.replace('_', ' ')}'s learned form")
                            + ", and the same again")
    return out, {**check, "detail": check["detail"] + f" (read faintly first: {', '.join(names)})"}


def _reading_languages(found: Field) -> str:
    """The Tesseract model a learned value is read again with: the Chinese one for a date
    printed with 年月日 (the English one reads 年 as a 7 or a 4: '2026105308'), else English."""
    return "chi_sim" if _CJK.search(found.text) else "eng"
