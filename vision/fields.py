"""Generic invoice field extraction from the layout: labels, and values right of or below them.

No vendor template is needed. The labels are data: one lexicon per language under
``config/lexicons`` (``vision.lexicon``). Each page is grouped into lines and segments
(``vision.document``); a *label* (``Invoice No.``, ``Factuurnummer``, ``Montant TTC``,
``价税合计`` …) starts a segment, or follows a word inside one, and its value is the rest of
that segment, the next segment on the same line (another column), or the segment just below
it (a value printed under its heading).

The document's language is detected from its words; it decides the numeric date order and the
decimal mark unless the document shows them (a date like 15/03, an amount like 1.234,56).

The total is chosen together with the subtotal, the tax and the line items: among the amounts
printed beside total, net and tax labels, the combination whose arithmetic holds wins over a
heavier label whose arithmetic does not. The issuer comes from ``vision.issuer`` (who issued
the document, never the buyer's block).

Every field comes out as a ``Field`` with a confidence in 0..1: the OCR confidence of the
words it was read from x how strong its label is x how certain the parse was, raised when
several places in the document agree on the same value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from itertools import product
from statistics import median

from vision.document import Document, Line, Segment, Word, box_of
from vision.lexicon import (REGION_FIELDS, RECEIPT_FIELDS, ROUNDING_FIELDS, SERVICE_FIELDS, TAX_SCOPE_FIELDS, VALUE_FIELDS,
                            Conventions, Lexicons, fold, load_lexicons)
from vision.lookalikes import BESIDE_DIGIT, DIGIT_OF, MAYBE_LETTER
from vision.parsing import (CURRENCY_SYMBOLS, ISO_CURRENCIES, PERCENT, currency_named, detect_currency,
                            exchange_rate_currencies, find_amounts, find_dates, names_tax_not_levied_in_us,
                            parse_amount, parse_invoice_number, printed_rates, tax_id_currency, yen_or_yuan)

_AMOUNT_FIELDS = ("amount", "amount_due", "amount_untaxed", "vat")
#: the most a printed rounding line ("Round off", "Arrondi", "Afronding") may bring net + tax to
#: the total by: one unit of the currency (a GST invoice rounds to the rupee, a Swiss one to 5 Rappen)
MAX_ROUNDING = Decimal(1)
#: how far printed sums may miss by the vendor's rounding (a cent)
TOLERANCE = Decimal("0.01")


@dataclass
class Field:
    value: object
    confidence: float
    source: str = "layout"  # layout | template | learned | derived | document | header | unlabeled
    page: int | None = None
    text: str = ""
    agreeing: int = field(default=1, repr=False)  # places in the document that print the same value
    currency: str | None = field(default=None, repr=False)  # the currency mark printed with an amount
    detail: str = field(default="", repr=False)  # how it was found, for a person (issuer: which sources)
    where: tuple | None = field(default=None, repr=False)  # (page, line top) it was printed at
    size: float | None = field(default=None, repr=False)  # height of the print it was read from
    #: read from the first row under a table's column heading: one item's figure, never a part
    #: to add to the totals' figures (CGST and SGST columns beside the CGST and SGST rows)
    item_cell: bool = field(default=False, repr=False)
    # an invoice number whose letters beside digits were told apart by their glyphs (vision.lookalikes)
    shapes_settled: bool = field(default=False, repr=False)
    #: (x0, y0, x1, y1) of the words it was read from, in its page's pixels: a scan's number or
    #: date is read there again before it is booked (``vision.reread.confirm_scanned``)
    box: tuple[float, float, float, float] | None = field(default=None, repr=False)
    #: an invoice number's next word, when it reads like more of the number ('FV/8667 2/2026'):
    #: on a scan the gap may be no space but a number split in two (``_doubt_lookalikes``)
    goes_on: str = field(default="", repr=False)
    #: an invoice number made of two words a scan read apart ('IBZY' '2087'): the gap may be a
    #: space the vendor printed (``_rejoined_number``, ``_doubt_lookalikes``)
    rejoined: bool = field(default=False, repr=False)

    def to_json(self) -> dict:
        value = self.value
        if isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, date):
            value = value.isoformat()
        out = {"value": value, "confidence": round(self.confidence, 3), "source": self.source,
               "page": self.page, "text": self.text}
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass
class Options:
    """Reading conventions; vendor templates set them, else the document's language does."""

    decimal: str | None = None  # "." or ","
    day_first: bool | None = None
    date_format: str | None = None
    currency: str | None = None


@dataclass
class _Hit:
    field: str
    weight: float
    segment: Segment
    end: int  # end of the label in segment.text
    line: Line
    line_index: int
    page_lines: list[Line]
    language: str = ""


@dataclass
class Extraction:
    fields: dict[str, Field] = field(default_factory=dict)
    lines: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    conventions: Conventions | None = None
    buyer_segments: set = field(default_factory=set)
    #: amounts printed under a rounding label (at most MAX_ROUNDING), used in the totals or not
    roundings: list[Field] = field(default_factory=list)
    #: a field whose label is printed with a date after it that could not be read: name -> that print
    unread: dict[str, str] = field(default_factory=dict)
    #: the last word of a strong label of that field beside which no date was read, a scrap of
    #: one or none: name -> that word (a learned template that knows the vendor's payment terms
    #: reads the ink right of it again)
    unread_label: dict[str, Word] = field(default_factory=dict)


def _conf(words: list[Word]) -> float:
    return min((w.conf for w in words), default=0.0)


def _box(words: list[Word]) -> tuple[float, float, float, float] | None:
    return box_of(words) if words else None


# ---------------------------------------------------------------------------- labels


def label_hits(doc: Document, lex: Lexicons, language: str | None) -> tuple[list[_Hit], list[_Hit]]:
    """(value hits, region hits). A label starts a segment, or follows a word inside it (then
    only labels of weight 8 and more count, one point lighter). A region label (buyer, ship-to,
    tax id, receipt words such as CHANGE or TOTAL QTY) longer than a value label shadows it."""
    values: list[_Hit] = []
    regions: list[_Hit] = []
    for page in doc.pages:
        lines = page.lines
        for index, line in enumerate(lines):
            for k, seg in enumerate(line.segments):
                folded = fold(seg.text)
                value = lex.match(folded, VALUE_FIELDS, prefer=language)
                seg, value = _label_across(seg, value, line, k, lex, language)
                folded = fold(seg.text)
                if value is None and _STRAY_CAPITAL.match(seg.text):
                    # 'FEchéance': a smudge or a ruling read as a capital glued to the label;
                    # only a specific label (weight 8 and more) after it counts, one point lighter
                    inner = lex.match(folded[1:], _STRAY_FIELDS, prefer=language)
                    if inner and inner.weight >= 8:
                        value = replace(inner, weight=inner.weight - 1, end=inner.end + 1)
                region = lex.match(folded, REGION_FIELDS + RECEIPT_FIELDS, prefer=language)
                service = lex.search(folded, SERVICE_FIELDS)
                if region and region.field in ("buyer", "ship_to") and service and service.end >= region.end:
                    region = None  # "Customer service", "Service client": the seller's desk, not the buyer
                if region:
                    regions.append(_Hit(region.field, region.weight, seg, region.end, line, index, lines, region.language))
                elif not value:
                    # a party heading inside a caption: "Details of Receiver (Billed to)"
                    party = lex.search(folded, ("buyer", "ship_to"))
                    if party and party.end >= len(folded.rstrip()) - 2 and not (service and service.end >= party.end):
                        regions.append(_Hit(party.field, party.weight, seg, len(seg.text), line, index, lines,
                                            party.language))
                if value and (_qualified(folded, value.end) or _glued(folded, value.end)):
                    value = None  # "Date de facture associée :", "Date of order:" name something else
                if value and value.field in ("amount", "amount_due") and value.weight < 8:
                    # 'Total incl. GST', 'Total € inkl. MwSt.', 'Total (GST inclusive)', 'Total ex GST': a
                    # plain total whose words say whether it counts the tax is the total or the net,
                    # never the tax that the tax word alone would label
                    value = _tax_scoped(folded, value, lex, language) or value
                if value and value.weight < 8:
                    # a weak label whose words go on into a specific one ('Due Due date 14 Nov',
                    # a word a scan read twice): the specific label names the value, one point lighter
                    inner = _specific_label_after(folded, value.end, lex, language)
                    if inner is not None:
                        value = inner
                if value and not (region and region.end > value.end):
                    bonus = 0.5 if value.language == language else 0.0
                    values.append(_Hit(value.field, value.weight + bonus, seg, value.end, line, index, lines,
                                       value.language))
                    continue
                if region and region.end >= len(folded.rstrip()) - 1:
                    continue
                # a label after other words: "Rechnung Nr. 123", "… Subtotal 573.00" in a merged text run;
                # or after a slash joining two labels of one value ('Lieferdatum/Rechnungsdatum',
                # 'Delivery/Invoice date'); never inside a region label's own words ('N° TVA intra :
                # FR 11 123 456 782' is a tax id, not a VAT amount whose label starts at 'TVA')
                after = region.end if region else 0
                for m in _LABEL_INSIDE.finditer(folded):
                    if m.start() < after:
                        continue
                    if m.start() >= len(folded) - 2:
                        break
                    inner = lex.match(folded[m.start():], VALUE_FIELDS, prefer=language)
                    if inner and inner.field == "vat" and _scope_word_before(folded, m.start(), lex):
                        break  # 'Price incl. VAT', 'Betrag inkl. MwSt.': what an amount counts, no tax amount
                    if inner and inner.weight >= 8:
                        values.append(_Hit(inner.field, inner.weight - 1, seg, m.start() + inner.end, line, index,
                                           lines, inner.language))
                        break
    return values, regions


#: where a label may start inside a text piece: after a space, or after a slash that follows a
#: word ('lieferdatum/rechnungsdatum', 'liefer-/rechnungsdatum'), never inside a date or a number
_LABEL_INSIDE = re.compile(r"(?<=\s)(?=\S)|(?:(?<=[a-z]/)|(?<=[a-z]-/))(?=[a-z])")


#: a plain total label made specific by the words that say whether it counts the tax
_TAX_SCOPED_WEIGHT = 9
#: what may stand between a total label and its tax words: a currency unit or a bracket
_SCOPE_FILLER = re.compile(r"\s*(?:[(\[]\s*)?(?:(?:[€$£¥￥₹]|(?:" + "|".join(c.lower() for c in ISO_CURRENCIES)
                           + r")(?=\s))\s*)?")


#: a word a till writes between 'Total' and what it counts ('Total Sales (Excluding GST)',
#: 'Total Amt Excl. GST'): at most ``_WORDS_BEFORE_SCOPE`` of them
_WORD_BEFORE_SCOPE = re.compile(r"\s*[^\W\d_]{2,12}\.?(?=[\s(\[])")
_WORDS_BEFORE_SCOPE = 2


def _tax_scoped(folded: str, total, lex: Lexicons, language: str | None):
    """``total`` (a plain total label at the start of ``folded``) as a total or net label when
    the words after it say whether it counts the tax ('Total incl. GST', 'Total ex GST', 'Total
    (GST inclusive)', 'Totaal € excl. btw', 'Total Sales (Excluding GST)'); None when they do not."""
    at = total.end
    words = 0
    for _ in range(2 + 2 * _WORDS_BEFORE_SCOPE):  # a currency unit, then a bracket: 'Total EUR (incl. VAT)'
        filler = _SCOPE_FILLER.match(folded, at)
        scope = lex.match(folded[filler.end():], TAX_SCOPE_FIELDS, prefer=language)
        tax = lex.match(folded[filler.end() + scope.end:], ("vat",), prefer=language) if scope else None
        if scope is None:  # the tax word first: 'Total (GST inclusive)', 'Total TVA comprise'
            tax = lex.match(folded[filler.end():], ("vat",), prefer=language)
            scope = lex.match(folded[filler.end() + tax.end:], TAX_SCOPE_FIELDS, prefer=language) if tax else None
        if scope is not None and tax is not None:
            end = filler.end() + scope.end + tax.end
            field = "amount_untaxed" if scope.field == "tax_excluded" else total.field
            return replace(total, field=field, weight=_TAX_SCOPED_WEIGHT, end=end)
        if filler.end() == at:
            word = _WORD_BEFORE_SCOPE.match(folded, at)
            if word is None or words == _WORDS_BEFORE_SCOPE:
                break
            words += 1
            at = word.end()
            continue
        at = filler.end()
    return None


def _scope_word_before(folded: str, start: int, lex: Lexicons) -> bool:
    """Is the word before ``folded[start:]`` one that says whether an amount counts the tax
    ('incl.', 'ex', 'hors'), itself after other words?"""
    head = folded[:start].rstrip()
    for m in re.finditer(r"(?<=\s)(?=\S)", head):
        scope = lex.match(head[m.start():], TAX_SCOPE_FIELDS)
        if scope is not None and scope.end >= len(head) - m.start():
            return True
    return False


def _specific_label_after(folded: str, start: int, lex: Lexicons, language: str | None):
    """A label of weight 8 and more starting at a word inside ``folded[start:]`` (before any
    digit), as a match over the whole text one point lighter; None when there is none."""
    for m in re.finditer(r"(?<=\s)(?=\S)", folded):
        if m.start() < start:
            continue
        if re.search(r"\d", folded[start:m.start()]):
            break
        inner = lex.match(folded[m.start():], VALUE_FIELDS, prefer=language)
        if inner and inner.weight >= 8:
            return replace(inner, weight=inner.weight - 1, end=m.start() + inner.end)
    return None


#: a capital glued before a capitalised word ('FEchéance', 'IFecha'): the first is a stray mark
_STRAY_CAPITAL = re.compile(r"[A-Z|](?=[A-ZÀ-Þ][a-zß-ÿ]{2})")
#: the labels read past such a mark: a number's and the dates' (no sum checks them)
_STRAY_FIELDS = ("invoice_number", "date", "due_date")


