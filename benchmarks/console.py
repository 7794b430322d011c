"""Console speed on a big store: 1,000,000 runs and 10,000,000 step tries (SQLite, the default).

Seeds a store (bulk insert through the store's tables, indexes built once at the end), starts
the real console (waitress) on 127.0.0.1 and times each page over HTTP, signed in. Target: the
dashboard and the first page of runs under 300 ms (median).

Beside each figure, measured in the same run, what the shortcuts save:
- the dashboard's figures from the rollups kept as runs finish, vs the same figures computed by
  scanning the last 30 days of runs (GROUP BY; percentiles in Python);
- a page of runs deep in the history by keyset (``before=``), vs the same page by OFFSET.

    python benchmarks/console.py                  # 1M runs, 10M step tries
    python benchmarks/console.py --runs 100000 --tries-per-run 10 --keep /tmp/bigstore

The open work is seeded too (``--approvals``, ``--reconciliations``: pending approval requests,
and reconciliations each with as many suggestions and open items as a step keeps), and the
approvals inbox, the reconciliation page and their API calls are timed the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from http.cookiejar import CookieJar
from pathlib import Path

# the repository, not benchmarks/, first on the path: a benchmark script must never shadow a standard-library
# module (a benchmarks/queue.py once hid `queue`, which multiprocessing imports)
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import func, select, text  # noqa: E402

from bots import users  # noqa: E402
from bots.store import RunStore, runs, step_attempts  # noqa: E402

RECIPES = [f"recipe-{i:02d}" for i in range(20)]
STATUSES = ["ok"] * 96 + ["failed"] * 3 + ["interrupted"]
PASSWORD = "benchmark passphrase"


def seed(store: RunStore, n_runs: int, tries_per_run: int, days: int) -> float:
    """Bulk-load runs and step tries; returns seconds. Indexes are dropped and rebuilt after."""
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    start = time.perf_counter()
    index_sql = {}
    with store.write() as conn:
        for table in ("runs", "step_attempts"):
            for name, sql in conn.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL",
                    (table,)).all():
                index_sql[name] = sql
                conn.exec_driver_sql(f"DROP INDEX {name}")
    raw = store.engine.raw_connection()
    try:
        db = raw.driver_connection
        db.execute("PRAGMA synchronous=OFF")
        db.execute("BEGIN")
        span = days * 86400.0
        run_sql = ("INSERT INTO runs (id, recipe, recipe_file, recipe_version, trigger, vars, status, started, ended,"
                   " duration_ms, host, pid, error, failed_step, dir) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        step_sql = ("INSERT INTO step_attempts (run_id, seq, path, step_id, action, label, attempt, status, started,"
                    " duration_ms, error, error_type, params, outputs) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        batch_runs, batch_steps = [], []
        for i in range(n_runs):
            began = now - timedelta(seconds=span * (1 - i / n_runs)) - timedelta(seconds=rng.random())
            recipe = RECIPES[i % len(RECIPES)]
            status = rng.choice(STATUSES)
            duration = rng.lognormvariate(9, 0.6)  # ~8 s median
            run_id = f"{began:%Y%m%d-%H%M%S}-{i:07x}"
            stamp = began.isoformat(timespec="milliseconds")
            batch_runs.append((run_id, recipe, f"recipes/{recipe}.yaml", "0123456789ab", '{"type": "schedule"}',
                               "{}", status, stamp, (began + timedelta(milliseconds=duration)).isoformat(
                                   timespec="milliseconds"), duration, "bench", 1,
                               "the portal said no" if status == "failed" else None,
                               "steps[3]" if status == "failed" else None, f"/runs/{run_id}"))
            for seq in range(tries_per_run):
                batch_steps.append((run_id, seq, f"steps[{seq}]", None, "browser.click", f"step {seq}", 1, "ok", stamp,
                                    duration / tries_per_run, None, None, '{"selector": "#go"}', None))
            if len(batch_steps) >= 200_000 or i == n_runs - 1:
                db.executemany(run_sql, batch_runs)
                db.executemany(step_sql, batch_steps)
                batch_runs, batch_steps = [], []
        db.execute("COMMIT")
        for sql in index_sql.values():
            db.execute(sql)
        db.execute("ANALYZE")
        db.execute("PRAGMA synchronous=NORMAL")
    finally:
        raw.close()
    store.rebuild_rollups()
    return time.perf_counter() - start


def seed_open_work(store: RunStore, n_approvals: int, n_reconciliations: int) -> float:
    """Pending approval requests, and reconciliations each at the size a reconcile step keeps at most
    (``SUGGESTIONS_KEPT`` suggestions, ``OPEN_ITEMS_KEPT`` open items per side)."""
    from bots.approvals import approvals
    from bots.reconciliations import OPEN_ITEMS_KEPT, SUGGESTIONS_KEPT, reconcile_items, reconciliations

    start = time.perf_counter()
    now = datetime.now(timezone.utc)
    line = {"date": "2026-03-05", "amount": "500.00", "currency": "EUR", "description": "TRANSFER",
            "reference": "", "counterparty": ""}
    with store.write() as conn:
        conn.execute(approvals.insert(), [
            {"id": f"{i:08x}", "run_id": f"bench-{i}", "step_key": "steps[2]", "recipe": RECIPES[i % len(RECIPES)],
             "title": f"Pay claim {i}", "details": "", "fields": json.dumps({"amount": "6200.00"}),
             "approvers": json.dumps({"role": "approver"}), "required": 1, "requester": "li.wei",
             "status": "pending", "created": (now - timedelta(seconds=i)).isoformat(), "reminded": 0,
             "on_timeout": "reject", "escalated": 0} for i in range(n_approvals)])
        for r in range(n_reconciliations):
            rec_id = f"rec{r:013d}"
            conn.execute(reconciliations.insert().values(
                id=rec_id, run_id=f"bench-rec-{r}", step_key="steps[5]", recipe="month_end_reconciliation",
                title=f"Bank reconciliation {r}", period_from="2026-03-01", period_to="2026-03-31",
                decisions_file="/tmp/decisions.csv", files="{}", created=(now - timedelta(days=r)).isoformat(),
                summary=json.dumps({"bank_lines": 9000, "ledger_lines": 9000, "matches": 5000, "match_rate": 0.55,
                                    "unmatched": 4000, "unmatched_bank": 2000, "unmatched_ledger": 2000,
                                    "suggestions": SUGGESTIONS_KEPT, "differences": 0, "duplicates": 0})))
            rows = [{"id": f"{rec_id[-8:]}s{i:07d}", "reconciliation_id": rec_id, "kind": "suggestion",
                     "bank_ids": json.dumps([f"B{i}"]), "ledger_ids": json.dumps([f"L{i}"]),
                     "detail": json.dumps({"bank": [{**line, "id": f"B{i}"}], "ledger": [{**line, "id": f"L{i}"}],
                                           "rule": "amount_date", "score": 0.8, "reason": "two candidates"}),
                     "status": "pending"} for i in range(SUGGESTIONS_KEPT)]
            for kind in ("bank", "ledger"):
                rows += [{"id": f"{rec_id[-8:]}{kind[0]}{i:07d}", "reconciliation_id": rec_id, "kind": kind,
                          "bank_ids": json.dumps([f"OB{i}"] if kind == "bank" else []),
                          "ledger_ids": json.dumps([f"OL{i}"] if kind == "ledger" else []),
                          "detail": json.dumps({kind: [{**line, "id": f"O{kind[0]}{i}"}]}), "status": "open"}
                         for i in range(OPEN_ITEMS_KEPT)]
            conn.execute(reconcile_items.insert(), rows)
    return time.perf_counter() - start


def timed(fn, repeats: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def serve(home: Path) -> tuple[str, object]:
    from waitress.server import create_server

    from console.app import create_app

    app = create_app(home=home, settings={})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}", server


def signed_in_opener(base: str):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": "bench", "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(base + "/login", data=data).read()
    return opener


def scan_dashboard(store: RunStore, days: int = 30) -> dict:
    """The dashboard's 30-day figures without rollups: a GROUP BY over the runs, percentiles in Python."""
    since = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat()
    out: dict = {}
    with store.read() as conn:
        for recipe, status, n in conn.execute(select(runs.c.recipe, runs.c.status, func.count()).where(
                runs.c.started >= since).group_by(runs.c.recipe, runs.c.status)):
            out.setdefault(recipe, {})[status] = n
        for recipe in out:
            durations = sorted(conn.execute(select(runs.c.duration_ms).where(
                runs.c.recipe == recipe, runs.c.started >= since)).scalars())
            out[recipe]["p50"] = durations[len(durations) // 2]
            out[recipe]["p95"] = durations[int(len(durations) * 0.95)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--tries-per-run", type=int, default=10)
    parser.add_argument("--days", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--keep", default=None, help="seed into (or reuse) this DESKBOT_HOME")
    parser.add_argument("--approvals", type=int, default=10_000, help="pending approval requests to seed")
    parser.add_argument("--reconciliations", type=int, default=12, help="full-size reconciliations to seed")
    args = parser.parse_args()

    home = Path(args.keep or tempfile.mkdtemp(prefix="deskbot-console-bench-"))
    os.environ["DESKBOT_HOME"] = str(home)
    os.environ.pop("DESKBOT_DATABASE", None)
    store = RunStore(home)
    with store.read() as conn:
        present = conn.execute(select(func.count()).select_from(runs)).scalar()
    if present < args.runs:
        seconds = seed(store, args.runs - present, args.tries_per_run, args.days)
        print(f"seeded {args.runs:,} runs and {args.runs * args.tries_per_run:,} step tries in {seconds:.0f} s"
              f" ({(home / 'runs.db').stat().st_size / 1e9:.1f} GB)")
    with store.read() as conn:
        n_runs = conn.execute(select(func.count()).select_from(runs)).scalar()
        n_steps = conn.execute(text("SELECT max(rowid) FROM step_attempts")).scalar()
    print(f"store: {n_runs:,} runs, ~{n_steps:,} step tries")
    if users.get_user("bench", store=store) is None:
        users.add_user("bench", "admin", PASSWORD, actor="benchmark", store=store)
        seconds = seed_open_work(store, args.approvals, args.reconciliations)
        print(f"seeded {args.approvals:,} pending approvals and {args.reconciliations} reconciliations"
              f" in {seconds:.0f} s")

    base, server = serve(home)
    opener = signed_in_opener(base)
    newest = store.list_runs(limit=1)[0]
    deep = store.list_runs(limit=1, before=None, until=(datetime.now(timezone.utc) - timedelta(
        days=args.days // 2)).isoformat())[0]
    pages = {
        "dashboard /": "/",
        "runs, first page": "/runs",
        "runs of one recipe": f"/runs?recipe={RECIPES[3]}",
        "failed runs": "/runs?status=failed",
        "runs, half-way back (keyset)": "/runs?" + urllib.parse.urlencode({"before": f"{deep['started']}|{deep['id']}"}),
        "one run (10 step tries)": f"/runs/{newest['id']}",
        "approvals inbox": "/approvals",
        "reconciliation (newest period)": "/reconciliation",
        "API /api/dashboard": None,
        "API /api/runs?limit=50": None,
        "API /api/approvals": None,
        "API /api/reconciliation/suggestions": None,
    }
    token = users.new_token("bench", actor="benchmark", store=store)
    print(f"\n{'page':<34} {'median':>9} {'p95':>9}   (ms over HTTP, {args.repeats} requests, signed in)")
    results = {}
    for label, path in pages.items():
        if path is None:
            url = base + label.split()[1]
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
            fetch = (lambda request=request: urllib.request.urlopen(request).read())
        else:
            fetch = (lambda url=base + path: opener.open(url).read())
        values = timed(fetch, args.repeats)
        results[label] = values
        print(f"{label:<34} {statistics.median(values):>9.1f} {p95(values):>9.1f}")

    print("\ncomparisons (same store, same run; ms, median of 5)")
    rollup = statistics.median(timed(lambda: store.recipe_stats(30), 5))
    scan = statistics.median(timed(lambda: scan_dashboard(store), 5))
    print(f"  30-day figures from rollups {rollup:9.1f}   by scanning runs {scan:9.1f}   ratio {scan / rollup:6.0f}x")
    depth = n_runs // 2
    keyset = statistics.median(timed(lambda: store.list_runs(limit=50, before=(deep["started"], deep["id"])), 5))

    def offset_page():
        with store.read() as conn:
            conn.execute(select(runs).order_by(runs.c.started.desc(), runs.c.id.desc()).limit(50).offset(depth)).all()

    offset = statistics.median(timed(offset_page, 5))
    print(f"  page {depth:,} runs back: keyset {keyset:9.1f}   OFFSET {offset:9.1f}   ratio {offset / keyset:6.0f}x")
    target = 300
    ok = all(statistics.median(results[k]) < target for k in ("dashboard /", "runs, first page"))
    print(f"\ntarget: dashboard and first page of runs under {target} ms median: {'met' if ok else 'NOT met'}")
    print(json.dumps({k: {"median_ms": round(statistics.median(v), 1), "p95_ms": round(p95(v), 1)}
                      for k, v in results.items()}))
    server.close()


if __name__ == "__main__":
    main()
