"""What an attacker would try: forged forms, guessing passwords, hostile text, leaving the run folder."""

from __future__ import annotations

import os

from bots import audit, users
from tests.console.conftest import PASSWORD, csrf_of, sign_in


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(client_as, store):
    admin = client_as("admin")
    refused = admin.post("/users", data={"username": "mallory", "role": "admin", "password": "x" * 12})
    assert refused.status_code == 400 and "security token" in refused.get_data(as_text=True)
    forged = admin.post("/users", data={"username": "mallory", "role": "admin", "password": "x" * 12,
                                        "csrf_token": "forged"})
    assert forged.status_code == 400
    assert users.get_user("mallory", store=store) is None
    token = csrf_of(admin.get("/users"))
    assert admin.post("/users", data={"username": "mallory", "role": "viewer", "password": "x" * 12,
                                      "csrf_token": token}).status_code == 302
    assert users.get_user("mallory", store=store).role == "viewer"


def test_the_sign_in_form_itself_needs_its_token(app):
    client = app.test_client()
    response = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 400 and client.get("/").status_code == 302


def test_repeated_wrong_passwords_lock_the_account_then_the_right_one_is_refused_too(app, store):
    client = app.test_client()
    for _ in range(5):
        assert sign_in(client, "clerk", "not the password").status_code == 401
    locked = sign_in(client, "clerk")
    assert locked.status_code == 401 and client.get("/").status_code == 302
    actions = [e.action for e in audit.entries(subject="clerk", store=store)]
    assert "sign-in.locked" in actions and actions.count("sign-in.failed") == 6
    # another user is not affected
    assert sign_in(app.test_client(), "viewer").status_code == 302


def test_signing_out_ends_the_session_even_for_a_copied_cookie(app):
    client = app.test_client()
    sign_in(client, "viewer")
    cookie = client.get_cookie("deskbot_session").value
    token = csrf_of(client.get("/"))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("deskbot_session", cookie)
    assert replay.get("/").status_code == 302


def test_disabling_a_user_ends_their_open_session(app, client_as):
    viewer = client_as("viewer")
    assert viewer.get("/runs").status_code == 200
    admin = client_as("admin")
    admin.post("/users/viewer/disable", data={"csrf_token": csrf_of(admin.get("/users"))})
    assert viewer.get("/runs").status_code == 302


def test_sign_in_never_sends_you_to_another_site(app):
    client = app.test_client()
    token = csrf_of(client.get("/login"))
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = client.post(f"/login?next={target}", data={"username": "viewer", "password": PASSWORD,
                                                               "csrf_token": token})
        assert response.status_code == 302 and "evil.example" not in response.headers["Location"].split("?")[0] \
            .replace("http://localhost", "")
        client = app.test_client()
        token = csrf_of(client.get("/login"))


HOSTILE = '<script>alert("x")</script>'
FORMULA = '=HYPERLINK("http://evil.example","click")'


def test_hostile_text_from_runs_and_documents_is_shown_as_text(client_as, store, deskbot_home):
    store.start_run("hostile", HOSTILE, "", {"type": "manual"}, {"vendor": FORMULA}, deskbot_home)
    store.record_attempt("hostile", 0, path="steps[0]", step_id=None, action="log", label=HOSTILE, attempt=1,
                         status="error", started=store.get_run("hostile")["started"], duration_ms=5,
                         error=f"vendor {FORMULA} {HOSTILE}", params={"text": HOSTILE})
    store.finish_run("hostile", "failed", error=HOSTILE, failed_step=FORMULA)
    audit.record(HOSTILE, "review.reject", FORMULA, detail={"reason": HOSTILE}, store=store)
    for url in ("/", "/runs", "/runs/hostile", "/audit"):
        body = client_as("admin").get(url).get_data(as_text=True)
        assert "<script>alert" not in body, url
        assert "&lt;script&gt;" in body or "\\u003cscript\\u003e" in body, url
    page = client_as("admin").get("/runs/hostile")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_artifact_downloads_cannot_leave_the_run_folder(client_as, store, deskbot_home):
    run_dir = deskbot_home / "runs" / "r1"
    (run_dir / "failures").mkdir(parents=True)
    (run_dir / "failures" / "trace.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (deskbot_home / "secret.txt").write_text("outside")
    os.symlink(deskbot_home / "secret.txt", run_dir / "link.txt")
    store.start_run("r1", "bank", "", {}, {}, run_dir)
    viewer = client_as("viewer")
    trace = viewer.get("/runs/r1/artifacts/failures/trace.zip")
    assert trace.status_code == 200 and "attachment" in trace.headers["Content-Disposition"]
    for sneaky in ("../../secret.txt", "%2e%2e/%2e%2e/secret.txt", "..%2f..%2fsecret.txt", "link.txt",
                   "/etc/passwd", "../../runs.db"):
        response = viewer.get(f"/runs/r1/artifacts/{sneaky}", follow_redirects=True)
        assert response.status_code == 404 and b"outside" not in response.data, sneaky


def test_html_evidence_is_served_sandboxed(client_as, store, deskbot_home):
    run_dir = deskbot_home / "runs" / "r2"
    run_dir.mkdir(parents=True)
    (run_dir / "page.html").write_text(f"<html><body>{HOSTILE}</body></html>")
    store.start_run("r2", "bank", "", {}, {}, run_dir)
    response = client_as("viewer").get("/runs/r2/artifacts/page.html")
    assert response.status_code == 200 and response.headers["Content-Security-Policy"].startswith("sandbox")


def test_api_wants_a_valid_bearer_token_and_the_right_role(app, store):
    client = app.test_client()
    assert client.get("/api/runs").status_code == 401
    assert client.get("/api/runs", headers={"Authorization": "Bearer dbt_000000000000_" + "x" * 40}).status_code == 401
    viewer = users.new_token("viewer", actor="t", store=store)
    assert client.get("/api/runs", headers={"Authorization": f"Bearer {viewer}"}).status_code == 200
    started = client.post("/api/runs", headers={"Authorization": f"Bearer {viewer}"}, json={"recipe": "x"})
    assert started.status_code == 403
    # a session cookie is not a credential for the API (it would need CSRF protection)
    session_client = app.test_client()
    sign_in(session_client, "admin")
    assert session_client.get("/api/runs").status_code == 401