def _label_across(seg: Segment, value, line: Line, k: int, lex: Lexicons, language: str | None):
    """A label a scan split into pieces at wide gaps ("Inv | No: | T09539" in a monospaced till
    font, "Credit | Note | No: | C006479"): the piece and the next one or two read as one when
    together they make a longer, specific label (weight 8 and more) than the piece alone.
    Returns the piece to read the label from (the pieces joined) and the label found."""
    if k + 1 >= len(line.segments) or (value is not None and value.end < len(fold(seg.text).rstrip())):
        return seg, value
    best_seg, best = seg, value
    joined = seg
    for nxt in line.segments[k + 1: k + 3]:
        if nxt.x0 - joined.x1 > 3 * line.height or re.search(r"\d", joined.text):
            break
        before = len(joined.text)
        joined = Segment(joined.words + nxt.words, seg.line, seg.page)
        label = lex.match(fold(joined.text), VALUE_FIELDS, prefer=language)
        if (label is None or label.field == "issuer" or label.weight < 8 or label.end <= before + 1
                or (best is not None and best.weight >= label.weight and best.end >= label.end)):
            continue
        best_seg, best = joined, label
    if best is not value and value is not None and value.weight >= best.weight:
        return seg, value
    return best_seg, best


def _glued(folded: str, end: int) -> bool:
    """A label word joined to what follows by / - _ is part of a code: 'GST/2024/118' is a
    number, not a GST amount."""
    return end > 0 and folded[end - 1].isalnum() and re.match(r"[/_-][^\W_]", folded[end:end + 2]) is not None


def _qualified(folded: str, end: int) -> bool:
    """A label followed by more words and then a colon is a longer label of something else."""
    if folded[:end].rstrip().endswith((":", "：")):
        return False
    return re.match(r"\s*[^\W\d_][^:：\d]{0,30}[:：]", folded[end:]) is not None


def _right_text(hit: _Hit) -> list[tuple[str, list[Word], Segment, int]]:
    """Candidate value places right of the label: (text, words, segment, start char)."""
    places = []
    rest = hit.segment.text[hit.end:]
    if rest.strip():
        places.append((rest, hit.segment.words_in(hit.end, len(hit.segment.text)), hit.segment, hit.end))
    after = [s for s in hit.line.segments if s.x0 > hit.segment.x1 - 1]
    if not re.search(r"\w", rest + "".join(s.text for s in after)):
        after = sorted(after + _beside_on_neighbour_lines(hit), key=lambda s: s.x0)
    for seg in after:
        places.append((seg.text, seg.words, seg, 0))
    return places


def _beside_on_neighbour_lines(hit: _Hit) -> list[Segment]:
    """Pieces right of a label that stands alone on its line, which the line grouping put on the
    line above or below although they are printed beside it: their middle lies within the
    label's height. A taller word at the left of the page ('Tel. : 03 64 62 29 19' read with a
    smudge) or a lone colon starting its own line splits one printed line in two, and the
    label ('Echéance') loses its value ('08/11/2026') to the next line."""
    seg = hit.segment
    out = []
    for index in (hit.line_index - 1, hit.line_index + 1):
        if 0 <= index < len(hit.page_lines):
            out += [s for s in hit.page_lines[index].segments
                    if s.x0 > seg.x1 - 1 and seg.y0 <= (s.y0 + s.y1) / 2 <= seg.y1]
    return out


def _below(hit: _Hit, max_lines: int = 2, accept=None) -> list[tuple[str, list[Word], Segment, int]]:
    """Segments under the label (overlapping its horizontal span) in the next lines; with
    ``accept``, the first one whose text it accepts (a VAT rate row can sit between a total's
    heading and its amount)."""
    out = []
    seg = hit.segment
    tolerance = hit.line.height * 2
    # a currency unit printed apart from its heading ("Netto   EUR") is part of that heading's column
    headings = _headings(hit)
    row_span = (min(s.x0 for s in headings) - tolerance, max(s.x1 for s in headings) + tolerance)
    counted = 0
    for line in hit.page_lines[hit.line_index + 1:]:
        if counted >= max_lines or line.y0 - hit.line.y1 > hit.line.height * 3:
            break
        if len(headings) >= 3 and not any(_column_of(cand, headings) is not None for cand in line.segments
                                          if _CELL.search(cand.text)):
            # a line of body text beside the headings' row ("Indemnité forfaitaire … : 40 €" left of
            # "TOTAL HT | TOTAL TVA | TOTAL TTC", whose figures come on the line after it) is no
            # row of theirs: it neither holds nor hides their values; nor is a table's rule that a
            # scan read as '|', 'rr' or '=a' under them
            continue
        if len(headings) < 3 and not any(cand.x0 < row_span[1] and cand.x1 > row_span[0] for cand in line.segments):
            continue
        counted += 1
        for cand in line.segments:
            if len(headings) >= 3:
                under = _column_of(cand, headings) is seg
            else:
                under = cand.x0 < seg.x1 + tolerance and cand.x1 > seg.x0 - tolerance
            if under and (accept is None or accept(cand.text)):
                out.append((cand.text, cand.words, cand, 0))
                break
        if out:
            break
    return out


def _above_caption(hit: _Hit) -> list[tuple[str, list[Word], Segment, int]]:
    """The value a caption is printed under: online invoicing tools print the number, the dates
    and the total large, each with its label in small type just below it ('A-00637' over
    'Número de factura'). Only a label alone in its piece, whose line sits close under a line
    of larger type, with a piece starting where the label starts."""
    seg = hit.segment
    if hit.segment.text[hit.end:].strip() or hit.line_index == 0:
        return []
    above = hit.page_lines[hit.line_index - 1]
    h = hit.line.height
    gap = hit.line.y0 - above.y1
    below = hit.page_lines[hit.line_index + 1] if hit.line_index + 1 < len(hit.page_lines) else None
    if gap > 1.5 * h or above.height < 1.25 * h or (below is not None and below.y0 - hit.line.y1 < 2 * max(gap, 0.5 * h)):
        return []  # not close under larger type, or as close over the next line
    for cand in above.segments:
        if abs(cand.x0 - seg.x0) <= 1.5 * h and cand.x1 < seg.x1 + 12 * h:
            return [(cand.text, cand.words, cand, 0)]
    return []


def _headings(hit: _Hit) -> list[Segment]:
    """The pieces of a label's line that head columns: a currency unit printed apart from its
    heading ("Netto   EUR") is part of that heading's column, and a table's rules a scan reads
    as '|' or '_' head none."""
    return [s for s in hit.line.segments
            if s is hit.segment or (_INK.search(s.text) and not _UNIT_HEADING.fullmatch(s.text.strip()))]


_INK = re.compile(r"[^\W_]")
#: what a table's cell prints: a figure or a word (a stray mark read as 'rr' or '=a' is neither)
_CELL = re.compile(r"\d|[^\W\d_]{3}")
_UNIT_HEADING = re.compile(r"[(\[]?\s*(?:" + "|".join(ISO_CURRENCIES) + r"|[€$£¥￥₹%])\s*[)\]]?", re.I)


def _column_of(cell: Segment, headings: list[Segment]) -> Segment | None:
    """The heading of a row of column headings (three or more) that a cell below stands under:
    each heading's column reaches halfway to its neighbours, the outer ones a column's width
    beyond their heading, and the cell belongs to the column it overlaps most. Values are
    printed left-, right- or centre-aligned under short headings, so nearness to the heading
    alone picks the neighbour's cell ("Other taxes | Total" over "0.00 | 620.00", both amounts
    right-aligned). A cell wholly outside every column is under none: the seller's address
    left of a row of headed cells ("Nº Factura | Fecha") is not the number; nor is one that only
    reaches into the outer columns' margin, its middle outside every column (the seller's
    'CIF: J26125427' ending under the margin left of 'Nº Factura'), nor one that ends before
    the first heading begins: however aligned, a first column's cells reach under its heading
    (the seller's 'CIF: B87425708', its middle within that margin, is not the number)."""
    pitch = median(b.x0 - a.x0 for a, b in zip(headings, headings[1:])) if len(headings) > 1 else float("inf")
    bounds = [(headings[i - 1].x1 + h.x0) / 2 if i else h.x0 - pitch for i, h in enumerate(headings)]
    ends = bounds[1:] + [headings[-1].x1 + pitch]
    if not bounds[0] <= (cell.x0 + cell.x1) / 2 <= ends[-1] or cell.x1 <= headings[0].x0:
        return None
    overlap = [min(cell.x1, b) - max(cell.x0, a) for a, b in zip(bounds, ends)]
    best = max(range(len(headings)), key=lambda i: overlap[i])
    return headings[best] if overlap[best] > 0 else None


def _column_total(hit: _Hit, lex: Lexicons, conv: Conventions, decimal: str | None) -> Segment | None:
    """A net, tax or gross heading over a column of an item table ("Wartość netto | Kwota VAT |
    Wartość brutto", "Taxable value | CGST | Amount") labels every row's figure: the document's
    own is the cell of that column in the row the table closes with, the one that starts with a
    total label ("Razem", "Total", "Summe"). The first row's cell is one item's."""
    seg = hit.segment
    headings = _headings(hit)
    if len(headings) < 3:
        return None
    for line in hit.page_lines[hit.line_index + 1: hit.line_index + 61]:
        if not _closing_label(line, lex):
            if lex.match(fold(line.segments[0].text), VALUE_FIELDS + REGION_FIELDS):
                return None  # the table has ended without a total row (a fapiao leaves blank rows)
            continue
        for cand in line.segments[1:]:
            if _column_of(cand, headings) is seg and find_amounts(_mask_dates(cand.text, conv), decimal):
                return cand
        return None
    return None


def _mask_dates(text: str, conv: Conventions) -> str:
    """``text`` with its dates and its references to a law's articles blanked out: neither is an
    amount ('TVA non applicable, art. 293 B du CGI', 'Steuerfrei nach § 4 Nr. 14 UStG', 'VAT
    exempt under Article 132 of Directive 2006/112/EC' print no tax of 293, 4 or 132)."""
    for _, _, a, b in reversed(find_dates(text, conv.day_first, conv.months)):
        text = text[:a] + " " * (b - a) + text[b:]
    return _LAW_REFERENCE.sub(lambda m: " " * len(m.group(0)), text)


#: a reference to an article or section of a law or directive, with its numbers ('art. 293 B',
#: 'Artikel 25', '§ 19 Abs. 1', 'Article 132(1)(c)', 'Directive 2006/112/EC', 'section 3(a)')
_LAW_REFERENCE = re.compile(
    r"(?<![^\W\d_])(?i:art(?:icle|ikel|[íi]culo|icolo|igo)?\.?|§§?|sec(?:tion|\.)|directive|richtlijn|richtlinie|"
    r"directiva|direttiva|diretiva)\s*\d+(?:\s?[A-Z](?![^\W\d_]))?(?:\(\w{1,4}\))*(?:[/.-]\d+)*"
    r"(?:\s*(?i:nr|no|abs|lid|al|para)\.?\s*\d+(?:\(\w{1,4}\))*)*")


def _strength(weight: float) -> float:
    return 0.75 + 0.025 * min(weight, 10)


def _amount_from(hit: _Hit, opts: Options, conv: Conventions, lex: Lexicons) -> Field | None:
    decimal = opts.decimal or conv.decimal
    candidates = []
    names_an_identifier = False
    for text, words, seg, start in _right_text(hit):
        if (seg is not hit.segment and lex.match(fold(text), VALUE_FIELDS + REGION_FIELDS + RECEIPT_FIELDS)
                and not find_amounts(_mask_dates(text, conv), decimal)):
            # "Incidência | Total descontos | 0,00": the amount after another label standing alone
            # is that label's ("TOTAL | INCL. | GST RM 69.43" is one label split by the OCR)
            break
        # "TVA : FR11999999998 - SIRET : 99999999800010 - SARL au capital de 120 000,00 €": the
        # label's value is the identifier, no amount; one further on belongs to other words
        identifier = _IDENTIFIER.search(text)
        for value, currency, a, b in find_amounts(_mask_dates(text, conv), decimal):
            if identifier and (b > identifier.start() or not (currency or re.search(r"[.,]\d{2}$", text[a:b]))):
                break  # before the identifier, only money counts ('TVA: FR1 1999999998' is no amount 1)
            used = seg.words_in(start + a, start + b) or words
            candidates.append((value, currency, used, text[a:b]))
        if identifier:
            names_an_identifier = not candidates
            break
    if names_an_identifier and not candidates:
        return None
    position = 1.0
    column_total = None if candidates else _column_total(hit, lex, conv, decimal)
    if column_total is not None:
        for value, currency, a, b in find_amounts(_mask_dates(column_total.text, conv), decimal):
            candidates.append((value, currency, column_total.words_in(a, b) or column_total.words,
                               column_total.text[a:b]))
    if not candidates:
        has_amount = lambda text: bool(find_amounts(_mask_dates(text, conv), decimal))  # noqa: E731
        for text, words, seg, start in _below(hit, max_lines=2, accept=has_amount):
            if lex.match(fold(text), VALUE_FIELDS):
                continue
            for value, currency, a, b in find_amounts(_mask_dates(text, conv), decimal):
                candidates.append((value, currency, seg.words_in(a, b) or words, text[a:b]))
        position = 0.9
    item_cell = position < 1 and column_total is None and len(
        [s for s in hit.line.segments if not _UNIT_HEADING.fullmatch(s.text.strip())]) >= 3
    if not candidates:
        return None
    # decimals or a currency mark make a number look like money; the right-most such wins
    moneyish = [c for c in candidates if c[1] or re.search(r"[.,]\d{2}$", c[3].strip())]
    value, currency, words, text = (moneyish or candidates)[-1]
    if currency is None:
        currency = _label_unit(hit, words)
    conf = _conf(words) * _strength(hit.weight) * position * (1.0 if moneyish else 0.85)
    where = (hit.segment.page, round(min(w.y0 for w in words), 1)) if words else None
    size = median(w.height for w in words) if words else None
    return Field(value, conf, "layout", hit.segment.page, text.strip(), currency=currency, where=where, size=size,
                 item_cell=item_cell)


#: a tax or company identifier (a VAT id FR11999999998, also printed in groups or split by a scan:
#: 'FR 11 123 456 782', 'FR1 1999999998'; a GSTIN 29ABCDE1234F1Z5; a SIRET 99999999800010): what a
#: label followed by one names, rather than an amount printed after it
_IDENTIFIER = re.compile(r"(?<![\w.,])(?:[A-Z]{2}\s?\d[\d ]{6,14}\d|\d{9,}|(?=[A-Z\d]*\d)(?=[A-Z\d]*[A-Z])[A-Z\d]{10,})"
                         r"(?![\w.,])")

