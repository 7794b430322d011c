"""What the runner shows while it works: a live display on a terminal, plain lines otherwise.

Reporters receive events; they never decide anything. Text reaching them is already masked.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Reporter:
    """Silent reporter; the base of the others."""

    def run_started(self, run_id: str, recipe: str, run_dir: str) -> None: ...
    def step_started(self, path: str, label: str, attempt: int) -> None: ...
    def step_finished(self, path: str, label: str, status: str, duration_ms: float, error: str | None) -> None: ...
    def retrying(self, path: str, label: str, attempt: int, wait: float, error: str) -> None: ...
    def log(self, level: str, message: str) -> None: ...
    def run_finished(self, run_id: str, status: str, duration_s: float, error: str | None) -> None: ...
    def close(self) -> None: ...


class PlainReporter(Reporter):
    """One timestamped line per event, for logs and pipes."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr

    def _line(self, text: str) -> None:
        self.stream.write(f"{time.strftime('%H:%M:%S')} {text}\n")
        self.stream.flush()

    def run_started(self, run_id, recipe, run_dir):
        self._line(f"run {run_id} of {recipe!r} started; files in {run_dir}")

    def step_finished(self, path, label, status, duration_ms, error):
        tail = f": {error}" if error else ""
        self._line(f"{status:<7} {path} {label} ({duration_ms:.0f} ms){tail}")

    def retrying(self, path, label, attempt, wait, error):
        self._line(f"retry   {path} {label}: try {attempt} in {wait:.1f}s after: {error}")

    def log(self, level, message):
        self._line(f"{level.lower():<7} {message}")

    def run_finished(self, run_id, status, duration_s, error):
        tail = f": {error}" if error else ""
        self._line(f"run {run_id} {status} in {duration_s:.1f}s{tail}")


class RichReporter(Reporter):
    """Live progress on a terminal: a spinner for the current step, a line per finished step."""

    _STYLE = {"ok": "green", "failed": "bold red", "skipped": "dim", "error": "yellow"}

    def __init__(self):
        from rich.console import Console

        self.console = Console(stderr=True)
        self.status = None

    def run_started(self, run_id, recipe, run_dir):
        self.console.print(f"[bold]{recipe}[/] run [cyan]{run_id}[/]  [dim]{run_dir}[/]")
        self.status = self.console.status("starting…")
        self.status.start()

    def step_started(self, path, label, attempt):
        if self.status:
            more = f" (try {attempt})" if attempt > 1 else ""
            self.status.update(f"{label} [dim]{path}[/]{more}")

    def step_finished(self, path, label, status, duration_ms, error):
        from rich.markup import escape

        style = self._STYLE.get(status, "white")
        tail = f"  [red]{escape(error)}[/]" if error else ""
        mark = {"ok": "✓", "failed": "✗", "skipped": "·"}.get(status, "!")
        self.console.print(f"  [{style}]{mark}[/] {escape(label)} [dim]{path} {duration_ms:.0f} ms[/]{tail}")

    def retrying(self, path, label, attempt, wait, error):
        from rich.markup import escape

        self.console.print(f"  [yellow]↻[/] {escape(label)}: try {attempt} in {wait:.1f}s [dim]({escape(error)})[/]")

    def log(self, level, message):
        from rich.markup import escape

        self.console.print(f"    [dim]{level.lower()}[/] {escape(message)}")

    def run_finished(self, run_id, status, duration_s, error):
        self.close()
        colour = "green" if status == "ok" else "red"
        self.console.print(f"[{colour}]{status}[/] in {duration_s:.1f}s  run {run_id}")

    def close(self):
        if self.status:
            self.status.stop()
            self.status = None


def default_reporter(quiet: bool = False) -> Reporter:
    if quiet:
        return Reporter()
    return RichReporter() if sys.stderr.isatty() else PlainReporter()
