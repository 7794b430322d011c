"""`deskbot demo` non-interactively: every user's job in the month-end story works."""

from __future__ import annotations

import email
import json
from email import policy

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    import os

    from bots.browser import CHROMIUM

    why = CHROMIUM.check()
    if why:
        pytest.skip(f"needs {why}")
    home = tmp_path_factory.mktemp("demo-home")
    saved = os.environ.get("DESKBOT_HOME")
    os.environ["DESKBOT_HOME"] = str(home)
    try:
        from demo.story import run_story

        yield run_story(quiet=True)
    finally:
        if saved is None:
            os.environ.pop("DESKBOT_HOME", None)
        else:
            os.environ["DESKBOT_HOME"] = saved


def test_demo_tells_every_users_story(story):
    assert story.ok, [(c.job, c.result) for c in story.chapters if not c.ok]
    assert [c.job for c in story.chapters] == ["month-end reconciliation", "expense claims with approval",
                                                "invoice intake", "discrepancy report + history", "failure alert"]


def test_finance_gets_a_reconciliation_with_the_months_discrepancies(story):
    from pathlib import Path

    report = Path(story.details["report"])
    summary = json.loads((report.parent / "summary.json").read_text())
    assert summary["bank_lines"] > 20 and summary["matches"] == summary["bank_lines"] - summary["unmatched_bank"]
    assert summary["unmatched"] >= 1 and report.exists() and Path(story.details["html"]).exists()


def test_clerk_sees_each_invoice_filed_in_exactly_one_place(story):
    inbox = story.home / "inbox" / "invoices"
    left = [p.name for p in inbox.iterdir() if p.is_file()]
    assert left == []
    archived = sorted(p.name for p in (inbox / "archive").rglob("*") if p.is_file())
    review = sorted(p.name for p in (inbox / "review").iterdir() if not p.name.endswith(".json"))
    quarantine = sorted(p.name for p in (inbox / "quarantine").iterdir() if not p.name.endswith(".txt"))
    assert "acme-wrong-total.pdf" in review          # the total does not add up: never booked
    assert quarantine == ["scanner-error.pdf"]
    assert {"northwind-2026-1043.pdf", "fabrikam-rechnung.pdf"} <= set(archived)
    assert len(archived) + len(review) + len(quarantine) == 6
    from openpyxl import load_workbook

    rows = list(load_workbook(story.details["ledger"])["AP"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(archived)


def test_operator_gets_an_alert_with_the_screenshot_and_no_secret(story):
    from demo.story import DEMO_SECRETS

    raw = story.details["alert"].read_bytes()
    message = email.message_from_bytes(raw, policy=policy.default)
    assert "broken_export failed at steps[4]" in message["Subject"]
    attachments = [part.get_filename() for part in message.iter_attachments()]
    assert any(name and name.endswith(".png") for name in attachments)
    decoded = "".join(part.get_content() if part.get_content_maintype() == "text" else ""
                      for part in message.walk() if not part.is_multipart())
    for secret in DEMO_SECRETS.values():
        assert secret not in decoded and secret.encode() not in raw


def test_demo_leaves_console_users_who_can_sign_in(story):
    from bots import users
    from bots.store import RunStore

    made = story.details["console_users"]
    assert {role for role, _ in made.values()} == set(users.ROLES)
    name, (role, password) = next(iter(made.items()))
    signed_in = users.authenticate(name, password, store=RunStore(story.home))
    assert signed_in.role == role and f"DESKBOT_HOME={story.home}" in story.details["console_command"]
