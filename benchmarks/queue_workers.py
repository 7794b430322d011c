"""Queue benchmark: short runs through the PostgreSQL work queue with 1, 2 and 4 workers, beside
the local path (one `deskbot run` process per run, as on one machine without the queue), in the
same run; the seeds' load test; and the time to notice a dead worker.

Starts its own PostgreSQL (Debian's server, in a temp folder on 127.0.0.1), like the tests.

Prints:
- per worker count (each `deskbot worker --concurrency 2`, already running): N short runs queued
  at once: runs per second until the last finished, each run exactly once, queue latency
  (queued -> taken by a worker) p50/p95 of that burst; and the latency of a run queued into an
  idle queue (p50/p95 over 20 runs, one at a time);
- the local path's runs per second (sequential `deskbot run` processes);
- the load test: 100 runs submitted at once through the console's API (`POST /api/runs`, the
  real console on waitress), 2 workers running: the slowest acceptance (target <= 3 s) and
  completions per minute (target >= 50); the same submissions through `deskbot run --queue`
  processes, for comparison (every process pays Python's imports);
- how long after a SIGKILL the dead worker's run is noticed, against the stated bound
  (DESKBOT_WORKER_DEAD_AFTER + DESKBOT_WORKER_CHECK_EVERY; 15 s + 5 s here).

    nice -n 10 .venv/bin/python benchmarks/queue_workers.py [--runs 1000] [--load 100] [--parts workers,load,dead]

At full size it takes about 20 minutes on two cores shared with other work (most of it the
1,000-run bursts); ``--runs 100 --parts workers`` or ``--parts load,dead`` take a few.

Named ``queue_workers.py``, not ``queue.py`` as the issue says: run as a script, its folder comes
first on ``sys.path``, and a ``queue.py`` there would shadow the standard library's ``queue``
module (which procrastinate, asyncio's helpers and ``multiprocessing`` import).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHORT = "name: short-{n}\nsteps:\n  - log: hello\n"
RECIPES = 8  # runs of one recipe never overlap: spread the batch over 8 recipes


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def fresh_database(server) -> None:
    """A new empty database for the next measurement, its schema ready (store and queue)."""
    from bots.queue import ensure_schema
    from bots.store import RunStore

    os.environ["DESKBOT_DATABASE"] = server.create_database()
    RunStore()
    ensure_schema(os.environ["DESKBOT_DATABASE"])


def start_workers(count: int, alive_after: int | None = None) -> list[subprocess.Popen]:
    procs = [subprocess.Popen([sys.executable, "-m", "bots.cli", "worker", "--concurrency", "2"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(count)]
    time.sleep(1)
    wait_registered(alive_after or count)
    return procs


def wait_registered(count: int) -> None:
    """Until ``count`` workers send heartbeats (their runtime imported, ready to take runs)."""
    import psycopg

    from bots.queue import conninfo

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        with psycopg.connect(conninfo(os.environ["DESKBOT_DATABASE"])) as conn:
            alive = conn.execute("SELECT count(*) FROM procrastinate_workers"
                                 " WHERE last_heartbeat > now() - interval '20 seconds'").fetchone()[0]
        if alive >= count:
            return
        time.sleep(0.3)
    raise SystemExit(f"{count} workers did not start within 180 s")


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        p.wait(timeout=120)


FINAL = ("ok", "failed", "interrupted", "rejected")


def finished(ids: list[str]) -> list[dict]:
    from sqlalchemy import select

    from bots.store import RunStore, runs

    store = RunStore()
    found = []
    with store.read() as conn:
        for start in range(0, len(ids), 500):
            found += [dict(r._mapping) for r in conn.execute(
                select(runs.c.id, runs.c.status, runs.c.started, runs.c.ended).where(runs.c.id.in_(ids[start:start + 500])))]
    return [r for r in found if r["status"] in FINAL]


def count_finished(ids: list[str]) -> int:
    """How many of these runs ended (one count, cheap enough to ask twice a second during a burst)."""
    from sqlalchemy import func, select

    from bots.store import RunStore, runs

    with RunStore().read() as conn:
        return sum(conn.execute(select(func.count()).select_from(runs).where(
            runs.c.id.in_(ids[start:start + 500]), runs.c.status.in_(FINAL))).scalar() for start in range(0, len(ids), 500))


def wait_done(ids: list[str], timeout: float = 3600) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if count_finished(ids) == len(ids):
            return finished(ids)
        time.sleep(0.5 if len(ids) > 1 else 0.05)
    raise SystemExit(f"only {count_finished(ids)} of {len(ids)} runs finished within {timeout:.0f} s")


def last_ended(done: list[dict]) -> float:
    """When the last of these runs ended, as recorded by its run (not when this script looked)."""
    return max(datetime.fromisoformat(r["ended"]).timestamp() for r in done)


def latency(run: dict, queued_at: float) -> float:
    # the run's start is stamped when a worker's process takes it (compare-and-set queued -> running)
    return max(0.0, datetime.fromisoformat(run["started"]).timestamp() - queued_at)


def burst(recipes: list, count: int) -> dict:
    """``count`` runs queued at once into running workers."""
    from bots.queue import enqueue

    started = time.time()
    queued = {}
    for n in range(count):
        run_id, _ = enqueue(recipes[n % len(recipes)], trigger={"type": "benchmark"})
        queued[run_id] = time.time()
    done = wait_done(list(queued))
    elapsed = last_ended(done) - started
    return {"per_second": count / elapsed, "elapsed": elapsed,
            "once": sum(1 for r in done if r["status"] == "ok") / count,
            "latencies": [latency(r, queued[r["id"]]) for r in done]}


def idle_latency(recipe, count: int = 20) -> list[float]:
    """A run queued into an idle queue, one at a time: how soon a worker takes it."""
    from bots.queue import enqueue

    out = []
    for _ in range(count):
        at = time.time()
        run_id, _ = enqueue(recipe, trigger={"type": "benchmark"})
        out.append(latency(wait_done([run_id], 120)[0], at))
    return out


def local_path(paths: list[Path]) -> float:
    env = {k: v for k, v in os.environ.items() if k != "DESKBOT_DATABASE"}
    started = time.perf_counter()
    for path in paths:
        subprocess.run([sys.executable, "-m", "bots.cli", "run", str(path)], cwd=ROOT, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return len(paths) / (time.perf_counter() - started)


def post_runs(url: str, token: str, recipe: str, count: int) -> list[tuple[float, str]]:
    """``count`` POST /api/runs at once (one thread each): (seconds to be accepted, run id)."""
    results: list[tuple[float, str]] = []
    gate = threading.Barrier(count)

    def one() -> None:
        request = urllib.request.Request(f"{url}/api/runs", data=json.dumps({"recipe": recipe}).encode(),
                                         headers={"Authorization": f"Bearer {token}",
                                                  "Content-Type": "application/json"}, method="POST")
        gate.wait()
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            run_id = json.loads(response.read())["run_id"]
        results.append((time.perf_counter() - began, run_id))

    threads = [threading.Thread(target=one) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if len(results) != count:
        raise SystemExit(f"only {len(results)} of {count} submissions were accepted")
    return results


def start_console(folder: Path) -> tuple[subprocess.Popen, str, str]:
    from click.testing import CliRunner

    from bots.cli import cli

    added = CliRunner().invoke(cli, ["users", "add", "ops", "--role", "operator"],
                               input="pw-Long-enough-123\npw-Long-enough-123\n")
    assert added.exit_code == 0, added.output
    from bots import users

    token = users.new_token("ops", actor="benchmark")
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    console = subprocess.Popen([sys.executable, "-m", "bots.cli", "console", "--port", str(port)], cwd=folder,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/login", timeout=5).read()
            return console, url, token
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the console did not start")


def load_test(folder: Path, count: int) -> None:
    (folder / "recipes").mkdir(exist_ok=True)
    recipe = folder / "recipes" / "load.yaml"
    recipe.write_text("name: load\nsteps:\n  - log: one claim\n")
    console, url, token = start_console(folder)
    workers = start_workers(2)
    try:
        load_at_start = os.getloadavg()[0]
        began = time.time()
        accepted = post_runs(url, token, "load", count)
        done = wait_done([run_id for _, run_id in accepted])
        per_minute = count / ((last_ended(done) - began) / 60)
        waits = [seconds for seconds, _ in accepted]
        print(f"  load test, console API: {count} POST /api/runs at once (one recipe, so its runs never overlap):"
              f" slowest acceptance {max(waits):.2f} s (target <= 3 s), p50 {statistics.median(waits):.2f} s;"
              f" {per_minute:.0f} runs completed per minute with 2 workers (target >= 50);"
              f" {sum(r['status'] == 'ok' for r in done)} ok; load average {load_at_start:.1f}")
        # the same through the CLI: a process per submission, each importing deskbot
        cli_count = min(count, 20)
        began = time.perf_counter()
        procs = [(time.perf_counter(), subprocess.Popen([sys.executable, "-m", "bots.cli", "run", str(recipe), "--queue"],
                                                        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                                        text=True)) for _ in range(cli_count)]
        waits, ids = [], []
        for started, proc in procs:
            out, _ = proc.communicate(timeout=600)
            waits.append(time.perf_counter() - started)
            ids.append(out.strip().split()[-1])
        wait_done(ids)
        print(f"  load test, 'deskbot run --queue': {cli_count} processes at once: slowest acceptance"
              f" {max(waits):.2f} s, p50 {statistics.median(waits):.2f} s (each process starts Python and imports"
              f" deskbot; 2 cores); load average {os.getloadavg()[0]:.1f}")
    finally:
        stop_workers(workers)
        console.send_signal(signal.SIGTERM)
        console.wait(timeout=60)


def dead_worker(folder: Path) -> None:
    from sqlalchemy import select

    from bots.queue import detection_bound
    from bots.store import RunStore, once_keys

    slow = folder / "slow.yaml"
    slow.write_text("name: slow\nsteps:\n  - wait: 50s\n")
    doomed = start_workers(1)[0]
    subprocess.run([sys.executable, "-m", "bots.cli", "run", str(slow), "--queue"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    store = RunStore()
    while not store.list_runs(limit=5, recipe="slow", status="running"):
        time.sleep(0.2)
    run_id = store.list_runs(limit=5, recipe="slow", status="running")[0]["id"]
    watcher = start_workers(1, alive_after=2)[0]
    killed = datetime.now().astimezone()
    doomed.kill()
    doomed.wait()
    marked = None
    while marked is None:
        # the interruption is acted on under the run's 'ended' (the moment the check marked it)
        with store.read() as conn:
            key = conn.execute(select(once_keys.c.key).where(once_keys.c.key.like(f"interrupted:{run_id}:%"))).scalar()
        marked = datetime.fromisoformat(key.split(":", 2)[2]) if key else None
        time.sleep(0.2)
    print(f"  dead worker: its run marked interrupted {(marked - killed).total_seconds():.1f} s after SIGKILL"
          f" (stated bound {detection_bound():.0f} s = silent {os.environ['DESKBOT_WORKER_DEAD_AFTER']} s after the"
          f" last heartbeat + a check every {os.environ['DESKBOT_WORKER_CHECK_EVERY']} s, then the marking's"
          f" statements; heartbeat every {os.environ['DESKBOT_WORKER_HEARTBEAT']} s); load average"
          f" {os.getloadavg()[0]:.1f}")
    watcher.send_signal(signal.SIGTERM)
    watcher.wait(timeout=120)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="short runs per worker count")
    parser.add_argument("--load", type=int, default=100, help="submissions at once in the load test")
    parser.add_argument("--local", type=int, default=20, help="runs on the local path (each a process: 20 give"
                        " its rate to a few percent)")
    parser.add_argument("--parts", default="workers,load,dead", help="what to measure: workers (with the local"
                        " path beside), load, dead (comma-separated)")
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
        # the processes this starts read compiled modules as an installed deskbot does (pip compiles
        # a wheel's modules); with PYTHONDONTWRITEBYTECODE set, every 'deskbot' process would
        # compile deskbot's own modules again (~0.3 s of CPU each), in a folder of its own here
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        subprocess.run([sys.executable, "-m", "compileall", "-q", "bots", "console"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        os.environ.update(DESKBOT_HOME=str(folder / "home"), DESKBOT_WORKER_DEAD_AFTER="15",
                          DESKBOT_WORKER_CHECK_EVERY="5", DESKBOT_WORKER_HEARTBEAT="5")
        os.environ.pop("DESKBOT_QUEUE_POLL", None)
        from bots.recipe import load_recipe

        paths = []
        for n in range(RECIPES):
            path = folder / f"short-{n}.yaml"
            path.write_text(SHORT.format(n=n))
            paths.append(path)
        print(f"queue benchmark: short runs ({RECIPES} recipes, one 'log' step), workers with --concurrency 2,"
              f" {os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f} at the start)")
        parts = set(args.parts.split(","))
        if "workers" in parts:
            local = local_path([paths[i % RECIPES] for i in range(args.local)])
            print(f"  local path (one 'deskbot run' process per run, sequential, SQLite): {local:5.2f} runs/s;"
                  f" load average {os.getloadavg()[0]:.1f}")
        for workers in (1, 2, 4) if "workers" in parts else ():
            fresh_database(server)
            recipes = [load_recipe(p) for p in paths]
            procs = start_workers(workers)
            try:
                idle = idle_latency(recipes[0])
                result = burst(recipes, args.runs)
            finally:
                stop_workers(procs)
            print(f"  {workers} worker(s): {args.runs} runs queued at once: {result['per_second']:5.2f} runs/s"
                  f" ({result['per_second'] / local:.1f}x the local path), each exactly once:"
                  f" {result['once'] * 100:.0f}%, queue latency of the burst p50 {percentile(result['latencies'], 0.5):.1f} s"
                  f" p95 {percentile(result['latencies'], 0.95):.1f} s; into an idle queue p50"
                  f" {percentile(idle, 0.5):.2f} s p95 {percentile(idle, 0.95):.2f} s; load average"
                  f" {os.getloadavg()[0]:.1f}")
        if "load" in parts:
            fresh_database(server)
            load_test(folder, args.load)
        if "dead" in parts:
            fresh_database(server)
            dead_worker(folder)
    finally:
        server.stop()
        shutil.rmtree(pg_folder, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
