"""db.query / db.execute / db.upsert on a real SQLite file: bound parameters, one transaction, idempotent upserts."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from bots.cli import cli


@pytest.fixture
def warehouse(tmp_path, monkeypatch):
    path = tmp_path / "warehouse.db"
    with sqlite3.connect(path) as db:
        db.executescript("""
            CREATE TABLE customers (code TEXT PRIMARY KEY, name TEXT NOT NULL, since DATE, credit NUMERIC(12,2), active BOOLEAN);
            CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total NUMERIC(12,2), status TEXT);
            INSERT INTO customers VALUES ('N-RT-0001', 'Acme', '2026-01-05', 1000.00, 1);
        """)
    monkeypatch.setenv("WAREHOUSE_DB", f"sqlite:///{path}")
    return path


def run(write_recipe, text):
    result = CliRunner().invoke(cli, ["run", str(write_recipe(text)), "--json"])
    return result, json.loads(result.stdout[result.stdout.index("{"):]) if "{" in result.stdout else None


def outputs(home, run_id, step_id):
    with sqlite3.connect(home / "runs.db") as db:
        return json.loads(db.execute("SELECT outputs FROM step_attempts WHERE run_id=? AND step_id=? AND status='ok'",
                                     (run_id, step_id)).fetchone()[0])


UPSERT = """
    name: sync
    secrets: [WAREHOUSE_DB]
    vars:
      rows:
        - {code: N-RT-0001, name: Acme, since: "2026-01-05", credit: "1000.00", active: "yes"}
        - {code: E-MF-0002, name: "Blue River", since: "2026-02-01", credit: 250.5, active: true}
        - {code: S-SV-0003, name: "杭州明远贸易", since: "2026-03-09", credit: "0", active: 0}
    steps:
      - id: up
        db.upsert: {url: "{{ secrets.WAREHOUSE_DB }}", table: customers, rows: "{{ vars.rows }}", key: [code]}
