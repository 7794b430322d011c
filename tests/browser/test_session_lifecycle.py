"""The run's own Chromium (no shared browser here) is gone after success, failure and Ctrl-C."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from bots.browser import CHROMIUM

pytestmark = pytest.mark.browser


def child_processes() -> set[int]:
    me = str(os.getpid())
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me and fields[0] != "Z":
                found.add(int(entry.name))
    return found


@pytest.fixture
def own_browser():
    if CHROMIUM.check():
        pytest.skip(f"needs {CHROMIUM.check()}")
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to see child processes")
    before = child_processes()
    yield
    deadline = time.monotonic() + 3  # a closed process may take a moment to exit
    while (left := child_processes() - before) and time.monotonic() < deadline:
        time.sleep(0.1)
    names = [Path(f"/proc/{pid}/cmdline").read_bytes()[:80] for pid in left if Path(f"/proc/{pid}").exists()]
    assert not left, f"the browser (or Playwright's driver) outlived the run: {names}"


def test_failed_run_closes_its_browser_after_on_failure_screenshot(own_browser, run_recipe):
    result = run_recipe("""
        name: fails
        steps:
          - browser.goto: "data:text/html,<h1>Hello</h1>"
          - browser.expect: {selector: h1, text: Goodbye}
            timeout: 1s
        on_failure:
          - browser.screenshot: {to: "{{ run.dir }}/failure.png"}
    """)
    assert result.status == "failed"
    assert (result.run_dir / "failure.png").read_bytes()[:4] == b"\x89PNG"
    assert "expected text containing 'Goodbye'; found 1 element(s), 1 visible, text 'Hello'" in result.error


def test_ctrl_c_during_a_run_closes_its_browser(own_browser, run_recipe, deskbot_home, ctrl_c_from_a_terminal):
    from bots.progress import Reporter
    from bots.store import RunStore

    timers = []

    class CtrlCDuringWait(Reporter):
        def step_started(self, path, label, attempt):
            if label == "wait":  # the browser is up and busy: the operator presses Ctrl-C
                timers.append(threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)))
                timers[-1].start()

    try:
        with pytest.raises(KeyboardInterrupt):  # the runner cleans up, records, then re-raises
            run_recipe("""
                name: interrupted
                steps:
                  - browser.goto: "data:text/html,<h1>Hello</h1>"
                  - wait: 20s
            """, reporter=CtrlCDuringWait())
    finally:
        for timer in timers:
            timer.cancel()
    assert timers, "the run never reached its wait step"
    store = RunStore(deskbot_home)
    try:
        assert store.list_runs(limit=1)[0]["status"] == "interrupted"
    finally:
        store.close()


def test_a_browser_that_cannot_start_stops_the_run_with_the_reason(monkeypatch, run_recipe, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("DESKBOT_BROWSER", str(fake))
    result = run_recipe("""
        name: no-browser
        steps:
          - browser.goto: "data:text/html,hi"
            retry: {attempts: 3, delay: 10ms}
    """)
    assert result.status == "failed" and result.error_type == "FatalError"
    assert f"cannot start Chromium ({fake})" in result.error
    assert len(result.steps) == 1  # fatal: not retried


def test_no_browser_ui_renderer_is_preloaded_for_a_run_and_playwright_flags_are_kept(chromium):
    from bots.browser import launch_args, playwright_disabled_features

    # ours is the --disable-features Chromium reads (the last one): it must still hold Playwright's
    assert {"PaintHolding", "HttpsUpgrades"} <= set(playwright_disabled_features())
    features = launch_args()[-1].removeprefix("--disable-features=").split(",")
    assert set(playwright_disabled_features()) <= set(features)
    context = chromium.new_context()
    try:
        context.new_page().goto("about:blank")
        targets = chromium.new_browser_cdp_session().send("Target.getTargets")["targetInfos"]
    finally:
        context.close()
    # Chromium's omnibox popup, preloaded in every new window, costs each run 0.3-0.9 s of CPU
    assert [t["url"] for t in targets if t["type"] == "browser_ui"] == []
