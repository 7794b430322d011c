"""Tesseract against RapidOCR on the same pages, in the same run, through the same field finding.

    pip install --target /tmp/rapidlib --no-deps rapidocr_onnxruntime==1.4.4 onnxruntime pyclipper \
        Shapely flatbuffers protobuf tqdm          # a throwaway place: deskbot does not depend on it
    PYTHONPATH=/tmp/rapidlib .venv/bin/python benchmarks/ocr_engines.py [--n 6] [--only TEXT] [--no-invoices]

Issue 13 asked whether an OCR engine that installs from PyPI with its models inside the wheel
reads receipts clearly better than Tesseract; this is the measure (``docs/invoices.md``, "OCR
engines compared": it did not, and deskbot reads with Tesseract only). RapidOCR
(``rapidocr_onnxruntime``: PP-OCRv4 Chinese-and-English detection and recognition models run by
onnxruntime) is wired in here, not in ``vision``: a page goes through the same
``vision.preprocess.prepare`` as for Tesseract, RapidOCR's lines become deskbot ``Word`` boxes
(``words_from_lines``), and the same field finding and checks (``vision.analyse``) decide.

For each receipt set of ``benchmarks/receipts.py`` (generated kept-out and Malaysian English
layouts as phone photos and flatbed scans, German tills with a worn date stamp, the real German
till scans of ../shared/samples cropped and laid on an A4 page) and for the real invoice samples
rendered at 300 dpi (``benchmarks/invoices.py``'s real part), every file is read twice, one after
the other in this one process:
- ``tesseract``: ``vision.read_invoice`` as deskbot reads it;
- ``rapidocr``: the same file's pages prepared alike, read by RapidOCR, then ``vision.analyse``.
Printed per set and engine: total right, date right, **wrong totals booked** (status ready with
a total that is not the one printed), wrong dates booked, how many are ready and how many of those
have total, date, shop and currency right, and CPU seconds per page of this process and the
Tesseract processes it ran (one thread each: ``OMP_THREAD_LIMIT=1``, onnxruntime on one thread).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["OMP_THREAD_LIMIT"] = "1"

import cv2  # noqa: E402
import numpy as np  # noqa: E402

cv2.setNumThreads(1)

from benchmarks.receipts import (SOFTMATIC, _corpus, _score, _softmatic, _softmatic_on_a_page,  # noqa: E402
                                 _worn_dates)
from tests.vision.receipt_corpus import HELD_OUT_EN_LAYOUTS, KEPT_OUT_EN_LAYOUTS, KEPT_OUT_LAYOUTS  # noqa: E402

from vision.document import Document, Page, Word  # noqa: E402
from vision.lookalikes import settle_lookalikes  # noqa: E402
from vision.preprocess import prepare  # noqa: E402
from vision.reader import PageTask, load_image, plan  # noqa: E402

ENGINES = ("tesseract", "rapidocr")
_WORD = re.compile(r"\S+")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_ENGINE = None


def rapidocr_missing() -> str | None:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError as exc:
        return f"{exc}; install it in a throwaway place and put that on PYTHONPATH (see this script's docstring)"
    return None


#: a gap between two characters this many times the line's median character pitch is a space
#: the recognizer left out (its Chinese-and-English model often runs English words together,
#: "05SEP2015"); its character positions are CTC columns, a third of a letter apart, so only a
#: clearly wider gap counts
SPACE_PITCH = 1.6


def words_from_lines(lines, page: int) -> list[Word]:
    """RapidOCR's result as Words. With character boxes (``return_word_box=True``: ``[box, text,
    score, char boxes, chars, char scores]``) a line is split at its spaces and at gaps of
    ``SPACE_PITCH`` character pitches, each word boxed by its characters and as confident as
    its least sure character. Without them (``[box, text, score]``) a line is split at its
    spaces, a word's x range proportional to its characters' offsets, its confidence the
    line's score."""
    words: list[Word] = []
    for line in lines or []:
        box, text, score = line[0], str(line[1]), float(line[2])
        if not text.strip():
            continue
        ys = [float(p[1]) for p in box]
        y0, y1 = min(ys), max(ys)
        chars = _char_boxes(line)
        if chars is None:
            xs = [float(p[0]) for p in box]
            x0, x1 = min(xs), max(xs)
            per_char = (x1 - x0) / max(len(text), 1)
            for m in _WORD.finditer(text):
                words.append(Word(m.group(), x0 + per_char * m.start(), y0, x0 + per_char * m.end(), y1,
                                  max(0.0, min(score, 1.0)), page))
            continue
        for group in _split_words(chars):
            words.append(Word("".join(c for c, *_ in group), group[0][1], y0, group[-1][2], y1,
                              max(0.0, min(min(p for *_, p in group), score, 1.0)), page))
    return words


