"""Invoices in review: what a person sees, and what their decision does. The CLI
(``deskbot review``) and the console call these functions; nothing here prints.

    from bots.review import list_reviews, get_review, approve, reject
    for item in list_reviews():                      # pending ones, oldest first
        print(item["id"], item["name"], item["reasons"])
    outcome = approve("3f9a1c0d2b7e", {"amount": "1234.56"}, actor="alice")
    outcome.dest, outcome.learned                    # archive/2026-03/scan.pdf, learned template file
    reject("77aa01c9e3f2", reason="not addressed to us", actor="bob")

Where items come from: every document the intake files into ``review/`` (the watch folder
and the ``ocr.file`` step both go through ``bots.intake.file_document``) is registered here,
keyed by its content hash, with what was read (fields, confidences, checks, reasons), the
watched folder and the recipe that books that folder's invoices.

A decision:

- **approve** (with corrections ``{field: text}``): checks each corrected value (an amount is
  digits with at most two decimals, a date is YYYY-MM-DD, …), refuses an issuer + number
  already booked, then records the decision, teaches a learned vendor template when anything
  was corrected (``vision.learned``; written under ``<templates>/learned/``), books the
  invoice through the folder's recipe exactly as the watcher books a ready invoice (the run's
  ``ocr.invoice`` step returns the approved values), and files the document in
  ``archive/YYYY-MM/``;
- **reject** (a reason is required): records the decision and files the document in
  ``quarantine/`` with the reason beside it.

Exactly once: the decision is a compare-and-set (``pending`` -> ``approved``/``rejected``) in
one transaction with its record (who, when, values before and after), so two people deciding
at once cannot both win. The work after it advances ``stage`` (``decided`` -> ``learned`` ->
``booked`` -> ``filed``); a crash leaves the stage where it was, and approving again finishes
the same decision without booking a second time once ``booked`` was reached.
"""

from __future__ import annotations

import difflib
import getpass
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

import sqlalchemy as sa

from bots import audit
from bots.errors import DeskbotError
from bots.store import RunStore, metadata

FIELDS = ("issuer", "invoice_number", "date", "due_date", "currency", "amount", "amount_untaxed", "vat")
REQUIRED = ("issuer", "invoice_number", "date", "amount", "currency")
ALIASES = {"total": "amount", "net": "amount_untaxed", "subtotal": "amount_untaxed", "tax": "vat",
           "number": "invoice_number", "vendor": "issuer", "supplier": "issuer", "invoice_date": "date",
           "due": "due_date"}
DEFAULT_TEMPLATES = "config/invoice_templates"


reviews = sa.Table(
    "reviews", metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("key", sa.String(64), nullable=False, index=True),      # SHA-256 of the content
    sa.Column("kind", sa.String(16), nullable=False),                 # review | duplicate
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("folder", sa.Text),                                     # the watched folder
    sa.Column("path", sa.Text),                                       # where the document is now
    sa.Column("recipe", sa.Text),                                     # the recipe that books it
    sa.Column("status", sa.String(16), nullable=False),               # pending | approved | rejected
    sa.Column("stage", sa.String(16)),                                # decided | learned | booked | filed
    sa.Column("record", sa.JSON),                                     # what was read, checks, reasons
    sa.Column("created", sa.String(32), nullable=False),
    sa.Column("updated", sa.String(32), nullable=False),
    sa.Column("decided_by", sa.Text),
    sa.Column("decided_at", sa.String(32)),
    sa.Column("reason", sa.Text),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Column("learned", sa.JSON),                                    # template file + fields taught
    sa.Column("dest", sa.Text),
    sa.Column("booking", sa.JSON),                                    # run id / status of the booking
)


class ReviewRefused(DeskbotError):
    """A review decision that cannot be taken as asked (already decided, bad value, no reason)."""


class ReviewNotFound(ReviewRefused):
    """No review item has that id."""


def _home(home: str | Path | None) -> Path:
    if home is not None:
        return Path(home)
    from bots import settings as settings_mod

    return settings_mod.home()


