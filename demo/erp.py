"""The demo ERP: accounts payable, the cash ledger and a vendor form, as a small Flask app.

Pages (all but ``/login`` need a signed-in session; user ``ERP_USER``/``ERP_PASSWORD``):

- ``/ap``            enter a vendor invoice through a form and see every invoice in a table
                     (``#invoices``). The form's fields come in a new order with new input ids on
                     every load, and are labelled three ways (``for=``, a wrapping label, a bare
                     label beside its input), so bots must find fields by their label text.
                     The server checks the invoice (required fields, dates, total = net + tax,
                     no second entry of the same vendor + invoice number) and names what is wrong.
- ``/ledger``        the cash account (GL 1002) for a date range, ``Export XLSX`` of it
                     (``/ledger/export.xlsx?from=&to=``, sheet ``GL``)
- ``/vendors/new``   a seven-field vendor form, reshuffled on every load (the forms benchmark)
- ``/payments``      the cashier pays a payee (an approved expense claim): payee, amount,
                     currency, reference, memo; a reference is paid once (a second payment of
                     it is refused), every payment in ``#payments``
- ``/_demo/invoices``, ``/_demo/vendors``, ``/_demo/payments`` (JSON), ``/_demo/reset``: test hooks.

Everything is in memory per app instance; the ledger comes from ``demo.sample_data``.
"""

from __future__ import annotations

import random
import secrets
import threading
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from flask import Flask, Response, abort, flash, jsonify, redirect, render_template, request, url_for

from demo import sample_data
from demo.web import add_sign_out, needs_sign_in, password_matches, signed_in, to_sign_in

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULTS = {"ERP_USER": "demo", "ERP_PASSWORD": "demo-password"}
CURRENCIES = ["CNY", "USD", "EUR", "HKD", "JPY"]
COUNTRIES = ["China", "Hong Kong", "Singapore", "Germany", "United States", "Japan", "France", "United Kingdom"]

# name, label as the page shows it, kind, required
INVOICE_FIELDS = [
    ("vendor", "Vendor", "text", True),
    ("invoice_number", "Invoice number", "text", True),
    ("invoice_date", "Invoice date", "date", True),
    ("due_date", "Due date", "date", False),
    ("currency", "Currency", "select", True),
    ("net_amount", "Net amount", "text", False),
    ("tax_amount", "Tax amount", "text", False),
    ("total_amount", "Total amount", "text", True),
    ("po_number", "PO number", "text", False),
    ("description", "Description", "textarea", False),
    ("approved", "Approved for payment", "checkbox", False),
]
VENDOR_FIELDS = [
    ("company", "Company name", "text", True),
    ("tax_id", "Tax ID", "text", True),
    ("email", "Contact email", "email", True),
    ("phone", "Phone", "text", False),
    ("city", "City", "text", True),
    ("country", "Country", "select", True),
    ("iban", "IBAN", "text", False),
]
PAYMENT_FIELDS = [
    ("payee", "Payee", "text", True),
    ("amount", "Amount", "text", True),
    ("currency", "Currency", "select", True),
    ("reference", "Reference", "text", True),
    ("memo", "Memo", "textarea", False),
]
_STYLES = ("for", "wrap", "beside")


def _shuffled_fields(spec, values: dict, rng: random.Random) -> list[dict]:
    order = list(spec)
    rng.shuffle(order)
    styles = list(_STYLES)
    rng.shuffle(styles)
    fields = []
    for i, (name, label, kind, _required) in enumerate(order):
        options = CURRENCIES if name == "currency" else COUNTRIES if name == "country" else []
        value = values.get(name, "CNY" if name == "currency" else "")
        fields.append({"name": name, "label": label, "kind": kind, "id": f"f{rng.getrandbits(40):x}",
                       "style": styles[i % len(styles)], "options": options, "value": value})
    return fields


def _amount(text: str, label: str, errors: list[str]) -> Decimal | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.append(f"{label}: '{text}' is not an amount.")
        return None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        errors.append(f"{label}: '{text}' is not an amount.")
        return None
    return value.quantize(Decimal("0.01"))


def _date(text: str, label: str, errors: list[str], required: bool) -> str:
    text = (text or "").strip()
    if not text:
        if required:
            errors.append(f"{label} is required.")
        return ""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        errors.append(f"{label}: '{text}' is not a date (YYYY-MM-DD).")
        return ""


