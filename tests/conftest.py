"""Shared fixtures: an isolated DESKBOT_HOME per test, and helpers to run recipe text."""

from __future__ import annotations

import os
import signal
import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["tests.postgres"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@pytest.fixture(autouse=True)
def deskbot_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("DESKBOT_HOME", str(home))
    monkeypatch.setenv("DESKBOT_SETTINGS", str(ROOT / "config" / "settings.yaml"))
    for var in ("DESKBOT_DATABASE", "DESKBOT_SMTP_HOST", "DESKBOT_SMTP_PORT", "DESKBOT_SMTP_USER", "DESKBOT_SMTP_PASSWORD", "DESKBOT_ALERT_TO"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def ctrl_c_from_a_terminal():
    """Ctrl-C as an operator's terminal delivers it, to this process and to the runs it starts.
    A suite started in the background by a script inherits SIGINT ignored (POSIX shells ignore it
    in asynchronous commands), Python then leaves it ignored, and so does every process a test
    starts: a test of what Ctrl-C does would pass or time out by where the suite was launched."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.fixture
def write_recipe(tmp_path):
    def write(text: str, name: str = "recipe.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def run_recipe(write_recipe, deskbot_home):
    from bots.recipe import load_recipe
    from bots.runner import Runner

    def run(text: str, **kwargs):
        recipe = load_recipe(write_recipe(text))
        return Runner(recipe, home=deskbot_home, **kwargs).run()

    return run
