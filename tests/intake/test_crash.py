"""SIGKILL half-way through 200 files, restart: every file in exactly one of
archive/review/quarantine, every booked invoice exactly once in the ledger, none lost."""

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bots.intake import IntakeJournal, content_hash
from tests.conftest import ROOT
from tests.vision.corpus import make_invoice, write_pdf

TOTAL = 200


def make_inbox(inbox: Path) -> dict[str, str]:
    """200 files: good invoices, wrong totals, junk, and copies. Returns name -> kind."""
    inbox.mkdir()
    kinds = {}
    for i in range(TOTAL - 25):
        wrong = i % 12 == 5
        write_pdf(make_invoice(1000 + i, ["classic", "stacked", "de"][i % 3], wrong_total=wrong), inbox / f"inv{i:03}.pdf")
        kinds[f"inv{i:03}.pdf"] = "review" if wrong else "invoice"
    for i in range(15):
        (inbox / f"junk{i:02}.pdf").write_bytes(os.urandom(300 + i))
        kinds[f"junk{i:02}.pdf"] = "quarantine"
    for i in range(10):
        shutil.copy(inbox / f"inv{i:03}.pdf", inbox / f"copy{i:02}.pdf")
        kinds[f"copy{i:02}.pdf"] = "duplicate"
    return kinds


def run_worker(inbox, home, ledger, kill_after: int | None = None) -> int:
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_THREAD_LIMIT="1")
    proc = subprocess.Popen([sys.executable, "-m", "tests.intake.crash_worker", str(inbox), str(home), str(ledger)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if kill_after is None:
        out, _ = proc.communicate(timeout=240)
        assert proc.returncode == 0, out[-3000:]
        return proc.returncode
    filed = 0
    for line in proc.stdout:
        filed += " -> " in line
        if filed >= kill_after:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=30)
    return proc.returncode


def placed(folder: Path) -> dict[str, list[Path]]:
    where: dict[str, list[Path]] = {}
    for sub in ("archive", "review", "quarantine"):
        for path in (folder / sub).rglob("*"):
            if path.is_file() and not path.name.endswith((".json", ".txt", ".part")):
                where.setdefault(path.name, []).append(path)
    return where


def test_sigkill_half_way_then_restart_files_everything_exactly_once(tmp_path):
    inbox, home, ledger = tmp_path / "inbox", tmp_path / "home", tmp_path / "ledger.csv"
    kinds = make_inbox(inbox)
    hashes = {name: content_hash(inbox / name) for name in kinds}

    code = run_worker(inbox, home, ledger, kill_after=TOTAL // 2)
    assert code == -signal.SIGKILL
    left = [p.name for p in inbox.iterdir() if p.is_file()]
    assert 0 < len(left) < TOTAL, "the kill must land half-way"

    run_worker(inbox, home, ledger)

    assert [p.name for p in inbox.iterdir() if p.is_file()] == []
    where = placed(inbox)
    assert sorted(where) == sorted(kinds), "every file placed, none lost, none invented"
    assert all(len(paths) == 1 for paths in where.values()), "each file in exactly one place"
    for name, kind in kinds.items():
        (path,) = where[name]
        folder = path.relative_to(inbox).parts[0]
        if kind == "quarantine":
            assert folder == "quarantine" and path.with_name(name + ".txt").read_text().strip()
        elif kind in ("review", "duplicate"):
            assert folder == "review" and path.with_name(name + ".json").exists()
        else:
            assert folder in ("archive", "review")

    with open(ledger, newline="", encoding="utf-8") as fh:
        rows = [row for row in csv.reader(fh) if row]
    keys = [row[0] for row in rows]
    assert len(keys) == len(set(keys)), "an invoice was booked twice"
    archived = {hashes[name] for name, (path,) in where.items() if path.relative_to(inbox).parts[0] == "archive"}
    assert set(keys) == archived, "ledger and archive disagree"
    assert len(archived) >= 140

    journal = IntakeJournal.at_home(home)
    assert journal.unfinished() == []
    assert {b["hash"] for b in journal.bookings()} == archived
    journal.close()
