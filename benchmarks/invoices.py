"""Invoice reading benchmark on the generated corpus (tests/vision/corpus.py).

    .venv/bin/python benchmarks/invoices.py [--n 40] [--workers N] [--no-baseline]

Prints, clean and scanned apart:
- per-field accuracy (issuer, invoice_number, date, due_date, currency, amount, amount_untaxed,
  vat) and line items (every line's description and amount right);
- statuses, and **wrong totals booked** (status ready with a total that is not the true one;
  must be 0) over the corpus plus invoices printed with a total that does not add up;
- scanned pages per minute with all cores (process pool, OMP_THREAD_LIMIT=1 per worker) and
  CPU seconds per page;
- baseline measured in the same run: the same pages through plain Tesseract (no OpenCV
  preprocessing, no second look) and the same field extractor.

Clean = born-digital PDFs with a text layer (English, German layouts) and lossless 300-dpi
renderings (Chinese layout; the tiny PDF writer has no CJK fonts). Scanned = every invoice
through one of tests/vision/corpus.SCAN_VARIANTS in turn (150/200/300 dpi, skew 1-3 deg,
90/180 rotation, noise, blur, JPEG).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from tests.vision.corpus import SCAN_VARIANTS, make_invoice, same, write_pdf, write_scan  # noqa: E402

FIELDS = ["issuer", "invoice_number", "date", "due_date", "currency", "amount", "amount_untaxed", "vat"]


def _init() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _read(path: str) -> tuple[dict, str, float, int]:
    """(values, status, cpu seconds, pages) of one file, in a worker."""
    from vision import read_invoice

    started = time.process_time()
    children = os.times()
    result = read_invoice(path, templates=[])
    after = os.times()
    cpu = (time.process_time() - started) + (after.children_user - children.children_user) + \
        (after.children_system - children.children_system)
    values = result.plain_fields()
    values["_lines"] = [(i["description"], i["amount"]) for i in result.lines]
    return values, result.status, cpu, max(len(result.pages), 1)


def _read_plain(path: str) -> tuple[dict, str, float, int]:
    """Baseline: raw page image straight into Tesseract (no preprocessing, no second look):
    a plain ``pytesseract.image_to_data(gray, lang="eng+chi_sim")`` with default options, kept
    apart from vision.reader so that tuning deskbot's OCR calls never speeds up the baseline."""
    import numpy as np
    import pytesseract
    from PIL import Image

    from vision.document import Document, Page, Word
    from vision.invoice import analyse

    started = time.process_time()
    children = os.times()
    with Image.open(path) as im:
        gray = np.asarray(im.convert("L"))
    data = pytesseract.image_to_data(gray, lang="eng+chi_sim", output_type=pytesseract.Output.DICT)
    words = [Word(text.strip(), float(left), float(top), float(left + width), float(top + height), float(conf) / 100, 1)
             for text, conf, left, top, width, height in zip(data["text"], data["conf"], data["left"], data["top"],
                                                              data["width"], data["height"])
             if (text or "").strip() and float(conf) >= 0]
    doc = Document(path, [Page(1, float(gray.shape[1]), float(gray.shape[0]), words, "ocr")], "image")
    result = analyse(doc)
    after = os.times()
    cpu = (time.process_time() - started) + (after.children_user - children.children_user) + \
        (after.children_system - children.children_system)
    values = result.plain_fields()
    values["_lines"] = [(i["description"], i["amount"]) for i in result.lines]
    return values, result.status, cpu, 1


def _want(inv, field: str):
    """The printed value: a misprinted total is read right when read as printed."""
    if field == "amount" and "printed_amount" in inv.truth:
        return inv.truth["printed_amount"]
    return inv.truth[field]


def _score(cases, outputs) -> dict:
    right = {f: 0 for f in FIELDS}
    lines_right = 0
    statuses: dict[str, int] = {}
    wrong_booked = 0
    for inv, (values, status, _, _) in zip(cases, outputs):
        for f in FIELDS:
            right[f] += same(f, values.get(f), _want(inv, f))
        want_lines = [(i["description"], i["amount"]) for i in inv.truth["lines"]]
        got_lines = values.get("_lines") or []
        lines_right += len(got_lines) == len(want_lines) and all(
            same("issuer", g[0], w[0]) and same("amount", g[1], w[1]) for g, w in zip(got_lines, want_lines))
        statuses[status] = statuses.get(status, 0) + 1
        printed = inv.truth.get("printed_amount")
        if status == "ready" and (printed is not None or not same("amount", values.get("amount"), inv.truth["amount"])):
            wrong_booked += 1
    n = len(cases)
    return {"n": n, "fields": {f: right[f] / n for f in FIELDS}, "lines": lines_right / n,
            "all_fields": sum(right.values()) / (n * len(FIELDS)), "statuses": statuses, "wrong_booked": wrong_booked}


