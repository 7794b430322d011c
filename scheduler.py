"""The long-running deskbot process: starts recipes on their schedules and when files arrive.

    python scheduler.py                      # recipes/*.yaml + config/schedules.yaml, home DESKBOT_HOME
    python scheduler.py recipes/month-end.yaml inbox-recipes/ --workers 4 --grace 60s
    python scheduler.py --once               # one pass: start what is due now, wait, exit

What it guarantees (see ``bots/scheduling.py`` for how fire times are computed):

- **Nothing is silently missed.** Each trigger's last fire is kept in the store (``DESKBOT_HOME/runs.db``,
  or PostgreSQL with ``DESKBOT_DATABASE``; an old ``schedule.db`` is imported on first start).
  After a stop (machine off, crash) the fires missed meanwhile are handled by the trigger's
  ``catch_up``: ``skip`` (none), ``once`` (one run now, the default) or ``all`` (one run per
  missed fire, one after another). A fire that is due is queued in the same transaction that
  moves the last fire, so a crash in between cannot lose it.
- **No overlap.** A recipe runs at most once at a time, also across several scheduler processes
  sharing a home: the worker holds a lock file per recipe (``DESKBOT_HOME/locks/``) while it
  runs. When a fire finds the recipe still running, ``overlap: skip`` drops it (logged) and
  ``overlap: queue`` runs it afterwards. Files always queue: every file gets its run.
- **Isolation.** Each run is a separate worker process (``multiprocessing`` spawn), so a long or
  hung run never blocks the other recipes and a crash never stops the scheduler; a worker that
  dies has its run recorded as interrupted and alerted. ``--max-run-time 4h`` stops runs that
  hang past it (recorded as interrupted), so they cannot hold a worker slot for ever.
- **Graceful stop.** SIGTERM or Ctrl-C: no new runs are started, running ones get ``--grace``
  to finish, then they are stopped and recorded as interrupted (a second signal skips the wait).
  Runs that were due but not started stay queued for the next start.
- **Folder triggers** start the recipe once per new file that has stopped growing for
  ``settle``, with ``trigger.file`` set to its path; files already taken are remembered, so a
  restart does not run them again (to run a file again, save it again: a changed size or
  modification time makes it a new file). Relative folders are read from the working folder;
  hidden, ``~$`` and partial-download files (``.part``, ``.crdownload``, ``.tmp``) are ignored.
- **Parked runs resume.** A run that waits (an approval, a timed retry, a long ``wait:``) is
  resumed in a worker once it is due: the approval was decided, the retry's or wait's time has
  come (``bots.journal``). Claiming it is a compare-and-set in the store, so two schedulers
  never resume one run twice; a scheduler restart loses nothing, the waits are in the store.
- **Alerts** of the runs go out through ``bots.alerts``; the outbox of undelivered alerts is
  retried every minute.

As a service (systemd): ``KillMode=mixed`` so the stop signal reaches the scheduler and it
stops its workers itself, and ``TimeoutStopSec`` longer than ``--grace`` plus 15 s.

The loop itself is the ``schedule`` library ticking every ``--tick``; the clock that decides
what is due is injectable (``Scheduler(clock=ManualClock(...))``), which the tests use.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from fnmatch import fnmatch
from pathlib import Path

from bots.scheduling import (DueRun, FolderTrigger, ScheduleState, SystemClock, TimeTrigger, TriggerSet,
                             collect_triggers, due_fires, holder_id, recipe_files)

log = logging.getLogger("deskbot.scheduler")

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_WAITING = 0, 1, 2, 3
EXIT_BUSY = 75         # the recipe is running elsewhere: the due run was not started
EXIT_GONE = 76         # another process started this due run already
EXIT_INTERRUPTED = 130
_TEMP_SUFFIXES = (".part", ".partial", ".crdownload", ".tmp", ".download", ".swp")
_QUEUE_RETRY = timedelta(seconds=5)


# ---- the worker process ---------------------------------------------------------------------
from bots.locks import recipe_lock, recipe_running  # noqa: E402  (shared with `deskbot run`)


def resume_job(job: dict) -> int:
    """Resume one parked run that is due: take the recipe's lock, claim the run, go on."""
    from filelock import Timeout

    from bots.alerts import on_run_finished
    from bots.errors import DeskbotError
    from bots.journal import ResumeRefused
    from bots.progress import PlainReporter
    from bots.runner import resume_run

    home = Path(job["home"])
    lock = recipe_lock(home, job["recipe"])
    try:
        lock.acquire(timeout=0.5)
    except Timeout:
        return EXIT_BUSY
    try:
        try:
            result = resume_run(job["resume"], home=home, due_only=True, reporter=PlainReporter(),
                                after_run=[on_run_finished],
                                now=datetime.fromisoformat(job["now"]) if job.get("now") else None)
        except ResumeRefused as exc:  # another scheduler took it first, or it is not due after all
            print(str(exc), file=sys.stderr)
            return EXIT_GONE
        except DeskbotError as exc:
            print(f"cannot resume run {job['resume']}: {exc}", file=sys.stderr)
            return EXIT_INVALID
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        if result.status == "waiting":
            return EXIT_WAITING
        return EXIT_OK if result.status in ("ok", "rejected") else EXIT_FAILED
    finally:
        lock.release()


