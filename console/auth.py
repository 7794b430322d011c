"""Who is asking, and may they: sessions kept in the store, sign-in, roles on every view.

- A session is a random id in Flask's signed cookie; the store keeps its SHA-256 with the user
  and expiry, so signing out, disabling a user or changing their password ends it at once
  (a cookie-only session would stay valid until it expired).
- Pages redirect to ``/login`` without a session and answer 403 for a role that may not see
  them; the API answers 401 without a valid ``Authorization: Bearer TOKEN`` and 403 for a role.
- Every view declares its role with :func:`page` or :func:`api` (``view.required_role``), so
  tests can walk every route and role.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone
from functools import wraps
from typing import Callable

from flask import abort, g, jsonify, redirect, request, session, url_for
from sqlalchemy import Column, Index, String, Table, delete, insert, select, update

from bots import users as users_mod
from bots.store import insert_ignore, metadata, utcnow

SESSION_HOURS = 8
IDLE_MINUTES = 60

console_sessions = Table(
    "console_sessions", metadata,
    Column("id_sha256", String(64), primary_key=True),
    Column("user", String(64), nullable=False),
    Column("created", String(40), nullable=False),
    Column("last_seen", String(40), nullable=False),
    Column("expires", String(40), nullable=False),
    Column("source", String(200)),
    Index("console_sessions_user", "user"),
)

console_keys = Table(
    "console_keys", metadata,
    Column("name", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)


def secret_key(store) -> str:
    """The key that signs session cookies: made once per store, shared by every console process."""
    with store.write() as conn:
        insert_ignore(conn, console_keys, {"name": "session", "value": secrets.token_hex(32)})
        return conn.execute(select(console_keys.c.value).where(console_keys.c.name == "session")).scalar()


def _sha(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def open_session(store, user: users_mod.User) -> None:
    raw = secrets.token_urlsafe(32)
    now = datetime.now(timezone.utc)
    with store.write() as conn:
        conn.execute(insert(console_sessions).values(
            id_sha256=_sha(raw), user=user.name, created=now.isoformat(), last_seen=now.isoformat(),
            expires=(now + timedelta(hours=SESSION_HOURS)).isoformat(), source=request.remote_addr))
    session.clear()  # a new session id and CSRF token after sign-in (no session fixation)
    session["sid"] = raw
    session.permanent = True


def close_session(store) -> None:
    raw = session.get("sid")
    if raw:
        with store.write() as conn:
            conn.execute(delete(console_sessions).where(console_sessions.c.id_sha256 == _sha(raw)))
    session.clear()


def end_sessions_of(store, name: str) -> None:
    with store.write() as conn:
        conn.execute(delete(console_sessions).where(console_sessions.c.user == name))


def session_user(store) -> users_mod.User | None:
    raw = session.get("sid")
    if not raw:
        return None
    with store.read() as conn:
        row = conn.execute(select(console_sessions).where(console_sessions.c.id_sha256 == _sha(raw))).first()
    now = datetime.now(timezone.utc)
    if row is None or datetime.fromisoformat(row.expires) < now or \
            datetime.fromisoformat(row.last_seen) < now - timedelta(minutes=IDLE_MINUTES):
        return None
    user = users_mod.get_user(row.user, store=store)
    if user is None or user.disabled:
        return None
    if row.last_seen[:16] != now.isoformat()[:16]:  # to the minute: one write a minute per session
        with store.write() as conn:
            conn.execute(update(console_sessions).where(console_sessions.c.id_sha256 == row.id_sha256)
                         .values(last_seen=utcnow()))
    return user


def page(role: str) -> Callable:
    """A page for ``role`` and above: no session → sign-in page; wrong role → 403."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if g.user is None:
                return redirect(url_for("pages.login", next=request.full_path.rstrip("?")))
            if not users_mod.has_role(g.user, role):
                abort(403)
            return view(*args, **kwargs)
        wrapper.required_role = role
        return wrapper
    return decorate


def api(role: str) -> Callable:
    """A JSON endpoint for ``role``: no or bad token → 401; wrong role → 403."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            user = users_mod.user_for_token(token.strip(), store=g.store) if scheme.lower() == "bearer" else None
            if user is None:
                response = jsonify(error="sign in: send 'Authorization: Bearer TOKEN' (deskbot users token NAME)")
                response.status_code = 401
                response.headers["WWW-Authenticate"] = 'Bearer realm="deskbot"'
                return response
            if not users_mod.has_role(user, role):
                return jsonify(error=f"your role ({user.role}) may not do this; it needs {role}"), 403
            g.user = user
            return view(*args, **kwargs)
        wrapper.required_role = role
        return wrapper
    return decorate
