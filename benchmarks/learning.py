"""Learning from corrections: one approved correction per vendor, then that vendor's next invoices.

    .venv/bin/python benchmarks/learning.py [--vendors 8] [--later 10] [--first-seed 1000] [--workers 2]
                                            [--kind vendors|blind|blind2|blind3|blind4|fresh|held_out]
                                            [--search N]

For each of ``--vendors`` generated vendors (``--kind vendors``, tests/vision/vendors.py: house
styles the generic reader gets wrong, all on one page layout; seeds from 1000 on were kept out
of development, the tests use 1-10; ``--kind blind`` and the other corpus groups (``blind2``,
``blind3``, ``blind4``: layouts learning was never developed on): one vendor
per layout of that group, whose invoices keep its issuer, number series and date style:
other layouts, languages and decoys, ``vendors.make_layout_vendor``), and
for each track (clean: text-layer PDFs; scanned: every invoice through one of
tests/vision/corpus.SCAN_VARIANTS in turn: 150-300 dpi, skew, 90/180 rotation, noise, blur, JPEG):

1. the vendor's invoices go through the watch folder (``bots.intake.process_folder``) in turn,
   until one goes to review, as a clerk meets them: the search goes on for up to ``--later``
   invoices (``--search`` to change it). The ones before it were booked by the generic reader;
   the run says, per vendor, which invoice was taught on, how many were booked before it and
   how many of those were booked wrong;
2. a person approves that one with ``bots.review.approve``, setting every field the reader got
   wrong (``--set`` as on the command line), which teaches the learned template;
3. the vendor's next ``--later`` invoices after it (new amounts, dates, numbers, 1-6 line items) are read
   twice in the same run: without templates (before) and with the learned ones (after).
   A vendor none of whose searched invoices went to review taught nothing: its ``--later``
   invoices after the searched ones are counted as they are (booked by the generic reader,
   marked ``untaught`` in the output).

Everything is drawn from the vendor seeds, so a run is the same for the same seeds.
Set ``DESKBOT_BENCH_DETAIL=1`` (or ``--verbose``) to print each later invoice that was not booked
with every field right after learning, with the reasons and the line items read.

Prints per track, before and after: the **automation rate** (booked with every field right,
no person involved), field accuracy over all invoices, invoices booked with a wrong field,
and per vendor how many of its later invoices were booked right (the bar: at least 9 of 10).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from tests.vision.corpus import (BLIND2_LAYOUTS, BLIND_LAYOUTS, FRESH_LAYOUTS, HELD_OUT_LAYOUTS,  # noqa: E402
                                 SCAN_VARIANTS, Scan, same, write_pdf, write_scan)
from tests.vision.corpus_blind3 import BLIND3_LAYOUTS  # noqa: E402 (registers the layouts)
from tests.vision.corpus_blind4 import BLIND4_LAYOUTS  # noqa: E402 (registers the layouts)
from tests.vision.vendors import (LayoutVendor, layout_vendor_invoice, make_layout_vendor, make_vendor,  # noqa: E402
                                  vendor_invoice)

FIELDS = ["issuer", "invoice_number", "date", "due_date", "currency", "amount", "amount_untaxed", "vat"]


def _invoice(vendor, n: int):
    """The vendor's n-th invoice (0: the one a person corrects)."""
    return layout_vendor_invoice(vendor, n) if isinstance(vendor, LayoutVendor) else vendor_invoice(vendor, n)