def _store(home: str | Path | None) -> RunStore:
    """The store (``DESKBOT_DATABASE``, else SQLite ``runs.db`` under the home): ``read()`` and
    ``write()`` (one transaction that holds SQLite's write lock from its start)."""
    return RunStore(_home(home))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def review_id(key: str, kind: str = "review", dest: str = "") -> str:
    """Short id of a review item: the content hash's first 12 hex digits (a duplicate copy
    gets its own id, since its content is the original's)."""
    if kind == "duplicate":
        return hashlib.sha256(f"{key}:{dest}".encode()).hexdigest()[:12]
    return key[:12]


# ------------------------------------------------------------------------------ registering


def register(home: str | Path, *, key: str, name: str, folder: str | Path | None, path: str | Path,
             record: dict | None, recipe: str | None = None, kind: str = "review") -> str:
    """Remember a document filed into review (idempotent: the same content filed again
    refreshes the pending item). Returns its id."""
    rid = review_id(key, kind, str(path))
    now = _now()
    values = {"key": key, "kind": kind, "name": name, "folder": str(folder) if folder else None, "path": str(path),
              "record": _jsonable(record or {}), "updated": now}
    if recipe:
        values["recipe"] = str(recipe)
    with _store(home).write() as conn:
        row = conn.execute(sa.select(reviews.c.status).where(reviews.c.id == rid)).first()
        if row is None:
            conn.execute(reviews.insert().values(id=rid, status="pending", created=now, **values))
        elif row.status == "pending":
            conn.execute(reviews.update().where(reviews.c.id == rid).values(**values))
    return rid


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


# ------------------------------------------------------------------------------ reading


def _summary(row: Any) -> dict:
    record = row.record or {}
    fields = record.get("fields") or {}
    values = {k: (v.get("value") if isinstance(v, dict) else v) for k, v in fields.items() if k != "lines"}
    if row.status == "approved" and row.after:
        values = dict(row.after)  # what was booked
    return {"id": row.id, "kind": row.kind, "name": row.name, "status": row.status, "stage": row.stage,
            "file": row.path, "folder": row.folder, "recipe": row.recipe, "created": row.created,
            "reasons": list(record.get("reasons") or []), "values": values,
            "decided_by": row.decided_by, "decided_at": row.decided_at, "reason": row.reason, "dest": row.dest}


def list_reviews(status: str = "pending", home: str | Path | None = None) -> list[dict]:
    """Review items (``status``: pending, approved, rejected or all), oldest first."""
    query = sa.select(reviews).order_by(reviews.c.created, reviews.c.id)
    if status != "all":
        if status not in ("pending", "approved", "rejected"):
            raise ReviewRefused(f"unknown status {status!r}; use pending, approved, rejected or all")
        query = query.where(reviews.c.status == status)
    with _store(home).read() as conn:
        return [_summary(SimpleNamespace(**row._mapping)) for row in conn.execute(query)]


def _row(conn: sa.Connection, rid: str) -> Any:
    rid = (rid or "").strip().lower()
    if not re.fullmatch(r"[0-9a-f]{4,64}", rid):
        raise ReviewNotFound(f"no review item {rid!r}: ids are hex, as 'deskbot review list' shows them")
    row = conn.execute(sa.select(reviews).where(reviews.c.id == rid[:16])).first()
    if row is None:
        rows = conn.execute(sa.select(reviews).where(reviews.c.id.like(rid[:16] + "%"))).fetchall()
        if len(rows) > 1:
            raise ReviewNotFound(f"review id {rid!r} is ambiguous: {', '.join(r.id for r in rows)}")
        row = rows[0] if rows else None
    if row is None:
        raise ReviewNotFound(f"no review item {rid!r}; see 'deskbot review list --status all'")
    return SimpleNamespace(**row._mapping)


