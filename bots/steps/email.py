"""Email step: ``email.send``, for reports and notices a recipe sends on purpose.

Messages go out through the same SMTP settings and outbox as alerts (``bots.alerts``): the
message is written to ``DESKBOT_HOME/outbox/`` first and removed once the server took it, so a
mail server that is down (or not configured) delays the message but never loses it. Secret
values are masked in the subject and body. In ``html``, every ``{{ … }}`` value is
HTML-escaped (a vendor name read from an invoice cannot inject markup); write
``{{ value | safe }}`` for markup you trust.

```yaml
steps:
  - email.send:
      when: "{{ steps.recon.summary.unmatched > 0 }}"
      to: [operators@example.com]
      cc: finance-lead@example.com
      subject: "{{ vars.period }}: {{ steps.recon.summary.unmatched }} open items"
      text: "The discrepancy report is attached."
      attach: ["{{ steps.recon.report }}"]
```
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator

from bots.errors import BusinessError, InputError
from bots.registry import StepParams, step


class SendParams(StepParams):
    """Send an email with a text or HTML body and attachments.

    ```yaml
    - email.send:
        to: [operators@example.com, finance@example.com]
        subject: "Reconciliation {{ vars.period }}"
        html: "<p>{{ steps.recon.summary.unmatched }} open items</p>"
        attach: ["{{ steps.recon.report }}"]
    ```
    """

    to: list[str] | str = Field(description="recipient address(es): a list, or text separated by commas")
    cc: list[str] | str = Field(default_factory=list, description="copy recipients")
    subject: str = Field(description="subject line")
    text: str | None = Field(None, description="plain-text body")
    html: str | None = Field(None, description="HTML body (give text too for mail readers without HTML)")
    attach: list[str] | str = Field(default_factory=list, description="files to attach")

    @field_validator("to", "cc", "attach", mode="before")
    @classmethod
    def _listify(cls, v):
        if v is None:
            return []
        return [v] if isinstance(v, str) else v

    @model_validator(mode="after")
    def _body(self):
        if self.text is None and self.html is None:
            raise ValueError("give a body: text, html or both")
        return self


def _render_html(template: str, scope: dict) -> str:
    from jinja2 import TemplateError

    from bots.expressions import ENV

    try:
        return ENV.overlay(autoescape=True).from_string(template).render(**scope)
    except TemplateError as exc:
        raise BusinessError(f"email.send.html: expression: {exc}") from None


@step("email.send", SendParams, raw=("html",), outputs={
    "status": "sent (the server took it) or queued (waits in the outbox until the server is reachable)",
    "recipients": "the addresses the message went to",
    "eml": "the message file in the outbox while it waits",
})
def send(ctx, params: SendParams) -> dict:
    from bots.alerts import AlertError, SmtpConfig, compose, send_message, split_addresses

    to, cc = split_addresses(params.to), split_addresses(params.cc)
    attachments = []
    for item in params.attach:
        path = Path(item)
        if not path.is_file():
            raise InputError("attachment not found; check the path or the step that should have written it",
                             file=str(path))
        attachments.append(path)
    try:
        config = SmtpConfig.from_env()
        message = compose(config.sender, to, ctx.mask(params.subject),
                          text=ctx.mask(params.text) if params.text is not None else None,
                          html_body=ctx.mask(_render_html(params.html, ctx.scope)) if params.html is not None else None,
                          cc=cc, attachments=attachments, headers={"X-Deskbot-Run": ctx.run_id})
    except AlertError as exc:
        raise BusinessError(f"email.send: {exc}") from None
    status, path = send_message(message, ctx.home, label=f"mail-{ctx.run_id}", config=config)
    if status == "sent":
        ctx.log(f"email sent to {', '.join(to + cc)}")
    elif status == "refused":
        raise BusinessError(f"email.send: the mail server refused the message (kept in {path}); check the addresses")
    else:
        why = "no SMTP server configured" if not config.configured else "mail server not reachable"
        ctx.log(f"email to {', '.join(to + cc)} waits in the outbox ({why}): {path}", "WARNING")
    return {"status": status, "recipients": to + cc, "eml": str(path) if status == "queued" else None}
