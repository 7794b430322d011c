"""Who issued the document: the seller, never the buyer, the ship-to or a platform's name.

    from vision.issuer import Vendor, load_vendors
    vendors = load_vendors("data/suppliers.csv")     # optional: the ERP's supplier list
    result = read_invoice("scan.pdf", vendors=vendors)
    result.fields["issuer"].value, result.fields["issuer"].detail   # "Hetzner Online GmbH", "vendor master (tax id DE812871812)"

Several places in a document name its issuer; each is a vote, and places that agree add up:

- a seller label (``Seller:``, ``Verkäufer``, ``Fournisseur``, ``Sold by``, ``销售方``): strongest;
- the block holding the seller's tax id, registration or bank account (VAT no., USt-IdNr., SIRET,
  KvK, 统一社会信用代码, GSTIN, ABN, IBAN …; labels from the lexicons): the name heading that block;
- the letterhead: the sender line above an address window (``Name · street · city``), a
  company name with a legal form (GmbH, SAS, B.V., Ltd …) or the largest text at the top of page 1;
- the web and e-mail domains printed on the document, which confirm a name spelled like them.

Text inside the buyer's and the ship-to blocks (under ``Bill to``, ``Kunde``, ``Client``,
``Klant``, ``购买方`` …) is never a candidate, nor is a domain printed there. With a vendor master
(name, tax id, IBAN), a tax id or IBAN printed outside the buyer's block names the vendor
outright, and a name found is matched to the master's spelling; ``detail`` says which.
"""

from __future__ import annotations

import csv
import re
import string
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from vision.document import Document, Line, Segment, box_of
from vision.errors import VisionError
from vision.lexicon import (BANK_FIELDS, BUYER_TAX_ID_FIELDS, CONTACT_FIELDS, HEADING_FIELDS, NAME_CAPTION_FIELDS, VALUE_FIELDS, Conventions,
                            Lexicons, fold)
from vision.yamlfile import parse_admin_yaml

LEGAL_FORM = re.compile(
    r"(?<![^\W\d_])(?:Soci[ée]t[ée]\s+(?:Anonyme|par\s+actions\s+simplifi[ée]e|[àa]\s+responsabilit[ée]\s+limit[ée]e)|"
    r"Aktiengesellschaft|Gesellschaft\s+mit\s+beschr[äa]nkter\s+Haftung|Besloten\s+Vennootschap|AG|GmbH|mbH|Ltd\.?|Limited|Inc\.?|L\.?L\.?C\.?|L\.?L\.?P\.?|Co\.?|Corp\.?|Corporation|S\.?A\.?|S\.?A\.?S\.?|SARL|S\.?a\.?r\.?L\.?|"
    r"S[àa]rl|EURL|SNC|B\.?V\.?|N\.?V\.?|V\.?O\.?F\.?|Pvt\.?\s*Ltd\.?|Private\s+Limited|PLC|KG|OHG|e\.?K\.?|UG|Oy|AB|A/S|ApS|AS|"
    r"S\.?L\.?|S\.?r\.?l\.?|S\.?n\.?c\.?|S\.?a\.?s\.?|S\.?p\.?A\.?|Lda\.?|Sp\.?\s*z\s*[o0]\.?\s*[o0]\.?|S\.?C\.?|Pty\.?\s*Ltd\.?|Bhd\.?|Sdn\.?\s*Bhd\.?|"
    # Czech and Slovak (spol. s r.o., s.r.o., a.s., v.o.s., k.s.; after 'spol.' a scan's 'r o.' or 'ro.'
    # is still r.o.), Japan's K.K., Ireland's Teoranta
    r"spol\.\s*s\s*r\.?\s*[o0]\.?|s\.\s?r\.\s?[o0]\.?|a\.\s?s\.|v\.\s?[o0]\.\s?s\.|k\.\s?s\.|K\.K\.|Kabushiki\s+Kaisha|Teoranta|Teo\.)"
    r"(?![^\W\d_])|有\s*限\s*(?:责\s*任\s*)?公\s*司|股\s*份\s*有\s*限\s*公\s*司|公\s*司")
# value shapes of seller identifiers, for lines whose label OCR garbled (``tax_id_shape``: with
# its digits; 'DE VOTRE FACTURE' has the shape of a German VAT number in letters)
TAX_ID_SHAPES = re.compile(
    r"\b(?:(?:AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|CHE)"
    r"[\s-]?[0-9A-Z]{2}[\s.]?(?:[0-9A-Z]{3}[\s.]?){2,4}[0-9A-Z]{0,3}|"
    r"GB\s?\d{3}\s?\d{4}\s?\d{2}(?:\s?\d{3})?|"  # a British VAT number as printed: GB 123 4567 89
    r"\d{2}[A-Z]{5}\d{4}[A-Z]\d[Z][0-9A-Z]|"  # GSTIN
    r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}|"  # 统一社会信用代码
    r"[A-Z]{2}\d{2}(?:\s?[0-9A-Z]{4}){3,7}(?:\s?[0-9A-Z]{1,3})?)\b")


def tax_id_shape(text: str) -> re.Match | None:
    """The first run of ``text`` shaped like a tax id, a company registration or an IBAN. Every
    one of them carries six digits or more (FR11123456782, ATU62353134, 91110108690017781B); a run
    of capitals after a country code ('DE VOTRE FACTURE', 'DEPASSEMENTS') carries none."""
    for m in TAX_ID_SHAPES.finditer(text):
        if len(re.findall(r"\d", m.group(0))) >= 6:
            return m
    return None


def _tax_ids(text: str) -> set[str]:
    """Every run of ``text`` shaped like a tax id, a registration or an IBAN, as letters and digits."""
    return {_alnum(m.group(0)) for m in TAX_ID_SHAPES.finditer(text) if len(re.findall(r"\d", m.group(0))) >= 6}


# a person's title before a name ('M DE LATTRE ALEXIS', 'Mme Dupont', 'Herrn Max Muster', 'Dhr. de
# Vries'): a company's name never starts with one, a recipient's address often does
_CIVILITY = re.compile(r"(?:M|MM|Mme|MME|Mmes|Mlle|MLLE|Mr|MR|Mrs|MRS|Ms|MS|Dhr|DHR|Mevr|MEVR|Sig|Sig\.ra|Sr|Sra|Srta)\.?\s+"
                       r"(?=[A-ZÀ-Þ])|(?i:monsieur|madame|mademoiselle|messieurs|herrn?|frau|mevrouw|de\s+heer|"
                       r"signora?|señora?|senhora?)\s+(?=\w)|(?:Pan|Pani)\s+(?=[A-ZĄĆĘŁŃÓŚŹŻ])")
# a street line or a postcode + city: what makes a block of lines an address
# (a Czech or Slovak house has two numbers, the land register's and the street's: 'Hlavní 275/7')
ADDRESS = re.compile(r"(?<!\d)(?:[A-Z]{1,2}-)?\d{4,6}(?!\d)\s+[^\W\d_]{2,}|[^\W\d_]{3,}\.?\s+\d{1,4}[a-z]?(?:\s*[-–/]\s*\d+[a-z]?)?\s*(?:,|$)|"
                     r"^\s*\d{1,4}[a-z]?,?\s+(?:[^\W\d_]+\s){0,3}(?:rue|street|st\.?|road|rd\.?|avenue|ave\.?|lane|"
                     r"boulevard|blvd|chemin|straße|strasse|str\.|weg|laan|straat|via|calle|rua|ulica|ul\.)|"
                     r"\b[A-Z]{1,2}\d{1,2}[A-Z]?\s*\d[A-Z]{2}\b|(?:路|街|号|区|市)|"
                     # Ireland: an Eircode (P31 K7D2, D6W XY45), and a county, whose 'Co.' is no company
                     r"\b[AC-FHKNPRTV-Y](?:\d{2}|6W)\s?(?=[A-Z]*\d)[0-9AC-FHKNPRTV-Y]{4}\b|"
                     r"\bCo\.?\s+(?:Antrim|Armagh|Carlow|Cavan|Clare|Cork|Derry|Donegal|Down|Dublin|Fermanagh|Galway|Kerry|"
                     r"Kildare|Kilkenny|Laois|Leitrim|Limerick|Longford|Louth|Mayo|Meath|Monaghan|Offaly|Roscommon|Sligo|"
                     r"Tipperary|Tyrone|Waterford|Westmeath|Wexford|Wicklow)\b", re.I)
# what separates the parts of a sender line ("Name · Street 1 · City"); OCR reads a bullet as ¢, *, :
# or a full stop between spaces (no name or street has a dot with a space before it)
_SEPARATORS = re.compile(r"\s[-–|·•¢*«»:.]\s|\s*[|·•]\s*")
# the software or marketplace a document was made, sent or ordered through ('Powered by Stripe',
# 'Gemaakt met Moneybird', 'Facture générée par Pennylane', 'Ordered Through: Flipkart'): its name
# and domain are printed on other companies' invoices, so they never name the issuer by themselves
_PLATFORM = re.compile(
    r"(?i)\b(?:powered\s+by|generated\s+(?:by|with|via)|created\s+(?:with|via|using)|made\s+with|"
    r"sent\s+(?:via|with|through|using)|(?:ordered|sold|booked|purchased|paid)\s+(?:through|via)|"
    r"(?:aan)?gemaakt\s+(?:met|via)|verzonden\s+(?:via|met)|gegenereerd\s+(?:door|met|via)|besteld\s+via|"
    r"r[ée]alis[ée]e?s?\s+(?:avec|via)|g[ée]n[ée]r[ée]e?s?\s+(?:par|avec|via)|[ée]dit[ée]e?s?\s+(?:avec|via)|"
    r"envoy[ée]e?s?\s+via|command[ée]e?s?\s+via|erstellt\s+(?:mit|über)|generiert\s+(?:mit|durch|von)|"
    r"bestellt\s+über|versendet\s+(?:über|mit))\s*[:：]?\s*(?:www\.)?([^\W_][\w&'-]*(?:\.[a-z]{2,4}\b)?)")
