"""``deskbot review`` and ``deskbot templates`` as a clerk uses them, and the review library's
exactly-once guarantees (the console calls the same functions)."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bots import review
from bots.intake import IntakeJournal, process_folder
from tests.conftest import ROOT
from tests.vision.corpus import make_invoice, write_pdf
from tests.vision.vendors import make_vendor, vendor_invoice
from vision import read_invoice


@pytest.fixture
def setup(tmp_path, deskbot_home, monkeypatch):
    """An inbox, a settings file whose template folder is in tmp, and a CLI runner."""
    templates = tmp_path / "templates"
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"ocr:\n  templates: {templates}\n", encoding="utf-8")
    monkeypatch.setenv("DESKBOT_SETTINGS", str(settings))
    inbox = tmp_path / "inbox"
    inbox.mkdir()

    def deskbot(*args):
        env = dict(os.environ, DESKBOT_HOME=str(deskbot_home), DESKBOT_SETTINGS=str(settings), OMP_THREAD_LIMIT="1")
        return subprocess.run([sys.executable, "-m", "bots.cli", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=180)

    return inbox, templates, deskbot


def _reader(templates):
    return lambda path: read_invoice(path, templates=None, templates_dir=templates)


def _to_review(inbox, home, templates, inv, name="a.pdf"):
    write_pdf(inv, inbox / name)
    report = process_folder(inbox, reader=_reader(templates), home=home, stable_for=0.05)
    assert [i.outcome for i in report.items] == ["review"], report.to_json()
    return review.list_reviews(home=home)[-1]["id"]


def test_clerk_corrects_a_vendor_in_review_and_its_next_invoice_books_itself(setup, deskbot_home):
    inbox, templates, deskbot = setup
    vendor = make_vendor(3)
    first = vendor_invoice(vendor, 0)
    write_pdf(first, inbox / "first.pdf")
    assert deskbot("watch", str(inbox), "--once", "--stable-for", "0.1s").returncode == 0

    listed = json.loads(deskbot("review", "list", "--json").stdout)
    assert [item["name"] for item in listed] == ["first.pdf"]
    rid = listed[0]["id"]
    shown = json.loads(deskbot("review", "show", rid, "--json").stdout)
    assert shown["file"].endswith("review/first.pdf") and shown["file_exists"]
    assert shown["reasons"] and any(c["ok"] is False for c in shown["checks"])
    assert 0 < shown["fields"]["amount"]["confidence"] <= 1
    read_total = shown["fields"]["amount"]["value"]
    listing = deskbot("review", "list").stdout
    assert f"{float(read_total):.2f}" in listing  # money as a clerk writes it, 2.00 not 2.0

    truth = first.truth
    bad = deskbot("review", "approve", rid, "--set", "amount=12,3x")
    assert bad.returncode == 1 and "amount" in bad.stderr and "12,3x" in bad.stderr
    typo = deskbot("review", "approve", rid, "--set", "totl=12.00")
    assert typo.returncode == 1 and "did you mean" in typo.stderr
    assert (inbox / "review" / "first.pdf").exists()  # a refusal changes nothing

    fixes = [f"issuer={truth['issuer']}", f"invoice_number={truth['invoice_number']}", f"amount={truth['amount']}",
             f"date={truth['date']}"]
    ok = deskbot("review", "approve", rid, *sum((["--set", f] for f in fixes), []), "--as", "alice")
    assert ok.returncode == 0, ok.stderr
    archived = inbox / "archive" / truth["date"][:7] / "first.pdf"
    assert archived.exists() and not (inbox / "review" / "first.pdf").exists()
    assert not (inbox / "review" / "first.pdf.json").exists()
    learned = list((templates / "learned").glob("*.yaml"))
    assert len(learned) == 1 and vendor.vat_id in learned[0].read_text(encoding="utf-8")

    again = deskbot("review", "approve", rid)
    assert again.returncode == 1 and "already approved by alice" in again.stderr
    decided = json.loads(deskbot("review", "show", rid, "--json").stdout)
    assert decided["decided_by"] == "alice" and decided["after"]["amount"] == str(truth["amount"])
    # the record keeps what was read before the correction beside what was approved
    assert any(str(decided["before"].get(k)) != str(v) for k, v in decided["after"].items())

    listing = deskbot("templates", "list")
    assert listing.returncode == 0 and vendor.name in listing.stdout and "learned" in listing.stdout
    assert vendor.iban in deskbot("templates", "show", vendor.name).stdout

    later = vendor_invoice(vendor, 4)
    write_pdf(later, inbox / "later.pdf")
    watched = deskbot("watch", str(inbox), "--once", "--stable-for", "0.1s", "--json")
    item = json.loads(watched.stdout.splitlines()[0])
    assert item["outcome"] == "booked", item
    assert item["fields"]["invoice_number"] == later.truth["invoice_number"]
    assert item["fields"]["amount"] == float(later.truth["amount"]) and item["fields"]["issuer"] == vendor.name
    read = json.loads(deskbot("ocr", str(Path(item["dest"])), "--json").stdout)
    assert read["fields"]["invoice_number"]["source"] == "learned"

    gone = deskbot("templates", "delete", vendor.name)
    assert gone.returncode == 0 and not learned[0].exists()
    assert deskbot("templates", "delete", vendor.name).returncode == 1


def test_reject_needs_a_reason_and_files_the_document_in_quarantine(setup, deskbot_home):
    inbox, templates, deskbot = setup
    rid = _to_review(inbox, deskbot_home, templates, make_invoice(42, "de", wrong_total=True))
    no_reason = deskbot("review", "reject", rid)
    assert no_reason.returncode == 1 and "reason" in no_reason.stderr
    done = deskbot("review", "reject", rid, "--reason", "not our order", "--as", "bob")
    assert done.returncode == 0, done.stderr
    assert "not our order" in (inbox / "quarantine" / "a.pdf.txt").read_text(encoding="utf-8")
    assert (inbox / "quarantine" / "a.pdf").exists() and not (inbox / "review" / "a.pdf").exists()
    assert deskbot("review", "approve", rid).returncode == 1
    assert deskbot("review", "show", "ffffffffffff").returncode == 1
    assert json.loads(deskbot("review", "list", "--json").stdout) == []


def test_two_people_deciding_at_once_only_one_decision_counts(setup, deskbot_home):
    inbox, templates, _ = setup
    rid = _to_review(inbox, deskbot_home, templates, make_invoice(42, "de", wrong_total=True))
    outcomes: list[str] = []
    booked: list[str] = []
    truth = make_invoice(42, "de").truth
    start = threading.Barrier(2)

    def approver():
        start.wait()
        try:
            review.approve(rid, {"amount": str(truth["amount"])}, actor="alice", home=deskbot_home,
                           templates_dir=templates, book=lambda path, values, key: booked.append(key))
            outcomes.append("approved")
        except review.ReviewRefused as exc:
            outcomes.append(f"refused: {exc}")

    def rejecter():
        start.wait()
        try:
            review.reject(rid, "duplicate of a paper copy", actor="bob", home=deskbot_home)
            outcomes.append("rejected")
        except review.ReviewRefused as exc:
            outcomes.append(f"refused: {exc}")

    threads = [threading.Thread(target=approver), threading.Thread(target=rejecter)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.split(":")[0] for o in outcomes) in (["approved", "refused"], ["refused", "rejected"])
    item = review.get_review(rid, home=deskbot_home)
    assert item["status"] in ("approved", "rejected") and item["stage"] == "filed"
    assert len(booked) == (1 if item["status"] == "approved" else 0)


def test_a_crash_between_booking_and_filing_does_not_book_twice(setup, deskbot_home, monkeypatch):
    inbox, templates, _ = setup
    rid = _to_review(inbox, deskbot_home, templates, make_invoice(42, "de", wrong_total=True))
    truth = make_invoice(42, "de").truth
    booked: list[str] = []

    def crash(*args, **kwargs):
        raise OSError("disk went away")

    monkeypatch.setattr("bots.intake.file_document", crash)
    with pytest.raises(OSError):
        review.approve(rid, {"amount": str(truth["amount"])}, actor="alice", home=deskbot_home,
                       templates_dir=templates, book=lambda path, values, key: booked.append(key))
    assert booked and review.get_review(rid, home=deskbot_home)["stage"] == "booked"
    monkeypatch.undo()

    with pytest.raises(review.ReviewRefused, match="approve it again without --set"):
        review.approve(rid, {"amount": "1.00"}, actor="bob", home=deskbot_home, templates_dir=templates)
    finished = review.approve(rid, actor="bob", home=deskbot_home, templates_dir=templates,
                              book=lambda path, values, key: booked.append(key))
    assert finished.finished_earlier and len(booked) == 1
    assert Path(finished.dest).exists() and "archive" in finished.dest
    item = review.get_review(rid, home=deskbot_home)
    assert item["decided_by"] == "alice" and item["stage"] == "filed"
    journal = IntakeJournal.at_home(deskbot_home)
    try:
        assert [b["number"] for b in journal.bookings()] == [truth["invoice_number"]]
    finally:
        journal.close()


def test_approving_an_invoice_already_booked_is_refused(setup, deskbot_home):
    inbox, templates, _ = setup
    inv = make_invoice(42, "de")
    journal = IntakeJournal.at_home(deskbot_home)
    try:
        journal.record_booking("0" * 64, inv.truth["issuer"], inv.truth["invoice_number"], inv.truth["amount"], "x.pdf")
    finally:
        journal.close()
    rid = _to_review(inbox, deskbot_home, templates, inv)  # the same issuer + number: review, not booked
    with pytest.raises(review.ReviewRefused, match="already booked"):
        review.approve(rid, actor="alice", home=deskbot_home, templates_dir=templates,
                       book=lambda *a: pytest.fail("must not book"))
    assert review.get_review(rid, home=deskbot_home)["status"] == "pending"


@pytest.mark.parametrize("name,text,complaint", [
    ("amount", "12,3x", "not an amount"), ("amount", "-5", "above zero"), ("vat", "1.2.3", "not an amount"),
    ("date", "15/03/2026", "YYYY-MM-DD"), ("currency", "euro", "three-letter"), ("issuer", "", "cannot be empty"),
    ("invoice_number", "A\x07B", "control characters"),
])
def test_a_bad_corrected_value_is_refused_naming_the_field(name, text, complaint):
    with pytest.raises(review.ReviewRefused) as caught:
        review.parse_value(name, text)
    assert name in str(caught.value) and complaint in str(caught.value)


def test_corrected_values_a_person_types_are_read_as_meant():
    assert str(review.parse_value("amount", "1.234,56")) == "1234.56"
    assert str(review.parse_value("amount", "1,234.5")) == "1234.50"
    assert review.parse_value("currency", "eur") == "EUR"
    assert review.parse_value("due_date", "") is None
    assert review.parse_assignments(["total=10", "net=9", "tax=1"]) == {"amount": "10", "amount_untaxed": "9",
                                                                        "vat": "1"}


def test_every_decision_is_in_the_audit_trail_with_before_and_after(setup, deskbot_home):
    from bots import audit

    inbox, templates, _ = setup
    rid = _to_review(inbox, deskbot_home, templates, make_invoice(42, "de", wrong_total=True))
    truth = make_invoice(42, "de").truth
    review.approve(rid, {"amount": str(truth["amount"])}, actor="alice", home=deskbot_home, templates_dir=templates,
                   book=lambda *a: None)
    (entry,) = [e for e in audit.entries(action="review.approve")]
    assert entry.actor == "alice" and entry.subject == rid
    assert entry.after["amount"] == str(truth["amount"]) and entry.before["amount"] != entry.after["amount"]
    assert entry.detail["corrected"] == ["amount"]
    assert audit.verify().intact


def test_once_console_users_exist_only_a_clerk_decides(setup, deskbot_home):
    from bots.users import add_user

    inbox, templates, _ = setup
    rid = _to_review(inbox, deskbot_home, templates, make_invoice(42, "de", wrong_total=True))
    add_user("vera", "viewer", "a long passphrase 1", actor="test")
    add_user("carl", "clerk", "a long passphrase 2", actor="test")
    for who in ("vera", "nobody", None):
        with pytest.raises(review.ReviewRefused, match="clerk"):
            review.reject(rid, "not ours", actor=who, home=deskbot_home)
    assert review.reject(rid, "not ours", actor="carl", home=deskbot_home).status == "rejected"


def test_an_approval_killed_after_its_recipe_booked_does_not_book_again_when_finished(setup, deskbot_home,
                                                                                      tmp_path, monkeypatch):
    # the folder's recipe inserts a row with no key of its own: run twice, it books twice
    import sqlite3

    inbox, templates, _ = setup
    ledger = tmp_path / "ledger.db"
    sqlite3.connect(ledger).execute("CREATE TABLE booked (number TEXT, total TEXT)").connection.commit()
    recipe = tmp_path / "book.yaml"
    recipe.write_text(f"""
