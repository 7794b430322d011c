"""CSV and Excel statements through bank profiles (``config/bank_profiles/*.yaml``).

A profile names the columns of one bank's export and how to read them::

    name: icbc
    detect: {headers: ["交易日期", "记账金额(收入)", "记账金额(支出)"]}   # all present -> this profile
    read: {encoding: null, sheet: null, header: auto, dayfirst: false, decimal: "."}
    columns:
      date: 交易日期
      amount: Amount                 # one signed column, or
      credit: 记账金额(收入)          # money in / money out columns, or
      debit: 记账金额(支出)
      gross: Gross, fee: Fee, net: Net   # a gross line plus a separate fee line
      currency: 记账币种
      description: [摘要, 交易场所]   # several columns are joined
      counterparty: 对方户名
      reference: …, id: …
    balance: 余额                     # running balance: cross-checks the lines
    currencies: {人民币: CNY}
    default_currency: CNY
    direction: {column: "收/支", credit: [收入], debit: [支出], neutral: ["/"]}

Without a profile the reader tries every profile's ``detect`` headers, then recognises the
usual column names (English, German, Chinese) itself; when it cannot find a date and an
amount it says which columns it saw and how to add a profile. Reading (encodings incl. GBK,
preambles, header detection, amounts and dates) is ``sheets.reader.read_table``'s job.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reconcile.lines import Section, Statement, StatementError, make_frame, plain_date, plain_decimal

PROFILE_DIR = Path(__file__).resolve().parents[2] / "config" / "bank_profiles"
ROLES = ("id", "date", "amount", "debit", "credit", "gross", "fee", "net", "currency", "description",
         "reference", "counterparty")

#: lower-case header names recognised without a profile, best first
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "booking date", "transaction date", "posting date", "posted", "buchungstag", "buchungsdatum",
             "datum", "交易日期", "记账日期", "日期", "交易时间", "value date", "valuta"),
    "amount": ("amount", "betrag", "umsatz", "transaction amount", "net", "金额", "交易金额", "金额(元)", "记账金额"),
    "debit": ("debit", "debits", "withdrawal", "withdrawals", "money out", "paid out", "soll", "支出", "借方",
              "借方发生额", "取出金额", "支出金额"),
    "credit": ("credit", "credits", "deposit", "deposits", "money in", "paid in", "haben", "收入", "贷方",
               "贷方发生额", "存入金额", "收入金额"),
    "description": ("description", "label", "memo", "details", "narrative", "text", "purpose", "verwendungszweck",
                    "buchungstext", "摘要", "用途", "备注", "交易摘要", "附言"),
    "reference": ("reference", "ref", "invoice", "invoice no", "invoice number", "document", "doc no", "payment reference",
                  "end to end id", "参考号", "凭证号"),
    "counterparty": ("counterparty", "partner", "partner name", "payee", "payer", "name", "beneficiary", "customer",
                     "vendor", "auftraggeber", "empfänger", "对方户名", "交易对方", "对手信息", "对方名称", "交易对手名称"),
    "currency": ("currency", "ccy", "curr", "währung", "waehrung", "币种", "货币", "记账币种"),
    "id": ("id", "transaction id", "entry", "entry no", "transaction no", "交易单号", "流水号"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Detect(_Strict):
    headers: list[str] = Field(default_factory=list)


class ReadOptions(_Strict):
    encoding: str | None = None
    sheet: str | int | None = None
    header: int | str | None = "auto"
    dayfirst: bool = False
    decimal: str = "."
    delimiter: str | None = None


class Direction(_Strict):
    column: str
    credit: list[str] = Field(default_factory=list)
    debit: list[str] = Field(default_factory=list)
    neutral: list[str] = Field(default_factory=list)


class Profile(_Strict):
    name: str
    description: str = ""
    detect: Detect = Field(default_factory=Detect)
    read: ReadOptions = Field(default_factory=ReadOptions)
    columns: dict[str, str | list[str]]
    balance: str | None = None
    currencies: dict[str, str] = Field(default_factory=dict)
    default_currency: str = ""
    direction: Direction | None = None
    negate: bool = False


def load_profiles(folder: str | Path | None = None) -> dict[str, Profile]:
    folder = Path(folder) if folder else PROFILE_DIR
    profiles: dict[str, Profile] = {}
    for path in sorted(folder.glob("*.y*ml")):
        profile = load_profile(path)
        profiles[profile.name] = profile
    return profiles


def load_profile(path: str | Path) -> Profile:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        profile = Profile.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise StatementError(f"bank profile cannot be read: {exc}", file=path) from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise StatementError(f"bank profile is invalid: {problems}", file=path) from None
    unknown = set(profile.columns) - set(ROLES)
    if unknown:
        raise StatementError(f"bank profile: unknown column role(s) {sorted(unknown)}; use {', '.join(ROLES)}", file=path)
    return profile


def guess_columns(headers: list[str], roles=SYNONYMS) -> dict[str, str]:
    """Map roles to headers by the usual names (exact first, then 'contains')."""
    lower = {str(h).strip().lower(): h for h in headers}
    found: dict[str, str] = {}
    taken: set[str] = set()
    for role, names in roles.items():
        for name in names:
            if name in lower and lower[name] not in taken:
                found[role] = lower[name]
                taken.add(lower[name])
                break
    for role, names in roles.items():
        if role in found:
            continue
        for name in names:
            hit = next((h for l, h in lower.items() if len(name) >= 4 and name in l and h not in taken), None)
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
    return found


def read(path: str | Path, profile: str | Profile | None = None, profiles_dir: str | Path | None = None) -> Statement:
    from sheets.errors import SheetError
    from sheets.reader import read_table

    file = str(path)
    profiles = load_profiles(profiles_dir)
    chosen: Profile | None
    if isinstance(profile, Profile):
        chosen = profile
    elif profile:
        if profile not in profiles:
            import difflib

            close = difflib.get_close_matches(profile, list(profiles), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise StatementError(f"no bank profile {profile!r}{hint}; profiles: {', '.join(sorted(profiles))}", file=file)
        chosen = profiles[profile]
    else:
        chosen = None
    options = chosen.read if chosen else ReadOptions()
    try:
        table = read_table(file, sheet=options.sheet, header=options.header, encoding=options.encoding,
                           dayfirst=options.dayfirst, decimal=options.decimal, delimiter=options.delimiter, infer=False)
    except SheetError as exc:
        raise StatementError(exc.describe()) from None
    headers = [str(c) for c in table.columns]
    if chosen is None:
        chosen = next((p for p in profiles.values() if p.detect.headers and set(p.detect.headers) <= set(headers)), None)
    if chosen is None:
        guessed = guess_columns(headers)
        if "date" not in guessed or not ({"amount"} <= set(guessed) or {"debit", "credit"} <= set(guessed)):
            raise StatementError(
                f"no bank profile matches and no date/amount columns were recognised; the columns are "
                f"{', '.join(map(repr, headers))}. Add a profile in config/bank_profiles/ (see its README) "
                f"or pass --profile", file=file)
        chosen = Profile(name="detected", columns=guessed)
    return _build(file, table, chosen)


def _column(table: pd.DataFrame, spec: str | list[str] | None, file: str, role: str) -> pd.Series:
    if not spec:
        return pd.Series([""] * len(table), index=table.index, dtype=object)
    names = [spec] if isinstance(spec, str) else list(spec)
    missing = [n for n in names if n not in table.columns]
    if missing:
        import difflib

        hints = [f"{m!r}" + (f" (did you mean {c[0]!r}?)" if (c := difflib.get_close_matches(m, list(map(str, table.columns)), n=1)) else "")
                 for m in missing]
        raise StatementError(f"column for {role} not found: {', '.join(hints)}; the columns are "
                             f"{', '.join(map(repr, map(str, table.columns)))}", file=file)
    parts = [table[n].map(_text) for n in names]
    out = parts[0]
    for p in parts[1:]:
        out = (out + " " + p).str.strip()
    return out


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).strip()
    if text in ("/", "-", "--", "nan", "NaT", "None"):
        return ""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]  # an exporter's guard against formula injection, not part of the value
    return text


def _amounts(table: pd.DataFrame, name: str, file: str, decimal: str) -> list[Decimal | None]:
    from sheets.values import is_blank, parse_amount

    if name not in table.columns:
        raise StatementError(f"amount column {name!r} not found; the columns are {', '.join(map(repr, map(str, table.columns)))}", file=file)
    out: list[Decimal | None] = []
    for row, value in zip(table.index, table[name].tolist()):
        plain = plain_decimal(value) if decimal == "." else None
        if plain is not None:
            out.append(plain)
            continue
        if is_blank(value):
            out.append(None)
            continue
        try:
            out.append(parse_amount(value, decimal=decimal))
        except ValueError as exc:
            raise StatementError(f"row {row}, column {name!r}: {exc}", file=file) from None
    return out


def _dates(table: pd.DataFrame, name: str, file: str, dayfirst: bool) -> list:
    from sheets.values import is_blank, parse_date

    out = []
    for row, value in zip(table.index, table[name].tolist()):
        plain = plain_date(value)
        if plain is not None:
            out.append(plain)
            continue
        if is_blank(value):
            raise StatementError(f"row {row}, column {name!r}: the date is empty", file=file)
        try:
            out.append(parse_date(value, dayfirst=dayfirst))
        except ValueError as exc:
            raise StatementError(f"row {row}, column {name!r}: {exc}", file=file) from None
    return out


def _build(file: str, table: pd.DataFrame, profile: Profile) -> Statement:
    cols = profile.columns
    decimal = profile.read.decimal
    if "date" not in cols:
        raise StatementError(f"profile {profile.name!r} has no date column", file=file)
    warnings: list[str] = []
    zero = Decimal(0)
    if "gross" in cols:
        gross = _amounts(table, cols["gross"], file, decimal)
        fee = _amounts(table, cols["fee"], file, decimal) if "fee" in cols else [None] * len(table)
        amounts = [g if g is not None else zero for g in gross]
        fees = [f or zero for f in fee]
    elif "amount" in cols:
        amounts = _amounts(table, cols["amount"], file, decimal)
        fees = [zero] * len(table)
    elif "debit" in cols or "credit" in cols:
        debit = _amounts(table, cols["debit"], file, decimal) if "debit" in cols else [None] * len(table)
        credit = _amounts(table, cols["credit"], file, decimal) if "credit" in cols else [None] * len(table)
        amounts = [(c or zero) - abs(d or zero) for d, c in zip(debit, credit)]
        fees = [zero] * len(table)
    else:
        raise StatementError(f"profile {profile.name!r} needs an amount, debit/credit or gross column", file=file)
    keep = [True] * len(table)
    if profile.direction:
        direction = _column(table, profile.direction.column, file, "direction")
        neutral = 0
        for i, (d, a) in enumerate(zip(direction.tolist(), amounts)):
            if a is None:
                continue
            if d in profile.direction.debit:
                amounts[i] = -abs(a)
            elif d in profile.direction.credit:
                amounts[i] = abs(a)
            elif d in profile.direction.neutral or d == "":
                keep[i] = False
                neutral += 1
            else:
                raise StatementError(f"row {table.index[i]}: direction {d!r} in column {profile.direction.column!r} "
                                     f"is none of {profile.direction.credit + profile.direction.debit + profile.direction.neutral}",
                                     file=file)
        if neutral:
            warnings.append(f"{neutral} row(s) marked {profile.direction.neutral} (moves between own accounts) left out")
    for i, a in enumerate(amounts):
        if a is None and keep[i]:
            raise StatementError(f"row {table.index[i]}: no amount", file=file)
    if profile.negate:
        amounts = [-a if a is not None else a for a in amounts]
        fees = [-f for f in fees]
    dates = _dates(table, cols["date"], file, profile.read.dayfirst)
    currency = _column(table, cols.get("currency"), file, "currency").map(lambda c: profile.currencies.get(c, c))
    currency = currency.where(currency != "", profile.default_currency)
    ids = _column(table, cols.get("id"), file, "id")
    desc = _column(table, cols.get("description"), file, "description")
    ref = _column(table, cols.get("reference"), file, "reference")
    cp = _column(table, cols.get("counterparty"), file, "counterparty")
    records = []
    for i in range(len(table)):
        if not keep[i]:
            continue
        base = {"bank_id": ids.iat[i], "date": dates[i], "amount": amounts[i], "currency": currency.iat[i],
                "description": desc.iat[i], "reference": ref.iat[i], "counterparty": cp.iat[i]}
        records.append(base)
        if fees[i]:
            records.append({**base, "bank_id": f"{ids.iat[i]}/fee" if ids.iat[i] else "", "amount": fees[i],
                            "description": f"fee: {desc.iat[i]}".strip(), "reference": ref.iat[i]})
    frame = make_frame(records)
    sections = [Section(currency=profile.default_currency, count=len(frame), total=sum(frame["amount"], Decimal(0)))]
    if profile.balance and profile.balance in table.columns and len(table):
        movements = [(a or 0) + f if k else None for a, f, k in zip(amounts, fees, keep)]
        sections = running_balance_sections(table, profile, file, movements, currency.tolist(), decimal) or sections
    return Statement(file, "table", frame, sections, parser=f"profile:{profile.name}", warnings=warnings)


def running_balance_sections(table, profile: Profile, file: str, movements: list, currencies: list[str],
                             decimal: str) -> list[Section]:
    """One section per currency from a running balance column, checked row by row.

    The export may list rows oldest or newest first; the chain is tried both ways. Where it
    breaks in both, the section records the first row that does not follow from the one
    before, so the refusal names it."""
    balances = _amounts(table, profile.balance, file, decimal)
    rows = list(table.index)
    groups: dict[str, list[int]] = {}
    for i, movement in enumerate(movements):
        if movement is not None:
            groups.setdefault(currencies[i], []).append(i)
    sections = []
    for currency, members in groups.items():
        if all(balances[i] is None for i in members):
            continue
        total = sum((movements[i] for i in members), Decimal(0))
        section = Section(currency=currency, count=len(members), total=total)
        attempts = [_chain(members, balances, movements), _chain(members[::-1], balances, movements)]
        good = next((a for a in attempts if a[2] is None), None)
        if good:
            section.opening, section.closing = good[0], good[1]
        else:
            opening, closing, (i, expected) = max(attempts, key=lambda a: a[3])[:3]
            section.opening, section.closing = opening, closing
            section.problems.append(
                f"the running balance in column {profile.balance!r} breaks at row {rows[i]}: it says {balances[i]}, "
                f"the rows before it give {expected}")
        sections.append(section)
    return sections


def _chain(order: list[int], balances: list, movements: list):
    """(opening, closing, first break as (index, expected) or None, rows that agreed)."""
    running = opening = None
    agreed = 0
    pending = Decimal(0)
    for i in order:
        if running is None:
            pending += movements[i]
            if balances[i] is not None:
                running = balances[i]
                opening = balances[i] - pending
            continue
        running += movements[i]
        if balances[i] is not None:
            if balances[i] != running:
                return opening, balances[order[-1]] if balances[order[-1]] is not None else running, (i, running), agreed
            agreed += 1
    return opening, running, None, agreed