# an article starts a sentence, not a company: 'The' is no spelling of themeforest.net
_ARTICLES = {"the", "les", "der", "die", "das", "den", "het", "een", "los", "las", "una", "uno", "des", "del"}
#: the share of the page's height below which its footer lies
FOOTER = 0.75
_GENERIC_DOMAINS = {"gmail", "yahoo", "outlook", "hotmail", "qq", "163", "126", "icloud", "example", "mail", "web",
                    "gmx", "live", "msn", "aol", "protonmail", "t-online", "orange", "free", "wanadoo", "sina", "foxmail"}
_DOMAIN = re.compile(r"(?:https?://|www\.|@|(?<![\w.@-]))((?:[a-z0-9-]+\.)*?)([a-z0-9][a-z0-9-]{2,})\."
                     r"(?:com|de|cn|net|org|co|in|io|uk|fr|nl|be|es|it|pt|pl|at|ch|eu|hk|jp|au|biz|info|lu|se|dk|my|sg)"
                     r"(?![a-z])", re.I)
_STRIP = " :：,;-–|。，、.*_=~'\"“”‘’„‚«»()[]/\\"
_SHARE_CAPITAL = re.compile(r",?\s+(?:au\s+capital|capital\s+social|share\s+capital|stammkapital|grundkapital|"
                            r"con\s+capitale|capitale\s+sociale|kapita[łl]\s+zak[łl]adowy|capital\s+de)\b", re.I)
# one character of a caption printed down the side of a box, alone or before the box's own text
_SIDE_CHAR = re.compile(r"\s*([\u3400-\u9fff])(?:\s*[|｜]\s*|\s+|$)")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


#: labels that are never a company's name when they make up the whole text: a field's caption (a
#: column heading 'VAT amount' or '增值税税额' over the seller's tax id, read as the head of its block)
_NEVER_NAMES = tuple(f for f in VALUE_FIELDS if f != "issuer") + ("buyer", "ship_to", "tax_id")

# the places that see a name printed, not a name in the seller's role: a platform's name printed
# there does not count
_WEAK_SOURCES = {"letterhead", "letterhead (legal form)", "legal form", "address block", "sender line"}

# two candidates less than this many points apart are a coin flip (a seller label is 10, a tax-id
# block 4-6, a sender line 6, a letterhead name 2-6.5, an address block 4, a domain 3)
CONTESTED = 2.5
#: nor one whose rival scored two thirds of its points or more (9.5 against 6.5: a buyer named
#: on a reverse-charge line with its VAT number, against the seller's letterhead)
CLOSE = 2 / 3

# places of one kind count once for a name (a name printed in a letterhead and a footer is one vote)
_KIND = {"legal": "letterhead", "letterhead": "letterhead", "sender": "letterhead", "tax": "identifier",
         "seller": "seller", "domain": "domain", "address": "address"}


@dataclass
class Vendor:
    """One supplier of the ERP's vendor master."""

    name: str
    tax_id: str = ""
    iban: str = ""
    code: str = ""

    def keys(self) -> list[str]:
        return [k for k in (_alnum(self.tax_id), _alnum(self.iban)) if len(k) >= 6]


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]", "", fold(text or ""))


def load_vendors(path: str | Path) -> list[Vendor]:
    """A vendor master from CSV (header: name, tax_id, iban, code; other columns ignored) or
    YAML (a list of mappings with the same keys)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise VisionError(f"{path}: cannot read the vendor master: {exc}") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        rows = parse_admin_yaml(text, path, "vendor master") or []
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise VisionError(f"{path}: a vendor master is a list of mappings with name, tax_id, iban")
        start = 1
    else:
        rows = list(csv.DictReader(text.splitlines()))
        start = 2
        if rows and "name" not in {k.strip().lower() for k in rows[0] if k}:
            raise VisionError(f"{path}: the header must name a 'name' column (and tax_id, iban)")
    vendors = []
    for n, row in enumerate(rows, start):
        row = {str(k).strip().lower(): ("" if v is None else str(v).strip()) for k, v in row.items() if k}
        if not row.get("name"):
            raise VisionError(f"{path}: row {n}: the vendor has no name")
        vendors.append(Vendor(row["name"], row.get("tax_id", ""), row.get("iban", ""), row.get("code", "")))
    return vendors


@dataclass
class _Candidate:
    name: str
    score: float = 0.0
    conf: float = 0.0
    page: int | None = None
    sources: list[str] = field(default_factory=list)
    by_source: dict[str, float] = field(default_factory=dict)  # a kind of place counts once


def clean_name(text: str, lex: Lexicons | None = None) -> str:
    """A name out of a text run: cut at address parts, separators and labels; no title words."""
    if lex is not None:
        text = _after_caption(text, lex) or text
    text = re.split(r"\s{2,}|\s[-–|·•¢*«»]\s|[|·•]|,\s*(?=\d)|\s\d{4,5}\s", text.strip())[0]
    # the legal mention of share capital after a company's name ("… SARL au capital de 7 500 €")
    text = _SHARE_CAPITAL.split(text, maxsplit=1)[0]
    # a name ends at its legal form: a colon or full stop between spaces after it is a separator
    # OCR read for a bullet ("Elektro Vogel e.K. : Gartenstraße 56"), and what follows is the street
    # or the owner. Before a legal form, " : " may be a label's ("Verkäufer : …"), so it stays.
    for sep in re.finditer(r"\s[:：.;]\s", text):
        form = LEGAL_FORM.search(text[: sep.start()].rstrip())
        if form and form.end() == len(text[: sep.start()].rstrip()) and form.start() > 0:
            text = text[: sep.start()]
            break
    text = text.strip(_STRIP.replace(".", ""))
    if text.endswith(".") and not LEGAL_FORM.search(text[-9:]):  # "B.V." and "Inc." keep their dot
        text = text.rstrip(".").strip(_STRIP)
    text = text.lstrip(".")
    # a trademark sign ends a logo's name: what OCR reads after it is the logo's art ("bouygues
    # TELECOM ® a"), unless a legal form follows, which only a name prints ("Acme® Tools GmbH")
    mark = re.search(r"(?<=\w)\s*[®™]", text)
    if mark:
        rest = text[mark.end():]
        text = text[: mark.start()] + (" " + rest.strip() if LEGAL_FORM.search(rest) else "")
    # a lone small letter after the name is OCR's reading of a logo's mark or a rule's end
    # ("bouygues TELECOM c |"): no company name ends with one
    text = re.sub(r"(?<=[^\W\d_]{3})\s+[a-z]$", "", text)
    if lex is not None:
        folded = fold(text)
        title = lex.match(folded, ("document_title",))
        if title and title.end < len(text):
            text = text[title.end:].strip(_STRIP)
        m = re.search(r"\s(?:tax\s+)?(?:invoice|receipt|rechnung|facture|factuur|factura|fattura|fatura|faktura)\s*$",
                      fold(text))
        if m:
            text = text[: m.start()].strip(_STRIP)
    return text


def _after_caption(text: str, lex: Lexicons) -> str | None:
    """The name after its caption on one line ('Denominazione: Officina Rossi S.r.l.'), or None."""
    caption = lex.match(fold(text), NAME_CAPTION_FIELDS)
    return text[caption.end:] if caption is not None and text[caption.end:].strip() else None


def _bilingual_caption(name: str, lex: Lexicons) -> bool:
    """'請求日 Date', '发票号码 Invoice No.': a caption in the page's own script with its English
    beside it. Whatever a CJK model makes of the first half, the Latin label after it says what
    the run is, and no company's name is only that."""
    folded = fold(name).rstrip(" :：")
    for m in re.finditer(r"\s+", folded):
        head, tail = folded[: m.start()], folded[m.end():]
        if re.search(r"[A-Za-z]", head) or not _CJK_CHAR.search(head):
            continue
        label = lex.match(tail, _NEVER_NAMES)
        if label and label.end >= len(tail) - 1 and not LEGAL_FORM.search(name):
            return True
    return False


def _translation(rest: str) -> bool:
    """Whether what follows a Latin caption is only its translation in another script: no Latin
    letter, digit or ideograph, a letter of some other script (Arabic, Hebrew, Cyrillic, Greek;
    a text layer without the script's font gives question marks)."""
    return (not re.search(r"[A-Za-z0-9\u3400-\u9fff]", rest) and re.search(r"[^\W\d_]|\?{2,}", rest) is not None
            and not re.search(r"[À-ÿ]", rest))


def _is_name(text: str) -> bool:
    if re.search(r"[^\W\d_]\s*[:：]", text):  # "Vorstand: …", "Contact: …": a label and its value
        return False
    if re.search(r"[A-Za-z]", text) and _MIXED_SCRIPT.search(text):
        return False  # Latin words beside a full-width comma or colon: a Latin page misread by a CJK model
    # the words of a legal form are no sentence's: 'ELEKTRO Procházka, spol. s r.o.' is a company
    words = LEGAL_FORM.sub(" ", text).split() if LEGAL_FORM.search(text) else text.split()
    if len(words) >= 4 and sum(w[:1].islower() for w in words) >= 0.75 * len(words):
        return False  # a running sentence ("de mise en service de votre ligne"), not a company
    if re.search(r"[€$£¥₹]\s?\d", text):
        return False  # an amount ('Van dit bedrag graag € 734'): a sentence about money, not a company
    if _CLOCK_TIME.search(text):
        return False  # opening hours ('MO.-SA. 9.00 Uhr - 20.00 Uhr'), whose 'SA.' is no société anonyme
    if not words:
        return False  # a legal form alone ('AB', 'Ltd.'): OCR's reading of a title or a logo, no one's name
    letters = len(re.findall(r"[^\W\d_]", text))
    digits = len(re.findall(r"\d", text))
    cjk = re.sub(r"[^\u3400-\u9fff]", "", text)
    if cjk and len(cjk) < 4 and len(cjk) == letters and not LEGAL_FORM.search(text):
        return False  # two or three Chinese characters alone are a word or a misread glyph, not a company
    if cjk and len(cjk) < 4 and not LEGAL_FORM.search(text) and not re.search(r"[A-Za-z]{3}", text):
        return False  # '> 发 ED N': a glyph or two among stray letters, what a scan makes of a stamp or a title
    if len(words) >= 5 and sum(w[:1].islower() for w in words) > len(words) / 2:
        return False  # a sentence ("Wij verzoeken u vriendelijk het totaalbedrag …"), not a company
    if letters < 3 and not text.isupper():
        return False  # 'ne', 'far': a short word or a stain a scan made; a name this short is capitals (BP, O2)
    return letters >= 2 and digits <= letters / 2 and len(text) <= 80


