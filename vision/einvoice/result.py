"""An e-invoice as an ``InvoiceResult``: fields with ``source: document`` and confidence 1.0,
checks of the XML's own arithmetic, and — when the invoice also has pages a person reads (a
Factur-X PDF, an OFD) — a check that the page shows the same total as the data.

Checks added to the usual ones (``vision.checks``):

- ``xml_totals``: the EN 16931 sums hold (lines = line total; line total − allowances +
  charges = tax basis; tax basis + tax = grand total; grand total − prepaid + rounding = amount
  due; the tax breakdown adds up to the tax total). A file whose own numbers disagree is
  mistyped or tampered with: a person looks.
- ``page_total``: the total the page shows equals the XML's total or amount due (a credit note
  may print it negative). Otherwise review, naming both values. A printed total that differs
  from the XML's (also only by its sign) is kept as ``amount_printed``.
- ``sources_agree``: an OFD's attachment, tags and document info say the same.
- ``credit_note``: a credit note is never booked as an invoice without a person.
"""

from __future__ import annotations

import time
from decimal import Decimal

from vision.checks import CheckPolicy, run_checks, status_of
from vision.document import Document
from vision.einvoice.model import EInvoice
from vision.fields import Field
from vision.parsing import find_amounts

_COMPARED = ("invoice_number", "invoice_code", "date", "issuer", "seller_tax_id", "amount", "amount_untaxed", "vat")
_NOT_FIELDS = {"type_code"}


def _check(name: str, ok: bool | None, detail: str) -> dict:
    return {"name": name, "ok": ok, "detail": detail}


def _fmt(value: Decimal | None) -> str:
    return "?" if value is None else f"{value:.2f}"


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and abs(a - b) < Decimal("0.005")


def merge(sources: list[EInvoice]) -> tuple[EInvoice, list[dict]]:
    """The first (most trusted) source, completed from the others; a check naming every field on
    which two sources disagree."""
    primary = sources[0]
    disagree = []
    for other in sources[1:]:
        for key in _COMPARED:
            a, b = primary.values.get(key), other.values.get(key)
            if a is None or b is None:
                continue
            if (isinstance(a, Decimal) and not _same(a, b)) or (not isinstance(a, Decimal) and a != b):
                disagree.append(f"{key}: {primary.origin} says {a}, {other.origin} says {b}")
        for key, value in other.values.items():
            if primary.values.get(key) is None and value is not None:
                primary.values[key] = value
                if key in other.derived:
                    primary.derived[key] = other.derived[key]
    checks = []
    if len(sources) > 1:
        checks.append(_check("sources_agree", not disagree, "; ".join(disagree) if disagree else
                             f"{len(sources)} data sources in the file agree"))
    return primary, checks


def xml_checks(inv: EInvoice) -> list[dict]:
    s = inv.sums
    problems, checked = [], []

    def expect(label: str, got: Decimal | None, want: Decimal | None, how: str) -> None:
        if got is None or want is None:
            return
        checked.append(label)
        if not _same(got, want):
            problems.append(f"{label} {_fmt(got)} != {how} = {_fmt(want)}")

    amounts = [item["amount"] for item in inv.lines if item.get("amount") is not None]
    if inv.lines and len(amounts) == len(inv.lines) and inv.syntax in ("cii", "ubl"):
        expect("line total", s.get("line_total"), sum(amounts, Decimal(0)), "sum of the lines")
    if s.get("line_total") is not None:
        expect("tax basis", s.get("tax_basis"),
               s["line_total"] - s.get("allowances", Decimal(0)) + s.get("charges", Decimal(0)),
               "line total - allowances + charges")
    if inv.syntax != "fatturapa" or "amount" not in inv.derived:
        expect("grand total", s.get("grand_total"),
               (s["tax_basis"] + s["tax_total"]) if "tax_basis" in s and "tax_total" in s else None, "tax basis + tax")
    if "due" in s and "grand_total" in s and "prepaid" in s:  # without BT-113 (MINIMUM) a deposit is unknowable
        expect("amount due", s["due"], s["grand_total"] - s.get("prepaid", Decimal(0)) + s.get("rounding", Decimal(0)),
               "grand total - prepaid + rounding")
    if "payments" in s:
        expect("payments", s["payments"], s.get("grand_total"), "the document total")
    if inv.taxes and all(t.get("amount") is not None for t in inv.taxes):
        expect("tax total", s.get("tax_total"), sum((t["amount"] for t in inv.taxes), Decimal(0)),
               "sum of the tax breakdown")
    if not checked:
        return [_check("xml_totals", None, "the file carries too few sums to cross-check")]
    return [_check("xml_totals", not problems, "; ".join(problems) if problems else
                   f"the XML's sums agree ({', '.join(checked)})")]


