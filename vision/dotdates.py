"""A till's date whose digits came out as look-alikes, read every way they may have been printed.

    from vision.dotdates import settle_date
    day = settle_date(doc, conv, day)   # the date as read, or the one the page's constraints allow

A 9-pin dot-matrix ribbon (and a worn thermal head) prints digits that OCR reads as others: a
slashed zero as 6, 8, 9 or 5 (or a G, an @, a §), an 8 as 3, a 6 as 5 (or a euro sign: its
open top and bar, ``1€-MAY-18``), a 1 as an i or an L. A date
read that way is often no date at all (``21-84-2035``, ``83-03-2018``, ``28-05-2612``,
``L2/uS/2018``, ``§6/ 05/2018``) or a date the receipt cannot carry (a year to come). Each character of such a
date is then read every way it may have been printed, each change costing what the confusion
is worth (a letter standing for a digit least, a slashed zero next, any other look-alike
digit next), and the readings are held to what the date can be:

- a day and month of the calendar, in the page's order (a month name read as such, or
  one letter off one month's, a V read as a Y counting none: ``11-AOY-16``; day first
  on a page that charges Malaysia's GST, whatever a tax code read as $ made of the order);
- a year from 1990 up to today: a till does not print a date to come;
- on a page that charges Malaysia's GST (GST and ringgit), a date while that tax was levied
  (1 April 2015 to 31 August 2018), when any reading gives one; a date read before the tax
  began is read again so, and one after it ended on a page that charges it at a rate (one that
  only names GST stays: a till after 2018 may still print its GST registration); a date read
  outside those years that no reading brings within them goes to a person;
- a day of the week printed beside it (``SAT``) names the date's weekday;
- the same date printed again on the page (a header and a footer, a card slip): every print
  is read, and the date that the most prints can be, at the least cost, wins.

Where the page's image was kept, each date's ink is read again (``vision.reread.readings``:
other scales and thresholds, its own contrast; a date with its label before it, Tesseract
reads dot print better beside words; cut at the height of its ink, ``vision.reread.ink_band``,
not of OCR's word boxes, which a photo's specks swell into the line below) and its readings
taken together as one print: the dates at least two readings give, at their mean cost (a
reading giving other dates costs ``_NOT_THIS_DATE``, one giving none says nothing). A dot-matrix
digit read as a look-alike at one scale often reads as itself at another: '238 APR 2015' read
again is '28 APR 2015'. Readings again that agree only on dates the page cannot carry (outside
the years of the tax it charges) leave the page's first reading, when that one gives a date it
can: a digit misread at every other scale ('2626' of a dotted 2016) outvotes nothing.

The reading that costs least wins; a date chosen this way is a guess about the print and goes
to a person (at most ``GUESSED`` confident), the other readings as cheap named in its detail. A
date read as printed that can be (a valid day and month, a year not to come, not before the
tax the page charges) is never touched.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from itertools import product

from vision.document import Document, Page, Word, box_of
from vision.fields import Field
from vision.lexicon import Conventions
from vision.parsing import MALAYSIAN_GST_ID

#: a date chosen among look-alike readings is offered at most this sure: a person confirms it
GUESSED = 0.45

#: what a character read in a date may have been printed as, and what the change costs. A
#: letter or mark in a date's digits is surely a misread, so its digit costs little; among
#: digits the slashed zero is the most misread (as 6, 8, 9, or 5: its slash and left side), then
#: the other look-alikes (an 8 whose upper right dots faded read as an e, ``lef 64/2015`` of
#: 18/04/2015; a 2 whose base faded read as a 7, its top curve and diagonal a 7's bar and stem;
#: a slashed zero whose top dots close to a point read as an A, the slash its bar, 'Alf 65/2018' of
#: 01/05/2018, or a 4, whose dots OCR reads as an A in a month's name too; a 4's closed triangle
#: of dots beside its upright is a d's or an a's bowl and stem, 'ld/ 0d/ 2016' of 14/04/2016, where
#: an a or a d is a slashed zero more often; a slashed zero whose slash is a bar across its bowl read
#: as an e, '17-APR-2e15' of 2015, as an 8 whose upper right faded is read so too; a capital S a 5
#: or a slashed zero, its slash the S's spine, as a G is a 6 or one: 'Saf 11/2015' of 04/11/2015)
_AS_LETTER = {"i": "1", "I": "1", "l": "1", "L": "1", "|": "1", "j": "1", "J": "1", "!": "1", "T": "1", "o": "0",
              "O": "0", "D": "0", "d": "04", "Q": "0", "@": "0", "u": "0", "U": "0", "s": "5", "S": "50",
              "z": "2", "Z": "2", "a": "04", "B": "80", "b": "60", "g": "9", "q": "9", "G": "60", "$": "85", "§": "05",
              ")": "1", "&": "8", "€": "6", "?": "72", "e": "80", "A": "04"}
_AS_DIGIT = {"0": "86", "1": "7", "2": "8", "3": "80", "5": "680", "6": "085", "7": "12", "8": "063", "9": "08"}
_LETTER, _ZERO, _OTHER = 0.5, 0.8, 1.0
#: a date read in the other order of day and month than the page's, when that order is a guess
#: (a $ read in a dot-matrix GST line turns a Malaysian page month first), costs this much more
_OTHER_ORDER = 0.5
#: a reading dearer than this is no reading: three look-alike digits in one date say nothing
_MOST_COST = 2.5
#: how many readings one date is read in at most (each group's possible readings multiplied)
_MOST_READINGS = 4000

#: Malaysia's goods and services tax (6% from 1 April 2015, 0% from 1 June 2018, repealed from
#: 1 September 2018): a receipt that charges it was printed while it was levied
_MY_GST = (date(2015, 4, 1), date(2018, 8, 31))
#: (a GST number whose digits OCR read as letters or marks or split one into two, 'GST Reg. No. :
#: BBIS29377572', 'GST Seq. No. : BE78S7TGS4316', a slashed zero read as @ 'G@G8G22834729': twelve
#: or thirteen letters and digits, seven digits at least, after the word GST, whose own letters OCR
#: may read as their look-alike digits too, '6ST IG NO: 663444434886', a dotted G's open bowl and
#: bar a 6's: no other country's GST number is written so)
_WORN_GST_NUMBER = r"|\b[G6][S5][T7]\b[^\n\d]{0,24}(?<![0-9A-Z@])(?=(?:[A-Z@]{0,4}\d){7})[0-9A-Z@]{12,13}(?![0-9A-Z@])"
#: Malaysia's states and federal territories: a docket whose GST number's label wore ('OST RO:')
#: and that prints no ringgit still names one in its address
_MY_STATES = (r"johor|kedah|kelantan|melaka|malacca|negeri\s?sembilan|pahang|pulau\s?pinang|penang|perak|perlis"
              r"|sabah|sarawak|selangor|terengganu|kuala\s?lumpur|labuan|putrajaya")
#: Malaysia's GST registration number (12 digits after 'GST ID', 'GST REG NO'), or the ringgit, or
#: a Malaysian company (Sdn Bhd, Bhd), or an address in one of Malaysia's states and federal
#: territories, beside the word GST; Singapore's GST is no such tax
_GST = re.compile(r"\bGST\b")
#: (the number's own label worn, 'AST REG WO : 005411254646', on a page that names GST elsewhere:
#: twelve digits after a registration label are a Malaysian GST number, no other country's)
_MALAYSIAN = re.compile(MALAYSIAN_GST_ID + r"|\bREG\b[^\n\d]{0,24}(?<!\d)\d{12}(?!\d)" + _WORN_GST_NUMBER +
                        r"|\bRM\b|RM\s?\d|\bMYR\b|ringgit|\bSDN\.?\s?BHD\b|\bBHD\b|malaysia|\b(?:" + _MY_STATES + r")\b",
                        re.I)
#: the tax charged at a rate ('GST 6%', '6% GST', 'GST @ 6.00 %'): a receipt that does was printed
#: before it was repealed (a receipt after it may still name GST beside its registration number)
_CHARGED = re.compile(r"\bGST\b[^\n]{0,24}?(?<![\d.])[1-9](?:\.0+)?\s?%|(?<![\d.])[1-9](?:\.0+)?\s?%[^\n]{0,24}?\bGST\b")
_SINGAPORE = re.compile(r"singapore|(?<![A-Z])S\$\s?\d|\bSGD\b|\bUEN\b", re.I)

_WEEKDAYS = {name: n for n, names in enumerate((
    ("mon", "monday", "montag", "lundi", "maandag", "isnin"),
    ("tue", "tues", "tuesday", "dienstag", "mardi", "dinsdag", "selasa"),
    ("wed", "wednesday", "mittwoch", "mercredi", "woensdag", "rabu"),
    ("thu", "thur", "thurs", "thursday", "donnerstag", "jeudi", "donderdag", "khamis"),
    ("fri", "friday", "freitag", "vendredi", "vrijdag", "jumaat"),
    ("sat", "saturday", "samstag", "samedi", "zaterdag", "sabtu"),
    ("sun", "sunday", "sonntag", "dimanche", "zondag", "ahad"))) for name in names}
_WEEKDAY = re.compile(r"(?<![^\W\d_])(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")(?![^\W\d_])", re.I)

#: a date's three groups as dot-matrix print and OCR leave them: digits, letters and marks
#: standing for digits, a month name between; separated by - / . with stray spaces; a year of
#: five characters is four, one glyph read as two (2018 as 20138: a wide 8 read as 38). A
#: date glued to a mark before it (``(5.04.26``) is what is left of a smudged digit: not read
#: here (``vision.receipts._smudged_date`` reads it when only one digit fits)
_CH = r"[0-9A-Za-z@$|!§&€]"
#: (a slash read as f or F: the 5x7 slash's top hook; as % or a degree sign: its dots apart; as a
#: closing bracket: its lower half; as a cent sign or a hash: its stroke crossed by the digit's
#: dots beside it; its hook read apart from it ('24f/'); or lost, a space left; or as a 7 or a 4
#: glued to the digits before it, a space after: its diagonal of dots, the top ones a 7's bar
#: ('127 05/2618' is 12/05/2018, 'B74 2016' 07/2016), or as a 2, the diagonal's foot read as a
#: 2's base ('132 G47 2015' of 13/04/2015), a cost ``_SLASH_AS_DIGIT``; or as an s
#: between two digits, its diagonal's ends bent into hooks ('14s06s2016'), as dear, or glued to
#: a group of two before it with the space after it, as a 7 or a 4 is ('lis @7/ 16' of 11/07/16))
_SEP = (r"(?:\s?[-/.]\s?|(?<=[0-9A-Za-z@$|!§&€])(?:[fF]/|[fF%°)\]¢#])\s?|(?<=[0-9A-Za-z@$|!§&€])[742]\s|\s"
        r"|(?<=[0-9A-Za-z@$|!§&€]{2})[sS]\s"
        r"|(?<=\d)[sS](?=\d))")
#: a separator read as a digit (or an s) is a misread of the slash, as dear as a letter read for a digit
_SLASH_AS_DIGIT = 0.5
#: (a year never the hour of a time: 'Q2:11.26 11:26' holds no date 11.26 11, which is 26.11.2011)
#: (a year's 1 read as a closing bracket between its digits, '20)5': the 1's stroke without its flag;
#: its last digit read as a question mark after three, '201?': a 7's bar and stem, a 2's hook)
#: (a year of four digits read as two words, '18-MAY -20 16': fixed-pitch print spaced wide; the
#: century only, so the 16 of '20 16:45' stays a time's hour)
_YEAR_CH = r"(?:" + _CH + r"|(?<=\d)\)(?=\d)|(?<=\d{3})\?)"
_TOKEN = re.compile(r"(?<![^\s:;=#>])(" + _CH + r"{1,2})" + _SEP + "(" + _CH + r"{1,2}|[A-Za-z]{3})" + _SEP + "("
                    + r"(?:19|20) \d{2}|" + _YEAR_CH + r"{4,5}|" + _CH + r"{2})(?![0-9A-Za-z@$§&€]|\s?[:h]\s?[0-5]\d)")
#: a year read as two words costs this much more than one read whole
_YEAR_GAP = 0.5


def _tokens(text: str):
    """Every ``_TOKEN`` in ``text``, overlapping ones too: with a lost slash read as a space, the
    seconds of a time before the date start a token of their own (``14:01:28 25/65/2016`` holds
    ``28 25/65``), which must not swallow the date's own."""
    start = 0
    while (token := _TOKEN.search(text, start)) is not None:
        yield token
        start = token.start() + 1


