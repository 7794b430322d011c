"""Subprocess for the crash test: runs the intake over a folder with a cheap reader (PDF text
layers) and an idempotent CSV ledger, the way a booking recipe with ``sheet.append key:`` is.

    python -m tests.intake.crash_worker INBOX HOME LEDGER
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path


def book(ledger: Path):
    def on_ready(path: Path, result, key: str) -> None:
        keys = set()
        if ledger.exists():
            with open(ledger, newline="", encoding="utf-8") as fh:
                keys = {row[0] for row in csv.reader(fh) if row}
        if key in keys:  # booked before a crash: the journal did not hear of it yet
            return
        values = result.plain_fields()
        with open(ledger, "a", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerow([key, path.name, values.get("issuer"), values.get("invoice_number"),
                                     values.get("amount")])
            fh.flush()
            os.fsync(fh.fileno())

    return on_ready


def main() -> None:
    from bots.intake import IntakeJournal, default_reader, process_folder

    inbox, home, ledger = (Path(a) for a in sys.argv[1:4])
    journal = IntakeJournal.at_home(home)
    report = process_folder(inbox, reader=default_reader(None), on_ready=book(ledger), journal=journal,
                            stable_for=0.0, workers=2, log=lambda m: print(m, flush=True))
    print("counts", report.to_json()["counts"], flush=True)


if __name__ == "__main__":
    main()
