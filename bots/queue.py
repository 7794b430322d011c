"""The distributed work queue: runs taken by workers on any number of machines (Procrastinate on
PostgreSQL).

With ``DESKBOT_DATABASE=postgresql+psycopg://…`` the queue lives in the same database as the
store:

- ``deskbot run RECIPE --queue`` (and the console's ``POST /api/runs``, and the scheduler) put a
  run in the queue: the run is in the history at once as ``queued``, with its id;
- ``deskbot worker [--concurrency N] [--queue Q]…`` takes queued runs, on any machine that sees
  the database and the shared artifacts folder (``DESKBOT_ARTIFACTS``);
- a recipe never runs twice at once, whichever machines its runs land on (the job's lock is the
  recipe's name); a recipe's ``queue:`` (e.g. ``browser``, ``ocr``) sends its runs to the workers
  that serve it, and its ``priority:`` orders them;
- parked runs (approvals decided, timed retries due) are resumed by whichever worker is free;
- a worker that dies (SIGKILL, power loss) stops sending heartbeats; after ``DEAD_AFTER``
  seconds (``DESKBOT_WORKER_DEAD_AFTER``, default 30; heartbeats every 10 s, checked every
  ``CHECK_EVERY`` = 10 s, so a dead worker's run is ``interrupted`` within 40 s) another worker
  marks its run ``interrupted``: resumed from its journal when the recipe allows it
  (``on_interrupt: resume`` on the step that was running), otherwise alerted and left for a person.

Each run executes in a child process of the worker (``python -m bots.queue RUN_ID``), which dies
with the worker: a killed worker never leaves a run going on behind the others' backs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger("deskbot.queue")

RUN_TASK = "deskbot.run"
DEFAULT_QUEUE = "default"
HEARTBEAT_EVERY = 10.0
CHECK_EVERY = 10.0


def dead_after() -> float:
    try:
        return max(float(os.environ.get("DESKBOT_WORKER_DEAD_AFTER") or 30), HEARTBEAT_EVERY * 1.5)
    except ValueError:
        return 30.0


class QueueUnavailable(Exception):
    """The store is not on PostgreSQL, so there is no shared queue; the message says what to set."""


def enabled(url: str | None = None) -> bool:
    from sqlalchemy.engine import make_url

    from bots.store import database_url

    return make_url(url or database_url()).get_backend_name() == "postgresql"


def conninfo(url: str) -> str:
    """libpq's form of a SQLAlchemy URL (``postgresql+psycopg://`` -> ``postgresql://``)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _blueprint():
    import procrastinate

    blueprint = procrastinate.Blueprint()

    @blueprint.task(name=RUN_TASK, pass_context=True)
    async def run_job(context, run_id: str) -> None:
        await _run_in_child(run_id)

    return blueprint


@lru_cache(maxsize=4)
def app_for(url: str):
    """The Procrastinate app on the store's PostgreSQL database (its schema applied once)."""
    import procrastinate

    if not enabled(url):
        raise QueueUnavailable("the work queue needs the store on PostgreSQL: set DESKBOT_DATABASE="
                               "postgresql+psycopg://USER@HOST/DB (see docs/deploy.md)")
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))
    app.add_tasks_from(_blueprint(), namespace="")
    return app


def ensure_schema(url: str) -> None:
    """Apply Procrastinate's schema to the store's database once (an advisory lock keeps two
    processes from applying it together)."""
    import psycopg

    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(4242002)")
        try:
            present = conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0]
            if present is None:
                app = app_for(url)
                with app.open():
                    app.schema_manager.apply_schema()
        finally:
            conn.execute("SELECT pg_advisory_unlock(4242002)")


# ---- putting runs in the queue ------------------------------------------------------------------

def recipe_routing(recipe) -> dict:
    """Queue, priority and no-overlap lock of a recipe's runs."""
    queue = getattr(recipe, "queue", None) or DEFAULT_QUEUE
    priority = int(getattr(recipe, "priority", 0) or 0)
    return {"queue": queue, "priority": priority, "lock": f"recipe:{recipe.name}"}


