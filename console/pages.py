"""The console's pages. Every view names the role it needs (``@page(ROLE)``); reads are for every
signed-in user (viewer), actions for the role whose job they are."""

from __future__ import annotations

import difflib
import mimetypes
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file,
                   url_for)

from bots import audit, users as users_mod
from bots.errors import AccessError, SignInRefused
from console import auth, work
from console.auth import page

pages_blueprint = Blueprint("pages", __name__)

STATUSES = ("running", "ok", "failed", "interrupted", "rejected", "waiting", "queued")
TRIGGERS = ("manual", "schedule", "files", "console", "resume")
PAGE_SIZE = 50
INLINE_IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //evil.example or https://…) after sign-in."""
    if not target:
        return url_for("pages.dashboard")
    parts = urlsplit(target)
    # browsers read "/\\host" as "//host"; control characters can hide either
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target \
            or any(ord(c) < 32 for c in target):
        return url_for("pages.dashboard")
    return target


@pages_blueprint.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        name = request.form.get("username", "")
        password = request.form.get("password", "")
        try:
            user = users_mod.authenticate(name, password, source=request.remote_addr or "", settings=g.settings,
                                          store=g.store)
        except SignInRefused as refused:
            error = str(refused)
        else:
            auth.open_session(g.store, user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", error=error), (401 if error else 200)


login.required_role = None


@pages_blueprint.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "POST":
        if g.user is not None:
            audit.record(g.user.name, "sign-out", g.user.name, store=g.store)
        auth.close_session(g.store)
        return redirect(url_for("pages.login"))
    if g.user is None:
        return redirect(url_for("pages.login"))
    return render_template("logout.html")


logout.required_role = None


@pages_blueprint.route("/")
@page("viewer")
def dashboard():
    data = work.dashboard(g.store, g.settings, g.home)
    return render_template("dashboard.html", data=data, windows=work.WINDOWS)


def _run_filters(args) -> dict:
    filters = {}
    for key in ("recipe", "status", "trigger"):
        value = (args.get(key) or "").strip()
        if value:
            filters[key] = value[:200]
    for key in ("since", "until"):
        value = (args.get(key) or "").strip()
        if value:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                abort(400, f"{key}: use a date like 2026-11-30")
            filters[key] = (day + timedelta(days=1 if key == "until" else 0)).isoformat()
    return filters


def _cursor(text: str | None) -> tuple[str, str] | None:
    if not text or "|" not in text:
        return None
    started, _, run_id = text.partition("|")
    return started, run_id


@pages_blueprint.route("/runs")
@page("viewer")
def runs():
    filters = _run_filters(request.args)
    rows = g.store.list_runs(limit=PAGE_SIZE + 1, before=_cursor(request.args.get("before")), **filters)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_cursor = f"{rows[-1]['started']}|{rows[-1]['id']}" if more and rows else None
    shown = {k: request.args.get(k, "") for k in ("recipe", "status", "trigger", "since", "until")}
    return render_template("runs.html", runs=rows, next_cursor=next_cursor, filters=shown, statuses=STATUSES,
                           triggers=TRIGGERS)


def _artifact_name(run_dir: Path, path: str) -> str | None:
    """The artifact's path inside the run folder, or None when it lives elsewhere."""
    try:
        return Path(path).resolve().relative_to(run_dir.resolve()).as_posix()
    except (ValueError, OSError):
        return None


def _timeline(run: dict) -> list[dict]:
    from datetime import datetime

    try:
        start = datetime.fromisoformat(run["started"])
    except ValueError:
        return []
    spans = []
    for step in run["steps"]:
        try:
            offset = (datetime.fromisoformat(step["started"]) - start).total_seconds() * 1000
        except (TypeError, ValueError):
            continue
        spans.append({"step": step, "offset": max(offset, 0.0), "duration": step["duration_ms"] or 0.0})
    total = max([s["offset"] + s["duration"] for s in spans] + [run.get("duration_ms") or 0.0, 1.0])
    for s in spans:
        s["x"] = round(1000 * s["offset"] / total, 1)
        s["width"] = max(round(1000 * s["duration"] / total, 1), 2)
    return spans


@pages_blueprint.route("/runs/<run_id>")
@page("viewer")
def run(run_id: str):
    found = g.store.get_run(run_id)
    if found is None:
        abort(404)
    run_dir = Path(found["dir"] or "")
    for item in found["artifacts"]:
        item["name"] = _artifact_name(run_dir, item["path"]) if found["dir"] else None
        item["inline"] = item["name"] is not None and Path(item["name"]).suffix.lower() in INLINE_IMAGES
    log_lines = _log_tail(run_dir / "run.log") if found["dir"] else []
    version = g.store.get_recipe_version(found["recipe_version"]) if found.get("recipe_version") else None
    previous = g.store.previous_version(found["recipe"], found["recipe_version"]) if version else None
    diff = list(difflib.unified_diff(previous["text"].splitlines(), version["text"].splitlines(),
                                     previous["version"], version["version"], lineterm="")) if previous else []
    return render_template("run.html", run=found, timeline=_timeline(found), log_lines=log_lines, version=version,
                           previous=previous, diff=diff,
                           can_rerun=users_mod.has_role(g.user, "operator") and bool(found["recipe_file"]))


def _log_tail(path: Path, lines: int = 200) -> list[str]:
    try:
        with path.open("rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(size - 64 * 1024, 0))
            return fh.read().decode("utf-8", "replace").splitlines()[-lines:]
    except OSError:
        return []


@pages_blueprint.route("/runs/<run_id>/rerun", methods=["POST"])
@page("operator")
def rerun(run_id: str):
    found = g.store.get_run(run_id)
    if found is None:
        abort(404)
    try:
        launch = work.start_run(g.store, found["recipe_file"], found["vars"] or {}, g.home,
                                audit_entry={"actor": g.user.name, "action": "run.rerun", "subject": found["id"]})
    except work.LaunchRefused as refused:
        flash(f"Rerun refused: {refused}", "error")
        return redirect(url_for("pages.run", run_id=found["id"]))
    flash(f"Started run {launch.run_id}.", "ok")
    return redirect(url_for("pages.run", run_id=launch.run_id))


@pages_blueprint.route("/runs/<run_id>/artifacts/<path:name>")
@page("viewer")
def artifact(run_id: str, name: str):
    found = g.store.get_run(run_id)
    if found is None or not found["dir"]:
        abort(404)
    run_dir = Path(found["dir"]).resolve()
    target = (run_dir / name).resolve()
    # resolve() follows symlinks and '..', so a link or a crafted name pointing outside is refused
    if not target.is_relative_to(run_dir) or not target.is_file():
        abort(404)
    suffix = target.suffix.lower()
    inline = suffix in INLINE_IMAGES or suffix in (".html", ".htm", ".txt", ".log")
    mimetype = "text/plain" if suffix in (".txt", ".log") else (mimetypes.guess_type(target.name)[0]
                                                                or "application/octet-stream")
    response = send_file(target, mimetype=mimetype, as_attachment=not inline, download_name=target.name,
                         max_age=0)
    if suffix in (".html", ".htm"):
        # evidence saved from other sites: shown, but as an opaque origin with no script
        response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    return response


@pages_blueprint.route("/audit")
@page("operator")
def audit_page():
    actor = (request.args.get("actor") or "").strip() or None
    action = (request.args.get("action") or "").strip() or None
    subject = (request.args.get("subject") or "").strip() or None
    before = request.args.get("before", type=int)
    found = audit.entries(actor=actor, action=action, subject=subject, before_seq=before, limit=PAGE_SIZE + 1,
                          store=g.store)
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    return render_template("audit.html", entries=found, next_before=found[-1].seq if more and found else None,
                           filters={"actor": actor or "", "action": action or "", "subject": subject or ""})


# ---- users (admin) ---------------------------------------------------------------------------

@pages_blueprint.route("/users")
@page("admin")
def users():
    return render_template("users.html", users=users_mod.list_users(store=g.store), roles=users_mod.ROLES,
                           tokens=users_mod.token_counts(store=g.store), new_token=None)


@pages_blueprint.route("/users", methods=["POST"])
@page("admin")
def users_add():
    try:
        users_mod.add_user(request.form.get("username", "").strip(), request.form.get("role", ""),
                           request.form.get("password", ""), actor=g.user.name, store=g.store)
    except AccessError as refused:
        flash(str(refused), "error")
    else:
        flash(f"Added {request.form.get('username', '').strip()}.", "ok")
    return redirect(url_for("pages.users"))


@pages_blueprint.route("/users/<name>/<change>", methods=["POST"])
@page("admin")
def users_change(name: str, change: str):
    try:
        if change == "disable":
            if name == g.user.name:
                raise AccessError("you cannot disable yourself; ask another admin")
            users_mod.disable_user(name, actor=g.user.name, store=g.store)
            auth.end_sessions_of(g.store, name)
        elif change == "enable":
            users_mod.enable_user(name, actor=g.user.name, store=g.store)
        elif change == "role":
            users_mod.set_role(name, request.form.get("role", ""), actor=g.user.name, store=g.store)
        elif change == "token":
            token = users_mod.new_token(name, actor=g.user.name, store=g.store)
            return render_template("users.html", users=users_mod.list_users(store=g.store), roles=users_mod.ROLES,
                                   tokens=users_mod.token_counts(store=g.store), new_token=(name, token))
        else:
            abort(404)
    except AccessError as refused:
        flash(str(refused), "error")
    else:
        flash(f"{name}: {change} done.", "ok")
    return redirect(url_for("pages.users"))


@pages_blueprint.app_context_processor
def navigation():
    user = getattr(g, "user", None)
    return {"current_user": user, "can": (lambda role: users_mod.has_role(user, role)),
            "extra_pages": [(e, label) for e, label in EXTRA_PAGES if e in current_app.view_functions]}


# Work queues other parts of deskbot own, each on its own page once it exists.
EXTRA_PAGES = [("pages.reviews", "Reviews"), ("pages.approvals", "Approvals"),
               ("pages.reconciliation", "Reconciliation")]


# ---- invoices in review (bots.review) -------------------------------------------------------

@pages_blueprint.route("/reviews")
@page("viewer")
def reviews():
    from bots import review

    status = request.args.get("status", "pending")
    if status not in ("pending", "approved", "rejected", "all"):
        abort(400)
    return render_template("reviews.html", items=review.list_reviews(status, home=g.home), status=status)


def _review_or_404(rid: str) -> dict:
    from bots import review

    try:
        return review.get_review(rid, home=g.home)
    except review.ReviewNotFound:
        abort(404)


@pages_blueprint.route("/reviews/<rid>")
@page("viewer")
def review_item(rid: str):
    from bots import review

    item = _review_or_404(rid)
    shown = {name: ("" if item["values"].get(name) is None else str(item["values"][name])) for name in review.FIELDS}
    suffix = Path(item["file"] or "").suffix.lower()
    pages = [p for p in item["pages"] if isinstance(p, dict) and p.get("width") and p.get("height")]
    boxes = {}
    for name, found in (item["boxes"] or {}).items():
        for box in found if isinstance(found, list) else []:
            x0, y0, x1, y1 = (float(v) for v in box["box"])
            color = review.FIELDS.index(name) % 6 if name in review.FIELDS else 5
            boxes.setdefault(box["page"], []).append({"field": name, "x": x0, "y": y0, "w": max(x1 - x0, 1),
                                                      "h": max(y1 - y0, 1), "color": color})
    original = None
    if item["kind"] == "duplicate":
        found = item["original_file"]
        original = {"path": found or item["duplicate_of"], "exists": bool(found) and Path(found).is_file(),
                    "id": item["original_id"]}
    return render_template("review.html", item=item, shown=shown, fields=review.FIELDS, pages=pages, boxes=boxes,
                           original=original, picture=suffix in PAGE_PICTURES,
                           inline=suffix in INLINE_IMAGES, can_decide=users_mod.has_role(g.user, "clerk"))


@pages_blueprint.route("/reviews/<rid>/document")
@page("viewer")
def review_document(rid: str):
    item = _review_or_404(rid)
    if not item["file_exists"]:
        abort(404)
    path = Path(item["file"])
    inline = path.suffix.lower() in INLINE_IMAGES
    return send_file(path, as_attachment=not inline, download_name=path.name, max_age=0)


PAGE_PICTURES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"}


def _page_png(path: Path, number: int, rotation: int = 0):
    from vision.highlight import render_page

    if path.suffix.lower() not in PAGE_PICTURES or not path.is_file():
        abort(404)
    try:
        png = render_page(path, number, rotation=rotation)
    except Exception:  # a damaged or hostile file: no picture, the download link still works
        current_app.logger.warning("cannot render page %s of %s", number, path.name, exc_info=True)
        abort(404)
    response = current_app.response_class(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@pages_blueprint.route("/reviews/<rid>/pages/<int:number>.png")
@page("viewer")
def review_page(rid: str, number: int):
    """A page of the document as the reader saw it (turned as it turned it), for the boxes."""
    item = _review_or_404(rid)
    if not item["file_exists"]:
        abort(404)
    pages = {p.get("page"): p for p in item["pages"] if isinstance(p, dict)}
    return _page_png(Path(item["file"]), number, int((pages.get(number) or {}).get("rotation") or 0))


@pages_blueprint.route("/reviews/<rid>/original/pages/<int:number>.png")
@page("viewer")
def review_original_page(rid: str, number: int):
    """For a duplicate: a page of the copy taken first (where the intake filed it)."""
    item = _review_or_404(rid)
    if item["kind"] != "duplicate" or not item["original_file"]:
        abort(404)
    return _page_png(Path(item["original_file"]), number)


@pages_blueprint.route("/reviews/<rid>/<decision>", methods=["POST"])
@page("clerk")
def review_decide(rid: str, decision: str):
    from bots import review

    try:
        if decision == "approve":
            item = review.get_review(rid, home=g.home)
            corrections = {}
            for name in review.FIELDS:
                before = "" if item["values"].get(name) is None else str(item["values"][name])
                typed = request.form.get(f"field_{name}")
                if typed is not None and typed.strip() != before:
                    corrections[name] = typed.strip()
            outcome = review.approve(rid, corrections, actor=g.user.name, home=g.home)
            flash(f"Approved {outcome.id}" + (f", booked and filed as {outcome.dest}" if outcome.dest else "") + ".",
                  "ok")
        elif decision == "reject":
            outcome = review.reject(rid, request.form.get("reason", ""), actor=g.user.name, home=g.home)
            flash(f"Rejected {outcome.id}; the document is in {outcome.dest}.", "ok")
        else:
            abort(404)
    except review.ReviewNotFound:
        abort(404)
    except review.ReviewRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("pages.review_item", rid=rid))
    return redirect(url_for("pages.reviews"))


# ---- approvals inbox (bots.approvals) ---------------------------------------------------------

APPROVAL_STATUSES = ("pending", "approved", "rejected", "all")


@pages_blueprint.route("/approvals")
@page("viewer")
def approvals():
    from bots import approvals as approvals_mod

    status = request.args.get("status", "pending")
    if status not in APPROVAL_STATUSES:
        abort(400)
    items = approvals_mod.list_approvals(g.store, status=None if status == "all" else status)
    return render_template("approvals.html", items=items, status=status, statuses=APPROVAL_STATUSES,
                           describe=approvals_mod.describe_approvers)


def _approval_or_404(aid: str) -> dict:
    from bots import approvals as approvals_mod

    found = approvals_mod.get(g.store, aid[:64])
    if found is None:
        abort(404)
    return found


@pages_blueprint.route("/approvals/<aid>")
@page("viewer")
def approval(aid: str):
    from bots import approvals as approvals_mod

    found = _approval_or_404(aid)
    files = work.approval_files(g.store, found)
    may = found["status"] == "pending" and users_mod.has_role(g.user, "approver") \
        and approvals_mod.may_decide(found, g.user) and found["requester"] != g.user.name
    return render_template("approval.html", item=found, files=files, may_decide=may,
                           approvers=approvals_mod.describe_approvers(found), run=g.store.get_run(found["run_id"]))


@pages_blueprint.route("/approvals/<aid>/files/<label>")
@page("viewer")
def approval_file(aid: str, label: str):
    found = _approval_or_404(aid)
    path = work.approval_files(g.store, found).get(label)
    if path is None:
        abort(404)
    inline = path.suffix.lower() in INLINE_IMAGES
    return send_file(path, as_attachment=not inline, download_name=path.name, max_age=0)


@pages_blueprint.route("/approvals/<aid>/decide", methods=["POST"])
@page("approver")
def approval_decide(aid: str):
    from bots import approvals as approvals_mod

    found = _approval_or_404(aid)
    decision = request.form.get("decision", "")
    try:
        after = approvals_mod.decide(g.store, found["id"], decision, g.user.name, request.form.get("reason"))
    except approvals_mod.ApprovalRefused as refused:
        flash(f"Refused: {refused}", "error")
        return redirect(url_for("pages.approval", aid=found["id"]))
    if after["status"] == "pending":
        votes = sum(1 for v in after["votes"] if v["decision"] == "approve")
        flash(f"Your approval is recorded: {votes} of {after['required']} needed so far.", "ok")
    else:
        flash(f"{after['status'].capitalize()}; {work.resume_decided(g.store, after['run_id'], g.home)}.", "ok")
    return redirect(url_for("pages.approval", aid=found["id"]))


# ---- reconciliation (bots.reconciliations) ---------------------------------------------------

RECONCILIATION_ROWS = 100  # per table: decide these and the next ones come up


@pages_blueprint.route("/reconciliation")
@page("viewer")
def reconciliation():
    from bots import reconciliations as recs

    listed = recs.list_reconciliations(g.store)
    return _reconciliation_page(listed, listed[0]["id"] if listed else None)


@pages_blueprint.route("/reconciliation/<rec_id>")
@page("viewer")
def reconciliation_one(rec_id: str):
    from bots import reconciliations as recs

    return _reconciliation_page(recs.list_reconciliations(g.store), rec_id[:16], must_exist=True)


def _reconciliation_page(listed: list[dict], rec_id: str | None, must_exist: bool = False):
    from bots import reconciliations as recs

    chosen = recs.get(g.store, rec_id, limit=RECONCILIATION_ROWS) if rec_id else None
    if must_exist and chosen is None:
        abort(404)
    items = {"suggestion": [], "bank": [], "ledger": []}
    decisions, kept_in_run = [], False
    if chosen:
        for item in chosen["items"]:
            items[item["kind"]].append(item)
        items["suggestion"].sort(key=lambda i: (i["status"] != "pending", i["id"]))
        items["bank"] = [i for i in items["bank"] if i["status"] == "open"]
        items["ledger"] = [i for i in items["ledger"] if i["status"] == "open"]
        decisions = recs.decisions_of(g.store, chosen["decisions_file"])
        run = g.store.get_run(chosen["run_id"])
        if run and run.get("dir"):
            kept_in_run = Path(chosen["decisions_file"]).is_relative_to(Path(run["dir"]).resolve())
    return render_template("reconciliation.html", listed=listed, rec=chosen, items=items, decisions=decisions,
                           kept_in_run=kept_in_run, can_decide=users_mod.has_role(g.user, "operator"),
                           rows=RECONCILIATION_ROWS)


@pages_blueprint.route("/reconciliation/<rec_id>/report/<kind>")
@page("viewer")
def reconciliation_report(rec_id: str, kind: str):
    from bots import reconciliations as recs

    found = recs.get(g.store, rec_id[:16])
    if found is None or kind not in ("html", "workbook"):
        abort(404)
    path = Path(found["files"].get(kind) or "")
    if not path.is_file():
        abort(404)
    response = send_file(path, as_attachment=kind == "workbook", download_name=path.name, max_age=0)
    if kind == "html":
        response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    return response


def _flash_decision(done: dict, what: str) -> None:
    if done["error"]:
        flash(f"{what} Recorded, but not yet in the decisions file ({done['error']}); the next run writes it"
              " there before matching.", "error")
    else:
        flash(f"{what} Written to {done['decisions_file']}; the next run honours it.", "ok")


@pages_blueprint.route("/reconciliation/suggestions/<sid>/<decision>", methods=["POST"])
@page("operator")
def reconciliation_decide(sid: str, decision: str):
    from bots import reconciliations as recs

    item = recs.get_item(g.store, sid[:16])
    if item is None or item["kind"] != "suggestion" or decision not in ("confirm", "reject"):
        abort(404)
    try:
        act = recs.confirm if decision == "confirm" else recs.reject
        done = act(g.store, item["id"], actor=g.user.name, note=request.form.get("note", ""))
    except recs.DecisionRefused as refused:
        flash(f"Refused: {refused}", "error")
    else:
        pair = f"{'|'.join(item['bank_ids'])} with {'|'.join(item['ledger_ids'])}"
        _flash_decision(done, f"Confirmed: {pair} match." if decision == "confirm" else
                        f"Rejected: {pair} are never paired automatically.")
    return redirect(url_for("pages.reconciliation_one", rec_id=item["reconciliation_id"]))


@pages_blueprint.route("/reconciliation/<rec_id>/match", methods=["POST"])
@page("operator")
def reconciliation_match(rec_id: str):
    from bots import reconciliations as recs

    if recs.get(g.store, rec_id[:16]) is None:
        abort(404)
    try:
        done = recs.match_by_hand(g.store, rec_id[:16], request.form.getlist("bank"), request.form.getlist("ledger"),
                                  actor=g.user.name, note=request.form.get("note", ""))
    except recs.DecisionRefused as refused:
        flash(f"Refused: {refused}", "error")
    else:
        _flash_decision(done, f"Matched by hand: {'|'.join(done['bank_ids'])} with {'|'.join(done['ledger_ids'])}.")
    return redirect(url_for("pages.reconciliation_one", rec_id=rec_id[:16]))
