"""Reading conventions as data: one label lexicon per language under ``config/lexicons/*.yaml``.

    from vision.lexicon import load_lexicons, fold
    lex = load_lexicons()                        # every language in config/lexicons (cached)
    lex.languages()                               # ['de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'pt', 'zh']
    ranked = lex.detect(text)                     # [('nl', 0.61), ('en', 0.12), ...]
    conv = lex.conventions(text, currency="EUR")  # language, date order, decimal mark, month names
    lex.match(fold("Factuurnummer: 2024-001"), lex.value_fields)  # -> LabelMatch(field='invoice_number', ...)

A lexicon file holds, for one language: the labels of each invoice field with a weight (how
sure the label makes us: 10 = it can only mean this field, 3 = a generic word), table column
headings, month names and abbreviations, the usual numeric date order and decimal mark, and
words typical of the language (to detect a document's language). See ``config/lexicons/en.yaml``
for every key, and ``README.md`` there for how to add a language or a label.

Matching is case- and accent-insensitive: text and labels are *folded* character by character
(``É`` -> ``e``), which keeps every character's position, so a match in folded text points at
the same characters in the original.

Run ``python -m vision.lexicon [FOLDER]`` to check lexicon files: it prints each language and
its label count, or the first error with file and key.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from vision.errors import VisionError
from vision.parsing import ISO_CURRENCIES
from vision.yamlfile import load_admin_yaml

def _shipped_folder() -> Path:
    """config/lexicons of a checkout, or the copy an installed wheel carries (see setup.py)."""
    checkout = Path(__file__).resolve().parent.parent / "config" / "lexicons"
    installed = Path(__file__).resolve().parent / "_defaults" / "lexicons"
    return checkout if checkout.is_dir() or not installed.is_dir() else installed


DEFAULT_FOLDER = _shipped_folder()

#: fields whose labels lead to a value (the rest mark regions: buyer, ship-to, tax ids, titles)
VALUE_FIELDS = ("invoice_number", "date", "due_date", "amount", "amount_due", "amount_untaxed", "vat", "issuer")
#: other_number: labels of numbers that are not the invoice's own though they end like its labels
#: (E-Way Bill No., 发票代码): their value is never taken for the invoice number
REGION_FIELDS = ("buyer", "ship_to", "tax_id", "document_title", "other_number")
RECEIPT_FIELDS = ("receipt_total", "receipt_not_total")
#: headings over a block of the page ("Hotel Details", "Zahlungsinformationen") and stamps on it
#: ("COPY", "Duplikat", "仅供预览"): never a name
HEADING_FIELDS = ("section_title", "stamp")
#: a line naming whom a letter is for ("t.a.v.", "z. Hd.", "Attn:"): the block around it is the
#: recipient's address, even with no "Bill to" over it
ATTENTION_FIELDS = ("attention",)
#: a word printed AFTER the name of whom a document is addressed to ("Global Foods Ltd 御中",
#: "田中 様"): the name before it is the buyer's, wherever it stands on the page
ADDRESSEE_FIELDS = ("addressee",)
#: the caption of a party's name with its colon ("Denominazione:", "Raison sociale :", "Nazwa:"):
#: what follows it on the line is the name itself
NAME_CAPTION_FIELDS = ("name_caption",)
#: a rounding printed between net + tax and the total ("Round Off 0.06", "Arrondi", "Rundung"):
#: the total is net + tax + rounding
ROUNDING_FIELDS = ("rounding",)
#: what kind of document it is and how its pages hang together: a credit note's title ("Credit
#: note", "Gutschrift", "Avoir"), on a credit note the labels of the invoice it corrects
#: ("Original invoice", "Rechnungsdatum"), and a subtotal carried over a page ("Übertrag")
DOCUMENT_FIELDS = ("credit_note", "corrected_invoice", "carried_forward")
#: the seller's own desk for its customers ("Customer service", "Service client", "Espace client"):
#: it names the customer, yet heads the seller's contact block, never the buyer's
SERVICE_FIELDS = ("customer_service",)
#: words that say whether an amount counts the tax ("incl.", "ex", "hors", "zonder"): between a
#: plain total label and a tax label they make a total or a net label ("Total incl. GST", "Total
#: ex GST"), never a tax one
TAX_SCOPE_FIELDS = ("tax_included", "tax_excluded")
#: a phone or fax line's label ("Tel.", "Telefon", "Tél.", "电话"): the line is the sender's contact
#: data, never a name or the head of an address block
CONTACT_FIELDS = ("contact",)
#: the caption of a date that is not the document's own ("Next Service", "Expiry", "Valid till",
#: "Delivery date", "Printed"): a till's or docket's sale date is never read from it
OTHER_DATE_FIELDS = ("other_date",)
#: whose tax id it is when it is not the seller's: the caption of the customer's own number ("Your
#: VAT number", "Uw btw-nummer", "USt-IdNr. des Leistungsempfängers", "N° TVA client"), and a
#: reverse-charge phrase that hands the tax to a named party ("Btw verlegd naar …", "VAT reverse
#: charged to …"): such a number, and the name beside it, never make their neighbour the issuer
BUYER_TAX_ID_FIELDS = ("buyer_tax_id", "reverse_charge_to")
#: the caption of the bank details ("Bankverbindung", "Bank details", "Banque :", "开户行"): the name
#: between it and the account number is the bank that keeps the account, never the issuer
BANK_FIELDS = ("bank_caption",)
LABEL_FIELDS = (VALUE_FIELDS + TAX_SCOPE_FIELDS + REGION_FIELDS + RECEIPT_FIELDS + HEADING_FIELDS + ATTENTION_FIELDS + ADDRESSEE_FIELDS
                + NAME_CAPTION_FIELDS + ROUNDING_FIELDS + DOCUMENT_FIELDS + SERVICE_FIELDS + CONTACT_FIELDS
                + OTHER_DATE_FIELDS + BUYER_TAX_ID_FIELDS + BANK_FIELDS)
COLUMN_NAMES = ("description", "quantity", "unit_price", "tax", "amount")
DATE_ORDERS = ("dmy", "mdy", "ymd")
_KEYS = {"code", "name", "detect", "date_order", "date_order_by_currency", "decimal", "months", "labels", "columns"}

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
#: CJK labels this long or longer are also found one character off (``Lexicons._fuzzy_groups``);
#: of shorter ones (销售方, 购买方, 合计) one character off is another word
FUZZY_MIN_LENGTH = 4
FUZZY_PENALTY = 2
#: the fields whose CJK labels are found one character off: values, parties, tax ids; not titles
#: or document kinds (红字发票, a credit note, is one character from 蓝字发票, an invoice)
FUZZY_FIELDS = ("invoice_number", "date", "due_date", "amount", "amount_due", "amount_untaxed", "vat", "issuer",
                "buyer", "ship_to", "tax_id")


# letters NFKD does not take apart; one letter each, so positions are kept
_BASE = {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "a", "œ": "o"}


def _fold_char(c: str) -> str:
    low = c.lower()
    if low in _BASE:
        return _BASE[low]
    if len(low) != 1:
        low = c
    if low.isascii():
        return low
    base = unicodedata.normalize("NFKD", low)[:1]
    return base if base.isascii() and base.isalpha() else low


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents, one character for one character (positions are kept)."""
    return "".join(_fold_char(c) for c in text)


