"""Read an invoice: document -> fields (each with a confidence) -> checks -> status.

    from vision import read_invoice, CheckPolicy
    result = read_invoice("scan.jpg", templates_dir="config/invoice_templates")
    result.status        # "ready" | "review" | "unreadable"
    result.reasons       # why a person must look
    result.fields["amount"].value, result.fields["amount"].confidence
    result.to_json()     # the shape `deskbot ocr --json` prints

Field names follow invoice2data's test data: ``issuer``, ``invoice_number``, ``date``,
``due_date``, ``amount`` (the total), ``amount_untaxed``, ``vat`` (the tax amount),
``currency``, ``lines``. A vendor template that matches the text overrides the fields it
defines; everything else comes from the generic layout reader (``vision.fields``).

An e-invoice (Factur-X/ZUGFeRD PDF, XRechnung/UBL/CII/FatturaPA XML, Chinese XML/OFD) is read
from its data instead (``vision.einvoice``): every field ``source: document``, confidence 1.0,
plus ``amount_due``, ``seller_tax_id``, ``iban``, ``document_type``, line items and the tax
breakdown. ``vat`` stays the tax amount; the seller's VAT number is ``seller_tax_id``.
"""

from __future__ import annotations

import time
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from vision.checks import CheckPolicy, printed_payment_terms, run_checks, status_of
from vision.document import Document
from vision.einvoice import read_einvoice
from vision.errors import UnreadableDocument
from vision.fields import Field, Options, extract
from vision.issuer import Vendor
from vision.lexicon import Lexicons
from vision.reader import DEFAULT_LANGUAGES, read_document
from vision.reread import confirm_scanned
from vision.learned import (confirm_by_reading_again, confirm_faint, faint_amounts, faint_dates, faint_numbers,
                            find_learned, keep_arithmetic, near_a_known_vendor, sums_hold)
from vision.templates import Template, find_template, load_templates


@dataclass
class InvoiceResult:
    path: str
    status: str
    reasons: list[str]
    fields: dict[str, Field]
    lines: list[dict]
    checks: list[dict]
    pages: list[dict]
    seconds: float
    template: str | None = None
    text: str = ""
    words: list = field(default_factory=list, repr=False)
    format: str | None = None  # the e-invoice syntax and profile, None for a scan or plain PDF
    lines_source: str = "layout"
    taxes: list[dict] = field(default_factory=list)  # e-invoice tax breakdown: category, rate, basis, amount
    conventions: dict = field(default_factory=dict)  # the language, date order and decimal mark read by

    def value(self, name: str):
        f = self.fields.get(name)
        return f.value if f else None

    def fields_json(self) -> dict:
        out = {name: f.to_json() for name, f in self.fields.items()}
        if self.lines:
            out["lines"] = {"value": [_line_json(item) for item in self.lines],
                            "confidence": round(min(item["confidence"] for item in self.lines), 3),
                            "source": self.lines_source}
        if self.taxes:
            out["tax_breakdown"] = {"value": [_line_json(item) for item in self.taxes], "confidence": 1.0,
                                    "source": self.lines_source}
        return out

    def to_json(self) -> dict:
        return {"file": self.path, "status": self.status, "reasons": list(self.reasons),
                "fields": self.fields_json(), "checks": list(self.checks), "pages": list(self.pages),
                "template": self.template, "format": self.format, "conventions": dict(self.conventions),
                "seconds": round(self.seconds, 3)}

    def plain_fields(self) -> dict:
        """Just the values, JSON-safe (for recipes: ``steps.inv.values.amount``)."""
        return {name: item["value"] for name, item in self.fields_json().items()}


def _line_json(item: dict) -> dict:
    return {k: (float(v) if isinstance(v, Decimal) else v) for k, v in item.items()}


def unreadable(path: str | Path, reason: str, seconds: float = 0.0) -> InvoiceResult:
    return InvoiceResult(str(path), "unreadable", [reason], {}, [], [], [], seconds)


