"""The watch folder takes e-invoice XML like PDFs, quarantines hostile XML and files that stay empty."""

from __future__ import annotations

import json
from datetime import date, timedelta

from bots.intake import IntakeJournal, default_reader, process_folder, stable_files
from tests.vision.einvoice_factory import cii_xml, sample_invoice, ubl_xml

HOSTILE = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice>&e;</Invoice>"""


def _run(inbox, home, stable_for=0.0):
    booked = []
    journal = IntakeJournal.at_home(home)
    report = process_folder(inbox, reader=default_reader(None), journal=journal, stable_for=stable_for,
                            on_ready=lambda path, result, key: booked.append((path.name, result.plain_fields())))
    journal.close()
    return report, booked


def test_e_invoice_xml_is_booked_hostile_xml_and_empty_files_are_quarantined(tmp_path, deskbot_home):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    soon = date.today() + timedelta(days=20)
    (inbox / "xrechnung.xml").write_bytes(cii_xml(sample_invoice(number="X-1", due=soon)))
    (inbox / "peppol.xml").write_bytes(ubl_xml(sample_invoice(number="P-2", seller="Nordlicht Leuchten AG", due=soon)))
    (inbox / "evil.xml").write_bytes(HOSTILE)
    (inbox / "cut.xml").write_bytes(cii_xml(sample_invoice(number="C-3"))[:700])
    (inbox / "scan-failed.pdf").write_bytes(b"")
    (inbox / "also-empty.xml").write_bytes(b"")

    report, booked = _run(inbox, deskbot_home)

    assert sorted(name for name, _ in booked) == ["peppol.xml", "xrechnung.xml"]
    fields = dict(booked)["peppol.xml"]
    assert fields["issuer"] == "Nordlicht Leuchten AG" and fields["invoice_number"] == "P-2"
    month = date.today().strftime("%Y-%m")
    assert (inbox / "archive" / month / "xrechnung.xml").exists()
    evil = (inbox / "quarantine" / "evil.xml.txt").read_text()
    assert "evil.xml" in evil and "DOCTYPE" in evil and "root:" not in evil
    cut = (inbox / "quarantine" / "cut.xml.txt").read_text()
    assert "not well-formed" in cut
    for name in ("scan-failed.pdf", "also-empty.xml"):  # two empty files are two problems, not duplicates
        assert "empty (0 bytes)" in (inbox / "quarantine" / f"{name}.txt").read_text()
    assert not [p for p in inbox.iterdir() if p.is_file()]
    assert report.count("duplicate") == 0


def test_empty_file_is_not_taken_before_the_settle_time(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "arriving.pdf").write_bytes(b"")
    seen: dict = {}
    now = [100.0]
    ready, waiting = stable_files(inbox, 5.0, seen, clock=lambda: now[0])
    assert ready == [] and waiting == ["arriving.pdf"]
    now[0] += 2
    assert stable_files(inbox, 5.0, seen, clock=lambda: now[0])[0] == []
    now[0] += 4
    assert [p.name for p in stable_files(inbox, 5.0, seen, clock=lambda: now[0])[0]] == ["arriving.pdf"]


def test_quarantined_xml_reason_is_in_the_report(tmp_path, deskbot_home):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "evil.xml").write_bytes(HOSTILE)
    report, _ = _run(inbox, deskbot_home)
    item = report.to_json()["items"][0]
    assert item["outcome"] == "quarantine" and "DOCTYPE" in json.dumps(item["reasons"])