#: a currency unit between two words of a label, in folded (lower-case) text
_UNIT_BETWEEN_WORDS = (r"\s*(?:[(\[]?\s*(?:[€$£¥￥₹]|(?:" + "|".join(c.lower() for c in ISO_CURRENCIES)
                       + r")(?![^\W\d_]))\s*[)\]]?\s*)?")

_LOOKALIKE_LETTERS = {"l": "[li1|]", "i": "[il1|]"}


def _phrase_regex(phrase: str) -> str:
    """A label as written by an admin -> the regex that finds it in folded text."""
    original = phrase.strip()
    text = fold(original)
    need_colon = text.endswith(":")
    text = text.rstrip(": ")
    out: list[str] = []
    last_letter = max((i for i, c in enumerate(text) if c.isalnum()), default=-1)
    for i, c in enumerate(text):
        if not original[i].isascii() and original[i].isalpha() and c.isascii():
            word = re.search(r"[^\W\d_]*$", text[:i]).group(0) + re.match(r"[^\W\d_]*", text[i:]).group(0)
            if len(word) <= 3 and original[i] not in "ºª":
                # in a word of three letters or fewer the letter is itself: as any letter, 'IČ'
                # (a Czech company number) was a label at the start of 'LE BON FOURNISSEUR', and
                # 'č.' (Czech for 'No.') began every next word ('Faktura je splatná …')
                # A Latin model that lacks the letter reads a c with a háček or cedilla as a cent
                # sign, a c with a stroke ('Objednávka č.' as 'Objednavka ¢.'); a letter standing
                # alone before its dot ('č. 2026031'), whose háček it reads as an acute, as an é
                alone = len(word) == 1 and text[i + 1:i + 2] == "."
                out.append((r"(?:[c¢]|e(?=\.))" if c == "c" and alone else "[c¢]" if c == "c" else re.escape(c))
                           + (r"(?![^\W\d_])" if i == last_letter else ""))
                continue
            # a Latin OCR model that lacks the letter reads another one ("płatności" as
            # "ptatnosci", "Wartość" as "Wartosé"): the label's other letters still find it
            out.append(r"[^\W\d_]")
            continue
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if i == last_letter and text[i + 1:] and not text[i + 1:].strip("."):
            # an abbreviation's dot is optional, its word still ends there: 'c.f.' (codice fiscale)
            # is no label at the start of 'č. FV2026-0932' (a Czech 'No.' and its number)
            out.append((_LOOKALIKE_LETTERS[c] if c in _LOOKALIKE_LETTERS and original[i].isascii() else re.escape(c))
                       + r"(?![^\W\d_])")
            continue
        if c in _LOOKALIKE_LETTERS and original[i].isascii():
            # a scan's l, I, 1 and | are one stroke, o and 0 one ring: "Montant de Ia facture"
            # is "Montant de la facture" (folded text is lower case, so I arrives as i)
            out.append(_LOOKALIKE_LETTERS[c])
            continue
        if c == " ":
            # a currency printed inside a label, between its words ("Total € Incl. VAT", "Totaal
            # EUR incl. BTW"): the unit of the amount it labels, not the end of the label
            out.append(_UNIT_BETWEEN_WORDS if out and text[i - 1].isascii() and nxt.isascii() and nxt != " " else r"\s*")
        elif c == ".":
            # a label that is one letter and its dot (the Czech 'č.', 'No.') needs the dot: a
            # letter alone is an initial or an abbreviation of something else ('C/ Alcalá, 27', a
            # Spanish street, labelled the postcode under it as the invoice number)
            out.append(r"\.\s*" if sum(ch.isalnum() for ch in text) == 1 else r"\.?\s*")
        elif c in "-–":
            out.append(r"[-–\s]?\s*")
        elif c == "/":
            out.append(r"\s*/?\s*")
        elif c in "°º":
            out.append(r"\s*(?:[°ºo]|2(?=\s))?\.?\s*")  # OCR reads a small raised o as 2: "N2 factura"
        elif c in "'’":
            out.append(r"['’]?\s*")
        elif c in "()（）":
            out.append(r"[(（)）]?\s*")
        elif c == "#":
            out.append(r"\s*#")
        else:
            out.append(re.escape(c))
            if _CJK.match(c) and nxt and _CJK.match(nxt):
                out.append(r"\s*")
    body = "".join(out)
    if text and text[-1].isalnum():
        body += r"(?!\w)"
    if need_colon:
        body += r"\s*[:：]"
    return body


