"""Read and write a large workbook with deskbot's sheets library, beside plain pandas.

    .venv/bin/python benchmarks/sheets.py            # 200,000 rows, 3 runs each, medians
    .venv/bin/python benchmarks/sheets.py --rows 50000 --repeat 1

Both sides get the same DataFrame (int id, date, Decimal amount, currency, Chinese memo, account
number) and the same file. Baselines, measured in the same run:

- write: ``DataFrame.to_excel(path, index=False)`` (pandas' default xlsx writer, openpyxl);
  deskbot's ``write_workbook`` additionally styles the header, freezes it, adds the autofilter,
  fits widths, formats dates/money, and writes to a temp file then renames.
- read: ``pandas.read_excel(path)`` with its default engine (openpyxl) and with
  ``engine="calamine"``; deskbot's ``read_table`` additionally finds the header, types every
  column (Decimal amounts, dates) and numbers rows.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402

from sheets.reader import read_table  # noqa: E402
from sheets.writer import write_workbook  # noqa: E402


def make_frame(rows: int) -> pd.DataFrame:
    rng = random.Random(7)
    start = date(2024, 1, 1)
    return pd.DataFrame({
        "id": range(1, rows + 1),
        "date": pd.Series([start + timedelta(days=i % 366) for i in range(rows)], dtype=object),
        "amount": pd.Series([Decimal(rng.randint(-10**8, 10**8)).scaleb(-2) for _ in range(rows)], dtype=object),
        "currency": ["CNY" if i % 3 else "USD" for i in range(rows)],
        "memo": [f"付款 payment {i} 上海某某贸易有限公司" for i in range(rows)],
        "account": [str(6222020000000000 + rng.randint(0, 10**9)) for _ in range(rows)],
    })


class Timing:
    """Median wall-clock and CPU seconds; CPU time is the fairer figure on a busy machine."""

    def __init__(self, wall: float, cpu: float):
        self.wall, self.cpu = wall, cpu

    def __format__(self, spec: str) -> str:
        return f"wall {self.wall:7.2f} s  cpu {self.cpu:7.2f} s"

    def ratio(self, other: "Timing") -> str:
        return f"ratio wall {self.wall / other.wall:.2f}, cpu {self.cpu / other.cpu:.2f}"


def timed(func, repeat: int) -> Timing:
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return Timing(statistics.median(walls), statistics.median(cpus))


def table_steps(frame: pd.DataFrame, repeat: int) -> None:
    """Row expressions of table.filter: on whole columns vs row by row (the fallback)."""
    from bots.steps.table import RowExpression, to_rows

    scope = {"vars": {"limit": 1000}}
    fast = RowExpression("amount > vars.limit and currency == 'CNY'", "bench")
    slow = RowExpression("amount > vars.limit and currency | lower == 'cny'", "bench")  # a filter: row by row
    t_fast = timed(lambda: fast.evaluate(frame, scope), repeat)
    t_slow = timed(lambda: slow.evaluate(frame, scope), repeat)
    t_rows = timed(lambda: to_rows(frame), repeat)
    same = fast.evaluate(frame, scope).tolist() == [bool(v) for v in slow.evaluate(frame, scope).tolist()]
    print(f"table  filter expression, whole columns {t_fast}")
    print(f"table  filter expression, row by row    {t_slow}   (same result: {same})")
    print(f"table  rows output (list of mappings)   {t_rows}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    frame = make_frame(args.rows)
    cells = args.rows * frame.shape[1]
    print(f"sheets benchmark: {args.rows:,} rows x {frame.shape[1]} columns ({cells:,} cells), "
          f"median of {args.repeat}, python {sys.version.split()[0]}, pandas {pd.__version__}")
    with tempfile.TemporaryDirectory() as folder:
        ours_path, pandas_path = Path(folder) / "deskbot.xlsx", Path(folder) / "pandas.xlsx"
        w_ours = timed(lambda: write_workbook(ours_path, frame), args.repeat)
        w_pd = timed(lambda: frame.to_excel(pandas_path, index=False), args.repeat)
        print(f"write  deskbot write_workbook        {w_ours}")
        print(f"write  pandas to_excel (openpyxl)    {w_pd}   deskbot/pandas {w_ours.ratio(w_pd)}")
        r_ours = timed(lambda: read_table(ours_path), args.repeat)
        r_cal = timed(lambda: pd.read_excel(ours_path, engine="calamine"), args.repeat)
        r_opx = timed(lambda: pd.read_excel(ours_path, engine="openpyxl"), args.repeat)
        print(f"read   deskbot read_table (calamine) {r_ours}")
        print(f"read   pandas read_excel (openpyxl)  {r_opx}   deskbot/pandas {r_ours.ratio(r_opx)}")
        print(f"read   pandas read_excel (calamine)  {r_cal}   deskbot/pandas-calamine {r_ours.ratio(r_cal)}")
        csv_path = Path(folder) / "statement.csv"
        frame.to_csv(csv_path, index=False)
        c_ours = timed(lambda: read_table(csv_path), args.repeat)
        c_pd = timed(lambda: pd.read_csv(csv_path, dtype=str), args.repeat)
        print(f"csv    deskbot read_table (typed)    {c_ours}")
        print(f"csv    pandas read_csv(dtype=str)    {c_pd}   deskbot/pandas {c_ours.ratio(c_pd)} (pandas leaves amounts/dates as text)")
        back = read_table(ours_path)
        table_steps(back, args.repeat)
        same = (len(back) == len(frame) and back["amount"].tolist() == frame["amount"].tolist()
                and back["date"].tolist() == frame["date"].tolist())
        print(f"check  round trip exact (Decimal amounts, dates): {same}; file sizes deskbot "
              f"{ours_path.stat().st_size / 1e6:.1f} MB, pandas {pandas_path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
