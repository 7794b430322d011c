"""Write workbooks operators open without suspicion, and append to them without duplicates.

    from sheets.writer import write_workbook, append_rows, mask_columns

    write_workbook("out/discrepancies.xlsx", {"Unmatched": df1, "Summary": df2},
                   mask=["account"])                       # 6222021234561234 -> 6222********1234
    result = append_rows("ledger.xlsx", new_rows, sheet="GL", key=["voucher"])
    result.appended, result.skipped                        # re-running never duplicates rows

Signatures (stable; ``reports`` and ``reconcile`` call them)::

    write_workbook(path, tables, *, sheet="Sheet1", mask=None, overwrite=True,
                   date_format="yyyy-mm-dd", datetime_format="yyyy-mm-dd hh:mm:ss",
                   money_format="#,##0.00", widths=True, freeze=True, autofilter=True) -> Path
    append_rows(path, table, *, sheet=None, key=None, mask=None, create=True) -> AppendResult
    mask_columns(df, columns) -> DataFrame          # the same masking, for CSV/HTML output
    safe_text(value) -> str                          # neutralise =,+,-,@,TAB,CR for CSV output
    check_writable(path)                             # SheetLocked if Excel has it open

- ``tables``: a DataFrame, a list of row mappings, or ``{sheet name: DataFrame or rows}``
  for several sheets in one workbook.
- Every sheet gets a bold, frozen header row, an autofilter over the data, column widths fitted
  to the content (CJK characters count double) and number formats by value type: ``Decimal``
  and float money columns ``#,##0.00``, dates ``yyyy-mm-dd``, datetimes with the time.
  The column kinds are recorded in the workbook (a custom document property), so
  ``sheets.reader.read_table`` gives back the same types (Decimal, date, int, text).
- Safe by construction: text that starts with ``=``, ``+``, ``-``, ``@``, TAB or CR is stored
  as a text cell with Excel's quote prefix, never as a formula; characters Excel cannot store
  (control characters) are removed; a text longer than Excel's 32,767-character cell limit is
  an error naming the row and column. Files are written to a temporary name in the target
  folder and renamed into place, so a crash never leaves half a workbook.
- New workbooks are streamed as XML by ``sheets._xlsx`` (about 10x less CPU than pandas'
  ``to_excel``/openpyxl, see ``benchmarks/sheets.py``), in the package layout openpyxl writes
  (``xl/worksheets/sheetN.xml``, ``xl/styles.xml``), so tools that post-process openpyxl output
  keep working. Appending uses openpyxl, whose object model keeps what is already there.
- ``mask``: a list of columns, or ``{column: [keep_start, keep_end]}``; values are shown as
  ``6222********1234``.
- Appending keeps the workbook's formatting, formulas, column widths and other sheets (it is
  loaded and saved with openpyxl, which drops charts and images: keep those in another
  workbook). New rows take the style of the last existing row; formulas in columns the new
  data does not fill are carried down (``=B7*C7`` becomes ``=B8*C8``); autofilter and table
  ranges grow. With ``key`` a row whose key is already in the sheet (or earlier in the same
  batch) is skipped, and counted.
- A workbook that Excel has open (its ``~$`` owner file is next to it) or that cannot be
  written raises ``SheetLocked`` naming it; a damaged one raises ``SheetCorrupt``.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from sheets.errors import SheetCorrupt, SheetError, SheetLocked
from sheets.reader import TYPES_PROPERTY, column_letter
from sheets.values import mask_value

__all__ = ["write_workbook", "append_rows", "AppendResult", "mask_columns", "safe_text", "check_writable",
           "FORMULA_PREFIXES"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32767
MAX_WIDTH = 60
WIDTH_SAMPLE = 2000
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_NAME_BAD = re.compile(r"[\\/*?:\[\]]")


# ---- small public helpers --------------------------------------------------------------------------

def safe_text(value: Any) -> str:
    """Text that a spreadsheet program will not run as a formula (for CSV/TSV output).

    A leading ``=``, ``+``, ``-``, ``@``, TAB or CR gets a ``'`` in front (OWASP's advice).
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _mask_spec(mask: Sequence[str] | Mapping[str, Any] | None) -> dict[str, tuple[int, int]]:
    if not mask:
        return {}
    if isinstance(mask, str):
        mask = [mask]
    if isinstance(mask, Mapping):
        spec = {}
        for column, keep in mask.items():
            if keep in (None, True):
                spec[str(column)] = (4, 4)
            elif isinstance(keep, (list, tuple)) and len(keep) == 2:
                spec[str(column)] = (int(keep[0]), int(keep[1]))
            else:
                raise SheetError(f"mask: {column!r} needs [keep_start, keep_end], e.g. [4, 4]; got {keep!r}")
        return spec
    return {str(c): (4, 4) for c in mask}