#: a currency printed between a label's words ("Total € Incl. VAT"; ``vision.lexicon``)
_UNIT_IN_LABEL = re.compile(r"(?<=\S\s)\s*[(\[]?\s*(US\$|HK\$|[£€$¥￥₹]|[A-Z]{3})\s*[)\]]?(?=\s+\S)")
_UNIT_AFTER_LABEL = re.compile(r"\s*[(\[]?\s*(US\$|HK\$|[£€$¥￥₹]|[A-Z]{3})\s*[)\]]?\s*[:：]?\s*$")


def _label_unit(hit: _Hit, words: list[Word]) -> str | None:
    """The currency a total's label names as its unit ("Invoice Total £", "Total (EUR)", "Att
    betala SEK") when the amount beside it prints none."""
    tail = hit.segment.text[hit.end:]
    if words and words[0] in hit.segment.words:  # the amount in the label's own piece: what is between
        tail = tail[: max(0, hit.segment.text.find(words[0].text, hit.end) - hit.end)]
    elif words:  # pieces between the label's and the amount's on the line: "Total | £ | 6,669.92"
        between = [seg.text for seg in hit.line.segments if hit.segment.x1 <= seg.x0 and seg.x1 <= words[0].x0]
        tail = " ".join([tail] + between)
    m = _UNIT_AFTER_LABEL.fullmatch(tail) or _UNIT_IN_LABEL.search(hit.segment.text[:hit.end])
    if m is None:
        return None
    mark = m.group(1)
    if mark in ISO_CURRENCIES:
        return "CNY" if mark == "RMB" else mark
    return CURRENCY_SYMBOLS.get(mark)


def _date_from(hit: _Hit, opts: Options, conv: Conventions) -> Field | None:
    right = _right_text(hit)[:3]
    places = _above_caption(hit) + right[:2] + _below(hit)
    if len(right) > 1:  # "August 3 | , | 2014": OCR can split a date over segments
        joined = " ".join(t for t, _, _, _ in right)
        places.append((joined, [w for _, ws, _, _ in right for w in ws], hit.segment, -1))
    day_first = opts.day_first if opts.day_first is not None else conv.day_first
    certainty = 1.0 if opts.day_first is not None else conv.date_certainty
    for n, (text, words, seg, start) in enumerate(places):
        if opts.date_format:
            for token in re.findall(r"\S+(?:\s\S+){0,2}", text):
                try:
                    value = datetime.strptime(token.strip(" ,;"), opts.date_format).date()
                    return Field(value, _conf(words) * _strength(hit.weight), "layout", hit.segment.page, token)
                except ValueError:
                    continue
        found = find_dates(text, day_first, conv.months, certainty)
        if found:
            value, sure, a, b = found[0]
            # a generic label ("Date") followed by other words names another date
            # ("Date de livraison", "Date of order"): not the invoice date
            qualifier = text[:a] if n == 0 and start == hit.end else ""
            if hit.weight < 8 and len(re.findall(r"[^\W\d_]", qualifier)) >= 3:
                return None
            used = (seg.words_in(start + a, start + b) if start >= 0 else words) or words
            return Field(value, _conf(used) * sure * _strength(hit.weight), "layout", hit.segment.page, text[a:b],
                         box=_box(used))
    return None


# letters a scan and a digit look alike in: O/0, I/l/1, S/5, B/8, Z/2, G/6
LOOKALIKE_BY_DIGIT = BESIDE_DIGIT
LOOKALIKE_CONFIDENCE = 0.55


#: a postcode and its town, the whole piece ('28013 Madrid', '120 00 Praha 2', '00-950 Warszawa',
#: 'D-10115 Berlin'): part of an address, never an invoice number unless its label says so
_POSTCODE_TOWN = re.compile(r"\s*(?:[A-Z]{1,2}-\s?)?(?:\d{4,5}|\d{3}\s\d{2}|\d{2}-\d{3})\s+[A-ZÀ-Þ][^\W\d_][^\d:#/]*?"
                            r"(?:\s\d{1,2})?\s*$")


#: a number of one digit alone in its place; read as the invoice number only beside or under a
#: specific number label, as a stray digit elsewhere is anything but
_LONE_DIGIT = re.compile(r"\s*(?:[:#]|n[°º.]?)?\s*([1-9])\s*")


def _number_from(hit: _Hit, conv: Conventions) -> Field | None:
    rest = hit.segment.text[hit.end:]
    if hit.weight < 4 and rest.strip() and not re.search(r"\d", rest):
        return None  # a title word with words of its own ("Facture liée", "Invoice summary") labels no number
    for text, words, seg, start in _above_caption(hit) + _right_text(hit)[:2] + _below(hit):
        if find_dates(text[:12], conv.day_first, conv.months) and not re.match(r"\s*[:#]?\s*[A-Za-z]", text):
            continue  # a date printed where a number could be
        if _POSTCODE_TOWN.match(text) and not (seg is hit.segment and hit.weight >= 8):
            continue  # '28013 Madrid' in an address under or beside a weak label: a postcode, no number
        value = parse_invoice_number(text)
        if value is None and hit.weight >= 9 and (m := _LONE_DIGIT.fullmatch(text)):
            value = m.group(1)  # a small business's fifth invoice, 'Numero documento 5': its own cell under the label
        rejoined = value is None and _rejoined_number(text, words)
        if rejoined:
            value, text = rejoined, rejoined
        if value:
            token = value.lstrip("#")
            used = [w for w in words if token in w.text or w.text.strip(":#") in token] or words
            doubtful = [w for w in used if LOOKALIKE_BY_DIGIT.search(w.text) or MAYBE_LETTER.search(w.text)]
            after = words[words.index(used[-1]) + 1:] if used[-1] in words else []
            goes_on = after[0].text if (after and _NUMBER_GOES_ON.fullmatch(after[0].text)
                                        and not find_dates(after[0].text, conv.day_first, conv.months)) else ""
            return Field(value, _conf(used) * _strength(hit.weight), "layout", hit.segment.page, value,
                         shapes_settled=bool(doubtful) and all(w.shapes_settled for w in doubtful),
                         box=_box(used), goes_on=goes_on, rejoined=bool(rejoined))
    return None


#: a number's two pieces as a scan can read them apart: a series of capitals, then its digits
_SPLIT_NUMBER = re.compile(r"[:#]?\s*([A-Z]{2,6})\s+(\d{3,})\s*")


def _rejoined_number(text: str, words: list[Word]) -> str:
    """The invoice number a scan read as two words ('IBZY 2087' for the booking id IBZY2087),
    or '': a label's value that is nothing but a run of capitals and a run of digits, which no
    number is without the other (capitals alone are a word; digits alone would drop the
    series). Only on OCR'd words: a text layer's space is the vendor's; never a currency's
    code before a figure."""
    m = _SPLIT_NUMBER.fullmatch(text)
    if m is None or m.group(1) in ISO_CURRENCIES or not words or any(w.conf >= 1.0 for w in words):
        return ""  # 'EUR 1500' is an amount
    return m.group(1) + m.group(2)


def _lookalike_key(text: str) -> str:
    """``text`` with every letter a scan makes look like a digit written as that digit: two
    readings of one print that differ only in O/0, I/l/1, S/5, B/8, Z/2, G/6 have one key."""
    return "".join(DIGIT_OF.get(c, c) for c in text)


#: what stands around a number in a word of its own ('(R0005532486)', 'Nr.:R0005532486,')
_AROUND_NUMBER = ":#.,;()[]"


def _settled_by_another_print(number: Field, doc: Document) -> None:
    """An invoice number printed twice on a scan (the title 'Rechnung R0005532486' and the
    header's 'Rechnungsnummer: RO005532486') can be read two ways where a letter and a digit
    look alike. Where the read value's letters beside digits were not told apart by their
    glyphs, another print of it in the document whose glyphs were (``Word.shapes_settled``)
    says which characters it has: its reading is taken when every such print reads the same
    (and the value counts as settled when that reading is its own)."""
    value = str(number.value)
    bare = value.lstrip("#")
    if number.shapes_settled or " " in bare or not (LOOKALIKE_BY_DIGIT.search(bare) or MAYBE_LETTER.search(bare)):
        return
    key = _lookalike_key(bare)
    others = {t for t in (w.text.strip(_AROUND_NUMBER) for w in doc.words if w.shapes_settled)
              if len(t) == len(bare) and _lookalike_key(t) == key}
    if len(others) == 1:
        reading = others.pop()
        if reading != bare:
            number.value = value[: len(value) - len(bare)] + reading
            number.text = number.value
        number.shapes_settled = True


#: a word that reads as more of an invoice number ('2/2026', '/2026', '-17'): digits and the
#: signs numbers are built with, no amount (decimals) and no date
_NUMBER_GOES_ON = re.compile(r"[/\-.]?\d+(?:[/\-.]\d+)*(?<![.,]\d\d)")


def _doubt_lookalikes(number: Field) -> None:
    """'RO17494' or 'R017494'? On a scan only a person (or what a person taught) can tell;
    the same glyph read twice does not settle it. What does: the glyph compared with the same
    word's print of the digit (``vision.lookalikes``: an O wider than the word's zeros is a
    letter)."""
    if number.rejoined:
        number.confidence = min(number.confidence, LOOKALIKE_CONFIDENCE)
        number.detail = "two words a scan read apart, taken as one number: the gap may be a printed space"
    elif number.goes_on:
        number.confidence = min(number.confidence, LOOKALIKE_CONFIDENCE)
        number.detail = (f"the next word {number.goes_on!r} reads as more of the number: the scan may have "
                         f"split one number in two")
    elif LOOKALIKE_BY_DIGIT.search(str(number.value)) and not number.shapes_settled:
        number.confidence = min(number.confidence, LOOKALIKE_CONFIDENCE)
        number.detail = "a letter beside a digit that a scan makes look alike (O/0, I/1, S/5, B/8)"
    elif any(MAYBE_LETTER.search(part) for part in str(number.value).split()) and not number.shapes_settled:
        number.confidence = min(number.confidence, LOOKALIKE_CONFIDENCE)
        number.detail = ("a digit where a letter could stand, whose print does not settle which it is "
                         "(1/I, 0/O, 5/S, 8/B after a letter or first in the number)")


#: a day a scan garbled ('ll' for 11, 'l?' for 1…, 'Ier'), then a month's name and a year
_GARBLED_DAY = r"(?<!\S)[\dlio|!]{1,2}(?:st|nd|rd|th|er|e)?\.?\s+"


@lru_cache(maxsize=16)
def _garbled_day_pattern(month_names: tuple[str, ...]) -> re.Pattern:
    names = sorted((name for name in month_names if len(name) >= 3), key=len, reverse=True)
    return re.compile(_GARBLED_DAY + "(?:" + "|".join(re.escape(n) for n in names)
                      + r")(?![^\W\d_])\.?,?\s+(?:19|20)\d{2}(?!\d)")


def _garbled_named_date(text: str, conv: Conventions) -> str:
    """A date written with its month's name whose day no reading makes out ('le ll décembre
    2026'), or ''."""
    if not conv.months:
        return ""
    folded = fold(text)
    for m in _garbled_day_pattern(tuple(sorted(conv.months))).finditer(folded):
        read = find_dates(text, conv.day_first, conv.months, conv.date_certainty)
        if not any(a < m.end() and m.start() < b for _, _, a, b in read):
            return folded[m.start():m.end()]
    return ""


# a number shaped like a date (a year and a month, or a day and a month, with date separators)
# that no reading makes a date of: '2026-092', its day's digits run into the month's
_DATE_SHAPED = re.compile(r"(?<![\w.,/-])(?:(?:19|20)\d{2}[-./]\d{1,4}(?:[-./]\d{0,4})?"
                          r"|\d{1,2}[-./]\d{1,4}[-./]\d{1,4})(?![\w/-]|[.,]\d)")


def _garbled_numeric_date(text: str, conv: Conventions) -> str:
    """A number shaped like a date that does not read as one, or ''."""
    read = None
    for m in _DATE_SHAPED.finditer(text):
        read = read if read is not None else find_dates(text, conv.day_first, conv.months, conv.date_certainty)
        if not any(a < m.end() and m.start() < b for _, _, a, b in read):
            return m.group()
    return ""


def _first_unlabeled_date(doc: Document, conv: Conventions, due: Field | None, lex: Lexicons) -> Field | None:
    """When no date label was read (OCR garbled it), the first date on the page that is not
    the due date, nor a date another caption names ('Valid till', 'Delivery date', 'Gültig
    bis': ``vision.receipts.without_other_dates``), with a lower confidence; a person's when a
    date printed with its month's name could not be read (the letter's own date, 'le ll décembre 2026': the date read may be
    an order's), or when a date beside it on its line could not be read (a header row's
    'Data de emissão | Data de vencimento' over '2026-092 | 2026-10-21': the one read may be
    the due date)."""
    from vision.receipts import without_other_dates

    first: Field | None = None
    garbled = ""
    for page in without_other_dates(doc, lex, conv.language, due_dates=False).pages:
        for row, line in enumerate(page.lines):
            for seg in line.segments:
                garbled = garbled or _garbled_named_date(seg.text, conv)
                for value, certainty, a, b in find_dates(seg.text, conv.day_first, conv.months, conv.date_certainty):
                    if due is not None and value == due.value:
                        continue
                    if first is None:
                        used = seg.words_in(a, b) or seg.words
                        first = Field(value, _conf(used) * certainty * 0.75, "unlabeled", page.number, seg.text[a:b],
                                      box=_box(used))
                        garbled = garbled or next(filter(None, (_garbled_numeric_date(other.text, conv)
                                                                for other in line.segments)), "")
                        if not garbled and (caption := _due_caption_over(page.lines, row, first.box, lex)):
                            first.confidence = min(first.confidence, DATE_BESIDE_LATER_CONFIDENCE)
                            first.detail = f"no date label read, and the date stands under {caption!r}: the due date?"
                            return first
                    elif due is None and value > first.value:
                        # no label says which date is which: the later one may be the due date
                        # ('Vencimiento' garbled), booked empty, or the first may be another date
                        first.confidence = min(first.confidence, DATE_BESIDE_LATER_CONFIDENCE)
                        first.detail = (f"no date label read; {value.isoformat()} is printed too, and no due date "
                                        f"found: which is the invoice date, which the due date?")
                        return first
    if first is not None and garbled:
        first.confidence = min(first.confidence, DATE_BESIDE_LATER_CONFIDENCE)
        first.detail = f"no date label read, and the date '{garbled}' could not be read: which is the invoice's?"
    return first


