"""OCR steps: ``ocr.read`` (text and words of a PDF or scan), ``ocr.invoice`` (checked invoice
fields) and ``ocr.file`` (put the document where it belongs, exactly once).

```yaml
on:
  files: {folder: inbox/invoices, pattern: "*"}
steps:
  - id: invoice
    ocr.invoice: "{{ trigger.file }}"
  - sheet.append: {path: data/ap_ledger.xlsx, sheet: AP, key: [key],
                   rows: ["{{ steps.invoice.values | combine({'key': steps.invoice.key}) }}"]}
    when: "{{ steps.invoice.status == 'ready' }}"
  - ocr.file: {path: "{{ trigger.file }}", status: "{{ steps.invoice.status }}",
               reasons: "{{ steps.invoice.reasons }}", fields: "{{ steps.invoice.values }}"}
```

``ocr.invoice`` status is ``ready`` (every required field confident, every check passed: book
it), ``review`` (a person must look: ``reasons`` says why) or ``unreadable`` (corrupt,
encrypted, blank, not an invoice). ``fields`` holds ``{value, confidence, source}`` per field:
``issuer``, ``invoice_number``, ``date``, ``due_date``, ``amount`` (total), ``amount_untaxed``,
``vat``, ``currency``, ``lines``; ``values`` the plain values. Settings (``config/settings.yaml``)::

    ocr:
      languages: eng+chi_sim             # Tesseract languages
      templates: config/invoice_templates
      threshold: 0.6                     # minimum confidence of a required field
      max_age_days: 730                  # older invoice dates go to review
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from bots.errors import FatalError, InputError
from bots.registry import Requirement, StepParams, step

DEFAULT_TEMPLATES = "config/invoice_templates"


def _tesseract_check() -> str | None:
    from vision import tesseract_missing

    return tesseract_missing("eng")


TESSERACT = Requirement("tesseract", _tesseract_check)


def _settings(ctx) -> dict:
    value = (ctx.settings or {}).get("ocr") or {}
    return value if isinstance(value, dict) else {}


def _existing(path: str) -> Path:
    p = Path(path)
    if not str(path).strip():
        raise InputError("no file given (is the recipe started by a file trigger, or was --var file=… set?)")
    if not p.is_file():
        raise InputError("file not found; check the path and that the file was not moved already", file=str(p))
    return p


class ReadParams(StepParams):
    """Read the text of a PDF or scan (PNG, JPEG, TIFF): PDF text layer where present, OCR otherwise.

    ```yaml
    - id: scan
      ocr.read: {path: "inbox/letter.tif", languages: eng}
    - log: "{{ steps.scan.text[:200] }}"
    ```
    """

    path: str = Field(description="PDF or image file")
    languages: str | None = Field(None, description="Tesseract languages joined by +, e.g. eng+chi_sim "
                                                    "(default: settings ocr.languages, else eng+chi_sim)")


@step("ocr.read", ReadParams, shorthand="path", requires=[TESSERACT],
      outputs={"text": "all text, pages separated by a form feed",
               "words": "list of {text, box [x0,y0,x1,y1], conf 0..1, page}",
               "pages": "per page: source (text|ocr), words, mean_conf, rotation, skew, dpi, seconds"})
def read(ctx, params: ReadParams) -> dict:
    from vision import DEFAULT_LANGUAGES, OcrUnavailable, UnreadableDocument, read_document

    path = _existing(params.path)
    languages = params.languages or _settings(ctx).get("languages") or DEFAULT_LANGUAGES
    try:
        doc = read_document(path, languages)
    except UnreadableDocument as exc:
        raise InputError(str(exc), file=str(path)) from None
    except OcrUnavailable as exc:
        raise FatalError(f"OCR is not available: {exc}") from None
    ctx.log(f"read {path.name}: {len(doc.pages)} page(s), {len(doc.words)} words")
    return {"text": doc.text, "words": [w.to_json() for w in doc.words], "pages": [p.summary() for p in doc.pages]}


class InvoiceParams(StepParams):
    """Read an invoice and check it: fields with confidences, checks, and a status.

    ```yaml
    - id: invoice
      ocr.invoice: {path: "{{ trigger.file }}", threshold: 0.7, vendors: data/suppliers.csv}
    - fail: {message: "{{ steps.invoice.reasons | join('; ') }}", kind: business}
      when: "{{ steps.invoice.status != 'ready' }}"
    ```
    """

    path: str = Field(description="PDF or image file of the invoice")
    languages: str | None = Field(None, description="Tesseract languages (default: settings ocr.languages)")
    templates: str | None = Field(None, description="folder of vendor templates (default: settings ocr.templates, "
                                                    "else config/invoice_templates)")
    threshold: float | None = Field(None, ge=0, le=1, description="minimum confidence of a required field "
                                                                  "(default 0.6)")
    max_age_days: int | None = Field(None, ge=1, description="invoice dates older than this go to review "
                                                             "(default 730)")
    check_duplicates: bool = Field(True, description="send an issuer + number already booked (intake journal) "
                                                     "to review")
    vendors: str | None = Field(None, description="vendor master, CSV or YAML with name, tax_id, iban (the ERP's "
                                                  "supplier list): the issuer is matched to it and fields.issuer.detail "
                                                  "says how (default: settings ocr.vendors, else none)")


@step("ocr.invoice", InvoiceParams, shorthand="path", requires=[TESSERACT],
      outputs={"status": "ready | review | unreadable",
               "fields": "per field {value, confidence, source, page, text}",
               "values": "per field just the value (issuer, invoice_number, date, due_date, amount, "
                         "amount_untaxed, vat, currency, lines)",
               "checks": "list of {name, ok (true/false/null), detail}",
               "reasons": "why a person must look (empty when ready)",
               "lines": "line items {description, quantity, unit_price, amount}",
               "pages": "per page summary", "key": "content hash of the file (idempotency key for booking)",
               "path": "the file read", "name": "its file name"})
def invoice(ctx, params: InvoiceParams) -> dict:
    from vision import CheckPolicy, DEFAULT_LANGUAGES, OcrUnavailable, VisionError, load_templates, read_invoice
    from vision.issuer import load_vendors

    from bots.intake import IntakeJournal, cached_result, content_hash

    path = _existing(params.path)
    conf = _settings(ctx)
    digest = content_hash(path)
    approved = _approved_in_review(ctx, path, digest)
    if approved is not None:
        return approved
    journal = IntakeJournal.at_home(ctx.home) if params.check_duplicates else None
    try:
        policy = CheckPolicy(threshold=params.threshold if params.threshold is not None else float(conf.get("threshold", 0.6)),
                             max_age_days=params.max_age_days or int(conf.get("max_age_days", 730)),
                             booked_before=(lambda issuer, number: journal.booked_before(issuer, number, digest))
                             if journal else None)
        vendors_file = params.vendors or conf.get("vendors")
        result = cached_result(digest)
        if result is None or params.threshold is not None or params.max_age_days is not None or vendors_file:
            try:
                vendors = load_vendors(vendors_file) if vendors_file else None
            except VisionError as exc:
                raise InputError(f"vendor master: {exc}") from None
            folder = params.templates or conf.get("templates") or DEFAULT_TEMPLATES
            try:
                templates = load_templates(folder)
            except VisionError as exc:
                raise InputError(f"invoice template: {exc}") from None
            try:
                result = read_invoice(path, languages=params.languages or conf.get("languages") or DEFAULT_LANGUAGES,
                                      templates=templates, policy=policy, vendors=vendors)
            except OcrUnavailable as exc:
                raise FatalError(f"OCR is not available: {exc}") from None
            # ocr.file later in this run files it into review with the whole reading (word boxes)
            ctx.resources.get("ocr.readings", dict)[digest] = result
        elif journal is not None and result.status == "ready":
            earlier = journal.booked_before(str(result.value("issuer")), str(result.value("invoice_number")), digest)
            if earlier:
                result.checks.append({"name": "not_booked_before", "ok": False, "detail": f"already booked: {earlier}"})
                result.status, result.reasons = "review", [f"not_booked_before: already booked: {earlier}"]
        taken = journal.get(digest) if journal is not None else None
        if taken and taken["state"] == "done" and Path(taken["folder"] or "") / taken["name"] != path:
            why = f"duplicate: the same file was already taken as {taken['name']} ({taken['outcome']}: {taken['dest']})"
            result.checks.append({"name": "not_seen_before", "ok": False, "detail": why})
            result.status, result.reasons = "review", [why]
    finally:
        if journal is not None:
            journal.close()
    summary = ", ".join(f"{k}={v}" for k, v in result.plain_fields().items() if k != "lines")
    ctx.log(f"{path.name}: {result.status}" + (f" ({'; '.join(result.reasons)})" if result.reasons else "")
            + f" [{summary}]")
    data = result.to_json()
    return {"status": result.status, "fields": data["fields"], "values": result.plain_fields(),
            "checks": data["checks"], "reasons": list(result.reasons), "lines": data["fields"].get("lines", {}).get("value", []),
            "pages": data["pages"], "key": digest, "path": str(path), "name": path.name}


def _approved_in_review(ctx, path: Path, digest: str) -> dict | None:
    """A document a person approved in review (``deskbot review approve``) is booked with the
    values they approved: status ready, each field ``source: review``, nothing read again."""
    from bots.review import approved_reading

    approved = approved_reading(ctx.home, digest)
    if approved is None:
        return None
    values = {k: (float(v) if k in ("amount", "amount_untaxed", "vat") and v is not None else v)
              for k, v in approved["values"].items()}  # the same types as a reading's values
    read = (approved["record"].get("fields") or {})
    fields = {name: {"value": value, "confidence": 1.0, "source": "review", "page": None,
                     "text": str((read.get(name) or {}).get("text") or "") if isinstance(read.get(name), dict) else ""}
              for name, value in values.items()}
    lines = (read.get("lines") or {}).get("value") or [] if isinstance(read.get("lines"), dict) else []
    ctx.log(f"{path.name}: approved in review {approved['id']} by {approved['decided_by']}")
    return {"status": "ready", "fields": fields, "values": dict(values), "checks": approved["record"].get("checks") or [],
            "reasons": [], "lines": lines, "pages": approved["record"].get("pages") or [], "key": digest,
            "path": str(path), "name": path.name}


class FileParams(StepParams):
    """File a document once it is dealt with: ``archive/YYYY-MM/`` (booked), ``review/`` (+ .json of
    why) or ``quarantine/`` (+ .txt reason), beside the folder it came from. Exactly once: the
    intake journal (in the store, beside the run history) remembers the content, so a re-run never books twice.

    ```yaml
    - ocr.file: {path: "{{ trigger.file }}", status: "{{ steps.invoice.status }}",
                 reasons: "{{ steps.invoice.reasons }}", fields: "{{ steps.invoice.values }}"}
    ```
    """

    path: str = Field(description="the document to file")
    status: Literal["ready", "booked", "review", "unreadable", "quarantine"] = Field(
        description="ready/booked -> archive, review -> review, unreadable/quarantine -> quarantine")
    reasons: list[str] = Field(default_factory=list, description="why a person must look (review/quarantine)")
    fields: dict[str, Any] = Field(default_factory=dict, description="what was read (values); issuer, "
                                   "invoice_number and date are used for booked documents")
    folder: str | None = Field(None, description="base folder of archive/review/quarantine (default: the "
                                                 "document's folder)")


@step("ocr.file", FileParams, outputs={"dest": "where the document is now", "outcome": "booked | review | quarantine"})
def file(ctx, params: FileParams) -> dict:
    from bots.intake import IntakeJournal, cached_result, content_hash, file_document, review_record

    path = _existing(params.path)
    outcome = {"ready": "booked", "booked": "booked", "review": "review", "unreadable": "quarantine",
               "quarantine": "quarantine"}[params.status]
    folder = Path(params.folder) if params.folder else path.parent
    digest = content_hash(path)
    journal = IntakeJournal.at_home(ctx.home)
    try:
        if outcome == "booked":
            issuer = str(params.fields.get("issuer") or "")
            number = str(params.fields.get("invoice_number") or "")
            journal.record_booking(digest, issuer, number, params.fields.get("amount"), path.name)
        # the full reading (confidences, checks, word boxes): this run's ocr.invoice, or the watcher's
        cached = (ctx.resources.peek("ocr.readings") or {}).get(digest) or cached_result(digest)
        review = (review_record(cached, params.reasons or ["needs a person"]) if cached is not None
                  else {"reasons": params.reasons or ["needs a person"], "fields": params.fields})
        recipe = str(Path(ctx.recipe.file).resolve()) if getattr(ctx.recipe, "file", None) else None
        dest = file_document(journal, path, digest, outcome, folder=folder, invoice_date=params.fields.get("date"),
                             review=review, reason="; ".join(params.reasons) or None, recipe=recipe)
    finally:
        journal.close()
    ctx.log(f"{path.name}: {outcome} -> {dest}")
    return {"dest": str(dest), "outcome": outcome}
