"""Approval requests: a person takes part in a run.

The ``approval.request`` step (``bots/steps/approval.py``) opens a request and parks the run; people
decide with ``deskbot approvals decide`` or on the console's ``/approvals/ID`` page, which both call
:func:`decide`; the scheduler (or ``deskbot resume``) then resumes the run, and the step gives the
decision as its outputs.

Rules :func:`decide` enforces, each refusal a :class:`ApprovalRefused` saying why:

- the decider is a known, enabled user named among the approvers or holding their role (an
  admin may do everything); after an escalation, the escalation role may decide too;
- **no self-approval**: the user who started the run (its requester) cannot decide; a scheduled
  run has no requester;
- a **reason is required** to reject; one rejection decides; approving needs ``required``
  different approvers;
- **exactly once**: each vote and the final decision are compare-and-set updates in one store
  transaction (``status = 'pending'`` is the condition), so two deciders at once, from two
  processes, never both win, and a user never votes twice. The decision makes the parked run due.

Every decision is written to the audit trail (``bots.audit``). Approvers are emailed when the
request opens, reminded at half the timeout, and the escalation role is emailed on escalation;
the message links to the console's approval page (``console.url`` in settings, else
``DESKBOT_CONSOLE_URL``, else ``http://127.0.0.1:8765``).
"""

from __future__ import annotations

import json
import os
import secrets as secrets_mod
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Index, Integer, String, Table, Text, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bots.errors import DeskbotError
from bots.journal import iso, wake
from bots.store import insert_ignore, metadata, utcnow

approvals = Table(
    "approvals", metadata,
    Column("id", String(32), primary_key=True),
    Column("run_id", String(64), nullable=False),
    Column("step_key", String(500), nullable=False),
    Column("recipe", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("details", Text, nullable=False, default=""),
    Column("fields", Text),                              # JSON {label: value}
    Column("approvers", Text, nullable=False),           # JSON {"role": r, "users": [...]}
    Column("required", Integer, nullable=False, default=1),
    Column("requester", String(200)),
    Column("status", String(20), nullable=False),        # pending | approved | rejected
    Column("decided_by", Text),
    Column("reason", Text),
    Column("decided_at", String(40)),
    Column("created", String(40), nullable=False),
    Column("timeout_s", Integer),
    Column("timeout_at", String(40)),
    Column("remind_at", String(40)),
    Column("reminded", Integer, nullable=False, default=0),
    Column("on_timeout", String(20), nullable=False, default="reject"),
    Column("escalate_to", String(40)),
    Column("escalated", Integer, nullable=False, default=0),
    Index("approvals_step", "run_id", "step_key", unique=True),
    Index("approvals_status", "status", "created"),
)

approval_votes = Table(
    "approval_votes", metadata,
    Column("approval_id", String(32), nullable=False),
    Column("user", String(200), nullable=False),
    Column("decision", String(10), nullable=False),
    Column("reason", Text),
    Column("at", String(40), nullable=False),
    Index("approval_votes_once", "approval_id", "user", unique=True),
)

DECISIONS = {"approve": "approved", "reject": "rejected"}


class ApprovalRefused(DeskbotError):
    """A decision that is not allowed (self-approval, already decided, no reason, not an approver)."""


def _row(row) -> dict:
    out = dict(row._mapping)
    out["fields"] = json.loads(out["fields"] or "{}")
    out["approvers"] = json.loads(out["approvers"] or "{}")
    return out


def get(store, approval_id: str) -> dict | None:
    with store.read() as conn:
        row = conn.execute(select(approvals).where(approvals.c.id == approval_id)).first()
    if row is None:
        return None
    found = _row(row)
    with store.read() as conn:
        found["votes"] = [dict(v._mapping) for v in conn.execute(
            select(approval_votes).where(approval_votes.c.approval_id == approval_id).order_by(approval_votes.c.at))]
    return found


def list_approvals(store, status: str | None = "pending", limit: int = 200) -> list[dict]:
    query = select(approvals).order_by(approvals.c.created.desc()).limit(limit)
    if status:
        query = query.where(approvals.c.status == status)
    with store.read() as conn:
        return [_row(r) for r in conn.execute(query)]


def count_pending(store) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(approvals).where(approvals.c.status == "pending")).scalar()


def open_request(store, *, run_id: str, step_key: str, recipe: str, title: str, details: str, fields: dict,
                 approvers: dict, required: int, requester: str | None, timeout_s: float | None,
                 on_timeout: str, escalate_to: str | None, now: datetime) -> tuple[dict, bool]:
    """The request of this step of this run, opened once: (request, True if opened just now)."""
    values = dict(
        id=secrets_mod.token_hex(4), run_id=run_id, step_key=step_key, recipe=recipe, title=title,
        details=details, fields=json.dumps(fields, ensure_ascii=False, default=str),
        approvers=json.dumps(approvers, ensure_ascii=False), required=required, requester=requester,
        status="pending", created=iso(now), timeout_s=int(timeout_s) if timeout_s else None,
        timeout_at=iso(now + timedelta(seconds=timeout_s)) if timeout_s else None,
        remind_at=iso(now + timedelta(seconds=timeout_s / 2)) if timeout_s else None,
        reminded=0, on_timeout=on_timeout, escalate_to=escalate_to, escalated=0)
    with store.write() as conn:
        created = insert_ignore(conn, approvals, values) == 1
        row = conn.execute(select(approvals).where(approvals.c.run_id == run_id,
                                                   approvals.c.step_key == step_key)).first()
    return _row(row), created


