"""Till receipts: the amount paid and the purchase date, the way a till prints them.

    from vision.receipts import read_receipt
    found = read_receipt(doc, lexicons, conventions)   # {} when the document is no till receipt
    found["amount"].value, found["amount"].agreeing, found["date"].value

``vision.fields.extract`` calls this; its fields replace the invoice reading's total and date
on a receipt. The words come from the label lexicons (``config/lexicons/*.yaml``):

- ``receipt_total``: what the amount paid is printed beside (TOTAL, GRAND TOTAL, ROUNDED
  TOTAL, SUMME, ZU ZAHLEN, TOTAAL, TOTAL TTC …); the heavier label wins, and among equals the
  last printed (a rounded total follows the total it rounds);
- ``receipt_not_total``: what is never the total (CASH, CHANGE, TENDERED, GEGEBEN, RÜCKGELD,
  card lines, TOTAL QTY, the tax summary …). A till prints several of them on one line
  (``SUMME 125,61  GEGEBEN 200,00``): every amount belongs to the label printed before it.
- the invoice labels for subtotal and tax (``amount_untaxed``, ``vat``) shadow a total label
  they are longer than (``SUB TOTAL``, ``TOTAL GST``).

A document is a till receipt when it prints payment words (cash, change, card …) or is a
tall narrow strip. The total is corroborated, never guessed: what was handed over minus the
change, a card payment of the same amount, the same total printed twice (a card slip) or
the item amounts adding up each count as one more place agreeing (``Field.agreeing``), which
``vision.checks`` requires before a read total may be booked.

The date is the one printed with a time of day (tills stamp both: ``07.04.20 14:38``,
``21/07/2026 11:43``, ``25 Dec 2018 8:15 PM``), else one beside a date label, else the
first date on the receipt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import product

from vision.document import Document, Line, Page, Word, box_of, join_words
from vision.dotdates import DOT_LETTER_READ_AS, settle_date
from vision.fields import Field
from vision.lexicon import OTHER_DATE_FIELDS, Conventions, LabelMatch, Lexicons, fold
from vision.parsing import (ISO_CURRENCIES, NO_WORN_YEAR_DIGIT, OTHER_DOLLARS, PERCENT, date_order_votes,
                             find_amounts, find_dates, tax_id_currency)

_TOTAL, _NOT_TOTAL = "receipt_total", "receipt_not_total"
_SHADOWS = ("amount_untaxed", "vat")  # invoice labels that are never the amount paid
# invoice labels that make a line no payment line, though a till's tax summary prints them too:
# an invoice's "Netto 87,39 € / Brutto 104,00 €" made Hetzner's invoice a till receipt
_NOT_A_PAYMENT = _SHADOWS + ("amount",)
_TIME = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:h][0-5]\d(?::[0-5]\d)?(?:\s?[AaPp]\.?[Mm]\.?)?(?!\d)")
_SPLIT_CENTS = re.compile(r"(\d)([.,]) (\d{2})(?!\d)")
_SPLIT_BEFORE_MARK = re.compile(r"(\d) ([.,])(\d{2})(?!\d)")
_SPLIT_AROUND_MARK = re.compile(r"(\d) ([.,]) (\d{2})(?!\d)")
#: an amount at its line's end split between its cents by a worn column or a wide-set face
#: ("TOTAL (RM) 249.2 0"): a till prints two decimals, so a lone figure after one decimal is the second
_SPLIT_IN_CENTS = re.compile(r"(?<![\d.,])(\d{1,6}[.,]\d) (\d)\s*$")
#: an amount at its line's end whose decimal mark a worn dot read as a hyphen ("TOTAL PAYABLE
#: 158-15"): a date or a range never ends a till's amount line with two figures after a hyphen
_MARK_AS_HYPHEN = re.compile(r"(?<![\d.,/-])(\d{1,6})-(\d{2})\s*$")
#: an amount whose decimal mark print or OCR lost, leaving a space (``TOTAL 13 95``), at the end of its line
#: a thousands group split off by worn print ("1, 481.65"), its decimal mark perhaps read as a comma too
#: ("1, 481,65", "1,001,75": a mark before two last figures is the decimal one): one amount of four
#: to six figures
_SPLIT_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})[.,] ?(\d{3})[.,](\d{2})(?![\d.,])")
#: the leading 1 of an amount over a thousand read as a letter or a bar (``GRAND TOTAL : i,131.85``):
#: a lone mark before a thousands comma and three figures with cents is no word, only that digit
_ONE_BEFORE_THOUSANDS = re.compile(r"(?<![^\s:])[ilI|!\]](?=[.,]\d{3}[.,]\d{2}(?![\d.,]))")
#: a thousands group with a slashed zero OCR read as an at sign or a letter O (``1,@15.11`` for
#: 1,015.11): the figures after that mark were taken for the whole amount (15.11, a total a
#: thousand short); a group of three after a thousands mark, two of them figures, is one amount
_ZERO_IN_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3}[.,])((?=\d*[@oO])[\d@oO]{3})(?=[.,]\d{2}(?![\d.,]))")
#: an 8 whose dots OCR read as an ampersand, among an amount's digits ('1&5.50', '&6.35', '12&.40')
_AMPERSAND_DIGIT = re.compile(r"(?<=\d)&(?=[\d.,])|(?<![^\s:])&(?=\d{1,5}[.,]\d{2}(?!\d))")
#: figures then two more apart (``113 96``, 'CASH 260 98', 'TOTAL 13 95'): an amount whose
#: decimal mark a faint dot or a worn ribbon left out, the gap where it was printed read as a space
_MARK_LOST = re.compile(r"(?<![\d.,])(\d{1,6}) +(\d{2})(?![\d.,])")
#: a date as worn print and OCR leave it: commas for dots, stray spaces ("04,04, 2020")
#: the year is no clock's hour: a till's card slip or TSE stamp prints the day and month with the
#: time and no year ('Zeit 04.04. 13:43'), and loosely read that was the 4 April of 2013
_LOOSE_DATE = re.compile(r"(?<!\d)(\d{1,2})\s?[.,/-]\s?(\d{1,2})\s?[.,/-]\s?(\d{4}|\d{2}" + NO_WORN_YEAR_DIGIT
                         + r")(?!\d|\s?:\s?\d)")

_BRACKETS = str.maketrans("{[]}", "(())")
#: (its hook read as f, l or t, its stroke as another I beside it: 'fIincl', 'tExcl')
_MISREAD_BRACKET = re.compile(r"(?<=\s)(?:[flt][il|!]?|[il|!](?=[ie]))(?=(?:incl|excl|inkl|exkl)[a-z]*\b)", re.I)
#: a speck of dirt or a stray dot-matrix pin read as a quote mark glued to a word's end ('NET’
#: PAYABLE'): no letter of the label, which it would otherwise end
_STRAY_QUOTE = re.compile(r"(?<=[^\W\d_]{2})[’‘'`´](?=\s)")

#: a word saying the tax that follows is included in the amount (Incl. GST, inclusive of VAT, inkl. MwSt)
_INCLUDED = re.compile(r"\b(?:incl|inkl|inc|including|inclusive(?: of)?|includes?)\.?\s*$")
#: the same word as dot-matrix print leaves it after a total's label (TOTAL IWCL. GST, TOTAL INCiL.
#: GST, TOTAL THCL. GST): an i-like first letter, an l last (or an i: the l's foot worn off, 'TOTAL
#: InCi. SST'), a letter or three between; never EXCL. The bracket before it may be glued on, its
#: hook read as f, l or t ('Total fTncl SST)')
_INCLUDED_WORN = re.compile(r"(?<![^\W\d_])[flt]?[il1|t][^\W\d_]{1,3}[li]\.?\s*$")
#: the word after a total's label that says its amount leaves a tax out (TOTAL EXCL. SST, Total
#: exclusive of VAT): the tax named after it is part of a net's label
_EXCLUDED = re.compile(r"\b(?:excl|exkl|exc|excluding|exclusive(?: of)?)\.?\s*$")


@dataclass
class _Labelled:
    field: str  # receipt_total | receipt_not_total | amount_untaxed | vat
    weight: float
    line: int
    amounts: list[tuple[Decimal, list[Word], str]]  # value, the words it was read from, its text


def _label_at(lex: Lexicons, folded: str, language: str | None):
    return lex.match(folded, (_TOTAL, _NOT_TOTAL) + _SHADOWS, prefer=language)


def _labelled_amounts(line: Line, index: int, lex: Lexicons, conv: Conventions) -> list[_Labelled]:
    """Each label on the line with the amounts printed after it, up to the next label."""
    words = [w for seg in line.segments for w in seg.words]
    text = " ".join(w.text for w in words)
    # worn print splits an amount at its decimal mark ("48. 77"): the mark keeps it one amount
    text = _SPLIT_AROUND_MARK.sub(r"\1\2\3  ", text)  # "248 . 86" likewise
    text = _SPLIT_CENTS.sub(r"\1\2\3 ", text)  # same length: character positions still match the words
    text = _SPLIT_BEFORE_MARK.sub(r"\1\2\3 ", text)  # "59 ,96" likewise
    text = _SPLIT_IN_CENTS.sub(r"\1\2 ", text)  # "249.2 0" likewise
    text = _MARK_AS_HYPHEN.sub(r"\1.\2", text)  # "TOTAL PAYABLE 158-15"
    text = _ONE_BEFORE_THOUSANDS.sub("1", text)  # same length: character positions still match the words
    text = _AMPERSAND_DIGIT.sub("8", text)  # "1&5.50": likewise
    text = _ZERO_IN_THOUSANDS.sub(lambda m: m[1] + re.sub("[@oO]", "0", m[2]), text)  # likewise
    text = _SPLIT_THOUSANDS.sub(lambda m: f"{m[1]}{m[2]}.{m[3]}".ljust(len(m[0])), text)
    # a thin dot-matrix bracket reads as { [ or a glued f ("Total Sales finclusive of GST)"):
    # brackets after a total label say what the amount is (including or excluding the tax)
    # (its letters found as they fold: a dotted E read as é, 'féxcl GST)', is still excl)
    text = text.translate(_BRACKETS)
    text = _STRAY_QUOTE.sub(" ", text)  # same length, as above
    for m in reversed(list(_MISREAD_BRACKET.finditer(fold(text)))):
        text = text[:m.start()] + "(" * len(m[0]) + text[m.end():]
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w.text) + 1
    folded = fold(text)
    labels: list[tuple[int, int, object]] = []  # (start, end, match)
    i = 0
    while i < len(words):
        before = text[:starts[i]]
        if labels and before.count("(") > before.count(")"):
            i += 1  # inside a bracket after a label: "Total Sales (Inclusive of GST)" names no tax amount
            continue
        hit = _label_at(lex, folded[starts[i]:], conv.language) or (_worn_card_name(folded) if i == 0 else None)
        scoped = hit is not None and labels and _names_tax(hit, folded[starts[i]:], lex, conv)
        after_total = folded[labels[-1][1]:starts[i]] if labels and labels[-1][2].field == _TOTAL else None
        if scoped and after_total is not None and _EXCLUDED.search(after_total):
            # "TOTAL EXCL. SST 90.53" where the lexicon lists the phrase for another tax only (GST):
            # the total before the tax, a net; the amount after it is the net's, not a tax amount
            labels[-1] = (*labels[-1][:2], replace(labels[-1][2], field="amount_untaxed"))
        if scoped and (_INCLUDED.search(folded[:starts[i]]) or after_total is not None and (
                _INCLUDED_WORN.search(after_total) or _EXCLUDED.search(after_total))):
            # "Total Sales Incl GST 146.13", "TOTAL INCL. GST", "Summe inkl. 19% MwSt": the tax the
            # total includes (or leaves out), all of it part of the total's label; the amount after
            # it is the total's, not a tax amount
            end = starts[i] + hit.end
            while i < len(words) and starts[i] < end:
                i += 1
            continue
        if hit is not None:
            end = starts[i] + hit.end
            labels.append((starts[i], end, hit))
            while i < len(words) and starts[i] < end:
                i += 1
            continue
        i += 1
    out: list[_Labelled] = []
    for n, (start, end, hit) in enumerate(labels):
        stop = labels[n + 1][0] if n + 1 < len(labels) else len(text)
        amounts = []
        # tills print two decimals, whatever the language: 48.77 on a German receipt is no 4877
        for value, _, a, b in find_amounts(text[end:stop]):
            a, b = a + end, b + end
            piece = text[a:b]
            if not re.search(r"[.,]\d{2}(?!\d)", piece):
                continue  # item counts, tax rates, a shop number: amounts on tills have cents
            used = [w for w, s in zip(words, starts) if s < b and s + len(w.text) > a]
            amounts.append((value, used, piece.strip()))
        field = hit.field
        if field == _TOTAL and _before_tax(text[end:stop], lex):
            field = "amount_untaxed"
        out.append(_Labelled(field, hit.weight, index, amounts))
    return out


#: the card names a till prints before the amount it charged ('VISA 210.10'), which a worn ribbon
#: prints one letter off ('¥ISA', 'VISé', 'TISA'): long enough that one letter changed names no other word
_CARD_NAMES = ("visa", "mastercard")
_WORN_CARD_NAME = 10  # the weight of a payment label


def _worn_card_name(folded: str) -> LabelMatch | None:
    """A payment label for a line that opens with a card's name one character off: the line says
    what was charged to the card, a witness of the total like any payment line; the amount it prints
    is never taken for the total by itself."""
    from rapidfuzz.distance import Levenshtein

    word = folded.split(" ", 1)[0]
    if len(word) < len(min(_CARD_NAMES, key=len)) or not any(
            Levenshtein.distance(word, name, score_cutoff=1) <= 1 for name in _CARD_NAMES):
        return None
    return LabelMatch(_NOT_TOTAL, _WORN_CARD_NAME, len(word), "", word)


def _names_tax(hit, folded: str, lex: Lexicons, conv: Conventions) -> bool:
    """Does the label ``hit`` (at the start of ``folded``) name a tax? A tax summary's label is
    one, and so is a word a till's lexicon also lists as never the total (German MwSt)."""
    return hit.field in _SHADOWS or hit.field == _NOT_TOTAL and lex.match(folded, ("vat",), prefer=conv.language) is not None


def _before_tax(after_label: str, lex: Lexicons) -> bool:
    """Does a bracket after a total label say the amount is before tax ("Total Sales (Excluding
    GST)", "TOTAL (excl. VAT)")? Then the line is a net amount, not what was paid."""
    head = re.split(r"\d", after_label, maxsplit=1)[0]
    return any(lex.search(fold(inner), ("amount_untaxed",)) is not None for inner in re.findall(r"\(([^()]*)", head))


#: a line that is nothing but an amount (a currency mark, a tax code beside it)
_AMOUNT_ALONE = re.compile(r"\s*(?:[A-Z]{2,3}\s?|[$€£]\s?)?-?\d[\d,.' ]*[.,]\s?\d{2}(?:\s?[A-Z]{1,3})?\s*")


def _stacked(labelled: list[_Labelled], lines: list[Line], conv: Conventions) -> None:
    """A narrow till prints a long label on one line and its amount alone on the next
    (``TOTAL AMOUNT PAYABLE`` / ``RM58.60``): the label takes that amount."""
    labelled_lines = {item.line for item in labelled}
    last = {item.line: item for item in labelled}
    for line, item in last.items():
        below = line + 1
        if item.amounts or below >= len(lines) or below in labelled_lines:
            continue
        words = [w for seg in lines[below].segments for w in seg.words]
        text = " ".join(w.text for w in words)
        if not _AMOUNT_ALONE.fullmatch(text):
            continue
        found = [(value, words, text[a:b].strip()) for value, _, a, b in find_amounts(text)
                 if re.search(r"[.,]\s?\d{2}(?!\d)", text[a:b])]
        if len(found) == 1:
            item.amounts.append(found[0])


def is_receipt(doc: Document, lex: Lexicons, conv: Conventions) -> bool:
    """A tall narrow strip of paper, or a line that starts with a payment word of the lexicon
    (``receipt_not_total``: CASH, CHANGE, GEGEBEN …) followed by an amount. A word merely
    containing one ("shipping", "Barcode") on an invoice does not make it a receipt."""
    page = doc.pages[0] if doc.pages else None
    if page and page.width and page.height / page.width >= 1.8:
        return True
    lines = doc.lines
    stacked_payments = 0
    for index, line in enumerate(lines):
        # the paper's edge on a scan reads as "| |" before the words
        text = _EDGE_JUNK.sub("", line.text)
        hit = lex.match(fold(text), (_NOT_TOTAL,), prefer=conv.language)
        if hit is None:
            continue
        amounts = find_amounts(text[hit.end:])
        stacked = (not amounts and not text[hit.end:].strip(" :.") and index + 1 < len(lines)
                   and _AMOUNT_ALONE.fullmatch(lines[index + 1].text) is not None)
        if stacked:
            # the payment word alone, its amount alone on the line below (``CASH`` / ``757.00``):
            # a photo's amount column read as lines of their own, as ``_stacked`` takes it for the
            # totals; two such lines (cash and change) where one would do on a line of its own,
            # for an invoice's totals block read column by column may put a label over an amount
            text = text[:hit.end] + " " + lines[index + 1].text.strip()
            amounts = find_amounts(text[hit.end:])
        if not amounts:
            continue
        # an invoice's tax, net or gross row (MwSt. 19%, BTW 21%, Base imponible, Brutto) is no
        # payment line: the tax summary's words are on both lists; nor is an item whose name starts with a
        # payment word ('Carta per fotocopie': paper, not a card): a payment word stands before
        # its amount with at most a currency code and two more words (CB SANS CONTACT), at most
        # one of them in lower case
        shadow = lex.match(fold(text), _NOT_A_PAYMENT, prefer=conv.language)
        if shadow is not None and shadow.end >= hit.end:
            continue
        between = [w for w in re.findall(r"[^\W\d_]{2,}", text[hit.end:hit.end + amounts[0][2]])
                   if not (len(w) == 3 and w.isupper())]
        if len(between) <= 2 and sum(w[0].islower() for w in between) <= 1:
            stacked_payments += stacked
            if not stacked or stacked_payments >= 2:
                return True
    return False


def _conf(words: list[Word]) -> float:
    return min((w.conf for w in words), default=0.0)


_CENT = Decimal("0.01")
_EDGE_JUNK = re.compile(r"^[\W_]+")
_TILL_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,6}) ?[.,](\d{2})(?![\d.,])")
#: the same, over a thousand with its thousands marks printed (``1,076.10``, ``1.076,10``)
_TILL_AMOUNT_GROUPED = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d{3})+|\d{1,6}) ?[.,](\d{2})(?![\d.,])")


def _till_amounts(text: str, signed: bool = False) -> list[Decimal]:
    """The amounts a till prints in ``text``, two decimals whatever the mark (worn print turns a
    German comma into a dot), thousands marks and all (``SR 6%  1,076.10  64.57``); ``signed``:
    one after a minus sign (``-0.02``) is negative."""
    out = []
    for m in _TILL_AMOUNT_GROUPED.finditer(text):
        value = Decimal(f"{re.sub(r'[.,]', '', m[1])}.{m[2]}")
        out.append(-value if signed and text[:m.start()].endswith(("-", "- ")) else value)
    return out


def _gross_of_rate_row(amounts: list[Decimal], rate: Decimal) -> tuple[Decimal, Decimal] | None:
    """(gross, tax) of one tax row, in whatever order the till prints net, tax and gross: three
    amounts where two add up to the third and the smaller of those two is the rate of the
    larger; else two where one is the rate of the other (net and tax) or of the other's net
    (tax and gross). None when the row's arithmetic does not hold."""
    for i, x in enumerate(amounts):
        for y in amounts[i + 1:]:
            small, large = min(x, y), max(x, y)
            if abs(large * rate - small) <= 2 * _CENT and x + y in amounts:
                return x + y, small
    for i, x in enumerate(amounts):
        for y in amounts[i + 1:]:
            small, large = min(x, y), max(x, y)
            if abs(large * rate - small) <= _CENT:
                return x + y, small
            if rate and abs(large * rate / (1 + rate) - small) <= _CENT:
                return large, small
    return None


#: a 1 whose stroke OCR read as a letter or a bar, opening an amount's figures (``i2 43``, ``l6.80``)
_BAR_FOR_ONE = re.compile(r"(?<!\S)[ilI|!](?=\d{1,5}(?: ?[.,]| +)\d{2}(?![\d.,]))")


def _tax_summary_gross(doc: Document, conv: Conventions) -> tuple[Decimal, list[int], Decimal] | None:
    """The gross amount of the tax summary tills print (``B 7%  23,45  1,64  25,09``, ``SR 6%
    55.33  3.32``): each row's rate with its net and tax (and gross) where the arithmetic holds,
    summed over the rows; with the lines it came from and the tax in it. None without such a row."""
    total, lines, taxes = Decimal(0), [], Decimal(0)
    for index, line in enumerate(doc.lines):
        m = PERCENT.search(line.text)
        if not m:
            continue
        rate = Decimal(m[1].replace(",", ".")) / 100
        after = line.text[m.end():]
        row = _gross_of_rate_row(_till_amounts(after), rate)
        # a net or tax whose decimal mark OCR lost (``SR 6%  113 96  6.84``), or whose leading 1
        # it read as a letter (``207.25  i2.43``): its figures are read as the amount only where
        # the row's arithmetic then holds, to the cent
        for mended in dict.fromkeys((after, _BAR_FOR_ONE.sub("1", after))):
            if row is None and _MARK_LOST.search(mended):
                row = _gross_of_rate_row(_till_amounts(_MARK_LOST.sub(r"\1.\2", mended)), rate)
            if row is None and mended != after:
                row = _gross_of_rate_row(_till_amounts(mended), rate)
        if row is not None:
            total += row[0]
            taxes += row[1]
            lines.append(index)
    return (total, lines, taxes) if lines else None


def _payments(labelled: list[_Labelled], lines: list[Line], lex: Lexicons,
              conv: Conventions) -> list[tuple[Decimal, int]]:
    """(amount, line) of each payment line: a card or cash amount, and what was handed over minus
    the change printed after it. A worn decimal mark (``BAR EUR 2742``) leaves the digits: those
    count as cents (they corroborate only, they never become a total by themselves). A line whose
    label names the tax (``GST SUMMARY``, ``Total GST``) pays nothing: its amount is the tax, and
    a total read off a tax line (amounts a line off their labels) is no more right for it."""
    found: list[tuple[Decimal, int]] = []
    paid = [(item.amounts[-1][0], item.line) for item in labelled if item.field == _NOT_TOTAL and item.amounts
            and lex.match(fold(_EDGE_JUNK.sub("", lines[item.line].text)), ("vat",), prefer=conv.language) is None]
    for i, (given, line) in enumerate(paid):
        found.append((given, line))
        found += [(given - back, line) for back, _ in paid[i + 1:i + 2] if Decimal(0) <= back < given]
    for item in labelled:
        if item.field == _NOT_TOTAL and not item.amounts:
            text = lines[item.line].text
            digits = re.findall(r"(?<![\d.,])(\d{3,6})(?![\d.,])", text)
            spaced = _MARK_LOST.search(text)  # 'CASH 260 98': the mark a space
            found += ([(Decimal(f"{spaced[1]}.{spaced[2]}"), item.line)] if spaced
                      else [(Decimal(d) / 100, item.line) for d in digits[-1:]])
    return found


_GARBLED_AMOUNT = re.compile(r"(?<![\d.,])\d[\d.,]*[.,][\d.,]*\d(?![\d.,])")


def _paid_amounts(places: dict[tuple[Decimal, int], str]) -> set[Decimal]:
    """What the payment lines say was paid (cash less change, a card's amount)."""
    return {value for (value, _), kind in places.items() if kind == "payment" and value > 0}


def _repaired_total(line: Line, value: Decimal, detail: str) -> Field:
    """A total line's amount that agrees with the payment lines only after a repair of what OCR
    read: offered to a person at half confidence at most, never booked by itself."""
    words = [w for seg in line.segments for w in seg.words]
    return Field(value, min(_conf(words), 0.5), "layout", words[0].page if words else None, line.text,
                 agreeing=1, detail=f"till receipt: {detail}")


