"""Seeded sample data shared by the demo bank portal and the demo ERP.

Every month has its own deterministic set of payments (seeded by ``YYYYMM``), so any period a
recipe asks for exists and the same request always gives the same rows. The bank statement and
the ERP cash ledger (GL account 1002) describe the same payments, the way two real systems
would: the bank books 0-3 days after the ERP, words descriptions in capitals and sometimes
truncates them. A few differences are deliberate, listed by ``discrepancies(year, month)``:

- ``bank_only``    the bank's monthly account fee, never booked in the ERP;
- ``ledger_only``  a cheque to a vendor booked in the ERP that has not cleared the bank;
- ``amount``       a customer receipt whose amounts differ: the ERP booked one amount, the
                   bank received another (two digits swapped, as a mistyped transfer would).

    from demo.sample_data import bank_transactions, ledger_entries
    lines = bank_transactions(date(2026, 1, 1), date(2026, 1, 31))
    entries = ledger_entries(date(2026, 1, 1), date(2026, 1, 31))
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
EPOCH = (2024, 1)  # balances run continuously from this month on


@lru_cache(maxsize=1)
def company() -> dict:
    return json.loads((DATA_DIR / "company.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Payment:
    """One real-world payment, as both systems see it (a ``None`` side means it is missing there)."""

    key: str
    booked: date                  # ERP booking date
    bank_date: date | None        # None: not on the bank statement
    ledger_amount: Decimal | None  # signed, credit (money in) positive; None: not in the ERP
    bank_amount: Decimal | None
    counterparty: str
    short_name: str
    reference: str
    ledger_text: str
    bank_text: str


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _swap_digits(amount: Decimal) -> Decimal:
    """12450.00 -> 12405.00: swap the two digits before the decimals' last place."""
    text = f"{abs(amount):.2f}"
    whole = text[:-3]
    if len(whole) < 3 or whole[-1] == whole[-2]:
        return amount - Decimal("45.00") * (1 if amount > 0 else -1)
    swapped = whole[:-2] + whole[-1] + whole[-2] + text[-3:]
    return Decimal(swapped) * (1 if amount > 0 else -1)


@lru_cache(maxsize=64)
def month_payments(year: int, month: int) -> tuple[Payment, ...]:
    """Every payment of one month, seeded by the month (same month, same payments)."""
    info = company()
    rng = random.Random(year * 100 + month)
    last = _month_end(year, month)
    tag = f"{year}{month:02d}"
    out: list[Payment] = []

    def add(key, booked, lag, amount, party, ref, ledger_text, bank_text, *, bank=True, ledger=True, bank_amount=None):
        bank_day = min(booked + timedelta(days=lag), last) if bank else None
        out.append(Payment(key, booked, bank_day, amount if ledger else None,
                           (bank_amount if bank_amount is not None else amount) if bank else None,
                           party["name"], party["short"], ref, ledger_text, bank_text))

    landlord = info["landlord"]
    add(f"{tag}-RENT", date(year, month, 1), 0, Decimal("-38000.00"), landlord, f"RENT-{tag}",
        f"Office rent {year}-{month:02d}", f"RENT {landlord['short']} {year}-{month:02d}")
    for n in range(1, 13):
        customer = rng.choice(info["customers"])
        booked = date(year, month, rng.randint(2, 24))
        amount = _money(rng, 2000, 60000)
        ref = f"INV-{tag}-{n:03d}"
        bank_text = f"TRF FROM {customer['short']} REF {ref}"
        if n % 5 == 0:  # the bank cut the line short: the reference is lost
            bank_text = bank_text[:24]
        add(f"{tag}-R{n:02d}", booked, rng.randint(0, 3), amount, customer, ref,
            f"Receipt {customer['name']} invoice {ref}", bank_text,
            bank_amount=_swap_digits(amount) if n == 7 else None)
    for n in range(1, 13):
        vendor = rng.choice(info["vendors"])
        booked = date(year, month, rng.randint(2, 24))
        amount = -_money(rng, 500, 30000)
        ref = f"{''.join(w[0] for w in vendor['name'].split()[:3]).upper()}-{rng.randint(10000, 99999)}"
        add(f"{tag}-P{n:02d}", booked, rng.randint(0, 3), amount, vendor, ref,
            f"Payment {vendor['name']} invoice {ref}", f"PAYMENT TO {vendor['short']} {ref}")
    payroll = {"name": "Payroll", "short": "PAYROLL"}
    add(f"{tag}-SAL", date(year, month, 25), 0, -Decimal(90000 + rng.randint(0, 80) * 100), payroll,
        f"PAY-{tag}", f"Salaries {year}-{month:02d}", f"PAYROLL BATCH {tag}")
    bank = {"name": info["bank"]["name"], "short": "DEMO BANK"}
    add(f"{tag}-FEE", last, 0, Decimal("-50.00"), bank, f"FEE-{tag}", "Bank account fee",
        "MONTHLY ACCOUNT FEE", ledger=False)
    vendor = info["vendors"][rng.randrange(len(info["vendors"]))]
    add(f"{tag}-CHQ", date(year, month, 28), 0, -_money(rng, 1000, 9000), vendor, f"CHQ-{tag[2:]}{rng.randint(100, 999)}",
        f"Cheque to {vendor['name']}", f"CHEQUE {vendor['short']}", bank=False)
    return tuple(out)