def mask_columns(df: pd.DataFrame, columns: Sequence[str] | Mapping[str, Any] | None) -> pd.DataFrame:
    """A copy of ``df`` with the given columns masked (``6222********1234``)."""
    spec = _mask_spec(columns)
    missing = [c for c in spec if c not in df.columns]
    if missing:
        raise SheetError(f"mask: no column {', '.join(map(repr, missing))}; the table has "
                         f"{', '.join(map(repr, map(str, df.columns)))}")
    if not spec:
        return df
    out = df.copy()
    for column, (start, end) in spec.items():
        out[column] = pd.Series([None if _is_missing(v) else mask_value(v, start, end) for v in out[column].tolist()],
                                index=out.index, dtype=object)
    return out


def check_writable(path: str | Path) -> None:
    """Raise SheetLocked when the workbook is open in Excel/WPS or its folder is read-only."""
    path = Path(path)
    owner = path.with_name("~$" + path.name)
    # Excel replaces the first two characters of longer names: report2024.xlsx -> ~$port2024.xlsx
    short_owner = path.with_name("~$" + path.name[2:]) if len(path.stem) >= 7 else owner
    for lock in (owner, short_owner):
        if lock.exists():
            raise SheetLocked(f"is open in Excel or another program ({lock.name} exists); close it and run again",
                              file=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not os.access(folder, os.W_OK):
        raise SheetLocked(f"cannot be written: folder {folder} is read-only", file=str(path))
    if path.exists() and not os.access(path, os.W_OK):
        raise SheetLocked("is read-only or locked by another program", file=str(path))


@dataclass
class AppendResult:
    path: Path
    sheet: str
    appended: int
    skipped: int
    #: the keys of the rows skipped because they were already there
    skipped_keys: list
    created: bool = False


# ---- values and kinds ------------------------------------------------------------------------------

def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, np.generic):
        return bool(pd.isna(value))
    return False


