"""Users, the audit chain and the console on a real PostgreSQL (the multi-machine store)."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner

from bots import audit, users
from bots.cli import cli
from bots.store import RunStore
from tests.console.conftest import PASSWORD, sign_in


def test_console_users_audit_and_pages_work_the_same_on_postgresql(postgres_url, monkeypatch, deskbot_home):
    monkeypatch.setenv("DESKBOT_DATABASE", postgres_url)
    store = RunStore(deskbot_home)
    users.add_user("pg-admin", "admin", PASSWORD, actor="test", store=store)
    store.start_run("pg-run", "bank", "", {"type": "manual"}, {}, deskbot_home)
    store.finish_run("pg-run", "failed", error="<b>portal</b> down")

    from console.app import create_app

    app = create_app(home=deskbot_home, settings={})
    client = app.test_client()
    assert sign_in(client, "pg-admin", "wrong password!").status_code == 401
    assert sign_in(client, "pg-admin").status_code == 302
    body = client.get("/runs/pg-run").get_data(as_text=True)
    assert "&lt;b&gt;portal&lt;/b&gt; down" in body
    assert "bank" in client.get("/").get_data(as_text=True)
    assert CliRunner().invoke(cli, ["audit", "verify"]).exit_code == 0
    # the trigger keeps the trail append-only on PostgreSQL too; a hand edit without it is caught
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        try:
            conn.execute(sa.text("UPDATE audit_log SET actor='mallory' WHERE seq=1"))
            refused = False
        except sa.exc.DBAPIError:
            refused = True
    assert refused
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        conn.execute(sa.text("UPDATE audit_log SET actor='mallory' WHERE seq=1"))
    engine.dispose()
    broken = CliRunner().invoke(cli, ["audit", "verify"])
    assert broken.exit_code == 1 and "entry 1" in broken.stderr
    assert [e.action for e in audit.entries(store=store)][:2] == ["sign-in", "sign-in.failed"]