def _due_caption_over(lines: list[Line], row: int, box: tuple | None, lex: Lexicons) -> str:
    """The caption printed over a date (on one of the two lines above, over its ink) when it
    names the due date, or a word of it cut short ('Data de vencime', a scan having lost the end
    of 'vencimento' at its cell's edge, where no label was read): else ''."""
    if box is None:
        return ""
    x0, _, x1, _ = box
    over = next(filter(None, ([seg for seg in line.segments if seg.x0 < x1 and seg.x1 > x0]
                              for line in reversed(lines[max(row - 2, 0):row]))), [])
    text = " ".join(seg.text.strip() for seg in over)
    folded = fold(text)
    named = lex.search(folded, ("due_date", "date"))
    if (named is not None and named.field == "due_date") or lex.cut_short(folded, "due_date", "date"):
        return text
    return ""


def _pick(cands: list[tuple[float, Field]], first_printed: bool = False) -> Field | None:
    """Best candidate by label weight; agreement between places raises confidence. Between
    equally strong labels, the more confident reading wins; with ``first_printed`` (dates,
    ``cands`` in reading order) the one printed first does: an invoice heads its page with
    its own date, and another date under an equally plain label further down (a Tally
    invoice's 'Buyer's Order No. | Dated', a 'Due Date' whose 'Due' the scan garbled) is
    no likelier to be it because its ink came out cleaner."""
    if not cands:
        return None
    order = {id(f): n for n, (_, f) in enumerate(cands)}
    second = (lambda c: order[id(c[1])]) if first_printed else (lambda c: -c[1].confidence)
    cands = sorted(cands, key=lambda c: (-c[0], second(c)))
    top_weight, best = cands[0]
    same = [f for w, f in cands if f.value == best.value]
    rivals = [f for w, f in cands if w >= top_weight - 0.5 and f.value != best.value]
    conf = best.confidence
    if len(same) > 1:
        conf = 1 - (1 - conf) * 0.5
    if rivals:
        conf *= 0.8
    best.confidence = min(conf, 1.0)
    best.agreeing = len(same)
    return best


# ---------------------------------------------------------------------------- the total, jointly


def _options(cands: list[tuple[float, Field]]) -> list[tuple[Decimal, float, list[Field]]]:
    """Values a field can take: each printed amount, and the sum of amounts printed on different
    lines under the same kind of label (two VAT rates, net of goods + net of shipping)."""
    out: dict[Decimal, tuple[float, list[Field]]] = {}
    for weight, f in cands:
        if isinstance(f.value, Decimal) and (f.value not in out or out[f.value][0] < weight):
            out[f.value] = (weight, [f])
    distinct: dict[tuple, tuple[float, Field]] = {}
    for weight, f in cands:
        key = (f.where or (f.page, f.text), f.value)  # CGST and SGST print the same amount on two lines
        distinct.setdefault(key, (weight, f))
    parts = [(w, f) for w, f in distinct.values() if isinstance(f.value, Decimal) and f.value > 0 and not f.item_cell]
    if 2 <= len(parts) <= 6:
        total = sum((f.value for _, f in parts), Decimal(0))
        if total not in out:
            out[total] = (min(w for w, _ in parts) - 1, [f for _, f in parts])
    return [(value, weight, fields) for value, (weight, fields) in out.items()]


#: print under this share of the document's usual text height is fine print: a sample bill shown
#: in miniature on an explainer page, or small-print conditions; an invoice prints its total at
#: least at the size of its body text
FINE_PRINT = 0.6


def choose_totals(by_field: dict[str, list[tuple[float, Field]]], line_sum: Decimal | None,
                  body_height: float | None = None, printed: dict[Decimal, int] | None = None,
                  roundings: list[Decimal] | None = None) -> tuple[Field | None, Field | None, Field | None, str]:
    """(total, net, tax, how): ``choose_totals_rounded`` with ``roundings`` the amounts printed
    under a rounding label, without the rounding line it used."""
    lines = [Field(r, 1.0, "layout") for r in roundings or []]
    total, net, tax, _, how = choose_totals_rounded(by_field, line_sum, body_height, printed, lines)
    return total, net, tax, how


def choose_totals_rounded(by_field: dict[str, list[tuple[float, Field]]], line_sum: Decimal | None,
                          body_height: float | None = None, printed: dict[Decimal, int] | None = None,
                          roundings: list[Field] | None = None, credit_note: bool = False
                          ) -> tuple[Field | None, Field | None, Field | None, Field | None, str]:
    """(total, net, tax, rounding, how) chosen together so that net + tax = total where the
    document allows it, or net + tax + a printed rounding line (``roundings``: what
    ``_roundings`` read under a rounding label, ``Round Off 0.06``, at most ``MAX_ROUNDING``; a
    minus is often printed apart or as "(-)", so either sign fits); line amounts printed with
    their tax plus the rounding also make the total. Else the heaviest labels, as printed. A
    total in fine print (``body_height``:
    the document's usual text height) loses to one at normal size; between equally strong
    labels, the amount the document prints in more places (``printed``: how often each amount
    appears) wins: a bill repeats its total (amount debited, total, payment slip), an example
    or a sub-account's figure stands once. On a ``credit_note`` (titled as one) a total printed
    with its minus counts as an invoice's positive one does."""
    totals = list(by_field.get("amount", []))
    if not totals:
        totals = [(w - 2, f) for w, f in by_field.get("amount_due", [])]
    nets = _options(by_field.get("amount_untaxed", []))
    taxes = _options(by_field.get("vat", []))
    # an amount under a total label can be the net ("Total exkl. MWST" read as a total): it
    # may stand for the net when the tax brings it to another total, which then wins over it
    seen = {n for n, _, _ in nets}
    printed_nets, taxed = set(seen), any(x > 0 for x, _, _ in taxes)
    read_as_total = [(f.value, w - 2, [f]) for w, f in totals
                     if isinstance(f.value, Decimal) and f.value > 0 and f.value not in seen]
    # when no total adds up (a misprint, a typo), the one nearest to what the net and tax make is
    # the invoice's: a balance after a payment or a previous balance is off by that payment, and
    # the net itself by the whole tax (taxes printed on several lines, CGST + SGST, count summed)
    made = [(n + x, x) for n, _, _ in nets for x, _, _ in taxes if 0 < x < n]
    nets += read_as_total
    as_total = {id(fs[0]) for _, _, fs in read_as_total}
    if line_sum is not None and line_sum > 0 and line_sum not in seen and (printed or {}).get(line_sum):
        # the items' sum printed under a net label no lexicon knows ('Goods & services'): a net
        # only where a tax brings it to a total, as every net here must
        nets.append((line_sum, 0, [Field(line_sum, 0.9, "derived", None, str(line_sum),
                                         detail="the line items' sum, printed beside the totals")]))
    roundings = _small_roundings(roundings or [])
    net_weight = {}
    for w, f in by_field.get("amount_untaxed", []):
        if isinstance(f.value, Decimal):
            net_weight[f.value] = max(w, net_weight.get(f.value, w))
    best_key, best = None, None
    for weight, total in totals:
        t = total.value
        if not isinstance(t, Decimal):
            continue
        fits = []
        for (n, nw, nf), (x, xw, xf) in product(nets or [(None, 0, [])], taxes or [(None, 0, [])]):
            if n is not None and nf and id(nf[0]) in as_total and (x is None or x <= 0 or nf[0] is total):
                continue  # another total stands for the net only with a tax on top of it
            # a credit note may print every amount with its minus: net, tax and total alike; no
            # VAT, GST or sales tax exceeds the amount it is levied on, so a pair whose 'tax' does
            # (a table's goods figure beside an item's net) is two figures that happen to add up
            if (n is not None and x is not None and abs(n + x - t) <= TOLERANCE and (n > 0 or t < 0 < -n)
                    and abs(x) <= abs(n)):
                fits.append((2, nw + xw, n, nf, x, xf, None))
            elif n is not None and abs(n - t) <= TOLERANCE and (x is None or x == 0):
                fits.append((1, nw + xw, n, nf, x, xf, None))
            elif n is not None and n > 0:
                for r in roundings:
                    applied = next((v for v in (r.value, -r.value) if abs(n + (x or 0) + v - t) <= TOLERANCE), None)
                    if applied is not None:
                        fits.append((2 if x else 1, nw + xw, n, nf, x, xf, (applied, r)))
                        break
        # the lines adding up to an amount printed as the net, with a tax on top, make it the
        # net ("Total exkl. MWST" under a total label), not the total
        as_net = t in printed_nets and taxed
        by_lines = line_sum is not None and line_sum > 0 and any(
            abs(line_sum - base) <= TOLERANCE for base in ([] if as_net else [t]) + [f[2] for f in fits if f[2] is not None])
        lines_rounded = None  # line amounts with their tax, and the printed rounding, make the total
        if not by_lines and line_sum is not None and line_sum > 0 and abs(line_sum - t) > TOLERANCE:
            # a rounding line proves only a total it is needed for: 0.01 within the tolerance of
            # the lines' sum would make the net ("Total exkl. MWST" = the lines) a total
            lines_rounded = next(((v, r) for r in roundings for v in (r.value, -r.value)
                                  if abs(line_sum + v - t) <= TOLERANCE), None)
            by_lines = lines_rounded is not None
        # between pairs that add up alike under labels as strong, the one read off the totals block
        # ('Total Goods 18,221.65', 'Total VAT 0.00') beats one made of the first cells of item or
        # tax-analysis columns (two reverse-charge lines that happen to sum to the total)
        fit = max(fits, key=lambda f: (f[0], f[6] is None, f[1], -sum(c.item_cell for c in f[3] + f[5]))) if fits else None
        fine = bool(body_height and total.size and total.size < FINE_PRINT * body_height)
        # with nothing adding up: an amount nearer to a net + tax than that net is wins, the nearest
        # first; an amount printed under a net label at least as strong, with a tax on top of it,
        # is the net read under a total label (an item column's "Amount" heading, whose column
        # closes with the net)
        gap = None if fit else min((abs(m - t) for m, x in made if abs(m - t) < x), default=None)
        net_read = not fit and not by_lines and taxed and net_weight.get(t, -1) >= weight
        # a zero under a total label is a discount or an empty column, never the total of an
        # invoice that prints a positive one; a credit note prints its total with its minus,
        # and a tax row's figure that a scan read without its minus is no likelier to be it
        key = (not fine, t > 0 or credit_note and t < 0, bool(fit) or by_lines, fit[0] if fit else 0, gap is not None, -(gap or 0),
               not net_read, weight, fit[1] if fit else 0, (printed or {}).get(t, 0), total.confidence)
        if best_key is None or key > best_key:
            best_key, best = key, (total, fit, by_lines, lines_rounded)
    if best is None:
        return None, _pick(list(by_field.get("amount_untaxed", []))), _pick(list(by_field.get("vat", []))), None, "none"
    total, fit, by_lines, lines_rounded = best
    chosen_weight = next(w for w, f in totals if f is total)
    same = [f for w, f in totals if f.value == total.value]
    if len(same) > 1:
        total.confidence = 1 - (1 - total.confidence) * 0.5
    total.agreeing = len(same)
    if fit is None:
        # nothing adds up: a rival total under an equally strong label makes this one doubtful
        if any(w >= chosen_weight - 0.5 and f.value != total.value for w, f in totals):
            total.confidence *= 0.8
        return (total, _pick(list(by_field.get("amount_untaxed", []))), _pick(list(by_field.get("vat", []))),
                _rounding(lines_rounded), "lines" if by_lines else "label")
    # a stronger total label printing another amount: with "net = total, no tax" the proof is
    # weak (a scan lost the VAT row and took a column's "Total" for the invoice's); with net + tax
    # the amount payable disagrees with the sums (a payable total misprinted, the VAT table's
    # 'Celkem' adding up instead). A balance left after a printed deposit or payment is no rival.
    # Either way a person checks.
    heavier = [f for w, f in totals if w > chosen_weight + 0.5 and isinstance(f.value, Decimal) and f.value != total.value
               and (fit[0] < 2 or not _balance_after_payment(total.value, f.value, printed))]
    if heavier:
        total.confidence = min(total.confidence, 0.5)
        total.detail = f"{heavier[0].text or heavier[0].value} is printed under a stronger total label"
    _, _, n, nf, x, xf, rounded = fit
    net = _summed(n, nf) if n is not None else None
    tax = _summed(x, xf) if x is not None else None
    rounding = _rounding(rounded or lines_rounded)
    return total, net, tax, rounding, "arithmetic"


def _balance_after_payment(total: Decimal, balance: Decimal, printed: dict[Decimal, int] | None) -> bool:
    """``balance`` is ``total`` less an amount the document prints (a deposit received, a payment
    made, an advance invoiced before)."""
    paid = total - balance
    return paid > 0 and any(abs(p - paid) <= TOLERANCE for p in printed or {})


def _rounding(used: tuple[Decimal, Field] | None) -> Field | None:
    """The printed rounding line as it was applied (a line printed without its sign that is
    taken off comes out negative)."""
    if used is None:
        return None
    applied, printed_line = used
    return Field(applied, printed_line.confidence, "layout", printed_line.page, printed_line.text,
                 detail="rounding line printed on the invoice, part of the sum that makes the total")


def _roundings(doc: Document, lex: Lexicons, conv: Conventions, opts: Options) -> list[Field]:
    """Amounts printed under a rounding label ("Round Off", "Rundung", "Arrondi"), at most
    ``MAX_ROUNDING``, as printed."""
    out = []
    for page in doc.pages:
        for index, line in enumerate(page.lines):
            for seg in line.segments:
                label = lex.match(fold(seg.text), ROUNDING_FIELDS)
                if label is None:
                    continue
                hit = _Hit("rounding", label.weight, seg, label.end, line, index, page.lines, label.language)
                f = _amount_from(hit, opts, conv, lex)
                if f is not None and isinstance(f.value, Decimal) and 0 < abs(f.value) <= MAX_ROUNDING:
                    out.append(f)
    return out


