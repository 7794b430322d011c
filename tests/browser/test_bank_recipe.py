"""The shipped recipe recipes/bank_statement_download.yaml, end to end in headless Chromium."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from bots.recipe import load_recipe
from bots.runner import Runner
from demo import sample_data

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def run_shipped(home, bank_url):
    recipe = load_recipe(ROOT / "recipes" / "bank_statement_download.yaml")
    return Runner(recipe, home=home, variables={"bank_url": bank_url}).run()


def test_recipe_logs_in_with_one_time_code_reads_all_pages_and_downloads_last_month(
        demo, chromium, secrets_env, deskbot_home):
    result = run_shipped(deskbot_home, demo.bank_url)
    assert result.ok, result.error
    start, end = sample_data.last_month()
    downloads = [a for a in result.artifacts if a["kind"] == "download"]
    assert len(downloads) == 1
    path = Path(downloads[0]["path"])
    assert path.parent == result.run_dir / "downloads"
    assert path.name == f"statement_{start.isoformat()}_{end.isoformat()}.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    expected = sample_data.bank_transactions(start, end)
    assert [r["Reference"] for r in rows] == [r["reference"] for r in expected]
    assert all(start.isoformat() <= r["Date"] <= end.isoformat() for r in rows)
    # pagination: the table read across every page holds the same lines as the export
    lines = result.outputs["lines"]
    assert lines["pages"] == 3 and lines["count"] == len(expected) == 27
    assert list(lines["table"]["Reference"]) == [r["reference"] for r in expected]
    con = sqlite3.connect(deskbot_home / "runs.db")
    stored = "\n".join(str(row) for table in ("runs", "step_attempts", "artifacts")
                       for row in con.execute(f"select * from {table}"))
    con.close()
    # secrets and the one-time code are nowhere in the history or the summary
    summary = str(result.to_json())
    for secret in ("demo-password", "JBSWY3DPEHPK3PXP"):
        assert secret not in stored and secret not in summary


def test_recipe_survives_503s_by_retrying(demo, chromium, secrets_env, deskbot_home, chaos):
    chaos.configure(0, 7, 1)  # the sign-in page answers 503 once, then works
    result = run_shipped(deskbot_home, demo.bank_url)
    assert result.ok, result.error
    first = [s for s in result.steps if s["path"] == "steps[0]"]
    assert [s["status"] for s in first] == ["error", "ok"]
    assert "HTTP 503" in first[0]["error"]
    assert chaos.failures == 1
