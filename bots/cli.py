"""The ``deskbot`` command line. Exit codes: 0 ok, 1 a run or file failed, 2 invalid input,
3 the run waits (parked: an approval, a timed retry, a long wait; ``deskbot resume`` goes on).

    deskbot validate RECIPE…                       check recipes; errors as PATH:LINE:COL: message
    deskbot run RECIPE [--var K=V]… [--dry-run] [--headed] [--json] [--as USER]
    deskbot runs [--limit N] [--recipe NAME]       run history
    deskbot runs prune --older-than 365d           delete history older than that (audit: >= 180d)
    deskbot show RUN_ID [--json]                   one run's steps and artifacts
    deskbot schema [--write PATH]                  JSON Schema of recipes

Further commands (ocr, reconcile, statement, schedule, watch, demo, worker…) live in
``bots/commands/``, one module per command named like it; a module is imported only when its
command runs (or ``--help`` lists them all), so ``deskbot run`` does not pay for OCR, the console
or the reconciliation engine.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import signal
import sys
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import click

from bots import settings as settings_mod
from bots.durations import parse_duration
from bots.errors import DeskbotError, RecipeError


def _fail_invalid(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


def load_or_exit(path: str, here: bool = True):
    from bots.recipe import load_recipe

    try:
        return load_recipe(path, here=here)
    except RecipeError as exc:
        _fail_invalid(str(exc))


def run_hooks() -> list:
    """Callbacks after every run (alerts), when the alerts module is present."""
    try:
        from bots import alerts
    except ImportError:
        return []
    hook = getattr(alerts, "on_run_finished", None)
    return [hook] if hook else []


@lru_cache(maxsize=1)
def _command_modules() -> tuple[str, ...]:
    """The modules in ``bots/commands/``, by name, found without importing them."""
    import bots.commands as package

    return tuple(sorted(info.name for info in pkgutil.iter_modules(package.__path__)))


class _LazyGroup(click.Group):
    """Commands of ``bots/commands/`` imported when called: the module named like the command
    (``deskbot worker`` -> ``worker.py``) adds it with its ``register(cli)``."""

    def _register(self, module_name: str) -> None:
        module = importlib.import_module(f"bots.commands.{module_name}")
        if getattr(module, "_registered_on", None) is not self:
            module.register(self)
            module._registered_on = self

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(_command_modules()))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in _command_modules():
            self._register(name)
        if name not in self.commands:  # a module that adds a command not named like it
            for module_name in _command_modules():
                self._register(module_name)
        return self.commands.get(name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="deskbot")
def cli() -> None:
    """deskbot: YAML recipes for repetitive back-office work."""


@cli.command()
@click.argument("recipes", nargs=-1, required=True, type=click.Path())
def validate(recipes: tuple[str, ...]) -> None:
    """Check recipes without running them."""
    from bots.recipe import load_recipe

    bad = 0
    for path in recipes:
        try:
            loaded = load_recipe(path)
        except RecipeError as exc:
            bad += 1
            for problem in exc.problems:
                click.echo(str(problem))
        else:
            for warning in loaded.warnings:
                click.echo(str(warning))
            click.echo(f"{path}: ok" + (f" ({len(loaded.warnings)} warning(s))" if loaded.warnings else ""), err=True)
    sys.exit(2 if bad else 0)


def _interrupt(signum, frame) -> None:
    """SIGTERM ends a run like Ctrl-C: resources closed, history says interrupted."""
    raise KeyboardInterrupt


def _parse_vars(pairs: tuple[str, ...]) -> dict:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            _fail_invalid(f"--var {pair!r}: write it as NAME=VALUE")
        out[key.strip()] = value
    return out


def _queue_run(loaded, variables: dict, as_json: bool, user: str | None = None) -> None:
    from bots.queue import QueueUnavailable, check_variables, enqueue

    try:
        check_variables(loaded, variables)
        run_id, _ = enqueue(loaded, variables=variables, trigger={**manual_trigger(user), "by": "cli"})
    except QueueUnavailable as exc:
        click.echo(f"deskbot run --queue: {exc}", err=True)
        sys.exit(2)
    except DeskbotError as exc:
        _fail_invalid(str(exc))
    if as_json:
        click.echo(json.dumps({"run_id": run_id, "status": "queued"}))
    else:
        click.echo(f"queued run {run_id}")


@cli.command()
@click.argument("recipe", type=click.Path())
@click.option("--var", "pairs", multiple=True, metavar="K=V", help="set a recipe var (repeatable)")
@click.option("--dry-run", is_flag=True, help="print the plan; run nothing")
@click.option("--headed", is_flag=True, help="show the browser window")
@click.option("--json", "as_json", is_flag=True, help="print one JSON summary object")
@click.option("--wait", is_flag=True, help="if the recipe is running elsewhere, wait for it instead of refusing")
@click.option("--queue", "to_queue", is_flag=True,
              help="put the run in the work queue for the workers (PostgreSQL store); print its id")
@click.option("--as", "user", default=None, metavar="USER",
              help="who starts the run (the requester of its approvals; default $DESKBOT_USER, else your login)")
def run(recipe: str, pairs: tuple[str, ...], dry_run: bool, headed: bool, as_json: bool, wait: bool,
        to_queue: bool, user: str | None) -> None:
    """Run a recipe once (never beside another run of the same recipe).

    Exit 0 ok (or rejected by an approver), 1 failed, 2 invalid, 3 waiting (parked)."""
    # queued, it runs on a worker's machine: Chromium or Tesseract are needed there, not here
    loaded = load_or_exit(recipe, here=not to_queue)
    variables = _parse_vars(pairs)
    if to_queue:  # the runtime is the worker's to import
        _queue_run(loaded, variables, as_json, user)
        return
    from bots.progress import default_reporter
    from bots.runner import Runner, dry_run_plan

    if dry_run:
        unknown = [k for k in variables if k not in loaded.vars]
        if unknown:
            _fail_invalid(f"{recipe}: recipe declares no var {', '.join(unknown)}")
        plan = dry_run_plan(loaded)
        if as_json:
            click.echo(json.dumps({"dry_run": True, "plan": plan}))
        else:
            click.echo("\n".join(plan))
        return
    try:
        runner = Runner(loaded, variables=variables, reporter=default_reporter(), trigger=manual_trigger(user),
                        options={"headed": headed}, after_run=run_hooks())
    except DeskbotError as exc:
        _fail_invalid(str(exc))
    from filelock import Timeout

    from bots.locks import recipe_lock

    signal.signal(signal.SIGTERM, _interrupt)
    lock = recipe_lock(runner.home, loaded.name)
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout:
        click.echo(f"{recipe}: recipe {loaded.name!r} is already running (the scheduler or another"
                   f" 'deskbot run'); see 'deskbot runs', or pass --wait", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    try:
        result = runner.run()
    except KeyboardInterrupt:
        click.echo("interrupted: the run is recorded as interrupted", err=True)
        sys.exit(130)
    finally:
        lock.release()
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, default=str))
    sys.exit(exit_code(result))


def manual_trigger(user: str | None) -> dict:
    """A run started by hand records who started it: approvals refuse that user's own decision."""
    import getpass

    if user is None:
        user = os.environ.get("DESKBOT_USER")
    if user is None:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = None
    return {"type": "manual", "user": user} if user else {"type": "manual"}


