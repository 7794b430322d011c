"""The month-end story end to end: what ``deskbot demo`` (and ``make demo``) shows.

Nothing to configure: the demo bank portal and ERP start on 127.0.0.1 (free ports), the demo
credentials are set for this process only, and everything is written under
``DESKBOT_HOME/demo/`` (default ``./var/demo``), fresh on every run. Each user's job in turn:

1. finance — the month-end reconciliation recipe (the scheduled job, run now): signs in to the
   bank portal with password + one-time code, downloads last month's statement, exports the
   ERP's cash ledger, reconciles and emails the report (to the outbox: no SMTP configured);
2. claimant, manager, cashier — two expense claims (``recipes/expense_claim.yaml``): each
   receipt is read and checked, finance's rules pass, and at 5000 or more the run parks for a
   manager's approval (what ``deskbot run`` reports with exit code 3). The claimant's own
   approval is refused; the manager approves the first claim, which resumes, is paid in the
   ERP and archived, and rejects the second with a reason, which goes back to the claimant;
3. clerk — sample invoices (born-digital PDFs, scans, a Chinese VAT invoice, one whose total
   does not add up, one corrupt file) dropped in a watch folder: read, checked, the ready ones
   booked in the ERP and the AP ledger through ``recipes/invoice_intake.yaml``, each filed in
   archive/, review/ or quarantine/;
4. operator — where the discrepancy report is, what it says, the run history;
5. a deliberately failing step (a button the bank portal does not have): the screenshot, HTML
   and trace it leaves, and the alert waiting in the outbox;

then a summary table. ``run_story(quiet=True)`` returns the summary for tests.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from bots import settings as settings_mod
from bots.progress import Reporter, default_reporter
from bots.recipe import load_recipe
from bots.runner import Runner

ROOT = settings_mod.PROJECT_ROOT
INVOICES = ROOT / "demo" / "data" / "invoices"
# Demo credentials, set for this process only. Each is a secret and is masked wherever it
# appears, so none may be an ordinary word (a user "demo" would mask every path under var/demo).
DEMO_SECRETS = {"BANK_USER": "ada.lovelace.fin", "BANK_PASSWORD": "Tr0ub4dor&3-month-end",
                "BANK_TOTP_SEED": "JBSWY3DPEHPK3PXP", "ERP_USER": "ap.clerk.07", "ERP_PASSWORD": "Corr3ct-Horse-Battery"}


@dataclass
class Chapter:
    who: str
    job: str
    result: str
    where: str = ""
    ok: bool = True


@dataclass
class Story:
    home: Path
    chapters: list[Chapter] = field(default_factory=list)
    seconds: float = 0.0
    details: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.chapters)


class _Console:
    """Headings and lines for the story; plain text when quiet or not a terminal."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.rich = None
        if not quiet:
            from rich.console import Console

            self.rich = Console(stderr=True, soft_wrap=True)

    def heading(self, text: str) -> None:
        if self.rich:
            self.rich.rule(f"[bold]{text}")

    def say(self, text: str) -> None:
        if self.rich:
            self.rich.print(text, highlight=False)


def _project_folder(home: Path) -> Path:
    """The checkout when running from one; installed (a wheel), a project folder in the demo's
    home holding a copy of the shipped config/, so that nothing is written into site-packages."""
    if (ROOT / "config").is_dir() and (ROOT / "recipes").is_dir():
        return ROOT
    project = home / "project"
    shutil.copytree(settings_mod.shipped("config"), project / "config", dirs_exist_ok=True)
    return project


def _fresh_home() -> Path:
    home = settings_mod.home() / "demo"
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    return home


def _settings_for(servers, home: Path) -> Path:
    import json

    import yaml

    base = json.loads(json.dumps(settings_mod.load_settings(settings_mod.shipped("config", "settings.yaml"))))
    base.setdefault("bank", {})["url"] = servers.bank_url
    base.setdefault("erp", {})["url"] = servers.erp_url
    path = home / "settings.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _finance(story: Story, say: _Console, reporter: Reporter) -> None:
    say.heading("1. finance: month-end bank reconciliation (the scheduled job, run now)")
    recipe = load_recipe(settings_mod.shipped("recipes", "month_end_reconciliation.yaml"))
    decisions = story.home / "reconciliation-decisions.csv"
    result = Runner(recipe, home=story.home, reporter=reporter, variables={"decisions": str(decisions)}).run()
    story.details["finance_run"] = result
    if not result.ok:
        story.chapters.append(Chapter("finance", "month-end reconciliation", f"failed: {result.error}",
                                      f"deskbot show {result.run_id}", ok=False))
        return
    recon = result.outputs["recon"]
    summary = recon["summary"]
    story.details["report"] = recon["report"]
    story.details["html"] = recon.get("html")
    story.chapters.append(Chapter(
        "finance", "month-end reconciliation",
        f"{summary['bank_lines']} bank lines, {summary['matches']} matched, {summary['unmatched']} open items, "
        f"{summary['differences']} with a difference; report emailed to the outbox",
        str(result.run_dir)))


