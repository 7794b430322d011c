"""Alerts against a real SMTP server (aiosmtpd on 127.0.0.1): what a failed run emails, and
the outbox that keeps alerts while the server is down."""

from __future__ import annotations

import email
import email.policy
import socket
import textwrap
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from pydantic import Field

from bots import alerts
from bots.cli import run_hooks
from bots.recipe import load_recipe
from bots.registry import REGISTRY, StepParams, step
from bots.runner import Runner

SECRET = "Tr0ub4dor&3-s3cr3t"
# a real 1x1 PNG, so the attachment can be compared byte for byte
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005fe02fea7356a8e0000000049454e44ae426082")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 OK"


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.inbox.messages


@pytest.fixture
def smtp(monkeypatch):
    server = SmtpServer(free_port())
    server.start()
    monkeypatch.setenv("DESKBOT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DESKBOT_SMTP_PORT", str(server.port))
    monkeypatch.setenv("DESKBOT_SMTP_TLS", "none")
    monkeypatch.setenv("DESKBOT_SMTP_RETRIES", "2")
    monkeypatch.setenv("DESKBOT_SMTP_RETRY_DELAY", "50ms")
    monkeypatch.setenv("DESKBOT_SMTP_TIMEOUT", "3s")
    monkeypatch.setenv("DESKBOT_ALERT_FROM", "deskbot@example.com")
    yield server
    server.stop()


class ShotParams(StepParams):
    """Test only: write a PNG and record it as a screenshot artifact."""

    to: str = Field(description="where")


@pytest.fixture
def screenshot_step():
    @step("testing.screenshot", ShotParams, shorthand="to")
    def shot(ctx, params):
        Path(params.to).write_bytes(PNG)
        ctx.artifact(params.to, "screenshot")
        return {}

    yield
    REGISTRY.pop("testing.screenshot", None)


def run_with_alerts(write_recipe, text: str, home: Path):
    recipe = load_recipe(write_recipe(textwrap.dedent(text)))
    return Runner(recipe, home=home, after_run=run_hooks()).run()


FAILING = """
    name: bank-login
    secrets: [BANK_PASSWORD]
    alert: {email: [finance-ops@example.com]}
    steps:
      - log: "signing in with {{ secrets.BANK_PASSWORD }}"
      - name: sign in
        fail: {message: "portal refused password {{ secrets.BANK_PASSWORD }} <script>x</script>", kind: business}
    on_failure:
      - testing.screenshot: "{{ run.dir }}/failure.png"
"""


def parts(raw: bytes) -> list[email.message.Message]:
    return list(email.message_from_bytes(raw, policy=email.policy.default).walk())


