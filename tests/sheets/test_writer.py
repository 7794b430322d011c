"""Writing workbooks people trust, appending without duplicates (sheets.writer)."""

from __future__ import annotations

import os
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from sheets.errors import SheetCorrupt, SheetError, SheetLocked
from sheets.reader import read_table
from sheets.writer import append_rows, mask_columns, safe_text, write_workbook


def ledger() -> pd.DataFrame:
    return pd.DataFrame({
        "voucher": ["V001", "V002", "V003"],
        "posted": [date(2024, 3, 1), date(2024, 3, 2), date(2024, 2, 29)],
        "booked_at": [datetime(2024, 3, 1, 9, 30), datetime(2024, 3, 2, 17, 5, 1), datetime(2024, 2, 29, 0, 0, 1)],
        "amount": [Decimal("1234.56"), Decimal("-0.10"), Decimal("99999999.99")],
        "count": [1, 20, 300],
        "memo": ["工资 收入", "快捷支付-抖音电商商家", None],
        "account": ["6222021234561234", "110101199001011234", "6222020000000001"],
    })


def test_round_trip_keeps_values_and_types(tmp_path):
    frame = ledger()
    path = write_workbook(tmp_path / "out.xlsx", frame)
    back = read_table(path)
    assert list(back.columns) == list(frame.columns)
    for column in frame.columns:
        assert back[column].tolist() == [None if v is None else v for v in frame[column].tolist()], column
    assert all(type(v) is Decimal for v in back["amount"])
    assert all(type(v) is date for v in back["posted"])
    assert all(type(v) is datetime for v in back["booked_at"])
    assert back["memo"].iloc[0] == "工资 收入"


def test_round_trip_of_rows_and_several_sheets(tmp_path):
    rows = [{"名称": "上海某某有限公司", "金额": Decimal("12.30")}, {"名称": "北京", "金额": Decimal("-5")}]
    path = write_workbook(tmp_path / "two.xlsx", {"明细": rows, "Ledger": ledger()})
    assert openpyxl.load_workbook(path).sheetnames == ["明细", "Ledger"]
    back = read_table(path, sheet="明细")
    assert back["金额"].tolist() == [Decimal("12.30"), Decimal("-5")]
    assert back["名称"].tolist() == ["上海某某有限公司", "北京"]


def test_workbook_presentation(tmp_path):
    path = write_workbook(tmp_path / "out.xlsx", ledger())
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].font.b and ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G4"
    assert ws["B2"].number_format == "yyyy-mm-dd"
    assert ws["D2"].number_format == "#,##0.00"
    assert "h" in ws["C2"].number_format
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFG"}
    assert widths["F"] > widths["A"]  # the Chinese memo column is wider than the voucher column
    assert all(6 <= w <= 60 for w in widths.values())


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_injection_is_stored_as_text(tmp_path, text):
    path = write_workbook(tmp_path / "inj.xlsx", [{"memo": text, "=bad header": 1}])
    ws = openpyxl.load_workbook(path).active
    cell = ws["A2"]
    assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    assert ws["B1"].data_type == "s"
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    assert read_table(path)["memo"].tolist() == [text.strip()]


def test_safe_text_for_csv():
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("plain") == "plain"


def test_mask_sensitive_columns(tmp_path):
    path = write_workbook(tmp_path / "masked.xlsx", ledger(), mask=["account"])
    back = read_table(path)
    assert back["account"].tolist() == ["6222********1234", "1101**********1234", "6222********0001"]
    assert "6222021234561234" not in openpyxl.load_workbook(path).active["G2"].value
    assert mask_columns(ledger(), {"account": [0, 4]})["account"].iloc[0] == "************1234"
    with pytest.raises(SheetError, match="no sheet has a column 'acount'"):
        write_workbook(tmp_path / "x.xlsx", ledger(), mask=["acount"])


