"""Spreadsheets as finance systems really produce them: a plain library (imports nothing from bots).

- ``sheets.values``  — ``parse_amount`` (exact Decimal from "1,234.56", "(1,234.56)", "¥1,234.56",
  "1.234,56", CR/DR …), ``parse_date`` (ISO, day-first, 2024年3月1日, Excel serials),
  ``signed_amount`` (split debit/credit), ``mask_value`` (``6222********1234``).
- ``sheets.reader``  — ``read_table(path, sheet=None, header="auto", encoding=None, columns=None,
  rename=None, types=None, …) -> DataFrame``: xlsx/xlsm/xls/csv/tsv, header found past preambles,
  encoding detected (UTF-8, BOM, GBK/GB18030), typed columns, index = row numbers in the file.
- ``sheets.writer``  — ``write_workbook`` (formatted, formula-injection-safe, atomic, masked),
  ``append_rows`` (keeps formatting and formulas, skips rows whose key is already there),
  ``mask_columns``, ``safe_text`` (for CSV output), ``check_writable``.
- ``sheets.errors``  — ``SheetError(message, file, sheet, row, column, expected)``,
  ``SheetLocked``, ``SheetCorrupt``, ``ValueParseError``.

The recipe steps over this library are ``bots/steps/sheet.py`` and ``bots/steps/table.py``.
"""
