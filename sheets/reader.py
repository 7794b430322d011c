"""Read the tables finance systems export: xlsx/xlsm, legacy xls, csv/tsv, with their quirks.

    from sheets.reader import read_table

    df = read_table("statement.csv")                      # header found past any preamble
    df = read_table("GL.xlsx", sheet="GL", types={"posted": "date", "amount": "amount"})
    df = read_table("icbc.csv", encoding=None, dayfirst=False, columns={"交易日期": "date", "摘要": "memo"})
    df = read_table("spdb.xls", debit_credit={"debit": "取出金额", "credit": "存入金额", "into": "amount"})
    df.attrs["source"]   # {"file", "sheet", "header_row", "encoding", "delimiter", "format", "footer", ...}

Signature (stable; ``reconcile`` and ``reports`` call it)::

    read_table(path, sheet=None, header="auto", encoding=None, columns=None, rename=None,
               types=None, *, dayfirst=False, decimal=".", delimiter=None, infer=True,
               footer="auto", debit_credit=None) -> pandas.DataFrame

- Formats by content, not only by name: ``.xlsx``/``.xlsm``/``.xls``/``.ods`` are read with
  python-calamine (Rust; one engine for all workbook kinds, ~10x faster than openpyxl); an
  ``.xls`` that is really HTML or CSV (common in bank portals) is read as what it is.
  ``.csv``/``.tsv``/``.txt``: delimiter sniffed among ``, ; TAB |`` unless given.
- ``sheet``: a name, or a 0-based index (``0`` is the first sheet); default the first sheet.
- ``header``: ``"auto"`` finds the header row past title blocks and preambles (the first row,
  within the first 60, whose cells are all labels and that is about as wide as the table below
  it); an ``int`` is the header's row number as Excel shows it (1-based); ``None`` means no
  header: columns are named by their letters ``A, B, C…``.
- ``encoding``: ``None`` detects it: BOM, then UTF-8, then charset-normalizer; Chinese
  code pages (GB2312/GBK) are read as GB18030, their superset.
- ``columns``: a list of names to keep (in that order) or a mapping ``{source: new name}`` to
  keep and rename; ``rename``: a mapping applied after. A missing column is an error that
  names the columns present.
- ``types``: ``{column: kind}`` with kind one of ``text, amount, number, int, date, datetime,
  bool``. Columns not listed are inferred when ``infer`` is true: native Excel dates -> ``date``
  (``datetime`` if any has a time), numbers -> ``int`` when all are whole else ``Decimal``,
  text that is all dates (ISO, ``2024年3月1日``, slash dates in the ``dayfirst`` order) -> dates,
  text that is all money with a decimal mark/grouping/currency (``"1,234.00"``, ``¥28.16``)
  -> ``Decimal``. Digit-only text (account numbers, IDs) stays text. Workbooks written by
  ``sheets.writer`` carry their column kinds, so they read back with the same types.
- Amounts are ``decimal.Decimal``, never float. Blank cells (and the ``-``, ``/`` placeholders
  banks print in typed amount/date columns) are ``None``; text is stripped of padding (tabs).
- ``footer="auto"`` drops a trailing summary block (rows after the last blank row when there
  are at most 5 of them, or trailing rows starting with 合计/总计/Total); it is kept in
  ``attrs["source"]["footer"]`` for checks. ``footer=False`` keeps every row.
- ``debit_credit={"debit": col, "credit": col, "into": "amount"}`` adds a signed amount
  column (credit positive) from split money-in / money-out columns.
- Inferred slash dates follow ``dayfirst``, unless the column itself proves the other order
  (``15/12/2018``): then it is read that way and ``attrs["source"]["notes"]`` says so.
- The index is each row's number in the file as Excel or an editor shows it (name ``row``),
  so a later error can point at the right line.

Every failure raises ``sheets.errors.SheetError`` naming file, sheet, row and column and what
was expected (``SheetCorrupt`` for damaged files).
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import json
import math
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from sheets import values as V
from sheets.errors import SheetCorrupt, SheetError, ValueParseError

__all__ = ["read_table", "read_grid", "detect_encoding", "column_letter", "KINDS"]

KINDS = ("text", "amount", "number", "int", "date", "datetime", "bool", "auto")
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".dat"}
HEADER_SCAN_ROWS = 60
#: custom document property where sheets.writer records each column's kind
TYPES_PROPERTY = "deskbot.column_types"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as Excel names columns)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# ---- raw grid ----------------------------------------------------------------------------------

def _sniff_format(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(512)
    if head.startswith(b"PK\x03\x04"):
        return "ods" if path.suffix.lower() == ".ods" else "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<html", b"<!doctype html", b"<table", b"<meta", b"<?xml")) and b"<" in stripped[:1]:
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head or b"<workbook" in head.lower():
            return "xml2003"
        return "html"
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "broken"
        return "text"  # an ".xls" that is really CSV/TSV text: read it as such
    return "text"


def read_grid(path: str | Path, sheet: str | int | None = None, encoding: str | None = None,
              delimiter: str | None = None) -> tuple[list[list[Any]], dict]:
    """Every cell of one sheet (or a text file) as a list of rows, plus what was learned.

    The info mapping has ``format``, ``sheet``, ``sheets`` (names in the workbook),
    ``encoding`` and ``delimiter`` (text files).
    """
    path = Path(path)
    if not path.exists():
        raise SheetError("file not found", file=str(path))
    if not path.is_file():
        raise SheetError("is a folder, not a spreadsheet file", file=str(path))
    kind = _sniff_format(path)
    if kind == "xls" and _is_encrypted_ooxml(path):
        raise SheetError("is password-protected (encrypted); open it in Excel and save a copy without a password",
                         file=str(path))
    if kind in ("xlsx", "xls", "ods"):
        return _read_workbook_grid(path, sheet, kind)
    if kind == "broken":
        raise SheetCorrupt("is neither a workbook nor text; the file is damaged or not a spreadsheet",
                           file=str(path), expected="an .xlsx, .xls or .csv file")
    data = path.read_bytes()
    text, used = _decode(data, encoding, path)
    if kind == "html":
        return _read_html_grid(text, path, sheet), {"format": "html", "sheet": sheet, "sheets": [], "encoding": used}
    if kind == "xml2003":
        raise SheetError("is an Excel 2003 XML spreadsheet; open it in Excel and save it as .xlsx", file=str(path))
    rows, delim = _read_text_grid(text, delimiter, path)
    return rows, {"format": "tsv" if delim == "\t" else "csv", "sheet": None, "sheets": [], "encoding": used,
                  "delimiter": delim}


def _is_encrypted_ooxml(path: Path) -> bool:
    """An encrypted .xlsx is an OLE container holding an 'EncryptedPackage' stream."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    return "EncryptedPackage".encode("utf-16-le") in head


