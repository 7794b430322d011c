"""``deskbot console [--host 127.0.0.1] [--port 8765] [--threads 8]``: the operator console.

Served by waitress (a production WSGI server, pure Python: Linux, macOS and Windows alike).
Binds 127.0.0.1 unless told otherwise; to reach it from other machines, put it behind a reverse
proxy with TLS (docs/console.md) rather than binding 0.0.0.0.
"""

from __future__ import annotations

import sys

import click


def register(cli: click.Group) -> None:
    @cli.command("console")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=8765, show_default=True, type=int)
    @click.option("--threads", default=8, show_default=True, type=int, help="requests served at once")
    def console(host: str, port: int, threads: int) -> None:
        """The operator console (sign in with a user from 'deskbot users add')."""
        from waitress import serve

        from bots import users
        from console.app import create_app

        app = create_app()
        if not users.list_users():
            click.echo("no console users yet: add one with  deskbot users add NAME --role admin", err=True)
        if host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"warning: serving on {host} without TLS; see docs/console.md for a reverse proxy", err=True)
        click.echo(f"deskbot console on http://{host}:{port}/  (Ctrl-C stops it)", err=True)
        try:
            serve(app, host=host, port=port, threads=threads, ident="deskbot")
        except OSError as exc:
            click.echo(f"cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
            sys.exit(1)
