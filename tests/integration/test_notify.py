"""notify and chat alerts: real HTTP webhooks on 127.0.0.1 through Apprise, with the outbox behind them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from flask import Flask, jsonify, request

from bots import chat
from bots.cli import cli
from demo.server import serve_app

HOOK_SECRET = "hook-Path-Secret-42"


class Hook:
    def __init__(self):
        self.received: list[dict] = []
        self.down = False
        self.lock = threading.Lock()
        app = Flask("hook")

        @app.post("/<path:anything>")
        def receive(anything):
            if self.down:
                return jsonify(error="down"), 503
            with self.lock:
                self.received.append({"path": anything, "args": request.args.to_dict(),
                                      "json": request.get_json(silent=True)})
            return jsonify(errcode=0, errmsg="ok")

        self.served = serve_app(app, name="hook")

    @property
    def port(self):
        return self.served.server.server_port


@pytest.fixture
def hook():
    h = Hook()
    yield h
    h.served.stop()


def test_notify_reaches_the_webhook_and_the_secret_in_its_url_is_nowhere(hook, write_recipe, deskbot_home, monkeypatch):
    monkeypatch.setenv("HOOK_PATH", HOOK_SECRET)
    path = write_recipe(f"""
        name: tell
        secrets: [HOOK_PATH]
        steps:
          - notify:
              to: ["json://127.0.0.1:{hook.port}/{{{{ secrets.HOOK_PATH }}}}"]
              title: "CRM sync"
              body: "**3** new customers"
    """)
    result = CliRunner().invoke(cli, ["run", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert len(hook.received) == 1
    message = hook.received[0]
    assert message["path"] == HOOK_SECRET
    assert message["json"]["title"] == "CRM sync" and "**3** new customers" in message["json"]["message"]
    everything = result.output + "\n".join(__import__("sqlite3").connect(deskbot_home / "runs.db").iterdump())
    for file in deskbot_home.rglob("*"):
        if file.is_file():
            everything += file.read_bytes().decode("utf-8", "replace")
    assert HOOK_SECRET not in everything


def test_a_service_that_is_down_delays_the_message_but_never_loses_it(hook, write_recipe, deskbot_home, monkeypatch):
    hook.down = True
    path = write_recipe(f"""
        name: later
        steps:
          - id: n
            notify: {{to: ["json://127.0.0.1:{hook.port}/x"], body: "month closed"}}
    """)
    result = CliRunner().invoke(cli, ["run", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert hook.received == [] and len(chat.waiting(deskbot_home)) == 1
    hook.down = False
    assert chat.flush(deskbot_home) == 1
    assert [m["json"]["message"] for m in hook.received] == ["month closed"]
    assert chat.waiting(deskbot_home) == []


def test_rate_limit_holds_messages_back_in_order(hook, deskbot_home, monkeypatch):
    monkeypatch.setitem(chat.RATE_LIMITS, "json", (2, 60.0))
    target = f"json://127.0.0.1:{hook.port}/robot"
    for number in range(1, 5):
        chat.send(deskbot_home, [target], "", f"message {number}")
    assert [m["json"]["message"] for m in hook.received] == ["message 1", "message 2"]
    assert len(chat.waiting(deskbot_home)) == 2
    monkeypatch.setitem(chat.RATE_LIMITS, "json", (4, 60.0))  # the window has room again
    chat.flush(deskbot_home)
    assert [m["json"]["message"] for m in hook.received] == [f"message {n}" for n in range(1, 5)]


def test_long_text_is_cut_to_the_service_byte_limit():
    text = "对账完成。" * 1000
    cut = chat.cut_to_bytes(text, 2048)
    assert len(cut.encode("utf-8")) <= 2048 and cut.endswith("(message cut to the service's size limit)")
    assert chat.cut_to_bytes("short", 2048) == "short"


def test_dingtalk_signed_webhook_carries_a_valid_signature(hook, deskbot_home, monkeypatch):
    from apprise.plugins.dingtalk import NotifyDingTalk

    monkeypatch.setattr(NotifyDingTalk, "notify_url", f"http://127.0.0.1:{hook.port}/robot/send?access_token={{token}}")
    secret = "SEC" + "a" * 61
    outcome = chat.send(deskbot_home, [f"dingtalk://{secret}@robottoken123/"], "Alert", "run failed")
    assert outcome == {"sent": 1, "queued": 0}
    call = hook.received[0]
    assert call["args"]["access_token"] == "robottoken123"
    timestamp, sign = call["args"]["timestamp"], call["args"]["sign"]
    expected = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()).decode()
    # Apprise sends the signature URL-encoded inside the query, as DingTalk's documentation asks
    assert unquote(sign) == expected


def test_failure_alert_goes_to_chat_as_well(hook, write_recipe, deskbot_home, monkeypatch):
    monkeypatch.setenv("HOOK_PATH", HOOK_SECRET)
    path = write_recipe(f"""
        name: breaks
        secrets: [HOOK_PATH]
        alert:
          notify: ["json://127.0.0.1:{hook.port}/{{{{ secrets.HOOK_PATH }}}}"]
        steps:
          - fail: "ledger export missing"
    """)
    result = CliRunner().invoke(cli, ["run", str(path)])
    assert result.exit_code == 1
    assert len(hook.received) == 1
    assert "breaks" in hook.received[0]["json"]["title"] and "ledger export missing" in hook.received[0]["json"]["message"]


def test_validate_refuses_an_unknown_chat_service(write_recipe, deskbot_home):
    path = write_recipe("""
        name: typo
        steps:
          - notify: {to: ["dingtalkk://abc/"], body: hi}
    """)
    result = CliRunner().invoke(cli, ["run", str(path), "--json"])
    assert result.exit_code == 1 and "not an Apprise URL" in result.output