def _mended_total(labelled: list[_Labelled], lines: list[Line],
                  places: dict[tuple[Decimal, int], str]) -> Field | None:
    """The total line read with one stray character (``SUMME EUR 5,417`` for 5,47: the gap after
    a worn comma read as a 1) is no amount a till prints; when dropping that one character
    gives exactly what a payment line says was paid (``Bar EUR 5,47``), that is the total. Two
    readings agree only after a repair: the amount goes to a person, never booked by itself."""
    paid = _paid_amounts(places)
    for item in sorted((i for i in labelled if i.field == _TOTAL and not i.amounts), key=lambda i: -i.weight):
        text = lines[item.line].text
        spaced = _MARK_LOST.search(text)
        if spaced and (value := Decimal(f"{spaced[1]}.{spaced[2]}")) in paid:
            # 'TOTAL 13 95': the decimal mark lost to a space, what the payment lines say was paid
            return _repaired_total(lines[item.line], value, f"the total line reads {spaced[0].strip()!r}, no "
                                                            f"decimal mark; the payment lines' {value}")
        for garbled in _GARBLED_AMOUNT.findall(text):
            if _TILL_AMOUNT.fullmatch(garbled):
                continue  # a clean amount, not a garbled one
            mended = set()
            for i in range(len(garbled)):
                m = _TILL_AMOUNT.fullmatch(garbled[:i] + garbled[i + 1:])
                if m and Decimal(f"{m[1]}.{m[2]}") in paid:
                    mended.add(Decimal(f"{m[1]}.{m[2]}"))
            if len(mended) == 1:
                value = mended.pop()
                return _repaired_total(lines[item.line], value, f"the total line reads {garbled}; the payment "
                                                                f"line's {value} but for one stray character")
    return None


#: an amount at a line's end whose cents OCR cut short: '197.', '248.8' (faded, or boxed with a line above)
_CUT_SHORT = re.compile(r"(?<![\d.,])(\d{1,6})[.,](\d?)\s*$")


def _cut_short_total(labelled: list[_Labelled], lines: list[Line], places: dict[tuple[Decimal, int], str],
                     after: int, rounds: bool = False) -> Field | None:
    """A total line printed after line ``after`` whose amount was read with its cents cut short
    (``Total Payable 197.``: a double-height line whose last digits Tesseract boxed with the line
    above) is the one amount the payment lines say was paid that starts with the digits read
    (cash 200.00 less change 2.15: 197.85). Two readings agree only after a repair: offered to a
    person at half confidence, never booked. On a till that rounds to a coin (``rounds``) only a
    whole number of coins was paid: cash less change off the coin had a slashed zero read as
    another digit (500.06 less 172.48), and what was paid is the one reading of the two, their
    zeros read back (``_zero_readings``), that lands on a coin (500.00 less 172.40: 327.60)."""
    paid = _paid_amounts(places)
    if rounds:
        handed = [item.amounts[-1][0] for item in labelled if item.field == _NOT_TOTAL and item.amounts]
        pairs = [(given, back) for given, back in zip(handed, handed[1:]) if Decimal(0) <= back < given]
        cash_less_change = {given - back for given, back in pairs}
        # (a card's own line off the coin stays: a till rounds cash, not a card payment)
        paid = {value for value in paid if _on_a_coin(value) or value not in cash_less_change} | {
            g - b for given, back in pairs for g in _zero_readings(given) for b in _zero_readings(back)
            if g > b and _on_a_coin(g - b)}
    for item in sorted((i for i in labelled if i.field == _TOTAL and not i.amounts and i.line > after),
                       key=lambda i: (-i.weight, -i.line)):
        text = lines[item.line].text
        m = _CUT_SHORT.search(text)
        if m is None:
            continue
        fits = {value for value in paid if f"{value:.2f}".startswith(f"{m[1]}.{m[2]}")}
        if len(fits) != 1:
            continue
        value = fits.pop()
        return _repaired_total(lines[item.line], value, f"the total line reads {m[0].strip()!r}, its cents cut "
                                                        f"short; the payment lines' {value}")
    return None


#: a till rounds the amount paid to what coins can pay (5 sen, 5 Rappen, 10 øre): never a unit
_MOST_ROUNDING = Decimal("0.50")


def _rounded_totals(labelled: list[_Labelled], lines: list[Line], lex: Lexicons, conv: Conventions,
                    candidates: list, places: dict[tuple[Decimal, int], str]) -> list:
    """A total printed before the till rounds it (``TOTAL INCL. GST 146.13`` / ``ROUNDING 0.02``
    / ``TOTAL PAYABLE 146.15``) is not what was paid: the total plus its rounding is. That sum
    becomes a candidate at the rounding line, with the total's label weight, only when another
    place says it was paid (cash less change, a card payment, the rounded total's own line):
    then the rounded total's line may be misread (``146.1``) or worn and the amount paid is
    still found; a rounding nothing confirms changes nothing (its own digits may be misread)."""
    out = []
    for item in labelled:
        if item.field != _NOT_TOTAL or not item.amounts:
            continue
        text = _EDGE_JUNK.sub("", lines[item.line].text)
        if lex.match(fold(text), ("rounding",), prefer=conv.language) is None:
            continue
        step, step_words, _ = item.amounts[-1]
        if not step:
            continue
        # the total it rounds: the nearest printed above it, a few lines up at most
        above = [c for c in candidates if item.line - 3 <= c[1] < item.line]
        if not above:
            continue
        weight, line, (value, words, amount_text) = max(above, key=lambda c: c[1])
        # a rounding read as more than a rounding can be ('Rounding Adj -0.81' under 496.16) is
        # the one look-alike reading of it that takes the total to its nearest coin (-0.01)
        rounded = value + step if abs(step) <= _MOST_ROUNDING else _rounds_to_a_coin(value, step)
        if rounded is None:
            continue
        confirmed = any(v == rounded and n not in (line, item.line) for v, n in places) or any(
            c[2][0] == rounded and c[1] not in (line, item.line) for c in candidates)
        if rounded > 0 and confirmed:
            out.append((weight, item.line, (rounded, words + step_words, amount_text)))
    return out


#: digits dot-matrix and worn thermal print turn into one another (a slashed 0 reads as 6, 8, 3 or 9).
#: Not 5 and 6: a total rounded to 5 sen is one of them from the total it rounds (68.46 -> 68.45)
_PRINT_LOOK_ALIKE = {"0": "6893", "6": "08", "8": "0369", "3": "80", "9": "08", "1": "7", "7": "1"}
#: look-alikes too wherever rounding to the coin leaves a digit alone (all but the last cent): a
#: 5x7 dot-matrix 5 and 6 share all but a few dots of the left stroke (1,036.10 read as 1,035.10)
_LOOK_ALIKE_BEFORE_THE_CENT = {"5": "6", "6": "5"}


def _one_look_alike_apart(a: Decimal, b: Decimal) -> bool:
    """Written alike but for one digit print turns into the other (68.43 and 68.40, 1035.10
    and 1036.10)."""
    x, y = f"{a:.2f}", f"{b:.2f}"
    differ = [(n, p, q) for n, (p, q) in enumerate(zip(x, y)) if p != q]
    if len(x) != len(y) or len(differ) != 1:
        return False
    at, p, q = differ[0]
    if q in _PRINT_LOOK_ALIKE.get(p, "") or p in _PRINT_LOOK_ALIKE.get(q, ""):
        return True
    return at < len(x) - 1 and q in _LOOK_ALIKE_BEFORE_THE_CENT.get(p, "")


def _look_alikes_apart(read: Decimal, value: Decimal, most: int = 2) -> bool:
    """Is ``read`` ``value`` written alike but for up to ``most`` digits, each one print turns into
    the other (``_one_look_alike_apart``: 453.05 for 468.05, a 6 read as 5 and an 8 as 3)?"""
    x, y = f"{read:.2f}", f"{value:.2f}"
    differ = [n for n, (p, q) in enumerate(zip(x, y)) if p != q]
    return (len(x) == len(y) and 0 < len(differ) <= most
            and all(_one_look_alike_apart(Decimal(y[:n] + x[n] + y[n + 1:]), value) for n in differ))


def _bounded_rounding(step: Decimal) -> Decimal | None:
    """A rounding amount as printed, or the one look-alike reading of it that a rounding can be
    (``-6.01``: a rounding is never six ringgit, so ``-0.01``); None when none or several are."""
    if abs(step) <= _MOST_ROUNDING:
        return step
    text = f"{step:.2f}"
    found = set()
    for i, ch in enumerate(text):
        for other in _PRINT_LOOK_ALIKE.get(ch, ""):
            value = Decimal(text[:i] + other + text[i + 1:])
            if abs(value) <= _MOST_ROUNDING:
                found.add(value)
    return found.pop() if len(found) == 1 else None


def _names_a_rounding(line: Line, lex: Lexicons, conv: Conventions) -> bool:
    """Does the lexicon's rounding label ('ROUNDING ADJ', 'Rundung') name ``line``, junk at its
    edges left aside? Or the label's long word worn (``_worn_rounding_line``)?"""
    return (lex.match(fold(_EDGE_JUNK.sub("", line.text)), ("rounding",), prefer=conv.language) is not None
            or _worn_rounding_line(line, lex))


#: the coins, in cents, a till rounds a total to (5 sen, 5 Rappen, 5 or 10 cents, 50 ore, a whole krona)
_ROUNDING_COINS = (5, 10, 50, 100)


def _nearest_coins(before: Decimal) -> set[Decimal]:
    """What a rounding line may take ``before`` to: its nearest amount of each coin a till rounds to."""
    return {_to_the_coin(before, coin) for coin in _ROUNDING_COINS}


def _rounds_to_a_coin(before: Decimal, step: Decimal) -> Decimal | None:
    """What was paid when the rounding line's amount ``step`` rounds ``before``: a rounding takes a
    total to its nearest coin and does nothing else, so it is read as printed, or with its sign
    (printed apart, often lost), or one look-alike digit off (``ROUNDING 0.32`` after 766.17:
    -0.02 with its 0 read as 3), whichever lands there. None when no reading of it does, or
    readings land on several coins: the rounding's amount was misread."""
    nearest = _nearest_coins(before)
    text = f"{abs(step):.2f}"
    misread = {Decimal(text[:i] + other + text[i + 1:]) for i, ch in enumerate(text) for other in _PRINT_LOOK_ALIKE.get(ch, "")}
    for readings in ({abs(step)}, misread):
        landed = {before + sign * reading for reading in readings for sign in (1, -1)} & nearest
        if landed:
            return landed.pop() if len(landed) == 1 else None
    return None


def _paid_after(before: Decimal, step: Decimal | None) -> Decimal:
    """``before`` rounded by the rounding line's amount ``step`` (``_rounds_to_a_coin``), or
    brought to the nearest 5-sen coin when that amount is illegible or misread past knowing."""
    paid = _rounds_to_a_coin(before, step) if step is not None else None
    return paid if paid is not None else _to_the_coin(before)


def _rounding_lines(labelled: list[_Labelled], lines: list[Line], lex: Lexicons, conv: Conventions) -> list[_Labelled]:
    """The receipt's rounding lines with their amounts: those the lexicon's label names, and those
    whose label OCR wore past it (``ROUNGING -0.62``), with the last till amount of the line."""
    rounding = [item for item in labelled if item.field == _NOT_TOTAL and _names_a_rounding(lines[item.line], lex, conv)]
    labelled_lines = {item.line for item in labelled}
    for index, line in enumerate(lines):
        if index not in labelled_lines and _worn_rounding_line(line, lex):
            # signed: a rounding down ('ROUNDI BG -0.02') takes from the total
            amounts = _till_amounts(line.text, signed=True)
            rounding.append(_Labelled(_NOT_TOTAL, 0, index, [(a, [], "") for a in amounts[-1:]]))
    return sorted(rounding, key=lambda item: item.line)


def _paid_twice_to_the_cent(paid: list[tuple[Decimal, int]], lines: list[Line]) -> set[Decimal]:
    """The one amount every payment line says, when no note or coins were handed over for it (odd
    cents: a card's charge, not CASH 50.00) and another line prints it again (the card slip's own
    ``EUR 134,39`` under the shop's ``EC LASTSCHRIFT 134,39``): two prints of what was paid, each
    read alike, against a total line read once. Empty when the payment lines differ (cash and
    change, a split payment) or say a round sum."""
    value = _charged_to_the_cent(paid)
    if value is None:
        return set()
    printing = {n for n, line in enumerate(lines) if value in {v for v, _, _, _ in find_amounts(line.text)}}
    return {value} if len(printing) >= 2 else set()


def _look_alike_total(value: Decimal, labelled: list[_Labelled], lines: list[Line], lex: Lexicons,
                      conv: Conventions, candidates: list, places: dict[tuple[Decimal, int], str],
                      summary: tuple[Decimal, list[int], Decimal] | None) -> Field | None:
    """The total line read with one digit turned into a look-alike (dot-matrix print: ``TOTAL
    ROUNDED 68.43`` for 68.40) that nothing confirms: what the other lines of the receipt give
    for the amount paid (the tax summary's gross, whose own arithmetic held, plus the printed
    rounding; the total before rounding plus it; cash less change; a card payment) is written
    alike but for that one digit. When exactly one such amount is, it is the total, at half
    confidence: a person confirms it before it is booked."""
    # what was handed over less the change printed after it (not the handed-over amount alone: a
    # 50.00 note is one look-alike digit from a total of 56.00)
    paid = [(item.amounts[-1][0], item.line) for item in labelled if item.field == _NOT_TOTAL and item.amounts]
    derived = {given - back for (given, _), (back, _) in zip(paid, paid[1:]) if Decimal(0) <= back < given}
    derived |= _paid_twice_to_the_cent(paid, lines)
    bases = [summary[0]] if summary is not None and summary[0] > 0 else []
    rounding = _rounding_lines(labelled, lines, lex, conv)
    for item in rounding:
        above = [c[2][0] for c in candidates if item.line - 3 <= c[1] < item.line]
        # only a rounding read as one (``_rounds_to_a_coin``): the total above brought to the coin
        # is one reading against the total line's own, and would replace a total read right
        steps = [_rounds_to_a_coin(base, item.amounts[-1][0]) for base in bases + above[-1:] if item.amounts and base > 0]
        derived |= {paid for paid in steps if paid is not None}
    if not rounding:
        derived |= set(bases)  # with a rounding printed, the summary's gross is not what was paid
    near = {v for v in derived if v != value and _one_look_alike_apart(value, v)}
    if len(near) != 1:
        return None
    mended = near.pop()
    return Field(mended, 0.5, "layout", None, "", agreeing=1,
                 detail=f"till receipt: the total line reads {value}; the tax summary, rounding and payment "
                        f"lines give {mended}, but for one look-alike digit: a person confirms it")


#: the digits a slashed or dotted zero (most dot-matrix printers print one) is read as
_READ_FOR_ZERO = "6893"
#: an amount with more such digits than this is not mended (2^n readings to try)
_MOST_ZERO_DOUBTS = 5


def _zero_readings(value: Decimal) -> set[Decimal]:
    """``value`` and every amount it may be with some of its 6, 8, 9 and 3 read from a slashed
    zero (``206.68`` may be 200.00, 200.68, 206.08 …)."""
    text = f"{value:.2f}"
    doubtful = [i for i, ch in enumerate(text) if ch in _READ_FOR_ZERO]
    if len(doubtful) > _MOST_ZERO_DOUBTS:
        return {value}
    out = set()
    for mask in range(1 << len(doubtful)):
        chars = list(text)
        for bit, i in enumerate(doubtful):
            if mask >> bit & 1:
                chars[i] = "0"
        out.add(Decimal("".join(chars)))
    return out


def _zero_misread(read: Decimal, value: Decimal) -> bool:
    """``read`` is ``value`` with some of its zeros read as 6, 8, 9 or 3."""
    return value in _zero_readings(read)


#: a mark glued before an amount that dot-matrix print makes of its first digit: $ of an 8 or a 5,
#: B of an 8, S of a 5 or an 8, a euro sign of a 6 (its open top and the dots across its middle)
_GLUED_DIGIT = re.compile(r"(?<![\w$€])([$SB€])(\d{1,5}[.,]\d{2})(?!\d)")
_DIGITS_OF_MARK = {"$": "85", "B": "8", "S": "58", "€": "6"}


def _glued_digit_readings(text: str) -> set[Decimal]:
    """The amounts ``text`` also reads as with a mark glued to an amount taken for the digit it
    looks like (``$6.35`` may be 86.35): another reading, for what the other lines confirm."""
    return {Decimal(digit + m[2].replace(",", ".")) for m in _GLUED_DIGIT.finditer(text)
            for digit in _DIGITS_OF_MARK[m[1]]}


def _net_above_its_tax(at: int, rounding: int, labelled: list[_Labelled], lines: list[Line], lex: Lexicons) -> bool:
    """Is the total line ``at``, above the rounding line ``rounding``, the net the tax is added to
    (``TOTAL AMOUNT 300.00`` / ``GST 6% 18.00`` / ``ROUNDING 0.00``, the total with the tax in it
    illegible)? A tax line printed between them, its amount legible or not, says so, where the
    line's own label names no tax (``TOTAL INCL. GST`` says the tax below is the one it holds).
    A line printing a rate and one amount is such a tax line whatever OCR made of its label
    (``&S1 6% 55.96``), unless a total's label names it."""
    if lex.search(fold(lines[at].text), ("vat",)) is not None:
        return False
    totals = {item.line for item in labelled if item.field == _TOTAL}
    return any(item.field == "vat" and at < item.line < rounding for item in labelled) or any(
        _prints_a_rate_and_its_tax(lines[n]) for n in range(at + 1, rounding) if n not in totals)


def _prints_a_rate_and_its_tax(line: Line) -> bool:
    """Does ``line`` print a rate and one amount after it (``62T 6% 78.88``): a tax line, its
    label read or not?"""
    m = PERCENT.search(line.text)
    return m is not None and len(_till_amounts(line.text[m.end():])) == 1


def _paid_by_zero_readings(value: Decimal | None, labelled: list[_Labelled], lines: list[Line], lex: Lexicons,
                           conv: Conventions, candidates: list, also: set[Decimal] = frozenset()) -> Field | None:
    """The amount paid where dot-matrix print turned zeros into 6, 8, 9 or 3 on several lines at
    once, so no two lines agree as read (``TOTAL ROUNDED 12`` / ``CASH 206,68`` / ``CHANGE
    73.15`` / ``SR 6% 119.65 7.16``): each line's amount is also taken with any of its 6, 8, 9
    and 3 as a zero, and the amount paid is the one value that two different kinds of line
    give: cash less change, the tax summary row whose tax is its rate of its net (plus the
    printed rounding), the total before rounding plus the rounding, and the total line itself.
    Never booked by itself: half confidence, a person confirms it. None when no value is given
    by two kinds, when two values are given by as many kinds, or when the total as read is the
    value given most. ``also``: other readings of the total line (``_glued_digit_readings``)."""
    kinds: dict[Decimal, set[str]] = {}

    def give(found: set[Decimal], kind: str) -> None:
        for v in found:
            if v > 0:
                kinds.setdefault(v, set()).add(kind)

    steps: set[Decimal] = set()
    rounding_lines = set()
    for item in labelled:
        if item.field != _NOT_TOTAL or not item.amounts:
            continue
        if not _names_a_rounding(lines[item.line], lex, conv):
            continue
        rounding_lines.add(item.line)
        read = item.amounts[-1][0]
        sign = -1 if read < 0 else 1
        found = {sign * v for v in _zero_readings(abs(read)) if v <= _MOST_ROUNDING}
        bounded = _bounded_rounding(read)
        steps |= found | ({bounded} if bounded is not None else set())
        above = [c for c in candidates if item.line - 3 <= c[1] < item.line]
        nearest = max(above, key=lambda c: c[1]) if above else None
        if nearest is not None and not _net_above_its_tax(nearest[1], item.line, labelled, lines, lex):
            before = nearest[2][0]
            give({b + step for b in _zero_readings(before) for step in found | ({bounded} if bounded is not None else set())},
                 "total before rounding")
    paid = [(item.amounts[-1][0], item.line) for item in labelled
            if item.field == _NOT_TOTAL and item.amounts and item.line not in rounding_lines]
    for (given, _), (back, _) in zip(paid, paid[1:]):
        give({g - b for g in _zero_readings(given) for b in _zero_readings(back) if Decimal(0) <= b < g},
             "cash less change")
    for line in lines:
        m = PERCENT.search(line.text)
        if not m:
            continue
        rate = Decimal(m[1].replace(",", ".")) / 100
        amounts = _till_amounts(line.text[m.end():])
        if not rate or len(amounts) < 2:
            continue
        net, tax = amounts[-2], amounts[-1]
        gross = {n + t for n in _zero_readings(net) for t in _zero_readings(tax) if t and abs(n * rate - t) <= _CENT}
        give({g + step for g in gross for step in steps} if steps else gross, "tax summary")
    if value is not None:
        give(_zero_readings(value) | {v for r in also for v in _zero_readings(r)}, "total line")
    most = max((len(k) for k in kinds.values()), default=0)
    agreed = [v for v, k in kinds.items() if len(k) == most]
    if most < 2 or len(agreed) != 1 or agreed[0] == value:
        return None  # nothing given twice, a tie, or the total as read is what the lines give most
    amount = agreed[0]
    return Field(amount, 0.5, "layout", None, "", agreeing=1,
                 detail=f"till receipt: the total line reads {value}; {' and '.join(sorted(kinds[amount]))} give "
                        f"{amount} with zeros read for look-alike digits: a person confirms it")


#: what a digit OCR read off dot-matrix or worn print may have been printed as: a slashed zero
#: comes out as 6, 8, 9 or 3, an 8 whose middle dots ran together as 0, 6, 3, 2 or 5, a 6 as 5
#: or 8, a 1 and a 7 as each other; a 5x7 3 and 9 share their lower half with a 5 and their
#: upper half with a 2, and a faint pin row turns one into the other (389.85 read as 289.85,
#: 367.77 as 567.77, 191.30 as 151.30)
_MAY_HAVE_BEEN = {"0": "86", "1": "7", "2": "839", "3": "80", "5": "6839", "6": "085", "7": "1", "8": "063",
                  "9": "08"}
#: at most this many digits of one amount are read as look-alikes other than a slashed zero: a
#: reading that changes more of them is any amount at all, and lines read so agree by chance. A
#: ribbon's slashed zero is misread alike wherever it is struck (200.00 read as 266.66): its
#: readings are not counted here
_MOST_CHANGED = 2
#: the rates a tax line's percentage may be (GST, VAT and sales tax rates), as read or look-alike
_MOST_RATE = Decimal("0.30")
#: the coins, in cents, a till that prints a rounding rounds to (5 sen, 5 Rappen, 5 or 10 cents),
#: the smallest tried first
_COINS = (5, 10)


def _printed_readings(value: Decimal) -> dict[int, int]:
    """Every amount, in cents, that ``value`` may have been printed as, its digits read as
    digits they are mistaken for (``_MAY_HAVE_BEEN``): any of them as a zero, at most
    ``_MOST_CHANGED`` as another digit; with how many digits differ from the reading."""
    text = f"{abs(value):.2f}".replace(".", "")
    out: dict[int, int] = {}

    def grow(at: int, digits: str, changed: int, others: int) -> None:
        if at == len(text):
            if not (digits[0] == "0" and len(digits) > 3):  # no till prints 096.65
                cents = int(digits)
                if changed < out.get(cents, len(text) + 1):
                    out[cents] = changed
            return
        ch = text[at]
        grow(at + 1, digits + ch, changed, others)
        for other in _MAY_HAVE_BEEN.get(ch, ""):
            if other == "0":
                grow(at + 1, digits + other, changed + 1, others)
            elif others < _MOST_CHANGED:
                grow(at + 1, digits + other, changed + 1, others + 1)

    grow(0, "", 0, 0)
    return out


#: characters OCR makes of a dot-matrix or worn digit beside the others of an amount (i2.58 for
#: 12.58, 2O9.74 for 209.74, 1B.05 for 18.05)
_DIGIT_OF_CHAR = {"i": "1", "l": "1", "I": "1", "|": "1", "!": "1", "]": "1", "[": "1", "O": "0", "o": "0",
                  "D": "0", "Q": "0", "B": "8", "G": "6", "S": "5", "Z": "2", "z": "2", "$": "8"}
