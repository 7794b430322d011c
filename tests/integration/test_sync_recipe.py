"""The shipped CRM -> ERP -> warehouse sync, end to end against the demo APIs, run twice."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bots.cli import cli
from demo import crm_api, erp_api
from demo.server import serve_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def systems(tmp_path, monkeypatch):
    crm = serve_app(crm_api.create_app({"CUSTOMERS": 60}), name="crm")
    erp = serve_app(erp_api.create_app({"ORDERS": 700}), name="erp-api")
    settings = yaml.safe_load((ROOT / "config" / "settings.yaml").read_text())
    settings["crm_api"]["url"], settings["erp_api"]["url"] = crm.url, erp.url
    (tmp_path / "settings.yaml").write_text(yaml.safe_dump(settings))
    monkeypatch.setenv("DESKBOT_SETTINGS", str(tmp_path / "settings.yaml"))
    monkeypatch.setenv("CRM_TOKEN", "crm-demo-token")
    monkeypatch.setenv("ERP_API_KEY", "erp-demo-key")
    warehouse = tmp_path / "warehouse.db"
    monkeypatch.setenv("WAREHOUSE_DB", f"sqlite:///{warehouse}")
    yield crm, erp, warehouse
    crm.stop()
    erp.stop()


def sync():
    result = CliRunner().invoke(cli, ["run", str(ROOT / "recipes" / "crm_erp_sync.yaml"), "--json"])
    return result, json.loads(result.stdout[result.stdout.index("{"):])


def test_sync_end_to_end_twice_changes_nothing_the_second_time(systems, deskbot_home):
    crm, erp, warehouse = systems
    result, summary = sync()
    assert result.exit_code == 0, result.output
    state = erp.app.extensions["erp"]
    assert len(state.customers) == 60 and state.writes == 60
    some = state.customers["%s-%s-0007" % (crm.app.extensions["customers"][6]["region"],
                                          crm.app.extensions["customers"][6]["industry"])]
    assert some["name"] == some["name"].strip() and len(some["since"]) == 10 and some["since"][4] == "-"
    with sqlite3.connect(warehouse) as db:
        assert db.execute("SELECT count(*), sum(total) FROM orders").fetchone()[0] == 700
        first = db.execute("SELECT ordered, total FROM orders ORDER BY order_id LIMIT 1").fetchone()
    source = erp.app.extensions["erp"].orders[0]
    assert first[0] == f"{source['ordered'][:4]}-{source['ordered'][4:6]}-{source['ordered'][6:]}"

    result, summary = sync()
    assert result.exit_code == 0, result.output
    assert state.writes == 60  # nothing changed in the ERP
    log = (deskbot_home / "runs" / summary["run_id"] / "run.log").read_text()
    assert "orders: 0 new, 0 changed, 700 as they were" in log

    crm.app.extensions["customers"][0]["name"] = "Renamed Customer 0001"
    state.orders[5]["total"] = "1.00"
    result, summary = sync()
    assert state.writes == 61
    log = (deskbot_home / "runs" / summary["run_id"] / "run.log").read_text()
    assert "orders: 0 new, 1 changed, 699 as they were" in log
