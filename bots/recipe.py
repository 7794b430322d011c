"""Recipes: load a YAML file, check everything that can be checked, and build the step tree.

``load_recipe(path)`` returns a ``Recipe`` or raises ``RecipeError`` listing *every* problem of
the file as ``PATH:LINE:COL: steps[3].browser.fill: message``. Checked before anything runs:

- YAML syntax, duplicate keys, unknown keys (with "did you mean"), unknown step types;
- each step's parameters against its typed model (types, required, ranges); a value given as
  an expression is checked once rendered, at run time;
- expression syntax, and every name an expression reads: ``vars.X`` declared, ``secrets.X``
  declared, ``steps.ID`` existing and earlier, ``steps.ID.OUTPUT`` declared by that step;
- optional dependencies (Chromium, Tesseract) of the steps used.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bots import expressions, registry
from bots.durations import parse_duration
from bots.errors import Problem, RecipeError
from bots.triggers import Triggers
from bots.yamlsource import PosDict, PosList, load_yaml_collect

TOP_KEYS = ("name", "description", "on", "vars", "secrets", "alert", "queue", "priority", "steps", "on_failure")
STEP_KEYS = ("id", "name", "when", "for_each", "as", "retry", "timeout", "continue_on_error", "on_interrupt", "steps")
SCOPE_NAMES = ("vars", "secrets", "settings", "steps", "run", "trigger")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class RetryPolicy(BaseModel):
    """``retry: {attempts: 3, delay: 5s, backoff: 2, max_delay: 1m}``: for transient errors only.

    ``retry: 3`` is short for ``retry: {attempts: 3}``.
    """

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _attempts_shorthand(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return {"attempts": value}
        return value

    attempts: int = Field(3, ge=1, le=100, description="total tries, the first included")
    delay: float | str = Field(1.0, description="wait before the second try (5s, 500ms)")
    backoff: float = Field(1.0, ge=1.0, le=10.0, description="multiply the wait by this after each try")
    max_delay: float | str | None = Field(None, description="never wait longer than this")

    def wait_before(self, attempt: int) -> float:
        """Seconds to wait before try number ``attempt`` (2, 3, …)."""
        wait = parse_duration(self.delay) * self.backoff ** (attempt - 2)
        if self.max_delay is not None:
            wait = min(wait, parse_duration(self.max_delay))
        return wait


class Alert(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: list[str] = Field(default_factory=list, description="who is emailed when a run fails")
    notify: list[str] = Field(default_factory=list, description="chat targets (Apprise URLs, secrets inside as"
                                                               " {{ secrets.NAME }}) told when a run fails")
    on_success: bool = Field(False, description="also send a short digest when the run succeeds")


@dataclass
class Step:
    path: str
    pos: tuple[int, int]
    index: int
    id: str | None = None
    name: str | None = None
    action: str | None = None
    params: Any = None
    when: Any = None
    for_each: Any = None
    as_: str = "item"
    retry: RetryPolicy | None = None
    timeout: float | None = None
    continue_on_error: bool = False
    #: a try cut off by the death of its process: fail the resume (default) or run it again
    on_interrupt: str = "fail"
    steps: list["Step"] = field(default_factory=list)
    #: the YAML mapping the step came from, for positions in messages
    node: Any = field(default=None, repr=False)

    def pos_of(self, key: str) -> tuple[int, int]:
        return self.node.value_pos_of(key) if isinstance(self.node, PosDict) and key in self.node else self.pos

    def param_pos(self, key: str) -> tuple[int, int]:
        if isinstance(self.params, PosDict) and key in self.params:
            return self.params.value_pos_of(key)
        return self.pos_of(self.action) if self.action else self.pos

    @property
    def spec(self) -> registry.StepSpec | None:
        return registry.get(self.action) if self.action else None

    @property
    def label(self) -> str:
        return self.name or self.id or self.action or "group"

    def walk(self) -> Iterator["Step"]:
        yield self
        for child in self.steps:
            yield from child.walk()


@dataclass
class Recipe:
    name: str
    file: str
    description: str = ""
    on: Triggers | None = None
    vars: dict[str, Any] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    alert: Alert = field(default_factory=Alert)
    #: the work queue its runs go to (workers serve named queues: browser, ocr …), and their order
    queue: str = "default"
    priority: int = 0
    steps: list[Step] = field(default_factory=list)
    on_failure: list[Step] = field(default_factory=list)
    #: things that will work but probably not as meant (``deskbot validate`` prints them, exit 0)
    warnings: list[Problem] = field(default_factory=list)


#: browser steps that need no page opened before them
_BROWSER_STARTS = {"browser.goto", "browser.restore_state", "browser.totp", "browser.dialogs", "browser.screenshot"}


def may_park(st: Step) -> str | None:
    """Why this step may park the run (the process exits, the browser closes), or None."""
    if st.action == "approval.request":
        return "an approval"
    if st.action == "wait" and isinstance(st.params, dict):
        try:
            if parse_duration(st.params.get("duration")) >= 60:
                return f"a wait of {st.params['duration']}"
        except (TypeError, ValueError):
            return None
    if st.retry and st.action and st.retry.attempts > 1:
        if max(st.retry.wait_before(n) for n in range(2, st.retry.attempts + 1)) >= 60:
            return "a retry a minute or more later"
    return None


def _page_after_park(steps: list[Step], file: str) -> list[Problem]:
    """Warn where a browser page opened before a park is used after it: a park closes the browser."""
    found: list[Problem] = []
    page_open = False      # a page was opened and has not been closed by a park since
    closed_by: tuple[Step, str] | None = None
    for st in (s for top in steps for s in top.walk()):
        action = st.action or ""
        if action.startswith("browser."):
            if action == "browser.goto":
                page_open, closed_by = True, None
            elif closed_by is not None and action not in _BROWSER_STARTS:
                park, why = closed_by
                found.append(Problem(file, st.pos[0], st.pos[1], st.path,
                                     f"warning: {action} uses the page opened before {park.path} ({why}), which"
                                     f" parks the run and closes the browser; open the page again"
                                     f" (browser.goto) after the park"))
                closed_by = None  # one warning per park is enough
            elif closed_by is None:
                page_open = True
        why = may_park(st)
        if why and page_open:
            closed_by, page_open = (st, why), False
    return found


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Checker:
    """Builds the Recipe while collecting every problem; never stops at the first."""

    def __init__(self, file: str, here: bool = True):
        self.file = file
        #: the recipe runs on this machine: what a step needs (Chromium, Tesseract) must be here
        self.here = here
        self.problems: list[Problem] = []
        self.counter = 0
        self.ids: dict[str, Step] = {}

    def add(self, pos: tuple[int, int], path: str, message: str) -> None:
        self.problems.append(Problem(self.file, pos[0], pos[1], path, message))

    # ---- steps -------------------------------------------------------------------------
    def steps(self, node: Any, path: str, pos: tuple[int, int]) -> list[Step]:
        if node is None:
            return []
        if not isinstance(node, list):
            self.add(pos, path, "must be a list of steps (each item starts with '- ')")
            return []
        out = []
        for i, item in enumerate(node):
            item_pos = node.pos_of(i) if isinstance(node, PosList) else pos
            built = self.step(item, f"{path}[{i}]", item_pos)
            if built:
                out.append(built)
        return out

    def step(self, node: Any, path: str, pos: tuple[int, int]) -> Step | None:
        if isinstance(node, str) and registry.get(node):
            node = PosDict({node: None})
            node.start, node.key_pos, node.value_pos = pos, {}, {}
        if not isinstance(node, dict):
            self.add(pos, path, "a step must be a mapping such as '- log: hello'")
            return None
        self.counter += 1
        st = Step(path=path, pos=pos, index=self.counter, node=node)
        actions = [k for k in node if k not in STEP_KEYS]
        where = node.pos_of if isinstance(node, PosDict) else (lambda k: pos)
        # only the families the recipe uses are imported; every step only to suggest a name
        good = [k for k in actions if isinstance(k, str) and registry.get(k)]
        for key in actions:
            if key not in good:
                hint = did_you_mean(key, list(registry.load_all()) + list(STEP_KEYS))
                self.add(where(key), path, f"unknown step type or key {key!r}{hint}")
        has_group = "steps" in node
        if len(good) > 1:
            self.add(pos, path, f"a step has exactly one action; found {', '.join(good)}: split it into separate steps")
        if good and has_group:
            self.add(where("steps"), path, "a step has either an action or 'steps:', not both")
        if not actions and not has_group:
            self.add(pos, path, "step has no action (e.g. 'log:') and no 'steps:'")
        st.id = node.get("id")
        if st.id is not None:
            if not isinstance(st.id, str) or not _IDENT.match(st.id):
                self.add(where("id"), path, f"id {st.id!r} must be a name of letters, digits and _ (not starting with a digit)")
                st.id = None
            elif st.id in self.ids:
                self.add(where("id"), path, f"id {st.id!r} is already used by {self.ids[st.id].path}")
            else:
                self.ids[st.id] = st
        if "name" in node:
            st.name = str(node["name"])
        st.when = node.get("when")
        st.for_each = node.get("for_each")
        if "as" in node:
            if "for_each" not in node:
                self.add(where("as"), path, "'as' names the loop item and needs 'for_each'")
            if not isinstance(node["as"], str) or not _IDENT.match(node["as"]) or node["as"] in SCOPE_NAMES:
                self.add(where("as"), path, f"'as' must be a plain name not one of {', '.join(SCOPE_NAMES)}")
            else:
                st.as_ = node["as"]
        if "retry" in node:
            st.retry = self.model(RetryPolicy, node["retry"], f"{path}.retry", node, "retry")
            if st.retry:
                for key in ("delay", "max_delay"):
                    value = getattr(st.retry, key)
                    if value is not None:
                        self.duration(value, f"{path}.retry.{key}", node.value_pos_of("retry") if isinstance(node, PosDict) else pos)
        if "timeout" in node:
            st.timeout = self.duration(node["timeout"], f"{path}.timeout", where("timeout"))
            if st.timeout is not None and st.timeout <= 0:
                self.add(where("timeout"), f"{path}.timeout", "timeout must be more than 0")
                st.timeout = None
        if "continue_on_error" in node:
            if not isinstance(node["continue_on_error"], bool):
                self.add(where("continue_on_error"), path, "continue_on_error must be true or false")
            else:
                st.continue_on_error = node["continue_on_error"]
        if "on_interrupt" in node:
            if node["on_interrupt"] not in ("fail", "resume"):
                self.add(where("on_interrupt"), path, "on_interrupt must be 'fail' (a try cut off by a crash stops"
                                                      " the resumed run) or 'resume' (it runs again)")
            else:
                st.on_interrupt = node["on_interrupt"]
        if has_group:
            inner_pos = node.value_pos_of("steps") if isinstance(node, PosDict) else pos
            st.steps = self.steps(node["steps"], f"{path}.steps", inner_pos)
        elif len(good) == 1:
            st.action = good[0]
            self.params(st, node, good[0])
        return st

    def params(self, st: Step, node: Any, action: str) -> None:
        spec = registry.get(action)
        path = f"{st.path}.{action}"
        value = node[action]
        value_pos = node.value_pos_of(action) if isinstance(node, PosDict) else st.pos
        coerced = spec.coerce(value)
        st.params = coerced
        if not isinstance(coerced, dict):
            self.add(value_pos, path, f"parameters must be a mapping of {', '.join(spec.params.model_fields) or 'nothing'}")
            return
        try:
            spec.params.model_validate(coerced)
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                target, tpos = _locate(coerced, loc, value_pos, shorthand=spec.shorthand if coerced is not value else None)
                if any(expressions.has_expression(s) for s in expressions.iter_strings(target)) or _templated_parent(coerced, loc):
                    continue  # checked at run time, once the expression has a value
                field_path = ".".join(str(p) for p in loc) if loc else ""
                message = err["msg"]
                if err["type"] == "extra_forbidden" and loc:
                    message = f"unknown parameter {loc[-1]!r}{did_you_mean(loc[-1], spec.params.model_fields)}"
                    field_path = ".".join(str(p) for p in loc[:-1])
                elif err["type"] == "missing":
                    message = f"missing required parameter {loc[-1]!r}"
                    field_path = ".".join(str(p) for p in loc[:-1])
                self.add(tpos, f"{path}.{field_path}".rstrip("."), message)
        for why in spec.missing_requirements() if self.here else ():
            self.add(node.pos_of(action) if isinstance(node, PosDict) else st.pos, path,
                     f"this step needs {why}")

    def model(self, cls, value, path, parent, key):
        pos = parent.value_pos_of(key) if isinstance(parent, PosDict) else (1, 1)
        try:
            return cls.model_validate(value if value is not None else {})
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                _, tpos = _locate(value, loc, pos)
                msg = err["msg"]
                if err["type"] == "extra_forbidden":
                    msg = f"unknown key {loc[-1]!r}{did_you_mean(loc[-1], cls.model_fields)}"
                sub = ".".join(str(p) for p in loc if not str(p).startswith(("function-", "union[")))
                self.add(tpos, f"{path}.{sub}".rstrip("."), msg)
            return None

    def duration(self, value, path, pos) -> float | None:
        if expressions.has_expression(value):
            self.add(pos, path, "durations must be literal (e.g. 30s), not expressions")
            return None
        try:
            return parse_duration(value)
        except ValueError as exc:
            self.add(pos, path, str(exc))
            return None

    # ---- expressions -------------------------------------------------------------------
    def expressions(self, recipe: Recipe, raw: PosDict) -> None:
        declared_vars = list(recipe.vars)
        var_pos = raw.get("vars") if isinstance(raw.get("vars"), PosDict) else None
        for i, (name, value) in enumerate(recipe.vars.items()):
            pos = var_pos.value_pos_of(name) if var_pos is not None else (1, 1)
            self.check_strings(value, f"vars.{name}", pos, recipe, earlier_vars=declared_vars[:i],
                               allowed_extra=set(), step=None)
        for st in recipe.steps:
            self.check_step_tree(st, recipe, set(), on_failure=False)
        for st in recipe.on_failure:
            self.check_step_tree(st, recipe, {"error"}, on_failure=True)

    def check_step_tree(self, st: Step, recipe: Recipe, loop_names: set[str], on_failure: bool) -> None:
        extra = set(loop_names)
        self.check_strings(st.for_each, f"{st.path}.for_each", st.pos_of("for_each"), recipe, list(recipe.vars), extra, st, on_failure)
        if st.for_each is not None:
            extra = extra | {st.as_, "loop"}
        self.check_strings(st.when, f"{st.path}.when", st.pos_of("when"), recipe, list(recipe.vars), extra, st, on_failure)
        if st.action:
            spec = st.spec
            params = st.params if isinstance(st.params, dict) else {}
            for key, value in params.items():
                if spec and key in spec.raw:
                    if not spec.raw_scope:
                        continue
                    self.check_strings(value, f"{st.path}.{st.action}.{key}", st.param_pos(key), recipe,
                                       list(recipe.vars), extra | set(spec.raw_scope), st, on_failure)
                    continue
                self.check_strings(value, f"{st.path}.{st.action}.{key}", st.param_pos(key), recipe, list(recipe.vars),
                                   extra, st, on_failure)
        for child in st.steps:
            self.check_step_tree(child, recipe, extra, on_failure)

    def check_strings(self, value, path, pos, recipe, earlier_vars, allowed_extra, step, on_failure=False):
        for text in expressions.iter_strings(value):
            if not expressions.has_expression(text):
                continue
            bad = expressions.check_syntax(text)
            if bad:
                self.add(pos, path, bad)
                continue
            free, paths = expressions.references(text)
            allowed = set(SCOPE_NAMES) | expressions.GLOBAL_NAMES | allowed_extra
            if step is None:
                allowed -= {"steps", "trigger"}
            for name in sorted(free - allowed):
                self.add(pos, path, f"unknown name {name!r} in expression{did_you_mean(name, allowed)}")
            for ref in paths:
                self.check_reference(ref, path, pos, recipe, earlier_vars, step, on_failure)

    def check_reference(self, ref, path, pos, recipe, earlier_vars, step, on_failure) -> None:
        root = ref[0]
        if root == "vars" and len(ref) > 1:
            if ref[1] not in recipe.vars:
                self.add(pos, path, f"undefined var {ref[1]!r}{did_you_mean(ref[1], recipe.vars)}; declare it under 'vars:'")
            elif ref[1] not in earlier_vars:
                self.add(pos, path, f"var {ref[1]!r} is used before it is defined; vars are evaluated in order")
        elif root == "secrets" and len(ref) > 1:
            if ref[1] not in recipe.secrets:
                self.add(pos, path, f"secret {ref[1]!r} is not declared{did_you_mean(ref[1], recipe.secrets)}; add it to 'secrets:'")
        elif root == "steps" and len(ref) > 1 and step is not None:
            target = self.ids.get(ref[1])
            if target is None:
                self.add(pos, path, f"no step has id {ref[1]!r}{did_you_mean(ref[1], self.ids)}")
                return
            if not on_failure:
                if target is step or _contains(target, step):
                    self.add(pos, path, f"step {ref[1]!r} cannot read its own outputs")
                    return
                if target.index > step.index:
                    self.add(pos, path, f"step {ref[1]!r} comes later ({target.path}); a step can only read earlier steps")
                    return
            if len(ref) > 2:
                declared = _outputs_of(target)
                if declared is not None and ref[2] not in declared:
                    self.add(pos, path, f"step {ref[1]!r} ({target.action or 'group'}) has no output {ref[2]!r}"
                                        f"{did_you_mean(ref[2], declared)}; it has {', '.join(sorted(declared)) or 'none'}")


LOOP_OUTPUTS = {"results": "outputs of each iteration, in order", "count": "how many items were processed"}
FAILURE_OUTPUTS = {"error": "the error message when the step failed under continue_on_error", "failed": "true if it failed"}


def _outputs_of(st: Step) -> set[str] | None:
    base = set(FAILURE_OUTPUTS)
    if st.for_each is not None:
        return base | set(LOOP_OUTPUTS)
    if st.action and st.spec is not None:
        declared = set(st.spec.outputs)
        if "<name>" in declared:  # outputs named by the recipe itself (set)
            given = st.params.get(st.spec.shorthand) if isinstance(st.params, dict) else None
            if not isinstance(given, dict):
                return None
            declared = (declared - {"<name>"}) | set(given)
        return base | declared
    if st.steps:
        return base
    return None


def _contains(group: Step, st: Step) -> bool:
    return any(s is st for s in group.walk())


def _templated_parent(root: Any, loc: tuple) -> bool:
    cur = root
    for part in loc:
        if isinstance(cur, str):
            return expressions.has_expression(cur)
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and part < len(cur):
            cur = cur[part]
        else:
            return False
    return isinstance(cur, str) and expressions.has_expression(cur)


def _locate(root: Any, loc: tuple, default: tuple[int, int], shorthand: str | None = None):
    """Walk a validation error's loc through the YAML tree; return (value, position)."""
    cur, pos = root, default
    for part in loc:
        if shorthand and part == shorthand and cur is root:
            cur = root.get(shorthand) if isinstance(root, dict) else root
            continue
        if isinstance(cur, PosDict) and part in cur:
            pos, cur = cur.value_pos_of(part), cur[part]
        elif isinstance(cur, PosList) and isinstance(part, int) and part < len(cur):
            pos, cur = cur.pos_of(part), cur[part]
        elif isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, PosDict):
            pos = cur.start
            break
        else:
            break
    return cur, pos


