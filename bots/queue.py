"""The distributed work queue: runs taken by workers on any number of machines (Procrastinate on
PostgreSQL).

With ``DESKBOT_DATABASE=postgresql+psycopg://…`` the queue lives in the same database as the
store:

- ``deskbot run RECIPE --queue`` (and the console's ``POST /api/runs``, and the scheduler) put a
  run in the queue: the run is in the history at once as ``queued``, with its id; the run's row
  and its job are written in one transaction;
- ``deskbot worker [--concurrency N] [--queue Q]…`` takes queued runs, on any machine that sees
  the database and the shared artifacts folder (``DESKBOT_ARTIFACTS``);
- a recipe never runs twice at once, whichever machines its runs land on (the job's lock is the
  recipe's name); a recipe's ``queue:`` (e.g. ``browser``, ``ocr``) sends its runs to the workers
  that serve it, and its ``priority:`` orders them;
- parked runs fall due (an approval decided, a timed retry or wait whose time came): every
  ``DESKBOT_QUEUE_POLL`` seconds (default 2) each worker looks, and a due run without a job gets
  one, taken by whichever worker is free;
- a worker that dies (SIGKILL, power loss) stops sending heartbeats (every
  ``DESKBOT_WORKER_HEARTBEAT`` s, default 10). Once it has been silent ``DESKBOT_WORKER_DEAD_AFTER``
  seconds (default 30), the next check by another worker (checks start every
  ``DESKBOT_WORKER_CHECK_EVERY`` s, default 10) marks its run ``interrupted``: that check starts
  within DEAD_AFTER + CHECK_EVERY (40 s by default) of the death (the silence began at the last
  heartbeat, at or before the death) and marks the run in the time of a few database statements.
  The run is then resumed from its journal on another worker when that is safe (it
  stopped between steps, or the step that was running says ``on_interrupt: resume``), otherwise
  alerted and left for a person. The same holds for a run whose process alone died.

Never twice at once: a run is taken by a compare-and-set on its status (``queued`` -> ``running``,
``waiting``/``interrupted`` -> ``running``), and each interruption is acted on once (a key per
interruption in ``once_keys``), whichever of the workers that noticed it gets there first.

Each run executes in a child process of the worker, forked from a server process that imported
deskbot's runtime once (``multiprocessing``'s forkserver), so a short run does not pay Python's
imports again. The child dies with the worker: a killed worker never leaves a run going on behind
the others' backs.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from functools import lru_cache
from pathlib import Path

log = logging.getLogger("deskbot.queue")

RUN_TASK = "deskbot.run"
DEFAULT_QUEUE = "default"
#: a run interrupted more often than this (a step that kills its process every time) waits for a person
MAX_RESUMES_AFTER_CRASH = 3


def _seconds(name: str, default: float, least: float) -> float:
    try:
        return max(float(os.environ.get(name) or default), least)
    except ValueError:
        return default


def heartbeat_every() -> float:
    """Seconds between a worker's heartbeats (``DESKBOT_WORKER_HEARTBEAT``, default 10)."""
    return _seconds("DESKBOT_WORKER_HEARTBEAT", 10.0, 0.5)


def dead_after() -> float:
    """Seconds of silence after which a worker is dead (``DESKBOT_WORKER_DEAD_AFTER``, default 30;
    at least one and a half heartbeats, so a slow heartbeat is not taken for a death)."""
    return _seconds("DESKBOT_WORKER_DEAD_AFTER", 30.0, heartbeat_every() * 1.5)


def check_every() -> float:
    """Seconds between two looks for dead workers (``DESKBOT_WORKER_CHECK_EVERY``, default 10)."""
    return _seconds("DESKBOT_WORKER_CHECK_EVERY", 10.0, 0.5)


def poll_every() -> float:
    """Seconds between two looks for due parked runs and for jobs a finished run's lock held back
    (``DESKBOT_QUEUE_POLL``, default 2)."""
    return _seconds("DESKBOT_QUEUE_POLL", 2.0, 0.2)


