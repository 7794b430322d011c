"""CSV and Excel statements through bank profiles (``config/bank_profiles/*.yaml``).

A profile names the columns of one bank's export and how to read them::

    name: icbc
    detect: {headers: ["交易日期", "记账金额(收入)", "记账金额(支出)"]}   # all present -> this profile
    read: {encoding: null, sheet: null, header: auto, dayfirst: null, decimal: auto}
    columns:
      date: 交易日期
      amount: Amount                 # one signed column, or
      credit: 记账金额(收入)          # money in / money out columns, or
      debit: 记账金额(支出)
      gross: Gross, fee: Fee, net: Net   # settlement reports: a gross line plus a fee line
      fee: [Commission, Markup]      # several money columns are added up
      net: {credit: Net Credit, debit: Net Debit}   # a money role may itself be split in two
      currency: 记账币种
      description: [摘要, 交易场所]   # several text columns are joined
      counterparty: 对方户名
      reference: …, id: …
      status: 交易状态                # what the exclusion rules look at
      direction: 收/支
      refunded: 成功退款（元）
    balance: 余额                     # running balance: cross-checks the lines row by row
    currencies: {人民币: CNY}
    default_currency: CNY
    direction: {column: "收/支", credit: [收入], debit: [支出]}   # sign from a column
    exclude: [{column: status, equals: [Chargeback pending], reason: "…"}]

Rules every statement shares (which rows are not money, which rows end the table, the words
for money in and out) are data in ``config/bank_profiles/_common.yaml``.

Without a profile the reader finds the header row by the column names it knows (English,
German, French, Chinese; those of every profile too), then recognises the columns itself;
when it cannot find a date and an amount it says which columns it saw and how to add a
profile. Decoding, delimiters and workbook formats are ``sheets.reader.read_grid``'s job;
this module decides what the rows mean:

- **End of table**: a row whose date cell holds no date and which carries a footer marker
  (合计, Total, Summe, "End of statement", Alipay's dashed rule…) ends the table; a row after
  it that still looks like a transaction is an error.
- **Not money**: rows matching an ``exclude`` rule (closed, failed, pending, 不计收支, fully
  refunded…) are left out and listed in ``statement.excluded`` with the rule's reason.
- **Number conventions per column**: ``1,234.56``, ``1.234,56``, ``1 234,56``, ``1'234.56``
  are told apart from the column's own values; a column whose values fit two readings
  (every value like ``1.234``) is an error naming it, unless ``read.decimal`` says which.
- **Dates per column**: ``31.12.2026`` and ``12/31/2026`` decide their own order; a column
  proving both orders is an error.
- **Settlement reports** (Adyen, Stripe, PayPal): gross, fee and net are read together; each
  row becomes its gross line plus a fee line (same id + ``/fee``), and gross + fee must equal
  net where the report gives all three in one currency.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reconcile.lines import Excluded, Section, Statement, StatementError, make_frame
from reconcile.statements._quiet import library_output

def _shipped_profiles() -> Path:
    """The bank profiles deskbot ships: config/ of a checkout, or the copy an installed wheel carries."""
    checkout = Path(__file__).resolve().parents[2] / "config" / "bank_profiles"
    installed = Path(__file__).resolve().parents[1] / "_defaults" / "bank_profiles"
    return checkout if checkout.is_dir() or not installed.is_dir() else installed


PROFILE_DIR = _shipped_profiles()
#: a project folder's own profiles (``config/bank_profiles`` where deskbot runs) add to and override the shipped ones
LOCAL_PROFILE_DIR = Path("config") / "bank_profiles"
COMMON_FILE = "_common.yaml"
MONEY_ROLES = ("amount", "debit", "credit", "gross", "fee", "net", "refunded")
TEXT_ROLES = ("id", "date", "currency", "description", "reference", "counterparty", "status", "direction", "type",
              "gross_currency")
ROLES = TEXT_ROLES[:1] + ("date",) + MONEY_ROLES + TEXT_ROLES[2:]
HEADER_SCAN_ROWS = 80

#: lower-case header names recognised without a profile, best first
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "booking date", "transaction date", "posting date", "posted", "buchungstag", "buchungsdatum",
             "datum", "交易日期", "记账日期", "日期", "交易时间", "交易创建时间", "付款时间", "value date", "valuta",
             "date opération", "date de l'opération", "creation date", "created (utc)", "created", "created_utc",
             "completed date", "入账时间", "交易日"),
    "amount": ("amount", "betrag", "umsatz", "transaction amount", "金额", "交易金额", "金额(元)", "金额（元）", "记账金额",
               "montant", "发生额", "交易金额(元)"),
    "debit": ("debit", "debits", "withdrawal", "withdrawals", "money out", "paid out", "soll", "支出", "借方",
              "借方发生额", "取出金额", "支出金额", "débit", "支出(元)", "借方金额", "记账金额(支出)", "交易金额(支出)"),
    "credit": ("credit", "credits", "deposit", "deposits", "money in", "paid in", "haben", "收入", "贷方",
               "贷方发生额", "存入金额", "收入金额", "crédit", "收入(元)", "贷方金额", "记账金额(收入)", "交易金额(收入)"),
}
#: roles only statements have (settlement reports, payment apps)
STATEMENT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "gross": ("gross", "gross amount", "brutto", "montant brut", "交易总额", "订单金额"),
    "fee": ("fee", "fees", "commission", "processing fee", "gebühr", "gebühren", "frais", "手续费", "服务费",
            "服务费(元)", "服务费（元）"),
    "net": ("net", "net amount", "netto", "montant net", "净额", "实收金额", "结算金额"),
    "refunded": ("amount refunded", "refunded", "refunded amount", "成功退款（元）", "成功退款(元)", "退款金额"),
}
SYNONYMS.update({
    "description": ("description", "label", "memo", "details", "narrative", "text", "purpose", "verwendungszweck",
                    "buchungstext", "摘要", "用途", "交易摘要", "商品说明", "商品名称", "商品", "交易地点/附言", "附言",
                    "备注", "libellé"),
    "reference": ("reference", "ref", "invoice", "invoice no", "invoice number", "invoice id", "document", "doc no",
                  "payment reference", "end to end id", "merchant reference", "参考号", "凭证号", "商家订单号", "商户单号"),
    "counterparty": ("counterparty", "partner", "partner name", "payee", "payer", "name", "beneficiary", "customer",
                     "vendor", "auftraggeber", "empfänger", "对方户名", "交易对方", "对手信息", "对方名称", "交易对手名称",
                     "auftraggeber/empfänger", "auftraggeber / begünstigter", "beguenstigter/zahlungspflichtiger",
                     "begünstigter/zahlungspflichtiger", "zahlungsempfänger", "name zahlungsbeteiligter",
                     "bénéficiaire", "对方账号与户名"),
    "currency": ("currency", "ccy", "curr", "währung", "waehrung", "币种", "币别", "货币", "记账币种", "devise",
                 "net currency"),
    "id": ("id", "transaction id", "entry", "entry no", "transaction no", "交易单号", "流水号", "交易号", "交易订单号",
           "balance_transaction_id", "psp reference"),
})
STATEMENT_SYNONYMS.update({
    "status": ("status", "transaction status", "payment status", "state", "交易状态", "当前状态", "状态"),
    "direction": ("收/支", "收支", "收/付", "资金方向", "借贷标志", "借/贷", "in/out", "direction", "debit/credit", "cr/dr",
                  "soll/haben", "s/h"),
    "type": ("type", "transaction type", "交易类型", "类型", "交易分类", "reporting_category", "buchungsart"),
})
ALL_SYNONYMS = {**SYNONYMS, **STATEMENT_SYNONYMS}
BALANCE_NAMES = ("balance", "running balance", "saldo", "余额", "账户余额", "联机余额", "solde", "kontostand")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Detect(_Strict):
    headers: list[str] = Field(default_factory=list)


class ReadOptions(_Strict):
    encoding: str | None = None
    sheet: str | int | None = None
    header: int | str | None = "auto"
    dayfirst: bool | None = None
    decimal: str = "auto"
    delimiter: str | None = None


class Direction(_Strict):
    column: str | None = None
    credit: list[str] = Field(default_factory=list)
    debit: list[str] = Field(default_factory=list)
    neutral: list[str] = Field(default_factory=list)


class ExcludeRule(_Strict):
    column: str | None = None
    equals: list[str] = Field(default_factory=list)
    contains: list[str] = Field(default_factory=list)
    pattern: str | None = None
    fully_refunded: bool = False
    reason: str


class Common(_Strict):
    exclude: list[ExcludeRule] = Field(default_factory=list)
    footer: list[str] = Field(default_factory=list)
    direction: Direction = Field(default_factory=Direction)
    currencies: dict[str, str] = Field(default_factory=dict)


Split = dict[str, str | list[str]]


class Profile(_Strict):
    name: str
    description: str = ""
    detect: Detect = Field(default_factory=Detect)
    read: ReadOptions = Field(default_factory=ReadOptions)
    columns: dict[str, str | list[str] | Split]
    balance: str | None = None
    currencies: dict[str, str] = Field(default_factory=dict)
    default_currency: str = ""
    direction: Direction | None = None
    negate: bool = False
    exclude: list[ExcludeRule] = Field(default_factory=list)


def load_profiles(folder: str | Path | None = None) -> dict[str, Profile]:
    if folder is None and LOCAL_PROFILE_DIR.is_dir() and LOCAL_PROFILE_DIR.resolve() != PROFILE_DIR.resolve():
        return {**load_profiles(PROFILE_DIR), **load_profiles(LOCAL_PROFILE_DIR)}
    folder = Path(folder) if folder else PROFILE_DIR
    profiles: dict[str, Profile] = {}
    for path in sorted(folder.glob("*.y*ml")):
        if path.name.startswith("_"):
            continue
        profile = load_profile(path)
        profiles[profile.name] = profile
    return profiles


def _load_yaml(path: Path, what: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StatementError(f"{what} cannot be read: {exc}", file=path) from None


def _invalid(exc: ValidationError, what: str, path) -> StatementError:
    problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return StatementError(f"{what} is invalid: {problems}", file=path)


def load_profile(path: str | Path) -> Profile:
    data = _load_yaml(Path(path), "bank profile")
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc, "bank profile", path) from None
    unknown = set(profile.columns) - set(ROLES)
    if unknown:
        raise StatementError(f"bank profile: unknown column role(s) {sorted(unknown)}; use {', '.join(ROLES)}", file=path)
    for role, spec in profile.columns.items():
        if isinstance(spec, dict) and (role not in MONEY_ROLES or not set(spec) <= {"credit", "debit"}):
            raise StatementError(f"bank profile: column {role!r} may be split only into credit: and debit: "
                                 f"(and only for {', '.join(MONEY_ROLES)})", file=path)
    _compile_rules(profile.exclude, path)
    return profile


def load_common(folder: str | Path | None = None) -> Common:
    path = (Path(folder) if folder else PROFILE_DIR) / COMMON_FILE
    if not path.exists() and folder:
        path = PROFILE_DIR / COMMON_FILE
    if not path.exists():
        return Common()
    try:
        common = Common.model_validate(_load_yaml(path, "statement rules") or {})
    except ValidationError as exc:
        raise _invalid(exc, "statement rules", path) from None
    _compile_rules(common.exclude, path)
    for pattern in common.footer:
        _regex(pattern, path, "footer")
    return common


def _regex(pattern: str, path, where: str) -> re.Pattern:
    try:
        return re.compile(pattern, re.I)
    except re.error as exc:
        raise StatementError(f"{where}: {pattern!r} is not a regular expression ({exc})", file=path) from None


def _compile_rules(rules: list[ExcludeRule], path) -> None:
    for rule in rules:
        if rule.pattern:
            _regex(rule.pattern, path, "exclude.pattern")
        if not rule.fully_refunded and not rule.column:
            raise StatementError("an exclude rule needs column: (or fully_refunded: true)", file=path)


def fold(text: Any) -> str:
    """Cell text compared the way people read it: width, case and spacing folded."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def guess_columns(headers: list[str], roles=None) -> dict[str, str]:
    """Map roles to headers by the usual names (exact first, then 'contains')."""
    roles = ALL_SYNONYMS if roles is None else roles
    lower = {fold(h): h for h in headers}
    found: dict[str, str] = {}
    taken: set[str] = set()
    for role, names in roles.items():
        for name in names:
            key = fold(name)
            if key in lower and lower[key] not in taken:
                found[role] = lower[key]
                taken.add(lower[key])
                break
    for role, names in roles.items():
        if role in found:
            continue
        for name in names:
            key = fold(name)
            hit = next((h for l, h in lower.items() if len(key) >= 4 and key in l and h not in taken), None)
            if hit:
                found[role] = hit
                taken.add(hit)
                break
    if "amount" in found and ("debit" in found or "credit" in found):
        # split columns are more specific than a column that merely contains "amount"
        if "debit" in found and "credit" in found:
            del found["amount"]
        else:
            found.pop("debit", None)
            found.pop("credit", None)
    if "net" in found and "amount" in found and "gross" not in found:
        found["gross"] = found.pop("amount")  # Stripe's Amount / Fee / Net: the amount is the gross
    if "fee" in found and not {"net", "gross"} & set(found):
        found.pop("fee")  # a fee column alone (a bank's charge column) is read with the amount
    return found


