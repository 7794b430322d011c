"""The JSON Schema of recipes, generated from the step registry (never kept by hand).

``deskbot schema`` prints it; ``recipes/schema.json`` is the committed copy that editors use
(``# yaml-language-server: $schema=../recipes/schema.json``). A test fails when it is stale.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from bots import registry
from bots.recipe import STEP_KEYS, Alert, RetryPolicy
from bots.triggers import Triggers

EXPRESSION = {"type": "string", "pattern": r"\{\{.*\}\}", "description": "a {{ expression }}"}


def _allow_expressions(schema: dict) -> dict:
    """Let every typed property also take a {{ expression }}, checked once rendered."""
    schema = copy.deepcopy(schema)
    for prop in schema.get("properties", {}).values():
        if prop.get("type") != "string" and "$ref" not in prop:
            options = prop.pop("anyOf", None) or [{k: prop.pop(k) for k in list(prop) if k not in ("description", "title", "default")}]
            prop["anyOf"] = options + [EXPRESSION]
    return schema


def _step_schema(spec: registry.StepSpec) -> dict:
    params = spec.params.model_json_schema(ref_template="#/$defs/{model}")
    defs = params.pop("$defs", {})
    params = _allow_expressions(params)
    value: dict[str, Any] = params
    if spec.shorthand:
        short = params.get("properties", {}).get(spec.shorthand, {})
        short = {k: v for k, v in short.items() if k not in ("title", "default")}
        value = {"anyOf": [params, short] if not spec.whole_value else [short]}
    if not spec.params.model_fields:
        value = {"anyOf": [params, {"type": "null"}]}
    doc = spec.doc.split("\n\n")[0]
    outputs = "; ".join(f"{k}: {v}" for k, v in spec.outputs.items())
    value["description"] = doc + (f"\n\nOutputs: {outputs}" if outputs else "")
    return {"value": value, "defs": defs}


def recipe_schema() -> dict:
    steps = registry.load_all()
    defs: dict[str, Any] = {}
    common = {
        "id": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "description": "name for steps.<id>.<output>"},
        "name": {"type": "string", "description": "label shown in progress and history"},
        "when": {"description": "run only if this is true", "anyOf": [{"type": "boolean"}, {"type": "string"}]},
        "for_each": {"description": "repeat for each item of this list or table", "anyOf": [{"type": "array"}, {"type": "string"}]},
        "as": {"type": "string", "description": "name of the loop item (default item)"},
        "retry": {"anyOf": [{"$ref": "#/$defs/RetryPolicy"}, {"type": "integer", "minimum": 1, "maximum": 100}],
                  "description": "retry transient errors: {attempts, delay, backoff, max_delay}, or just the attempts"},
        "timeout": {"anyOf": [{"type": "number"}, {"type": "string"}], "description": "stop the step after this long (30s, 2m)"},
        "continue_on_error": {"type": "boolean", "description": "record a failure and go on"},
        "on_interrupt": {"enum": ["fail", "resume"], "description": "a try cut off by a crash: fail the resumed"
                         " run (default) or run the step again (only if running it twice is safe)"},
        "steps": {"$ref": "#/$defs/steps"},
    }
    assert set(common) == set(STEP_KEYS)
    one_of = []
    for action in sorted(steps):
        built = _step_schema(steps[action])
        defs.update(built["defs"])
        one_of.append({
            "type": "object",
            "required": [action],
            "properties": {**common, action: built["value"]},
            "additionalProperties": False,
        })
    one_of.append({"type": "object", "required": ["steps"], "properties": common, "additionalProperties": False})
    defs["step"] = {"oneOf": one_of}
    defs["steps"] = {"type": "array", "items": {"$ref": "#/$defs/step"}}
    retry = RetryPolicy.model_json_schema()
    defs["RetryPolicy"] = retry
    triggers = Triggers.model_json_schema(ref_template="#/$defs/{model}")
    defs.update(triggers.pop("$defs", {}))
    defs["Triggers"] = triggers
    alert = Alert.model_json_schema()
    defs["Alert"] = alert
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "deskbot recipe",
        "type": "object",
        "required": ["name", "steps"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "description": {"type": "string"},
            "on": {"$ref": "#/$defs/Triggers"},
            "vars": {"type": "object", "description": "named values; expressions may read earlier vars"},
            "secrets": {"type": "array", "items": {"type": "string"}, "description": "environment variable names, masked everywhere"},
            "alert": {"$ref": "#/$defs/Alert"},
            "steps": {"$ref": "#/$defs/steps"},
            "on_failure": {"$ref": "#/$defs/steps"},
        },
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(recipe_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
