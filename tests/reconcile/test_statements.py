"""Every real statement in ../shared/samples/bank parses with the right count and total,
cross-checked against the statement's own balances where the file is consistent."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from reconcile.lines import StatementError, UnbalancedStatement
from reconcile.statements import read_statement
from tests.conftest import SAMPLES

BANK = SAMPLES / "bank"
needs_samples = pytest.mark.skipif(not BANK.is_dir(), reason=f"{BANK} is absent: the real statements are not in "
                                   "this checkout (see ../shared/samples/bank/README.md)")

# file, format, lines, total, balances: True = every section adds up, None = no balances given,
# False = the upstream file itself does not add up: refused unless allow_unbalanced, which reads
# it with a warning (the upstream test files carry made-up balances)
CASES = [
    ("oca-bank-statement-import/camt/test-camt053", "camt.053", 4, "-12.99", False),
    ("oca-bank-statement-import/camt/test-camt053-bookgdt-dttm", "camt.053", 1, "-754.25", False),
    ("oca-bank-statement-import/camt/test-camt054", "camt.054", 1, "5.00", None),
    ("oca-bank-statement-import/mt940/test-rabo.swi", "MT940", 2, "365.39", True),
    ("oca-bank-statement-import/ofx/test_ofx_iban.ofx", "OFX", 4, "-360", None),
    ("oca-bank-statement-import/sheet/sample_statement_en.csv", "table", 2, "1491.50", None),
    ("oca-bank-statement-import/sheet/sample_statement_en.xlsx", "table", 2, "1491.50", None),
    ("oca-bank-statement-import/sheet/multi_currency.csv", "table", 2, "1491.50", None),
    ("oca-bank-statement-import/paypal/statement_en.csv", "table", 26, "280.30", True),
    ("wolph-mt940/jejik/abnamro.sta", "MT940", 10, "-345.93", False),
    ("wolph-mt940/jejik/rabobank-iban.sta", "MT940", 4, "-70.00", True),
    ("wolph-mt940/betterplace/sepa_mt9401.sta", "MT940", 97, "-9269135.90", True),
    ("wolph-mt940/sberbank/171011_01234945.sta", "MT940", 3, "-9437.00", True),
    ("wolph-mt940/mBank/mt942.sta", "MT942", 3, "0.03", None),
    ("ofxtools/stmtrs.ofx", "OFX", 2, "-500.00", None),
    ("ofxtools/stmtrs_euro.ofx", "OFX", 2, "-500.00", None),
    ("ofxparse/bank_medium.ofx", "OFX", 3, "-345.27", None),
    ("ofxparse/suncorp.ofx", "OFX", 1, "-16.85", None),
    ("double-entry-generator-cn/icbc/example-icbc-debit-v2-records.csv", "table", 11, "-1399.34", None),
    ("double-entry-generator-cn/cmb/example-cmb-records.csv", "table", 5, "-779.14", False),
    ("double-entry-generator-cn/spdb/example-spdb_debit-records.xls", "table", 4, "-1.64", True),
    ("double-entry-generator-cn/wechat/example-wechat-records.xlsx", "table", 16, "-2876.04", None),
]


@needs_samples
def test_every_sample_is_covered():
    files = {str(p.relative_to(BANK)) for p in BANK.rglob("*") if p.is_file() and p.name not in ("LICENSE", "README.md")}
    assert files == {c[0] for c in CASES}


@needs_samples
@pytest.mark.parametrize("name, kind, count, total, balanced", CASES, ids=[c[0].split("/")[-1] for c in CASES])
def test_sample_statement_count_and_total(name, kind, count, total, balanced):
    if balanced is False:
        with pytest.raises(UnbalancedStatement, match="does not add up|running balance") as refused:
            read_statement(BANK / name)
        assert refused.value.statement.total == Decimal(total)
    statement = read_statement(BANK / name, allow_unbalanced=balanced is False)
    assert bool(statement.unbalanced) == (balanced is False)
    lines = statement.lines
    assert statement.format == kind
    assert len(lines) == count
    assert sum(lines["amount"], Decimal(0)) == Decimal(total)
    assert list(lines.columns) == ["id", "date", "amount", "currency", "description", "reference", "counterparty"]
    assert lines["id"].is_unique
    assert all(isinstance(a, Decimal) for a in lines["amount"])
    states = {s.balanced for s in statement.sections if s.opening is not None or s.closing is not None}
    if balanced is True:
        assert states == {True}
    elif balanced is None:
        assert all(s.balanced is None for s in statement.sections)
    else:
        assert False in states


@needs_samples
def test_camt053_batch_entry_is_split_into_its_transaction_details():
    lines = read_statement(BANK / "oca-bank-statement-import/camt/test-camt053", allow_unbalanced=True).lines
    batch = lines[lines["description"] == "Direct Debit S14 0410"]
    assert sorted(batch["amount"]) == [Decimal("-564.05"), Decimal("-100.00")]
    assert set(batch["counterparty"]) == {"Test Customer"}


@needs_samples
def test_camt_booking_date_given_as_datetime():
    lines = read_statement(BANK / "oca-bank-statement-import/camt/test-camt053-bookgdt-dttm", allow_unbalanced=True).lines
    assert lines["date"].iloc[0].strftime("%Y-%m-%d") == "2014-01-04"


@needs_samples
def test_mt940_german_sepa_subfields_give_purpose_and_name():
    lines = read_statement(BANK / "wolph-mt940/betterplace/sepa_mt9401.sta").lines
    assert (lines["counterparty"] != "").sum() > 50
    assert not lines["description"].str.contains(r"\?2\d").any()


@needs_samples
def test_mt940_rabobank_structured_86_gives_name_and_remittance():
    lines = read_statement(BANK / "wolph-mt940/jejik/rabobank-iban.sta").lines
    john = lines[lines["counterparty"] == "JOHN DOE"]
    assert list(john["description"]) == ["Reference 201301234"] * 2


@needs_samples
def test_mt940_hard_wrapped_86_lines_are_joined():
    lines = read_statement(BANK / "wolph-mt940/jejik/abnamro.sta", allow_unbalanced=True).lines
    assert "BETREFT FACTUUR D.D. 20-05-2011 INCL. 1,44 BTW" in lines["description"].iloc[0]


@needs_samples
def test_ofx_out_of_order_elements_that_ofxtools_rejects():
    statement = read_statement(BANK / "oca-bank-statement-import/ofx/test_ofx_iban.ofx")
    assert list(statement.lines["counterparty"]) == ["Agrolait", "China Export", "Axelor Scuba", "China Scuba"]
    assert list(statement.lines["id"]) == ["219378", "219379", "219380", "219381"]


def test_ofx_transaction_left_open_is_refused_naming_its_line(tmp_path):
    broken = tmp_path / "broken.ofx"
    broken.write_text("OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\n"
                      "<BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105<TRNAMT>-12,50<FITID>A1<NAME>Cafe\n"
                      "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260106120000<TRNAMT>100.00<FITID>A2<MEMO>INV-77\n")
    with pytest.raises(StatementError, match=r"broken\.ofx, line 5: <STMTTRN> opened here is never closed"):
        read_statement(broken)


def test_ofx_sgml_with_unclosed_leaves_and_odd_header_reads_leniently(tmp_path):
    odd = tmp_path / "odd.ofx"
    odd.write_text("OFXHEADER:100\nDATA:OFXSGML\nVERSION:999\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\n"
                   "<BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105<TRNAMT>-12,50<FITID>A1<NAME>Cafe\n</STMTTRN>"
                   "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260106120000<TRNAMT>100.00<FITID>A2<MEMO>INV-77\n</STMTTRN>"
                   "</BANKTRANLIST><LEDGERBAL><BALAMT>87,50<DTASOF>20260106</LEDGERBAL></STMTRS></STMTTRNRS>"
                   "</BANKMSGSRSV1></OFX>\n")
    statement = read_statement(odd)
    assert list(statement.lines["amount"]) == [Decimal("-12.50"), Decimal("100.00")]
    assert list(statement.lines["id"]) == ["A1", "A2"]


@needs_samples
def test_paypal_gross_and_fee_become_separate_lines():
    lines = read_statement(BANK / "oca-bank-statement-import/paypal/statement_en.csv").lines
    fee = lines[lines["id"] == "TID9/fee"]
    gross = lines[lines["id"] == "TID9"]
    assert gross["amount"].iloc[0] == Decimal("1309.80") and fee["amount"].iloc[0] == Decimal("-48.76")
    assert gross["reference"].iloc[0] == "361"


@needs_samples
def test_wechat_neutral_rows_are_reported_not_silently_dropped():
    statement = read_statement(BANK / "double-entry-generator-cn/wechat/example-wechat-records.xlsx")
    assert len(statement.excluded) == 11
    assert all("neither income nor expense" in e.reason for e in statement.excluded)
    assert {e.description for e in statement.excluded} >= {"零钱提现", "信用卡还款"}
    assert (statement.lines["currency"] == "CNY").all()


@needs_samples
def test_icbc_split_columns_and_currency_names():
    lines = read_statement(BANK / "double-entry-generator-cn/icbc/example-icbc-debit-v2-records.csv").lines
    assert lines["amount"].iloc[0] == Decimal("-13.40")
    assert set(lines["currency"]) == {"CNY"}
    assert lines["counterparty"].iloc[0] == "深圳市财付通支付科技有限公司"


def test_detected_columns_without_a_profile(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Booking date,Text,Money in,Money out,Payee\n2026-01-02,Rent,,1200.00,Landlord\n"
                    "2026-01-03,Sale,250.00,,ACME\n", encoding="utf-8")
    lines = read_statement(path).lines
    assert list(lines["amount"]) == [Decimal("-1200.00"), Decimal("250.00")]
    assert list(lines["counterparty"]) == ["Landlord", "ACME"]


def test_unreadable_statement_names_file_and_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Date,Amount,Description\n2026-01-02,12.00,ok\n2026-01-03,twelve,bad\n", encoding="utf-8")
    with pytest.raises(StatementError, match=r"bad\.csv.*row 3.*Amount"):
        read_statement(path)


def test_mt940_bad_61_line_names_the_line(tmp_path):
    path = tmp_path / "bad.sta"
    path.write_text(":20:X\n:25:NL01\n:60F:C260101EUR100,00\n:61:26010X\n:62F:C260101EUR100,00\n")
    with pytest.raises(StatementError, match=r"bad\.sta, line 4"):
        read_statement(path)


def test_statement_ids_are_stable_and_tell_identical_lines_apart(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("Date,Amount,Description\n2026-01-02,-3.50,COFFEE\n2026-01-02,-3.50,COFFEE\n", encoding="utf-8")
    first = read_statement(path).lines["id"].tolist()
    again = read_statement(path).lines["id"].tolist()
    assert first == again and len(set(first)) == 2


@needs_samples
def test_cli_statement_json_and_exit_codes(tmp_path):
    from click.testing import CliRunner

    from bots.cli import cli

    ok = CliRunner().invoke(cli, ["statement", "--json", str(BANK / "ofxtools/stmtrs_euro.ofx")])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.stdout)
    assert data["count"] == 2 and data["total"] == "-500.00"
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    fail = CliRunner().invoke(cli, ["statement", str(bad)])
    assert fail.exit_code == 2
    assert "x.csv" in fail.stderr and isinstance(fail.exception, SystemExit)


def test_a_bank_id_exported_twice_keeps_its_id_and_a_reused_placeholder_id_does_not(tmp_path):
    path = tmp_path / "overlap.csv"
    path.write_text("Transaction ID,Date,Amount,Description\nT1,2026-01-02,-3.50,COFFEE\nT2,2026-01-03,10.00,SALE\n"
                    "T1,2026-01-02,-3.50,COFFEE\nT2,2026-01-04,12.00,OTHER SALE\n", encoding="utf-8")
    assert read_statement(path).lines["id"].tolist() == ["T1", "T2", "T1", "T2/2"]


def test_mt940_in_a_swift_envelope_with_crlf(tmp_path):
    path = tmp_path / "env.sta"
    path.write_bytes(b"{1:F01TESTBANKAXXX0000000000}{2:I940TESTBANKXXXXN}{4:\r\n:20:STMT1\r\n:25:DE00123\r\n"
                     b":28C:1/1\r\n:60F:C260101EUR1000,00\r\n:61:2601020102D12,50NTRFNONREF//B1\r\n"
                     b":86:?20EREF+INV-2026-0042?21Rechnung?32ACME GMBH\r\n:61:2601030103C100,NTRFREF-9\r\n"
                     b":86:Customer payment\r\n:62F:C260103EUR1087,50\r\n-}\r\n")
    statement = read_statement(path)
    lines = statement.lines
    assert list(lines["amount"]) == [Decimal("-12.50"), Decimal("100")]
    assert lines["counterparty"].iloc[0] == "ACME GMBH" and lines["reference"].iloc[0] == "INV-2026-0042"
    assert lines["id"].iloc[0] == "B1" and lines["reference"].iloc[1] == "REF-9"
    assert statement.sections[0].balanced is True


@needs_samples
def test_statement_read_step_gives_lines_to_later_steps(run_recipe):
    result = run_recipe(f"""
        name: statement-step
        steps:
          - id: statement
            statement.read: "{BANK / 'wolph-mt940/jejik/rabobank-iban.sta'}"
          - id: first
            set: {{counterparty: "{{{{ steps.statement.rows[1].counterparty }}}}", n: "{{{{ steps.statement.count }}}}"}}
    """)
    assert result.ok, result.error
    assert result.outputs["first"]["counterparty"] == "JOHN DOE" and result.outputs["first"]["n"] == 4


def test_statement_read_step_unreadable_file_is_an_input_error(run_recipe, tmp_path):
    bad = tmp_path / "x.sta"
    bad.write_text(":20:X\n:61:nonsense\n")
    result = run_recipe(f"""
        name: statement-bad
        steps:
          - statement.read: "{bad}"
    """)
    assert not result.ok and result.error_type == "InputError" and "x.sta, line 2" in result.error


TABLES = [c for c in CASES if c[1] == "table"]


@needs_samples
@pytest.mark.parametrize("name, kind, count, total, balanced", TABLES, ids=[c[0].split("/")[-1] for c in TABLES])
def test_sample_tables_read_the_same_without_any_bank_profile(name, kind, count, total, balanced, tmp_path):
    # the bank profiles are a convenience: with only the shared rules the reader must still get
    # every real export right, as it must for exports nobody wrote a profile for
    from reconcile.statements import check_balances, tabular

    (tmp_path / "_common.yaml").write_bytes((tabular.PROFILE_DIR / "_common.yaml").read_bytes())
    statement = check_balances(tabular.read(BANK / name, None, tmp_path), allow_unbalanced=balanced is False)
    assert statement.parser == "profile:detected"
    assert len(statement.lines) == count
    assert statement.total == Decimal(total)
