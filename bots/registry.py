"""The step registry: every step a recipe can use, with its typed parameters and outputs.

A step family is one module in ``bots/steps/``. Each step in it is a pydantic parameter
model, a function and its declared outputs, registered with ``@step``::

    class GotoParams(StepParams):
        '''Open a URL in the run's browser.

        ```yaml
        - browser.goto: "https://bank.example/login"
        ```
        '''
        url: str = Field(description="absolute URL to open")

    @step("browser.goto", GotoParams, shorthand="url",
          outputs={"url": "the URL after redirects"}, requires=[CHROMIUM])
    def goto(ctx: StepContext, params: GotoParams) -> dict:
        ...
        return {"url": page.url}

- ``shorthand`` names the parameter that receives the step's value when it is not a mapping
  (``browser.goto: URL``), or any value at all when ``whole_value=True``
  (``browser.fill: {"#user": …}`` -> ``fields``).
- ``repeatable=True`` says the step changes nothing outside the run (``set``, ``table.*``):
  the runner then spares it the durable "started" journal write that guards steps with effects.
- ``requires`` lists Requirements (``Requirement("tesseract", check)``) whose ``check()``
  returns None when available, else the reason; ``deskbot validate`` reports them.
- The function returns a mapping of outputs (``steps.<id>.<name>`` in later steps).

Modules under ``bots/steps/`` are found by name, so adding a family needs no edit anywhere
else: ``get(action)`` imports only the module named like the action's family (``table.join`` ->
``table.py``; plain names such as ``log`` -> ``core.py``), ``load_all()`` imports them all. The JSON Schema of recipes is generated from this registry.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict


class StepParams(BaseModel):
    """Base of every step's parameter model: unknown keys are errors, types are checked."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


class NoParams(StepParams):
    """For steps that take nothing (``- browser.reload: {}`` or ``- browser.reload:``)."""


@dataclass(frozen=True)
class Requirement:
    """Something outside Python a step needs. ``check()`` -> None if present, else why not."""

    name: str
    check: Callable[[], str | None]

    def missing(self) -> str | None:
        return _check_cached(self)


@lru_cache(maxsize=None)
def _check_cached(req: Requirement) -> str | None:
    return req.check()


@dataclass(frozen=True)
class StepSpec:
    action: str
    params: type[StepParams]
    func: Callable[..., Any]
    outputs: dict[str, str] = field(default_factory=dict)
    shorthand: str | None = None
    whole_value: bool = False
    requires: tuple[Requirement, ...] = ()
    #: parameters the runner must not render before calling (they hold per-item templates)
    raw: tuple[str, ...] = ()
    #: names a raw parameter's expressions may use besides the recipe's (``response`` in paginate)
    raw_scope: tuple[str, ...] = ()
    #: the step changes nothing outside the run (it computes from its parameters): after a crash
    #: it simply runs again, so the runner does not journal its start and may batch its outputs
    repeatable: bool = False

    @property
    def family(self) -> str:
        return self.action.split(".", 1)[0] if "." in self.action else "core"

    @property
    def doc(self) -> str:
        return (self.params.__doc__ or self.func.__doc__ or "").strip()

    def coerce(self, value: Any) -> Any:
        """Turn a step's YAML value into the mapping its parameter model validates."""
        if self.shorthand and (self.whole_value or not isinstance(value, dict)):
            return {self.shorthand: value}
        if value is None:
            return {}
        return value

    def missing_requirements(self) -> list[str]:
        return [f"{r.name}: {why}" for r in self.requires if (why := r.missing())]


REGISTRY: dict[str, StepSpec] = {}


def step(action: str, params: type[StepParams] = NoParams, *, outputs: dict[str, str] | None = None,
         shorthand: str | None = None, whole_value: bool = False,
         requires: list[Requirement] | tuple[Requirement, ...] = (), raw: tuple[str, ...] = (),
         raw_scope: tuple[str, ...] = (), repeatable: bool = False):
    """Register a step function under ``action``."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        if action in REGISTRY and REGISTRY[action].func is not func:
            raise RuntimeError(f"step {action!r} registered twice")
        if shorthand and shorthand not in params.model_fields:
            raise RuntimeError(f"{action}: shorthand {shorthand!r} is not a parameter of {params.__name__}")
        REGISTRY[action] = StepSpec(action, params, func, dict(outputs or {}), shorthand,
                                    whole_value, tuple(requires), tuple(raw), tuple(raw_scope), repeatable)
        return func

    return register


_loaded = False
_imported: set[str] = set()


@lru_cache(maxsize=1)
def _family_modules() -> frozenset[str]:
    """The step modules in ``bots/steps/`` by name, found without importing them."""
    import bots.steps as package

    return frozenset(info.name for info in pkgutil.iter_modules(package.__path__) if not info.name.startswith("_"))


def _import_step_module(name: str) -> None:
    if name not in _imported:
        importlib.import_module(f"bots.steps.{name}")
        _imported.add(name)


def load_all() -> dict[str, StepSpec]:
    """Import every module in ``bots.steps`` once, and return the registry (the schema, the
    reference and "did you mean" need every step)."""
    global _loaded
    if not _loaded:
        for name in sorted(_family_modules()):
            _import_step_module(name)
        _loaded = True
    return REGISTRY


def get(action: str) -> StepSpec | None:
    """The step ``action``, importing only its family's module: a recipe that logs and writes a
    file must not pay for pandas, OpenCV or Playwright (a queued run's process, ``deskbot run
    --queue``). A family lives in the module named like it (``table.join`` in ``table.py``,
    ``reconcile`` in ``reconcile.py``); the plain core steps (``log``, ``set``…) in ``core.py``.
    A step found nowhere so is looked for in every module before it is called unknown."""
    spec = REGISTRY.get(action)
    if spec is not None or _loaded or not isinstance(action, str):
        return spec
    family = action.split(".", 1)[0]
    _import_step_module(family if family in _family_modules() else "core")
    spec = REGISTRY.get(action)
    return spec if spec is not None else load_all().get(action)