#: a year of five characters is four, one glyph read as two (2018 as 20138: a wide 8 as 38)
_SPLIT_GLYPH = 1.0
#: a date's line names it or stamps a time; the dotted D of a label 'Date :' comes out of OCR as
#: another letter or two (Cate, Gate, fate, Uate, flate) or none (ate :), its colon kept (or read
#: as another mark); its t as an r (Dare:), the cross bar's dots lost
_DATE_LINE = re.compile(r"d\w?t\w?\b|date|datum|tarikh|time|zeit|heure|\d\s?:\s?\d"
                        r"|(?<![^\W\d_])[^\W\d_]{0,2}(?:at[ea]|are)\s?[^\w\s]", re.I)


def _choices(ch: str) -> list[tuple[str, float]]:
    """(digit, cost) a character read in a date's digits may have been printed as."""
    if ch.isdigit():
        return [(ch, 0.0)] + [(d, _ZERO if d == "0" else _OTHER) for d in _AS_DIGIT.get(ch, "")]
    # a G or a b is a 6 to OCR, and a 6 in a date is often a slashed zero: as likely as the 6 read
    return [(d, _LETTER if k == 0 else _ZERO) for k, d in enumerate(_AS_LETTER.get(ch, ""))]


def _group_readings(text: str) -> dict[str, float]:
    """Every digit string ``text`` may have been printed as, at its least cost."""
    out: dict[str, float] = {"": 0.0}
    for ch in text:
        options = _choices(ch)
        if not options:
            return {}
        out2: dict[str, float] = {}
        for so_far, cost in out.items():
            for d, c in options:
                if cost + c <= _MOST_COST and cost + c < out2.get(so_far + d, 99):
                    out2[so_far + d] = cost + c
        out = out2
    return out


