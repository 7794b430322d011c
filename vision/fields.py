"""Generic invoice field extraction from the layout: labels, and values right of or below them.

No vendor template is needed. Each page is grouped into lines and segments
(``vision.document``); a *label* (``Invoice No.``, ``Rechnungsdatum``, ``价税合计`` …) must start
a segment, and its value is the rest of that segment, the next segment on the same line
(another column), or the segment just below it (a value printed under its heading).
Amount labels take the right-most amount of their line, which is the total column of a
table's total row. Line items come from a table whose header names at least two columns
(description, quantity, unit price, amount) and whose rows are aligned under them.

Every field comes out as a ``Field`` with a confidence in 0..1: the OCR confidence of the
words it was read from x how strong its label is x how certain the parse was, raised when
several places in the document agree on the same value.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from vision.document import Document, Line, Segment, Word
from vision.parsing import detect_currency, find_amounts, find_dates, parse_amount, parse_invoice_number

_AMOUNT_FIELDS = ("amount", "amount_untaxed", "vat")

# (pattern, weight 1..10). A pattern must match at the start of a segment.
LABELS: dict[str, list[tuple[str, int]]] = {
    "invoice_number": [
        (r"invoice\s*(?:no|number|num|nr|#|id)\.?", 10), (r"inv\.?\s*(?:no|#)\.?", 9),
        (r"rechnungs?\s*-?\s*(?:nr|nummer|no)\.?", 10), (r"facture\s*n[o°]\.?", 10),
        (r"发?\s*票\s*号\s*码|发\s*票\s*号|发\s*票\s*编\s*号|发\s*票\s*代\s*码", 10),
        (r"bill\s*(?:no|number)\.?", 8), (r"(?:receipt|document|reference)\s*(?:no|number|#)\.?", 7),
        (r"booking\s*id", 5), (r"invoice", 3),
    ],
    "date": [
        (r"invoice\s*date|date\s*of\s*(?:issue|invoice)|issue\s*date|issued\s*on|billing\s*date", 10),
        (r"rechnungsdatum|datum\s*der\s*rechnung", 10), (r"开?\s*票\s*日\s*期", 10),
        (r"date", 6), (r"datum", 6), (r"日\s*期", 6),
    ],
    "due_date": [
        (r"(?:payment\s*)?due\s*(?:date|on|by)|date\s*due|pay\s*by", 10), (r"zahlungsziel|fällig\s*am", 9),
        (r"(?:付\s*款|到\s*期)\s*(?:日\s*期|期\s*限|日)", 10),
    ],
    "amount": [
        (r"grand\s*total|total\s*amount\s*due|amount\s*due|total\s*due|balance\s*due|invoice\s*total|"
         r"total\s*(?:amount\s*)?payable|total\s*for\s*this\s*invoice|total\s*\(?incl\.?[^:]{0,20}\)?", 10),
        (r"价?\s*税\s*合\s*计(?:\s*[(（]\s*小\s*写\s*[)）])?|总\s*计|应\s*付\s*金\s*额", 10),
        (r"gesamtbetrag|rechnungsbetrag|endbetrag|total\s*ttc", 9),
        (r"total\s*amount", 8), (r"total", 6), (r"合\s*计", 4), (r"summe", 5),
    ],
    "amount_untaxed": [
        (r"sub\s*-?\s*total|net\s*(?:amount|total)|total\s*net|amount\s*before\s*tax|"
         r"total\s*(?:excl\.?|excluding|before|w/o)\s*(?:vat|tax)", 10),
        (r"小\s*计|不\s*含\s*税\s*金\s*额|金\s*额\s*合\s*计", 10), (r"nettobetrag|zwischensumme|netto", 9),
        (r"total\s*ht", 9),
    ],
    "vat": [
        (r"(?:total\s*)?(?:vat|tax|gst|sales\s*tax|m\s*w\s*s?\s*s\s*t\.?|ust\.?|tva)(?:\s*\(?\s*\d{1,2}(?:[.,]\d+)?\s*%\s*\)?)?"
         r"(?:\s*amount)?", 10),
        (r"税\s*额|增\s*值\s*税(?:\s*额)?|税\s*金", 10),
    ],
    "issuer": [
        (r"vendor|supplier|seller|issued\s*by|bill\s*from|from|billed\s*by|payee", 10),
        (r"销?\s*售\s*方(?:\s*名\s*称)?|开\s*票\s*方|收\s*款\s*单\s*位|供\s*应\s*商", 10),
        (r"lieferant|verkäufer", 9), (r"sold\s*by", 4),
    ],
}
_COMPILED = {f: [(re.compile(r"^(?:\S\s)?[\W_]{0,3}(?:" + p + r")(?![A-Za-z])\s*[:：#]?\s*", re.I), w) for p, w in pats]
             for f, pats in LABELS.items()}

LEGAL_SUFFIX = re.compile(r"\b(?:AG|GmbH|Ltd\.?|Limited|Inc\.?|LLC|LLP|Co\.?|Corp\.?|S\.?A\.?|SAS|B\.?V\.?|"
                          r"Pvt\.?\s*Ltd\.?|PLC|KG|Oy|AB)(?![A-Za-z])|有\s*限\s*公\s*司|公\s*司")
_BUYER = re.compile(r"^[\W_]*(?:bill(?:ed)?\s*to|buyer|customer|client|ship\s*to|sold\s*to|购\s*买\s*方|客\s*户|"
                    r"rechnungsempfänger|kunde)", re.I)
_NOT_NAMES = {"invoice", "receipt", "rechnung", "bill", "statement", "tax", "payment", "facture", "page"}
_GENERIC_DOMAINS = {"gmail", "yahoo", "outlook", "hotmail", "qq", "163", "126", "icloud", "example", "mail"}


@dataclass
class Field:
    value: object
    confidence: float
    source: str = "layout"  # layout | template | derived | document
    page: int | None = None
    text: str = ""

    def to_json(self) -> dict:
        value = self.value
        if isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, date):
            value = value.isoformat()
        return {"value": value, "confidence": round(self.confidence, 3), "source": self.source,
                "page": self.page, "text": self.text}


@dataclass
class Options:
    """Reading conventions; vendor templates set them, else they are guessed."""

    decimal: str | None = None  # "." or ","
    day_first: bool | None = None
    date_format: str | None = None
    currency: str | None = None


@dataclass
class _Hit:
    field: str
    weight: int
    segment: Segment
    end: int  # end of the label in segment.text
    line: Line
    line_index: int
    page_lines: list[Line]


@dataclass
class Extraction:
    fields: dict[str, Field] = field(default_factory=dict)
    lines: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _conf(words: list[Word]) -> float:
    return min((w.conf for w in words), default=0.0)


def _label_hits(doc: Document) -> list[_Hit]:
    hits = []
    for page in doc.pages:
        lines = page.lines
        for index, line in enumerate(lines):
            for seg in line.segments:
                best: _Hit | None = None
                best_len = 0
                for name, patterns in _COMPILED.items():
                    for pattern, weight in patterns:
                        m = pattern.match(seg.text)
                        if m and (m.end() > best_len or (m.end() == best_len and best and weight > best.weight)):
                            best = _Hit(name, weight, seg, m.end(), line, index, lines)
                            best_len = m.end()
                if best:
                    hits.append(best)
    return hits


def _right_text(hit: _Hit) -> list[tuple[str, list[Word], Segment, int]]:
    """Candidate value places right of the label: (text, words, segment, start char)."""
    places = []
    rest = hit.segment.text[hit.end:]
    if rest.strip():
        places.append((rest, hit.segment.words_in(hit.end, len(hit.segment.text)), hit.segment, hit.end))
    after = [s for s in hit.line.segments if s.x0 > hit.segment.x1 - 1]
    for seg in after:
        places.append((seg.text, seg.words, seg, 0))
    return places


def _below(hit: _Hit, max_lines: int = 2) -> list[tuple[str, list[Word], Segment, int]]:
    """Segments under the label (overlapping its horizontal span) in the next lines."""
    out = []
    seg = hit.segment
    tolerance = hit.line.height * 2
    for line in hit.page_lines[hit.line_index + 1: hit.line_index + 1 + max_lines]:
        if line.y0 - hit.line.y1 > hit.line.height * 3:
            break
        for cand in line.segments:
            if cand.x0 < seg.x1 + tolerance and cand.x1 > seg.x0 - tolerance:
                out.append((cand.text, cand.words, cand, 0))
                break
        if out:
            break
    return out


def _mask_dates(text: str) -> str:
    for _, _, a, b in reversed(find_dates(text)):
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _amount_from(hit: _Hit, opts: Options) -> Field | None:
    places = _right_text(hit)
    candidates = []
    for text, words, seg, start in places:
        for value, currency, a, b in find_amounts(_mask_dates(text), opts.decimal):
            used = seg.words_in(start + a, start + b) or words
            candidates.append((value, currency, used, text[a:b]))
    position = 1.0
    if not candidates:
        for text, words, seg, start in _below(hit, max_lines=1):
            label_again = any(p.match(text) for pats in _COMPILED.values() for p, _ in pats)
            if label_again:
                continue
            for value, currency, a, b in find_amounts(_mask_dates(text), opts.decimal):
                candidates.append((value, currency, seg.words_in(a, b) or words, text[a:b]))
        position = 0.9
    if not candidates:
        return None
    # decimals or a currency mark make a number look like money; the right-most such wins
    moneyish = [c for c in candidates if c[1] or re.search(r"[.,]\d{2}$", c[3].strip())]
    value, currency, words, text = (moneyish or candidates)[-1]
    strength = 0.75 + 0.025 * hit.weight
    conf = _conf(words) * strength * position * (1.0 if moneyish else 0.85)
    f = Field(value, conf, "layout", hit.segment.page, text.strip())
    f.currency = currency  # type: ignore[attr-defined]
    return f


def _date_from(hit: _Hit, opts: Options) -> Field | None:
    right = _right_text(hit)[:3]
    places = right[:2] + _below(hit)
    if len(right) > 1:  # "August 3 | , | 2014": OCR can split a date over segments
        joined = " ".join(t for t, _, _, _ in right)
        places.append((joined, [w for _, ws, _, _ in right for w in ws], hit.segment, -1))
    for text, words, seg, start in places:
        found = find_dates(text, opts.day_first)
        if opts.date_format:
            from datetime import datetime

            for token in re.findall(r"\S+(?:\s\S+){0,2}", text):
                try:
                    value = datetime.strptime(token.strip(" ,;"), opts.date_format).date()
                    return Field(value, _conf(words) * (0.75 + 0.025 * hit.weight), "layout", hit.segment.page, token)
                except ValueError:
                    continue
        if found:
            value, certainty, a, b = found[0]
            used = (seg.words_in(start + a, start + b) if start >= 0 else words) or words
            return Field(value, _conf(used) * certainty * (0.75 + 0.025 * hit.weight), "layout",
                         hit.segment.page, text[a:b])
    return None


def _number_from(hit: _Hit) -> Field | None:
    for text, words, seg, start in _right_text(hit)[:2] + _below(hit):
        value = parse_invoice_number(text)
        if value:
            token = value.lstrip("#")
            used = [w for w in words if token in w.text or w.text.strip(":#") in token] or words
            return Field(value, _conf(used) * (0.75 + 0.025 * hit.weight), "layout", hit.segment.page, value)
    return None


def _clean_name(text: str) -> str:
    text = re.split(r"\s{2,}|\s[-|·]\s|[,;]\s*(?=\d)", text.strip())[0]
    return text.strip(" :：,;-|。，、.*_=~'\"“”")


def _name_field(seg: Segment, start: int, name: str, factor: float, source: str) -> Field:
    """A name read from ``seg`` starting at ``start``; confidence from the name's own words."""
    at = seg.text.find(name, start)
    words = seg.words_in(at, at + len(name)) if at >= 0 else seg.words
    return Field(name, _conf(words or seg.words) * factor, source, seg.page, name)