def _balance_column(headers: list[str]) -> str | None:
    lower = {fold(h): h for h in headers}
    return next((lower[fold(n)] for n in BALANCE_NAMES if fold(n) in lower), None)


# ---- reading the grid ---------------------------------------------------------------------------

@dataclass
class Grid:
    file: str
    headers: list[str]
    rows: list[list[Any]]       # data rows, padded to the header width
    numbers: list[int]          # each row's number as the file/Excel shows it
    notes: list[str]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def _header_score(cells: list[str], known: set[str]) -> int:
    return sum(1 for c in cells if c and fold(c) in known)


def _find_header(raw: list[list[Any]], profiles: dict[str, Profile], chosen: Profile | None) -> int | None:
    """The row holding the most column names this module knows (a profile's names win)."""
    wanted = [chosen] if chosen else list(profiles.values())
    for i, row in enumerate(raw[:HEADER_SCAN_ROWS]):
        cells = {fold(_cell(c)) for c in row}
        for profile in wanted:
            names = profile.detect.headers or [n for spec in profile.columns.values() for n in _names(spec)]
            if names and {fold(n) for n in names} <= cells:
                return i
    known = {fold(n) for names in ALL_SYNONYMS.values() for n in names} | {fold(n) for n in BALANCE_NAMES}
    best, best_score = None, 1
    for i, row in enumerate(raw[:HEADER_SCAN_ROWS]):
        cells = [_cell(c) for c in row]
        score = _header_score(cells, known)
        if score > best_score:
            guessed = guess_columns([c for c in cells if c])
            if "date" in guessed and set(guessed) & {"amount", "debit", "credit", "gross", "net"}:
                best, best_score = i, score
    return best


