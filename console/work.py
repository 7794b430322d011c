"""What the pages and the API both show and do: the dashboard's figures, runs, starting a run.

Everything here goes through the runtime's public functions (the store, the scheduler's trigger
collection, the alerts outbox, the review queue); the pages render it, the API serialises it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bots import settings as settings_mod
from bots.store import RunStore

WINDOWS = (1, 7, 30)
DEFAULT_LEVELS = {"success_rate": 0.99, "error_rate": 0.01}


def _rate(value: Any, name: str) -> float:
    """``99%``, ``99`` or ``0.99`` → 0.99."""
    text = str(value).strip()
    number = float(text.rstrip("%"))
    if text.endswith("%") or number > 1:
        number /= 100
    if not 0 <= number <= 1:
        raise ValueError(f"settings.yaml service_levels.{name}: {value!r} is not a rate between 0% and 100%")
    return number


def service_levels(settings: dict, recipe: str) -> dict:
    """``settings.yaml``: ``service_levels: {success_rate: 99%, error_rate: 1%, p95_seconds: 600,
    recipes: {NAME: {...}}}`` — a recipe's own entry overrides the defaults."""
    block = settings.get("service_levels") or {}
    levels = dict(DEFAULT_LEVELS)
    for source in (block, (block.get("recipes") or {}).get(recipe) or {}):
        for key in ("success_rate", "error_rate"):
            if key in source:
                levels[key] = _rate(source[key], key)
        if "p95_seconds" in source:
            levels["p95_seconds"] = float(source["p95_seconds"])
    return levels


def dashboard(store: RunStore, settings: dict, home: Path, now: datetime | None = None) -> dict:
    now = now or datetime.now(timezone.utc)
    windows = store.recipe_stats_windows(WINDOWS, now=now)
    recipes = sorted(set().union(*[set(w) for w in windows.values()]))
    rows = []
    for recipe in recipes:
        levels = service_levels(settings, recipe)
        row = {"recipe": recipe, "levels": levels, "windows": {}}
        for days in WINDOWS:
            s = windows[days].get(recipe)
            if s is None:
                row["windows"][days] = None
                continue
            breaches = []
            if s["success_rate"] is not None and s["success_rate"] < levels["success_rate"]:
                breaches.append("success_rate")
            if s["error_rate"] is not None and s["error_rate"] > levels["error_rate"]:
                breaches.append("error_rate")
            if "p95_seconds" in levels and s["p95_ms"] is not None and s["p95_ms"] > levels["p95_seconds"] * 1000:
                breaches.append("p95")
            row["windows"][days] = {k: s[k] for k in ("runs", "by_status", "success_rate", "error_rate", "mean_ms",
                                                       "p50_ms", "p95_ms")} | {"breaches": breaches}
        rows.append(row)
    return {"as_of": now.isoformat(timespec="seconds"), "recipes": rows, "running": store.running(),
            "next_fires": next_fires(settings, now), "open_work": open_work(home, store)}


_fires_cache: dict[str, Any] = {"key": None, "value": None, "at": 0.0}
_fires_lock = threading.Lock()


def recipe_folders(settings: dict) -> list[Path]:
    """Where the console finds recipes: ``settings.yaml`` ``console: {recipes: [folders]}``, else ./recipes."""
    folders = (settings.get("console") or {}).get("recipes") or ["recipes"]
    return [Path(f) for f in ([folders] if isinstance(folders, str) else folders)]


def next_fires(settings: dict, now: datetime, per_trigger: int = 1) -> list[dict]:
    """The next fire of every scheduled trigger (recipes re-read at most once a minute)."""
    from bots.scheduling import collect_triggers, recipe_files

    folders = [f for f in recipe_folders(settings) if f.is_dir()]
    files = recipe_files(folders) if folders else []
    key = tuple((str(p), p.stat().st_mtime_ns) for p in files)
    with _fires_lock:
        if _fires_cache["key"] != key or time.monotonic() - _fires_cache["at"] > 60:
            calendar = (settings.get("company") or {}).get("calendar")
            schedules = Path("config/schedules.yaml")
            found = collect_triggers(folders, schedules if schedules.is_file() else None, calendar)
            _fires_cache.update(key=key, value=found, at=time.monotonic())
        found = _fires_cache["value"]
    out = []
    for trig in found.time:
        for moment in trig.iter_fires(now):
            out.append({"recipe": trig.recipe, "trigger": trig.describe(), "at": moment.isoformat(),
                        "timezone": trig.schedule.timezone})
            break
    return sorted(out, key=lambda f: f["at"])[:20]


