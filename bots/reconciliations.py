"""Reconciliations people work on: each ``reconcile`` step's suggestions and open items, kept in
the store, and the operator's decisions about them.

    from bots import reconciliations
    reconciliations.list_reconciliations(store)                 # newest first, one per run and step
    reconciliations.confirm(store, suggestion_id, actor="li.wei")
    reconciliations.reject(store, suggestion_id, actor="li.wei", note="different customer")
    reconciliations.match_by_hand(store, rec_id, ["TX-7"], ["INV-9"], actor="li.wei")

The decisions file (``reconcile.decisions``, a CSV the operator may also edit by hand, and what
``deskbot reconcile --decisions`` reads) stays the one place the matcher takes decisions from. A
decision made here is:

1. recorded in the store in one transaction with its audit entry, as a compare-and-set on the
   suggestion's ``pending`` status (two people confirming at once: one wins, the other is told);
   the same decision about the same decisions file is one row (unique), so it is never
   recorded twice;
2. then added to the decisions file (``append_decision``: locked, temp file + rename, skipped
   when the file holds it already), and marked ``written``.

A crash or an unwritable file between 1 and 2 loses nothing: every ``reconcile`` step first
writes the decisions still marked unwritten into its decisions file (:func:`write_pending`), so
the re-run honours them; and it never writes one twice. Removing a line from the file by hand
takes that decision back (it was written; it is not written again).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Index, Integer, String, Table, Text, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bots.errors import DeskbotError
from bots.store import metadata

#: open items kept per side and reconciliation; beyond it the page says how many more the report has
OPEN_ITEMS_KEPT = 2000
SUGGESTIONS_KEPT = 5000

reconciliations = Table(
    "reconciliations", metadata,
    Column("id", String(16), primary_key=True),
    Column("run_id", String(64), nullable=False),
    Column("step_key", String(500), nullable=False),
    Column("recipe", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("period_from", String(10)),
    Column("period_to", String(10)),
    Column("decisions_file", Text, nullable=False),
    Column("files", Text, nullable=False),               # JSON {workbook, html, matches, summary}
    Column("summary", Text, nullable=False),             # JSON, the step's summary without its statements
    Column("created", String(40), nullable=False),
    Index("reconciliations_run_step", "run_id", "step_key", unique=True),
    Index("reconciliations_created", "created"),
)

reconcile_items = Table(
    "reconcile_items", metadata,
    Column("id", String(16), primary_key=True),
    Column("reconciliation_id", String(16), nullable=False),
    Column("kind", String(12), nullable=False),          # suggestion | bank | ledger (an open item)
    Column("bank_ids", Text, nullable=False),            # JSON lists
    Column("ledger_ids", Text, nullable=False),
    Column("detail", Text, nullable=False),              # JSON: the lines (date, amount, text), rule, score, reason
    Column("status", String(12), nullable=False),        # pending | confirmed | rejected | superseded | matched
    Column("decided_by", String(200)),
    Column("decided_at", String(40)),
    Column("note", Text),
    Index("reconcile_items_of", "reconciliation_id", "kind", "status"),
    Index("reconcile_items_status", "kind", "status"),
)

reconcile_decisions = Table(
    "reconcile_decisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("decisions_file", String(1000), nullable=False),
    Column("action", String(10), nullable=False),        # match | reject
    Column("key", String(64), nullable=False),           # SHA-256 of the sorted ids: one decision, one row
    Column("bank_ids", Text, nullable=False),
    Column("ledger_ids", Text, nullable=False),
    Column("note", Text),
    Column("by", String(200), nullable=False),
    Column("at", String(40), nullable=False),
    Column("item_id", String(16)),
    Column("written", Integer, nullable=False, default=0),
    Column("write_error", Text),
    Index("reconcile_decisions_once", "decisions_file", "action", "key", unique=True),
    Index("reconcile_decisions_unwritten", "decisions_file", "written"),
)


class DecisionRefused(DeskbotError):
    """A reconciliation decision that is not allowed (already decided, unknown, malformed)."""


def _now() -> str:
    # to the microsecond: a re-run within the same second is still the newer reconciliation
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _key(bank_ids: list[str], ledger_ids: list[str]) -> str:
    return hashlib.sha256(json.dumps([sorted(bank_ids), sorted(ledger_ids)]).encode()).hexdigest()


# ---- recording what a reconcile step found ---------------------------------------------------

def _line(row: dict) -> dict:
    keep = ("id", "date", "amount", "currency", "description", "reference", "counterparty")
    line = {k: ("" if row.get(k) is None else str(row.get(k))) for k in keep}
    line["date"] = line["date"][:10]  # a timestamp's midnight says nothing
    return line


def _lines_by_id(frame) -> dict[str, dict]:
    if frame is None or not len(frame):
        return {}
    return {str(r["id"]): _line(r) for r in frame.to_dict("records")}


def record(store, *, run_id: str, step_key: str, recipe: str, title: str, outcome: Any) -> str:
    """Keep a reconcile step's suggestions and open items (``reconcile.job.Outcome``); once per
    run and step (a resumed run's journaled step records nothing new). Returns its id."""
    result = outcome.result
    summary = {k: v for k, v in outcome.summary.items() if k not in ("statements", "files")}
    period = summary.get("period") or {}
    rec_id = _id(run_id, step_key)
    bank = _lines_by_id(result.bank.iloc[result.suggestions["bank_row"].to_numpy()]) if len(result.suggestions) else {}
    ledger = _lines_by_id(result.ledger.iloc[result.suggestions["ledger_row"].to_numpy()]) \
        if len(result.suggestions) else {}
    items = []
    for s in result.suggestions.head(SUGGESTIONS_KEPT).to_dict("records"):
        b, l = str(s["bank_id"]), str(s["ledger_id"])
        items.append({"id": _id(rec_id, "s", b, l), "kind": "suggestion", "bank_ids": [b], "ledger_ids": [l],
                      "detail": {"bank": [bank.get(b, {"id": b})], "ledger": [ledger.get(l, {"id": l})],
                                 "rule": str(s["rule"]), "score": float(s["score"]), "reason": str(s["reason"])}})
    for kind, frame in (("bank", result.unmatched_bank), ("ledger", result.unmatched_ledger)):
        for row in frame.head(OPEN_ITEMS_KEPT).to_dict("records"):
            line = _line(row)
            items.append({"id": _id(rec_id, kind, line["id"]), "kind": kind,
                          "bank_ids": [line["id"]] if kind == "bank" else [],
                          "ledger_ids": [line["id"]] if kind == "ledger" else [], "detail": {kind: [line]}})
    with store.write() as conn:
        if conn.execute(select(reconciliations.c.id).where(reconciliations.c.id == rec_id)).first():
            return rec_id
        conn.execute(insert(reconciliations).values(
            id=rec_id, run_id=run_id, step_key=step_key, recipe=recipe, title=title,
            period_from=period.get("from"), period_to=period.get("to"),
            decisions_file=str(Path(outcome.paths["decisions"]).resolve()),
            files=json.dumps({k: str(Path(v).resolve()) for k, v in outcome.paths.items()}),
            summary=json.dumps(summary, default=str, ensure_ascii=False), created=_now()))
        if items:
            conn.execute(insert(reconcile_items), [
                {"id": i["id"], "reconciliation_id": rec_id, "kind": i["kind"],
                 "bank_ids": json.dumps(i["bank_ids"], ensure_ascii=False),
                 "ledger_ids": json.dumps(i["ledger_ids"], ensure_ascii=False),
                 "detail": json.dumps(i["detail"], default=str, ensure_ascii=False),
                 "status": "pending" if i["kind"] == "suggestion" else "open"} for i in items])
    return rec_id


# ---- reading -----------------------------------------------------------------------------

def _rec(row) -> dict:
    out = dict(row._mapping)
    out["files"] = json.loads(out["files"])
    out["summary"] = json.loads(out["summary"])
    return out


def _item(row) -> dict:
    out = dict(row._mapping)
    for key in ("bank_ids", "ledger_ids", "detail"):
        out[key] = json.loads(out[key])
    return out


def list_reconciliations(store, limit: int = 100, before: str | None = None) -> list[dict]:
    """Newest first, each with its count of pending suggestions."""
    pending = (select(reconcile_items.c.reconciliation_id, func.count().label("n"))
               .where(reconcile_items.c.kind == "suggestion", reconcile_items.c.status == "pending")
               .group_by(reconcile_items.c.reconciliation_id).subquery())
    query = (select(reconciliations, func.coalesce(pending.c.n, 0).label("pending"))
             .outerjoin(pending, pending.c.reconciliation_id == reconciliations.c.id)
             .order_by(reconciliations.c.created.desc(), reconciliations.c.id.desc()).limit(limit))
    if before:
        query = query.where(reconciliations.c.created < before)
    with store.read() as conn:
        return [_rec(r) for r in conn.execute(query)]


def get(store, rec_id: str, limit: int | None = None) -> dict | None:
    """One reconciliation with its items (``limit``: at most so many of each kind, pending
    suggestions first) and ``counts`` of every kind by status."""
    with store.read() as conn:
        row = conn.execute(select(reconciliations).where(reconciliations.c.id == rec_id)).first()
        if row is None:
            return None
        found = _rec(row)
        of = reconcile_items.c.reconciliation_id == rec_id
        found["counts"] = {}
        for kind, status, n in conn.execute(select(reconcile_items.c.kind, reconcile_items.c.status, func.count())
                                            .where(of).group_by(reconcile_items.c.kind, reconcile_items.c.status)):
            found["counts"].setdefault(kind, {})[status] = n
        if limit is None:
            found["items"] = [_item(r) for r in conn.execute(
                select(reconcile_items).where(of).order_by(reconcile_items.c.kind, reconcile_items.c.id))]
            return found
        items = []
        for kind, states in (("suggestion", ("pending",)), ("suggestion", None), ("bank", ("open",)),
                             ("ledger", ("open",))):
            query = select(reconcile_items).where(of, reconcile_items.c.kind == kind)
            if states:
                query = query.where(reconcile_items.c.status.in_(states))
            else:  # decided ones after the pending ones, while the page has room
                query = query.where(reconcile_items.c.status != "pending")
            room = limit - sum(1 for i in items if i["kind"] == kind)
            if room > 0:
                items += [_item(r) for r in conn.execute(query.order_by(reconcile_items.c.id).limit(room))]
        found["items"] = items
    return found


def get_item(store, item_id: str) -> dict | None:
    with store.read() as conn:
        row = conn.execute(select(reconcile_items).where(reconcile_items.c.id == item_id)).first()
    return _item(row) if row else None


def suggestions(store, status: str | None = "pending", limit: int = 500) -> list[dict]:
    """Suggestions of every reconciliation, newest reconciliation first, with their period."""
    query = (select(reconcile_items, reconciliations.c.recipe, reconciliations.c.run_id,
                    reconciliations.c.period_from, reconciliations.c.period_to, reconciliations.c.created)
             .join(reconciliations, reconciliations.c.id == reconcile_items.c.reconciliation_id)
             .where(reconcile_items.c.kind == "suggestion")
             .order_by(reconciliations.c.created.desc(), reconcile_items.c.id).limit(limit))
    if status:
        query = query.where(reconcile_items.c.status == status)
    with store.read() as conn:
        return [_item(r) for r in conn.execute(query)]


def count_pending(store) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(reconcile_items).where(
            reconcile_items.c.kind == "suggestion", reconcile_items.c.status == "pending")).scalar()


