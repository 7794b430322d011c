"""The recipe reference (``docs/recipes.md``), generated from the step registry.

Every step: its family, what it does, its parameters (type, default, description), its
outputs and the YAML example from its docstring. ``deskbot schema --docs docs/recipes.md``
writes it; a test fails when the committed file is stale.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from bots import registry
from bots.recipe import FAILURE_OUTPUTS, LOOP_OUTPUTS, STEP_KEYS

_FAMILY_TITLES = {"core": "Core steps"}


def _type_name(annotation: Any) -> str:
    text = inspect.formatannotation(annotation) if annotation is not None else "any"
    text = re.sub(r"\b(typing|collections\.abc|pathlib|datetime|decimal|pandas\.core\.frame)\.", "", text)
    text = text.replace("NoneType", "None").replace("Optional[", "optional[")
    return text.replace("|", "\\|")


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        return f"`{info.default_factory()!r}`"
    if info.default is PydanticUndefined:
        return ""
    return f"`{info.default!r}`"


def _split_doc(doc: str) -> tuple[str, str]:
    """(prose, yaml example) from a docstring with a ```yaml block."""
    doc = inspect.cleandoc(doc or "")
    match = re.search(r"```yaml\n(.*?)```", doc, re.S)
    example = match.group(1).rstrip() if match else ""
    prose = re.sub(r"```yaml\n.*?```", "", doc, flags=re.S).strip()
    return prose, example


def step_section(spec: registry.StepSpec) -> str:
    prose, example = _split_doc(spec.params.__doc__ or spec.func.__doc__ or "")
    lines = [f"### `{spec.action}`", ""]
    if prose:
        lines += [prose, ""]
    if spec.shorthand:
        how = "any value" if spec.whole_value else "a value that is not a mapping"
        lines += [f"Shorthand: {how} is the `{spec.shorthand}` parameter.", ""]
    if spec.requires:
        lines += ["Needs: " + ", ".join(r.name for r in spec.requires) + " (checked by `deskbot validate`).", ""]
    if spec.params.model_fields:
        lines += ["| parameter | type | default | description |", "| --- | --- | --- | --- |"]
        for name, info in spec.params.model_fields.items():
            desc = (info.description or "").replace("|", "\\|").replace("\n", " ")
            lines.append(f"| `{name}` | `{_type_name(info.annotation)}` | {_default(info)} | {desc} |")
        lines.append("")
    else:
        lines += ["No parameters.", ""]
    if spec.outputs:
        lines += ["Outputs: " + "; ".join(f"`{k}` ({v})" for k, v in spec.outputs.items()) + ".", ""]
    if example:
        lines += ["```yaml", example, "```", ""]
    return "\n".join(lines)


def reference_markdown() -> str:
    steps = registry.load_all()
    families: dict[str, list[registry.StepSpec]] = {}
    for action in sorted(steps):  # one section per module: a family and its introduction
        module = steps[action].func.__module__.rsplit(".", 1)[-1]
        families.setdefault(module, []).append(steps[action])
    order = sorted(families, key=lambda f: (f != "core", f))
    out = [
        "# Recipe reference",
        "",
        "Generated from the step registry by `deskbot schema --docs docs/recipes.md`; do not edit by hand.",
        "The recipe language itself (vars, secrets, expressions, when, for_each, retry, timeout,",
        "on_failure) is described in the README.",
        "",
        "Every step also takes the common keys " + ", ".join(f"`{k}`" for k in STEP_KEYS) + ".",
        "`retry: 3` is short for `retry: {attempts: 3}`, `timeout: 30` for 30 seconds. A retry delay or a `wait:`",
        "of a minute or more, and `approval.request`, park the run (status `waiting`, exit code 3) until the",
        "scheduler or `deskbot resume` goes on; `on_interrupt: resume` lets a step cut off by a killed process",
        "run again on resume (the default, `fail`, stops the resumed run). See the README, Runs that wait.",
        "Every step with an `id` has the outputs " + ", ".join(f"`{k}` ({v})" for k, v in FAILURE_OUTPUTS.items())
        + "; a step with `for_each` has " + ", ".join(f"`{k}` ({v})" for k, v in LOOP_OUTPUTS.items()) + ".",
        "",
        "## Contents",
        "",
    ]
    for family in order:
        title = _FAMILY_TITLES.get(family, f"`{family}` steps")
        out.append(f"- {title}: " + ", ".join(f"[`{s.action}`](#{s.action.replace('.', '')})" for s in families[family]))
    out.append("")
    for family in order:
        out += [f"## {_FAMILY_TITLES.get(family, f'`{family}` steps')}", ""]
        module = inspect.getmodule(families[family][0].func)
        intro, _ = _split_doc(module.__doc__ if module else "")
        if intro:
            out += [intro, ""]
        out += [step_section(spec) for spec in families[family]]
    return "\n".join(out).rstrip() + "\n"