def _names(spec) -> list[str]:
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict):
        return [n for v in spec.values() for n in _names(v)]
    return list(spec)


def read_grid(file: str, options: ReadOptions, profiles: dict[str, Profile], chosen: Profile | None) -> tuple[Grid, int]:
    from sheets.errors import SheetError
    from sheets.reader import read_grid as sheet_grid, read_table

    try:
        with library_output("spreadsheet readers", "charset_normalizer", "openpyxl", "xlrd"):
            raw, info = sheet_grid(file, options.sheet, options.encoding, options.delimiter)
    except SheetError as exc:
        raise StatementError(exc.describe()) from None
    if options.header is None or options.header is False or options.header == "none":
        # no header row: columns are named by their position
        raw = [[f"column {n + 1}" for n in range(max((len(r) for r in raw), default=0))]] + raw
        index = 0
    elif isinstance(options.header, int) and not isinstance(options.header, bool):
        index = options.header - 1
        if not 0 <= index < len(raw):
            raise StatementError(f"header row {options.header} does not exist (the sheet has {len(raw)} rows)", file=file)
    else:
        index = _find_header(raw, profiles, chosen)
        if index is None:
            try:  # no known column names: the spreadsheet reader's shape-based guess
                table = read_table(file, sheet=options.sheet, encoding=options.encoding, delimiter=options.delimiter,
                                   infer=False, footer=False)
            except SheetError as exc:
                raise StatementError(exc.describe()) from None
            index = table.attrs["source"]["header_row"] - 1
    header = [_cell(c) for c in raw[index]]
    width = max([len(header)] + [len(r) for r in raw[index + 1:index + 200]])
    headers, seen = [], {}
    for n in range(width):
        name = " ".join(header[n].split()) if n < len(header) and header[n] else f"column {n + 1}"
        seen[name] = seen.get(name, 0) + 1
        headers.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    rows, numbers = [], []
    first = index + 2 if options.header not in (None, False, "none") else 1
    for n, row in enumerate(raw[index + 1:], start=first):
        cells = list(row) + [None] * (width - len(row))
        if any(_cell(c) for c in cells):
            rows.append(cells[:width] if len(cells) > width else cells)
            numbers.append(n)
    return Grid(file, headers, rows, numbers, []), index + 1