def execute_job(job: dict) -> int:
    """Run one due run: take the recipe's lock, claim the run, run it. Returns an exit code."""
    if "resume" in job:
        return resume_job(job)
    from filelock import Timeout

    from bots.alerts import on_run_finished
    from bots.errors import DeskbotError, RecipeError
    from bots.progress import PlainReporter
    from bots.recipe import load_recipe
    from bots.runner import Runner

    home = Path(job["home"])
    lock = recipe_lock(home, job["recipe"])
    try:
        # a short wait rides out another scheduler's quick "is it running?" probe
        lock.acquire(timeout=0.5)
    except Timeout:
        return EXIT_BUSY
    try:
        state = ScheduleState(home)
        try:
            if not state.start(job["due_id"]):
                return EXIT_GONE
        finally:
            state.close()
        try:
            recipe = load_recipe(job["recipe_file"])
        except RecipeError as exc:
            print(f"recipe {job['recipe_file']} is invalid now; run not started:\n{exc}", file=sys.stderr)
            _record_invalid(job, home, exc)
            return EXIT_INVALID
        try:
            runner = Runner(recipe, trigger=job["trigger"], home=home, reporter=PlainReporter(),
                            after_run=[on_run_finished])
        except DeskbotError as exc:
            print(f"cannot start {job['recipe']}: {exc}", file=sys.stderr)
            return EXIT_INVALID
        try:
            result = runner.run()
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        return EXIT_OK if result.ok else EXIT_FAILED
    finally:
        lock.release()


def _alert_emails(recipe_file: str) -> list[str]:
    """Best effort: the alert list of a recipe that no longer loads."""
    from bots.yamlsource import load_yaml_collect

    try:
        data, _ = load_yaml_collect(Path(recipe_file).read_text(encoding="utf-8-sig"), recipe_file)
        emails = ((data or {}).get("alert") or {}).get("email") or []
        return [str(e) for e in emails if isinstance(e, str)]
    except Exception:
        return []


def _record_invalid(job: dict, home: Path, problem: Exception) -> None:
    """A due run whose recipe became invalid: a failed run in the history, and an alert."""
    from types import SimpleNamespace

    from bots.alerts import on_run_finished
    from bots.recipe import Alert
    from bots.runner import RunResult
    from bots.store import RunStore, new_run_id, utcnow

    try:
        from bots import settings as settings_mod

        run_id = new_run_id()
        run_dir = settings_mod.artifacts_dir(home) / run_id
        run_dir.mkdir(parents=True, exist_ok=True)
        started = utcnow()
        error = f"the recipe is invalid, so the run did not start:\n{problem}"
        store = RunStore(home)
        try:
            store.start_run(run_id, job["recipe"], job["recipe_file"], job["trigger"], {}, run_dir)
            store.finish_run(run_id, "failed", error, "recipe (invalid)")
        finally:
            store.close()
        result = RunResult(run_id, job["recipe"], "failed", run_dir, started, utcnow(), error=error,
                           error_type="RecipeError", failed_step="recipe (invalid)")
        recipe = SimpleNamespace(name=job["recipe"], file=job["recipe_file"], secrets=[],
                                 alert=Alert(email=_alert_emails(job["recipe_file"])))
        on_run_finished(result, recipe)
    except Exception as exc:  # the log line above already says what happened
        print(f"could not record the invalid recipe's run: {exc}", file=sys.stderr)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def worker_main(job: dict) -> None:
    # Ctrl-C in the terminal reaches the whole process group: the scheduler decides when a
    # run stops (after its grace period), by sending SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _interrupt)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        code = execute_job(job)
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)


