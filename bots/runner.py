"""Run a recipe: vars, secrets, steps with when/for_each/retry/timeout, on_failure, history.

    from bots.recipe import load_recipe
    from bots.runner import Runner

    result = Runner(load_recipe("recipes/hello.yaml"), variables={"who": "finance"}).run()
    result.status          # "ok" | "failed" | "interrupted" | "waiting" | "rejected"
    result.to_json()       # what ``deskbot run --json`` prints (secrets masked)

Semantics (the contract recipes rely on):

- ``vars`` are evaluated in order; ``--var`` overrides win. ``secrets`` come from the
  environment or ``.env`` and are masked in every log line, stored parameter, error and output.
- ``when`` false -> the step is recorded as skipped. ``for_each`` repeats the step (or group)
  per item, the item named by ``as`` (default ``item``) plus ``loop.index`` (1-based); with
  ``for_each``, ``when`` is tested per item and a skipped item leaves ``None`` in ``results``.
- ``retry`` repeats a step only after a TransientError; waits grow by ``backoff`` up to
  ``max_delay``. Business, fatal and unknown errors are not retried.
- ``timeout`` stops a hung step: it fails and the run goes on to its failure handling. Steps
  get the deadline through ``ctx.time_left()`` so that their own libraries fail first with a
  precise message; the runner stops them by force shortly after (``hard_limit``).
- ``continue_on_error`` records the failure (``steps.<id>.failed``, ``.error``) and goes on;
  a FatalError ignores it.
- When a step fails, the recipe's ``on_failure`` steps run with ``error`` in scope
  (``error.step``, ``error.message``, ``error.type``); then the run is recorded as failed.
- Per-run resources (the browser) are closed at the end whatever happened, a park included.

Parking and resuming (see ``bots.journal``): every step try is journaled (``started``, then
``done`` with its outputs); today()/now() readings, the vars and the settings too. ``started``
is committed before the step runs, ``done`` with the step's history row in one transaction
after it. A repeatable step (``set``, ``log``, ``table.*``: it changes nothing outside the run)
is journaled only when the run parks (its outputs, then); after a crash it simply runs again,
from the journaled outputs of the steps before it. A step may
park the run (``Parked``): an approval, a ``wait:`` of a minute or more, or a retry whose delay
is a minute or more (shorter ones sleep). The run is then ``waiting``: ``run()`` returns with
``result.waiting`` saying for what, and the process may exit. ``resume(claimed_run)`` re-walks
the recipe: journaled steps give their outputs without running, a parked step runs again with
what it left (``ctx.parked_state``), a step cut off by a crash fails the run unless it says
``on_interrupt: resume``. A rejected approval ends the run ``rejected`` (``Rejected``).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import jinja2
from pydantic import ValidationError

from bots import expressions, settings as settings_mod
from bots.errors import BusinessError, DeskbotError, FatalError, Parked, Rejected, StepError, StepTimeout
from bots.journal import Codec, Journal, ResumeRefused, describe_wait, iso
from bots.progress import Reporter
from bots.recipe import Recipe, Step
from bots.secrets import Redactor, RedactingFilter, resolve_secrets
from bots.store import INSERT_ATTEMPT, RunStore, attempt_row, new_run_id, utcnow
from bots.timeouts import run_with_timeout, sleep


#: a retry delay or a ``wait:`` at least this long parks the run instead of sleeping in its process
DURABLE_RETRY_SECONDS = 60.0


class Outputs:
    """A step's outputs as seen by expressions: ``steps.recon.summary`` (attribute or item)."""

    __slots__ = ("_data",)

    def __init__(self, data: dict):
        self._data = dict(data)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return self._data[name]

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def __repr__(self) -> str:
        return f"Outputs({', '.join(self._data)})"

    def as_dict(self) -> dict:
        return dict(self._data)


class Resources:
    """Per-run shared objects (a browser session), created on first use, closed at the end."""

    def __init__(self):
        self._items: dict[str, Any] = {}
        self._closers: list[tuple[str, Callable[[Any], None]]] = []

    def get(self, name: str, create: Callable[[], Any], close: Callable[[Any], None] | None = None) -> Any:
        if name not in self._items:
            self._items[name] = create()
            if close:
                self._closers.append((name, close))
        return self._items[name]

    def peek(self, name: str) -> Any:
        return self._items.get(name)

    def close_all(self, log: Callable[[str, str], None]) -> None:
        while self._closers:
            name, close = self._closers.pop()
            try:
                close(self._items.pop(name))
            except Exception as exc:  # a failing close must not hide the run's own result
                log("WARNING", f"closing {name} failed: {exc}")


