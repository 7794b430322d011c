"""Every route × every role: allowed, 403, or sent to sign in (pages) / 401 (API)."""

from __future__ import annotations

import pytest

from bots import users
from tests.console.conftest import ROLES, csrf_of

# Values for URL parts; action routes get ids that do not exist, so an allowed role gets past the
# role check (a 404 or a refusal) without changing anything.
READ_VALUES = {"run_id": "seeded-run", "name": "screenshot.png", "rid": "0123456789ab", "aid": "no-such-approval",
               "label": "receipt", "rec_id": "no-such-rec", "kind": "html", "number": 1}
ACTION_VALUES = {"run_id": "no-such-run", "rid": "0123456789ab", "name": "no-such-user", "decision": "approve",
                 "change": "enable", "aid": "no-such-approval", "sid": "no-such-suggestion",
                 "rec_id": "no-such-rec"}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        role = getattr(view, "required_role", "missing")
        assert role != "missing", f"{rule.rule} declares no role"
        if role is None:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            values = READ_VALUES if method == "GET" else ACTION_VALUES
            url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
            yield method, url, role


@pytest.fixture
def seeded(store, deskbot_home):
    run_dir = deskbot_home / "runs" / "seeded-run"
    run_dir.mkdir(parents=True)
    (run_dir / "screenshot.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    store.start_run("seeded-run", "bank", "", {"type": "manual"}, {}, run_dir)
    store.add_artifact("seeded-run", 0, "screenshot", str(run_dir / "screenshot.png"))
    store.finish_run("seeded-run", "ok")


def call(client, method, url, api_token=None):
    if url.startswith("/api/"):
        headers = {"Authorization": f"Bearer {api_token}"} if api_token else {}
        return client.open(url, method=method, headers=headers, json={} if method == "POST" else None)
    if method == "POST":
        token = csrf_of(client.get("/login" if client.get("/").status_code == 302 else "/"))
        return client.post(url, data={"csrf_token": token})
    return client.get(url)


def test_every_route_answers_each_role_as_its_role_allows(app, client_as, seeded, store):
    tokens = {role: users.new_token(role, actor="test", store=store) for role in ROLES}
    checked, wrong, seen = 0, [], set()
    for method, url, required in routes(app):
        seen.add(f"{method} {url}")
        anonymous = call(app.test_client(), method, url)
        if url.startswith("/api/"):
            if anonymous.status_code != 401:
                wrong.append(f"anonymous {method} {url}: {anonymous.status_code}, expected 401")
        elif anonymous.status_code != 302 or "/login" not in anonymous.headers["Location"]:
            wrong.append(f"anonymous {method} {url}: {anonymous.status_code}, expected a redirect to /login")
        for role in ROLES:
            allowed = users.has_role(users.get_user(role, store=store), required)
            response = call(client_as(role), method, url, api_token=tokens[role])
            checked += 1
            if allowed and response.status_code in (401, 403):
                wrong.append(f"{role} {method} {url}: {response.status_code}, expected allowed")
            elif allowed and response.status_code == 302 and "/login" in response.headers["Location"]:
                wrong.append(f"{role} {method} {url}: sent to sign in, expected allowed")
            elif not allowed and response.status_code != 403:
                wrong.append(f"{role} {method} {url}: {response.status_code}, expected 403")
            elif allowed and method == "GET" and response.status_code != 200 and "no-such" not in url \
                    and "/reviews/" not in url:
                wrong.append(f"{role} {method} {url}: {response.status_code}, expected 200")
    assert not wrong, "\n".join(wrong)
    for must in ("GET /", "GET /runs", "GET /runs/seeded-run", "GET /runs/seeded-run/artifacts/screenshot.png",
                 "GET /audit", "GET /users", "GET /reviews", "POST /runs/no-such-run/rerun", "GET /api/dashboard",
                 "GET /api/runs", "POST /api/runs", "GET /api/reviews", "GET /approvals",
                 "GET /approvals/no-such-approval", "POST /approvals/no-such-approval/decide", "GET /api/approvals",
                 "POST /api/approvals/no-such-approval/decide", "GET /reconciliation",
                 "GET /reconciliation/no-such-rec", "POST /reconciliation/suggestions/no-such-suggestion/approve",
                 "POST /reconciliation/no-such-rec/match", "GET /api/reconciliation/suggestions",
                 "POST /api/reconciliation/suggestions/no-such-suggestion/approve"):
        assert must in seen
    assert checked == len(seen) * len(ROLES)


def test_pages_show_only_the_links_a_role_may_follow(client_as):
    viewer = client_as("viewer").get("/").get_data(as_text=True)
    admin = client_as("admin").get("/").get_data(as_text=True)
    assert 'href="/users"' not in viewer and 'href="/users"' in admin
    assert 'href="/audit"' not in viewer and 'href="/audit"' in client_as("operator").get("/").get_data(as_text=True)