def get_review(rid: str, home: str | Path | None = None) -> dict:
    """One item in full: fields with confidence and source, checks, reasons, the file, and
    the decision when there is one."""
    with _store(home).read() as conn:
        row = _row(conn, rid)
    item = _summary(row)
    record = row.record or {}
    item.update({"fields": record.get("fields") or {}, "checks": record.get("checks") or [],
                 "template": record.get("template"), "duplicate_of": record.get("duplicate_of"),
                 "file_exists": bool(row.path) and Path(row.path).exists(), "before": row.before,
                 "after": row.after, "learned": row.learned, "booking": row.booking,
                 "pages": record.get("pages") or [], "boxes": record.get("boxes") or {},
                 "original_id": None, "original_file": None})
    if row.kind == "duplicate":
        # the copy taken first: its review item when it went to review, else where the intake filed it
        with _store(home).read() as conn:
            first = conn.execute(sa.select(reviews.c.id, reviews.c.path).where(
                reviews.c.key == row.key, reviews.c.kind == "review")).first()
        filed_as = str(record.get("filed_as") or "")
        item["original_id"] = first.id if first else None
        item["original_file"] = first.path if first else (filed_as if Path(filed_as).is_absolute() else None)
    return item


def approved_reading(home: str | Path, key: str) -> dict | None:
    """For ``ocr.invoice``: the values a person approved for this content, or None."""
    with _store(home).read() as conn:
        row = conn.execute(sa.select(reviews).where(reviews.c.key == key, reviews.c.kind == "review",
                                                    reviews.c.status == "approved")).first()
    if row is None:
        return None
    return {"id": row.id, "values": dict(row.after or {}), "record": row.record or {}, "decided_by": row.decided_by}


# ------------------------------------------------------------------------------ values a person types


def field_name(name: str) -> str:
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = ALIASES.get(key, key)
    if key not in FIELDS:
        close = difflib.get_close_matches(key, list(FIELDS) + list(ALIASES), n=1)
        hint = f" (did you mean {ALIASES.get(close[0], close[0])}?)" if close else ""
        raise ReviewRefused(f"unknown field {name!r}{hint}; fields: {', '.join(FIELDS)}")
    return key


_AMOUNT_TEXT = re.compile(r"-?(?:\d{1,3}(?:[,. '\u00a0]\d{3})+|\d+)(?:[.,]\d{1,2})?")


def parse_value(name: str, text: str) -> Any:
    """A corrected value as typed by a person -> its typed value (Decimal, date, str, or None
    to clear an optional field). Raises ReviewRefused naming the field and what is wrong."""
    from vision.parsing import parse_amount

    raw = str(text).strip()
    if not raw:
        if name in REQUIRED:
            raise ReviewRefused(f"{name}: cannot be empty (it is required to book the invoice)")
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in raw):
        raise ReviewRefused(f"{name}: control characters are not allowed")
    if name in ("amount", "amount_untaxed", "vat"):
        compact = raw.removeprefix("+")
        if not _AMOUNT_TEXT.fullmatch(compact):
            raise ReviewRefused(f"{name}={raw!r}: not an amount; write digits with at most two decimals, "
                                f"e.g. {name}=1234.56")
        value = parse_amount(compact)
        if value is None:
            raise ReviewRefused(f"{name}={raw!r}: not an amount; write it like 1234.56")
        if name == "amount" and value <= 0:
            raise ReviewRefused(f"{name}={raw!r}: the total must be above zero (credit notes are booked by hand)")
        return value.quantize(Decimal("0.01"))
    if name in ("date", "due_date"):
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError
            return date.fromisoformat(raw)
        except ValueError:
            raise ReviewRefused(f"{name}={raw!r}: not a date; write it as YYYY-MM-DD, e.g. {name}=2026-03-15") from None
    if name == "currency":
        if not re.fullmatch(r"[A-Za-z]{3}", raw):
            raise ReviewRefused(f"currency={raw!r}: write the three-letter ISO code, e.g. currency=EUR")
        return raw.upper()
    limit = 60 if name == "invoice_number" else 200
    if len(raw) > limit:
        raise ReviewRefused(f"{name}: longer than {limit} characters")
    return re.sub(r"\s+", " ", raw)