# ---- the scheduler --------------------------------------------------------------------------
@dataclass
class Worker:
    due: DueRun
    process: multiprocessing.Process
    started: float
    stopping: bool = False


@dataclass
class Resumer:
    """A worker process resuming a parked run."""

    run_id: str
    recipe: str
    process: multiprocessing.Process | None
    started: float


class Scheduler:
    """Decides what is due (``tick``) and runs it in worker processes."""

    def __init__(self, paths: list[str | Path] | None = None, *, home: Path | None = None, clock=None,
                 schedules_file: str | Path | None = "config/schedules.yaml", workers: int = 4,
                 grace: float = 30.0, late_after: timedelta = timedelta(minutes=1), inline: bool = False,
                 max_catch_up: int = 100, default_calendar: str | None = None,
                 max_run_time: float | None = None):
        from bots import settings as settings_mod

        self.paths = [Path(p) for p in (paths or ["recipes"])]
        self.home = Path(home) if home else settings_mod.home()
        self.clock = clock or SystemClock()
        self.schedules_file = Path(schedules_file) if schedules_file else None
        self.max_workers = max(1, workers)
        self.grace = grace
        self.late_after = late_after
        self.inline = inline
        self.max_catch_up = max_catch_up
        self.max_run_time = max_run_time
        if default_calendar is None:
            try:
                default_calendar = (settings_mod.load_settings().get("company") or {}).get("calendar")
            except Exception:  # a broken settings file must not stop the scheduler
                default_calendar = None
        self.default_calendar = default_calendar
        self.state = ScheduleState(self.home)
        self.holder = holder_id()
        from bots import queue

        #: with the store on PostgreSQL, due runs go to the shared work queue instead of local processes
        self.queue_mode = queue.enabled()
        self.triggers = TriggerSet()
        self.workers: list[Worker] = []
        self.resumers: list[Resumer] = []
        self._resume_later: dict[str, float] = {}  # run id -> monotonic time to try again
        self.stopping = False
        self._signature: tuple | None = None
        self._reported: set[str] = set()
        self._watch: dict[str, dict[str, tuple[tuple[int, int], datetime]]] = {}
        self._taken: set[tuple] = set()
        self._next: dict[str, tuple[str, datetime | None]] = {}
        self._stop = threading.Event()
        self._hurry = False
        self._flush_lock = threading.Lock()
        self._mp = multiprocessing.get_context("spawn")
        freed = self.state.reclaim_dead()
        if freed:
            log.info("%d due run(s) claimed by a stopped scheduler are queued again", freed)

    # ---- triggers ------------------------------------------------------------------------
    def _files_signature(self) -> tuple:
        files = recipe_files(self.paths)
        if self.schedules_file:
            files.append(self.schedules_file)
        sig = []
        for f in files:
            try:
                sig.append((str(f), f.stat().st_mtime_ns))
            except OSError:
                sig.append((str(f), None))
        return tuple(sig)

    def refresh(self) -> None:
        """(Re)load triggers when a recipe or the schedules file changed."""
        signature = self._files_signature()
        if signature == self._signature:
            return
        self._signature = signature
        found = collect_triggers(self.paths, self.schedules_file, self.default_calendar, here=not self.queue_mode)
        new_problems = [p for p in found.problems if p not in self._reported]
        for problem in new_problems:
            log.error("not scheduled: %s", problem)
        if new_problems:
            self._notify_problems(new_problems)
        self._reported = set(found.problems)
        before = {t.key for t in self.triggers.time + self.triggers.folders}
        self.triggers = found
        for trig in found.time:
            if trig.key not in before:
                log.info("trigger %s: %s", trig.key, trig.describe())
        for trig in found.folders:
            if trig.key not in before:
                log.info("trigger %s: %s", trig.key, trig.describe())

    def _notify_problems(self, problems: list[str]) -> None:
        """Tell DESKBOT_ALERT_TO that recipes are not scheduled, instead of a silent gap."""
        try:
            from bots import alerts

            text = ("The scheduler cannot schedule these recipes until they are fixed. Fires due meanwhile"
                    " are caught up (per catch_up) once the recipe is valid again.\n\n" + "\n\n".join(problems))
            if alerts.notify(f"{len(problems)} recipe problem(s): not scheduled", text, self.home, deliver=False):
                self._flush_in_background()
        except Exception as exc:
            log.error("could not send the recipe problem notice: %s", exc)

    # ---- one pass ------------------------------------------------------------------------
    def tick(self) -> None:
        self.refresh()  # may take a moment (recipes load): read the clock after it
        now = self.clock.now()
        self.reap()
        if self.stopping:
            return
        if self.state.reclaim_dead():
            log.warning("due runs claimed by a scheduler process that died are queued again")
        for trig in self.triggers.time:
            self._evaluate(trig, now)
        for trig in self.triggers.folders:
            self._scan(trig, now)
        self.dispatch(now)
        self.resume_due(now)

    # ---- parked runs ---------------------------------------------------------------------
    def resume_due(self, now: datetime) -> None:
        """Start a worker for each parked run that is due (not beside a run of its recipe)."""
        from bots.journal import due_runs
        from bots.store import RunStore

        if self.stopping or self.queue_mode:  # with the work queue, the workers resume due runs
            return
        busy = {w.due.recipe for w in self.workers} | {r.recipe for r in self.resumers}
        for wait in due_runs(RunStore(self.home), now):
            if len(self.workers) + len(self.resumers) >= self.max_workers:
                break
            if wait["recipe"] in busy or self._resume_later.get(wait["run_id"], 0) > time.monotonic():
                continue
            if recipe_running(self.home, wait["recipe"]):
                continue
            busy.add(wait["recipe"])
            job = {"resume": wait["run_id"], "recipe": wait["recipe"], "home": str(self.home), "now": now.isoformat()}
            log.info("resuming run %s of %s (%s)", wait["run_id"], wait["recipe"], wait["detail"])
            if self.inline:
                try:
                    code = execute_job(job)
                except Exception:
                    log.exception("resuming run %s crashed", wait["run_id"])
                    code = -1
                self._resumed(Resumer(wait["run_id"], wait["recipe"], None, time.monotonic()), code)
                continue
            process = self._mp.Process(target=worker_main, args=(job,), name=f"deskbot resume {wait['run_id']}")
            process.start()
            self.resumers.append(Resumer(wait["run_id"], wait["recipe"], process, time.monotonic()))

    def _resumed(self, resumer: Resumer, code: int | None) -> None:
        if code in (EXIT_OK, EXIT_FAILED, EXIT_WAITING, EXIT_GONE):
            log.info("run %s of %s: resumed (exit %s)", resumer.run_id, resumer.recipe, code)
            return
        # busy, invalid or crashed: the run is still parked (or interrupted); not again at once
        self._resume_later[resumer.run_id] = time.monotonic() + (5 if code == EXIT_BUSY else 300)
        if code not in (EXIT_BUSY, EXIT_INVALID):
            log.error("resuming run %s of %s ended unexpectedly (exit %s)", resumer.run_id, resumer.recipe, code)

    def _evaluate(self, trig: TimeTrigger, now: datetime) -> None:
        cached = self._next.get(trig.key)
        if cached and cached[0] == trig.fingerprint and cached[1] is not None and cached[1] > now:
            # another process can only move the last fire forward, never make a fire due sooner
            return
        known = self.state.trigger_state(trig.key)
        if known is None or known[1] != trig.fingerprint:
            # fires before we knew this trigger (or this definition of it) were never promised
            if known is not None:
                log.info("%s: its timing changed; it counts from now", trig.key)
            self.state.start_trigger(trig.key, trig.recipe, trig.fingerprint, now)
            return
        last = known[0]
        upcoming = next(trig.iter_fires(last), None)
        self._next[trig.key] = (trig.fingerprint, upcoming)
        if upcoming is None or upcoming > now:
            return
        self._next.pop(trig.key, None)
        total, due = due_fires(trig.schedule, last, now, self.max_catch_up, trig.calendar)
        if not due:
            return
        on_time = [m for m in due if now - m <= self.late_after]
        missed = total - len(on_time)
        policy = trig.schedule.catch_up
        if policy == "skip":
            chosen = on_time[-1:]
        elif policy == "once":
            chosen = due[-1:]
        else:
            chosen = due
            if total > len(due):
                log.warning("%s: %d fires were missed; catch_up all runs the latest %d", trig.key, total, len(due))
        zone = trig.schedule.timezone
        runs = []
        for moment in chosen:
            from zoneinfo import ZoneInfo

            local = moment.astimezone(ZoneInfo(zone))
            late = now - moment > self.late_after
            runs.append({"recipe": trig.recipe, "recipe_file": trig.recipe_file,
                         # catch-up runs of one batch follow each other rather than being dropped
                         "overlap": "queue" if len(chosen) > 1 else trig.schedule.overlap,
                         "trigger": {"type": "schedule", "schedule": trig.key, "fire_time": local.isoformat(),
                                     "fire_time_utc": moment.isoformat(), "late": late, "missed": missed}})
        if not self.state.claim_fires(trig.key, last, due[-1], runs):
            return  # another scheduler process took these fires
        if missed and not runs:
            log.warning("%s: %d missed fire(s) skipped (catch_up skip), the last at %s", trig.key, missed, due[-1])
        elif missed:
            log.warning("%s: %d fire(s) missed while stopped; catch_up %s starts %d run(s)",
                        trig.key, missed, policy, len(runs))
        for run in runs:
            log.info("due: %s (%s)", trig.recipe, run["trigger"]["fire_time"])

    def _scan(self, trig: FolderTrigger, now: datetime) -> None:
        watched = self._watch.setdefault(trig.key, {})
        try:
            entries = list(os.scandir(trig.folder))
        except FileNotFoundError:
            if ("missing", trig.key) not in self._taken:
                self._taken.add(("missing", trig.key))
                log.error("%s: folder %s does not exist; create it or fix 'on.files.folder'", trig.key, trig.folder)
            return
        except OSError as exc:
            log.error("%s: cannot read folder %s: %s", trig.key, trig.folder, exc)
            return
        self._taken.discard(("missing", trig.key))
        present = set()
        for entry in entries:
            name = entry.name
            if name.startswith((".", "~$")) or name.lower().endswith(_TEMP_SUFFIXES):
                continue
            if not fnmatch(name, trig.files.pattern):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue  # vanished between listing and stat
            path = os.path.abspath(entry.path)
            present.add(path)
            signature = (info.st_size, info.st_mtime_ns)
            token = (trig.key, path, *signature)
            if token in self._taken:
                continue
            seen = watched.get(path)
            if seen is None or seen[0] != signature:
                watched[path] = (signature, now)  # new or still growing: wait for it to settle
                continue
            if (now - seen[1]).total_seconds() < trig.settle_s:
                continue
            self._taken.add(token)
            run = {"recipe": trig.recipe, "recipe_file": trig.recipe_file, "overlap": "queue",
                   "trigger": {"type": "file", "file": path, "name": name, "size": info.st_size}}
            if self.state.take_file(trig.key, path, info.st_size, info.st_mtime_ns, run):
                log.info("due: %s for file %s", trig.recipe, path)
        for path in set(watched) - present:
            del watched[path]
        self._taken = {t for t in self._taken if t[0] != trig.key or t[1] in present}

    # ---- running -------------------------------------------------------------------------
    def dispatch(self, now: datetime) -> None:
        # inline runs finish before the next head of the queue is looked at
        while self._dispatch_once(now) and self.inline:
            pass

    def _dispatch_once(self, now: datetime) -> bool:
        if self.stopping:
            return False
        if self.queue_mode:
            return self._defer_due(now)
        launched = False
        busy_here = {w.due.recipe for w in self.workers}
        for head in self.state.heads():
            if head.claimed_by is not None or (head.not_before and head.not_before > now):
                continue
            if head.recipe in busy_here or recipe_running(self.home, head.recipe):
                if head.overlap == "skip" and self.state.drop_unclaimed(head.id):
                    log.warning("skipped a fire of %s: it is still running (overlap skip)", head.recipe)
                continue
            if len(self.workers) >= self.max_workers:
                break
            if self.state.claim(head.id, self.holder):
                self._launch(head)
                launched = True
        return launched

    def _defer_due(self, now: datetime) -> bool:
        """With the store on PostgreSQL: due runs go to the work queue for the workers, once per
        fire even when several schedulers see it (deduplicated on recipe + fire time)."""
        from bots import queue
        from bots.recipe import load_recipe
        from bots.errors import RecipeError

        deferred = False
        for due in self.state.due():
            if due.claimed_by is not None or (due.not_before and due.not_before > now):
                continue
            if not self.state.claim(due.id, self.holder):
                continue
            try:
                recipe = load_recipe(due.recipe_file, here=False)  # the worker checks Chromium/Tesseract
            except RecipeError as exc:
                self.state.drop(due.id)
                log.error("recipe %s is invalid now; run not queued:\n%s", due.recipe_file, exc)
                _record_invalid(self._job(due), self.home, exc)
                continue
            moment = due.trigger.get("fire_time") or due.trigger.get("file") or f"due-{due.id}"
            try:
                run_id, created = queue.enqueue(recipe, trigger=due.trigger, home=self.home,
                                                dedupe=f"fire:{due.recipe}@{moment}")
            except Exception as exc:  # the database is away: try again on a later tick
                log.error("could not queue %s: %s", due.recipe, exc)
                self.state.release(due.id, now + timedelta(seconds=30))
                continue
            self.state.drop(due.id)
            if created:
                log.info("queued %s as run %s (%s)", due.recipe, run_id, moment)
                deferred = True
            else:
                log.info("%s (%s) was queued by another scheduler as run %s", due.recipe, moment, run_id)
        return False if self.inline else deferred

    def _job(self, due: DueRun) -> dict:
        return {"due_id": due.id, "recipe": due.recipe, "recipe_file": due.recipe_file, "trigger": due.trigger,
                "home": str(self.home)}

    def _launch(self, due: DueRun) -> None:
        log.info("starting %s (%s)", due.recipe, due.trigger.get("fire_time") or due.trigger.get("file") or "")
        if self.inline:
            try:
                code = execute_job(self._job(due))
            except Exception:
                log.exception("run of %s crashed", due.recipe)
                code = -1
            self._finished(due, code, os.getpid())
            return
        process = self._mp.Process(target=worker_main, args=(self._job(due),), name=f"deskbot {due.recipe}")
        process.start()
        self.workers.append(Worker(due, process, time.monotonic()))

    def reap(self) -> None:
        for resumer in list(self.resumers):
            if resumer.process.is_alive():
                continue
            resumer.process.join()
            self.resumers.remove(resumer)
            self._resumed(resumer, resumer.process.exitcode)
        for worker in list(self.workers):
            if worker.process.is_alive():
                overdue = self.max_run_time and time.monotonic() - worker.started > self.max_run_time
                if overdue and not worker.stopping:
                    # a hung run must not hold its worker slot forever: stop it as interrupted
                    log.error("run of %s exceeded --max-run-time %gs; stopping it", worker.due.recipe,
                              self.max_run_time)
                    worker.stopping = True
                    worker.process.terminate()
                continue
            worker.process.join()
            self.workers.remove(worker)
            self._finished(worker.due, worker.process.exitcode, worker.process.pid)

    def _finished(self, due: DueRun, code: int | None, pid: int | None) -> None:
        still_queued = self.state.is_queued(due.id)
        if code == EXIT_OK:
            log.info("run of %s finished ok", due.recipe)
        elif code == EXIT_FAILED:
            log.warning("run of %s failed (see 'deskbot runs')", due.recipe)
        elif code == EXIT_INVALID:
            log.error("run of %s not started: the recipe is invalid", due.recipe)
        elif code == EXIT_INTERRUPTED:
            log.warning("run of %s was interrupted", due.recipe)
        elif code == EXIT_BUSY:
            if due.overlap == "skip":
                self.state.drop(due.id)
                log.warning("skipped a fire of %s: it is running elsewhere (overlap skip)", due.recipe)
            else:
                self.state.release(due.id, self.clock.now() + _QUEUE_RETRY)
            return
        elif code == EXIT_GONE:
            return
        else:
            self._crashed(due, code, pid)
        if still_queued:
            # the worker died before it could start the run: try again a little later
            self.state.release(due.id, self.clock.now() + timedelta(minutes=1))

    def _crashed(self, due: DueRun, code: int | None, pid: int | None, reason: str | None = None) -> None:
        """A worker died without finishing its run: record it as interrupted and alert."""
        from bots.store import RunStore

        reason = reason or f"the worker process running it ended unexpectedly (exit code {code})"
        log.error("run of %s: %s", due.recipe, reason)
        store = RunStore(self.home)
        try:
            for run_id in store.running_in_process(pid, due.recipe):
                store.mark_interrupted(run_id, reason)
                self._alert_interrupted(store, run_id, due)
        finally:
            store.close()

    def _alert_interrupted(self, store, run_id: str, due: DueRun) -> None:
        try:
            from bots.alerts import on_run_finished
            from bots.recipe import load_recipe
            from bots.runner import RunResult

            run = store.get_run(run_id)
            run_dir = Path(run["dir"])
            tail = []
            log_file = run_dir / "run.log"
            if log_file.is_file():
                tail = log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
            result = RunResult(run_id, run["recipe"], "interrupted", run_dir, run["started"], run["ended"] or "",
                               error=run["error"], failed_step=run["failed_step"],
                               artifacts=[{"kind": a["kind"], "path": a["path"]} for a in run["artifacts"]],
                               log_tail=tail)
            on_run_finished(result, load_recipe(due.recipe_file))
        except Exception as exc:  # the alert is best effort here; the run is recorded either way
            log.error("could not alert about %s: %s", run_id, exc)

    # ---- outbox --------------------------------------------------------------------------
    def flush_outbox(self) -> None:
        if not self._flush_lock.acquire(blocking=False):
            return
        try:
            from bots import alerts, chat

            sent = alerts.flush_outbox(self.home)
            if sent:
                log.info("outbox: %d waiting alert(s) delivered", sent)
            if chat.waiting(self.home):
                sent = chat.flush(self.home)
                if sent:
                    log.info("outbox: %d waiting chat message(s) delivered", sent)
        except Exception as exc:
            log.error("outbox flush failed: %s", exc)
        finally:
            self._flush_lock.release()

    def _flush_in_background(self) -> None:
        if any((self.home / "outbox").glob("*.eml")) or any((self.home / "outbox" / "chat").glob("*.json")):
            threading.Thread(target=self.flush_outbox, name="outbox", daemon=True).start()

    # ---- lifecycle -----------------------------------------------------------------------
    def request_stop(self, *_args) -> None:
        if self._stop.is_set():
            self._hurry = True
            log.warning("second stop signal: running runs are stopped now")
            return
        self._stop.set()
        log.warning("stopping: no new runs; %d running run(s) get up to %gs to finish",
                    len(self.workers), self.grace)

    def _safe_tick(self) -> None:
        try:
            self.tick()
        except Exception:  # one bad pass (a locked database, a bug) must not end the scheduler
            log.exception("scheduler pass failed; trying again on the next tick")

    def run_forever(self, tick: float = 1.0, install_signals: bool = True) -> None:
        import schedule

        if install_signals:
            signal.signal(signal.SIGTERM, self.request_stop)
            signal.signal(signal.SIGINT, self.request_stop)
        loop = schedule.Scheduler()
        loop.every(tick).seconds.do(self._safe_tick)
        loop.every(60).seconds.do(self._flush_in_background)
        self._safe_tick()
        self._flush_in_background()
        while not self._stop.is_set():
            loop.run_pending()
            idle = loop.idle_seconds
            self._stop.wait(max(0.01, min(idle if idle is not None else tick, tick)))
        self.shutdown()

    def run_once(self) -> None:
        """One pass; then wait for the runs it started (``--once``)."""
        self._safe_tick()
        while self.workers or self.resumers:
            time.sleep(0.1)
            self.reap()
            if not self.workers:
                self.dispatch(self.clock.now())  # queued runs of a recipe that just finished

    def shutdown(self) -> None:
        self.stopping = True
        deadline = time.monotonic() + self.grace
        while (self.workers or self.resumers) and time.monotonic() < deadline and not self._hurry:
            self.reap()
            time.sleep(0.1)
        for worker in self.workers:
            log.warning("stopping %s: grace period over", worker.due.recipe)
            worker.process.terminate()  # SIGTERM: the run stops as interrupted and alerts
        for resumer in self.resumers:
            log.warning("stopping resumed run %s: grace period over", resumer.run_id)
            resumer.process.terminate()  # interrupted; 'deskbot resume' goes on from its journal
        deadline = time.monotonic() + 10
        while self.resumers and time.monotonic() < deadline:
            self.reap()
            time.sleep(0.1)
        deadline = time.monotonic() + 10
        while self.workers and time.monotonic() < deadline:
            self.reap()
            time.sleep(0.1)
        for worker in list(self.workers):
            worker.process.kill()
            worker.process.join()
            self.workers.remove(worker)
            self._crashed(worker.due, worker.process.exitcode, worker.process.pid,
                          "stopped by the scheduler's shutdown before it finished")
        self.state.release_all(self.holder)
        self.state.close()
        log.info("scheduler stopped")