"""


def test_upsert_run_twice_changes_nothing_the_second_time(warehouse, write_recipe, deskbot_home):
    first, summary = run(write_recipe, UPSERT)
    assert first.exit_code == 0, first.output
    assert outputs(deskbot_home, summary["run_id"], "up") == {"inserted": 2, "updated": 0, "unchanged": 1}
    second, summary = run(write_recipe, UPSERT)
    assert outputs(deskbot_home, summary["run_id"], "up") == {"inserted": 0, "updated": 0, "unchanged": 3}
    with sqlite3.connect(warehouse) as db:
        rows = db.execute("SELECT code, name, since, credit, active FROM customers ORDER BY code").fetchall()
    assert rows == [("E-MF-0002", "Blue River", "2026-02-01", 250.5, 1), ("N-RT-0001", "Acme", "2026-01-05", 1000, 1),
                    ("S-SV-0003", "杭州明远贸易", "2026-03-09", 0, 0)]


def test_upsert_updates_only_changed_rows(warehouse, write_recipe, deskbot_home):
    run(write_recipe, UPSERT)
    changed = UPSERT.replace('name: "Blue River"', 'name: "Blue River Foods"')
    result, summary = run(write_recipe, changed)
    assert outputs(deskbot_home, summary["run_id"], "up") == {"inserted": 0, "updated": 1, "unchanged": 2}


def test_a_bad_value_names_row_and_column_and_writes_nothing(warehouse, write_recipe, deskbot_home):
    bad = UPSERT.replace('since: "2026-03-09"', 'since: "31/02/2026"')
    result, summary = run(write_recipe, bad)
    assert result.exit_code == 1
    assert "row 3" in summary["error"] and "since" in summary["error"]
    with sqlite3.connect(warehouse) as db:
        assert db.execute("SELECT count(*) FROM customers").fetchone()[0] == 1  # nothing half written


def test_query_binds_parameters_so_injection_is_just_text(warehouse, write_recipe, deskbot_home):
    result, summary = run(write_recipe, """
        name: q
        secrets: [WAREHOUSE_DB]
        steps:
          - id: q
            db.query:
              url: "{{ secrets.WAREHOUSE_DB }}"
              sql: "SELECT code, name FROM customers WHERE name = :name"
              params: {name: "x' OR '1'='1"}
          - id: all
            db.query: {url: "{{ secrets.WAREHOUSE_DB }}", sql: "SELECT * FROM customers"}
          - id: n
            set: {found: "{{ steps.q.count }}", total: "{{ steps.all.count }}", first: "{{ steps.all.rows[0].name }}",
                  columns: "{{ steps.all.table.columns | list }}"}
    """)
    assert result.exit_code == 0, result.output
    assert outputs(deskbot_home, summary["run_id"], "n")["values"] == {
        "found": 0, "total": 1, "first": "Acme", "columns": ["code", "name", "since", "credit", "active"]}


def test_execute_many_is_one_transaction(warehouse, write_recipe, deskbot_home):
    result, summary = run(write_recipe, """
        name: ex
        secrets: [WAREHOUSE_DB]
        steps:
          - id: ins
            db.execute:
              url: "{{ secrets.WAREHOUSE_DB }}"
              sql: "INSERT INTO orders (id, customer, total, status) VALUES (:id, :c, :t, 'new')"
              params: [{id: 1, c: A, t: 10}, {id: 2, c: B, t: 20}, {id: 1, c: C, t: 30}]
    """)
    assert result.exit_code == 1 and "UNIQUE" in summary["error"]
    with sqlite3.connect(warehouse) as db:
        assert db.execute("SELECT count(*) FROM orders").fetchone()[0] == 0  # the first two rolled back too
    result, summary = run(write_recipe, """
        name: ex2
        secrets: [WAREHOUSE_DB]
        steps:
          - id: ins
            db.execute:
              url: "{{ secrets.WAREHOUSE_DB }}"
              sql: "INSERT INTO orders (id, customer, total, status) VALUES (:id, :c, :t, 'new')"
              params: [{id: 1, c: A, t: 10}, {id: 2, c: B, t: 20}]
    """)
    assert outputs(deskbot_home, summary["run_id"], "ins") == {"rowcount": 2}


def test_database_password_never_shown(tmp_path, write_recipe, deskbot_home, monkeypatch):
    monkeypatch.setenv("ERP_DB", "postgresql+psycopg://erp:S3cret-Pw@127.0.0.1:1/erp")
    result, summary = run(write_recipe, """
        name: pw
        secrets: [ERP_DB]
        steps:
          - db.query: {url: "{{ secrets.ERP_DB }}", sql: "SELECT 1"}
    """)
    assert result.exit_code == 1
    assert "S3cret-Pw" not in result.output
    dump = "\\n".join(sqlite3.connect(deskbot_home / "runs.db").iterdump())
    assert "S3cret-Pw" not in dump


def test_upsert_of_a_few_rows_into_a_big_table_and_of_a_table(warehouse, write_recipe, deskbot_home):
    # a table much larger than the batch is looked up by key; a small one is read whole: same answer
    with sqlite3.connect(warehouse) as db:
        db.executemany("INSERT INTO customers VALUES (?, ?, '2026-01-01', 10, 1)",
                       [(f"X-{n:04d}", f"Customer {n}") for n in range(40)])
    result, summary = run(write_recipe, """
        name: few
        secrets: [WAREHOUSE_DB]
        vars:
          rows:
            - {code: X-0003, name: "Customer 3", since: "2026-01-01", credit: "10.00", active: true}
            - {code: X-0007, name: "Customer Seven", since: "2026-01-01", credit: 10, active: true}
            - {code: X-9999, name: "New one", since: "2026-04-01", credit: "5", active: false}
        steps:
          - id: t
            table.select: {table: "{{ vars.rows }}", columns: [code, name, since, credit, active]}
          - id: up
            db.upsert: {url: "{{ secrets.WAREHOUSE_DB }}", table: customers, rows: "{{ steps.t.table }}", key: code}
    """)
    assert result.exit_code == 0, result.output
    assert outputs(deskbot_home, summary["run_id"], "up") == {"inserted": 1, "updated": 1, "unchanged": 1}
    with sqlite3.connect(warehouse) as db:
        assert db.execute("SELECT name FROM customers WHERE code = 'X-0007'").fetchone() == ("Customer Seven",)
        assert db.execute("SELECT count(*) FROM customers").fetchone()[0] == 42


def test_upsert_row_with_an_empty_key_is_named(warehouse, write_recipe, deskbot_home):
    result, summary = run(write_recipe, UPSERT.replace("code: E-MF-0002", 'code: ""'))
    assert result.exit_code == 1
    assert "row 2" in summary["error"] and "code" in summary["error"]