def parse_assignments(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["amount=12.30", "date=2026-03-01"]`` -> ``{"amount": "12.30", …}`` (for --set)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ReviewRefused(f"--set {pair!r}: write it as FIELD=VALUE, e.g. --set amount=1234.56")
        out[field_name(name)] = value
    return out


def _typed_before(record: dict) -> dict[str, Any]:
    from vision.parsing import parse_amount

    out: dict[str, Any] = {}
    for name, item in (record.get("fields") or {}).items():
        if name not in FIELDS:
            continue
        value = item.get("value") if isinstance(item, dict) else item
        if value is None:
            continue
        if name in ("amount", "amount_untaxed", "vat"):
            value = parse_amount(str(value))
            value = value.quantize(Decimal("0.01")) if value is not None else None
        elif name in ("date", "due_date"):
            try:
                value = date.fromisoformat(str(value)[:10])
            except ValueError:
                value = None
        if value is not None:
            out[name] = value
    return out


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal) else v.isoformat() if isinstance(v, date) else v)
            for k, v in values.items()}


# ------------------------------------------------------------------------------ deciding


@dataclass
class Decision:
    id: str
    status: str  # approved | rejected
    dest: str | None
    corrected: dict = field(default_factory=dict)  # field -> [before, after]
    learned: dict | None = None  # {"template": path, "fields": [...], "skipped": {field: why}}
    booking: dict | None = None
    finished_earlier: bool = False  # an interrupted decision was completed, not a new one

    def to_json(self) -> dict:
        return {"id": self.id, "status": self.status, "dest": self.dest, "corrected": self.corrected,
                "learned": self.learned, "booking": self.booking, "resumed": self.finished_earlier}


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def check_actor(actor: str | None, store: RunStore) -> str:
    """Who decides. Once console users exist, a decision needs one with the clerk role (or
    admin); before that (one machine, no console) any name is recorded as given."""
    from bots.users import get_user, has_role, list_users

    given = actor is not None
    actor = (actor if given else default_actor()).strip()
    if not actor:
        raise ReviewRefused("who decides? give --as USER")
    if not list_users(store=store):
        return actor
    user = get_user(actor, store=store)
    if not has_role(user, "clerk"):
        why = "no such user" if user is None else "disabled" if user.disabled else f"role {user.role}"
        hint = "" if given else " (give --as USER)"
        raise ReviewRefused(f"{actor} may not decide reviews ({why}){hint}; it needs the clerk or admin role")
    return user.name


def _set(conn: sa.Connection, rid: str, **values) -> None:
    conn.execute(reviews.update().where(reviews.c.id == rid).values(updated=_now(), **values))


def _ocr_settings() -> dict:
    from bots import settings as settings_mod

    conf = (settings_mod.load_settings() or {}).get("ocr") or {}
    return conf if isinstance(conf, dict) else {}