def exit_code(result) -> int:
    """0 ok or rejected (a business outcome), 3 waiting (parked), 1 anything else."""
    if result.status == "waiting":
        click.echo(f"run {result.run_id} waits: {result.waiting}; 'deskbot resume {result.run_id}' goes on"
                   f" once it is due (the scheduler does it by itself)", err=True)
        return 3
    return 0 if result.status in ("ok", "rejected") else 1


@cli.group(invoke_without_command=True)
@click.option("--limit", default=20, show_default=True)
@click.option("--recipe", default=None, help="only runs of this recipe")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def runs(ctx: click.Context, limit: int, recipe: str | None, as_json: bool) -> None:
    """Run history, newest first."""
    if ctx.invoked_subcommand:
        return
    from bots.journal import describe_wait, list_waits
    from bots.store import RunStore

    store = RunStore(settings_mod.home())
    rows = store.list_runs(limit=limit, recipe=recipe)
    if as_json:
        click.echo(json.dumps(rows, default=str))
        return
    if not rows:
        click.echo("no runs yet")
        return
    click.echo(f"{'RUN':<23} {'STATUS':<12} {'STARTED':<20} RECIPE / ERROR")
    waits = {w["run_id"]: w for w in list_waits(store)} if any(r["status"] == "waiting" for r in rows) else {}
    for r in rows:
        tail = f"  {r['failed_step'] or ''} {r['error'] or ''}".rstrip() if r["status"] != "ok" else ""
        if r["id"] in waits:
            tail = f"  {describe_wait(waits[r['id']])}"
        click.echo(f"{r['id']:<23} {r['status']:<12} {r['started'][:19]:<20} {r['recipe']}{tail}")


