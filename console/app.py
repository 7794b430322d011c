"""The console's Flask application: pages (server-rendered Jinja, autoescaped) and the JSON API.

    from console.app import create_app
    app = create_app()                     # state from DESKBOT_HOME / DESKBOT_DATABASE
    deskbot console --host 127.0.0.1 --port 8765

Flask because the project already depends on it (the demo apps), and Flask-WTF for CSRF tokens
on every form (the API takes Bearer tokens, not cookies, so it needs none). Security headers on
every answer: a Content-Security-Policy that allows no inline script and no framing,
``nosniff``, ``no-store`` for pages; run evidence in HTML is served sandboxed.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from bots import settings as settings_mod
from bots.store import RunStore
from console import auth  # noqa: F401  (declares the console's tables before the store opens)

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none';"
       " frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


def create_app(home: Path | None = None, settings: dict | None = None) -> Flask:
    settings = settings if settings is not None else settings_mod.load_settings()
    home = Path(home) if home is not None else settings_mod.home()
    store = RunStore(home)
    options = settings.get("console") or {}
    if store.engine.dialect.name == "postgresql":
        # runs started here go to the work queue: its schema and code ready before the first
        # request, not paid by a burst of them at once
        from bots.queue import ensure_schema

        ensure_schema(store.url)

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=auth.secret_key(store),
        SESSION_COOKIE_NAME="deskbot_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(options.get("secure_cookies", False)),
        PERMANENT_SESSION_LIFETIME=auth.SESSION_HOURS * 3600,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session it belongs to
        MAX_CONTENT_LENGTH=1024 * 1024,
        DESKBOT_HOME=home,
        DESKBOT_SETTINGS=settings,
    )
    if options.get("behind_proxy"):
        # trust one proxy's X-Forwarded-For/-Proto/-Host (docs/console.md); never without one
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    CSRFProtect(app)

    @app.before_request
    def load_user():
        g.store = store
        g.settings = settings
        g.home = home
        g.user = None if request.path.startswith("/api/") else auth.session_user(store)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        return render_template("error.html", title="Form expired",
                               message="This form was refused: its security token is missing or stale."
                                       " Go back, reload the page and try again."), 400

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("error.html", title="Not allowed",
                               message="Your role may not open this page or do this."), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("error.html", title="Not found", message="Nothing here."), 404

    from console.api import api_blueprint
    from console.pages import pages_blueprint

    app.register_blueprint(pages_blueprint)
    app.register_blueprint(api_blueprint)
    app.extensions["csrf"].exempt(api_blueprint)
    app.jinja_env.filters["ms"] = _ms
    app.jinja_env.filters["pct"] = lambda v: "–" if v is None else f"{v * 100:.1f}%"
    return app


def _ms(value) -> str:
    if value is None:
        return "–"
    value = float(value)
    if value < 1000:
        return f"{value:.0f} ms"
    if value < 120_000:
        return f"{value / 1000:.1f} s"
    return f"{value / 60000:.1f} min"