#: a dotted letter OCR reads as another so often that it costs no letter of a month's name: a
#: V's two strokes meeting in dots read as a Y (as the yen sign, ``_as_letters``)
DOT_LETTER_READ_AS = {"y": "v"}


def _month_named(word: str, months: dict[str, int] | None) -> int | None:
    """The month a three-letter word in a date's month place names: its own, or, when it names
    none, the one month whose abbreviation it spells but for one letter (dot-matrix print
    turns a letter into another: 04-KAR-18, 14-HAY-18), a V read as a Y not counted
    (11-AOY-16); None when none or several fit."""
    if not months or len(word) != 3 or not word.isalpha():
        return None
    word = word.lower()
    if word in months:
        return months[word]
    near = {number for name, number in months.items()
            if len(name) == 3 and sum(a != b and DOT_LETTER_READ_AS.get(a) != b for a, b in zip(word, name)) <= 1}
    return near.pop() if len(near) == 1 else None


def readings(token: re.Match, day_first: bool | None, months: dict[str, int] | None,
             other_order: float | None = None) -> dict[date, float]:
    """Every date a date ``token`` (``_TOKEN``) may have been printed as, at its least cost;
    with ``other_order``, read in the other order of day and month too, at that much more."""
    first, second, year = token[1], token[2], token[3].replace(" ", "")
    month_named, month_cost = _month_named(second, months), 0.0
    gap = _YEAR_GAP if " " in token[3] else 0.0
    between = (token.string[token.end(1):token.start(2)], token.string[token.end(2):token.start(3)])
    slashes = _SLASH_AS_DIGIT * sum(any(ch.isdigit() or ch in "sS" for ch in sep) for sep in between)
    if len(second) == 3 and month_named is not None and second.lower() not in months:
        month_cost = _LETTER
    if len(second) == 3 and month_named is None:
        return {}
    ones, years = _group_readings(first), _group_readings(year)
    if len(year) == 5:
        years = {}
        for k in range(5):
            for digits, cost in _group_readings(year[:k] + year[k + 1:]).items():
                if cost + _SPLIT_GLYPH < years.get(digits, 99):
                    years[digits] = cost + _SPLIT_GLYPH
    twos = {"": 0.0} if month_named else _group_readings(second)
    # only what each group can be is combined: a day or month of 1-31, a year of this century or
    # the last (three look-alike digits give hundreds of readings, most of them no date)
    ones, twos = ({d: c for d, c in group.items() if not d or 1 <= int(d) <= 31} for group in (ones, twos))
    years = {y: c for y, c in years.items() if len(y) == 2 or y[:2] in ("19", "20")}
    if len(ones) * len(twos) * len(years) > _MOST_READINGS:
        return {}
    out: dict[date, float] = {}
    for (a, ca), (b, cb), (y, cy) in product(ones.items(), twos.items(), years.items()):
        cost = ca + cb + cy + month_cost + slashes + gap
        if cost > _MOST_COST:
            continue
        full = int(y) + (2000 if len(y) == 2 else 0)
        if month_named:
            orders = [(int(a), month_named, cost)]
        else:
            first = (int(b), int(a)) if day_first is False else (int(a), int(b))
            orders = [(*first, cost)] + ([(first[1], first[0], cost + other_order)] if other_order is not None else [])
        for day, month, dear in orders:
            try:
                value = date(full, month, day)
            except ValueError:
                continue
            if dear <= _MOST_COST and dear < out.get(value, 99):
                out[value] = dear
    return out