def approve(rid: str, corrections: dict[str, str] | None = None, *, actor: str | None = None,
            home: str | Path | None = None, recipe: str | Path | None = None,
            templates_dir: str | Path | None = None,
            book: Callable[[Path, dict, str], dict | None] | None = None) -> Decision:
    """Approve a review item, with corrections ``{field: text}``; see the module docstring.

    ``book(path, values, key)`` replaces booking through the recipe (tests, the console's
    own runner); it must be idempotent by ``key``. Raises ReviewRefused / ReviewNotFound."""
    from bots.intake import IntakeJournal

    home = _home(home)
    store = _store(home)
    actor = check_actor(actor, store)
    with store.read() as conn:
        row = _row(conn, rid)
    if row.status == "rejected":
        raise ReviewRefused(f"review {row.id} was already rejected by {row.decided_by} at {row.decided_at}")
    if row.kind == "duplicate":
        raise ReviewRefused(f"review {row.id} is a second copy of a file already taken "
                            f"({(row.record or {}).get('duplicate_of')}); there is nothing to book: reject it")
    resumed = row.status == "approved"
    if resumed:
        if row.stage == "filed":
            raise ReviewRefused(f"review {row.id} was already approved by {row.decided_by} at {row.decided_at} "
                                f"and filed as {row.dest}")
        if corrections:
            raise ReviewRefused(f"review {row.id} was already approved by {row.decided_by} at {row.decided_at}; "
                                f"its booking did not finish: approve it again without --set to finish it")
        before = _typed_before({"fields": {k: {"value": v} for k, v in (row.before or {}).items()}})
        after = _typed_before({"fields": {k: {"value": v} for k, v in (row.after or {}).items()}})
    else:
        before = _typed_before(row.record or {})
        after = dict(before)
        for name, text in (corrections or {}).items():
            name = field_name(name)
            value = parse_value(name, text)
            if value is None:
                after.pop(name, None)
            else:
                after[name] = value
        missing = [n for n in REQUIRED if n not in after]
        if missing:
            raise ReviewRefused(f"review {row.id}: {', '.join(missing)} not read; give "
                                + " ".join(f"--set {n}=…" for n in missing))
        journal = IntakeJournal.at_home(home)
        try:
            earlier = journal.booked_before(str(after["issuer"]), str(after["invoice_number"]), except_hash=row.key)
        finally:
            journal.close()
        if earlier:
            raise ReviewRefused(f"review {row.id}: already booked: {earlier}; reject this one as a duplicate")
        now = _now()
        with store.write() as conn:
            won = conn.execute(reviews.update().where(reviews.c.id == row.id, reviews.c.status == "pending").values(
                status="approved", stage="decided", decided_by=actor, decided_at=now, updated=now,
                before=_plain(before), after=_plain(after))).rowcount
            if won != 1:
                again = _row(conn, row.id)
                raise ReviewRefused(f"review {row.id} was already {again.status} by {again.decided_by} "
                                    f"at {again.decided_at}")
            changed = sorted(k for k in FIELDS if before.get(k) != after.get(k))
            audit.record(actor, "review.approve", row.id, before=_plain(before), after=_plain(after),
                         detail={"corrected": changed, "file": row.path, "name": row.name}, conn=conn)
        with store.read() as conn:
            row = _row(conn, row.id)
    corrected = {k: [_plain({k: before.get(k)})[k], _plain({k: after.get(k)})[k]]
                 for k in FIELDS if before.get(k) != after.get(k)}
    decision = Decision(row.id, "approved", None, corrected, row.learned, row.booking, resumed)

    if row.stage == "decided":
        decision.learned = _learn(row, before, after, templates_dir, corrected=bool(corrected) or _doubted(row),
                                  home=home)
        with store.write() as conn:
            _set(conn, row.id, stage="learned", learned=decision.learned)
        row.stage = "learned"
    current = Path(row.path) if row.path else None
    if row.stage in ("decided", "learned"):
        decision.booking = _booked_by_earlier_run(store, row) or _book(row, current, after, home, recipe, book)
        journal = IntakeJournal.at_home(home)
        try:
            journal.record_booking(row.key, str(after["issuer"]), str(after["invoice_number"]), after["amount"],
                                   row.name)
        finally:
            journal.close()
        with store.write() as conn:
            _set(conn, row.id, stage="booked", booking=decision.booking)
    decision.dest = _file(row, current, "booked", home, invoice_date=after.get("date"))
    with store.write() as conn:
        _set(conn, row.id, stage="filed", dest=decision.dest, path=decision.dest)
    return decision


def reject(rid: str, reason: str, *, actor: str | None = None, home: str | Path | None = None) -> Decision:
    """Reject a review item: the document goes to ``quarantine/`` with the reason."""
    home = _home(home)
    actor = check_actor(actor, _store(home))
    reason = (reason or "").strip()
    if not reason:
        raise ReviewRefused("a rejection needs a reason (--reason TEXT): the clerk reads it beside the file")
    if any(ord(c) < 32 and c not in "\t" for c in reason) or len(reason) > 1000:
        raise ReviewRefused("--reason: one line of at most 1000 characters")
    store = _store(home)
    with store.read() as conn:
        row = _row(conn, rid)
    resumed = row.status == "rejected" and row.stage != "filed"
    if row.status != "pending" and not resumed:
        raise ReviewRefused(f"review {row.id} was already {row.status} by {row.decided_by} at {row.decided_at}")
    if not resumed:
        now = _now()
        with store.write() as conn:
            before = _plain(_typed_before(row.record or {}))
            won = conn.execute(reviews.update().where(reviews.c.id == row.id, reviews.c.status == "pending").values(
                status="rejected", stage="decided", decided_by=actor, decided_at=now, updated=now, reason=reason,
                before=before)).rowcount
            if won != 1:
                again = _row(conn, row.id)
                raise ReviewRefused(f"review {row.id} was already {again.status} by {again.decided_by} "
                                    f"at {again.decided_at}")
            audit.record(actor, "review.reject", row.id, before=before,
                         detail={"reason": reason, "file": row.path, "name": row.name}, conn=conn)
            row = _row(conn, row.id)
    why = f"rejected in review by {row.decided_by} at {row.decided_at}: {row.reason}"
    dest = _file(row, Path(row.path) if row.path else None, "quarantine", home, reason=why)
    with store.write() as conn:
        _set(conn, row.id, stage="filed", dest=dest, path=dest)
    return Decision(row.id, "rejected", dest, finished_earlier=resumed)


