"""Users, roles, passwords, lockout and API tokens, through the CLI a person uses."""

import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from bots import audit, users
from bots.cli import cli
from bots.errors import AccessError, SignInRefused


def add(name, role, password="correct horse battery"):
    return CliRunner().invoke(cli, ["users", "add", name, "--role", role], input=password + "\n")


def test_adding_users_reads_the_password_from_stdin_and_stores_only_a_hash(deskbot_home):
    assert add("li.wei", "approver").exit_code == 0
    user = users.get_user("li.wei")
    assert (user.name, user.role, user.disabled) == ("li.wei", "approver", False)
    dump = "\n".join(sqlite3.connect(deskbot_home / "runs.db").iterdump())
    assert "correct horse battery" not in dump and "$argon2id$" in dump
    listing = CliRunner().invoke(cli, ["users", "list", "--json"])
    assert json.loads(listing.stdout)[0]["role"] == "approver"


@pytest.mark.parametrize("name, role, password, says", [
    ("ok.name", "superuser", "long enough pass", "choose one of"),
    ("bad name!", "viewer", "long enough pass", "user name"),
    ("ok.name", "viewer", "short", "too short"),
])
def test_bad_names_roles_and_passwords_are_refused_with_what_to_do(name, role, password, says):
    result = add(name, role, password)
    assert result.exit_code == 2 and says in result.stderr and "Traceback" not in result.output
    assert users.get_user(name) is None


def test_a_second_user_of_the_same_name_is_refused():
    add("ana", "clerk")
    again = add("ana", "admin")
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert users.get_user("ana").role == "clerk"


def test_roles_each_allow_their_own_job_and_admin_allows_all():
    for name, role in [("v", "viewer"), ("c", "clerk"), ("o", "operator"), ("boss", "admin")]:
        add(name, role)
    assert users.has_role(users.get_user("v"), "viewer") and not users.has_role(users.get_user("v"), "clerk")
    assert users.has_role(users.get_user("c"), "clerk") and not users.has_role(users.get_user("c"), "approver")
    assert not users.has_role(users.get_user("o"), "admin")
    assert all(users.has_role(users.get_user("boss"), r) for r in users.ROLES)
    assert not users.has_role(None, "viewer")


def test_a_disabled_user_cannot_sign_in_and_loses_their_tokens():
    add("gone", "operator")
    token = CliRunner().invoke(cli, ["users", "token", "gone"]).stdout.strip()
    assert users.user_for_token(token).name == "gone"
    assert CliRunner().invoke(cli, ["users", "disable", "gone"]).exit_code == 0
    assert not users.has_role(users.get_user("gone"), "viewer")
    with pytest.raises(SignInRefused):
        users.authenticate("gone", "correct horse battery")
    assert users.user_for_token(token) is None


def test_tokens_are_shown_once_stored_hashed_and_a_forged_one_is_refused(deskbot_home):
    add("script", "viewer")
    token = CliRunner().invoke(cli, ["users", "token", "script"]).stdout.strip()
    assert users.user_for_token(token).name == "script"
    dump = "\n".join(sqlite3.connect(deskbot_home / "runs.db").iterdump())
    # the secret is what follows "dbt_<id>_" (it may hold "_" itself: the last piece alone can be
    # two characters, found in any dump by chance)
    assert token.split("_", 2)[2] not in dump
    assert users.user_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert users.user_for_token("") is None and users.user_for_token("Bearer nonsense") is None


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one():
    add("mei", "clerk")
    for _ in range(5):
        with pytest.raises(SignInRefused):
            users.authenticate("mei", "wrong password!!")
    with pytest.raises(SignInRefused) as refused:
        users.authenticate("mei", "correct horse battery")
    assert refused.value.reason == "locked"
    # the lock ends by itself…
    later = datetime.now(timezone.utc) + timedelta(minutes=16)
    assert users.authenticate("mei", "correct horse battery", now=later).name == "mei"
    actions = [e.action for e in audit.entries(subject="mei")]
    assert actions.count("sign-in.failed") == 6 and "sign-in.locked" in actions and actions[0] == "sign-in"


def test_an_admin_lifts_a_lockout_by_enabling_the_user():
    add("kai", "viewer")
    for _ in range(5):
        with pytest.raises(SignInRefused):
            users.authenticate("kai", "nope nope nope")
    assert CliRunner().invoke(cli, ["users", "enable", "kai"]).exit_code == 0
    assert users.authenticate("kai", "correct horse battery").name == "kai"


def test_unknown_users_are_refused_like_wrong_passwords():
    add("real", "viewer")
    messages = set()
    for name, password in [("nobody", "whatever whatever"), ("real", "whatever whatever")]:
        with pytest.raises(SignInRefused) as refused:
            users.authenticate(name, password)
        messages.add(str(refused.value))
    assert len(messages) == 1


def test_changes_to_users_are_in_the_audit_trail_by_who_made_them():
    add("z", "viewer")
    CliRunner().invoke(cli, ["users", "role", "z", "operator"])
    entry = audit.entries(action="user.role")[0]
    assert entry.actor.startswith("cli") and entry.before == {"role": "viewer"} and entry.after == {"role": "operator"}
    with pytest.raises(AccessError):
        users.set_role("z", "emperor", actor="t")
