"""``deskbot audit``: the audit trail (sign-ins, decisions, corrections, user changes).

    deskbot audit verify                      # 0 the hash chain is intact, 1 broken (names the entry)
    deskbot audit list [--actor U] [--action review] [--limit 50] [--json]
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import click


@click.group("audit")
def audit_group() -> None:
    """The audit trail."""


@audit_group.command("verify")
def verify() -> None:
    """Check the hash chain of the whole trail."""
    from bots import audit

    verdict = audit.verify()
    if verdict.intact:
        click.echo(f"audit trail intact: {verdict.count} entries; head {verdict.head}")
        return
    click.echo(f"audit trail BROKEN at entry {verdict.broken_seq}: {verdict.problem}", err=True)
    sys.exit(1)


@audit_group.command("list")
@click.option("--actor", default=None)
@click.option("--action", default=None, help="an action or its family (review, sign-in, user)")
@click.option("--subject", default=None)
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def list_(actor: str | None, action: str | None, subject: str | None, limit: int, as_json: bool) -> None:
    """Newest entries first."""
    from bots import audit

    found = audit.entries(actor=actor, action=action, subject=subject, limit=limit)
    if as_json:
        click.echo(json.dumps([asdict(e) for e in found], ensure_ascii=False, default=str))
        return
    for e in found:
        change = ""
        if e.before is not None or e.after is not None:
            change = f"  {json.dumps(e.before, ensure_ascii=False)} -> {json.dumps(e.after, ensure_ascii=False)}"
        click.echo(f"{e.seq:>6} {e.at[:19]} {e.actor:<16} {e.action:<18} {e.subject}{change}")


def register(cli: click.Group) -> None:
    cli.add_command(audit_group)
