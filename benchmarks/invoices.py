"""Invoice reading benchmark on the generated corpus (tests/vision/corpus.py).

    .venv/bin/python benchmarks/invoices.py [--n 40] [--workers N] [--batch 4] [--no-baseline]

Prints, clean and scanned apart:
- per-field accuracy (issuer, invoice_number, date, due_date, currency, amount, amount_untaxed,
  vat) and line items (every line's description and amount right);
- statuses, and **wrong totals booked** (status ready with a total that is not the true one;
  must be 0) over the corpus plus invoices printed with a total that does not add up;
- scanned pages per minute with all cores, read the way the watch folder and ``deskbot ocr``
  read them (``vision.pool.PagePool``: one worker process per core, OMP_THREAD_LIMIT=1, pages
  read a few per Tesseract call, several files in flight), and CPU seconds per page (all
  processes: workers, their Tesseract calls, the field extraction in this process);
- measured in the same run: the same scans read one page per Tesseract call (``--batch 1``
  behaviour), and a baseline of plain Tesseract (no OpenCV preprocessing, no second look) with
  the same field extractor.

Clean = born-digital PDFs with a text layer (English, German layouts) and lossless 300-dpi
renderings (Chinese layout; the tiny PDF writer has no CJK fonts). Scanned = every invoice
through one of tests/vision/corpus.SCAN_VARIANTS in turn (150/200/300 dpi, skew 1-3 deg,
90/180 rotation, noise, blur, JPEG).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from tests.vision.corpus import SCAN_VARIANTS, make_invoice, same, write_pdf, write_scan  # noqa: E402

FIELDS = ["issuer", "invoice_number", "date", "due_date", "currency", "amount", "amount_untaxed", "vat"]


def _init() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _cpu() -> float:
    """CPU seconds of this process and of every child it has waited for (pool workers once the
    pool is shut down, and the Tesseract processes they ran)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _read_all(files: list[str], workers: int, batch: int) -> tuple[list[tuple[dict, str, int]], float, float, float]:
    """Outputs (values, status, pages) per file, wall seconds, CPU seconds and pages per
    Tesseract batch of reading all ``files`` as deskbot does: a PagePool and enough files in
    flight to fill its batches."""
    from vision import read_invoice
    from vision.pool import PagePool

    def one(path: str) -> tuple[dict, str, int]:
        result = read_invoice(path, templates=[], executor=pool)
        values = result.plain_fields()
        values["_lines"] = [(i["description"], i["amount"]) for i in result.lines]
        return values, result.status, max(len(result.pages), 1)

    cpu, started = _cpu(), time.perf_counter()
    # forked workers (started before any thread, by the first submit) are this process's
    # children, so their CPU and their Tesseract calls' CPU show in os.times() once they exit
    with PagePool(workers, batch=batch, mp_context=multiprocessing.get_context("fork")) as pool:
        pool.submit(os.getpid).result()
        with ThreadPoolExecutor(pool.files_in_flight()) as threads:
            outputs = list(threads.map(one, files))
    return outputs, time.perf_counter() - started, _cpu() - cpu, pool.pages_sent / max(pool.batches_sent, 1)