def _window(text: str) -> tuple[date, date] | None:
    """The dates a page can carry when it says so itself (a tax levied only then), else None."""
    if _GST.search(text) and _MALAYSIAN.search(text) and not _SINGAPORE.search(text):
        return _MY_GST
    return None


def plausible(value: date, today: date | None = None) -> bool:
    """Could a till have printed ``value``: a year from 1990, not to come?"""
    return date(1990, 1, 1) <= value <= (today or date.today())


def _stays(day: Field, doc: Document, window: tuple[date, date] | None, today: date, order: bool | None) -> bool:
    """Is ``day`` the page's date as far as its readings can tell? A date that can be stays as
    read, within a tax's years or not; the readings choose where the print gave none, one to
    come, one whose printed weekday is another, one ``order`` (the page's, day first) reads
    only the other way, or where OCR's own guess among look-alikes (under ``GUESSED`` sure) fell
    outside the years of the tax the page charges."""
    if not plausible(day.value, today):
        return False
    if window is not None and day.value < window[0]:
        return False  # charged a tax before it was levied: a digit of its year or month misread
    if window is not None and day.value > window[1] and _CHARGED.search(doc.text):
        return False  # charged a tax at a rate after it was repealed: a digit misread (2026 of 2016)
    if window is not None and day.confidence < GUESSED and not window[0] <= day.value <= window[1]:
        return False
    if order and _read_month_first(day):
        # the page writes day first (Malaysia does; a German till does): a date it can be only
        # month first has a digit misread ('08.16.16' of 08.10.16, a 0 read as a 6)
        return False
    for page in doc.pages:
        for line in page.lines:
            if day.page in (None, page.number) and day.text and day.text in line.text:
                weekday = _WEEKDAY.search(line.text)
                if weekday is not None and _WEEKDAYS[weekday[1].lower()] != day.value.weekday():
                    return False
    return True


_DIGITS_DATE = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](?:\d{4}|\d{2})(?!\d)")


def _read_month_first(day: Field) -> bool:
    """Was ``day`` read from its print month first (``03/15/16`` as 15 March)?"""
    m = _DIGITS_DATE.search(day.text or "")
    return (m is not None and int(m[1]) != int(m[2]) and int(m[1]) == day.value.month
            and int(m[2]) == day.value.day)


#: the date spots of a page read again (each a date's words, at other scales and thresholds)
_MOST_SPOTS = 3
#: a reading of a spot again that can be no date its other readings can be costs this much in their mean
_NOT_THIS_DATE = _MOST_COST + 0.5
#: readings of a spot that must give a date for it to be among the spot's dates
_AGREEING = 2


def _as_printed(token: re.Match, order: bool | None, conv: Conventions, other_order: float | None, today: date,
                weekday: str | None) -> dict[date, float]:
    """The dates ``token`` may have been printed as that a till can print (and on the weekday
    printed beside it)."""
    found = readings(token, order, conv.months, other_order)
    found = {v: c for v, c in found.items() if date(1990, 1, 1) <= v <= today}
    if weekday is not None:
        found = {v: c for v, c in found.items() if v.weekday() == _WEEKDAYS[weekday]}
    return found


def _words_at(words: list[Word], start: int, end: int) -> list[Word]:
    """The words of ``words`` (joined by single spaces) that the characters start..end fall in."""
    out, at = [], 0
    for w in words:
        if at < end and at + len(w.text) > start:
            out.append(w)
        at += len(w.text) + 1
    return out


def _as_letters(text: str) -> str:
    """``text`` with the marks OCR makes of a dotted letter written as that letter (a V's two
    strokes meeting in dots read as the yen sign: 21-NO¥-2015)."""
    return text.replace("¥", "Y")


def _months_mended(text: str, conv: Conventions) -> str:
    """``text`` with its month names as ``vision.receipts`` mends and guesses them (a digit or a
    letter misread in the name), the dotted letters OCR made marks written as letters."""
    from vision.receipts import _guess_month_names, _mend_month_names

    return _guess_month_names(_mend_month_names(_as_letters(text), conv.months, conv.own_months), conv.months,
                              conv.own_months)


def _digits_enough(token: re.Match) -> bool:
    """Whether a date's digits are what OCR read mostly (a time's 04.57 PR, a name's SH KAU are
    no date to read again)."""
    return sum(ch.isdigit() for ch in token[3]) >= 2 and sum(ch.isdigit() for ch in token[0]) >= 4


#: a date label whose dotted D OCR read as another letter or two (Cate, Gate, Dare, flate), or lost
#: with the ribbon's worn left edge ('ate :')
_GARBLED_DATE_LABEL = re.compile(r"(?:[^\W\d_]{1,2}a[tr]e|ate):?", re.I)


#: a label naming the date and the time in one word whose 5x7 slash OCR read as a mark or a letter
#: ('DatefTime', 'jatesTime': its top hook an f, its bent ends an s), or with the time's half apart
#: ('Satef Time'): the date's half and what the slash became (an s only before the time's half: 'Rates')
_DATE_HALF_SLASHED = re.compile(r"([^\W\d_]{3,6})(?:[fFsS%°¢#](?:time|masa|zeit)|[fF%°¢#]):?", re.I)


def _names_date(word: str) -> bool:
    """Is ``word`` a date label, as printed or as OCR reads dot print of it? A label naming the
    date and the time in one word ('Date/Time', 'Tarikh/Masa') is one, its slash misread too."""
    from vision.receipts import _date_label_word

    def date_label(text: str) -> bool:
        return _date_label_word(text) or bool(_GARBLED_DATE_LABEL.fullmatch(text))

    slashed = _DATE_HALF_SLASHED.fullmatch(word)
    return date_label(word) or slashed is not None and date_label(slashed[1])


def _from_date_label(words: list[Word], ink: list[Word]) -> list[Word]:
    """``ink`` (words of ``words``) with the date label before it on the line and what is between."""
    if not ink:
        return ink
    start = next(i for i, w in enumerate(words) if w is ink[0])
    label = next((i for i in range(start - 1, max(start - 4, -1), -1) if _names_date(words[i].text)), None)
    return ink if label is None else words[label:start] + ink