def analyse(doc: Document, *, templates: list[Template] | None = None, policy: CheckPolicy | None = None,
            started: float | None = None, lexicons: Lexicons | None = None,
            vendors: list[Vendor] | None = None, first_read: InvoiceResult | None = None) -> InvoiceResult:
    """Fields, checks and status of an already-read document; ``first_read``: the quick read's
    result when this is the slower second read of a scan (``_against_first_read``)."""
    started = started if started is not None else time.perf_counter()
    policy = policy or CheckPolicy()
    text = doc.text
    template = find_template(templates or [], text)
    learned, sureness = find_learned(templates or [], text, doc.words)
    opts = template.options if template else learned.options if learned else Options()
    extraction = extract(doc, opts, lexicons, vendors)
    fields = dict(extraction.fields)
    missed: list[str] = []
    if learned:  # what a person taught for this vendor; a hand-written template still wins
        taught, missed = learned.read(doc, sure=sureness >= 2, generic=extraction.fields)
        fields.update(taught)
        learned.settle_date_order(fields)
        learned.read_due_date_by_its_label(doc, fields, extraction.unread_label)
    if template:
        fields.update(template.apply(doc))
        missed = [n for n in missed if n not in template.fields]
    kept, disagreement = (_against_first_read(first_read, fields, policy.threshold, extraction.lines)
                          if first_read else ({}, None))
    fields.update(kept)
    repaired = _read_line_again(doc, fields, extraction, opts)
    guard = (keep_arithmetic(fields, extraction.fields, extraction.lines, extraction.roundings, doc, learned,
                             opts.decimal or (extraction.conventions.decimal if extraction.conventions else None))
             if learned else None)
    if guard and not guard["ok"]:  # the learned labels misled: the amounts' places on the page may not
        guard = learned.place_amounts(doc, fields, extraction.lines) or guard
    all_text_layer = all(p.source == "text" for p in doc.pages)
    # a name one slip from a learned vendor's, on a page that vendor's template did not fit
    near = None if learned or template else near_a_known_vendor(templates or [], fields.get("issuer"))
    # a date the scan misread by one figure, which the vendor's payment terms and its ink read again settle
    mended = learned.mend_date_by_terms(doc, fields, extraction.conventions.day_first if extraction.conventions
                                        else None) if learned else None
    dated = learned.check_dates(fields) if learned else None
    if mended and dated and dated["ok"]:
        dated = mended
    extra = [check for check in (guard, dated, near, disagreement) if check]
    if repaired:
        extra.append({"name": "line_reread", "ok": True,
                      "detail": f"line(s) {repaired}: the amount read again is quantity x unit price "
                                f"({'; '.join(extraction.lines[n - 1]['reread'] for n in repaired)})"})
    found = learned.check_found(doc, fields, missed, extraction.lines) if learned else None
    if found:
        extra.append(found)
    for name, printed in extraction.unread.items():
        if name not in fields:  # a learned or hand-written spot may have read it
            extra.append({"name": f"{name}_unread", "ok": False,
                          "detail": f"{name} printed but not read ({printed!r}): read it off the document"})
    terms = printed_payment_terms(text)
    checks = run_checks(fields, extraction.lines, policy, all_text_layer, terms) + extra
    status, reasons = status_of(checks, fields, len(doc.words))
    faint = (faint_numbers(fields, learned, policy.threshold) + faint_dates(fields, learned, policy.threshold)
             + faint_amounts(fields, extraction.lines, policy.threshold, learned) if learned and status != "ready" else [])
    read_again = False
    if faint:
        # a number read faintly in the vendor's form, or amounts the sums fix, stop the invoice on
        # their confidence alone: when that is all that stops it, their ink is read again, and
        # what reads the same passes
        raised = {**fields, **{n: replace(fields[n], confidence=policy.threshold) for n in faint}}
        if status_of(run_checks(raised, extraction.lines, policy, all_text_layer, terms) + extra, raised,
                     len(doc.words))[0] == "ready":
            confirmed = confirm_faint(doc, fields, faint, learned.options, policy.threshold, learned)
            if confirmed is not None:
                fields, reread = confirmed
                checks = run_checks(fields, extraction.lines, policy, all_text_layer, terms) + extra + [reread]
                status, reasons = status_of(checks, fields, len(doc.words))
                read_again = True
    if learned and status == "ready" and not read_again:
        # a learned number or date on a scan has no sum behind it: it is read again first
        reread = confirm_by_reading_again(doc, fields, learned.options, learned)
        if reread:
            checks = run_checks(fields, extraction.lines, policy, all_text_layer, terms) + extra + [reread]
            status, reasons = status_of(checks, fields, len(doc.words))
    if status == "ready" and not all_text_layer:
        # a number or date read from a scan has no sum behind it: it is read again first
        conv = extraction.conventions
        day_first = opts.day_first if opts.day_first is not None else conv.day_first if conv else None
        scanned = confirm_scanned(doc, fields, day_first, conv.months if conv else None, terms)
        if scanned:
            checks = checks + [scanned]
            status, reasons = status_of(checks, fields, len(doc.words))
    names = [t.name for t in (template, learned) if t]
    conventions = extraction.conventions.to_json() if extraction.conventions else {}
    return InvoiceResult(doc.path, status, reasons, fields, extraction.lines, checks,
                         [p.summary() for p in doc.pages], time.perf_counter() - started,
                         " + ".join(names) or None, text, doc.words, conventions=conventions)


