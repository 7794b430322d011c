"""``deskbot ocr`` and ``deskbot watch`` as an operator runs them."""

import json
import os
import subprocess
import sys

from tests.conftest import ROOT, SAMPLES
from tests.vision.corpus import make_invoice, write_pdf


def deskbot(*args, home):
    env = dict(os.environ, DESKBOT_HOME=str(home), OMP_THREAD_LIMIT="1")
    return subprocess.run([sys.executable, "-m", "bots.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=180)


def test_ocr_json_one_object_per_file_and_exit_1_when_one_failed(tmp_path, deskbot_home):
    good = SAMPLES / "invoices" / "oyo.pdf"
    missing = tmp_path / "nope.pdf"
    proc = deskbot("ocr", str(good), str(missing), "--json", home=deskbot_home)
    assert proc.returncode == 1, proc.stderr
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["file"].endswith("oyo.pdf") and first["status"] in ("booked", "review")
    assert first["fields"]["amount"]["value"] == 1939.0 and 0 < first["fields"]["amount"]["confidence"] <= 1
    assert {"file", "status", "fields", "checks", "pages", "seconds"} <= set(first)
    assert second["status"] == "quarantine"


def test_ocr_exit_0_when_every_file_was_read(tmp_path, deskbot_home):
    pdf = write_pdf(make_invoice(40, "classic"), tmp_path / "a.pdf")
    proc = deskbot("ocr", str(pdf), home=deskbot_home)
    assert proc.returncode == 0, proc.stderr
    assert "a.pdf: booked" in proc.stdout


def test_watch_once_files_everything_and_prints_counts(tmp_path, deskbot_home):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_pdf(make_invoice(41, "stacked"), inbox / "a.pdf")
    write_pdf(make_invoice(42, "de", wrong_total=True), inbox / "b.pdf")
    proc = deskbot("watch", str(inbox), "--once", "--stable-for", "0.1s", "--json", home=deskbot_home)
    assert proc.returncode == 0, proc.stderr
    items = {i["file"]: i for i in map(json.loads, proc.stdout.splitlines())}
    assert items["a.pdf"]["outcome"] == "booked" and "archive" in items["a.pdf"]["dest"]
    assert items["b.pdf"]["outcome"] == "review"
    from bots.intake import IntakeJournal

    journal = IntakeJournal.at_home(deskbot_home)  # the journal is in the store, as both files' history
    assert [b["name"] for b in journal.bookings()] == ["a.pdf"]
    assert not (deskbot_home / "intake.db").exists() and (deskbot_home / "runs.db").is_file()


def test_watch_missing_folder_is_exit_2(tmp_path, deskbot_home):
    proc = deskbot("watch", str(tmp_path / "nowhere"), "--once", home=deskbot_home)
    assert proc.returncode == 2 and "not found" in proc.stderr