#: a word after a date's last word nearer than this part of a character's width is the same print
#: run on: fixed-pitch print leaves a whole character's width between words
_RUN_ON_GAP = 0.5


def _with_ink_run_on(words: list[Word], ink: list[Word], token: re.Match) -> list[Word]:
    """``ink`` (the words of a date ``token`` in ``words``) with the words right after it that
    are the same print run on, when the date's year was read as two digits: a four-digit year
    OCR read apart at its end ('18-JUL-26' and, over and under each other, 'ae' and '9' of
    18-JUL-2017) is read again whole."""
    if not ink or len(token[3]) != 2:
        return ink
    last = ink[-1]
    pitch = (last.x1 - last.x0) / max(len(last.text), 1)
    out = list(ink)
    for word in words[next(i for i, w in enumerate(words) if w is last) + 1:]:
        if word.x0 - max(w.x1 for w in out) >= _RUN_ON_GAP * pitch:
            break
        out.append(word)
    return out


def _after_date_label(words: list[Word]) -> list[Word]:
    """A line's date label and the words after it (``Date : 238 APR 2015``) up to the next
    label, when they hold a digit: a date OCR read as none."""
    at = next((i for i, w in enumerate(words) if _names_date(w.text)), None)
    if at is None:
        return []
    after = [w for w in words[at + 1:] if re.search(r"\w", w.text)][:4]
    after = after[:next((i for i, w in enumerate(after) if i and w.text.endswith(":")), len(after))]
    if not any(ch.isdigit() for w in after for ch in w.text):
        return []
    return words[at:next(i for i, w in enumerate(words) if w is after[-1]) + 1]


def _read_again(page: Page, spots: list[tuple[list[Word], str | None, list, bool]], conv: Conventions,
                order: bool | None, other_order: float | None, today: date,
                window: tuple[date, date] | None = None) -> list[list]:
    """Each spot's date read again from the page's image (``vision.reread.readings``: other
    scales, thresholds, the ink's own contrast) together with its first reading, as one print:
    a dot-matrix digit OCR reads as a look-alike at one scale often reads as itself at another,
    and the date the readings can be at the least mean cost is the one the ink prints. A
    reading that gives no date says nothing (a smudge); one that gives dates, none this one,
    costs ``_NOT_THIS_DATE``. Per spot: [that print], or [] when fewer than two readings give
    a date (the first reading alone is what the page's OCR already weighed).

    The date is cut out at the band of rows its ink fills (``vision.reread.ink_band``); where
    that cut gives no date the page can carry (none, or none within ``window``, the years of
    the tax it charges), the words' own box is read again too, and its print taken when it
    gives one: the band is where most of the ink is, and a worn digit's faint strokes it leaves
    out make that digit another at every scale ('201%' of a worn 2018 read 2012)."""
    from vision.reread import ink_band

    boxes = [box_of(ws) for ws, *_ in spots]
    banded = [ink_band(page.image, box) for box in boxes]
    out = _prints_read_again(page, spots, banded, conv, order, other_order, today)
    retry = [n for n, print_ in enumerate(out) if banded[n] != boxes[n] and not _carried(print_, window)]
    if retry:
        again = _prints_read_again(page, [spots[n] for n in retry], [boxes[n] for n in retry], conv, order,
                                   other_order, today)
        for n, print_ in zip(retry, again):
            if _carried(print_, window):
                out[n] = print_
    return out


def _carried(print_: list, window: tuple[date, date] | None) -> bool:
    """Does a spot's print (``_read_again``) give a date, within ``window`` when one is given?"""
    return any(window is None or window[0] <= v <= window[1] for mean, _, _ in print_ for v in mean)


def _prints_read_again(page: Page, spots: list[tuple[list[Word], str | None, list, bool]], boxes: list,
                       conv: Conventions, order: bool | None, other_order: float | None, today: date) -> list[list]:
    """``_read_again`` for the spots' ink cut out at ``boxes``."""
    from vision.reread import readings as read_boxes

    out: list[list] = []
    for (words, weekday, _, _), again in zip(spots, read_boxes(page.image, boxes, faded=True)):
        first = " ".join(w.text for w in words)
        said = []
        for text in [first, *again]:
            text = _months_mended(text, conv)
            found: dict[date, float] = {}
            for token in _tokens(text):
                for value, cost in _as_printed(token, order, conv, other_order, today, weekday).items():
                    found[value] = min(cost, found.get(value, 99))
            if found:
                said.append(found)
        # a date only one reading gives is one misread more, not what the ink prints
        mean = {v: sum(found.get(v, _NOT_THIS_DATE) for found in said) / len(said) for found in said for v in found
                if sum(v in other for other in said) >= _AGREEING}
        mean = {v: c for v, c in mean.items() if c <= _MOST_COST}
        out.append([(mean, f"{first} (read again {len(again)} times)", page.number)] if len(said) >= 2 and mean else [])
    return out


def _doubted(doc: Document, day: Field | None, window: tuple[date, date] | None) -> Field | None:
    """``day`` as read, no reading of the page's date prints being one the page can carry: a
    date outside the years of the tax the page charges, or one a Malaysian GST page prints only
    month first, is for a person to confirm."""
    if day is None or not isinstance(day.value, date) or window is None:
        return day
    if window == _MY_GST and _read_month_first(day):
        note = (f"{day.text!r} is a date only month first, and Malaysia writes its dates day first: a digit "
                f"misread, for a person to confirm")
    elif window[0] <= day.value <= window[1]:
        return day
    elif day.value > window[1] and not _CHARGED.search(doc.text):
        return day  # a till after the tax was repealed may still name it
    else:
        note = f"{day.value:%d.%m.%Y} is not while Malaysian GST was levied, which the page charges: for a person to confirm"
    return replace(day, confidence=min(day.confidence, GUESSED), detail="; ".join(filter(None, [day.detail, note])))