@dataclass(frozen=True)
class LabelMatch:
    field: str
    weight: int
    end: int  # end of the label (and its colon) in the text
    language: str
    label: str


@dataclass
class Lexicon:
    code: str
    name: str
    detect: frozenset[str]
    date_order: str
    date_order_by_currency: dict[str, str]
    decimal: str
    months: dict[str, int]
    labels: dict[str, list[tuple[int, str]]]
    columns: dict[str, list[str]]
    path: str = ""


@dataclass
class Conventions:
    """How one document writes dates and amounts, and in which language."""

    language: str | None
    day_first: bool | None  # None: year first
    date_certainty: float  # how sure the numeric date order is (1.0 when the document shows it)
    decimal: str
    months: dict[str, int]
    languages: list[tuple[str, float]] = field(default_factory=list)
    #: the month names of the page's own languages (``Lexicons.conventions``), what a misread month
    #: name is mended to: 'SCT' on an English docket is OCT, not Italian SET; empty: every language's
    own_months: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"language": self.language, "date_order": "ymd" if self.day_first is None else
                ("dmy" if self.day_first else "mdy"), "date_certainty": self.date_certainty, "decimal": self.decimal,
                "languages": [[code, round(score, 3)] for code, score in self.languages[:3]]}


_PREFIX = r"^(?:\S\s)?[\W_]{0,3}"
_SUFFIX = r"\s*[:：#]?\s*"


