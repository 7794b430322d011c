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
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from vision.document import Document, Line, Word
from vision.fields import Field
from vision.lexicon import Conventions, Lexicons, fold
from vision.parsing import find_amounts, find_dates

_TOTAL, _NOT_TOTAL = "receipt_total", "receipt_not_total"
_SHADOWS = ("amount_untaxed", "vat")  # invoice labels that are never the amount paid
_TIME = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:h][0-5]\d(?::[0-5]\d)?(?:\s?[AaPp]\.?[Mm]\.?)?(?!\d)")
_SPLIT_CENTS = re.compile(r"(\d)([.,]) (\d{2})(?!\d)")
#: a date as worn print and OCR leave it: commas for dots, stray spaces ("04,04, 2020")
_LOOSE_DATE = re.compile(r"(?<!\d)(\d{1,2})\s?[.,/-]\s?(\d{1,2})\s?[.,/-]\s?(\d{4}|\d{2})(?!\d)")

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
    text = _SPLIT_CENTS.sub(r"\1\2\3 ", text)  # same length: character positions still match the words
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w.text) + 1
    folded = fold(text)
    labels: list[tuple[int, int, object]] = []  # (start, end, match)
    i = 0
    while i < len(words):
        hit = _label_at(lex, folded[starts[i]:], conv.language)
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
        out.append(_Labelled(hit.field, hit.weight, index, amounts))
    return out


def is_receipt(doc: Document, lex: Lexicons, conv: Conventions) -> bool:
    """A tall narrow strip of paper, or a line that starts with a payment word of the lexicon
    (``receipt_not_total``: CASH, CHANGE, GEGEBEN …) followed by an amount. A word merely
    containing one ("shipping", "Barcode") on an invoice does not make it a receipt."""
    page = doc.pages[0] if doc.pages else None
    if page and page.width and page.height / page.width >= 1.8:
        return True
    for line in doc.lines:
        hit = lex.match(fold(line.text), (_NOT_TOTAL,), prefer=conv.language)
        if hit is not None and find_amounts(line.text[hit.end:]):
            return True
    return False


def _conf(words: list[Word]) -> float:
    return min((w.conf for w in words), default=0.0)


def _total(doc: Document, lex: Lexicons, conv: Conventions) -> Field | None:
    labelled = [item for index, line in enumerate(doc.lines) for item in _labelled_amounts(line, index, lex, conv)]
    candidates = [(item.weight, item.line, item.amounts[-1]) for item in labelled
                  if item.field == _TOTAL and item.amounts and item.amounts[-1][0] > 0]
    if not candidates:
        return None
    # what the customer handed over and got back: the amount paid is their difference
    paid = [a[0] for item in labelled if item.field == _NOT_TOTAL for a in item.amounts[-1:]]
    checks: list[Decimal] = []
    for i, given in enumerate(paid):
        checks += [given - back for back in paid[i + 1:i + 2] if Decimal(0) <= back < given]
    values = [c[2][0] for c in candidates]

    def support(value: Decimal) -> int:
        return (sum(v == value for v in values) - 1 + sum(c == value for c in checks)
                + sum(p == value for p in paid))

    # heavier label first, then more support, then printed later (a rounded total follows the
    # total it rounds)
    weight, line, (value, words, text) = max(candidates, key=lambda c: (c[0], support(c[2][0]), c[1]))
    agreeing = 1 + support(value)
    rival = max((c for c in candidates if c[2][0] != value), key=lambda c: (c[0], support(c[2][0])), default=None)
    if rival is not None and support(rival[2][0]) > support(value) and rival[0] >= weight - 2:
        # a slightly weaker label whose amount the payment lines confirm beats an unconfirmed one
        weight, line, (value, words, text) = rival
        agreeing = 1 + support(value)
    confidence = _conf(words) * (0.75 + 0.025 * weight) * (1.0 if agreeing > 1 else 0.85)
    if agreeing > 1:
        confidence = 1 - (1 - confidence) * 0.5
    currency = next((c for v, c, _, _ in find_amounts(text, conv.decimal) if c), None)
    return Field(value, min(confidence, 1.0), "layout", words[0].page if words else None, text, agreeing=agreeing,
                 currency=currency, detail="till receipt: the amount paid")


def _date(doc: Document, conv: Conventions) -> Field | None:
    found: list[tuple[int, float, Field]] = []  # (rank, -order, field)
    order = 0
    for page in doc.pages:
        for line in page.lines:
            for seg in line.segments:
                for value, certainty, a, b in find_dates(seg.text, conv.day_first, conv.months):
                    order += 1
                    stamped = bool(_TIME.search(line.text.replace(seg.text[a:b], " ")))
                    words = seg.words_in(a, b) or seg.words
                    rank = 2 if stamped else 1 if re.search(r"dat|date|le\b|datum", fold(line.text)) else 0
                    found.append((rank, -order, Field(value, _conf(words) * certainty * (0.95 if rank else 0.8),
                                                      "layout", page.number, seg.text[a:b])))
    if not found:
        return _loose_date(doc, conv)
    return max(found, key=lambda f: (f[0], f[1]))[2]


def _loose_date(doc: Document, conv: Conventions) -> Field | None:
    """No date read cleanly: one written loosely on a line that names a date or stamps a time."""
    for page in doc.pages:
        for line in page.lines:
            text = line.text
            if not (_TIME.search(text) or re.search(r"dat|date|datum", fold(text))):
                continue
            for m in _LOOSE_DATE.finditer(text):
                a, b, y = int(m[1]), int(m[2]), int(m[3]) + (2000 if len(m[3]) == 2 else 0)
                day, month = (a, b) if conv.day_first is not False else (b, a)
                try:
                    value = date(y, month, day)
                except ValueError:
                    continue
                words = [w for seg in line.segments for w in seg.words if any(ch.isdigit() for ch in w.text)]
                return Field(value, _conf(words) * 0.7, "layout", page.number, m[0])
    return None


def read_receipt(doc: Document, lex: Lexicons, conv: Conventions) -> dict[str, Field]:
    """The amount paid (``amount``) and purchase date (``date``) of a till receipt; {} when
    ``doc`` is not one."""
    if not doc.pages or not is_receipt(doc, lex, conv):
        return {}
    fields: dict[str, Field] = {}
    total = _total(doc, lex, conv)
    if total is not None:
        fields["amount"] = total
    day = _date(doc, conv)
    if day is not None:
        fields["date"] = day
    return fields