_CHARS = "".join(re.escape(ch) for ch in _DIGIT_OF_CHAR)
_AMOUNT_WITH_CHARS = re.compile(rf"(?<![\w.,{_CHARS}])([\d{_CHARS}]{{1,6}}) ?[.,] ?([\d{_CHARS}]{{2}})(?![\w.,])")


def _amounts_with_look_alikes(text: str) -> list[Decimal]:
    """The till amounts in ``text``, a letter or mark OCR made of one of an amount's digits read
    as that digit (``SR 6%  209.74  i2.58``: 209.74 and 12.58); for the sums that check a garbled
    total, never for a total by itself. An amount needs two digits read as digits."""
    out = []
    for m in _AMOUNT_WITH_CHARS.finditer(text):
        whole, cents = m[1], m[2]
        if sum(ch.isdigit() for ch in whole + cents) < 2 or sum(not ch.isdigit() for ch in whole + cents) > 1:
            continue
        whole, cents = ("".join(_DIGIT_OF_CHAR.get(ch, ch) for ch in part) for part in (whole, cents))
        out.append(Decimal(f"{whole}.{cents}"))
    return out


def _rates_read(text: str) -> set[Decimal]:
    """The tax rates a line's percentage may be, as read or with a look-alike digit (6% read as
    5% or 8%)."""
    m = PERCENT.search(text)
    if not m:
        return set()
    read = m[1].replace(",", ".")
    out = set()
    for i, ch in enumerate(read):
        for other in ch + _MAY_HAVE_BEEN.get(ch, ""):
            rate = Decimal(read[:i] + other + read[i + 1:]) / 100
            if 0 < rate <= _MOST_RATE:
                out.add(rate)
    return out


