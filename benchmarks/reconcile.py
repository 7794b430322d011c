"""Reconciliation benchmark: precision, recall and time of auto-matches at 10k, 100k and 1M
lines per side, with DuckDB's plain equi-join on (amount, date) in the same run as the floor.

    .venv/bin/python benchmarks/reconcile.py                 # 10k, 100k, 1M
    .venv/bin/python benchmarks/reconcile.py --sizes 10000 100000 --repeat 3

Data: ``reconcile.generator`` (repeated equal amounts, bank dates 0-5 days after booking,
references full / buried / truncated / missing, split and combined payments, fees, duplicate
exports, lines with no counterpart). Precision = correct auto-matched pairs / auto-matched
pairs; recall = correct / true pairs. Times are wall clock (median of --repeat runs) and CPU
time of this process, so a run on a busy machine can be told apart from a slow engine.

Targets (issue 6): precision >= 99.9 %, recall >= 98 %, 100k x 100k < 5 s, 1M x 1M < 60 s
on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reconcile.engine import reconcile  # noqa: E402
from reconcile.generator import generate  # noqa: E402


def score(found: set, truth: set) -> tuple[float, float]:
    correct = len(found & truth)
    return (correct / len(found) if found else 1.0), (correct / len(truth) if truth else 1.0)


def duckdb_floor(case) -> tuple[float, float, float, int]:
    """DuckDB equi-join on (amount, date): every pair with equal cents on the same day."""
    import duckdb

    bank = case.bank[["id", "cents", "date"]].drop_duplicates("id")
    ledger = case.ledger[["id", "cents", "date"]]
    con = duckdb.connect()
    con.execute("PRAGMA threads=2")
    con.register("bank", bank)
    con.register("ledger", ledger)
    started = time.perf_counter()
    pairs = con.execute("SELECT b.id, l.id FROM bank b JOIN ledger l ON b.cents = l.cents AND b.date = l.date").fetchall()
    elapsed = time.perf_counter() - started
    con.close()
    precision, recall = score(set(pairs), set(zip(case.truth["bank_id"], case.truth["ledger_id"])))
    return elapsed, precision, recall, len(pairs)


def run(size: int, repeat: int, seed: int) -> dict:
    case = generate(size, seed=seed)
    truth = set(zip(case.truth["bank_id"], case.truth["ledger_id"]))
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = reconcile(case.bank, case.ledger)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    found = set(zip(result.matches["bank_id"], result.matches["ledger_id"]))
    precision, recall = score(found, truth)
    floor = duckdb_floor(case)
    return {"size": size, "bank": len(case.bank), "ledger": len(case.ledger), "wall": statistics.median(walls),
            "cpu": statistics.median(cpus), "precision": precision, "recall": recall, "matched": len(found),
            "suggestions": result.summary["suggestions"], "by_rule": result.summary["by_rule"],
            "passes": {k.replace("seconds_", ""): v for k, v in result.summary["seconds"].items() if k.startswith("seconds_")},
            "duckdb": floor}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=None, help="runs per size (default 3 below 1M, else 1)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cores: {os.cpu_count()}  load average at start: {load:.1f}")
    header = (f"{'lines/side':>10} {'wall s':>8} {'cpu s':>8} {'precision':>10} {'recall':>8} {'suggest':>8} "
              f"| {'duckdb s':>8} {'precision':>10} {'recall':>8} {'pairs':>9}")
    print(header)
    print("-" * len(header))
    rows = []
    for size in args.sizes:
        repeat = args.repeat or (3 if size < 1_000_000 else 1)
        row = run(size, repeat, args.seed)
        rows.append(row)
        d = row["duckdb"]
        print(f"{size:>10,} {row['wall']:>8.2f} {row['cpu']:>8.2f} {row['precision'] * 100:>9.3f}% "
              f"{row['recall'] * 100:>7.2f}% {row['suggestions']:>8,} | {d[0]:>8.2f} {d[1] * 100:>9.2f}% "
              f"{d[2] * 100:>7.2f}% {d[3]:>9,}", flush=True)
    print()
    for row in rows:
        passes = ", ".join(f"{k} {v:.2f}s" for k, v in row["passes"].items())
        print(f"{row['size']:>10,}: {passes}; matches by rule {row['by_rule']}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