#: a label's word cut short by a scan (``Lexicons.cut_short``): the word is this long at least,
#: and this much of it is left
CUT_WORD_LENGTH = 6
CUT_WORD_KEPT = 4
#: answers of ``Lexicons.match`` kept for the next time the same text is asked about (a page
#: asks ~1,000 questions, a few hundred kilobytes)
MATCHES_REMEMBERED = 100_000


#: a language a page is written in scores at least this share of its first language's (``Lexicons.detect``)
_OWN_LANGUAGE_SHARE = 0.5


class Lexicons:
    """Every language's lexicon, compiled for matching."""

    def __init__(self, lexicons: list[Lexicon]):
        if not lexicons:
            raise VisionError("no label lexicon found: config/lexicons/*.yaml must hold at least one language")
        self.by_code = {lex.code: lex for lex in lexicons}
        self.value_fields = VALUE_FIELDS
        # per field: (alternation, weight, language) longest label first, so the alternation finds
        # the longest label of its group. Compiled when the field is first asked about
        # (``_field_groups``): compiling them all took ~0.9 s, the first read of every process,
        # and a till receipt's reading never asks about some fields, nor a Latin page about the
        # CJK labels one character off
        self._sources: dict[str, list[tuple[str, int, str]]] = {}
        self._groups: dict[str, list[tuple[re.Pattern, int, str]]] = {}
        for lex in lexicons:
            for name, entries in lex.labels.items():
                by_weight: dict[int, list[str]] = {}
                for weight, label in entries:
                    by_weight.setdefault(weight, []).append(label)
                for weight, labels in by_weight.items():
                    parts = sorted((lab[3:] if lab.startswith("re:") else _phrase_regex(lab) for lab in labels),
                                   key=len, reverse=True)
                    rx = _PREFIX + "(?:" + "|".join(f"(?:{p})" for p in parts) + ")" + _SUFFIX
                    self._sources.setdefault(name, []).append((rx, weight, lex.code))
        self._fuzzy = self._fuzzy_groups(lexicons)
        self._fuzzy_compiled: dict[str, list[tuple[re.Pattern, int, str]]] = {}
        # addressee words end the text they belong to; a Latin one is a word of its own
        # (a scan may read an ideograph's last stroke again as the same character: 御中中)
        suffixes = sorted({(r"(?<![^\W\d_])" if label[:1].isascii() else "")
                           + (_phrase_regex(label).removesuffix(r"(?!\w)") + re.escape(fold(label)[-1]) + "?"
                              if _CJK_CHAR.match(label[-1]) else _phrase_regex(label))
                           for lex in lexicons for _, label in lex.labels.get("addressee", ())
                           if not label.startswith("re:")}, key=len, reverse=True)
        self._addressee = re.compile(r"\s*(?:" + "|".join(suffixes) + r")[\s.:：,，]*$", re.I) if suffixes else None
        # every CJK label of every field read exactly: text that is one is never another label one character off
        exact = sorted({_phrase_regex(label) for lex in lexicons for entries in lex.labels.values()
                        for _, label in entries if not label.startswith("re:") and _CJK.search(label)}, key=len, reverse=True)
        self._cjk_exact_source = _PREFIX + "(?:" + "|".join(exact) + ")" if exact else None
        self._cjk_exact: re.Pattern | None = None
        self._column_sources: dict[str, str] = {}
        for name in COLUMN_NAMES:
            parts = sorted({_phrase_regex(c) for lex in lexicons for c in lex.columns.get(name, [])}, key=len, reverse=True)
            if parts:
                self._column_sources[name] = r"^[\W_]*(?:" + "|".join(parts) + ")"
        self._columns: dict[str, re.Pattern] | None = None
        self._months_all = self._merged_months(None)
        self._matched: dict[tuple, LabelMatch | None] = {}
        self._label_words: dict[str, set[str]] = {}
        # a language's own one-word labels (Rechnungsnummer, Factuurdatum) say more than its common words
        self._detect_words = {code: lex.detect | {fold(label) for name, entries in lex.labels.items()
                                                  if name not in TAX_SCOPE_FIELDS + CONTACT_FIELDS + OTHER_DATE_FIELDS
                                                  for _, label in entries
                                                  if " " not in label and not label.startswith("re:") and len(label) >= 4
                                                  and not label.endswith(":")}
                              for code, lex in self.by_code.items()}

    def cut_short(self, folded: str, field: str, other: str) -> bool:
        """Does a word of ``folded`` (text passed through ``fold``) start a long word of ``field``'s
        labels and no word of ``other``'s: 'vencime', a scan having lost the end of 'vencimento'
        (a due date), after the 'Data' that the invoice date's labels start with too?"""
        for name in (field, other):
            if name not in self._label_words:
                self._label_words[name] = {word for lex in self.by_code.values() for _, label in lex.labels.get(name, ())
                                           if not label.startswith("re:")
                                           for word in re.findall(r"[^\W\d_]+", fold(label))}
        return any(len(kept) >= CUT_WORD_KEPT
                   and any(len(w) >= CUT_WORD_LENGTH and w.startswith(kept) for w in self._label_words[field])
                   and not any(w.startswith(kept) for w in self._label_words[other])
                   for kept in re.findall(r"[^\W\d_]+", folded))

    def compile_all(self) -> None:
        """Compile every pattern now (they are compiled when first needed): checking lexicon
        files reports a label that breaks its field's pattern before a document meets it."""
        for name in self._sources:
            self._field_groups(name)
        for name in self._fuzzy:
            self._fuzzy_field_groups(name)
        self._exact_cjk_pattern()
        self._column_patterns()

    def languages(self) -> list[str]:
        return sorted(self.by_code)

    def label_count(self, code: str) -> int:
        return sum(len(v) for v in self.by_code[code].labels.values())

    # ------------------------------------------------------------------ labels

    def match(self, folded: str, fields: tuple[str, ...], prefer: str | None = None) -> LabelMatch | None:
        """The longest label of ``fields`` at the start of ``folded`` (text passed through
        ``fold``); on equal length the heavier label, then the document's language, wins."""
        # the same text is asked about again and again (each finder of a page asks of its
        # segments, a slower second read analyses the page again): fifty-odd patterns a time
        key = (folded, fields, prefer)
        found = self._matched.get(key, self)
        if found is self:
            if len(self._matched) >= MATCHES_REMEMBERED:
                self._matched.clear()
            found = self._matched[key] = self._match(folded, fields, prefer)
        return found

    def _match(self, folded: str, fields: tuple[str, ...], prefer: str | None) -> LabelMatch | None:
        best: LabelMatch | None = None
        best_key = (0, 0, False)
        for name in fields:
            groups = self._groups.get(name)
            if groups is None:
                groups = self._field_groups(name)
            for rx, weight, code in groups:
                m = rx.match(folded)
                if not m:
                    continue
                key = (m.end(), weight, code == prefer)
                if key > best_key:
                    best_key = key
                    best = LabelMatch(name, weight, m.end(), code, folded[: m.end()].strip())
        if best is None and self._fuzzy:
            return self._fuzzy_match(folded, fields, prefer)
        return best

    def _field_groups(self, name: str) -> list[tuple[re.Pattern, int, str]]:
        """The compiled alternations of one field's labels (compiled once, when first asked for)."""
        groups = [(re.compile(rx, re.I), weight, code) for rx, weight, code in self._sources.get(name, ())]
        self._groups[name] = groups
        return groups

    def _fuzzy_field_groups(self, name: str) -> list[tuple[re.Pattern, int, str]]:
        """``_field_groups`` of the CJK labels one character off (no re.I: see ``_fuzzy_groups``)."""
        groups = self._fuzzy_compiled.get(name)
        if groups is None:
            groups = self._fuzzy_compiled[name] = [(re.compile(rx), weight, code)
                                                   for rx, weight, code in self._fuzzy.get(name, ())]
        return groups

    def _exact_cjk_pattern(self) -> re.Pattern | None:
        if self._cjk_exact is None and self._cjk_exact_source is not None:
            self._cjk_exact = re.compile(self._cjk_exact_source, re.I)
        return self._cjk_exact

    def _column_patterns(self) -> dict[str, re.Pattern]:
        if self._columns is None:
            self._columns = {name: re.compile(rx, re.I) for name, rx in self._column_sources.items()}
        return self._columns

    @staticmethod
    def _fuzzy_groups(lexicons: list["Lexicon"]) -> dict[str, list[tuple[str, int, str]]]:
        """Per field, the CJK labels of FUZZY_MIN_LENGTH characters or more with one character
        changed or missing: a scan reads a light or small character as another one (填开单位 as
        十开单位) or not at all (发票号码 as 票号码), and a Chinese label has no other letters to
        find it by. One point of ``FUZZY_PENALTY`` less sure than the label itself."""
        groups: dict[str, list[tuple[str, int, str]]] = {}
        for lex in lexicons:
            for name in FUZZY_FIELDS:
                by_weight: dict[int, set[str]] = {}
                for weight, label in lex.labels.get(name, ()):
                    chars = fold(label).rstrip(": ：")
                    if label.startswith("re:") or len(chars) < FUZZY_MIN_LENGTH or not all(_CJK_CHAR.match(c) for c in chars):
                        continue
                    for i in range(len(chars)):
                        changed = [re.escape(c) for c in chars]
                        changed[i] = _CJK_CHAR.pattern
                        by_weight.setdefault(weight, set()).add(r"\s*".join(changed))
                        by_weight[weight].add(r"\s*".join(re.escape(c) for k, c in enumerate(chars) if k != i))
                for weight, variants in by_weight.items():
                    body = "|".join(sorted(variants, key=len, reverse=True))
                    # no re.I: nothing here has a case (CJK characters, classes of them, spaces and
                    # punctuation), and under it each of the pattern's hundreds of CJK ranges is
                    # expanded character by character: a quarter of the lexicons' loading time
                    rx = _PREFIX + "(?:" + body + r")(?!\w)" + _SUFFIX
                    groups.setdefault(name, []).append((rx, weight - FUZZY_PENALTY, lex.code))
        return groups

    def _fuzzy_match(self, folded: str, fields: tuple[str, ...], prefer: str | None) -> LabelMatch | None:
        """A CJK label one character off at the start of ``folded``: only when no label is read
        exactly there, and only when one field's labels alone come that close (one character off
        from both 购方名称 and 销方名称 names neither)."""
        if not _CJK.search(folded[:6]):
            return None
        exact = self._exact_cjk_pattern()
        if exact is not None and exact.match(folded):
            return None
        found: dict[str, LabelMatch] = {}
        for name in fields:
            for rx, weight, code in self._fuzzy_field_groups(name):
                m = rx.match(folded)
                if m and (name not in found or (m.end(), weight) > (found[name].end, found[name].weight)):
                    found[name] = LabelMatch(name, weight, m.end(), code, folded[: m.end()].strip())
        if not found:
            return None
        ranked = sorted(found.values(), key=lambda hit: (hit.end, hit.weight), reverse=True)
        if len(ranked) > 1 and ranked[1].end == ranked[0].end:
            return None
        return ranked[0]

    def search(self, folded: str, fields: tuple[str, ...]) -> LabelMatch | None:
        """A label of ``fields`` anywhere in ``folded`` (at a word start), the first one found."""
        for start in [0] + [m.end() for m in re.finditer(r"[\s|•·,;]+", folded)]:
            hit = self.match(folded[start:], fields)
            if hit:
                return LabelMatch(hit.field, hit.weight, start + hit.end, hit.language, hit.label)
        return None

    def addressee_word(self, folded: str) -> int | None:
        """Where a word that marks whom the document is addressed to ('御中', '様') begins at the
        end of ``folded``, after a name; None when the text does not end with one."""
        if self._addressee is None:
            return None
        m = self._addressee.search(folded)
        return m.start() if m and folded[: m.start()].strip() else None

    def column(self, folded: str) -> str | None:
        for name, rx in self._column_patterns().items():
            if rx.match(folded):
                return name
        return None

    # ------------------------------------------------------------------ language and conventions

    def detect(self, text: str) -> list[tuple[str, float]]:
        """Languages ranked by the share of the document's words typical of each."""
        folded = fold(text)
        words = re.findall(r"[^\W\d_]+", folded)
        if not words:
            return []
        counts = {code: 0.0 for code in self.by_code}
        cjk = len(_CJK.findall(text))
        for code, detect in self._detect_words.items():
            plain = {fold(w) for w in detect if not _CJK.search(w)}
            counts[code] += sum(1 for w in words if w in plain)
            for term in (w for w in detect if _CJK.search(w)):
                counts[code] += 2 * folded.count(term)
        total = len(words) + cjk / 2
        ranked = sorted(((code, n / max(total, 1)) for code, n in counts.items() if n), key=lambda kv: -kv[1])
        return ranked

    def _merged_months(self, prefer: str | None) -> dict[str, int]:
        merged: dict[str, int] = {}
        for code in sorted(self.by_code, key=lambda c: c == prefer):
            merged.update(self.by_code[code].months)
        return merged

    def conventions(self, text: str, currency: str | None = None, amounts_text: str | None = None) -> Conventions:
        """The document's language, numeric date order and decimal mark: what the document
        itself shows first (a date like 15/03 or 03/15, amounts like 1.234,56), then its
        language's habits."""
        from vision.parsing import date_order_votes, decimal_votes

        ranked = self.detect(text)
        language = ranked[0][0] if ranked else None
        lex = self.by_code.get(language) if language else None
        months = self._merged_months(language)
        dmy, mdy = date_order_votes(text)
        if dmy or mdy:
            if dmy and mdy:
                day_first, certainty = dmy >= mdy, 0.7
            else:
                day_first, certainty = bool(dmy), 1.0
            if (dmy + mdy == 1 and lex is not None and not lex.date_order_by_currency
                    and lex.date_order in ("dmy", "mdy") and day_first != (lex.date_order == "dmy")):
                # one date against the only order its language writes is more likely a digit
                # misread (a worn 1 of 04.11.2026 read as 2) than a foreign habit
                day_first, certainty = lex.date_order == "dmy", 0.7
        elif lex is not None:
            order = lex.date_order_by_currency.get(currency or "", lex.date_order)
            day_first = None if order == "ymd" else order == "dmy"
            if day_first is None:
                day_first = True  # a numeric date in a year-first language is rare: read it day first
            # English is written both ways: only a currency hint or the document settles it
            certainty = 0.95 if not lex.date_order_by_currency else (0.9 if currency in lex.date_order_by_currency else 0.75)
        else:
            day_first, certainty = True, 0.7
        dot, comma = decimal_votes(amounts_text if amounts_text is not None else text)
        if dot or comma:
            decimal = "," if comma > dot else "."
        else:
            decimal = lex.decimal if lex else "."
        return Conventions(language, day_first, certainty, decimal, months, ranked, self._own_months(ranked))

    def _own_months(self, ranked: list[tuple[str, float]]) -> dict[str, int]:
        """The month names of the languages a page is written in: those its words name at least
        half as often as its first language's (a few words shared with other languages, 'total',
        'cash', make no page Portuguese)."""
        if not ranked:
            return {}
        own: dict[str, int] = {}
        for code, score in reversed(ranked):
            if score >= ranked[0][1] * _OWN_LANGUAGE_SHARE:
                own.update(self.by_code[code].months)
        return own

    @property
    def months(self) -> dict[str, int]:
        return self._months_all


