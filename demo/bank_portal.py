"""The demo bank portal: a small Flask app that behaves like a real online bank.

Pages (all but ``/login`` need a signed-in session):

- ``/login``      username, password and a six-digit one-time code (RFC 6238 TOTP, SHA-1,
                  30-second steps, from the base32 seed ``BANK_TOTP_SEED``; the previous and
                  next code are accepted too, as real banks do for clock drift)
- ``/accounts``   the customer's accounts with balances
- ``/statement``  a date-range form (``from``, ``to``, ISO dates); the result shows a loading
                  spinner for ``DEMO_SPINNER_MS`` (or ``?delay_ms=``) before the table appears,
                  ``DEMO_PAGE_SIZE`` rows per page with Previous/Next links, and
                  ``Export CSV`` / ``Export XLSX`` links for the whole range
- ``/statement/export.csv`` and ``/statement/export.xlsx`` (attachments)
- ``/_demo/chaos?rate=0.3&seed=7&fail_next=2`` makes the portal answer 503 now and then:
  ``fail_next`` requests fail for sure, then each fails with probability ``rate`` drawn from a
  generator seeded by ``seed`` (so a test run is repeatable). ``rate=0&fail_next=0`` turns it off.
  ``/_demo/stats`` counts requests and 503s. Both are test hooks, not part of the "bank".

Everything is in memory; the statement comes from ``demo.sample_data``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import random
import secrets
import struct
import threading
import time
from datetime import date
from pathlib import Path

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, session, url_for

from demo import sample_data
from demo.web import add_sign_out, needs_sign_in, password_matches, signed_in, to_sign_in

TEMPLATES = Path(__file__).resolve().parent / "templates"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DEFAULTS = {
    "BANK_USER": "demo",
    "BANK_PASSWORD": "demo-password",
    "BANK_TOTP_SEED": "JBSWY3DPEHPK3PXP",
    "DEMO_SPINNER_MS": 300,
    "DEMO_PAGE_SIZE": 10,
    "DEMO_FLAKY_RATE": 0.0,
    "DEMO_FLAKY_SEED": 7,
    "DEMO_FAIL_NEXT": 0,
}


def totp(seed: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The RFC 6238 one-time code of a base32 ``seed`` at time ``at`` (default now)."""
    key = base64.b32decode(seed.replace(" ", "").upper() + "=" * (-len(seed.replace(" ", "")) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return f"{code:0{digits}d}"


class Chaos:
    """Seeded random 503s, switchable at run time."""

    def __init__(self, rate: float, seed: int, fail_next: int):
        self.lock = threading.Lock()
        self.configure(rate, seed, fail_next)
        self.requests = 0
        self.failures = 0

    def configure(self, rate: float, seed: int, fail_next: int) -> None:
        with getattr(self, "lock", threading.Lock()):
            self.rate, self.seed, self.fail_next = float(rate), int(seed), int(fail_next)
            self.rng = random.Random(self.seed)

    def should_fail(self) -> bool:
        with self.lock:
            self.requests += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                self.failures += 1
                return True
            if self.rate > 0 and self.rng.random() < self.rate:
                self.failures += 1
                return True
            return False


def _parse_range(args) -> tuple[date | None, date | None, str | None]:
    raw_from, raw_to = args.get("from", "").strip(), args.get("to", "").strip()
    if not raw_from and not raw_to:
        return None, None, None
    try:
        start, end = date.fromisoformat(raw_from), date.fromisoformat(raw_to)
    except ValueError:
        return None, None, "Enter both dates as YYYY-MM-DD."
    if end < start:
        return None, None, "The end date is before the start date."
    if (end - start).days > 366:
        return None, None, "A statement covers at most one year."
    return start, end, None


def create_app(config: dict | None = None) -> Flask:
    app = Flask("demo.bank_portal", template_folder=str(TEMPLATES))
    app.config.update(DEFAULTS)
    app.config["SECRET_KEY"] = secrets.token_hex(16)
    app.config.update(config or {})
    chaos = Chaos(app.config["DEMO_FLAKY_RATE"], app.config["DEMO_FLAKY_SEED"], app.config["DEMO_FAIL_NEXT"])
    app.extensions["chaos"] = chaos
    info = sample_data.company()

    @app.context_processor
    def branding():
        return {"app_title": "Demo Bank - online banking", "brand_color": "#0b3d91"}

    @app.before_request
    def guard():
        if request.path.startswith("/_demo/") or request.path == "/favicon.ico":
            return None  # browsers fetch the icon on their own: it must not use up the 503s a test asked for
        if chaos.should_fail():
            return Response("<h1>503 Service Unavailable</h1><p>Please try again later.</p>", 503,
                            {"Retry-After": "1", "Content-Type": "text/html"})
        if needs_sign_in():
            return to_sign_in()
        return None

    @app.get("/_demo/chaos")
    def configure_chaos():
        chaos.configure(request.args.get("rate", chaos.rate), request.args.get("seed", chaos.seed),
                        request.args.get("fail_next", 0))
        return jsonify(rate=chaos.rate, seed=chaos.seed, fail_next=chaos.fail_next)

    @app.get("/_demo/stats")
    def stats():
        return jsonify(requests=chaos.requests, failures=chaos.failures)

    add_sign_out(app)

    @app.route("/")
    def index():
        return redirect(url_for("accounts"))

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "GET":
            return render_template("bank_login.html", error=None, username="")
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        code = request.form.get("otp", "").strip()
        if not password_matches(username, password, app.config["BANK_USER"], app.config["BANK_PASSWORD"]):
            return render_template("bank_login.html", error="Invalid username or password.", username=username), 401
        now = time.time()
        valid = {totp(app.config["BANK_TOTP_SEED"], now + drift) for drift in (-30, 0, 30)}
        if code not in valid:
            return render_template("bank_login.html", error="Invalid one-time code.", username=username), 401
        return signed_in(username, home="accounts")

    def _accounts() -> list[dict]:
        today = date.today()
        balance = sample_data.opening_balance(today.year, today.month)
        return [
            {"number": info["bank"]["account_number"], "name": info["bank"]["account_name"],
             "currency": info["currency"], "balance": f"{balance:,.2f}"},
            {"number": info["savings"]["account_number"], "name": info["savings"]["account_name"],
             "currency": info["currency"], "balance": f"{float(info['savings']['balance']):,.2f}"},
        ]

    @app.get("/accounts")
    def accounts():
        return render_template("bank_accounts.html", user=session["user"], accounts=_accounts())

    @app.get("/statement")
    def statement():
        start, end, error = _parse_range(request.args)
        account = info["bank"]["account_number"]
        if start is None:
            return render_template("bank_statement.html", account=account, rows=None, error=error,
                                   start=request.args.get("from", ""), end=request.args.get("to", ""))
        rows = sample_data.bank_transactions(start, end)
        size = max(1, min(int(request.args.get("per_page", app.config["DEMO_PAGE_SIZE"])), 500))
        pages = max(1, math.ceil(len(rows) / size))
        try:
            page = min(max(1, int(request.args.get("page", 1))), pages)
        except ValueError:
            page = 1
        delay = request.args.get("delay_ms", app.config["DEMO_SPINNER_MS"])
        return render_template("bank_statement.html", account=account, error=None, rows=rows[(page - 1) * size: page * size],
                               total=len(rows), page=page, pages=pages, start=start.isoformat(), end=end.isoformat(),
                               delay_ms=int(delay))

    def _export_rows():
        start, end, error = _parse_range(request.args)
        if start is None:
            abort(400, error or "from and to are required")
        return start, end, sample_data.bank_transactions(start, end)

    @app.get("/statement/export.csv")
    def export_csv():
        start, end, rows = _export_rows()
        name = f"statement_{start.isoformat()}_{end.isoformat()}.csv"
        return Response(sample_data.statement_csv(rows), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/statement/export.xlsx")
    def export_xlsx():
        start, end, rows = _export_rows()
        name = f"statement_{start.isoformat()}_{end.isoformat()}.xlsx"
        return Response(sample_data.statement_xlsx(rows), mimetype=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return app