def _small_roundings(roundings: list[Field]) -> list[Field]:
    """The rounding lines that may take part in the sums: a rounding line counts only as printed
    beside its own label (``_roundings``), and only when small (``MAX_ROUNDING``)."""
    return [f for f in roundings if isinstance(f.value, Decimal) and 0 < abs(f.value) <= MAX_ROUNDING]


def _total_before_a_printed_rounding(out: Extraction, printed: dict[Decimal, int]) -> None:
    """A total that net + tax make without the rounding line printed beside them is the amount
    before rounding (a VAT recap's 'Celkem' while 'Celkem k úhradě', its label garbled by the
    scan, prints the rounded one): the amount payable is net + tax + that rounding where the page
    prints it, offered for a person to confirm; where it does not, the total is doubtful."""
    total, net, tax = (out.fields.get(name) for name in ("amount", "amount_untaxed", "vat"))
    if total is None or net is None or tax is None or not all(isinstance(f.value, Decimal) for f in (total, net, tax)):
        return
    roundings = _small_roundings(out.roundings)
    # to the cent: a total a cent off net + tax (the tolerance the sums allow) may be the one
    # the rounding line makes ('Rundungsdifferenz 0.01' on a Swiss bill)
    if not roundings or net.value + tax.value != total.value:
        return
    payable = next(((total.value + v, r) for r in roundings for v in (r.value, -r.value) if printed.get(total.value + v)), None)
    if payable is None:
        total.confidence = min(total.confidence, 0.5)
        total.detail = f"net + tax make it without the rounding line printed beside them ({roundings[0].text or roundings[0].value})"
        return
    value, line = payable
    out.fields["amount"] = replace(total, value=value, confidence=min(total.confidence, 0.5), text=str(value),
                                   source="derived", where=None,
                                   detail="net + tax + the rounding line printed beside them, an amount the page "
                                          f"prints; {total.value} is the sum before rounding")
    out.fields["rounding"] = _rounding((value - total.value, line))


def _printed_amounts(doc: Document, decimal: str | None) -> dict[Decimal, int]:
    """How many times each amount is printed in the document."""
    counts: dict[Decimal, int] = {}
    for page in doc.pages:
        for line in page.lines:
            for seg in line.segments:
                for value, _, _, _ in find_amounts(seg.text, decimal):
                    counts[value] = counts.get(value, 0) + 1
    return counts


#: a net read at least this surely, and a second printing of the total read at least this surely
SURE_NET, SURE_REPRINT = 0.7, 0.85


def clear_reprint(doc: Document, total: Field, decimal: str | None) -> tuple[float, str, str | None] | None:
    """The total's figure printed a second time, on another line, in words read at least
    ``SURE_REPRINT`` surely: (their confidence, the text, the currency printed with it); None."""
    for page in doc.pages:
        for line in page.lines:
            for seg in line.segments:
                for value, currency, a, b in find_amounts(seg.text, decimal):
                    used = seg.words_in(a, b) if value == total.value else None
                    if not used or _conf(used) < SURE_REPRINT:
                        continue
                    if total.where is None or (page.number, round(min(w.y0 for w in used), 1)) != total.where:
                        return _conf(used), seg.text[a:b], currency
    return None


def _confirm_faint_total(total: Field, net: Field | None, tax: Field | None, line_sum: Decimal | None,
                         reprint: tuple[float, str, str | None]) -> None:
    """A total whose digits Tesseract marked faint (a yen sign read as a CJK character beside
    them takes their whole word's confidence down) is as sure as its witnesses when three of
    them agree: the lines add up to the net, the net plus the tax is the total, and the page
    prints the same total a second time (the amount billed at the top) in a clear word
    (``clear_reprint``). A misread that still made all three hold would have to misread two
    places alike."""
    if (net is None or tax is None or line_sum is None or total.confidence >= SURE_NET
            or net.confidence < SURE_NET or not isinstance(total.value, Decimal) or total.value <= 0
            or abs(line_sum - net.value) > TOLERANCE or abs(net.value + tax.value - total.value) > TOLERANCE):
        return
    total.confidence = min(reprint[0], net.confidence)
    total.agreeing += 1
    total.detail = (f"read faintly; the lines add up to the net, net + tax is the total, and {reprint[1]!r} "
                    f"prints it again")


#: a total found by its place (net + tax, printed under them) rather than by its label: read for
#: the person who checks it, never booked alone (what its label said, a person sees)
UNLABELLED_TOTAL_CONFIDENCE = 0.55


def _printed_sum(doc: Document, net: Field, tax: Field, decimal: str | None) -> Field | None:
    """The total whose label a scan garbled ('otal (EUR)', 'Tota1 TTC'): net + tax, where that
    sum is printed on the page of the net and the tax, on their lines or below them (a totals
    block closes with it). Items above the totals are no candidates. None when not printed."""
    if not (isinstance(net.value, Decimal) and isinstance(tax.value, Decimal) and 0 < tax.value < net.value):
        return None
    wheres = [f.where for f in (net, tax)]
    if any(w is None for w in wheres) or wheres[0][0] != wheres[1][0]:
        return None
    page_number, top = wheres[0][0], min(w[1] for w in wheres)
    want = net.value + tax.value
    for page in doc.pages:
        if page.number != page_number:
            continue
        for line in page.lines:
            if line.y1 < top:
                continue
            for seg in line.segments:
                for value, currency, a, b in find_amounts(seg.text, decimal):
                    if value == want:
                        words = seg.words_in(a, b) or seg.words
                        conf = min(_conf(words), net.confidence, tax.confidence, UNLABELLED_TOTAL_CONFIDENCE)
                        return Field(value, conf, "layout", page.number, seg.text[a:b].strip(), currency=currency,
                                     where=(page.number, round(min(w.y0 for w in words), 1)),
                                     detail="net + tax, printed under them where the total stands; its label "
                                            "was not read")
    return None


#: lines of a totals block under its net: the tax and the total close it within these
_TOTALS_BLOCK_LINES = 6


#: labels whose amounts are no tax and no total: cash tendered and change add up with a net too
_NOT_TAX_OR_TOTAL = ("receipt_not_total", "amount_due", "carried_forward", "rounding")


def _printed_tax_and_sum(doc: Document, net: Field, decimal: str | None, lex: Lexicons) -> tuple[Field, Field] | None:
    """(total, tax) of a totals block whose tax and total labels a scan both garbled ('a sur la
    valeur 18,33 €', 'O (EUR) 109,97 €'): under the net, an amount smaller than the net, then one
    that is the net plus it, both with cents, on the net's line or the few lines under it; never
    what a payment, change, balance or rounding label says (cash 25.00 = net 20.00 + change
    5.00). Found by their sums and places, not their labels: never booked alone. None when no
    such pair."""
    if not isinstance(net.value, Decimal) or net.value <= 0 or net.where is None:
        return None
    page_number, top = net.where
    printed: list[tuple[Decimal, str | None, str, list[Word]]] = []
    for page in doc.pages:
        if page.number != page_number:
            continue
        lines = [line for line in page.lines if line.y1 >= top]
        for line in lines[:_TOTALS_BLOCK_LINES]:
            other = [s.x0 for s in line.segments if lex.match(fold(s.text), _NOT_TAX_OR_TOTAL)]
            for seg in line.segments:
                if other and seg.x0 >= min(other):
                    continue  # 'Change 5.00', 'Cash 25.00', 'Balance due 0.00'
                for value, currency, a, b in find_amounts(seg.text, decimal):
                    if re.search(r"\d[.,]\d\d\b", seg.text[a:b]):
                        printed.append((value, currency, seg.text[a:b].strip(), seg.words_in(a, b) or seg.words))
    for i, (tax, _, tax_text, tax_words) in enumerate(printed):
        if not 0 < tax < net.value:
            continue
        for value, currency, text, words in printed[i + 1:]:
            if value == net.value + tax:
                conf = min(_conf(words), _conf(tax_words), net.confidence, UNLABELLED_TOTAL_CONFIDENCE)
                detail = "net + the amount under it, printed under them where the total stands; their labels were not read"
                total = Field(value, conf, "layout", page_number, text, currency=currency,
                              where=(page_number, round(min(w.y0 for w in words), 1)), detail=detail)
                vat = Field(tax, conf, "layout", page_number, tax_text,
                            where=(page_number, round(min(w.y0 for w in tax_words), 1)),
                            detail="the total less the net, under the net; its label was not read")
                return total, vat
    return None


def _rate_beside(doc: Document, amount: Field) -> bool:
    """Whether the line ``amount`` was read from prints a rate ('BIW 21% over € 5.198,22'): a tax
    row does, a shipping or a previous balance row does not."""
    if amount.where is None:
        return False
    page_number, top = amount.where
    return any(PERCENT.search(line.text) for page in doc.pages if page.number == page_number
               for line in page.lines if line.y0 - 1 <= top <= line.y1)


def _summed(value: Decimal, parts: list[Field]) -> Field:
    if len(parts) == 1:
        return parts[0]
    return Field(value, min(p.confidence for p in parts), "derived", parts[0].page,
                 " + ".join(p.text for p in parts), detail=f"sum of {len(parts)} printed amounts")


# ---------------------------------------------------------------------------- line items


#: a figure with cents: a table's headings print none, a totals row does ('Bank Details  Total  ₹20,337.00')
_FIGURE_WITH_CENTS = re.compile(r"\d[.,]\d{2}(?!\d)")


def _header_columns(line: Line, lex: Lexicons) -> dict[str, tuple[float, float]] | None:
    if _FIGURE_WITH_CENTS.search(line.text):
        return None  # its words name columns ('Details', 'Total') but it holds a value: no heading row
    cols: dict[str, tuple[float, float]] = {}
    for seg in line.segments:
        # a segment may hold several headings printed close together: try word by word too
        words = [(lex.column(fold(w.text)), w.x0, w.x1) for w in seg.words] if len(seg.words) > 1 else []
        # and when its CJK words name two columns or more ('金额 “税率 /征收 率' read as one piece),
        # each heading has its own word's span: the segment's, taken for its first heading, would
        # reach over its neighbours, and their figures would be read as that column's. A CJK
        # heading is one word; a Latin heading's words ('Wartość netto') are parts of a phrase
        named = {name for (name, _, _), w in zip(words, seg.words) if name and _CJK_TEXT.search(w.text)}
        pieces = words if len(named) >= 2 else [(lex.column(fold(seg.text)), seg.x0, seg.x1), *words]
        for name, x0, x1 in pieces:
            if name and name not in cols:
                cols[name] = (x0, x1)
    if "description" in cols and len(cols) >= 3 or ("description" in cols and "amount" in cols):
        return cols
    return None


def extract_lines(doc: Document, opts: Options, lex: Lexicons, conv: Conventions) -> list[dict]:
    items: list[dict] = []
    decimal = opts.decimal or conv.decimal
    for page in doc.pages:
        lines = page.lines
        i = 0
        while i < len(lines):
            cols = _header_columns(lines[i], lex)
            if not cols:
                i += 1
                continue
            j = i + 1
            misses = 0
            table: list[dict] = []
            while j < len(lines) and misses < 4:
                line = lines[j]
                if _totals_row(line, lex, decimal):
                    break  # the totals under the table; a heading's second line ("Ohne MwSt.") is not
                if any(lex.match(fold(seg.text), ("carried_forward",)) for seg in line.segments):
                    j += 1  # "Carried forward 6,078.65" / "Übertrag": the items so far, no item of its own
                    continue
                item = _row(line, cols, decimal)
                if item and table and _sums_the_items(item, table):
                    break  # the items' sum under a label no lexicon knows ('Goods & services'): the totals
                if item:
                    items.append(item)
                    table.append(item)
                    misses = 0
                else:
                    misses += 1
                j += 1
            i = j
    return items


def _sums_the_items(item: dict, table: list[dict]) -> bool:
    """Is ``item`` the row of the items' sums, not an item: its amount is the sum of the items
    above it and it has no unit price. Its label may be one no lexicon knows ('Goods &
    services'), or one the scan garbled into a stray figure in the quantity column ('合 计' read
    '2 t'): then two items or more must add up to it, or their taxes to its tax as well, for a
    row priced like no item."""
    if item["unit_price"] is not None or item["amount"] != sum((t["amount"] for t in table), Decimal(0)):
        return False
    if item["quantity"] is None or len(table) >= 2:
        return True
    return item.get("tax") is not None and item["tax"] == sum((t.get("tax") or Decimal(0) for t in table), Decimal(0))


def _closing_label(line: Line, lex: Lexicons) -> bool:
    """Does the row start with a word that closes a table: a total or net label (``Razem:``,
    ``Total``), or a sum word that is the whole of the row's leading text (``合  计`` spaced
    across the description column and read as two pieces)?"""
    label = lex.match(fold(line.segments[0].text), ("amount", "amount_untaxed"))
    if label is not None and label.weight >= 6:
        return True
    head = []
    for seg in line.segments:
        if re.search(r"\d", seg.text):
            break
        head.append(seg.text.strip())
    joined = ("" if all(_CJK_TEXT.search(t) for t in head) else " ").join(head) if head else ""
    folded = fold(joined)
    label = lex.match(folded, ("amount", "amount_untaxed")) if folded else None
    return label is not None and label.weight >= 4 and label.end >= len(folded.rstrip(" :：")) - 1


def _totals_row(line: Line, lex: Lexicons, decimal: str | None) -> bool:
    """A line of the totals under an item table: a total, net or tax label with an amount. The
    label starts the line, or stands as a piece of its own further right ("Riepilogo IVA ..
    Totale imponibile 1.000,00": a tax summary printed left of the totals, on the same lines),
    so a description that merely begins with such a word ("Tax advice") is not mistaken for one
    unless it starts the row."""
    if not find_amounts(line.text, decimal):
        return False
    if _closing_label(line, lex):
        return True
    for k, seg in enumerate(line.segments):
        folded = fold(seg.text)
        # a rounding row ('Round Off 0.38') ends the items as a total row does: it is no item
        label = lex.match(folded, _AMOUNT_FIELDS + ROUNDING_FIELDS)
        if not label or label.weight < 6:
            continue
        rest = folded[label.end:].strip(" :")
        if k == 0 or not rest or find_amounts(rest, decimal) and not re.search(r"[^\W\d_]{3}", rest):
            return True
    return False


