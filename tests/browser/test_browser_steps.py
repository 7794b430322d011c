"""Browser steps in real headless Chromium against the demo apps: forms by label, evidence of
failures with secrets kept out, retries of 503s, tabs, frames, dialogs, saved login state."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

ERP_LOGIN = """
          - browser.goto: "{{ vars.erp }}login"
          - browser.fill_form: {"User name": "{{ secrets.ERP_USER }}", "Password": "{{ secrets.ERP_PASSWORD }}"}
          - browser.click: "role=button[name='Log in']"
"""


def data_url(html: str) -> str:
    return "data:text/html," + quote(html)


def test_fill_form_by_labels_whose_order_and_ids_change_on_every_load(demo, chromium, secrets_env, run_recipe):
    rows = [
        {"Vendor:": "Golden Bridge Packaging", "invoice NUMBER ": "GBP-9001", " Invoice date": "2026-10-02",
         "Due date": "2026-11-01", "CURRENCY": "EUR", "Net amount": "100.00", "Tax amount": "13.00",
         "Total amount": "113.00", "PO number": "PO-1", "Description": "boxes", "Approved for payment": "yes"},
        {"Vendor:": "Metro Power Utility", "invoice NUMBER ": "MPU-17", " Invoice date": "2026-10-05",
         "Due date": "", "CURRENCY": "CNY", "Net amount": 2000, "Tax amount": 260,
         "Total amount": 2260, "PO number": "", "Description": "power, October", "Approved for payment": "no"},
    ]
    result = run_recipe(f"""
        name: ap-entry
        vars: {{erp: "{demo.erp_url}", rows: {json.dumps(rows)}}}
        secrets: [ERP_USER, ERP_PASSWORD]
        steps:
        {ERP_LOGIN}
          - steps:
              - browser.goto: "{{{{ vars.erp }}}}ap"
              - browser.fill_form: "{{{{ row }}}}"
              - browser.click: "role=button[name='Save invoice']"
              - browser.expect: {{selector: "role=status", text: "saved as AP-"}}
            for_each: "{{{{ vars.rows }}}}"
            as: row
          - id: listed
            browser.extract_table: "#invoices"
    """)
    assert result.ok, result.error
    saved = {inv["invoice_number"]: inv for inv in demo.erp_app.test_client().get("/_demo/invoices").json}
    first, second = saved["GBP-9001"], saved["MPU-17"]
    assert (first["vendor"], first["invoice_date"], first["due_date"], first["currency"], first["total_amount"],
            first["po_number"], first["status"]) == ("Golden Bridge Packaging", "2026-10-02", "2026-11-01", "EUR",
                                                     "113.00", "PO-1", "Approved")
    assert (second["currency"], second["net_amount"], second["tax_amount"], second["total_amount"], second["status"],
            second["description"]) == ("CNY", "2000.00", "260.00", "2260.00", "Entered", "power, October")
    table = result.outputs["listed"]["table"]
    assert {"GBP-9001", "MPU-17"} <= set(table["Invoice number"])


def test_fill_form_names_a_label_that_matches_no_field_or_two(chromium, run_recipe):
    page = data_url("<form><div><label>Amount</label><input name=a></div>"
                    "<div><label>amount </label><input name=b></div>"
                    "<label for=v>Vendor name</label><input id=v></form>")
    missing = run_recipe(f"""
        name: missing-label
        steps:
          - browser.goto: "{page}"
          - browser.fill_form: {{"Vendor nme": "x"}}
            timeout: 2s
    """)
    assert not missing.ok
    assert "no field labelled 'Vendor nme'" in missing.error and "did you mean 'vendor name'" in missing.error
    twice = run_recipe(f"""
        name: ambiguous-label
        steps:
          - browser.goto: "{page}"
          - browser.fill_form: {{"AMOUNT": 5}}
    """)
    assert not twice.ok and "label 'AMOUNT' matches 2 fields" in twice.error


@pytest.mark.parametrize("trace_mode", ["actions", "full"])
def test_failing_step_leaves_screenshot_html_and_trace_without_secrets(demo, chromium, secrets_env, run_recipe, trace_mode):
    result = run_recipe(f"""
        name: wrong-code
        vars: {{bank: "{demo.bank_url}"}}
        secrets: [BANK_USER, BANK_PASSWORD]
        steps:
          - browser.goto: "{{{{ vars.bank }}}}login"
          - browser.fill_form: {{Username: "{{{{ secrets.BANK_USER }}}}", Password: "{{{{ secrets.BANK_PASSWORD }}}}"}}
          - browser.fill: {{"#otp": "000000"}}
          - browser.click: "role=button[name='Sign in']"
          - name: accounts shown
            browser.click: "#accounts a"
            timeout: 4s
    """, settings={"browser": {"trace": trace_mode}})
    assert not result.ok
    error = result.error
    assert "steps[4]" in error and "accounts shown" in error  # the step
    assert "'#accounts a'" in error                               # the selector
    assert "timeout 3s" in error                                  # the timeout it waited
    assert f"{demo.bank_url}login" in error                       # the URL
    kinds = {a["kind"]: Path(a["path"]) for a in result.artifacts}
    assert set(kinds) >= {"screenshot", "html", "trace"}
    assert kinds["screenshot"].read_bytes()[:4] == b"\x89PNG"
    assert kinds["trace"].name == "trace.zip" and kinds["trace"].parent.parent == result.run_dir / "failures"
    html = kinds["html"].read_text(encoding="utf-8")
    assert "Invalid one-time code" in html
    assert "script-src 'none'" in html  # opening the evidence runs none of the site's scripts
    with zipfile.ZipFile(kinds["trace"]) as trace:
        names = trace.namelist()
        assert "trace.trace" in names
        everything = b"".join(trace.read(n) for n in names)
    # DOM snapshots before and after every call only when asked for (they cost time on every call)
    assert (b'"frame-snapshot"' in everything) == (trace_mode == "full")
    assert b"***" in everything  # the typing of the password was recorded, masked
    for secret in ("demo-password", "demo"):
        assert secret not in html.replace("Demo", "")  # the re-filled user name is masked too
    assert b"demo-password" not in everything and b"demo%2Dpassword" not in everything


def test_failed_expect_says_what_it_found(chromium, run_recipe):
    page = data_url("<h1>Sign in</h1><ul><li>a</li><li>b</li></ul>")
    result = run_recipe(f"""
        name: expect
        steps:
          - browser.goto: "{page}"
          - browser.expect: {{selector: "li", count: 3}}
            timeout: 2s
    """)
    assert not result.ok
    assert "expected 3 element(s); found 2 element(s), 2 visible, text 'a', 'b'" in result.error
    assert result.error_type == "BusinessError"


def test_download_by_url_survives_503_by_retry_and_is_an_artifact(demo, chromium, secrets_env, run_recipe, chaos):
    result = run_recipe(f"""
        name: exports
        vars: {{erp: "{demo.erp_url}", bank: "{demo.bank_url}"}}
        secrets: [ERP_USER, ERP_PASSWORD, BANK_USER, BANK_PASSWORD, BANK_TOTP_SEED]
        steps:
        {ERP_LOGIN}
          - id: ledger
            browser.download: {{url: "ledger/export.xlsx?from=2026-10-01&to=2026-10-31"}}
          - browser.goto: "{{{{ vars.bank }}}}login"
          - id: otp
            browser.totp: "{{{{ secrets.BANK_TOTP_SEED }}}}"
          - browser.fill: {{"#username": "{{{{ secrets.BANK_USER }}}}", "#password": "{{{{ secrets.BANK_PASSWORD }}}}",
                            "#otp": "{{{{ steps.otp.code }}}}"}}
          - browser.click: "role=button[name='Sign in']"
          - browser.goto: "{{{{ vars.bank }}}}_demo/chaos?fail_next=2"
          - id: statement
            browser.download: {{url: "{{{{ vars.bank }}}}statement/export.csv?from=2026-10-01&to=2026-10-31",
                                to: "{{{{ run.dir }}}}/in/"}}
            retry: {{attempts: 3, delay: 100ms}}
    """)
    assert result.ok, result.error
    ledger = Path(result.outputs["ledger"]["path"])
    assert ledger.name == "ledger_2026-10-01_2026-10-31.xlsx" and ledger.read_bytes()[:2] == b"PK"
    assert [s["status"] for s in result.steps if s["id"] == "statement"] == ["error", "error", "ok"]
    statement = Path(result.outputs["statement"]["path"])
    assert statement == result.run_dir / "in" / "statement_2026-10-01_2026-10-31.csv"
    assert statement.read_text(encoding="utf-8").startswith("Date,Value Date,Description")
    downloads = [a for a in result.artifacts if a["kind"] == "download"]
    assert [Path(a["path"]).name for a in downloads] == [ledger.name, statement.name]
    assert len([a for a in result.artifacts if a["kind"] == "trace"]) == 2  # evidence of each failed try


def test_tabs_frames_dialogs_and_reading(chromium, run_recipe):
    page = data_url(
        "<title>Main</title>"
        "<button onclick=\"document.getElementById('answer').textContent = confirm('Post it?') ? 'posted' : 'kept'\">"
        "Post</button><p id=answer></p>"
        "<a id=help href='about:blank' target=_blank>Help</a>"
        "<iframe srcdoc=\"<label>Code <input id=c></label><select id=s><option>A</option><option value=b>Bee</option>"
        "</select><input type=checkbox id=k>\"></iframe>"
    )
    result = run_recipe(f"""
        name: misc
        steps:
          - browser.goto: "{page}"
          - browser.dialogs: accept
          - browser.click: "text=Post"
          - id: answer
            browser.text: "#answer"
          - browser.select: {{selector: "#s", option: Bee, frame: iframe}}
          - browser.check: {{selector: "#k", frame: iframe}}
          - browser.fill_form: {{"code": "in the frame"}}
          - browser.expect: {{selector: "#c", frame: iframe, value: "in the frame"}}
          - id: checked
            browser.attribute: {{selector: "#s", name: id, frame: iframe}}
          - browser.click: {{selector: "#help", popup: true}}
          - id: tab
            browser.switch_tab: {{index: 0}}
          - browser.switch_tab: {{index: -1}}
          - id: closed
            browser.close_tab:
          - id: title
            browser.text: "title"
    """)
    assert result.ok, result.error
    assert result.outputs["answer"]["text"] == "posted"
    assert result.outputs["checked"]["value"] == "s"
    assert result.outputs["tab"]["tabs"] == 2
    assert result.outputs["closed"]["tabs"] == 1


def test_saved_login_state_skips_the_next_login(demo, chromium, secrets_env, run_recipe, deskbot_home):
    first = run_recipe(f"""
        name: login-once
        vars: {{bank: "{demo.bank_url}"}}
        secrets: [BANK_USER, BANK_PASSWORD, BANK_TOTP_SEED]
        steps:
          - browser.goto: "{{{{ vars.bank }}}}login"
          - id: otp
            browser.totp: "{{{{ secrets.BANK_TOTP_SEED }}}}"
          - browser.fill_form: {{Username: "{{{{ secrets.BANK_USER }}}}", Password: "{{{{ secrets.BANK_PASSWORD }}}}",
                                 "One-time code": "{{{{ steps.otp.code }}}}"}}
          - browser.click: "role=button[name='Sign in']"
          - browser.wait_for: {{url: "**/accounts"}}
          - browser.save_state: demo-bank
    """)
    assert first.ok, first.error
    state = deskbot_home / "browser-state" / "demo-bank.json"
    assert state.stat().st_mode & 0o077 == 0  # session cookies: owner only
    second = run_recipe(f"""
        name: login-again
        vars: {{bank: "{demo.bank_url}"}}
        steps:
          - id: state
            browser.restore_state: demo-bank
          - id: home
            browser.goto: "{{{{ vars.bank }}}}accounts"
          - browser.expect: {{selector: "#accounts", visible: true}}
    """)
    assert second.ok, second.error
    assert second.outputs["state"]["restored"] is True
    assert second.outputs["home"]["url"].endswith("/accounts")


def test_validate_reports_a_missing_chromium(monkeypatch, write_recipe):
    from click.testing import CliRunner

    from bots import registry
    from bots.cli import cli

    monkeypatch.setenv("DESKBOT_BROWSER", "/nonexistent/chromium")
    registry._check_cached.cache_clear()
    try:
        path = write_recipe("""
            name: needs-browser
            steps:
              - browser.goto: "http://127.0.0.1:9/"
        """)
        out = CliRunner().invoke(cli, ["validate", str(path)])
    finally:
        registry._check_cached.cache_clear()
    assert out.exit_code == 2
    assert "this step needs chromium" in out.output and "/nonexistent/chromium" in out.output


def test_click_that_leads_to_a_503_page_fails_at_once_as_transient(demo, chromium, secrets_env, run_recipe, chaos):
    from bots.progress import Reporter

    class BankHiccupsOnClick(Reporter):
        def step_started(self, path, label, attempt):
            if label == "browser.click":
                chaos.configure(0, 7, 1)

    result = run_recipe(f"""
        name: click-503
        vars: {{bank: "{demo.bank_url}"}}
        steps:
          - browser.goto: "{{{{ vars.bank }}}}login"
          - browser.click: "role=button[name='Sign in']"
    """, reporter=BankHiccupsOnClick())
    assert not result.ok
    assert result.error_type == "TransientError"
    assert "the page it led to answered HTTP 503" in result.error
    assert result.steps[-1]["duration_ms"] < 10_000  # not a 30 s wait for the next element


def test_table_paginated_in_place_spinner_and_upload(chromium, run_recipe, tmp_path):
    scan = tmp_path / "scan 1.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    page = data_url(
        "<div id=spinner>Loading…</div>"
        "<table id=t><thead><tr><th>n</th><th>sq</th><th></th></tr></thead><tbody></tbody></table>"
        "<button id=next>Next</button>"
        "<input type=file id=f onchange=\"document.getElementById('picked').textContent = this.files[0].name\">"
        "<p id=picked></p>"
        "<script>let p = 0; const show = () => { const b = document.querySelector('#t tbody'); b.innerHTML = '';"
        "  for (let i = p * 3 + 1; i <= Math.min(p * 3 + 3, 7); i++) b.insertAdjacentHTML('beforeend',"
        "    `<tr><td>${i}</td><td>${i * i}</td><td>x</td></tr>`);"
        "  document.getElementById('next').disabled = p >= 2; };"
        "document.getElementById('next').onclick = () => { p++; setTimeout(show, 50); };"
        "setTimeout(() => { document.getElementById('spinner').remove(); show(); }, 200);</script>"
    )
    result = run_recipe(f"""
        name: spa-table
        steps:
          - browser.goto: "{page}"
          - browser.wait_for: {{selector: "#spinner", state: detached}}
          - id: table
            browser.extract_table: {{selector: "#t", next: "#next"}}
          - browser.upload: {{selector: "#f", files: "{scan}"}}
          - id: picked
            browser.text: "#picked"
    """)
    assert result.ok, result.error
    table = result.outputs["table"]
    assert table["pages"] == 3 and table["columns"] == ["n", "sq", "column_3"]
    assert [r["sq"] for r in table["rows"]] == ["1", "4", "9", "16", "25", "36", "49"]
    assert result.outputs["picked"]["text"] == "scan 1.pdf"


def test_upload_of_a_missing_file_names_it(chromium, run_recipe, tmp_path):
    result = run_recipe(f"""
        name: upload-missing
        steps:
          - browser.upload: {{selector: "#f", files: "{tmp_path}/nope.pdf"}}
    """)
    assert not result.ok and result.error_type == "InputError"
    assert "nope.pdf" in result.error and "not found" in result.error


def test_without_tracing_evidence_is_screenshot_and_html_only(chromium, run_recipe):
    result = run_recipe(f"""
        name: no-trace
        steps:
          - id: state
            browser.restore_state: never-saved
          - browser.goto: "{data_url('<p>nothing to click</p>')}"
          - browser.click: "#missing"
            timeout: 2s
    """, settings={"browser": {"trace": False}})
    assert not result.ok and result.error_type == "TransientError"
    assert result.outputs["state"]["restored"] is False
    assert sorted(a["kind"] for a in result.artifacts) == ["html", "screenshot"]


def test_a_step_timeout_never_breaks_the_browser_for_the_next_steps(chromium, run_recipe):
    # 600 ms leaves Playwright 300 ms; taking the evidence takes longer, so the step's own
    # timeout falls due in the middle of browser calls: it must wait for them, not cut them
    page = data_url("<p id=p>still here</p>")
    result = run_recipe(f"""
        name: tight-timeout
        steps:
          - browser.goto: "{page}"
          - browser.wait_for: "#never"
            timeout: 600ms
            continue_on_error: true
          - id: after
            browser.text: "#p"
    """)
    assert result.ok, result.error
    assert result.steps[1]["status"] == "failed"
    assert result.outputs["after"]["text"] == "still here"
    assert {"screenshot", "html"} <= {a["kind"] for a in result.artifacts}
