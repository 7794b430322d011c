"""The sheet.* and table.* steps inside real recipe runs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from tests.conftest import SAMPLES

CMB = SAMPLES / "bank" / "double-entry-generator-cn" / "cmb" / "example-cmb-records.csv"
SPDB = SAMPLES / "bank" / "double-entry-generator-cn" / "spdb" / "example-spdb_debit-records.xls"


def outputs(result, step_id):
    assert result.status == "ok", result.error
    return result.outputs[step_id]


def test_read_gives_rows_for_for_each_and_a_table(run_recipe):
    result = run_recipe(f"""
        name: read
        steps:
          - id: cmb
            sheet.read: {{path: "{CMB}"}}
          - id: seen
            set: {{dates: "{{{{ steps.cmb.rows | map(attribute='记账日期') | list }}}}"}}
          - log: "{{{{ row.交易摘要 }}}} {{{{ row.交易金额 }}}}"
            for_each: "{{{{ steps.cmb.rows }}}}"
            as: row
    """)
    out = outputs(result, "cmb")
    assert out["count"] == 5 and out["path"] == str(CMB) and out["header_row"] == 1
    assert isinstance(out["table"], pd.DataFrame) and out["columns"][0] == "记账日期"
    assert out["rows"][0]["交易金额"] == Decimal("1234.00")
    assert outputs(result, "seen")["dates"][0] == date(2024, 1, 1)
    assert any("代发住房公积金 1234.00" in line for line in result.log_tail)


def test_read_bad_cell_fails_with_location_and_no_retry(run_recipe, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,amount\n2024-03-01,1.00\n2024-03-02,n/a?\n", encoding="utf-8")
    result = run_recipe(f"""
        name: bad
        steps:
          - sheet.read: {{path: "{bad}", types: {{amount: amount}}}}
            retry: {{attempts: 3, delay: 0s}}
    """)
    assert result.status == "failed" and result.error_type == "InputError"
    assert "bad.csv, row 3, column amount:" in result.error and "expected an amount" in result.error
    assert len(result.steps) == 1  # an input error is not retried


def test_split_debit_credit_via_step(run_recipe):
    result = run_recipe(f"""
        name: spdb
        steps:
          - id: spdb
            sheet.read:
              path: "{SPDB}"
              columns: {{交易日期: date, 存入金额: credit, 取出金额: debit, 交易对手账号: account}}
              debit_credit: {{debit: debit, credit: credit, into: amount}}
    """)
    out = outputs(result, "spdb")
    assert [r["amount"] for r in out["rows"]] == [Decimal("-3.88"), Decimal("10.00"), Decimal("-3.88"), Decimal("-3.88")]


def test_filter_compute_sort_select_write_read_back(run_recipe, tmp_path):
    target = tmp_path / "out" / "report.xlsx"
    result = run_recipe(f"""
        name: pipeline
        vars:
          limit: 500
        steps:
          - id: cmb
            sheet.read: {{path: "{CMB}"}}
          - id: out
            table.filter: {{table: "{{{{ steps.cmb.table }}}}", where: "交易金额 < 0 and -交易金额 > vars.limit"}}
          - id: net
            table.compute:
              table: "{{{{ steps.out.table }}}}"
              columns: {{fee: "row.交易金额 * 0.01 | round_money", label: "row.交易摘要 ~ '#' ~ loop_free", up: "row.货币 | lower"}}
            continue_on_error: true
          - id: net2
            table.compute:
              table: "{{{{ steps.out.table }}}}"
              columns: {{double: "row.交易金额 * 2", month: "row.记账日期 | format_date('%Y-%m')"}}
          - id: sorted
            table.sort: {{table: "{{{{ steps.net2.table }}}}", by: ["-联机余额"]}}
          - id: slim
            table.select: {{table: "{{{{ steps.sorted.table }}}}", columns: {{记账日期: date, double: amount, month: month, 对手信息: who}}}}
          - id: written
            sheet.write: {{path: "{target}", table: "{{{{ steps.slim.table }}}}", sheet: 支出, mask: [who]}}
          - id: back
            sheet.read: {{path: "{{{{ steps.written.path }}}}", sheet: 支出}}
    """)
    assert outputs(result, "out")["count"] == 2 and outputs(result, "out")["removed"] == 3
    assert outputs(result, "net")["failed"] is True  # unknown name loop_free, reported not ignored
    assert "loop_free" in outputs(result, "net")["error"]
    back = outputs(result, "back")["rows"]
    assert [r["amount"] for r in back] == [Decimal("-2000"), Decimal("-2000")]
    assert back[0]["date"] == date(2024, 1, 1) and back[0]["month"] == "2024-01"  # sorted by balance, descending
    assert back[0]["who"] == "张三 6*********6666" and back[1]["who"] is None
    assert {"kind": "workbook", "path": str(target)} in result.artifacts


def test_filter_row_by_row_fallback_names_failing_row(run_recipe, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("name,amount\nA,1.50\nB,x\n", encoding="utf-8")
    result = run_recipe(f"""
        name: mixed
        steps:
          - id: t
            sheet.read: {{path: "{path}"}}
          - table.filter: {{table: "{{{{ steps.t.table }}}}", where: "row.amount + 1 > 2"}}
    """)
    assert result.status == "failed" and "row 2" in result.error and "row.amount + 1" in result.error


def test_whole_column_and_row_by_row_evaluation_agree(tmp_path):
    from bots.steps.table import RowExpression

    frame = pd.DataFrame({"amount": pd.Series([Decimal("5"), None, Decimal("-7.5"), Decimal("100")], dtype=object),
                          "memo": pd.Series(["工资 March", None, "refund", "工资"], dtype="str"),
                          "cur": pd.Series(["CNY", "USD", "CNY", "EUR"], dtype="str")})
    frame.index = pd.Index([2, 3, 4, 5], name="row")
    scope = {"vars": {"limit": 1}}
    for source in ["amount > vars.limit", "cur in ['CNY', 'EUR'] and not amount < 0", "'工资' in memo",
                   "row.cur == 'USD' or amount == 5", "-amount >= 7.5 * 1", "amount != 5", "0 < amount < 50",
                   "amount * 1.13", "(amount or 0) + 1", "memo ~ '/' ~ cur", "row['cur'] not in ['EUR']"]:
        expr = RowExpression(source, "test")
        fast = expr.evaluate(frame, scope)
        slow = expr.per_row(frame, scope)
        assert [None if v is None else v for v in fast.tolist()] == slow, source
    assert RowExpression("amount * 1.13", "t").evaluate(frame, scope).tolist()[0] == Decimal("5.65")  # exact


def test_dedupe_group_pivot_join(run_recipe):
    result = run_recipe("""
        name: tables
        steps:
          - id: ledger
            set:
              rows:
                - {ref: "A1", acct: "1001", cur: CNY, amount: "{{ '10.10' | decimal }}"}
                - {ref: "A1 ", acct: "1001", cur: CNY, amount: "{{ '10.10' | decimal }}"}
                - {ref: "A2", acct: "1001", cur: USD, amount: "{{ '5.05' | decimal }}"}
                - {ref: "A3", acct: "2002", cur: CNY, amount: "{{ '-1.01' | decimal }}"}
                - {ref: "A4", acct: "2002", cur: CNY, amount: "{{ '2.02' | decimal }}"}
              bank:
                - {reference: "A1", paid: "{{ '10.10' | decimal }}"}
                - {reference: "A3", paid: "{{ '-1.01' | decimal }}"}
                - {reference: "Z9", paid: "{{ '9.99' | decimal }}"}
          - id: unique
            table.dedupe: {table: "{{ steps.ledger.rows }}", by: [ref]}
          - id: totals
            table.group: {table: "{{ steps.unique.table }}", by: [acct], aggregate: {total: "sum(amount)", n: "count()", top: "max(amount)"}}
          - id: pivot
            table.pivot: {table: "{{ steps.unique.table }}", index: [acct], columns: cur, values: amount, fill: 0}
          - id: joined
            table.join: {left: "{{ steps.unique.table }}", right: "{{ steps.ledger.bank }}", left_on: [ref], right_on: [reference], how: left}
          - id: inner
            table.join: {left: "{{ steps.unique.rows }}", right: "{{ steps.ledger.bank }}", left_on: ref, right_on: reference}
    """)
    unique = outputs(result, "unique")
    assert unique["count"] == 4 and unique["removed"] == 1 and unique["duplicates"][0]["ref"] == "A1 "
    totals = {r["acct"]: r for r in outputs(result, "totals")["rows"]}
    assert totals["1001"]["total"] == Decimal("15.15") and totals["2002"]["total"] == Decimal("1.01")
    assert totals["2002"]["n"] == 2 and totals["2002"]["top"] == Decimal("2.02")
    pivot = {r["acct"]: r for r in outputs(result, "pivot")["rows"]}
    assert pivot["1001"] == {"acct": "1001", "CNY": Decimal("10.10"), "USD": Decimal("5.05")}
    assert pivot["2002"]["USD"] == Decimal(0)
    joined = outputs(result, "joined")
    assert joined["count"] == 4 and joined["unmatched_left_count"] == 2 and joined["unmatched_right_count"] == 1
    assert joined["unmatched_right"] == [{"reference": "Z9", "paid": Decimal("9.99")}]
    assert {r["ref"]: r["paid"] for r in joined["rows"]}["A1"] == Decimal("10.10")
    assert outputs(result, "inner")["count"] == 2


def test_join_on_keys_of_different_kinds_is_an_error(run_recipe):
    result = run_recipe("""
        name: kinds
        steps:
          - id: d
            set: {a: [{id: 1, x: 1}], b: [{id: "1", y: 2}]}
          - table.join: {left: "{{ steps.d.a }}", right: "{{ steps.d.b }}", on: id}
    """)
    assert result.status == "failed" and "holds numbers on the left but 'id' holds text" in result.error


def test_unknown_column_says_did_you_mean(run_recipe):
    result = run_recipe(f"""
        name: typo
        steps:
          - id: cmb
            sheet.read: {{path: "{CMB}"}}
          - table.sort: {{table: "{{{{ steps.cmb.table }}}}", by: [交易金]}}
    """)
    assert result.status == "failed" and "did you mean '交易金额'" in result.error


def test_append_step_twice_never_duplicates(run_recipe, tmp_path):
    target = tmp_path / "archive.xlsx"
    recipe = f"""
        name: append
        steps:
          - id: cmb
            sheet.read: {{path: "{CMB}"}}
          - id: add
            sheet.append: {{path: "{target}", sheet: Archive, table: "{{{{ steps.cmb.table }}}}", key: [记账日期, 交易金额, 联机余额]}}
    """
    first = outputs(run_recipe(recipe), "add")
    second = outputs(run_recipe(recipe), "add")
    assert (first["appended"], first["skipped"]) == (5, 0)
    assert (second["appended"], second["skipped"]) == (0, 5)
    assert openpyxl.load_workbook(target)["Archive"].max_row == 6


def test_locked_workbook_is_transient_and_retried(run_recipe, tmp_path):
    target = tmp_path / "report.xlsx"
    (tmp_path / "~$report.xlsx").write_bytes(b"x")
    result = run_recipe(f"""
        name: locked
        steps:
          - sheet.write: {{path: "{target}", table: [{{a: 1}}]}}
            retry: {{attempts: 2, delay: 0s}}
    """)
    assert result.status == "failed" and result.error_type == "TransientError"
    assert "report.xlsx" in result.error and "open in Excel" in result.error
    assert [s["status"] for s in result.steps] == ["error", "failed"]


@pytest.mark.parametrize("table", ['"some text"', "42"])
def test_table_param_must_be_a_table(run_recipe, table):
    result = run_recipe(f"""
        name: notable
        steps:
          - table.sort: {{table: {table}, by: [a]}}
    """)
    assert result.status == "failed" and "table" in result.error


def test_join_cardinality_refuses_repeated_keys(run_recipe):
    result = run_recipe("""
        name: validate
        steps:
          - id: d
            set: {a: [{id: 1}, {id: 1}], b: [{id: 1}]}
          - table.join: {left: "{{ steps.d.a }}", right: "{{ steps.d.b }}", on: id, cardinality: one_to_one}
    """)
    assert result.status == "failed" and "more than once in the left table" in result.error
