"""Core steps: ``log``, ``set``, ``fail``, ``wait``.

```yaml
steps:
  - log: "Reconciling {{ vars.period }}"
  - id: totals
    set: {expected: "{{ 100 | money }}", label: "March"}
  - wait: 2s
  - fail: {message: "ledger is empty", kind: business}
    when: "{{ steps.ledger.rows | length == 0 }}"
```
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from pydantic import Field

from bots.durations import parse_duration
from bots.errors import BusinessError, FatalError, Rejected, TransientError
from bots.registry import StepParams, step


class LogParams(StepParams):
    """Write a line to the run log (secrets are masked).

    ```yaml
    - log: "Downloaded {{ steps.statement.path }}"
    - log: {message: "Ledger looks empty", level: warning}
    ```
    """

    message: Any = Field(description="text to log; any value is shown as text")
    level: Literal["debug", "info", "warning", "error"] = Field("info", description="log level")


@step("log", LogParams, shorthand="message", outputs={"message": "the logged text"}, repeatable=True)
def log(ctx, params: LogParams) -> dict:
    text = str(params.message)
    ctx.log(text, params.level.upper())
    return {"message": ctx.mask(text)}


class SetParams(StepParams):
    """Compute named values once, for later steps as ``steps.<id>.<name>``.

    ```yaml
    - id: period
      set: {start: "{{ today() | add_months(-1) | month_start }}", end: "{{ today() | add_months(-1) | month_end }}"}
    ```
    """

    values: dict[str, Any] = Field(description="name: value (expressions keep their native type)")


@step("set", SetParams, shorthand="values", whole_value=True, repeatable=True,
      outputs={"<name>": "each name given, with its value", "values": "all of them as a mapping"})
def set_values(ctx, params: SetParams) -> dict:
    return {**params.values, "values": dict(params.values)}


class FailParams(StepParams):
    """Stop the run with a message (use with ``when``). ``kind: rejected`` ends it as
    ``rejected``: a business outcome such as a claim refused by a check, not a failure (no
    alert, exit 0).

    ```yaml
    - fail: {message: "{{ steps.recon.summary.unmatched }} lines unmatched", kind: business}
      when: "{{ steps.recon.summary.unmatched > 100 }}"
    - fail: {message: "receipt older than 90 days", kind: rejected, by: finance checks}
      when: "{{ steps.checks.too_old }}"
    ```
    """

    message: str = Field(description="why the run stops")
    kind: Literal["business", "transient", "fatal", "rejected"] = Field(
        "business", description="business: no retry; transient: retried by retry:; fatal: stop the bot;"
                                " rejected: the run ends rejected (not a failure)")
    by: str = Field("the recipe", description="who rejects, for kind rejected (shown as 'rejected by …')")


_KINDS = {"business": BusinessError, "transient": TransientError, "fatal": FatalError}


@step("fail", FailParams, shorthand="message")
def fail(ctx, params: FailParams) -> dict:
    if params.kind == "rejected":
        raise Rejected(params.by, params.message)
    raise _KINDS[params.kind](params.message)


class WaitParams(StepParams):
    """Pause for a while. A wait of a minute or more parks the run: the process exits (code 3,
    status ``waiting``) and the scheduler, or ``deskbot resume``, goes on once the time has
    come; a browser open before it is closed, and later browser steps start a new one.

    ```yaml
    - wait: 5s
    - wait: 2h        # parks the run; survives a restart
    ```
    """

    duration: str | float = Field(description="how long: 500ms, 5s, 2m")


@step("wait", WaitParams, shorthand="duration")
def wait(ctx, params: WaitParams) -> dict:
    try:
        seconds = parse_duration(params.duration)
    except ValueError as exc:
        raise BusinessError(str(exc)) from None
    ctx.wait_until(datetime.now(timezone.utc) + timedelta(seconds=seconds), f"wait {params.duration}")
    return {}