# (receipt, the amount its claimant declares, purpose, the manager's decision)
CLAIMS = [("northwind-2026-1043.pdf", "36077.98", "print run for the trade fair", ("approve", None)),
          ("fabrikam-rechnung.pdf", "36335.59", "freight for a private move",
           ("reject", "a private move is not a business expense"))]
CLAIMANT, MANAGER = "li.wei", "zhang.min"


def _expense_claims(story: Story, say: _Console, reporter: Reporter, erp_url: str) -> None:
    import json
    import urllib.request

    from bots import approvals, users
    from bots.runner import resume_run
    from bots.store import RunStore

    say.heading("2. claimant, manager, cashier: expense claims that wait for an approval")
    store = RunStore(story.home)
    users.add_user(CLAIMANT, "clerk", "claimant-Demo-pass-1", actor="demo", store=store)
    users.add_user(MANAGER, "approver", "manager-Demo-pass-2", actor="demo", store=store)
    recipe = load_recipe(settings_mod.shipped("recipes", "expense_claim.yaml"))
    outcomes, ok = [], True
    for receipt, amount, purpose, (decision, reason) in CLAIMS:
        variables = {"receipt": str(INVOICES / receipt), "amount": amount, "purpose": purpose,
                     "claimant_email": f"{CLAIMANT}@example.com", "archive": str(story.home / "archive" / "claims")}
        first = Runner(recipe, home=story.home, reporter=reporter, variables=variables,
                       trigger={"type": "manual", "user": CLAIMANT}).run()
        if first.status != "waiting":
            outcomes.append(f"{receipt}: {first.status} ({first.error}) instead of waiting for a manager")
            ok = False
            continue
        say.say(f"run {first.run_id} waits: {first.waiting}  (deskbot run exits 3)")
        request = next(a for a in approvals.list_approvals(store) if a["run_id"] == first.run_id)
        try:
            approvals.decide(store, request["id"], "approve", CLAIMANT)
            ok = False
        except approvals.ApprovalRefused as exc:
            say.say(f"  {CLAIMANT} tries to approve her own claim: refused ({exc})")
        approvals.decide(store, request["id"], decision, MANAGER, reason)
        say.say(f"  {MANAGER} decides: {decision}" + (f" ({reason})" if reason else ""))
        done = resume_run(first.run_id, home=story.home, reporter=reporter)
        expected = "ok" if decision == "approve" else "rejected"
        ok = ok and done.status == expected
        outcomes.append(f"{receipt}: {done.status}" + (f" ({done.error})" if done.error else ""))
        story.details.setdefault("claims", []).append(done)
    with urllib.request.urlopen(f"{erp_url}_demo/payments", timeout=10) as answer:
        paid = json.load(answer)
    ok = ok and len(paid) == 1
    story.chapters.append(Chapter(
        "claimant, manager, cashier", "expense claims with approval",
        "; ".join(outcomes) + f"; the ERP paid {len(paid)} claim(s)"
        + (f" ({paid[0]['number']}, {paid[0]['amount']} {paid[0]['currency']})" if paid else ""),
        "deskbot approvals list --all", ok=ok))


def _clerk(story: Story, say: _Console, reporter: Reporter) -> None:
    from bots.intake import Retry, default_reader, page_pool, process_folder

    say.heading("3. clerk: invoices dropped in the watch folder")
    inbox = story.home / "inbox" / "invoices"
    inbox.mkdir(parents=True)
    for sample in sorted(INVOICES.iterdir()):
        shutil.copy2(sample, inbox / sample.name)
    say.say(f"dropped {len(list(inbox.iterdir()))} files in {inbox}")
    recipe = load_recipe(settings_mod.shipped("recipes", "invoice_intake.yaml"))
    ledger = story.home / "ap_ledger.xlsx"
    booked_runs: list = []

    def book(path: Path, result, key: str) -> None:
        trigger = {"type": "file", "file": str(path), "name": path.name, "key": key, "intake": True}
        run = Runner(recipe, home=story.home, trigger=trigger, variables={"ledger": str(ledger)},
                     reporter=reporter).run()
        booked_runs.append(run)
        if not run.ok:
            if run.error_type == "TransientError":
                raise Retry(run.error)
            raise RuntimeError(f"run {run.run_id} failed: {run.error}")

    with page_pool() as pool:
        report = process_folder(inbox, reader=default_reader(pool, settings_mod.shipped("config", "invoice_templates")),
                                on_ready=book, home=story.home, stable_for=0, once=True,
                                log=lambda line: say.say(f"  {line}"))
    counts = report.to_json()["counts"]
    story.details["intake"] = report
    story.details["ledger"] = ledger
    parts = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    failed_runs = [r for r in booked_runs if not r.ok]
    story.chapters.append(Chapter(
        "clerk", "invoice intake", parts + (f"; {len(failed_runs)} booking run(s) failed" if failed_runs else ""),
        f"{inbox}/{{archive,review,quarantine}}", ok=not failed_runs and counts.get("booked", 0) > 0))


