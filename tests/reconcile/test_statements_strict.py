"""Strict about money: a garbled amount, a statement that contradicts its own balances, an XML
with a DOCTYPE, an OFX left open are refused with the file, line and column; third-party
parsers stay off the terminal."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from click.testing import CliRunner

from reconcile.lines import StatementError, UnbalancedStatement
from reconcile.statements import read_statement
from tests.conftest import ROOT

MT940 = (":20:STMT-7\n:25:DE44500105175407324931\n:28C:7/1\n:60F:C260301EUR1000,00\n"
         ":61:2603020302D{first}NTRFNONREF//B-1\n:86:?20RECHNUNG 5512?32NORDWIND GMBH\n"
         ":61:2603030303C250,00NTRFINV-88//B-2\n:86:Customer payment\n{closing}-\n")


def mt940(tmp_path, first="45,50", closing=":62F:C260303EUR1204,50\n", name="march.sta"):
    path = tmp_path / name
    path.write_text(MT940.format(first=first, closing=closing))
    return path


def test_a_letter_o_inside_an_mt940_amount_is_an_error_at_its_column(tmp_path):
    with pytest.raises(StatementError) as refused:
        read_statement(mt940(tmp_path, first="4O,50"))
    assert refused.value.line == 5 and refused.value.column == 16
    assert "'4O,50'" in str(refused.value) and "march.sta, line 5, column 16" in str(refused.value)


def test_an_mt940_statement_that_adds_up_is_read(tmp_path):
    statement = read_statement(mt940(tmp_path))
    assert list(statement.lines["amount"]) == [Decimal("-45.50"), Decimal("250.00")]
    assert statement.sections[0].balanced is True and not statement.unbalanced


def test_an_mt940_without_its_closing_balance_is_refused_then_accepted_on_request(tmp_path):
    path = mt940(tmp_path, closing="")
    with pytest.raises(UnbalancedStatement, match="no closing balance, which MT940 requires"):
        read_statement(path)
    statement = read_statement(path, allow_unbalanced=True)
    assert len(statement.lines) == 2
    assert any("UNBALANCED" in w and "closing" in w for w in statement.warnings)


def test_lines_that_do_not_reach_the_closing_balance_are_refused_with_the_gap(tmp_path):
    path = mt940(tmp_path, closing=":62F:C260303EUR1240,50\n")
    with pytest.raises(UnbalancedStatement, match=r"off by 36\.00") as refused:
        read_statement(path)
    assert refused.value.statement.total == Decimal("204.50")


def test_cli_refuses_unbalanced_with_exit_2_and_accepts_with_the_flag(tmp_path):
    from bots.cli import cli

    path = mt940(tmp_path, closing=":62F:C260303EUR1240,50\n")
    refused = CliRunner().invoke(cli, ["statement", "--json", str(path)])
    assert refused.exit_code == 2
    data = json.loads(refused.stdout)
    assert data["refused"] == "unbalanced" and data["count"] == 2 and "off by 36.00" in data["error"]
    accepted = CliRunner().invoke(cli, ["statement", "--json", "--allow-unbalanced", str(path)])
    assert accepted.exit_code == 0
    data = json.loads(accepted.stdout)
    assert data["count"] == 2 and data["unbalanced"] and any("UNBALANCED" in w for w in data["warnings"])
    text = CliRunner().invoke(cli, ["statement", "--allow-unbalanced", str(path)])
    assert text.exit_code == 0 and "UNBALANCED" in text.stdout


def test_xml_statement_with_a_doctype_is_refused(tmp_path):
    path = tmp_path / "camt.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x "boom">]>\n'
                    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
                    "<Stmt><Ntry><Amt Ccy='EUR'>&x;</Amt></Ntry></Stmt></BkToCstmrStmt></Document>\n")
    with pytest.raises(StatementError, match=r"camt\.xml, line 2: the XML has a DOCTYPE"):
        read_statement(path)


def test_ofx_without_its_ledger_balance_is_refused(tmp_path):
    path = tmp_path / "nobal.ofx"
    path.write_text("OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\n"
                    "<BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105<TRNAMT>-12.50<FITID>A1<NAME>Cafe\n"
                    "</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n")
    with pytest.raises(UnbalancedStatement, match="no closing balance, which OFX requires"):
        read_statement(path)


def test_ofx_amount_with_a_stray_letter_names_line_and_column(tmp_path):
    path = tmp_path / "typo.ofx"
    path.write_text("OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\n"
                    "<BANKTRANLIST>\n<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105<TRNAMT>-1l.50<FITID>A1</STMTTRN>\n"
                    "</BANKTRANLIST><LEDGERBAL><BALAMT>10.00<DTASOF>20260105</LEDGERBAL></STMTRS></STMTTRNRS>"
                    "</BANKMSGSRSV1></OFX>\n")
    with pytest.raises(StatementError, match=r"typo\.ofx, line 6, column 50: <TRNAMT> '-1l\.50'"):
        read_statement(path)


def test_the_mt940_librarys_complaints_never_reach_the_terminal(tmp_path):
    # a malformed available balance (:64:) makes mt-940 log its regex trace as an error
    path = mt940(tmp_path, closing=":62F:C260303EUR1204,50\n:64:C26030EUR1204,50\n")
    done = subprocess.run([sys.executable, "-m", "bots.cli", "statement", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "NORDWIND GMBH" in done.stdout


def test_reconcile_command_refuses_an_unbalanced_statement_and_accepts_it_by_rule(tmp_path):
    from bots.cli import cli

    statement = mt940(tmp_path, closing=":62F:C260303EUR1240,50\n")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("Doc No,Posting Date,Amount,Customer\nL1,2026-03-03,250.00,Customer\n", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["reconcile", "--bank", str(statement), "--ledger", str(ledger),
                                       "--out", str(tmp_path / "out")])
    assert refused.exit_code == 2 and "off by 36.00" in refused.stderr and "--allow-unbalanced" in refused.stderr
    rules = tmp_path / "rules.yaml"
    rules.write_text("allow_unbalanced: true\n", encoding="utf-8")
    accepted = CliRunner().invoke(cli, ["reconcile", "--bank", str(statement), "--ledger", str(ledger),
                                        "--out", str(tmp_path / "out"), "--rules", str(rules)])
    assert accepted.exit_code == 0, accepted.output
    assert "UNBALANCED" in accepted.stderr and "2 bank lines" in accepted.stdout