def parse_recipe(text: str, file: str = "<recipe>", *, here: bool = True) -> Recipe:
    """Build and check a recipe from YAML text; RecipeError lists every problem. ``here=False``:
    it is queued for a worker on another machine, so what its steps need outside Python
    (Chromium, Tesseract) is that machine's to have, not this one's (the worker checks)."""
    raw, duplicates = load_yaml_collect(text, file)
    chk = _Checker(file, here=here)
    chk.problems.extend(duplicates)
    if not isinstance(raw, dict):
        raise RecipeError([Problem(file, 1, 1, "", "a recipe is a mapping with at least 'name' and 'steps'")])
    for key in raw:
        if key not in TOP_KEYS:
            chk.add(raw.pos_of(key), "", f"unknown top-level key {key!r}{did_you_mean(key, TOP_KEYS)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        chk.add(raw.pos_of("name") if "name" in raw else raw.start, "name", "every recipe needs a 'name:' (text)")
        name = Path(file).stem
    recipe = Recipe(name=name, file=file, description=str(raw.get("description") or ""))
    if raw.get("on") is not None:
        recipe.on = chk.model(Triggers, raw["on"], "on", raw, "on")
    variables = raw.get("vars") or {}
    if not isinstance(variables, dict):
        chk.add(raw.value_pos_of("vars"), "vars", "vars must be a mapping of name: value")
    else:
        for key in variables:
            if not isinstance(key, str) or not _IDENT.match(key):
                chk.add(variables.pos_of(key) if isinstance(variables, PosDict) else (1, 1), "vars",
                        f"var name {key!r} must be letters, digits and _")
        recipe.vars = dict(variables)
    secrets = raw.get("secrets") or []
    if not isinstance(secrets, list) or not all(isinstance(s, str) and _IDENT.match(s) for s in secrets):
        chk.add(raw.value_pos_of("secrets") if "secrets" in raw else raw.start, "secrets",
                "secrets must be a list of environment variable names, e.g. [BANK_USER, BANK_PASSWORD]")
    else:
        recipe.secrets = list(secrets)
    if raw.get("alert") is not None:
        recipe.alert = chk.model(Alert, raw["alert"], "alert", raw, "alert") or Alert()
    if "queue" in raw:
        if isinstance(raw["queue"], str) and _IDENT.match(raw["queue"]):
            recipe.queue = raw["queue"]
        else:
            chk.add(raw.value_pos_of("queue"), "queue", "queue must be a name of letters, digits and _ (e.g. browser)")
    if "priority" in raw:
        if isinstance(raw["priority"], int) and not isinstance(raw["priority"], bool) and -100 <= raw["priority"] <= 100:
            recipe.priority = raw["priority"]
        else:
            chk.add(raw.value_pos_of("priority"), "priority", "priority must be a whole number from -100 to 100"
                    " (higher runs first)")
    if "steps" not in raw:
        chk.add(raw.start, "steps", "every recipe needs 'steps:' (a list)")
    recipe.steps = chk.steps(raw.get("steps"), "steps", raw.value_pos_of("steps") if "steps" in raw else raw.start)
    recipe.on_failure = chk.steps(raw.get("on_failure"), "on_failure",
                                  raw.value_pos_of("on_failure") if "on_failure" in raw else raw.start)
    chk.expressions(recipe, raw)
    recipe.warnings = _page_after_park(recipe.steps, file)
    if chk.problems:
        chk.problems.sort(key=lambda p: (p.line, p.column))
        raise RecipeError(chk.problems)
    return recipe


def load_recipe(path: str | Path, *, here: bool = True) -> Recipe:
    """The recipe at ``path``, checked (``here``: see ``parse_recipe``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RecipeError([Problem(str(path), 0, 0, "", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise RecipeError([Problem(str(path), 1, 1, "", f"not UTF-8 text ({exc.reason}); save the recipe as UTF-8")]) from None
    except OSError as exc:
        raise RecipeError([Problem(str(path), 0, 0, "", f"cannot read: {exc.strerror}")]) from None
    return parse_recipe(text, str(path), here=here)
