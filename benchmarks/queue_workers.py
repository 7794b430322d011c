"""Queue benchmark: short runs through the PostgreSQL work queue with 1, 2 and 4 workers, beside
the local path (one `deskbot run` process per run, as the one-machine scheduler spawns them), in
the same run; plus the seeds' load test and the time to notice a dead worker.

Starts its own PostgreSQL (Debian's server, in a temp folder on 127.0.0.1), like the tests.

Prints, per worker count: runs per second, queue latency (queued -> started) p50/p95, and the
share of runs that ran exactly once; the local path's runs per second; the load test (N runs
submitted at once with `deskbot run --queue`: the slowest acceptance, and completions per minute
with 2 workers; targets <= 3 s and >= 50/min); and how long after a SIGKILL the dead worker's
run is marked interrupted (bound: DESKBOT_WORKER_DEAD_AFTER + 10 s).

    .venv/bin/python benchmarks/queue_workers.py [--runs 200] [--load 100]
"""

from __future__ import annotations

import sys
from pathlib import Path

import argparse
import os
import signal
import statistics
import subprocess
import tempfile
import time
from datetime import datetime

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHORT = "name: short-{n}\nsteps:\n  - log: hello\n"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def enqueue_all(recipes: list[Path]) -> list[tuple[str, float]]:
    """Queue the runs; (run id, when it was queued) each."""
    from bots.queue import enqueue
    from bots.recipe import load_recipe

    loaded = {p: load_recipe(p) for p in set(recipes)}
    return [(enqueue(loaded[p], trigger={"type": "benchmark"})[0], time.time()) for p in recipes]


def run_batch(folder: Path, recipes: list[Path], workers: int) -> dict:
    from bots.store import RunStore

    queued = dict(enqueue_all(recipes))
    ids = list(queued)
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "bots.cli", "worker", "--concurrency", "2"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
    store = RunStore()
    try:
        while True:
            done = [r for r in (store.get_run(i) for i in ids) if r and r["status"] in ("ok", "failed")]
            if len(done) == len(ids):
                break
            time.sleep(0.5)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=120)
    elapsed = time.perf_counter() - started
    # queue latency: from queued to taken by a worker (the run's start is stamped when it is taken);
    # the workers start after the whole batch is queued, so the first runs wait longest
    latencies = [max(0.0, datetime.fromisoformat(run["started"]).timestamp() - queued[run["id"]]) for run in done]
    once = sum(1 for r in done if r["status"] == "ok") / len(ids)
    return {"elapsed": elapsed, "per_second": len(ids) / elapsed, "once": once, "latencies": latencies}


def local_path(recipes: list[Path]) -> float:
    env = {k: v for k, v in os.environ.items() if k != "DESKBOT_DATABASE"}
    started = time.perf_counter()
    for recipe in recipes:
        subprocess.run([sys.executable, "-m", "bots.cli", "run", str(recipe)], cwd=ROOT, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return len(recipes) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--load", type=int, default=100)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # figures as they come: the whole run takes minutes
    import pytest  # tests/postgres.py skips through pytest when no server is installed

    from tests.postgres import start_server

    folder = Path(tempfile.mkdtemp(prefix="deskbot-queue-bench-"))
    pg_folder = Path(tempfile.mkdtemp(prefix="deskbot-pg-"))
    try:
        server = start_server(pg_folder)
    except pytest.skip.Exception as exc:
        print(f"queue benchmark skipped: {exc}")
        return 0
    try:
        os.environ["DESKBOT_DATABASE"] = server.create_database()
        os.environ["DESKBOT_HOME"] = str(folder / "home")
        os.environ["DESKBOT_WORKER_DEAD_AFTER"] = "15"
        recipes = []
        for n in range(8):  # 8 recipes: runs of one recipe never overlap, so spread them
            path = folder / f"short-{n}.yaml"
            path.write_text(SHORT.format(n=n))
            recipes.append(path)
        batch = [recipes[i % len(recipes)] for i in range(args.runs)]
        print(f"queue benchmark: {args.runs} short runs, 8 recipes, workers with --concurrency 2"
              f" (load average {os.getloadavg()[0]:.1f} at the start)")
        local = local_path(batch[: max(20, args.runs // 10)])
        print(f"  local path (one 'deskbot run' process per run, sequential): {local:5.2f} runs/s")
        for workers in (1, 2, 4):
            result = run_batch(folder, batch, workers)
            print(f"  {workers} worker(s): {result['per_second']:5.2f} runs/s, all {args.runs} done in"
                  f" {result['elapsed']:.1f} s, each exactly once: {result['once'] * 100:.0f}%, queue latency"
                  f" p50 {percentile(result['latencies'], 0.5):.1f} s, p95 {percentile(result['latencies'], 0.95):.1f} s"
                  f" (workers started after the batch was queued)")
        # the seeds' load test: N submissions at once through the CLI, 2 workers
        load_recipe = folder / "load.yaml"
        load_recipe.write_text("name: load\nsteps:\n  - log: one claim\n")
        accept = []
        t0 = time.perf_counter()
        procs = []
        for _ in range(args.load):
            procs.append((time.perf_counter(), subprocess.Popen(
                [sys.executable, "-m", "bots.cli", "run", str(load_recipe), "--queue"], cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
        for began, proc in procs:
            proc.wait(timeout=600)
            accept.append(time.perf_counter() - began)
        workers = [subprocess.Popen([sys.executable, "-m", "bots.cli", "worker", "--concurrency", "2"], cwd=ROOT,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
        from bots.store import RunStore

        store = RunStore()
        t_workers = time.perf_counter()
        while len([r for r in store.list_runs(limit=10_000, recipe="load") if r["status"] == "ok"]) < args.load:
            time.sleep(0.5)
        per_minute = args.load / ((time.perf_counter() - t_workers) / 60)
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            w.wait(timeout=120)
        print(f"  load test: {args.load} submitted at once in {time.perf_counter() - t0:.1f} s; slowest acceptance"
              f" {max(accept):.2f} s (target <= 3 s); p50 {statistics.median(accept):.2f} s;"
              f" {per_minute:.0f} completed per minute with 2 workers (target >= 50)")
        # a dead worker
        slow = folder / "slow.yaml"
        slow.write_text("name: slow\nsteps:\n  - wait: 60s\n")
        subprocess.run([sys.executable, "-m", "bots.cli", "run", str(slow), "--queue"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        doomed = subprocess.Popen([sys.executable, "-m", "bots.cli", "worker"], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not store.list_runs(limit=5, recipe="slow", status="running"):
            time.sleep(0.2)
        doomed.kill()
        killed = time.perf_counter()
        watcher = subprocess.Popen([sys.executable, "-m", "bots.cli", "worker"], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import psycopg

        from bots.queue import conninfo

        while True:
            with psycopg.connect(conninfo(os.environ["DESKBOT_DATABASE"])) as conn:
                status = conn.execute("SELECT status FROM procrastinate_jobs ORDER BY id DESC LIMIT 1").fetchone()[0]
            if status == "failed":
                break
            time.sleep(0.5)
        print(f"  dead worker: its job closed and run interrupted {time.perf_counter() - killed:.1f} s after SIGKILL"
              f" (bound: dead after 15 s + checks every 10 s)")
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=120)
    finally:
        server.stop()
        import shutil

        shutil.rmtree(pg_folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