def _issuer_from(hit: _Hit) -> Field | None:
    for text, words, seg, start in _right_text(hit)[:1] + _below(hit):
        name = _clean_name(text)
        if re.search(r"[A-Za-z\u4e00-\u9fff]{2}", name):
            return _name_field(seg, max(start, 0), name, 0.75 + 0.025 * hit.weight, "layout")
    return None


def _first_unlabeled_date(doc: Document, opts: Options, due: Field | None) -> Field | None:
    """When no date label was read (OCR garbled it), the first date on the page that is not
    the due date, with a lower confidence."""
    for page in doc.pages:
        for line in page.lines:
            for seg in line.segments:
                for value, certainty, a, b in find_dates(seg.text, opts.day_first):
                    if due is not None and value == due.value:
                        continue
                    return Field(value, _conf(seg.words_in(a, b) or seg.words) * certainty * 0.75, "unlabeled",
                                 page.number, seg.text[a:b])
    return None


def _pick(cands: list[tuple[int, Field]]) -> Field | None:
    """Best candidate by label weight; agreement between places raises confidence."""
    if not cands:
        return None
    cands.sort(key=lambda c: (-c[0], -c[1].confidence))
    top_weight, best = cands[0]
    same = [f for w, f in cands if f.value == best.value]
    rivals = [f for w, f in cands if w == top_weight and f.value != best.value]
    conf = best.confidence
    if len(same) > 1:
        conf = 1 - (1 - conf) * 0.5
    if rivals:
        conf *= 0.8
    best.confidence = min(conf, 1.0)
    best.agreeing = len(same)  # type: ignore[attr-defined]
    return best


