"""`deskbot validate`: every problem of a file at once, each as PATH:LINE:COL: message."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bots import registry
from bots.cli import cli
from bots.errors import RecipeError
from bots.recipe import load_recipe, parse_recipe
from bots.registry import Requirement, StepParams, StepSpec
from tests.conftest import ROOT

FIVE_MISTAKES = """\
name: five-mistakes
vars:
  period: "2026-10"
secrets: [BANK_USER]
steps:
  - lgo: "typo in the step type"
  - log: "{{ vars.perod }}"
  - log: "{{ secrets.BANK_PASSWORD }}"
  - files.list: {folder: inbox, sortt: name}
  - log: "{{ steps.nowhere.path }}"
"""

LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): (?P<msg>.+)$")


def problems_of(text: str) -> list[str]:
    with pytest.raises(RecipeError) as info:
        parse_recipe(text, "r.yaml")
    return [str(p) for p in info.value.problems]


def test_five_mistakes_give_five_located_lines_and_exit_2(write_recipe):
    path = write_recipe(FIVE_MISTAKES)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    lines = [l for l in result.stdout.splitlines() if l.strip()]
    assert len(lines) == 5, result.stdout
    parsed = [LINE.match(l) for l in lines]
    assert all(parsed), lines
    assert [int(m["line"]) for m in parsed] == [6, 7, 8, 9, 10]
    assert "did you mean 'log'" in lines[0]
    assert parsed[1]["path"] == "steps[1].log.message" and "did you mean 'period'" in lines[1]
    assert "BANK_PASSWORD" in lines[2] and "not declared" in lines[2]
    assert "did you mean 'sort'" in lines[3] and parsed[3]["path"] == "steps[3].files.list"
    assert "no step has id 'nowhere'" in lines[4]


def test_every_shipped_recipe_validates():
    recipes = sorted((ROOT / "recipes").glob("*.yaml"))
    assert recipes
    result = CliRunner().invoke(cli, ["validate", *map(str, recipes)])
    assert result.exit_code == 0, result.stdout + result.stderr


def test_validate_as_a_real_command_exits_2(write_recipe):
    path = write_recipe("name: x\nsteps:\n  - nosuch.step: 1\n")
    proc = subprocess.run([sys.executable, "-m", "bots.cli", "validate", str(path)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert f"{path}:3:5: steps[0]: unknown step type" in proc.stdout


def test_duplicate_keys_are_rejected_not_last_one_wins():
    found = problems_of("name: d\nsteps:\n  - log: a\n    log: b\n")
    assert any("r.yaml:4:5:" in p and "duplicate key 'log'" in p for p in found)


def test_yaml_syntax_error_is_located():
    found = problems_of("name: d\nsteps:\n  - log: [unclosed\n")
    assert found and found[0].startswith("r.yaml:") and "YAML syntax" in found[0]


def test_step_reading_a_later_step_is_rejected():
    found = problems_of("name: d\nsteps:\n  - log: '{{ steps.b.message }}'\n  - id: b\n    log: x\n")
    assert any("comes later" in p for p in found)


def test_unknown_output_of_a_step_is_rejected_with_suggestion():
    found = problems_of("name: d\nsteps:\n  - id: a\n    files.list: x\n  - log: '{{ steps.a.file }}'\n")
    assert any("has no output 'file'" in p and "did you mean 'files'" in p for p in found)


def test_set_outputs_are_the_names_it_sets():
    parse_recipe("name: d\nsteps:\n  - id: a\n    set: {total: 1}\n  - log: '{{ steps.a.total }}'\n")
    found = problems_of("name: d\nsteps:\n  - id: a\n    set: {total: 1}\n  - log: '{{ steps.a.totl }}'\n")
    assert any("no output 'totl'" in p for p in found)


def test_bad_parameter_types_and_ranges_are_reported():
    found = problems_of("name: d\nsteps:\n  - files.list: {folder: x, recursive: maybe}\n"
                        "    retry: {attempts: 0, backof: 2}\n")
    assert any("steps[0].files.list.recursive" in p for p in found)
    assert any("steps[0].retry.attempts" in p and "greater than or equal to 1" in p for p in found)
    assert any("unknown key 'backof'" in p and "did you mean 'backoff'" in p for p in found)


def test_expression_values_are_checked_at_run_time_not_rejected():
    parse_recipe("name: d\nvars: {deep: 'true'}\nsteps:\n  - files.list: {folder: x, recursive: '{{ vars.deep }}'}\n")


def test_loop_item_name_is_known_only_inside_the_loop():
    parse_recipe("name: d\nsteps:\n  - log: '{{ row.x }}'\n    for_each: [1]\n    as: row\n")
    found = problems_of("name: d\nsteps:\n  - log: '{{ row.x }}'\n")
    assert any("unknown name 'row'" in p for p in found)


def test_missing_optional_dependency_is_reported_at_validate_time(monkeypatch):
    absent = Requirement("tesseract", lambda: "not found on PATH; install tesseract-ocr")
    spec = StepSpec("ocr.fake", StepParams, lambda ctx, p: {}, requires=(absent,))
    monkeypatch.setitem(registry.load_all(), "ocr.fake", spec)
    found = problems_of("name: d\nsteps:\n  - ocr.fake: {}\n")
    assert any("needs tesseract: not found on PATH" in p for p in found)


def test_vars_must_be_defined_before_use():
    found = problems_of("name: d\nvars:\n  a: '{{ vars.b }}'\n  b: 1\nsteps: [{log: x}]\n")
    assert any("used before it is defined" in p for p in found)


def test_unknown_top_level_key_suggests_the_right_one():
    found = problems_of("name: d\nstep:\n  - log: x\n")
    assert any("unknown top-level key 'step'" in p and "did you mean 'steps'" in p for p in found)


def test_schedule_trigger_problems_are_reported():
    found = problems_of("name: d\non:\n  schedule: {monthly: {day: 40}, at: '25:00', timezone: Mars/Base}\nsteps: [{log: x}]\n")
    joined = "\n".join(found)
    assert "day must be 1-31" in joined and "HH:MM" in joined and "unknown time zone" in joined


def test_committed_schema_is_current():
    from bots.schema import schema_text

    committed = (ROOT / "recipes" / "schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "recipes/schema.json is stale: run `make schema`"


def test_schema_lists_every_registered_step():
    from bots.schema import recipe_schema

    schema = recipe_schema()
    named = {key for option in schema["$defs"]["step"]["oneOf"] for key in option["required"]}
    assert set(registry.load_all()) <= named


def test_every_shipped_recipe_is_run_by_an_end_to_end_test():
    """A recipe nobody runs in a test is a recipe that silently rots."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))
    untested = [p.name for p in (ROOT / "recipes").glob("*.yaml") if p.name not in sources]
    assert untested == [], f"recipes with no end-to-end test: {untested}"


def test_committed_recipe_reference_is_current():
    from bots.reference import reference_markdown

    committed = (ROOT / "docs" / "recipes.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), "docs/recipes.md is stale: run `make schema`"


def test_every_step_documents_itself_with_an_example():
    from bots.reference import step_section

    bare = [action for action, spec in registry.load_all().items() if "```yaml" not in step_section(spec)]
    assert bare == [], f"steps without a YAML example in their docstring: {bare}"
