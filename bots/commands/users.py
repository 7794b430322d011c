"""``deskbot users``: console users and their API tokens.

    echo 'a long passphrase' | deskbot users add li.wei --role approver   # password on stdin
    deskbot users list [--json]
    deskbot users disable li.wei          # no more sign-ins; its API tokens are revoked
    deskbot users enable li.wei           # also lifts a sign-in lockout
    deskbot users role li.wei operator
    echo 'new passphrase' | deskbot users password li.wei
    deskbot users token li.wei            # prints a new API token once (stored hashed)

Roles: viewer, clerk, approver, operator, admin (see bots/users.py). Exit 0; 2 on a bad name,
role or password, or an unknown user. Every change is in the audit trail, by ``cli:<login>``.
"""

from __future__ import annotations

import getpass
import json
import sys

import click


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_password(confirm: bool = True) -> str:
    if sys.stdin.isatty():
        return click.prompt("password", hide_input=True, confirmation_prompt=confirm)
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def _run(action):
    from bots.errors import AccessError

    try:
        return action()
    except AccessError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@click.group("users")
def users_group() -> None:
    """Console users and API tokens."""


@users_group.command("add")
@click.argument("name")
@click.option("--role", required=True, help="viewer, clerk, approver, operator or admin")
def add(name: str, role: str) -> None:
    """Add a user; the password is read from standard input."""
    from bots import users

    def go():
        users.check_name(name), users.check_role(role)
        return users.add_user(name, role, _read_password(), actor=cli_actor())

    user = _run(go)
    click.echo(f"added {user.name} ({user.role})")


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_(as_json: bool) -> None:
    """Every user, their role and state."""
    from bots import users

    everyone = users.list_users()
    tokens = users.token_counts()
    if as_json:
        click.echo(json.dumps([{"name": u.name, "role": u.role, "disabled": u.disabled, "locked_until": u.locked_until,
                                "last_sign_in": u.last_sign_in, "tokens": tokens.get(u.name, 0)} for u in everyone]))
        return
    if not everyone:
        click.echo("no users yet; add one with: deskbot users add NAME --role admin")
        return
    click.echo(f"{'USER':<24} {'ROLE':<9} {'STATE':<22} {'TOKENS':<6} LAST SIGN-IN")
    for u in everyone:
        state = "disabled" if u.disabled else (f"locked until {u.locked_until[11:16]}" if u.locked_until else "active")
        click.echo(f"{u.name:<24} {u.role:<9} {state:<22} {tokens.get(u.name, 0):<6} {(u.last_sign_in or '-')[:19]}")


@users_group.command("disable")
@click.argument("name")
def disable(name: str) -> None:
    """Stop a user signing in; revoke their API tokens."""
    from bots import users

    _run(lambda: users.disable_user(name, actor=cli_actor()))
    click.echo(f"disabled {name}; their API tokens are revoked")


@users_group.command("enable")
@click.argument("name")
def enable(name: str) -> None:
    """Let a disabled or locked-out user sign in again."""
    from bots import users

    _run(lambda: users.enable_user(name, actor=cli_actor()))
    click.echo(f"enabled {name}")


@users_group.command("role")
@click.argument("name")
@click.argument("role")
def role(name: str, role: str) -> None:
    """Give a user another role."""
    from bots import users

    _run(lambda: users.set_role(name, role, actor=cli_actor()))
    click.echo(f"{name} is now {role}")


@users_group.command("password")
@click.argument("name")
def password(name: str) -> None:
    """Set a user's password (read from standard input); lifts a lockout."""
    from bots import users

    _run(lambda: users.set_password(name, _read_password(), actor=cli_actor()))
    click.echo(f"password of {name} changed")


@users_group.command("token")
@click.argument("name")
def token(name: str) -> None:
    """Print a new API token for NAME (shown once; keep it in a secret store)."""
    from bots import users

    value = _run(lambda: users.new_token(name, actor=cli_actor()))
    click.echo(value)
    click.echo("shown once: use it as 'Authorization: Bearer TOKEN'; 'deskbot users disable' revokes it", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(users_group)
