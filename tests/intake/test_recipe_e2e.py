"""The shipped recipes/invoice_intake.yaml end to end: demo ERP in real headless Chromium,
AP ledger workbook, documents filed; re-runs never book twice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bots.recipe import load_recipe
from bots.runner import Runner
from tests.browser.conftest import chromium, demo, secrets_env  # noqa: F401  (fixtures)
from tests.conftest import ROOT
from tests.vision.corpus import make_invoice, write_pdf

pytestmark = pytest.mark.browser


def run_for(path: Path, home: Path, erp_url: str, ledger: Path, trigger: dict | None = None):
    recipe = load_recipe(ROOT / "recipes" / "invoice_intake.yaml")
    trigger = trigger or {"type": "file", "file": str(path), "name": path.name}
    return Runner(recipe, home=home, trigger=trigger, variables={"erp": erp_url, "ledger": str(ledger)}).run()


def ledger_rows(ledger: Path) -> list[dict]:
    sheet = load_workbook(ledger)["AP"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def erp_invoices(demo) -> list[dict]:  # noqa: F811
    return demo.erp_app.test_client().get("/_demo/invoices").json


def test_ready_invoice_is_booked_in_ledger_and_erp_and_archived_once(demo, chromium, secrets_env,  # noqa: F811
                                                                     deskbot_home, tmp_path):
    demo.erp_app.test_client().get("/_demo/reset")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ledger = tmp_path / "ap_ledger.xlsx"
    inv = make_invoice(64, "classic")
    assert inv.truth["currency"] == "USD"
    good = write_pdf(inv, inbox / "acme.pdf")
    bad = write_pdf(make_invoice(62, "stacked", wrong_total=True), inbox / "wrong.pdf")

    result = run_for(good, deskbot_home, demo.erp_url, ledger)
    assert result.ok, result.error
    (row,) = ledger_rows(ledger)
    assert (row["Vendor"], row["Invoice number"], float(row["Total amount"])) == (
        inv.truth["issuer"], inv.truth["invoice_number"], float(inv.truth["amount"]))
    entered = [i for i in erp_invoices(demo) if i["invoice_number"] == inv.truth["invoice_number"]]
    assert len(entered) == 1 and entered[0]["total_amount"] == f"{inv.truth['amount']:.2f}"
    assert entered[0]["vendor"] == inv.truth["issuer"]
    assert list((inbox / "archive").rglob("acme.pdf")) and not good.exists()

    result = run_for(bad, deskbot_home, demo.erp_url, ledger)
    assert result.ok, result.error
    assert len(ledger_rows(ledger)) == 1
    review = json.loads((inbox / "review" / "wrong.pdf.json").read_text())
    assert any("subtotal_plus_tax" in r for r in review["reasons"])

    # an invoice in a currency the ERP does not take: refused there, so not in the ledger either
    gbp = write_pdf(make_invoice(61, "classic"), inbox / "pounds.pdf")
    result = run_for(gbp, deskbot_home, demo.erp_url, ledger)
    assert not result.ok and "GBP" in result.error
    assert len(ledger_rows(ledger)) == 1
    assert "booking failed" in json.loads((inbox / "review" / "pounds.pdf.json").read_text())["reasons"][0]

    # the same invoice dropped again: reported, not booked a second time anywhere
    again = inbox / "acme-again.pdf"
    shutil.copy(next((inbox / "archive").rglob("acme.pdf")), again)
    result = run_for(again, deskbot_home, demo.erp_url, ledger)
    assert result.ok, result.error
    assert len(ledger_rows(ledger)) == 1
    assert len([i for i in erp_invoices(demo) if i["invoice_number"] == inv.truth["invoice_number"]]) == 1
    assert (inbox / "review" / "acme-again.pdf").exists()


def test_watch_with_recipe_books_through_the_erp_and_files(demo, chromium, secrets_env,  # noqa: F811
                                                           deskbot_home, tmp_path):
    from bots.intake import default_reader, process_folder

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ledger = tmp_path / "ap_ledger.xlsx"
    inv = make_invoice(71, "de")
    write_pdf(inv, inbox / "rechnung.pdf")
    recipe = load_recipe(ROOT / "recipes" / "invoice_intake.yaml")
    runs = []

    def book(path, result, key):
        run = Runner(recipe, home=deskbot_home, variables={"erp": demo.erp_url, "ledger": str(ledger)},
                     trigger={"type": "file", "file": str(path), "key": key, "intake": True}).run()
        runs.append(run)
        assert run.ok, run.error

    report = process_folder(inbox, reader=default_reader(None), on_ready=book, home=deskbot_home, stable_for=0)
    assert [i.outcome for i in report.items] == ["booked"], report.to_json()
    assert len(runs) == 1 and len(ledger_rows(ledger)) == 1
    assert any(i["invoice_number"] == inv.truth["invoice_number"] for i in erp_invoices(demo))
    assert list((inbox / "archive").rglob("rechnung.pdf"))