def _join_digit_groups(words: list[Word], h: float) -> list[Word]:
    """'18' '350,88' printed with a space between thousands are one number: 18 350,88. So are
    '1,' '770.67': OCR splits a number at the comma that groups its thousands, and the row would
    keep only 770.67 (a unit price read 1,000 short fails quantity x unit price)."""
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        spaced = prev is not None and re.fullmatch(r"-?\d{1,3}(?:[ \u00a0]\d{3})*", prev.text)
        marked = prev is not None and re.fullmatch(r"-?\d{1,3}(?:([,.'])\d{3})*[,.']", prev.text)
        if ((spaced or marked) and re.fullmatch(r"\d{3}(?:[.,]\d{1,2})?", w.text)
                and 0 <= w.x0 - prev.x1 < 0.8 * h):
            out[-1] = Word(prev.text + ("" if marked else " ") + w.text, prev.x0, min(prev.y0, w.y0), w.x1,
                           max(prev.y1, w.y1), min(prev.conf, w.conf), prev.page)
        else:
            out.append(w)
    return out


def _row(line: Line, cols: dict[str, tuple[float, float]], decimal: str | None) -> dict | None:
    assigned: dict[str, list[Word]] = {k: [] for k in cols}
    h = line.height
    words = _join_digit_groups([w for seg in line.segments for w in seg.words], h)
    # a number inside the description's text ("Exchange 2010") stays there: the description
    # column reaches to the next heading on its right
    described = {id(w) for seg in line.segments if any(parse_amount(w.text, decimal) is None for w in seg.words)
                 for w in seg.words}
    desc_end = None
    if "description" in cols:
        desc_end = min((a for k, (a, _) in cols.items() if a > cols["description"][0]), default=float("inf"))
    for w in words:
        cx = (w.x0 + w.x1) / 2
        if desc_end is not None and id(w) in described and cols["description"][0] - h <= cx < desc_end - h:
            assigned["description"].append(w)
            continue

        def distance(span):
            a, b = span
            if w.x1 >= a - h * 0.5 and w.x0 <= b + h * 0.5:
                return 0.0 if a - h <= cx <= b + h else min(abs(cx - a), abs(cx - b)) * 0.5
            return min(abs(cx - a), abs(cx - b))

        numeric = (parse_amount(w.text, decimal) is not None and _NUMERIC_CELL.fullmatch(w.text)
                   or _SLIPPED_AMOUNT.fullmatch(w.text))
        names = [k for k in cols if (k != "description") == bool(numeric)] or list(cols)
        if not numeric and "description" in cols:
            names = ["description"]
        best = min(names, key=lambda k: distance(cols[k]))
        assigned[best].append(w)
    amount_words = assigned.get("amount") or []
    slipped = bool(amount_words) and bool(_SLIPPED_AMOUNT.fullmatch(amount_words[-1].text))
    # parse_amount drops a character that is no digit: '2,/61.56' would read as 261.56
    amount = parse_amount(amount_words[-1].text, decimal) if amount_words and not slipped else None
    if not assigned.get("description"):
        return None
    item: dict = {"description": " ".join(w.text for w in assigned["description"])}
    for key in ("quantity", "unit_price", "tax"):
        ws = assigned.get(key) or []
        item[key] = parse_amount(ws[-1].text, decimal) if ws else None
    mended = None
    read_as = f"amount read as {amount_words[-1].text if amount_words else ''!r}"
    if (item["unit_price"] is not None and item["unit_price"] < 0 and item["quantity"] is not None
            and amount is not None and amount > 0):
        # a speck or a rule's end before the unit price read as a minus: a line whose amount has
        # no sign is no discount, when quantity x the price without it gives the amount's digits
        unsigned = -item["unit_price"]
        if f"{item['quantity'] * unsigned:.2f}".replace(".", "") == re.sub(r"\D", "", amount_words[-1].text):
            item["unit_price"] = unsigned
    if slipped:
        mended = _mend_slipped_amount(amount_words[-1].text, item["quantity"], item["unit_price"])
        amount = mended
    elif amount is not None and item["quantity"] is not None and item["unit_price"] is not None:
        # '2,77386' for 2,773.86: the decimal mark lost (or taken for a thousands mark), every
        # digit in place; quantity x unit price says where the cents start
        expected = (item["quantity"] * item["unit_price"]).quantize(Decimal("0.01"))
        whole = _cents_set_apart(amount_words, h)
        if (expected != amount and expected > 0
                and re.sub(r"\D", "", amount_words[-1].text) == f"{expected:.2f}".replace(".", "")):
            amount = mended = expected
        elif expected != amount and expected > 0 and whole == expected:
            # '4,439' '40' for 4,439.40: the mark read as a gap, the cents a word of their own
            amount = mended = expected
            read_as = f"amount read as {' '.join(w.text for w in amount_words[-2:])!r}"
        else:
            # the same of the unit price ('477' '41' for 477.41): quantity x it must give the amount
            unit = _cents_set_apart(assigned.get("unit_price") or [], h)
            if (unit is not None and unit != item["unit_price"] and amount > 0
                    and (item["quantity"] * unit).quantize(Decimal("0.01")) == amount):
                item["unit_price"] = unit
                mended = amount
                read_as = f"unit price read as {' '.join(w.text for w in assigned['unit_price'][-2:])!r}"
    if amount is None:
        return None
    item["amount"] = amount
    item["confidence"] = round(_conf(words), 3)
    if mended is not None:
        # the row stays in the table, so its amount counts in the lines' sum: that sum must
        # still come to the printed net for the invoice to pass (vision.checks)
        item["confidence"] = min(item["confidence"], MENDED_LINE_CONFIDENCE)
        item["mended"] = f"{read_as}: quantity x unit price {mended} fits every digit read"
    item["page"] = words[0].page
    return item


#: a cell holding a number, its currency's sign before or after it: a scan reads '4.898,25 €'
#: printed with a narrow space as the one word '4.898,25€', and the row lost its amount
_NUMERIC_CELL = re.compile(r"[-(]?[$€£¥￥₹]?[\d.,' \u00a0]+[$€£¥￥₹]?\)?")
#: an amount OCR read with one character that is no digit ('2,/29.09' for 2,729.09: a 7 taken
#: for a slash), its decimals in place
_SLIPPED_AMOUNT = re.compile(r"\d[\d.,' \u00a0]*[^\d.,' \u00a0\s][\d.,' \u00a0]*[.,]\d{2}")
#: a line amount mended from quantity x unit price: the lines' sum, not the glyph, confirms it
MENDED_LINE_CONFIDENCE = 0.5
#: the whole units of an amount, grouped or not, with no decimals of their own ('4,439', '4.439.')
_WHOLE_UNITS = re.compile(r"\d{1,3}(?:[,.'\u00a0 ]\d{3})+[.,]?|\d+[.,]?")
#: how far apart, in text heights, a scan may set the cents from the units whose mark it lost
CENTS_GAP = 1.2


def _cents_set_apart(words: list[Word], h: float) -> Decimal | None:
    """The amount a cell's last two words make when the scan lost the decimal mark between them
    and read it as a gap ('4,439' '40' of 4,439.40): whole units, then two digits close beside
    them on the line; None when the cell is not two such words. Only a guess: the caller takes
    it where quantity x unit price = amount says so, never on its own."""
    if len(words) < 2:
        return None
    units, cents = words[-2], words[-1]
    if (not _WHOLE_UNITS.fullmatch(units.text) or not re.fullmatch(r"\d{2}", cents.text)
            or not 0 <= cents.x0 - units.x1 <= CENTS_GAP * h):
        return None
    return Decimal(re.sub(r"\D", "", units.text) + "." + cents.text)


def _mend_slipped_amount(text: str, quantity: Decimal | None, unit_price: Decimal | None) -> Decimal | None:
    """Quantity x unit price, when ``text`` (a line's amount as OCR read it) is that amount with
    exactly one digit read as something else and every other digit, and the decimals, in place;
    else None (a person reads the line)."""
    if quantity is None or unit_price is None or not _SLIPPED_AMOUNT.fullmatch(text):
        return None
    expected = (quantity * unit_price).quantize(Decimal("0.01"))
    skeleton = re.sub(r"[.,' \u00a0]", "", text)
    digits = f"{expected:.2f}".replace(".", "")
    if expected <= 0 or len(skeleton) != len(digits):
        return None
    slips = [i for i, c in enumerate(skeleton) if not c.isdigit()]
    if len(slips) != 1 or any(a != b for a, b in zip(skeleton, digits) if a.isdigit()):
        return None
    return expected


# ---------------------------------------------------------------------------- entry point


