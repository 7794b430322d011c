"""What each role does on the console, in real Chromium against the running console (waitress,
as `deskbot console` serves it): correct an invoice in review and find it in the demo ERP, decide
an approval and watch the run go on, confirm a reconciliation suggestion and see the re-run
honour it. One console, one demo ERP and one Chromium for the module.

With ``DESKBOT_SCREENSHOTS=docs/console`` the pages are saved there as they are seen (the
screenshots in docs/console.md)."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import expect

from bots import users
from bots.cli import cli
from tests.browser.conftest import ERP_SECRETS
from tests.conftest import ROOT
from tests.console.test_approvals import park
from tests.console.test_reconciliation import write_month

pytestmark = pytest.mark.browser
PASSWORD = "a long test passphrase"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A store, the console over it, the demo ERP, Chromium, and a user per role."""
    from bots.browser import CHROMIUM, shared_browser

    why = CHROMIUM.check()
    if why:
        pytest.skip(f"needs {why}")
    from demo.server import start_demo_servers
    from waitress.server import create_server

    from bots.store import RunStore
    from console.app import create_app

    base = tmp_path_factory.mktemp("console-world")
    home = base / "home"
    settings = yaml.safe_load((ROOT / "config" / "settings.yaml").read_text(encoding="utf-8")) or {}
    settings["ocr"] = {**(settings.get("ocr") or {}), "templates": str(base / "templates")}
    (base / "settings.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DESKBOT_HOME", str(home))
        env.setenv("DESKBOT_SETTINGS", str(base / "settings.yaml"))
        for name, value in ERP_SECRETS.items():
            env.setenv(name, value)
        for var in ("DESKBOT_DATABASE", "DESKBOT_SMTP_HOST", "DESKBOT_SMTP_PORT", "DESKBOT_ALERT_TO"):
            env.delenv(var, raising=False)
        store = RunStore(home)
        for role in users.ROLES:
            users.add_user(role, role, PASSWORD, actor="test", store=store)
        demo = start_demo_servers()
        server = create_server(create_app(home=home, settings={}), host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=server.run, daemon=True).start()
        with shared_browser() as browser:
            yield {"url": f"http://127.0.0.1:{server.effective_port}", "home": home, "store": store, "base": base,
                   "demo": demo, "browser": browser}
        server.close()
        demo.stop()