def may_decide(approval: dict, user) -> bool:
    from bots.users import has_role

    who = approval["approvers"]
    if user.name in (who.get("users") or []):
        return True
    roles = [r for r in (who.get("role"), approval["escalate_to"] if approval["escalated"] else None) if r]
    return any(has_role(user, role) for role in roles) or has_role(user, "admin")


def describe_approvers(approval: dict) -> str:
    who = approval["approvers"]
    parts = []
    if who.get("role"):
        parts.append(f"role {who['role']}")
    if who.get("users"):
        parts.append("users " + ", ".join(who["users"]))
    if approval["escalated"] and approval["escalate_to"]:
        parts.append(f"role {approval['escalate_to']} (escalated)")
    return " or ".join(parts) or "nobody"


def decide(store, approval_id: str, decision: str, user_name: str, reason: str | None = None,
           *, now: datetime | None = None) -> dict:
    """Record ``user_name``'s decision (``approve`` or ``reject``); returns the request after it.

    Raises ApprovalRefused, changing nothing, when the decision is not allowed. The request is
    decided when one approver rejects or ``required`` approvers approved; its run is then due.
    """
    from bots import audit
    from bots.users import get_user

    if decision not in DECISIONS:
        raise ApprovalRefused(f"decision must be approve or reject, not {decision!r}")
    reason = (reason or "").strip() or None
    if decision == "reject" and not reason:
        raise ApprovalRefused("a reason is required to reject (--reason TEXT); it goes back to the requester")
    moment = iso(now or datetime.now(timezone.utc))
    user = get_user(user_name, store=store)
    if user is None:
        raise ApprovalRefused(f"no user {user_name!r}; see 'deskbot users list'")
    if getattr(user, "disabled", False):
        raise ApprovalRefused(f"user {user_name!r} is disabled")
    with store.write() as conn:
        # FOR UPDATE (PostgreSQL): deciders of one request queue here, so every count below is whole
        row = conn.execute(select(approvals).where(approvals.c.id == approval_id).with_for_update()).first()
        if row is None:
            raise ApprovalRefused(f"no approval {approval_id!r}; see 'deskbot approvals list'")
        approval = _row(row)
        if approval["status"] != "pending":
            raise ApprovalRefused(f"approval {approval_id} is already decided: {approval['status']} by"
                                  f" {approval['decided_by']} at {approval['decided_at']}")
        if approval["requester"] and approval["requester"] == user.name:
            raise ApprovalRefused(f"{user.name} started this run and cannot decide its approval (no self-approval)")
        if not may_decide(approval, user):
            raise ApprovalRefused(f"{user.name} may not decide approval {approval_id}: its approvers are"
                                  f" {describe_approvers(approval)}")
        try:
            with conn.begin_nested():
                conn.execute(insert(approval_votes).values(approval_id=approval_id, user=user.name,
                                                           decision=decision, reason=reason, at=moment))
        except IntegrityError:
            raise ApprovalRefused(f"{user.name} has already voted on approval {approval_id}") from None
        approvals_so_far = [v.user for v in conn.execute(
            select(approval_votes.c.user).where(approval_votes.c.approval_id == approval_id,
                                                approval_votes.c.decision == "approve")
            .order_by(approval_votes.c.at))]
        final = decision == "reject" or len(approvals_so_far) >= approval["required"]
        if final:
            by = user.name if decision == "reject" else ", ".join(approvals_so_far)
            changed = conn.execute(update(approvals).where(approvals.c.id == approval_id,
                                                           approvals.c.status == "pending").values(
                status=DECISIONS[decision], decided_by=by, reason=reason, decided_at=moment)).rowcount
            if changed != 1:  # another decider won between our read and this write
                raise ApprovalRefused(f"approval {approval_id} was decided by someone else just now")
            wake(conn, approval["run_id"])
        audit.record(user.name, f"approval.{decision}", f"approval:{approval_id}", conn=conn,
                     before={"status": "pending"},
                     after={"status": DECISIONS[decision] if final else "pending", "approvals": approvals_so_far},
                     detail=reason)
    return get(store, approval_id)


