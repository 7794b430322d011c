"""E-invoices read from their data, against the same files read from their pages, in one run.

    .venv/bin/python benchmarks/einvoices.py [--repeat 5] [--scans]

Prints for every structured e-invoice in ../shared/samples/invoices (tests/vision/einvoice_samples.py):
- the fields its X.json lists that deskbot read exactly, through ``read_invoice`` (the data:
  Factur-X/ZUGFeRD attachment, XRechnung/UBL/CII/FatturaPA XML, OFD attachment/tags), its
  status and the median time;
- measured in the same run: the same file read from what a person sees (the PDF's text layer
  or the OFD's page text, through the layout reader ``vision.invoice.analyse``): fields right;
- with ``--scans``, the PDFs' pages again as a scanner gives them (rendered grey at 300 dpi and
  at 150 dpi, no XML): every field the XML gives that the page reader read right, and the
  wrong fields by name, a free ground truth for reading the page;
- the cost the e-invoice check adds to a plain PDF (looking for attachments) beside reading its
  text layer, medians over the plain PDFs among the samples.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.vision.conftest import INVOICE_SAMPLES  # noqa: E402
from tests.vision.einvoice_samples import EINVOICES, NOT_FIELDS, compare, expected  # noqa: E402
from vision import read_invoice  # noqa: E402
from vision.einvoice import pdf_einvoice, read_ofd  # noqa: E402
from vision.invoice import analyse  # noqa: E402
from vision.reader import read_document  # noqa: E402


def _median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _page_result(path: Path):
    if path.suffix.lower() == ".pdf":
        return analyse(read_document(path, thorough=False), templates=[])
    if path.suffix.lower() == ".ofd":
        return analyse(read_ofd(path).document, templates=[])
    return None  # a bare XML file has no page


# the fields the layout reader gives (a balance after a deposit, ``amount_due``, comes from the XML only)
_PAGE_FIELDS = ("issuer", "invoice_number", "date", "due_date", "amount", "amount_untaxed", "amount_tax", "currency",
                "document_type")


def _page_wrong(result, want: dict, counted: list[str]) -> dict:
    """{key: (read, XML)} of the fields a page reading got wrong: the total as the page prints it
    (``amount_printed``: a credit note's minus, a rounding the XML does not share), the issuer
    with or without its legal form (the benchmark's ``same``)."""
    from tests.vision.corpus import same

    values = {k: (f.value.isoformat() if hasattr(f.value, "isoformat") else f.value) for k, f in result.fields.items()}
    values.setdefault("document_type", "invoice")
    wrong = {}
    for key in counted:
        xml = want.get("amount_printed", want[key]) if key == "amount" else want[key]
        if (key == "amount_tax" and abs(want.get("amount_printed", want["amount"])) != abs(want["amount"])
                and want.get("amount_untaxed") is not None):
            # the page's tax is what makes its own total from the net (weclapp rounds per block:
            # 152,83 + 0,95 = 153,78 printed, 153.77 in the XML)
            xml = round(want["amount_printed"] - want["amount_untaxed"], 2)
        got = values.get({"amount_tax": "vat"}.get(key, key))
        if want.get("document_type") == "credit_note" and key.startswith("amount") and got is not None:
            # the page prints a credit note's amounts with their minus, the XML without
            got, xml = abs(got), abs(xml)
        if not same("amount" if key.startswith("amount") else key, got, xml):
            wrong[key] = (got, xml)
    return wrong


def _scanned_pages() -> None:
    """The e-invoice PDFs' pages as scans (no XML to read): fields right against the XML, per
    resolution, and what was missed or misread."""
    import tempfile

    from benchmarks.invoices import _scan_real
    from tests.vision.corpus import Scan
    from vision import CheckPolicy

    pdfs = [name for name in EINVOICES if name.endswith(".pdf")]
    work = Path(tempfile.mkdtemp(prefix="deskbot-einvoice-scans-"))
    for scan in (Scan(300), Scan(150)):
        right = total = ready = ready_wrong = 0
        print(f"\npages scanned at {scan.dpi} dpi, read without their XML:")
        for name in pdfs:
            want = expected(name)
            # what a page prints and the layout reader reads (not the seller's VAT id or a fapiao code)
            counted = [k for k in want if k in _PAGE_FIELDS]
            result = read_invoice(_scan_real(INVOICE_SAMPLES / name, scan, work), templates=[],
                                  policy=CheckPolicy(max_age_days=100_000))
            wrong = _page_wrong(result, want, counted)
            right += len(counted) - len(wrong)
            total += len(counted)
            if result.status == "ready":
                ready += 1
                ready_wrong += bool(wrong)
            print(f"  {name:58} {len(counted) - len(wrong):>3}/{len(counted):<3} {result.status:7} "
                  + "; ".join(f"{k} {got!r} (XML {xml!r})" for k, (got, xml) in wrong.items()))
        print(f"  fields right {right}/{total} ({100 * right / max(total, 1):.1f}%); ready {ready}, "
              f"of them with a field unlike the XML: {ready_wrong}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scans", action="store_true",
                        help="also read the e-invoice PDFs' pages rendered at 300 and 150 dpi against their XML")
    args = parser.parse_args()
    if not INVOICE_SAMPLES.is_dir():
        print(f"samples not found at {INVOICE_SAMPLES}")
        return 2
    data_right = data_total = page_right = page_total = 0
    print(f"{'file':58} {'format':44} {'data':>7} {'page':>7}  status  ms")
    for name in EINVOICES:
        path = INVOICE_SAMPLES / name
        want = expected(name)
        counted = [k for k in want if k not in NOT_FIELDS]
        result = read_invoice(path, templates=[])
        right = len(counted) - len(compare(result, want))
        ms = _median_seconds(lambda: read_invoice(path, templates=[]), args.repeat) * 1000
        page = _page_result(path)
        page_ok = len(counted) - len(compare(page, want)) if page is not None else None
        data_right += right
        data_total += len(counted)
        if page_ok is not None:
            page_right += page_ok
            page_total += len(counted)
        shown = f"{page_ok}/{len(counted)}" if page_ok is not None else "no page"
        print(f"{name:58} {(result.format or '')[:44]:44} {right:>3}/{len(counted):<3} {shown:>7}  "
              f"{result.status:7} {ms:.0f}")
    print(f"\nfields exact from the data: {data_right}/{data_total} ({100 * data_right / data_total:.1f}%)")
    print(f"same files from their pages (layout reader, same run): {page_right}/{page_total} "
          f"({100 * page_right / max(page_total, 1):.1f}%)")

    if args.scans:
        _scanned_pages()

    plain = [p for p in sorted(INVOICE_SAMPLES.rglob("*.pdf")) if pdf_einvoice(p) is None]
    check = [_median_seconds(lambda p=p: pdf_einvoice(p), args.repeat) for p in plain]
    text = [_median_seconds(lambda p=p: read_document(p, thorough=False), 1) for p in plain
            if any(page.source == "text" for page in read_document(p, thorough=False).pages)]
    print(f"\nplain PDFs: attachment check median {statistics.median(check) * 1000:.1f} ms per file, "
          f"text-layer read median {statistics.median(text) * 1000:.0f} ms per file "
          f"(ratio {statistics.median(check) / statistics.median(text):.3f}; {len(plain)} files, {len(text)} with text)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