def detection_bound() -> float:
    """Seconds from a worker's death to the start of the check that marks its run ``interrupted``:
    silent for DEAD_AFTER (counted from its last heartbeat, at or before the death), then at most
    one CHECK_EVERY to the next check. The marking itself adds its few database statements."""
    return dead_after() + check_every()


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
        await _run_in_child(run_id, context.job)

    return blueprint


@lru_cache(maxsize=8)
def app_for(url: str, deferring: bool = False):
    """The Procrastinate app on the store's PostgreSQL database. ``deferring``: one that is never
    opened, to defer jobs on a store connection (the worker's own app is opened asynchronously,
    and Procrastinate then expects asynchronous connections)."""
    import procrastinate

    if not enabled(url):
        raise QueueUnavailable("the work queue needs the store on PostgreSQL: set DESKBOT_DATABASE="
                               "postgresql+psycopg://USER@HOST/DB (see docs/deploy.md)")
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))
    app.add_tasks_from(_blueprint(), namespace="")
    return app


_schema_ready: set[str] = set()

# A job that held a recipe's lock ends: wake the workers at once (Procrastinate's own notification
# is for new jobs only), so the recipe's next run does not wait for a worker's next poll.
_LOCK_FREED = """
CREATE OR REPLACE FUNCTION deskbot_notify_lock_freed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    payload TEXT := json_build_object('type', 'job_inserted', 'job_id', OLD.id)::text;
BEGIN
    PERFORM pg_notify('procrastinate_queue_v1#' || OLD.queue_name, payload);
    PERFORM pg_notify('procrastinate_any_queue_v1', payload);
    RETURN NULL;
END;
$$;
CREATE TRIGGER deskbot_lock_freed AFTER UPDATE OF status OR DELETE ON procrastinate_jobs FOR EACH ROW
    WHEN (OLD.status = 'doing' AND OLD.lock IS NOT NULL) EXECUTE FUNCTION deskbot_notify_lock_freed();
"""


def ensure_schema(url: str) -> None:
    """Apply Procrastinate's schema to the store's database once (an advisory lock keeps two
    processes from applying it together); once per process."""
    if url in _schema_ready:
        return
    import psycopg

    app = app_for(url)
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(4242002)")
        try:
            present = conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0]
            if present is None:
                with app.open():
                    app.schema_manager.apply_schema()
            if conn.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'deskbot_lock_freed'").fetchone() is None:
                conn.execute(_LOCK_FREED)
        finally:
            conn.execute("SELECT pg_advisory_unlock(4242002)")
    _schema_ready.add(url)


# ---- putting runs in the queue ------------------------------------------------------------------

def recipe_routing(recipe) -> dict:
    """Queue, priority and no-overlap lock of a recipe's runs."""
    queue = getattr(recipe, "queue", None) or DEFAULT_QUEUE
    priority = int(getattr(recipe, "priority", 0) or 0)
    return {"queue": queue, "priority": priority, "lock": f"recipe:{recipe.name}"}


def _defer_in(conn, url: str, run_id: str, routing: dict) -> None:
    """Defer the run's job inside the store transaction ``conn`` (a SQLAlchemy connection on the
    same PostgreSQL database): the job exists exactly when the transaction commits. A second job
    for a run whose job still waits raises Procrastinate's ``AlreadyEnqueued`` (queueing lock)."""
    app_for(url, deferring=True).configure_task(RUN_TASK, queue=routing["queue"], priority=routing["priority"],
                                lock=routing["lock"], queueing_lock=f"run:{run_id}",
                                connection=conn.connection.driver_connection).defer(run_id=run_id)


def _queued_in(conn, url: str, run_id: str, routing: dict, also) -> None:
    _defer_in(conn, url, run_id, routing)
    if also is not None:
        also(conn, run_id)


