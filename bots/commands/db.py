"""``deskbot db upgrade|status``: the store's schema and where state lives.

    deskbot db status     # URL (password hidden), engine, schema revision, run count
    deskbot db upgrade    # create missing tables and apply migrations (the store also does it on open)
"""

from __future__ import annotations

import click
from sqlalchemy import func, select
from sqlalchemy.engine import make_url


@click.group("db")
def db_group() -> None:
    """The store: where state lives and its schema."""


def _where() -> tuple[str, str]:
    from bots.store import database_url

    url = database_url()
    return url, make_url(url).render_as_string(hide_password=True)


@db_group.command("status")
def status() -> None:
    """Say where state lives, the schema revision and how many runs it holds."""
    from bots import migrations
    from bots.store import engine_for, runs

    url, shown = _where()
    engine = engine_for(url)
    with engine.connect() as conn:
        revision = migrations.current(conn)
        count = conn.execute(select(func.count()).select_from(runs)).scalar()
    head = migrations.head()
    state = "up to date" if revision == head else f"behind (newest {head}); run 'deskbot db upgrade'"
    click.echo(f"database: {shown}")
    click.echo(f"engine:   {engine.dialect.name}")
    click.echo(f"schema:   revision {revision} ({state})")
    click.echo(f"runs:     {count}")


@db_group.command("upgrade")
def upgrade() -> None:
    """Create missing tables and apply migrations."""
    from bots import migrations
    from bots.store import engine_for

    url, shown = _where()
    engine = engine_for(url)  # opening a store prepares it
    with engine.connect() as conn:
        click.echo(f"{shown}: schema at revision {migrations.current(conn)}")


def register(cli: click.Group) -> None:
    cli.add_command(db_group)
