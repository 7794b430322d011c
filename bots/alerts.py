"""Email alerts when a run fails, and an outbox so that no alert is ever lost.

``on_run_finished(result, recipe)`` runs after every run (``deskbot run`` and the scheduler's
workers pass it as an ``after_run`` hook). It emails when the run failed or was interrupted,
and after a successful run only when the recipe asks for a digest::

    alert:
      email: [finance-ops@example.com]     # plus everyone in DESKBOT_ALERT_TO (comma-separated)
      on_success: false                    # true: also a short digest when the run succeeds

The alert says what failed and shows it: the subject names the recipe, the failed step and the
run id; the body holds the error, the failed step's parameters (masked), the last log lines
and the artifact paths; a ``screenshot`` artifact of the run is attached. Every text in it
passes through the run's secret mask, so no secret value reaches an alert.

Delivery (``DESKBOT_SMTP_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``, ``_TLS`` = ``none`` |
``starttls`` | ``ssl``, ``DESKBOT_SMTP_CAFILE`` for a private CA, ``DESKBOT_SMTP_TIMEOUT``;
``DESKBOT_ALERT_FROM``): each
message is first written as an ``.eml`` file to ``DESKBOT_HOME/outbox/``, then sent with
``DESKBOT_SMTP_RETRIES`` tries (default 3, ``DESKBOT_SMTP_RETRY_DELAY`` apart); the file is
removed only once the server accepted it. While the server is down, or when no SMTP server is
configured (the embedded default), alerts wait in the outbox; every later alert and the
scheduler (once a minute) deliver the waiting ones first, oldest first. A message the server
refuses for good (unknown recipient) moves to ``outbox/undeliverable/`` with the reason.
"""

from __future__ import annotations

import email
import html
import os
import re
import smtplib
import socket
import ssl
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Iterable

from bots.durations import parse_duration
from bots.fileio import write_atomic
from bots.secrets import Redactor

MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024
MAX_SCREENSHOTS = 3


class AlertError(Exception):
    """A message cannot be built (bad address, missing attachment); the text says which."""


# ---- configuration --------------------------------------------------------------------------
@dataclass(frozen=True)
class SmtpConfig:
    host: str | None
    port: int
    user: str | None
    password: str | None
    tls: str
    sender: str
    cafile: str | None
    timeout: float
    retries: int
    retry_delay: float

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @classmethod
    def from_env(cls, env: dict | None = None) -> "SmtpConfig":
        env = os.environ if env is None else env
        tls = (env.get("DESKBOT_SMTP_TLS") or "starttls").strip().lower()
        if tls not in ("none", "starttls", "ssl"):
            raise AlertError(f"DESKBOT_SMTP_TLS={tls!r}: use none, starttls or ssl")
        port_text = (env.get("DESKBOT_SMTP_PORT") or "").strip()
        try:
            port = int(port_text) if port_text else {"none": 25, "starttls": 587, "ssl": 465}[tls]
            retries = max(1, int(env.get("DESKBOT_SMTP_RETRIES") or 3))
            delay = parse_duration(env.get("DESKBOT_SMTP_RETRY_DELAY") or "1s")
            timeout = parse_duration(env.get("DESKBOT_SMTP_TIMEOUT") or "10s")
        except ValueError as exc:
            raise AlertError(f"DESKBOT_SMTP_* setting is not valid: {exc}") from None
        user = (env.get("DESKBOT_SMTP_USER") or "").strip() or None
        sender = (env.get("DESKBOT_ALERT_FROM") or "").strip() or (user if user and "@" in user else "deskbot@localhost")
        return cls(host=(env.get("DESKBOT_SMTP_HOST") or "").strip() or None, port=port, user=user,
                   password=env.get("DESKBOT_SMTP_PASSWORD") or None, tls=tls, sender=sender,
                   cafile=(env.get("DESKBOT_SMTP_CAFILE") or "").strip() or None, timeout=timeout,
                   retries=retries, retry_delay=delay)


