"""The console in real Chromium, served by waitress as `deskbot console` serves it."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect

from bots.browser import CHROMIUM, shared_browser
from tests.console.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def served(app):
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture
def page():
    why = CHROMIUM.check()
    if why:
        pytest.skip(f"needs {why}")
    with shared_browser() as browser:
        context = browser.new_context()
        yield context.new_page()
        context.close()


def test_an_operator_signs_in_finds_a_failed_run_sees_its_evidence_and_reruns_it(served, page, store, deskbot_home,
                                                                                   tmp_path):
    recipe = tmp_path / "bank-download.yaml"
    recipe.write_text("name: bank-download\nvars: {month: '2026-10'}\nsteps:\n  - log: 'month {{ vars.month }}'\n")
    run_dir = deskbot_home / "runs" / "failed-run"
    (run_dir / "failures").mkdir(parents=True)
    page.set_content("<h1 style='color:red'>Portal said no</h1>")
    (run_dir / "failures" / "screenshot.png").write_bytes(page.screenshot())
    store.start_run("failed-run", "bank-download", str(recipe), {"type": "schedule"}, {"month": "2026-11"}, run_dir)
    store.record_attempt("failed-run", 0, path="steps[0]", step_id="login", action="browser.click", label="Sign in",
                         attempt=1, status="error", started=store.get_run("failed-run")["started"], duration_ms=1200,
                         error="<script>document.title='owned'</script> not found", params={"password": "***"})
    store.add_artifact("failed-run", 0, "screenshot", str(run_dir / "failures" / "screenshot.png"))
    store.finish_run("failed-run", "failed", error="the Sign in button never appeared", failed_step="steps[0]")

    page.goto(served + "/runs")
    assert "/login" in page.url  # nothing without signing in
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "wrong password!")
    page.click("button[type=submit]")
    expect(page.locator(".flash.error")).to_be_visible()
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/runs")  # back where the operator was going

    page.select_option("select[name=status]", "failed")
    page.click("text=Filter")
    page.click("text=failed-run")
    page.wait_for_url("**/runs/failed-run")
    assert page.locator("h1").inner_text().startswith("bank-download")
    assert page.get_by_text("the Sign in button never appeared").first.is_visible()
    assert page.title() != "owned" and page.locator("td.error").first.inner_text().startswith("<script>")
    image = page.locator("img[alt^=screenshot]")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("svg.timeline rect").count() == 1
    # the viewer role has no rerun button; the operator does
    page.get_by_role("button", name="Rerun with the same vars").click()
    assert page.locator(".flash.ok").inner_text().startswith("Started run")
    rerun_id = page.url.rsplit("/", 1)[1]
    assert rerun_id != "failed-run"
    rerun = store.get_run(rerun_id)
    assert rerun["recipe"] == "bank-download" and rerun["vars"] == {"month": "2026-11"}
    page.click("text=Sign out")
    page.wait_for_url("**/login**")
    page.goto(served + "/")
    assert "/login" in page.url