def _read_line_again(doc: Document, fields: dict, extraction, opts: Options) -> list[int]:
    """On a scan, the one line whose amount breaks both quantity x unit price and the sum of
    the lines is read again (``vision.reread.repair_line_amounts``); the lines it repaired."""
    if not extraction.lines or all(p.source != "ocr" for p in doc.pages):
        return []
    from vision.reread import repair_line_amounts

    def money(name: str) -> Decimal | None:
        found = fields.get(name)
        return found.value if found is not None and isinstance(found.value, Decimal) else None

    decimal = opts.decimal or (extraction.conventions.decimal if extraction.conventions else None)
    return repair_line_amounts(doc, extraction.lines, money("amount_untaxed"), money("amount"), decimal)


_FIXABLE_BY_READING = ("required_fields", "confidence", "subtotal_plus_tax", "lines_sum", "line_arithmetic",
                       "number_present", "date_plausible", "due_date_unread",
                       # a learned label or value a doubtful word hid, a number or date whose second
                       # readings disagreed with a first one the slower read may correct
                       "learned_template", "learned_dates", "learned_reread", "scan_reread")


def _worth_reading_again(result: InvoiceResult, policy: CheckPolicy | None = None) -> bool:
    """A slower second read can fix a missing or misread field, not an old date or a duplicate."""
    if result.status == "ready":
        return False
    if result.status == "unreadable":
        return True
    if result.value("document_type") == "receipt":
        # a till receipt's total and date are what reading can fix: once the total is confirmed
        # by another line and the date is clear, a slower read changes nothing a person won't
        amount, day = result.fields.get("amount"), result.fields.get("date")
        threshold = (policy or CheckPolicy()).threshold
        if (amount is not None and amount.agreeing >= 2 and amount.confidence >= 0.9
                and day is not None and day.confidence >= threshold):
            return False
    failed = [c for c in result.checks if c["ok"] is False]
    if any(c["name"] == "date_plausible" and "no invoice date" not in c["detail"] for c in failed):
        failed = [c for c in failed if c["name"] != "date_plausible"]
    return any(c["name"] in _FIXABLE_BY_READING for c in failed)


#: words in a row under ``GARBLED_CONF`` on one line of a quick read: a stretch of print it garbled
GARBLED_RUN = 3
GARBLED_CONF = 0.5


def _garbled_stretch(result: InvoiceResult, doc: Document) -> str:
    """On an invoice the quick read would book, the first stretch of a line it garbled ('Gate Jue
    or i oe' for 'Due date 07.10.26'), or ''. No check misses a field the vendor printed but no
    reading saw, so it would be booked without it: the slower read, which reads doubtful words
    again, looks first. Not on a till receipt: its logos and worn print garble often, and a
    receipt has no due date or other field a check would not miss."""
    if result.status != "ready" or result.value("document_type") == "receipt":
        return ""
    for page in doc.pages:
        if page.source != "ocr" or page.thorough:
            continue
        for line in page.lines:
            run: list[str] = []
            for word in (w for seg in line.segments for w in seg.words):
                run = run + [word.text] if word.conf < GARBLED_CONF else []
                if len(run) >= GARBLED_RUN:
                    return " ".join(run)
    return ""


