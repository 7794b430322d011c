"""What the demo bank portal and the demo ERP share: password check, sign-in and sign-out.

    add_sign_out(app)                       # /logout and a quiet /favicon.ico
    if needs_sign_in(): return to_sign_in()
    if password_matches(user, password, app.config["ERP_USER"], app.config["ERP_PASSWORD"]):
        return signed_in(user, home="ap")
"""

from __future__ import annotations

import hmac

from flask import Flask, Response, redirect, request, session, url_for

OPEN_ENDPOINTS = ("login", "static", "favicon")


def password_matches(username: str, password: str, expected_user: str, expected_password: str) -> bool:
    """Both compared in constant time, and both always compared (no early out on the user name)."""
    user_ok = hmac.compare_digest(username.encode(), expected_user.encode())
    password_ok = hmac.compare_digest(password.encode(), expected_password.encode())
    return user_ok and password_ok


def signed_in(username: str, home: str) -> Response:
    """Start a fresh session and go where the login page was asked to lead, or to ``home``."""
    session.clear()
    session["user"] = username
    target = request.args.get("next") or ""
    # only local paths: an open redirect would let a phishing link bounce through the demo site
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for(home))


def needs_sign_in() -> bool:
    return request.endpoint not in OPEN_ENDPOINTS and not session.get("user")


def to_sign_in() -> Response:
    """The login page, remembering the page asked for (GET only: a form post cannot be replayed)."""
    return redirect(url_for("login", next=request.full_path if request.method == "GET" else None))


def add_sign_out(app: Flask) -> None:
    @app.get("/logout")
    def logout():
        session.clear()
        return redirect(url_for("login"))

    @app.get("/favicon.ico")
    def favicon():
        return Response(status=204)
