"""Invoice intake: a watch folder where every file ends in exactly one place, exactly once.

Layout of a watched folder (sub-folders are created on first use)::

    inbox/                  clerks drop PDFs and scans here
    inbox/archive/YYYY-MM/  booked (month of the invoice date)
    inbox/review/           a person must look: X.pdf + X.pdf.json (what was read, and why)
    inbox/quarantine/       unreadable: X.pdf + X.pdf.txt (the reason: corrupt, encrypted,
                            not an invoice)

Used three ways:

- ``deskbot watch FOLDER [--once] [--recipe R]`` runs ``process_folder`` (this module);
- a recipe started by the scheduler's folder trigger (``on: {files: …}``) reads with
  ``ocr.invoice`` and files with ``ocr.file``, which call ``IntakeJournal`` /
  ``file_document`` here, so both paths share one journal and one filing rule;
- as a library::

      from bots.intake import IntakeJournal, process_folder
      report = process_folder("inbox", on_ready=book, once=True)
      for item in report.items: print(item.name, item.outcome, item.dest)

Guarantees:

- **Only finished files**: a file is taken once its size and mtime have not changed for
  ``stable_for`` seconds; temporary names (``.part``, ``.tmp``, ``~$…``, dot files) are ignored.
  A file that is still empty (0 bytes) after that settle time is quarantined as empty: a
  failed copy or download, nothing to read.
- **E-invoices**: XML (XRechnung, UBL, CII, FatturaPA, Chinese e-invoice XML) and OFD files are
  taken like PDFs and read from their data (``vision.einvoice``); a malformed or hostile XML
  (DOCTYPE, entities) is quarantined with a reason naming the problem.
- **Exactly once across crashes**: a journal in the store (tables ``intake_files``,
  ``intake_bookings``, ``intake_events`` in ``DESKBOT_HOME/runs.db``, or PostgreSQL with
  ``DESKBOT_DATABASE``) keyed by the SHA-256 of the content records each file's state
  (``booking`` -> ``filing`` with its planned destination -> ``done``). After a crash (even SIGKILL) a restart finishes what was started:
  a file still in the inbox is processed again (``on_ready`` receives the same ``key`` and must
  skip a key it has already booked, as ``sheet.append`` with ``key:`` does), a file already
  moved is only marked done. The move itself is an atomic rename within the folder, and
  side-car files are written to a temporary name first.
- **Several watchers** (on machines sharing the folder and a PostgreSQL store): a watcher takes
  a file (compare-and-set on its journal row) before reading it, so each file is processed by
  one of them; a watcher whose process is gone loses its files at once on its own machine, and
  after ``TAKEN_LEASE`` (1 h) for the others (``bots.intake_journal``).
- **Upgrading**: the journal of an older release, ``DESKBOT_HOME/intake.db``, is imported into
  the store on first use (once) and renamed ``intake.db.imported``; what was booked or filed
  stays so.
- **Duplicates**: content already filed goes to ``review/`` with ``"duplicate_of"``; a different
  file with an issuer + invoice number already booked goes to review too (check
  ``not_booked_before``). Neither is booked twice.
- **Parallel**: files are read concurrently and their OCR pages in a process pool
  (``vision.pool.PagePool``: ``OMP_THREAD_LIMIT=1`` in each worker, pages read a few per
  Tesseract call when files pile up); filing is sequential, in the order files were found.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator

from bots.fileio import write_atomic
from bots.intake_journal import TAKEN_LEASE, IntakeJournal  # noqa: F401  (callers import the journal from here)

TEMP_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".download")
OUTCOME_DIRS = {"booked": "archive", "review": "review", "quarantine": "quarantine", "duplicate": "review"}
STATUS_OUTCOME = {"ready": "booked", "review": "review", "unreadable": "quarantine"}


def content_hash(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ------------------------------------------------------------------------------ filing


def _free_name(folder: Path, name: str, digest: str) -> Path:
    target = folder / name
    if not target.exists():
        return target
    stem, dot, suffix = name.rpartition(".")
    tagged = f"{stem}-{digest[:8]}.{suffix}" if dot else f"{name}-{digest[:8]}"
    return folder / tagged


def plan_destination(folder: Path, name: str, outcome: str, digest: str, invoice_date: Any = None) -> Path:
    sub = folder / OUTCOME_DIRS[outcome]
    if outcome == "booked":
        month = None
        if isinstance(invoice_date, date):
            month = invoice_date.strftime("%Y-%m")
        elif isinstance(invoice_date, str) and len(invoice_date) >= 7:
            month = invoice_date[:7]
        sub = sub / (month or date.today().strftime("%Y-%m"))
    sub.mkdir(parents=True, exist_ok=True)
    return _free_name(sub, name, digest)


def file_document(journal: IntakeJournal, source: Path, digest: str, outcome: str, *, folder: Path | None = None,
                  invoice_date: Any = None, review: dict | None = None, reason: str | None = None,
                  recipe: str | None = None) -> Path:
    """Move ``source`` into the place for ``outcome`` (booked/review/quarantine/duplicate),
    with its side-car, and journal it as done. Safe to call again after a crash. A document
    filed for review is registered in the store first (``bots.review``), with the recipe that
    books this folder's invoices, so ``deskbot review approve`` can book it the same way."""
    folder = folder or source.parent
    row = journal.get(digest)
    if row and row["state"] == "filing" and row["dest"] and row["outcome"] == outcome:
        dest = Path(row["dest"])
        dest.parent.mkdir(parents=True, exist_ok=True)
    else:
        dest = plan_destination(folder, source.name, outcome, digest, invoice_date)
        if outcome != "duplicate":
            journal.set_state(digest, source.name, "filing", outcome, str(dest), str(folder))
    if outcome in ("review", "duplicate"):
        from bots.review import register

        register(journal.home, key=digest, name=source.name, folder=folder, path=dest,
                 record=review or {"reasons": [reason or "needs a person"]}, recipe=recipe, kind=outcome)
        write_atomic(dest.with_name(dest.name + ".json"),
                      json.dumps(review or {"reasons": [reason or "needs a person"]}, indent=2, ensure_ascii=False,
                                 default=str))
    elif outcome == "quarantine":
        write_atomic(dest.with_name(dest.name + ".txt"), (reason or "unreadable") + "\n")
    if source.exists():
        os.replace(source, dest)
    if outcome != "duplicate":
        journal.set_state(digest, source.name, "done", outcome, str(dest), str(folder))
    journal.event(digest, source.name, outcome, str(dest), reason or "")
    return dest