_MONEY_FIELDS = ("amount", "amount_untaxed", "vat")
#: checks whose failure says a read's own amounts do not hold together
_ARITHMETIC_CHECKS = ("subtotal_plus_tax", "lines_sum", "total_corroborated")


def _against_first_read(first: InvoiceResult, fields: dict[str, Field], threshold: float,
                        lines: list[dict] | None = None) -> tuple[dict, dict | None]:
    """What a slower second read takes from the quick read before it, field by field: a field
    the quick read had surely and the second lost (its words re-read into something else) is
    kept, and so is a date it only guessed; an amount both reads had surely but differently,
    where the quick read's amounts held together, is for a person to settle (a failed check):
    neither read is the better witness of that figure. Unless the second read's figures break
    the sums that the quick read's make hold with the rest of the second read (its other
    amounts, its ``lines``): the second read lost a figure's cents ('298' of '298.66'), and
    the quick read's figures are kept. (kept fields, the check or None)"""
    sure = [n for n, f in first.fields.items() if f.confidence >= threshold]
    kept = {n: first.fields[n] for n in sure if n not in fields}
    if "date" in first.fields and "date" not in fields:
        # a date the quick read could only guess (a dot-matrix date's look-alike digits) and the
        # second read made nothing of: the guess, as unsure as it was, is what a person confirms
        kept.setdefault("date", first.fields["date"])
    first_held = not any(c["name"] in _ARITHMETIC_CHECKS and c["ok"] is False for c in first.checks)
    differ = [n for n in _MONEY_FIELDS if first_held and n in sure and n in fields
              and fields[n].confidence >= threshold and fields[n].value != first.fields[n].value]
    if differ and sums_hold(fields, lines or []) is False and sums_hold(
            {**fields, **{n: first.fields[n] for n in differ}}, lines or []) is True:
        kept.update({n: first.fields[n] for n in differ})
        differ = []
    disagree = [f"{n}: the first read gave {first.fields[n].value}, the second {fields[n].value}" for n in differ]
    check = {"name": "reads_disagree", "ok": False,
             "detail": "; ".join(disagree) + ": read the amount off the document"} if disagree else None
    return kept, check


def read_invoice(path: str | Path, *, languages: str = DEFAULT_LANGUAGES, templates: list[Template] | None = None,
                 templates_dir: str | Path | None = None, policy: CheckPolicy | None = None,
                 executor: Executor | None = None, lexicons: Lexicons | None = None,
                 vendors: list[Vendor] | None = None) -> InvoiceResult:
    """Read and check one invoice file. Unreadable files give status 'unreadable', not an error;
    a missing Tesseract raises ``OcrUnavailable`` (it is the machine, not the file).
    ``lexicons``: label lexicons (default ``config/lexicons``); ``vendors``: an optional vendor
    master (``vision.issuer.load_vendors``) the issuer is matched to."""
    started = time.perf_counter()
    if templates is None:
        templates = load_templates(templates_dir)
    try:
        structured = read_einvoice(path, languages=languages, templates=templates, policy=policy, executor=executor)
        if structured is not None:
            return structured
        # the pages keep their prepared images: checks that read a few words again cut them
        # out there; the images go with ``doc`` when this returns
        doc = read_document(path, languages, executor, thorough=False, keep_images=True)
        result = analyse(doc, templates=templates, policy=policy, started=started, lexicons=lexicons,
                             vendors=vendors)
        if ((_worth_reading_again(result, policy) or _garbled_stretch(result, doc))
                and any(p.source == "ocr" and not p.thorough for p in doc.pages)):
            # a second, slower read (doubtful words read again line by line) before a person must look
            doc = read_document(path, languages, executor, thorough=True, previous=doc, keep_images=True)
            result = analyse(doc, templates=templates, policy=policy, started=started, lexicons=lexicons,
                             vendors=vendors, first_read=result)
    except UnreadableDocument as exc:
        return unreadable(path, str(exc), time.perf_counter() - started)
    return result
