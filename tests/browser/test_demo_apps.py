"""The demo bank portal and ERP, through Flask's test client (no browser needed)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from demo import bank_portal, erp, sample_data
from demo.bank_portal import totp

SEED = "JBSWY3DPEHPK3PXP"
OCT = {"from": "2026-10-01", "to": "2026-10-31"}


@pytest.fixture
def bank():
    app = bank_portal.create_app({"DEMO_SPINNER_MS": 0})
    return app, app.test_client()


def login_bank(client, code=None, password="demo-password"):
    return client.post("/login", data={"username": "demo", "password": password, "otp": code or totp(SEED)})


def test_totp_matches_rfc6238_reference_vector():
    # RFC 6238 appendix B, SHA-1, T=59s: 94287082 (8 digits) -> 287082 with 6 digits
    seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert totp(seed, at=59, digits=8) == "94287082"
    assert totp(seed, at=59) == "287082"


def test_bank_login_needs_password_and_current_one_time_code(bank):
    app, client = bank
    assert client.get("/accounts").status_code == 302
    bad = login_bank(client, password="nope")
    assert bad.status_code == 401 and b"Invalid username or password" in bad.data
    stale = login_bank(client, code=totp(SEED, at=1_000_000))
    assert stale.status_code == 401 and b"Invalid one-time code" in stale.data
    ok = login_bank(client)
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/accounts")
    assert b"6222 0210 0100 4521" in client.get("/accounts").data


def test_login_redirect_stays_on_the_portal(bank):
    _, client = bank
    response = client.post("/login?next=//evil.example/", data={"username": "demo", "password": "demo-password",
                                                              "otp": totp(SEED)})
    assert "evil" not in response.headers["Location"]


def test_statement_pages_and_exports_agree(bank):
    _, client = bank
    login_bank(client)
    page1 = client.get("/statement", query_string={**OCT, "page": 1}).data.decode()
    assert "Page 1 of 3" in page1 and 'rel="next"' in page1
    page3 = client.get("/statement", query_string={**OCT, "page": 3}).data.decode()
    assert 'rel="next"' not in page3 and 'rel="prev"' in page3
    rows = list(csv.DictReader(io.StringIO(client.get("/statement/export.csv", query_string=OCT).data.decode())))
    assert len(rows) == 27
    wb = load_workbook(io.BytesIO(client.get("/statement/export.xlsx", query_string=OCT).data))
    xrows = list(wb["Statement"].iter_rows(min_row=2, values_only=True))
    assert [str(r[2]) for r in xrows] == [r["Description"] for r in rows]
    assert sum(Decimal(r["Amount"]) for r in rows) == sum(Decimal(str(r[5])) for r in xrows).quantize(Decimal("0.01"))


def test_statement_rejects_bad_range(bank):
    _, client = bank
    login_bank(client)
    page = client.get("/statement", query_string={"from": "2026-10-31", "to": "2026-10-01"}).data
    assert b"end date is before the start date" in page
    assert client.get("/statement/export.csv", query_string={"from": "x", "to": "y"}).status_code == 400


def test_bank_statement_and_erp_ledger_match_except_the_deliberate_differences():
    start, end = date(2026, 10, 1), date(2026, 10, 31)
    bank_lines = sample_data.bank_transactions(start, end)
    ledger = sample_data.ledger_entries(start, end)
    bank_amounts = sorted(r["amount"] for r in bank_lines)
    ledger_amounts = sorted(r["debit"] - r["credit"] for r in ledger)
    gaps = {d["kind"]: d for d in sample_data.discrepancies(2026, 10)}
    assert set(gaps) == {"bank_only", "ledger_only", "amount"}
    only_bank = list(bank_amounts)
    for amount in ledger_amounts:
        if amount in only_bank:
            only_bank.remove(amount)
    assert sorted(only_bank) == sorted([Decimal(gaps["bank_only"]["amount"]), Decimal(gaps["amount"]["bank_amount"])])
    # the same month asked twice gives the same lines (seeded)
    assert sample_data.bank_transactions(start, end) == bank_lines


def test_seeded_503s_are_switchable_and_repeatable(bank):
    app, client = bank
    login_bank(client)
    client.get("/_demo/chaos", query_string={"fail_next": 2})
    assert [client.get("/accounts").status_code for _ in range(3)] == [503, 503, 200]
    client.get("/_demo/chaos", query_string={"rate": 0.5, "seed": 3})
    first = [client.get("/accounts").status_code for _ in range(12)]
    client.get("/_demo/chaos", query_string={"rate": 0.5, "seed": 3})
    again = [client.get("/accounts").status_code for _ in range(12)]
    assert first == again and 503 in first and 200 in first
    client.get("/_demo/chaos", query_string={"rate": 0})
    assert client.get("/accounts").status_code == 200


@pytest.fixture
def erp_client():
    app = erp.create_app()
    client = app.test_client()
    client.post("/login", data={"username": "demo", "password": "demo-password"})
    return client


def _field_order(html: str) -> list[str]:
    return re.findall(r'name="([a-z_]+)"', html.split('id="invoice-form"')[1].split("</form>")[0])


def test_ap_form_changes_field_order_and_ids_on_every_load(erp_client):
    pages = [erp_client.get("/ap").data.decode() for _ in range(5)]
    assert len({tuple(_field_order(p)) for p in pages}) > 1
    ids = [set(re.findall(r'id="(f[0-9a-f]+)"', p)) for p in pages]
    assert not ids[0] & ids[1]


def test_ap_invoice_saved_listed_and_not_entered_twice(erp_client):
    invoice = {"vendor": "Red Lantern Printing", "invoice_number": "RLP-7", "invoice_date": "2026-10-03",
               "due_date": "2026-11-02", "currency": "CNY", "net_amount": "1,000.00", "tax_amount": "130",
               "total_amount": "1130.00", "po_number": "", "description": "<b>flyers</b>"}
    saved = erp_client.post("/ap", data=invoice, follow_redirects=True)
    assert b"Invoice RLP-7 from Red Lantern Printing saved as AP-00003" in saved.data
    assert erp_client.get("/_demo/invoices").json[-1]["total_amount"] == "1130.00"
    again = erp_client.post("/ap", data=invoice)
    assert again.status_code == 422 and b"already entered (AP-00003)" in again.data
    wrong = erp_client.post("/ap", data={**invoice, "invoice_number": "RLP-8", "total_amount": "1200"})
    assert b"Total amount 1200.00 is not net 1000.00 + tax 130.00" in wrong.data
    hostile = erp_client.post("/ap", data={**invoice, "vendor": "<script>alert(1)</script>"}, follow_redirects=True)
    assert b"<script>alert(1)" not in hostile.data and b"&lt;script&gt;alert(1)" in hostile.data


def test_ledger_export_is_a_gl_workbook(erp_client):
    data = erp_client.get("/ledger/export.xlsx", query_string=OCT).data
    ws = load_workbook(io.BytesIO(data))["GL"]
    header = [c.value for c in ws[1]]
    assert header == ["Entry", "Date", "Account", "Description", "Reference", "Counterparty", "Debit", "Credit", "Currency"]
    assert ws.max_row - 1 == len(sample_data.ledger_entries(date(2026, 10, 1), date(2026, 10, 31)))


def test_shipped_sample_files_are_what_the_demo_apps_serve(tmp_path):
    from pathlib import Path

    shipped = Path(sample_data.DATA_DIR)
    fresh = {p.name: p for p in sample_data.write_samples(tmp_path, 2026, 10)}
    for name in ("bank_statement_2026-10.csv", "discrepancies_2026-10.json"):
        assert (shipped / name).read_bytes() == fresh[name].read_bytes(), f"{name} is stale: python -m demo.sample_data --month 2026-10"
    for name in ("bank_statement_2026-10.xlsx", "erp_ledger_2026-10.xlsx"):
        old = [list(r) for r in load_workbook(shipped / name).active.iter_rows(values_only=True)]
        new = [list(r) for r in load_workbook(fresh[name]).active.iter_rows(values_only=True)]
        assert old == new, f"{name} is stale: python -m demo.sample_data --month 2026-10"