def issuer_from_domains(doc: Document) -> Field | None:
    """The brand behind the document's web/e-mail domains, spelled as the text spells it."""
    text = doc.text
    stems = Counter()
    for m in re.finditer(r"(?:https?://|www\.|@|\b)((?:[a-z0-9-]+\.)*?)([a-z0-9-]{3,})\.(?:com|de|cn|net|org|co|in|io|"
                         r"uk|fr|hk|jp|biz|info)(?![a-z])", text, re.I):
        stem = m.group(2).lower()
        if stem not in _GENERIC_DOMAINS:
            stems[stem] += 1
    if not stems:
        return None
    tokens = [(w, _clean_token(w.text)) for w in doc.words]
    for stem, _ in stems.most_common(3):
        phrases = Counter()
        conf_of: dict[str, float] = {}
        for page in doc.pages:
            for line in page.lines:
                for seg in line.segments:
                    words = seg.words
                    for i, w in enumerate(words):
                        t = _clean_token(w.text)
                        if len(t) < 3 or "." in w.text.strip(".") or "@" in w.text:
                            continue
                        low = t.lower()
                        if not (low == stem or (stem.startswith(low) and len(low) >= 3) or
                                (low.startswith(stem) and len(stem) >= 4)):
                            continue
                        if not t[0].isupper():
                            continue
                        phrase = [t]
                        used = [w]
                        for nxt in words[i + 1: i + 5]:
                            raw = nxt.text
                            nt = _clean_token(raw)
                            if not nt or not (nt[0].isupper() and nt.isalpha()) or nt.lower() in _NOT_NAMES:
                                break
                            phrase.append(nt)
                            used.append(nxt)
                            if raw.endswith((",", ":", ";")):
                                break
                        name = " ".join(phrase)
                        phrases[name] += 1
                        conf_of[name] = max(conf_of.get(name, 0), _conf(used))
        if phrases:
            name, count = max(phrases.items(), key=lambda kv: (kv[1], len(kv[0])))
            return Field(name, conf_of[name] * (0.9 if count > 1 else 0.75), "document", None, name)
        del tokens
        return Field(stem.capitalize(), 0.6, "document", None, stem)
    return None


