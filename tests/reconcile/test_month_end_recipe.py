"""The shipped recipe recipes/month_end_reconciliation.yaml end to end: real Chromium signs in
to the demo bank portal (password + one-time code) and the demo ERP, downloads last month's
statement and cash ledger, reconciles them and emails the report (to the outbox: no SMTP)."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bots.recipe import load_recipe
from bots.runner import Runner
from demo import sample_data
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SECRETS = {"BANK_USER": "demo", "BANK_PASSWORD": "demo-password", "BANK_TOTP_SEED": "JBSWY3DPEHPK3PXP",
           "ERP_USER": "demo", "ERP_PASSWORD": "demo-password"}


@pytest.fixture(scope="module")
def demo():
    from bots.browser import CHROMIUM
    from demo.server import start_demo_servers

    why = CHROMIUM.check()
    if why:
        pytest.skip(f"needs {why}")
    servers = start_demo_servers(bank_config={"DEMO_SPINNER_MS": 0})
    yield servers
    servers.stop()


def test_month_end_recipe_reconciles_last_month_and_emails_the_report(demo, deskbot_home, monkeypatch):
    for key, value in SECRETS.items():
        monkeypatch.setenv(key, value)
    recipe = load_recipe(ROOT / "recipes" / "month_end_reconciliation.yaml")
    decisions = deskbot_home / "decisions.csv"
    result = Runner(recipe, home=deskbot_home, variables={"bank_url": demo.bank_url, "erp_url": demo.erp_url,
                                                          "decisions": str(decisions)}).run()
    assert result.ok, result.error

    start, end = sample_data.last_month()
    expected = {d["kind"]: d for d in sample_data.discrepancies(start.year, start.month)}
    out = result.run_dir / "reconciliation"
    summary = json.loads((out / "summary.json").read_text())
    # the month's deliberate differences, and nothing else, are what the operator sees
    assert summary["bank_lines"] == summary["ledger_lines"] == 27
    assert summary["unmatched_bank"] == 1 and summary["unmatched_ledger"] == 1
    assert summary["differences"] == 1 and summary["suggestions"] == 0
    book = load_workbook(out / "discrepancies.xlsx")
    bank_open = [r for r in book["Unmatched bank"].iter_rows(min_row=2, values_only=True)]
    ledger_open = [r for r in book["Unmatched ledger"].iter_rows(min_row=2, values_only=True)]
    assert bank_open[0][4] == expected["bank_only"]["description"]
    assert ledger_open[0][5] == expected["ledger_only"]["reference"]
    diff = [r for r in book["Differences"].iter_rows(min_row=2, values_only=True)]
    swapped = expected["amount"]
    assert len(diff) == 1 and str(abs(float(diff[0][4]))) == str(abs(float(swapped["bank_amount"]) - float(swapped["ledger_amount"])))

    # the email with both reports waits in the outbox (no SMTP server in tests)
    messages = list((deskbot_home / "outbox").glob("*.eml"))
    assert len(messages) == 1
    message = email.message_from_bytes(messages[0].read_bytes(), policy=policy.default)
    assert f"Bank reconciliation {start:%Y-%m}: 2 open items, 1 differences" == message["Subject"]
    names = sorted(part.get_filename() for part in message.iter_attachments())
    assert names == ["discrepancies.html", "discrepancies.xlsx"]
    # secrets never reach the history, the report or the mail
    page = (out / "discrepancies.html").read_text()
    for secret in ("demo-password", "JBSWY3DPEHPK3PXP"):
        assert secret not in str(result.to_json()) and secret not in page and secret not in messages[0].read_text(errors="ignore")


def test_operator_decision_is_honoured_when_an_earlier_month_is_run_again(demo, deskbot_home, monkeypatch):
    """The operator's workflow: decide about an open line, then re-run a chosen month."""
    from datetime import date

    for key, value in SECRETS.items():
        monkeypatch.setenv(key, value)
    start, _ = sample_data.last_month()
    earlier = date(start.year - (start.month == 1), (start.month - 2) % 12 + 1, 1)
    period = f"{earlier:%Y-%m}"
    decisions = deskbot_home / "decisions.csv"
    recipe = load_recipe(ROOT / "recipes" / "month_end_reconciliation.yaml")

    def run():
        result = Runner(recipe, home=deskbot_home, variables={
            "bank_url": demo.bank_url, "erp_url": demo.erp_url, "decisions": str(decisions), "period": period}).run()
        assert result.ok, result.error
        return json.loads((result.run_dir / "reconciliation" / "summary.json").read_text())

    first = run()
    assert first["bank_lines"] > 0 and first["unmatched_bank"] >= 1
    assert str(earlier) in json.dumps(first)            # the month asked for, not last month
    book = load_workbook(Path(deskbot_home / "runs").glob("*/reconciliation/discrepancies.xlsx").__next__())
    open_bank_id = next(book["Unmatched bank"].iter_rows(min_row=2, values_only=True))[0]
    with decisions.open("a", encoding="utf-8") as fh:
        fh.write(f"ignore,{open_bank_id},,fee booked in the fee account\n")
    second = run()
    assert second["unmatched_bank"] == first["unmatched_bank"] - 1
