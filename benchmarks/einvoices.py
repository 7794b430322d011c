"""E-invoices read from their data, against the same files read from their pages, in one run.

    .venv/bin/python benchmarks/einvoices.py [--repeat 5]

Prints for every structured e-invoice in ../shared/samples/invoices (tests/vision/einvoice_samples.py):
- the fields its X.json lists that deskbot read exactly, through ``read_invoice`` (the data:
  Factur-X/ZUGFeRD attachment, XRechnung/UBL/CII/FatturaPA XML, OFD attachment/tags), its
  status and the median time;
- measured in the same run: the same file read from what a person sees (the PDF's text layer
  or the OFD's page text, through the layout reader ``vision.invoice.analyse``): fields right;
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
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