# ------------------------------------------------------------------------------ the work after a decision


def _book(row: Any, current: Path | None, values: dict, home: Path, recipe: str | Path | None,
          book: Callable | None) -> dict:
    if current is None or not current.exists():
        raise ReviewRefused(f"review {row.id}: the document is no longer at {row.path}; put it back to book it")
    if book is not None:
        return _jsonable(book(current, _plain(values), row.key) or {"booked": True})
    recipe_path = recipe or row.recipe
    if not recipe_path:
        return {"booked": True, "by": "intake journal", "recipe": None}
    from bots.recipe import load_recipe
    from bots.runner import Runner

    try:
        loaded = load_recipe(str(recipe_path))
    except DeskbotError as exc:
        raise ReviewRefused(f"review {row.id} is approved, but its recipe cannot be loaded: {exc}; fix it "
                            f"(or give --recipe) and approve it again to book it") from None
    trigger = {"type": "file", "file": str(current), "name": row.name, "key": row.key, "intake": True,
               "review": row.id}
    from bots.cli import run_hooks  # failure alerts, as for any run

    run = Runner(loaded, trigger=trigger, home=home, after_run=run_hooks()).run()
    if run.status != "ok":
        raise ReviewRefused(f"review {row.id} is approved, but booking failed in run {run.run_id} "
                            f"({run.status}: {run.error}); see 'deskbot show {run.run_id}', then approve it "
                            f"again to finish")
    return {"booked": True, "recipe": str(recipe_path), "run_id": run.run_id}


def _booked_by_earlier_run(store: RunStore, row: Any) -> dict | None:
    """The run of the folder's recipe that already booked this item, when the approval that
    started it stopped before noting it (a crash, a kill): approving again must not book it a
    second time through a recipe that does not check for itself."""
    from bots.store import runs

    with store.read() as conn:
        found = conn.execute(sa.select(runs.c.id, runs.c.recipe_file, runs.c.trigger, runs.c.ended).where(
            runs.c.status == "ok", runs.c.trigger.like(f"%{row.id}%")).order_by(runs.c.started)).fetchall()
    for run in found:
        try:
            trigger = json.loads(run.trigger or "{}")
        except ValueError:
            continue
        if isinstance(trigger, dict) and trigger.get("review") == row.id and trigger.get("key") == row.key:
            return {"booked": True, "recipe": run.recipe_file, "run_id": run.id,
                    "note": f"booked by run {run.id} at {run.ended}, before the approval was interrupted"}
    return None


def _file(row: Any, current: Path | None, outcome: str, home: Path, *, invoice_date: Any = None,
          reason: str | None = None) -> str:
    from bots.intake import IntakeJournal, file_document

    folder = Path(row.folder) if row.folder else (current.parent.parent if current else None)
    journal = IntakeJournal.at_home(home)
    try:
        state = journal.get(row.key)
        if current is None or not current.exists():
            if state and state["state"] == "filing" and state["dest"] and Path(state["dest"]).exists():
                journal.set_state(row.key, row.name, "done")
                return state["dest"]
            if row.dest and Path(row.dest).exists():
                return row.dest
            raise ReviewRefused(f"review {row.id}: the document is no longer at {row.path}")
        sidecar = current.with_name(current.name + ".json")
        dest = file_document(journal, current, row.key, outcome, folder=folder, invoice_date=invoice_date,
                             reason=reason)
        sidecar.unlink(missing_ok=True)
        return str(dest)
    finally:
        journal.close()