def extract(doc: Document, opts: Options | None = None, lexicons: Lexicons | None = None,
            vendors: list | None = None) -> Extraction:
    """Every field the layout gives. ``vendors`` is an optional vendor master
    (``vision.issuer.Vendor`` list): the issuer found is matched to it."""
    from vision.issuer import find_issuer
    from vision.dotdates import settle_date
    from vision.receipts import confirm_shop, doubt_bare_dollar, read_receipt, receipt_labels_mended, without_other_dates

    opts = opts or Options()
    lex = lexicons or load_lexicons()
    text = doc.text
    currency_found, currency_certainty = detect_currency(text)
    hint = opts.currency or currency_found
    bare_dollar = hint == "USD" and not opts.currency and not currency_named(text, "USD")
    if bare_dollar:
        # a bare $ is also Australia's, Singapore's, Canada's dollar, which write their dates day
        # first: the seller's registration (ABN, UEN, GST/HST number) says which
        hint = _tax_id_country_currency(doc, lex, set()) or hint
        if hint == "USD" and names_tax_not_levied_in_us(text):
            # no registration read, but the tax is GST or VAT: not the US, and the countries that
            # levy them write their dates day first, as the language does when no currency is known
            hint = None
        bare_dollar = hint in ("USD", None)
    conv = lex.conventions(text, hint)
    if hint == "USD" and not bare_dollar and conv.date_certainty < 1.0 and names_tax_not_levied_in_us(text):
        # US dollars invoiced under VAT or GST (a Gulf or Asian seller, an exporter): the currency
        # says nothing of the numeric date order, so a date readable both ways goes to a person
        conv = replace(conv, date_certainty=min(conv.date_certainty, _BARE_DOLLAR_ORDER))
    out = Extraction(conventions=conv)
    # a till's labels misread by a letter or two ('Amount sefore GST', 'TUTAL'): read as printed,
    # for the net and tax as for the amount paid
    doc = receipt_labels_mended(doc, lex, conv)
    values, regions = label_hits(doc, lex, conv.language)
    values = [replace(hit, field="due_date") if hit.field == "date" and _caption_names_due_date(hit, lex) else hit
              for hit in values]
    credit_note = credit_note_title(doc, lex)
    if credit_note is not None:
        out.fields["document_type"] = credit_note
        # "Original invoice: 4711 / Invoice date: 02/03" name the invoice the note corrects: the
        # note's own number and date come first ("Credit note no.", "Date"); a note that names its
        # own date "Invoice date" (a billing system's invoice form reused) still has it read
        values = [replace(hit, weight=min(hit.weight, _CORRECTED_INVOICE_WEIGHT))
                  if hit.field in ("invoice_number", "date") and _names_corrected_invoice(hit, lex) else hit
                  for hit in values]
    scanned = {p.number: p.source != "text" for p in doc.pages}
    by_field: dict[str, list[tuple[float, Field]]] = {k: [] for k in VALUE_FIELDS}
    tax_unread: list[str] = []  # a tax label printing a rate above zero, whose figure went unread
    date_unread: list[tuple[float, str]] = []  # an invoice date's caption whose date went unread
    for hit in values:
        if hit.field in _AMOUNT_FIELDS:
            f = _amount_from(hit, opts, conv, lex)
            if f is None and hit.field == "vat":
                unread = _unread_tax(hit, conv)
                if unread:
                    tax_unread.append(unread)
        elif hit.field in ("date", "due_date"):
            f = _date_from(hit, opts, conv)
            if f is None:
                unread = _unread_date(hit)
                label = hit.segment.words_in(0, hit.end) if hit.weight >= _NAMING_WEIGHT else []
                if label and hit.field == "due_date":  # whatever the scan left of the date beside it
                    out.unread_label.setdefault("due_date", label[-1])
                if unread and hit.field == "due_date":
                    out.unread.setdefault("due_date", unread)
                elif unread:
                    date_unread.append((hit.weight, unread))
        elif hit.field == "invoice_number":
            f = _number_from(hit, conv)
            if f is None:
                unread = _unread_number(hit, conv)
                if unread:
                    out.unread.setdefault("invoice_number", unread)
        else:
            continue  # issuer labels: vision.issuer reads them
        if f is not None:
            by_field[hit.field].append((hit.weight, f))

    for name in ("invoice_number", "date", "due_date"):
        picked = _pick(by_field[name], first_printed=name == "date")
        if picked is not None:
            if name == "invoice_number" and scanned.get(picked.page, True):
                _settled_by_another_print(picked, doc)
                _doubt_lookalikes(picked)
            either = _EITHER_WAY.search(str(picked.text or "")) if name != "invoice_number" else None
            if either and int(either[1]) != int(either[2]) and opts.day_first is None:
                # two places printing the same 02/11/2026 agree on the digits, not on the order
                # they were both read in: the date is no surer than that order
                picked.confidence = min(picked.confidence, conv.date_certainty)
            out.fields[name] = picked
    _doubt_date_beside_later(out.fields, by_field["date"])
    if "due_date" not in out.fields and "due_date" not in out.unread:
        slipped = (_date_under_slipped_caption(doc, lex, "due_date")
                   or _later_date_in_the_dates_row(doc, lex, conv, out.fields.get("date")))
        if slipped:
            out.unread["due_date"] = slipped
    _date_under_no_caption(out, by_field["date"], date_unread, doc, conv, lex)

    out.lines = extract_lines(doc, opts, lex, conv)
    line_sum = sum((item["amount"] for item in out.lines), Decimal(0)) if out.lines else None
    heights = [w.height for w in doc.words]
    out.roundings = _roundings(doc, lex, conv, opts)
    printed = _printed_amounts(doc, opts.decimal or conv.decimal)
    total, net, tax, rounding, how = choose_totals_rounded(by_field, line_sum, median(heights) if heights else None,
                                                           printed, out.roundings, credit_note=credit_note is not None)
    if total is None and net is not None and tax is not None:
        total = _printed_sum(doc, net, tax, opts.decimal or conv.decimal)
        how = "net + tax printed below them" if total is not None else how
    elif total is None and net is not None and tax is None:
        found = _printed_tax_and_sum(doc, net, opts.decimal or conv.decimal, lex)
        if found is not None:
            (total, tax), how = found, "net + the amount under it, printed below them"
    elif total is not None and net is not None and tax is None and total.value == net.value:
        # the total taken as the net with no tax, while a stronger total label prints another
        # amount: the tax row between them, its caption garbled by the scan ('BIW 21% over
        # € 5.198,22   € 1.091,63', 'zzgl. 19% MwsSt.'), is the tax when the net plus it makes
        # exactly that amount; the sum of three printed figures proves each, so it is booked
        found = _printed_tax_and_sum(doc, net, opts.decimal or conv.decimal, lex)
        labelled = next((f for _, f in by_field["amount"] if found is not None and f.value == found[0].value), None)
        if labelled is not None and _rate_beside(doc, found[1]):
            total, tax = labelled, found[1]
            tax.confidence = max(tax.confidence, 0.9 * min(labelled.confidence, net.confidence))
            tax.detail = "the total less the net, printed between them; its label was not read"
            how = "net + the amount under it make the total a stronger label prints"
    for name, f in (("amount", total), ("amount_untaxed", net), ("vat", tax), ("rounding", rounding)):
        if f is not None:
            out.fields[name] = f
    reprint = None
    if total is not None and (total.currency is None or total.confidence < SURE_NET):
        reprint = clear_reprint(doc, total, opts.decimal or conv.decimal)
    if reprint is not None:
        if how == "arithmetic":
            _confirm_faint_total(total, net, tax, line_sum, reprint)
        # the total read without its unit ('¥' taken for a CJK character beside it): the unit
        # its second printing shows, when the page's marks vote for it too
        unit = yen_or_yuan(text) if reprint[2] == "CNY" else reprint[2]
        if unit is not None and unit == currency_found:
            total.currency = total.currency or reprint[2]
    if total is not None:
        out.notes.append(f"total chosen by {how}")
    receipt = read_receipt(doc, lex, conv)  # a till receipt: the amount paid, the date the till stamped
    labelled_total = total
    if receipt:
        if "invoice_number" in out.fields or "invoice_number" in out.unread:
            # a printed receipt number (read, or printed where no reading made it out), not the till
            # stamp read_receipt offers
            receipt.pop("invoice_number", None)
        # net and tax: the till's tax summary when it adds up to the amount paid (read_receipt); else
        # what the invoice labels found stays, and a disagreement with the total sends it to a person
        if bare_dollar and "date" in receipt:
            receipt["date"] = _doubt_guessed_date_order(receipt["date"], conv, dollar_order=hint == "USD")
        out.fields.update(receipt)
        total = receipt.get("amount", total)
        out.notes.append("read as a till receipt")
    elif any(p.source == "ocr" for p in doc.pages):
        # a scan whose date OCR read as none or one to come (a dot-matrix docket whose payment lines
        # were lost too): its date's look-alike digits read every way, for a person to confirm
        settled = settle_date(without_other_dates(doc, lex, conv.language), conv, out.fields.get("date"))
        if settled is not None:
            out.fields["date"] = settled

    if not receipt and how == "arithmetic" and "rounding" not in out.fields:
        _total_before_a_printed_rounding(out, printed)
    if not receipt and "vat" not in out.fields and "amount_untaxed" not in out.fields:
        _net_and_tax_of_the_sum_row(doc, out, lex, conv)
    if not receipt and "vat" not in out.fields:
        _no_tax_charged(out, tax_unread)

    issuer, buyer_segments = find_issuer(doc, lex, conv, values, regions, vendors)
    out.buyer_segments = buyer_segments
    if issuer:
        out.fields["issuer"] = confirm_shop(doc, issuer) if receipt else issuer

    currency = opts.currency
    if currency:
        out.fields["currency"] = Field(currency, 1.0, "template")
    else:
        marked = total.currency if total is not None else None
        if marked == "CNY":
            marked = yen_or_yuan(text)  # ¥ on a Japanese page is the yen
        if (not marked and labelled_total is not None and total is not None and labelled_total.value == total.value):
            # the till's amount paid read without its mark; the same figure under the total label
            # printed it ("TOTAL  £17.86")
            marked = labelled_total.currency
        if not marked and total is not None:
            # the total read where no unit is printed (a 'Razem' row's last column); the same figure
            # under another total label prints it ('Do zapłaty: 35 401,25 EUR'): the invoice's currency
            marked = _unit_of_same_total(total, by_field)
            marked = yen_or_yuan(text) if marked == "CNY" else marked
        if marked:
            out.fields["currency"] = Field(marked, min(1.0, total.confidence + 0.1) if currency_found == marked else 0.85,
                                           "layout", total.page, marked)
        elif currency_found:
            # no unit printed with the total: the page's marks vote; a vote another currency ran
            # close (an EUR invoice restating its VAT in PLN at the NBP rate, as Polish, Czech and
            # Hungarian law ask) is no answer to book on
            rated = exchange_rate_currencies(text)
            contested = currency_certainty < _CLEAR_VOTE or (currency_found in rated and len(rated) >= 2)
            sure = min(currency_certainty, _CLOSE_VOTE) if contested else currency_certainty
            out.fields["currency"] = Field(currency_found, sure, "document", None, currency_found,
                                           detail="" if sure == currency_certainty else
                                           "no unit printed with the total; the page names another currency "
                                           "as often, or prints an exchange rate between them")
        if "currency" in out.fields:
            _doubt_currency_mark(out.fields["currency"], doc, lex, buyer_segments)
        else:
            # no mark could be read (a scan took € for a Chinese character): the seller's tax id
            # country suggests one, for a person to confirm
            country = _tax_id_country_currency(doc, lex, buyer_segments)
            if country:
                out.fields["currency"] = Field(country, 0.5, "derived", None, "",
                                               detail=f"no currency read; the seller's tax id says {country}")
        if receipt and "currency" in out.fields:
            out.fields["currency"] = doubt_bare_dollar(doc, out.fields["currency"])
        chosen = out.fields.get("currency")
        if chosen is not None and not receipt and chosen.value != currency_found and conv.day_first is not None:
            # the numeric date order was guessed from the currency the whole page suggested (a
            # "$" makes an English page month first); the total's own currency says otherwise
            # (item codes S4576 read as $4576 on a page whose total reads "Invoice Total £")
            again = lex.conventions(text, chosen.value)
            if again.day_first != conv.day_first:
                _read_dates(out, values, doc, opts, again, lex)
                out.conventions = again
    return out


#: how sure the page's currency vote (``detect_currency``) must be to stand for the total's own unit;
#: a closer vote is offered at ``_CLOSE_VOTE``, below the checks' threshold
_CLEAR_VOTE = 0.95
_CLOSE_VOTE = 0.5


def _unit_of_same_total(total: Field, by_field: dict[str, list[tuple[float, Field]]]) -> str | None:
    """The currency printed with the total's figure under another total or amount-due label,
    when those printings agree on one."""
    units = {f.currency for name in ("amount", "amount_due") for _, f in by_field.get(name, ())
             if f.currency and f.value == total.value}
    return units.pop() if len(units) == 1 else None


#: how sure a numeric date order taken from a bare $ is: no surer than the dollar itself, which
#: may be the US one (month first) or Singapore's, Australia's … (day first)
_BARE_DOLLAR_ORDER = 0.5
#: a numeric date whose day and month could be swapped: both 12 or under, and different
_EITHER_WAY = re.compile(r"(?<!\d)(0?[1-9]|1[0-2])\s*[./-]\s*(0?[1-9]|1[0-2])\s*[./-]\s*\d{2,4}(?!\d)")


def _doubt_guessed_date_order(day: Field, conv: Conventions, dollar_order: bool) -> Field:
    """A till's date like 01/06/26 on a receipt whose only currency mark is a bare $: its order
    is a guess (the dollar's when ``dollar_order``, else the language's, a GST or VAT receipt's),
    unless the page prints a date that can only be read one way; the date is no surer than that."""
    either = _EITHER_WAY.search(str(day.text or ""))
    if conv.date_certainty >= 1.0 or either is None or int(either[1]) == int(either[2]):
        return day
    certainty = min(conv.date_certainty, _BARE_DOLLAR_ORDER) if dollar_order else conv.date_certainty
    order = "day first" if getattr(day.value, "day", None) == int(either[1]) else "month first, as a US till"
    return replace(day, confidence=day.confidence * certainty,
                   detail="; ".join(filter(None, [day.detail, f"{day.text} could be read either way: read {order}"])))


