"""The audit trail's hash chain: every hand edit or deletion is found by `deskbot audit verify`."""

import sqlite3

import pytest
from click.testing import CliRunner

from bots import audit
from bots.cli import cli


def fill(n=5):
    for i in range(n):
        audit.record("li.wei", "review.approve", f"inv-{i}", before={"total": "100.00"}, after={"total": f"{i}00.00"})


def hand_edit(home, *statements):
    con = sqlite3.connect(home / "runs.db")
    con.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    con.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()


def verify():
    return CliRunner().invoke(cli, ["audit", "verify"])


def test_an_untouched_trail_verifies():
    fill()
    result = verify()
    assert result.exit_code == 0 and "5 entries" in result.stdout


def test_the_store_refuses_to_update_or_delete_entries(deskbot_home):
    fill(1)
    con = sqlite3.connect(deskbot_home / "runs.db")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit_log SET actor='someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit_log")


@pytest.mark.parametrize("edit, first_bad", [
    ("UPDATE audit_log SET after='{\"total\": \"999.00\"}' WHERE seq=3", 3),
    ("UPDATE audit_log SET actor='mallory' WHERE seq=2", 2),
    ("DELETE FROM audit_log WHERE seq=4", 4),
])
def test_a_hand_edit_breaks_the_chain_at_the_entry_edited(deskbot_home, edit, first_bad):
    fill()
    hand_edit(deskbot_home, edit)
    result = verify()
    assert result.exit_code == 1 and f"entry {first_bad}" in result.stderr


def test_a_forger_who_recomputes_the_hash_is_still_caught_by_the_next_entry(deskbot_home):
    fill()
    row = sqlite3.connect(deskbot_home / "runs.db").execute(
        "SELECT seq, at, actor, action, subject, before, after, detail, prev_hash FROM audit_log WHERE seq=2").fetchone()
    forged = audit.entry_hash(*row[:2], "mallory", *row[3:])
    hand_edit(deskbot_home, f"UPDATE audit_log SET actor='mallory', hash='{forged}' WHERE seq=2")
    result = verify()
    assert result.exit_code == 1 and "entry 2" in result.stderr


def test_a_decision_and_its_entry_commit_together_or_not_at_all():
    from bots.store import RunStore

    store = RunStore()
    with pytest.raises(RuntimeError):
        with store.write() as conn:
            audit.record("li.wei", "approval.decide", "req-1", after={"decision": "approve"}, conn=conn)
            raise RuntimeError("the decision failed to apply")
    assert audit.entries() == []
    assert verify().exit_code == 0


def test_listing_filters_by_action_family_and_keeps_hostile_text_as_data():
    audit.record("=HYPERLINK(\"http://x\")", "review.reject", "<script>alert(1)</script>", detail={"reason": "x"})
    audit.record("ana", "sign-in", "ana")
    found = audit.entries(action="review")
    assert len(found) == 1 and found[0].subject == "<script>alert(1)</script>"
    listed = CliRunner().invoke(cli, ["audit", "list", "--action", "sign-in"])
    assert "ana" in listed.stdout and "HYPERLINK" not in listed.stdout