def enqueue(recipe, *, variables: dict | None = None, trigger: dict | None = None, run_id: str | None = None,
            home: Path | None = None, dedupe: str | None = None, also=None) -> tuple[str, bool]:
    """Record a ``queued`` run and defer its job, in one transaction. Returns (run id, True) or,
    when ``dedupe`` names a run already queued (the same fire from a second scheduler), (that
    run's id, False). ``also(conn, run_id)`` writes more in that transaction (the console's audit
    entry: the run and the record of who started it exist together or not at all)."""
    from bots.settings import artifacts_dir
    from bots.store import RunStore, database_url, new_run_id

    url = database_url(home)
    ensure_schema(url)
    store = RunStore(home, url=url)
    run_id = run_id or new_run_id()
    routing = recipe_routing(recipe)
    run_dir = artifacts_dir(store.home) / run_id
    # workers on other machines, and in other folders, read the recipe from where it was queued
    recipe_file = str(Path(recipe.file).resolve()) if recipe.file else recipe.file
    created = store.queue_run(run_id, recipe.name, recipe_file, dict(trigger or {"type": "manual"}),
                              dict(variables or {}), run_dir, dedupe=dedupe, queue=routing["queue"],
                              then=lambda conn: _queued_in(conn, url, run_id, routing, also))
    if not created:
        existing = store.queued_run_for(dedupe) if dedupe else None
        return (existing or run_id), False
    return run_id, True


def check_variables(recipe, variables: dict) -> None:
    """Refuse, before a run is queued, vars its recipe does not declare or of the wrong type (the
    worker would only fail the run later); raises ``DeskbotError`` saying which."""
    from bots.errors import DeskbotError

    unknown = [k for k in variables if k not in recipe.vars]
    if unknown:
        raise DeskbotError(f"{recipe.file}: recipe declares no var {', '.join(unknown)}")
    if variables:  # checked as the run will take them (the runtime imported only then)
        from bots.runner import coerce_override

        for name, value in variables.items():
            coerce_override(name, recipe.vars[name], value)


def _routing_of_run(store, run: dict) -> dict:
    """Queue and priority for a run's next job: as queued, else from the recipe it started with."""
    queue = (run.get("trigger") or {}).get("queue")
    try:
        from bots.runner import recipe_of_run

        routing = recipe_routing(recipe_of_run(store, run))
    except Exception:  # the recipe file is gone or broken: the run's own record still routes it
        routing = {"queue": DEFAULT_QUEUE, "priority": 0, "lock": f"recipe:{run['recipe']}"}
    if queue:
        routing["queue"] = queue
    return routing


def has_live_job(conn, run_id: str, besides: int | None = None) -> bool:
    """A job for this run waits or is being worked on (Procrastinate's own table), other than the
    dead worker's job ``besides``."""
    from sqlalchemy import text

    return conn.execute(text("SELECT 1 FROM procrastinate_jobs WHERE queueing_lock = :lock"
                             " AND status IN ('todo', 'doing') AND id <> :besides LIMIT 1"),
                        {"lock": f"run:{run_id}", "besides": besides or 0}).first() is not None


def defer_resume(run_id: str, url: str, besides: int | None = None) -> bool:
    """Give a parked or interrupted run a job (once: not while one waits or runs for it; a dead
    worker's job ``besides`` does not count, it is closed right after)."""
    import procrastinate.exceptions

    from bots.store import RunStore

    store = RunStore(url=url)
    run = store.get_run(run_id)
    if run is None:
        return False
    routing = _routing_of_run(store, run)
    try:
        with store.write() as conn:
            if has_live_job(conn, run["id"], besides):
                return False
            _defer_in(conn, url, run["id"], routing)
    except procrastinate.exceptions.AlreadyEnqueued:  # another worker gave it one just now
        return False
    return True


def resume_due_runs(url: str) -> int:
    """Parked runs whose time has come (an approval decided, a timed retry or wait due) get a job,
    taken by whichever worker is free. Returns how many were given one."""
    from bots.journal import due_runs
    from bots.store import RunStore

    store = RunStore(url=url)
    given = 0
    for wait in due_runs(store):
        if defer_resume(wait["run_id"], url):
            log.info("run %s of %s is due (%s): queued to resume", wait["run_id"], wait["recipe"], wait["detail"])
            given += 1
    return given


# ---- interrupted runs -----------------------------------------------------------------------------

