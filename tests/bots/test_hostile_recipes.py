"""Recipes written to hurt: refused by `deskbot validate`, located by line, never run."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bots.errors import RecipeError
from bots.recipe import parse_recipe
from tests.conftest import ROOT


def laughs(levels: int) -> str:
    """The classic 'billion laughs': each anchor is nine aliases of the one before."""
    lines = ["name: laughs", "vars:", '  l0: &l0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    for i in range(1, levels):
        lines.append(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    lines += ["steps:", "  - log: done"]
    return "\n".join(lines) + "\n"


def refusal(text: str) -> list[str]:
    with pytest.raises(RecipeError) as info:
        parse_recipe(text, "hostile.yaml")
    return [str(p) for p in info.value.problems]


def test_billion_laughs_is_refused_by_the_validate_command_naming_the_alias_line(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(laughs(10), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "bots.cli", "validate", str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    # l0..l3 repeat 9+81+729+6561 values; the first alias of l4 passes 10 000, on line 7
    assert proc.stdout.startswith(f"{path}:7:"), proc.stdout
    assert "alias bomb" in proc.stdout and "Traceback" not in proc.stdout + proc.stderr


def test_an_alias_inside_its_own_anchor_is_refused():
    found = refusal("name: loop\nvars:\n  me: &me\n    - one\n    - *me\nsteps:\n  - log: x\n")
    assert found[0].startswith("hostile.yaml:5:7:") and "inside its own anchor" in found[0]


def test_nesting_thousands_deep_is_refused_not_a_crash():
    found = refusal("name: deep\nvars:\n  v: " + "[" * 3000 + "]" * 3000 + "\nsteps:\n  - log: x\n")
    assert found[0].startswith("hostile.yaml:3:") and "levels deep" in found[0]


def test_anchors_reused_a_few_times_still_work():
    recipe = parse_recipe(
        "name: reuse\nsteps:\n"
        "  - log: &msg {message: same words, level: warning}\n"
        "  - log: *msg\n"
        "  - log: *msg\n", "ok.yaml")
    assert [s.params for s in recipe.steps][1:] == [{"message": "same words", "level": "warning"}] * 2


@pytest.mark.parametrize("expression, attribute", [
    ("{{ ''.__class__.__mro__ }}", "__mro__"),
    ("{{ cycler.__init__.__globals__ }}", "__globals__"),
    ("total: {{ vars | attr('__class__') }}", "__class__"),
    ("{{ steps['_private'] }}", "_private"),
])
def test_expressions_reaching_private_attributes_are_refused_at_validate(expression, attribute):
    found = refusal(f'name: sneaky\nsteps:\n  - log: "{expression}"\n')
    assert len(found) == 1 and found[0].startswith("hostile.yaml:3:10: steps[0].log.message:")
    assert f"private attribute {attribute!r}" in found[0]


def test_underscore_loop_names_are_not_private_attributes():
    parse_recipe('name: fine\nsteps:\n  - log: "{% for _ in range(2) %}x{% endfor %}"\n', "ok.yaml")


def test_retry_and_timeout_shorthands(run_recipe):
    recipe = parse_recipe("name: short\nsteps:\n  - fail: {message: blip, kind: transient}\n"
                          "    retry: 3\n    timeout: 30\n", "short.yaml")
    step = recipe.steps[0]
    assert (step.retry.attempts, step.timeout) == (3, 30.0)
    result = run_recipe("name: short\nsteps:\n  - fail: {message: blip, kind: transient}\n"
                        "    retry: {attempts: 3, delay: 10ms}\n")
    assert [s["attempt"] for s in result.steps] == [1, 2, 3]


@pytest.mark.parametrize("value", ["true", "0", "-2"])
def test_retry_shorthand_refuses_what_is_not_a_count(value):
    found = refusal(f"name: short\nsteps:\n  - log: x\n    retry: {value}\n")
    assert found and all(p.startswith("hostile.yaml:4:") for p in found)