def _read_plain(path: str) -> tuple[dict, str, int]:
    """Baseline: raw page image straight into Tesseract (no preprocessing, no second look):
    a plain ``pytesseract.image_to_data(gray, lang="eng+chi_sim")`` with default options, kept
    apart from vision.reader so that tuning deskbot's OCR calls never speeds up the baseline."""
    import numpy as np
    import pytesseract
    from PIL import Image

    from vision.document import Document, Page, Word
    from vision.invoice import analyse

    with Image.open(path) as im:
        gray = np.asarray(im.convert("L"))
    data = pytesseract.image_to_data(gray, lang="eng+chi_sim", output_type=pytesseract.Output.DICT)
    words = [Word(text.strip(), float(left), float(top), float(left + width), float(top + height), float(conf) / 100, 1)
             for text, conf, left, top, width, height in zip(data["text"], data["conf"], data["left"], data["top"],
                                                              data["width"], data["height"])
             if (text or "").strip() and float(conf) >= 0]
    doc = Document(path, [Page(1, float(gray.shape[1]), float(gray.shape[0]), words, "ocr")], "image")
    result = analyse(doc)
    values = result.plain_fields()
    values["_lines"] = [(i["description"], i["amount"]) for i in result.lines]
    return values, result.status, 1


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
    for inv, (values, status, _) in zip(cases, outputs):
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
    parser.add_argument("--batch", type=int, default=4, help="pages per Tesseract call at most (default 4)")
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

    clean_out, _, _, _ = _read_all(clean_files, args.workers, args.batch)
    scan_out, wall, cpu_total, per_batch = _read_all(scan_files, args.workers, args.batch)
    single_out, single_wall, single_cpu, _ = _read_all(scan_files, args.workers, 1)
    base_out, base_wall, base_cpu = None, 0.0, 0.0
    if not args.no_baseline:
        cpu, started = _cpu(), time.perf_counter()
        with ProcessPoolExecutor(args.workers, initializer=_init) as pool:
            base_out = list(pool.map(_read_plain, scan_files))
        base_wall, base_cpu = time.perf_counter() - started, _cpu() - cpu

    _print_scores("CLEAN (text-layer PDFs; Chinese: lossless 300-dpi images)", _score(clean_cases, clean_out))
    scanned = _score(scan_cases, scan_out)
    _print_scores("SCANNED (noise, blur, skew 1-3 deg, 90/180 rotation, 150-300 dpi, JPEG)", scanned)
    pages = sum(o[2] for o in scan_out)
    load = os.getloadavg()[0]
    print(f"\nthroughput: {pages} scanned pages in {wall:.1f} s wall with {args.workers} workers, up to "
          f"{args.batch} pages per Tesseract call ({per_batch:.1f} on average) = "
          f"{pages / wall * 60:.1f} pages/min; CPU per page "
          f"{cpu_total / pages:.2f} s; projected on {args.workers} idle cores from the CPU: "
          f"{args.workers * 60 * pages / cpu_total:.0f} pages/min; load average now {load:.1f}")
    same_words = sum(a[0] == b[0] and a[1] == b[1] for a, b in zip(scan_out, single_out))
    print(f"same scans one page per Tesseract call: {pages / single_wall * 60:.1f} pages/min, CPU per page "
          f"{single_cpu / pages:.2f} s (x{single_cpu / cpu_total:.2f} of batched); projected "
          f"{args.workers * 60 * pages / single_cpu:.0f} pages/min; same fields and status on "
          f"{same_words}/{len(scan_out)} files")
    per: dict[str, list[float]] = {}
    for path, inv, out in zip(scan_files, scan_cases, scan_out):
        label = Path(path).stem.split("-", 2)[2]
        per.setdefault(label, []).append(sum(same(f, out[0].get(f), _want(inv, f)) for f in FIELDS) / len(FIELDS))
    print("fields right per scan variant: " + ", ".join(f"{k} {statistics.mean(v) * 100:.0f}%"
                                                        for k, v in sorted(per.items())))
    if base_out is not None:
        base = _score(scan_cases, base_out)
        print(f"\nBASELINE plain Tesseract on the same scans: ALL FIELDS {base['all_fields'] * 100:.1f}% "
              f"(amount {base['fields']['amount'] * 100:.1f}%, issuer {base['fields']['issuer'] * 100:.1f}%), "
              f"wrong totals booked {base['wrong_booked']}, {pages / base_wall * 60:.1f} pages/min, "
              f"CPU per page {base_cpu / pages:.2f} s")
        # wall-clock speed depends on what else the machine runs; CPU seconds do not
        print(f"ratio deskbot / baseline: accuracy x{scanned['all_fields'] / max(base['all_fields'], 1e-9):.2f}, "
              f"CPU per page x{cpu_total / max(base_cpu, 1e-9):.2f}; projected on {args.workers} idle cores "
              f"from the CPU: {args.workers * 60 * pages / cpu_total:.0f} pages/min (baseline "
              f"{args.workers * 60 * pages / max(base_cpu, 1e-9):.0f})")


if __name__ == "__main__":
    main()