@runs.command("prune")
@click.option("--older-than", required=True, help="age such as 365d")
@click.option("--force", is_flag=True, help="allow cutting into the 180-day audit window")
def runs_prune(older_than: str, force: bool) -> None:
    """Delete run history older than the given age."""
    from bots.store import RunStore

    try:
        age = timedelta(seconds=parse_duration(older_than))
    except ValueError as exc:
        _fail_invalid(str(exc))
    try:
        removed = RunStore(settings_mod.home()).prune(age, force=force)
    except ValueError as exc:
        _fail_invalid(str(exc))
    click.echo(f"removed {removed} run(s) older than {older_than}")


@cli.command()
@click.argument("run_id")
@click.option("--json", "as_json", is_flag=True)
def show(run_id: str, as_json: bool) -> None:
    """One run's steps and artifacts."""
    from bots.store import RunStore
    from bots.journal import describe_wait, get_wait

    store = RunStore(settings_mod.home())
    run = store.get_run(run_id)
    if run is None:
        _fail_invalid(f"no run {run_id!r}; see 'deskbot runs'")
    run["wait"] = get_wait(store, run["id"]) if run["status"] == "waiting" else None
    if as_json:
        click.echo(json.dumps(run, default=str, ensure_ascii=False))
        return
    click.echo(f"run {run['id']}  {run['recipe']}  {run['status']}")
    click.echo(f"  started {run['started']}  ended {run['ended'] or '-'}  host {run['host']}  trigger {run['trigger']}")
    if run["error"]:
        click.echo(f"  error: {run['failed_step'] or ''} {run['error']}")
    if run["wait"]:
        what = describe_wait(run["wait"])
        click.echo(f"  waiting for {what}" if run["wait"]["kind"] == "approval" else f"  waiting: {what}")
        click.echo(f"    at {run['wait']['step']}; 'deskbot resume {run['id']}' goes on once it is due")
    click.echo(f"  files: {run['dir']}")
    for s in run["steps"]:
        err = f"  {s['error']}" if s["error"] else ""
        tries = f" try {s['attempt']}" if s["attempt"] > 1 else ""
        click.echo(f"  {s['status']:<8} {s['path']:<22} {s['label']}{tries} ({s['duration_ms'] or 0:.0f} ms){err}")
    for a in run["artifacts"]:
        click.echo(f"  artifact {a['kind']}: {a['path']}")


@cli.command()
@click.option("--write", type=click.Path(), default=None, help="write to this file instead of printing")
@click.option("--docs", type=click.Path(), default=None, help="also write the Markdown recipe reference here")
def schema(write: str | None, docs: str | None) -> None:
    """JSON Schema of recipes, generated from the step registry."""
    from bots.schema import schema_text

    if docs:
        from bots.reference import reference_markdown

        Path(docs).parent.mkdir(parents=True, exist_ok=True)
        Path(docs).write_text(reference_markdown(), encoding="utf-8")
    text = schema_text()
    if write:
        Path(write).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


def _report_crash(exc: BaseException) -> None:
    """A bug, not bad input: one line for the operator, the traceback kept in a file."""
    import time
    import traceback

    text = "".join(traceback.format_exception(exc))
    try:
        folder = settings_mod.home() / "crashes"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
        path.write_text(f"deskbot {' '.join(sys.argv[1:])}\n\n{text}", encoding="utf-8")
        where = f"; details in {path}"
    except OSError:
        where = f"\n{text}"
    click.echo(f"deskbot: unexpected error ({type(exc).__name__}: {exc}){where}", err=True)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except RecipeError as exc:
        _fail_invalid(str(exc))
    except DeskbotError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:
        _report_crash(exc)
        sys.exit(1)


if __name__ == "__main__":
    main()
