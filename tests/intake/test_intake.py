"""The watch folder: where files end up, what a person finds there, growing files, duplicates."""

import json
import shutil
import time
from pathlib import Path

from bots.intake import IntakeJournal, default_reader, process_folder, stable_files
from tests.vision.corpus import make_invoice, write_pdf


def drop(inbox: Path) -> None:
    inbox.mkdir(exist_ok=True)
    write_pdf(make_invoice(11, "classic"), inbox / "good.pdf")
    write_pdf(make_invoice(12, "de", wrong_total=True), inbox / "wrong-total.pdf")
    (inbox / "photo.pdf").write_bytes(b"%PDF-1.4\n garbage")
    (inbox / ".~lock.good.pdf#").write_text("office lock file")
    (inbox / "upload.pdf.part").write_bytes(b"half")


def run(inbox, home, **kwargs):
    booked = []
    journal = IntakeJournal.at_home(home)
    report = process_folder(inbox, reader=default_reader(None), journal=journal, stable_for=0.0,
                            on_ready=lambda path, result, key: booked.append((path.name, key)), **kwargs)
    journal.close()
    return report, booked


def test_each_file_ends_in_exactly_one_place_with_its_reason(tmp_path, deskbot_home):
    inbox = tmp_path / "inbox"
    drop(inbox)
    report, booked = run(inbox, deskbot_home)

    inv = make_invoice(11, "classic")
    month = inv.truth["date"][:7]
    assert (inbox / "archive" / month / "good.pdf").exists()
    assert [name for name, _ in booked] == ["good.pdf"]

    review = json.loads((inbox / "review" / "wrong-total.pdf.json").read_text())
    assert any("subtotal_plus_tax" in r for r in review["reasons"])
    assert review["fields"]["amount"]["value"] and review["checks"]

    reason = (inbox / "quarantine" / "photo.pdf.txt").read_text()
    assert "photo.pdf" in reason and "damaged" in reason

    # temporary and lock files are left alone; nothing else stays in the inbox
    assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == [".~lock.good.pdf#", "upload.pdf.part"]
    assert {i.outcome for i in report.items} == {"booked", "review", "quarantine"}


def test_same_file_dropped_again_is_reported_duplicate_and_not_booked(tmp_path, deskbot_home):
    inbox = tmp_path / "inbox"
    drop(inbox)
    run(inbox, deskbot_home)
    archived = next((inbox / "archive").rglob("good.pdf"))
    shutil.copy(archived, inbox / "good (1).pdf")
    report, booked = run(inbox, deskbot_home)
    assert booked == []
    assert [i.outcome for i in report.items] == ["duplicate"]
    note = json.loads((inbox / "review" / "good (1).pdf.json").read_text())
    assert note["duplicate_of"] == "good.pdf"


def test_rescan_of_a_booked_invoice_goes_to_review_not_the_ledger(tmp_path, deskbot_home):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    inv = make_invoice(21, "stacked")
    write_pdf(inv, inbox / "first.pdf")
    run(inbox, deskbot_home)
    inv.runs.append(type(inv.runs[0])("scanned again", 50, 800, 8))  # same invoice, different bytes
    write_pdf(inv, inbox / "again.pdf")
    report, booked = run(inbox, deskbot_home)
    assert booked == []
    (item,) = report.items
    assert item.outcome == "review" and "already booked" in item.reasons[0]


def test_failed_booking_sends_to_review_and_transient_failure_keeps_the_file(tmp_path, deskbot_home):
    from bots.errors import TransientError

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_pdf(make_invoice(31, "classic"), inbox / "a.pdf")
    journal = IntakeJournal.at_home(deskbot_home)

    def erp_down(path, result, key):
        raise TransientError("ERP answered 503")

    report = process_folder(inbox, reader=default_reader(None), journal=journal, stable_for=0, on_ready=erp_down)
    assert [i.outcome for i in report.items] == ["retry"] and (inbox / "a.pdf").exists()

    def refused(path, result, key):
        raise ValueError("vendor unknown in ERP")

    report = process_folder(inbox, reader=default_reader(None), journal=journal, stable_for=0, on_ready=refused)
    assert [i.outcome for i in report.items] == ["review"]
    assert "vendor unknown" in json.loads((inbox / "review" / "a.pdf.json").read_text())["reasons"][0]
    journal.close()


def test_a_file_is_taken_only_once_it_stopped_growing(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    now = [100.0]
    seen: dict = {}
    scan = inbox / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 first part")
    assert stable_files(inbox, 2.0, seen, clock=lambda: now[0]) == ([], ["scan.pdf"])
    now[0] += 3
    with open(scan, "ab") as fh:
        fh.write(b" more pages")
    assert stable_files(inbox, 2.0, seen, clock=lambda: now[0])[0] == []
    now[0] += 1
    assert stable_files(inbox, 2.0, seen, clock=lambda: now[0])[0] == []
    now[0] += 1.5
    assert stable_files(inbox, 2.0, seen, clock=lambda: now[0])[0] == [scan]


def test_one_shot_scan_leaves_a_file_still_being_written(tmp_path):
    import threading

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    growing = inbox / "big.pdf"
    growing.write_bytes(b"%PDF")
    stop = threading.Event()

    def writer():
        while not stop.is_set():
            with open(growing, "ab") as fh:
                fh.write(b"x" * 100)
            time.sleep(0.02)

    t = threading.Thread(target=writer)
    t.start()
    try:
        ready, waiting = stable_files(inbox, 0.3)
    finally:
        stop.set()
        t.join()
    assert ready == [] and waiting == ["big.pdf"]
