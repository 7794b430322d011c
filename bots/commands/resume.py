"""``deskbot resume RUN_ID``: go on with a parked run in the foreground.

    deskbot resume 20261202-101500-a1b2c3            # once its approval is decided or its time has come
    deskbot resume 20261202-101500-a1b2c3 --now      # a timed retry or wait, before its time

Steps that finished before the park give their journaled outputs and do not run again; the run
goes on from where it stopped, under the recipe's lock (never beside another run of it). An
interrupted run (its process died) can be resumed too: a step that was running then fails the
run unless it says ``on_interrupt: resume``. Exit 0 ok or rejected, 1 failed or refused (not
parked, taken by another process), 3 still waiting.
"""

from __future__ import annotations

import json
import signal
import sys

import click


def register(cli: click.Group) -> None:
    @cli.command("resume")
    @click.argument("run_id")
    @click.option("--now", "early", is_flag=True, help="go on with a timed retry or wait before its time")
    @click.option("--json", "as_json", is_flag=True, help="print one JSON summary object")
    @click.option("--headed", is_flag=True, help="show the browser window")
    def resume(run_id: str, early: bool, as_json: bool, headed: bool) -> None:
        """Resume a parked run (exit 0 ok, 1 failed or refused, 3 still waiting)."""
        from filelock import Timeout

        from bots import settings as settings_mod
        from bots.cli import _interrupt, exit_code, run_hooks
        from bots.errors import DeskbotError, RecipeError
        from bots.journal import ResumeRefused
        from bots.locks import recipe_lock
        from bots.progress import default_reporter
        from bots.runner import resume_run
        from bots.store import RunStore

        home = settings_mod.home()
        store = RunStore(home)
        run = store.get_run(run_id)
        if run is None:
            click.echo(f"no run {run_id!r}; see 'deskbot runs'", err=True)
            sys.exit(1)
        signal.signal(signal.SIGTERM, _interrupt)
        lock = recipe_lock(home, run["recipe"])
        try:
            lock.acquire(timeout=0)
        except Timeout:
            click.echo(f"recipe {run['recipe']!r} is running now (the scheduler or another 'deskbot run');"
                       f" resume later", err=True)
            sys.exit(1)
        try:
            result = resume_run(run["id"], home=home, store=store, early=early, reporter=default_reporter(),
                                options={"headed": headed}, after_run=run_hooks())
        except ResumeRefused as exc:
            click.echo(str(exc), err=True)
            sys.exit(3 if exc.waiting else 1)
        except RecipeError as exc:
            click.echo(f"run {run['id']}: its recipe no longer loads:\n{exc}", err=True)
            sys.exit(1)
        except DeskbotError as exc:
            click.echo(f"run {run['id']}: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted: the run is recorded as interrupted; 'deskbot resume' goes on", err=True)
            sys.exit(130)
        finally:
            lock.release()
        if as_json:
            click.echo(json.dumps(result.to_json(), ensure_ascii=False, default=str))
        sys.exit(exit_code(result))