# ---- values ---------------------------------------------------------------------------------------

_CORE = re.compile(r"\d[\d.,'’\s\u00a0\u202f]*\d|\d")


def _readings(text: str) -> set[str] | None:
    """Decimal marks a written number allows: {'.'}, {','}, {'.', ','} (ambiguous), or None
    when it has no mark at all (``1234``)."""
    core = _CORE.search(text)
    if not core:
        return None
    digits = re.sub(r"[\s\u00a0\u202f'’]", " ", core.group())
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        return {"." if digits.rfind(".") > digits.rfind(",") else ","}
    mark = "." if dots else "," if commas else None
    if mark is None:
        return None
    if (dots or commas) > 1:
        return {"," if mark == "." else "."}  # repeated: a thousands separator
    tail = digits.rsplit(mark, 1)[1]
    if len(tail) == 3 and " " not in digits:
        return {".", ","}  # 1.234 / 1,234: a decimal or a thousands separator
    return {mark}


class NumberConventions:
    """The decimal mark of each money column, decided from the column's own values."""

    def __init__(self, file: str, forced: str):
        self.file, self.forced = file, forced
        self.decided: dict[str, str] = {}
        self.undecided: dict[str, tuple[int, str]] = {}

    def study(self, column: str, values: list[Any], numbers: list[int]) -> None:
        if column in self.decided or column in self.undecided:
            return
        if self.forced in (".", ","):
            self.decided[column] = self.forced
            return
        marks: dict[str, tuple[int, str]] = {}
        ambiguous = None
        for value, row in zip(values, numbers):
            if not isinstance(value, str):
                continue
            readings = _readings(value)
            if readings is None:
                continue
            if len(readings) == 2:
                ambiguous = ambiguous or (row, value.strip())
                continue
            mark = next(iter(readings))
            marks.setdefault(mark, (row, value.strip()))
        if len(marks) == 2:
            (r1, v1), (r2, v2) = marks["."], marks[","]
            raise StatementError(
                f"column {column!r} writes numbers two ways: {v1!r} (row {r1}) has a decimal point, {v2!r} (row {r2}) "
                "a decimal comma; nothing was imported. Fix the export, or set read.decimal in a bank profile",
                file=self.file, column=column)
        if marks:
            self.decided[column] = next(iter(marks))
        elif ambiguous:
            self.undecided[column] = ambiguous
        else:
            self.decided[column] = "."

    def mark(self, column: str) -> str:
        if column in self.decided:
            return self.decided[column]
        agreed = set(self.decided.values())
        if len(agreed) == 1:  # the statement's other money columns settle it
            self.decided[column] = agreed.pop()
            return self.decided[column]
        row, value = self.undecided[column]
        raise StatementError(
            f"column {column!r} is ambiguous: every value is written like {value!r} (row {row}), which reads as "
            f"{value.replace(',', '').replace('.', '')} with a thousands separator or as a decimal; nothing was imported. "
            "Set read.decimal: '.' or ',' in a bank profile for this export", file=self.file, column=column)


