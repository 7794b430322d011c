"""Chat step: ``notify``, a message to DingTalk, WeCom, Slack, Teams or any webhook (Apprise).

Targets are Apprise URLs, normally built from secrets; the message goes through the chat
outbox (``bots.chat``), so a service that is down or a robot at its rate limit (DingTalk:
20 a minute) delays the message but never loses it. Text is cut to each service's limit.

```yaml
secrets: [DINGTALK_TOKEN, DINGTALK_SECRET, WECOM_KEY]
steps:
  - notify:
      to:
        - "dingtalk://{{ secrets.DINGTALK_SECRET }}@{{ secrets.DINGTALK_TOKEN }}/"   # signed robot
        - "wecombot://{{ secrets.WECOM_KEY }}"
      title: "CRM sync"
      body: "**{{ steps.upsert.inserted }}** new customers, {{ steps.upsert.updated }} changed"
```
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from bots.errors import BusinessError, InputError
from bots.registry import StepParams, step


class NotifyParams(StepParams):
    """Send a chat message (Markdown) to one or more Apprise targets.

    ```yaml
    - notify:
        to: ["{{ secrets.TEAMS_URL }}"]
        title: "Reconciliation {{ vars.period }}"
        body: "{{ steps.recon.summary.unmatched }} open items"
        attach: ["{{ steps.recon.report }}"]
    ```
    """

    to: list[str] = Field(min_length=1, description="Apprise URLs (secrets inside are never written to disk or logs)")
    title: str = Field("", description="title (services without titles put it on the first line)")
    body: str = Field(description="message text, Markdown")
    attach: list[str] = Field(default_factory=list, description="files to attach, where the service takes files")

    @field_validator("to", "attach", mode="before")
    @classmethod
    def _listify(cls, v):
        if v is None:
            return []
        return [v] if isinstance(v, str) else v


@step("notify", NotifyParams, outputs={
    "sent": "how many targets took the message now",
    "queued": "how many wait in the outbox (service down or rate limit reached)",
})
def notify(ctx, params: NotifyParams) -> dict:
    from bots import chat

    secrets = dict(ctx.scope.get("secrets") or {})
    targets = [chat.with_markers(url, secrets) for url in params.to]
    for target in targets:
        problem = chat.check_target(target)
        if problem:
            raise BusinessError(f"notify: {ctx.mask(problem)}")
    for item in params.attach:
        if not Path(item).is_file():
            raise InputError("attachment not found; check the path or the step that should have written it", file=item)
    search_dirs = [Path.cwd(), Path(ctx.recipe.file).resolve().parent] if ctx.recipe.file else [Path.cwd()]
    outcome = chat.send(ctx.home, targets, ctx.mask(params.title), ctx.mask(params.body), params.attach,
                        label=f"notify-{ctx.run_id}", search_dirs=search_dirs)
    if outcome["queued"]:
        ctx.log(f"notify: {outcome['queued']} message(s) wait in the chat outbox", "WARNING")
    return outcome