def _vendors(kind: str, first_seed: int, count: int, invoices: int, only: list[str] | None = None) -> list:
    """``vendors``: the learning generator's house styles (tests/vision/vendors.py); a group
    of corpus layouts (``blind``, ``fresh``, ``held_out``): one vendor per layout in turn.
    ``invoices``: how many invoices each vendor must have (searched, taught on, later);
    ``only``: those layouts' vendors of the run, the same ones the whole run draws."""
    if kind == "vendors":
        return [make_vendor(first_seed + i) for i in range(count)]
    layouts = {"blind": BLIND_LAYOUTS, "blind2": BLIND2_LAYOUTS, "blind3": BLIND3_LAYOUTS, "blind4": BLIND4_LAYOUTS,
               "fresh": FRESH_LAYOUTS, "held_out": HELD_OUT_LAYOUTS}[kind]
    return [make_layout_vendor(first_seed + i, layouts[i % len(layouts)], invoices)
            for i in range(count) if not only or layouts[i % len(layouts)] in only]


def _write(inv, track: str, path_stem: Path, variant_index: int) -> Path:
    if track == "clean":
        if not inv.latin:  # the tiny PDF writer has no CJK fonts: a lossless rendering
            return write_scan(inv, Scan(300), path_stem.with_suffix(".png"))
        return write_pdf(inv, path_stem.with_suffix(".pdf"))
    variant = SCAN_VARIANTS[variant_index % len(SCAN_VARIANTS)]
    return write_scan(inv, variant, path_stem.with_suffix(".jpg" if variant.jpeg else ".png"))