name: book-plain
steps:
  - id: invoice
    ocr.invoice: "{{{{ trigger.file }}}}"
  - db.execute:
      url: "{ledger}"
      sql: "INSERT INTO booked VALUES (:number, :total)"
      params: {{number: "{{{{ steps.invoice.values.invoice_number }}}}", total: "{{{{ steps.invoice.values.amount }}}}"}}
""", encoding="utf-8")
    rid = _to_review(inbox, deskbot_home, templates, make_invoice(42, "de", wrong_total=True))
    truth = make_invoice(42, "de").truth

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("the clerk's terminal was closed")

    monkeypatch.setattr(IntakeJournal, "record_booking", killed)
    with pytest.raises(KeyboardInterrupt):
        review.approve(rid, {"amount": str(truth["amount"])}, actor="alice", home=deskbot_home,
                       templates_dir=templates, recipe=recipe)
    monkeypatch.undo()
    rows = lambda: sqlite3.connect(ledger).execute("SELECT number, total FROM booked").fetchall()  # noqa: E731
    assert len(rows()) == 1
    assert review.get_review(rid, home=deskbot_home)["stage"] != "booked"

    finished = review.approve(rid, actor="bob", home=deskbot_home, templates_dir=templates, recipe=recipe)
    assert finished.finished_earlier and "archive" in finished.dest
    assert rows() == [(truth["invoice_number"], str(truth["amount"]))]  # booked once
    assert finished.booking["run_id"] and "before the approval was interrupted" in finished.booking["note"]
    journal = IntakeJournal.at_home(deskbot_home)
    try:
        assert [b["number"] for b in journal.bookings()] == [truth["invoice_number"]]
    finally:
        journal.close()


def test_only_a_clerk_deletes_a_learned_template_and_the_trail_keeps_it_to_put_back(setup, deskbot_home, tmp_path):
    from bots import audit
    from bots.users import add_user

    inbox, templates, deskbot = setup
    vendor = make_vendor(3)
    first = vendor_invoice(vendor, 0)
    rid = _to_review(inbox, deskbot_home, templates, first)
    review.approve(rid, {"invoice_number": first.truth["invoice_number"], "amount": str(first.truth["amount"]),
                         "issuer": first.truth["issuer"], "date": first.truth["date"]},
                   actor="alice", home=deskbot_home, templates_dir=templates, book=lambda *a: None)
    (learned,) = (templates / "learned").glob("*.yaml")
    text = learned.read_text(encoding="utf-8")
    add_user("vera", "viewer", "a long passphrase 1", actor="test")
    add_user("carl", "clerk", "a long passphrase 2", actor="test")

    refused = deskbot("templates", "delete", vendor.name, "--as", "vera")
    assert refused.returncode == 1 and "clerk" in refused.stderr and learned.exists()
    gone = deskbot("templates", "delete", vendor.name, "--as", "carl")
    assert gone.returncode == 0, gone.stderr
    assert not learned.exists()
    (entry,) = audit.entries(action="template.delete")
    assert entry.actor == "carl" and entry.before["yaml"] == text  # written back, it reads invoices again


@pytest.mark.parametrize("read,shown", [(2.0, "2.00"), (1234.5, "1234.50"), (19164.37, "19164.37"),
                                        (0.125, "0.125"), (None, "")])
def test_review_list_writes_money_as_a_clerk_does(read, shown):
    from bots.commands.review import _money

    assert _money(read) == shown


@pytest.mark.parametrize("check,detail", [
    ("confidence", "below 0.6: issuer (0.55)"),  # a ledger-style header
    ("scan_reread", "read again, the scan does not say the same: invoice_number"),  # 'INV/O2658' read again
    ("total_corroborated", "nothing confirms the OCR'd total"),
    ("lines_sum", "3 line(s) sum to 17577.46, expected 27242.06")])  # a scan that lost a line item
def test_approving_a_doubted_vendor_as_read_teaches_it_and_its_next_invoice_books_itself(setup, deskbot_home, tmp_path,
                                                                                         check, detail):
    # the reader found every value but doubted how one was read: the clerk approves it as it
    # stands, with nothing to correct; that confirmation teaches the vendor, or each of its
    # later invoices would stop at the same doubt. (The doubt is set here: how sure the generic
    # reader is of this vendor's first invoice changes as it improves.)
    from tests.vision.vendors import layout_vendor_invoice, make_layout_vendor

    inbox, templates, _ = setup
    vendor = make_layout_vendor(18004, "uk_ledger", 2)

    def doubting(path):
        result = _reader(templates)(path)
        result.status = "review"
        result.checks = [c for c in result.checks if c["ok"] is not False] + [
            {"name": check, "ok": False, "detail": detail}]
        return result

    write_pdf(layout_vendor_invoice(vendor, 0), inbox / "a.pdf")
    report = process_folder(inbox, reader=doubting, home=deskbot_home, stable_for=0.05)
    assert [i.outcome for i in report.items] == ["review"]
    rid = review.list_reviews(home=deskbot_home)[-1]["id"]
    decision = review.approve(rid, actor="alice", home=deskbot_home, templates_dir=templates)
    assert decision.learned and decision.learned["template"], decision.learned
    later = layout_vendor_invoice(vendor, 1)
    result = read_invoice(write_pdf(later, tmp_path / "later.pdf"), templates=None, templates_dir=templates)
    assert result.status == "ready", result.reasons
    assert result.value("issuer") == vendor.name and result.fields["issuer"].source == "learned"
    assert result.fields["invoice_number"].source == "learned"
