"""The audit trail: who did what, when, to what, with the before and after — append-only, hash-chained.

    from bots import audit
    audit.record("li.wei", "review.approve", "inv-2026-0042",
                 before={"total": "100.00"}, after={"total": "1000.00"}, detail={"reason": "typo"})
    # inside a transaction of your own, so the decision and its entry land together or not at all:
    with store.write() as conn:
        conn.execute(...)
        audit.record(user, "approval.decide", request_id, after={"decision": "approve"}, conn=conn)

Each entry's ``hash`` is the SHA-256 of its own fields and the previous entry's hash, so changing
or deleting any entry breaks the chain from there on; ``deskbot audit verify`` walks it (exit 0
intact, 1 broken, naming the first bad entry). The store refuses UPDATE and DELETE on the table
(a trigger), so only a hand edit that first removes the trigger can change it — and that shows.
Cutting entries off the end leaves a shorter chain that is still whole: compare the head that
``verify`` prints with one noted earlier (a backup, a ticket) to see that. Entries are never
deleted (the trail outlives the 180-day run history).

Values are stored as JSON; secrets a caller knows of should be masked before they are recorded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import Column, DDL, Index, Integer, String, Table, Text, event, insert, select, text
from sqlalchemy.engine import Connection

from bots.store import RunStore, metadata, utcnow

GENESIS = "0" * 64

audit_log = Table(
    "audit_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("subject", Text, nullable=False),
    Column("before", Text),
    Column("after", Text),
    Column("detail", Text),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("audit_log_at", "at"),
    Index("audit_log_actor", "actor", "seq"),
    Index("audit_log_action", "action", "seq"),
)

_SQLITE_GUARD = [
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
]
_POSTGRES_GUARD = [
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$"
    " BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log"
    " FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
]
for _statement in _SQLITE_GUARD:
    event.listen(audit_log, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in _POSTGRES_GUARD:
    event.listen(audit_log, "after_create", DDL(_statement).execute_if(dialect="postgresql"))


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    before: Any
    after: Any
    detail: Any
    prev_hash: str
    hash: str


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)


def entry_hash(seq: int, at: str, actor: str, action: str, subject: str, before: str | None, after: str | None,
               detail: str | None, prev_hash: str) -> str:
    """SHA-256 over the stored text of an entry and the previous entry's hash."""
    canonical = json.dumps([seq, at, actor, action, subject, before, after, detail, prev_hash],
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(actor: str, action: str, subject: str, before: Any = None, after: Any = None, detail: Any = None, *,
           conn: Connection | None = None, store: RunStore | None = None) -> int:
    """Append one entry; returns its sequence number. ``conn``: write inside the caller's transaction."""
    if conn is None:
        with (store or RunStore()).write() as own:
            return record(actor, action, subject, before, after, detail, conn=own)
    if conn.dialect.name == "postgresql":  # one appender at a time, so the chain has no forks
        conn.execute(text("SELECT pg_advisory_xact_lock(4242002)"))
    last = conn.execute(select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    values = dict(seq=seq, at=utcnow(), actor=str(actor), action=str(action), subject=str(subject),
                  before=_dump(before), after=_dump(after), detail=_dump(detail), prev_hash=prev)
    values["hash"] = entry_hash(**values)
    conn.execute(insert(audit_log).values(**values))
    return seq


def _entry(row) -> Entry:
    return Entry(seq=row.seq, at=row.at, actor=row.actor, action=row.action, subject=row.subject,
                 before=json.loads(row.before) if row.before else None,
                 after=json.loads(row.after) if row.after else None,
                 detail=json.loads(row.detail) if row.detail else None, prev_hash=row.prev_hash, hash=row.hash)


def entries(*, actor: str | None = None, action: str | None = None, subject: str | None = None,
            since: str | None = None, until: str | None = None, before_seq: int | None = None, limit: int = 100,
            store: RunStore | None = None) -> list[Entry]:
    """Newest first; ``action`` matches a prefix (``review`` finds ``review.approve``)."""
    query = select(audit_log)
    if actor:
        query = query.where(audit_log.c.actor == actor)
    if action:
        query = query.where((audit_log.c.action == action) | audit_log.c.action.startswith(action + ".",
                                                                                          autoescape=True))
    if subject:
        query = query.where(audit_log.c.subject == subject)
    if since:
        query = query.where(audit_log.c.at >= since)
    if until:
        query = query.where(audit_log.c.at < until)
    if before_seq:
        query = query.where(audit_log.c.seq < before_seq)
    with (store or RunStore()).read() as conn:
        rows = conn.execute(query.order_by(audit_log.c.seq.desc()).limit(limit)).all()
    return [_entry(r) for r in rows]


@dataclass(frozen=True)
class Verdict:
    intact: bool
    count: int
    head: str
    broken_seq: int | None = None
    problem: str | None = None


def _walk(conn: Connection, batch: int = 5000) -> Iterator[Any]:
    last = 0
    while True:
        rows = conn.execute(select(audit_log).where(audit_log.c.seq > last).order_by(audit_log.c.seq).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify(*, store: RunStore | None = None) -> Verdict:
    """Walk the chain from the first entry; the first entry whose hash or link is wrong breaks it."""
    prev, expected_seq, count = GENESIS, 1, 0
    with (store or RunStore()).read() as conn:
        for row in _walk(conn):
            count += 1
            if row.seq != expected_seq:
                return Verdict(False, count, prev, expected_seq,
                               f"entry {expected_seq} is missing (next is {row.seq}): deleted")
            values = {c: getattr(row, c) for c in ("seq", "at", "actor", "action", "subject", "before", "after",
                                                   "detail", "prev_hash")}
            if entry_hash(**values) != row.hash:
                return Verdict(False, count, prev, row.seq, f"entry {row.seq} ({row.at}, {row.action} by"
                                                            f" {row.actor}) was changed after it was written")
            if row.prev_hash != prev:
                return Verdict(False, count, prev, row.seq - 1,
                               f"entry {row.seq - 1} was changed or replaced: entry {row.seq} recorded a"
                               f" different hash for it")
            prev, expected_seq = row.hash, row.seq + 1
    return Verdict(True, count, prev)