@pytest.fixture(autouse=True)
def in_world(world, deskbot_home, monkeypatch):
    """The world's store and settings for what a test runs itself (the suite gives each test its own)."""
    monkeypatch.setenv("DESKBOT_HOME", str(world["home"]))
    monkeypatch.setenv("DESKBOT_SETTINGS", str(world["base"] / "settings.yaml"))
    for name, value in ERP_SECRETS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def signed_in(world):
    contexts = []

    def sign_in(role: str):
        context = world["browser"].new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(world["url"] + "/")
        assert "/login" in page.url
        page.fill("input[name=username]", role)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        assert page.locator("header .who span").inner_text().startswith(role)
        return page

    yield sign_in
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    """Keep the page as a picture for the docs, when asked to (DESKBOT_SCREENSHOTS=FOLDER)."""
    folder = os.environ.get("DESKBOT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.wait_for_load_state("networkidle")  # pictures inside an SVG load after the page
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def wait_for_run(page, url: str, timeout: float = 90) -> str:
    """Reload the run's page until it has finished; returns its status as the page shows it."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(url)
        status = page.locator("h1 .status").inner_text()
        if status not in ("waiting", "running", "queued") or time.monotonic() > deadline:
            return status
        time.sleep(0.5)


def test_a_clerk_corrects_an_invoice_in_review_and_finds_it_booked_in_the_erp(world, signed_in):
    from bots.recipe import load_recipe
    from bots.runner import Runner
    from tests.vision.corpus import make_invoice, write_pdf

    demo, base = world["demo"], world["base"]
    demo.erp_app.test_client().get("/_demo/reset")
    text = (ROOT / "recipes" / "invoice_intake.yaml").read_text(encoding="utf-8")
    text = text.replace('erp: "{{ settings.erp.url }}"', f'erp: "{demo.erp_url}"')
    text = text.replace("ledger: data/ap_ledger.xlsx", f"ledger: {base / 'ap_ledger.xlsx'}")
    recipe = base / "invoice_intake.yaml"
    recipe.write_text(text, encoding="utf-8")
    (base / "inbox").mkdir()
    misprint = make_invoice(62, "stacked", wrong_total=True)  # the printed total is 10.00 off net + tax
    path = write_pdf(misprint, base / "inbox" / "misprint.pdf")
    assert Runner(load_recipe(recipe), home=world["home"],
                  trigger={"type": "file", "file": str(path), "name": path.name}).run().ok
    truth = misprint.truth

    page = signed_in("clerk")
    page.click("header >> text=Reviews")
    page.locator("tr", has_text="misprint.pdf").locator("a").first.click()
    page.wait_for_url("**/reviews/*")  # count() does not wait for the review's page to arrive
    page.locator("svg.page rect.box").nth(2).wait_for(timeout=10_000)
    assert page.locator("svg.page rect.box").count() >= 3  # the fields' words boxed on the page
    shot(page, "review")
    picture = page.locator("svg.page image").first.get_attribute("href")
    answer = page.request.get(world["url"] + picture)
    assert answer.status == 200 and answer.headers["content-type"] == "image/png", answer.text()[:300]
    page.fill("#field_amount", f"{truth['amount']:.2f}")
    page.get_by_role("button", name="Approve and book").click()
    assert "booked and filed" in page.locator(".flash.ok").inner_text()

    # in the demo ERP, as its users see it
    page.goto(demo.erp_url + "login")
    page.get_by_label("User name").fill(ERP_SECRETS["ERP_USER"])
    page.get_by_label("Password").fill(ERP_SECRETS["ERP_PASSWORD"])
    page.get_by_role("button", name="Log in").click()
    page.goto(demo.erp_url + "ap")
    row = page.locator("#invoices tr", has_text=truth["invoice_number"])
    assert row.count() == 1 and f"{truth['amount']:.2f}" in row.inner_text()


def test_an_approver_approves_and_the_parked_run_goes_on(world, signed_in):
    park(world["base"], world["store"], by="operator")

    page = signed_in("approver")
    assert re.search(r"\b1\b\s*approvals to decide", page.locator(".open-work").inner_text())
    shot(page, "dashboard-open-work")
    page.click("text=approvals to decide")
    shot(page, "approvals")
    page.locator("tr", has_text="Pay claim 7").locator("a").first.click()
    assert "6200.00" in page.locator("table.fields").inner_text()
    assert page.locator("img[alt=receipt]").evaluate("img => img.complete && img.naturalWidth > 0")
    shot(page, "approval")
    page.get_by_role("button", name="Approve").click()
    assert page.locator(".flash.ok").inner_text().startswith("Approved")
    run_url = page.locator("dd a[href^='/runs/']").first.get_attribute("href")
    assert wait_for_run(page, world["url"] + run_url) == "ok"
    assert page.locator("table.steps tr", has_text="files.copy").count() >= 1 or \
        page.locator("table.steps tr", has_text="paid").count() >= 1


def test_an_operator_confirms_a_suggestion_and_the_rerun_honours_it(world, signed_in):
    month = write_month(world["base"])
    assert CliRunner().invoke(cli, ["run", str(month["recipe"])]).exit_code == 0

    page = signed_in("operator")
    page.click("header >> text=Reconciliation")
    # a click does not wait for the page it opens: counting at once can count the old page's rows
    page.wait_for_url("**/reconciliation")
    expect(page.locator("table.suggestions tbody tr")).to_have_count(2)
    shot(page, "reconciliation")
    alpha = page.locator("table.suggestions tr", has_text="Alpha Ltd")
    alpha.locator("input[name=note]").fill("remittance advice names Alpha")
    alpha.get_by_role("button", name="Confirm").click()
    assert page.locator(".flash.ok").inner_text().startswith("Confirmed")
    assert str(month["decisions"]) in page.locator(".flash.ok").inner_text()

    page.locator("p a[href^='/runs/']").first.click()  # the run that reconciled
    page.get_by_role("button", name="Rerun with the same vars").click()
    assert wait_for_run(page, page.url) == "ok"
    page.click("header >> text=Reconciliation")
    page.wait_for_url("**/reconciliation")
    tiles = page.locator(".open-work").inner_text()
    assert "1 matches" in tiles.replace("\n", " ") and "0 suggestions to decide" in tiles.replace("\n", " ")
    assert page.get_by_text("No suggestions.").is_visible()
    shot(page, "reconciliation-rerun")