def may_resume_after_crash(store, run: dict) -> bool:
    """Whether an interrupted run may go on by itself: it stopped between steps, or every step
    try it left cut off says ``on_interrupt: resume`` (running it again is safe)."""
    from bots.journal import cut_off_steps
    from bots.runner import recipe_of_run

    keys = cut_off_steps(store, run["id"])
    if not keys:
        return True
    try:
        recipe = recipe_of_run(store, run)
    except Exception:
        return False
    steps = {st.path: st for top in [*recipe.steps, *recipe.on_failure] for st in top.walk()}
    for key in keys:
        step = steps.get(key.split("@", 1)[0])
        if step is None or step.on_interrupt != "resume":
            return False
    return True


def after_interruption(run_id: str, url: str, besides: int | None = None) -> str:
    """An ``interrupted`` run: resumed on a free worker when that is safe, else alerted; once per
    interruption whoever calls. Returns what was done."""
    from bots.store import RunStore

    store = RunStore(url=url)
    run = store.get_run(run_id)
    if run is None or run["status"] != "interrupted":
        return "not interrupted"
    # several workers may notice the same death; the first to record this interruption acts
    if not store.act_once(f"interrupted:{run['id']}:{run['ended']}", run["id"]):
        return "already handled"
    again = store.once_count(f"interrupted:{run['id']}:") <= MAX_RESUMES_AFTER_CRASH
    if again and may_resume_after_crash(store, run):
        defer_resume(run["id"], url, besides)
        log.warning("run %s of %s was interrupted (%s); it resumes on a free worker", run["id"], run["recipe"],
                    run["error"])
        return "resumed"
    log.warning("run %s of %s was interrupted (%s); left for a person, alerted", run["id"], run["recipe"],
                run["error"])
    _alert_interrupted(run)
    return "alerted"


def handle_dead_run(run_id: str, url: str, job_id: int | None = None,
                    reason: str = "its worker stopped sending heartbeats (killed or lost)") -> str:
    """A run whose process is gone: ``interrupted``, then resumed or alerted. Returns what was done."""
    from bots.store import RunStore

    store = RunStore(url=url)
    run = store.get_run(run_id)
    if run is None:
        return "unknown"
    if run["status"] == "queued":  # its worker died before the run started: it never ran
        defer_resume(run["id"], url, job_id)
        return "requeued"
    store.mark_interrupted(run["id"], reason)
    return after_interruption(run["id"], url, job_id)


def _alert_interrupted(run: dict) -> None:
    from types import SimpleNamespace

    from bots.alerts import on_run_finished
    from bots.recipe import load_recipe

    try:
        recipe = load_recipe(run["recipe_file"])
    except Exception:
        recipe = SimpleNamespace(name=run["recipe"], file=run["recipe_file"], secrets=[], alert=None)
    result = SimpleNamespace(run_id=run["id"], recipe=run["recipe"], status="interrupted", run_dir=Path(run["dir"]),
                             error=f"{run['error'] or 'interrupted'}; not resumed: a step was cut off part-way and"
                                   f" does not allow running it again (on_interrupt: resume). Check what it did,"
                                   f" then 'deskbot resume {run['id']}' or run the recipe anew",
                             error_type="Interrupted", failed_step=run.get("failed_step"), steps=[], artifacts=[],
                             log_tail=[], secret_values=[], ok=False, started=run["started"], ended=run["ended"] or "")
    try:
        on_run_finished(result, recipe)
    except Exception as exc:
        log.error("could not alert about interrupted run %s: %s", run["id"], exc)


# ---- the worker -----------------------------------------------------------------------------------

def _child_modules() -> list[str]:
    """What the forkserver imports once for every run's process: the runtime, the store's table
    modules and its database driver, and every step (a run's process that imported them itself
    paid ~0.2 s of CPU before its first step)."""
    import pkgutil

    import bots.steps
    from bots.store import TABLE_MODULES

    return ["bots.queue", "bots.runner", "bots.alerts", "bots.progress", "bots.locks", "bots.recipe",
            *TABLE_MODULES, "psycopg", "sqlalchemy.dialects.postgresql.psycopg", "filelock",
            *(f"bots.steps.{m.name}" for m in pkgutil.iter_modules(bots.steps.__path__) if not m.name.startswith("_"))]