#: failed checks that doubt how a value was read, not what it says (a duplicate, an old date);
#: line items that do not add up doubt the reading too (a line missed or misread on a scan)
READING_DOUBTS = ("confidence", "scan_reread", "total_corroborated", "lines_sum", "line_arithmetic")


def _doubted(row: Any) -> bool:
    """Did the reading doubt a value the person has now approved as it stood (a required field
    below the confidence threshold, a scanned number or date that read otherwise when read
    again, a total nothing else on the page confirmed, line items that did not add up to it)?
    Confirming it teaches the vendor as a correction would: otherwise its later invoices are
    read without what the person confirmed (its name, where its number stands)."""
    checks = (row.record or {}).get("checks") or []
    return any(c.get("name") in READING_DOUBTS and c.get("ok") is False for c in checks if isinstance(c, dict))


def _learn(row: Any, before: dict, after: dict, templates_dir: str | Path | None, corrected: bool,
           home: Path) -> dict | None:
    """Teach (or extend) the vendor's learned template from the corrections (or the doubted
    values a person confirmed: ``corrected``); the YAML is written to a temporary name and
    renamed into place. Without either only a template that still misses a spot learns (the
    approval confirms where the values stand)."""
    from bots.fileio import write_atomic
    from vision import DEFAULT_LANGUAGES, UnreadableDocument, VisionError, read_document
    from vision.learned import LearnedTemplate, find_learned, fold, learn
    from vision.templates import load_templates

    conf = _ocr_settings()
    folder = Path(templates_dir or conf.get("templates") or DEFAULT_TEMPLATES)
    vendor = str(after.get("issuer") or "")
    try:
        known = [t for t in load_templates(folder) if isinstance(t, LearnedTemplate)]
    except VisionError as exc:  # a broken template elsewhere must not stop the booking
        return {"template": None, "fields": [], "skipped": {"*": f"templates not readable: {exc}"}}
    if not corrected and not any(fold(t.vendor) == fold(vendor) and t.wants_teaching() for t in known):
        return None
    current = Path(row.path) if row.path else None
    if current is None or not current.exists():
        return {"template": None, "fields": [], "skipped": {"*": "the document is no longer in review"}}
    try:
        doc = read_document(current, conf.get("languages") or DEFAULT_LANGUAGES)
    except UnreadableDocument as exc:
        return {"template": None, "fields": [], "skipped": {"*": f"cannot read the document again: {exc}"}}
    existing, _ = find_learned(known, doc.text)
    if existing is None or fold(existing.vendor) != fold(vendor):
        existing = next((t for t in known if fold(t.vendor) == fold(vendor)), None)
    template, skipped = learn(doc, before, after, existing=existing,
                              taught_by={"review": row.id, "by": row.decided_by, "at": row.decided_at})
    learned_dir = folder / "learned"
    learned_dir.mkdir(parents=True, exist_ok=True)
    target = Path(existing.path) if existing is not None and existing.path else _template_path(learned_dir, vendor)
    write_atomic(target, template.to_yaml())
    audit.record(row.decided_by, "template.learn", str(target), after={"fields": template.taught[-1]["fields"]},
                 detail={"review": row.id, "vendor": template.vendor, "skipped": skipped}, store=_store(home))
    return {"template": str(target), "fields": template.taught[-1]["fields"], "skipped": skipped}


def _template_path(folder: Path, vendor: str) -> Path:
    import unicodedata

    slug = unicodedata.normalize("NFKD", vendor).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")[:60] or "vendor-" + hashlib.sha256(vendor.encode()).hexdigest()[:10]
    path = folder / f"{slug}.yaml"
    n = 2
    while path.exists():
        path = folder / f"{slug}-{n}.yaml"
        n += 1
    return path
