"""Console users, roles and API tokens, in the store.

Roles (``ROLES``), each one a job:

- ``viewer`` reads everything (every signed-in user can read);
- ``clerk`` works the invoice review queue;
- ``approver`` decides approval requests;
- ``operator`` reruns runs and decides reconciliation suggestions;
- ``admin`` manages users and may do everything the others do.

    from bots.users import get_user, has_role
    user = get_user("li.wei")            # None if there is no such user
    if not has_role(user, "approver"):   # False for None and for a disabled user
        raise AccessError(...)

Passwords are hashed with argon2id (``argon2-cffi``, OWASP's parameters; rehashed on sign-in when
those change). API tokens are 256-bit random strings shown once; the store keeps
their SHA-256 (a slow hash buys nothing for a secret that cannot be guessed, and every API call
checks one). After ``LOCKOUT_ATTEMPTS`` failed sign-ins in a row a user is locked for
``LOCKOUT_MINUTES`` (``settings.yaml``: ``console: {lockout_attempts: 5, lockout_minutes: 15}``).
Every sign-in, failure, lockout and change to a user is written to the audit trail.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text, func, insert, select, update

from bots import audit
from bots.errors import AccessError, SignInRefused
from bots.store import RunStore, metadata, utcnow

ROLES = ("viewer", "clerk", "approver", "operator", "admin")
LOCKOUT_ATTEMPTS = 5
LOCKOUT_MINUTES = 15
MIN_PASSWORD = 10
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
TOKEN_PREFIX = "dbt_"

users = Table(
    "users", metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created", String(40), nullable=False),
    Column("failed_sign_ins", Integer, nullable=False, default=0),
    Column("locked_until", String(40)),
    Column("last_sign_in", String(40)),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", String(16), primary_key=True),  # the public part of the token, to find its row
    Column("user", String(64), nullable=False),
    Column("secret_sha256", String(64), nullable=False),
    Column("created", String(40), nullable=False),
    Column("last_used", String(40)),
    Column("revoked", String(40)),
    Index("api_tokens_user", "user"),
)

# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~30 ms a sign-in on an idle core. The
# library default (64 MiB, 3 passes) took 2 s a sign-in on the 2-core target machine under load.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so a wrong name costs the same time as a
    wrong password. Made on the first sign-in, not on import: every process that opens the store
    imports this module, and a hash costs ~40 ms of CPU."""
    return _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class User:
    name: str
    role: str
    disabled: bool = False
    locked_until: str | None = None
    last_sign_in: str | None = None
    created: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def has_role(user: User | None, role: str) -> bool:
    """May ``user`` act as ``role``? Every enabled user reads (viewer); admin may do everything."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if user is None or user.disabled:
        return False
    return role == "viewer" or user.role in (role, "admin")


def _store(store: RunStore | None) -> RunStore:
    return store or RunStore()


def _user(row) -> User:
    return User(name=row.name, role=row.role, disabled=bool(row.disabled), locked_until=row.locked_until,
                last_sign_in=row.last_sign_in, created=row.created)


def get_user(name: str, *, store: RunStore | None = None) -> User | None:
    with _store(store).read() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
    return _user(row) if row else None


def list_users(*, store: RunStore | None = None) -> list[User]:
    with _store(store).read() as conn:
        return [_user(r) for r in conn.execute(select(users).order_by(users.c.name))]


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name or ""):
        raise AccessError(f"user name {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-'")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccessError(f"role {role!r}: choose one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccessError(f"password too short: use at least {MIN_PASSWORD} characters")
    return password


def add_user(name: str, role: str, password: str, *, actor: str, store: RunStore | None = None) -> User:
    check_name(name), check_role(role), check_password(password)
    hashed = _hasher.hash(password)
    store = _store(store)
    with store.write() as conn:
        if conn.execute(select(users.c.name).where(users.c.name == name)).first():
            raise AccessError(f"user {name!r} already exists; see 'deskbot users list'")
        conn.execute(insert(users).values(name=name, role=role, password_hash=hashed, disabled=False,
                                          created=utcnow(), failed_sign_ins=0))
        audit.record(actor, "user.add", name, after={"role": role}, conn=conn)
    return get_user(name, store=store)


def _change(name: str, values: dict, action: str, *, actor: str, store: RunStore | None) -> User:
    store = _store(store)
    with store.write() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
        if row is None:
            raise AccessError(f"no user {name!r}; see 'deskbot users list'")
        before = {k: getattr(row, k) for k in values if k != "password_hash"}
        conn.execute(update(users).where(users.c.name == name).values(**values))
        after = {k: v for k, v in values.items() if k != "password_hash"}
        audit.record(actor, action, name, before=before or None, after=after or None, conn=conn)
    return get_user(name, store=store)


def disable_user(name: str, *, actor: str, store: RunStore | None = None) -> User:
    """Disable a user: no more sign-ins, sessions or API tokens (the tokens are revoked too)."""
    user = _change(name, {"disabled": True}, "user.disable", actor=actor, store=store)
    with _store(store).write() as conn:
        conn.execute(update(api_tokens).where(api_tokens.c.user == name, api_tokens.c.revoked.is_(None))
                     .values(revoked=utcnow()))
    return user


def enable_user(name: str, *, actor: str, store: RunStore | None = None) -> User:
    return _change(name, {"disabled": False, "failed_sign_ins": 0, "locked_until": None}, "user.enable",
                   actor=actor, store=store)


def set_role(name: str, role: str, *, actor: str, store: RunStore | None = None) -> User:
    return _change(name, {"role": check_role(role)}, "user.role", actor=actor, store=store)


def set_password(name: str, password: str, *, actor: str, store: RunStore | None = None) -> User:
    hashed = _hasher.hash(check_password(password))
    return _change(name, {"password_hash": hashed, "failed_sign_ins": 0, "locked_until": None},
                   "user.password", actor=actor, store=store)


# ---- signing in ----------------------------------------------------------------------------

def lockout_policy(settings: dict | None = None) -> tuple[int, int]:
    console = (settings or {}).get("console") or {}
    return (int(console.get("lockout_attempts", LOCKOUT_ATTEMPTS)),
            int(console.get("lockout_minutes", LOCKOUT_MINUTES)))


def authenticate(name: str, password: str, *, source: str = "", settings: dict | None = None,
                 store: RunStore | None = None, now: datetime | None = None) -> User:
    """The user, if ``password`` is theirs and they may sign in; else :class:`SignInRefused`.

    Every outcome is audited (``sign-in``, ``sign-in.failed``, ``sign-in.locked``)."""
    store = _store(store)
    attempts, minutes = lockout_policy(settings)
    now = now or datetime.now(timezone.utc)
    detail = {"source": source} if source else None
    with store.read() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
    if row is None:
        _verify(_dummy_hash(), password)
        return _refuse(store, name, "unknown user", detail)
    if row.disabled:
        _verify(_dummy_hash(), password)
        return _refuse(store, name, "disabled", detail)
    if row.locked_until and datetime.fromisoformat(row.locked_until) > now:
        _verify(_dummy_hash(), password)
        return _refuse(store, name, "locked", detail, locked_until=row.locked_until)
    if not _verify(row.password_hash, password):
        with store.write() as conn:
            failures = conn.execute(select(users.c.failed_sign_ins).where(users.c.name == name)).scalar() + 1
            values: dict = {"failed_sign_ins": failures}
            if failures >= attempts:
                values = {"failed_sign_ins": 0, "locked_until": (now + timedelta(minutes=minutes)).isoformat()}
            conn.execute(update(users).where(users.c.name == name).values(**values))
            audit.record(name, "sign-in.failed", name, detail={**(detail or {}), "failures": failures}, conn=conn)
            if "locked_until" in values:
                audit.record(name, "sign-in.locked", name,
                             detail={**(detail or {}), "until": values["locked_until"]}, conn=conn)
        raise SignInRefused("wrong password", locked_until=values.get("locked_until"))
    values = {"failed_sign_ins": 0, "locked_until": None, "last_sign_in": utcnow()}
    if _hasher.check_needs_rehash(row.password_hash):
        values["password_hash"] = _hasher.hash(password)
    with store.write() as conn:
        conn.execute(update(users).where(users.c.name == name).values(**values))
        audit.record(name, "sign-in", name, detail=detail, conn=conn)
    return get_user(name, store=store)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _refuse(store: RunStore, name: str, reason: str, detail: dict | None, locked_until: str | None = None):
    audit.record(name, "sign-in.failed", name, detail={**(detail or {}), "reason": reason}, store=store)
    raise SignInRefused(reason, locked_until=locked_until)


# ---- API tokens ------------------------------------------------------------------------------

def new_token(name: str, *, actor: str, store: RunStore | None = None) -> str:
    """A new API token for ``name``; returned once, only its SHA-256 is kept."""
    store = _store(store)
    user = get_user(name, store=store)
    if user is None:
        raise AccessError(f"no user {name!r}; see 'deskbot users list'")
    if user.disabled:
        raise AccessError(f"user {name!r} is disabled; 'deskbot users enable {name}' first")
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with store.write() as conn:
        conn.execute(insert(api_tokens).values(id=token_id, user=name, secret_sha256=_sha256(secret), created=utcnow()))
        audit.record(actor, "token.create", name, detail={"token": token_id}, conn=conn)
    return f"{TOKEN_PREFIX}{token_id}_{secret}"


def user_for_token(token: str, *, store: RunStore | None = None) -> User | None:
    """The enabled user a presented token belongs to, or None."""
    match = re.fullmatch(rf"{TOKEN_PREFIX}([0-9a-f]{{12}})_([A-Za-z0-9_-]{{20,100}})", token or "")
    if not match:
        return None
    store = _store(store)
    with store.read() as conn:
        row = conn.execute(select(api_tokens).where(api_tokens.c.id == match.group(1),
                                                    api_tokens.c.revoked.is_(None))).first()
    if row is None or not hmac.compare_digest(row.secret_sha256, _sha256(match.group(2))):
        return None
    user = get_user(row.user, store=store)
    if user is None or user.disabled:
        return None
    now = utcnow()
    if (row.last_used or "")[:16] != now[:16]:  # to the minute: a script's burst of calls writes once
        with store.write() as conn:
            conn.execute(update(api_tokens).where(api_tokens.c.id == row.id).values(last_used=now))
    return user


def token_counts(*, store: RunStore | None = None) -> dict[str, int]:
    with _store(store).read() as conn:
        return dict(conn.execute(select(api_tokens.c.user, func.count()).where(api_tokens.c.revoked.is_(None))
                                 .group_by(api_tokens.c.user)).all())


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
