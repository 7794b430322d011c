"""Approval step: ``approval.request``, a person decides before the run goes on.

The step opens a request, emails the approvers with a link to the console's approval page, and
parks the run (status ``waiting``, ``deskbot run`` exits 3). Approvers decide with
``deskbot approvals decide ID approve|reject [--reason TEXT] --as USER`` or on the console; the
scheduler (or ``deskbot resume RUN_ID``) then resumes the run and the step gives the decision.

- The user who started the run cannot decide (no self-approval); a scheduled run has no
  requester. A reason is required to reject. ``required: 2`` needs two different approvers.
- ``timeout``: a reminder goes out at half of it; when it passes, ``on_timeout`` decides:
  ``reject`` (the default), ``approve``, or ``escalate`` to the ``escalate_to`` role (once,
  with the same timeout again, then rejected).
- A rejection ends the run with status ``rejected``: a business outcome, not a failure (exit 0,
  no failure alert). With ``on_reject: continue`` the run goes on and later steps read
  ``steps.<id>.decision`` and ``.reason``.

```yaml
steps:
  - id: manager
    approval.request:
      title: "Expense claim {{ vars.claim }}: {{ steps.receipt.values.amount }} CNY"
      details: "Receipt read and checked. **Over 5000**: a manager approves."
      fields: {amount: "{{ steps.receipt.values.amount }}", vendor: "{{ steps.receipt.values.issuer }}"}
      approvers: {role: approver}
      timeout: 2d
      on_timeout: escalate
      escalate_to: admin
    when: "{{ steps.receipt.values.amount >= 5000 }}"
  - log: "approved by {{ steps.manager.by }}"
```
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from bots import approvals
from bots.durations import parse_duration
from bots.errors import Parked, Rejected
from bots.registry import StepParams, step

ROLES = ("viewer", "clerk", "approver", "operator", "admin")


class Approvers(StepParams):
    """Who may decide: a role, named users, or both."""

    role: Literal[ROLES] | None = Field(None, description="everyone with this role (admins always may)")
    users: list[str] = Field(default_factory=list, description="these users by name")

    @model_validator(mode="after")
    def _someone(self):
        if not self.role and not self.users:
            raise ValueError("name a role or users who approve, e.g. {role: approver} or {users: [li.wei]}")
        return self


class RequestParams(StepParams):
    """Ask people to approve; the run waits (parked) until they decide.

    ```yaml
    - id: approval
      approval.request:
        title: "Pay supplier invoice {{ steps.invoice.values.invoice_number }}"
        details: "Amount **{{ steps.invoice.values.amount }}**, due {{ steps.invoice.values.due_date }}"
        fields: {amount: "{{ steps.invoice.values.amount }}", file: "{{ trigger.file }}"}
        approvers: {users: [li.wei, zhang.min]}
        required: 1
        timeout: 1d
        on_timeout: reject
    ```
    """

    title: str = Field(min_length=1, max_length=300, description="what is asked, one line")
    details: str = Field("", max_length=20000, description="more about it, in Markdown (shown as text in emails)")
    fields: dict[str, Any] = Field(default_factory=dict, description="label: value pairs shown to the approvers")
    approvers: Approvers = Field(description="{role: R} and/or {users: [names]}")
    required: int = Field(1, ge=1, le=20, description="how many different approvers must approve")
    timeout: str | float | None = Field(None, description="how long to wait for a decision (2d, 4h); none: no limit")
    on_timeout: Literal["reject", "approve", "escalate"] = Field(
        "reject", description="what the timeout decides; escalate asks escalate_to, once, with the same timeout")
    escalate_to: Literal[ROLES] | None = Field(None, description="the role asked when on_timeout is escalate")
    on_reject: Literal["stop", "continue"] = Field(
        "stop", description="stop: the run ends as rejected; continue: later steps read the decision")
    notify: list[str] = Field(default_factory=list,
                              description="email addresses told about the request besides approvers with an address")

    @field_validator("notify", mode="before")
    @classmethod
    def _listify(cls, value):
        return [value] if isinstance(value, str) else (value or [])

    @field_validator("timeout")
    @classmethod
    def _duration(cls, value):
        if value is not None:
            if parse_duration(value) < 60:
                raise ValueError("an approval timeout is at least 1m")
        return value

    @model_validator(mode="after")
    def _escalation(self):
        if self.on_timeout == "escalate" and not self.escalate_to:
            raise ValueError("on_timeout: escalate needs escalate_to (a role)")
        if self.on_timeout != "reject" and self.timeout is None:
            raise ValueError(f"on_timeout: {self.on_timeout} needs a timeout")
        return self


@step("approval.request", RequestParams, outputs={
    "decision": "approve or reject", "by": "who decided (comma-separated when several approved; 'timeout')",
    "reason": "why (required to reject)", "at": "when it was decided (UTC)", "id": "the request's id"})
def request(ctx, params: RequestParams) -> dict:
    store = ctx._runner.store
    now = datetime.now(timezone.utc)
    approval, opened = approvals.open_request(
        store, run_id=ctx.run_id, step_key=ctx.key, recipe=ctx.recipe.name, title=ctx.mask(params.title),
        details=ctx.mask(params.details), fields={ctx.mask(str(k)): ctx.mask(_shown(v)) for k, v in params.fields.items()},
        approvers=params.approvers.model_dump(), required=params.required, requester=ctx.requester,
        timeout_s=parse_duration(params.timeout) if params.timeout is not None else None,
        on_timeout=params.on_timeout, escalate_to=params.escalate_to, now=now)
    if opened:
        ctx.log(approvals.notify(approval, ctx.home, approvals.recipients(store, approval, params.notify),
                                 "An approval is requested.", ctx.settings))
    if approval["status"] == "pending":
        approval, event = approvals.settle_by_clock(store, approval, now)
        if event == "reminded":
            ctx.log(approvals.notify(approval, ctx.home, approvals.recipients(store, approval, params.notify),
                                     "Reminder: half of the time to decide has passed.", ctx.settings))
        elif event == "escalated":
            ctx.log(approvals.notify(approval, ctx.home, approvals.recipients(store, approval, params.notify, escalation=True),
                                     f"Escalated to role {approval['escalate_to']}: nobody decided in time.",
                                     ctx.settings))
        elif event == "timed out":
            ctx.log(f"approval {approval['id']}: {approval['reason']}; {approval['status']} by the timeout", "WARNING")
    if approval["status"] == "pending":
        raise Parked("approval", f"approval {approval['id']} ({approval['title']})", approvals.next_wake(approval),
                     approval_id=approval["id"])
    outputs = approvals.as_outputs(approval)
    if approval["status"] == "rejected":
        ctx.log(f"approval {approval['id']} rejected by {outputs['by']}: {outputs['reason']}", "WARNING")
        if params.on_reject == "stop":
            raise Rejected(outputs["by"], outputs["reason"] or "")
    else:
        ctx.log(f"approval {approval['id']} approved by {outputs['by']}")
    return outputs


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 500 else text[:500] + "…"
