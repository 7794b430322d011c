"""What a short run's processes import: ``deskbot run --queue`` and the loading of a recipe pay
only for the step families the recipe uses (a hundred submissions at once must not each import
pandas, OpenCV and Playwright), while validation and the schema still see every step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ["pandas", "numpy", "cv2", "playwright", "pytesseract", "pdfplumber", "rapidfuzz", "waitress", "flask"]


def imported_after(code: str) -> set[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(m for m in sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_loading_a_short_recipe_imports_only_its_step_families(tmp_path):
    recipe = tmp_path / "short.yaml"
    recipe.write_text("name: short\nsteps:\n  - log: hello\n  - set: {n: 1}\n")
    modules = imported_after(f"from bots.recipe import load_recipe\nload_recipe({str(recipe)!r})")
    assert "bots.steps.core" in modules
    assert not [m for m in HEAVY if m in modules]
    assert not [m for m in modules if m.startswith("bots.steps.") and m != "bots.steps.core"]


def test_the_command_line_imports_a_command_module_only_when_its_command_runs():
    modules = imported_after("from bots.cli import cli")
    assert not [m for m in modules if m.startswith("bots.commands.")]
    assert not [m for m in HEAVY if m in modules]


def test_every_step_is_found_by_its_family_in_a_fresh_process():
    # a step module must be named like its family (table.join -> table.py, log -> core.py), else
    # a recipe using it would import every family to find it
    run = {"cwd": ROOT, "capture_output": True, "text": True, "check": True,
           "env": {**os.environ, "PYTHONPATH": str(ROOT)}}
    listing = subprocess.run([sys.executable, "-c", "import json, bots.registry as r\n"
                              "print(json.dumps(sorted(r.load_all())))"], **run)
    actions = json.loads(listing.stdout)
    assert "log" in actions and "table.join" in actions
    check = ("import json\nimport bots.registry as r\nmissed = []\n"
             f"for action in {actions!r}:\n"
             "    assert r.get(action) is not None, action\n"
             "    if r._loaded:\n"
             "        missed.append(action)\n"
             "        r._loaded = False\n"
             "print(json.dumps(missed))\n")
    assert json.loads(subprocess.run([sys.executable, "-c", check], **run).stdout) == []


def test_validation_and_the_schema_still_know_every_step(tmp_path):
    recipe = tmp_path / "typo.yaml"
    recipe.write_text("name: typo\nsteps:\n  - table.jion: {left: a, right: b}\n")
    from click.testing import CliRunner

    from bots.cli import cli

    result = CliRunner().invoke(cli, ["validate", str(recipe)])
    assert result.exit_code == 2
    assert "did you mean 'table.join'" in result.output
    schema = CliRunner().invoke(cli, ["schema"])
    assert schema.exit_code == 0
    assert "browser.goto" in schema.output and "table.join" in schema.output and "ocr.invoice" in schema.output


def test_help_lists_every_command():
    from click.testing import CliRunner

    from bots.cli import cli

    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ("worker", "console", "ocr", "reconcile", "db", "users", "run", "validate"):
        assert f"  {name} " in result.output