def _amount(value: Any, mark: str, file: str, row: int, column: str) -> Decimal | None:
    from sheets.values import is_blank, parse_amount

    if is_blank(value):
        return None
    try:
        return parse_amount(value, decimal=mark)
    except ValueError as exc:
        raise StatementError(f"row {row}, column {column!r}: {exc}; nothing was imported (an amount is read whole or "
                             "not at all)", file=file, column=column) from None


_SLASHED = re.compile(r"^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})\b")


def _date_order(values: list[Any], numbers: list[int], column: str, file: str, dayfirst: bool | None) -> bool:
    """Whether the column writes day-first, from its own values where they prove it."""
    day_first = month_first = None
    dotted = False
    for value, row in zip(values, numbers):
        if not isinstance(value, str):
            continue
        found = _SLASHED.match(value)
        if not found:
            continue
        first, second = int(found.group(1)), int(found.group(3))
        dotted = dotted or found.group(2) == "."
        if first > 12 and not day_first:
            day_first = (row, value.strip())
        if second > 12 and not month_first:
            month_first = (row, value.strip())
    if day_first and month_first:
        raise StatementError(f"column {column!r} writes dates both day-first ({day_first[1]!r}, row {day_first[0]}) and "
                             f"month-first ({month_first[1]!r}, row {month_first[0]}); nothing was imported",
                             file=file, column=column)
    if day_first:
        return True
    if month_first:
        return False
    if dayfirst is not None:
        return dayfirst
    return dotted  # 01.02.2026 is European day-first; 01/02/2026 stays month-first unless the profile says


def _date(value: Any, dayfirst: bool) -> date | None:
    from sheets.values import is_blank, parse_date

    if is_blank(value):
        return None
    try:
        return parse_date(value, dayfirst=dayfirst)
    except ValueError:
        return None


# ---- the statement -----------------------------------------------------------------------------------