def decisions_of(store, decisions_file: str) -> list[dict]:
    with store.read() as conn:
        rows = [dict(r._mapping) for r in conn.execute(
            select(reconcile_decisions).where(reconcile_decisions.c.decisions_file == decisions_file)
            .order_by(reconcile_decisions.c.id))]
    for row in rows:
        row["bank_ids"], row["ledger_ids"] = json.loads(row["bank_ids"]), json.loads(row["ledger_ids"])
    return rows


# ---- deciding ----------------------------------------------------------------------------

def _decide(store, rec: dict, *, action: str, bank_ids: list[str], ledger_ids: list[str], actor: str, note: str,
            item: dict | None) -> dict:
    from bots import audit

    moment = _now()
    with store.write() as conn:
        if item is not None:
            status = {"match": "confirmed", "reject": "rejected"}[action]
            changed = conn.execute(update(reconcile_items).where(
                reconcile_items.c.id == item["id"], reconcile_items.c.status == "pending").values(
                status=status, decided_by=actor, decided_at=moment, note=note or None)).rowcount
            if changed != 1:
                now = conn.execute(select(reconcile_items).where(reconcile_items.c.id == item["id"])).first()
                raise DecisionRefused(f"suggestion {item['id']} is already {now.status}"
                                      + (f" by {now.decided_by} at {now.decided_at}" if now.decided_by else ""))
        if action == "match":
            # the lines are taken: other suggestions and open items naming them are settled too
            taken_b, taken_l = set(bank_ids), set(ledger_ids)
            for other in conn.execute(select(reconcile_items).where(
                    reconcile_items.c.reconciliation_id == rec["id"],
                    reconcile_items.c.status.in_(("pending", "open")))).all():
                other = _item(other)
                if taken_b & set(other["bank_ids"]) or taken_l & set(other["ledger_ids"]):
                    conn.execute(update(reconcile_items).where(reconcile_items.c.id == other["id"]).values(
                        status="superseded" if other["kind"] == "suggestion" else "matched",
                        decided_by=actor, decided_at=moment))
        try:
            with conn.begin_nested():
                conn.execute(insert(reconcile_decisions).values(
                    decisions_file=rec["decisions_file"], action=action, key=_key(bank_ids, ledger_ids),
                    bank_ids=json.dumps(bank_ids, ensure_ascii=False),
                    ledger_ids=json.dumps(ledger_ids, ensure_ascii=False), note=note or None, by=actor, at=moment,
                    item_id=item["id"] if item else None, written=0))
        except IntegrityError:
            raise DecisionRefused(f"the same decision ({action} {'|'.join(bank_ids)} with {'|'.join(ledger_ids)})"
                                  f" is already recorded for {rec['decisions_file']}") from None
        what = {"match": "confirm" if item else "match", "reject": "reject"}[action]
        audit.record(actor, f"reconcile.{what}", f"reconciliation:{rec['id']}", conn=conn,
                     before={"status": item["status"]} if item else None,
                     after={"action": action, "bank_ids": bank_ids, "ledger_ids": ledger_ids,
                            "decisions_file": rec["decisions_file"]}, detail=note or None)
    written = write_pending(store, rec["decisions_file"])
    return {"action": action, "bank_ids": bank_ids, "ledger_ids": ledger_ids, "decisions_file": rec["decisions_file"],
            "written": written["error"] is None, "error": written["error"]}