def open_work(home: Path, store: RunStore | None = None) -> dict:
    """Counts of what waits for a person: invoices in review, approvals to decide, reconciliation
    suggestions to confirm or reject, alerts that could not be delivered."""
    from bots import alerts, approvals, reconciliations, review

    store = store or RunStore(home)
    undeliverable = home / "outbox" / "undeliverable"
    return {
        "reviews": len(review.list_reviews("pending", home=home)),
        "approvals": approvals.count_pending(store),
        "suggestions": reconciliations.count_pending(store),
        "alerts_waiting": len(alerts.waiting(home)) if (home / "outbox").is_dir() else 0,
        "alerts_undeliverable": len([p for p in undeliverable.glob("*.eml")]) if undeliverable.is_dir() else 0,
    }


# ---- starting runs -------------------------------------------------------------------------

class LaunchRefused(Exception):
    """The run could not start (unknown recipe, invalid recipe, already running); the message says why."""


@dataclass
class Launch:
    run_id: str
    pid: int


def find_recipe(settings: dict, name: str) -> Path:
    from bots.errors import RecipeError
    from bots.recipe import load_recipe
    from bots.scheduling import recipe_files

    folders = [f for f in recipe_folders(settings) if f.is_dir()]
    for path in recipe_files(folders) if folders else []:
        if path.stem == name:
            return path
    for path in recipe_files(folders) if folders else []:
        try:
            if load_recipe(str(path)).name == name:
                return path
        except RecipeError:
            continue
    raise LaunchRefused(f"no recipe named {name!r} in {', '.join(str(f) for f in folders) or 'the recipes folder'}")


def start_run(store: RunStore, recipe_file: str | Path, variables: dict | None, home: Path,
              wait_seconds: float = 20, audit_entry: dict | None = None) -> Launch:
    """Start a run and return its id: with the store on PostgreSQL it goes to the work queue for
    the workers (``bots.queue``); otherwise ``deskbot run`` starts in a process of its own (it
    outlives the console), found by the pid it records in the store — if that process ends first,
    its own message (invalid recipe, already running) is the refusal.

    ``audit_entry`` (actor, action, subject, after): recorded with the run's id in ``after``; on
    PostgreSQL in the transaction that queues the run."""
    if store.engine.dialect.name == "postgresql":
        return _enqueue(store, recipe_file, variables, home, audit_entry)
    launch = _start_local(store, recipe_file, variables, home, wait_seconds)
    if audit_entry:
        _audit_start(audit_entry, launch.run_id, store=store)
    return launch


def _audit_start(entry: dict, run_id: str, *, conn=None, store: RunStore | None = None) -> None:
    from bots import audit

    audit.record(entry["actor"], entry["action"], entry["subject"], after={**entry.get("after", {}), "run_id": run_id},
                 conn=conn, store=store)


def _start_local(store: RunStore, recipe_file: str | Path, variables: dict | None, home: Path,
                 wait_seconds: float) -> Launch:
    args = ["run", str(recipe_file)]
    for key, value in (variables or {}).items():
        args += ["--var", f"{key}={value}"]
    since = (datetime.now(timezone.utc) - timedelta(seconds=5)).isoformat(timespec="milliseconds")
    process, errors = _spawn(args, home)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        found = store.runs_of_process(process.pid, since)
        if found:
            return Launch(found[0], process.pid)
        if process.poll() is not None:
            time.sleep(0.05)
            found = store.runs_of_process(process.pid, since)
            if found:
                return Launch(found[0], process.pid)
            errors.seek(0)
            message = errors.read().strip().splitlines()
            raise LaunchRefused(message[-1] if message else f"deskbot run ended with exit code {process.returncode}")
        time.sleep(0.1)
    raise LaunchRefused(f"the run did not start within {wait_seconds:.0f} s (process {process.pid} is still going)")


def _spawn(args: list[str], home: Path):
    """A ``deskbot`` command in a process of its own (it outlives the console); its standard error
    goes to ``DESKBOT_HOME/console/launches/`` so a refusal can be read back."""
    log_dir = home / "console" / "launches"
    log_dir.mkdir(parents=True, exist_ok=True)
    errors = (log_dir / f"{time.time_ns()}.err").open("w+", encoding="utf-8")
    env = {**os.environ, "DESKBOT_HOME": str(home)}
    process = subprocess.Popen([sys.executable, "-m", "bots.cli", *args], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True, env=env,
                               cwd=os.getcwd())
    threading.Thread(target=process.wait, daemon=True).start()  # reaped when it ends
    return process, errors