def create_app(config: dict | None = None) -> Flask:
    app = Flask("demo.erp", template_folder=str(TEMPLATES))
    app.config.update(DEFAULTS)
    app.config["SECRET_KEY"] = secrets.token_hex(16)
    app.config.update(config or {})
    lock = threading.Lock()
    rng = random.Random()  # field order must differ on every load, so deliberately unseeded
    state: dict = {"invoices": [], "vendors": [], "payments": []}
    info = sample_data.company()

    def reset() -> None:
        with lock:
            state["invoices"] = []
            state["vendors"] = []
            state["payments"] = []
            for seed in info["seed_invoices"]:
                _store_invoice(dict(seed, approved=""))

    def _store_invoice(inv: dict) -> dict:
        inv = dict(inv)
        inv["ap_number"] = f"AP-{len(state['invoices']) + 1:05d}"
        inv["status"] = "Approved" if inv.get("approved") else "Entered"
        state["invoices"].append(inv)
        return inv

    reset()

    @app.context_processor
    def branding():
        return {"app_title": "Demo ERP", "brand_color": "#5a2a82"}

    @app.before_request
    def guard():
        if not request.path.startswith("/_demo/") and needs_sign_in():
            return to_sign_in()
        return None

    add_sign_out(app)

    @app.get("/_demo/invoices")
    def invoices_json():
        with lock:
            return jsonify(state["invoices"])

    @app.get("/_demo/vendors")
    def vendors_json():
        with lock:
            return jsonify(state["vendors"])

    @app.get("/_demo/payments")
    def payments_json():
        with lock:
            return jsonify(state["payments"])

    @app.get("/_demo/reset")
    def reset_json():
        reset()
        return jsonify(ok=True)

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "GET":
            return render_template("erp_login.html", error=None, username="")
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        if not password_matches(username, password, app.config["ERP_USER"], app.config["ERP_PASSWORD"]):
            return render_template("erp_login.html", error="Wrong user name or password.", username=username), 401
        return signed_in(username, home="ap")

    @app.get("/")
    def index():
        return redirect(url_for("ap"))

    def _render_ap(values: dict, errors: list[str], status: int = 200):
        with lock:
            invoices = list(state["invoices"])
        return render_template("erp_ap.html", fields=_shuffled_fields(INVOICE_FIELDS, values, rng),
                               errors=errors, invoices=invoices), status

    @app.route("/ap", methods=["GET", "POST"])
    def ap():
        if request.method == "GET":
            return _render_ap({}, [])
        form = {name: request.form.get(name, "").strip() for name, *_ in INVOICE_FIELDS}
        errors: list[str] = []
        for name, label, _kind, required in INVOICE_FIELDS:
            if required and not form[name] and _kind not in ("date",):
                errors.append(f"{label} is required.")
        invoice_date = _date(form["invoice_date"], "Invoice date", errors, True)
        due_date = _date(form["due_date"], "Due date", errors, False)
        if invoice_date and due_date and due_date < invoice_date:
            errors.append("Due date is before the invoice date.")
        if form["currency"] and form["currency"] not in CURRENCIES:
            errors.append(f"Currency: '{form['currency']}' is not one of {', '.join(CURRENCIES)}.")
        net = _amount(form["net_amount"], "Net amount", errors)
        tax = _amount(form["tax_amount"], "Tax amount", errors)
        total = _amount(form["total_amount"], "Total amount", errors)
        if total is not None and net is not None and tax is not None and net + tax != total:
            errors.append(f"Total amount {total} is not net {net} + tax {tax}.")
        with lock:
            duplicate = next((i for i in state["invoices"]
                              if i["vendor"].casefold() == form["vendor"].casefold()
                              and i["invoice_number"].casefold() == form["invoice_number"].casefold()), None)
            if duplicate and form["vendor"]:
                errors.append(f"Invoice {form['invoice_number']} from {form['vendor']} is already entered "
                              f"({duplicate['ap_number']}).")
            if errors:
                saved = None
            else:
                saved = _store_invoice({
                    **form, "invoice_date": invoice_date, "due_date": due_date,
                    "net_amount": f"{net:.2f}" if net is not None else "",
                    "tax_amount": f"{tax:.2f}" if tax is not None else "", "total_amount": f"{total:.2f}",
                    "approved": "yes" if form["approved"] else ""})
        if saved is None:
            return _render_ap(form, errors, 422)
        flash(f"Invoice {saved['invoice_number']} from {saved['vendor']} saved as {saved['ap_number']}.")
        return redirect(url_for("ap"))

    @app.route("/vendors/new", methods=["GET", "POST"])
    def new_vendor():
        errors: list[str] = []
        form: dict = {}
        status = 200
        if request.method == "POST":
            form = {name: request.form.get(name, "").strip() for name, *_ in VENDOR_FIELDS}
            for name, label, _kind, required in VENDOR_FIELDS:
                if required and not form[name]:
                    errors.append(f"{label} is required.")
            if form["country"] and form["country"] not in COUNTRIES:
                errors.append(f"Country: '{form['country']}' is not a known country.")
            if form["email"] and "@" not in form["email"]:
                errors.append(f"Contact email: '{form['email']}' is not an email address.")
            if not errors:
                with lock:
                    state["vendors"].append(form)
                    count = len(state["vendors"])
                flash(f"Vendor {form['company']} saved (#{count}).")
                return redirect(url_for("new_vendor"))
            status = 422
        with lock:
            count = len(state["vendors"])
        return render_template("erp_vendor.html", fields=_shuffled_fields(VENDOR_FIELDS, form, rng),
                               errors=errors, count=count), status

    @app.route("/payments", methods=["GET", "POST"])
    def payments():
        errors: list[str] = []
        form: dict = {}
        status = 200
        if request.method == "POST":
            form = {name: request.form.get(name, "").strip() for name, *_ in PAYMENT_FIELDS}
            for name, label, _kind, required in PAYMENT_FIELDS:
                if required and not form[name]:
                    errors.append(f"{label} is required.")
            amount = _amount(form["amount"], "Amount", errors)
            if amount is not None and amount <= 0:
                errors.append(f"Amount: {amount} is not more than zero.")
            if form["currency"] and form["currency"] not in CURRENCIES:
                errors.append(f"Currency: '{form['currency']}' is not one of {', '.join(CURRENCIES)}.")
            with lock:
                paid = next((p for p in state["payments"] if p["reference"] == form["reference"]), None)
                if paid and form["reference"]:
                    errors.append(f"Reference {form['reference']} is already paid ({paid['number']}).")
                if not errors:
                    saved = {**form, "amount": f"{amount:.2f}", "number": f"PAY-{len(state['payments']) + 1:05d}",
                             "paid_on": date.today().isoformat()}
                    state["payments"].append(saved)
            if not errors:
                flash(f"{saved['amount']} {saved['currency']} to {saved['payee']} paid as {saved['number']}.")
                return redirect(url_for("payments"))
            status = 422
        with lock:
            done = list(state["payments"])
        return render_template("erp_payments.html", fields=_shuffled_fields(PAYMENT_FIELDS, form, rng),
                               errors=errors, payments=done), status

    def _range():
        raw_from, raw_to = request.args.get("from", "").strip(), request.args.get("to", "").strip()
        if not raw_from and not raw_to:
            return None, None, None
        try:
            start, end = date.fromisoformat(raw_from), date.fromisoformat(raw_to)
        except ValueError:
            return None, None, "Enter both dates as YYYY-MM-DD."
        if end < start or (end - start).days > 366:
            return None, None, "Choose a range of at most one year, the end after the start."
        return start, end, None

    @app.get("/ledger")
    def ledger():
        start, end, error = _range()
        rows = sample_data.ledger_entries(start, end) if start else None
        return render_template("erp_ledger.html", rows=rows, error=error, gl_account=info["bank"]["gl_account"],
                               start=start.isoformat() if start else "", end=end.isoformat() if end else "")

    @app.get("/ledger/export.xlsx")
    def export_ledger():
        start, end, error = _range()
        if start is None:
            abort(400, error or "from and to are required")
        return Response(sample_data.ledger_xlsx(sample_data.ledger_entries(start, end)),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition":
                                 f'attachment; filename="ledger_{start.isoformat()}_{end.isoformat()}.xlsx"'})

    return app
