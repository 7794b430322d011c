"""The shipped recipes/expense_claim.yaml end to end: receipt read and checked, finance rules,
manager approval that parks the run, the cashier paying in the demo ERP (real Chromium),
archive; a rejected claim goes back to the claimant with the reason."""

from __future__ import annotations

import email
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest

from bots import approvals
from bots.recipe import load_recipe
from bots.runner import Runner, resume_run
from bots.store import RunStore
from tests.browser.conftest import chromium, demo, secrets_env  # noqa: F401  (fixtures)
from tests.conftest import ROOT
from tests.vision.corpus import make_invoice, write_pdf

pytestmark = pytest.mark.browser


@pytest.fixture
def claim(demo, tmp_path, deskbot_home):  # noqa: F811
    from bots.users import add_user

    demo.erp_app.test_client().get("/_demo/reset")
    add_user("li.wei", "clerk", "claimant-Test-pass-1", actor="test")
    add_user("zhang.min", "approver", "manager-Test-pass-2", actor="test")
    invoice = make_invoice(65, "classic")
    receipt = write_pdf(invoice, tmp_path / "receipt.pdf")
    amount = Decimal(str(invoice.truth["amount"])).quantize(Decimal("0.01"))

    def start(claimed: Decimal = amount, threshold: Decimal = amount):
        recipe = load_recipe(ROOT / "recipes" / "expense_claim.yaml")
        variables = {"receipt": str(receipt), "amount": str(claimed), "purpose": "client visit",
                     "claimant_email": "li.wei@example.com", "threshold": str(threshold), "erp": demo.erp_url,
                     "archive": str(tmp_path / "archive")}
        return Runner(recipe, home=deskbot_home, variables=variables, trigger={"type": "manual", "user": "li.wei"}).run()

    return {"start": start, "amount": amount, "currency": invoice.truth["currency"], "archive": tmp_path / "archive"}


def payments(demo) -> list[dict]:  # noqa: F811
    return demo.erp_app.test_client().get("/_demo/payments").json


def body(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def mails_to_claimant(home: Path) -> list[email.message.EmailMessage]:
    found = []
    for path in sorted((home / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if "li.wei@example.com" in str(message["To"]):
            found.append(message)
    return found


def test_a_claim_at_the_threshold_waits_for_the_manager_then_is_paid_once_and_archived(
        claim, demo, chromium, secrets_env, deskbot_home):  # noqa: F811
    first = claim["start"]()
    assert first.status == "waiting" and "Expense claim by li.wei" in first.waiting
    store = RunStore(deskbot_home)
    [request] = approvals.list_approvals(store)
    assert request["fields"]["amount"] == f"{claim['amount']} {claim['currency']}" and request["requester"] == "li.wei"
    with pytest.raises(approvals.ApprovalRefused, match="self-approval"):
        approvals.decide(store, request["id"], "approve", "li.wei")
    approvals.decide(store, request["id"], "approve", "zhang.min")
    done = resume_run(first.run_id, home=deskbot_home)
    assert done.status == "ok", done.error
    [paid] = payments(demo)
    assert (paid["payee"], Decimal(paid["amount"]), paid["reference"]) == ("li.wei", claim["amount"], f"EC-{first.run_id}")
    assert len(list(claim["archive"].rglob(f"{first.run_id}-receipt.pdf"))) == 1
    assert [m["Subject"] for m in mails_to_claimant(deskbot_home)] == [
        f"Your expense claim of {claim['amount']} {claim['currency']} is paid"]


def test_a_claim_below_the_threshold_is_paid_without_an_approval(claim, demo, chromium, secrets_env,  # noqa: F811
                                                                 deskbot_home):
    done = claim["start"](threshold=claim["amount"] + 1)
    assert done.status == "ok", done.error
    assert approvals.list_approvals(RunStore(deskbot_home), status=None) == [] and len(payments(demo)) == 1


def test_a_claimed_amount_unlike_the_receipt_goes_back_to_the_claimant(claim, demo, secrets_env, deskbot_home):  # noqa: F811
    wrong = claim["amount"] + Decimal("100.00")
    done = claim["start"](claimed=wrong)
    assert done.status == "rejected" and done.error.startswith("rejected by finance checks:"), done.error
    assert f"the claimed amount {wrong} is not the receipt's {claim['amount']}" in done.error
    [told] = mails_to_claimant(deskbot_home)
    assert told["Subject"] == "Your expense claim was rejected" and str(wrong) in body(told)
    assert payments(demo) == [] and approvals.list_approvals(RunStore(deskbot_home), status=None) == []


def test_a_claim_the_manager_rejects_is_never_paid_and_the_claimant_reads_why(claim, demo, secrets_env,  # noqa: F811
                                                                              deskbot_home):
    first = claim["start"]()
    store = RunStore(deskbot_home)
    [request] = approvals.list_approvals(store)
    approvals.decide(store, request["id"], "reject", "zhang.min", "no receipt for the taxi")
    done = resume_run(first.run_id, home=deskbot_home)
    assert done.status == "rejected" and done.error == "rejected by zhang.min: no receipt for the taxi"
    [told] = mails_to_claimant(deskbot_home)
    assert "no receipt for the taxi" in body(told) and payments(demo) == []
    run = store.get_run(first.run_id)
    assert [s["status"] for s in run["steps"] if s["path"].startswith("steps[4]")] == ["skipped"]  # no payment tried