def discrepancies(year: int, month: int) -> list[dict]:
    """The deliberate differences between the bank statement and the ledger of one month."""
    out = []
    for p in month_payments(year, month):
        if p.ledger_amount is None:
            out.append({"kind": "bank_only", "key": p.key, "amount": str(p.bank_amount), "description": p.bank_text})
        elif p.bank_amount is None:
            out.append({"kind": "ledger_only", "key": p.key, "amount": str(p.ledger_amount), "reference": p.reference})
        elif p.ledger_amount != p.bank_amount:
            out.append({"kind": "amount", "key": p.key, "ledger_amount": str(p.ledger_amount),
                        "bank_amount": str(p.bank_amount), "reference": p.reference})
    return out


def _months(start: date, end: date):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


@lru_cache(maxsize=256)
def opening_balance(year: int, month: int) -> Decimal:
    """The bank balance at the start of a month (continuous from ``EPOCH``)."""
    balance = Decimal(company()["opening_balance"])
    if (year, month) <= EPOCH:
        return balance
    prev = (year - 1, 12) if month == 1 else (year, month - 1)
    balance = opening_balance(*prev)
    return balance + sum((p.bank_amount for p in month_payments(*prev) if p.bank_amount is not None), Decimal(0))


def bank_transactions(start: date, end: date) -> list[dict]:
    """Statement lines with a bank date in [start, end], oldest first, with running balance."""
    rows: list[dict] = []
    currency = company()["currency"]
    for y, m in _months(start, end):
        balance = opening_balance(y, m)
        lines = sorted((p for p in month_payments(y, m) if p.bank_amount is not None), key=lambda p: (p.bank_date, p.key))
        for p in lines:
            balance += p.bank_amount
            if start <= p.bank_date <= end:
                rows.append({"id": f"BNK-{p.key}", "date": p.bank_date, "value_date": p.bank_date,
                             "description": p.bank_text, "reference": p.reference if p.reference in p.bank_text else "",
                             "counterparty": p.short_name, "amount": p.bank_amount, "currency": currency,
                             "balance": balance})
    return rows


def ledger_entries(start: date, end: date) -> list[dict]:
    """ERP cash-account (GL 1002) entries booked in [start, end]; debit = money in."""
    rows: list[dict] = []
    info = company()
    for y, m in _months(start, end):
        lines = sorted((p for p in month_payments(y, m) if p.ledger_amount is not None), key=lambda p: (p.booked, p.key))
        for n, p in enumerate(lines, start=1):
            if start <= p.booked <= end:
                amount = p.ledger_amount
                rows.append({"entry": f"JE-{y}{m:02d}-{n:03d}", "date": p.booked, "account": info["bank"]["gl_account"],
                             "description": p.ledger_text, "reference": p.reference, "counterparty": p.counterparty,
                             "debit": amount if amount > 0 else Decimal("0.00"),
                             "credit": -amount if amount < 0 else Decimal("0.00"), "currency": info["currency"]})
    return rows