def _read_workbook_grid(path: Path, sheet: str | int | None, kind: str) -> tuple[list[list[Any]], dict]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise SheetCorrupt(f"cannot be opened as a workbook ({_short(exc)}); is the file complete and really"
                           f" {path.suffix or 'a workbook'}?", file=str(path)) from None
    names = list(book.sheet_names)
    if not names:
        raise SheetCorrupt("the workbook has no sheets", file=str(path))
    if sheet is None:
        name = names[0]
    elif isinstance(sheet, int) and not isinstance(sheet, bool) and not (
            str(sheet) in names and not -len(names) <= sheet < len(names)):  # `sheet: 2024` names a sheet
        if not -len(names) <= sheet < len(names):
            raise SheetError(f"has no sheet number {sheet} (0 is the first); it has {len(names)}: "
                             f"{', '.join(map(repr, names))}", file=str(path))
        name = names[sheet]
    else:
        name = str(sheet)
        if name not in names:
            folded = {n.strip().lower(): n for n in names}
            if name.strip().lower() in folded:
                name = folded[name.strip().lower()]
            else:
                close = difflib.get_close_matches(name, names, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise SheetError(f"has no sheet {name!r}; sheets are {', '.join(map(repr, names))}.{hint}", file=str(path))
    try:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise SheetCorrupt(f"sheet {name!r} cannot be read ({_short(exc)})", file=str(path), sheet=name) from None
    return rows, {"format": kind, "sheet": name, "sheets": names, "encoding": None}


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def detect_encoding(data: bytes) -> str:
    """The text encoding of a file's bytes: BOM, UTF-8, else charset-normalizer's best guess."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return name
    sample = data[:20_000]
    if sample.count(b"\x00") > len(sample) // 4:  # UTF-16 without a BOM: every other byte is NUL
        odd_nuls = sample[1::2].count(b"\x00")
        return "utf-16-le" if odd_nuls > sample[0::2].count(b"\x00") else "utf-16-be"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    guess = (best.encoding if best else "") or ""
    if guess.replace("-", "_").lower() in ("gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn", "big5", "big5hkscs", "cp950"):
        # Chinese bank exports say "GBK" but contain GB18030-only characters often enough;
        # GB18030 is a strict superset, so prefer it whenever it decodes the whole file.
        try:
            data.decode("gb18030")
            return "gb18030"
        except UnicodeDecodeError:
            return guess
    if guess:
        return guess
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return "cp1252"


def _decode(data: bytes, encoding: str | None, path: Path) -> tuple[str, str]:
    used = encoding or detect_encoding(data)
    try:
        text = data.decode(used)
    except LookupError:
        raise SheetError(f"unknown text encoding {encoding!r}", file=str(path),
                         expected="an encoding such as utf-8, gb18030 or cp1252") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SheetError(f"is not valid {used} text (byte {exc.start}); set encoding: to the file's real encoding"
                         " (e.g. gb18030 for Chinese exports, cp1252 for Western Windows files)",
                         file=str(path), row=line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, used


def _read_text_grid(text: str, delimiter: str | None, path: Path) -> tuple[list[list[str]], str]:
    if delimiter is None:
        delimiter = _sniff_delimiter(text, path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        rows = [row for row in reader]
    except csv.Error as exc:
        raise SheetError(f"is not well-formed delimited text ({exc})", file=str(path), row=reader.line_num,
                         expected="one record per line, quotes closed") from None
    return rows, delimiter


def _sniff_delimiter(text: str, path: Path) -> str:
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    lines = [ln for ln in text[:200_000].splitlines()[:200] if ln.strip()]
    best, best_score = ",", -1.0
    for cand in (",", "\t", ";", "|"):
        try:
            counts = [len(next(csv.reader([ln], delimiter=cand))) for ln in lines[:100]]
        except csv.Error:  # e.g. a field over the size limit: reported by the real parse
            continue
        if not counts:
            continue
        # the delimiter that gives many lines the same (largest) field count wins
        common = max(set(counts), key=lambda c: (counts.count(c) * (c > 1), c))
        if common <= 1:
            continue
        score = counts.count(common) * math.log(common + 1)
        if score > best_score:
            best, best_score = cand, score
    return best


def _read_html_grid(text: str, path: Path, sheet: str | int | None) -> list[list[Any]]:
    import lxml.html

    try:
        doc = lxml.html.fromstring(text)
    except Exception as exc:
        raise SheetCorrupt(f"looks like HTML but cannot be parsed ({_short(exc)})", file=str(path)) from None
    tables = doc.findall(".//table")
    if not tables:
        raise SheetError("is an HTML page without a table; save the export as .xlsx or .csv", file=str(path))
    index = sheet if isinstance(sheet, int) else max(range(len(tables)), key=lambda i: len(tables[i].findall(".//tr")))
    return [[cell.text_content().strip() for cell in tr.findall("./th") + tr.findall("./td")]
            for tr in tables[index].findall(".//tr")]


# ---- header and footer ---------------------------------------------------------------------------

def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return str(value)


def _filled(row: Sequence[Any]) -> int:
    return sum(1 for v in row if _cell_text(v) != "")


_LABEL_NOT = re.compile(r"^[\s(（-]*[¥￥$€£]?[\d.,\s:/年月日()（）+-]+[元]?[)）]?$")


def _is_label(value: Any) -> bool:
    if isinstance(value, (int, float, Decimal, date, datetime, bool)):
        return False
    text = _cell_text(value)
    return bool(text) and not _LABEL_NOT.match(text)


def _find_header(rows: list[list[Any]]) -> int | None:
    """Index of the header row: of the rows whose cells are all labels and that are about as
    wide as the table, the widest (the first on ties), looking only above the first data row."""
    scan = rows[:HEADER_SCAN_ROWS + 10]
    width = max((_filled(r) for r in scan), default=0)
    if width == 0:
        return None
    wide_enough = max(2, math.ceil(0.6 * width)) if width > 1 else 1
    best, best_filled = None, 0
    for i, row in enumerate(scan[:HEADER_SCAN_ROWS]):
        filled = _filled(row)
        if filled < wide_enough:
            continue
        cells = [c for c in row if _cell_text(c) != ""]
        if not all(_is_label(c) for c in cells):
            if best is not None:
                break  # the data has started: the header is above
            continue
        labels = [_cell_text(c) for c in cells]
        if len(set(labels)) * 2 < len(labels):
            continue
        following = [r for r in rows[i + 1:i + 4] if _filled(r)]
        if following and _filled(following[0]) < max(1, filled // 2):
            continue  # a title row of labels (Column1, Column2…) above a preamble
        if filled > best_filled:
            best, best_filled = i, filled
    return best


# the whole first cell is the label ("人民币合计", "Total:"), so a payee called "Total Energies" is data
_FOOTER_WORDS = re.compile(r"^(?:(?:人民币|本币|外币|本页|本期|总)?(?:合计|总计|合計|小计|汇总|累计)"
                           r"|(?:grand\s+|sub)?totals?(?:\s+[A-Z]{3})?)\s*[:：]?$", re.I)


def _has_content(row: Sequence[Any]) -> bool:
    for value in row:
        if value is None or value == "":
            continue
        if value.__class__ is str and not value.strip():
            continue
        if value.__class__ is float and value != value:
            continue
        return True
    return False


def _footer_start(data: list[list[Any]]) -> int:
    """Index in ``data`` where a trailing summary block starts (``len(data)`` if none).

    A summary is trailing rows that start with 合计/总计/Total, or a block of at most 5 rows
    after the last blank row that is visibly sparser than the data rows above it.
    """
    end = len(data)
    while end and not _has_content(data[end - 1]):
        end -= 1
    start = end
    while start and _FOOTER_WORDS.match(_first_text(data[start - 1])):
        start -= 1
    for size in range(0, 6):
        blank = start - size - 1
        if blank < 1:
            break
        if not _has_content(data[blank]):
            block = data[blank + 1:start]
            above = [_filled(r) for r in data[max(0, blank - 20):blank] if _has_content(r)]
            typical = sorted(above)[len(above) // 2] if above else 0
            if block and len(above) >= len(block) and all(_filled(r) < 0.6 * typical for r in block):
                return blank
            break
    return start if start < end else end


def _first_text(row: Sequence[Any]) -> str:
    for value in row:
        text = _cell_text(value)
        if text:
            return text
    return ""


def _header_names(row: Sequence[Any], width: int) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for i in range(width):
        text = _cell_text(row[i]) if i < len(row) else ""
        text = re.sub(r"\s+", " ", text)
        if not text:
            text = column_letter(i)
        if text in seen:
            seen[text] += 1
            text = f"{text}_{seen[text]}"
        else:
            seen[text] = 1
        names.append(text)
    return names


# ---- typing --------------------------------------------------------------------------------------

_AMOUNT_TEXT = re.compile(r"^[(（]?[-+−]?\s*(?:[¥￥$€£]|CNY|RMB|USD|EUR)?\s*[-+−]?\s*[(（]?"
                          r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[)）]?\s*(?:元|CR|DR|Cr|Dr)?[-]?[)）]?$")
_AMOUNT_TEXT_COMMA = re.compile(r"^[(（]?[-+−]?\s*(?:[¥￥$€£]|CNY|RMB|USD|EUR)?\s*[-+−]?\s*[(（]?"
                                r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?[)）]?\s*(?:元|CR|DR|Cr|Dr)?[-]?[)）]?$")
_DATE_TEXT = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T\s].*)?$|^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?.*$"
                        r"|^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}(?:[T\s].*)?$")


class _Column:
    """One column being typed: its values and where they came from (for error messages)."""

    __slots__ = ("name", "values", "rows", "ctx", "notes")

    def __init__(self, name: str, values: list, rows: list[int], ctx: dict, notes: list[str] | None = None):
        self.name, self.values, self.rows, self.ctx = name, values, rows, ctx
        self.notes = notes if notes is not None else []

    def fail(self, position: int, exc: Exception, kind: str) -> SheetError:
        expected = getattr(exc, "expected", None) or f"a {kind}"
        return SheetError(str(exc), file=self.ctx["file"], sheet=self.ctx["sheet"], row=self.rows[position],
                          column=self.name, expected=expected)


def _native_kinds(values: list) -> set | None:
    """Classes of the non-blank values, or None if some text would need parsing."""
    kinds = {v.__class__ for v in values}
    kinds.discard(type(None))
    if str in kinds:
        if any(v.strip() for v in values if v.__class__ is str):
            return None
        kinds.discard(str)
    return kinds


def _fast_convert(values: list, kind: str) -> list | None:
    """Typed columns of native cells (what workbooks mostly hold) without per-cell parsing."""
    if kind == "text":
        if {v.__class__ for v in values} <= {str, type(None)}:
            return [v.strip() or None if v is not None else None for v in values]
        return None
    kinds = _native_kinds(values)
    if kinds is None:
        return None
    if kind == "amount" and kinds <= {float, int}:
        if any(v != v for v in values if v.__class__ is float):
            return None
        return [_float_decimal(v) if v.__class__ is float else (Decimal(v) if v.__class__ is int else None)
                for v in values]
    if kind == "int" and kinds <= {float, int}:
        if not all(v.__class__ is int or (v == v and v.is_integer()) for v in values if v.__class__ in (int, float)):
            return None
        return [int(v) if v.__class__ in (int, float) else None for v in values]
    if kind == "date" and kinds <= {date, datetime}:
        return [v.date() if v.__class__ is datetime else (v if v.__class__ is date else None) for v in values]
    if kind == "datetime" and kinds <= {date, datetime}:
        return [v if v.__class__ is datetime else (datetime.combine(v, datetime.min.time()) if v.__class__ is date
                                                   else None) for v in values]
    return None


def _convert(col: _Column, kind: str, dayfirst: bool, decimal: str) -> pd.Series | list:
    fast = _fast_convert(col.values, kind)
    if fast is not None:
        return fast
    out: list[Any] = []
    cache: dict[Any, Any] = {}
    if kind == "text":
        return [None if _cell_text(v) == "" else _cell_text(v) for v in col.values]
    if kind in ("amount", "number"):
        parse = lambda v: V.parse_amount(v, decimal)  # noqa: E731
    elif kind == "int":
        def parse(v):
            number = V.parse_amount(v, decimal)
            if number != number.to_integral_value():
                raise ValueParseError(f"{v!r} is not a whole number", value=v, expected="a whole number")
            return int(number)
    elif kind == "date":
        parse = lambda v: V.parse_date(v, dayfirst)  # noqa: E731
    elif kind == "datetime":
        parse = lambda v: V.parse_datetime(v, dayfirst)  # noqa: E731
    elif kind == "bool":
        def parse(v):
            if isinstance(v, bool):
                return v
            text = _cell_text(v).lower()
            if text in ("true", "yes", "y", "1", "是", "x", "✓"):
                return True
            if text in ("false", "no", "n", "0", "否"):
                return False
            raise ValueParseError(f"{v!r} is not yes/no", value=v, expected="true/false, yes/no or 1/0")
    else:
        raise SheetError(f"unknown column type {kind!r} for column {col.name!r}; use one of {', '.join(KINDS)}",
                         file=col.ctx["file"], sheet=col.ctx["sheet"])
    blank = V.BLANK_MARKERS
    for i, value in enumerate(col.values):
        if value is None:
            out.append(None)
            continue
        if value.__class__ is str:
            key: Any = value.strip()  # the cache key: equal text parses once (dates repeat a lot)
            if key in blank:
                out.append(None)
                continue
        elif V.is_blank(value):
            out.append(None)
            continue
        else:
            key = (value.__class__, value)
        try:
            hit = cache.get(key, cache)
        except TypeError:
            hit = cache
        if hit is cache:
            try:
                hit = parse(key if value.__class__ is str else value)
            except (ValueParseError, ValueError) as exc:
                raise col.fail(i, exc, kind) from None
            if len(cache) < 100_000:
                try:
                    cache[key] = hit
                except TypeError:
                    pass
        out.append(hit)
    return out


def _infer(col: _Column, dayfirst: bool, decimal: str) -> tuple[str, list]:
    values = col.values
    kinds = {v.__class__ for v in values}
    kinds.discard(type(None))
    if str in kinds and all(not v.strip() for v in values if v.__class__ is str):
        kinds.discard(str)  # calamine gives "" for empty cells
    if float in kinds and any(v != v for v in values if v.__class__ is float):
        if all(v != v for v in values if v.__class__ is float):
            kinds.discard(float)
    if not kinds:
        return "text", [None] * len(values)
    if kinds <= {date, datetime}:
        if datetime in kinds and any(v.__class__ is datetime and (v.hour or v.minute or v.second or v.microsecond)
                                     for v in values):
            return "datetime", [v if v.__class__ is datetime else (datetime.combine(v, datetime.min.time())
                                if v.__class__ is date else None) for v in values]
        return "date", [v.date() if v.__class__ is datetime else (v if v.__class__ is date else None) for v in values]
    if kinds <= {int, float}:
        numbers = [v for v in values if (v.__class__ is float and v == v) or v.__class__ is int]
        if all(v.__class__ is int or (v.is_integer() and abs(v) < 2**53) for v in numbers):
            return "int", [int(v) if (v.__class__ is float and v == v) or v.__class__ is int else None for v in values]
        return "amount", [_float_decimal(v) if v.__class__ is float and v == v else
                          (Decimal(v) if v.__class__ is int else None) for v in values]
    if kinds <= {str, int, float}:
        texts = [t for t in (v.strip() for v in values if v.__class__ is str) if t]
        sample = texts[:200]
        if kinds == {str} and sample and all(_DATE_TEXT.match(t) for t in sample):
            try:
                typed = _convert(col, "datetime", dayfirst, decimal)
            except SheetError:
                # 15/12/2018 read month-first fails; if every value reads the other way round, the
                # file is unambiguous about its order (an explicit types: entry stays strict)
                try:
                    typed = _convert(col, "datetime", not dayfirst, decimal)
                    col.notes.append(
                        f"column {col.name!r}: dates are {'day' if not dayfirst else 'month'}-first "
                        f"(e.g. {texts[0]!r}), read that way; set dayfirst: {str(not dayfirst).lower()} to say so")
                except SheetError:
                    typed = None
            if typed is not None:
                if all(v is None or (not v.hour and not v.minute and not v.second and not v.microsecond) for v in typed):
                    return "date", [None if v is None else v.date() for v in typed]
                return "datetime", typed
        pattern = _AMOUNT_TEXT if decimal != "," else _AMOUNT_TEXT_COMMA
        if sample and all(pattern.match(t) for t in sample) and _looks_like_money(texts, decimal):
            try:
                return "amount", _convert(col, "amount", dayfirst, decimal)
            except SheetError:
                pass
    if kinds == {str}:
        return "text", [(v.strip() or None) if v.__class__ is str else None for v in values]
    return "text", [None if _blank_fast(v) else _cell_text(v) for v in values]


def _float_decimal(value: float) -> Decimal:
    """The Decimal a person reads in the cell: 28.16 -> Decimal('28.16'), 1000.0 -> Decimal('1000')."""
    return Decimal(int(value)) if value.is_integer() and abs(value) < 2**53 else Decimal(repr(value))


def _blank_fast(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def _looks_like_money(texts: list[str], decimal: str) -> bool:
    """Digits alone may be account numbers: want a decimal mark, grouping or a currency sign."""
    blob = "\n".join(texts)  # one pass in C instead of a Python loop per value
    if re.search(r"(?m)^0\d", blob):
        return False  # leading zeros: an identifier
    return any(mark in blob for mark in (".", ",", "¥", "￥", "$", "€", "£", "元", "(", "（"))


def _series(kind: str, data: list) -> pd.Series:
    if kind == "text":
        return pd.Series(data, dtype="str")
    if kind == "int":
        if any(v is None for v in data):
            return pd.Series(data, dtype="Int64")
        return pd.Series(data, dtype="int64")
    if kind == "bool":
        return pd.Series(data, dtype="boolean")
    return pd.Series(data, dtype=object)


def _writer_types(path: Path, info: dict) -> dict[str, str]:
    if info.get("format") != "xlsx":
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            if "docProps/custom.xml" not in archive.namelist():
                return {}
            xml = archive.read("docProps/custom.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError):
        return {}
    import html
    found = re.search(r'name="' + re.escape(TYPES_PROPERTY) + r'"[^>]*>\s*<vt:lpwstr>(.*?)</vt:lpwstr>', xml, re.S)
    if not found:
        return {}
    try:
        by_sheet = json.loads(html.unescape(found.group(1)))
    except ValueError:
        return {}
    kinds = by_sheet.get(str(info.get("sheet")), {}) if isinstance(by_sheet, dict) else {}
    return {str(k): str(v) for k, v in kinds.items() if v in KINDS}


# ---- the public entry point ------------------------------------------------------------------------

def read_table(path: str | Path, sheet: str | int | None = None, header: int | str | None = "auto",
               encoding: str | None = None, columns: Sequence[str] | Mapping[str, str] | None = None,
               rename: Mapping[str, str] | None = None, types: Mapping[str, str] | None = None, *,
               dayfirst: bool = False, decimal: str = ".", delimiter: str | None = None, infer: bool = True,
               footer: str | bool = "auto", debit_credit: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read one table from a spreadsheet or delimited text file; see the module docstring."""
    path = Path(path)
    if decimal not in (".", ",", "auto"):
        raise SheetError(f"decimal must be '.', ',' or 'auto', not {decimal!r}", file=str(path))
    rows, info = read_grid(path, sheet, encoding, delimiter)
    ctx = {"file": str(path), "sheet": info.get("sheet")}
    if header == "auto":
        header_index = _find_header(rows)
        if header_index is None:
            raise SheetError("no header row found in the first 60 rows (a row of column names as wide as the table)",
                             **ctx, expected="a row of column names; or set header: <row number> or header: none")
    elif header is None or header is False:
        header_index = None
    elif isinstance(header, int) and not isinstance(header, bool):
        if header < 1:
            raise SheetError(f"header row {header} does not exist: rows count from 1, as Excel shows them", **ctx)
        if header > len(rows):
            raise SheetError(f"header row {header} is past the end (the sheet has {len(rows)} rows)", **ctx)
        header_index = header - 1
    else:
        raise SheetError(f"header must be 'auto', a row number or none, not {header!r}", **ctx)
    first_data = 0 if header_index is None else header_index + 1
    data = rows[first_data:]
    footer_rows: list[list[Any]] = []
    if footer == "auto" and data:
        cut = _footer_start(data)
        footer_rows, data = data[cut:], data[:cut]
    width = max((len(r) for r in data), default=0)
    if header_index is not None:
        width = max(width, len(rows[header_index]))
    # keep the row numbers as shown in Excel, minus blank lines
    numbered = [(first_data + i + 1, r) for i, r in enumerate(data) if _has_content(r)]
    blank_rows = len(data) - len(numbered)
    names = _header_names(rows[header_index] if header_index is not None else [], width)
    padded = [list(r) + [None] * (width - len(r)) if len(r) < width else r for _, r in numbered]
    columns_data = list(zip(*padded)) if padded else [() for _ in range(width)]
    row_numbers = [n for n, _ in numbered]
    keep = [i for i in range(width)
            if not (header_index is not None and _cell_text(rows[header_index][i] if i < len(rows[header_index]) else "") == ""
                    and all(_blank_fast(v) for v in columns_data[i]))]
    if header_index is None:
        keep = [i for i in range(width) if not all(_blank_fast(v) for v in columns_data[i])] or list(range(width))
    selected = _select(names, keep, columns, ctx)
    if types is not None and not isinstance(types, Mapping):
        raise SheetError("types must map column names to kinds, e.g. {amount: amount, date: date}", **ctx)
    wanted_types = {**_writer_types(path, info), **dict(types or {})}
    source_names = {new: src for src, new in selected}
    unknown = [c for c in (types or {}) if c not in source_names and c not in [s for s, _ in selected]]
    if unknown:
        raise SheetError(_missing_message(unknown, [n for _, n in selected], "types"), **ctx)
    frame: dict[str, pd.Series] = {}
    kinds: dict[str, str] = {}
    notes: list[str] = []
    for index, (source, new) in zip([names.index(s) for s, _ in selected], selected):
        col = _Column(new, list(columns_data[index]) if padded else [], row_numbers, ctx, notes)
        kind = wanted_types.get(new) or wanted_types.get(source)
        if kind and kind != "auto":
            data_list = _convert(col, kind, dayfirst, decimal)
            kind = "text" if kind == "text" else kind
        elif infer or kind == "auto":
            kind, data_list = _infer(col, dayfirst, decimal)
        else:
            kind, data_list = "text", _convert(col, "text", dayfirst, decimal)
        frame[new] = _series("amount" if kind == "number" else kind, data_list)
        kinds[new] = kind
    df = pd.DataFrame(frame)
    df.index = pd.RangeIndex(0, 0) if not row_numbers else pd.Index(row_numbers, name="row")
    if rename:
        missing = [c for c in rename if c not in df.columns]
        if missing:
            raise SheetError(_missing_message(missing, list(df.columns), "rename"), **ctx)
        df = df.rename(columns=dict(rename))
        kinds = {rename.get(k, k): v for k, v in kinds.items()}
    if debit_credit:
        df = _add_signed_amount(df, debit_credit, decimal, ctx, kinds)
    df.attrs["source"] = {
        "file": str(path), "sheet": info.get("sheet"), "sheets": info.get("sheets", []), "format": info["format"],
        "encoding": info.get("encoding"), "delimiter": info.get("delimiter"),
        "header_row": None if header_index is None else header_index + 1, "blank_rows": blank_rows,
        "footer": [[_cell_text(v) for v in r] for r in footer_rows if _filled(r)], "types": kinds,
        "notes": notes,
    }
    return df


def _select(names: list[str], keep: list[int], columns, ctx: dict) -> list[tuple[str, str]]:
    present = [names[i] for i in keep]
    if columns is None:
        return [(n, n) for n in present]
    if isinstance(columns, str):
        columns = [columns]
    pairs = list(columns.items()) if isinstance(columns, Mapping) else [(c, c) for c in columns]
    missing = [src for src, _ in pairs if src not in names]
    if missing:
        raise SheetError(_missing_message(missing, present, "columns"), **ctx)
    targets = [new for _, new in pairs]
    if len(set(targets)) != len(targets):
        raise SheetError(f"columns: two columns would have the same name ({', '.join(sorted({t for t in targets if targets.count(t) > 1}))})",
                         **ctx)
    return [(str(src), str(new)) for src, new in pairs]


def _missing_message(missing: Iterable[str], present: list[str], what: str) -> str:
    parts = []
    for name in missing:
        close = difflib.get_close_matches(str(name), present, n=1)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return f"{what}: no column {', '.join(parts)}; the table has {', '.join(map(repr, present))}"


def _add_signed_amount(df: pd.DataFrame, spec: Mapping[str, str], decimal: str, ctx: dict, kinds: dict) -> pd.DataFrame:
    debit, credit, into = spec.get("debit"), spec.get("credit"), spec.get("into", "amount")
    for name in (debit, credit):
        if name is None or name not in df.columns:
            raise SheetError(_missing_message([str(name)], list(df.columns), "debit_credit"), **ctx)
    amounts = []
    for row, d, c in zip(df.index, df[debit].tolist(), df[credit].tolist()):
        try:
            amounts.append(V.signed_amount(d, c, decimal))
        except ValueParseError as exc:
            raise SheetError(str(exc), **ctx, row=row, column=f"{debit}/{credit}", expected=exc.expected) from None
    df = df.copy()
    df[into] = pd.Series(amounts, index=df.index, dtype=object)
    kinds[into] = "amount"
    return df