def _cents_of_rate(net: int, rate: Decimal) -> int:
    return int((Decimal(net) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


#: no value scored yet (see ``_agreement``)
_NO_SCORE = (0, 0, 0, 0)


def _agreement(given: dict[str, int]) -> int:
    """1 when two kinds of line or more give an amount as read, not one digit changed (subtotal
    and rounding, cash less change: 175.25); else 0. It outweighs how many kinds agree: every
    look-alike reading tried is one more chance for lines to agree on a wrong amount, and three
    lines that agree only once five digits are read as others (175.30 from a total line read
    175.29) say less than two that agree as printed."""
    return int(sum(cost == 0 for cost in given.values()) >= 2)


def _paid_by_look_alikes(value: Decimal | None, labelled: list[_Labelled], lines: list[Line], lex: Lexicons,
                         conv: Conventions, candidates: list, total_at: int | None = None) -> Field | None:
    """The amount paid where dot-matrix print garbled digits on every line that says it (``Total
    Amount 692.56`` / ``AMOUNT PAYABLE 693,58`` / ``Amount Before GST 658.96`` / ``GST 6% 39.54``):
    each line's amount is read every way its digits may have been printed (``_MAY_HAVE_BEEN``),
    and the receipt's own arithmetic picks the reading. Kinds of line that say what was paid: the
    total line; the total before rounding; the net plus the tax where the tax is the printed
    rate of the net; a tax summary row whose tax is its rate of its net; cash less change. A till
    that prints a rounding rounds to a coin: the amount paid is the multiple of it nearest the
    total before rounding (5 cents: 5 sen, 5 Rappen; then 10); a receipt whose rounding line did
    not read is tried unrounded first. The amount paid is the value the most kinds give, at
    least two, and of those the one that changes the fewest digits read, then the smallest coin; half
    confidence: a person confirms it. None when no value is given by two kinds, when another
    value is given by as many kinds with as few changes, or when that value is the total as
    read. Two kinds besides the total line itself must give it: a total line read one way
    and one other line read another agree by chance too often. ``total_at``: the line the
    total was read on."""
    def taxed(net: Decimal, tax: Decimal, rates: set[Decimal]) -> dict[int, int]:
        """net plus tax, in cents, for each reading where the tax is a rate of the net."""
        taxes, out = _printed_readings(tax), {}
        for n, cost in _printed_readings(net).items():
            for rate in rates:
                # a till that prices with the tax in works it out of the gross (6/106 of it): a
                # cent off the rate of the net, as read (with look-alike digits too, readings
                # a cent apart agree by chance)
                for off in (0, -1, 1):
                    t = _cents_of_rate(n, rate) + off
                    if t <= 0 or t not in taxes or (off and (cost or taxes[t])):
                        continue
                    if cost + taxes[t] < out.get(n + t, 99):
                        out[n + t] = cost + taxes[t]
        return out

    # a rounding line, its amount read or not, its label worn too ('ROUNSING 0.01'): the till
    # rounds what is paid to a coin
    rounding = _rounding_lines(labelled, lines, lex, conv)
    rounded_at = {item.line for item in rounding}
    befores: list[tuple[str, dict[int, int]]] = []  # (kind, the amounts before any rounding it may say)
    ends = [item.line for item in rounding] or ([total_at] if total_at is not None else [])
    rounded_by: Decimal | None = None  # the rounding the till printed, where the total above agrees with it
    for end in ends:
        # the total a rounding rounds (a line or two above it, or above the total when the
        # rounding line's label did not read)
        above = [c for c in candidates if end - 3 <= c[1] < end]
        # the line just above a rounding is the total it rounds, whatever its worn bracket was read
        # to say ('Total (excl GST} 206.23' for '(Incl GST)': a net is never what a till rounds)
        above += [(0, item.line, item.amounts[-1]) for item in labelled
                  if item.field == "amount_untaxed" and item.amounts and item.line == end - 1 and end in rounded_at]
        nearest = max(above, key=lambda c: c[1]) if above else None
        if nearest is not None and not (end in rounded_at and _net_above_its_tax(nearest[1], end, labelled, lines, lex)):
            before = nearest[2][0]
            befores.append(("total before rounding", _printed_readings(before)))
            step = next((item.amounts[-1][0] for item in rounding if item.line == end and item.amounts), None)
            if rounded_by is None and step and before + step in _nearest_coins(before):
                rounded_by = step

    def is_tax(item: _Labelled) -> bool:
        # 'Total GST' is a tax amount and, among the till's labels, one that is not the total
        return item.field == "vat" or (item.field == _NOT_TOTAL and lex.match(
            fold(_EDGE_JUNK.sub("", lines[item.line].text)), ("vat",), prefer=conv.language) is not None)

    # a tax line printing no rate ('Total GST : 1.48') is at the rates the tax summary prints
    printed_rates = {rate for line in lines for rate in _rates_read(line.text)}
    nets = [item for item in labelled if item.field == "amount_untaxed" and item.amounts
            and item.line + 1 not in rounded_at]
    for net_item in nets[-1:]:
        for tax_item in (t for t in labelled if is_tax(t) and t.amounts and 0 < t.line - net_item.line <= 2):
            befores.append(("net and tax", taxed(net_item.amounts[-1][0], tax_item.amounts[-1][0],
                                                 _rates_read(lines[tax_item.line].text) or printed_rates)))
    for n, text in enumerate(line.text for line in lines):
        m = PERCENT.search(text)
        amounts = _amounts_with_look_alikes(text[m.end():]) if m else []
        if m and not amounts and n + 1 < len(lines) and not PERCENT.search(lines[n + 1].text):
            # the rates printed as the heads of the columns below them ('S = 6%   Z = 0%' over
            # '176.42 / 10.58   0.00 / 0.00'): the first rate's net and tax open the next line
            amounts = _amounts_with_look_alikes(lines[n + 1].text)[:2]
        if len(amounts) >= 2:
            befores.append(("tax summary", taxed(amounts[-2], amounts[-1], _rates_read(text))))
    as_read: dict[int, int] = {}
    if value is not None and not any(total_at is not None and 0 < item.line - total_at <= 3 for item in rounding):
        # (a total printed just before the rounding is the total before rounding, counted above)
        as_read = _printed_readings(value)
    rounding_lines = {item.line for item in rounding}
    # a rounding that reads 0.00 rounded nothing: what was paid is a total before it as it stands,
    # on a coin already (a rounding to 5 sen is 0.02 at most; each look-alike reading of 0.00,
    # 0.03 0.06 0.08 0.09, is more)
    rounded_nothing = any(item.amounts and item.amounts[-1][0] == 0 for item in rounding)
    paid = [item.amounts[-1][0] for item in labelled
            if item.field == _NOT_TOTAL and item.amounts and item.line not in rounding_lines]
    handed = [(_printed_readings(given), _printed_readings(back)) for given, back in zip(paid, paid[1:])]

    best: dict[int, tuple] = {}  # value: (agreement, kinds, -digits changed, -coin's order), best over coins
    read_as_printed: dict[int, bool] = {}  # value: does one line give it, at its best, as printed
    weaker: dict[int, tuple] = {}  # the same for values the total line and one other line give
    for order, coin in enumerate(_COINS if rounding else (None,) + _COINS):
        kinds: dict[int, dict[str, int]] = {}

        def give(found: dict[int, int], kind: str) -> None:
            for v, cost in found.items():
                if v > 0 and (coin is None or v % coin == 0) and cost < kinds.setdefault(v, {}).get(kind, 99):
                    kinds[v][kind] = cost

        for kind, readings in befores:
            if coin is None or rounded_nothing:
                give(readings, kind)
                continue
            # rounded as the till rounds: to the nearest coin, half a coin up (the rounding's own
            # amount is the line most often garbled, and says no more than the coin does)
            rounded: dict[int, int] = {}
            for b, cost in readings.items():
                r = (b * 2 + coin) // (2 * coin) * coin
                # the rounding line and the total above it, read as printed, agree on what the till
                # did to the cents ('115.72' / 'ROUNDING ADJ -0.02'): a reading the till would have
                # rounded otherwise (115.78 up to 115.80 by a 10-cent coin) contradicts both lines
                if rounded_by is None or Decimal(r - b) / 100 == rounded_by:
                    rounded[r] = min(cost, rounded.get(r, 99))
            give(rounded, kind)
        give(as_read, "total line")
        # cash less change: checked against the values the other lines give (the pairs are too many to list)
        for givens, backs in handed:
            give({v: min(cost + backs[g - v] for g, cost in givens.items() if g - v in backs)
                  for v in list(kinds) if any(g - v in backs for g in givens)}, "cash less change")
        for v, given in kinds.items():
            score = (_agreement(given), len(given), -sum(given.values()), -order)
            if len(set(given) - {"total line"}) < 2:
                # the total as read, one look-alike away from one other line, is no confirmation;
                # but it says as much as a value other lines give only by rewriting more digits
                weaker[v] = max(score, weaker.get(v, _NO_SCORE))
                continue
            if score > best.get(v, _NO_SCORE):
                best[v] = score
                read_as_printed[v] = 0 in given.values()
    top = max(best.values(), default=_NO_SCORE)
    agreed = [v for v, score in best.items() if score == top]
    if top[1] < 2 or len(agreed) != 1 or (value is not None and Decimal(agreed[0]) / 100 == value):
        return None
    if any(score >= top for v, score in weaker.items() if v != agreed[0]):
        return None  # the total line and one more line say another amount as surely: the sums do not settle it
    amount = Decimal(agreed[0]) / 100
    if not read_as_printed[agreed[0]] and any(amount not in {gross} | _nearest_coins(gross)
                                              for gross in _sums_as_read(labelled, lines, lex, conv)):
        # no line gives it as printed, and a net and its tax tie, as printed, at another amount
        # (54.72 + 3.28 = 58.00 against 68.60 that five look-alike digits make of other lines)
        return None
    return Field(amount, 0.5, "layout", None, "", agreeing=1,
                 detail=f"till receipt: the total line reads {value}; {top[1]} kinds of line give {amount} with "
                        f"{-top[2]} look-alike digits read as printed: a person confirms it")

def _plus_rounding_after(value: Decimal, line: int, labelled: list[_Labelled], lines: list[Line], lex: Lexicons,
                         conv: Conventions, values: list[Decimal]) -> Field | None:
    """The total chosen is printed just before a legible rounding (``TOTAL INCL. GST 126.87`` /
    ``ROUNDING ADJ -0.02``) and the rounded total's own amount was not read (``TOTAL ROUNDED 12``,
    dot-matrix cents lost): the tax summary may confirm 126.87, but that is the amount before
    rounding; what was paid is the total plus the rounding, for a person to confirm. None when
    no such rounding follows within three lines, or a total line prints the rounded amount."""
    for item in labelled:
        if item.field != _NOT_TOTAL or not item.amounts or not line < item.line <= line + 3:
            continue
        if not _names_a_rounding(lines[item.line], lex, conv):
            continue
        if _net_above_its_tax(line, item.line, labelled, lines, lex):
            return None  # the rounding rounds the total with the tax in it, not the net above the tax
        step = item.amounts[-1][0]
        paid = _rounds_to_a_coin(value, step) if step and abs(step) <= _MOST_ROUNDING else None
        if paid is None or paid == value or paid in values or paid <= 0:
            return None
        return Field(paid, 0.5, "layout", None, lines[item.line].text, agreeing=1,
                     detail=f"till receipt: {value} is the total before the till's rounding ({step}); the rounded "
                            f"total's amount is illegible: a person confirms {paid}")
    return None


def _paid_after_rounding(value: Decimal, line: int, labelled: list[_Labelled], lines: list[Line], lex: Lexicons,
                         conv: Conventions) -> Field | None:
    """The total chosen is printed before a rounding line whose amount is illegible (``Rounding
    -Q.01``), and cash less change says a few sen less or more was paid (``Total Sales Incl GST
    260.46`` / cash 500.00 / change 239.55): the tax summary may add up to the total, but that is
    the amount before rounding, not what was paid. The amount paid is cash less change, for a
    person to confirm (nothing read says what the rounding was); None when no such line is printed
    or its amount reads as a rounding can be (then ``_rounded_totals`` decides)."""
    rounding = [item for item in labelled if item.field == _NOT_TOTAL and item.line > line
                and _names_a_rounding(lines[item.line], lex, conv)]
    if not rounding or any(item.amounts and abs(item.amounts[-1][0]) <= _MOST_ROUNDING for item in rounding):
        return None
    paid = [(item.amounts[-1][0], item.line) for item in labelled
            if item.field == _NOT_TOTAL and item.amounts and item.line > rounding[0].line]
    differ = {given - back for (given, _), (back, _) in zip(paid, paid[1:]) if Decimal(0) <= back < given}
    # a rounding takes the total to its nearest coin: cash less change anywhere else was misread
    near = {d for d in differ if d != value and d in _nearest_coins(value)}
    if len(near) != 1:
        return None
    amount = near.pop()
    return Field(amount, 0.5, "layout", None, lines[rounding[0].line].text, agreeing=1,
                 detail=f"till receipt: {value} is the total before the till's rounding, whose amount is "
                        f"illegible; cash less change says {amount} was paid: a person confirms it")


def _exact_text(doc: Document, words: list) -> bool:
    """Were these words taken from a page's text layer (exact), not read by OCR?"""
    sources = {p.number: p.source for p in doc.pages}
    return bool(words) and all(sources.get(w.page) == "text" for w in words)


def _total(doc: Document, lex: Lexicons, conv: Conventions) -> Field | None:
    """The amount paid: the total lines as read, mended by the receipt's own sums, then brought to
    the coin the till rounds to (``_brought_to_the_coin``), then its digits read against the
    receipt's own prints of each (``_total_by_prints``)."""
    read = _total_by_prints(_brought_to_the_coin(_total_as_read(doc, lex, conv), doc, lex, conv), doc, lex, conv)
    return _total_by_the_tax(read, doc, lex, conv)


def _total_by_prints(total: Field | None, doc: Document, lex: Lexicons, conv: Conventions) -> Field | None:
    """A total no other line confirms, its amount read again digit by digit against the receipt's
    own prints of each digit (``vision.worn.read_by_prints``: a ribbon strikes every 6 alike,
    and a 6 OCR read as 5 in ``285,75`` has the ink of the page's 6s; a 0 read as one is never
    taken for another digit); the reading is taken when another line says it: a payment line,
    or the tax arithmetic or a total before the rounding line, brought to the coin by it
    ('VISA 286.75'). For a person to confirm, at half confidence at most: the prints chose one
    digit, a second line agreed."""
    from vision.worn import read_by_prints

    if total is None or not isinstance(total.value, Decimal) or total.agreeing >= 2 or not total.text:
        return total
    page = next((p for p in doc.pages if p.number == total.page and p.source == "ocr" and p.image is not None), None)
    # the total's own print: the one word of its page that reads it (its text as the field holds it)
    words = [w for w in page.words if w.text == total.text and _till_amounts(w.text) == [total.value]] if page else []
    again = read_by_prints(page.image, page.words, words[0]) if len(words) == 1 else None
    # a zero read as 0 stays (``vision.dotdates._by_their_prints``): the prints OCR read as 3, 6, 8
    # or 9 hold the ribbon's zeros it misread, and a payment line it misread so agrees
    printed = _till_amounts(again[0]) if again is not None and total.text[again[1]] != "0" else []
    if len(printed) != 1 or printed[0] <= 0 or printed[0] == total.value:
        return total
    value, word = printed[0], words[0]
    lines = doc.lines
    labelled = [item for index, line in enumerate(lines) for item in _labelled_amounts(line, index, lex, conv)]
    _stacked(labelled, lines, conv)
    own = {n for n, line in enumerate(lines) if any(w is word for seg in line.segments for w in seg.words)}
    others = [item for item in labelled if item.line not in own]
    before = _sums_as_read(labelled, lines, lex, conv) | {
        item.amounts[-1][0] for item in others if item.field == _TOTAL and item.amounts}
    rounding = _rounding_lines(labelled, lines, lex, conv)
    if rounding:
        step = _bounded_rounding(rounding[0].amounts[-1][0]) if rounding[0].amounts else None
        before = {_paid_after(b, step) for b in before if b > 0}
    said = before | {v for v, n in _payments(others, lines, lex, conv)}
    if value not in said:
        return total
    return replace(total, value=value, confidence=min(total.confidence, 0.5), agreeing=1, detail="; ".join(filter(
        None, [total.detail, f"the receipt's prints of each digit read {word.text!r} as {again[0]!r}, which another "
                             f"line gives: {value}, for a person to confirm"])))


#: a 9 is a 3 with its upper left stroke and a 5 with its upper right one: those pins printed
#: faint, a ribbon makes it the other (974.22 read as 374.22 on both total lines of a cash bill,
#: under a net and tax that give 974.22; 619.72 and 619.70 read as 615.72 and 615.70)
_FAINT_UPPER_PINS = {"9": "35", "3": "9", "5": "9"}


def _one_digit_readings(value: Decimal) -> set[Decimal]:
    """The amounts ``value`` may have been printed as, one of its digits misread as a look-alike
    (``_one_look_alike_apart``, ``_FAINT_UPPER_PINS``)."""
    text = f"{value:.2f}"
    out = set()
    for at, ch in enumerate(text):
        for other in "0123456789" if ch.isdigit() else "":
            reading = Decimal(text[:at] + other + text[at + 1:])
            if other != ch and (other in _FAINT_UPPER_PINS.get(ch, "") or _one_look_alike_apart(value, reading)):
                out.add(reading)
    return {v for v in out if v > 0}


#: what the tax sums tell apart from a total read: amounts that differ by this much (a net's
#: misread cent leaves its tax the same, a lone tax gives its gross only to some cents, a
#: rounding to the coin takes in a misread cent), at most (``_told_apart``)
_ROUGHLY = Decimal(1)
#: how far a net's gross moves with its cent digit misread, its tax printed as it was
_CENT_DIGIT = Decimal("0.09")


def _told_apart(rates: set[Decimal], slack: Decimal) -> Decimal:
    """How far from the total read an amount must be for the tax sums to tell the two apart: a
    net's cent digit misread (its tax the same), the gross a lone tax leaves open (a cent of tax
    at the lowest rate printed: 0.15 at 7%) and a rounding's ``slack``; a unit at most, a unit
    where no rate is printed. A small total is so told apart from an amount under a unit off
    (``SUMME 6,17`` over a tax of 0,36 at 7% and a cash line of 5,47)."""
    if not rates:
        return _ROUGHLY
    lowest = min(rates)
    return min(_ROUGHLY, _CENT_DIGIT + _CENT * (1 + lowest) / lowest + slack)


def _gross_at(net: Decimal, rate: Decimal) -> Decimal:
    """``net`` with its tax at ``rate``, the tax to the cent as a till rounds it."""
    return net + (net * rate).quantize(_CENT, rounding=ROUND_HALF_UP)


def _total_by_the_tax(total: Field | None, doc: Document, lex: Lexicons, conv: Conventions) -> Field | None:
    """A total that no tax arithmetic on the receipt gives, where a reading of it one look-alike
    digit off is what the net and tax lines give (``TOTAL INCL. GST 374.22`` and ``GRAND TOTAL
    374.20`` under ``TOTAL AMOUNT 919.08`` / ``GST 6% 55.14``: a ribbon strikes its 9 alike on
    both total lines, and 919.08 + 6% is 974.22), or that has fewer figures than the net it was
    taxed on (``NETT PAYABLE 3$2.78`` over a tax summary of 342.15 and 20.53). Each amount the
    receipt may have paid is given by places: a net and its tax that agree at the printed rate
    (the tax summary's rows too), a net or a tax alone at the rate, a total line that reads it or
    one look-alike digit from it (brought to the coin by the rounding line), a payment line. The
    amount more places give than give the total read, tax arithmetic among them, far enough
    from it, is offered instead, for a person to confirm; the total read stays as read when any
    tax arithmetic gives it."""
    if total is None or not isinstance(total.value, Decimal) or total.value <= 0:
        return total
    if any(p.number == total.page and p.source == "text" for p in doc.pages):
        return total  # a text layer's total is no misreading: the person is shown what the shop asks
    lines = doc.lines
    labelled = [item for index, line in enumerate(lines) for item in _labelled_amounts(line, index, lex, conv)]
    _stacked(labelled, lines, conv)
    rounding = _rounding_lines(labelled, lines, lex, conv)
    step = _bounded_rounding(rounding[0].amounts[-1][0]) if rounding and rounding[0].amounts else None
    # what a gross comes to when paid: rounded to the coin where the till prints a rounding
    paid_of = (lambda gross: _paid_after(gross, step)) if rounding else (lambda gross: gross)
    slack = Decimal("0.025") if rounding else _CENT

    exact: list[tuple[Decimal, set[tuple[str, int]], Decimal]] = []  # (paid, places, net)
    for gross, net_line, tax_line in _sums_with_lines(labelled, lines, lex, conv):
        net = next(item.amounts[-1][0] for item in labelled if item.line == net_line and item.amounts)
        exact.append((paid_of(gross), {("net", net_line), ("tax", tax_line)}, net))
    summary = _tax_summary_gross(doc, conv)
    if summary is not None and summary[0] > 0:
        gross, rows, tax = summary
        exact.append((paid_of(gross), {(role, n) for n in rows for role in ("net", "tax")}, gross - tax))
    # nets and taxes alone, each with the rates printed on the page as read
    rates = {Decimal(m[1].replace(",", ".")) / 100 for line in lines for m in PERCENT.finditer(line.text)}
    rates = {r for r in rates if 0 < r <= _MOST_RATE}
    nets: list[tuple[Decimal, int]] = []
    taxes: list[tuple[Decimal, int]] = []
    taxed_lines = {item.line for item in labelled if item.field == "vat"}
    rated_lines = set()  # a rate and its one tax amount, whatever OCR made of the label ('62T 6% 78.88')
    for index, line in enumerate(lines):
        m = PERCENT.search(line.text)
        row = _till_amounts(line.text[m.end():]) if m else []
        if len(row) >= 2 and index not in taxed_lines:  # a tax summary's row: its net, then its tax
            nets.append((row[0], index))
            taxes.append((row[1], index))
        elif len(row) == 1:
            rated_lines.add(index)
    for item in labelled:
        if not item.amounts:
            continue
        value = item.amounts[-1][0]
        if item.field == "vat" and value >= _LEAST_TAX:
            taxes.append((value, item.line))
        elif item.field == "amount_untaxed" or (item.field == _TOTAL
                                                 and (taxed_lines | rated_lines) & {item.line + 1, item.line + 2}):
            nets.append((value, item.line))

    net_lines = {n for _, n in nets}
    payments = _payments(labelled, lines, lex, conv)
    totals = [(item.amounts[-1][0], item.line) for item in labelled if item.field == _TOTAL and item.amounts]
    # a mark glued before a total's figures is the digit dot-matrix print made of it ('TOTAL INCL.
    # GST $21.55' of 821.55): those readings too, as the total line's own
    glued = {n: _glued_digit_readings(_words_read(lines[n])) for _, n in totals}
    # total lines whose figures read as no amount ('NETT PAYABLE 429,602': a dotted zero read as
    # two digits; 'GRAND TOTAL 60S. 20'): their figures as OCR made them
    garbled = [(figures, item.line) for item in labelled if item.field == _TOTAL and not item.amounts
               and (figures := _printed_figures(lines[item.line]))]
    exact += _net_a_look_alike_off(nets, taxes, totals, rates, paid_of)

    def places(paid: Decimal) -> set[tuple[str, int]]:
        found: set[tuple[str, int]] = set()
        # a garbled total line spelling, but for one character, what net and tax give to the cent
        # (or a net alone at the rate) says it too (never what a tax alone gives: it leaves the
        # cents open)
        spelled = {("total", n) for figures, n in garbled if _one_character_off(figures, paid)}
        for value, where, _ in exact:
            if value == paid:
                found |= where | spelled
                # and a total line that reads it with two digits struck as their look-alikes (453.05
                # for 468.05), its slashed zeros struck as 6, 8, 9 or 3 besides (652.98 for 552.00):
                # net and tax tied to the cent settle every digit of it
                found |= {("total", n) for read, n in totals if n not in net_lines
                          and any(_look_alikes_apart(back, paid) for back in _zero_readings(read))}
        for rate in rates:
            for net, n in nets:
                gross = _gross_at(net, rate)
                if any(paid_of(gross + off) == paid for off in (-_CENT, 0, _CENT)):
                    found.add(("net", n))
                if paid_of(gross) == paid:
                    found |= spelled
            for tax, n in taxes:
                low, high = ((tax + off) / rate * (1 + rate) for off in (-_CENT / 2, _CENT / 2))
                if low - slack <= paid <= high + slack:
                    found.add(("tax", n))
        for read, n in totals:
            # a total line taken for the net (a tax line below it) is no witness of its own gross;
            # a ribbon strikes a slashed zero as 6, 8, 9 or 3 wherever it prints one, so a total
            # line reads the amount with any of its zeros so struck (304.69 for 304.00)
            readings = _one_digit_readings(read) | _zero_readings(read) | glued[n]
            if n not in net_lines and any(paid_of(r) == paid for r in readings):
                found.add(("total", n))
        found |= {("payment", n) for value, n in payments if value == paid}
        return found

    def tax_arithmetic(found: set[tuple[str, int]]) -> bool:
        return any(role in ("net", "tax") for role, _ in found)

    # two prints of the amount one digit apart: net and tax tied to the cent say which digit it was
    # (a tax alone gives a gross only to some cents, and says nothing of that digit)
    split = _split_prints(total, exact, totals, payments)
    if split is not None:
        return split
    read_on: dict[int, object] = {n: figures for figures, n in garbled} | {n: read for read, n in totals}

    def witnesses(found: set[tuple[str, int]]) -> int:
        # total lines read as the very same amount are one witness: a worn pin or a figure lost at
        # the paper's edge strikes every total line alike (44.75 on both lines for 844.75)
        return (len({(role, n) for role, n in found if role != "total"})
                + len({read_on[n] for role, n in found if role == "total"}))

    given = places(total.value)
    if tax_arithmetic(given):
        return total
    candidates = {paid for paid, _, _ in exact} | {value for value, _ in payments}
    candidates |= {paid_of(_gross_at(net, rate)) for net, _ in nets for rate in rates}
    for read in [read for read, _ in totals] + [total.value]:
        # a total before the rounding read as printed is paid as the rounding brings it to the coin
        candidates |= {paid_of(r) for r in _one_digit_readings(read) | {read}}
    candidates |= {paid_of(r) for readings in glued.values() for r in readings}
    # a net's cent misread leaves its tax as it was, and a rounding to the coin takes in a cent
    # misread: the sums tell apart only amounts further apart than that
    apart = _told_apart(rates, slack)
    candidates = {paid for paid in candidates if paid > 0 and abs(paid - total.value) >= apart}
    scored = []
    for paid in candidates:
        found = places(paid)
        # a total line reads it, one look-alike digit at most; or the total read has fewer figures
        # than the net this amount was taxed on (figures lost: no total is less than its net), or
        # is that very net: a total printed before the tax (``TOTAL AMOUNT 675.66`` over ``SR 6%
        # 675.66 40.54``) whose taxed totals below it OCR garbled (``GRAND TOTAL 716,2u``)
        below_net = any(value == paid and (len(str(int(total.value))) < len(str(int(net))) or total.value == net)
                        for value, _, net in exact)
        # the cash handed over less the change is a witness of its own, no reading of the total's
        paid_says_so = any(role in ("total", "payment") for role, _ in found)
        if tax_arithmetic(found) and (paid_says_so or below_net):
            # as many witnesses: an amount a total line reads beats one only the payment says (a
            # change misread gives an amount the tax alone does not tell from it), and then one a
            # net and its tax give to the cent beats one inside the tax's range (a card slip's smudged cent)
            scored.append(((witnesses(found), any(role == "total" for role, _ in found),
                            any(value == paid for value, _, _ in exact)), paid, found))
    if not scored:
        return total
    most = max(n for n, _, _ in scored)
    best = [(paid, found) for n, paid, found in scored if n == most]
    if len(best) > 1:
        # the sums give two amounts as surely (a lone tax leaves the cents open, a total before the
        # rounding read one look-alike off either way): a total line whose figures spell one of them
        # but for one character worn into another (AMOUNT DUE '106.85' of 156.85, against 156.95)
        # says which
        best = [(paid, found) for paid, found in best
                if any(_one_character_off(_printed_figures(lines[n]), paid) for _, n in totals)] or best
    if len(best) != 1 or most[0] <= witnesses(given):
        return total
    paid, found = best[0]
    how = ", ".join(sorted({role for role, _ in found}))
    paid = paid.quantize(_CENT)
    return replace(total, value=paid, confidence=min(total.confidence, 0.5), agreeing=1, detail="; ".join(filter(
        None, [total.detail, f"till receipt: no tax arithmetic gives the total read, {total.value}; {len(found)} "
                             f"lines ({how}) give {paid}: a person confirms it"])))


def _net_a_look_alike_off(nets: list[tuple[Decimal, int]], taxes: list[tuple[Decimal, int]],
                          totals: list[tuple[Decimal, int]], rates: set[Decimal],
                          paid_of: Callable[[Decimal], Decimal]) -> list[tuple[Decimal, set[tuple[str, int]], Decimal]]:
    """Net and tax tied at a printed rate once one look-alike digit of the net is read back,
    where a total line reads their gross as printed (``TOTAL AMOUNT 901.54`` / ``GST 6% 18.09`` /
    ``TOTAL INCL. GST 319.63``: 301.54 with its 3 struck as a 9): three lines agree on every
    digit but the one a ribbon misstruck, as ``_total_by_the_tax``'s exact sums (paid, places, net)."""
    found = []
    for net, n in nets:
        for reading in _one_digit_readings(net):
            for rate in rates:
                gross = _gross_at(reading, rate)
                tied = [t for tax, t in taxes if tax == gross - reading and t != n]
                if tied and any(read == gross and line not in (n, *tied) for read, line in totals):
                    found.append((paid_of(gross), {("net", n), ("tax", tied[0])}, reading))
    return found


def _split_prints(total: Field, exact: list[tuple[Decimal, set[tuple[str, int]], Decimal]],
                  totals: list[tuple[Decimal, int]], payments: list[tuple[Decimal, int]]) -> Field | None:
    """The lines that print the amount paid (total lines, a card's line) read it differently in
    one digit (``151,23`` and ``151.28``): that digit was misread on one of them at least. Where
    net and tax tied by the rate give, to the cent, an amount that is each of those readings but
    for that one look-alike digit (``151.20``: a slashed zero read as 3 and as 8), and no line
    reads it, that is the amount, for a person to confirm. None otherwise."""
    read = {value for value, _ in [*totals, *payments] if abs(value - total.value) < _ROUGHLY}
    if len(read) < 2:
        return None
    given = {paid for paid, _, _ in exact if paid not in read and abs(paid - total.value) < _ROUGHLY}
    fits = []
    for paid in given:
        apart = {next(n for n, (p, q) in enumerate(zip(f"{paid:.2f}", f"{r:.2f}")) if p != q)
                 for r in read if _one_look_alike_apart(paid, r)}
        if len(apart) == 1 and all(_one_look_alike_apart(paid, r) for r in read):
            fits.append(paid)
    if len(fits) != 1:
        return None
    paid = fits[0].quantize(_CENT)
    return replace(total, value=paid, confidence=min(total.confidence, 0.5), agreeing=1, detail="; ".join(filter(
        None, [total.detail, f"till receipt: the lines printing the amount paid read "
                             f"{', '.join(map(str, sorted(read)))}, one digit apart; net and tax give {paid}, "
                             f"each of them but for that look-alike digit: a person confirms it"])))


#: the smallest coin, in cents, a till that prints a rounding line rounds a cash total to (Malaysia's
#: 5 sen since 2008, 5 Rappen, 5 euro cents): what a total before rounding is brought to when the
#: rounding's own amount is illegible
_SMALLEST_COIN = 5


def _to_the_coin(value: Decimal, coin: int = _SMALLEST_COIN) -> Decimal:
    """``value`` to the nearest multiple of ``coin`` cents (1, 2 down; 3, 4 up to 5 sen)."""
    cents = int((value * 100).to_integral_value())
    return Decimal((cents * 2 + coin) // (2 * coin) * coin) / 100


def _on_a_coin(value: Decimal) -> bool:
    return (value * 100) % _SMALLEST_COIN == 0


#: the least tax amount a tax line whose label is illegible is known by (its rate of the net
#: to the cent): below it, too many small amounts would match by chance
_LEAST_TAX = Decimal("0.50")


def _sums_as_read(labelled: list[_Labelled], lines: list[Line], lex: Lexicons, conv: Conventions) -> set[Decimal]:
    """Net plus tax, as read, where the arithmetic ties them together (``_sums_with_lines``)."""
    return {gross for gross, _, _ in _sums_with_lines(labelled, lines, lex, conv)}


def _sums_with_lines(labelled: list[_Labelled], lines: list[Line], lex: Lexicons,
                     conv: Conventions) -> list[tuple[Decimal, int, int]]:
    """(net plus tax, the net's line, the tax's line), as read, where the tax is the rate printed
    (on its line or in the tax summary) of the net, to the cent or a cent off (a till that
    prices with the tax in works it out of the gross): two amounts that the arithmetic ties
    together, so read right. The net is a line labelled so, or a total line the tax follows
    (``TOTAL AMOUNT 440.20`` / ``GST 6% 26.41``): the arithmetic says which total it was."""
    printed_rates = {rate for line in lines for rate in _rates_read(line.text)}
    out = []
    nets = [item for item in labelled if item.field in ("amount_untaxed", _TOTAL) and item.amounts]
    labels_of = {item.line: item.field for item in labelled}
    for net_item in nets:
        net = net_item.amounts[-1][0]
        for tax_item in labelled:
            is_tax = tax_item.field == "vat" or (tax_item.field == _NOT_TOTAL and lex.match(
                fold(_EDGE_JUNK.sub("", lines[tax_item.line].text)), ("vat",), prefer=conv.language) is not None)
            if not is_tax or not tax_item.amounts or not 0 < tax_item.line - net_item.line <= 2:
                continue
            tax = tax_item.amounts[-1][0]
            rates = _rates_read(lines[tax_item.line].text) or printed_rates
            if tax > 0 and any(abs(net * rate - tax) <= Decimal("0.015") for rate in rates):
                out.append((net + tax, net_item.line, tax_item.line))
        # the tax line's label worn past reading ('OST 6%', '65ST 6%', 'aot 6%'): a line just
        # below the net that prints a rate and, as its amount, that rate of the net to the cent
        # is the tax whatever its label reads; the arithmetic names it
        for index in range(net_item.line + 1, min(net_item.line + 3, len(lines))):
            if labels_of.get(index, "vat") != "vat":
                continue
            rates = _rates_read(lines[index].text)
            amounts = _till_amounts(lines[index].text)
            if not rates or not amounts:
                continue
            tax = amounts[-1]
            if tax >= _LEAST_TAX and any(abs(net * rate - tax) <= Decimal("0.015") for rate in rates):
                out.append((net + tax, net_item.line, index))
    return out


#: a rounding label's word this long or longer is still known with this many letters misread,
#: lost or added (ROUNDI BG, RGUNDI AG, Reunding, Aiounding): dot-matrix print of a word that long
#: is no other word of a till's
_WORN_WORD_AT_LEAST, _WORN_LETTERS = 8, 2
#: letters of the word that may be worn when the line's amount is one a rounding can be (at most
#: ``_MOST_ROUNDING``): 'ROUADIRGS -0.02' (three letters of ROUNDING): no other till line opens
#: with a word so like it and prints so little
_WORN_LETTERS_BESIDE_A_ROUNDING = 3


@lru_cache(maxsize=8)
def _rounding_words(lex: Lexicons) -> frozenset[str]:
    """Every language's long one-word rounding labels, folded (rounding, pembundaran, afronding);
    not a word of a longer label (adjustment, which a discount line prints too)."""
    return frozenset(fold(label) for language in lex.by_code.values() for _, label in language.labels.get("rounding", ())
                     if re.fullmatch(r"[^\W\d_]+", fold(label)) and len(label) >= _WORN_WORD_AT_LEAST)


def _worn_rounding_line(line: Line, lex: Lexicons) -> bool:
    """Does ``line`` open with a rounding label's long word, letters worn or split apart
    (``ROUNDI BG 0.01``, ``Reunding Ad] 3.60``)? Its first word, or its first two run together."""
    words = [fold(w.text) for seg in line.segments for w in seg.words][:2]
    if not words:
        return False
    tries = frozenset(t for t in (re.sub(r"[\W\d_]+", "", words[0]), re.sub(r"[\W\d_]+", "", "".join(words)))
                      if len(t) >= _WORN_WORD_AT_LEAST - _WORN_LETTERS)
    if not tries:
        return False
    amounts = _till_amounts(line.text)
    worn = (_WORN_LETTERS_BESIDE_A_ROUNDING if amounts and abs(amounts[-1]) <= _MOST_ROUNDING else _WORN_LETTERS)
    return _a_worn_rounding_word(tries, worn, lex)


@lru_cache(maxsize=4096)
def _a_worn_rounding_word(tries: frozenset[str], worn: int, lex: Lexicons) -> bool:
    """Is one of ``tries`` a rounding word with at most ``worn`` letters worn? Asked of the same
    line again each time a receipt's total is weighed."""
    return any(_could_be_worn(t, word, worn) and _letters_worn(t, word) <= worn
               for t in tries for word in _rounding_words(lex))


def _could_be_worn(read: str, word: str, worn: float) -> bool:
    """Whether ``_letters_worn(read, word)`` may be ``worn`` or less, told cheaply (every line of a
    receipt is tried against every language's rounding word): each letter lost or added counts
    a whole one, and each edit at least half."""
    from rapidfuzz.distance import Levenshtein

    return abs(len(read) - len(word)) <= worn and \
        Levenshtein.distance(read, word, score_cutoff=int(2 * worn)) <= 2 * worn


def _letters_worn(read: str, word: str) -> float:
    """How many of ``word``'s letters ``read`` lost, added or changed, a letter print turns into a
    look-alike of (``_LOOK_ALIKE_LETTERS``: R and N, M and N) counting half: 'ROURDI Mb' is
    ROUNDING with two look-alikes and one letter worn, no other word's."""
    from rapidfuzz.distance import Levenshtein

    return sum(0.5 if op.tag == "replace" and word[op.dest_pos].upper() in _LOOK_ALIKE_LETTERS.get(read[op.src_pos].upper(), ())
               else 1.0 for op in Levenshtein.editops(read, word))


#: the kinds of place whose total is arithmetic over two amounts read apart (the tax a rate of
#: the net, the change taken from the cash): a total they give is the one a rounded total line
#: misread by one character is taken to spell
_ARITHMETIC_KINDS = frozenset({"net and tax", "tax summary", "cash less change"})
#: the shortest figures (digits and what OCR made of them) one character off an amount may be
_SHORTEST_FIGURES = 3
_FIGURES_AT_THE_END = re.compile(r"(?:[^\s:]*\d[^\s:]*[\s.,]*){1,3}$")


def _words_read(line: Line) -> str:
    """``line``'s words as OCR read them, one space between (marks glued to a figure kept)."""
    return " ".join(w.text for seg in line.segments for w in seg.words)


def _printed_figures(line: Line) -> str:
    """The characters of the amount a till prints at the end of ``line`` as OCR read them, marks
    and spaces left out ('BRAND TOTAL P76, 45': 'P7645'); '' when the line ends in no figures."""
    m = _FIGURES_AT_THE_END.search(_words_read(line))
    return re.sub(r"[\s.,'’]", "", m[0]) if m else ""


def _one_character_off(printed: str, value: Decimal) -> bool:
    """Do ``printed``'s figures spell ``value`` but for one character changed, lost or added (a
    digit worn into another or into a letter, a decimal mark read as a digit)? Never when they
    spell it exactly: that is no misreading."""
    from rapidfuzz.distance import Levenshtein

    digits = f"{value:.2f}".replace(".", "").lstrip("-")
    return (len(printed) >= _SHORTEST_FIGURES and printed != digits
            and Levenshtein.distance(printed, digits, score_cutoff=1) <= 1)


def _mark_as_digit(printed: str) -> set[str]:
    """``printed`` (``_printed_figures``) and, with a mark glued before its digits (``_GLUED_DIGIT``),
    those figures with the mark read as each digit it stands for."""
    return {printed} | {digit + printed[1:] for digit in _DIGITS_OF_MARK.get(printed[:1], "")
                        if printed[1:2].isdigit()}


def _sums_one_digit_off(summary: tuple[Decimal, list[int], Decimal] | None, labelled: list[_Labelled],
                        lines: list[Line], lex: Lexicons, conv: Conventions) -> set[Decimal]:
    """What net plus tax gives with the net or the tax read one look-alike digit off (the net and
    tax lines, the tax summary's row): not a total's own digit, which a line misread alike gives
    by the same misreading."""
    out: set[Decimal] = set()
    pairs = []
    for gross, net_line, _ in _sums_with_lines(labelled, lines, lex, conv):
        net = next(item.amounts[-1][0] for item in labelled if item.line == net_line and item.amounts)
        pairs.append((net, gross - net))
    if summary is not None and summary[0] > 0:
        pairs.append((summary[0] - summary[2], summary[2]))
    for net, tax in pairs:
        out |= {reading + tax for reading in _one_digit_readings(net)} | {net + reading for reading in _one_digit_readings(tax)}
    return out


#: how a rounded total off the coin read with its slashed zeros read back says an amount paid
_ZEROS_READ_BACK = "rounded total, zeros read back"


def _brought_to_the_coin(total: Field | None, doc: Document, lex: Lexicons, conv: Conventions) -> Field | None:
    """A till that prints a rounding line (Malaysia's 5-sen rounding: ``TOTAL INCL. GST 646.14`` /
    ``ROUNDING 0.01`` / ``GRAND TOTAL 646.15``) takes a total that is a whole number of coins;
    a total chosen that is none (the total before rounding, which the tax summary confirms; the
    rounded total with a worn digit, ``82.69``) is not what was paid. What was paid is each
    total before rounding the receipt gives (the line above the rounding, net plus tax where
    the tax is the rate of the net, the tax summary's gross) plus the rounding as printed, or,
    illegible, brought to the nearest coin; the rounded total's own line reads it, or one
    look-alike digit from it; cash less change says it. The value at least two of these give,
    and no other as many, is the amount paid: surely when the rounded total's line reads it and
    the tax arithmetic gives it, otherwise for a person to confirm. With one total before
    rounding legible and the rounded total's amount lost, that total brought to the coin is
    offered, less surely still (a card payment is not rounded). A rounding that legibly reads
    0.00 rounded nothing: the total stays. So does a total on a coin that the rounded total's
    line reads (or one look-alike digit from it) when the one kind of sum that stands against it
    gives it too with its net or tax read one look-alike digit off (``_sums_one_digit_off``): they
    tie, and say nothing against it."""
    if total is None or not isinstance(total.value, Decimal) or total.value <= 0:
        return total
    guessed = total.confidence <= 0.5  # mended for a person to confirm, not read
    if _on_a_coin(total.value) and not guessed and total.agreeing >= 2:
        return total
    lines = doc.lines
    labelled = [item for index, line in enumerate(lines) for item in _labelled_amounts(line, index, lex, conv)]
    _stacked(labelled, lines, conv)
    rounding = _rounding_lines(labelled, lines, lex, conv)
    if not rounding:
        return _coin_spelled_below(total, labelled, lines)
    at = rounding[0]
    step = _bounded_rounding(at.amounts[-1][0]) if at.amounts else None
    if step is not None and step == 0:
        return total
    totals = [item for item in labelled if item.field == _TOTAL]
    above = [item for item in totals if at.line - 3 <= item.line < at.line and item.amounts]
    after = [item for item in totals if at.line < item.line <= at.line + 3]
    bases: dict[str, set[Decimal]] = {}
    nearest = max(above, key=lambda item: item.line) if above else None
    if nearest is not None and not _net_above_its_tax(nearest.line, at.line, labelled, lines, lex):
        bases["total before rounding"] = {nearest.amounts[-1][0]}
    bases["net and tax"] = _sums_as_read(labelled, lines, lex, conv)
    summary = _tax_summary_gross(doc, conv)
    if summary is not None and summary[0] > 0:
        bases["tax summary"] = {summary[0]}
    read_after = {amount[0] for item in after for amount in item.amounts[-1:]}
    if read_after & {before for values in bases.values() for before in values if not _on_a_coin(before)}:
        return total  # the total after the rounding line reads the total before it: nothing was rounded (a card)
    kinds: dict[Decimal, set[str]] = {}
    for kind, values in bases.items():
        for before in values:
            paid = _paid_after(before, step)
            if paid > 0 and _on_a_coin(paid):
                kinds.setdefault(paid, set()).add(kind)
    # the rounding as printed takes the total above it, as read, to its nearest coin: the two lines
    # agree on the cent the rounded total ends in ('107.59' / 'ROUNDING ADJ 0.01': 107.60)
    printed_step = at.amounts[-1][0] if at.amounts else None
    cent_settled = {before + printed_step for before in bases.get("total before rounding", ())
                    if printed_step and before + printed_step == _to_the_coin(before)}
    exact = False
    garbled: list[str] = []  # the figures of rounded total lines that read none of the sums' totals
    for item in after:
        read_exactly = False
        for read, _, _ in item.amounts[-1:]:
            # a mark glued before it is a digit dot-matrix print made a $ or an S of ($93.35: 593.35)
            readings = {read} | _glued_digit_readings(_words_read(lines[item.line]))
            for reading in readings:
                if reading in kinds:
                    kinds[reading].add("rounded total")
                    exact = read_exactly = True
            for paid in kinds:
                if any(paid != reading and _one_look_alike_apart(reading, paid) for reading in readings):
                    kinds[paid].add("rounded total, one look-alike digit")
                elif paid in cent_settled and any(paid != reading and f"{paid:.2f}"[:-1] == f"{reading:.2f}"[:-1]
                                                  for reading in readings):
                    # the rounded total's line reads every figure of it but the last cent, which
                    # the two lines above it settle (107.65 under them: a dotted 0 read as 5)
                    kinds[paid].add("rounded total, its last cent read otherwise")
                elif not _on_a_coin(read) and paid in _zero_readings(read):
                    # no whole number of coins on a till that rounds: its slashed zeros were
                    # struck as 6, 8, 9 or 3 ('GRAND TOTAL 354,36' of 354.00)
                    kinds[paid].add(_ZEROS_READ_BACK)
        if not read_exactly:
            garbled.append(_printed_figures(lines[item.line]))
    payments = []
    for item in labelled:
        if item.field != _NOT_TOTAL or item.line <= at.line:
            continue
        spaced = None if item.amounts else _MARK_LOST.search(lines[item.line].text)
        if item.amounts or spaced:
            # ('CASH 860 00': the decimal mark a space, the digits all there to subtract the change from)
            payments.append(item.amounts[-1][0] if item.amounts else Decimal(f"{spaced[1]}.{spaced[2]}"))
    # what the payment lines say was paid: the cash less its change, or a card's one line
    said_paid = [(given - back, "cash less change") for given, back in zip(payments, payments[1:])]
    if len(payments) == 1:
        said_paid.append((payments[0], "card payment"))
    for paid, kind in said_paid:
        if paid in kinds:
            if kind == "cash less change":
                kinds[paid].add(kind)
        elif paid > 0 and _on_a_coin(paid):
            # the cash and its change struck alike (a 0 read as 8 on both: 211.08 less 20.98), or a
            # card's line, still give the amount paid; a total before rounding that gives it too
            # with one look-alike digit (190.68 for 190.08) had that digit misread, not the payment
            looked = sorted(base for base, values in bases.items()
                            if any(_paid_after(r, step) == paid for b in values for r in _one_digit_readings(b)))
            if looked:
                kinds[paid] = {kind, f"{looked[0]}, one look-alike digit"}
    for given, back in zip(payments, payments[1:]):
        for paid in _struck_alike_off_the_coin(given, back, read_after):
            kinds.setdefault(paid, set()).update({"cash less change, zeros read back", _ZEROS_READ_BACK})
    # the rounded total's figures as printed, whatever OCR made of them ('P76, 45', '4a2,25',
    # '250,3'): they say a total that the tax arithmetic or the cash less the change gives when
    # they spell it but for one character (a line that reads one of the totals exactly says that one)
    # (a mark glued before them, '€31.65', is the digit it stands for: a character misread already)
    for printed in garbled:
        for paid, said in kinds.items():
            if (said & _ARITHMETIC_KINDS and "rounded total, one look-alike digit" not in said
                    and any(_one_character_off(figures, paid) for figures in _mark_as_digit(printed))):
                said.add("rounded total, one character off")
    if not kinds:
        return _coin_of_its_own(total, read_after)
    most = max((len(k) for k in kinds.values()), default=0)
    agreed = [paid for paid, k in kinds.items() if len(k) == most]
    if len(agreed) != 1:
        return total
    paid = agreed[0]
    given = kinds[paid]
    if paid == total.value:
        return total
    # the rounded total's amount lost (``Total Payable 3``): one total before rounding is all there is
    lost = bool(after) and not any(item.amounts for item in after)
    # the total chosen is off the coin and the rounding as printed takes it to its nearest coin,
    # which one sum gives: the total before rounding and the rounding line agree on the cent paid
    rounds_the_total = (not _on_a_coin(total.value) and printed_step is not None
                        and paid == total.value + printed_step == _to_the_coin(total.value))
    if most < 2 and not lost and not rounds_the_total:
        return total
    said_after = given & {"rounded total", "rounded total, one look-alike digit", "rounded total, one character off",
                          "rounded total, its last cent read otherwise"}
    if _on_a_coin(total.value) and not (most >= 2 and said_after):
        return total  # a guess on a coin already: replaced only by what the rounded total's line says
    if (_on_a_coin(total.value) and len(given & set(bases)) == 1
            and any(read == total.value or _one_look_alike_apart(read, total.value) for read in read_after)
            and any(_paid_after(reading, step) == total.value
                    for reading in _sums_one_digit_off(summary, labelled, lines, lex, conv))):
        # one kind of sum alone stands against the rounded total's line, which reads a whole number
        # of coins (or one look-alike digit from it) that sum gives with its net or tax one
        # look-alike digit off (a net 591.46 of 591.40 gives 626.95, the line 626.90): they tie,
        # and the line's own reading is not overruled
        return total
    words = [w for item in after for _, used, _ in item.amounts[-1:] for w in used]
    how = " and ".join(sorted(given))
    if exact and {"net and tax", "tax summary"} & given and paid in read_after:
        # the rounded total's line as read, and the tax arithmetic brought to the coin: two readings
        return Field(paid, min(_conf(words), 1.0), "layout", total.page, lines[after[0].line].text,
                     agreeing=len(given), currency=total.currency,
                     detail=f"till receipt: the amount paid, the total before rounding brought to the coin ({how})")
    sure = 0.5 if most >= 2 else 0.4
    why = (f"{total.value} is no whole number of coins on a till that rounds" if not _on_a_coin(total.value)
           else f"{total.value} was a guess" if guessed else f"a total line reads {total.value}")
    return replace(total, value=paid, confidence=min(total.confidence, sure), agreeing=1,
                   detail=f"till receipt: {why}; {how} give {paid}: a person confirms it")


def _struck_alike_off_the_coin(given: Decimal, back: Decimal, read_after: set[Decimal]) -> set[Decimal]:
    """Cash less change off the coin on a till that rounds, which the rounded total's line reads
    alike (``TOTAL PAYABLE 354,18`` / ``Cash Tendered 500.08`` / ``Change Due 145.90``): a cash
    payment is a whole number of coins, so the two lines agreeing is one ribbon striking a slashed
    zero as an 8 on both, not two witnesses. The amounts on a coin that both give with some of
    their 6, 8, 9 and 3 read back as zeros; one such amount is what was paid (for a person to
    confirm), several say nothing."""
    reckoned = given - back
    if reckoned <= 0 or _on_a_coin(reckoned) or reckoned not in read_after:
        return set()
    from_cash = {g - b for g in _zero_readings(given) for b in _zero_readings(back) if Decimal(0) <= b < g}
    from_total = {v for read in read_after for v in _zero_readings(read)}
    both = {v for v in from_cash & from_total if _on_a_coin(v)}
    return both if len(both) == 1 else set()


def _coin_spelled_below(total: Field, labelled: list[_Labelled], lines: list[Line]) -> Field:
    """A total off the coin (``TOTAL INCL. GST 609.21``) over a total line whose figures OCR garbled
    past reading as an amount (``GRAND TOTAL 60S. 20``), on a till that prints no rounding line:
    where those figures spell the first total's nearest coin but for one character, and not the
    first total itself, the line below is the rounded total, and that coin is what was paid, for
    a person to confirm (the rounding's own line is all that is missing)."""
    if _on_a_coin(total.value) or total.confidence <= 0.5:
        return total
    at = [item.line for item in labelled if item.field == _TOTAL and item.amounts and item.amounts[-1][0] == total.value]
    if not at:
        return total
    paid = _to_the_coin(total.value).quantize(_CENT)
    below = [_printed_figures(lines[item.line]) for item in labelled
             if item.field == _TOTAL and not item.amounts and at[-1] < item.line <= at[-1] + 3]
    if not any(_one_character_off(figures, paid) and not _one_character_off(figures, total.value) for figures in below):
        return total
    return replace(total, value=paid, confidence=min(total.confidence, 0.4), agreeing=1,
                   detail=f"till receipt: {total.value} is no whole number of coins; the total line below it reads "
                          f"{paid} but for one character: a person confirms it")


def _coin_of_its_own(total: Field, read_after: set[Decimal]) -> Field:
    """The rounded total's line read as no whole number of coins (``TOTAL ROUNDED 63.18``) where
    nothing else on the receipt gives a total: its last digit was misread, and when exactly one
    look-alike of that digit lands on a coin (an 8, a 6 or a 3 is a worn 0; a 7 is no worn
    digit of a coin), that is the amount, for a person to confirm. Only the cent: a misread
    digit before it leaves the total off the coin all the same."""
    if _on_a_coin(total.value) or total.value not in read_after:
        return total
    text = f"{total.value:.2f}"
    readings = {Decimal(text[:-1] + other) for other in _PRINT_LOOK_ALIKE.get(text[-1], "")}
    landed = {value for value in readings if _on_a_coin(value)}
    if len(landed) != 1:
        return total
    paid = landed.pop()
    return replace(total, value=paid, confidence=min(total.confidence, 0.4), agreeing=1,
                   detail=f"till receipt: the rounded total reads {total.value}, no whole number of coins; "
                          f"{paid} with its last digit a look-alike: a person confirms it")


def _paid_by_net_and_change(labelled: list[_Labelled], lines: list[Line], lex: Lexicons,
                            conv: Conventions) -> Field | None:
    """No total line's amount legible (``TOTAL ROUNDED 118,495``: a figure struck twice), yet two
    places reckon the amount paid apart: the cash handed over less the change, and the net taxed
    at a rate the page prints, brought to the coin by the till's rounding line when it prints
    one. When they give the same amount, that is offered, for a person to confirm; None when a
    total line was read, or the two do not meet on one amount."""
    if not any(item.field == _TOTAL and not item.amounts for item in labelled):
        return None
    paid = [(item.amounts[-1][0], item.line) for item in labelled if item.field == _NOT_TOTAL and item.amounts
            and not _names_a_rounding(lines[item.line], lex, conv)]
    change = {(given - back, line) for (given, line), (back, _) in zip(paid, paid[1:]) if Decimal(0) < back < given}
    rounding = _rounding_lines(labelled, lines, lex, conv)
    step = _bounded_rounding(rounding[0].amounts[-1][0]) if rounding and rounding[0].amounts else None
    rates = {rate for line in lines for rate in _rates_read(line.text)}
    given = set()
    for item in labelled:
        if item.field != "amount_untaxed" or not item.amounts:
            continue
        net = item.amounts[-1][0]
        for rate in rates:
            gross = _gross_at(net, rate)
            given |= {_paid_after(gross + off, step) if rounding else gross + off for off in (-_CENT, 0, _CENT)}
    met = {(value, line) for value, line in change if value in given}
    if len({value for value, _ in met}) != 1:
        return None
    value, line = min(met, key=lambda m: m[1])
    return _repaired_total(lines[line], value, f"no total line's amount legible; the cash less the change and the "
                                               f"net taxed at the printed rate both give {value}: a person confirms it")


#: what cash is handed over in: an amount a multiple of it (50.00, 20.50) may be more than the
#: price, its change unprinted or unread; odd cents (5,47) are a price paid exactly
_HANDED_OVER_IN = Decimal("0.50")


def _paid_as_tendered(labelled: list[_Labelled], lines: list[Line], lex: Lexicons,
                      conv: Conventions) -> Field | None:
    """No total line's amount legible (``SUMME EUR 6,417``: a worn 5 and comma, two characters
    off), and every payment line says one amount of odd cents, no change given back (``Bar EUR
    5,47``, or a card slip's amount): what was tendered is what was paid. Offered for a person to confirm, at
    half confidence at most: one line says it. None when a total line was read, when payment
    lines differ (cash handed over and change: the change lines reckon it), or none was read.
    A tax summary whose arithmetic holds outranks it (``_total_as_read``): a card line misreads
    as easily as a total line."""
    if not any(item.field == _TOTAL and not item.amounts for item in labelled):
        return None
    paid = [(item.amounts[-1][0], item.line) for item in labelled if item.field == _NOT_TOTAL and item.amounts
            and not _names_a_rounding(lines[item.line], lex, conv)
            and lex.match(fold(_EDGE_JUNK.sub("", lines[item.line].text)), ("vat",), prefer=conv.language) is None]
    if not paid or len({value for value, _ in paid}) != 1 or paid[0][0] <= 0:
        return None
    value, line = paid[0]
    if value % _HANDED_OVER_IN == 0:
        return None  # notes and coins handed over (CASH 50.00), the change line lost: no price
    return _repaired_total(lines[line], value, f"no total line's amount legible; the payment lines all say {value} "
                                               f"was tendered, no change given: a person confirms it")


#: the total line a worn label leaves unread sits right above the payment lines: this many lines
_TOTAL_ABOVE_THE_PAYMENTS = 2


def _charged_to_the_cent(paid: list[tuple[Decimal, int]]) -> Decimal | None:
    """The one amount every payment line ``(amount, line)`` says, when it is no sum of notes or
    coins handed over (odd cents: a card's charge, not CASH 50.00); None otherwise (cash and its
    change, a split payment, a round sum)."""
    amounts = {value for value, _ in paid}
    if len(amounts) != 1:
        return None
    (value,) = amounts
    return value if value > 0 and value % _HANDED_OVER_IN != 0 else None


def _paid_on_a_worn_total_line(labelled: list[_Labelled], lines: list[Line], lex: Lexicons,
                               conv: Conventions) -> Field | None:
    """No total label legible (``1U ZAHLEN EURO 24,23``: a worn Z; ``Sime 59, 96``), yet the
    payment lines reckon the amount paid (cash handed over less the change, or one card charge
    to the cent, no notes handed over) and the nearest line above them that prints an amount
    prints exactly that: the total line, its label worn. Two places agree on the amount, neither
    read with its label: offered for a person to confirm, at half confidence at most. None when
    the line above prints another amount, or names the net or the tax."""
    paid = [(item.amounts[-1][0], item.line) for item in labelled if item.field == _NOT_TOTAL and item.amounts
            and not _names_a_rounding(lines[item.line], lex, conv)
            and lex.match(fold(_EDGE_JUNK.sub("", lines[item.line].text)), ("vat",), prefer=conv.language) is None]
    if not paid:
        return None
    reckoned = {given - back for (given, _), (back, _) in zip(paid, paid[1:]) if Decimal(0) < back < given}
    charged = _charged_to_the_cent(paid)
    if charged is not None:
        reckoned.add(charged)
    first = min(line for _, line in paid)
    shadows = {item.line for item in labelled if item.field in _SHADOWS}
    for n in range(first - 1, max(first - 1 - _TOTAL_ABOVE_THE_PAYMENTS, -1), -1):
        amounts = _till_amounts(_SPLIT_CENTS.sub(r"\1\2\3", lines[n].text))
        if not amounts:
            continue
        if n in shadows or amounts[-1] not in reckoned:
            return None
        return _repaired_total(lines[n], amounts[-1], f"no total label legible; the line above the payment "
                                                      f"lines prints {amounts[-1]}, which they reckon was paid: "
                                                      f"a person confirms it")
    return None


def _total_as_read(doc: Document, lex: Lexicons, conv: Conventions) -> Field | None:
    lines = doc.lines
    labelled = [item for index, line in enumerate(lines) for item in _labelled_amounts(line, index, lex, conv)]
    _stacked(labelled, lines, conv)
    candidates = [(item.weight, item.line, item.amounts[-1]) for item in labelled
                  if item.field == _TOTAL and item.amounts and item.amounts[-1][0] > 0]
    # the places that say what was paid, each once per line: payment lines, the tax summary
    places: dict[tuple[Decimal, int], str] = {(value, line): "payment" for value, line in _payments(labelled, lines, lex, conv)}
    summary = _tax_summary_gross(doc, conv)
    if summary is not None:
        places[(summary[0], summary[1][0])] = "tax summary"
    candidates += _rounded_totals(labelled, lines, lex, conv, candidates, places)
    values = [c[2][0] for c in candidates]

    def support(value: Decimal, line: int | None = None) -> int:
        """How many other lines print or add up to ``value``."""
        others = {n for (v, n) in places if v == value and n != line}
        others |= {c[1] for c in candidates if c[2][0] == value and c[1] != line}
        return len(others)

    best = None
    if candidates:
        # heavier label first, then more support, then printed later (a rounded total follows
        # the total it rounds)
        best = max(candidates, key=lambda c: (c[0], support(c[2][0], c[1]), c[1]))
        rival = max((c for c in candidates if c[2][0] != best[2][0]), key=lambda c: (c[0], support(c[2][0], c[1])),
                    default=None)
        if rival is not None and support(rival[2][0], rival[1]) > support(best[2][0], best[1]) and rival[0] >= best[0] - 2:
            best = rival  # a slightly weaker label whose amount the payment lines confirm beats an unconfirmed one
    def kinds(value: Decimal) -> set[str]:
        found = {kind for (v, _), kind in places.items() if v == value}
        return found | ({"total"} if value in values else set())

    # two kinds of place, not two payment lines (CASH 50.00 and TENDERED 50.00 say the same thing)
    confirmed = [(value, line) for (value, line) in places if value > 0 and len(kinds(value)) >= 2]
    if best is not None and not support(best[2][0], best[1]):
        # a till that rounds cash to the coin prints the bill's total, then the total rounded
        # (``TOTAL INCL. GST 140.49`` ... ``TOTAL ROUNDED 140.50``): the places that add up to the
        # bill's total (the tax summary) do not outweigh a total line below it that reads that
        # total brought to the nearest coin, whatever the rounding line between them read as
        rounded = {value for value, line in confirmed if line < best[1] and best[2][0] != value
                   and best[2][0] == _to_the_coin(value)}
        confirmed = [(value, line) for value, line in confirmed if value not in rounded]
    if confirmed and (best is None or not support(best[2][0], best[1])):
        # the total's own line is worn or misread (SUMME 19,30 where the card payment and the tax
        # summary say 19,90): two other places agreeing on the amount paid outweigh one read
        value, line = max(confirmed, key=lambda c: (support(*c), places[c] == "payment", c[1]))
        words = [w for seg in lines[line].segments for w in seg.words if any(ch.isdigit() for ch in w.text)]
        confidence = min(_conf(words) * 0.8, 1.0)
        if best is not None and _exact_text(doc, best[2][1]):
            # a total line in a text layer is no misreading: it prints another amount than the
            # lines below it add up to (a typo, a surcharge), and the vendor asks for what it
            # prints; the person who decides sees that amount, and the other one in the detail
            printed, printed_words = best[2][0], best[2][1]
            return Field(printed, min(confidence, 0.5), "layout", printed_words[0].page if printed_words else None,
                         lines[best[1]].text, agreeing=1,
                         detail=f"till receipt: the total line prints {printed}; the payment and "
                                f"tax lines give {value}: a person decides")
        return Field(value, confidence, "layout", words[0].page if words else None,
                     lines[line].text, agreeing=1 + support(value, line),
                     detail="till receipt: the amount paid, from the payment and tax lines")
    # a later total line whose amount OCR cut short ('Total Payable 197.') below an unconfirmed one
    cut = _cut_short_total(labelled, lines, places, -1 if best is None else best[1],
                           rounds=bool(_rounding_lines(labelled, lines, lex, conv)))
    if cut is not None and (best is None or (not support(best[2][0], best[1]) and cut.value != best[2][0])):
        return cut
    if best is None:
        mended = (_mended_total(labelled, lines, places)
                  or _paid_by_zero_readings(None, labelled, lines, lex, conv, candidates)
                  or _paid_by_look_alikes(None, labelled, lines, lex, conv, candidates)
                  or _paid_by_net_and_change(labelled, lines, lex, conv)
                  or _paid_on_a_worn_total_line(labelled, lines, lex, conv))
        if mended is not None:
            return mended
        if summary is None or summary[0] <= 0:
            return _paid_as_tendered(labelled, lines, lex, conv)
        # no total label left legible (``Summe 1930``: the mark worn off): the tax summary's
        # gross, whose own arithmetic held, is the best reading there is, not a bookable one
        line = summary[1][0]
        words = [w for seg in lines[line].segments for w in seg.words if any(ch.isdigit() for ch in w.text)]
        return Field(summary[0], min(_conf(words) * 0.6, 1.0), "layout", words[0].page if words else None,
                     lines[line].text, agreeing=1, detail="till receipt: the amount paid, from the tax summary")
    weight, line, (value, words, text) = best
    agreeing = 1 + support(value, line)
    # only total lines print it (no payment line nor tax summary): a ribbon turns a zero into the
    # same 8 on every line it strikes, so those lines agreeing stand against the sums no better
    # than one line would
    paid_says_so = any(v == value and n != line for v, n in places)
    # a total before a rounding whose rounded line was lost: the sums, when two kinds of line
    # settle the total's look-alike digits, say more than the total as read plus the rounding
    paid = (_paid_after_rounding(value, line, labelled, lines, lex, conv)
            or (None if paid_says_so else _paid_by_look_alikes(value, labelled, lines, lex, conv, candidates, line))
            or _plus_rounding_after(value, line, labelled, lines, lex, conv, values))
    if paid is not None:
        currency = next((c for v, c, _, _ in find_amounts(text, conv.decimal) if c), None)
        return replace(paid, page=words[0].page if words else None, currency=currency)
    if agreeing == 1:
        mended = (_look_alike_total(value, labelled, lines, lex, conv, candidates, places, summary)
                  or _paid_by_zero_readings(value, labelled, lines, lex, conv, candidates,
                                            _glued_digit_readings(" ".join(w.text for w in words)))
                  or _paid_by_look_alikes(value, labelled, lines, lex, conv, candidates, line))
        if mended is not None:
            currency = next((c for v, c, _, _ in find_amounts(text, conv.decimal) if c), None)
            return replace(mended, page=words[0].page if words else None, text=text, currency=currency)
    confidence = _conf(words) * (0.75 + 0.025 * weight) * (1.0 if agreeing > 1 else 0.85)
    if agreeing > 1:
        confidence = 1 - (1 - confidence) * 0.5
    currency = next((c for v, c, _, _ in find_amounts(text, conv.decimal) if c), None)
    detail = "till receipt: the amount paid"
    dissent = None if "tax summary" in kinds(value) else _total_line_a_look_alike_off(value, line, labelled, lines)
    if dissent is not None:
        # the total line and the till's payment line are struck by the same head: a digit it wore
        # reads alike on both, and their agreeing says nothing against another print of the total
        confidence = min(confidence, _LOOK_ALIKE_DISSENT)
        detail += f"; another total line reads {dissent}, one look-alike digit off: a person confirms it"
    return Field(value, min(confidence, 1.0), "layout", words[0].page if words else None, text, agreeing=agreeing,
                 currency=currency, detail=detail)


#: how sure a total is read when another total line of the receipt reads it one look-alike digit off
_LOOK_ALIKE_DISSENT = 0.5


def _total_line_a_look_alike_off(value: Decimal, line: int, labelled: list[_Labelled], lines: list[Line]) -> Decimal | None:
    """The amount another total line (a card slip's 'Betrag') reads one look-alike digit off
    ``value``, the total read on line ``line``; None when no total line does."""
    for item in labelled:
        if item.field != _TOTAL or item.line == line:
            continue
        # the amounts as _labelled_amounts read them: a slip's 'Betrag EUR 48, 77' is one
        if item.amounts and _one_look_alike_apart(value, item.amounts[-1][0]):
            return item.amounts[-1][0]
    return None


#: a numeric date and the time of day printed against its year, no space between: a four-digit
#: year (15/03/201813:45) or, when no four-digit year leaves a time after it, a two-digit one
#: (12.03.1914:52 is 12.03.19 at 14:52, not the year 1914)
_GLUED_TIME = re.compile(r"(?<!\d)(\d{1,2}([./-])\d{1,2}\2(?:(?:19|20)\d\d|\d\d))(?=(?:[01]?\d|2[0-3]):[0-5]\d(?!\d))")


#: the captions a date is printed under on a till receipt or a docket: the document's own date
#: ('Date', 'Tarikh'), or another ('Next Service', 'Expiry', 'Valid till', 'Due date', 'Printed')
_DATE_CAPTIONS = ("date", "due_date") + OTHER_DATE_FIELDS
#: a caption of this weight or more names another day than the document's (a due date's weak
#: 'Due' may be 'Amount Due'; an other_date of weight 5, 'Printed', is the same day as a rule)
OTHER_DAY_WEIGHT = 8


def date_caption(folded: str, lex: Lexicons, language: str | None) -> LabelMatch | None:
    """The caption nearest before the end of ``folded`` (a line's text before one of its dates,
    folded), each read from a word start past the caption before it; a date label right after
    another caption ends it ('Printed Date', 'Member Expiry Date' name no sale). None when no
    caption is printed there."""
    last = None
    for m in re.finditer(r"(?<![^\W_])(?=[^\W_])", folded):
        if last is not None and m.start() < last.end:
            continue
        hit = lex.match(folded[m.start():], _DATE_CAPTIONS, prefer=language)
        if hit is None:
            continue
        if hit.field == "date" and last is not None and not re.search(r"\d", folded[last.end:m.start()]):
            last = replace(last, end=m.start() + hit.end)
        else:
            last = replace(hit, end=m.start() + hit.end)
    return last


def names_other_day(caption: LabelMatch | None) -> bool:
    """Does ``caption`` (``date_caption``) say its date is another day than the document's?"""
    return caption is not None and caption.field != "date" and caption.weight >= OTHER_DAY_WEIGHT


def without_other_dates(doc: Document, lex: Lexicons, language: str | None, due_dates: bool = True) -> Document:
    """``doc`` for reading its own date: the words of each date another caption names ('Next
    Service: 5,000 KM or 12/06/2018', 'Expiry 09/19', 'Valid till 31.12.2018', a due date) left
    out, from the caption to the line's end or to a caption of the document's date after it,
    and the line under a caption standing alone or followed by no date (the date wrapped onto
    the next line, or a photo's bowed line split in two), unless that line is stamped with a
    time of day or captioned a date of its own. A docket whose only legible date is such a one
    then has no date to book: a person reads it, rather than the next service being booked.
    ``due_dates=False`` keeps the due dates (an invoice reads them apart, and its header row's
    'Data de vencimento' would take the invoice date under the cell beside it along)."""
    pages, changed = [], False
    for page in doc.pages:
        dropped: set[int] = set()
        lines = page.lines
        for number, line in enumerate(lines):
            words = [w for seg in line.segments for w in seg.words]
            # a caption misread by a letter or two ('Naxt Service:', 'ext Service:') read as printed
            mended = _mended_phrase(words, lex, language, OTHER_DATE_FIELDS)
            text, spans = join_words([mended.get(id(w), w) for w in words])
            folded = fold(text)
            dropping, label_end, its_date, other_words = False, 0, False, []
            for k, (start, _) in enumerate(spans):
                if k >= label_end:
                    hit = lex.match(folded[start:], _DATE_CAPTIONS, prefer=language)
                    if hit is not None:
                        label_end = next((j for j, (b, _) in enumerate(spans) if b >= start + hit.end), len(words))
                        if names_other_day(hit) and (due_dates or hit.field != "due_date"):
                            dropping, other_end, its_date = True, label_end, False
                        elif hit.field == "date" and (not dropping or its_date):
                            # the document's own date captioned after the other's date ('Member
                            # Expiry Date' is one caption: no date of its own before 'Date')
                            dropping = False
                if dropping:
                    dropped.add(id(words[k]))
                    its_date = its_date or (k >= label_end and any(ch.isdigit() for ch in words[k].text))
                    if k >= label_end:
                        other_words.append(words[k])
            if dropping and number + 1 < len(lines):
                below = [w for seg in lines[number + 1].segments for w in seg.words]
                below_text = " ".join(w.text for w in below)
                # the other date's caption ends its line, or what follows it holds no date ('Next
                # Service: 5,000 KM' with 'or 12/06/2018' wrapped, or bowed by a photo, onto the line
                # under): its date is on the next line, unless that one is stamped with a time (the
                # till's own date and time)
                runs_on = other_end >= len(words) or not (find_dates(" ".join(w.text for w in other_words))
                                                         or _TIME.search(below_text))
                if runs_on and date_caption(fold(below_text), lex, language) is None:
                    dropped.update(id(w) for w in below)
        if dropped:
            changed = True
            page = replace(page, words=[w for w in page.words if id(w) not in dropped], _lines=None)
        pages.append(page)
    return replace(doc, pages=pages) if changed else doc


#: how sure a date is read whose caption says it is the same day as a rule but not always
#: ('Printed', 'Reprinted': a slip printed again later): a person confirms it
_SAME_DAY_AS_A_RULE = 0.5


#: a day, month and four-digit year with one group read twice before the year ('04, 04. 04, 2020':
#: OCR read the paper's 04 again where a crease or a blur doubled it)
_STUTTERED_DATE = re.compile(r"(?<![\d.,])(\d{1,2})[.,] ?(\d{1,2})[.,] ?(\d{1,2})[.,] ?((?:19|20)\d{2})(?!\d)")
#: a date read once its doubled group is dropped: the digits are the page's, the stutter a misreading
_STUTTER_DROPPED = 0.5


def _stutter_dropped(text: str) -> tuple[str, int | None]:
    """``text`` with the group OCR read twice in a date blanked out (``04, 04. 04, 2020`` is
    04.04.2020; ``25. 02. 02. 2020`` is 25.02.2020), its length kept so the words still line up,
    and where the group stood; ``text`` and None when no date has two like groups side by side
    before a four-digit year."""
    m = _STUTTERED_DATE.search(text)
    if m is None or not (m[1] == m[2] or m[2] == m[3]):
        return text, None
    # the later of the two like groups goes, its mark and space with it; the spaces it leaves go
    # after the year, for the date to read as one
    drop = 3 if m[2] == m[3] else 2
    start, end = m.start(drop), m.start(drop + 1)
    return text[:start] + text[end:m.end()] + " " * (end - start) + text[m.end():], start


def _date(doc: Document, conv: Conventions, lex: Lexicons) -> Field | None:
    """The purchase date: the one stamped with a time of day, else one under the caption of a
    date, else the first; one whose caption names it another date as a rule ('Printed') only
    when no other is read, and then for a person to confirm."""
    found: list[tuple[int, float, Field, tuple[int, int]]] = []  # (rank, -order, field, (page, line))
    order = 0
    for page in doc.pages:
        for number, line in enumerate(page.lines):
            # the line's words joined by one space: fixed-pitch print spaced wide ("21   OCT   2018")
            # falls into several segments, and a date must not be lost between them
            words = [w for seg in line.segments for w in seg.words]
            text = " ".join(w.text for w in words)
            starts = [0]
            for w in words[:-1]:
                starts.append(starts[-1] + len(w.text) + 1)
            mended = _mend_month_names(text, conv.months, conv.own_months)
            guessed = _guess_month_names(mended, conv.months, conv.own_months)
            # a till's time glued to the year (15/03/201813:45:02): read apart, at the year's end
            glued = _GLUED_TIME.search(guessed)
            split = glued.end(1) if glued else None
            apart = guessed if split is None else guessed[:split] + " " + guessed[split:]
            dates = []
            for value, certainty, a, b in find_dates(apart, conv.day_first, conv.months):
                if split is not None:
                    a, b = (a - (a > split), b - (b > split))
                dates.append((value, certainty, a, b))
            dates += [d for d in _run_together_dates(text, conv, lex)
                      if not any(a < d[3] and d[2] < b for _, _, a, b in dates)]
            for value, certainty, a, b in dates:
                if mended != text:
                    certainty = min(certainty, _MENDED_MONTH)
                month_guessed = guessed[a:b] != mended[a:b]
                if month_guessed:
                    certainty = min(certainty, _GUESSED_MONTH)
                if _smudge_before(text, a):
                    continue
                value, certainty = _worn_year(value, certainty)
                order += 1
                stamped = _TIME.search(text[:a] + " " + text[b:])
                used = [w for w, s in zip(words, starts) if s < b and s + len(w.text) > a] or words
                # the date's digits whose ink is no other print of that digit (vision.worn)
                worn = tuple(s + k - a for w, s in zip(words, starts) for k in w.worn if a <= s + k < b)
                caption = date_caption(fold(text[:a]), lex, conv.language)
                rank = 2 if stamped else 1 if re.search(r"dat|date|le\b|datum", fold(text)) or caption else 0
                confidence = _conf(used) * certainty * (0.95 if rank else 0.8)
                detail = "; ".join(filter(None, [f"{STAMP}{_clock(stamped[0])}" if stamped else "",
                                                 f"the month read as '{text[a:b]}': {guessed[a:b]}, the only month "
                                                 f"one letter off it, for a person to confirm" if month_guessed else ""]))
                if caption is not None and caption.field != "date" and caption.weight < OTHER_DAY_WEIGHT:
                    rank, confidence = -1, min(confidence, _SAME_DAY_AS_A_RULE)
                    detail = "; ".join(filter(None, [detail, f"the date under '{caption.label}': the sale's "
                                                               f"as a rule, not always"]))
                found.append((rank, -order, Field(value, confidence, "layout", page.number, text[a:b], detail=detail),
                              (page.number, number), worn, used))
    if not found:
        return _loose_date(doc, conv)
    best = max(found, key=lambda f: (f[0], f[1]))
    if best[4]:
        # what may settle its worn digit: a clean print of the purchase date, with a time or a
        # date label (a card slip's Datum, a TSE stamp), not any date (a return-by or a period)
        day = _worn_stamp(best[2], best[4], best[3], [(f[2], f[3]) for f in found if not f[4] and f[0] > 0],
                          conv.day_first)
        if day.confidence < _DOUBTFUL:
            # none: what is left of the worn stroke, read at the paper's own level
            faint = _worn_stamp_faint(doc, day, best[5], best[4], conv)
            if faint is not None:
                return faint
    else:
        day = _agreed_date(best[2], [(f[2], f[3]) for f in found if not f[4]])
        # prints of the purchase date itself (beside a time, under a date's label), worn or not
        day = _contradicted_date(day, [(f[2], f[3]) for f in found if f[0] > 0])
    return _date_by_prints(doc, day, best[5], conv) if day.confidence < _DOUBTFUL else day


#: under the confidence a required field needs to be booked (``vision.checks``): a person looks
_DOUBTFUL = 0.6


#: a date printed with its digits run together ('25122018', '20181225'), or with one of its two
#: separators lost to the scan ('2512/2018', '25/122018'): day and month of two digits each, a
#: four-digit year first or last
_RUN_TOGETHER = re.compile(r"(?<![\w./-])(\d{2})([./-]?)(\d{2})([./-]?)(\d{4})(?![\w./-])")
_YEAR_FIRST = re.compile(r"(?<![\w./-])((?:19|20)\d{2})(\d{2})(\d{2})(?![\w./-])")
#: how sure such a date is: the caption says it is one, and only one reading gives a day
_RUN_TOGETHER_CERTAINTY = 0.9
_SEPARATOR_LOST_CERTAINTY = 0.8


def _run_together_dates(text: str, conv: Conventions, lex: Lexicons) -> list[tuple[date, float, int, int]]:
    """Dates right after a date's caption ('Date 25122018', 'DATE: 20181225', 'Tarikh : 2512/2018',
    'Oate : 25122018' with a letter misread) that ``find_dates`` cannot read: some tills print
    the date without separators, and a scan loses one. Only under a caption of the document's
    date (a run of eight digits alone is as likely a code), read the way the page writes its
    dates, and only when one reading is a day from 1990 to next year; as (date, certainty,
    start, end)."""
    found = []
    latest = date.today().year + 1
    for pattern in (_RUN_TOGETHER, _YEAR_FIRST):
        for m in pattern.finditer(text):
            before = fold(text[:m.start()])
            caption = date_caption(before, lex, conv.language)
            captioned = caption is not None and caption.field == "date" and re.fullmatch(r"[\s:.#-]*", before[caption.end:])
            # or the caption read with a look-alike letter ('Oate :', 'Bate')
            last_word = re.search(r"(\S+)[\s:.#-]*$", text[:m.start()])
            if not captioned and not (last_word and _date_label_word(last_word[1])):
                continue
            if pattern is _YEAR_FIRST:
                year, first, second, lost = int(m[1]), int(m[2]), int(m[3]), False
            else:
                if bool(m[2]) and bool(m[4]):
                    continue  # both separators printed: find_dates read it, or it is no date
                day_first = conv.day_first is not False
                first, second, year = (int(m[1]), int(m[3]), int(m[5])) if day_first else (int(m[3]), int(m[1]), int(m[5]))
                lost = bool(m[2] or m[4])
            if not 1990 <= year <= latest:
                continue
            try:
                value = date(year, second, first) if pattern is _RUN_TOGETHER else date(year, first, second)
            except ValueError:
                continue
            found.append((value, _SEPARATOR_LOST_CERTAINTY if lost else _RUN_TOGETHER_CERTAINTY, m.start(), m.end()))
    return found


def _faint_settles(texts: list[str], conv: Conventions, fits, read_as: date | None = None) -> date | None:
    """The date the readings of a stamp at the paper's own level (``vision.reread.FAINT_DEPTHS``)
    settle: at least two give it, whole (day and month of two digits), and none another date
    ``fits`` (a date the first reading allows) accepts but ``read_as``, the stamp as first read,
    and that fewer times: at one level the ghost of a worn stroke may still be paper."""
    votes: dict[date, int] = {}
    for reading in texts:
        for value in _faint_dates([reading], conv):
            if fits(value):
                votes[value] = votes.get(value, 0) + 1
    others = {value: count for value, count in votes.items() if value != read_as}
    if len(others) != 1:
        return None
    (value, count), = others.items()
    return value if count >= _DATE_READINGS_AGREEING and count > votes.get(read_as, 0) else None


def _faint_dates(texts: list[str], conv: Conventions) -> list[date]:
    """The dates readings of a till's stamp give whole (day and month of two digits, as tills
    print them), one entry per reading of each."""
    found = []
    for reading in texts:
        # a ghost read as the letter or mark it looks like (a worn 8 as &) is that digit
        whole = _STAMPED_DATE.search(re.sub(r"\s+", "", reading).translate(_DIGIT_FOR_LETTER))
        found.extend(_dates_read_in(whole[0], conv) if whole else ())
    return found


def _stamp_printing(text: str, value: date, day_first: bool | None) -> str | None:
    """``value`` printed the way the stamp ``text`` prints its date (``12.0: .2026`` and
    12.03.2026: ``12.03.2026``; ``29.08.26``: two-digit year), or None when ``text`` shows no
    such layout."""
    m = re.search(r"(?<!\d)(\S\S)([.,/-])\s?(\S\S)\s?([.,/-])\s?(\d{4}|\d{2})(?!\d)", text)
    if m is None:
        return None
    first, second = (value.day, value.month) if day_first is not False else (value.month, value.day)
    return f"{first:02d}{m[2]}{second:02d}{m[4]}{value.year % 10 ** len(m[5]):0{len(m[5])}d}"


def _worn_digit_by_prints(page: Page, ink: list[Word], text: str, values: set[date],
                          conv: Conventions) -> tuple[date, str] | None:
    """Which of ``values`` (dates the readings of a worn stamp split between, alike but for one
    digit) the stamp's ink ``ink`` prints, by the receipt's own prints of those digits read at
    the paper's own level (``vision.worn.worn_digit_by_prints``), and what to tell the person
    who confirms it; None when they do not say."""
    from vision.worn import fuller_digit, worn_digit_by_prints

    printed = {value: _stamp_printing(text, value, conv.day_first) for value in values}
    if len(printed) < 2 or None in printed.values() or len({len(p) for p in printed.values()}) != 1:
        return None
    apart = [k for k in range(len(next(iter(printed.values())))) if len({p[k] for p in printed.values()}) > 1]
    if len(apart) != 1 or page.image is None:
        return None
    (position,) = apart
    digits = {p[position] for p in printed.values()}
    read = f"its worn character {position + 1} read as {', '.join(sorted(digits))}"
    sample = next(iter(printed.values()))
    x0, y0, x1, y1 = box_of(ink)
    digit = worn_digit_by_prints(page.image, page.words, Word(sample, x0, y0, x1, y1, 0.5, page.number),
                                 position, digits)
    told = f"{read}: with its ghost, most like the receipt's other prints of {digit}"
    if digit is None and len(digits) == 2:
        digit = fuller_digit(*digits)
        told = f"{read}: wear takes strokes, and a reading saw every stroke of {digit}"
    if digit is None:
        return None
    return next(v for v, p in printed.items() if p[position] == digit), told


def _worn_stamp_faint(doc: Document, day: Field, used: list[Word], worn: tuple[int, ...],
                      conv: Conventions) -> Field | None:
    """A till's stamp with a worn digit nothing else printed settles, read again at the paper's
    own level (``vision.reread.readings(faint=True)``): the worn stroke is often still there, a
    ghost a few grey levels under the paper that the page's reading took for paper, and with it
    the digit reads as printed (what was left of a worn 8, read as 5, is an 8 again). When the
    readings settle a date that is the stamp as read but for its worn digit, it is offered at
    half confidence, the worn digit named: a person confirms it. None when they do not."""
    from vision.reread import readings

    page = next((p for p in doc.pages if p.number == day.page), None)
    if page is None or page.image is None or not used:
        return None
    (texts,) = readings(page.image, [box_of(used)], variants=(), faint=True)
    # the stamp as OCR first read it (``day`` may hold another print's date by now)
    first = _dates_read_in(day.text, conv)
    read_as = next(iter(first)) if len(first) == 1 else None
    said = f"read again at the paper's own level: {' / '.join(repr(t) for t in texts)}"

    def fits(value: date) -> bool:
        return _fits_worn(day.text, worn, value, conv.day_first)

    split = set(filter(fits, _faint_dates(texts, conv)))
    by_prints = _worn_digit_by_prints(page, used, day.text, split | {read_as} - {None}, conv)
    if by_prints is not None:
        value, told = by_prints
        said = f"{said}; {told}"
    else:
        value = _faint_settles(texts, conv, fits, read_as=read_as)
    if value is None:
        return None
    if value == day.value:
        return replace(day, detail="; ".join(filter(None, [day.detail, said])))
    return replace(day, value=value, confidence=min(day.confidence, 0.5), detail="; ".join(filter(None, [
        day.detail, f"{said}: {value:%d.%m.%Y}, for a person to confirm"])))


def _date_by_prints(doc: Document, day: Field, used: list[Word], conv: Conventions) -> Field:
    """A date a person will be asked for, read again digit by digit against the receipt's own
    prints of each digit (``vision.worn.read_by_prints``): a worn 5 that OCR read as 6, however
    often it is read again, has no stroke where the till's 6 has one. The person is offered
    what the prints read, never more surely than half: nothing else on the receipt confirms it."""
    from vision.worn import read_by_prints, strokes_both_saw

    page = next((p for p in doc.pages if p.number == day.page), None)
    if page is None or page.image is None or len(used) != 1 or not _NUMERIC_DATE.search(used[0].text):
        return day
    if used[0].conf >= _DOUBTFUL:
        # OCR read the word surely: what is left of a worn digit may look like another digit's
        # prints as much as like its own (a 1 whose middle is gone: its flag and foot, a 2's top
        # and base), and the prints do not overrule a sure reading
        return day
    again = read_by_prints(page.image, page.words, used[0])
    # a zero read as 0 stays (``vision.dotdates._by_their_prints``, ``_total_by_prints``): a
    # ribbon's slashed zeros OCR read as 3, 6, 8 or 9 are among the page's prints of those digits,
    # and a zero is like them too; wear takes strokes, and what is left of a worn digit read as a
    # 0 is no closer to the digit it was printed as
    if again is None or used[0].text[again[1]] == "0":
        return day
    text, position = again
    read, printed = used[0].text[position], text[position]
    told = f"character {position + 1} of {used[0].text} is more like the receipt's other prints of {printed} than of {read}"
    # OCR and the prints each saw a stroke the other did not: only the strokes both saw are sure
    shared = strokes_both_saw(read, printed)
    if shared is not None:
        text = text[:position] + shared + text[position + 1:]
        told = f"{told}, and the strokes both readings see draw a {shared}"
    values = {_worn_year(value, 1.0)[0] for value, _, _, _ in find_dates(text, conv.day_first, conv.months)}
    if len(values) != 1 or day.value in values:
        return day
    value = values.pop()
    return replace(day, value=value, confidence=min(day.confidence, 0.5), detail="; ".join(filter(None, [
        day.detail, f"{told}: {text}, for a person to confirm"])))


_NUMERIC_DATE = re.compile(r"(\d{1,2})[.,/-](\d{1,2})[.,/-](\d{4}|\d{2})")

#: the letters a digit stands for in a month name as dot-matrix and worn print come out of OCR
#: (N0V, 0CT, AU6, 5EP, 4PR, DE( : the 5x7 O is the slashed zero's box, S and 5, G and 6, B and 8,
#: the A's apex and bar a 4's diagonal and bar)
_LETTERS_FOR_DIGIT = {"0": "o", "1": "il", "5": "s", "6": "g", "8": "b", "2": "z", "4": "a"}
#: a month name between a day and a year (20-N0V-2018, 20 N0V 18) or before day and year (N0V 20, 2018)
_MONTH_SLOT = re.compile(r"(?:(?<=\d[\s./-])|(?<=\d))([^\W_]{3,9})(?=[\s./,-]{1,3}\d{2})"
                         r"|(?<![^\W_])([^\W_]{3,9})(?=\.?\s\d{1,2},?\s\d{4})")
#: a date whose month name was mended from digits is read at most this sure: a person may be asked
_MENDED_MONTH = 0.9


def _mend_month_names(text: str, months: dict[str, int] | None, own: dict[str, int] | None = None) -> str:
    """``text`` with each month name that OCR read with a look-alike digit in it (``20-N0V-2018``)
    written with its letters, when exactly one month's name of the page's own languages (``own``,
    ``Conventions.own_months``; every language of the lexicons when not given) fits the digits'
    letters; every other character stays where it was. A word that is a month's name in any
    language (``months``) stays as read."""
    if not months or not any(ch.isdigit() for ch in text):
        return text
    mend_to = own or months
    out = text
    for m in _MONTH_SLOT.finditer(text):
        word = m[1] or m[2]
        start = m.start(1) if m[1] else m.start(2)
        if not any(ch.isalpha() for ch in word) or word.lower() in months:
            continue
        if any(ch.isdigit() and ch not in _LETTERS_FOR_DIGIT for ch in word):
            continue
        spellings = _letter_spellings(word.lower())
        if not any(ch.isdigit() for ch in word):
            # all letters, no month: one of them a look-alike of the month's (26-MPR-18, 11-0CT read
            # as 11-OGT), at most one letter of an abbreviation, one more in a long name
            spellings = [name for name in mend_to if _letters_look_alike(word.lower(), name)]
            # read with its Y as the V it may be (a V's strokes meeting in dots), a word that is
            # another month's look-alike too is no month's to mend ('MOY': MAY, or NOV)
            as_v = "".join(DOT_LETTER_READ_AS.get(ch, ch) for ch in word.lower())
            read_as_v = {name for name in mend_to if as_v != word.lower()
                         and (as_v == name or _letters_look_alike(as_v, name))}
            if len({mend_to[name] for name in (*spellings, *read_as_v)}) > 1:
                continue
        found = {mend_to[name] for name in spellings if name in mend_to}
        if len(found) != 1:
            continue
        name = next(name for name in spellings if name in mend_to)
        name = name.upper() if word.isupper() or word[0].isupper() and word[1:].isdigit() else name
        out = out[:start] + name + out[start + len(word):]
    return out


#: a word in a month's place between a day (its digits perhaps read as look-alike letters) and a
#: four-digit year ('21 OfT 2015', '23 NOY 2617', 'li WAY 2618', '09-4UN-2016'); the year's digits
#: may be look-alikes too ('11-NOY-28i5'), two of its four read as digits at least; a letter of
#: the name may have come out as a mark ('15-&UG-2617': a dotted A read as an ampersand)
_MONTH_BETWEEN_DAY_AND_YEAR = re.compile(r"(?<![\w.,/-])[\dilIL|!oOsSzZbBgG@§]{1,2}[\s./-]{0,2}([0-9A-Za-z&¥#]{3,9})"
                                         r"(?=[\s./,-]{1,3}([12][\dilIoOsSzZbBgG]{3})(?![\w@$§]))")
#: the same word before a year of two digits ('15-FE5-18', '13-RAR- 16'): only between dashes or
#: slashes, as a day, a month's abbreviation and a short year are written (a word between bare
#: numbers, '3 PCS 12', is a line's quantity and unit)
_MONTH_BETWEEN_DAY_AND_SHORT_YEAR = re.compile(r"(?<![\w.,/-])[\dilIL|!oOsSzZbBgG@§]{1,2}\s?[-/]\s?([0-9A-Za-z&¥#]{3})"
                                               r"(?=\s?[-/]\s?(\d{2})(?![\w@$§.,/-]))")
#: the letters of a month's name a mark read in it may stand for (dot print's A or E read as &, its
#: V as the yen sign, a letter of two uprights joined by bars, A, H, M or N, as a hash)
_LETTERS_FOR_MARK = {"&": "abe", "¥": "vy", "#": "ahmn"}
#: a date whose month name was guessed from a word one letter off it is read at most this sure:
#: a person confirms it
_GUESSED_MONTH = 0.5


def _letter_spellings(word: str) -> list[str]:
    """``word`` (lower case) spelt every way its look-alike digits may stand for letters ('n0v': nov)."""
    spellings = [""]
    for ch in word:
        spellings = [so_far + letter for so_far in spellings for letter in _LETTERS_FOR_DIGIT.get(ch, ch)]
    return spellings


def _one_letter_off(word: str, months: dict[str, int]) -> set[str]:
    """The month names ``word`` spells but for one letter, a mark in it standing for its letters;
    or but for one such mark and one look-alike letter (``#FR``: APR, the dots of its A read as a
    hash, its P's bowl open at the foot read as an F): a letter read as a mark is a letter lost,
    not another month's."""
    out = set()
    for name in months:
        if len(name) != len(word) or not all(b in _LETTERS_FOR_MARK.get(a, b) for a, b in zip(word, name)):
            continue
        # a V's strokes meeting in dots read as a Y is no other letter (``_month_named``: 'MOY' is
        # MAY or NOV, no guess)
        differ = [(a, b) for a, b in zip(word, name) if a != b and DOT_LETTER_READ_AS.get(a) != b]
        letters = [(a, b) for a, b in differ if a not in _LETTERS_FOR_MARK]
        if len(differ) <= 1 or (len(differ) == 2 and len(letters) == 1
                                and letters[0][1].upper() in _LOOK_ALIKE_LETTERS.get(letters[0][0].upper(), ())):
            out.add(name)
    return out


def _guess_month_names(text: str, months: dict[str, int] | None, own: dict[str, int] | None = None) -> str:
    """``text`` with each word between a day and a year (of two digits between dashes or slashes)
    that is no month name (``months``: any language's), but
    one letter off exactly one month's of the page's own languages (``own``, all when not given:
    ``21 OfT 2015``: OCT; ``23 NOY 2617``: NOV), written as
    that month; dot-matrix print turns a letter into any other. Positions are kept."""
    if not months:
        return text
    guess_from = own or months
    out = text
    for m in (*_MONTH_BETWEEN_DAY_AND_YEAR.finditer(text), *_MONTH_BETWEEN_DAY_AND_SHORT_YEAR.finditer(text)):
        word = m[1].lower()
        # a digit that looks like a letter stands for it ('15-40G-2016': the A and U of AUG read as
        # 4 and 0); a word needs one letter of its own to be a month's at all
        lettered = sum(ch.isalpha() or ch in _LETTERS_FOR_DIGIT for ch in word)
        if word in months or lettered < len(word) - 1 or not any(ch.isalpha() for ch in word) \
                or sum(ch.isdigit() for ch in m[2]) < 2:
            continue
        close = _one_letter_off(word, guess_from)
        if not close:
            close = {name for spelled in _letter_spellings(word) for name in _one_letter_off(spelled, guess_from)}
        if len({guess_from[name] for name in close}) != 1:
            continue
        name = min(close)
        out = out[:m.start(1)] + (name.upper() if any(ch.isupper() for ch in m[1]) else name) + out[m.end(1):]
    return out


def _letters_look_alike(read: str, name: str) -> bool:
    """Is ``read`` the month ``name`` (both lower case) but for one look-alike letter (two in a
    name of six letters or more)?"""
    if len(read) != len(name) or len(name) < 3:
        return False
    differ = [(a.upper(), b.upper()) for a, b in zip(read, name) if a != b]
    return 0 < len(differ) <= (2 if len(name) >= 6 else 1) and all(
        b in _LOOK_ALIKE_LETTERS.get(a, ()) for a, b in differ)


def _fits_worn(text: str, worn: tuple[int, ...], value: date, day_first: bool | None) -> bool:
    """Is ``value`` the date printed as ``text`` but for its worn digits (positions in
    ``text``)? ``16.03.26`` with its second digit worn fits 18.03.2026, not 16.04.2026."""
    m = _NUMERIC_DATE.fullmatch(text)
    if m is None:
        return False
    day, month = (1, 2) if day_first is not False else (2, 1)
    want = {day: f"{value.day:0{len(m[day])}d}", month: f"{value.month:0{len(m[month])}d}", 3: f"{value.year}"[-len(m[3]):]}
    for group in (1, 2, 3):
        if len(want[group]) != len(m[group]):
            return False
        for n, (printed, wanted) in enumerate(zip(m[group], want[group])):
            if printed != wanted and m.start(group) + n not in worn:
                return False
    return True


def _worn_stamp(stamp: Field, worn: tuple[int, ...], line: tuple[int, int],
                clean: list[tuple[Field, tuple[int, int]]], day_first: bool | None) -> Field:
    """The purchase date when a digit of the till's stamp is worn (its ink is no print of the
    digit it was read as): OCR read what was left as the digit it looked most like, however
    confident. Another print of the date on the receipt, clean (a card slip's ``Datum``, the
    fiscal unit's stamps), that reads as the stamp but for its worn digit settles it; with
    none, the reading stays, too doubtful to book: a person looks at the paper."""
    digits = "character " + ", ".join(str(n + 1) for n in worn)
    fits = {field.value: field for field, where in clean if where != line
            and _fits_worn(stamp.text, worn, field.value, day_first)}
    if len(fits) == 1:
        field = next(iter(fits.values()))
        # the clean print's reading, as sure as that print was read
        return replace(stamp, value=field.value, confidence=field.confidence, detail="; ".join(filter(None, [
            stamp.detail, f"{digits} of {stamp.text} worn; another print reads {field.text}"])))
    return replace(stamp, confidence=min(stamp.confidence, 0.5), detail="; ".join(filter(None, [
        stamp.detail, f"{digits} of {stamp.text} worn (its ink is no other print of that digit on the receipt)"
                      + ("; other prints read " + ", ".join(sorted(f.text for f in fits.values())) if fits
                         else ": nothing else printed settles it")])))


def _agreed_date(best: Field, prints: list[tuple[Field, tuple[int, int]]]) -> Field:
    """The purchase date checked against the other dates the till printed (a card slip's
    ``Datum``, a second time stamp): when another print reads as the same date but for one
    look-alike digit (26.09 and 28.09), the reading more prints agree on wins; when as many
    prints say each, the date stays, but too doubtful to book."""
    lines = _lines_by_date(prints)
    rivals = [value for value in lines if value != best.value and _look_alike_dates(value, best.value)]
    if not rivals:
        return best
    rival = max(rivals, key=lambda v: len(lines[v]))
    mine, theirs = len(lines[best.value]), len(lines[rival])
    if theirs > mine:
        return replace(best, value=rival, detail="; ".join(filter(None, [
            best.detail, f"{theirs} prints read {rival:%d.%m.%Y}, {mine} read {best.value:%d.%m.%Y}: a worn digit"])))
    if theirs == mine:
        return replace(best, confidence=min(best.confidence, 0.5), detail="; ".join(filter(None, [
            best.detail, f"another print reads {rival:%d.%m.%Y}: which digit is worn?"])))
    return best


def _contradicted_date(day: Field, prints: list[tuple[Field, tuple[int, int]]]) -> Field:
    """The purchase date when another print of it (a card slip's ``Datum``, the fiscal unit's
    stamps) reads a date no worn look-alike digit explains (``=1.10.26`` above ``31.10.26``): the
    date more lines print, never booked: a person looks at the paper."""
    lines = _lines_by_date(prints)
    others = [value for value in lines if value != day.value and not _look_alike_dates(value, day.value)]
    if not others:
        return day
    rival = max(others, key=lambda value: len(lines[value]))
    mine, theirs = len(lines.get(day.value, ())), len(lines[rival])
    said = f"{theirs} print(s) read {rival:%d.%m.%Y}, {mine} read {day.value:%d.%m.%Y}: which is the sale's?"
    chosen = day if theirs <= mine else replace(day, value=rival, text=next(f.text for f, _ in prints if f.value == rival))
    return replace(chosen, confidence=min(day.confidence, 0.5), detail="; ".join(filter(None, [day.detail, said])))


def _lines_by_date(prints: list[tuple[Field, tuple[int, int]]]) -> dict[date, set[tuple[int, int]]]:
    """Each date the prints read, with the (page, line) places that read it."""
    lines: dict[date, set[tuple[int, int]]] = {}
    for field, line in prints:
        lines.setdefault(field.value, set()).add(line)
    return lines


def _look_alike_dates(a: date, b: date) -> bool:
    """Two dates written alike but for one digit that worn print turns into the other (26.09.2016
    and 28.09.2016)."""
    x, y = f"{a:%d%m%Y}", f"{b:%d%m%Y}"
    differ = [(p, q) for p, q in zip(x, y) if p != q]
    return len(differ) == 1 and (differ[0][1] in _LOOK_ALIKE.get(differ[0][0], "")
                                 or differ[0][0] in _LOOK_ALIKE.get(differ[0][1], ""))


#: how a date's ``detail`` says the till printed a time of day beside it
STAMP = "stamped by the till at "


def _clock(text: str) -> str:
    """'14:52', '8:15 PM', '20h05' as HH:MM on a 24-hour clock."""
    hour, minute = (int(n) for n in re.findall(r"\d+", text)[:2])
    if re.search(r"[Pp]\.?[Mm]", text) and hour < 12:
        hour += 12
    elif re.search(r"[Aa]\.?[Mm]", text) and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def till_stamp(fields: dict[str, Field]) -> str | None:
    """'2020-04-23 09:59' when the receipt's date was printed with a time of day, else None."""
    day = fields.get("date")
    clock = re.match(re.escape(STAMP) + r"(\d\d:\d\d)", day.detail) if day is not None else None
    if clock is None or not isinstance(day.value, date):
        return None
    return f"{day.value.isoformat()} {clock[1]}"


def _loose_date(doc: Document, conv: Conventions) -> Field | None:
    """No date read cleanly: one written loosely on a line that names a date or stamps a time."""
    smudged = None
    for page in doc.pages:
        for line in page.lines:
            text, stutter = _stutter_dropped(line.text)
            if not (_TIME.search(text) or re.search(r"dat|date|datum", fold(text))):
                continue
            if smudged is None:
                smudged = (_smudged_date(text, conv.day_first), page, line)
                smudged = smudged if smudged[0] is not None else None
            for m in _LOOSE_DATE.finditer(text):
                if _smudge_before(text, m.start()):
                    continue
                first, second = (m[1], m[2]) if conv.day_first is not False else (m[2], m[1])
                value, certainty = _worn_date(first, second, int(m[3]) + (2000 if len(m[3]) == 2 else 0))
                words = [w for seg in line.segments for w in seg.words if any(ch.isdigit() for ch in w.text)]
                clock = _TIME.search(text.replace(m[0], " "))
                stamp = Field(value, _conf(words) * 0.7 * certainty, "layout", page.number, m[0],
                              detail=f"{STAMP}{_clock(clock[0])}" if clock else "")
                # a digit the page's prints say is worn (38.05.2026 from a worn 08): its stroke,
                # read at the paper's own level, says which date, not the calendar's only guess
                worn = _worn_in(words, m[0])
                faint = _worn_stamp_faint(doc, stamp, worn[0], worn[1], conv) if worn else None
                if faint is not None and faint.value is not None:
                    return faint
                if value is None:
                    continue
                value, certainty = _worn_year(value, certainty)
                if stutter is not None and m.start() <= stutter < m.end():
                    certainty = min(certainty, _STUTTER_DROPPED)
                return replace(stamp, value=value, confidence=_conf(words) * 0.7 * certainty)
    if smudged is not None:
        # no date legible anywhere: the stamp's smudged digit settled by the calendar alone, for a
        # person to confirm (a worn 0 of a month read as a bracket: 14 is no month, so 04)
        (value, text), page, line = smudged
        words = [w for seg in line.segments for w in seg.words if any(ch.isdigit() for ch in w.text)]
        clock = _TIME.search(line.text.replace(text, " "))
        return Field(value, min(_conf(words) * 0.5, 0.5), "layout", page.number, text,
                     detail="; ".join(filter(None, [f"{STAMP}{_clock(clock[0])}" if clock else "",
                                                    f"one digit of {text} smudged: the only date it can be"])))
    return None


def _worn_in(words: list[Word], text: str) -> tuple[list[Word], tuple[int, ...]] | None:
    """The word that prints ``text`` and the positions in ``text`` of its worn digits
    (``vision.worn``); None when no word holds it or none of its digits is worn."""
    for word in words:
        at = word.text.find(text)
        worn = tuple(k - at for k in word.worn if 0 <= at <= k < at + len(text))
        if worn:
            return [word], worn
    return None


def _smudge_before(text: str, start: int) -> bool:
    """Does a date read from ``start`` begin with a one-digit day (or month) glued to a mark
    (``(5.04.26``, ``v8.08.2026``)? Tills print the day with two digits: the mark is what is left
    of its first one, and the day may be 05, 15 or 25 (``_smudged_date`` says when only one fits)."""
    return (0 < start < len(text) - 1 and not text[start - 1].isspace() and text[start - 1] not in ":;=#"
            and text[start].isdigit() and not text[start + 1].isdigit())


#: a till's date stamp with one digit of its day or month worn into a bracket, a letter or a mark
#: (``06.(4.26``, ``22.)8.26``): fixed pitch keeps day and month two characters wide
_SMUDGED_DATE = re.compile(r"(?<![\w.,/-])([^\s\d.,/-]\d|\d[^\s\d.,/-]|\d\d)[.,/-]([^\s\d.,/-]\d|\d[^\s\d.,/-]|\d\d)"
                           r"[.,/-](\d{4}|\d{2}" + NO_WORN_YEAR_DIGIT + r")(?!\d)")


def _smudged_date(text: str, day_first: bool | None) -> tuple[date, str] | None:
    """The one date a stamp with one smudged digit can be (``06.(4.26``: a month is 04 or 14, and
    only 04 is one; ``0y.05.26``: the y is what is left of a 9), and the text it was read from;
    None when the smudge leaves a choice (``(5.04.26``: 05, 15 or 25) or no date at all."""
    for m in _SMUDGED_DATE.finditer(text):
        first, second, year = m[1], m[2], int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        smudged = [i for i, ch in enumerate(first + second) if not ch.isdigit()]
        if len(smudged) != 1 or (first + second).isdigit():
            continue
        found: dict[str, date] = {}
        for digit in "0123456789":
            both = first + second
            both = both[:smudged[0]] + digit + both[smudged[0] + 1:]
            a, b = int(both[:2]), int(both[2:])
            day, month = (a, b) if day_first is not False else (b, a)
            try:
                found[digit] = date(year, month, day)
            except ValueError:
                continue
        if len(set(found.values())) == 1:
            return next(iter(found.values())), m[0]
        # several digits fit the calendar: a letter the smudge left is the digit it looks like
        # (a worn 9 read as y, a 0 as o), when that one fits
        mark = (first + second)[smudged[0]]
        digit = mark.translate(_DIGIT_FOR_LETTER) if mark not in "yq" else "9"
        if digit in found:
            return found[digit], m[0]
    return None


def _worn_year(value: date, certainty: float) -> tuple[date, float]:
    """A year no till prints (2615, 1916 on a receipt) read from its one look-alike digit that
    gives a year from 1990 to next year, at half the certainty; unchanged when none or several do."""
    latest = date.today().year + 1
    if 1990 <= value.year <= latest:
        return value, certainty
    text = str(value.year)
    found = set()
    for i, ch in enumerate(text):
        for other in _LOOK_ALIKE.get(ch, ""):
            year = int(text[:i] + other + text[i + 1:])
            if 1990 <= year <= latest:
                try:
                    found.add(value.replace(year=year))
                except ValueError:  # 29 February
                    continue
    return (found.pop(), certainty * 0.5) if len(found) == 1 else (value, certainty)


#: digits worn thermal print turns into others (a faded 0 reads as 6 or 8, a 1 as 7)
_LOOK_ALIKE = {"0": "68", "6": "085", "8": "036", "3": "8", "5": "6", "1": "7", "7": "1", "9": "0"}


def _worn_date(day: str, month: str, year: int) -> tuple[date | None, float]:
    """The date, or, when the day or month cannot be (``68.10.16``), the one date a single
    look-alike digit makes of it, at half the certainty; (None, 0) when none or several do."""
    try:
        return date(year, int(month), int(day)), 1.0
    except ValueError:
        pass
    found = set()
    for text, is_day in ((day, True), (month, False)):
        for i, ch in enumerate(text):
            for other in _LOOK_ALIKE.get(ch, ""):
                fixed = text[:i] + other + text[i + 1:]
                try:
                    found.add(date(year, int(month), int(fixed)) if is_day else date(year, int(fixed), int(day)))
                except ValueError:
                    continue
    return (found.pop(), 0.5) if len(found) == 1 else (None, 0.0)


#: letters a digit of a date is read as in dot-matrix and worn print (i7-d2-2019, 24-JUL-is)
_DIGIT_FOR_LETTER = str.maketrans({"i": "1", "I": "1", "l": "1", "|": "1", "j": "1", "!": "1", "o": "0", "O": "0",
                                   "d": "0", "D": "0", "Q": "0", "s": "5", "S": "5", "z": "2", "Z": "2", "B": "8",
                                   "g": "9", "b": "6", "G": "6", "&": "8"})
#: a word that is the date label, or it but for one look-alike letter (Bate, Dete), or its first
#: letter worn off the ribbon's edge (ate, atum)
_DATE_LABELS = ("date", "datum", "tarikh", "dated")
#: readings that must give the same date (and none as many another) for it to be offered
_DATE_READINGS_AGREEING = 2


def _date_label_word(word: str) -> bool:
    # a label of the date and the time in one word ('Date/Time', 'Tarikh/Masa', 'Datum/Zeit'): its date half
    core = re.sub(r"[\W\d_]+", "", fold(word.split("/")[0] if re.fullmatch(r"[^\W\d_]+/[^\W\d_]+:?", word) else word))
    return core in _DATE_LABELS or any(_letters_look_alike(core, label) or core == label[1:]
                                       for label in _DATE_LABELS if len(label) >= 4)


def _dates_read_in(text: str, conv: Conventions) -> set[date]:
    """The dates ``text`` gives, read as printed, and with the look-alike letters of its number
    groups read as the digits they stand for (a month name, three letters or more, stays); a
    year no till prints read from its one look-alike digit, a day or month that cannot be
    (68/04/15) from the one look-alike digit that makes it one."""
    found = set()
    # a slash read as an s between a date's groups ('14s06s2016') is not the 5 it would stand for
    slashed = _SLASH_AS_S.sub(r"\1/\2/\3", text)
    numbers = re.sub(r"[^\W_]+", lambda m: m[0] if re.search(r"[^\W\d_]{3}", m[0]) else
                     m[0].translate(_DIGIT_FOR_LETTER), slashed)
    for variant in dict.fromkeys((text, numbers, _YEAR_AT_END.sub(_year_look_alike, numbers))):
        mended = _mend_month_names(variant, conv.months, conv.own_months)
        worn = []
        for m in _LOOSE_DATE.finditer(mended):
            first, second = (m[1], m[2]) if conv.day_first is not False else (m[2], m[1])
            worn.append(_worn_date(first, second, int(m[3]) + (2000 if len(m[3]) == 2 else 0))[0])
        for value in [*(v for v, _, _, _ in find_dates(mended, conv.day_first, conv.months)), *filter(None, worn)]:
            value, _ = _worn_year(value, 1.0)
            if 1990 <= value.year <= date.today().year + 1:
                found.add(value)
    return found


#: a date whose slashes OCR read as s, each between two digits ('14s06s2016', '3s05s17')
_SLASH_AS_S = re.compile(r"(?<![\w./-])(\d{1,2})[sS](\d{1,2})[sS](\d{4}|\d{2})(?![\w./-])")
#: a four-digit year ending a date
_YEAR_AT_END = re.compile(r"(?<=[./\s-])(\d{4})(?!\d)")


def _year_look_alike(m: re.Match) -> str:
    """A year no till prints (2819) as the one year from 1990 to next year its look-alike digit
    gives (2019); unchanged when none or several do."""
    text = m[1]
    if 1990 <= int(text) <= date.today().year + 1:
        return text
    found = {text[:i] + other + text[i + 1:] for i, ch in enumerate(text) for other in _LOOK_ALIKE.get(ch, "")
             if 1990 <= int(text[:i] + other + text[i + 1:]) <= date.today().year + 1}
    return found.pop() if len(found) == 1 else text


#: a day and month printed with a time of day and no year: a card slip's authorisation stamp
#: ('AS-Zeit 04.04. 13:43 Uhr'); never the end of a date with its year (the year stands between)
_DAY_MONTH_AT_TIME = re.compile(r"(?<![\d.,])(\d{1,2}) ?[.,] ?(\d{1,2}) ?[.,]?\s+(?=(?:[01]?\d|2[0-3]):[0-5]\d(?!\d))")
#: a four-digit year where a receipt prints one: closing a date whose day and month wore away
#: ('Datum: 04. 2020', 'Od. 2020'), or before the time in a row of date, time and receipt number
_YEAR_PRINTED = re.compile(r"(?:(?<=[.,/-])|(?<=[.,/-] ))((?:19|20)\d\d)(?!\d)|(?<![\d.,/-])((?:19|20)\d\d)(?=\s+(?:[01]?\d|2[0-3]):[0-5]\d)")
#: a date put together from a stamp's day and month and a year printed apart: a person confirms it
_PIECED_DATE = 0.45


def _day_and_month_stamped(doc: Document, conv: Conventions) -> Field | None:
    """No date legible, but a stamp prints the day and month with a time (a card slip's
    authorisation time) and the receipt prints one year where dates end or stand before a time,
    the rest of those dates worn or misread: that day of that year, offered below half
    confidence, since no print shows the three together. None when the years printed differ,
    or the stamps' days do, or the day is no date of that year or is to come."""
    days, years, stamp = set(), set(), None
    for page in doc.pages:
        for line in page.lines:
            text = line.text
            for m in _DAY_MONTH_AT_TIME.finditer(text):
                first, second = int(m[1]), int(m[2])
                days.add((first, second) if conv.day_first is not False else (second, first))
                clock = _TIME.search(text, m.end())
                stamp = stamp or (page.number, m[0].strip(), clock[0],
                                  [w for seg in line.segments for w in seg.words if any(ch.isdigit() for ch in w.text)])
            years.update(int(m[1] or m[2]) for m in _YEAR_PRINTED.finditer(text))
    years = {y for y in years if 1990 <= y <= date.today().year}
    if len(days) != 1 or len(years) != 1 or stamp is None:
        return None
    (day, month), year = days.pop(), years.pop()
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    if value > date.today():
        return None
    page_number, text, clock, words = stamp
    return Field(value, min(_conf(words), _PIECED_DATE), "layout", page_number, text, detail=(
        f"{STAMP}{_clock(clock)}; the stamp prints {text} without its year, and the receipt prints "
        f"{year} where its dates wore away: a person confirms {value:%d.%m.%Y}"))


def _date_read_again(doc: Document, conv: Conventions) -> Field | None:
    """No date legible, but a line names one (``Date: i7-d2-2819``, ``Date: 24-JUL- is``: dot-matrix
    digits read as letters) or stamps a time after a date with a smudged digit (``1/.09.26 07:38``,
    ``06.0: .2026 18:21``: a worn thermal stamp): what follows the label, or what the stamp
    prints before its time, is read again from the page's image, at other scales and thresholds
    (``vision.reread.readings``), a stamp at its own contrast too. A date that two readings give,
    letters read as the digits they look like, and no other date as many, is offered at half
    confidence: a person confirms it. A stamp's date must also be what the first reading left
    legible but for one digit. None without a kept page image (``read_document(keep_images=True)``)."""
    from vision.reread import FAINT_DEPTHS, readings

    for page in doc.pages:
        if page.image is None:
            continue
        labelled, stamps, clocks = [], [], []  # a stamp's words before its time, and the time
        for line in page.lines:
            words = [w for seg in line.segments for w in seg.words]
            at = next((i for i, w in enumerate(words) if _date_label_word(w.text)), None)
            if at is not None:
                after = [w for w in words[at + 1:] if re.search(r"\w", w.text)][:3]
                # up to the next label (Time:, Cashier:) or the end of the line
                after = after[:next((i for i, w in enumerate(after) if i and w.text.endswith(":")), len(after))]
                if after and any(re.search(r"\d", w.text) for w in after):
                    labelled.append(after)
                continue
            clock = next((i for i, w in enumerate(words) if _TIME.fullmatch(w.text)), None)
            before = words[max(clock - 3, 0):clock] if clock else []
            if sum(ch.isdigit() for w in before for ch in w.text) >= _LEGIBLE_DIGITS and re.search(
                    r"\d[.,/-]|[.,/-]\d", " ".join(w.text for w in before)):
                stamps.append(before)
                clocks.append(words[clock].text)
        for found, faded in ((labelled[:3], False), (stamps[:3], True)):
            if not found:
                continue
            boxes = [box_of(ws) for ws in found]
            for n, (ws, again) in enumerate(zip(found, readings(page.image, boxes, faded=faded, faint=faded))):
                text = " ".join(w.text for w in ws)
                faint = again[-len(FAINT_DEPTHS):] if faded and again else []
                again = again[:len(again) - len(faint)]
                # a stamp's worn stroke read at the paper's own level, where it is still a ghost,
                # settles its digit: the readings above see only what is left of it (a 9 whose
                # left half is worn reads as 3 at every scale and threshold)
                value = _faint_settles(faint, conv, lambda v: _one_digit_from(text, v, conv.day_first))
                told = ""
                if faded:
                    # the readings split between dates alike but for the worn digit: its ghost,
                    # against the receipt's own prints of each, says which
                    split = {v for v in _faint_dates([*again, *faint], conv) if _one_digit_from(text, v, conv.day_first)}
                    by_prints = _worn_digit_by_prints(page, ws, text, split, conv) if len(split) > 1 else None
                    if by_prints is not None:
                        value, told = by_prints[0], f"; {by_prints[1]}"
                if value is not None:
                    return Field(value, 0.5, "layout", page.number, text, detail=(
                        f"{STAMP}{_clock(clocks[n])}; till receipt: the date stamp reads {text!r}; read again at the "
                        f"paper's own level: {' / '.join(repr(t) for t in faint)}{told}: a person confirms {value:%d.%m.%Y}"))
                votes: dict[date, int] = {}
                for reading in [*again, text]:
                    if faded:
                        # a till stamps day and month with two digits each: a reading of one
                        # ('2.04.26' for a worn 28.04.26) lost the worn digit, it did not read it
                        whole = _STAMPED_DATE.search(re.sub(r"\s+", "", reading))
                        reading = whole[0] if whole else ""
                    for value in _dates_read_in(reading, conv):
                        if not faded or _one_digit_from(text, value, conv.day_first):
                            votes[value] = votes.get(value, 0) + 1
                ranked = sorted(votes.items(), key=lambda kv: -kv[1])
                if not ranked or ranked[0][1] < _DATE_READINGS_AGREEING or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
                    continue
                value = ranked[0][0]
                said = (f"till receipt: the date {'stamp' if faded else 'line'} reads {text!r}; read again: "
                        f"{' / '.join(repr(t) for t in again)}: a person confirms {value:%d.%m.%Y}")
                return Field(value, 0.5, "layout", page.number, text,
                             detail=f"{STAMP}{_clock(clocks[n])}; {said}" if faded else said)
    return None


#: a smudged stamp read again holds at least this many digits the first reading made out
_LEGIBLE_DIGITS = 4
#: a till's numeric date stamp: day and month of two digits
_STAMPED_DATE = re.compile(r"(?<!\d)\d\d[.,/-]\d\d[.,/-](?:\d{4}|\d{2})(?!\d)")


def _one_digit_from(text: str, value: date, day_first: bool | None) -> bool:
    """Is ``value`` what the digits of ``text`` (a stamp with a smudged digit: ``2¢ .04.26``,
    ``1/.09.26``) say but for one digit read as a mark, lost, or read as another digit? A
    reading of the stamp's ink must not bring in another date."""
    legible = re.sub(r"\D", "", text)
    year = max(re.findall(r"\d+", text), key=len, default="")
    short = len(year) < 3 and not re.search(r"(?:19|20)\d\d", text)
    day, month = (value.day, value.month) if day_first is not False else (value.month, value.day)
    printed = f"{day:02d}{month:02d}{value.year % 100 if short else value.year:0{2 if short else 4}d}"
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(legible, printed) <= 1


def confirm_shop(doc: Document, issuer: Field) -> Field:
    """The issuer found on a till receipt, more confident when it is the shop's name the till
    printed first (every till starts with it; a logo above it reads as noise and is passed
    over), read cleanly. A name found further down (the address, the owner, a word of the
    tax table such as 'Netto') or one the letterhead contests keeps its doubt."""
    wanted = re.sub(r"[\W_]+", "", fold(str(issuer.value)))
    if len(wanted) < 3 or not doc.pages or "contested" in issuer.detail:
        return issuer
    otherwise = _name_spelled_otherwise(doc, str(issuer.value))
    if otherwise:
        return replace(issuer, confidence=min(issuer.confidence, _SPELLED_OTHERWISE), detail="; ".join(filter(None, [
            issuer.detail, f"the receipt also prints {otherwise[1]!r} where the name reads {otherwise[0]!r}: "
                           "one of the two is misread, a person confirms the shop"])))
    for line in doc.pages[0].lines:
        words = [w for seg in line.segments for w in seg.words]
        if sum(ch.isalpha() for ch in line.text) < 3 or _conf(words) < 0.8:
            continue  # a logo, a rule of dashes, a stain
        if wanted not in re.sub(r"[\W_]+", "", fold(line.text)):
            return issuer
        return replace(issuer, confidence=max(issuer.confidence, min(_conf(words), 0.9)),
                       detail="; ".join(filter(None, [issuer.detail, "the shop's name the till printed first"])))
    return issuer


#: the confidence of a shop's name whose word the receipt prints elsewhere with a look-alike letter
_SPELLED_OTHERWISE = 0.6
#: the shortest word of a shop's name compared with the rest of the receipt: shorter words
#: (CO, AG, THE) are too near to other words
_SHORTEST_NAME_WORD = 4


def _name_spelled_otherwise(doc: Document, name: str) -> tuple[str, str] | None:
    """(the name's word, the same word printed elsewhere on the receipt) when the two differ by
    one letter the print and the OCR turn into each other (``_LOOK_ALIKE_LETTERS``: 'TKEA' at
    the top, 'IKEA' on the card slip): two readings of one name that disagree, one of them
    misread. A legal form (GmbH, Sdn Bhd) is no name of its own; a page's text layer is read
    exactly."""
    from vision.issuer import LEGAL_FORM

    own = [w for w in re.findall(r"[^\W\d_]+", name) if len(w) >= _SHORTEST_NAME_WORD and not LEGAL_FORM.fullmatch(w)]
    for page in doc.pages:
        if page.source != "ocr":
            continue  # a text layer is no misreading: 'PRINT & POST' above a 'Paint brush set' are two words
        for word in re.findall(r"[^\W\d_]+", page.text):
            for mine in own:
                # a misread letter keeps the word's case (TKEA, IKEA); 'Paint' under 'PRINT' is another word
                if len(mine) != len(word) or mine.isupper() != word.isupper() or mine == word:
                    continue
                changed = [(a, b) for a, b in zip(mine.upper(), word.upper()) if a != b]
                if len(changed) == 1 and changed[0][1] in _LOOK_ALIKE_LETTERS.get(changed[0][0], ()):
                    return mine, word
    return None


#: another country's dollar named on a receipt by its ISO code (SGD, AUD …), in capitals as printed
#: (any three-letter word ending in D, 'THE RED LION PUB', is none; nor is a mark OCR made of a tax
#: code, 'SR' read 'S$')
_OTHER_DOLLAR_NAMED = re.compile(r"(?<![A-Za-z])(" + "|".join(sorted(OTHER_DOLLARS)) + r")(?![A-Za-z])")


#: a dollar sign before an amount with cents, as a till prints its prices in dollars
_DOLLAR_AMOUNT = re.compile(r"\$\s?\d{1,6}[.,]\d{2}(?!\d)")
#: a receipt naming the US dollar (USD, US$): its month-first dates are the till's own habit
_NAMES_US_DOLLAR = re.compile(r"\bUSD\b|\bUS\s?\$", re.I)


def doubt_bare_dollar(doc: Document, currency: Field) -> Field:
    """A till receipt whose only currency mark is a bare $ (the sign of the US, Singapore,
    Australian, Canadian, Hong Kong … dollar, and of the peso): the currency stays a guess,
    below what may be booked, unless the receipt names the US dollar (USD, US$). One other dollar
    named (SGD) is offered instead, still for a person: its $ counted for the US dollar."""
    if currency.value != "USD" or _NAMES_US_DOLLAR.search(doc.text):
        return currency
    others = {m[1] for m in _OTHER_DOLLAR_NAMED.finditer(doc.text)}
    if len(others) == 1:
        (code,) = others
        return replace(currency, value=code, confidence=min(currency.confidence, 0.5), detail="; ".join(filter(None, [
            currency.detail, f"a bare $ on a till receipt that names {code}: that dollar, for a person to confirm"])))
    return replace(currency, confidence=min(currency.confidence, 0.5),
                   detail="; ".join(filter(None, [currency.detail, "a bare $ on a till receipt: which dollar?"])))


#: letters (and digits) that worn thermal, dot-matrix and blurred photographed print turn into one
#: another: a round letter for another round one (TUTAL), N, R and H (CRANGE, ROURBING), B and D
_LETTER_PAIRS = ("OU", "OA", "AM", "OD", "OQ", "OC", "O0", "OG", "UD", "UV", "DB", "D0", "B8", "BR", "BE", "RN", "RH", "RP", "RA",
                 "NH", "NM", "HM", "IL", "I1", "L1", "IT", "T1", "TY", "IJ", "S5", "S9", "S$", "A4", "A&", "EF",
                 "EC", "CG", "G6", "G0", "Z2", "KX", "KR", "PF", "Q0", "U0", "WV", "MW")
_LOOK_ALIKE_LETTERS = {a: set() for pair in _LETTER_PAIRS for a in pair}
for _a, _b in _LETTER_PAIRS:
    _LOOK_ALIKE_LETTERS[_a].add(_b)
    _LOOK_ALIKE_LETTERS[_b].add(_a)
_LETTERS = {ch for ch in _LOOK_ALIKE_LETTERS if ch.isalpha()}
#: the receipt's label lexicons (totals, payments, rounding, net and tax), whose words are mended
_LABEL_FIELDS = (_TOTAL, _NOT_TOTAL, "rounding") + _SHADOWS
#: a word is mended into a label word of this many letters or more, with at most one look-alike
#: letter changed (two from ``_TWO_CHANGES`` letters): shorter words (CASH, DUE, NETT) are too
#: near to other words to tell a misread from a different word
_SHORTEST_MENDED = 5
_TWO_CHANGES = 7
_WORD_CORE = re.compile(r"^([^\w$&|]*)([\w$&|]+?)([^\w$&|]*)$")


@lru_cache(maxsize=8)
def _label_words(lex: Lexicons) -> tuple[dict[int, list[str]], set[str]]:
    """(the receipt labels' words by length, upper case; every word of every label of every
    field, folded), the first to mend into, the second never mended (it is a word already)."""
    wanted: dict[int, set[str]] = {}
    known: set[str] = set()
    for language in lex.by_code.values():
        for name, entries in language.labels.items():
            for _, label in entries:
                if label.startswith("re:"):
                    continue
                for word in re.findall(r"[^\W\d_]+", fold(label)):
                    known.add(word)
                    if name in _LABEL_FIELDS and len(word) >= _SHORTEST_MENDED and word.isascii():
                        wanted.setdefault(len(word), set()).add(word.upper())
    return {n: sorted(words) for n, words in wanted.items()}, known


def _mended_word(word: str, wanted: dict[int, list[str]], known: set[str]) -> str | None:
    """The label word ``word`` is a misreading of, but for look-alike letters (``TUTAL`` TOTAL,
    ``ROURBING`` ROUNDING), in ``word``'s case; None when it is no such misreading or could be
    one of two label words."""
    m = _WORD_CORE.match(word)
    if m is None:
        return None
    lead, core, tail = m.groups()
    upper = core.upper()
    if len(core) < _SHORTEST_MENDED or sum(ch.isalpha() for ch in core) < len(core) - 1 or fold(core) in known:
        return None
    most = 2 if len(core) >= _TWO_CHANGES else 1
    found = set()
    for candidate in wanted.get(len(core), ()):
        differ = [(a, b) for a, b in zip(upper, candidate) if a != b]
        if 0 < len(differ) <= most and all(b in _LOOK_ALIKE_LETTERS.get(a, ()) for a, b in differ):
            found.add(candidate)
    if len(found) != 1:
        return None
    mended = found.pop()
    if not core.isupper():
        mended = mended.capitalize() if core[:1].isupper() else mended.lower()
    return lead + mended + tail


#: label words are mended among the first words of a line only (labels start the line)
_LABEL_WORDS_AT_MOST = 3


@lru_cache(maxsize=32)
def _label_phrases(lex: Lexicons, language: str | None, fields: tuple[str, ...] = _LABEL_FIELDS) -> list[tuple[str, str]]:
    """(label, field) of every plain label of ``fields`` of two words or more (the receipt's:
    NET TOTAL, AMOUNT PAYABLE, ROUNDING ADJ) in the document's language and English, folded."""
    out = []
    for code in {language, "en"} & set(lex.by_code):
        for name, entries in lex.by_code[code].labels.items():
            if name in fields:
                out += [(fold(label).strip(), name) for _, label in entries
                        if not label.startswith("re:") and " " in label.strip() and label.isascii()]
    return sorted(set(out))


def _letters_read_as_digits(core: str) -> bool:
    """Is ``core`` a word with a letter or two OCR read as their look-alike digits (``6ST`` for
    GST, ``T0TAL``): letters mostly, and every digit one a letter is mistaken for? A number
    (``200701``, ``S2610``) is not."""
    digits = [ch for ch in core if ch.isdigit()]
    return (0 < len(digits) < sum(ch.isalpha() for ch in core)
            and all(_LOOK_ALIKE_LETTERS.get(ch, set()) & _LETTERS for ch in digits))


@lru_cache(maxsize=32)
def _phrases_of(lex: Lexicons, language: str | None, fields: tuple[str, ...]) -> dict[int, list[tuple[str, str, int]]]:
    """``_label_phrases`` by their number of words, each with its ``_phrase_errors``."""
    by_words: dict[int, list[tuple[str, str, int]]] = {}
    for label, name in _label_phrases(lex, language, fields):
        by_words.setdefault(label.count(" ") + 1, []).append((label, name, _phrase_errors(label)))
    return by_words


def _phrase_errors(label: str) -> int:
    """How many letters of a label phrase may be misread and the phrase still be told from every
    other: none in a phrase of up to five characters, one more for every three beyond (NET TOTAL
    read as 'Het Tatal' or 'Wet Tocal': two; AMOUNT PAYABLE as 'ARQUNT PAYABLE': three)."""
    return max(0, (len(label) - 3) // 3)


def _mended_phrase(words: list[Word], lex: Lexicons, language: str | None,
                   fields: tuple[str, ...] = _LABEL_FIELDS) -> dict[int, Word]:
    """The words of a line's label misread beyond look-alike letters (worn dot-matrix print:
    'Het Tatal', 'Wet Tocal' for NET TOTAL) spelled as the one receipt label phrase of as many
    words they are within ``_phrase_errors`` of; {} when none is, or two labels are as
    near. Only the words before the line's first amount or mark are the label."""
    from rapidfuzz.distance import Levenshtein

    lead = []
    for word in words[:_LABEL_WORDS_AT_MOST + 1]:
        m = _WORD_CORE.match(word.text)
        if m is None or not (m[2].isalpha() or _letters_read_as_digits(m[2])):
            break
        lead.append((word, m))
        if m[3]:
            break  # a colon or bracket after the word ends the label
    for count in range(len(lead), 1, -1):
        read = " ".join(fold(m[2]) for _, m in lead[:count])
        # each line's label words against every phrase of as many words: the edit count stops at
        # what the phrase allows (over it, the phrase is out whatever the count)
        scored = [(errors, label, name) for label, name, most in _phrases_of(lex, language, fields).get(count, ())
                  if (errors := Levenshtein.distance(read, label, score_cutoff=most)) <= most]
        if not scored:
            continue
        nearest = min(item[0] for item in scored)
        best = [item for item in scored if item[0] == nearest]
        if len({label for _, label, _ in best}) != 1:
            return {}  # two labels as near (one label of two fields, NET TOTAL, is lex.match's to settle)
        out = {}
        known = _label_words(lex)[1]
        for (word, m), spelled in zip(lead, best[0][1].split(" ")):
            core = m[2]
            if spelled.casefold() == core.casefold():
                continue
            if fold(core) in known or core.upper() in ISO_CURRENCIES or len(core) < 3:
                return {}  # a word of its own ('TOTAL USD' is no TOTAL DUE), or too short to tell
            if _nearer_word(fold(core), fold(spelled), known):
                # worn further towards another label word than towards the phrase's ('Total ilacl
                # GST)': incl, two letters off, where the net's 'excl' is three): that word was printed
                return {}
            spelled = spelled.upper() if core.isupper() else spelled.capitalize() if core[:1].isupper() else spelled
            out[id(word)] = replace(word, text=m[1] + spelled + m[3])
        return out
    return {}


def _nearer_word(read: str, spelled: str, known: set[str]) -> bool:
    """Is some word of ``known`` fewer edits from ``read`` than ``spelled`` is?"""
    from rapidfuzz.distance import Levenshtein

    edits = Levenshtein.distance(read, spelled)
    return any(Levenshtein.distance(read, word, score_cutoff=edits - 1) < edits for word in known)


def _euro_sign_for_e(word: str) -> str | None:
    """``word`` with the E that starts it read as the euro sign (``€lec.-cash``, ``€C-Karte``: the
    sign is an E with a second bar, and a photographed or bold E gains one) spelled as an E; None
    when it starts with no sign glued to letters. Kept only where the line then reads a label."""
    return "E" + word[1:] if word[:1] == "€" and word[1:2].isalpha() else None


def _mend_labels(doc: Document, lex: Lexicons, conv: Conventions) -> Document:
    """``doc`` with each payment-line label misread by a letter or two (``TUTAL ROUNDED 122.85``,
    ``ROURBING ADJ -0.02``, ``CRANGE 77.15``) spelled as printed: worn thermal, dot-matrix and
    photographed print turn letters into look-alikes, and a total line whose label is not found
    loses the amount paid to a line above it (the total before rounding). A word is mended only
    among the first words of a line that carries an amount, when exactly one label word is that
    word but for its look-alike letters and the line then starts with a receipt label; nothing
    moves, so each word keeps its box and confidence."""
    wanted, known = _label_words(lex)
    pages = []
    changed = False
    for page in doc.pages:
        mended_words: dict[int, Word] = {}
        for line in page.lines:
            words = [w for seg in line.segments for w in seg.words]
            if not find_amounts(line.text):
                continue
            fixed = {}
            for word in words[:_LABEL_WORDS_AT_MOST]:
                if any(ch.isdigit() for ch in word.text) and sum(ch.isalpha() for ch in word.text) < 2:
                    break  # the amounts begin: the label is before them
                mended = _mended_word(word.text, wanted, known) or _euro_sign_for_e(word.text)
                if mended is not None:
                    fixed[id(word)] = replace(word, text=mended)
            text = " ".join(fixed.get(id(w), w).text for w in words)
            if not fixed or lex.match(fold(_EDGE_JUNK.sub("", text)), _LABEL_FIELDS, prefer=conv.language) is None:
                # no word a look-alike or two from a label's: the label phrase misread further ('Het
                # Tatal'), taken only where it reads longer than any label as read ('Net Tetal' is
                # no NET with something after it)
                as_read = lex.match(fold(_EDGE_JUNK.sub("", line.text)), _LABEL_FIELDS, prefer=conv.language)
                fixed = _mended_phrase(words, lex, conv.language)
                text = " ".join(fixed.get(id(w), w).text for w in words)
                mended = lex.match(fold(_EDGE_JUNK.sub("", text)), _LABEL_FIELDS, prefer=conv.language) if fixed else None
                if mended is None or (as_read is not None and as_read.end >= mended.end):
                    continue
            mended_words.update(fixed)
        if mended_words:
            changed = True
            page = replace(page, words=[mended_words.get(id(w), w) for w in page.words], _lines=None)
        pages.append(page)
    return replace(doc, pages=pages) if changed else doc


def receipt_labels_mended(doc: Document, lex: Lexicons, conv: Conventions) -> Document:
    """``doc`` with its payment lines' labels spelled as printed (``_mend_labels``) when it is a
    till receipt; else ``doc``."""
    return _mend_labels(doc, lex, conv) if doc.pages and is_receipt(doc, lex, conv) else doc


def read_receipt(doc: Document, lex: Lexicons, conv: Conventions) -> dict[str, Field]:
    """The amount paid (``amount``) and purchase date (``date``) of a till receipt; {} when
    ``doc`` is not one."""
    if not doc.pages or not is_receipt(doc, lex, conv):
        return {}
    doc = _mend_labels(doc, lex, conv)
    fields: dict[str, Field] = {}
    total = _total(doc, lex, conv)
    if total is not None:
        fields["amount"] = total
        summary = _tax_summary_gross(doc, conv)
        if summary is not None and summary[0] == total.value:
            # net and tax from the till's tax summary, which adds up to the amount paid: they replace
            # a subtotal or tax the invoice labels took from an item line, a net column or a deposit
            gross, lines, tax = summary
            text = "; ".join(doc.lines[n].text for n in lines)
            fields["vat"] = Field(tax, total.confidence, "layout", total.page, text, detail="till receipt: tax summary")
            fields["amount_untaxed"] = Field(gross - tax, total.confidence, "layout", total.page, text,
                                             detail="till receipt: tax summary, amount paid less its tax")
    if (conv.day_first is False and conv.date_certainty < 1.0 and not _DOLLAR_AMOUNT.search(doc.text)
            and not _NAMES_US_DOLLAR.search(doc.text)):
        # the month-first order came from a $ the page seemed to print, but the till printed no
        # dollar amount: that $ was a misread S or 8 in a code ('CS$1G3520016', '$/Price'), and
        # says nothing of how the till writes its dates; the language's own order does
        conv = lex.conventions(doc.text)
    if conv.day_first is False and date_order_votes(doc.text) == (0, 1) and tax_id_currency([], doc.text) == "MYR" \
            and not _NAMES_US_DOLLAR.search(doc.text):
        # Malaysia writes its dates day first: a page whose one date can only be month first
        # ('06-23-2016' for 06-03-2016, a 0 read as 2) has a digit misread, and that misread is
        # no evidence of the till's order (vision.dotdates rejects such a reading all the same)
        conv = replace(conv, day_first=True, date_certainty=0.75)
    # the sale's date: never one a caption names another ('Next Service', 'Expiry', 'Valid till')
    dated = without_other_dates(doc, lex, conv.language)
    day = settle_date(dated, conv, _date(dated, conv, lex) or _date_read_again(dated, conv)
                      or _day_and_month_stamped(dated, conv), by_prints=True)
    if day is not None:
        fields["date"] = day
    fields["document_type"] = Field("receipt", 1.0, "layout", detail="till receipt: payment lines or a till strip")
    stamp = till_stamp(fields)
    if stamp is not None:
        # a till prints no invoice number, often no receipt number: the minute it stamped, with the
        # shop (the issuer), tells one receipt from another, for booking and for the duplicate check.
        # A printed receipt number (Bon-Nr, Beleg-Nr, Bill No) is taken before this (vision.fields).
        fields["invoice_number"] = Field(stamp, day.confidence, "derived", day.page, stamp,
                                         detail="no receipt number printed: the till's date and time stamp")
    return fields