def split_addresses(values: Iterable[str] | str | None) -> list[str]:
    """Addresses from lists and comma/semicolon-separated text, without duplicates, in order."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        for part in re.split(r"[,;\s]+", str(value)):
            part = part.strip()
            if part and part.lower() not in (a.lower() for a in out):
                out.append(part)
    return out


def _one_line(text: str) -> str:
    # a newline in a header would let data add headers of its own
    return re.sub(r"[\r\n]+", " ", str(text)).strip()


# ---- composing (yagmail) --------------------------------------------------------------------
def compose(sender: str, to: list[str], subject: str, *, text: str | None = None, html_body: str | None = None,
            cc: list[str] | None = None, attachments: Iterable[str | Path] = (),
            headers: dict | None = None) -> str:
    """An RFC 5322 message as text: plain and HTML alternatives plus attachments."""
    import yagmail
    from yagmail.error import YagInvalidEmailAddress

    to, cc = split_addresses(to), split_addresses(cc)
    if not to:
        raise AlertError("no recipient: give at least one address in 'to'")
    files = []
    for item in attachments:
        path = Path(item)
        if not path.is_file():
            raise AlertError(f"attachment not found: {path}")
        files.append(str(path))
    if html_body is None:
        html_body = f'<pre style="font-family: monospace; white-space: pre-wrap">{html.escape(text or "")}</pre>'
    # yagmail treats a body string that names an existing file as an attachment: the wrapper
    # element makes sure a body is always a body
    body = f"<div>{html_body}</div>"
    try:
        client = yagmail.SMTP(user=sender, smtp_skip_login=True)
        _, message_text = client.prepare_send(to=to, cc=cc or None, subject=_one_line(subject), contents=[body],
                                              attachments=files or None, headers=headers, prettify_html=False)
    except YagInvalidEmailAddress as exc:
        raise AlertError(f"not an email address: {exc}") from None
    message = email.message_from_string(message_text)
    if not _one_line(subject).isascii():
        from email.header import Header

        del message["Subject"]
        message["Subject"] = Header(_one_line(subject), "utf-8").encode()
    attached = {Path(f).name for f in files}
    for part in message.walk():
        # yagmail names a text attachment (an .html report) on Content-Type only, and mail
        # clients then show it inline instead of offering the file
        name = part.get_param("name")
        name = email.utils.collapse_rfc2231_value(name) if name else None
        if name in attached and part.get("Content-Disposition") is None:
            del part["Content-Disposition"]
            part.add_header("Content-Disposition", "attachment", filename=name)
    plain = text if text is not None else re.sub(r"<[^>]+>", "", html_body)
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            del part["Content-Transfer-Encoding"]
            part.set_payload(plain, "utf-8")
            break
    return message.as_string()


# ---- the outbox -----------------------------------------------------------------------------
def outbox_dir(home: Path) -> Path:
    folder = Path(home) / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def queue(message: str, home: Path, label: str = "mail") -> Path:
    """Write the message to the outbox under a temporary name, then rename it into place."""
    folder = outbox_dir(home)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", label)[:60]
    final = folder / f"{stamp}-{safe}-{os.urandom(3).hex()}.eml"
    return write_atomic(final, message)


def waiting(home: Path) -> list[Path]:
    folder = Path(home) / "outbox"
    return sorted(folder.glob("*.eml")) if folder.is_dir() else []


def _envelope(message_text: str) -> tuple[str, list[str]]:
    message = email.message_from_string(message_text)
    sender = parseaddr(message.get("From", ""))[1]
    recipients = [addr for _, addr in getaddresses(message.get_all("To", []) + message.get_all("Cc", [])) if addr]
    return sender, recipients


class _Connection:
    """One SMTP session through yagmail, opened on first use."""

    def __init__(self, config: SmtpConfig):
        self.config = config
        self.client = None

    def open(self):
        import yagmail

        cfg = self.config
        context = ssl.create_default_context(cafile=cfg.cafile) if cfg.tls != "none" else None
        login = bool(cfg.user and cfg.password)
        kwargs = {"timeout": cfg.timeout}
        if cfg.tls == "ssl":
            kwargs["context"] = context
        client = yagmail.SMTP(user=cfg.user or cfg.sender, password=cfg.password, host=cfg.host, port=cfg.port,
                              smtp_ssl=cfg.tls == "ssl",
                              smtp_starttls={"context": context} if cfg.tls == "starttls" else False,
                              smtp_skip_login=not login, soft_email_validation=False, **kwargs)
        client.set_logging(None)
        client.login()
        self.client = client
        return client

    def send(self, message_text: str) -> None:
        sender, recipients = _envelope(message_text)
        if not recipients:
            raise smtplib.SMTPRecipientsRefused({})
        client = self.client or self.open()
        # SMTP lines end in CRLF; the .eml on disk uses the platform's newlines
        wire = re.sub(r"\r?\n", "\r\n", message_text).encode("utf-8")
        client.smtp.sendmail(sender or self.config.sender, recipients, wire)

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.close()
            except Exception:
                pass
            self.client = None


def _permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return True
    if isinstance(exc, (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)):
        return 500 <= exc.smtp_code < 600
    return False


def _set_aside(path: Path, reason: str) -> None:
    folder = path.parent / "undeliverable"
    folder.mkdir(exist_ok=True)
    os.replace(path, folder / path.name)
    (folder / (path.name + ".reason.txt")).write_text(reason + "\n", encoding="utf-8")


def flush_outbox(home: Path, config: SmtpConfig | None = None) -> int:
    """Send the waiting messages, oldest first; returns how many were delivered.

    Stops at the first message the server cannot take for now (it is down): the rest wait.
    A file lock keeps two processes from sending the same message.
    """
    from filelock import FileLock, Timeout

    config = config or SmtpConfig.from_env()
    if not config.configured:
        return 0
    folder = outbox_dir(home)
    lock = FileLock(str(folder / ".flush.lock"))
    try:
        lock.acquire(timeout=config.timeout * config.retries + 30)
    except Timeout:
        return 0  # another process is delivering; it or the next flush takes ours too
    sent = 0
    connection = _Connection(config)
    try:
        for path in waiting(home):
            try:
                message_text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                continue
            error: Exception | None = None
            for attempt in range(1, config.retries + 1):
                try:
                    connection.send(message_text)
                    error = None
                    break
                except Exception as exc:
                    error = exc
                    connection.close()
                    if _permanent(exc) or isinstance(exc, smtplib.SMTPAuthenticationError):
                        break
                    if attempt < config.retries:
                        time.sleep(config.retry_delay)
            if error is None:
                path.unlink(missing_ok=True)
                sent += 1
            elif _permanent(error):
                _set_aside(path, f"refused by {config.host}: {error}")
                print(f"deskbot alerts: {path.name} refused by the mail server, kept in"
                      f" {folder / 'undeliverable'}: {error}", file=sys.stderr)
            else:
                print(f"deskbot alerts: mail server {config.host}:{config.port} not reachable"
                      f" ({type(error).__name__}: {error}); {len(waiting(home))} message(s) wait in {folder}",
                      file=sys.stderr)
                break
    finally:
        connection.close()
        lock.release()
    return sent


def send_message(message: str, home: Path, label: str = "mail", config: SmtpConfig | None = None) -> tuple[str, Path]:
    """Queue then deliver: ('sent', path) or ('queued', path of the .eml that waits)."""
    try:
        config = config or SmtpConfig.from_env()
    except AlertError as exc:
        path = queue(message, home, label)
        print(f"deskbot alerts: {exc}; message kept in {path}", file=sys.stderr)
        return "queued", path
    path = queue(message, home, label)
    if config.configured:
        flush_outbox(home, config)
    if path.exists():
        return "queued", path
    refused = path.parent / "undeliverable" / path.name
    return ("refused", refused) if refused.exists() else ("sent", path)


# ---- run alerts -----------------------------------------------------------------------------
def _home_of(result) -> Path:
    run_dir = Path(result.run_dir)
    if run_dir.parent.name == "runs":
        return run_dir.parent.parent
    from bots import settings

    return settings.home()


def _secret_values(result, recipe) -> list[str]:
    values = list(getattr(result, "secret_values", None) or [])
    if not values and getattr(recipe, "secrets", None):
        from bots.secrets import resolve_secrets

        try:
            values = list(resolve_secrets(recipe.secrets, [Path.cwd(), Path(recipe.file).resolve().parent]).values())
        except Exception:
            values = []
    return values


def _failed_step_row(run: dict | None, failed_step: str | None) -> dict | None:
    if not run or not failed_step:
        return None
    path = failed_step.split(" ", 1)[0]
    rows = [s for s in run.get("steps", []) if s.get("path") == path and s.get("status") == "failed"]
    return rows[-1] if rows else None


def _format_params(params, indent: str = "  ") -> list[str]:
    import json

    if params is None:
        return [f"{indent}(none recorded)"]
    if isinstance(params, dict):
        if not params:
            return [f"{indent}(none)"]
        return [f"{indent}{key}: {json.dumps(value, ensure_ascii=False, default=str)}" for key, value in params.items()]
    return [f"{indent}{json.dumps(params, ensure_ascii=False, default=str)}"]


def alert_message(result, recipe, config: SmtpConfig, recipients: list[str]) -> str:
    """The alert for a finished run, masked, as an RFC 5322 message."""
    from bots.store import RunStore

    mask = Redactor(_secret_values(result, recipe)).text
    home = _home_of(result)
    run = None
    try:
        store = RunStore(home)
        try:
            run = store.get_run(result.run_id)
        finally:
            store.close()
    except Exception:
        run = None
    status = result.status
    if status == "ok":
        subject = f"[deskbot] {recipe.name} ok (run {result.run_id})"
    elif status == "failed":
        subject = f"[deskbot] {recipe.name} failed at {result.failed_step or 'an unknown step'} (run {result.run_id})"
    else:
        subject = f"[deskbot] {recipe.name} {status} (run {result.run_id})"
    trigger = (run or {}).get("trigger") or {}
    lines = [
        f"Recipe:      {recipe.name} ({recipe.file})",
        f"Run:         {result.run_id}   (details: deskbot show {result.run_id})",
        f"Status:      {status}",
    ]
    if status != "ok":
        lines += [f"Failed step: {result.failed_step or '-'}",
                  f"Error:       {result.error_type + ': ' if result.error_type else ''}{result.error or '-'}"]
    lines += [f"Started:     {result.started}   ended {result.ended or '-'}   ({result.duration_s:.1f} s)",
              f"Trigger:     {_describe_trigger(trigger)}",
              f"Host:        {(run or {}).get('host') or socket.gethostname()}"]
    if status != "ok":
        row = _failed_step_row(run, result.failed_step)
        lines += ["", "Parameters of the failed step (secrets masked):"]
        lines += _format_params(row.get("params") if row else None)
        lines += ["", "Last log lines:"]
        lines += [f"  {line}" for line in (result.log_tail or [])[-20:]] or ["  (none)"]
    artifacts = list(result.artifacts or [])
    lines += ["", "Artifacts:"]
    lines += [f"  {a['kind']}: {a['path']}" for a in artifacts] or ["  (none)"]
    lines += [f"Run folder:  {result.run_dir}"]
    attach, notes = [], []
    if status != "ok":
        shots = [a["path"] for a in artifacts if a.get("kind") == "screenshot" and Path(a["path"]).is_file()]
        for shot in shots[-MAX_SCREENSHOTS:]:
            if Path(shot).stat().st_size > MAX_ATTACHMENT_BYTES:
                notes.append(f"screenshot {shot} is too large to attach; find it in the run folder")
            else:
                attach.append(shot)
    if attach:
        lines += ["", "Attached: " + ", ".join(Path(a).name for a in attach)]
    lines += notes
    text = mask("\n".join(lines))
    headers = {"X-Deskbot-Run": result.run_id, "X-Deskbot-Recipe": _one_line(mask(recipe.name)),
               "Auto-Submitted": "auto-generated"}
    colour = "#1a7f37" if status == "ok" else "#b42318"
    html_body = (f'<h2 style="color:{colour}">{html.escape(mask(subject))}</h2>'
                 f'<pre style="font-family: monospace; white-space: pre-wrap">{html.escape(text)}</pre>')
    message = compose(config.sender, recipients, mask(subject), text=text, html_body=html_body,
                      attachments=attach, headers=headers)
    return message


def _short_alert(result, recipe, config: SmtpConfig | None, recipients: list[str]) -> str:
    """The alert with only what the result itself holds, built with the standard library."""
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    mask = Redactor(_secret_values(result, recipe)).text
    message = EmailMessage()
    message["Subject"] = _one_line(mask(f"[deskbot] {recipe.name} {result.status} at {result.failed_step or '-'}"
                                        f" (run {result.run_id})"))
    message["From"] = config.sender if config else "deskbot@localhost"
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid("deskbot")
    message["X-Deskbot-Run"] = result.run_id
    message.set_content(mask(f"Recipe: {recipe.name}\nRun: {result.run_id} (deskbot show {result.run_id})\n"
                             f"Status: {result.status}\nFailed step: {result.failed_step or '-'}\n"
                             f"Error: {result.error or '-'}\nRun folder: {result.run_dir}\n"))
    return message.as_string()


def _describe_trigger(trigger: dict) -> str:
    if not trigger:
        return "manual"
    kind = trigger.get("type", "manual")
    if kind == "schedule":
        late = " (late: catch-up run)" if trigger.get("late") else ""
        return f"schedule {trigger.get('schedule')} at {trigger.get('fire_time')}{late}"
    if kind == "file":
        return f"file {trigger.get('file')}"
    return str(kind)


def _valid_address(address: str) -> bool:
    from yagmail.error import YagInvalidEmailAddress
    from yagmail.validate import validate_email_with_regex

    try:
        validate_email_with_regex(address)
    except YagInvalidEmailAddress:
        return False
    return True


def recipients_for(recipe) -> list[str]:
    alert = getattr(recipe, "alert", None)
    return split_addresses(list(getattr(alert, "email", []) or []) + split_addresses(os.environ.get("DESKBOT_ALERT_TO")))


def on_run_finished(result, recipe) -> None:
    """After-run hook: alert on failure (and on success when ``alert.on_success``)."""
    alert = getattr(recipe, "alert", None)
    if result.status == "ok" and not getattr(alert, "on_success", False):
        return
    if result.status not in ("ok", "failed", "interrupted"):
        return
    if getattr(alert, "notify", None):
        try:
            chat_alert(result, recipe)
        except Exception as exc:  # the email alert below must go whatever happened here
            print(f"deskbot alerts: chat alert not sent ({type(exc).__name__}: {exc})", file=sys.stderr)
    email_alert(result, recipe)


def chat_alert(result, recipe) -> dict:
    """The short version of the alert to the recipe's ``alert.notify`` chat targets."""
    from bots import chat, expressions
    from bots.secrets import resolve_secrets

    search_dirs = [Path.cwd()] + ([Path(recipe.file).resolve().parent] if getattr(recipe, "file", None) else [])
    secrets = resolve_secrets(recipe.secrets, search_dirs) if getattr(recipe, "secrets", None) else {}
    redactor = Redactor(_secret_values(result, recipe) + list(secrets.values()))
    targets = [chat.with_markers(str(expressions.render(url, {"secrets": secrets})), secrets)
               for url in recipe.alert.notify]
    verb = {"ok": "succeeded", "failed": "failed", "interrupted": "was interrupted"}.get(result.status, result.status)
    title = f"deskbot: {recipe.name} {verb}"
    lines = [f"**{recipe.name}** run `{result.run_id}` {verb}."]
    if getattr(result, "failed_step", None):
        lines.append(f"Step: {result.failed_step}")
    if getattr(result, "error", None):
        lines.append(f"Error: {result.error}")
    body = redactor.text("\n\n".join(lines))
    return chat.send(_home_of(result), targets, redactor.text(title), body, label=f"alert-{result.run_id}",
                     search_dirs=search_dirs)