def test_written_via_temp_file_and_rename(tmp_path):
    write_workbook(tmp_path / "out.xlsx", ledger())
    write_workbook(tmp_path / "out.xlsx", ledger())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_failed_write_leaves_old_file_untouched(tmp_path):
    path = write_workbook(tmp_path / "out.xlsx", ledger())
    before = path.read_bytes()
    with pytest.raises(SheetError, match="32767"):
        write_workbook(path, [{"memo": "x" * 40000}])
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_workbook_open_in_excel_is_a_clear_error(tmp_path):
    path = write_workbook(tmp_path / "report.xlsx", ledger())
    (tmp_path / "~$report.xlsx").write_bytes(b"owner")
    with pytest.raises(SheetLocked, match="report.xlsx.*open in Excel"):
        write_workbook(path, ledger())
    with pytest.raises(SheetLocked):
        append_rows(path, ledger(), key="voucher")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_workbook_is_locked(tmp_path):
    path = write_workbook(tmp_path / "report.xlsx", ledger())
    path.chmod(0o444)
    with pytest.raises(SheetLocked, match="report.xlsx"):
        append_rows(path, ledger())


def test_corrupt_workbook_append_names_it(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04not really a zip")
    with pytest.raises(SheetCorrupt, match="broken.xlsx"):
        append_rows(path, ledger())


def test_legacy_xls_cannot_be_written(tmp_path):
    with pytest.raises(SheetError, match="use .xlsx"):
        write_workbook(tmp_path / "old.xls", ledger())


def _formatted_ledger(path):
    """A workbook a person made: a title block, styles, a formula column, a total, a table range."""
    from openpyxl.styles import Font, PatternFill

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "GL"
    ws["A1"] = "General ledger 2024"
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(["voucher", "posted", "amount", "count", "with_tax"])
    ws.append(["V001", date(2024, 3, 1), 1234.56, 1, "=C4*1.13"])
    ws["C4"].number_format = "#,##0.00"
    ws["C4"].fill = PatternFill("solid", fgColor="FFFF00")
    ws.auto_filter.ref = "A3:E4"
    ws.column_dimensions["A"].width = 17
    other = book.create_sheet("Notes")
    other["A1"] = "=SUM(GL!C:C)"
    book.save(path)


def test_append_keeps_formatting_and_formulas_and_never_duplicates(tmp_path):
    path = tmp_path / "gl.xlsx"
    _formatted_ledger(path)
    new = pd.DataFrame({"voucher": ["V001", "V002", "V003", "V003"],
                        "posted": [date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3), date(2024, 3, 3)],
                        "amount": [Decimal("1234.56"), Decimal("10.00"), Decimal("-5.25"), Decimal("-5.25")],
                        "count": [1, 2, 3, 3]})
    first = append_rows(path, new, sheet="GL", key="voucher")
    assert (first.appended, first.skipped) == (2, 2)
    again = append_rows(path, new, sheet="GL", key="voucher")
    assert (again.appended, again.skipped) == (0, 4)
    book = openpyxl.load_workbook(path)
    ws = book["GL"]
    assert [ws.cell(r, 1).value for r in range(4, 8)] == ["V001", "V002", "V003", None]
    assert ws["E4"].value == "=C4*1.13" and ws["E5"].value == "=C5*1.13" and ws["E6"].value == "=C6*1.13"
    assert ws["C5"].number_format == "#,##0.00" and ws["C5"].fill.fgColor.rgb == ws["C4"].fill.fgColor.rgb
    assert ws["A1"].font.b and ws.column_dimensions["A"].width == 17
    assert ws.auto_filter.ref == "A3:E6"
    assert book["Notes"]["A1"].value == "=SUM(GL!C:C)"
    back = read_table(path, sheet="GL", types={"amount": "amount"})
    assert back["amount"].tolist() == [Decimal("1234.56"), Decimal("10.00"), Decimal("-5.25")]


def test_append_key_matches_across_cell_types(tmp_path):
    path = write_workbook(tmp_path / "t.xlsx", [{"ref": 1001, "amount": Decimal("1.50")}])
    result = append_rows(path, [{"ref": "1001", "amount": Decimal("1.50")}, {"ref": 1002.0, "amount": Decimal(2)}],
                         key=["ref"])
    assert (result.appended, result.skipped, result.skipped_keys) == (1, 1, ["1001"])


