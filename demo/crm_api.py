"""The demo CRM's REST API: customers behind a token, in pages, with the failures real APIs have.

    app = create_app({"CUSTOMERS": 250, "PAGE_SIZE": 50})
    app.extensions["chaos"].fail_next = 2         # the next 2 requests answer 503
    app.extensions["chaos"].throttle_next = 1     # the next request answers 429, Retry-After: 1

Authentication: ``Authorization: Bearer <CRM_TOKEN>`` (a fixed token), or a token from
``POST /oauth/token`` (OAuth2 client credentials, HTTP basic with CLIENT_ID/CLIENT_SECRET),
valid ``TOKEN_TTL`` seconds and revoked early after ``TOKEN_USES`` requests when set (the server
side of a token refresh). The same records are served four ways, one per pagination style:

- ``GET /api/customers?limit=`` → ``{"data": [...], "next": "/api/customers?after=…"}`` (next URL in the body)
- ``GET /api/customers/paged?page=1&per_page=`` → a JSON list; past the end, ``[]``
- ``GET /api/customers/linked?page=1`` → a JSON list and ``Link: <…>; rel="next"``
- ``GET /api/customers/cursor?cursor=`` → ``{"items": [...], "next_cursor": "…" | null}``

Records carry the mess a sync must clean: dates as ``2026/03/01``, ``01.03.2026`` or ISO,
names with stray spaces, and a region and industry from which the ERP builds customer codes.
"""

from __future__ import annotations

import base64
import hmac
import random
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Flask, Response, jsonify, request, url_for

DEFAULTS = {
    "CRM_TOKEN": "crm-demo-token",
    "CLIENT_ID": "deskbot",
    "CLIENT_SECRET": "crm-demo-client-secret",
    "TOKEN_TTL": 3600,
    "TOKEN_USES": 0,
    "CUSTOMERS": 120,
    "PAGE_SIZE": 25,
    "SEED": 7,
}
REGIONS = ["N", "E", "S", "W"]
INDUSTRIES = {"RT": "retail", "MF": "manufacturing", "SV": "services", "LG": "logistics"}
_NAMES = ["Acme Trading", "Blue River Foods", "Harbor Logistics", "Nordwind GmbH", "Sunrise Textiles",
          "杭州明远贸易有限公司", "Delta Components", "Orchid Pharma", "Peak Outdoor", "Silverline Media"]


@dataclass
class Chaos:
    fail_next: int = 0
    throttle_next: int = 0
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def seed_customers(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    start = date(2026, 1, 5)
    customers = []
    for number in range(1, count + 1):
        updated = start + timedelta(days=rng.randrange(0, 300))
        style = number % 3
        shown = (updated.strftime("%Y/%m/%d") if style == 0 else updated.strftime("%d.%m.%Y") if style == 1
                 else updated.isoformat())
        base = _NAMES[number % len(_NAMES)]
        customers.append({
            "id": number,
            "name": f"  {base} {number:04d} " if number % 7 == 0 else f"{base} {number:04d}",
            "email": f"ap{number}@customer{number}.example",
            "region": rng.choice(REGIONS),
            "industry": rng.choice(list(INDUSTRIES)),
            "updated": shown,
        })
    return customers


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    chaos = Chaos()
    app.extensions["chaos"] = chaos
    app.extensions["customers"] = seed_customers(app.config["CUSTOMERS"], app.config["SEED"])
    tokens: dict[str, dict] = {}
    app.extensions["tokens"] = tokens

    def customers() -> list[dict]:
        return app.extensions["customers"]

    @app.before_request
    def misbehave():
        with chaos.lock:
            chaos.requests += 1
            if chaos.fail_next > 0:
                chaos.fail_next -= 1
                return jsonify(error="service unavailable, try again"), 503
            if chaos.throttle_next > 0:
                chaos.throttle_next -= 1
                return Response('{"error": "slow down"}', 429, {"Retry-After": "1", "Content-Type": "application/json"})
        if request.endpoint == "token":
            return None
        header = request.headers.get("Authorization", "")
        given = header[7:] if header.startswith("Bearer ") else ""
        if given and hmac.compare_digest(given, app.config["CRM_TOKEN"]):
            return None
        entry = tokens.get(given)
        if entry and entry["expires"] > time.time() and (not app.config["TOKEN_USES"] or entry["uses"] < app.config["TOKEN_USES"]):
            entry["uses"] += 1
            return None
        return jsonify(error="missing or invalid token"), 401

    @app.post("/oauth/token")
    def token():
        header = request.headers.get("Authorization", "")
        try:
            client_id, _, client_secret = base64.b64decode(header[6:]).decode().partition(":")
        except Exception:
            client_id = client_secret = ""
        if not (hmac.compare_digest(client_id, app.config["CLIENT_ID"])
                and hmac.compare_digest(client_secret, app.config["CLIENT_SECRET"])):
            return jsonify(error="invalid_client"), 401
        if request.form.get("grant_type") != "client_credentials":
            return jsonify(error="unsupported_grant_type"), 400
        value = secrets.token_urlsafe(24)
        tokens[value] = {"expires": time.time() + app.config["TOKEN_TTL"], "uses": 0}
        return jsonify(access_token=value, token_type="Bearer", expires_in=app.config["TOKEN_TTL"])

    def page_size() -> int:
        try:
            return max(1, min(int(request.args.get("limit") or request.args.get("per_page") or app.config["PAGE_SIZE"]), 500))
        except ValueError:
            return app.config["PAGE_SIZE"]

    @app.get("/api/customers")
    def by_next_url():
        size = page_size()
        after = int(request.args.get("after") or 0)
        chunk = [c for c in customers() if c["id"] > after][:size]
        more = chunk and chunk[-1]["id"] < customers()[-1]["id"]
        following = url_for("by_next_url", after=chunk[-1]["id"], limit=size) if more else None
        return jsonify(data=chunk, next=following, total=len(customers()))

    def numbered_page() -> list[dict]:
        size = page_size()
        page = max(int(request.args.get("page") or 1), 1)
        return customers()[(page - 1) * size: page * size]

    @app.get("/api/customers/paged")
    def by_page_number():
        return jsonify(numbered_page())

    @app.get("/api/customers/linked")
    def by_link_header():
        page = max(int(request.args.get("page") or 1), 1)
        chunk = numbered_page()
        response = jsonify(chunk)
        if page * page_size() < len(customers()):
            following = url_for("by_link_header", page=page + 1, per_page=page_size(), _external=True)
            response.headers["Link"] = f'<{following}>; rel="next"'
        return response

    @app.get("/api/customers/cursor")
    def by_cursor():
        size = page_size()
        cursor = request.args.get("cursor") or ""
        after = int(base64.urlsafe_b64decode(cursor.encode()).decode()) if cursor else 0
        chunk = [c for c in customers() if c["id"] > after][:size]
        more = chunk and chunk[-1]["id"] < customers()[-1]["id"]
        following = base64.urlsafe_b64encode(str(chunk[-1]["id"]).encode()).decode() if more else None
        return jsonify(items=chunk, next_cursor=following)

    @app.post("/api/echo")
    def echo():
        return jsonify(json=request.get_json(silent=True), form=request.form.to_dict(),
                       files={k: f.read().decode("utf-8", "replace") for k, f in request.files.items()},
                       args=request.args.to_dict()), 201

    @app.get("/api/status/<int:code>")
    def status(code: int):
        return jsonify(error=f"you asked for {code}", detail="x" * 50), code

    return app