@lru_cache(maxsize=1)
def _children():
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_child_modules())
    return context


def _start_forkserver() -> None:
    """Start the forkserver and wait until it has imported the runtime, before the worker takes
    jobs: a first run must not block the worker's event loop (its heartbeats) for seconds."""
    warm_up = _children().Process(target=int, name="deskbot forkserver warm-up")
    warm_up.start()
    warm_up.join()


def _child_main(run_id: str, worker_pid: int) -> None:
    """A run's process: dies with the worker, has its own session (Ctrl-C at the worker's
    terminal is the worker's to handle)."""
    import gc

    from bots.store import assume_prepared, database_url

    # the objects inherited from the forkserver are never collected here: a collection would walk
    # them all and copy every memory page the run's process shares with it
    gc.freeze()
    _die_with(worker_pid)
    os.setsid()
    assume_prepared(database_url())
    signal.signal(signal.SIGINT, signal.default_int_handler)
    logging.basicConfig(level=logging.WARNING)
    sys.exit(execute(run_id))


def _die_with(worker_pid: int) -> None:
    """SIGKILL this process when the worker dies, however it dies.

    The forkserver hands every child the write end of the pipe by which it notices that the
    worker is gone; closed here, the forkserver ends with the worker, and Linux then kills its
    children (PR_SET_PDEATHSIG). A watchdog thread looking at the worker twice a second covers
    what that misses (another platform, a forkserver that outlived it)."""
    from multiprocessing import forkserver

    alive = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_alive_fd", None)
    if alive is not None:
        try:
            os.close(alive)
        except OSError:
            pass
        forkserver._forkserver._forkserver_alive_fd = None
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass

    def watch() -> None:
        import time

        while _alive(worker_pid):
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGKILL)

    if not _alive(worker_pid):
        os._exit(1)
    import threading

    threading.Thread(target=watch, name="deskbot worker watchdog", daemon=True).start()


def _alive(pid: int) -> bool:
    from bots.store import _pid_alive

    if not _pid_alive(pid):
        return False
    try:  # a dead worker its parent has not reaped yet is a zombie
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


async def _wait_for(process) -> None:
    loop = asyncio.get_running_loop()
    ended = loop.create_future()
    loop.add_reader(process.sentinel, lambda: ended.done() or ended.set_result(None))
    try:
        await ended
    finally:
        loop.remove_reader(process.sentinel)
    process.join()


async def _run_in_child(run_id: str, job=None) -> None:
    from bots.store import database_url

    process = _children().Process(target=_child_main, args=(run_id, os.getpid()), name=f"deskbot run {run_id}")
    await asyncio.to_thread(process.start)  # off the event loop, which sends the heartbeats
    try:
        await _wait_for(process)
    except asyncio.CancelledError:  # the worker stops: let the run end its step, then record it
        if process.exitcode is None:
            os.kill(process.pid, signal.SIGTERM)
        await asyncio.shield(_wait_for(process))
        await asyncio.to_thread(after_child, run_id, database_url())
        raise
    code = process.exitcode
    process.close()
    log.info("run %s ended with exit code %s", run_id, code)
    done = await asyncio.to_thread(after_child, run_id, database_url())
    if done != "not interrupted":
        log.warning("run %s: interrupted (its process exited with %s): %s", run_id, code, done)


def after_child(run_id: str, url: str) -> str:
    """After a run's process ended: a run it left ``running`` (killed by a signal, out of memory)
    or ``interrupted`` (stopped by a shutdown) is resumed elsewhere or alerted."""
    from bots.store import RunStore

    store = RunStore(url=url)
    run = store.get_run(run_id)  # a dead process's "running" reads as "interrupted"
    if run is not None and run["status"] == "queued" and store.claim_queued(run["id"]):
        # its process ended before taking it (it could not start): failed, said so, not lost
        store.finish_run(run["id"], "failed", error="the run's process ended before the run started; see the"
                                                    " worker's log")
        return "failed before it started"
    if run is None or run["status"] != "interrupted":
        return "not interrupted"
    return after_interruption(run["id"], url)