def _print_scores(title: str, s: dict) -> None:
    print(f"\n{title}: {s['n']} invoices")
    for f, v in s["fields"].items():
        print(f"  {f:16s} {v * 100:6.1f}%")
    print(f"  {'line items':16s} {s['lines'] * 100:6.1f}%")
    print(f"  {'ALL FIELDS':16s} {s['all_fields'] * 100:6.1f}%")
    print(f"  statuses: {s['statuses']}   wrong totals booked: {s['wrong_booked']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=40, help="invoices per set (default 40)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()

    layouts = ["classic", "stacked", "de", "cn"]
    work = Path(tempfile.mkdtemp(prefix="deskbot-invoices-"))
    clean_cases, clean_files, scan_cases, scan_files = [], [], [], []
    for i in range(args.n):
        # every 10th invoice prints a total that does not add up: it must land in review
        inv = make_invoice(5000 + i, layouts[i % 4], wrong_total=(i % 10 == 9))
        clean_cases.append(inv)
        if inv.latin:
            clean_files.append(str(write_pdf(inv, work / f"clean-{i}.pdf")))
        else:
            clean_files.append(str(write_scan(inv, SCAN_VARIANTS[0], work / f"clean-{i}.png")))
        # each group of 4 invoices (one per layout) gets variants v, v+3, v+6, v+9: over 40
        # invoices every layout meets every scan variant once
        variant = SCAN_VARIANTS[(i // 4 + (i % 4) * 3) % len(SCAN_VARIANTS)]
        suffix = ".jpg" if variant.jpeg else [".png", ".tif"][i % 2]
        scan_cases.append(inv)
        scan_files.append(str(write_scan(inv, variant, work / f"scan-{i}-{variant.label()}{suffix}")))
    print(f"corpus: {args.n} invoices ({', '.join(layouts)}), files in {work}; workers: {args.workers}")

    with ProcessPoolExecutor(args.workers, initializer=_init) as pool:
        clean_out = list(pool.map(_read, clean_files))
        started = time.perf_counter()
        scan_out = list(pool.map(_read, scan_files))
        wall = time.perf_counter() - started
        base_out, base_wall = None, 0.0
        if not args.no_baseline:
            started = time.perf_counter()
            base_out = list(pool.map(_read_plain, scan_files))
            base_wall = time.perf_counter() - started

    _print_scores("CLEAN (text-layer PDFs; Chinese: lossless 300-dpi images)", _score(clean_cases, clean_out))
    scanned = _score(scan_cases, scan_out)
    _print_scores("SCANNED (noise, blur, skew 1-3 deg, 90/180 rotation, 150-300 dpi, JPEG)", scanned)
    pages = sum(o[3] for o in scan_out)
    cpu = [o[2] / o[3] for o in scan_out]
    cpu_total = sum(o[2] for o in scan_out)
    print(f"\nthroughput: {pages} scanned pages in {wall:.1f} s wall with {args.workers} workers = "
          f"{pages / wall * 60:.1f} pages/min; CPU per page median {statistics.median(cpu):.2f} s, "
          f"mean {cpu_total / pages:.2f} s (max {max(cpu):.2f} s); load average now {os.getloadavg()[0]:.1f}")
    per: dict[str, list[float]] = {}
    for path, inv, out in zip(scan_files, scan_cases, scan_out):
        label = Path(path).stem.split("-", 2)[2]
        per.setdefault(label, []).append(sum(same(f, out[0].get(f), _want(inv, f)) for f in FIELDS) / len(FIELDS))
    print("fields right per scan variant: " + ", ".join(f"{k} {statistics.mean(v) * 100:.0f}%"
                                                        for k, v in sorted(per.items())))
    if base_out is not None:
        base = _score(scan_cases, base_out)
        base_cpu = statistics.median(o[2] for o in base_out)
        base_cpu_total = sum(o[2] for o in base_out)
        print(f"\nBASELINE plain Tesseract on the same scans: ALL FIELDS {base['all_fields'] * 100:.1f}% "
              f"(amount {base['fields']['amount'] * 100:.1f}%, issuer {base['fields']['issuer'] * 100:.1f}%), "
              f"wrong totals booked {base['wrong_booked']}, {pages / base_wall * 60:.1f} pages/min, "
              f"CPU per page median {base_cpu:.2f} s")
        # wall-clock speed depends on what else the machine runs; CPU seconds do not. Throughput
        # follows the total (mean) CPU, slow pages included, not the median page
        print(f"ratio deskbot / baseline: accuracy x{scanned['all_fields'] / max(base['all_fields'], 1e-9):.2f}, "
              f"CPU per page (median) x{statistics.median(cpu) / max(base_cpu, 1e-9):.2f}, (total) "
              f"x{cpu_total / max(base_cpu_total, 1e-9):.2f}; projected on {args.workers} idle cores from the "
              f"total CPU: {args.workers * 60 * pages / cpu_total:.0f} pages/min (baseline "
              f"{args.workers * 60 * pages / max(base_cpu_total, 1e-9):.0f})")


if __name__ == "__main__":
    main()
