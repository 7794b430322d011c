"""``deskbot approvals``: approval requests of parked runs, and deciding them.

    deskbot approvals list [--all] [--json]
    deskbot approvals show ID [--json]
    deskbot approvals decide ID approve --as li.wei
    deskbot approvals decide ID reject --reason "receipt is a copy" --as li.wei

``decide`` exits 1, changing nothing, when the decision is refused: the user started the run
(no self-approval), is not an approver, already voted, the request is already decided, or a
rejection has no reason. A decision makes the run due: the scheduler resumes it, or
``deskbot resume RUN_ID``.
"""

from __future__ import annotations

import json
import sys

import click


def _store():
    from bots import settings as settings_mod
    from bots.store import RunStore

    return RunStore(settings_mod.home())


def register(cli: click.Group) -> None:
    @cli.group("approvals")
    def group() -> None:
        """Approval requests: list, show, decide."""

    @group.command("list")
    @click.option("--all", "everything", is_flag=True, help="decided ones too, newest first")
    @click.option("--json", "as_json", is_flag=True)
    def list_cmd(everything: bool, as_json: bool) -> None:
        """Pending approval requests (exit 0)."""
        from bots.approvals import describe_approvers, list_approvals

        rows = list_approvals(_store(), status=None if everything else "pending")
        if as_json:
            click.echo(json.dumps({"approvals": rows}, ensure_ascii=False, default=str))
            return
        if not rows:
            click.echo("no pending approvals" if not everything else "no approvals")
            return
        click.echo(f"{'ID':<9} {'STATUS':<9} {'CREATED':<20} {'RUN':<23} TITLE / APPROVERS")
        for r in rows:
            click.echo(f"{r['id']:<9} {r['status']:<9} {r['created'][:19]:<20} {r['run_id']:<23} {r['title']}")
            who = f"approvers: {describe_approvers(r)}; {r['required']} needed"
            if r["status"] != "pending":
                who = f"{r['status']} by {r['decided_by']}" + (f": {r['reason']}" if r["reason"] else "")
            click.echo(f"{'':<63} {who}")

    @group.command("show")
    @click.argument("approval_id")
    @click.option("--json", "as_json", is_flag=True)
    def show_cmd(approval_id: str, as_json: bool) -> None:
        """One request: what is asked, fields, votes, decision."""
        from bots.approvals import describe_approvers, get

        found = get(_store(), approval_id)
        if found is None:
            click.echo(f"no approval {approval_id!r}; see 'deskbot approvals list'", err=True)
            sys.exit(1)
        if as_json:
            click.echo(json.dumps(found, ensure_ascii=False, default=str))
            return
        click.echo(f"approval {found['id']}  {found['status']}  {found['title']}")
        click.echo(f"  run {found['run_id']} ({found['recipe']}), requested by {found['requester'] or 'a scheduled run'}"
                   f" at {found['created']}")
        click.echo(f"  approvers: {describe_approvers(found)}; {found['required']} needed")
        if found["timeout_at"]:
            click.echo(f"  timeout {found['timeout_at']} then {found['on_timeout']}")
        for label, value in found["fields"].items():
            click.echo(f"  {label}: {value}")
        if found["details"]:
            click.echo("  " + found["details"].replace("\n", "\n  "))
        for vote in found["votes"]:
            click.echo(f"  vote {vote['decision']} by {vote['user']} at {vote['at']}"
                       + (f": {vote['reason']}" if vote["reason"] else ""))
        if found["status"] != "pending":
            click.echo(f"  {found['status']} by {found['decided_by']} at {found['decided_at']}"
                       + (f": {found['reason']}" if found["reason"] else ""))

    @group.command("decide")
    @click.argument("approval_id")
    @click.argument("decision", type=click.Choice(["approve", "reject"]))
    @click.option("--reason", default=None, help="why (required to reject)")
    @click.option("--as", "user", required=True, metavar="USER", help="who decides")
    @click.option("--json", "as_json", is_flag=True)
    def decide_cmd(approval_id: str, decision: str, reason: str | None, user: str, as_json: bool) -> None:
        """Approve or reject (exit 1 when refused)."""
        from bots.approvals import ApprovalRefused, decide

        try:
            after = decide(_store(), approval_id, decision, user, reason)
        except ApprovalRefused as exc:
            click.echo(f"refused: {exc}", err=True)
            sys.exit(1)
        if as_json:
            click.echo(json.dumps(after, ensure_ascii=False, default=str))
            return
        if after["status"] == "pending":
            approved = sum(1 for v in after["votes"] if v["decision"] == "approve")
            click.echo(f"approval {after['id']}: {user} approves; {approved} of {after['required']} needed so far")
        else:
            click.echo(f"approval {after['id']}: {after['status']} by {after['decided_by']}; run {after['run_id']}"
                       f" resumes with the scheduler, or: deskbot resume {after['run_id']}")
