"""Migrations of the store's schema (Alembic), applied by the store when it opens a database.

Tables a release adds are created by ``metadata.create_all`` in their newest shape; a migration
changes tables an older release created (columns, indexes, rebuilt tables) and must be a no-op on
a table that is already in its newest shape. Revisions are numbered: ``versions/NNNN_what.py``
with ``revision = "NNNN"`` and ``down_revision`` the one before, so the newest one is known
without loading Alembic (a process that finds its database at head never imports it).

    deskbot db status      # where state lives, its revision, and the newest one
    deskbot db upgrade     # apply migrations (SQLite and the store do this by themselves)
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

HERE = Path(__file__).resolve().parent
VERSION_TABLE = "alembic_version"


def head() -> str | None:
    numbers = sorted(m.group(1) for p in (HERE / "versions").glob("*.py")
                     if (m := re.match(r"(\d{4})_", p.name)))
    return numbers[-1] if numbers else None


def current(conn: Connection) -> str | None:
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def upgrade(conn: Connection) -> str | None:
    """Bring the schema on ``conn`` (inside the caller's transaction) to the newest revision."""
    target = head()
    if target is None or current(conn) == target:
        return target
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
    return target
