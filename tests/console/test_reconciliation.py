"""The reconciliation page: suggestions confirmed or rejected, open items matched by hand, each
decision written once into the decisions file the matcher reads, and honoured on the re-run."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bots import audit, reconciliations, users
from bots.cli import cli
from reconcile.decisions import load_decisions
from tests.console.conftest import csrf_of

RECIPE = """\
name: month-close
steps:
  - id: recon
    reconcile:
      bank: {bank}
      ledger: {ledger}
      out: "{{{{ run.dir }}}}/reconciliation"
      decisions: {decisions}
      title: Operating account March
"""

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def month(tmp_path):
    return write_month(tmp_path)


def write_month(tmp_path) -> dict:
    """A transfer with no name and two equally good invoices (two suggestions), a card fee and an
    invoice nothing matches (open items)."""
    bank = tmp_path / "bank.csv"
    bank.write_text("date,amount,currency,description,reference,counterparty\n"
                    "2026-03-05,500.00,EUR,TRANSFER,,\n"
                    f"2026-03-09,120.00,EUR,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",,{HOSTILE}\n")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("id,date,amount,currency,description,reference,counterparty\n"
                      "L-1,2026-03-04,500.00,EUR,,,Alpha Ltd\n"
                      "L-2,2026-03-04,500.00,EUR,,,Beta Ltd\n"
                      "L-3,2026-03-08,120.00,EUR,Bank charges,,Bank\n")
    decisions = tmp_path / "decisions" / "operating.csv"
    recipe = tmp_path / "month-close.yaml"
    recipe.write_text(RECIPE.format(bank=bank, ledger=ledger, decisions=decisions))
    return {"recipe": recipe, "decisions": decisions}


def run(recipe) -> dict:
    done = CliRunner().invoke(cli, ["run", str(recipe)])
    assert done.exit_code == 0, done.output


def latest(store) -> dict:
    return reconciliations.get(store, reconciliations.list_reconciliations(store)[0]["id"])


def suggestion_for(rec: dict, ledger_id: str) -> dict:
    return next(i for i in rec["items"] if i["kind"] == "suggestion" and i["ledger_ids"] == [ledger_id])


def test_a_confirmed_suggestion_is_written_once_and_matched_on_the_re_run(client_as, store, month):
    run(month["recipe"])
    first = latest(store)
    assert sum(1 for i in first["items"] if i["kind"] == "suggestion") == 2
    operator = client_as("operator")
    page = operator.get("/reconciliation").get_data(as_text=True)
    assert "Alpha Ltd" in page and "Beta Ltd" in page and "Confirm" in page and "2026-03-05" in page
    alpha = suggestion_for(first, "L-1")
    token = csrf_of(operator.get("/reconciliation"))
    done = operator.post(f"/reconciliation/suggestions/{alpha['id']}/confirm",
                         data={"csrf_token": token, "note": "remittance advice names Alpha"}, follow_redirects=True)
    assert "Confirmed" in done.get_data(as_text=True)
    after = latest(store)
    assert suggestion_for(after, "L-1")["status"] == "confirmed"
    assert suggestion_for(after, "L-2")["status"] == "superseded"  # the transfer is taken
    rows = load_decisions(month["decisions"]).rows
    assert [(r.action, r.bank_ids, r.ledger_ids) for r in rows] == [("match", alpha["bank_ids"], ["L-1"])]
    assert "remittance advice names Alpha" in rows[0].note and "operator" in rows[0].note
    assert [e.action for e in audit.entries(actor="operator", store=store)][0] == "reconcile.confirm"
    # a second click is refused and writes nothing
    again = operator.post(f"/reconciliation/suggestions/{alpha['id']}/confirm", data={"csrf_token": token},
                          follow_redirects=True)
    assert "already confirmed" in again.get_data(as_text=True)
    assert len(load_decisions(month["decisions"]).rows) == 1

    run(month["recipe"])
    rerun = latest(store)
    assert rerun["id"] != first["id"]
    assert rerun["summary"]["matches"] == 1 and rerun["summary"]["by_rule"] == {"manual": 1}
    assert not [i for i in rerun["items"] if i["kind"] == "suggestion"]
    assert len(load_decisions(month["decisions"]).rows) == 1


def test_a_rejected_suggestion_and_a_hand_match_are_honoured_and_the_file_keeps_working(app, client_as, store,
                                                                                        month):
    run(month["recipe"])
    first = latest(store)
    client = app.test_client()
    operator = {"Authorization": f"Bearer {users.new_token('operator', actor='t', store=store)}"}
    viewer = {"Authorization": f"Bearer {users.new_token('viewer', actor='t', store=store)}"}
    listed = client.get("/api/reconciliation/suggestions", headers=viewer).get_json()["suggestions"]
    assert {s["ledger_ids"][0] for s in listed} == {"L-1", "L-2"} and listed[0]["period_from"] == "2026-03-05"
    beta = suggestion_for(first, "L-2")
    assert client.post(f"/api/reconciliation/suggestions/{beta['id']}/reject", headers=viewer).status_code == 403
    done = client.post(f"/api/reconciliation/suggestions/{beta['id']}/reject", headers=operator,
                       json={"note": "Beta pays by cheque"})
    assert done.status_code == 200 and done.get_json()["suggestion"]["status"] == "rejected"
    assert client.post(f"/api/reconciliation/suggestions/{beta['id']}/confirm", headers=operator).status_code == 409

    # the card fee against the bank charges, by hand on the page
    fee = next(i for i in first["items"] if i["kind"] == "bank" and i["detail"]["bank"][0]["amount"] == "120.00")
    page = client_as("operator")
    page.post(f"/reconciliation/{first['id']}/match", data={
        "csrf_token": csrf_of(page.get("/reconciliation")), "bank": fee["bank_ids"], "ledger": ["L-3"]})
    # and one decision typed into the file by hand, as before the console
    with month["decisions"].open("a") as fh:
        fh.write("ignore,,L-9,not in this month\n")
    run(month["recipe"])
    rerun = latest(store)
    # Beta rejected: Alpha is the transfer's only candidate left, so it pairs by itself; the fee by hand
    assert rerun["summary"]["by_rule"] == {"manual": 1, "amount_date": 1}
    assert not [i for i in rerun["items"] if i["kind"] == "suggestion"]
    assert [i["ledger_ids"] for i in rerun["items"] if i["kind"] == "ledger"] == [["L-2"]]
    actions = sorted(r.action for r in load_decisions(month["decisions"]).rows)
    assert actions == ["ignore", "match", "reject"]


def test_a_decision_the_file_could_not_take_is_written_by_the_next_run_once(client_as, store, month, monkeypatch):
    run(month["recipe"])
    first = latest(store)
    import reconcile.decisions as decisions_mod

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    operator = client_as("operator")
    alpha = suggestion_for(first, "L-1")
    with monkeypatch.context() as patched:
        patched.setattr(decisions_mod, "append_decision", full_disk)
        answer = operator.post(f"/reconciliation/suggestions/{alpha['id']}/confirm",
                               data={"csrf_token": csrf_of(operator.get("/reconciliation"))}, follow_redirects=True)
    assert "not yet in the decisions file" in answer.get_data(as_text=True)
    assert load_decisions(month["decisions"]).rows == []
    assert "No space left" in operator.get(f"/reconciliation/{first['id']}").get_data(as_text=True)
    run(month["recipe"])
    assert latest(store)["summary"]["by_rule"] == {"manual": 1}
    assert len(load_decisions(month["decisions"]).rows) == 1
    run(month["recipe"])
    assert len(load_decisions(month["decisions"]).rows) == 1


def test_statement_text_is_inert_on_the_page_and_in_the_decisions_file(client_as, store, month):
    run(month["recipe"])
    body = client_as("viewer").get("/reconciliation").get_data(as_text=True)
    assert "<script>alert" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert ">Confirm</button>" not in body  # a viewer reads, an operator decides
    fee = next(i for i in latest(store)["items"] if i["kind"] == "bank" and i["detail"]["bank"][0]["amount"] == "120.00")
    assert fee["detail"]["bank"][0]["counterparty"] == HOSTILE
    reconciliations.match_by_hand(store, latest(store)["id"], fee["bank_ids"], ["L-3"], actor="operator",
                                  note='=HYPERLINK("http://evil.example")')
    text = month["decisions"].read_text()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert load_decisions(month["decisions"]).rows[0].note.startswith("'=HYPERLINK")
    report = client_as("viewer").get(f"/reconciliation/{latest(store)['id']}/report/html")
    assert report.status_code == 200 and report.headers["Content-Security-Policy"].startswith("sandbox")


def test_a_decision_without_the_form_token_is_refused_and_writes_nothing(client_as, store, month):
    run(month["recipe"])
    rec = latest(store)
    alpha = suggestion_for(rec, "L-1")
    operator = client_as("operator")
    for url, data in ((f"/reconciliation/suggestions/{alpha['id']}/confirm", {}),
                      (f"/reconciliation/{rec['id']}/match", {"bank": alpha["bank_ids"], "ledger": ["L-3"]})):
        refused = operator.post(url, data=data)
        assert refused.status_code == 400 and "security token" in refused.get_data(as_text=True)
    assert suggestion_for(latest(store), "L-1")["status"] == "pending"
    assert load_decisions(month["decisions"]).rows == []