def recover(journal: IntakeJournal) -> int:
    """Finish filings a crash interrupted after the move: mark them done. Returns how many."""
    fixed = 0
    for row in journal.unfinished():
        if row and row["state"] == "filing" and row["dest"] and Path(row["dest"]).exists():
            source = Path(row["folder"] or "") / row["name"]
            if not source.exists():
                journal.set_state(row["hash"], row["name"], "done")
                fixed += 1
    return fixed


# ------------------------------------------------------------------------------ the runtime


@dataclass
class IntakeItem:
    name: str
    hash: str
    outcome: str  # booked | review | quarantine | duplicate | retry
    dest: str | None
    reasons: list[str] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"file": self.name, "hash": self.hash, "outcome": self.outcome, "dest": self.dest,
                "reasons": self.reasons, "fields": self.fields, "seconds": round(self.seconds, 3)}


@dataclass
class IntakeReport:
    items: list[IntakeItem] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # still growing, taken next time
    recovered: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for i in self.items if i.outcome == outcome)

    def to_json(self) -> dict:
        return {"items": [i.to_json() for i in self.items], "waiting": self.waiting, "recovered": self.recovered,
                "counts": {k: self.count(k) for k in ("booked", "review", "quarantine", "duplicate", "retry")}}


class Retry(Exception):
    """Raised by ``on_ready`` when booking may succeed later (ERP down): the file stays."""


