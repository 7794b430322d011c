"""Structured e-invoices, read exactly: the data inside the invoice, not its pixels.

    from vision.einvoice import read_einvoice
    result = read_einvoice("invoice.pdf")   # InvoiceResult, or None when the file is no e-invoice
    result.fields["amount"].source          # "document", confidence 1.0

What is read (``detect`` tells them apart by content, never by file name):

- **Factur-X / ZUGFeRD 2.x PDFs**: the CII XML attached to the PDF/A-3 (``cii``); the page is
  read too, and a page total that differs from the XML's sends the invoice to review;
- **XRechnung / EN 16931 / Peppol BIS** as CII or UBL XML, invoices and credit notes (``cii``,
  ``ubl``);
- **FatturaPA** 1.2 XML (``fatturapa``), also signed (``.xml.p7m``);
- **Chinese e-invoices**: 增值税电子发票 / 数电票 XML and XBRL (``chinese``), OFD files with their
  attachments, invoice tags or page text (``ofd``).

Every XML goes through ``safexml``: a DOCTYPE or entity declaration, an oversized file or
broken XML is refused (``vision.errors.RefusedXml``) with a message naming the problem.
"""

from __future__ import annotations

import time
from concurrent.futures import Executor
from pathlib import Path

from vision.einvoice.detect import pdf_einvoice, read_signed_file, read_xml_file, read_xml_root, sniff_einvoice
from vision.einvoice.model import EInvoice
from vision.einvoice.ofd import read_ofd
from vision.einvoice.result import einvoice_result, merge
from vision.errors import UnreadableDocument

__all__ = ["EInvoice", "read_einvoice", "read_xml_file", "read_xml_root", "sniff_einvoice", "pdf_einvoice", "read_ofd"]


def _shown_total(layout) -> object:
    field = layout.fields.get("amount") if layout is not None else None
    return field.value if field is not None else None


def _refused(problems: list[str]) -> list[dict]:
    return [{"name": "attachment_refused", "ok": False, "detail": p} for p in problems]


def read_einvoice(path: str | Path, *, languages: str | None = None, templates=None, policy=None,
                  executor: Executor | None = None):
    """The ``InvoiceResult`` of an e-invoice file; None when ``path`` is not one (a plain PDF or
    image). A refused or broken XML raises ``RefusedXml`` / ``UnreadableDocument``."""
    from vision.checks import status_of
    from vision.invoice import analyse
    from vision.reader import DEFAULT_LANGUAGES, read_document

    started = time.perf_counter()
    path = Path(path)
    kind = sniff_einvoice(path)
    if kind == "xml":
        return einvoice_result(read_xml_file(path), str(path), policy=policy, started=started)
    if kind == "p7m":
        return einvoice_result(read_signed_file(path), str(path), policy=policy, started=started)
    if kind == "ofd":
        content = read_ofd(path)
        layout = analyse(content.document, templates=templates, policy=policy, started=started)
        if not content.structured:
            if content.problems:
                layout.checks += _refused(content.problems)
                layout.status, layout.reasons = status_of(layout.checks, layout.fields, len(layout.words))
            layout.format = "OFD (page text)"
            return layout
        inv, agreement = merge(content.structured)
        return einvoice_result(inv, str(path), policy=policy, page_doc=content.document,
                               shown_total=_shown_total(layout), extra_checks=agreement + _refused(content.problems),
                               started=started)
    if kind == "pdf":
        found = pdf_einvoice(path)
        if found is None:
            return None
        try:
            doc = read_document(path, languages or DEFAULT_LANGUAGES, executor, thorough=False)
        except UnreadableDocument as exc:
            if found.invoice is None:
                raise
            # the data is readable, the page is not: nothing to compare the total with, so a person looks
            unread = {"name": "page_total", "ok": False, "detail": f"the page could not be read to compare: {exc}"}
            return einvoice_result(found.invoice, str(path), policy=policy,
                                   extra_checks=[unread] + _refused(found.problems), started=started)
        layout = analyse(doc, templates=templates, policy=policy, started=started)
        if found.invoice is None:  # only refused attachments: the page is still a document a person can check
            layout.checks += _refused(found.problems)
            layout.status, layout.reasons = status_of(layout.checks, layout.fields, len(layout.words))
            return layout
        return einvoice_result(found.invoice, str(path), policy=policy, page_doc=doc, shown_total=_shown_total(layout),
                               extra_checks=_refused(found.problems), started=started)
    return None