def _operator(story: Story, say: _Console) -> None:
    from bots.store import RunStore

    say.heading("4. operator: the discrepancy report and the run history")
    if "report" in story.details:
        say.say(f"Excel report: {story.details['report']}")
        if story.details.get("html"):
            say.say(f"HTML report:  {story.details['html']}  (open it in a browser; it is also in the email)")
    runs = RunStore(story.home).list_runs(limit=50)
    for run in runs[:8]:
        say.say(f"  {run['id']}  {run['status']:<8} {run['recipe']}")
    story.chapters.append(Chapter("operator", "discrepancy report + history",
                                  f"{len(runs)} runs recorded; report in Excel and HTML",
                                  str(story.details.get("report", "-")), ok="report" in story.details))


def _failure(story: Story, say: _Console, reporter: Reporter) -> None:
    from bots import alerts

    say.heading("5. when something breaks: a failing step and its alert")
    recipe = load_recipe(ROOT / "demo" / "recipes" / "broken_export.yaml")
    result = Runner(recipe, home=story.home, reporter=reporter, after_run=[alerts.on_run_finished]).run()
    evidence = sorted({a["kind"] for a in result.artifacts})
    waiting = alerts.waiting(story.home)
    story.details["alert"] = waiting[-1] if waiting else None
    subject = ""
    if waiting:
        import email
        from email import policy

        subject = str(email.message_from_bytes(waiting[-1].read_bytes(), policy=policy.default)["Subject"])
        say.say(f"alert waiting in the outbox (no SMTP server configured): {waiting[-1]}")
        say.say(f"  subject: {subject}")
    story.chapters.append(Chapter(
        "operator", "failure alert",
        f"run {result.status} at {result.failed_step}; evidence: {', '.join(evidence) or 'none'}; alert in outbox",
        str(waiting[-1]) if waiting else "no alert!", ok=result.status == "failed" and bool(waiting)))


def _short(where: str) -> str:
    try:
        return os.path.relpath(where) if where.startswith("/") else where
    except ValueError:
        return where


def _summary_table(story: Story, say: _Console) -> None:
    if not say.rich:
        return
    from rich.table import Table

    table = Table(title=f"deskbot demo: {story.seconds:.0f} s, files under {story.home}")
    for column in ("who", "job", "result", "where"):
        table.add_column(column, overflow="fold")
    for c in story.chapters:
        style = "" if c.ok else "red"
        table.add_row(c.who, c.job, c.result, _short(c.where), style=style)
    say.rich.print(table)


DEMO_USERS = [("ada", "admin"), ("otto", "operator"), ("clara", "clerk"), ("april", "approver"), ("vic", "viewer")]


def _console_users(story: Story) -> None:
    """Console users for the story's people, each with a fresh password (printed once, at the end)."""
    import secrets

    from bots import users
    from bots.store import RunStore

    store = RunStore(story.home)
    made = {}
    for name, role in DEMO_USERS:
        made[name] = (role, secrets.token_urlsafe(12))
        users.add_user(name, role, made[name][1], actor="demo", store=store)
    story.details["console_users"] = made
    story.details["console_command"] = f"DESKBOT_HOME={story.home} deskbot console --port 8767"
    story.details["console_serve"] = "deskbot demo serve   # the demo apps and the console together"


def _console_hint(story: Story, say: _Console) -> None:
    made = story.details.get("console_users")
    if not made:
        return
    say.say("\nsee it all in the console (sign in with one of these; passwords are shown only now):")
    say.say(f"  {story.details['console_command']}")
    say.say("  then open http://127.0.0.1:8767/")
    for name, (role, password) in made.items():
        say.say(f"    {name:<6} {role:<9} {password}")


def run_story(quiet: bool = False) -> Story:
    from demo.server import start_demo_servers

    started = time.monotonic()
    say = _Console(quiet)
    reporter = Reporter() if quiet else default_reporter()
    home = _fresh_home()
    story = Story(home)
    saved_env = {k: os.environ.get(k) for k in [*DEMO_SECRETS, "DESKBOT_SETTINGS", "DESKBOT_HOME"]}
    cwd = os.getcwd()
    servers = start_demo_servers(
        bank_config={"DEMO_SPINNER_MS": 300, **{k: v for k, v in DEMO_SECRETS.items() if k.startswith("BANK_")}},
        erp_config={k: v for k, v in DEMO_SECRETS.items() if k.startswith("ERP_")})
    try:
        os.chdir(_project_folder(home))  # shipped recipes name config/ and data/ relative to the project
        os.environ["DESKBOT_HOME"] = str(home)
        os.environ["DESKBOT_SETTINGS"] = str(_settings_for(servers, home))
        os.environ.update(DEMO_SECRETS)
        say.say(f"demo bank portal {servers.bank_url}  ERP {servers.erp_url}  (127.0.0.1 only)")
        _finance(story, say, reporter)
        _expense_claims(story, say, reporter, servers.erp_url)
        _clerk(story, say, reporter)
        _operator(story, say)
        _failure(story, say, reporter)
        _console_users(story)
    finally:
        servers.stop()
        os.chdir(cwd)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        story.seconds = time.monotonic() - started
    _summary_table(story, say)
    _console_hint(story, say)
    return story
