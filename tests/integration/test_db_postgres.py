"""The db steps against a real PostgreSQL server (started by the tests on 127.0.0.1)."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner
from sqlalchemy import create_engine, text

from bots.cli import cli


def test_upsert_and_query_on_postgresql_twice(postgres_url, write_recipe, deskbot_home, monkeypatch):
    engine = create_engine(postgres_url)
    with engine.begin() as c:
        c.execute(text("CREATE TABLE customers (code varchar(16) PRIMARY KEY, name text NOT NULL,"
                       " since date, credit numeric(12,2))"))
    monkeypatch.setenv("ERP_DB", postgres_url)
    recipe = write_recipe("""
        name: pg-sync
        secrets: [ERP_DB]
        vars:
          rows:
            - {code: N-RT-0001, name: Acme, since: "2026-01-05", credit: "1000.10"}
            - {code: E-MF-0002, name: "杭州明远", since: "2026-02-01", credit: 250.5}
        steps:
          - id: up
            db.upsert: {url: "{{ secrets.ERP_DB }}", table: customers, rows: "{{ vars.rows }}", key: [code]}
          - id: q
            db.query: {url: "{{ secrets.ERP_DB }}", sql: "SELECT sum(credit) AS total FROM customers WHERE since >= :d",
                       params: {d: "2026-01-01"}}
          - id: out
            set: {total: "{{ steps.q.rows[0].total | string }}", up: "{{ steps.up }}"}
    """)
    outputs = []
    for _ in range(2):
        result = CliRunner().invoke(cli, ["run", str(recipe), "--json"])
        assert result.exit_code == 0, result.output
        run_id = json.loads(result.stdout[result.stdout.index("{"):])["run_id"]
        with sqlite3.connect(deskbot_home / "runs.db") as db:
            outputs.append(json.loads(db.execute("SELECT outputs FROM step_attempts WHERE run_id=? AND step_id='up'",
                                                 (run_id,)).fetchone()[0]))
    assert outputs == [{"inserted": 2, "updated": 0, "unchanged": 0}, {"inserted": 0, "updated": 0, "unchanged": 2}]
    with engine.connect() as c:
        assert c.execute(text("SELECT sum(credit) FROM customers")).scalar() == __import__("decimal").Decimal("1250.60")