def _column_kind(series: pd.Series) -> str:
    """text / amount / int / date / datetime / bool / number, from the dtype and the values."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        stamps = series.dropna()
        return "date" if len(stamps) and (stamps.dt.normalize() == stamps).all() else "datetime"
    kinds = set()
    for value in series.tolist():
        if _is_missing(value):
            continue
        if isinstance(value, bool):
            kinds.add("bool")
        elif isinstance(value, Decimal):
            kinds.add("amount")
        elif isinstance(value, datetime):
            kinds.add("datetime" if value.time() != time() else "date")
        elif isinstance(value, date):
            kinds.add("date")
        elif isinstance(value, int):
            kinds.add("int")
        elif isinstance(value, float):
            kinds.add("number")
        else:
            return "text"
        if len(kinds) > 2:
            break
    if not kinds:
        return "text"
    if kinds == {"date", "datetime"}:
        return "datetime"
    if kinds <= {"amount", "int"}:
        return "amount"
    if kinds <= {"number", "int"}:
        return "number"
    return kinds.pop() if len(kinds) == 1 else "mixed"


def _cell_value(value: Any, sheet: str, row: int, column: str) -> tuple[Any, bool]:
    """(value for openpyxl, True if it is text that must never become a formula)."""
    if _is_missing(value):
        return None, False
    if isinstance(value, str):
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("", value)
        if len(value) > EXCEL_CELL_LIMIT:
            raise SheetError(f"text of {len(value)} characters is longer than an Excel cell holds "
                             f"({EXCEL_CELL_LIMIT}); shorten it before writing", sheet=sheet, row=row, column=column)
        return value, value.startswith(FORMULA_PREFIXES)
    if isinstance(value, (bool, int, Decimal)):
        return value, False
    if isinstance(value, float):
        return (None, False) if math.isnan(value) else (value, False)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return (value.replace(tzinfo=None) if value.tzinfo else value), False
    if isinstance(value, date):
        return value, False
    if hasattr(value, "item"):  # numpy scalars
        return _cell_value(value.item(), sheet, row, column)
    text = str(value)
    return _cell_value(text, sheet, row, column)


def _display_width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind in ("amount", "number") and isinstance(value, (Decimal, float, int)):
        try:
            return len(f"{value:,.2f}")
        except (ValueError, TypeError):
            return len(str(value))
    if isinstance(value, datetime):
        return 19 if value.time() != time() else 10
    if isinstance(value, date):
        return 10
    text = str(value).split("\n", 1)[0]
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[:200])


# ---- normalising the input -------------------------------------------------------------------------

def _as_frame(table: Any, what: str) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table
    if isinstance(table, (list, tuple)):
        if table and not all(isinstance(r, Mapping) for r in table):
            bad = next(i for i, r in enumerate(table) if not isinstance(r, Mapping))
            raise SheetError(f"{what}: row {bad + 1} is {type(table[bad]).__name__}, not a mapping of column: value")
        columns: dict[str, None] = {}
        for row in table:
            for key in row:
                columns.setdefault(str(key), None)
        return pd.DataFrame({c: pd.Series([row.get(c) for row in table], dtype=object) for c in columns})
    raise SheetError(f"{what}: expected a table (DataFrame) or a list of rows, got {type(table).__name__}")


def _as_sheets(tables: Any, sheet: str) -> dict[str, pd.DataFrame]:
    if isinstance(tables, Mapping) and tables and all(isinstance(v, (pd.DataFrame, list, tuple)) for v in tables.values()):
        sheets = {str(name): _as_frame(t, f"sheet {name!r}") for name, t in tables.items()}
    else:
        sheets = {sheet: _as_frame(tables, f"sheet {sheet!r}")}
    for name in sheets:
        if not name or len(name) > 31 or _SHEET_NAME_BAD.search(name) or name.startswith("'") or name.endswith("'"):
            raise SheetError(f"{name!r} cannot be a sheet name: 1-31 characters, none of \\ / * ? : [ ] "
                             "and no quote at either end")
    if len({n.lower() for n in sheets}) != len(sheets):
        raise SheetError("two sheets would have the same name (Excel ignores case)")
    return sheets


def _check_target(path: Path, allowed: tuple[str, ...]) -> None:
    if path.suffix.lower() not in allowed:
        if path.suffix.lower() == ".xls":
            raise SheetError("legacy .xls workbooks cannot be written; use .xlsx", file=str(path))
        raise SheetError(f"can only write {' or '.join(allowed)} workbooks", file=str(path))


def _replace_atomically(path: Path, save: Any) -> None:
    """Call ``save(temp_path)`` then rename the temp file over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".tmp", dir=path.parent)
    os.close(fd)
    try:
        save(temp)
        if path.exists():
            try:
                os.chmod(temp, path.stat().st_mode & 0o777)
            except OSError:
                pass
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except PermissionError as exc:
        Path(temp).unlink(missing_ok=True)
        raise SheetLocked(f"cannot be written ({exc.strerror}); is it open in another program?", file=str(path)) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# ---- writing a new workbook ------------------------------------------------------------------------

def write_workbook(path: str | Path, tables: Any, *, sheet: str = "Sheet1",
                   mask: Sequence[str] | Mapping[str, Any] | None = None, overwrite: bool = True,
                   date_format: str = "yyyy-mm-dd", datetime_format: str = "yyyy-mm-dd hh:mm:ss",
                   money_format: str = "#,##0.00", widths: bool = True, freeze: bool = True,
                   autofilter: bool = True) -> Path:
    """Write one or more tables to a new .xlsx workbook; see the module docstring."""
    from sheets._xlsx import SheetData, write_package

    path = Path(path)
    _check_target(path, (".xlsx",))
    if path.exists() and not overwrite:
        raise SheetError("already exists; set overwrite: true to replace it", file=str(path))
    check_writable(path)
    sheets = _as_sheets(tables, sheet)
    mask_spec = _mask_spec(mask)
    if mask_spec:
        nowhere = [c for c in mask_spec if not any(c in frame.columns for frame in sheets.values())]
        if nowhere:
            raise SheetError(f"mask: no sheet has a column {', '.join(map(repr, nowhere))}", file=str(path))
        for name, frame in sheets.items():
            sheets[name] = mask_columns(frame, {c: k for c, k in mask_spec.items() if c in frame.columns})
    recorded: dict[str, dict[str, str]] = {}
    prepared = []
    for name, frame in sheets.items():
        columns = [str(c) for c in frame.columns]
        if len(set(columns)) != len(columns):
            raise SheetError("two columns have the same name; rename one first", file=str(path), sheet=name)
        kinds = [_column_kind(frame[c]) for c in frame.columns]
        # floats with cents read back as Decimal amounts; other floats keep Excel's General format
        kinds = [("amount" if _all_money(frame[c]) else "float") if k == "number" else k
                 for k, c in zip(kinds, frame.columns)]
        recorded[name] = {c: ("number" if k == "float" else k) for c, k in zip(columns, kinds) if k != "mixed"}
        value_lists = [frame[c].tolist() for c in frame.columns]
        fitted = None
        if widths:
            fitted = []
            for column, kind, values in zip(columns, kinds, value_lists):
                sample = max((_display_width(v, kind) for v in values[:WIDTH_SAMPLE] if not _is_missing(v)), default=0)
                width = max(_display_width(column, "text") + 3, sample + 2)  # +3: the filter button
                fitted.append(min(max(width, 6), MAX_WIDTH))
        prepared.append(SheetData(name, columns, kinds, value_lists, fitted, freeze, autofilter, len(frame)))

    for sheet_data in prepared:
        sheet_data.text_check = _text_check(str(path), sheet_data.name, sheet_data.columns)

    def save(temp: str) -> None:
        write_package(temp, prepared, is_missing=_is_missing,
                      custom_properties={TYPES_PROPERTY: json.dumps(recorded, ensure_ascii=False)},
                      date_format=date_format, datetime_format=datetime_format, money_format=money_format)

    _replace_atomically(path, save)
    return path


