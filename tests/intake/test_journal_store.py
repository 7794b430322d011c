"""The intake journal in the store: an older release's intake.db is imported once (what was booked
or filed stays so), and watchers in several processes (machines sharing a folder and a
PostgreSQL store) process each file once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bots.intake import IntakeJournal, content_hash, process_folder

ROOT = Path(__file__).resolve().parents[2]

OLD_SCHEMA = """
CREATE TABLE files (hash TEXT PRIMARY KEY, name TEXT NOT NULL, state TEXT NOT NULL, outcome TEXT, dest TEXT,
                    folder TEXT, updated TEXT NOT NULL);
CREATE TABLE bookings (issuer_key TEXT NOT NULL, number_key TEXT NOT NULL, hash TEXT NOT NULL, issuer TEXT,
                       number TEXT, amount TEXT, name TEXT, booked TEXT NOT NULL, PRIMARY KEY (issuer_key, number_key));
CREATE TABLE events (at TEXT NOT NULL, hash TEXT, name TEXT, outcome TEXT, dest TEXT, detail TEXT);
"""


def reading(issuer: str, number: str) -> dict:
    return {"status": "ready", "fields": {"issuer": issuer, "invoice_number": number, "amount": "100.00",
                                          "date": "2026-11-02", "currency": "EUR"}}


def test_an_old_intake_db_is_imported_once_and_booked_invoices_are_not_booked_again(tmp_path, deskbot_home):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    scanned_before = inbox / "scan-again.pdf"
    scanned_before.write_bytes(b"%PDF-1.4 the invoice filed before the upgrade")
    archived = inbox / "archive" / "2026-11" / "scan.pdf"
    deskbot_home.mkdir(parents=True)
    with sqlite3.connect(deskbot_home / "intake.db") as old:
        old.executescript(OLD_SCHEMA)
        old.execute("INSERT INTO files VALUES (?,?,?,?,?,?,?)", (content_hash(scanned_before), "scan.pdf", "done",
                                                                  "booked", str(archived), str(inbox), "2026-11-02"))
        old.execute("INSERT INTO bookings VALUES ('acmegmbh','r1',?,'ACME GmbH','R-1','100.00','scan.pdf',"
                    "'2026-11-02T10:00:00+00:00')", (content_hash(scanned_before),))
        old.execute("INSERT INTO events VALUES ('2026-11-02T10:00:00+00:00',?,'scan.pdf','booked',?,'')",
                    (content_hash(scanned_before), str(archived)))
    old.close()
    (inbox / "other-scan.pdf").write_bytes(b"%PDF-1.4 another scan of invoice R-1")
    (inbox / "new.pdf").write_bytes(b"%PDF-1.4 a new invoice")
    readings = {"scan-again.pdf": reading("ACME GmbH", "R-1"), "other-scan.pdf": reading("Acme GmbH.", "R 1"),
                "new.pdf": reading("ACME GmbH", "R-2")}
    booked = []
    report = process_folder(inbox, reader=lambda path: readings[path.name], home=deskbot_home, stable_for=0,
                            on_ready=lambda path, result, key: booked.append(path.name))
    outcomes = {item.name: item.outcome for item in report.items}
    assert outcomes == {"scan-again.pdf": "duplicate", "other-scan.pdf": "review", "new.pdf": "booked"}
    assert booked == ["new.pdf"]
    assert not (deskbot_home / "intake.db").exists() and (deskbot_home / "intake.db.imported").is_file()
    journal = IntakeJournal.at_home(deskbot_home)
    assert sorted(b["number"] for b in journal.bookings()) == ["R-1", "R-2"]
    # the same file put back is not imported again (its booking would already be there; nothing doubles)
    (deskbot_home / "intake.db.imported").rename(deskbot_home / "intake.db")
    again = IntakeJournal.at_home(deskbot_home)
    assert len(again.bookings()) == 2 and not (deskbot_home / "intake.db").exists()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.db'}"
    return request.getfixturevalue("postgres_url")


def test_a_file_is_taken_by_one_watcher_and_a_dead_or_silent_ones_file_is_taken_over(store_url, tmp_path):
    from bots.intake_journal import intake_files
    from bots.store import writing

    journal = IntakeJournal(tmp_path / "here", url=store_url)
    assert journal.take("h1", "a.pdf") and journal.take("h1", "a.pdf")  # this watcher again: fine
    long_ago = (datetime.now(timezone.utc) - timedelta(hours=2)).isoformat(timespec="seconds")
    just_now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with writing(journal.engine) as conn:
        for digest, holder, taken in (("h2", "other-machine:4242", just_now), ("h3", "other-machine:4242", long_ago),
                                      ("h4", f"{__import__('socket').gethostname()}:999999999", just_now)):
            conn.execute(intake_files.insert().values(hash=digest, name=f"{digest}.pdf", state="booking",
                                                      updated=taken, holder=holder, taken=taken))
    assert not journal.take("h2", "h2.pdf")          # a live watcher elsewhere has it
    assert journal.take("h3", "h3.pdf")              # silent for two hours: taken over
    assert journal.take("h4", "h4.pdf")              # its process on this machine is gone
    journal.set_state("h1", "a.pdf", "done", "booked", "/archive/a.pdf")
    assert not journal.take("h1", "a.pdf") and journal.holder_of("h1") is None


WATCHER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from bots.intake import IntakeJournal, process_folder

    inbox, home, url, log, go = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], Path(sys.argv[5])
    journal = IntakeJournal(home, url=url)
    while not go.exists():
        time.sleep(0.01)

    def read(path):
        time.sleep(0.05)  # reading takes a while: the other watcher sees the same files meanwhile
        return {"status": "ready", "fields": {"issuer": "Vendor " + path.stem, "invoice_number": path.stem,
                                              "amount": "1.00", "date": "2026-11-02", "currency": "EUR"}}

    def book(path, result, key):
        with open(log, "a") as out:
            out.write(f"{os.getpid()} {path.name}\\n")

    process_folder(inbox, reader=read, journal=journal, stable_for=0, on_ready=book, workers=2)
""")


def test_two_watchers_on_one_folder_book_each_file_once(store_url, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(12):
        (inbox / f"inv-{n:02d}.pdf").write_bytes(f"%PDF-1.4 invoice {n}".encode())
    script, log, go = tmp_path / "watcher.py", tmp_path / "booked.log", tmp_path / "go"
    script.write_text(WATCHER, encoding="utf-8")
    watchers = [subprocess.Popen([sys.executable, str(script), str(inbox), str(tmp_path / f"machine-{n}"), store_url,
                                  str(log), str(go)], cwd=ROOT, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
                                 stderr=subprocess.PIPE, text=True) for n in range(2)]
    go.touch()
    for watcher in watchers:
        _, err = watcher.communicate(timeout=180)
        assert watcher.returncode == 0, err
    booked = [line.split()[1] for line in log.read_text().splitlines()] if log.exists() else []
    left = sorted(p.name for p in inbox.iterdir() if p.is_file())
    # each file booked at most once; a file one watcher held when the other passed is booked by the holder
    assert len(booked) == len(set(booked)) and sorted(booked) + left == sorted(f"inv-{n:02d}.pdf" for n in range(12))
    assert left == [] and len(booked) == 12
    assert len(list((inbox / "archive").rglob("*.pdf"))) == 12