#: a time of day: hours and minutes with 'Uhr', 'h', am/pm after them, or a span of two of them
_CLOCK_TIME = re.compile(r"(?<![\d.,])\d{1,2}[.:]\d{2}\s*(?:Uhr\b|h\b|[ap]\.?m\b)|"
                         r"(?<![\d.,])\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}(?![\d.,])", re.I)


_MIXED_SCRIPT = re.compile(r"[A-Za-z][^\n]{0,3}[\u3000-\u303f\uff0c\uff1a\uff1b]|[\u3000-\u303f\uff0c\uff1a\uff1b][^\n]{0,3}[A-Za-z]")


class _Finder:
    def __init__(self, doc: Document, lex: Lexicons, conv: Conventions, values: list, regions: list):
        self.doc, self.lex, self.conv = doc, lex, conv
        self.values, self.regions = values, regions
        self.buyer: set[int] = set()
        self.titles: set[int] = {id(h.segment) for h in regions if h.field == "document_title"
                                 and h.end >= len(h.segment.text.rstrip()) - 1}
        # a heading over a block ("Hotel Details", "Payment information") heads no company
        for page in doc.pages:
            for line in page.lines:
                for seg in line.segments:
                    heading = lex.match(fold(seg.text), HEADING_FIELDS)
                    # a heading followed only by its translation in another script ('Bank details /
                    # تفاصيل البنك' on a bilingual invoice) is a heading all the same
                    if heading and (heading.end >= len(seg.text.rstrip()) - 1 or _translation(seg.text[heading.end:])) \
                            and not LEGAL_FORM.search(seg.text):
                        self.titles.add(id(seg))
        self.cjk_titles = {fold(label) for language in lex.by_code.values()
                           for _, label in language.labels.get("document_title", ()) if _CJK_CHAR.search(label)}
        self.cands: dict[str, _Candidate] = {}
        # a name (capitalised) or a domain after the phrase: 'sent via the portal' names no platform
        self.platforms = {_alnum(m.group(1).split(".")[0]) for page in doc.pages for line in page.lines
                          for seg in line.segments for m in _PLATFORM.finditer(seg.text)
                          if m.group(1)[:1].isupper() or "." in m.group(1)} - {""}
        self._mark_buyer_blocks()
        self._mark_address_windows()
        self._mark_attention_blocks()
        addressed = self._mark_addressees()
        self.side_sellers: list[list[Segment]] = []
        self._mark_side_captions()
        self.buyer_tax_ids = self._mark_buyer_tax_ids()
        # the names in the buyer's block: the same name printed elsewhere (a reverse-charge line
        # 'Btw verlegd naar Bouwbedrijf Hendriks B.V., btw-nummer NL…', a delivery note) is still the buyer
        self.buyer_names = ({_alnum(clean_name(s.text, lex)) for page in doc.pages for line in page.lines
                             for s in line.segments if id(s) in self.buyer and not ADDRESS.search(s.text)
                             and _is_name(clean_name(s.text, lex))} | addressed) - {""}

    # -------------------------------------------------------------- buyer and ship-to blocks

    def _mark_buyer_blocks(self) -> None:
        for hit in self.regions:
            if hit.field not in ("buyer", "ship_to"):
                continue
            seg = hit.segment
            self.buyer.add(id(seg))
            if hit.weight < 10 or not _heads_a_value(hit):
                continue
            h = hit.line.height
            rest_x = seg.x_at(hit.end) if hit.end < len(seg.text) else seg.x1
            for other in hit.line.segments:  # "Bill to:   Demo Trading Co." as two segments
                if other.x0 > seg.x1 and other.x0 - seg.x1 < 6 * h:
                    self.buyer.add(id(other))
                    rest_x = min(rest_x, other.x0)
                    break
            left = min(seg.x0, rest_x)
            right = max(seg.x1, rest_x + 12 * h)
            last_y = hit.line.y1
            for line in hit.page_lines[hit.line_index + 1: hit.line_index + 9]:
                if line.y0 - last_y > 2.2 * max(line.height, h):
                    break
                inside = [s for s in line.segments if left - 2 * h <= s.x0 <= right and s.x0 < right]
                inside = [s for s in inside if abs(s.x0 - left) <= 4 * h or abs(s.x0 - rest_x) <= 4 * h]
                if not inside:
                    continue
                s = inside[0]
                folded = fold(s.text)
                label = self.lex.match(folded, ("invoice_number", "date", "due_date", "amount", "issuer"))
                # the next labelled value ends the block ('Date 12/03/2024' too); a name that starts
                # with a label's word ('SELLER TAX REP' under 'Représentant Fiscal') is the block's own line
                if label and (_heads(s.text, label.end) or re.search(r"\d", s.text[label.end:])) or \
                        self.lex.match(folded, ("buyer", "ship_to")) and s is not seg:
                    break
                self.buyer.add(id(s))
                last_y = line.y1

    def _mark_buyer_tax_ids(self) -> set[str]:
        """The customer's own tax ids (letters and digits): those in the buyer's block, after a
        caption that says whose they are ('Uw btw-nummer', 'Customer VAT No.'), and in a
        reverse-charge phrase that hands the tax to a named party ('Btw verlegd naar Peters B.V.,
        btw-nummer NL…'). The caption's piece and the phrase's are the buyer's too: the name and
        number in them are printed for the customer, whatever legal form or label they carry."""
        for page in self.doc.pages:
            for line in page.lines:
                for k, seg in enumerate(line.segments):
                    hit = self.lex.search(fold(seg.text), BUYER_TAX_ID_FIELDS)
                    if hit is None:
                        continue
                    self.buyer.add(id(seg))
                    nxt = line.segments[k + 1] if k + 1 < len(line.segments) else None
                    if nxt is None or _tax_ids(seg.text[hit.end:]):
                        continue
                    # the number in the next piece of the line ('Uw btw-nummer   : NL613945349B03'), or
                    # the phrase's sentence going on there ('… Peters B.V.,   btw-nummer NL…')
                    shape = tax_id_shape(nxt.text)
                    if shape and shape.start() <= 2 or (hit.field == "reverse_charge_to"
                                                        and self.lex.match(fold(nxt.text), ("tax_id",))):
                        self.buyer.add(id(nxt))
        return {key for page in self.doc.pages for line in page.lines for s in line.segments
                if id(s) in self.buyer for key in _tax_ids(s.text)}

    def _mark_address_windows(self) -> None:
        """The lines under a sender line (small print over an envelope window: 'Name · Street 1 ·
        12345 City') are the recipient's address: a buyer block without a label."""
        for index, line, seg in self._upper_segments(0.4):
            if _sender_parts(line, seg):
                self._window_below(seg, line, self.doc.pages[0].lines, index)

    def _upper_segments(self, depth: float):
        """(line index, line, segment) of page 1 down to ``depth`` of its height, where an
        address window is printed."""
        if not self.doc.pages:
            return
        page = self.doc.pages[0]
        for index, line in enumerate(page.lines):
            if line.y0 > page.height * depth:
                break
            for seg in line.segments:
                yield index, line, seg

    def _window_below(self, seg: Segment, line: Line, lines: list[Line], index: int) -> None:
        last = line
        for nxt in lines[index + 1: index + 7]:
            if nxt.y0 - last.y1 > 2.2 * max(nxt.height, line.height):
                break
            col = [s for s in nxt.segments if abs(s.x0 - seg.x0) <= 3 * line.height]
            if not col:
                break
            if _letterhead_line(col[0].text, self.lex):
                break  # the sender's own phone, web site or tax id: a letterhead, no recipient below
            self.buyer.add(id(col[0]))
            last = nxt

    def _mark_attention_blocks(self) -> None:
        """An attention line ('t.a.v. de administratie', 'z. Hd. Frau Keller', 'Attn: Accounts')
        inside an address block in the upper part of page 1 makes the whole block the
        recipient's, the company name above it too: an address window with no label over it."""
        lines = self.doc.pages[0].lines if self.doc.pages else []
        for index, line, seg in self._upper_segments(0.45):
            if self.lex.match(fold(seg.text), ("attention",)) is not None:
                self.buyer.update(id(s) for s in self._address_block(lines, index, seg))
            elif _CIVILITY.match(seg.text):
                # 'M DE LATTRE ALEXIS' over a street and a postcode: a person's title heads the
                # recipient's address, and the company under it (ALEXINUX SARL) is the buyer
                block = self._address_block(lines, index, seg)
                if any(ADDRESS.search(s.text) for s in block if s is not seg):
                    self.buyer.update(id(s) for s in block)

    def _mark_addressees(self) -> set[str]:
        """A name followed by a word that addresses the document to it ('Global Foods Pte. Ltd.
        御中', '田中太郎 様') is the buyer's, and so is the address block it heads in the upper part
        of page 1. Returns the names (without the addressee word)."""
        names = set()
        upper = {id(seg): index for index, line, seg in self._upper_segments(0.45)}
        for page in self.doc.pages:
            for line in page.lines:
                for seg in line.segments:
                    start = self.lex.addressee_word(fold(seg.text))
                    if start is None:
                        continue
                    self.buyer.add(id(seg))
                    names.add(_alnum(clean_name(seg.text[:start], self.lex)))
                    if id(seg) in upper:
                        self.buyer.update(id(s) for s in self._address_block(page.lines, upper[id(seg)], seg))
        return names

    def _address_block(self, lines: list[Line], index: int, seg: Segment) -> list[Segment]:
        """The segments of the address block around ``seg`` (on ``lines[index]``): up to the
        block's first line, then down to its last, at most four lines each way."""
        line, h = lines[index], lines[index].height
        block = [seg]
        for step in (-1, 1):
            last, n = line, index + step
            while 0 <= n < len(lines) and abs(n - index) <= 4:
                nxt = lines[n]
                gap = (last.y0 - nxt.y1) if step < 0 else (nxt.y0 - last.y1)
                col = [s for s in nxt.segments if abs(s.x0 - seg.x0) <= 2 * h]
                # the window ends at a gap, at the sender's contact data, and above at the
                # small print of the sender line over the window
                if (gap > 1.8 * max(nxt.height, h) or not col or _letterhead_line(col[0].text, self.lex)
                        or _sender_parts(nxt, col[0])):
                    break
                block.append(col[0])
                last, n = nxt, n + step
        return block

    def _mark_side_captions(self) -> None:
        """A caption printed one character per line down the left side of a box (a Chinese VAT
        invoice's 购买方信息 and 销售方信息, side by side) names whose box it is: the buyer's box
        is the buyer's block; the seller's box is kept for ``from_side_captions``."""
        for page in self.doc.pages:
            stacks: list[dict] = []
            for line in page.lines:
                for seg in line.segments:
                    m = _SIDE_CHAR.match(seg.text)
                    if not m:
                        continue
                    h = line.height
                    for st in stacks:
                        if abs(st["x0"] - seg.x0) <= 1.5 * h and -h <= line.y0 - st["y1"] <= 2.5 * h:
                            st["text"] += m.group(1)
                            st["y1"], st["h"] = line.y1, max(st["h"], h)
                            break
                    else:
                        stacks.append({"text": m.group(1), "x0": seg.x0, "y0": line.y0, "y1": line.y1, "h": h})
            captions = [st for st in stacks if len(st["text"]) >= 3]
            for cap in [st for st in stacks if len(st["text"]) >= 2]:
                # the caption's first characters are the label (购买方 of 购买方信息; OCR may drop or
                # split a later one)
                prefixes = [fold(cap["text"][:k]) for k in range(len(cap["text"]), 1, -1)]
                is_buyer = any(self.lex.match(p, ("buyer", "ship_to")) for p in prefixes)
                is_seller = not is_buyer and any(self.lex.match(p, ("issuer",)) for p in prefixes)
                if not (is_buyer or is_seller):
                    # a lone character down a box's side is read worst: 方 comes out as 广, 售 as
                    # 蘑, or as a Latin 'A' (dropped). The caption still names its side when it is
                    # one character off the labels of one side only (销蘑方, 销售广 of 销售方), or
                    # its two characters begin them (购买 of 购买方)
                    sides = self._sides_near(fold(cap["text"][:3]))
                    is_buyer, is_seller = sides == {"buyer"}, sides == {"issuer"}
                if not (is_buyer or is_seller):
                    # every character after the first garbled (销隘蘑 of 销售方): the first names
                    # the side as a lone one does, when only one party's caption begins with it
                    side = self._side_of_lone_character(cap["text"][0])
                    is_buyer, is_seller = side == "buyer", side == "issuer"
                if not (is_buyer or is_seller):
                    continue
                h = cap["h"]
                # the box ends where the next caption to the right begins
                right = min([c["x0"] for c in captions if c["x0"] > cap["x0"] + 3 * h
                             and c["y0"] < cap["y1"] and c["y1"] > cap["y0"]] or [page.width + 1])
                self._claim_box(page, cap, "buyer" if is_buyer else "issuer", 1, right)
            for cap in [st for st in stacks if len(st["text"]) == 1]:
                # a scan may keep one character of the caption alone (售 of 销售方, 购 of 购买方, the
                # rest read as '5', 'x' or 'A'): it names its box when only one party's caption
                # begins with it and no other label holds it; the box is then the lines beside it
                side = self._side_of_lone_character(cap["text"])
                if side is None:
                    continue
                right = min([c["x0"] for c in captions if c["x0"] > cap["x0"] + 3 * cap["h"]] or [page.width + 1])
                self._claim_box(page, cap, side, 3, right)

    def _claim_box(self, page, cap: dict, side: str, reach: float, right: float) -> None:
        """The pieces right of a side caption, up to ``right`` and within ``reach`` line heights
        above and below it, are the box of ``side``: the buyer's block, or a seller's box for
        ``from_side_captions``."""
        h = cap["h"]
        # the caption's characters are spread down its box, centred on it: the box's first and
        # last lines stand up to half a character's pitch beyond them (a caption that lost its
        # last character to the scan, 购买 of 购买方, still reaches its box's first line)
        chars = len(cap["text"])
        pitch = (cap["y1"] - cap["y0"] - h) / (chars - 1) if chars >= 2 else 0.0
        margin = max(reach * h, pitch / 2)
        box = [s for line in page.lines if line.y0 >= cap["y0"] - margin and line.y1 <= cap["y1"] + margin
               for s in line.segments if cap["x0"] - h <= s.x0 < right]
        if side == "buyer":
            self.buyer.update(id(s) for s in box)
        else:
            self.side_sellers.append(box)

    def _side_of_lone_character(self, char: str) -> str | None:
        """The party (buyer, issuer) whose CJK caption of three characters or more begins with
        ``char`` in its first two, when no other party's does and no label of another field
        holds it (开 of 开票方 is also in 开票日期: it names no side)."""
        sides, elsewhere = set(), False
        for lexicon in self.lex.by_code.values():
            for name, labels in lexicon.labels.items():
                side = {"buyer": "buyer", "ship_to": "buyer", "issuer": "issuer"}.get(name)
                for _, label in labels:
                    folded = fold(label)
                    if char not in folded:
                        continue
                    if side and len(folded) >= 3 and all(_CJK_CHAR.match(c) for c in folded[:3]) and char in folded[:2]:
                        sides.add(side)
                    elif name not in ("buyer", "ship_to", "issuer", "buyer_tax_id"):
                        elsewhere = True
        return sides.pop() if len(sides) == 1 and not elsewhere else None

    def _sides_near(self, caption: str) -> set[str]:
        """The parties (buyer, issuer) with a CJK label of three characters or more whose first
        three are ``caption`` (three CJK characters) with one changed, or begin with it (two)."""
        if len(caption) < 2 or not all(_CJK_CHAR.match(c) for c in caption):
            return set()
        sides = set()
        for lexicon in self.lex.by_code.values():
            for name, side in (("buyer", "buyer"), ("ship_to", "buyer"), ("issuer", "issuer")):
                for _, label in lexicon.labels.get(name, ()):
                    head = fold(label)[:3]
                    if len(head) < 3 or not all(_CJK_CHAR.match(c) for c in head):
                        continue
                    if len(caption) == 2 and head.startswith(caption) or (
                            len(caption) == 3 and sum(a != b for a, b in zip(caption, head)) <= 1):
                        sides.add(side)
        return sides

    def from_side_captions(self) -> None:
        """The company name in a box captioned as the seller's down its side (销售方信息)."""
        for box in self.side_sellers:
            for seg in box:
                # "名称：…" after its label; a scan reads the colon as a semicolon ("名称 ; …")
                text = re.split(r"[:：;；]", _SIDE_CHAR.sub("", seg.text, count=1) if _SIDE_CHAR.match(seg.text)
                                else seg.text)[-1]
                if LEGAL_FORM.search(text) and _is_name(clean_name(text, self.lex)):
                    self.vote(text, 10, _word_conf(seg), seg.page, "seller label")
                    break

    def in_buyer(self, seg: Segment) -> bool:
        return id(seg) in self.buyer

    # -------------------------------------------------------------- votes

    @cached_property
    def _domain_stems(self) -> set[str]:
        """The names of the web and e-mail domains printed anywhere on the document."""
        return {m.group(2).lower().replace("-", "") for m in _DOMAIN.finditer(self.doc.text)}

    def vote(self, name: str, score: float, conf: float, page: int | None, source: str) -> None:
        if re.search(r"[^\W\d_]\s*[:：]\s*$", name) and _alnum(name) not in self._domain_stems:
            # a caption waiting for its value ('地址、电话:', 'Anschrift:') names no one; a word
            # the document's own domain spells is a logo a scan read a mark after ('cronus:' of
            # info@cronus.com), not a caption
            return
        name = re.sub(r"\s+", " ", clean_name(name, self.lex)).strip()
        if re.fullmatch(r"[（(][^（）()]+[）)]", name):
            # a subtitle in brackets, what is left of "电子发票（航空运输电子客票行程单）" once the title is cut off
            name = name[1:-1].strip()
        # "9680 AB Amersfoort" is a postcode, not a company; "苏州工业园区…有限公司" names its district
        # (区) and is one
        if not _is_name(name) or ADDRESS.search(name) and not re.search(r"公\s*司$", name):
            return
        title = self.lex.match(fold(name), ("document_title",))
        if title and title.end >= len(fold(name).rstrip()) - 1:
            return  # "普通发票", a piece of the title OCR split off: what the document is, not who issued it
        label = self.lex.match(fold(name), _NEVER_NAMES)
        if label and label.end >= len(fold(name).rstrip(" :：")) - 1 and not LEGAL_FORM.search(name):
            return  # a caption alone ('VAT amount', '增值税税额' heading a column) names no one
        if _bilingual_caption(name, self.lex):
            return
        if any(fold(name).endswith(t) for t in self.cjk_titles):
            return  # "天津增值税电子普通发票": a Chinese title leads with its region, never with a company
        if "增值" in name.replace(" ", "") and not LEGAL_FORM.search(name):
            return  # what a scan left of such a title ('云南增值税', '天津增值上税电子普通'): VAT names the document
        form = LEGAL_FORM.search(name)
        if form and "0" in form.group(0):  # OCR reads "Sp. z o.o." as "Sp. z 0.0": a legal form has no digits
            name = name[: form.start()] + form.group(0).replace("0", "o") + name[form.end():]
        name = _legal_form_lookalikes(name)
        if self.conv.language == "it" and page is not None and 0 < page <= len(self.doc.pages) \
                and self.doc.pages[page - 1].source == "ocr":
            name = _italian_article_lookalike(name)
        key = _alnum(name)
        if len(key) < 2 or key in self.buyer_names:
            return  # the issuer is never the buyer, wherever else the buyer's name is printed
        first = _alnum(name.split()[0]) if name.split() else ""
        if source in _WEAK_SOURCES and (key in self.platforms or first in self.platforms):
            return  # the platform a document went through; only a seller label or tax id names it
        cand = self.cands.get(key)
        if cand is None:
            cand = self.cands[key] = _Candidate(name)
        if LEGAL_FORM.search(name) and not LEGAL_FORM.search(cand.name):
            cand.name = name
        kind = _KIND.get(source.split(" ")[0], source)
        cand.score += max(0.0, score - cand.by_source.get(kind, 0.0))
        cand.by_source[kind] = max(score, cand.by_source.get(kind, 0.0))
        cand.conf = max(cand.conf, conf)
        cand.page = cand.page or page
        cand.sources.append(source)

    def from_seller_labels(self) -> None:
        for hit in self.values:
            if hit.field != "issuer" or self.in_buyer(hit.segment) or not _heads_a_value(hit):
                continue
            label = hit.segment.text[: hit.end].rstrip()
            if not label.endswith((":", "：")) and self.lex.match(fold(hit.segment.text), ("issuer",)) is None:
                continue  # a label word after other words, without its colon, is a name: "LE FOURNISSEUR"
            places = []
            rest = hit.segment.text[hit.end:]
            if rest.strip():
                places.append((rest, hit.segment))
            after = [s for s in hit.line.segments if s.x0 > hit.segment.x1 - 1][:1]
            places += [(s.text, s) for s in after]
            below = self._below(hit.segment, hit.line, hit.page_lines, hit.line_index)
            # a seller block of captioned lines (an e-invoice's courtesy copy: tax ids first, then
            # 'Denominazione: …'): the captioned name, wherever it stands in the block
            captioned = [(s.text, s) for s in self._block_below(hit) if _after_caption(s.text, self.lex) is not None]
            places = captioned[:1] + places
            places += [(s.text, s) for s in below[:2]]
            for text, seg in places:
                if self.in_buyer(seg) and seg is not hit.segment:
                    continue
                if not _CJK_CHAR.search(text):
                    # a Latin name read by the CJK model: 'Sakura Trading Co.,， Ltd.'; under a seller
                    # label the name is wanted, its full-width commas and colons are that model's
                    text = re.sub(r"\s*,?\s*，\s*", ", ", text).replace("：", ":")
                if text.strip().startswith(("(", "[", "*")):
                    continue  # a remark printed under the label: "(Not to be used for payment)"
                if _is_name(clean_name(text, self.lex)):
                    self.vote(text, hit.weight, _word_conf(seg), seg.page, "seller label")
                    break

    def _block_below(self, hit) -> list[Segment]:
        """The lines of the block under a party label, in its column: down to a gap, another
        party's block or ten lines."""
        out: list[Segment] = []
        seg, last, h = hit.segment, hit.line, hit.line.height
        for nxt in hit.page_lines[hit.line_index + 1: hit.line_index + 11]:
            if nxt.y0 - last.y1 > 2.5 * max(h, nxt.height):
                break
            col = [s for s in nxt.segments if abs(s.x0 - seg.x0) <= 3 * h][:1]
            if not col:
                continue
            if self.in_buyer(col[0]) or self.lex.match(fold(col[0].text), ("buyer", "ship_to", "issuer")):
                break
            out += col
            last = nxt
        return out

    @staticmethod
    def _below(seg: Segment, line: Line, lines: list[Line], index: int) -> list[Segment]:
        """The next two pieces under ``seg`` in its column; lines of another column that sit
        between them (two blocks side by side, their lines a few points apart) are passed over."""
        out: list[Segment] = []
        last = line
        for nxt in lines[index + 1: index + 6]:
            if nxt.y0 - last.y1 > 3 * line.height or len(out) == 2:
                break
            col = [s for s in nxt.segments if s.x0 < seg.x1 + 2 * line.height and s.x1 > seg.x0 - 2 * line.height][:1]
            if col:
                out += col
                last = nxt
        return out

    def from_identifiers(self) -> None:
        """The name heading the block that holds a tax id, registration or bank account."""
        for page in self.doc.pages:
            lines = page.lines
            for index, line in enumerate(lines):
                for seg in line.segments:
                    if self.in_buyer(seg):
                        continue
                    folded = fold(seg.text)
                    if self.lex.match(folded, ("buyer", "ship_to")):
                        continue
                    ids = _tax_ids(seg.text)
                    if ids and ids <= self.buyer_tax_ids:
                        continue  # the customer's number, printed again outside its block: no issuer beside it
                    label = self.lex.search(folded, ("tax_id",))
                    if label is None and not tax_id_shape(seg.text):
                        continue
                    before = seg.text[: label.end - len(label.label) - 1] if label else ""
                    form = LEGAL_FORM.search(before)
                    bank = self.lex.search(fold(before), BANK_FIELDS)
                    if bank and form and form.start() >= bank.end:
                        continue  # 'Bankverbindung: Commerzbank AG IBAN …': the bank keeps the account
                    if form and form.start() > 1:
                        name = _joined(_capitalised_run(before[: form.start()]), form.group(0))
                        if _is_name(clean_name(name, self.lex)):
                            self.vote(name, 7, _word_conf(seg), page.number, "tax id line")
                            continue
                    # a footer run "Name · Amtsgericht … · USt-IdNr. … · IBAN …": the name leads it
                    parts = _SEPARATORS.split(seg.text)
                    lead = clean_name(parts[0], self.lex) if len(parts) >= 3 else ""
                    # ("Tel 01745 164478 | VAT Reg. No. …" leads with the phone: 'Tel' is no name)
                    if (lead and _is_name(lead) and not tax_id_shape(parts[0]) and not _contact_line(parts[0], self.lex)
                            and self.lex.search(fold(parts[0]), ("tax_id", "buyer", "ship_to") + BANK_FIELDS) is None):
                        self.vote(lead, 6, _word_conf(seg), page.number, "tax id line")
                        continue
                    head = self._block_head(seg, line, lines, index)
                    if head is not None:
                        self.vote(head.text, 6 if LEGAL_FORM.search(head.text) else 4, _word_conf(head), page.number,
                                  "tax id block")
                        continue
                    # a footer in columns (name and address | Org.nr, VAT no. | bank, phone): the
                    # registration heads its own column, and the name leads the same line at the
                    # left. Only at the foot of the page (higher up, a line's left end can be the
                    # recipient's window beside the sender's information block), and only beside a
                    # registration printed with its number: a bare 'IBAN' heads a grid of bank
                    # details whose first cell is the bank's name
                    lead_seg = line.segments[0]
                    lead = clean_name(lead_seg.text, self.lex)
                    if (line.y0 >= FOOTER * page.height and re.search(r"\d{3}", seg.text) and lead_seg is not seg
                            and not self.in_buyer(lead_seg) and id(lead_seg) not in self.titles
                            and _is_name(lead) and not ADDRESS.search(lead_seg.text) and not _contact_line(lead_seg.text, self.lex)
                            and not tax_id_shape(lead_seg.text)
                            and self.lex.search(fold(lead_seg.text), ("tax_id", "buyer", "ship_to")) is None
                            and self.lex.match(fold(lead_seg.text), VALUE_FIELDS + ("document_title",)) is None):
                        self.vote(lead, 6, _word_conf(lead_seg), page.number, "tax id line")

    def _block_head(self, seg: Segment, line: Line, lines: list[Line], index: int) -> Segment | None:
        """Walk up the column from ``seg`` to the first line of its block; the name is the line
        with a legal form in the block, else its first line."""
        h = line.height
        block: list[Segment] = []
        prev_y0 = line.y0
        for up in range(index - 1, max(index - 9, -1), -1):
            above = lines[up]
            if prev_y0 - above.y1 > 1.8 * max(above.height, h):
                break
            col = [s for s in above.segments if abs(s.x0 - seg.x0) <= 3 * h or (s.x0 <= seg.x0 + h <= s.x1)]
            if not col:
                continue  # a line of another column that OCR placed between the block's lines
            s = col[0]
            if self.in_buyer(s) or _AMOUNTS_ROW.search(above.text):
                break  # the buyer's block, or a row of amounts (a till's tax table) above the block
            if self.lex.match(fold(s.text), BANK_FIELDS):
                # 'Bankverbindung' over 'Deutsche Bank AG' over the IBAN: what stands between the
                # caption and the number is the bank's; the seller may still head the lines above
                block = []
            elif id(s) not in self.titles:
                block.append(s)
            prev_y0 = above.y0
        for s in block:
            if LEGAL_FORM.search(s.text) and _is_name(clean_name(s.text, self.lex)):
                return s
        for s in reversed(block):
            folded = fold(s.text)
            if self.lex.match(folded, ("invoice_number", "date", "due_date", "amount", "tax_id")) or _contact_line(s.text, self.lex):
                continue  # a phone line ('Tel: 028 201 2562') heads no block by name
            if _is_name(clean_name(s.text, self.lex)):
                return s
        return None

    def from_letterhead(self) -> None:
        if not self.doc.pages:
            return
        page = self.doc.pages[0]
        lines = page.lines
        if not lines:
            return
        top = [line for line in lines if line.y1 <= page.height * 0.22] or lines[:5]
        heights = sorted((line.height for line in lines), reverse=False)
        typical = heights[len(heights) // 2]
        for n, line in enumerate(top):
            spread = _name_spread_over(line)
            if spread and not any(self.in_buyer(seg) for seg in line.segments):
                big = line.height >= 1.4 * typical
                self.vote(spread, 4 + 1.5 * big + 1 * (n == 0), min(_word_conf(seg) for seg in line.segments),
                          page.number, "letterhead (legal form)")
                continue
            for seg in line.segments:
                if self.in_buyer(seg) or id(seg) in self.titles:
                    continue
                folded = fold(seg.text)
                label = self.lex.match(folded, ("invoice_number", "date", "due_date", "amount", "amount_untaxed", "vat",
                                                "buyer", "ship_to", "tax_id", "issuer"))
                if label:
                    continue
                # the sender line of an address window: "Name · Street 1 · 12345 City"
                parts = _sender_parts(line, seg)
                if parts:
                    self.vote(parts[0], 6, _word_conf(seg), page.number, "sender line")
                    continue
                if _logo_read_as_text(seg):
                    continue
                big = line.height >= 1.4 * typical
                first = n == 0 and seg is line.segments[0]
                if LEGAL_FORM.search(seg.text) and not _CLOCK_TIME.search(seg.text):
                    self.vote(seg.text, 4 + 1.5 * big + 1 * first, _word_conf(seg), page.number, "letterhead (legal form)")
                elif (big or first) and not re.search(r"\d{3,}", seg.text):
                    self.vote(seg.text, 3.5 if big else 2, _word_conf(seg), page.number, "letterhead")

    def from_address_blocks(self) -> None:
        """The first line of an address block (a name over a street and a postcode + city) in
        the upper part of page 1, outside the buyer's block: the sender, or an unlabelled
        recipient window; rivals make the choice doubtful, agreement (domain, tax id) settles it."""
        if not self.doc.pages:
            return
        page = self.doc.pages[0]
        lines = [line for line in page.lines if line.y0 <= page.height * 0.45]
        used: set[int] = set()
        for i, line in enumerate(lines):
            for seg in line.segments:
                if id(seg) in used or self.in_buyer(seg) or id(seg) in self.titles:
                    continue
                block = [seg]
                rows = [line]
                last = line
                h = line.height
                for nxt in lines[i + 1: i + 6]:
                    if nxt.y0 - last.y1 > 1.8 * h or not 0.6 < nxt.height / h < 1.6:
                        break  # a gap, or a logo above the block
                    col = [s for s in nxt.segments if abs(s.x0 - seg.x0) <= 2 * h]
                    if not col:
                        break
                    block.append(col[0])
                    rows.append(nxt)
                    last = nxt
                used.update(id(s) for s in block)
                if len(block) < 2 or not any(ADDRESS.search(s.text) for s in block[1:]):
                    continue
                if any(_PRICED.search(s.text) for s in block) or any(_PRICE.search(row.text) for row in rows):
                    continue  # items with their prices ('Panadol 20s' over '1 x 5.90  5.90'), not an address
                head = _name_spread_over(line) or block[0].text
                if ADDRESS.search(head) or self.lex.match(fold(head), ("invoice_number", "date", "due_date", "amount",
                                                                       "buyer", "ship_to", "tax_id", "issuer")):
                    continue
                self.vote(head, 4, _word_conf(block[0]), page.number, "address block")

    def from_legal_forms(self) -> None:
        """A company name with its legal form anywhere outside the buyer's block (footers,
        side bars): a weak vote, which agreement with other places makes count."""
        for page in self.doc.pages:
            for line in page.lines:
                for seg in line.segments:
                    if self.in_buyer(seg) or id(seg) in self.titles:
                        continue
                    m = LEGAL_FORM.search(seg.text) if not _CLOCK_TIME.search(seg.text) else None
                    run = _capitalised_run(seg.text[: m.start()]) if m and m.start() > 1 else ""
                    if _CJK_CHAR.search(run) and len(run) < 4 and not re.search(r"有", m.group(0)):
                        run = ""  # "感谢贵公司" (thank your company): a bare 公司 after a word or two names no one
                    if run.startswith("For "):
                        run = run[len("For "):]  # a signature's "For Al Noor Trading LLC": who signs is the company
                    if run:  # "… - Société Anonyme au capital …": a legal form alone names no one
                        name = clean_name(_joined(run, m.group(0)), self.lex)
                        if _is_name(name) and not self.lex.match(fold(name), ("buyer", "ship_to", "tax_id")):
                            self.vote(name, 2.5, _word_conf(seg), page.number, "legal form")

    def from_domains(self) -> None:
        stems: dict[str, int] = {}
        for page in self.doc.pages:
            for line in page.lines:
                for seg in line.segments:
                    if self.in_buyer(seg):
                        continue
                    for m in _DOMAIN.finditer(seg.text):
                        stem = m.group(2).lower()
                        if stem not in _GENERIC_DOMAINS and _alnum(stem) not in self.platforms:
                            stems[stem] = stems.get(stem, 0) + 1
        if not stems:
            return
        kept: dict[str, int] = {}
        # 'touyguestelecom.fr' beside bouyguestelecom.fr: one domain, misread once; the spelling
        # printed more often wins, or the one the text spells in words ('Bouygues Telecom')
        twins = {stem for stem in stems if any(_misread(stem, o) and len(stem) == len(o) for o in stems)}
        for stem, count in sorted(stems.items(), key=lambda kv: (-kv[1], kv[0] in twins and not self._phrase_for(kv[0]))):
            same = next((k for k in kept if _misread(stem, k) and len(stem) == len(k)), None)
            if same is not None:
                kept[same] += count
            else:
                kept[stem] = count
        stems = kept
        for stem, count in sorted(stems.items(), key=lambda kv: -kv[1])[:3]:
            plain = stem.replace("-", "")
            matched = False
            spelled = None  # the name printed in words that spell the domain: "Bouygues Telecom"
            for key, cand in list(self.cands.items()):
                first = _alnum(cand.name.split()[0]) if cand.name.split() else ""
                if key.startswith(plain) or (len(first) >= 3 and plain.startswith(first)) or _misread(first, plain):
                    cand.score += 3
                    cand.sources.append(f"domain {stem}")
                    matched = True
                    if not key.startswith(plain) and len(plain) > len(first):
                        # a logo read as its first word and some garbage ("bouygues Wy"): where the
                        # text spells the whole domain in words, that spelling is the name
                        spelled = spelled or self._phrase_for(stem) or ("", 0.0)
                        if _alnum(spelled[0]) == plain:
                            self._rename(key, spelled[0], spelled[1])
            if not matched:
                phrase = self._phrase_for(stem)
                if phrase:
                    self.vote(phrase[0], 3, phrase[1], None, f"domain {stem}")
                else:
                    self.vote(stem, 1.5, 0.6, None, f"domain {stem}")

    def _rename(self, key: str, name: str, conf: float = 0.0) -> None:
        cand = self.cands.pop(key)
        cand.name = name
        # the words that spell the name were read as surely as they were, not as the logo's garble
        cand.conf = max(cand.conf, conf)
        other = self.cands.get(_alnum(name))
        if other is not None:  # the spelling had votes of its own: one company
            cand.score += other.score
            cand.sources += other.sources
            cand.conf = max(cand.conf, other.conf)
        self.cands[_alnum(name)] = cand

    def _phrase_for(self, stem: str) -> tuple[str, float] | None:
        """The name as the text spells it: capitalised words starting with the domain's stem."""
        best: tuple[str, float] | None = None
        for page in self.doc.pages:
            for line in page.lines:
                for seg in line.segments:
                    if self.in_buyer(seg):
                        continue
                    words = seg.words
                    for i, w in enumerate(words):
                        token = w.text.strip(_STRIP)
                        low = _alnum(token)
                        if len(low) < 3 or "@" in w.text or "." in w.text.strip("."):
                            continue
                        if not (low == stem or stem.startswith(low) or (low.startswith(stem) and len(stem) >= 4)):
                            continue
                        if not token[:1].isupper() or low in _ARTICLES and low != stem:
                            continue  # 'The invoice total …' does not spell themeforest.net
                        phrase = [token]
                        for nxt in words[i + 1: i + 4]:
                            t = nxt.text.strip(_STRIP)
                            if not t or not t[:1].isupper() or not t.replace("-", "").isalpha():
                                break
                            phrase.append(t)
                            if nxt.text.endswith((",", ":", ";")):
                                break
                        name = " ".join(phrase)
                        if best is None or len(name) > len(best[0]):
                            best = (name, w.conf)
        return best

    # -------------------------------------------------------------- vendor master

    def vendor_match(self, vendors: list[Vendor]) -> tuple[Vendor, str] | None:
        outside = []
        for page in self.doc.pages:
            for line in page.lines:
                outside += [s.text for s in line.segments if not self.in_buyer(s)]
        text = _alnum(" ".join(outside))
        for vendor in vendors:
            for key in vendor.keys():
                if key in text and key not in self.buyer_tax_ids:
                    what = "tax id" if key == _alnum(vendor.tax_id) else "IBAN"
                    return vendor, f"vendor master ({what} {vendor.tax_id if what == 'tax id' else vendor.iban})"
        for vendor in vendors:
            vkey = _alnum(vendor.name)
            for cand in self.cands.values():
                if len(vkey) >= 4 and (vkey == _alnum(cand.name) or _alnum(cand.name).startswith(vkey)
                                       or vkey.startswith(_alnum(cand.name)) and len(_alnum(cand.name)) >= 5):
                    return vendor, f"vendor master (name, read as {cand.name!r})"
        return None


# a Chinese company name before its legal form: characters (a region in brackets among them,
# 华为技术（深圳）) with no space, colon or other punctuation between them
_CJK_NAME_RUN = re.compile(r"[\u3400-\u9fff（）()]{2,}$")


def _capitalised_run(text: str) -> str:
    """The capitalised words that end ``text``: '… für Verschulden der QualityHosting' -> 'QualityHosting';
    the Chinese characters that end it: '填开单位：中国南方航空' -> '中国南方航空' (Chinese has no capitals)."""
    cjk = _CJK_NAME_RUN.search(text.rstrip())
    if cjk:
        return cjk.group(0).lstrip("（）()")
    if _CJK_CHAR.search(text[-1:]):
        return ""  # one character before 公司 ("本公司", "贵公司": this/your company) names no one
    words = text.split()
    run: list[str] = []
    for word in reversed(words[-6:]):
        if word[:1].isupper() or word[:1].isdigit() and run or word in ("&", "+", "und", "and", "et"):
            run.insert(0, word)
        else:
            break
    while run and run[0] in ("&", "+", "und", "and", "et"):
        run.pop(0)
    return " ".join(run)


#: the last word of a name spelt as dotted initials ('S.r.l.', 'S.r', 'S.r.1'), a dot after it or not
_DOTTED_END = re.compile(r"(?<!\S)[^\W\d_](?:\.\w)+\.?$")


def _legal_form_lookalikes(name: str) -> str:
    """A dotted legal form whose l a scan read as 1, I or | ('Idraulica Esposito S.r.1'): a
    legal form holds no digit, and the letter that makes it one is the one printed."""
    end = _DOTTED_END.search(name)
    if end is None or LEGAL_FORM.fullmatch(end.group(0)) or not re.search(r"[1I|]", end.group(0)[1:]):
        return name
    letters = end.group(0)[0] + re.sub(r"[1I|]", "l", end.group(0)[1:])
    return name[: end.start()] + letters if LEGAL_FORM.fullmatch(letters) else name


#: 'II' before a capitalised word that is no legal form ('Agriturismo II Poggio', 'II Fornaio')
_DOUBLE_I_BEFORE_A_NOUN = re.compile(r"(?<!\S)I[I|](?=\s+([A-ZÀ-Ý][a-zà-ÿ]+)\b)")


def _italian_article_lookalike(name: str) -> str:
    """An Italian name's article 'Il' that a scan read as 'II' or 'I|' ('Ristorante II Gabbiano'):
    in a sans-serif face l and I are one stroke, and a Roman numeral II stands after the name it
    numbers ('Vittorio Emanuele II'), never before a noun; a legal form after it stays a numeral's."""
    def article(m: re.Match) -> str:
        return m.group(0) if LEGAL_FORM.fullmatch(m.group(1)) else "Il"
    return _DOUBLE_I_BEFORE_A_NOUN.sub(article, name)


def cut_short(name: str) -> bool:
    """A name whose last word is a legal form with its end missing ('Idraulica Esposito S.r' for
    'S.r.l.', 'Muster Gmb' for 'GmbH'): the scan or a line break cut it, and booking it would file
    the invoice under a vendor that does not exist. A word of one letter is left alone ('Block A')."""
    words = name.split()
    last = words[-1] if len(words) >= 2 else ""
    if len(re.sub(r"[^\w]", "", last)) < 2 or LEGAL_FORM.fullmatch(last):
        return False
    return any(LEGAL_FORM.fullmatch(last + more) for letter in string.ascii_letters
               for more in (letter, "." + letter, letter + ".", "." + letter + "."))


def _name_spread_over(line: Line) -> str | None:
    """A name a till or a letterhead prints spaced out across the line ('toom   Baumarkt   GmbH'),
    which OCR splits into a segment a word: the words joined, when the last segment is the legal
    form alone and no segment holds a digit (a row of a table, an address, a phone number)."""
    texts = [seg.text.strip() for seg in line.segments]
    if len(texts) < 2 or not LEGAL_FORM.fullmatch(texts[-1]) or any(re.search(r"\d", t) for t in texts):
        return None
    return " ".join(texts)


def _joined(name: str, form: str) -> str:
    """A name and its legal form: 'Vogel e.K.', '中国南方航空股份有限公司' (Chinese takes no space)."""
    return name + form if _CJK_CHAR.search(name[-1:]) else name + " " + form


#: an amount with cents anywhere on a line ('Hahnchen süß-sauer   1,79 A'): a priced item's row
_PRICE = re.compile(r"(?<![\d.,])\d{1,4}[.,]\d{2}(?![\d.,])")
#: two amounts with cents on one line: a row of a table of prices or taxes, never an address
_AMOUNTS_ROW = re.compile(r"\d[.,]\d{2}(?!\d)\D+\d[.,]\d{2}(?!\d)")
# a price on a line: an amount standing alone, or a quantity times a unit price
_PRICED = re.compile(r"^\s*-?\d{1,3}(?:[,.]\d{3})*[.,]\d{2}\s*$|\d\s*[x×@]\s*\d+[.,]\d{2}(?!\d)")
# a web address, an e-mail address or an international phone number: contact data in any language
_CONTACT = re.compile(r"https?:|www\.|\S@\S|(?<![\w+])\+\d{1,3}[\s(]*\d")


def _contact_line(text: str, lex: Lexicons) -> bool:
    """Contact data: a web or e-mail address, or a phone or fax number by its label in any
    language of the lexicons ('Tel 01745 164478', 'Telefon', 'Tél.', '电话')."""
    return bool(_CONTACT.search(text)) or lex.search(fold(text), CONTACT_FIELDS) is not None


def _letterhead_line(text: str, lex: Lexicons) -> bool:
    """A line of the sender's contact data (web site, e-mail, phone) or tax id: not an address."""
    return _contact_line(text, lex) or lex.search(fold(text), ("tax_id",)) is not None


def _with_its_run(line: Line, seg: Segment) -> str:
    """``seg``'s text with the segments that follow it closely on its line: a sender line that OCR
    split where it misread a separator ('Hetzner Online GmbH «' | 'Industriestr. 25 ¢ 91710
    Gunzenhausen') is one line of the sender's again. A segment a column's gap away is not."""
    text, last = seg.text, seg
    for nxt in line.segments[line.segments.index(seg) + 1:]:  # a line's segments run left to right
        if nxt.x0 - last.x1 > 2 * line.height:
            break
        text, last = f"{text} {nxt.text}", nxt
    return text


def _sender_parts(line: Line, seg: Segment) -> list[str] | None:
    """The parts of the sender line that ``seg`` begins ('Name · Street 1 · 12345 City'), or None."""
    text = _with_its_run(line, seg)
    parts = _SEPARATORS.split(text)
    return parts if _sender_line(text, parts) else None


def _sender_line(text: str, parts: list[str]) -> bool:
    """'Name · Street 1 · 12345 City': a name, then address parts with a number. 'ID : 123 -
    GLN : 587…' is a row of labelled values: its first part is a label, not a name."""
    if len(parts) < 3 or not re.search(r"\d", " ".join(parts[1:])) or not _is_name(parts[0].strip()):
        return False
    return not text[len(parts[0]):].lstrip().startswith((":", "："))


def _heads_a_value(hit) -> bool:
    """A party label either ends with a colon or stands alone (a heading over its block):
    'Seller line 2' or 'Client nom commercial' are text, not labels."""
    return _heads(hit.segment.text, hit.end)


def _heads(text: str, end: int) -> bool:
    """``text[:end]`` is a label heading a value: ``_heads_a_value``."""
    label = text[:end].rstrip()
    rest = text[end:]
    # OCR reads a colon as ';' or '.', and Chinese labels often go without one; a caption may
    # say it twice: 'Buyer (Bill to)', 'Consignee (Ship to):'
    return (label.endswith((":", "：")) or not rest.strip() or re.match(r"\s*[:：;；.,]", rest) is not None
            or re.search(r"[\u3400-\u9fff]$", label) is not None
            or re.fullmatch(r"\s*\([^()]{1,30}\)\s*[:：]?\s*", rest) is not None)


def _misread(word: str, stem: str) -> bool:
    """A logo's word one letter off the start of the domain printed under it: a scan reads the
    'g' of bouygues as 'a' ('bouyaues', bouyguestelecom.fr). Five letters or more, so that a short
    word one letter off is not taken for another company's."""
    if len(word) < 5 or len(stem) < len(word):
        return False
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(word, stem[: len(word)]) == 1


#: a letterhead segment none of whose words Tesseract read surer than this is a logo read as text
LOGO_CONF = 0.2


def _logo_read_as_text(seg: Segment) -> bool:
    """A shop's logo over its name is a picture Tesseract reads as letters it doubts every one
    of ('NT' at 0.04 and 'niyvae|' at 0.0 for HORNBACH's house): no name, neither to name the
    shop nor to put the name printed under it in doubt. Print of a name, however worn, has
    some word read surer than that."""
    return bool(seg.words) and max(w.conf for w in seg.words) < LOGO_CONF


def _word_conf(seg: Segment) -> float:
    return min((w.conf for w in seg.words), default=0.0)


def _merge_contained(cands: dict[str, _Candidate]) -> None:
    """'Amazon EU' and 'Amazon EU S.a.r.L', 'Akretion' (a logo) and 'Akretion France': one company;
    the longer spelling wins."""
    keys = sorted(cands, key=len)
    for i, short in enumerate(keys):
        for long in keys[i + 1:]:
            if short in cands and long in cands and long.startswith(short) and len(short) >= 4:
                short_name, long_name = fold(cands[short].name), fold(cands[long].name)
                extra = cands[long].name[len(cands[short].name):]
                whole_words = long_name.startswith(short_name) and long_name[len(short_name):][:1] in (" ", ",")
                if LEGAL_FORM.search(extra) or len(long) - len(short) <= 3 or whole_words:
                    cands[long].score += cands[short].score
                    cands[long].sources += cands[short].sources
                    cands[long].conf = max(cands[long].conf, cands[short].conf)
                    del cands[short]
    # a line at the top that ends with a name found elsewhere ('LOGO LE FOURNISSEUR' over a block
    # headed 'LE FOURNISSEUR'): the same company under a caption or slogan; the name wins
    for short in sorted(cands, key=len):
        for long in [k for k in cands if k != short and k.endswith(short) and len(short) >= 6]:
            if short not in cands or long not in cands or not all(s == "letterhead" for s in cands[long].sources):
                continue
            short_name, long_name = fold(cands[short].name), fold(cands[long].name)
            if long_name.endswith(short_name) and long_name[: -len(short_name)][-1:] == " ":
                cands[short].score += cands[long].score
                cands[short].sources += cands[long].sources
                cands[short].conf = max(cands[short].conf, cands[long].conf)
                del cands[long]


def _absorb(name: _Candidate, other_spelling: _Candidate) -> None:
    """``other_spelling``'s votes counted for ``name``: the same company read two ways."""
    name.score += other_spelling.score
    name.sources += other_spelling.sources
    name.conf = max(name.conf, other_spelling.conf)
    name.page = name.page or other_spelling.page


def _merge_broken_off(cands: dict[str, _Candidate]) -> None:
    """'Al Noor Building Buildi' (a letterhead whose big print OCR broke off inside a word, a
    piece of a word read twice) and 'Al Noor Building Materials Trading LLC' (the same name whole,
    with its legal form, in the signature or the footer): one company, spelled whole. The broken
    read's last word must be a piece of a word of the whole name, and every word before it the
    whole name's own, in order."""
    for key in sorted(cands, key=len):
        broken = cands.get(key)
        words = fold(broken.name).split() if broken else []
        if len(words) < 3 or len(words[-1]) < 3 or LEGAL_FORM.search(broken.name):
            continue
        for other_key, whole in list(cands.items()):
            whole_words = fold(whole.name).split()
            if (other_key == key or not LEGAL_FORM.search(whole.name) or whole_words[: len(words) - 1] != words[:-1]
                    or words[-1] in whole_words
                    or not any(w.startswith(words[-1]) for w in whole_words[len(words) - 2:])):
                continue
            _absorb(whole, broken)
            del cands[key]
            break


#: a digit read inside a word of letters ('Bergstr6m' for Bergström, 'W0jcik'): a letter misread
_DIGIT_IN_WORD = re.compile(r"[^\W\d_]\d[^\W\d_]")


def _merge_misread_letters(cands: dict[str, _Candidate]) -> None:
    """'Bergstr6m Bygg AB' (the footer's print, a scan reading the ö as 6) and 'Bergstrom Bygg
    AB' (the letterhead's): one company, spelled as read where no digit stands inside a word.
    The two spellings must agree letter for letter wherever the first holds no digit."""
    for key in [k for k, c in cands.items() if _DIGIT_IN_WORD.search(c.name)]:
        misread = cands.get(key)
        if misread is None:
            continue
        for other_key, other in cands.items():
            if (other_key == key or len(other_key) != len(key) or _DIGIT_IN_WORD.search(other.name)
                    or not all(a == b or (a.isdigit() and b.isalpha()) for a, b in zip(key, other_key))):
                continue
            _absorb(other, misread)
            del cands[key]
            break


def find_issuer(doc: Document, lex: Lexicons, conv: Conventions, values: list, regions: list,
                vendors: list[Vendor] | None = None):
    """(issuer Field or None, ids of the segments in buyer/ship-to blocks)."""
    from vision.fields import Field

    finder = _Finder(doc, lex, conv, values, regions)
    finder.from_seller_labels()
    finder.from_side_captions()
    finder.from_identifiers()
    finder.from_letterhead()
    finder.from_address_blocks()
    finder.from_legal_forms()
    _merge_contained(finder.cands)
    _merge_broken_off(finder.cands)
    _merge_misread_letters(finder.cands)
    finder.from_domains()
    _merge_contained(finder.cands)
    if vendors:
        match = finder.vendor_match(vendors)
        if match:
            vendor, how = match
            return Field(vendor.name, 0.99, "document", None, vendor.name, detail=how), finder.buyer
    if not finder.cands:
        return None, finder.buyer
    ranked = sorted(finder.cands.values(), key=lambda c: (-c.score, -c.conf))
    best = ranked[0]
    # one weak place (a bold line at the top) is not enough to book: 4 points -> 0.54;
    # a sender line 0.66; a seller label 0.9; places that agree add up
    support = min(1.0, 0.3 + 0.06 * best.score)
    detail = "; ".join(dict.fromkeys(best.sources))
    if len(ranked) > 1 and (ranked[1].score >= best.score - CONTESTED or ranked[1].score >= CLOSE * best.score):
        # two companies about as likely (two tax-id blocks, an unlabelled address window):
        # a coin flip is not booked; a person picks once, a learned template remembers
        support = min(support, 0.55)
        detail += f"; contested by {ranked[1].name!r} ({'; '.join(dict.fromkeys(ranked[1].sources))})"
    elif len(ranked) > 1 and ranked[1].score >= 0.75 * best.score:
        support *= 0.85
    if cut_short(best.name):
        support = min(support, 0.55)
        detail += "; its legal form cut short"
    name, respelled = _in_its_own_letters(doc, conv, best)
    if respelled is None:
        # the page's own model reads letters the English one cannot write where it read others
        # ('Rørlegger' as 'Rerlegger'), but not the name's other letters alike: one spelling
        # is wrong, and a person says which once (a learned template then knows the vendor)
        support = min(support, 0.55)
        detail += f"; its {conv.language} letters read otherwise by the {OWN_LETTER_MODELS[conv.language]} model"
    elif respelled:
        detail += f"; its {conv.language} letters read by the {OWN_LETTER_MODELS[conv.language]} model"
    return Field(name, best.conf * support, "layout", best.page, name, detail=detail), finder.buyer


#: Tesseract's models for languages with letters the English model (which deskbot reads pages
#: with) cannot write and reads as other letters, not as the letter's base ('Rørlegger' as
#: 'Rerlegger' or 'R@rlegger', 'Svolvær' as 'Svolveer'): such a name would be booked misspelled.
#: A name read on an OCR page in one of these languages is read again with its own model when the
#: model is installed (Debian: tesseract-ocr-nor, -dan, -swe; ``scripts/setup.sh``). Letters
#: whose English reading is their base letter ('Müller' read 'Muller', 'Dvořák' 'Dvorak') fold
#: to the same vendor and need no second model.
OWN_LETTER_MODELS = {"no": "nor", "da": "dan", "sv": "swe"}
#: the only letter beyond ASCII the English model writes (its LSTM character set)
_ENGLISH_MODEL_WRITES = "é"


def _in_its_own_letters(doc: Document, conv: Conventions, best: _Candidate) -> tuple[str, bool | None]:
    """(the name to book, True when its own model respelled it, False when there was nothing to
    read again, None when that model reads the name's own letters where the English one read
    other letters but disagrees on the rest too)."""
    from vision.reader import _installed_languages
    from vision.reread import page_image, readings

    model = OWN_LETTER_MODELS.get(conv.language or "")
    if model is None or best.page is None or not 0 < best.page <= len(doc.pages):
        return best.name, False
    page = doc.pages[best.page - 1]
    if page.source != "ocr" or model not in _installed_languages():
        return best.name, False
    places = sorted(_printed_at(page, best.name), key=lambda box: box[1] - box[3])  # the tallest print first
    image = page_image(doc.path, page) if places else None
    if image is None:
        return best.name, False
    doubted = False
    for texts in readings(image, places, model):
        for text in texts:
            verdict = _respelled_in_own_letters(best.name, re.sub(r"\s+", " ", text).strip())
            if verdict:
                return verdict, True
            doubted = doubted or verdict is None
    return best.name, None if doubted else False


def _printed_at(page, name: str) -> list[tuple[float, float, float, float]]:
    """The boxes of the runs of words on ``page`` that spell ``name`` (letters and digits alike)."""
    key = _alnum(name)
    found = []
    for line in page.lines:
        for seg in line.segments:
            for start in range(len(seg.words)):
                spelled = ""
                for end in range(start, len(seg.words)):
                    spelled += _alnum(seg.words[end].text)
                    if not key.startswith(spelled):
                        break
                    if spelled == key:
                        found.append(box_of(seg.words[start:end + 1]))
                        break
    return found


def _own_letter(char: str) -> bool:
    return char.isalpha() and not char.isascii() and char not in _ENGLISH_MODEL_WRITES


def _read_for_own_letters(read: str, letters: str) -> bool:
    """Could the English model have read ``letters`` as ``read``? One character a letter, or two
    as it transliterates or doubles ('oe' or 'ee' for ø, 'ae' for æ, 'aa' for å), never a
    letter and another ('AS' is no Å)."""
    if len(read) <= len(letters):
        return True
    pairs = [read[i:i + 2].casefold() for i in range(len(read) - 1)]
    return len(read) <= 2 * len(letters) and any(p[1] in ("e", p[0]) for p in pairs)


def _respelled_in_own_letters(name: str, again: str) -> str | bool | None:
    """``again`` when it is ``name`` with only letters the English model cannot write in place
    of what it read (one or two characters each: 'e' or '@' for ø, 'ee' for æ); None when it is
    that and one or two characters more read otherwise (the first reading's spelling is then in
    doubt, and so is this one's); False otherwise (a reading too far off to tell anything)."""
    import difflib

    changes = [op for op in difflib.SequenceMatcher(None, name, again, autojunk=False).get_opcodes() if op[0] != "equal"]
    own = [op for op in changes if again[op[3]:op[4]] and all(_own_letter(c) for c in again[op[3]:op[4]])
           and _read_for_own_letters(name[op[1]:op[2]], again[op[3]:op[4]])]
    if not own:
        return False
    elsewhere = sum(max(i1 - i0, j1 - j0) for op, i0, i1, j0, j1 in changes if (op, i0, i1, j0, j1) not in own)
    return again if not elsewhere else None if elsewhere <= 2 else False