def _checked_actor(store, actor: str):
    from bots.users import get_user

    user = get_user(actor, store=store)
    if user is None or user.disabled:
        raise DecisionRefused(f"no enabled user {actor!r}; see 'deskbot users list'")
    return user


def confirm(store, item_id: str, *, actor: str, note: str = "") -> dict:
    """Confirm a suggestion: its lines are matched on every run that reads the decisions file."""
    return _suggestion_decision(store, item_id, "match", actor, note)


def reject(store, item_id: str, *, actor: str, note: str = "") -> dict:
    """Reject a suggestion: these two lines are never paired automatically again."""
    return _suggestion_decision(store, item_id, "reject", actor, note)


def _suggestion_decision(store, item_id: str, action: str, actor: str, note: str) -> dict:
    _checked_actor(store, actor)
    item = get_item(store, item_id)
    if item is None or item["kind"] != "suggestion":
        raise DecisionRefused(f"no suggestion {item_id!r}")
    rec = get(store, item["reconciliation_id"])
    return _decide(store, rec, action=action, bank_ids=item["bank_ids"], ledger_ids=item["ledger_ids"], actor=actor,
                   note=note.strip(), item=item)


def match_by_hand(store, rec_id: str, bank_ids: list[str], ledger_ids: list[str], *, actor: str,
                  note: str = "") -> dict:
    """Match open items by hand: one or more bank lines with one or more ledger lines."""
    _checked_actor(store, actor)
    rec = get(store, rec_id, limit=0)
    if rec is None:
        raise DecisionRefused(f"no reconciliation {rec_id!r}")
    bank_ids = sorted({str(i) for i in bank_ids if str(i).strip()})
    ledger_ids = sorted({str(i) for i in ledger_ids if str(i).strip()})
    if not bank_ids or not ledger_ids:
        raise DecisionRefused("choose at least one bank line and one ledger line to match")
    wanted = {_id(rec_id, "bank", i): i for i in bank_ids} | {_id(rec_id, "ledger", i): i for i in ledger_ids}
    with store.read() as conn:
        still_open = set(conn.execute(select(reconcile_items.c.id).where(
            reconcile_items.c.id.in_(list(wanted)), reconcile_items.c.status == "open")).scalars())
    unknown = [line for key, line in wanted.items() if key not in still_open]
    if unknown:
        raise DecisionRefused(f"not open in this reconciliation: {', '.join(unknown)}")
    return _decide(store, rec, action="match", bank_ids=bank_ids, ledger_ids=ledger_ids, actor=actor,
                   note=note.strip(), item=None)


def write_pending(store, decisions_file: str) -> dict:
    """Write the decisions recorded for ``decisions_file`` that are not in it yet; each once.
    Returns ``{"written": n, "error": None or why the file could not be written}``."""
    from reconcile.decisions import DecisionsError, append_decision

    with store.read() as conn:
        waiting = conn.execute(select(reconcile_decisions).where(
            reconcile_decisions.c.decisions_file == decisions_file, reconcile_decisions.c.written == 0)
            .order_by(reconcile_decisions.c.id)).all()
    done = 0
    for row in waiting:
        note = f"{row.note + '; ' if row.note else ''}by {row.by} at {row.at[:16]} (console)"
        try:
            append_decision(decisions_file, row.action, json.loads(row.bank_ids), json.loads(row.ledger_ids), note)
        except (OSError, DecisionsError) as exc:
            message = f"{decisions_file}: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}"
            with store.write() as conn:
                conn.execute(update(reconcile_decisions).where(reconcile_decisions.c.id == row.id)
                             .values(write_error=message))
            return {"written": done, "error": message}
        with store.write() as conn:
            conn.execute(update(reconcile_decisions).where(reconcile_decisions.c.id == row.id)
                         .values(written=1, write_error=None))
        done += 1
    return {"written": done, "error": None}