def resume_decided(store: RunStore, run_id: str, home: Path, wait_seconds: float = 5) -> str:
    """Go on with a run whose approval was just decided, as a person expects after clicking.

    On PostgreSQL the workers take due runs (``deskbot worker``); otherwise ``deskbot resume``
    starts in a process of its own. Either way the run is claimed compare-and-set
    (``bots.journal.claim``), so a scheduler resuming it at the same moment never runs it twice;
    when the resume cannot start here (the recipe is running, the scheduler took it) the run stays
    due and the scheduler goes on with it. Returns a sentence for the person."""
    if store.engine.dialect.name == "postgresql":
        return f"run {run_id} is due: a worker resumes it"
    process, errors = _spawn(["resume", run_id], home)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        run = store.get_run(run_id)
        status = run["status"] if run else None
        if status and status != "waiting":
            return f"run {run_id} resumed ({status})"
        if process.poll() is not None:
            run = store.get_run(run_id)
            if run and run["status"] != "waiting":
                return f"run {run_id} resumed ({run['status']})"
            errors.seek(0)
            said = errors.read().strip().splitlines()
            return (f"run {run_id} is due but did not resume here ({said[-1] if said else 'no reason given'});"
                    f" the scheduler resumes it, or: deskbot resume {run_id}")
        time.sleep(0.1)
    return f"run {run_id} is resuming (process {process.pid})"


def approval_files(store: RunStore, approval: dict) -> dict[str, Path]:
    """The request's fields that name a file the run itself was given or made: a run var, the
    trigger's file, or a file in the run's folder. Only those are served (a field's text may come
    from a document, and must never open an arbitrary path)."""
    run = store.get_run(approval["run_id"]) or {}
    known: set[Path] = set()
    for value in list((run.get("vars") or {}).values()) + [(run.get("trigger") or {}).get("file")]:
        if isinstance(value, str) and value and len(value) < 4096:
            try:
                known.add(Path(value).resolve())
            except (OSError, ValueError):
                continue
    run_dir = Path(run["dir"]).resolve() if run.get("dir") else None
    found = {}
    for label, value in (approval.get("fields") or {}).items():
        if not isinstance(value, str) or not value or len(value) >= 4096 or "\0" in value:
            continue
        try:
            path = Path(value).resolve()
            if not path.is_file():
                continue
        except (OSError, ValueError):
            continue
        if path in known or (run_dir is not None and path.is_relative_to(run_dir)):
            found[label] = path
    return found


_recipes: dict[str, tuple[tuple, Any]] = {}
_recipes_lock = threading.Lock()


def _loaded_recipe(recipe_file: str | Path):
    """The recipe at ``recipe_file`` to queue, parsed and checked again only when the file changed
    (a burst of API calls for one recipe parses it once)."""
    from bots.recipe import load_recipe

    path = str(Path(recipe_file).resolve())
    try:
        stat = os.stat(path)
        key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except OSError:
        key = None
    with _recipes_lock:
        cached = _recipes.get(path)
    if key is not None and cached is not None and cached[0] == key:
        return cached[1]
    recipe = load_recipe(path, here=False)  # a worker's machine runs it (and has its browser, its OCR)
    if key is not None:
        with _recipes_lock:
            _recipes[path] = (key, recipe)
    return recipe


def _enqueue(store: RunStore, recipe_file: str | Path, variables: dict | None, home: Path,
             audit_entry: dict | None = None) -> Launch:
    from bots.errors import DeskbotError, RecipeError
    from bots.queue import QueueUnavailable, check_variables, enqueue

    also = (lambda conn, run_id: _audit_start(audit_entry, run_id, conn=conn)) if audit_entry else None
    try:
        recipe = _loaded_recipe(recipe_file)
        check_variables(recipe, dict(variables or {}))
        run_id, _ = enqueue(recipe, variables=dict(variables or {}), trigger={"type": "manual", "by": "console"},
                            home=home, also=also)
    except RecipeError as exc:
        raise LaunchRefused(f"the recipe is invalid: {exc}") from None
    except (QueueUnavailable, DeskbotError) as exc:
        raise LaunchRefused(str(exc)) from None
    return Launch(run_id, 0)


def settings() -> dict:
    return settings_mod.load_settings()
