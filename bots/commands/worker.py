"""``deskbot worker``: take queued runs from the shared work queue (PostgreSQL store).

    deskbot worker                         # one run at a time, every queue
    deskbot worker --concurrency 4 --queue browser --queue default

Start as many as you like, on as many machines as see the database and the shared artifacts
folder (``DESKBOT_ARTIFACTS``). SIGTERM or Ctrl-C stops taking runs; runs in progress finish
their current step and are recorded before the worker exits (up to 60 s).
"""

from __future__ import annotations

import click


@click.command("worker")
@click.option("--concurrency", default=1, show_default=True, type=click.IntRange(1, 64),
              help="runs this worker executes at once (each in its own process)")
@click.option("--queue", "queues", multiple=True, metavar="NAME",
              help="only take runs of this queue (repeatable; default: every queue)")
def worker(concurrency: int, queues: tuple[str, ...]) -> None:
    """Take queued runs and execute them, until stopped."""
    from bots.queue import QueueUnavailable, run_worker

    try:
        run_worker(concurrency=concurrency, queues=list(queues) or None)
    except QueueUnavailable as exc:
        click.echo(f"deskbot worker: {exc}", err=True)
        raise SystemExit(2) from None


def register(cli: click.Group) -> None:
    cli.add_command(worker)