def enqueue(recipe, *, variables: dict | None = None, trigger: dict | None = None, run_id: str | None = None,
            home: Path | None = None, dedupe: str | None = None) -> tuple[str, bool]:
    """Record a ``queued`` run and defer its job. Returns (run id, True) or, when ``dedupe`` names
    a run already queued (the same fire from a second scheduler), (that run's id, False)."""
    from bots.settings import artifacts_dir
    from bots.store import RunStore, database_url, new_run_id

    url = database_url(home)
    ensure_schema(url)
    store = RunStore(home, url=url)
    run_id = run_id or new_run_id()
    routing = recipe_routing(recipe)
    run_dir = artifacts_dir(store.home) / run_id
    created = store.queue_run(run_id, recipe.name, recipe.file, dict(trigger or {"type": "manual"}),
                              dict(variables or {}), run_dir, dedupe=dedupe, queue=routing["queue"])
    if not created:
        existing = store.queued_run_for(dedupe) if dedupe else None
        return (existing or run_id), False
    app = app_for(url)
    with app.open():
        app.configure_task(RUN_TASK, queue=routing["queue"], priority=routing["priority"], lock=routing["lock"],
                           queueing_lock=f"run:{run_id}").defer(run_id=run_id)
    return run_id, True


def defer_resume(run_id: str, recipe_name: str, queue: str | None, url: str) -> bool:
    """Queue the resumption of a parked or interrupted run (once: a second ask while it waits is a no-op)."""
    import procrastinate.exceptions

    app = app_for(url)
    try:
        with app.open():
            app.configure_task(RUN_TASK, queue=queue or DEFAULT_QUEUE, lock=f"recipe:{recipe_name}",
                               queueing_lock=f"run:{run_id}").defer(run_id=run_id)
    except procrastinate.exceptions.AlreadyEnqueued:
        return False
    return True


# ---- the worker -----------------------------------------------------------------------------------

def _die_with_parent() -> None:
    """In the child: receive SIGKILL when the worker dies, however it dies (Linux prctl)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass
    os.setsid()  # Ctrl-C at the worker's terminal is the worker's to handle


async def _run_in_child(run_id: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bots.queue", run_id, stdin=asyncio.subprocess.DEVNULL,
        preexec_fn=_die_with_parent, env={**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")})
    try:
        code = await process.wait()
    except asyncio.CancelledError:  # the worker stops: let the run end its step, then record it
        process.send_signal(signal.SIGTERM)
        await process.wait()
        raise
    log.info("run %s ended with exit code %s", run_id, code)


async def watch_for_dead_workers(app, url: str, every: float = CHECK_EVERY) -> None:
    """Every few seconds: jobs whose worker stopped sending heartbeats become ``interrupted`` runs,
    resumed elsewhere when the recipe allows it, else alerted. Several workers may look at once:
    the store's compare-and-set lets exactly one handle each run."""
    from procrastinate import jobs as procrastinate_jobs

    while True:
        try:
            stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=dead_after())
            for job in stalled:
                if job.task_name != RUN_TASK:
                    continue
                run_id = job.task_kwargs.get("run_id")
                await asyncio.to_thread(handle_dead_run, run_id, url, job.queue, job.id)
                await app.job_manager.finish_job(job=job, status=procrastinate_jobs.Status.FAILED,
                                                 delete_job=False)
            await asyncio.to_thread(resume_due_runs, url)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a database hiccup: look again next time
            log.warning("checking for dead workers failed: %s", exc)
        await asyncio.sleep(every)


def handle_dead_run(run_id: str, url: str, queue: str | None, job_id: int | None = None) -> str:
    """A run whose worker died: ``interrupted``, then resumed or alerted. Returns what was done."""
    from bots.store import RunStore

    store = RunStore(url=url)
    run = store.get_run(run_id)
    if run is None:
        return "unknown"
    if run["status"] == "queued":
        # the worker died before the run started: queue it again, it never ran
        defer_resume(run_id, run["recipe"], queue, url)
        return "requeued"
    store.mark_interrupted(run_id, "its worker stopped sending heartbeats (killed or lost)")
    # several workers may notice the same dead one; one of them acts
    if not store.act_once(f"dead:{run_id}:{job_id}", run_id):
        return "already handled"
    run = store.get_run(run_id) or run
    if run["status"] != "interrupted":
        return "not interrupted"
    if _may_resume(run):
        defer_resume(run_id, run["recipe"], queue, url)
        return "resumed"
    _alert_interrupted(run)
    return "alerted"