def _clean_token(text: str) -> str:
    text = text.strip(" ,.;:()[]\"'“”*")
    return re.sub(r"\.(com|de|cn|net|org|co|in|io)$", "", text, flags=re.I)


def issuer_from_header(doc: Document) -> Field | None:
    """A company name near the top of the first page: a legal-form suffix, else the first line."""
    if not doc.pages or not doc.pages[0].lines:
        return None
    page = doc.pages[0]
    top = [line for line in page.lines if line.y1 <= page.height * 0.3] or page.lines[:5]
    for line in top:
        for seg in line.segments:
            if _BUYER.match(seg.text):
                continue
            m = LEGAL_SUFFIX.search(seg.text)
            if m and m.start() > 1:
                name = _clean_name(seg.text[: m.end()])
                if re.search(r"[A-Za-z\u4e00-\u9fff]{2}", name):
                    return _name_field(seg, 0, name, 0.8, "header")
    for line in top[:3]:
        seg = max(line.segments, key=lambda s: s.y1 - s.y0)
        name = re.sub(r"(?i)\b(tax\s+)?(invoice|receipt|rechnung|bill)\b|增值税|专用|普通|电子|发票", "", seg.text)
        name = _clean_name(name)
        if len(name) >= 2 and not find_dates(name):
            return Field(name, _conf(seg.words) * 0.6, "header", page.number, name)
    return None


# ---------------------------------------------------------------------------- line items

_COLUMNS = {
    "description": r"description|item|product|title|service|details|particulars|beschreibung|bezeichnung|"
                   r"artikel|货\s*物|项\s*目|名\s*称|品\s*名|服\s*务",
    "quantity": r"qty|quantity|menge|units?|hours|hrs|数\s*量",
    "unit_price": r"unit\s*price|price|rate|unit\s*cost|einzelpreis|vk-preis|preis|单\s*价",
    "tax": r"tax|vat|gst|mwst|rabatt|discount|税\s*率|税\s*额",
    "amount": r"amount|line\s*total|total|zeilenbetrag|betrag|金\s*额|net",
}
_COLUMN_RES = {k: re.compile(rf"^[\W_]*(?:{v})(?![A-Za-z])", re.I) for k, v in _COLUMNS.items()}


def _header_columns(line: Line) -> dict[str, tuple[float, float]] | None:
    cols: dict[str, tuple[float, float]] = {}
    for seg in line.segments:
        # a segment may hold several headings printed close together: try word by word too
        pieces = [(seg.text, seg.x0, seg.x1)]
        if len(seg.words) > 1:
            pieces += [(w.text, w.x0, w.x1) for w in seg.words]
        for text, x0, x1 in pieces:
            for name, rx in _COLUMN_RES.items():
                if name not in cols and rx.match(text):
                    cols[name] = (x0, x1)
                    break
    if "description" in cols and len(cols) >= 3 or ("description" in cols and "amount" in cols):
        return cols
    return None


