"""The ledger side: any table (a workbook, a CSV, or a previous step's DataFrame or rows)
mapped to the normalized columns.

    from reconcile.ledger import load_ledger
    ledger = load_ledger("GL.xlsx", LedgerMapping(sheet="GL"))
    ledger = load_ledger(dataframe, LedgerMapping(columns={"id": "Doc No", "amount": "Amount"}))

Columns are found by the usual names (``Entry``/``Doc No``, ``Date``/``Posting Date``,
``Amount`` or ``Debit``/``Credit``, ``Reference``/``Invoice``, ``Counterparty``/``Customer``…)
unless ``columns`` names them. On a cash account a debit is money in, so with split columns
the amount is ``debit - credit`` (``negate: true`` flips it for ledgers that book otherwise).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from reconcile.lines import StatementError, make_frame, plain_date, plain_decimal
from reconcile.rules import LedgerMapping
from reconcile.statements.tabular import SYNONYMS, _text, guess_columns

LEDGER_SYNONYMS = {
    **SYNONYMS,
    "id": ("id", "entry", "entry no", "doc no", "document no", "voucher", "voucher no", "journal", "je", "line id",
           "凭证号", "分录号"),
    "reference": ("reference", "invoice", "invoice no", "invoice number", "ref", "document", "our reference",
                  "发票号", "参考号"),
    "counterparty": ("counterparty", "customer", "vendor", "partner", "partner name", "name", "payee", "payer",
                     "往来单位", "客户", "供应商"),
    "debit": ("debit", "dr", "借方", "借方金额"),
    "credit": ("credit", "cr", "贷方", "贷方金额"),
}


class LedgerError(StatementError):
    pass


def load_ledger(source: Any, mapping: LedgerMapping | None = None) -> pd.DataFrame:
    mapping = mapping or LedgerMapping()
    name = "ledger"
    if isinstance(source, (str, Path)):
        from sheets.errors import SheetError
        from sheets.reader import read_table

        name = str(source)
        if not Path(source).is_file():
            raise LedgerError("ledger file not found", file=name)
        try:
            table = read_table(source, sheet=mapping.sheet, dayfirst=mapping.dayfirst, infer=False)
        except SheetError as exc:
            raise LedgerError(exc.describe()) from None
    elif isinstance(source, pd.DataFrame):
        table = source
    elif isinstance(source, list) and all(isinstance(r, dict) for r in source):
        table = pd.DataFrame(source)
    else:
        raise LedgerError(f"the ledger must be a file path, a table or a list of rows, not {type(source).__name__}")
    headers = [str(c) for c in table.columns]
    table = table.copy()
    table.columns = headers
    roles = guess_columns(headers, LEDGER_SYNONYMS)
    for role, column in mapping.columns.items():
        if column not in headers:
            import difflib

            close = difflib.get_close_matches(column, headers, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise LedgerError(f"ledger.columns.{role}: no column {column!r}{hint}; the ledger has {', '.join(map(repr, headers))}", file=name)
        roles = {r: c for r, c in roles.items() if c != column}
        roles[role] = column
    if "amount" in mapping.columns:
        roles.pop("debit", None), roles.pop("credit", None)
    if "date" not in roles or not ("amount" in roles or "debit" in roles or "credit" in roles):
        raise LedgerError("the ledger needs a date and an amount (or debit/credit) column; it has "
                          f"{', '.join(map(repr, headers))}. Name them with ledger: {{columns: {{date: …, amount: …}}}}", file=name)
    return _normalize(table, roles, mapping, name)


def _normalize(table: pd.DataFrame, roles: dict[str, str], mapping: LedgerMapping, name: str) -> pd.DataFrame:
    from sheets.values import is_blank, parse_amount, parse_date

    def amounts(column: str) -> list[Decimal]:
        out = []
        for row, value in zip(table.index, table[column].tolist()):
            plain = plain_decimal(value)
            if plain is not None:
                out.append(plain)
                continue
            if is_blank(value):
                out.append(Decimal(0))
                continue
            try:
                out.append(parse_amount(value, decimal="auto") if isinstance(value, str) else parse_amount(value))
            except ValueError as exc:
                raise LedgerError(f"row {row}, column {column!r}: {exc}", file=name) from None
        return out

    if "amount" in roles:
        amount = amounts(roles["amount"])
    else:
        debit = amounts(roles["debit"]) if "debit" in roles else [Decimal(0)] * len(table)
        credit = amounts(roles["credit"]) if "credit" in roles else [Decimal(0)] * len(table)
        amount = [d - c for d, c in zip(debit, credit)]
    if mapping.negate:
        amount = [-a for a in amount]
    dates = []
    for row, value in zip(table.index, table[roles["date"]].tolist()):
        plain = plain_date(value)
        if plain is not None:
            dates.append(plain)
            continue
        try:
            if is_blank(value):
                raise ValueError("the date is empty")
            dates.append(parse_date(value, dayfirst=mapping.dayfirst))
        except ValueError as exc:
            raise LedgerError(f"row {row}, column {roles['date']!r}: {exc}", file=name) from None

    def text(role: str) -> list[str]:
        if role not in roles:
            return [""] * len(table)
        return [_text(v) for v in table[roles[role]].tolist()]

    currency = [c or mapping.currency for c in text("currency")]
    records = [{"bank_id": i, "date": d, "amount": a, "currency": c, "description": s, "reference": r, "counterparty": p}
               for i, d, a, c, s, r, p in zip(text("id"), dates, amount, currency, text("description"),
                                               text("reference"), text("counterparty"))]
    return make_frame(records)