#: a date read under this sure (a person looks at it anyway) has its digits read again against the
#: page's own prints of each digit (``_by_their_prints``)
DOUBTED = 0.6
#: the digits of a date read against the page's prints: a run of three or more (a year)
_DIGIT_RUN = re.compile(r"\d{3,}")


def _line_reading(page, read: str) -> tuple[list[Word], str, int] | None:
    """The words of the first line of ``page`` whose text holds ``read``, that text, and where
    ``read`` starts in it; None when no line holds it."""
    for line in page.lines:
        words = [w for seg in line.segments for w in seg.words]
        joined = " ".join(w.text for w in words)
        at = joined.find(read)
        if at >= 0:
            return words, joined, at
    return None


def _by_their_prints(doc: Document, day: Field, conv: Conventions, order: bool | None, other_order: float | None,
                     window: tuple[date, date] | None, today: date) -> Field | None:
    """``day``, a date that can be the page's, read again digit by digit against the page's own
    prints of each digit (``vision.worn.read_by_prints``): a ribbon strikes every 6 of a docket
    with the same pins, and a year whose 6 OCR read as 5 ('22-MAY-2015') has the ink of the
    page's 6s, not of its 5s. When exactly one word of the date reads otherwise so, the date is
    what that reading can be (its other look-alike digits read as ``readings`` reads them), the
    cheapest one the page can carry, for a person to confirm; None when the prints confirm
    ``day`` or say nothing."""
    from vision.worn import read_by_prints

    page = next((p for p in doc.pages if p.number == day.page), None)
    read = (day.text or "").split(" (read again")[0]
    if page is None or page.image is None or not read:
        return None
    found_in = _line_reading(page, read)
    if found_in is None:
        return None
    words, _, at = found_in
    changed: list[tuple[Word, str]] = []
    for word in _words_at(words, at, at + len(read)):
        # each run of digits (a year) is read alone, the cells of a fixed-pitch word: a month's
        # letter read as a digit ('FE8') is no print of a digit, and the key is the page's other words
        pitch = (word.x1 - word.x0) / max(len(word.text), 1)
        key = [w for w in page.words if w is not word]
        for run in _DIGIT_RUN.finditer(word.text):
            digits = replace(word, text=run[0], x0=word.x0 + run.start() * pitch, x1=word.x0 + run.end() * pitch)
            again = read_by_prints(page.image, key, digits)
            # a zero read as 0 stays: the page's 3s, 6s, 8s and 9s as OCR read them hold its
            # slashed zeros read so (``vision.pageglyphs``), and a zero is like those prints too
            # and a digit is taken for one it may have been printed as only (``_AS_DIGIT``): worn ink
            # loses strokes, it gains none, and a clean 1 is no 0 whose sides wore off
            if again is None:
                continue
            digit_read, digit_printed = run[0][again[1]], again[0][again[1]]
            if digit_read != "0" and digit_printed in _AS_DIGIT.get(digit_read, ""):
                changed.append((word, word.text[:run.start()] + again[0] + word.text[run.end():]))
    if len(changed) != 1:
        return None
    (word, again), = changed
    text = _months_mended(read.replace(word.text, again, 1), conv)
    found: dict[date, float] = {}
    for token in _tokens(text):
        for value, cost in _as_printed(token, order, conv, other_order, today, None).items():
            if window is None or window[0] <= value <= window[1]:
                found[value] = min(cost, found.get(value, 99))
    if not found:
        return None
    value = min(found, key=lambda v: (found[v], v))
    if value == day.value:
        return None
    rivals = [v for v, c in found.items() if v != value and c <= found[value] + 0.25]
    note = (f"the page's prints of each digit read {word.text!r} as {again!r}: {value:%d.%m.%Y}"
            + (f" (also {', '.join(f'{v:%d.%m.%Y}' for v in sorted(rivals)[:3])})" if rivals else "")
            + ", for a person to confirm")
    return replace(day, value=value, confidence=min(day.confidence, GUESSED if not rivals else GUESSED * 0.7),
                   detail="; ".join(filter(None, [day.detail, note])))


#: a date chosen among look-alike readings may be one dearer than the cheapest by this much at most,
#: when the page's prints of each digit choose it (``_chosen_by_prints``): one look-alike digit more
_PRINTS_MAY_OUTWEIGH = _OTHER
#: ... and its digits where the readings differ must be this much more like the page's prints of
#: them, together, than the cheapest reading's digits are like theirs
_PRINTS_LIKER_BY = 1.05
#: ... or this much, where the date they choose keeps a digit as OCR first read it that the
#: cheapest reading (the readings again) made another: a digit the prints must clearly say
_PRINTS_KEEP_AS_READ_BY = 1.15


def _chosen_by_prints(doc: Document, page_number: int | None, read: str, values: list[date],
                      order: bool | None, conv: Conventions) -> date | None:
    """Which of ``values`` (dates the look-alike readings of ``read`` allow, the cheapest first)
    the ink of ``read``'s digits prints, by the page's own prints of each digit
    (``vision.worn``): a ribbon strikes every 0 of a docket alike, and a day read ``J&`` (10 or
    18 by their look-alikes) has the ink of the page's 0s where the & stands, not of its 8s.
    Every character of the date's numbers is compared, letters and marks OCR made of a digit
    too; None when the words are not found or the prints do not clearly choose another."""
    from vision.worn import _cells, _key, _likeness

    page = next((p for p in doc.pages if p.number == page_number), None)
    if page is None or page.image is None or len(values) < 2:
        return None
    read = read.split(" (read again")[0]
    found_in = _line_reading(page, read)
    if found_in is None:
        return None
    words, joined, at = found_in
    text = _months_mended(joined, conv)
    token = next((t for t in _tokens(text) if at <= t.start() and t.end() <= at + len(read)), None)
    if token is None or len(text) != len(joined):
        return None
    starts = [0]
    for w in words[:-1]:
        starts.append(starts[-1] + len(w.text) + 1)
    # each character of the date's digit groups: the ink of its cell, against the page's prints
    likeness: dict[int, dict[str, float]] = {}
    cells: dict[int, list] = {}
    glyphs: dict[int, object] = {}
    for n, (word, start) in enumerate(zip(words, starts)):
        for pos in range(max(token.start(), start), min(token.end(), start + len(word.text))):
            if not any(token.start(g) <= pos < token.end(g) for g in (1, 2, 3)) or not joined[pos].strip():
                continue
            if n not in cells:
                cells[n] = [_cells(page.image, word), _key(page.image, [w for w in page.words if w is not word], word)]
            ink, key = cells[n]
            if ink is None or len(key) < 5:
                return None
            likeness[pos] = {d: max(_likeness(ink[pos - start], p) for p in prints) for d, prints in key.items()}
            glyphs[pos] = ink[pos - start]
    # the date's characters OCR read as one digit, against each other: one of them may be a misread
    # the readings settle (a year's 8 that can only be a 0), the ribbon's own print of that digit
    alike = {(a, b): _likeness(glyphs[a], glyphs[b]) for a in glyphs for b in glyphs
             if a != b and joined[a] == joined[b] and joined[a].isdigit()}
    return _liked_most(token, likeness, values, order, alike)