def settle_by_clock(store, approval: dict, now: datetime) -> tuple[dict, str | None]:
    """Apply the request's timeout or reminder when their time has come.

    Returns (request after it, what happened: "reminded", "escalated", "timed out" or None).
    Compare-and-set like a decision: two resumes never remind or escalate twice.
    """
    moment = iso(now)
    event = None
    with store.write() as conn:
        if approval["timeout_at"] and approval["timeout_at"] <= moment:
            if approval["on_timeout"] == "escalate" and not approval["escalated"] and approval["escalate_to"]:
                seconds = approval["timeout_s"] or 0
                if conn.execute(update(approvals).where(
                        approvals.c.id == approval["id"], approvals.c.status == "pending",
                        approvals.c.escalated == 0).values(
                        escalated=1, reminded=0, timeout_at=iso(now + timedelta(seconds=seconds)),
                        remind_at=iso(now + timedelta(seconds=seconds / 2)))).rowcount:
                    event = "escalated"
            else:
                decision = "approve" if approval["on_timeout"] == "approve" else "reject"
                waited = _duration_text(approval["timeout_s"])
                reason = f"no decision within {waited}" + (" (after escalation)" if approval["escalated"] else "")
                if conn.execute(update(approvals).where(
                        approvals.c.id == approval["id"], approvals.c.status == "pending").values(
                        status=DECISIONS[decision], decided_by="timeout", reason=reason, decided_at=moment)).rowcount:
                    event = "timed out"
                    from bots import audit

                    audit.record("deskbot", f"approval.timeout.{decision}", f"approval:{approval['id']}", conn=conn,
                                 before={"status": "pending"}, after={"status": DECISIONS[decision]}, detail=reason)
        elif approval["remind_at"] and approval["remind_at"] <= moment and not approval["reminded"]:
            if conn.execute(update(approvals).where(approvals.c.id == approval["id"], approvals.c.reminded == 0,
                                                    approvals.c.status == "pending").values(reminded=1)).rowcount:
                event = "reminded"
    return get(store, approval["id"]), event


def next_wake(approval: dict) -> datetime | None:
    """When the parked run should look again by itself: the reminder, then the timeout."""
    moments = [approval["timeout_at"]]
    if not approval["reminded"]:
        moments.append(approval["remind_at"])
    known = [datetime.fromisoformat(m) for m in moments if m]
    return min(known) if known else None


def _duration_text(seconds: int | None) -> str:
    if not seconds:
        return "the timeout"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


# ---- notifications ---------------------------------------------------------------------------

def console_link(approval_id: str, settings: dict | None = None) -> str:
    base = ((settings or {}).get("console") or {}).get("url") or os.environ.get("DESKBOT_CONSOLE_URL") \
        or "http://127.0.0.1:8765"
    return f"{str(base).rstrip('/')}/approvals/{approval_id}"


def recipients(store, approval: dict, notify: list[str], escalation: bool = False) -> list[str]:
    """Addresses to email: the step's ``notify`` list, and approvers whose user record has one."""
    from bots import users

    found = list(notify)
    names = list(approval["approvers"].get("users") or [])
    roles = [approval["escalate_to"]] if escalation else [approval["approvers"].get("role")]
    if any(roles):
        names += [u.name for u in users.list_users(store=store) if any(users.has_role(u, r) for r in roles if r)]
    for name in dict.fromkeys(names):
        user = users.get_user(name, store=store)
        address = getattr(user, "email", None) if user else None
        address = address or (name if "@" in name else None)
        if address and address not in found and name != approval["requester"]:
            found.append(address)
    return found


def notify(approval: dict, home: Path, to: list[str], why: str, settings: dict | None = None) -> str:
    """Email the approvers (or DESKBOT_ALERT_TO); returns a line for the run log."""
    from bots.alerts import notify as send

    fields = "\n".join(f"  {k}: {v}" for k, v in approval["fields"].items())
    deadline = f"\nDecide before {approval['timeout_at']} (then: {approval['on_timeout']})." if approval["timeout_at"] else ""
    text = (f"{why}\n\n{approval['title']}\n\n{approval['details']}\n\n"
            + (f"Fields:\n{fields}\n\n" if fields else "")
            + f"Requested by: {approval['requester'] or 'a scheduled run'} (recipe {approval['recipe']},"
              f" run {approval['run_id']}).{deadline}\n\n"
              f"Decide: {console_link(approval['id'], settings)}\n"
              f"or: deskbot approvals decide {approval['id']} approve|reject [--reason TEXT] --as YOU\n")
    outcome = send(f"approval {approval['id']}: {approval['title']}", text, home, to or None)
    if outcome is None:
        return (f"approval {approval['id']}: nobody to email (no approver address, no 'notify:', no"
                f" DESKBOT_ALERT_TO); decide it with 'deskbot approvals' or the console")
    status, path = outcome
    return f"approval {approval['id']}: {why.lower()} email {status} ({path.name if status != 'sent' else ', '.join(to) or 'DESKBOT_ALERT_TO'})"


def as_outputs(approval: dict) -> dict[str, Any]:
    decision = {"approved": "approve", "rejected": "reject"}.get(approval["status"])
    return {"id": approval["id"], "decision": decision, "by": approval["decided_by"], "reason": approval["reason"],
            "at": approval["decided_at"]}