def read(path: str | Path, profile: str | Profile | None = None, profiles_dir: str | Path | None = None) -> Statement:
    file = str(path)
    profiles = load_profiles(profiles_dir)
    common = load_common(profiles_dir)
    chosen: Profile | None
    if isinstance(profile, Profile):
        chosen = profile
    elif profile:
        if profile not in profiles:
            close = difflib.get_close_matches(profile, list(profiles), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise StatementError(f"no bank profile {profile!r}{hint}; profiles: {', '.join(sorted(profiles))}", file=file)
        chosen = profiles[profile]
    else:
        chosen = None
    grid, header_row = read_grid(file, chosen.read if chosen else ReadOptions(), profiles, chosen)
    if chosen is None:
        folded = {fold(h) for h in grid.headers}
        chosen = next((p for p in profiles.values() if p.detect.headers
                       and {fold(h) for h in p.detect.headers} <= folded), None)
        if chosen and (chosen.read.sheet is not None or chosen.read.encoding or chosen.read.delimiter
                       or isinstance(chosen.read.header, int)):
            grid, header_row = read_grid(file, chosen.read, profiles, chosen)
    if chosen is None:
        guessed = guess_columns(grid.headers)
        if "date" not in guessed or not set(guessed) & {"amount", "gross", "net"} and not {"debit", "credit"} <= set(guessed):
            raise StatementError(
                f"no bank profile matches and no date/amount columns were recognised in the header (row {header_row}); "
                f"the columns are {', '.join(map(repr, grid.headers))}. Add a profile in config/bank_profiles/ "
                "(see its README) or pass --profile", file=file)
        chosen = Profile(name="detected", columns=guessed, balance=_balance_column(grid.headers))
    return _Reader(grid, chosen, common).statement()


class _Reader:
    def __init__(self, grid: Grid, profile: Profile, common: Common):
        self.grid, self.profile, self.common = grid, profile, common
        self.file = grid.file
        self.index = {h: i for i, h in enumerate(grid.headers)}
        folded = {fold(h): h for h in grid.headers}
        self.folded = folded
        self.roles: dict[str, Any] = {}
        for role, spec in profile.columns.items():
            self.roles[role] = self._resolve(spec, role)
        guessed = guess_columns(grid.headers)
        for role in ("status", "direction", "refunded", "type"):
            # what the shared rules look at, found by name when the profile does not say
            if role not in self.roles and role in guessed and guessed[role] not in _names(list(self.roles.values())):
                self.roles[role] = guessed[role]
        if profile.direction and profile.direction.column:
            self.roles["direction"] = self._resolve(profile.direction.column, "direction")
        self.conventions = NumberConventions(self.file, profile.read.decimal)
        self.warnings: list[str] = []
        self._dates: dict[Any, date | None] = {}  # dates repeat: each distinct cell is parsed once
        self._rules = [(rule, {fold(v) for v in rule.equals}, [fold(v) for v in rule.contains])
                       for rule in common.exclude + profile.exclude]

    def _resolve(self, spec, role: str):
        if isinstance(spec, dict):
            return {side: self._resolve(v, role) for side, v in spec.items()}
        names = [spec] if isinstance(spec, str) else list(spec)
        present = [n for n in names if n in self.index or fold(n) in self.folded]
        out = []
        for name in names:
            if name in self.index:
                out.append(name)
            elif fold(name) in self.folded:
                out.append(self.folded[fold(name)])
            elif present:
                continue  # a list names the columns a report may have; those it has are enough
            else:
                close = difflib.get_close_matches(name, self.grid.headers, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise StatementError(f"column for {role} not found: {name!r}{hint}; the columns are "
                                     f"{', '.join(map(repr, self.grid.headers))}", file=self.file)
        return out[0] if isinstance(spec, str) else out

    # -- cells
    def cell(self, row: list, name: str) -> Any:
        return row[self.index[name]]

    def text(self, row: list, role: str) -> str:
        spec = self.roles.get(role)
        if not spec:
            return ""
        parts = [_text(self.cell(row, n)) for n in _names(spec)]
        return " ".join(p for p in parts if p)

    def raw(self, row: list, role: str) -> str:
        """The role's cells as written (placeholders like "/" kept: rules may look for them)."""
        spec = self.roles.get(role)
        return " ".join(filter(None, (" ".join(_cell(self.cell(row, n)).split()) for n in _names(spec or [])))) if spec else ""

    def money(self, rows: list[tuple[int, list]], role: str) -> list[Decimal | None]:
        spec = self.roles.get(role)
        if not spec:
            return [None] * len(rows)
        if isinstance(spec, dict):
            credit = self._money_columns(rows, spec.get("credit"))
            debit = self._money_columns(rows, spec.get("debit"))
            return [None if c is None and d is None else (c or 0) - abs(d or 0) for c, d in zip(credit, debit)]
        return self._money_columns(rows, spec)

    def _money_columns(self, rows, spec) -> list[Decimal | None]:
        if not spec:
            return [None] * len(rows)
        total: list[Decimal | None] = [None] * len(rows)
        for name in _names(spec):
            values = [self.cell(r, name) for _, r in rows]
            self.conventions.study(name, values, [n for n, _ in rows])
        for name in _names(spec):
            mark = None
            for i, (number, row) in enumerate(rows):
                value = self.cell(row, name)
                if mark is None and isinstance(value, str) and _readings(value):
                    mark = self.conventions.mark(name)
                amount = _amount(value, mark or ".", self.file, number, name)
                if amount is not None:
                    total[i] = amount if total[i] is None else total[i] + amount
        return total

    # -- the table's end
    def _date_cell(self, row: list) -> Any:
        return self.cell(row, _names(self.roles["date"])[0])

    def date_of(self, row: list, dayfirst: bool) -> date | None:
        value = self._date_cell(row)
        try:
            return self._dates[value]
        except (KeyError, TypeError):
            pass
        found = _date(value, dayfirst)
        try:
            self._dates[value] = found
        except TypeError:
            pass
        return found

    def cut_footer(self, dayfirst: bool) -> tuple[list[tuple[int, list]], list[str]]:
        """The data rows, without the summary that ends the table, and notes saying where it ended.

        The table ends at the first undated row carrying a summary marker (``footer:`` in
        _common.yaml); without one, at a trailing block of undated rows that hold no money
        (signatures, disclaimers). A page header repeated inside the table is skipped."""
        markers = [re.compile(p, re.I) for p in self.common.footer]
        header = [fold(h) for h in self.grid.headers]
        rows, notes = [], []
        for number, row in zip(self.grid.numbers, self.grid.rows):
            if isinstance(row[0], str) and fold(row[0]) == header[0] and [fold(_cell(c)) for c in row] == header:
                notes.append(f"row {number} repeats the header (a page break in the export); skipped")
                continue
            rows.append((number, row))
        for i, (number, row) in enumerate(rows):
            if self.date_of(row, dayfirst) is not None:
                continue
            texts = [fold(_cell(c)) for c in row if isinstance(c, str) and c.strip()]
            hit = next((t for t in texts if any(m.match(t) for m in markers)), None)
            if hit is None:
                continue
            after = rows[i + 1:]
            for later_number, later in after:
                if self.date_of(later, dayfirst) is not None and self._has_money(later):
                    raise StatementError(
                        f"row {later_number} looks like a transaction but comes after the summary row {number} "
                        f"({hit[:40]!r}), which ends the table; nothing was imported. Split the file or remove the "
                        "summary rows", file=self.file)
            notes.append(f"the table ends at row {number} ({hit[:60]!r}); {len(after) + 1} summary row(s) from there on "
                         "are not transactions")
            return rows[:i], notes
        end = len(rows)
        while end and self.date_of(rows[end - 1][1], dayfirst) is None and not self._has_money(rows[end - 1][1]):
            end -= 1
        if end < len(rows):
            first = next((t for c in rows[end][1] if (t := _cell(c))), "")
            notes.append(f"the table ends at row {rows[end - 1][0] if end else rows[0][0]}: {len(rows) - end} trailing "
                         f"row(s) with neither a date nor an amount ({first[:40]!r}…) are not transactions")
        return rows[:end], notes

    def _has_money(self, row: list) -> bool:
        for role in ("amount", "debit", "credit", "gross", "net"):
            for name in _names(self.roles.get(role) or []):
                if _readings(_cell(self.cell(row, name))) is not None or isinstance(self.cell(row, name), (int, float)):
                    return True
        return False

    # -- exclusions
    def excluded_by(self, row: list, amount: Decimal | None, refunded: Decimal | None) -> str | None:
        for rule, equals, contains in self._rules:
            if rule.fully_refunded:
                if refunded is not None and amount is not None and amount != 0 and abs(refunded) == abs(amount):
                    return rule.reason.format(value="", amount=abs(amount), refunded=abs(refunded))
                continue
            value = self._rule_value(row, rule.column)
            if value is None or value == "":
                continue
            key = fold(value)
            if (key in equals or any(v in key for v in contains)
                    or (rule.pattern and re.search(rule.pattern, value, re.I))):
                return rule.reason.format(value=value, amount="" if amount is None else abs(amount),
                                          refunded="" if refunded is None else abs(refunded))
        return None

    def _rule_value(self, row: list, column: str) -> str | None:
        if column in self.roles:
            return self.raw(row, column)
        if column in self.index:
            return _text(self.cell(row, column))
        if fold(column) in self.folded:
            return _text(self.cell(row, self.folded[fold(column)]))
        return None

    # -- direction
    def sign(self, row: list, number: int) -> int | None:
        """+1, -1, or None when there is no direction column."""
        if "direction" not in self.roles:
            return None
        spec = self.profile.direction or self.common.direction
        credit = {fold(v) for v in (spec.credit or self.common.direction.credit)}
        debit = {fold(v) for v in (spec.debit or self.common.direction.debit)}
        value = fold(self.raw(row, "direction"))
        if value in credit:
            return 1
        if value in debit:
            return -1
        if value == "" or value in {fold(v) for v in spec.neutral}:
            return 0
        raise StatementError(f"row {number}: direction {self.raw(row, 'direction')!r} in column "
                             f"{self.roles['direction']!r} is neither money in ({', '.join(sorted(credit))}) nor out "
                             f"({', '.join(sorted(debit))}); add it to the profile's direction:", file=self.file)

    # -- everything
    def statement(self) -> Statement:
        profile, roles = self.profile, self.roles
        if "date" not in roles:
            raise StatementError(f"profile {profile.name!r} has no date column", file=self.file)
        date_column = _names(roles["date"])[0]
        dayfirst = _date_order([r[self.index[date_column]] for r in self.grid.rows], self.grid.numbers, date_column,
                               self.file, profile.read.dayfirst)
        rows, footer = self.cut_footer(dayfirst)
        settlement = bool({"gross", "net"} & set(roles))
        if settlement:
            gross, fee, net = self.money(rows, "gross"), self.money(rows, "fee"), self.money(rows, "net")
            amounts = [g if g is not None else n for g, n in zip(gross, net)]
        elif "amount" in roles:
            amounts = self.money(rows, "amount")
            gross = fee = net = [None] * len(rows)
        elif "debit" in roles or "credit" in roles:
            credit, debit = self.money(rows, "credit"), self.money(rows, "debit")
            amounts = [None if c is None and d is None else (c or 0) - abs(d or 0) for c, d in zip(credit, debit)]
            gross = fee = net = [None] * len(rows)
        else:
            raise StatementError(f"profile {profile.name!r} needs an amount, debit/credit or gross/net column", file=self.file)
        refunded = self.money(rows, "refunded")
        signed_fees = any(f is not None and f < 0 for f in fee)
        records, excluded, problems = [], [], []
        balances_in: list[tuple[int, Decimal | None, str]] = []
        for i, (number, row) in enumerate(rows):
            when = self.date_of(row, dayfirst)
            currency = self.text(row, "currency")
            currency = (profile.currencies.get(currency) or self.common.currencies.get(currency, currency)
                        or profile.default_currency)
            amount = amounts[i]
            reason = self.excluded_by(row, amount, refunded[i])
            direction = None if settlement or reason is not None else self.sign(row, number)
            if direction and amount is not None:
                amount = abs(amount) * direction
            if reason is None and direction == 0:
                reason = f"{self.raw(row, 'direction') or 'no direction given'}: neither income nor expense"
            if reason is not None:
                try:  # shown with its sign where the row says which way it went
                    way = None if settlement or direction is not None else self.sign(row, number)
                except StatementError:
                    way = None
                if way and amount is not None:
                    amount = abs(amount) * way
                excluded.append(Excluded(
                    where=f"row {number}", reason=reason, date=when.isoformat() if when else _cell(self._date_cell(row)),
                    amount="" if amount is None else str(amount), currency=currency.upper(),
                    description=self.text(row, "description"), counterparty=self.text(row, "counterparty"),
                    id=self.text(row, "id")))
                continue
            if when is None:
                raw = _cell(self._date_cell(row))
                what = "the date is empty" if not raw else f"{raw!r} is not a date"
                raise StatementError(f"row {number}, column {date_column!r}: {what}; nothing was imported. A total or "
                                     "note row? Its first text should say so (合计, Total…), or remove it", file=self.file,
                                     column=date_column)
            if amount is None:
                raise StatementError(f"row {number}: no amount", file=self.file)
            fee_line = Decimal(0)
            if settlement:
                converted = self.text(row, "gross_currency") not in ("", currency)
                fee_line, problem = self._fee(gross[i], fee[i], net[i], signed_fees, number, converted)
                if problem:
                    problems.append(problem)
                if gross[i] is None:
                    amount = net[i]
                    fee_line = Decimal(0)
                elif net[i] is not None:
                    amount = net[i] - fee_line  # the gross in the currency the money moved in
            if profile.negate:
                amount, fee_line = -amount, -fee_line
            base = {"bank_id": self.text(row, "id"), "date": when, "amount": amount, "currency": currency,
                    "description": self.text(row, "description") or self.text(row, "type"),
                    "reference": self.text(row, "reference"), "counterparty": self.text(row, "counterparty")}
            records.append(base)
            if fee_line:
                records.append({**base, "bank_id": f"{base['bank_id']}/fee" if base["bank_id"] else "",
                                "amount": fee_line, "description": f"fee: {base['description']}".strip(),
                                "reference": base["reference"]})
            balances_in.append((i, amount + fee_line, currency))
        frame = make_frame(records)
        sections = self._sections(frame, rows, balances_in)
        if problems:
            sections[0].problems += problems[:5] + ([f"… and {len(problems) - 5} more such rows"] if len(problems) > 5 else [])
        return Statement(self.file, "table", frame, sections, parser=f"profile:{profile.name}", excluded=excluded,
                         footer=footer, warnings=self.warnings)

    def _fee(self, gross, fee, net, signed_fees: bool, number: int, converted: bool) -> tuple[Decimal, str | None]:
        """The fee line of a settlement row, and what is wrong with its arithmetic."""
        if fee is None and (gross is None or net is None or converted):
            return Decimal(0), None
        if converted:  # gross in the shopper's currency: only the fee columns are in the net's
            return -abs(fee), None
        if gross is not None and net is not None:
            implied = net - gross
            if fee is not None and abs(fee) != abs(implied):
                return implied, (f"row {number}: gross {gross} and fee {fee} do not give the net {net} "
                                 f"(off by {abs(implied) - abs(fee)})")
            return implied, None
        return (fee if signed_fees else -abs(fee)), None

    def _sections(self, frame, rows, moved: list[tuple[int, Decimal, str]]) -> list[Section]:
        profile = self.profile
        total = sum(frame["amount"], Decimal(0)) if len(frame) else Decimal(0)
        fallback = [Section(currency=profile.default_currency, count=len(frame), total=total)]
        column = profile.balance if profile.balance else None
        if column and column not in self.index:
            if fold(column) not in self.folded:
                return fallback
            column = self.folded[fold(column)]
        if not column or not moved:
            return fallback
        values = [self.cell(rows[i][1], column) for i, _, _ in moved]
        numbers = [rows[i][0] for i, _, _ in moved]
        try:
            self.conventions.study(column, values, numbers)
            mark = self.conventions.mark(column) if any(isinstance(v, str) and _readings(v) for v in values) else "."
            balances = [_amount(v, mark, self.file, n, column) for v, n in zip(values, numbers)]
        except StatementError as exc:
            if profile.balance and profile.name != "detected":
                raise
            # a column that only looks like a balance by its name cannot veto the lines
            self.warnings.append(f"column {column!r} is not used as a running balance: {exc.reason}")
            return fallback
        groups: dict[str, list[int]] = {}
        for k, (_, _, currency) in enumerate(moved):
            groups.setdefault(currency, []).append(k)
        sections = []
        for currency, members in groups.items():
            if all(balances[k] is None for k in members):
                continue
            movements = [moved[k][1] for k in members]
            section = Section(currency=currency, count=len(members), total=sum(movements, Decimal(0)))
            attempts = [_chain(members, balances, [m[1] for m in moved]),
                        _chain(members[::-1], balances, [m[1] for m in moved])]
            good = next((a for a in attempts if a[2] is None), None)
            if good:
                section.opening, section.closing = good[0], good[1]
            else:
                opening, closing, (k, expected) = max(attempts, key=lambda a: a[3])[:3]
                section.opening, section.closing = opening, closing
                section.problems.append(f"the running balance in column {column!r} breaks at row {numbers[k]}: it says "
                                        f"{balances[k]}, the rows before it give {expected}")
            sections.append(section)
        return sections or fallback


def _chain(order: list[int], balances: list, movements: list):
    """(opening, closing, first break as (index, expected) or None, rows that agreed)."""
    running = opening = None
    agreed = 0
    pending = Decimal(0)
    for k in order:
        if running is None:
            pending += movements[k]
            if balances[k] is not None:
                running = balances[k]
                opening = balances[k] - pending
            continue
        running += movements[k]
        if balances[k] is not None:
            if balances[k] != running:
                last = balances[order[-1]]
                return opening, last if last is not None else running, (k, running), agreed
            agreed += 1
    return opening, running, None, agreed


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = _cell(value)
    if text in ("/", "-", "--", "nan", "NaT", "None"):
        return ""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]  # an exporter's guard against formula injection, not part of the value
    return " ".join(text.split())