@dataclass
class StepContext:
    """What a step function gets besides its parameters."""

    run_id: str
    run_dir: Path
    home: Path
    settings: dict
    recipe: Recipe
    step: Step
    resources: Resources
    redactor: Redactor
    options: dict
    trigger: dict
    _runner: "Runner"
    deadline: float | None = None
    #: the expression scope the step was rendered in (vars, steps, loop item …)
    scope: dict = field(default_factory=dict)
    #: where the step stands in the run (its path and loop iterations): the journal's key
    key: str = ""
    #: what this step left in the journal when it parked the run, now resumed (else None)
    parked_state: dict | None = None

    def log(self, message: str, level: str = "INFO") -> None:
        self._runner._log(level, message)

    def artifact(self, path: str | Path, kind: str = "file") -> Path:
        """Record a file this step produced; it is listed in history, --json and alerts."""
        self._runner._artifact(str(path), kind)
        return Path(path)

    def time_left(self, default: float | None = None) -> float | None:
        """Seconds before this step's timeout, for libraries with their own timeouts."""
        if self.deadline is None:
            return default
        left = max(self.deadline - time.monotonic(), 0.001)
        return min(left, default) if default is not None else left

    def mask(self, text: str) -> str:
        return self.redactor.text(text)

    @property
    def requester(self) -> str | None:
        """The user who started the run (None for a scheduled or folder-triggered run)."""
        return self.trigger.get("user") or None

    def wait_until(self, moment: datetime, detail: str) -> None:
        """Return at ``moment``: sleep when it is near, else park the run until then.

        Safe to call again after a resume: the moment first asked for is kept in the journal.
        """
        if self.parked_state and self.parked_state.get("until"):
            if self._runner.early:  # `deskbot resume --now`
                return
            moment = self.parked_state["until"]
        left = (moment - datetime.now(timezone.utc)).total_seconds()
        if left < DURABLE_RETRY_SECONDS:
            if left > 0:
                sleep(left)
            return
        raise Parked("wait", detail, moment, state={"until": moment})

    @property
    def secret_values(self) -> list[str]:
        return list(self._runner.secret_values)


def hard_limit(timeout: float | None) -> float | None:
    """When the runner stops a step by force: a little after its timeout.

    A step sees its timeout through ``ctx.time_left()`` and hands it to the library it
    drives (Playwright, an HTTP client), whose own error names the selector or URL that never
    came. The forced stop is the backstop for a step that does not stop by itself.
    """
    if not timeout:
        return None
    return timeout + min(max(1.0, timeout * 0.1), 10.0)


class _StepFailed(Exception):
    """Internal: carries the failed step and its (masked) error up to the run."""

    def __init__(self, step: Step, error: BaseException, message: str):
        self.step, self.error, self.message = step, error, message
        super().__init__(message)


@dataclass
class RunResult:
    run_id: str
    recipe: str
    status: str
    run_dir: Path
    started: str
    ended: str = ""
    duration_s: float = 0.0
    error: str | None = None
    error_type: str | None = None
    failed_step: str | None = None
    #: what a parked run (status ``waiting``) waits for: "retry 2/3 at 10:35", "approval 4f2a…"
    waiting: str | None = None
    steps: list[dict] = field(default_factory=list)
    artifacts: list[dict] = field(default_factory=list)
    outputs: dict = field(default_factory=dict)
    log_tail: list[str] = field(default_factory=list)
    #: the run's secret values, so after-run hooks (alerts) can mask them; never serialized
    secret_values: list[str] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_json(self) -> dict:
        return {
            "run_id": self.run_id, "recipe": self.recipe, "status": self.status,
            "started": self.started, "ended": self.ended, "duration_s": round(self.duration_s, 3),
            "error": self.error, "error_type": self.error_type, "failed_step": self.failed_step,
            "waiting": self.waiting, "run_dir": str(self.run_dir), "steps": self.steps, "artifacts": self.artifacts,
        }


def summarize(value: Any, depth: int = 0) -> Any:
    """A JSON-safe, bounded picture of a value for the run store and --json."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value if len(value) <= 500 else value[:500] + f"… ({len(value)} chars)"
    if isinstance(value, (Decimal, Path)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Outputs):
        value = value.as_dict()
    if hasattr(value, "shape") and hasattr(value, "columns"):
        return {"table": f"{value.shape[0]} rows x {value.shape[1]} columns", "columns": [str(c) for c in value.columns][:50]}
    if depth > 3:
        return f"<{type(value).__name__}>"
    if isinstance(value, dict):
        items = list(value.items())
        out = {str(k): summarize(v, depth + 1) for k, v in items[:50]}
        if len(items) > 50:
            out["…"] = f"{len(items) - 50} more"
        return out
    if isinstance(value, (list, tuple, set)):
        items = list(value)
        out = [summarize(v, depth + 1) for v in items[:20]]
        if len(items) > 20:
            out.append(f"… {len(items) - 20} more")
        return out
    if hasattr(value, "model_dump"):
        return summarize(value.model_dump(), depth + 1)
    return f"<{type(value).__name__}>"


def iterate_items(value: Any) -> list:
    """What ``for_each`` accepts: a list, a table (rows as mappings), a mapping (key/value pairs)."""
    if hasattr(value, "to_dict") and hasattr(value, "columns"):
        return value.to_dict("records")
    if isinstance(value, dict):
        return [{"key": k, "value": v} for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, Outputs) and "rows" in value:
        return list(value["rows"])
    raise BusinessError(f"for_each needs a list, a table or a mapping; got {type(value).__name__}")


def coerce_override(name: str, default: Any, given: Any) -> Any:
    """A ``--var`` value takes the type of the var's literal default (``limit: 20`` -> int)."""
    if not isinstance(given, str) or expressions.has_expression(default) or isinstance(default, str) or default is None:
        return given
    import yaml

    try:
        parsed = yaml.safe_load(given)
    except yaml.YAMLError:
        parsed = given
    wanted = type(default)
    if wanted is float and isinstance(parsed, int) and not isinstance(parsed, bool):
        parsed = float(parsed)
    if not isinstance(parsed, wanted) or (wanted is int and isinstance(parsed, bool)):
        raise DeskbotError(f"--var {name}={given!r}: expected {wanted.__name__} like the recipe's default {default!r}")
    return parsed


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off", "none")
    return bool(value)