def _is_candidate(entry: os.DirEntry) -> bool:
    name = entry.name
    if name.startswith((".", "~$")) or name.lower().endswith(TEMP_SUFFIXES):
        return False
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def stable_files(folder: Path, stable_for: float, seen: dict[str, tuple] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> tuple[list[Path], list[str]]:
    """(files that stopped growing, names still changing). ``seen`` carries state between
    calls of a long-running watcher; without it this call looks twice, ``stable_for`` apart."""
    def snapshot() -> dict[str, tuple]:
        out = {}
        for entry in os.scandir(folder):
            if _is_candidate(entry):
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                out[entry.name] = (info.st_size, info.st_mtime_ns)
        return out

    if seen is None:
        first = snapshot()
        if not first:
            return [], []
        time.sleep(stable_for)
        second = snapshot()
        ready = sorted((n for n, sig in second.items() if first.get(n) == sig),
                       key=lambda n: (second[n][1], n))  # oldest first: the original before its copy
        return [folder / n for n in ready], sorted(set(second) - set(ready))
    now = clock()
    current = snapshot()
    ready, waiting = [], []
    for name, sig in current.items():
        before = seen.get(name)
        if before is None or before[0] != sig:
            seen[name] = (sig, now)
            waiting.append(name)
        elif now - before[1] >= stable_for:
            ready.append(name)
        else:
            waiting.append(name)
    for name in set(seen) - set(current):
        del seen[name]
    ready.sort(key=lambda n: (current[n][1], n))
    return [folder / n for n in ready], sorted(waiting)


@contextmanager
def page_pool(workers: int | None = None) -> Iterator[Any]:
    """A process pool for OCR pages (``vision.pool.PagePool``), shut down on leaving."""
    from vision.pool import PagePool

    pool = PagePool(workers)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_RESULTS: "OrderedDict[str, Any]" = OrderedDict()


def remember_result(digest: str, result: Any) -> None:
    """Keep a read result so ``ocr.invoice`` in a recipe started for this file need not OCR again."""
    _RESULTS[digest] = result
    while len(_RESULTS) > 32:
        _RESULTS.popitem(last=False)


def cached_result(digest: str) -> Any:
    return _RESULTS.get(digest)


def default_reader(executor: Executor | None, templates_dir: str | Path | None = None,
                   languages: str | None = None, policy: Any = None) -> Callable[[Path], Any]:
    from vision import DEFAULT_LANGUAGES, load_templates, read_invoice

    load_templates(templates_dir)  # a broken template stops the watcher at start, not file by file

    def read(path: Path):
        # loaded for each file (parsed again only when changed): a template learned in review
        # applies to the next invoice of that vendor
        return read_invoice(path, languages=languages or DEFAULT_LANGUAGES, templates=load_templates(templates_dir),
                            policy=policy, executor=executor)

    return read


def review_record(result: Any, reasons: list[str]) -> dict:
    """What goes in review/X.json: why a person must look, and everything that was read."""
    data = result.to_json() if hasattr(result, "to_json") else dict(result or {})
    data["reasons"] = reasons
    if getattr(result, "words", None) and isinstance(getattr(result, "fields", None), dict):
        from vision.highlight import field_boxes

        # the console's review page boxes the words each field was read from
        data["boxes"] = field_boxes(result.fields, result.words)
    data["what_to_do"] = ("check the fields against the document; correct the ledger by hand, or fix the scan "
                          "and drop it into the inbox again")
    return data


def _attr(result: Any, name: str) -> Any:
    return result.get(name) if isinstance(result, dict) else getattr(result, name, None)


def process_file(journal: IntakeJournal, folder: Path, path: Path, digest: str, result: Any,
                 on_ready: Callable[[Path, Any, str], Any] | None, log: Callable[[str], None],
                 recipe: str | None = None) -> IntakeItem:
    """Book (when ready), then file one document that has been read."""
    started = time.perf_counter()
    status = _attr(result, "status")
    reasons = list(_attr(result, "reasons") or [])
    fields = result.plain_fields() if hasattr(result, "plain_fields") else dict(result.get("fields") or {})
    if status == "ready":
        issuer, number = str(fields.get("issuer") or ""), str(fields.get("invoice_number") or "")
        earlier = journal.booked_before(issuer, number, except_hash=digest)
        if earlier:
            status, reasons = "review", [f"not_booked_before: already booked: {earlier}"]
            if hasattr(result, "checks"):
                result.checks.append({"name": "not_booked_before", "ok": False, "detail": f"already booked: {earlier}"})
    outcome = STATUS_OUTCOME.get(status, "review")
    if outcome == "booked":
        journal.set_state(digest, path.name, "booking", folder=str(folder))
        if on_ready is not None:
            try:
                on_ready(path, result, digest)
            except Retry as exc:
                journal.set_state(digest, path.name, "waiting")
                log(f"{path.name}: booking postponed: {exc}")
                return IntakeItem(path.name, digest, "retry", None, [str(exc)], fields, time.perf_counter() - started)
            except Exception as exc:  # the booking failed: a person must look, the file must not vanish
                if getattr(exc, "retryable", False):
                    journal.set_state(digest, path.name, "waiting")
                    log(f"{path.name}: booking failed, will retry: {exc}")
                    return IntakeItem(path.name, digest, "retry", None, [str(exc)], fields,
                                      time.perf_counter() - started)
                outcome, reasons = "review", [f"booking failed: {exc}"]
        if outcome == "booked":
            journal.record_booking(digest, str(fields.get("issuer")), str(fields.get("invoice_number")),
                                   fields.get("amount"), path.name)
    if outcome == "booked":
        dest = file_document(journal, path, digest, "booked", folder=folder, invoice_date=fields.get("date"))
    elif outcome == "review":
        dest = file_document(journal, path, digest, "review", folder=folder, review=review_record(result, reasons),
                             reason="; ".join(reasons), recipe=recipe)
    else:
        dest = file_document(journal, path, digest, "quarantine", folder=folder,
                             reason="; ".join(reasons) or "unreadable")
    log(f"{path.name}: {outcome} -> {dest}" + (f" ({'; '.join(reasons)})" if reasons else ""))
    return IntakeItem(path.name, digest, outcome, str(dest), reasons, fields, time.perf_counter() - started)


def process_folder(folder: str | Path, *, reader: Callable[[Path], Any] | None = None,
                   on_ready: Callable[[Path, Any, str], Any] | None = None, journal: IntakeJournal | None = None,
                   home: str | Path | None = None, stable_for: float = 1.0, once: bool = True,
                   poll: float = 2.0, workers: int | None = None, templates_dir: str | Path | None = None,
                   languages: str | None = None, stop: threading.Event | None = None,
                   log: Callable[[str], None] = lambda message: None, recipe: str | None = None) -> IntakeReport:
    """Take every finished file in ``folder`` and file it; with ``once=False`` keep watching
    until ``stop`` is set. ``reader(path)`` returns an ``InvoiceResult`` (default: OCR with
    a page pool); ``on_ready(path, result, key)`` books a ready invoice (idempotent by key).
    ``recipe`` (the path of the recipe ``on_ready`` runs) is remembered with each document
    sent to review, so approving it later books it the same way."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"watch folder not found: {folder}")
    own_journal = journal is None
    if journal is None:
        from bots import settings as settings_mod

        journal = IntakeJournal.at_home(home or settings_mod.home())
    report = IntakeReport(recovered=recover(journal))
    stop = stop or threading.Event()
    workers = workers or os.cpu_count() or 1
    try:
        with (page_pool(workers) if reader is None else _nothing()) as pool:
            read = reader or default_reader(pool, templates_dir, languages)
            seen: dict[str, tuple] | None = None if once else {}
            while True:
                ready, waiting = stable_files(folder, stable_for, seen)
                report.waiting = waiting
                if ready:
                    # enough files at once for the page pool to read full batches
                    in_flight = pool.files_in_flight() if pool is not None else workers
                    _process_batch(journal, folder, ready, read, on_ready, in_flight, report, log, stop, recipe)
                if once or stop.is_set():
                    break
                stop.wait(poll)
                if stop.is_set():
                    break
    finally:
        if own_journal:
            journal.close()
    return report


@contextmanager
def _nothing():
    yield None


def _process_batch(journal: IntakeJournal, folder: Path, files: list[Path], read: Callable[[Path], Any],
                   on_ready, in_flight: int, report: IntakeReport, log, stop: threading.Event,
                   recipe: str | None = None) -> None:
    jobs: list[tuple[Path, str]] = []
    in_batch: dict[str, str] = {}
    for path in files:
        try:
            info = path.stat()
            digest = content_hash(path)
        except OSError as exc:
            log(f"{path.name}: cannot read yet ({exc.strerror}); will retry")
            continue
        if info.st_size == 0:
            report.items.append(_quarantine_empty(journal, folder, path, info.st_mtime_ns, log))
            continue
        row = journal.get(digest)
        original = in_batch.get(digest) or (row["name"] if row and row["state"] == "done" else None)
        if original is not None:
            where = row["dest"] if row and row.get("dest") else original
            dest = file_document(journal, path, digest, "duplicate", folder=folder, reason=f"duplicate of {original}",
                                 review={"duplicate_of": original, "filed_as": where,
                                         "reasons": [f"duplicate: the same file was already taken as {original}"],
                                         "what_to_do": "nothing to book; delete it or keep it for the record"})
            log(f"{path.name}: duplicate of {original} -> {dest}")
            report.items.append(IntakeItem(path.name, digest, "duplicate", str(dest), [f"duplicate of {original}"]))
            continue
        in_batch[digest] = path.name
        if not journal.take(digest, path.name, str(folder)):
            # another watcher (another machine on a shared folder) is reading it: its outcome stands
            log(f"{path.name}: being processed by another watcher ({journal.holder_of(digest)}); left to it")
            report.items.append(IntakeItem(path.name, digest, "retry", None, ["being processed by another watcher"]))
            continue
        jobs.append((path, digest))
    if not jobs:
        return
    with ThreadPoolExecutor(max_workers=max(in_flight, 1)) as threads:
        futures = [(path, digest, threads.submit(_safe_read, read, path)) for path, digest in jobs]
        for index, (path, digest, future) in enumerate(futures):
            if stop.is_set():
                for _, left, _ in futures[index:]:  # stopping: the files not reached are anybody's again
                    journal.release(left)
                break
            result = future.result()
            remember_result(digest, result)
            try:
                report.items.append(process_file(journal, folder, path, digest, result, on_ready, log, recipe))
            except OSError as exc:  # cannot move it now (locked, permissions): it stays for the next pass
                log(f"{path.name}: cannot file it yet ({exc}); it stays in the inbox")
                report.items.append(IntakeItem(path.name, digest, "retry", None, [str(exc)]))


def _quarantine_empty(journal: IntakeJournal, folder: Path, path: Path, mtime_ns: int, log) -> IntakeItem:
    """Every empty file has the same content hash, so it is keyed by name and time instead: two
    failed copies are two problems, not a duplicate of each other."""
    key = f"empty:{path.name}:{mtime_ns}"
    if not journal.take(key, path.name, str(folder)):
        return IntakeItem(path.name, key, "retry", None, ["being processed by another watcher"])
    reason = (f"{path.name}: the file is empty (0 bytes) and stayed empty past the settle time: the copy or "
              "download failed; send the document again")
    dest = file_document(journal, path, key, "quarantine", folder=folder, reason=reason)
    log(f"{path.name}: quarantine -> {dest} ({reason})")
    return IntakeItem(path.name, key, "quarantine", str(dest), [reason])


def _safe_read(read: Callable[[Path], Any], path: Path):
    """A reader that crashes on one file must not stop the folder: that file is quarantined."""
    from vision import OcrUnavailable
    from vision.invoice import unreadable

    try:
        return read(path)
    except OcrUnavailable:
        raise
    except Exception as exc:
        return unreadable(path, f"{path.name}: could not be read ({type(exc).__name__}: {exc})")
