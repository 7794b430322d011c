"""The discrepancy workbook and HTML page an operator opens: complete, formatted, and safe."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from bots.cli import cli

from reconcile.job import run_reconciliation
from reconcile.lines import make_frame

EVIL = '=HYPERLINK("http://evil.example","click")'
XSS = '<script>alert("x")</script>'


def frame(*rows):
    return make_frame([{"bank_id": r[0], "date": pd.Timestamp(r[1]).date(), "amount": Decimal(r[2]), "currency": "EUR",
                        "reference": r[3], "counterparty": r[4], "description": r[5] if len(r) > 5 else ""} for r in rows])


@pytest.fixture
def outcome(tmp_path):
    bank = frame(("b1", "2026-03-05", "1250.00", "INV-100200", "ACME GMBH", "payment"),
                 ("b2", "2026-03-06", "985.00", "INV-555001", "POLAR OY", "SEPA"),
                 ("b3", "2026-03-07", "-12.00", "", "", EVIL),
                 ("b4", "2026-03-08", "500.00", "", "", "TRANSFER"))
    ledger = frame(("l1", "2026-03-02", "1250.00", "INV-100200", "Acme GmbH"),
                   ("l2", "2026-03-05", "1000.00", "INV-555001", "Polar Oy"),
                   ("l3", "2026-03-20", "77.00", "INV-777", XSS),
                   ("l4", "2026-03-07", "500.00", "", "Alpha Ltd"), ("l5", "2026-03-07", "500.00", "", "Beta Ltd"))
    return run_reconciliation(bank, ledger, tmp_path / "out", title="March <2026>")


def test_workbook_has_every_sheet_with_the_right_rows(outcome):
    book = load_workbook(outcome.paths["workbook"])
    assert book.sheetnames == ["Summary", "Matched", "Unmatched bank", "Unmatched ledger", "Differences",
                               "Suggestions", "Duplicates", "Excluded rows"]
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Bank lines"] == 4 and summary["Unmatched bank lines"] == 2
    assert summary["Period from"] == "2026-03-05" and summary["Match rate (bank)"] == "50.00%"
    assert book["Matched"].max_row == 3 and book["Differences"].max_row == 2
    assert book["Suggestions"]["L2"].value == "confirm,b4,l4" or book["Suggestions"]["L2"].value == "confirm,b4,l5"


def test_workbook_is_formatted_for_reading(outcome):
    book = load_workbook(outcome.paths["workbook"])
    matched = book["Matched"]
    assert matched.freeze_panes == "A2" and matched.auto_filter.ref.startswith("A1:")
    header = [c.value for c in matched[1]]
    amount = matched.cell(row=2, column=header.index("bank_amount") + 1)
    assert amount.number_format == "#,##0.00" and amount.value == 1250
    assert matched.cell(row=2, column=header.index("bank_date") + 1).number_format == "yyyy-mm-dd"
    assert matched.column_dimensions["K"].width > 20  # the explanation column is fitted, not default
    rules = [r for cf in book["Differences"].conditional_formatting for r in cf.rules]
    assert rules and "<>0" in rules[0].formula[0]


def test_workbook_text_is_never_a_formula(outcome):
    book = load_workbook(outcome.paths["workbook"])
    sheet = book["Unmatched bank"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == EVIL]
    assert cells and all(c.data_type == "s" for c in cells)


def test_html_is_self_contained_escaped_and_has_a_chart(outcome):
    page = open(outcome.paths["html"], encoding="utf-8").read()
    assert "<svg" in page and "matched: reference" in page
    assert XSS not in page and "&lt;script&gt;" in page
    assert "March &lt;2026&gt;" in page
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r"<[^>]+\s(src|href)=", page)  # nothing loaded from outside
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in page  # shown as text


def test_matches_csv_and_summary_json(outcome):
    matches = pd.read_csv(outcome.paths["matches"], dtype=str)
    assert list(matches.columns[:5]) == ["bank_id", "ledger_id", "rule", "score", "group"]
    assert set(zip(matches["bank_id"], matches["ledger_id"])) == {("b1", "l1"), ("b2", "l2")}
    summary = json.load(open(outcome.paths["summary"]))
    assert summary["unmatched"] == 2 + 3 and summary["differences"] == 1
    assert summary["files"]["workbook"].endswith("discrepancies.xlsx")


def test_decisions_template_is_created_and_honoured_on_rerun(outcome, tmp_path):
    path = outcome.paths["decisions"]
    assert "action,bank_id,ledger_id,note" in open(path).read()
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("confirm,b4,l5,Beta confirmed by phone\n")
    bank = outcome.result.bank
    again = run_reconciliation(bank, outcome.result.ledger, tmp_path / "out")
    assert ("b4", "l5") in set(zip(again.result.matches["bank_id"], again.result.matches["ledger_id"]))
    assert again.summary["suggestions"] == 0


def test_cli_reconcile_writes_the_four_files(tmp_path):
    bank = tmp_path / "bank.csv"
    bank.write_text("Date,Description,Reference,Counterparty,Amount,Currency\n"
                    "2026-03-05,Payment,INV-100200,ACME GMBH,1250.00,EUR\n2026-03-06,Fee,,,-5.00,EUR\n", encoding="utf-8")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("Entry,Date,Description,Reference,Counterparty,Debit,Credit,Currency\n"
                      "JE-1,2026-03-02,Invoice,INV-100200,Acme GmbH,1250.00,,EUR\n", encoding="utf-8")
    out = tmp_path / "out"
    done = CliRunner().invoke(cli, ["reconcile", "--bank", str(bank), "--ledger", str(ledger), "--out", str(out), "--json"])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert summary["matches"] == 1 and summary["unmatched_bank"] == 1
    for name in ("matches.csv", "summary.json", "discrepancies.xlsx", "discrepancies.html"):
        assert (out / name).is_file()
    bad = CliRunner().invoke(cli, ["reconcile", "--bank", str(tmp_path / "none.csv"), "--ledger", str(ledger),
                                   "--out", str(out)])
    assert bad.exit_code == 2 and "none.csv" in bad.stderr and "Traceback" not in bad.output


def test_reconcile_step_in_a_recipe(run_recipe, tmp_path):
    bank = tmp_path / "bank.csv"
    bank.write_text("Date,Description,Reference,Counterparty,Amount,Currency\n"
                    "2026-03-05,Payment,INV-100200,ACME GMBH,1250.00,EUR\n", encoding="utf-8")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("Entry,Date,Reference,Counterparty,Debit,Credit,Currency\n"
                      "JE-1,2026-03-02,INV-100200,Acme GmbH,1250.00,,EUR\nJE-2,2026-03-03,INV-9,Beta,,40.00,EUR\n",
                      encoding="utf-8")
    result = run_recipe(f"""
        name: recon-step
        steps:
          - id: recon
            reconcile: {{bank: "{bank}", ledger: "{ledger}"}}
          - id: check
            set: {{open: "{{{{ steps.recon.summary.unmatched }}}}", report: "{{{{ steps.recon.report }}}}"}}
    """)
    assert result.ok, result.error
    assert result.outputs["check"]["open"] == 1
    assert result.outputs["check"]["report"].endswith("discrepancies.xlsx")
    assert any(a["path"].endswith("discrepancies.html") for a in result.artifacts)


def test_reconcile_step_bad_ledger_is_an_input_error(run_recipe, tmp_path):
    bank = tmp_path / "bank.csv"
    bank.write_text("Date,Amount\n2026-03-05,1.00\n", encoding="utf-8")
    result = run_recipe(f"""
        name: recon-bad
        steps:
          - reconcile: {{bank: "{bank}", ledger: "{tmp_path / 'missing.xlsx'}"}}
    """)
    assert not result.ok and result.error_type == "InputError" and "missing.xlsx" in result.error


def test_same_statement_given_twice_is_reported_as_duplicates_not_matched_twice(tmp_path):
    bank = tmp_path / "bank.csv"
    bank.write_text("Date,Description,Reference,Counterparty,Amount\n"
                    "2026-03-05,Payment,INV-100200,ACME GMBH,1250.00\n2026-03-05,Coffee,,,-3.50\n"
                    "2026-03-05,Coffee,,,-3.50\n", encoding="utf-8")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("Entry,Date,Reference,Counterparty,Debit,Credit\nJE-1,2026-03-02,INV-100200,Acme GmbH,1250.00,\n",
                      encoding="utf-8")
    outcome = run_reconciliation([bank, bank], ledger, tmp_path / "out")
    s = outcome.summary
    assert s["bank_lines"] == 6 and s["duplicates"] == 3 and s["matches"] == 1
    assert s["unmatched_bank"] == 2  # the two genuine coffees stay two lines


def test_ledger_with_a_bad_amount_names_row_and_column(tmp_path):
    from reconcile.ledger import LedgerError, load_ledger

    ledger = tmp_path / "ledger.csv"
    ledger.write_text("Entry,Date,Amount\nJE-1,2026-03-02,100.00\nJE-2,2026-03-03,lots\n", encoding="utf-8")
    with pytest.raises(LedgerError, match=r"ledger\.csv.*row 3.*'Amount'"):
        load_ledger(ledger)


def test_rules_per_bank_apply_to_the_detected_profile(tmp_path):
    bank = tmp_path / "bank.csv"
    bank.write_text("Date,Value Date,Description,Reference,Counterparty,Amount,Currency,Balance\n"
                    "2026-03-14,2026-03-14,TRF,,ACME,70.00,EUR,70.00\n", encoding="utf-8")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("Entry,Date,Counterparty,Debit,Credit,Currency\nJE-1,2026-03-02,Acme,70.00,,EUR\n", encoding="utf-8")
    assert run_reconciliation(bank, ledger, tmp_path / "a").summary["matches"] == 0  # 12 days: outside the windows
    rules = {"banks": {"demo_bank": {"wide_window": {"after": 14}}}}
    assert run_reconciliation(bank, ledger, tmp_path / "b", rules=rules).summary["matches"] == 1