def email_alert(result, recipe) -> None:
    recipients = []
    for address in recipients_for(recipe):
        if _valid_address(address):
            recipients.append(address)
        else:
            print(f"deskbot alerts: {address!r} is not an email address; fix alert.email or DESKBOT_ALERT_TO",
                  file=sys.stderr)
    if not recipients:
        if result.status != "ok":
            print(f"deskbot alerts: run {result.run_id} {result.status}; no alert sent: the recipe has no"
                  f" 'alert: email:' and DESKBOT_ALERT_TO is not set", file=sys.stderr)
        return
    home = _home_of(result)
    try:
        config = SmtpConfig.from_env()
    except AlertError as exc:
        print(f"deskbot alerts: {exc}; the alert is kept in the outbox", file=sys.stderr)
        config = None
    try:
        message = alert_message(result, recipe, config or SmtpConfig.from_env({}), recipients)
    except Exception as exc:  # never lose the alert over a detail: send a short one instead
        print(f"deskbot alerts: full alert could not be built ({type(exc).__name__}: {exc}); sending a short one",
              file=sys.stderr)
        message = _short_alert(result, recipe, config, recipients)
    status, path = send_message(message, home, label=f"alert-{result.run_id}", config=config)
    if status == "sent":
        print(f"deskbot alerts: alert for run {result.run_id} sent to {', '.join(recipients)}", file=sys.stderr)
    elif status == "refused":
        print(f"deskbot alerts: alert for run {result.run_id} was refused by the mail server; kept in {path}",
              file=sys.stderr)
    else:
        why = "no SMTP server configured (DESKBOT_SMTP_HOST)" if not (config and config.configured) else "not delivered yet"
        print(f"deskbot alerts: alert for run {result.run_id} waits in the outbox ({why}): {path}", file=sys.stderr)


def notify(subject: str, text: str, home: Path, recipients: list[str] | None = None,
           deliver: bool = True) -> tuple[str, Path] | None:
    """A notice not tied to a finished run (a recipe the scheduler cannot run), to
    ``recipients`` or else ``DESKBOT_ALERT_TO``. ``deliver=False`` only queues it."""
    wanted = split_addresses(recipients) or split_addresses(os.environ.get("DESKBOT_ALERT_TO"))
    valid = [r for r in wanted if _valid_address(r)]
    if not valid:
        return None
    try:
        config = SmtpConfig.from_env()
    except AlertError:
        config = SmtpConfig.from_env({})
    message = compose(config.sender, valid, f"[deskbot] {_one_line(subject)}", text=text,
                      headers={"Auto-Submitted": "auto-generated"})
    if deliver:
        return send_message(message, home, label="notice", config=config)
    return "queued", queue(message, home, label="notice")

