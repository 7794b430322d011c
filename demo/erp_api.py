"""The demo ERP's REST API: customers and orders, behind an API key (``X-Api-Key``).

    app = create_app({"ORDERS": 10_000})
    app.extensions["erp"].customers       # code -> customer, as the sync left them
    app.extensions["erp"].writes          # how many PUTs changed something

- ``GET /api/customers?page=&per_page=`` → a JSON list (``[]`` past the end)
- ``PUT /api/customers/<code>`` with ``{crm_id, name, email, region, industry, since}``:
  201 created, 200 with ``{"changed": true|false}``; a code that breaks the rule
  region-industry-sequence (``N-RT-0007``) or a date that is not ``YYYY-MM-DD`` is a 422 naming
  the field.
- ``GET /api/orders?page=&per_page=`` → ``{"orders": [...], "page": n, "pages": m}``; order dates
  come as ``YYYYMMDD`` (as many ERPs export them), amounts as strings.
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Flask, jsonify, request

DEFAULTS = {"API_KEY": "erp-demo-key", "ORDERS": 500, "SEED": 11}
CODE_RULE = re.compile(r"^[NESW]-(RT|MF|SV|LG)-\d{4}$")
FIELDS = ("crm_id", "name", "email", "region", "industry", "since")


@dataclass
class ErpState:
    customers: dict[str, dict] = field(default_factory=dict)
    orders: list[dict] = field(default_factory=list)
    writes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def seed_orders(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    start = date(2026, 1, 2)
    orders = []
    for number in range(1, count + 1):
        day = start + timedelta(days=rng.randrange(0, 330))
        orders.append({
            "order_id": 100000 + number,
            "customer": f"{rng.choice('NESW')}-{rng.choice(['RT', 'MF', 'SV', 'LG'])}-{rng.randrange(1, 200):04d}",
            "ordered": day.strftime("%Y%m%d"),
            "total": f"{rng.randrange(100, 5_000_000) / 100:.2f}",
            "status": rng.choice(["new", "confirmed", "shipped"]),
        })
    return orders


def create_app(config: dict | None = None) -> Flask:
    app = Flask("demo.erp_api")
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    state = ErpState(orders=seed_orders(app.config["ORDERS"], app.config["SEED"]))
    app.extensions["erp"] = state

    @app.before_request
    def key_required():
        if request.headers.get("X-Api-Key") != app.config["API_KEY"]:
            return jsonify(error="missing or wrong X-Api-Key"), 401
        return None

    def page_args(default_size: int) -> tuple[int, int]:
        try:
            page = max(int(request.args.get("page") or 1), 1)
            size = max(1, min(int(request.args.get("per_page") or default_size), 1000))
        except ValueError:
            return 1, default_size
        return page, size

    @app.get("/api/customers")
    def customers():
        page, size = page_args(100)
        with state.lock:
            listed = sorted(state.customers.values(), key=lambda c: c["code"])
        return jsonify(listed[(page - 1) * size: page * size])

    @app.put("/api/customers/<code>")
    def put_customer(code: str):
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return jsonify(error="send a JSON object"), 400
        if not CODE_RULE.match(code):
            return jsonify(error=f"code {code!r} breaks the rule region-industry-sequence, e.g. N-RT-0007"), 422
        missing = [f for f in FIELDS if body.get(f) in (None, "")]
        if missing:
            return jsonify(error=f"missing: {', '.join(missing)}"), 422
        try:
            date.fromisoformat(str(body["since"]))
        except ValueError:
            return jsonify(error=f"since {body['since']!r} is not YYYY-MM-DD"), 422
        record = {"code": code, **{f: body[f] for f in FIELDS}}
        with state.lock:
            before = state.customers.get(code)
            if before == record:
                return jsonify(changed=False), 200
            state.customers[code] = record
            state.writes += 1
        return (jsonify(changed=True), 201) if before is None else (jsonify(changed=True), 200)

    @app.get("/api/orders")
    def orders():
        page, size = page_args(200)
        pages = max((len(state.orders) + size - 1) // size, 1)
        return jsonify(orders=state.orders[(page - 1) * size: page * size], page=page, pages=pages)

    return app