def _may_resume(run: dict) -> bool:
    try:
        from bots.journal import may_resume_after_crash
    except ImportError:
        return False
    return may_resume_after_crash(run)


def _alert_interrupted(run: dict) -> None:
    from types import SimpleNamespace

    from bots.alerts import on_run_finished
    from bots.recipe import load_recipe

    try:
        recipe = load_recipe(run["recipe_file"])
    except Exception:
        recipe = SimpleNamespace(name=run["recipe"], file=run["recipe_file"], secrets=[], alert=None)
    result = SimpleNamespace(run_id=run["id"], recipe=run["recipe"], status="interrupted", run_dir=Path(run["dir"]),
                             error="its worker stopped sending heartbeats (killed or lost); not resumed: the step"
                                   " that was running does not allow it (on_interrupt: resume)",
                             error_type="Interrupted", failed_step=run.get("failed_step"), steps=[], artifacts=[],
                             log_tail=[], secret_values=[], ok=False, started=run["started"], ended="")
    try:
        on_run_finished(result, recipe)
    except Exception as exc:
        log.error("could not alert about interrupted run %s: %s", run["id"], exc)


def resume_due_runs(url: str) -> int:
    """Parked runs whose time has come (a timed retry, an approval decided): queue their resumption."""
    try:
        from bots.journal import due_runs
    except ImportError:
        return 0
    from bots.store import RunStore

    store = RunStore(url=url)
    queued = 0
    for run in due_runs(store):
        queued += defer_resume(run["id"], run["recipe"], run.get("queue"), url)
    return queued


def run_worker(concurrency: int = 1, queues: list[str] | None = None) -> None:
    """``deskbot worker``: take runs until SIGINT/SIGTERM; runs in progress end their step first."""
    from bots.store import database_url

    url = database_url()
    ensure_schema(url)
    app = app_for(url)

    async def main() -> None:
        async with app.open_async():
            watcher = asyncio.create_task(watch_for_dead_workers(app, url))
            try:
                await app.run_worker_async(queues=queues or None, concurrency=concurrency, wait=True,
                                           update_heartbeat_interval=HEARTBEAT_EVERY,
                                           stalled_worker_timeout=dead_after(), install_signal_handlers=True,
                                           shutdown_graceful_timeout=60, listen_notify=True)
            finally:
                watcher.cancel()

    asyncio.run(main())


# ---- the child: one run --------------------------------------------------------------------------

def execute(run_id: str) -> int:
    """Run (or resume) one queued run in this process; the exit code of ``deskbot run``."""
    from bots.alerts import on_run_finished
    from bots.locks import recipe_lock
    from bots.progress import PlainReporter
    from bots.recipe import load_recipe
    from bots.runner import Runner
    from bots.store import RunStore

    store = RunStore()
    run = store.get_run(run_id)
    if run is None:
        print(f"deskbot worker: no run {run_id}", file=sys.stderr)
        return 1
    # the job's lock keeps runs of a recipe apart across machines; this one also keeps a queued
    # run apart from a 'deskbot run' of the same recipe on this machine
    lock = recipe_lock(store.home, run["recipe"])
    lock.acquire()
    try:
        if run["status"] in ("waiting", "interrupted"):
            try:
                from bots.runner import resume_run
            except ImportError:
                print(f"deskbot worker: run {run_id} is {run['status']}; this deskbot cannot resume runs", file=sys.stderr)
                return 1
            result = resume_run(run_id, home=store.home, store=store, early=False, reporter=PlainReporter(),
                                options={}, after_run=[on_run_finished])
        elif run["status"] != "queued":
            print(f"deskbot worker: run {run_id} is {run['status']}, not queued; not run again", file=sys.stderr)
            return 0
        else:
            recipe = load_recipe(run["recipe_file"])
            trigger = {k: v for k, v in (run.get("trigger") or {"type": "queue"}).items() if k != "queue"}
            runner = Runner(recipe, variables=run.get("vars") or {}, trigger=trigger, home=store.home, store=store,
                            reporter=PlainReporter(), after_run=[on_run_finished], run_id=run_id)
            result = runner.run()
    finally:
        lock.release()
    return {"ok": 0, "rejected": 0, "waiting": 3}.get(result.status, 1)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    raise SystemExit(execute(sys.argv[1]))