def _text_check(file: str, sheet: str, columns: list[str]) -> Any:
    def check(value: str, row: int, col: int) -> tuple[str, bool]:
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("", value)  # Excel cannot store control characters at all
        if len(value) > EXCEL_CELL_LIMIT:
            raise SheetError(f"text of {len(value)} characters is longer than an Excel cell holds "
                             f"({EXCEL_CELL_LIMIT}); shorten it before writing", file=file, sheet=sheet, row=row,
                             column=columns[col])
        return value, value.startswith(FORMULA_PREFIXES)
    return check


def _all_money(series: pd.Series) -> bool:
    """A float column whose values all have at most 2 decimals reads back best as amounts."""
    for value in series.dropna().tolist()[:WIDTH_SAMPLE]:
        if round(value, 2) != value:
            return False
    return True


# ---- appending to an existing workbook ---------------------------------------------------------------

def _key_of(value: Any) -> Any:
    """One spelling for equal keys, whatever the cell type (1234.5 == Decimal('1234.50') == '1234.50')."""
    if _is_missing(value):
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            return ("n", Decimal(text.replace(",", "")).normalize()) if re.fullmatch(r"-?[\d,]*\.?\d+", text) else ("s", text)
        except ArithmeticError:
            return ("s", text)
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, Decimal)):
        return ("n", Decimal(value).normalize())
    if isinstance(value, float):
        return ("n", Decimal(repr(value)).normalize())
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return ("d", value.date().isoformat() if value.time() == time() else value.isoformat())
    if isinstance(value, date):
        return ("d", value.isoformat())
    if hasattr(value, "item"):
        return _key_of(value.item())
    return ("s", str(value))


