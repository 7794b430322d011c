"""Reading what finance systems really export (sheets.reader)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from sheets.errors import SheetCorrupt, SheetError
from sheets.reader import detect_encoding, read_table
from tests.conftest import SAMPLES
from tests.sheets.messy import HEADER, messy_csv, messy_xlsx

BANK = SAMPLES / "bank"

# file -> per sheet: (header row as Excel shows it, data rows, a column that must be there)
SAMPLE_TRUTH = {
    "double-entry-generator-cn/cmb/example-cmb-records.csv": {None: (1, 5, "交易金额")},
    "double-entry-generator-cn/icbc/example-icbc-debit-v2-records.csv": {None: (7, 11, "记账金额(支出)")},
    "double-entry-generator-cn/spdb/example-spdb_debit-records.xls": {None: (2, 4, "取出金额")},
    "double-entry-generator-cn/wechat/example-wechat-records.xlsx": {0: (18, 27, "金额(元)"), "Sheet1": (18, 27, "金额(元)")},
    "oca-bank-statement-import/paypal/statement_en.csv": {None: (1, 19, "Gross")},
    "oca-bank-statement-import/sheet/multi_currency.csv": {None: (1, 2, "Amount")},
    "oca-bank-statement-import/sheet/sample_statement_en.csv": {None: (1, 2, "Amount")},
    "oca-bank-statement-import/sheet/sample_statement_en.xlsx": {None: (1, 2, "Amount")},
}


def test_every_sample_spreadsheet_is_covered():
    found = {str(p.relative_to(BANK)) for p in BANK.rglob("*") if p.suffix.lower() in (".csv", ".xlsx", ".xls", ".xlsm", ".tsv")}
    assert found == set(SAMPLE_TRUTH), "a sample spreadsheet was added or removed: extend SAMPLE_TRUTH"


@pytest.mark.parametrize("name, sheet, header_row, count, column",
                         [(n, s, *t) for n, sheets in SAMPLE_TRUTH.items() for s, t in sheets.items()])
def test_real_bank_samples_read_with_right_header_and_row_count(name, sheet, header_row, count, column):
    df = read_table(BANK / name, sheet=sheet)
    assert df.attrs["source"]["header_row"] == header_row
    assert len(df) == count
    assert column in df.columns
    amounts = [v for v in df[column].tolist() if v is not None]
    assert amounts and all(isinstance(v, Decimal) for v in amounts)


def test_icbc_tab_padded_cells_and_total_footer():
    df = read_table(BANK / "double-entry-generator-cn/icbc/example-icbc-debit-v2-records.csv")
    assert df["交易日期"].iloc[0] == date(2023, 5, 2)
    assert df["摘要"].iloc[0] == "消费"  # tab padding stripped
    assert df["记账金额(支出)"].iloc[0] == Decimal("13.40")
    assert df.attrs["source"]["footer"][0][0] == "人民币合计"
    assert df.index[0] == 8  # the row number a user sees in the file


def test_cmb_quoted_thousands_are_exact_decimals():
    df = read_table(BANK / "double-entry-generator-cn/cmb/example-cmb-records.csv")
    assert df["交易金额"].tolist()[:2] == [Decimal("1234.00"), Decimal("-1000.00")]
    assert sum(df["交易金额"]) == Decimal("-779.14")


def test_spdb_split_debit_credit_into_signed_amount():
    df = read_table(BANK / "double-entry-generator-cn/spdb/example-spdb_debit-records.xls",
                    debit_credit={"debit": "取出金额", "credit": "存入金额", "into": "amount"})
    assert df["amount"].tolist() == [Decimal("-3.88"), Decimal("10.00"), Decimal("-3.88"), Decimal("-3.88")]
    assert df["交易日期"].iloc[0] == datetime(2025, 12, 3, 14, 6, 51)
    assert df["交易对手账号"].iloc[0] == "12345678901236500"  # an account number stays text


def test_wechat_amounts_written_as_text_with_yen_sign():
    text = read_table(BANK / "double-entry-generator-cn/wechat/example-wechat-records.xlsx", sheet=0)
    numeric = read_table(BANK / "double-entry-generator-cn/wechat/example-wechat-records.xlsx", sheet="Sheet1")
    assert text["金额(元)"].tolist() == numeric["金额(元)"].tolist()
    assert text["金额(元)"].iloc[0] == Decimal("28.16")
    assert text["交易单号"].iloc[0] == "3985734"


@pytest.mark.parametrize("options", [
    dict(encoding="gbk"),
    dict(encoding="gb18030", tab_padded=True),
    dict(encoding="utf-8-sig", preamble=0, footer=False),
    dict(encoding="utf-8", delimiter=";", decimal=",", date_style="dayfirst"),
    dict(encoding="utf-16", delimiter="\t"),
    dict(amount_style="paren", date_style="cjk", preamble=20),
    dict(amount_style="crdr", date_style="slash"),
    dict(amount_style="yuan", preamble=3),
    dict(amount_style="fullwidth-yen", encoding="gbk", preamble=12),
])
def test_messy_csv_reads_back_the_known_truth(tmp_path, options):
    decimal = options.get("decimal", ".")
    truth = messy_csv(tmp_path, **options)
    df = read_table(truth.path, decimal=decimal, dayfirst=options.get("date_style") == "dayfirst")
    assert df.attrs["source"]["header_row"] == truth.header_row
    assert list(df.columns) == HEADER
    assert df["金额"].tolist() == truth.amounts
    assert df["交易日期"].tolist() == truth.dates
    assert df["摘要"].tolist() == truth.memos
    assert df["账号"].tolist() == truth.accounts


def test_gbk_file_is_detected_without_being_told(tmp_path):
    truth = messy_csv(tmp_path, encoding="gbk", rows=40)
    assert detect_encoding(truth.path.read_bytes()) == "gb18030"
    df = read_table(truth.path)
    assert df.attrs["source"]["encoding"] == "gb18030"
    assert df["对方户名"].iloc[0] == "上海某某有限公司"


def test_messy_xlsx_past_a_long_preamble(tmp_path):
    truth = messy_xlsx(tmp_path)
    df = read_table(truth.path, sheet="账单")
    assert df.attrs["source"]["header_row"] == truth.header_row
    assert df["金额"].tolist() == truth.amounts
    assert df["交易日期"].tolist() == truth.dates
    assert df["摘要"].tolist() == truth.memos  # "=1+2" stays text
    assert df["账号"].tolist() == truth.accounts


def test_select_rename_and_types(tmp_path):
    truth = messy_csv(tmp_path, footer=False)
    df = read_table(truth.path, columns={"交易日期": "date", "金额": "amount"}, types={"金额": "amount"},
                    rename={"amount": "value"})
    assert list(df.columns) == ["date", "value"]
    assert df["value"].tolist() == truth.amounts


def test_header_given_as_excel_row_number(tmp_path):
    truth = messy_csv(tmp_path, preamble=4, footer=False)
    df = read_table(truth.path, header=truth.header_row)
    assert list(df.columns) == HEADER and len(df) == 25
    with pytest.raises(SheetError, match="rows count from 1"):
        read_table(truth.path, header=0)


def test_no_header_names_columns_by_letter(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("2024-03-01,10.00\n2024-03-02,-5.50\n", encoding="utf-8")
    df = read_table(path, header=None)
    assert list(df.columns) == ["A", "B"]
    assert df["B"].tolist() == [Decimal("10.00"), Decimal("-5.50")]


def test_bad_typed_cell_names_file_row_column_and_expectation(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text("Date,Amount\n2024-03-01,10.00\n2024-03-02,ten\n", encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        read_table(path, types={"Amount": "amount"})
    err = caught.value
    assert (err.file, err.row, err.column) == (str(path), 3, "Amount")
    assert "ten" in str(err) and "expected an amount such as 1,234.56" in str(err)


def test_bad_date_cell_in_a_workbook_names_the_sheet(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "GL"
    book.active.append(["posted", "amount"])
    book.active.append(["2024-02-30", 1.5])
    book.save(tmp_path / "gl.xlsx")
    with pytest.raises(SheetError) as caught:
        read_table(tmp_path / "gl.xlsx", types={"posted": "date"})
    assert caught.value.sheet == "GL" and caught.value.row == 2 and caught.value.column == "posted"


def test_unknown_column_and_sheet_say_what_exists(tmp_path):
    truth = messy_xlsx(tmp_path)
    with pytest.raises(SheetError, match="did you mean '金额'"):
        read_table(truth.path, columns=["金额额"])
    with pytest.raises(SheetError, match="sheets are '账单'"):
        read_table(truth.path, sheet="GL")


def test_corrupt_workbook_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    with pytest.raises(SheetCorrupt, match="broken.xlsx"):
        read_table(path)


def test_csv_saved_with_xls_name_is_read_as_text(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("日期\t金额\n2024-03-01\t1,234.56\n", encoding="gbk")
    df = read_table(path)
    assert df["金额"].tolist() == [Decimal("1234.56")]


def test_missing_file_is_named(tmp_path):
    with pytest.raises(SheetError, match="file not found"):
        read_table(tmp_path / "nope.csv")


def test_digit_only_ids_stay_text_and_keep_leading_zeros(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("id,ref\n00123,100\n00456,200\n", encoding="utf-8")
    df = read_table(path)
    assert df["id"].tolist() == ["00123", "00456"]
    assert df["ref"].tolist() == ["100", "200"]


def test_broken_csv_names_the_line(tmp_path):
    path = tmp_path / "huge_field.csv"
    path.write_text("a,b\n1,2\n3," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        read_table(path)
    assert caught.value.row == 3 and "huge_field.csv" in str(caught.value)


def test_duplicate_and_blank_header_names_are_made_unique(tmp_path):
    path = tmp_path / "dups.csv"
    path.write_text("date,amount,amount,,memo\n2024-03-01,1.00,2.00,x,hi\n", encoding="utf-8")
    df = read_table(path)
    assert list(df.columns) == ["date", "amount", "amount_2", "D", "memo"]


def test_total_row_is_set_aside_but_a_payee_called_total_is_data(tmp_path):
    path = tmp_path / "totals.csv"
    path.write_text("payee,amount\nACME,1.00\nTotal Energies,2.00\nTotal:,3.00\n", encoding="utf-8")
    df = read_table(path)
    assert df["payee"].tolist() == ["ACME", "Total Energies"]
    assert df.attrs["source"]["footer"] == [["Total:", "3.00"]]
    assert len(read_table(path, footer=False)) == 3


def test_password_protected_workbook_says_so(tmp_path):
    path = tmp_path / "locked.xlsx"
    fake_ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512
    path.write_bytes(fake_ole)
    with pytest.raises(SheetError, match="locked.xlsx: is password-protected"):
        read_table(path)


def test_header_is_the_widest_label_row_not_a_wide_preamble_line(tmp_path):
    path = tmp_path / "wide_preamble.csv"
    path.write_text("Account holder: ACME,Account: 6222****1234,Period: March\n"
                    "Date,Payee,Amount,Memo\n2024-03-01,Shop,1.00,x\n2024-03-02,Cafe,2.50,y\n", encoding="utf-8")
    df = read_table(path)
    assert df.attrs["source"]["header_row"] == 2 and list(df.columns) == ["Date", "Payee", "Amount", "Memo"]


def test_text_only_table_keeps_its_first_row_as_header(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("name,city\nAlice,Paris\nBob,Lyon\n", encoding="utf-8")
    df = read_table(path)
    assert list(df.columns) == ["name", "city"] and len(df) == 2


def test_sheet_by_index_or_by_a_name_that_is_a_number(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Summary"
    book.active.append(["a", "b"])
    book.active.append([1, 2])
    year = book.create_sheet("2024")
    year.append(["date", "amount"])
    year.append(["2024-03-01", "1.50"])
    book.save(tmp_path / "years.xlsx")
    assert read_table(tmp_path / "years.xlsx", sheet=1).attrs["source"]["sheet"] == "2024"
    assert read_table(tmp_path / "years.xlsx", sheet=2024)["amount"].tolist() == [Decimal("1.50")]
    assert read_table(tmp_path / "years.xlsx", sheet=-1).attrs["source"]["sheet"] == "2024"
    with pytest.raises(SheetError, match="no sheet number 7"):
        read_table(tmp_path / "years.xlsx", sheet=7)


def test_utf16_without_bom(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("日期,金额\r\n2024-03-01,\"1,234.50\"\r\n".encode("utf-16-le"))
    df = read_table(path)
    assert df.attrs["source"]["encoding"] == "utf-16-le"
    assert df.to_dict("records") == [{"日期": date(2024, 3, 1), "金额": Decimal("1234.50")}]


def test_inferred_dates_follow_the_order_the_column_proves(tmp_path):
    path = tmp_path / "eu.csv"
    path.write_text("Date,Amount\n01/03/2024,1.00\n15/03/2024,2.00\n", encoding="utf-8")
    df = read_table(path)  # dayfirst not set, but 15/03 can only be day-first
    assert df["Date"].tolist() == [date(2024, 3, 1), date(2024, 3, 15)]
    assert "dayfirst: true" in df.attrs["source"]["notes"][0]
    with pytest.raises(SheetError, match="dayfirst: true"):
        read_table(path, types={"Date": "date"})  # an explicit type stays strict
    df = read_table(path, rename={"Amount": "amount"}, debit_credit=None)
    assert list(df.columns) == ["Date", "amount"]
    with pytest.raises(SheetError, match="no column 'Amont'"):
        read_table(path, rename={"Amont": "amount"})  # an error after a note still names the file
