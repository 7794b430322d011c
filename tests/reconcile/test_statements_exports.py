"""Payment-app, bank and settlement exports as they come: an Alipay download with closed and
neither-income-nor-expense rows, a CCB-style legacy .xls ending in totals and a disclaimer, an
Adyen settlement details report and a Stripe itemized report (written here from the columns
their documentation lists), and the hostile corpus of tests/reconcile/hostile_statements.py."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconcile.lines import StatementError, UnbalancedStatement
from reconcile.statements import read_statement
from tests.reconcile import hostile_statements

D = Decimal


# ---- Alipay (2016-2022 layout): GB18030 text, preamble, padded cells, summary footer -------------------

ALIPAY_ROWS = [
    # trade no, created, type, counterparty, item, amount, way, status, refunded
    ("2024010122001", "2024-01-01 09:12:01", "即时到账交易", "城南早餐铺", "早餐", "12.50", "支出", "交易成功", "0.00"),
    ("2024010322002", "2024-01-03 18:40:11", "即时到账交易", "某某超市", "日用品", "86.30", "支出", "交易关闭", "86.30"),
    ("2024010522003", "2024-01-05 12:00:00", "转账", "张伟", "还款", "500.00", "收入", "交易成功", "0.00"),
    ("2024010622004", "2024-01-06 08:00:00", "其他", "余额宝", "余额宝-自动转入", "1000.00", "不计收支", "交易成功", "0.00"),
    ("2024010822005", "2024-01-08 20:15:33", "即时到账交易", "某某电器", "电水壶", "159.00", "支出", "交易成功", "0.00"),
    ("2024010922006", "2024-01-09 10:10:10", "即时到账交易", "某某书店", "图书", "45.80", "支出", "交易关闭", "0.00"),
    ("2024011222007", "2024-01-12 14:22:09", "转账", "李娜", "货款", "1280.00", "收入", "交易成功", "0.00"),
    ("2024011522008", "2024-01-15 07:30:00", "其他", "余额宝", "余额宝-转出到余额", "300.00", "不计收支", "交易成功", "0.00"),
    ("2024012022009", "2024-01-20 19:45:00", "即时到账交易", "某某外卖", "晚餐", "38.00", "支出", "交易成功", "0.00"),
    ("2024012122010", "2024-01-21 09:00:00", "退款", "某某超市", "退款-日用品", "86.30", "不计收支", "退款成功", "0.00"),
]


def alipay_csv(path: Path) -> Path:
    header = ["交易号", "商家订单号", "交易创建时间", "付款时间", "最近修改时间", "交易来源地", "类型", "交易对方",
              "商品名称", "金额（元）", "收/支", "交易状态", "服务费（元）", "成功退款（元）", "备注", "资金状态"]
    lines = ["支付宝交易记录明细查询", "账号:[user***@example.com]",
             "起始日期:[2024-01-01 00:00:00]    终止日期:[2024-02-01 00:00:00]",
             "---------------------------------交易记录明细列表------------------------------------",
             ",".join(f"{h:<12}" for h in header) + ","]
    for no, created, kind, party, item, amount, way, status, refunded in ALIPAY_ROWS:
        cells = [no, f"T{no[-5:]}", created, created, created, "其他（包括阿里巴巴和外部商家）", kind, party, item,
                 amount, way, status, "0.00", refunded, "", "已支出" if way == "支出" else ""]
        lines.append(",".join(f"{c:<14}\t" for c in cells) + ",")
    lines += ["------------------------------------------------------------------------------------",
              "共10笔记录", "已收入:2笔,1780.00元", "待收入:0笔,0.00元", "已支出:4笔,295.80元", "待支出:0笔,0.00元",
              "导出时间:[2024-02-01 10:00:00]    用户:某某"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    return path


def test_alipay_only_money_movements_become_lines_and_the_rest_says_why(tmp_path):
    statement = read_statement(alipay_csv(tmp_path / "alipay_record_20240201.csv"))
    lines = statement.lines
    assert len(lines) == 5
    assert sum(lines["amount"], D(0)) == D("1280.00") + D("500.00") - D("12.50") - D("159.00") - D("38.00")
    assert set(lines["currency"]) == {"CNY"}
    assert len(statement.excluded) == 5
    reasons = {e.id: e.reason for e in statement.excluded}
    assert "交易关闭" in reasons["2024010322002"] and "did not go through" in reasons["2024010322002"]
    assert "不计收支" in reasons["2024010622004"]
    assert statement.footer and "共10笔记录" in statement.footer[0] or "----" in statement.footer[0]


def test_statement_command_lists_excluded_rows_with_reasons(tmp_path):
    from bots.cli import cli

    path = alipay_csv(tmp_path / "alipay.csv")
    text = CliRunner().invoke(cli, ["statement", str(path)])
    assert text.exit_code == 0, text.output
    assert "5 lines" in text.stdout and "5 row(s) excluded" in text.stdout
    assert re.search(r"row \d+ .*余额宝.*不计收支: neither income nor expense", text.stdout)
    data = json.loads(CliRunner().invoke(cli, ["statement", "--json", str(path)]).stdout)
    assert data["count"] == 5 and len(data["excluded"]) == 5
    assert all(e["reason"] and e["where"].startswith("row ") for e in data["excluded"])


# ---- CCB-style legacy .xls: title block, signed amounts, running balance, totals and a notice ------------

CCB_ROWS = [("20240102", "工资", "8500.00", "张三公司"), ("20240103", "消费", "-35.50", "某某餐厅"),
            ("20240105", "转账", "-2000.00", "李四"), ("20240108", "消费", "-1234.56", "某某商城"),
            ("20240111", "利息", "3.21", ""), ("20240115", "消费", "-89.90", "某某超市"),
            ("20240120", "代扣", "-150.00", "某某电力公司"), ("20240125", "转账", "600.00", "王五")]


def ccb_xls(path: Path) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("交易明细")
    rows = [["中国建设银行个人活期账户交易明细"], ["账号：6217 **** **** 0042", "", "户名：某某"],
            ["起始日期：20240101", "", "结束日期：20240131"], [],
            ["序号", "摘要", "币别", "钞汇", "交易日期", "交易金额", "账户余额", "交易地点/附言", "对方账号与户名"]]
    balance = D("12000.00")
    for n, (day, memo, amount, party) in enumerate(CCB_ROWS, 1):
        balance += D(amount)
        rows.append([n, memo, "人民币", "钞", day, float(amount), float(balance), f"{memo}/网上银行", party])
    income = sum(D(a) for _, _, a, _ in CCB_ROWS if D(a) > 0)
    spent = -sum(D(a) for _, _, a, _ in CCB_ROWS if D(a) < 0)
    rows += [[], ["", "", "", "", "", f"收入合计：{income}", f"支出合计：{spent}"],
             ["以上数据仅供参考，具体内容请以柜台为准。"]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    return path


def test_ccb_style_xls_ends_at_its_totals_and_adds_up(tmp_path):
    statement = read_statement(ccb_xls(tmp_path / "ccb.xls"))
    assert len(statement.lines) == len(CCB_ROWS)
    assert statement.total == sum(D(a) for _, _, a, _ in CCB_ROWS)
    assert statement.sections[0].balanced is True
    assert statement.sections[0].closing == D("12000.00") + statement.total
    assert statement.footer and "收入合计" in statement.footer[0]
    assert list(statement.lines["counterparty"])[0] == "张三公司"


# ---- Adyen Settlement details report and Stripe itemized report -------------------------------------------

ADYEN_HEADER = ["Company Account", "Merchant Account", "Psp Reference", "Merchant Reference", "Payment Method",
                "Creation Date", "TimeZone", "Type", "Modification Reference", "Gross Currency", "Gross Debit (GC)",
                "Gross Credit (GC)", "Exchange Rate", "Net Currency", "Net Debit (NC)", "Net Credit (NC)",
                "Commission (NC)", "Markup (NC)", "Scheme Fees (NC)", "Interchange (NC)", "Payment Method Variant",
                "Modification Merchant Reference", "Batch Number"]


def adyen_csv(path: Path) -> tuple[Path, list[Decimal], int]:
    def row(psp, ref, method, when, kind, mod, gcur, gdebit, gcredit, rate, ndebit, ncredit, fees):
        commission, markup, scheme, interchange = fees
        return ["ShopCo", "ShopCoEU", psp, ref, method, when, "CET", kind, mod, gcur, gdebit, gcredit, rate, "EUR",
                ndebit, ncredit, commission, markup, scheme, interchange, method, "", "217"]
    rows = [
        row("8815120000000001", "ORD-1001", "visa", "2026-03-02 10:15:22", "Settled", "8815120000000001", "EUR", "",
            "120.00", "1", "", "117.52", ("", "0.60", "0.28", "1.60")),
        row("8815120000000002", "ORD-1002", "mc", "2026-03-02 11:40:05", "Settled", "8815120000000002", "EUR", "",
            "59.90", "1", "", "58.73", ("", "0.30", "0.15", "0.72")),
        row("8815120000000003", "ORD-1003", "amex", "2026-03-03 09:02:44", "Settled", "8815120000000003", "USD", "",
            "200.00", "0.9150", "", "179.20", ("3.80", "", "", "")),
        row("8815120000000001", "ORD-1001", "visa", "2026-03-04 16:20:00", "Refunded", "8815120000000099", "EUR",
            "20.00", "", "1", "20.12", "", ("", "0.12", "", "")),
        row("", "", "", "2026-03-05 00:00:00", "Fee", "Account fee March", "", "", "", "", "5.00", "", ("", "", "", "")),
        row("", "", "", "2026-03-05 06:00:00", "MerchantPayout", "TX payout 217", "", "", "", "", "330.33", "",
            ("", "", "", "")),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ADYEN_HEADER)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    nets = [D("117.52"), D("58.73"), D("179.20"), D("-20.12"), D("-5.00"), D("-330.33")]
    return path, nets, 4  # four rows carry fees: each gives a gross line and a fee line


def test_adyen_settlement_report_reads_gross_fee_and_net(tmp_path):
    path, nets, with_fees = adyen_csv(tmp_path / "settlement_detail_report_batch_217.csv")
    statement = read_statement(path)
    lines = statement.lines
    assert statement.parser == "profile:adyen"
    assert len(lines) == len(nets) + with_fees
    assert sum(lines["amount"], D(0)) == sum(nets)
    first = lines[lines["reference"] == "ORD-1001"]
    assert D("120.00") in list(first["amount"]) and D("-2.48") in list(first["amount"])
    converted = lines[lines["reference"] == "ORD-1003"]
    assert sorted(converted["amount"]) == [D("-3.80"), D("183.00")]  # gross in EUR = net + fee; USD 200 was the shopper's
    assert set(lines["currency"]) == {"EUR"}


def test_adyen_row_whose_fees_do_not_give_its_net_is_refused(tmp_path):
    path, _, _ = adyen_csv(tmp_path / "batch.csv")
    path.write_text(path.read_text(encoding="utf-8").replace("117.52", "117.62"), encoding="utf-8")
    with pytest.raises(UnbalancedStatement, match=r"row 2: gross 120\.00 and fee 2\.48 do not give the net 117\.62"):
        read_statement(path)


def test_stripe_itemized_report_positive_fees(tmp_path):
    path = tmp_path / "Itemized_balance_change_from_activity_USD_2026-03.csv"
    rows = [["balance_transaction_id", "created_utc", "created", "available_on_utc", "currency", "gross", "fee", "net",
             "reporting_category", "source_id", "description", "customer_email"],
            ["txn_1Q0001", "2026-03-01 10:00:00", "2026-03-01 11:00:00", "2026-03-03 00:00:00", "usd", "100.00", "3.20",
             "96.80", "charge", "ch_0001", "Invoice 2026-0141", "a@example.com"],
            ["txn_1Q0002", "2026-03-02 09:30:00", "2026-03-02 10:30:00", "2026-03-04 00:00:00", "usd", "45.00", "1.61",
             "43.39", "charge", "ch_0002", "Invoice 2026-0142", "b@example.com"],
            ["txn_1Q0003", "2026-03-05 15:00:00", "2026-03-05 16:00:00", "2026-03-05 16:00:00", "usd", "-45.00", "0.00",
             "-45.00", "refund", "re_0001", "Refund for Invoice 2026-0142", "b@example.com"],
            ["txn_1Q0004", "2026-03-06 00:00:00", "2026-03-06 01:00:00", "2026-03-06 01:00:00", "usd", "-2.00", "0.00",
             "-2.00", "fee", "", "Radar fees", ""]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    statement = read_statement(path)
    assert statement.parser == "profile:stripe"
    assert sorted(statement.lines["amount"]) == sorted([D("100.00"), D("-3.20"), D("45.00"), D("-1.61"), D("-45.00"),
                                                        D("-2.00")])
    assert statement.total == D("96.80") + D("43.39") - D("45.00") - D("2.00")
    assert set(statement.lines["currency"]) == {"USD"}
    assert "txn_1Q0001/fee" in set(statement.lines["id"])


# ---- the hostile corpus ------------------------------------------------------------------------------

CORPUS = hostile_statements.build()


def test_the_corpus_is_big_enough_and_covers_every_format():
    assert len(CORPUS) >= 27
    assert {c.ext for c in CORPUS} >= {"sta", "ofx", "xml", "csv", "xlsx"}
    assert sum("error" in c.expect for c in CORPUS) >= 12 and sum("count" in c.expect for c in CORPUS) >= 10


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_hostile_statement_is_handled_as_its_manifest_says(case, tmp_path):
    path = tmp_path / f"{case.name}.{case.ext}"
    path.write_bytes(case.content)
    expect = case.expect
    if "error" in expect:
        with pytest.raises(StatementError) as refused:
            read_statement(path)
        assert re.search(expect["error"], str(refused.value)), str(refused.value)
        assert str(path) in str(refused.value)
        assert isinstance(refused.value, UnbalancedStatement) == bool(expect.get("unbalanced"))
        if expect.get("unbalanced"):
            statement = read_statement(path, allow_unbalanced=True)
            assert len(statement.lines) == expect["allowed"]["count"]
            assert statement.total == D(expect["allowed"]["sum"])
            assert statement.unbalanced
        return
    statement = read_statement(path)
    assert len(statement.lines) == expect["count"]
    assert statement.total == D(expect["sum"])
    assert len(statement.excluded) == expect.get("excluded", 0)
    assert all(isinstance(a, Decimal) for a in statement.lines["amount"])


def test_corpus_through_the_command_line_exit_codes(tmp_path):
    from bots.cli import cli

    manifest = hostile_statements.write(tmp_path)
    for entry in manifest:
        result = CliRunner().invoke(cli, ["statement", "--json", str(tmp_path / entry["file"])])
        data = json.loads(result.stdout)
        if "error" in entry:
            assert result.exit_code == 2 and re.search(entry["error"], data["error"]), entry["file"]
        else:
            assert result.exit_code == 0 and data["count"] == entry["count"], entry["file"]
            assert Decimal(data["total"]) == Decimal(entry["sum"]), entry["file"]


# ---- what the reconciliation report shows ----------------------------------------------------------

def test_report_lists_excluded_rows_and_carries_an_accepted_imbalance(tmp_path):
    from openpyxl import load_workbook

    from reconcile.job import run_reconciliation
    from reconcile.rules import RulesError

    alipay = alipay_csv(tmp_path / "alipay.csv")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("Doc No,Posting Date,Amount,Customer\nL1,2024-01-12,1280.00,李娜\nL2,2024-01-05,500.00,张伟\n",
                      encoding="utf-8")
    corpus = hostile_statements.write(tmp_path / "corpus")
    off = tmp_path / "corpus" / next(e["file"] for e in corpus if e["file"].startswith("mt940-closing-off-by-a-line"))
    with pytest.raises(UnbalancedStatement):
        run_reconciliation([alipay, off], ledger, tmp_path / "refused")
    outcome = run_reconciliation([alipay, off], ledger, tmp_path / "out", rules={"allow_unbalanced": True})
    summary = json.loads(Path(outcome.paths["summary"]).read_text(encoding="utf-8"))
    assert any("UNBALANCED" in w and "does not add up" in w for w in summary["warnings"])
    assert summary["statements"][0]["excluded"] and summary["statements"][1]["unbalanced"]
    book = load_workbook(outcome.paths["workbook"])
    rows = list(book["Excluded rows"].iter_rows(values_only=True))
    assert rows[0][:2] == ("file", "where") and len(rows) == 1 + 5
    assert any("交易关闭" in str(r[-1]) for r in rows[1:])
    items = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert items["Statement rows excluded (not money)"] == 5
    assert any(str(v).startswith(f"{off}: UNBALANCED") for k, v in book["Summary"].iter_rows(min_row=2, values_only=True)
               if k == "Warning")
    page = Path(outcome.paths["html"]).read_text(encoding="utf-8")
    assert "Statement rows excluded" in page and "不计收支: neither income nor expense" in page and "UNBALANCED" in page
    with pytest.raises(RulesError):
        run_reconciliation([alipay], ledger, tmp_path / "bad", rules={"allow_unbalanced": "sometimes"})


def test_trailing_notes_without_date_or_money_end_the_table_and_a_repeated_header_is_skipped(tmp_path):
    path = tmp_path / "branch_export.csv"
    path.write_text("交易日期,摘要,交易金额,账户余额\n20240102,工资,8500.00,20500.00\n20240103,消费,-35.50,20464.50\n"
                    "交易日期,摘要,交易金额,账户余额\n20240105,转账,-2000.00,18464.50\n\n"
                    "打印机构：某某支行,,,\n经办柜员：0042,,,\n", encoding="utf-8")
    statement = read_statement(path)
    assert len(statement.lines) == 3 and statement.total == D("6464.50")
    assert statement.sections[0].balanced is True
    notes = " ".join(statement.footer)
    assert "row 4 repeats the header" in notes and "2 trailing row(s) with neither a date nor an amount" in notes


def test_undated_row_with_money_at_the_end_is_refused_not_dropped(tmp_path):
    path = tmp_path / "tail.csv"
    path.write_text("Date,Memo,Amount\n2026-04-01,a,10.00\n2026-04-02,b,20.00\n,forgotten,30.00\n", encoding="utf-8")
    with pytest.raises(StatementError, match=r"row 4, column 'Date': the date is empty"):
        read_statement(path)


def test_german_export_with_account_preamble_and_soll_haben_marks(tmp_path):
    path = tmp_path / "umsaetze.csv"
    lines = ['"Kontonummer:";"DE12 5001 0517 0648 4898 90";', '"Von:";"01.04.2026";', '"Bis:";"30.04.2026";',
             '"Kontostand vom 30.04.2026:";"4.218,40 EUR";', "",
             '"Buchungstag";"Wertstellung";"Buchungstext";"Auftraggeber / Begünstigter";"Verwendungszweck";"Betrag (EUR)";"S/H";',
             '"02.04.2026";"02.04.2026";"Lastschrift";"Stadtwerke Nord";"Abschlag April";"1.240,00";"S";',
             '"15.04.2026";"15.04.2026";"Gutschrift";"Kowalski & Syn";"RE 2026-118";"3.500,00";"H";',
             '"28.04.2026";"28.04.2026";"Entgelt";"";"Kontoführung";"7,90";"S";']
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    statement = read_statement(path)
    assert list(statement.lines["amount"]) == [D("-1240.00"), D("3500.00"), D("-7.90")]
    assert list(statement.lines["counterparty"])[:2] == ["Stadtwerke Nord", "Kowalski & Syn"]
    assert statement.lines["date"].iloc[1].strftime("%Y-%m-%d") == "2026-04-15"
