"""The approvals inbox: a parked run's request, decided on the page or by the API, and the run goes on."""

from __future__ import annotations

import time

from click.testing import CliRunner

from bots import approvals, audit, users
from bots.cli import cli
from tests.console.conftest import csrf_of

PARKS = """\
name: pay-claim
vars: {{receipt: ""}}
steps:
  - id: manager
    approval.request:
      title: "{title}"
      details: "Amount **6200.00**"
      fields: {{amount: "6200.00", vendor: "{vendor}", receipt: "{{{{ vars.receipt }}}}", elsewhere: "{elsewhere}"}}
      approvers: {{role: approver}}
  - id: paid
    files.copy: {{src: "{{{{ vars.receipt }}}}", dest: "{{{{ run.dir }}}}/paid.png"}}
"""


def park(tmp_path, store, *, by: str, title: str = "Pay claim 7", vendor: str = "ACME") -> dict:
    from PIL import Image

    receipt = tmp_path / "receipt.png"
    Image.new("RGB", (40, 20), (200, 30, 30)).save(receipt)
    secret = tmp_path / "not-for-you.txt"
    secret.write_text("private")
    recipe = tmp_path / "pay-claim.yaml"
    recipe.write_text(PARKS.format(title=title, vendor=vendor, elsewhere=secret))
    done = CliRunner().invoke(cli, ["run", str(recipe), "--as", by, "--var", f"receipt={receipt}"])
    assert done.exit_code == 3, done.output
    return approvals.list_approvals(store)[0]


def wait_for_status(store, run_id: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = store.get_run(run_id)["status"]
        if status not in ("waiting", "running"):
            return status
        time.sleep(0.2)
    return store.get_run(run_id)["status"]


def test_an_approver_reads_the_request_with_its_file_and_approving_resumes_the_run(client_as, store, tmp_path):
    request = park(tmp_path, store, by="operator")
    approver = client_as("approver")
    inbox = approver.get("/approvals").get_data(as_text=True)
    assert "Pay claim 7" in inbox and request["id"] in inbox
    page = approver.get(f"/approvals/{request['id']}").get_data(as_text=True)
    assert "6200.00" in page and "ACME" in page and "Amount **6200.00**" in page
    # the receipt the run was given is served; a path only named in a field is not
    assert approver.get(f"/approvals/{request['id']}/files/receipt").data == (tmp_path / "receipt.png").read_bytes()
    assert approver.get(f"/approvals/{request['id']}/files/elsewhere").status_code == 404
    assert 'name="decision" value="approve"' in page

    token = csrf_of(approver.get(f"/approvals/{request['id']}"))
    refused = approver.post(f"/approvals/{request['id']}/decide", data={"csrf_token": token, "decision": "reject"},
                            follow_redirects=True).get_data(as_text=True)
    assert "a reason is required" in refused and approvals.get(store, request["id"])["status"] == "pending"

    done = approver.post(f"/approvals/{request['id']}/decide", data={"csrf_token": token, "decision": "approve"},
                         follow_redirects=True).get_data(as_text=True)
    assert "Approved" in done
    assert wait_for_status(store, request["run_id"]) == "ok"
    run = store.get_run(request["run_id"])
    assert (tmp_path / "home" / "runs").exists() and any(s["step_id"] == "paid" and s["status"] == "ok"
                                                         for s in run["steps"])
    entry = [e for e in audit.entries(subject=f"approval:{request['id']}", store=store)][0]
    assert entry.actor == "approver" and entry.action == "approval.approve"
    # decided once: a second click is refused
    again = approver.post(f"/approvals/{request['id']}/decide", data={"csrf_token": token, "decision": "approve"},
                          follow_redirects=True).get_data(as_text=True)
    assert "already decided" in again


def test_whoever_started_the_run_cannot_approve_it_on_the_console(client_as, store, tmp_path):
    request = park(tmp_path, store, by="approver")
    approver = client_as("approver")
    page = approver.get(f"/approvals/{request['id']}").get_data(as_text=True)
    assert 'value="approve"' not in page and "no self-approval" in page
    token = csrf_of(approver.get("/approvals"))
    response = approver.post(f"/approvals/{request['id']}/decide", data={"csrf_token": token, "decision": "approve"},
                             follow_redirects=True)
    assert "cannot decide its approval" in response.get_data(as_text=True)
    assert approvals.get(store, request["id"])["status"] == "pending"


def test_the_api_lists_and_decides_with_a_reason_to_reject(app, store, tmp_path):
    request = park(tmp_path, store, by="operator")
    client = app.test_client()
    viewer = {"Authorization": f"Bearer {users.new_token('viewer', actor='t', store=store)}"}
    approver = {"Authorization": f"Bearer {users.new_token('approver', actor='t', store=store)}"}
    listed = client.get("/api/approvals", headers=viewer).get_json()["approvals"]
    assert [a["id"] for a in listed] == [request["id"]] and listed[0]["fields"]["amount"] == "6200.00"
    assert client.post(f"/api/approvals/{request['id']}/decide", headers=viewer,
                       json={"decision": "approve"}).status_code == 403
    no_reason = client.post(f"/api/approvals/{request['id']}/decide", headers=approver, json={"decision": "reject"})
    assert no_reason.status_code == 409 and "reason" in no_reason.get_json()["error"]
    assert client.post(f"/api/approvals/{request['id']}/decide", headers=approver,
                       json={"decision": "maybe"}).status_code == 400
    done = client.post(f"/api/approvals/{request['id']}/decide", headers=approver,
                       json={"decision": "reject", "reason": "receipt is a copy"})
    assert done.status_code == 200 and done.get_json()["approval"]["status"] == "rejected"
    assert wait_for_status(store, request["run_id"]) == "rejected"
    assert client.get("/api/approvals?status=rejected", headers=viewer).get_json()["approvals"][0]["reason"] \
        == "receipt is a copy"


def test_hostile_request_text_is_shown_as_text(client_as, store, tmp_path):
    request = park(tmp_path, store, by="operator", title="<script>alert(1)</script>",
                   vendor='=HYPERLINK(\\"http://evil.example\\",\\"x\\")')
    for url in ("/approvals", f"/approvals/{request['id']}"):
        body = client_as("viewer").get(url).get_data(as_text=True)
        assert "<script>alert" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_a_decision_without_the_form_token_is_refused_and_decides_nothing(client_as, store, tmp_path):
    request = park(tmp_path, store, by="operator")
    approver = client_as("approver")
    for token in (None, "forged"):
        data = {"decision": "approve"} | ({"csrf_token": token} if token else {})
        refused = approver.post(f"/approvals/{request['id']}/decide", data=data)
        assert refused.status_code == 400 and "security token" in refused.get_data(as_text=True)
    assert approvals.get(store, request["id"])["status"] == "pending" and not approvals.get(store, request["id"])["votes"]
    assert store.get_run(request["run_id"])["status"] == "waiting"
