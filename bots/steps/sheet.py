"""Spreadsheet steps: ``sheet.read``, ``sheet.write``, ``sheet.append``.

``sheet.read`` reads xlsx/xlsm, legacy xls, csv/tsv as finance systems export them: the header
row is found past title blocks and preambles, the encoding is detected (UTF-8, BOM, GBK/GB18030),
amounts become exact Decimals and dates real dates. Its ``rows`` feed ``for_each``; its ``table``
feeds the ``table.*`` steps, ``sheet.write`` and ``reconcile``.

``sheet.write`` makes a new workbook people can trust: bold frozen header, autofilter, fitted
widths, date and money formats, sensitive columns masked (``6222********1234``), text that looks
like a formula stored as text. ``sheet.append`` adds rows to an existing workbook keeping its
formatting and formulas, and skips rows whose key is already there, so re-running a recipe never
duplicates rows. Files are written to a temporary name and renamed into place.

A bad cell fails the step with file, sheet, row, column and what was expected; a workbook open
in Excel fails as a transient error (``retry:`` applies); the library behind these steps is
``sheets/`` (usable without deskbot).

```yaml
steps:
  - id: ledger
    sheet.read: {path: data/ledger.xlsx, sheet: GL, types: {posted: date, amount: amount}}
  - id: icbc
    sheet.read:
      path: "{{ trigger.file }}"
      columns: {交易日期: date, 摘要: memo, 记账金额(收入): credit, 记账金额(支出): debit, 对方账户: account}
      debit_credit: {debit: debit, credit: credit, into: amount}
  - log: "{{ row.date }} {{ row.amount }}"
    for_each: "{{ steps.icbc.rows }}"
    as: row
  - sheet.write:
      path: "{{ run.dir }}/statement.xlsx"
      tables: {Statement: "{{ steps.icbc.table }}", Ledger: "{{ steps.ledger.table }}"}
      mask: [account]
  - sheet.append: {path: archive/all.xlsx, table: "{{ steps.icbc.table }}", key: [date, amount, account]}
```
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bots.errors import InputError
from bots.registry import StepParams, step
from bots.steps.table import as_frame, sheet_error, table_outputs

ColumnKind = Literal["text", "amount", "number", "int", "date", "datetime", "bool", "auto"]


class DebitCredit(BaseModel):
    """Split money-in / money-out columns combined into one signed amount (credit positive)."""

    model_config = ConfigDict(extra="forbid")
    debit: str = Field(description="column of money going out")
    credit: str = Field(description="column of money coming in")
    into: str = Field("amount", description="name of the signed amount column added")


class ReadParams(StepParams):
    """Read one table from a spreadsheet or CSV/TSV file.

    ```yaml
    - id: ledger
      sheet.read: {path: data/ledger.xlsx, sheet: GL}
    - id: bank
      sheet.read:
        path: downloads/statement.csv
        dayfirst: true                      # 01/03/2024 is 1 March
        decimal: ","                        # 1.234,56
        columns: {Buchungstag: date, Betrag: amount, Verwendungszweck: memo}
        types: {Buchungstag: date, Betrag: amount}
    ```
    """

    path: str = Field(description="the file: .xlsx .xlsm .xls .csv .tsv .txt")
    sheet: str | int | None = Field(None, description="sheet name, or number counting from 0; default the first sheet")
    header: int | Literal["auto"] | None = Field(
        "auto", description="auto: find the header row; a number: that row (as Excel shows it); null: no header")
    encoding: str | None = Field(None, description="text encoding of CSV files; detected when omitted (utf-8, gb18030…)")
    delimiter: str | None = Field(None, description="CSV delimiter; sniffed when omitted", max_length=1)
    columns: list[str] | dict[str, str] | None = Field(
        None, description="columns to keep, in order; a mapping keeps and renames ({交易日期: date})")
    rename: dict[str, str] | None = Field(None, description="old name: new name, keeping every column")
    types: dict[str, ColumnKind] | None = Field(
        None, description="column: kind (text, amount, number, int, date, datetime, bool); others are inferred")
    infer: bool = Field(True, description="infer the kind of columns not listed in types")
    dayfirst: bool = Field(False, description="dates like 01/03/2024 are day first (1 March)")
    decimal: Literal[".", ",", "auto"] = Field(".", description="decimal mark of amounts written as text")
    footer: Literal["auto", "keep"] = Field("auto", description="auto: drop a trailing total/summary block; keep: keep all rows")
    debit_credit: DebitCredit | None = Field(None, description="combine split debit/credit columns into a signed amount")


@step("sheet.read", ReadParams, shorthand="path", outputs={
    "rows": "the rows as a list of mappings (for for_each)",
    "table": "the table (a DataFrame) for table.*, sheet.write, reconcile",
    "path": "the file read",
    "columns": "column names, in order",
    "count": "number of rows",
    "sheet": "the sheet read (workbooks)",
    "header_row": "row number of the header, as Excel shows it",
    "footer": "rows of the trailing summary block that was set aside",
})
def read(ctx, params: ReadParams) -> dict:
    from sheets.errors import SheetError
    from sheets.reader import read_table

    try:
        df = read_table(params.path, sheet=params.sheet, header=params.header, encoding=params.encoding,
                        columns=params.columns, rename=params.rename, types=params.types,
                        dayfirst=params.dayfirst, decimal=params.decimal, delimiter=params.delimiter,
                        infer=params.infer, footer="auto" if params.footer == "auto" else False,
                        debit_credit=params.debit_credit.model_dump() if params.debit_credit else None)
    except SheetError as exc:
        raise sheet_error(exc) from None
    source = df.attrs.get("source", {})
    for note in source.get("notes") or []:
        ctx.log(f"{params.path}: {note}", "WARNING")
    footer = source.get("footer") or []
    if footer:
        ctx.log(f"{params.path}: set aside {len(footer)} summary row(s) after the table (footer: keep to keep them)")
    ctx.log(f"read {len(df)} rows x {df.shape[1]} columns from {params.path}"
            + (f" sheet {source.get('sheet')!r}" if source.get("sheet") else "")
            + (f", header at row {source.get('header_row')}" if source.get("header_row") else ""))
    return table_outputs(df, path=str(params.path), sheet=source.get("sheet"), header_row=source.get("header_row"),
                         footer=footer)


class WriteParams(StepParams):
    """Write one or more tables to a new .xlsx workbook.

    ```yaml
    - sheet.write:
        path: "{{ run.dir }}/discrepancies.xlsx"
        table: "{{ steps.recon.table }}"
        sheet: Unmatched
        mask: [account, id_number]
    - sheet.write:
        path: "{{ run.dir }}/month.xlsx"
        tables: {Bank: "{{ steps.bank.table }}", Ledger: "{{ steps.ledger.rows }}"}
    ```
    """

    path: str = Field(description="the .xlsx file to write")
    table: Any = Field(None, description="one table (\"{{ steps.<id>.table }}\") or a list of rows")
    tables: dict[str, Any] | None = Field(None, description="several sheets: {sheet name: table or rows}")
    sheet: str = Field("Sheet1", description="sheet name when writing one table")
    mask: list[str] | dict[str, list[int]] | None = Field(
        None, description="columns to mask as 6222********1234; a mapping sets [keep_start, keep_end]")
    overwrite: bool = Field(True, description="replace an existing file")
    date_format: str = Field("yyyy-mm-dd", description="Excel number format of date columns")
    money_format: str = Field("#,##0.00", description="Excel number format of amount columns")


@step("sheet.write", WriteParams, outputs={"path": "the workbook written", "sheets": "sheet names",
                                           "count": "rows written, all sheets together"})
def write(ctx, params: WriteParams) -> dict:
    from sheets.errors import SheetError
    from sheets.writer import write_workbook

    if (params.table is None) == (params.tables is None):
        raise InputError("sheet.write: give either table: (one sheet) or tables: {sheet name: table}")
    sheets = {name: as_frame(t, f"tables.{name}") for name, t in params.tables.items()} if params.tables else \
        {params.sheet: as_frame(params.table)}
    try:
        path = write_workbook(params.path, sheets, mask=params.mask, overwrite=params.overwrite,
                              date_format=params.date_format, money_format=params.money_format)
    except SheetError as exc:
        raise sheet_error(exc) from None
    ctx.artifact(path, "workbook")
    return {"path": str(path), "sheets": list(sheets), "count": sum(len(df) for df in sheets.values())}


class AppendParams(StepParams):
    """Append rows to a sheet of an existing workbook (created if missing), keeping its formatting
    and formulas; rows whose key is already in the sheet are skipped, so re-runs never duplicate.

    ```yaml
    - sheet.append:
        path: shared/invoices-2026.xlsx
        sheet: Booked
        table: "{{ steps.booked.table }}"
        key: [invoice_no, supplier]
    ```
    """

    path: str = Field(description="the .xlsx/.xlsm workbook")
    table: Any = Field(description="rows to add: \"{{ steps.<id>.table }}\" or a list of mappings")
    sheet: str | None = Field(None, description="sheet name; default the first sheet; created if missing")
    key: list[str] | str | None = Field(None, description="columns that identify a row; rows already present are skipped")
    mask: list[str] | dict[str, list[int]] | None = Field(None, description="columns to mask as 6222********1234")
    create: bool = Field(True, description="create the workbook when it does not exist")


@step("sheet.append", AppendParams, outputs={
    "path": "the workbook", "appended": "rows added", "skipped": "rows skipped because their key was already there",
    "skipped_keys": "the keys of the skipped rows", "sheet": "the sheet appended to",
})
def append(ctx, params: AppendParams) -> dict:
    from sheets.errors import SheetError
    from sheets.writer import append_rows

    frame = as_frame(params.table)
    try:
        result = append_rows(params.path, frame, sheet=params.sheet, key=params.key, mask=params.mask,
                             create=params.create)
    except SheetError as exc:
        raise sheet_error(exc) from None
    if result.skipped:
        ctx.log(f"{params.path}: {result.skipped} row(s) already there, not appended again")
    ctx.artifact(result.path, "workbook")
    return {"path": str(result.path), "appended": result.appended, "skipped": result.skipped,
            "skipped_keys": [str(k) for k in result.skipped_keys][:1000], "sheet": result.sheet}