# ---------------------------------------------------------------------------- loading


def _fail(path: Path, message: str):
    raise VisionError(f"{path}: {message}")


def _as_list(path: Path, key: str, value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        _fail(path, f"'{key}' must be a list of texts")
    return [str(v) for v in value]


def load_lexicon(path: str | Path) -> Lexicon:
    path = Path(path)
    data = load_admin_yaml(path, "lexicon")
    if not isinstance(data, dict):
        _fail(path, "a lexicon is a mapping with code, labels, months, date_order, decimal (see en.yaml)")
    unknown = set(data) - _KEYS
    if unknown:
        import difflib

        hints = [f"{k!r} (did you mean {difflib.get_close_matches(k, _KEYS, 1)[0]!r}?)"
                 if difflib.get_close_matches(k, _KEYS, 1) else repr(k) for k in sorted(unknown)]
        _fail(path, f"unknown keys {', '.join(hints)}; allowed: {', '.join(sorted(_KEYS))}")
    code = str(data.get("code") or path.stem)
    order = data.get("date_order", "dmy")
    if order not in DATE_ORDERS:
        _fail(path, f"date_order must be one of {', '.join(DATE_ORDERS)}, not {order!r}")
    by_currency = data.get("date_order_by_currency") or {}
    if not isinstance(by_currency, dict) or any(v not in DATE_ORDERS for v in by_currency.values()):
        _fail(path, "date_order_by_currency maps a currency code to dmy, mdy or ymd")
    decimal = data.get("decimal", ".")
    if decimal not in (".", ","):
        _fail(path, "decimal must be '.' or ','")
    months: dict[str, int] = {}
    raw_months = data.get("months") or {}
    if not isinstance(raw_months, dict):
        _fail(path, "months maps a month number (1-12) to its names and abbreviations")
    for number, names in raw_months.items():
        if not isinstance(number, int) or not 1 <= number <= 12:
            _fail(path, f"months: {number!r} is not a month number 1-12")
        for name in _as_list(path, f"months.{number}", names):
            months[fold(name.strip().rstrip("."))] = number
    labels: dict[str, list[tuple[int, str]]] = {}
    raw_labels = data.get("labels") or {}
    if not isinstance(raw_labels, dict):
        _fail(path, "labels maps a field name to {weight: [labels]}")
    for name, by_weight in raw_labels.items():
        if name not in LABEL_FIELDS:
            import difflib

            close = difflib.get_close_matches(str(name), LABEL_FIELDS, 1)
            _fail(path, f"labels.{name}: unknown field" + (f" (did you mean {close[0]!r}?)" if close else "")
                  + f"; known: {', '.join(LABEL_FIELDS)}")
        if not isinstance(by_weight, dict):
            _fail(path, f"labels.{name} maps a weight (1-10) to a list of labels")
        for weight, entries in by_weight.items():
            if not isinstance(weight, int) or not 1 <= weight <= 10:
                _fail(path, f"labels.{name}: weight {weight!r} must be a whole number 1-10")
            for label in _as_list(path, f"labels.{name}.{weight}", entries):
                if not label.strip():
                    _fail(path, f"labels.{name}.{weight}: empty label")
                if label.startswith("re:"):
                    try:
                        re.compile(label[3:])
                    except re.error as exc:
                        _fail(path, f"labels.{name}.{weight}: {label!r} is not a valid regular expression: {exc}")
                labels.setdefault(name, []).append((weight, label))
    columns = {}
    raw_columns = data.get("columns") or {}
    if not isinstance(raw_columns, dict):
        _fail(path, f"columns maps {', '.join(COLUMN_NAMES)} to lists of headings")
    for name, entries in raw_columns.items():
        if name not in COLUMN_NAMES:
            _fail(path, f"columns.{name}: unknown column; known: {', '.join(COLUMN_NAMES)}")
        columns[name] = _as_list(path, f"columns.{name}", entries)
    detect = frozenset(fold(w) for w in _as_list(path, "detect", data.get("detect")))
    return Lexicon(code, str(data.get("name") or code), detect, order,
                   {str(k).upper(): v for k, v in by_currency.items()}, decimal, months, labels, columns, str(path))


@lru_cache(maxsize=8)
def _load_cached(folder: str, stamp: tuple) -> Lexicons:
    return Lexicons([load_lexicon(p) for p in sorted(Path(folder).glob("*.yaml"))])


def load_lexicons(folder: str | Path | None = None) -> Lexicons:
    """Every ``*.yaml`` lexicon in ``folder`` (default: the repository's ``config/lexicons``);
    reloaded when a file changes."""
    folder = Path(folder) if folder else DEFAULT_FOLDER
    if not folder.is_dir():
        raise VisionError(f"{folder}: lexicon folder not found")
    files = sorted(folder.glob("*.yaml"))
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _load_cached(str(folder.resolve()), stamp)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        lex = load_lexicons(argv[0] if argv else None)
        lex.compile_all()
    except re.error as exc:
        print(f"error: a label breaks its field's pattern: {exc}", file=sys.stderr)
        return 2
    except VisionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for code in lex.languages():
        print(f"{code}  {lex.by_code[code].name}: {lex.label_count(code)} labels, "
              f"{len(lex.by_code[code].months)} month names, dates {lex.by_code[code].date_order}, "
              f"decimal {lex.by_code[code].decimal!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
