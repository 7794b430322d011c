"""Sync benchmark: 10,000 orders paginated from the demo ERP API and upserted into a SQLite
warehouse, by a recipe and by a hand-written httpx + SQLAlchemy script, in the same run.

Both do the same work: 20 pages of 500 orders (API key header), dates ``YYYYMMDD`` -> DATE,
amounts -> exact NUMERIC, then an upsert keyed on ``order_id`` (look up the existing rows,
insert the new, update the changed, in one transaction). Each contender runs against a fresh
database (first sync: 10,000 inserts) and then again (second sync: nothing changes).

Prints medians over rounds for both passes, and the ratio recipe/script. Target: <= 1.3x.

    .venv/bin/python benchmarks/sync.py [--rounds 3] [--orders 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import textwrap
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from demo import erp_api  # noqa: E402
from demo.server import serve_app  # noqa: E402

RECIPE = """
name: orders-sync-benchmark
secrets: [ERP_API_KEY, WAREHOUSE_DB]
vars: {api: "%(api)s"}
steps:
  - id: erp_orders
    http.request:
      url: "{{ vars.api }}/api/orders?per_page=500"
      auth: {type: api_key, name: X-Api-Key, value: "{{ secrets.ERP_API_KEY }}"}
      paginate: {param: page, items: "{{ response.json.orders }}", max_pages: 10000}
  - id: orders
    table.compute:
      table: "{{ steps.erp_orders.items }}"
      columns: {ordered: "row.ordered | parse_date", total: "row.total | decimal"}
  - id: up
    db.upsert: {url: "{{ secrets.WAREHOUSE_DB }}", table: orders, rows: "{{ steps.orders.table }}", key: [order_id]}
"""

DDL = ("CREATE TABLE orders (order_id INTEGER PRIMARY KEY, customer VARCHAR(16) NOT NULL, ordered DATE NOT NULL,"
       " total NUMERIC(14, 2) NOT NULL, status VARCHAR(16) NOT NULL)")


def fresh_db(folder: Path) -> str:
    import sqlite3

    path = folder / f"warehouse-{time.perf_counter_ns()}.db"
    with sqlite3.connect(path) as db:
        db.execute(DDL)
    return f"sqlite:///{path}"


def script(api: str, db_url: str) -> tuple[int, int]:
    """What a developer would write by hand: httpx pages, then a SQLAlchemy Core upsert."""
    import httpx
    from sqlalchemy import MetaData, Table, and_, bindparam, create_engine

    rows = []
    with httpx.Client(headers={"X-Api-Key": "erp-demo-key"}) as client:
        page = 1
        while True:
            body = client.get(f"{api}/api/orders", params={"per_page": 500, "page": page}).json()
            if not body["orders"]:
                break
            for order in body["orders"]:
                rows.append({**order, "ordered": datetime.strptime(order["ordered"], "%Y%m%d").date(),
                             "total": Decimal(order["total"])})
            page += 1
    engine = create_engine(db_url)
    table = Table("orders", MetaData(), autoload_with=engine)
    inserted = updated = 0
    with engine.begin() as connection:
        existing = {r.order_id: r for r in connection.execute(table.select())}
        new, changed = [], []
        for row in rows:
            old = existing.get(row["order_id"])
            if old is None:
                new.append(row)
            elif (old.customer, old.ordered, old.total, old.status) != (row["customer"], row["ordered"], row["total"], row["status"]):
                changed.append(row)
        if new:
            connection.execute(table.insert(), new)
        if changed:
            connection.execute(table.update().where(table.c.order_id == bindparam("key")).values(
                customer=bindparam("c"), ordered=bindparam("o"), total=bindparam("t"), status=bindparam("s")),
                [{"key": r["order_id"], "c": r["customer"], "o": r["ordered"], "t": r["total"], "s": r["status"]}
                 for r in changed])
        inserted, updated = len(new), len(changed)
    engine.dispose()
    return inserted, updated


def recipe_run(recipe_path: Path, home: Path) -> tuple[int, int]:
    from bots.recipe import load_recipe
    from bots.runner import Runner

    result = Runner(load_recipe(recipe_path), home=home).run()
    if result.status != "ok":
        raise SystemExit(f"recipe failed: {result.error}")
    outputs = result.outputs.get("up") or {}
    return outputs.get("inserted", -1), outputs.get("updated", -1)


def timed(fn, *args) -> tuple[float, float, object]:
    """Wall time, and CPU time of this thread (the demo API answers from another thread, for both
    contenders alike: its work is left out, and so is waiting for a core on a loaded machine)."""
    start, cpu = time.perf_counter(), time.thread_time()
    value = fn(*args)
    return time.perf_counter() - start, time.thread_time() - cpu, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--orders", type=int, default=10_000)
    args = parser.parse_args()
    served = serve_app(erp_api.create_app({"ORDERS": args.orders}), name="erp-api")
    work = Path(tempfile.mkdtemp(prefix="deskbot-sync-bench-"))
    os.environ.update(ERP_API_KEY="erp-demo-key", DESKBOT_HOME=str(work / "home"))
    recipe_path = work / "sync.yaml"
    recipe_path.write_text(textwrap.dedent(RECIPE % {"api": served.url}))
    # imports and first connections are paid once per process by either contender: not timed
    os.environ["WAREHOUSE_DB"] = fresh_db(work)
    script(served.url, fresh_db(work))
    recipe_run(recipe_path, work / "home")
    times: dict[str, list[float]] = {"script first": [], "script again": [], "recipe first": [], "recipe again": []}
    cpu: dict[str, list[float]] = {label: [] for label in times}
    try:
        for _ in range(args.rounds):
            for who in ("script", "recipe"):
                db_url = fresh_db(work)
                os.environ["WAREHOUSE_DB"] = db_url
                run = (lambda: script(served.url, db_url)) if who == "script" else (lambda: recipe_run(recipe_path, work / "home"))
                first, first_cpu, counts = timed(run)
                if counts != (args.orders, 0):
                    raise SystemExit(f"{who}: first sync wrote {counts}, expected ({args.orders}, 0)")
                again, again_cpu, counts = timed(run)
                if counts != (0, 0):
                    raise SystemExit(f"{who}: second sync wrote {counts}, expected (0, 0)")
                times[f"{who} first"].append(first)
                times[f"{who} again"].append(again)
                cpu[f"{who} first"].append(first_cpu)
                cpu[f"{who} again"].append(again_cpu)
    finally:
        served.stop()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"sync of {args.orders} orders ({args.orders // 500} pages), median of {args.rounds} rounds"
          f" ({os.cpu_count()} CPUs, load average {load:.1f} at the end)")
    for label, values in times.items():
        print(f"  {label:<13} {statistics.median(values):6.2f} s   CPU {statistics.median(cpu[label]):5.2f} s"
              f"   (all: {', '.join(f'{v:.2f}' for v in values)})")
    for phase in ("first", "again"):
        ratio = statistics.median(times[f"recipe {phase}"]) / statistics.median(times[f"script {phase}"])
        cpu_ratio = statistics.median(cpu[f"recipe {phase}"]) / statistics.median(cpu[f"script {phase}"])
        verdict = "ok" if ratio <= 1.3 else "ABOVE TARGET"
        print(f"  recipe/script ({phase} sync): {ratio:.2f}x  (target <= 1.3x: {verdict});"
              f" CPU {cpu_ratio:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