def last_month(today: date | None = None) -> tuple[date, date]:
    """First and last day of the month before ``today``."""
    today = today or date.today()
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


# ---- the files the two systems export ------------------------------------------------------------
STATEMENT_COLUMNS = ["Date", "Value Date", "Description", "Reference", "Counterparty", "Amount", "Currency", "Balance"]
LEDGER_COLUMNS = ["Entry", "Date", "Account", "Description", "Reference", "Counterparty", "Debit", "Credit", "Currency"]


def cell_safe(value: str) -> str:
    """Keep spreadsheet programs from running a text cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def statement_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(STATEMENT_COLUMNS)
    for r in rows:
        writer.writerow([r["date"].isoformat(), r["value_date"].isoformat(), cell_safe(r["description"]),
                         cell_safe(r["reference"]), cell_safe(r["counterparty"]), f"{r['amount']:.2f}",
                         r["currency"], f"{r['balance']:.2f}"])
    return out.getvalue().encode("utf-8")


def _xlsx(title: str, columns: list[str], rows: list[list], date_cols: tuple[int, ...], money_cols: tuple[int, ...]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(columns)
    for row in rows:
        ws.append(row)
    for cells in ws.iter_rows(min_row=2):
        for i in date_cols:
            cells[i].number_format = "yyyy-mm-dd"
        for i in money_cols:
            cells[i].number_format = "#,##0.00"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def statement_xlsx(rows: list[dict]) -> bytes:
    return _xlsx("Statement", STATEMENT_COLUMNS,
                 [[r["date"], r["value_date"], cell_safe(r["description"]), cell_safe(r["reference"]),
                   cell_safe(r["counterparty"]), float(r["amount"]), r["currency"], float(r["balance"])] for r in rows],
                 (0, 1), (5, 7))


def ledger_xlsx(rows: list[dict]) -> bytes:
    return _xlsx("GL", LEDGER_COLUMNS,
                 [[r["entry"], r["date"], r["account"], cell_safe(r["description"]), cell_safe(r["reference"]),
                   cell_safe(r["counterparty"]), float(r["debit"]), float(r["credit"]), r["currency"]] for r in rows],
                 (1,), (6, 7))


def write_samples(folder: Path, year: int, month: int) -> list[Path]:
    """The month's bank statement (CSV, XLSX), ERP ledger (XLSX) and its known differences (JSON)."""
    start, end = date(year, month, 1), _month_end(year, month)
    tag = f"{year}-{month:02d}"
    bank, ledger = bank_transactions(start, end), ledger_entries(start, end)
    files = {
        f"bank_statement_{tag}.csv": statement_csv(bank),
        f"bank_statement_{tag}.xlsx": statement_xlsx(bank),
        f"erp_ledger_{tag}.xlsx": ledger_xlsx(ledger),
        f"discrepancies_{tag}.json": (json.dumps(discrepancies(year, month), indent=2) + "\n").encode(),
    }
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        path = folder / name
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write one month's demo statement, ledger and their differences.")
    parser.add_argument("--month", default=None, help="YYYY-MM (default: last month)")
    parser.add_argument("--out", default=str(DATA_DIR), help="folder (default: demo/data)")
    args = parser.parse_args(argv)
    if args.month:
        try:
            year, month = (int(x) for x in args.month.split("-"))
            date(year, month, 1)
        except ValueError:
            parser.error(f"--month {args.month!r}: write it as YYYY-MM")
    else:
        first, _ = last_month()
        year, month = first.year, first.month
    for path in write_samples(Path(args.out), year, month):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