def _char_boxes(line) -> list[tuple[str, float, float, float]] | None:
    """(character, x0, x1, score) in reading order, or None when the line has no usable
    character boxes (a line with CJK characters: RapidOCR lists those apart from the Latin ones)."""
    if len(line) < 6:
        return None
    boxes, chars, scores = line[3], line[4], line[5]
    if not boxes or len(boxes) != len(chars) or any(_CJK.match(c) for c in chars):
        return None
    if len(scores) != len(chars):
        scores = [float(line[2])] * len(chars)
    return [(c, float(min(p[0] for p in b)), float(max(p[0] for p in b)), float(s))
            for c, b, s in zip(chars, boxes, scores)]


def _split_words(chars: list[tuple[str, float, float, float]]) -> list[list[tuple[str, float, float, float]]]:
    pitches = sorted(b[1] - a[1] for a, b in zip(chars, chars[1:]) if a[0] != " " and b[0] != " ")
    pitch = pitches[len(pitches) // 2] if pitches else 0.0
    groups: list[list[tuple[str, float, float, float]]] = [[]]
    previous = None
    for char in chars:
        if char[0] == " ":
            groups.append([])
            previous = None
            continue
        if previous is not None and pitch > 0 and char[1] - previous[1] >= SPACE_PITCH * pitch:
            groups.append([])
        groups[-1].append(char)
        previous = char
    return [g for g in groups if g]


def _read_page_rapidocr(task: PageTask) -> Page:
    """One page: loaded and prepared as for Tesseract, then read by RapidOCR on one thread."""
    global _ENGINE
    if _ENGINE is None:
        from rapidocr_onnxruntime import RapidOCR

        _ENGINE = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    prepared = prepare(load_image(task))
    image = prepared.image
    result, _ = _ENGINE(np.ascontiguousarray(image), return_word_box=True)
    words = settle_lookalikes(image, words_from_lines(result, task.number))
    height, width = image.shape[:2]
    return Page(task.number, float(width), float(height), words, "ocr", dpi=round(prepared.dpi),
                skew=prepared.skew, notes=list(prepared.notes), thorough=True)


def _read_rapidocr(path: str, policy):
    """What ``read_invoice`` does for a scan, RapidOCR reading its pages."""
    from vision import analyse

    kind, pages = plan(path)
    doc = Document(path, [_read_page_rapidocr(p) if isinstance(p, PageTask) else p for p in pages], kind)
    return analyse(doc, templates=[], policy=policy)

INVOICES = ROOT.parent / "shared" / "samples" / "invoices"
REQUIRED = ["issuer", "invoice_number", "date", "currency", "amount"]


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _read(path: str, engine: str) -> tuple[dict, float, int]:
    from vision import CheckPolicy, read_invoice

    cpu = _cpu()
    policy = CheckPolicy(max_age_days=100_000)  # the real samples date from 2014-2026
    result = (read_invoice(path, templates=[], policy=policy) if engine == "tesseract"
              else _read_rapidocr(path, policy))
    out = {"amount": result.value("amount"), "date": result.value("date"), "status": result.status,
           "issuer": result.value("issuer"), "currency": result.value("currency"),
           "invoice_number": result.value("invoice_number"), "reasons": result.reasons}
    return out, _cpu() - cpu, max(len(result.pages), 1)


def _line(engine: str, title: str, s: dict, cpu: float) -> str:
    return (f"  {engine:9s} {title:40s} n={s['n']:3d}  total {s['total'] * 100:5.1f}%  date {s['date'] * 100:5.1f}%  "
            f"wrong totals booked {s['wrong_booked']}, wrong dates {s['wrong_dates_booked']}  ready {s['ready']} "
            f"(right {s['ready_right']})  CPU/page {cpu:.2f} s  {s['statuses']}")


def _receipt_sets(work: Path, n: int) -> list[tuple[str, object]]:
    plans: list[tuple[str, object]] = []
    for kind, start in (("photo", 9000), ("flatbed", 9500)):
        plans.append((f"{kind} kept-out layouts", lambda k=kind, s=start: _corpus(work, n, KEPT_OUT_LAYOUTS, k, s)))
        plans.append((f"{kind} Malaysian EN (4 layouts)",
                      lambda k=kind, s=start: _corpus(work, n, KEPT_OUT_EN_LAYOUTS, k + "-my", s + 100)))
        plans.append((f"{kind} Malaysian EN held out",
                      lambda k=kind, s=start: _corpus(work, n, HELD_OUT_EN_LAYOUTS, k + "-myheld", s + 300)))
    plans.append(("flatbed German tills, worn date stamp", lambda: _worn_dates(work, n, 9800)))
    plans.append(("flatbed German tills, worn date printed once", lambda: _worn_dates(work, n, 9850, True)))
    if SOFTMATIC.is_dir():
        plans.append(("real German till scans (samples)", _softmatic))
        plans.append(("the same laid on an A4 flatbed page", lambda: _softmatic_on_a_page(work)))
    else:
        print(f"(real till scans skipped: {SOFTMATIC} is absent)")
    return plans


def _invoice_scans(work: Path) -> tuple[list[dict], list[str]]:
    """The real invoice samples rendered at 300 dpi, as ``benchmarks/invoices.py`` renders them."""
    import pypdfium2 as pdfium

    truths, scans = [], []
    for pdf in sorted(p for p in INVOICES.rglob("*.pdf") if p.with_suffix(".json").exists()):
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))[0]
        truth = {k: truth.get(k) for k in REQUIRED + ["amount_printed"]}
        if truth.get("amount_printed") is not None:
            truth["amount"] = truth["amount_printed"]
        truth["amount"] = Decimal(str(truth["amount"]))
        doc = pdfium.PdfDocument(str(pdf))
        try:
            images = [doc[i].render(scale=300 / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
        finally:
            doc.close()
        scan = work / f"{pdf.stem}.tif"
        images[0].save(scan, save_all=True, append_images=images[1:], dpi=(300, 300), compression="tiff_lzw")
        truths.append(truth)
        scans.append(str(scan))
    return truths, scans


def _invoice_line(engine: str, truths: list[dict], outs: list[dict], cpu: float) -> str:
    from tests.vision.corpus import same

    right = counted = 0
    per = {f: 0 for f in REQUIRED}
    for t, o in zip(truths, outs):
        for f in REQUIRED:
            if t.get(f) is None:
                continue
            counted += 1
            ok = same(f, o.get(f), t.get(f))
            right += ok
            per[f] += ok
    ready = [(t, o) for t, o in zip(truths, outs) if o["status"] == "ready"]
    wrong = sum(not same("amount", o.get("amount"), t["amount"]) for t, o in ready)
    ready_right = sum(all(t.get(f) is None or same(f, o.get(f), t.get(f)) for f in REQUIRED) for t, o in ready)
    n = len(truths)
    return (f"  {engine:9s} {'real invoices, 300 dpi':40s} n={n:3d}  required fields {right / max(counted, 1) * 100:5.1f}%  "
            f"total {per['amount'] / n * 100:5.1f}%  date {per['date'] / n * 100:5.1f}%  wrong totals booked {wrong}  "
            f"ready {len(ready)} (all required right {ready_right})  CPU/page {cpu:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=6, help="generated receipts per set (default 6)")
    parser.add_argument("--only", metavar="TEXT", help="only the sets whose title holds TEXT ('real', 'photo', 'invoices')")
    parser.add_argument("--no-invoices", action="store_true", help="leave out the real invoice samples at 300 dpi")
    args = parser.parse_args()
    missing = rapidocr_missing()
    if missing:
        print(f"RapidOCR is not installed, nothing to compare: {missing}")
        return
    work = Path(tempfile.mkdtemp(prefix="deskbot-engines-"))
    print(f"OCR ENGINES side by side, same pages, one process, one thread each; generated in {work}; "
          f"load average at start {os.getloadavg()[0]:.1f}")
    wanted = (lambda title: not args.only or args.only.casefold() in title.casefold())
    for title, make in _receipt_sets(work, args.n):
        if not wanted(title):
            continue
        truths, files = make()
        for engine in ENGINES:
            outs, cpu, pages = [], 0.0, 0
            for path in files:
                out, spent, count = _read(path, engine)
                outs.append(out)
                cpu += spent
                pages += count
            print(_line(engine, title, _score(truths, outs), cpu / max(pages, 1)), flush=True)
            if os.environ.get("DESKBOT_BENCH_DETAIL"):
                for path, t, o in zip(files, truths, outs):
                    print(f"      {Path(path).name:40s} {o['status']:10s} total {o['amount']} ({t['amount']}) "
                          f"date {o['date']} ({t['date']}) {o['reasons']}")
    if not args.no_invoices and INVOICES.is_dir() and wanted("real invoices, 300 dpi"):
        truths, scans = _invoice_scans(work)
        for engine in ENGINES:
            outs, cpu, pages = [], 0.0, 0
            for path in scans:
                out, spent, count = _read(path, engine)
                outs.append(out)
                cpu += spent
                pages += count
            print(_invoice_line(engine, truths, outs, cpu / max(pages, 1)), flush=True)
            if os.environ.get("DESKBOT_BENCH_DETAIL"):
                for path, t, o in zip(scans, truths, outs):
                    print(f"      {Path(path).name:40s} {o['status']:10s} " + "  ".join(
                        f"{f} {o.get(f)} ({t.get(f)})" for f in REQUIRED) + f" {o['reasons']}")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