#: a strong label: one that names its field alone ('Due date', 'Fällig am'), not a word it shares
_NAMING_WEIGHT = 8
#: what a date leaves of itself when a scan garbles a letter of it: a year, or day, month and year
#: in digits ('23 Nov OV 2026', '0l.12.2026'); not '30 days' (payment terms)
_DATE_LIKE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|\d{1,4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{2,4}")


def _next_in_line(hit: _Hit) -> list[tuple[str, list[Word], Segment, int]]:
    """The segment after the label's in its line's reading order, when none stands to its right:
    a scan can box a label's word wider than it is ('Due' reaching over the '20.' after it)."""
    segments = hit.line.segments
    at = next((n for n, seg in enumerate(segments) if seg is hit.segment), None)
    if at is None or at + 1 >= len(segments) or hit.segment.text[hit.end:].strip():
        return []
    after = segments[at + 1]
    return [(after.text, after.words, after, 0)]


def _unread_date(hit: _Hit) -> str:
    """The print beside or under a strong date label that looks like a date no reading could
    make out ('Due date 23 Nov OV 2026') or a scrap of one ('Due date Ov'), or ''. Booked as it
    stood, the invoice would go without the date its vendor printed."""
    if hit.weight < _NAMING_WEIGHT:
        return ""
    beside = _right_text(hit)[:2] or _next_in_line(hit)
    # under a heading of a row of them, a table's rule a scan read as letters ('ES ee SS TE')
    # can stand between the heading and its date: the date in its column a line further down
    under = _below(hit)[:1] + _below(hit, accept=lambda text: bool(_DATE_LIKE.search(text)))
    for text, _, _, _ in beside + under:
        if _DATE_LIKE.search(text):
            return f"{hit.segment.text[:hit.end].strip()} {text.strip()}"
    # a scrap where the date stood ('Due date Ov', what a scan kept of '22 Nov 2026'): shorter
    # than any date or any word a vendor prints there instead ('on receipt', 'sofort'). Only
    # beside a caption, and not a small word: 'nach Fälligkeit und' is a sentence of the terms
    scrap = beside[0][0].strip() if beside else ""
    if (0 < sum(c.isalnum() for c in scrap) <= _SCRAP and not (scrap.isalpha() and scrap.islower())
            and len(hit.segment.text[:hit.end].split()) <= _CAPTION_WORDS):
        return f"{hit.segment.text[:hit.end].strip()} {scrap}"
    return ""


def _unread_number(hit: _Hit, conv: Conventions) -> str:
    """The print beside a strong number label that holds digits no reading took for a number
    ('Inv No : $2610-15651', its S read as a dollar sign), or ''. Booked with the till's date and
    time stamp in its place, the receipt would go without the number its shop printed."""
    if hit.weight < _NAMING_WEIGHT:
        return ""
    for text, _, _, _ in _right_text(hit)[:2]:
        if re.search(r"\d", text) and not find_dates(text, conv.day_first, conv.months):
            return f"{hit.segment.text[:hit.end].strip()} {text.strip()}"
    return ""


def _date_under_slipped_caption(doc: Document, lex: Lexicons, name: str) -> str:
    """On a scanned page, a date after a caption one letter off a strong label of ``name`` ('bue
    date 13/11/2026' for 'Due date'), or ''. No label matched it, so nothing read it; booked as it
    stood, the invoice would go without a date its vendor printed. A person reads it instead: a
    caption one letter off is a guess at what was printed, so its date is never booked."""
    captions = _slippable_captions(lex, name)
    if not captions:
        return ""
    from rapidfuzz.distance import Levenshtein

    for page in doc.pages:
        if page.source == "text":  # a text layer spells its captions as printed
            continue
        for line in page.lines:
            for seg in line.segments:
                folded = fold(seg.text)
                for date_like in _DATE_AFTER_CAPTION.finditer(folded):
                    head = folded[: date_like.start()].rstrip(" :.-")
                    for caption in captions:
                        for size in (len(caption) - 1, len(caption), len(caption) + 1):
                            start = len(head) - size
                            if (start >= 0 and (start == 0 or not head[start - 1].isalpha())
                                    and Levenshtein.distance(head[start:], caption, score_cutoff=1) <= 1):
                                return seg.text[start:].strip()
    return ""


def _later_date_in_the_dates_row(doc: Document, lex: Lexicons, conv: Conventions, taken: Field | None) -> str:
    """On a scanned page, a later date beside the invoice date in a row of values under a row of
    captions, whose own caption no reading made out ('Nº Factura | Fecha | —' over 'F264023 |
    09-10-2026 | 23-10-2026', the '—' a scan left of 'Vencimiento'), or ''. Such a date is as
    likely the due date as not; booked as it stood, the invoice would go without it. A caption
    read as any date's (a delivery date, a period) explains it."""
    from vision.receipts import date_caption

    if taken is None or taken.box is None or not isinstance(taken.value, date):
        return ""
    page = next((p for p in doc.pages if p.number == taken.page), None)
    if page is None or page.source == "text":
        return ""
    lines = page.lines
    x0, y0, x1, y1 = taken.box
    row = next((k for k, line in enumerate(lines) if line.y0 <= (y0 + y1) / 2 <= line.y1), None)
    if not row:
        return ""
    # the captions' row: the nearest line above with print over the date (a seller's line
    # printed in the margin left of the table can come between)
    captions = next((line for line in reversed(lines[max(row - 2, 0):row])
                     if any(c.x0 < x1 and c.x1 > x0 for c in line.segments)), None)
    if captions is None or date_caption(fold(captions.text), lex, conv.language) is None:
        return ""  # no row of captions over the date: not a table's header row
    for seg in lines[row].segments:
        if seg.x1 <= x1:
            continue
        later = [d for d, _, _, _ in find_dates(seg.text, conv.day_first, conv.months) if d > taken.value]
        if not later:
            continue
        over = " ".join(c.text for c in captions.segments if c.x0 < seg.x1 and c.x1 > seg.x0)
        if sum(ch.isalpha() for ch in over) < _CAPTION_LETTERS and date_caption(fold(over), lex, conv.language) is None:
            return f"{over.strip() or '(no caption)'} {seg.text.strip()}"
    return ""


#: a caption over a date with fewer letters than this is one no reading made out ('—', 'Ve')
_CAPTION_LETTERS = 4


#: a date where it starts, in folded text: digits and separators ('13/11/2026'), a day before its
#: month's name ('14 Nov 2026', '14nov26'), a month's name before its day ('Nov 14, 2026')
_DATE_AFTER_CAPTION = re.compile(r"(?<!\w)(?:\d{1,4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{2,4}"
                                 r"|\d{1,2}\s*[a-z]{3,9}\.?\s*,?\s*\d{2,4}(?!\d)"
                                 r"|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}(?!\d))")


@lru_cache(maxsize=8)
def _slippable_captions(lex: Lexicons, name: str) -> tuple[str, ...]:
    """The strong Latin-script labels of ``name`` long enough that one letter off is still them."""
    found = set()
    for code in lex.languages():
        for weight, label in lex.by_code[code].labels.get(name, ()):
            text = fold(label).rstrip(": ")
            if weight >= _NAMING_WEIGHT and not label.startswith("re:") and len(text) >= _SLIP_MIN_LENGTH \
                    and all(c.isalpha() and c.isascii() or c == " " for c in text):
                found.add(text)
    return tuple(sorted(found, key=len, reverse=True))


#: a caption this long or longer is still itself one letter off ('bue date'); 'due' one off is 'due'
_SLIP_MIN_LENGTH = 7


#: at most this many letters and digits beside a date's label are a scrap of it, not a value
_SCRAP = 3
#: a caption's words at most ('Data de vencimento:'), before a scrap of its date is looked for
_CAPTION_WORDS = 4


def _unread_tax(hit: _Hit, conv: Conventions) -> str:
    """What a tax label prints beside or under it that says a tax was charged although no tax
    amount was read there: a rate above zero ('VAT 20%', its figure lost to the scan); '' when
    it prints none ('Sales tax 0%', a law's article, an identifier)."""
    # the label's own words may carry the rate ('VAT 20%' is one label)
    own = (hit.segment.text, None, None, None)
    for text, _, _, _ in [own] + _right_text(hit)[:2] + _below(hit)[:1]:
        masked = _mask_dates(text, conv)
        rates = [parse_amount(m.group(1), conv.decimal) for m in PERCENT.finditer(masked)]
        if _IDENTIFIER.search(PERCENT.sub(" ", masked)):
            continue
        if any(rate for rate in rates):
            return f"{hit.segment.text[:hit.end].strip()} {text.strip()}"
    return ""


def _net_and_tax_of_the_sum_row(doc: Document, out: Extraction, lex: Lexicons, conv: Conventions) -> None:
    """A sum row under the items that prints two amounts and nothing else (a fapiao's ``合  计
    ¥25104.47 ¥1506.27``), whose column headings the scan garbled, so no label says which is
    which: when the two add up to the total and the second is the first at a rate the page
    prints (6% of the net, a cent a line either way), they are the net and the tax. Any other
    pair (paid and still due, two rates' taxes) leaves both unread."""
    total = out.fields.get("amount")
    if total is None or not isinstance(total.value, Decimal) or total.value <= 0:
        return
    rates = printed_rates(doc.text) - {Decimal(0)}
    slack = TOLERANCE * max(1, len(out.lines))
    found = []
    for line in (line for page in doc.pages for line in page.lines):
        amounts = find_amounts(line.text, conv.decimal)
        if len(amounts) != 2 or not _closing_label(line, lex):
            continue
        (net, _, _, _), (tax, _, _, _) = amounts
        if (0 < tax < net and abs(net + tax - total.value) <= TOLERANCE
                and any(abs(net * rate / 100 - tax) <= slack for rate in rates)):
            found.append((net, tax, line))
    if len(found) != 1:
        return
    net, tax, line = found[0]
    sure = min(total.confidence, _SUM_ROW_CONFIDENCE)
    detail = f"the sum row {line.text!r}: its two amounts add up to the total, the second a rate of the first"
    page = line.segments[0].page
    out.fields["amount_untaxed"] = Field(net, sure, "layout", page, f"{net}", detail=detail)
    out.fields["vat"] = Field(tax, sure, "layout", page, f"{tax}", detail=detail)


#: net and tax told apart by their sums alone, no label read beside them
_SUM_ROW_CONFIDENCE = 0.8


def _no_tax_charged(out: Extraction, tax_unread: list[str]) -> None:
    """A total that equals its net, with no tax amount read: the sum proves the tax is 0.00
    (a US invoice with no sales tax line, a small business exempt from VAT), and it is booked
    so, not left empty as if unread. Unless a tax label prints a rate above zero with no figure
    read: then the 'net' may be the gross (prices that include the tax), and a person reads the
    tax (check vat_unread)."""
    total, net = out.fields.get("amount"), out.fields.get("amount_untaxed")
    if total is None or net is None or "rounding" in out.fields:
        return
    if not (isinstance(total.value, Decimal) and isinstance(net.value, Decimal)) or abs(total.value - net.value) > TOLERANCE:
        return
    if tax_unread:
        out.unread.setdefault("vat", tax_unread[0])
        return
    out.fields["vat"] = Field(Decimal("0.00"), min(total.confidence, net.confidence), "derived", net.page, "",
                              detail="no tax amount printed; the net equals the total")


#: an invoice date that another, later date under a date label might be the due date of
DATE_BESIDE_LATER_CONFIDENCE = 0.5


def _doubt_date_beside_later(fields: dict[str, Field], dates: list[tuple[float, Field]]) -> None:
    """No due date was found, yet another date label holds a later date than the invoice date
    taken: a due date whose label the scan cut short ('Data de vencimento' read 'Data de', a
    'Due Date' whose 'Due' was lost) reads as one more date label, and the invoice would be
    booked with its due date empty, or with the due date as its date. A person says which
    date is which (the invoice date's confidence drops under the threshold, naming the other)."""
    taken = fields.get("date")
    if taken is None or "due_date" in fields or not isinstance(taken.value, date):
        return
    later = sorted({f.value for _, f in dates if isinstance(f.value, date) and f.value > taken.value})
    if later:
        taken.confidence = min(taken.confidence, DATE_BESIDE_LATER_CONFIDENCE)
        taken.detail = (f"{', '.join(d.isoformat() for d in later)} printed under a date label too, and no due "
                        f"date found: which is the invoice date, which the due date?")


def _date_under_no_caption(out: Extraction, dates: list[tuple[float, Field]], unread: list[tuple[float, str]],
                           doc: Document, conv: Conventions, lex: Lexicons) -> None:
    """With no date read under a date caption, the first date printed under none is the
    invoice's; a date taken so, or under a weak caption, is doubted when the invoice date's own
    caption printed a date no reading parsed (``_doubt_date_under_weaker_caption``)."""
    if "date" not in out.fields:
        unlabeled = _first_unlabeled_date(doc, conv, out.fields.get("due_date"), lex)
        if unlabeled:
            out.fields["date"] = unlabeled
    _doubt_date_under_weaker_caption(out.fields, dates, unread)


def _caption_names_due_date(hit: _Hit, lex: Lexicons) -> bool:
    """A bare date caption ('Fecha', 'Data') followed in its own piece by the start of a word only
    a due date's caption has ('Data de vencime', OCR having lost the end of 'vencimento' at the
    cell's edge): the date under it is the due date, not the invoice's."""
    if hit.weight >= 8:
        return False
    return lex.cut_short(fold(hit.segment.text[hit.end:]), "due_date", "date")


def _doubt_date_under_weaker_caption(fields: dict[str, Field], dates: list[tuple[float, Field]],
                                     unread: list[tuple[float, str]]) -> None:
    """The invoice date's own caption is printed ('Datum vystavení'), its date unread on the scan,
    and the date taken stands under a weaker caption or none ('Datum zdan. plnění', the tax point
    a day before): a person says which is the invoice's (its confidence drops under the threshold,
    naming what the strong caption printed)."""
    taken = fields.get("date")
    if taken is None or not unread:
        return
    weight = max((w for w, f in dates if f is taken), default=0.0)  # 0: a date printed under no caption
    stronger = [text for w, text in unread if w > weight]
    if stronger:
        taken.confidence = min(taken.confidence, DATE_BESIDE_LATER_CONFIDENCE)
        taken.detail = (f"the invoice date's caption is printed, its date unread ({stronger[0]!r}); "
                        f"this date stands under a weaker caption or none")


def _read_dates(out: Extraction, values: list[_Hit], doc: Document, opts: Options, conv: Conventions,
                lex: Lexicons) -> None:
    """The invoice and due dates read again in another numeric date order."""
    cands: dict[str, list[tuple[float, Field]]] = {"date": [], "due_date": []}
    date_unread: list[tuple[float, str]] = []
    for hit in values:
        if hit.field in cands:
            found = _date_from(hit, opts, conv)
            if found is not None:
                cands[hit.field].append((hit.weight, found))
            elif hit.field == "date" and (unread := _unread_date(hit)):
                date_unread.append((hit.weight, unread))
    for name, found in cands.items():
        out.fields.pop(name, None)
        picked = _pick(found, first_printed=name == "date")
        if picked is not None:
            out.fields[name] = picked
    _doubt_date_beside_later(out.fields, cands["date"])
    _date_under_no_caption(out, cands["date"], date_unread, doc, conv, lex)


#: a credit note's title stands in the top part of its first page
_TITLE_ZONE = 0.45
#: on a credit note, a label of the invoice it corrects: weaker than a bare "Date" (6)
_CORRECTED_INVOICE_WEIGHT = 2


def credit_note_title(doc: Document, lex: Lexicons) -> Field | None:
    """``document_type`` credit_note when the first page is titled as one ("CREDIT NOTE",
    "Gutschrift Nr. 17", "Avoir n° A-12"): the title alone in its piece, or followed by its
    number, in the top part of the page, on a line that prints no amount (an invoice's row
    "Credit note CN12  -45.00" is an item, not the document's title)."""
    if not doc.pages:
        return None
    page = doc.pages[0]
    for line in page.lines:
        if not line.segments or line.segments[0].y0 > _TITLE_ZONE * page.height:
            continue
        if re.search(r"\d[.,]\d{2}(?!\d)", line.text):
            continue
        for k in range(len(line.segments)):
            # a scan of spaced or monospaced print splits "CREDIT NOTE" into pieces at its gaps
            text = " ".join(seg.text.strip() for seg in line.segments[k:k + 3])
            folded = fold(text)
            label = lex.match(folded, ("credit_note",))
            if label is None:
                continue
            rest = folded[label.end:].strip(" :#.-")
            if len(rest.split()) <= 3:
                return Field("credit_note", 1.0, "layout", page.number, text[: label.end].strip(),
                             detail="titled as a credit note")
    return None


def _names_corrected_invoice(hit: _Hit, lex: Lexicons) -> bool:
    """On a credit note: is this number or date label one of the invoice it corrects ("Original
    invoice:", "Invoice date:"), also when a scan split the label into pieces?"""
    segments = hit.line.segments
    at = next((k for k, seg in enumerate(segments) if seg is hit.segment), None)
    texts = [hit.segment.text]
    if at is not None:
        texts += [" ".join(seg.text.strip() for seg in segments[start:at + 1]) for start in range(max(0, at - 2), at)]
    return any(lex.match(fold(text), ("corrected_invoice",)) is not None for text in texts)


def _tax_id_country_currency(doc: Document, lex: Lexicons, buyer_segments: set) -> str | None:
    outside = [s.text for p in doc.pages for line in p.lines for s in line.segments if id(s) not in buyer_segments]
    labelled = [t for t in outside if lex.search(fold(t), ("tax_id",)) is not None and "iban" not in fold(t)]
    # line by line: a till spaces 'GST ID   :   000123456789' into segments apart
    lines = [" ".join(s.text for s in line.segments if id(s) not in buyer_segments) for p in doc.pages for line in p.lines]
    return tax_id_currency(labelled, "\n".join(lines))


_CJK_TEXT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _doubt_currency_mark(currency: Field, doc: Document, lex: Lexicons, buyer_segments: set) -> None:
    """A currency known only from a mark ($, ¥, ₹: OCR takes a turned ₹ for ¥) is not booked
    alone when the document says otherwise: the seller's tax id belongs to a country with another
    currency (GSTIN -> INR, USt-IdNr. DE -> EUR), or a yuan/yen mark on a page without a single
    Chinese or Japanese character. A currency printed in letters (EUR, CNY, rupees) is trusted."""
    text = doc.text
    code = str(currency.value)
    if currency_named(text, code):
        return
    country = _tax_id_country_currency(doc, lex, buyer_segments)
    why = None
    if country is not None and country != code:
        why = f"the seller's tax id says {country}"
    elif code in ("CNY", "JPY") and not _CJK_TEXT.search(text):
        why = "no Chinese or Japanese text on the page"
    if why:
        currency.confidence = min(currency.confidence, 0.5)
        currency.detail = f"{code} only from a currency mark, but {why}: check the currency"
        if country is not None and country != code:
            # a scan turns ₹ into ¥ and drops the stroke of €: the seller's tax id is the
            # better guess, for the person who checks it
            currency.detail = f"{code} only from a currency mark, but {why}: {country} is more likely; check it"
            currency.value = country