def _read(job: tuple[str, str | None]) -> dict:
    """(status, plain values) of one file, read with the templates in a folder (or none)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from vision import read_invoice

    path, templates = job
    result = read_invoice(path, templates=None if templates else [], templates_dir=templates)
    return {"status": result.status, "values": result.plain_fields(), "template": result.template,
            "reasons": result.reasons, "lines": [{k: str(v) for k, v in item.items()} for item in result.lines]}


def _wrong(values: dict, truth: dict) -> list[str]:
    return [k for k in FIELDS if truth.get(k) is not None and not same(k, values.get(k), truth[k])]


def _teach(track: str, vendors: list, work: Path, search: int, verbose: bool = False) -> dict:
    """Each vendor's invoices through the watch folder in turn until one goes to review, which a
    person approves with corrections (what teaches the learned template), as a clerk meets them:
    up to ``search`` invoices per vendor. ``first[seed]``: the index of the one taught on, the
    later invoices measured follow it; ``booked[seed]``, ``booked_wrong[seed]``: how many of the
    vendor's invoices before it the generic reader booked, and how many of those with a wrong
    field. A vendor none of whose ``search`` invoices went to review is listed in ``untaught``
    and its later invoices follow the searched ones."""
    from bots import review
    from bots.intake import process_folder
    from vision import read_invoice

    home, inbox, templates = work / "home", work / "inbox", work / "templates"
    inbox.mkdir(parents=True)
    outcome = {"taught": 0, "skipped": {}, "first": {}, "templates": str(templates),
               "booked": {v.seed: 0 for v in vendors}, "booked_wrong": {v.seed: 0 for v in vendors}}
    waiting = list(vendors)
    for n in range(search):
        truths, owners = {}, {}
        for v in waiting:
            inv = _invoice(v, n)
            path = _write(inv, track, inbox / f"vendor{v.seed}-first{n}", v.seed + n)
            truths[path.name], owners[path.name] = inv.truth, v
        report = process_folder(inbox, home=home, stable_for=0.05,
                                reader=lambda p: read_invoice(p, templates=None, templates_dir=templates))
        for item in report.items:
            if item.outcome == "booked" and item.name in truths:
                seed = owners[item.name].seed
                outcome["booked"][seed] += 1
                wrong = _wrong(item.fields, truths[item.name])
                outcome["booked_wrong"][seed] += bool(wrong)
                if wrong and verbose:
                    truth = truths[item.name]
                    shown = {k: f"{item.fields.get(k)} (truth {truth[k]})" for k in wrong}
                    print(f"     BOOKED WRONG by the generic reader: {item.name}: {shown}")
        for entry in review.list_reviews(home=home):
            if entry["name"] not in truths:
                continue
            truth = truths[entry["name"]]
            outcome["first"][owners[entry["name"]].seed] = n
            fixes = {k: str(truth[k]) for k in _wrong(entry["values"], truth)}
            decision = review.approve(entry["id"], fixes, actor="benchmark", home=home, templates_dir=templates)
            if decision.learned and decision.learned.get("template"):
                outcome["taught"] += 1
            if decision.learned and decision.learned.get("skipped"):
                outcome["skipped"][entry["name"]] = decision.learned["skipped"]
        waiting = [v for v in waiting if v.seed not in outcome["first"]]
        if not waiting:
            break
    outcome["untaught"] = [v.seed for v in waiting]
    for v in waiting:  # its later invoices follow the searched ones, booked with no teaching
        outcome["first"][v.seed] = search - 1
    return outcome


def _print_lines(read: list[dict], printed: list[dict]) -> None:
    """The line items as read beside those printed, when they differ (qty, unit price, amount)."""
    keys = ("quantity", "unit_price", "amount")
    got = [tuple(item.get(k) for k in keys) for item in read]
    want = [tuple(str(item[k]) for k in keys) for item in printed]
    if got != want:
        for i in range(max(len(got), len(want))):
            a = got[i] if i < len(got) else "-"
            b = want[i] if i < len(want) else "-"
            print(f"        line {i + 1}: read {a}  printed {b}{'' if a == b else '   <--'}")


def _measure(track: str, vendors: list, later: int, work: Path, templates: str, workers: int,
             verbose: bool = False, before: bool = True, first: dict | None = None) -> dict:
    files, truths, owners, numbers = [], [], [], []
    for v in vendors:
        start = (first or {}).get(v.seed, 0)
        for n in range(start + 1, start + later + 1):
            inv = _invoice(v, n)
            files.append(str(_write(inv, track, work / f"vendor{v.seed}-{n}", v.seed * 7 + n)))
            truths.append(inv.truth)
            owners.append(v.seed)
            numbers.append(n)
    jobs = ([(f, None) for f in files] if before else []) + [(f, templates) for f in files]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_read, jobs, chunksize=1))
    seconds = time.perf_counter() - started
    out = {"seconds": seconds}
    parts = (("before", results[: len(files)]),) if before else ()
    for label, part in parts + (("after", results[-len(files):]),):
        right_fields = total_fields = booked_right = booked_wrong = 0
        per_vendor: dict[int, int] = {v.seed: 0 for v in vendors}
        for res, truth, owner, n in zip(part, truths, owners, numbers):
            wrong = _wrong(res["values"], truth)
            checked = sum(1 for k in FIELDS if truth.get(k) is not None)
            total_fields += checked
            right_fields += checked - len(wrong)
            if verbose and label == "after" and (wrong or res["status"] != "ready"):
                shown = {k: f"{res['values'].get(k)} (truth {truth[k]})" for k in wrong}
                print(f"     vendor {owner} invoice {n}: {res['status']}, wrong {shown or '-'}, reasons {res['reasons'][:3]}"
                      + ("" if res["template"] else ", no template found"))
                _print_lines(res["lines"], truth.get("lines") or [])
            if res["status"] == "ready":
                if wrong:
                    booked_wrong += 1
                else:
                    booked_right += 1
                    per_vendor[owner] += 1
        out[label] = {"automation": booked_right / len(part), "field_accuracy": right_fields / total_fields,
                      "booked_wrong": booked_wrong, "per_vendor": per_vendor, "n": len(part)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vendors", type=int, default=8)
    parser.add_argument("--later", type=int, default=10, help="later invoices per vendor")
    parser.add_argument("--first-seed", type=int, default=1000, help="vendor seeds from here (1000+: held out)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--tracks", default="clean,scanned")
    parser.add_argument("--kind", default="vendors",
                        choices=["vendors", "blind", "blind2", "blind3", "blind4", "fresh", "held_out"],
                        help="vendors: the learning generator's house styles, all one page layout; blind, blind2-4, "
                             "fresh, held_out: one vendor per corpus layout of that group (other layouts, other "
                             "languages)")
    parser.add_argument("--layouts", default="",
                        help="only these layouts' vendors of the run (comma-separated), as the whole run draws them")
    parser.add_argument("--search", type=int, default=None,
                        help="how many of a vendor's invoices may pass before one reaches review (default: --later)")
    parser.add_argument("--verbose", action="store_true", help="say what went wrong on each invoice after learning")
    parser.add_argument("--no-before", dest="before", action="store_false",
                        help="skip reading without templates (half the time, while developing)")
    args = parser.parse_args()
    search = args.search or args.later
    args.verbose = args.verbose or os.environ.get("DESKBOT_BENCH_DETAIL", "") not in ("", "0")
    vendors = _vendors(args.kind, args.first_seed, args.vendors, search + args.later,
                       [name for name in args.layouts.split(",") if name])
    print(f"{args.vendors} vendors of {args.kind} (seeds {args.first_seed}..{args.first_seed + args.vendors - 1}), "
          f"{args.later} later invoices each, today {date.today()}")
    for v in vendors:
        if isinstance(v, LayoutVendor):
            print(f"  {v.seed}: {v.name} (layout {v.layout}; generator seeds {v.seeds[0]}, {v.seeds[1]}, ...)")
            continue
        quirks = ", ".join(sorted(v.decoys)) or "-"
        print(f"  {v.seed}: {v.name} ({v.country}; decoy {quirks}; dates {v.date_format}; "
              f"{'under labels: ' + ', '.join(sorted(v.below)) if v.below else 'values beside labels'})")
    with tempfile.TemporaryDirectory() as tmp:
        for track in args.tracks.split(","):
            work = Path(tmp) / track
            taught = _teach(track, vendors, work, search, args.verbose)
            untaught = taught["untaught"]
            print(f"\n== {track}: {len(vendors) - len(untaught)}/{len(vendors)} vendors had an invoice sent to "
                  f"review among their first {search}: {taught['taught']} templates learned from one approval "
                  f"each; before it, {sum(taught['booked'].values())} invoices booked by the generic reader, "
                  f"{sum(taught['booked_wrong'].values())} of them wrong")
            for v in vendors:
                booked, wrong = taught["booked"][v.seed], taught["booked_wrong"][v.seed]
                where = (f"none of its first {search} went to review: untaught, its later invoices booked with no "
                         f"teaching" if v.seed in untaught else f"taught on invoice {taught['first'][v.seed]}")
                print(f"   vendor {v.seed}: {where}; booked before: {booked}, {wrong} of them wrong")
            for name, skipped in taught["skipped"].items():
                print(f"   not learned from {name}: {skipped}")
            figures = _measure(track, vendors, args.later, work, taught["templates"], args.workers, args.verbose,
                               args.before, taught["first"])
            print(f"   {'':<8} {'automation':>10} {'field acc.':>10} {'booked wrong':>13}   booked right per vendor "
                  f"(of {args.later})")
            for label in ("before", "after") if args.before else ("after",):
                f = figures[label]
                per = " ".join(str(f["per_vendor"][v.seed]) + ("u" if v.seed in untaught else "") for v in vendors)
                print(f"   {label:<8} {f['automation']:>10.1%} {f['field_accuracy']:>10.1%} "
                      f"{f['booked_wrong']:>7}/{f['n']:<5}   {per}")
            after = figures["after"]["per_vendor"]
            met = sum(1 for v in vendors if after[v.seed] >= 0.9 * args.later)
            print(f"   vendors with >= 9 of 10 later invoices booked right after learning: {met}/{len(vendors)}"
                  + (f" (u: untaught, {len(untaught)})" if untaught else "")
                  + f"   ({(2 if args.before else 1) * len(vendors) * args.later} reads in {figures['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