class Runner:
    def __init__(self, recipe: Recipe, *, variables: dict | None = None, trigger: dict | None = None,
                 home: Path | None = None, store: RunStore | None = None, reporter: Reporter | None = None,
                 options: dict | None = None, settings: dict | None = None,
                 after_run: list[Callable[[RunResult, Recipe], None]] | None = None, run_id: str | None = None):
        self.recipe = recipe
        #: a run already recorded as ``queued`` (the work queue) that this runner takes
        self.queued_run_id = run_id
        self.overrides = dict(variables or {})
        unknown = [k for k in self.overrides if k not in recipe.vars]
        if unknown:
            raise DeskbotError(f"{recipe.file}: recipe declares no var {', '.join(map(repr, unknown))};"
                               f" declared: {', '.join(recipe.vars) or 'none'}")
        for name, value in self.overrides.items():
            coerce_override(name, recipe.vars[name], value)  # a wrong type is refused before the run
        self.trigger = dict(trigger or {"type": "manual"})
        self.home = Path(home) if home else settings_mod.home()
        self._own_store = store is None
        self.store = store or RunStore(self.home)
        self.reporter = reporter or Reporter()
        self.options = dict(options or {})
        self.settings = settings if settings is not None else settings_mod.load_settings()
        self.after_run = list(after_run or [])
        self.redactor = Redactor()
        self.secret_values: list[str] = []
        self.resources = Resources()
        self.seq = 0
        self.current_seq: int | None = None
        self.step_rows: list[dict] = []
        #: outputs of repeatable steps, journaled only if the run parks (key -> (try, outputs))
        self._unjournaled: dict[str, tuple[int, dict]] = {}
        #: a step with effects finished and its ``done`` waits for the next commit (the next such
        #: step's ``started``, or before the next other step starts)
        self._done_uncommitted = False
        self.artifacts: list[dict] = []
        self._places: list[int] = []
        #: resumed before its time (`deskbot resume --now`): a parked wait ends at once
        self.early = False
        self.log_tail: deque[str] = deque(maxlen=40)
        self.logger = logging.getLogger(f"deskbot.run.{id(self)}")
        self.logger.propagate = False
        self.logger.setLevel(logging.INFO)

    # ---- plumbing ----------------------------------------------------------------------
    def _log(self, level: str, message: str) -> None:
        message = self.redactor.text(str(message))
        self.logger.log(logging.getLevelName(level.upper()) if isinstance(level, str) else level, message)
        self.log_tail.append(f"{time.strftime('%H:%M:%S')} {level.upper()} {message}")
        self.reporter.log(level, message)

    def _artifact(self, path: str, kind: str) -> None:
        self.artifacts.append({"kind": kind, "path": path, "seq": self.current_seq})
        self.store.add_artifact(self.run_id, self.current_seq, kind, path)

    # ---- the run -----------------------------------------------------------------------
    def run(self) -> RunResult:
        """Start a new run and go as far as it goes: finished, failed, rejected or waiting."""
        if self.queued_run_id and not self.store.claim_queued(self.queued_run_id):
            raise DeskbotError(f"run {self.queued_run_id} is no longer queued (another worker took it); not run again")
        self.run_id = self.queued_run_id or new_run_id()
        self.run_dir = settings_mod.artifacts_dir(self.home) / self.run_id
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if not self.queued_run_id:
            self.store.start_run(self.run_id, self.recipe.name, self.recipe.file, self.trigger, self.overrides,
                                 self.run_dir)
        return self._execute(resuming=False)

    def resume(self, run: dict) -> RunResult:
        """Go on with a run claimed by ``journal.claim``: finished steps give their journaled
        outputs instead of running again."""
        self.run_id = run["id"]
        self.run_dir = Path(run["dir"])
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.seq = max((s["seq"] for s in run.get("steps") or []), default=0)
        self.step_rows = [{"path": s["path"], "id": s["step_id"], "action": s["action"], "name": s["label"],
                           "attempt": s["attempt"], "status": s["status"], "duration_ms": round(s["duration_ms"] or 0, 2),
                           **({"error": s["error"]} if s["error"] else {})} for s in run.get("steps") or []]
        self.artifacts = [{"kind": a["kind"], "path": a["path"], "seq": a["seq"]} for a in run.get("artifacts") or []]
        return self._execute(resuming=True)

    def _execute(self, resuming: bool) -> RunResult:
        handler = logging.FileHandler(self.run_dir / "run.log", encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        handler.addFilter(RedactingFilter(self.redactor))
        self.logger.addHandler(handler)
        started_clock = time.monotonic()
        result = RunResult(self.run_id, self.recipe.name, "running", self.run_dir, utcnow())
        self.reporter.run_started(self.run_id, self.recipe.name, str(self.run_dir))
        if resuming:
            self._log("INFO", f"resuming run {self.run_id}: finished steps give their journaled outputs")
        self.codec = Codec(self.run_dir)
        self.journal = Journal(self.store, self.run_id, self.codec, load=resuming)
        self.scope = {
            "vars": {}, "secrets": {}, "settings": self.settings, "steps": {},
            "run": {"id": self.run_id, "dir": str(self.run_dir), "started": datetime.now(timezone.utc)},
            "trigger": self.trigger,
        }
        failure: _StepFailed | None = None
        parked: Parked | None = None
        rejected: Rejected | None = None
        interrupted = False
        clock_token = expressions.CLOCK.set(self._read_clock)
        try:
            try:
                self._prepare(resuming)
                self._exec_steps(self.recipe.steps, self.scope)
            except _StepFailed as exc:
                failure = exc
            except Parked as exc:
                parked = exc
            except Rejected as exc:
                rejected = exc
            except KeyboardInterrupt:
                interrupted = True
            if failure is not None:
                result.status = "failed"
                result.error = failure.message
                result.error_type = type(failure.error).__name__
                result.failed_step = f"{failure.step.path} {failure.step.label}"
                self._run_on_failure(failure)
            elif parked is not None:
                result.status = "waiting"
                result.waiting = parked.detail
            elif rejected is not None:
                result.status = "rejected"
                result.error = self.redactor.text(str(rejected))
            elif interrupted:
                result.status = "interrupted"
                result.error = "stopped by the user (Ctrl-C) or a shutdown signal"
            else:
                result.status = "ok"
        finally:
            expressions.CLOCK.reset(clock_token)
            self.resources.close_all(self._log)
            result.duration_s = time.monotonic() - started_clock
            result.ended = utcnow()
            result.steps = self.step_rows
            result.artifacts = [{"kind": a["kind"], "path": a["path"]} for a in self.artifacts]
            result.outputs = {k: v.as_dict() for k, v in self.scope["steps"].items()}
            result.log_tail = list(self.log_tail)
            result.secret_values = list(self.secret_values)
            if result.status == "running":
                result.status = "interrupted"
            if parked is not None:
                self._journal_repeatable()
                self.journal.park_run(recipe=self.recipe.name, kind=parked.kind, step=parked.step,
                                      detail=parked.detail, wake_at=parked.wake_at, approval_id=parked.approval_id)
                result.waiting = describe_wait({"kind": parked.kind, "detail": parked.detail,
                                                "wake_at": iso(parked.wake_at) if parked.wake_at else None})
                self._log("INFO", f"run {self.run_id} waits: {result.waiting}; the browser (if any) is closed,"
                                  f" later steps start a new one")
            else:
                self.journal.flush()
                self.store.finish_run(self.run_id, result.status, result.error, result.failed_step)
            self.reporter.run_finished(self.run_id, result.status, result.duration_s, result.error or result.waiting)
            self.logger.removeHandler(handler)
            handler.close()
            for hook in self.after_run:
                try:
                    hook(result, self.recipe)
                except Exception as exc:
                    self.reporter.log("ERROR", self.redactor.text(f"after-run hook failed: {exc}"))
            if self._own_store:
                self.store.close()
        if interrupted:
            raise KeyboardInterrupt
        return result

    def _prepare(self, resuming: bool) -> None:
        """Secrets, then vars in order; a problem here fails the run before any step.

        A resumed run reads its secrets again (they are never journaled) and takes its vars,
        settings and start time from the journal, so it goes on with what it started with.
        """
        prep = Step(path="vars", pos=(0, 0), index=0, name="prepare")
        try:
            folders = [Path.cwd(), Path(self.recipe.file).resolve().parent]
            secrets = resolve_secrets(self.recipe.secrets, folders)
            for value in secrets.values():
                self.redactor.add(value)
            self.secret_values = list(secrets.values())
            self.scope["secrets"] = secrets
            self.codec.set_secrets(secrets)
            env = self.journal.value("env") if resuming else None
            if env is not None:
                self.settings = self.scope["settings"] = env["settings"]
                self.scope["run"]["started"] = env["started"]
                self.scope["vars"].update(env["vars"])
                return
            self._clock_place = "vars"
            for name, value in self.recipe.vars.items():
                if name in self.overrides:
                    self.scope["vars"][name] = coerce_override(name, value, self.overrides[name])
                else:
                    self.scope["vars"][name] = expressions.render(value, self.scope)
            self.journal.write("env", "env", value={"settings": self.settings, "vars": self.scope["vars"],
                                                    "started": self.scope["run"]["started"]}, durable=False)
        except (DeskbotError, ResumeRefused, jinja2.TemplateError, ValueError, TypeError) as exc:
            message = self.redactor.text(_describe(exc))
            self._record(prep, 1, "failed", utcnow(), 0.0, message, type(exc).__name__)
            raise _StepFailed(prep, exc, message) from None

    # ---- the journal -------------------------------------------------------------------
    _clock_place = "vars"

    def _read_clock(self, what: str, tz=None):
        """``today()`` / ``now()`` in an expression: journaled, so a resumed run reads the same."""
        counts = self.__dict__.setdefault("_clock_counts", {})
        place = self._clock_place
        counts[place] = counts.get(place, 0) + 1
        key = f"clock:{place}:{what}:{counts[place]}"
        if self.journal.get(key) is not None:
            return self.journal.value(key)
        reading = date.today() if what == "today" else datetime.now(tz)
        self.journal.write(key, "clock", value=reading, durable=False)
        return reading

    def _journal_repeatable(self) -> None:
        """The run parks: what its repeatable steps gave goes into the journal, so that the
        resumed run gives them back instead of running those steps again."""
        for key, (attempt, outputs) in self._unjournaled.items():
            if self.journal.get(key) is None:
                self.journal.write(key, "done", attempt, outputs, durable=False)
        self._unjournaled.clear()
        if self.codec.lost:
            self._log("WARNING", f"outputs not kept for the resume (the resumed run sees them as null):"
                                 f" {', '.join(self.codec.lost)}")
            self.codec.lost.clear()

    def _key(self, st: Step, *more: int) -> str:
        """Where a step stands in the run: its path plus the iteration of every loop around it."""
        places = [*self._places, *more]
        return st.path + ("@" + ".".join(map(str, places)) if places else "")

    def _replay(self, st: Step, key: str, scope: dict) -> bool:
        """A step finished before the run parked: give its journaled outputs, run nothing."""
        entry = self.journal.get(key)
        if entry is None or entry.kind != "done":
            return False
        if st.id and entry.text is not None:
            outputs = self.journal.value(key)
            outputs.setdefault("failed", False)
            scope["steps"][st.id] = Outputs(outputs)
        if st.steps:
            self._replay_inside(st, entry, scope)
        return True

    def _replay_inside(self, st: Step, entry, scope: dict) -> None:
        """The outputs of the steps inside a finished group or loop, as the run left them when it
        ran them (a loop: each inner id holds its last iteration's outputs), so that the steps
        after it find ``steps.<inner id>`` on a resume as they did before."""
        if st.for_each is None:
            for inner in st.steps:
                self._replay(inner, self._key(inner), scope)
            return
        count = (self.journal.value(self._key(st)) or {}).get("count") if entry.text is not None else None
        for index in range(1, int(count or 0) + 1):
            self._replay_iteration(st, index, scope)

    def _replay_iteration(self, st: Step, index: int, scope: dict) -> None:
        self._places.append(index)
        try:
            for inner in st.steps:
                self._replay(inner, self._key(inner), scope)
        finally:
            self._places.pop()

    def _journal_repeatable_since(self, mark: int) -> None:
        """Commit with a finished block the outputs its repeatable steps gave (else kept only in
        memory until the run parks): a resume after a crash replays the block without running
        them, so their outputs must be in the journal beside the block's ``done``."""
        for key, (attempt, outputs) in list(self._unjournaled.items())[mark:]:
            if self.journal.get(key) is None:
                self.journal.write(key, "done", attempt, outputs, durable=False)

    def _run_on_failure(self, failure: _StepFailed) -> None:
        if not self.recipe.on_failure:
            return
        scope = dict(self.scope)
        scope["error"] = {"step": failure.step.path, "name": failure.step.label, "message": failure.message,
                          "type": type(failure.error).__name__}
        self._log("INFO", "running on_failure steps")
        for st in self.recipe.on_failure:
            try:
                self._exec_step(st, scope)
            except _StepFailed as exc:
                self._log("ERROR", f"on_failure step {st.path} failed: {exc.message}")
            except (Parked, Rejected) as exc:
                self._log("ERROR", f"on_failure step {st.path} cannot wait or be rejected: the run has failed ({exc})")

    # ---- steps -------------------------------------------------------------------------
    def _exec_steps(self, steps: list[Step], scope: dict) -> None:
        for st in steps:
            self._exec_step(st, scope)

    def _exec_step(self, st: Step, scope: dict) -> None:
        key = self._key(st)
        if self._replay(st, key, scope):
            return
        started = utcnow()
        t0 = time.perf_counter()
        self._clock_place = key
        try:
            if st.when is not None and st.for_each is None:
                if not truthy(self._render(st, st.when, scope, "when")):
                    self.journal.write(key, "done", durable=False)
                    self._record(st, 0, "skipped", started, (time.perf_counter() - t0) * 1000, durable=False)
                    return
            if st.action and st.for_each is None:
                outputs = self._exec_action(st, scope, key)  # applies its own timeout per try
            else:
                mark = len(self._unjournaled)
                outputs = self._exec_block(st, scope)
                self._journal_repeatable_since(mark)
                self.journal.write(key, "done", value=outputs, durable=False)
            outputs.setdefault("failed", False)
            if st.id:
                scope["steps"][st.id] = Outputs(outputs)
        except _StepFailed as exc:
            if st.continue_on_error and not getattr(exc.error, "fatal", False):
                self._log("WARNING", f"{st.path} failed, continuing (continue_on_error): {exc.message}")
                outputs = {"failed": True, "error": exc.message}
                self.journal.write(key, "done", value=outputs)
                if st.id:
                    scope["steps"][st.id] = Outputs(outputs)
                return
            raise

    def _exec_block(self, st: Step, scope: dict) -> dict:
        """A group or a loop, under the step's timeout as a whole."""

        def body() -> dict:
            if st.for_each is not None:
                return self._exec_loop(st, scope)
            self._exec_steps(st.steps, scope)
            return {}

        t0 = time.perf_counter()
        try:
            return run_with_timeout(hard_limit(st.timeout), body)
        except StepTimeout as exc:
            if hasattr(exc, "token"):
                raise
            message = f"{st.path} {st.label}: timed out after {st.timeout:g}s and was stopped"
            self._record(st, 1, "failed", utcnow(), (time.perf_counter() - t0) * 1000, message, "StepTimeout")
            raise _StepFailed(st, exc, message) from None

    def _exec_loop(self, st: Step, scope: dict) -> dict:
        items = iterate_items(self._render(st, st.for_each, scope, "for_each"))
        results = []
        for index, item in enumerate(items, start=1):
            inner = dict(scope)
            inner[st.as_] = item
            inner["loop"] = {"index": index, "index0": index - 1, "first": index == 1, "last": index == len(items),
                             "length": len(items)}
            key = self._key(st, index)
            entry = self.journal.get(key)
            if entry is not None and entry.kind == "done":  # an iteration finished before a park
                results.append(self.journal.value(key))
                if st.steps:
                    self._replay_iteration(st, index, inner)
                continue
            self._clock_place = key
            if st.when is not None and not truthy(self._render(st, st.when, inner, "when")):
                self.journal.write(key, "done", durable=False)
                results.append(None)
                continue
            if st.steps:
                mark = len(self._unjournaled)
                self._places.append(index)
                try:
                    self._exec_steps(st.steps, inner)
                finally:
                    self._places.pop()
                self._journal_repeatable_since(mark)
                self.journal.write(key, "done", value={}, durable=False)
                results.append({})
            else:
                results.append(self._exec_action(st, inner, key))
        return {"results": results, "count": len(items)}

    def _render(self, st: Step, value: Any, scope: dict, what: str) -> Any:
        try:
            return expressions.render(value, scope)
        except Exception as exc:  # TypeError from `1 > "2"` too: the step fails, the run goes on
            message = self.redactor.text(f"{st.path}.{what}: {_describe(exc)}")
            self._record(st, 1, "failed", utcnow(), 0.0, message, "ExpressionError")
            raise _StepFailed(st, BusinessError(message), message) from None

    def _first_attempt(self, st: Step, key: str) -> tuple[int, dict | None]:
        """Which try comes next, and what the step left when it parked (None: a fresh start)."""
        entry = self.journal.get(key)
        if entry is None:
            return 1, None
        if entry.kind == "started":  # its process died during this try: it may have done part of its work
            if st.on_interrupt != "resume":
                message = (f"{st.path} {st.label}: was running (try {entry.attempt}) when the process running it"
                           f" ended; it may have done part of its work, so it is not run again. Check what it did,"
                           f" then run the recipe anew, or mark the step 'on_interrupt: resume' if running it twice"
                           f" is safe")
                self._record(st, entry.attempt, "failed", utcnow(), 0.0, message, "Interrupted")
                raise _StepFailed(st, FatalError(message), message)
            self._log("WARNING", f"{st.path} {st.label}: try {entry.attempt} was cut off by the end of its process;"
                                 f" running it again (on_interrupt: resume)")
            return entry.attempt, None
        state = self.journal.value(key) or {}
        return int(state.get("retry") or entry.attempt or 1), state

    def _exec_action(self, st: Step, scope: dict, key: str) -> dict:
        spec = st.spec
        policy = st.retry
        attempts = policy.attempts if policy else 1
        first, parked_state = self._first_attempt(st, key)
        if self._done_uncommitted and spec.repeatable:
            # the step with effects before this one is recorded done before anything else runs
            # (a step with effects commits it with its own ``started``, in one transaction)
            self.journal.flush()
            self._done_uncommitted = False
        attempt = first - 1
        retry_after: float | None = None
        while True:
            attempt += 1
            if attempt > first:
                wait = max(policy.wait_before(attempt), retry_after or 0.0)
                sleep(wait)
            retry_after = None
            started = utcnow()
            t0 = time.perf_counter()
            self.reporter.step_started(st.path, st.label, attempt)
            self._clock_place = f"{key}#{attempt}"
            params_for_record: Any = None
            try:
                raw = st.params if isinstance(st.params, dict) else {}
                rendered = {k: (v if k in spec.raw else expressions.render(v, scope)) for k, v in raw.items()}
                params_for_record = rendered
                try:
                    params = spec.params.model_validate(rendered)
                except ValidationError as exc:
                    raise BusinessError(_validation_message(st, exc)) from None
                if not spec.repeatable:  # committed (with all before it) before the step acts on the world
                    self.journal.write(key, "started", attempt)
                    self._done_uncommitted = False
                ctx = StepContext(self.run_id, self.run_dir, self.home, self.settings, self.recipe, st,
                                  self.resources, self.redactor, self.options, self.trigger, self,
                                  time.monotonic() + st.timeout if st.timeout else None, scope,
                                  key=key, parked_state=parked_state if attempt == first else None)
                self.current_seq = self.seq + 1
                outputs = run_with_timeout(hard_limit(st.timeout), lambda: spec.func(ctx, params))
                outputs = dict(outputs or {})
                if spec.repeatable:  # recomputed after a crash; journaled only if the run parks
                    self._unjournaled[key] = (attempt, outputs)
                else:  # committed with the step's history row below
                    self.journal.write(key, "done", attempt, outputs, durable=False)
                if self.codec.lost:
                    self._log("WARNING", f"{st.path} {st.label}: outputs not kept for a resume (a resumed run"
                                         f" sees them as null): {', '.join(self.codec.lost)}")
                    self.codec.lost.clear()
                # a step with effects: its done is committed before the next step starts (with
                # the next one's started, or by a flush before a step without effects), or at the
                # run's end or park: one commit a step; a crash before it finds the step started
                # (not done), so it is never run twice
                self._record(st, attempt, "ok", started, (time.perf_counter() - t0) * 1000,
                             params=params_for_record, outputs=outputs, durable=False)
                if not spec.repeatable:
                    self._done_uncommitted = True
                return outputs
            except Parked as exc:  # the step waits (an approval, a long wait): where it stands is journaled
                exc.step = f"{st.path} {st.label}"
                self.journal.write(key, "parked", attempt, exc.state or {}, durable=False)
                self._record(st, attempt, "waiting", started, (time.perf_counter() - t0) * 1000, exc.detail,
                             "Parked", params_for_record)
                raise
            except Rejected as exc:
                self.journal.write(key, "done", attempt, {"decision": "reject", "by": exc.by, "reason": exc.reason},
                                   durable=False)
                self._record(st, attempt, "rejected", started, (time.perf_counter() - t0) * 1000,
                             self.redactor.text(str(exc)), "Rejected", params_for_record)
                raise
            except StepTimeout as exc:
                duration = (time.perf_counter() - t0) * 1000
                if hasattr(exc, "token"):  # an enclosing scope's timeout: not ours to handle
                    self._record(st, attempt, "failed", started, duration, "stopped: an enclosing timeout expired",
                                 "StepTimeout", params_for_record)
                    raise
                message = f"{st.path} {st.action}: timed out after {st.timeout:g}s and was stopped"
                self._record(st, attempt, "failed", started, duration, message, "StepTimeout", params_for_record)
                raise _StepFailed(st, exc, message) from None
            except jinja2.TemplateError as exc:
                message = self.redactor.text(f"{st.path}.{st.action}: {_describe(exc)}")
                self._record(st, attempt, "failed", started, (time.perf_counter() - t0) * 1000, message, "ExpressionError")
                raise _StepFailed(st, BusinessError(message), message) from None
            except Exception as exc:
                duration = (time.perf_counter() - t0) * 1000
                message = self.redactor.text(f"{st.path} {st.action}: {_describe(exc)}")
                retryable = isinstance(exc, StepError) and exc.retryable and attempt < attempts
                self._record(st, attempt, "error" if retryable else "failed", started, duration, message,
                             type(exc).__name__, params_for_record)
                if not retryable:
                    raise _StepFailed(st, exc, message) from None
                retry_after = getattr(exc, "retry_after", None)  # a server's Retry-After
                wait = max(policy.wait_before(attempt + 1), retry_after or 0.0)
                self.reporter.retrying(st.path, st.label, attempt + 1, wait, message)
                if wait >= DURABLE_RETRY_SECONDS:  # a long wait parks the run instead of holding a process
                    self.journal.write(key, "parked", attempt, {"retry": attempt + 1})
                    parked = Parked("retry", f"retry {attempt + 1}/{attempts} of {st.label}",
                                    datetime.now(timezone.utc) + timedelta(seconds=wait))
                    parked.step = f"{st.path} {st.label}"
                    raise parked from None

    def _record(self, st: Step, attempt: int, status: str, started: str, duration_ms: float,
                error: str | None = None, error_type: str | None = None, params: Any = None, outputs: Any = None,
                durable: bool = True) -> None:
        """A step try into the history, committed with the journal's writes before it (``durable``:
        now; else with the next commit, within ``journal.FLUSH_AFTER_SECONDS``)."""
        self.seq += 1
        self.current_seq = self.seq
        masked_params = self.redactor.data(summarize(params)) if params is not None else None
        masked_outputs = self.redactor.data(summarize(outputs)) if outputs else None
        self.journal.also(INSERT_ATTEMPT, attempt_row(
            self.run_id, self.seq, path=st.path, step_id=st.id, action=st.action, label=st.label, attempt=attempt,
            status=status, started=started, duration_ms=duration_ms, error=error, error_type=error_type,
            params=masked_params, outputs=masked_outputs), durable=durable)
        row = {"path": st.path, "id": st.id, "action": st.action, "name": st.label, "attempt": attempt,
               "status": status, "duration_ms": round(duration_ms, 2)}
        if error:
            row["error"] = error
        self.step_rows.append(row)
        self.reporter.step_finished(st.path, st.label, status, duration_ms, error)
        if error:
            self.logger.error(f"{st.path} {st.label} try {attempt}: {error}")
        else:
            self.logger.info(f"{st.path} {st.label} {status} ({duration_ms:.0f} ms)")


def recipe_of_run(store: RunStore, run: dict) -> Recipe:
    """The recipe a run started with: the text recorded with the run, else its file as it is now."""
    from bots.errors import RecipeError
    from bots.recipe import load_recipe, parse_recipe

    version = run.get("recipe_version")
    kept = store.get_recipe_version(version) if version and hasattr(store, "get_recipe_version") else None
    if kept is not None:
        return parse_recipe(kept["text"], run.get("recipe_file") or run["recipe"])
    if not run.get("recipe_file"):
        raise RecipeError(f"run {run['id']} recorded neither its recipe's text nor its file")
    return load_recipe(run["recipe_file"])


def resume_run(run_id: str, *, home: Path | None = None, store: RunStore | None = None, due_only: bool = False,
               early: bool = False, now: datetime | None = None, reporter: Reporter | None = None,
               options: dict | None = None,
               after_run: list[Callable[[RunResult, Recipe], None]] | None = None) -> RunResult:
    """Resume a parked (or interrupted) run in this process; the door for the CLI, the scheduler
    and the console. Raises ResumeRefused when it is not this process's to resume: unknown,
    finished, taken by another process, or not due (a pending approval; a timed wait before its
    time unless ``early``)."""
    from bots.journal import claim, get_wait

    home = Path(home) if home else settings_mod.home()
    store = store or RunStore(home)
    run = store.get_run(run_id)
    if run is None:
        raise ResumeRefused(f"no run {run_id!r}; see 'deskbot runs'")
    wait = get_wait(store, run["id"]) if run["status"] == "waiting" else None
    if wait is not None and not due_only:
        due = wait["wake_at"] is not None and wait["wake_at"] <= iso(datetime.now(timezone.utc))
        if not due and (wait["kind"] == "approval" or not early):
            how = ("decide it first: deskbot approvals decide ID approve|reject --as USER" if wait["kind"] == "approval"
                   else "pass --now to go on before its time")
            raise ResumeRefused(f"run {run['id']} waits: {describe_wait(wait)}; {how}", waiting=True)
    recipe = recipe_of_run(store, run)
    runner = Runner(recipe, variables=run["vars"] or {}, trigger=run["trigger"] or {}, home=home, store=store,
                    reporter=reporter, options=options, after_run=after_run)
    claimed = claim(store, run["id"], due_only=due_only, now=now)
    runner.early = early
    return runner.resume(claimed)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"expression: {exc.message}"
    if isinstance(exc, jinja2.TemplateError):
        return f"expression: {exc}"
    text = str(exc) or type(exc).__name__
    if isinstance(exc, (DeskbotError, OSError)):
        return text
    return f"{type(exc).__name__}: {text}"


def _validation_message(st: Step, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        parts.append(f"{loc}: {err['msg']}" if loc else err["msg"])
    return f"{st.path}.{st.action}: bad parameter(s) once rendered: " + "; ".join(parts)


def dry_run_plan(recipe: Recipe) -> list[str]:
    """The plan ``deskbot run --dry-run`` prints: every step as written, nothing executed."""
    lines = [f"recipe {recipe.name!r} ({recipe.file})"]
    if recipe.vars:
        lines.append("vars: " + ", ".join(f"{k}={v!r}" for k, v in recipe.vars.items()))
    if recipe.secrets:
        lines.append("secrets (from environment or .env): " + ", ".join(recipe.secrets))

    def walk(steps: list[Step], depth: int) -> None:
        for st in steps:
            pad = "  " * depth
            extra = []
            if st.when is not None:
                extra.append(f"when {st.when}")
            if st.for_each is not None:
                extra.append(f"for each {st.as_} in {st.for_each}")
            if st.retry:
                extra.append(f"retry x{st.retry.attempts}")
            if st.timeout:
                extra.append(f"timeout {st.timeout:g}s")
            if st.continue_on_error:
                extra.append("continue on error")
            what = st.action or "group"
            label = f" ({st.name or st.id})" if (st.name or st.id) else ""
            params = f" {st.params}" if st.action and st.params else ""
            lines.append(f"{pad}{st.path}: {what}{label}{params}" + (f"  [{'; '.join(extra)}]" if extra else ""))
            walk(st.steps, depth + 1)

    walk(recipe.steps, 1)
    if recipe.on_failure:
        lines.append("on failure:")
        walk(recipe.on_failure, 1)
    return lines