def append_rows(path: str | Path, table: Any, *, sheet: str | None = None, key: Sequence[str] | str | None = None,
                mask: Sequence[str] | Mapping[str, Any] | None = None, create: bool = True) -> AppendResult:
    """Append rows to a sheet, keeping its formatting and formulas; see the module docstring."""
    from openpyxl import load_workbook
    from openpyxl.formula.translate import Translator
    from openpyxl.styles import Font
    from openpyxl.utils.exceptions import InvalidFileException

    from sheets.reader import _find_header  # the same header rule as reading

    path = Path(path)
    _check_target(path, (".xlsx", ".xlsm"))
    frame = _as_frame(table, "rows to append")
    keys = [key] if isinstance(key, str) else list(key or [])
    missing_keys = [k for k in keys if k not in frame.columns]
    if missing_keys:
        raise SheetError(f"key: the new rows have no column {', '.join(map(repr, missing_keys))}", file=str(path))
    frame = mask_columns(frame, {c: k for c, k in _mask_spec(mask).items()}) if mask else frame
    if not path.exists():
        if not create:
            raise SheetError("does not exist (set create: true to start it)", file=str(path))
        unique, skipped_keys = _dedupe_batch(frame, keys, set())
        write_workbook(path, {sheet or "Sheet1": unique})
        return AppendResult(path, sheet or "Sheet1", len(unique), len(skipped_keys), skipped_keys, created=True)
    check_writable(path)
    try:
        book = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", keep_links=True)
    except (InvalidFileException, KeyError, ValueError, OSError, EOFError) as exc:
        raise SheetCorrupt(f"cannot be opened to append ({type(exc).__name__}: {str(exc)[:150]}); is it a complete"
                           " .xlsx file?", file=str(path)) from None
    except Exception as exc:  # zipfile.BadZipFile and lxml errors surface as many types
        raise SheetCorrupt(f"is damaged ({type(exc).__name__}: {str(exc)[:150]})", file=str(path)) from None
    if sheet is None:
        ws = book.worksheets[0]
    elif sheet in book.sheetnames:
        ws = book[sheet]
    else:
        ws = book.create_sheet(sheet)
    columns = [str(c) for c in frame.columns]
    header_values = [list(r) for r in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 70), values_only=True)]
    has_content = any(any(v not in (None, "") for v in r) for r in header_values)
    if not has_content:
        ws.append(columns)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        header_row = 1
    else:
        found = _find_header(header_values)
        if found is None:
            raise SheetError("has no header row to append under (a row of column names)", file=str(path), sheet=ws.title)
        header_row = found + 1
    header = {str(c.value).strip(): c.column for c in ws[header_row] if c.value not in (None, "")}
    unknown = [c for c in columns if c not in header]
    if unknown:
        raise SheetError(f"the sheet has no column {', '.join(map(repr, unknown))} to append into; its columns are "
                         f"{', '.join(map(repr, header))}", file=str(path), sheet=ws.title, row=header_row)
    last = ws.max_row
    while last > header_row and all(ws.cell(last, col).value in (None, "") for col in header.values()):
        last -= 1
    existing: set = set()
    if keys:
        key_cols = [header[k] for k in keys]
        for values in ws.iter_rows(min_row=header_row + 1, max_row=last, values_only=True):
            existing.add(tuple(_key_of(values[c - 1] if c - 1 < len(values) else None) for c in key_cols))
    unique, skipped_keys = _dedupe_batch(frame, keys, existing)
    template_row = last if last > header_row else None
    carried = {}
    if template_row is not None:
        for col in range(1, ws.max_column + 1):
            src = ws.cell(template_row, col)
            if isinstance(src.value, str) and src.value.startswith("=") and src.data_type == "f" and \
                    col not in {header[c] for c in columns}:
                carried[col] = src.value
    new_row = last
    value_lists = [unique[c].tolist() for c in unique.columns]
    for values in zip(*value_lists) if len(unique) else []:
        new_row += 1
        for name, value in zip(columns, values):
            col = header[name]
            cell = ws.cell(new_row, col)
            value, risky = _cell_value(value, ws.title, new_row, name)
            cell.value = value
            if risky:
                cell.data_type = "s"
                cell.quotePrefix = True
            if template_row is not None:
                cell._style = ws.cell(template_row, col)._style
                if risky:
                    cell.quotePrefix = True
            elif isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
        for col, formula in carried.items():
            target = ws.cell(new_row, col)
            src = ws.cell(template_row, col)
            target.value = Translator(formula, origin=src.coordinate).translate_formula(target.coordinate)
            target._style = src._style
    if new_row > last:
        _grow_ranges(ws, header_row, new_row)
    _replace_atomically(path, book.save)
    return AppendResult(path, ws.title, len(unique), len(skipped_keys), skipped_keys)


def _dedupe_batch(frame: pd.DataFrame, keys: list[str], existing: set) -> tuple[pd.DataFrame, list]:
    if not keys:
        return frame, []
    seen = set(existing)
    keep, skipped = [], []
    for i, values in enumerate(zip(*(frame[k].tolist() for k in keys))):
        norm = tuple(_key_of(v) for v in values)
        if norm in seen:
            skipped.append(values[0] if len(values) == 1 else list(values))
        else:
            seen.add(norm)
            keep.append(i)
    return frame.iloc[keep], skipped


def _grow_ranges(ws: Any, header_row: int, last_row: int) -> None:
    from openpyxl.utils.cell import range_boundaries

    def grown(ref: str) -> str:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_row <= header_row <= max_row:
            return f"{column_letter(min_col - 1)}{min_row}:{column_letter(max_col - 1)}{max(max_row, last_row)}"
        return ref

    if ws.auto_filter.ref:
        ws.auto_filter.ref = grown(ws.auto_filter.ref)
    for table in ws.tables.values():
        table.ref = grown(table.ref)
        if table.autoFilter is not None and table.autoFilter.ref:
            table.autoFilter.ref = table.ref
