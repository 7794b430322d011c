"""``deskbot watch FOLDER [--once] [--recipe R] [--json]``: the invoice watch folder.

Takes every file in FOLDER once it has stopped growing, reads and checks it, books the ready
ones and files each in exactly one place: ``FOLDER/archive/YYYY-MM/``, ``FOLDER/review/``
(+ ``.json``: what was read and why a person must look) or ``FOLDER/quarantine/`` (+ ``.txt``
reason). Exactly once across crashes and restarts, and across watchers on several machines
sharing the folder (the intake journal is in the store: ``DESKBOT_HOME/runs.db`` or PostgreSQL).

Booking: with ``--recipe R`` each ready invoice runs recipe R with ``trigger.file`` set (and
``trigger.intake: true``, so the recipe leaves the filing to the watcher); the recipe appends
the ledger row and enters the invoice in the ERP. Without a recipe, booking is recording in
the intake journal only. A recipe that fails with a passing error (TransientError) leaves the
file in the inbox for the next pass; any other failure sends it to review.

Exit 0; 1 when a recipe run failed or a file was quarantined with ``--once``; 2 on bad input.
"""

from __future__ import annotations

import json
import signal
import sys
import threading

import click


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("folder", type=click.Path())
    @click.option("--once", is_flag=True, help="take what is there now, then exit")
    @click.option("--recipe", "recipe_path", default=None, type=click.Path(), help="recipe that books a ready invoice")
    @click.option("--stable-for", default="2s", help="a file must not change for this long (default 2s)")
    @click.option("--poll", default="2s", help="how often to look (default 2s)")
    @click.option("--workers", default=None, type=int, help="OCR worker processes (default: all cores)")
    @click.option("--json", "as_json", is_flag=True, help="print one JSON object per file filed")
    def watch(folder, once, recipe_path, stable_for, poll, workers, as_json) -> None:
        """Watch FOLDER for invoices: read, check, book, file (archive/review/quarantine)."""
        from pathlib import Path

        from bots import settings as settings_mod
        from bots.cli import load_or_exit, run_hooks
        from bots.durations import parse_duration
        from bots.intake import Retry, process_folder

        base = Path(folder)
        if not base.is_dir():
            click.echo(f"error: watch folder not found: {folder}", err=True)
            sys.exit(2)
        try:
            stable_s = float(parse_duration(stable_for))
            poll_s = float(parse_duration(poll))
        except Exception as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        conf = (settings_mod.load_settings() or {}).get("ocr") or {}
        recipe = load_or_exit(recipe_path) if recipe_path else None
        failures: list[str] = []

        def book(path, result, key):
            from bots.runner import Runner

            trigger = {"type": "file", "file": str(path), "name": path.name, "key": key, "intake": True}
            run = Runner(recipe, trigger=trigger, after_run=run_hooks()).run()
            if run.status != "ok":
                failures.append(f"{path.name}: run {run.run_id} {run.status}: {run.error}")
                if run.error_type == "TransientError":
                    raise Retry(f"run {run.run_id}: {run.error}")
                raise RuntimeError(f"recipe {recipe.name} run {run.run_id} failed: {run.error}")

        def log(message: str) -> None:
            if not as_json:
                click.echo(message)

        stop = threading.Event()
        if not once:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
        report = process_folder(base, on_ready=book if recipe else None, stable_for=stable_s, once=once, poll=poll_s,
                                workers=workers, templates_dir=conf.get("templates") or "config/invoice_templates",
                                languages=conf.get("languages"), stop=stop, log=log,
                                recipe=str(Path(recipe_path).resolve()) if recipe else None)
        if as_json:
            for item in report.items:
                click.echo(json.dumps(item.to_json(), ensure_ascii=False, default=str))
        else:
            counts = report.to_json()["counts"]
            click.echo(", ".join(f"{v} {k}" for k, v in counts.items() if v) or "nothing to take", err=True)
            if report.waiting:
                click.echo(f"still arriving (taken next time): {', '.join(report.waiting)}", err=True)
        quarantined = report.count("quarantine")
        sys.exit(1 if failures or (once and quarantined) else 0)
