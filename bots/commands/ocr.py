"""``deskbot ocr FILE… [--json]``: read invoices and say where each would go.

E-invoices (Factur-X/ZUGFeRD PDFs, XRechnung / UBL / CII / FatturaPA XML, Chinese e-invoice
XML and OFD) are read from their data: every field ``source: document``; ``format`` names the
syntax and profile.

One object per file (``--json`` prints them one per line): ``file``, ``status`` (``booked``
when every check passed, ``review`` when a person must look, ``quarantine`` when unreadable),
``fields`` (``{value, confidence, …}`` each: ``issuer``, ``invoice_number``, ``date``,
``due_date``, ``amount`` = total, ``amount_untaxed``, ``vat``, ``currency``, ``lines``),
``checks``, ``reasons``, ``pages``, ``seconds``. Nothing is booked or moved.

Exit 0, or 1 when any file failed (missing, unreadable: status ``quarantine``). Files are
read in parallel, OCR pages in worker processes (``--workers``, default all cores).
"""

from __future__ import annotations

import json
import sys
import time

import click

OUTCOME = {"ready": "booked", "review": "review", "unreadable": "quarantine"}


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("files", nargs=-1, required=True, type=click.Path())
    @click.option("--json", "as_json", is_flag=True, help="print one JSON object per file")
    @click.option("--languages", default=None, help="Tesseract languages, e.g. eng+chi_sim")
    @click.option("--templates", default=None, type=click.Path(), help="vendor template folder "
                  "(default: settings ocr.templates, else config/invoice_templates)")
    @click.option("--workers", default=None, type=int, help="OCR worker processes (default: all cores)")
    def ocr(files, as_json, languages, templates, workers) -> None:
        """Read invoices (PDF, PNG, JPEG, TIFF) and e-invoices (Factur-X/ZUGFeRD PDF, XRechnung/UBL/CII/FatturaPA
        XML, Chinese e-invoice XML and OFD): fields, checks and status per file."""
        from concurrent.futures import ThreadPoolExecutor
        from pathlib import Path

        from bots import settings as settings_mod
        from bots.intake import page_pool
        from vision import CheckPolicy, DEFAULT_LANGUAGES, OcrUnavailable, VisionError, load_templates, read_invoice
        from vision.invoice import unreadable

        conf = (settings_mod.load_settings() or {}).get("ocr") or {}
        try:
            loaded = load_templates(templates or conf.get("templates") or "config/invoice_templates")
        except VisionError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        policy = CheckPolicy(threshold=float(conf.get("threshold", 0.6)), max_age_days=int(conf.get("max_age_days", 730)))
        langs = languages or conf.get("languages") or DEFAULT_LANGUAGES
        failed = 0

        with page_pool(workers) as pool:
            def one(name: str):
                started = time.perf_counter()
                path = Path(name)
                if not path.is_file():
                    return unreadable(path, f"{name}: file not found", time.perf_counter() - started)
                return read_invoice(path, languages=langs, templates=loaded, policy=policy, executor=pool)

            with ThreadPoolExecutor(max_workers=pool.files_in_flight()) as threads:
                try:
                    results = list(threads.map(one, files))
                except OcrUnavailable as exc:
                    click.echo(f"error: OCR is not available: {exc}", err=True)
                    sys.exit(1)
        for result in results:
            data = result.to_json()
            data["status"] = OUTCOME[result.status]
            if result.status == "unreadable":
                failed += 1
            if as_json:
                click.echo(json.dumps(data, ensure_ascii=False, default=str))
            else:
                values = result.plain_fields()
                shown = ", ".join(f"{k}={values[k]}" for k in ("issuer", "invoice_number", "date", "amount", "currency")
                                  if k in values)
                kind = f" [{result.format}]" if result.format else ""
                click.echo(f"{result.path}: {data['status']}{kind} ({data['seconds']:.1f}s) {shown}")
                for reason in result.reasons:
                    click.echo(f"    - {reason}")
        sys.exit(1 if failed else 0)