async def watch_for_dead_workers(app, url: str) -> None:
    """Every CHECK_EVERY seconds: jobs whose worker stopped sending heartbeats: their runs become
    ``interrupted``, resumed elsewhere when that is safe, else alerted. Several workers may look
    at once: the store's compare-and-set lets exactly one act on each interruption."""
    from procrastinate import jobs as procrastinate_jobs

    loop = asyncio.get_running_loop()
    while True:
        # checks start CHECK_EVERY apart, however long one takes (the bound counts on it)
        began = loop.time()
        try:
            stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=dead_after(), task_name=RUN_TASK)
            for job in stalled:
                run_id = job.task_kwargs.get("run_id")
                done = await asyncio.to_thread(handle_dead_run, run_id, url, job.id)
                log.warning("job %s (run %s) of a dead worker: %s", job.id, run_id, done)
                await app.job_manager.finish_job(job=job, status=procrastinate_jobs.Status.FAILED, delete_job=False)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a database hiccup: look again next time
            log.warning("checking for dead workers failed: %s", exc)
        await asyncio.sleep(max(0.0, began + check_every() - loop.time()))


async def resume_when_due(url: str) -> None:
    """Every POLL seconds: due parked runs get a job (any worker may take it)."""
    while True:
        try:
            await asyncio.to_thread(resume_due_runs, url)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("looking for due parked runs failed: %s", exc)
        await asyncio.sleep(poll_every())


def run_worker(concurrency: int = 1, queues: list[str] | None = None) -> None:
    """``deskbot worker``: take runs until SIGINT/SIGTERM; runs in progress end their step first."""
    from bots.store import RunStore, database_url

    url = database_url()
    RunStore(url=url)  # the store's tables exist before the first child opens it
    ensure_schema(url)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one OCR thread per run: the runs share the cores
    _start_forkserver()
    app = app_for(url)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("procrastinate").setLevel(logging.WARNING)

    async def main() -> None:
        async with app.open_async():
            side = [asyncio.create_task(watch_for_dead_workers(app, url)), asyncio.create_task(resume_when_due(url))]
            try:
                await app.run_worker_async(queues=queues or None, concurrency=concurrency, wait=True,
                                           update_heartbeat_interval=heartbeat_every(),
                                           stalled_worker_timeout=dead_after(), install_signal_handlers=True,
                                           shutdown_graceful_timeout=60, listen_notify=True,
                                           fetch_job_polling_interval=poll_every(), delete_jobs="successful")
            finally:
                for task in side:
                    task.cancel()

    asyncio.run(main())


# ---- the child: one run --------------------------------------------------------------------------

def execute(run_id: str) -> int:
    """Run (or resume) one queued run in this process; the exit code of ``deskbot run``."""
    from bots.alerts import on_run_finished
    from bots.journal import ResumeRefused
    from bots.locks import recipe_lock
    from bots.progress import PlainReporter
    from bots.recipe import load_recipe
    from bots.runner import Runner, resume_run
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
                result = resume_run(run["id"], home=store.home, store=store, early=False, reporter=PlainReporter(),
                                    options={}, after_run=[on_run_finished])
            except ResumeRefused as exc:  # taken by another worker, or parked again and not due
                print(f"deskbot worker: run {run['id']} not resumed here: {exc}", file=sys.stderr)
                return 0
        elif run["status"] != "queued":
            print(f"deskbot worker: run {run_id} is {run['status']}, not queued; not run again", file=sys.stderr)
            return 0
        else:
            try:
                recipe = load_recipe(run["recipe_file"])
            except Exception as exc:  # the file is gone or invalid now: the run fails, saying why
                if store.claim_queued(run["id"]):
                    store.finish_run(run["id"], "failed", error=f"the recipe cannot be loaded: {exc}")
                print(f"deskbot worker: run {run_id}: the recipe cannot be loaded: {exc}", file=sys.stderr)
                return 2
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