def _liked_most(token: re.Match, likeness: dict[int, dict[str, float]], values: list[date],
                order: bool | None, alike: dict[tuple[int, int], float] | None = None) -> date | None:
    """Of ``values``, the one whose digits at the date ``token``'s characters (``likeness``: each
    character's ink against the page's prints of each digit) the ink is clearly most like; None
    when the cheapest, ``values[0]``, is, or the prints cannot tell. ``alike``: the ink of two of
    the date's characters OCR read as the same digit, one against the other (``_own_misread_alike``)."""
    def digits(value: date) -> dict[int, str] | None:
        first, second = (value.day, value.month) if order is not False else (value.month, value.day)
        out = {}
        for group, number in ((1, first), (2, second), (3, value.year)):
            printed = token[group]
            if group == 2 and printed.isalpha():
                continue  # a month name: no digits
            spelled = f"{number:0{len(printed)}d}"[-len(printed):]
            if len(spelled) != len(printed) or (group == 3 and len(printed) == 4 and spelled != str(number)):
                return None
            out.update({token.start(group) + k: ch for k, ch in enumerate(spelled)})
        return out

    if not any(ch.isdigit() for ch in token[3]):
        # a 'year' without a single figure ('24 4 PR 2016': the month's letters before the real
        # year) is a word the token took for one: the prints cannot say which year it is
        return None
    cheapest = digits(values[0])
    if cheapest is None:
        return None
    # a digit OCR read that every reading makes the same other one ('2815' can only be 2015 on a
    # docket of GST's years): the date's own print of that digit, misread
    spelled = [s for s in map(digits, values) if s is not None]
    settled = {pos: ch for pos, ch in cheapest.items()
               if token.string[pos].isdigit() and ch != token.string[pos] and all(s[pos] == ch for s in spelled)}
    best, best_ratio = None, _PRINTS_LIKER_BY
    for value in values[1:]:
        mine = digits(value)
        if mine is None:
            continue
        differ = [pos for pos in mine if mine[pos] != cheapest[pos]]
        # a digit OCR read as a digit is weighed by the readings' look-alike costs alone: what is
        # left of a dotted 8 can be as like the page's 6s as its 8s; the prints tell what a letter
        # or mark OCR made of a digit is. Unless the cheapest reading is another digit than the
        # one OCR first read there, and this date keeps OCR's: the readings again at other
        # scales split over that digit ('11 SEP' read again '12 SEP'), and the prints tell which
        # of OCR's own readings the ink is, by a clearer margin
        as_read = [pos for pos in differ if token.string[pos].isdigit()]
        remade = [pos for pos in as_read if mine[pos] != token.string[pos]]
        if remade:
            # this date makes a digit OCR read another: only where the date itself shows OCR
            # misreading that digit so, and the ink is clearly more like that misread print
            ratio = _own_misread_alike(token, likeness, alike or {}, settled, remade, mine) if remade == differ else None
        else:
            ratio = _ratio(likeness, differ, mine, cheapest)
        if ratio is None or as_read and ratio < _PRINTS_KEEP_AS_READ_BY:
            continue
        if ratio >= best_ratio:
            best, best_ratio = value, ratio
    return best


def _own_misread_alike(token: re.Match, likeness: dict[int, dict[str, float]], alike: dict[tuple[int, int], float],
                       settled: dict[int, str], remade: list[int], mine: dict[int, str]) -> float | None:
    """How much more like the date's own misread prints (``settled``: characters every reading
    makes another digit) the ink at ``remade`` is than like the page's prints of the digit OCR
    read there, together: a slashed zero OCR read as 8 in the year ('2815' of 2015) is the
    ribbon's 0, and a day's '18' whose 8 has that ink is 10. None when a character has no such
    print beside it (read as the same digit, made the same other one) or cannot be compared."""
    own = read = 0.0
    for pos in remade:
        misread = [alike[(pos, q)] for q, ch in settled.items()
                   if ch == mine[pos] and token.string[q] == token.string[pos] and (pos, q) in alike]
        if not misread or token.string[pos] not in likeness.get(pos, {}):
            return None
        own += max(misread)
        read += likeness[pos][token.string[pos]]
    return own / max(read, 1e-6)


def _ratio(likeness: dict[int, dict[str, float]], differ: list[int], mine: dict[int, str],
           cheapest: dict[int, str]) -> float | None:
    """How much more like the page's prints the ink at ``differ`` is spelled as ``mine`` than as
    ``cheapest``, together; None when any of those characters cannot be compared."""
    if not differ or any(pos not in likeness or mine[pos] not in likeness[pos] or cheapest[pos] not in likeness[pos]
                         for pos in differ):
        return None
    return sum(likeness[pos][mine[pos]] for pos in differ) / max(sum(likeness[pos][cheapest[pos]] for pos in differ), 1e-6)