def extract_lines(doc: Document, opts: Options) -> list[dict]:
    items: list[dict] = []
    for page in doc.pages:
        lines = page.lines
        i = 0
        while i < len(lines):
            cols = _header_columns(lines[i])
            if not cols:
                i += 1
                continue
            j = i + 1
            misses = 0
            while j < len(lines) and misses < 4:
                line = lines[j]
                first = line.segments[0].text
                if any(p.match(first) for f in ("amount", "amount_untaxed", "vat") for p, _ in _COMPILED[f]):
                    break
                item = _row(line, cols, opts)
                if item:
                    items.append(item)
                    misses = 0
                else:
                    misses += 1
                j += 1
            i = j
    return items


def _row(line: Line, cols: dict[str, tuple[float, float]], opts: Options) -> dict | None:
    assigned: dict[str, list[Word]] = {k: [] for k in cols}
    words = [w for seg in line.segments for w in seg.words]
    h = line.height
    for w in words:
        cx = (w.x0 + w.x1) / 2

        def distance(span):
            a, b = span
            if w.x1 >= a - h * 0.5 and w.x0 <= b + h * 0.5:
                return 0.0 if a - h <= cx <= b + h else min(abs(cx - a), abs(cx - b)) * 0.5
            return min(abs(cx - a), abs(cx - b))

        numeric = parse_amount(w.text, opts.decimal) is not None and re.fullmatch(r"[-(]?[$€£¥￥₹]?[\d.,]+\)?", w.text)
        names = [k for k in cols if (k != "description") == bool(numeric)] or list(cols)
        if not numeric and "description" in cols:
            names = ["description"]
        best = min(names, key=lambda k: distance(cols[k]))
        assigned[best].append(w)
    amount_words = assigned.get("amount") or []
    amount = parse_amount(amount_words[-1].text, opts.decimal) if amount_words else None
    if amount is None or not assigned.get("description"):
        return None
    item: dict = {"description": " ".join(w.text for w in assigned["description"]), "amount": amount}
    for key in ("quantity", "unit_price", "tax"):
        ws = assigned.get(key) or []
        item[key] = parse_amount(ws[-1].text, opts.decimal) if ws else None
    item["confidence"] = round(_conf(words), 3)
    item["page"] = words[0].page
    return item


# ---------------------------------------------------------------------------- entry point


def extract(doc: Document, opts: Options | None = None) -> Extraction:
    opts = opts or Options()
    out = Extraction()
    by_field: dict[str, list[tuple[int, Field]]] = {k: [] for k in LABELS}
    for hit in _label_hits(doc):
        if hit.field in _AMOUNT_FIELDS:
            f = _amount_from(hit, opts)
        elif hit.field in ("date", "due_date"):
            f = _date_from(hit, opts)
        elif hit.field == "invoice_number":
            f = _number_from(hit)
        else:
            f = _issuer_from(hit)
        if f is not None:
            by_field[hit.field].append((hit.weight, f))

    for name in ("invoice_number", "date", "due_date", "amount", "amount_untaxed", "vat"):
        picked = _pick(by_field[name])
        if picked is not None:
            out.fields[name] = picked
    if "date" not in out.fields:
        unlabeled = _first_unlabeled_date(doc, opts, out.fields.get("due_date"))
        if unlabeled:
            out.fields["date"] = unlabeled

    strong = [(w, f) for w, f in by_field["issuer"] if w >= 8]
    weak = [(w, f) for w, f in by_field["issuer"] if w < 8]
    issuer = _pick(strong) or issuer_from_domains(doc) or _pick(weak) or issuer_from_header(doc)
    if issuer:
        issuer.value = re.sub(r"\s+", " ", str(issuer.value)).strip()
        out.fields["issuer"] = issuer

    currency = opts.currency
    if currency:
        out.fields["currency"] = Field(currency, 1.0, "template")
    else:
        total = out.fields.get("amount")
        marked = getattr(total, "currency", None)
        found, certainty = detect_currency(doc.text)
        if marked:
            out.fields["currency"] = Field(marked, min(1.0, total.confidence + 0.1) if found == marked else 0.85,
                                           "layout", total.page, marked)
        elif found:
            out.fields["currency"] = Field(found, certainty, "document", None, found)
    out.lines = extract_lines(doc, opts)
    return out