def page_total_check(inv: EInvoice, shown: Decimal | None, doc: Document) -> tuple[dict, Decimal | None]:
    """Does the page show the XML's total? ``shown`` is what the layout reader took for the total.
    Returns the check and the total the page prints when it differs from the XML's (a credit
    note's minus sign included), else None."""
    total, due = inv.sums.get("grand_total", inv.values.get("amount")), inv.sums.get("due")
    wanted = [abs(v) for v in (total, due) if isinstance(v, Decimal)]
    if not wanted:
        return _check("page_total", None, "the XML gives no total"), None
    if shown is not None:
        printed = None if any(_same(shown, v) for v in (total, due) if v is not None) else shown
        if any(_same(abs(shown), w) for w in wanted):
            return _check("page_total", True, f"the page shows {_fmt(shown)} like the XML"), printed
        return _check("page_total", False, f"the page shows a total of {_fmt(shown)}, the attached XML says "
                                           f"{_fmt(total)}: check which is right before booking"), shown
    printed_amounts = [value for value, *_ in find_amounts(doc.text)]
    if any(_same(abs(p), w) for p in printed_amounts for w in wanted):
        return _check("page_total", True, f"the page prints {_fmt(wanted[0])} like the XML"), None
    near = sorted((p for p in printed_amounts if p and abs(abs(p) - wanted[0]) <= max(Decimal(1), wanted[0] / 100)),
                  key=lambda p: abs(abs(p) - wanted[0]))
    if near:
        return _check("page_total", False, f"the page prints {_fmt(near[0])}, the attached XML says "
                                           f"{_fmt(total)}: check which is right before booking"), near[0]
    return _check("page_total", False, f"the XML's total {_fmt(total)} is not printed on the page"), None


def to_fields(inv: EInvoice) -> dict[str, Field]:
    fields = {}
    for key, value in inv.values.items():
        if value is None or key in _NOT_FIELDS:
            continue
        how = inv.derived.get(key)
        fields[key] = Field(value, 1.0, "derived" if how else "document", None, how or inv.origin)
    return fields


def einvoice_result(inv: EInvoice, path: str, *, policy: CheckPolicy | None = None, page_doc: Document | None = None,
                    shown_total: Decimal | None = None, extra_checks: list[dict] | None = None,
                    started: float | None = None):
    """The ``InvoiceResult`` of an e-invoice; ``page_doc`` is the visible document, if any."""
    from vision.invoice import InvoiceResult

    started = started if started is not None else time.perf_counter()
    policy = policy or CheckPolicy()
    fields = to_fields(inv)
    checks = [c for c in run_checks(fields, [], policy, True) if c["name"] != "lines_sum"]
    checks += xml_checks(inv)
    if page_doc is not None and page_doc.pages:
        check, printed = page_total_check(inv, shown_total, page_doc)
        checks.append(check)
        if printed is not None:  # what a person sees, beside the data, for the review
            fields["amount_printed"] = Field(printed, 1.0, "layout", None, "the total printed on the page")
    if inv.document_type == "credit_note":
        checks = [c for c in checks if c["name"] != "total_positive"]
        sum_text = " ".join(filter(None, (_fmt(inv.values.get("amount")), inv.values.get("currency"))))
        checks.append(_check("credit_note", False, f"a credit note ({inv.values.get('type_code') or 'negative total'}) "
                                                   f"of {sum_text}: book it as a credit, not as an invoice"))
    checks += extra_checks or []
    status, reasons = status_of(checks, fields, word_count=max(len(fields), 5))
    lines = [dict(item, confidence=1.0) for item in inv.lines]
    pages = [p.summary() for p in page_doc.pages] if page_doc is not None else []
    return InvoiceResult(path, status, reasons, fields, lines, checks, pages, time.perf_counter() - started,
                         None, page_doc.text if page_doc is not None else "",
                         page_doc.words if page_doc is not None else [],
                         format=inv.format, lines_source="document", taxes=[dict(t) for t in inv.taxes])