def main(argv: list[str] | None = None) -> int:
    from bots.durations import parse_duration

    parser = argparse.ArgumentParser(prog="python scheduler.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["recipes"], help="recipe files or folders (default: recipes/)")
    parser.add_argument("--home", help="state folder (default: DESKBOT_HOME or ./var)")
    parser.add_argument("--schedules", default="config/schedules.yaml", help="extra triggers file (optional)")
    parser.add_argument("--workers", type=int, default=4, help="runs at the same time (default 4)")
    parser.add_argument("--grace", default="30s", help="time running runs get to finish on stop (default 30s)")
    parser.add_argument("--tick", default="1s", help="how often to check triggers (default 1s)")
    parser.add_argument("--max-run-time", default=None,
                        help="stop a run that takes longer than this (e.g. 4h), as interrupted; default: no limit")
    parser.add_argument("--once", action="store_true", help="start what is due now, wait for it, exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s scheduler: %(message)s",
                        stream=sys.stderr)
    try:
        grace, tick = parse_duration(args.grace), parse_duration(args.tick)
        max_run_time = parse_duration(args.max_run_time) if args.max_run_time else None
    except ValueError as exc:
        parser.error(str(exc))
    if args.home:
        os.environ["DESKBOT_HOME"] = str(Path(args.home).resolve())  # workers and alerts read it too
    from bots.errors import DeskbotError

    try:
        scheduler = Scheduler(args.paths, schedules_file=args.schedules or None, workers=args.workers, grace=grace,
                              max_run_time=max_run_time)
    except DeskbotError as exc:  # e.g. an old schedule.db that cannot be imported
        log.error("%s", exc)
        return 2
    log.info("scheduler %s started; home %s", scheduler.holder, scheduler.home)
    if args.once:
        try:
            scheduler.run_once()
        except KeyboardInterrupt:
            log.warning("stopping: no new runs; running ones get up to %gs to finish", grace)
        scheduler.shutdown()
    else:
        scheduler.run_forever(tick=max(tick, 0.05))
    return 0


if __name__ == "__main__":
    sys.exit(main())
