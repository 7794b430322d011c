"""Approving an invoice in review books it through the folder's recipe, as the watcher books a
ready one: the shipped recipes/invoice_intake.yaml against the demo ERP in real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from bots import review
from bots.recipe import load_recipe
from bots.runner import Runner
from tests.browser.conftest import chromium, demo, secrets_env  # noqa: F401  (fixtures)
from tests.conftest import ROOT
from tests.vision.corpus import make_invoice, write_pdf

pytestmark = pytest.mark.browser


def test_approved_correction_is_booked_in_erp_and_ledger_once_and_archived(demo, chromium, secrets_env,  # noqa: F811
                                                                          deskbot_home, tmp_path):
    demo.erp_app.test_client().get("/_demo/reset")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ledger = tmp_path / "ap_ledger.xlsx"
    text = (ROOT / "recipes" / "invoice_intake.yaml").read_text(encoding="utf-8")
    text = text.replace('erp: "{{ settings.erp.url }}"', f'erp: "{demo.erp_url}"')
    text = text.replace("ledger: data/ap_ledger.xlsx", f"ledger: {ledger}")
    recipe_path = tmp_path / "invoice_intake.yaml"
    recipe_path.write_text(text, encoding="utf-8")

    misprint = make_invoice(62, "stacked", wrong_total=True)  # total printed 10.00 above net + tax
    path = write_pdf(misprint, inbox / "wrong.pdf")
    run = Runner(load_recipe(recipe_path), home=deskbot_home,
                 trigger={"type": "file", "file": str(path), "name": path.name}).run()
    assert run.ok, run.error
    (item,) = review.list_reviews(home=deskbot_home)
    assert item["recipe"] == str(recipe_path.resolve()) and not ledger.exists()

    truth = misprint.truth
    decision = review.approve(item["id"], {"amount": str(truth["amount"])}, actor="alice", home=deskbot_home,
                              templates_dir=tmp_path / "templates")
    assert decision.booking["run_id"] and Path(decision.dest).exists() and "archive" in decision.dest
    sheet = load_workbook(ledger)["AP"]
    rows = list(sheet.iter_rows(values_only=True))
    (row,) = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert float(row["Total amount"]) == float(truth["amount"]) and row["Invoice number"] == truth["invoice_number"]
    entered = [i for i in demo.erp_app.test_client().get("/_demo/invoices").json
               if i["invoice_number"] == truth["invoice_number"]]
    assert len(entered) == 1 and entered[0]["total_amount"] == f"{truth['amount']:.2f}"
    # the corrected total is printed nowhere on the page: booked, and said to be not learned
    assert "amount" in decision.learned["skipped"]

    with pytest.raises(review.ReviewRefused, match="already approved"):
        review.approve(item["id"], actor="bob", home=deskbot_home)
    assert len(list(load_workbook(ledger)["AP"].iter_rows())) == 2