def test_append_creates_missing_workbook_and_rejects_unknown_columns(tmp_path):
    path = tmp_path / "new.xlsx"
    result = append_rows(path, ledger(), sheet="GL", key="voucher")
    assert result.created and result.appended == 3
    assert read_table(path, sheet="GL")["amount"].tolist() == ledger()["amount"].tolist()
    with pytest.raises(SheetError, match="no column 'extra'"):
        append_rows(path, [{"voucher": "V9", "extra": 1}], sheet="GL")


def test_append_injection_safe(tmp_path):
    path = write_workbook(tmp_path / "t.xlsx", [{"memo": "ok"}])
    append_rows(path, [{"memo": '=HYPERLINK("http://x","y")'}])
    ws = openpyxl.load_workbook(path).active
    assert ws["A3"].data_type == "s" and ws["A3"].value.startswith("=HYPERLINK")


def test_awkward_values_round_trip(tmp_path):
    import numpy as np

    frame = pd.DataFrame({
        "text": ["  leading spaces", "a & b < c > d", "line1\r\nline2", "emoji 😀 and 中文", "bell\x07removed"],
        "ints": np.array([1, -2, 3, 2**40, 0], dtype="int64"),
        "flags": [True, False, True, None, False],
        "stamps": pd.to_datetime(["2024-03-01 10:00", "2024-03-02", None, "1999-12-31 23:59:59", "2024-02-29"], format="mixed"),
        "empty": [None] * 5,
    })
    path = write_workbook(tmp_path / "R&D 'x'.xlsx", {"R&D 'q' x": frame})
    back = read_table(path, sheet="R&D 'q' x")
    assert back["text"].tolist() == ["leading spaces", "a & b < c > d", "line1\r\nline2", "emoji 😀 and 中文", "bellremoved"]
    ws = openpyxl.load_workbook(path)["R&D 'q' x"]
    assert ws["A2"].value == "  leading spaces"  # stored as given; the reader strips padding
    assert back["ints"].tolist() == [1, -2, 3, 2**40, 0]
    assert back["flags"].tolist()[:3] == [True, False, True]
    assert back["stamps"].tolist()[0] == datetime(2024, 3, 1, 10, 0) and back["stamps"].tolist()[2] is None
    assert back["empty"].isna().all()


def test_empty_table_still_has_its_header(tmp_path):
    path = write_workbook(tmp_path / "empty.xlsx", pd.DataFrame({"a": [], "b": []}))
    back = read_table(path, header=1)
    assert list(back.columns) == ["a", "b"] and len(back) == 0


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).map(str.strip) \
    .filter(bool)
_cells = st.fixed_dictionaries({
    "memo": st.one_of(_text, st.sampled_from(["=1+1", "+86 138", "-x", "@a", "中文 & <b>"])),
    "amount": st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False),
    "day": st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_cells, min_size=1, max_size=8))
def test_any_table_round_trips(tmp_path, rows):
    path = write_workbook(tmp_path / "prop.xlsx", rows)
    back = read_table(path)
    assert back["memo"].tolist() == [r["memo"] for r in rows]
    assert back["amount"].tolist() == [r["amount"] for r in rows]
    assert back["day"].tolist() == [r["day"] for r in rows]


def test_text_that_looks_like_an_excel_escape_stays_literal(tmp_path):
    path = write_workbook(tmp_path / "esc.xlsx", [{"t": "code _x0041_ here"}])
    assert read_table(path)["t"].tolist() == ["code _x0041_ here"]  # Excel would otherwise show "code A here"


def test_excel_owner_file_of_a_long_name(tmp_path):
    path = write_workbook(tmp_path / "report2024.xlsx", ledger())
    (tmp_path / "~$port2024.xlsx").write_bytes(b"owner")
    with pytest.raises(SheetLocked, match="report2024.xlsx"):
        write_workbook(path, ledger())
