"""http.request against a real API server on 127.0.0.1 (the demo CRM): pages, auth, failures."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from bots.cli import cli
from demo.crm_api import create_app
from demo.server import serve_app

TOKEN = "crm-demo-token"
CLIENT_SECRET = "crm-demo-client-secret"


@pytest.fixture
def crm():
    served = serve_app(create_app({"CUSTOMERS": 103, "PAGE_SIZE": 10}), name="crm-api")
    yield served
    served.stop()


@pytest.fixture
def crm_env(crm, monkeypatch):
    monkeypatch.setenv("CRM_TOKEN", TOKEN)
    monkeypatch.setenv("CRM_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("CRM_URL", crm.url)
    return crm


def run(write_recipe, text: str, *extra: str):
    path = write_recipe(text)
    result = CliRunner().invoke(cli, ["run", str(path), "--json", *extra])
    return result, json.loads(result.stdout) if result.stdout.strip().startswith("{") else None


def step_outputs(home, run_id: str, step_id: str) -> dict:
    with sqlite3.connect(home / "runs.db") as db:
        row = db.execute("SELECT outputs FROM step_attempts WHERE run_id=? AND step_id=? AND status='ok'",
                         (run_id, step_id)).fetchone()
    return json.loads(row[0])


@pytest.mark.parametrize("paginate, query", [
    ('{next: "{{ response.json.next }}", items: "{{ response.json.data }}"}', "/api/customers?limit=10"),
    ("{link_header: true}", "/api/customers/linked?per_page=10"),
    ("{param: page, start: 1}", "/api/customers/paged?per_page=10"),
    ('{cursor: cursor, from: "{{ response.json.next_cursor }}", items: "{{ response.json.items }}"}',
     "/api/customers/cursor?limit=10"),
])
def test_every_pagination_style_collects_all_103_customers_once(crm_env, write_recipe, deskbot_home, paginate, query):
    result, summary = run(write_recipe, f"""
        name: pages
        secrets: [CRM_TOKEN]
        vars: {{base: "{crm_env.url}"}}
        steps:
          - id: customers
            http.request:
              url: "{{{{ vars.base }}}}{query}"
              auth: {{type: bearer, token: "{{{{ secrets.CRM_TOKEN }}}}"}}
              paginate: {paginate}
          - set: {{count: "{{{{ steps.customers.items | length }}}}", pages: "{{{{ steps.customers.pages }}}}"}}
            id: totals
    """)
    assert result.exit_code == 0, result.output
    totals = step_outputs(deskbot_home, summary["run_id"], "totals")
    assert totals["count"] == 103
    assert 11 <= totals["pages"] <= 12  # 11 full or partial pages, plus the empty one some styles need


def test_a_page_size_written_in_the_url_is_kept_while_paging(crm_env, write_recipe, deskbot_home):
    result, summary = run(write_recipe, f"""
        name: sized-pages
        secrets: [CRM_TOKEN]
        steps:
          - id: c
            http.request:
              url: "{crm_env.url}/api/customers/paged?per_page=40"
              auth: {{type: bearer, token: "{{{{ secrets.CRM_TOKEN }}}}"}}
              paginate: {{param: page}}
    """)
    assert result.exit_code == 0, result.output
    outputs = step_outputs(deskbot_home, summary["run_id"], "c")
    assert outputs["pages"] == 4  # 40 + 40 + 23, then the empty page; 10 a page would take 11


def test_a_server_that_repeats_its_last_page_does_not_loop_forever(crm_env, write_recipe, deskbot_home):
    app = crm_env.app
    original = app.view_functions["by_page_number"]

    def stuck():  # answers page 1 whatever page is asked for
        from flask import jsonify
        return jsonify(app.extensions["customers"][:10])

    app.view_functions["by_page_number"] = stuck
    try:
        result, summary = run(write_recipe, f"""
            name: stuck
            secrets: [CRM_TOKEN]
            steps:
              - id: c
                http.request:
                  url: "{crm_env.url}/api/customers/paged"
                  auth: {{type: bearer, token: "{{{{ secrets.CRM_TOKEN }}}}"}}
                  paginate: {{param: page}}
        """)
    finally:
        app.view_functions["by_page_number"] = original
    assert result.exit_code == 0, result.output
    outputs = step_outputs(deskbot_home, summary["run_id"], "c")
    assert outputs["pages"] == 2  # the repeat is noticed on the second page and not kept


def test_max_pages_stops_early_with_a_warning(crm_env, write_recipe, deskbot_home):
    result, summary = run(write_recipe, f"""
        name: capped
        secrets: [CRM_TOKEN]
        steps:
          - id: c
            http.request:
              url: "{crm_env.url}/api/customers/paged?per_page=10"
              auth: {{type: bearer, token: "{{{{ secrets.CRM_TOKEN }}}}"}}
              paginate: {{param: page, max_pages: 3}}
    """)
    assert result.exit_code == 0
    assert step_outputs(deskbot_home, summary["run_id"], "c")["pages"] == 3
    log = (deskbot_home / "runs" / summary["run_id"] / "run.log").read_text()
    assert "max_pages=3" in log


def test_oauth2_token_is_fetched_cached_and_refreshed_when_the_server_revokes_it(crm_env, write_recipe, deskbot_home):
    crm_env.app.config["TOKEN_USES"] = 4  # each token dies after 4 requests: 11 pages need 3 tokens
    result, summary = run(write_recipe, f"""
        name: oauth
        secrets: [CRM_CLIENT_SECRET]
        steps:
          - id: c
            http.request:
              url: "{crm_env.url}/api/customers?limit=10"
              auth:
                type: oauth2_client_credentials
                token_url: "{crm_env.url}/oauth/token"
                client_id: deskbot
                client_secret: "{{{{ secrets.CRM_CLIENT_SECRET }}}}"
              paginate: {{next: "{{{{ response.json.next }}}}", items: "{{{{ response.json.data }}}}"}}
          - id: n
            set: {{count: "{{{{ steps.c.items | length }}}}"}}
    """)
    assert result.exit_code == 0, result.output
    assert step_outputs(deskbot_home, summary["run_id"], "n")["count"] == 103
    issued = crm_env.app.extensions["tokens"]
    assert 3 <= len(issued) <= 4  # refreshed when revoked, not fetched for every page
    for token in issued:  # a token obtained at run time is masked like a declared secret
        assert token not in (deskbot_home / "runs" / summary["run_id"] / "run.log").read_text()


def test_503_is_retried_and_succeeds(crm_env, write_recipe, deskbot_home):
    crm_env.app.extensions["chaos"].fail_next = 2
    result, summary = run(write_recipe, f"""
        name: flaky
        secrets: [CRM_TOKEN]
        steps:
          - id: c
            http.request:
              url: "{crm_env.url}/api/customers/paged?per_page=500"
              auth: {{type: bearer, token: "{{{{ secrets.CRM_TOKEN }}}}"}}
            retry: {{attempts: 3, delay: 10ms}}
    """)
    assert result.exit_code == 0, result.output
    tries = [s for s in summary["steps"] if s["id"] == "c"]
    assert [t["status"] for t in tries] == ["error", "error", "ok"]
    assert "503" in tries[0]["error"]


def test_429_waits_at_least_retry_after(crm_env, write_recipe, deskbot_home):
    crm_env.app.extensions["chaos"].throttle_next = 1
    result, summary = run(write_recipe, f"""
        name: throttled
        secrets: [CRM_TOKEN]
        steps:
          - id: c
            http.request:
              url: "{crm_env.url}/api/customers/paged"
              auth: {{type: bearer, token: "{{{{ secrets.CRM_TOKEN }}}}"}}
            retry: {{attempts: 2, delay: 10ms}}
    """)
    assert result.exit_code == 0, result.output
    tries = [s for s in summary["steps"] if s["id"] == "c"]
    assert [t["status"] for t in tries] == ["error", "ok"]
    with sqlite3.connect(deskbot_home / "runs.db") as db:
        starts = [r[0] for r in db.execute("SELECT started FROM step_attempts WHERE run_id=? AND step_id='c' ORDER BY seq",
                                           (summary["run_id"],))]
    from datetime import datetime
    gap = (datetime.fromisoformat(starts[1]) - datetime.fromisoformat(starts[0])).total_seconds()
    assert gap >= 1.0  # the server's Retry-After: 1, not the recipe's 10 ms


def test_a_404_is_a_business_error_naming_method_masked_url_and_body(crm_env, write_recipe, deskbot_home):
    result, summary = run(write_recipe, f"""
        name: notfound
        secrets: [CRM_TOKEN]
        steps:
          - id: c
            http.request:
              url: "{crm_env.url}/api/status/404?key={{{{ secrets.CRM_TOKEN }}}}"
              auth: {{type: bearer, token: "{{{{ secrets.CRM_TOKEN }}}}"}}
            retry: {{attempts: 3, delay: 10ms}}
    """)
    assert result.exit_code == 1
    tries = [s for s in summary["steps"] if s["id"] == "c"]
    assert len(tries) == 1  # not retried: asking again cannot help
    error = tries[0]["error"]
    assert "GET" in error and "/api/status/404" in error and "404" in error and "you asked for 404" in error
    assert TOKEN not in result.output and "***" in error


def test_no_secret_reaches_store_logs_or_output(crm_env, write_recipe, deskbot_home, monkeypatch):
    monkeypatch.setenv("API_PASSWORD", "pa55-Word-xyz")
    result, summary = run(write_recipe, f"""
        name: nosecrets
        secrets: [CRM_TOKEN, API_PASSWORD]
        steps:
          - id: e
            http.request:
              url: "{crm_env.url}/api/echo"
              method: post
              auth: {{type: bearer, token: "{{{{ secrets.CRM_TOKEN }}}}"}}
              headers: {{X-Password: "{{{{ secrets.API_PASSWORD }}}}"}}
              json: {{password: "{{{{ secrets.API_PASSWORD }}}}", who: me}}
              params: {{token: "{{{{ secrets.CRM_TOKEN }}}}"}}
              expect_status: 201
          - log: "{{{{ steps.e.json }}}}"
          - fail: "stop here {{{{ steps.e.json.args.token }}}}"
    """)
    assert result.exit_code == 1
    everything = result.output + "\n".join(sqlite3.connect(deskbot_home / "runs.db").iterdump())
    for path in (deskbot_home / "runs").rglob("*"):
        if path.is_file():
            everything += path.read_bytes().decode("utf-8", "replace")
    assert TOKEN not in everything and "pa55-Word-xyz" not in everything
    assert "***" in everything


def test_unexpected_success_status_and_body_forms(crm_env, write_recipe, deskbot_home, tmp_path):
    upload = tmp_path / "note.txt"
    upload.write_text("hello file")
    result, summary = run(write_recipe, f"""
        name: forms
        secrets: [CRM_TOKEN]
        steps:
          - id: f
            http.request:
              url: "{crm_env.url}/api/echo"
              method: POST
              auth: {{type: api_key, name: Authorization, value: "Bearer {{{{ secrets.CRM_TOKEN }}}}"}}
              form: {{a: "1"}}
              files: {{doc: "{upload}"}}
              expect_status: [201]
          - id: wrong
            http.request:
              url: "{crm_env.url}/api/echo"
              method: POST
              auth: {{type: bearer, token: "{{{{ secrets.CRM_TOKEN }}}}"}}
              expect_status: 200
    """)
    assert result.exit_code == 1
    outputs = step_outputs(deskbot_home, summary["run_id"], "f")
    assert outputs["json"]["form"] == {"a": "1"} and outputs["json"]["files"] == {"doc": "hello file"}
    assert "answered 201, expected 200" in summary["error"]


def test_validate_knows_response_in_paginate_and_rejects_a_typo(write_recipe):
    good = write_recipe("""
        name: ok
        steps:
          - http.request:
              url: https://api.example/x
              paginate: {next: "{{ response.json.next }}"}
    """, "good.yaml")
    bad = write_recipe("""
        name: bad
        steps:
          - http.request:
              url: https://api.example/x
              paginate: {next: "{{ respons.json.next }}", link_header: true}
    """, "bad.yaml")
    assert CliRunner().invoke(cli, ["validate", str(good)]).exit_code == 0
    out = CliRunner().invoke(cli, ["validate", str(bad)])
    assert out.exit_code == 2 and "respons" in out.output


def test_connection_refused_is_transient(write_recipe, deskbot_home):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result, summary = run(write_recipe, f"""
        name: down
        steps:
          - id: c
            http.request: {{url: "http://127.0.0.1:{port}/x", timeout: 2}}
            retry: {{attempts: 2, delay: 10ms}}
    """)
    assert result.exit_code == 1
    assert [s["status"] for s in summary["steps"] if s["id"] == "c"] == ["error", "failed"]
    assert "cannot connect" in summary["error"]
