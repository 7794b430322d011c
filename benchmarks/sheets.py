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


def timed(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


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
        print(f"write  deskbot write_workbook        {w_ours:8.2f} s")
        print(f"write  pandas to_excel (openpyxl)    {w_pd:8.2f} s   ratio deskbot/pandas = {w_ours / w_pd:.2f}")
        r_ours = timed(lambda: read_table(ours_path), args.repeat)
        r_cal = timed(lambda: pd.read_excel(ours_path, engine="calamine"), args.repeat)
        r_opx = timed(lambda: pd.read_excel(ours_path, engine="openpyxl"), args.repeat)
        print(f"read   deskbot read_table (calamine) {r_ours:8.2f} s")
        print(f"read   pandas read_excel (openpyxl)  {r_opx:8.2f} s   ratio deskbot/pandas = {r_ours / r_opx:.2f}")
        print(f"read   pandas read_excel (calamine)  {r_cal:8.2f} s   ratio deskbot/pandas-calamine = {r_ours / r_cal:.2f}")
        back = read_table(ours_path)
        same = (len(back) == len(frame) and back["amount"].tolist() == frame["amount"].tolist()
                and back["date"].tolist() == frame["date"].tolist())
        print(f"check  round trip exact (Decimal amounts, dates): {same}; file sizes deskbot "
              f"{ours_path.stat().st_size / 1e6:.1f} MB, pandas {pandas_path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