def settle_date(doc: Document, conv: Conventions, day: Field | None, today: date | None = None,
                by_prints: bool = False) -> Field | None:
    """``day`` as read when it can be the page's date; else the date the page's date prints,
    read every way their look-alike digits may have been printed, can be (see the module),
    offered for a person to confirm; ``day`` when no reading is one. ``by_prints`` (a till's
    receipt, its digits in one fixed-pitch face): a date that can be but was read unsurely is
    read again against the page's own prints of its digits (``_by_their_prints``)."""
    today = today or date.today()
    text = doc.text
    window = _window(text)
    order = True if window == _MY_GST else conv.day_first
    # an order guessed (from a currency sign, a language) may be wrong: the other costs more
    other_order = None if window == _MY_GST or conv.date_certainty >= 1.0 else _OTHER_ORDER
    if day is not None and (not isinstance(day.value, date) or _stays(day, doc, window, today, order)):
        if by_prints and isinstance(day.value, date) and day.confidence < DOUBTED:
            return _by_their_prints(doc, day, conv, order, other_order, window, today) or day
        return day
    prints: list[tuple[dict[date, float], str, int | None]] = []  # readings, the text read, page
    # a date with its four-digit year on a line whose label OCR garbled past knowing (Dace :, Qate ©):
    # read only when no line that names a date or a time gives one
    unlabelled: list[tuple[dict[date, float], str, int | None]] = []
    for page in doc.pages:
        # the ink of each date on a line that names a date or a time: its words, their weekday, the
        # prints OCR's reading of them gives (read again below when the page's image was kept)
        spots: dict[tuple[int, ...], tuple[list[Word], str | None, list, bool]] = {}
        for line in page.lines:
            words = [w for seg in line.segments for w in seg.words]
            raw = " ".join(w.text for w in words)
            joined = _months_mended(raw, conv)
            # (the date as first read is the line's as OCR read it, before its month was mended or guessed)
            labelled = bool(_DATE_LINE.search(joined)) or (day is not None and bool(day.text)
                                                            and (day.text in joined or day.text in raw))
            weekday = _WEEKDAY.search(joined)
            weekday_name = weekday[1].lower() if weekday is not None else None
            # Malaysia writes its dates day first: a page that charges its GST too, whatever a
            # code read as $ made of the page's order
            tokens = [(t, _as_printed(t, order, conv, other_order, today, weekday_name))
                      for t in _tokens(joined) if labelled or len(t[3]) >= 4]
            # a date OCR read as none, or as a token that is no date's ink (too few digits read, no
            # date it can be: 'IS/ liv 261s', its month's 11 read as letters), is read after its label
            if (labelled and not any(found or _digits_enough(token) for token, found in tokens)
                    and (after := _after_date_label(words))):
                spots.setdefault(tuple(map(id, after)), (after, weekday_name, [], True))
            for token, found in tokens:
                if _digits_enough(token):
                    ink = _words_at(words, token.start(), token.end()) if len(joined) == len(raw) else words
                    # read with its label before it: Tesseract reads a date's dots better beside words
                    ink = _from_date_label(words, _with_ink_run_on(words, ink, token))
                    spot = spots.setdefault(tuple(map(id, ink)), (ink, weekday_name, [], labelled))
                    if found:
                        spot[2].append((found, token[0], page.number))
                elif found:
                    (prints if labelled else unlabelled).append((found, token[0], page.number))
        # the spots on lines that name a date or a time first; another only where OCR read a date in it
        ordered = sorted((spot for spot in spots.values() if spot[3] or spot[2]), key=lambda spot: not spot[3])
        chosen = ordered[:_MOST_SPOTS] if page.image is not None else []
        again = _read_again(page, chosen, conv, order, other_order, today, window) if chosen else []
        for n, (_, _, first, labelled) in enumerate(ordered):
            read_again = again[n] if n < len(again) else []
            # readings again that agree only on dates the page cannot carry (a year's 1 read as 2 or
            # 3 at every other scale, '19-AFR-2626', within a tax's years '2616' is 2016) say
            # nothing against a first reading that gives one it can
            if not read_again or not _carried(read_again, window) and _carried(first, window):
                read_again = first
            (prints if labelled else unlabelled).extend(read_again)
    prints = prints or unlabelled
    if not prints:
        return _doubted(doc, day, window)
    candidates = {v for found, _, _ in prints for v in found}
    if window is not None:
        # none within the tax's years: the readings are no help, the date stays as read
        candidates = {v for v in candidates if window[0] <= v <= window[1]}
        if not candidates:
            return _doubted(doc, day, window)
    # a date the most prints can be, at the least cost over them
    scored = sorted(((-sum(v in found for found, _, _ in prints), sum(found.get(v, 0.0) for found, _, _ in prints), v)
                     for v in candidates))
    best_prints, best_cost, value = scored[0]
    _, read, page = next(p for p in prints if value in p[0])
    # the readings' look-alikes say what the digits may be, the page's prints of each digit which
    near = [value] + [v for n, c, v in scored[1:] if n == best_prints and c <= best_cost + _PRINTS_MAY_OUTWEIGH]
    printed = _chosen_by_prints(doc, page, read, near, order, conv) if by_prints else None
    if printed is not None:
        best_cost = next(c for n, c, v in scored if v == printed)
        value = printed
    rivals = [v for n, c, v in scored if v != value and n == best_prints and c <= best_cost + 0.25]
    if day is not None and value == day.value:
        return day
    sure = GUESSED if not rivals else GUESSED * 0.7
    base = day.confidence if day is not None else GUESSED
    note = (f"look-alike digits: {read!r} read as {value:%d.%m.%Y}, the date it can be"
            + (f" (also {', '.join(f'{v:%d.%m.%Y}' for v in rivals[:3])})" if rivals else "")
            + (" while Malaysian GST was levied" if window is not None else "") + ", for a person to confirm")
    if day is not None:
        return replace(day, value=value, confidence=min(base, sure), text=read,
                       detail="; ".join(filter(None, [day.detail, note])))
    return Field(value, sure, "layout", page, read, detail=note)