def test_failing_run_sends_one_email_naming_the_step_with_the_screenshot_and_no_secret(
        smtp, write_recipe, deskbot_home, monkeypatch, screenshot_step):
    monkeypatch.setenv("BANK_PASSWORD", SECRET)
    monkeypatch.setenv("DESKBOT_ALERT_TO", "oncall@example.com")
    result = run_with_alerts(write_recipe, FAILING, deskbot_home)
    assert result.status == "failed"
    assert len(smtp.messages) == 1
    recipients, raw = smtp.messages[0]
    assert sorted(recipients) == ["finance-ops@example.com", "oncall@example.com"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    subject = message["Subject"]
    assert "bank-login" in subject and "steps[1] sign in" in subject and result.run_id in subject
    attachments = [p for p in message.iter_attachments() if p.get_filename() == "failure.png"]
    assert len(attachments) == 1 and attachments[0].get_content() == PNG
    text = message.get_body(("plain",)).get_content()
    assert "portal refused password ***" in text                      # the error
    assert 'message: "portal refused password ***' in text            # the step's masked parameters
    assert "signing in with ***" in text                               # the last log lines
    assert str(result.run_dir / "failure.png") in text                 # artifact paths
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    decoded = b"".join(p.get_payload(decode=True) or b"" for p in parts(raw) if not p.is_multipart())
    assert SECRET.encode() not in raw and SECRET.encode() not in decoded
    assert not list((deskbot_home / "outbox").glob("*.eml"))


def test_server_down_alert_waits_in_the_outbox_and_is_delivered_once_when_back(
        smtp, write_recipe, deskbot_home, monkeypatch):
    monkeypatch.setenv("BANK_PASSWORD", SECRET)
    smtp.stop()
    result = run_with_alerts(write_recipe, FAILING.replace("on_failure:\n      - testing.screenshot: \"{{ run.dir }}/failure.png\"\n", ""), deskbot_home)
    assert result.status == "failed"
    waiting = list((deskbot_home / "outbox").glob("*.eml"))
    assert len(waiting) == 1 and smtp.messages == []
    assert SECRET not in waiting[0].read_text(encoding="utf-8")
    smtp.start()
    assert alerts.flush_outbox(deskbot_home) == 1
    assert alerts.flush_outbox(deskbot_home) == 0
    assert len(smtp.messages) == 1 and result.run_id in email.message_from_bytes(smtp.messages[0][1])["Subject"]
    assert not list((deskbot_home / "outbox").glob("*.eml"))


def test_the_next_alert_delivers_the_waiting_ones_first(smtp, write_recipe, deskbot_home):
    smtp.stop()
    recipe = """
        name: nightly
        alert: {email: [ops@example.com]}
        steps:
          - fail: "night {{ run.id }} broke"
    """
    first = run_with_alerts(write_recipe, recipe, deskbot_home)
    smtp.start()
    second = run_with_alerts(write_recipe, recipe, deskbot_home)
    subjects = [email.message_from_bytes(raw)["Subject"] for _, raw in smtp.messages]
    assert len(subjects) == 2 and first.run_id in subjects[0] and second.run_id in subjects[1]


def test_without_smtp_configured_alerts_go_to_the_outbox(write_recipe, deskbot_home, capsys):
    result = run_with_alerts(write_recipe, """
        name: offline
        alert: {email: [ops@example.com]}
        steps:
          - fail: broken
    """, deskbot_home)
    [eml] = list((deskbot_home / "outbox").glob("*.eml"))
    message = email.message_from_bytes(eml.read_bytes())
    assert message["To"] == "ops@example.com" and result.run_id in message["Subject"]
    assert "waits in the outbox" in capsys.readouterr().err


def test_successful_runs_email_only_when_the_recipe_asks_for_a_digest(smtp, write_recipe, deskbot_home):
    run_with_alerts(write_recipe, """
        name: quiet
        alert: {email: [ops@example.com]}
        steps:
          - log: fine
    """, deskbot_home)
    assert smtp.messages == []
    ok = run_with_alerts(write_recipe, """
        name: digest
        alert: {email: [ops@example.com], on_success: true}
        steps:
          - log: fine
    """, deskbot_home)
    assert len(smtp.messages) == 1
    assert email.message_from_bytes(smtp.messages[0][1])["Subject"] == f"[deskbot] digest ok (run {ok.run_id})"


def test_email_send_step_delivers_text_html_cc_and_attachments(smtp, run_recipe, tmp_path, monkeypatch):
    monkeypatch.setenv("API_TOKEN", SECRET)
    report = tmp_path / "report.csv"
    report.write_text("id,amount\n1,10.00\n", encoding="utf-8")
    result = run_recipe(f"""
        name: send-report
        secrets: [API_TOKEN]
        vars: {{vendor: "<img src=x onerror=alert(1)>"}}
        steps:
          - id: mail
            email.send:
              to: [ops@example.com]
              cc: "lead@example.com, auditor@example.com"
              subject: "November: 3 open items"
              text: "See the attached report. token={{{{ secrets.API_TOKEN }}}}"
              html: "<p>See the <b>attached</b> report from {{{{ vars.vendor }}}}.</p>"
              attach: ["{report}"]
    """)
    assert result.status == "ok", result.error
    assert result.outputs["mail"]["status"] == "sent"
    [(recipients, raw)] = smtp.messages
    assert sorted(recipients) == ["auditor@example.com", "lead@example.com", "ops@example.com"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "November: 3 open items" and "lead@example.com" in message["Cc"]
    assert message.get_body(("plain",)).get_content().strip() == "See the attached report. token=***"
    html = message.get_body(("html",)).get_content()
    assert "<b>attached</b>" in html and "<img" not in html and "&lt;img src=x" in html
    [attachment] = [p for p in message.iter_attachments() if p.get_filename() == "report.csv"]
    assert attachment.get_payload(decode=True) == report.read_bytes()
    assert SECRET.encode() not in raw


def test_email_send_rejects_a_bad_address_and_a_missing_attachment_clearly(run_recipe, tmp_path):
    bad = run_recipe("""
        name: bad-address
        steps:
          - email.send: {to: "not-an-address", subject: hi, text: hello}
    """)
    assert bad.status == "failed" and "not an email address" in bad.error
    missing = run_recipe(f"""
        name: missing-attachment
        steps:
          - email.send: {{to: ops@example.com, subject: hi, text: hello, attach: ["{tmp_path}/nope.xlsx"]}}
    """)
    assert missing.status == "failed" and "nope.xlsx" in missing.error and "attachment not found" in missing.error


def test_email_send_without_server_queues_and_reports_it(run_recipe, deskbot_home):
    result = run_recipe("""
        name: queued-mail
        steps:
          - id: mail
            email.send: {to: ops@example.com, subject: hi, text: hello}
    """)
    assert result.outputs["mail"]["status"] == "queued"
    assert Path(result.outputs["mail"]["eml"]).parent == deskbot_home / "outbox"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    import shutil
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "key.pem"),
                    "-out", str(folder / "cert.pem")], check=True, capture_output=True)
    return folder / "cert.pem", folder / "key.pem"


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_tls_modes_deliver_to_a_server_with_a_private_ca(mode, certificate, write_recipe, deskbot_home, monkeypatch):
    import ssl

    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), free_port()
    options = {"tls_context": context, "require_starttls": True} if mode == "starttls" else {"ssl_context": context}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        monkeypatch.setenv("DESKBOT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("DESKBOT_SMTP_PORT", str(port))
        monkeypatch.setenv("DESKBOT_SMTP_TLS", mode)
        monkeypatch.setenv("DESKBOT_SMTP_CAFILE", str(cert))
        monkeypatch.setenv("DESKBOT_SMTP_RETRIES", "1")
        result = run_with_alerts(write_recipe, """
            name: tls-check
            alert: {email: [ops@example.com]}
            steps:
              - fail: broken
        """, deskbot_home)
    finally:
        controller.stop()
    assert len(inbox.messages) == 1 and result.run_id in email.message_from_bytes(inbox.messages[0][1])["Subject"]
    assert not list((deskbot_home / "outbox").glob("*.eml"))


def test_a_server_certificate_that_does_not_verify_keeps_the_alert_in_the_outbox(
        certificate, write_recipe, deskbot_home, monkeypatch):
    import ssl

    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=context)
    controller.start()
    try:
        monkeypatch.setenv("DESKBOT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("DESKBOT_SMTP_PORT", str(port))
        monkeypatch.setenv("DESKBOT_SMTP_TLS", "ssl")  # no DESKBOT_SMTP_CAFILE: the system CAs do not know it
        monkeypatch.setenv("DESKBOT_SMTP_RETRIES", "1")
        run_with_alerts(write_recipe, """
            name: untrusted
            alert: {email: [ops@example.com]}
            steps:
              - fail: broken
        """, deskbot_home)
    finally:
        controller.stop()
    assert inbox.messages == []
    assert len(list((deskbot_home / "outbox").glob("*.eml"))) == 1


def test_alerts_are_kept_even_when_the_smtp_settings_are_wrong_or_the_alert_cannot_be_built(
        write_recipe, deskbot_home, monkeypatch, capsys):
    monkeypatch.setenv("DESKBOT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DESKBOT_SMTP_TLS", "tls1.3-please")
    run_with_alerts(write_recipe, """
        name: misconfigured
        alert: {email: [ops@example.com]}
        steps:
          - fail: broken
    """, deskbot_home)
    assert "DESKBOT_SMTP_TLS='tls1.3-please': use none, starttls or ssl" in capsys.readouterr().err
    monkeypatch.setattr(alerts, "alert_message", lambda *a: 1 / 0)
    result = run_with_alerts(write_recipe, """
        name: unlucky
        alert: {email: [ops@example.com]}
        steps:
          - fail: broken again
    """, deskbot_home)
    texts = [p.read_text(encoding="utf-8") for p in sorted((deskbot_home / "outbox").glob("*.eml"))]
    assert len(texts) == 2 and "misconfigured" in texts[0]
    assert f"unlucky failed at steps[0] fail (run {result.run_id})" in texts[1] and "broken again" in texts[1]

