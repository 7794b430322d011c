"""``deskbot db upgrade|status``: the store's schema and where state lives.

    deskbot db status     # URL (password hidden), engine, schema revision, run count, rows per table
    deskbot db upgrade    # create missing tables and apply migrations (the store also does it on open)
    deskbot db copy --to postgresql+psycopg://deskbot@db/deskbot
                          # copy the whole store (e.g. SQLite -> PostgreSQL); counts and checksums compared
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
    """Say where state lives, the schema revision, how many runs it holds and what each table holds."""
    from bots import migrations
    from bots.store import engine_for, metadata, runs

    url, shown = _where()
    engine = engine_for(url)
    with engine.connect() as conn:
        revision = migrations.current(conn)
        count = conn.execute(select(func.count()).select_from(runs)).scalar()
        tables = {table.name: conn.execute(select(func.count()).select_from(table)).scalar()
                  for table in sorted(metadata.sorted_tables, key=lambda t: t.name)}
    head = migrations.head()
    state = "up to date" if revision == head else f"behind (newest {head}); run 'deskbot db upgrade'"
    click.echo(f"database: {shown}")
    click.echo(f"engine:   {engine.dialect.name}")
    click.echo(f"schema:   revision {revision} ({state})")
    click.echo(f"runs:     {count}")
    click.echo("tables:")
    width = max(map(len, tables), default=5)
    for name, rows in tables.items():
        click.echo(f"  {name:<{width}}  {rows:>9} rows")


@db_group.command("upgrade")
def upgrade() -> None:
    """Create missing tables and apply migrations."""
    from bots import migrations
    from bots.store import engine_for

    url, shown = _where()
    engine = engine_for(url)  # opening a store prepares it
    with engine.connect() as conn:
        click.echo(f"{shown}: schema at revision {migrations.current(conn)}")


@db_group.command("copy")
@click.option("--to", "target", required=True, metavar="URL", help="SQLAlchemy URL of the store to fill (empty)")
@click.option("--from", "source", default=None, metavar="URL", help="store to read (default: the current one)")
def copy(target: str, source: str | None) -> None:
    """Copy every table of the store into another database, then compare row counts and checksums.

    The target must hold no deskbot data yet (its tables are created). Nothing is written to the
    target unless all of it is: the copy is one transaction."""
    from bots.store import StoreCopyError, copy_store

    source = source or _where()[0]
    try:
        report = copy_store(source, target)
    except StoreCopyError as exc:
        click.echo(f"deskbot db copy: {exc}", err=True)
        raise SystemExit(1) from None
    shown = make_url(target).render_as_string(hide_password=True)
    width = max((len(name) for name in report), default=5)
    for name, (count, source_sum, target_sum) in report.items():
        verdict = "ok" if source_sum == target_sum else "CHECKSUM DIFFERS"
        click.echo(f"  {name:<{width}}  {count:>9} rows  sha256 {target_sum[:12]}  {verdict}")
    bad = [n for n, (_, a, b) in report.items() if a != b]
    if bad:
        click.echo(f"deskbot db copy: {', '.join(bad)} differ after the copy; the target is not to be trusted", err=True)
        raise SystemExit(1)
    click.echo(f"copied {sum(c for c, _, _ in report.values())} rows in {len(report)} tables to {shown};"
               f" counts and checksums match")


def register(cli: click.Group) -> None:
    cli.add_command(db_group)
