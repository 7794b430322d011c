"""The console's JSON API for scripts: same roles as the pages, ``Authorization: Bearer TOKEN``.

    curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8765/api/runs?status=failed&limit=20
    curl -H "Authorization: Bearer $TOKEN" -X POST -d '{"recipe": "bank", "vars": {"month": "2026-11"}}' \\
         -H 'Content-Type: application/json' http://127.0.0.1:8765/api/runs

401 without a valid token, 403 for a role that may not, 400 with ``error`` for a bad request.
Lists page by keyset: ``next`` is the ``before`` of the following page (null on the last one).
"""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request

from bots import audit
from console import work
from console.auth import api
from console.pages import PAGE_SIZE, _cursor, _run_filters

api_blueprint = Blueprint("api", __name__, url_prefix="/api")


def _bad(message: str, status: int = 400):
    response = jsonify(error=message)
    response.status_code = status
    return response


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(_bad("send a JSON object with Content-Type: application/json"))
    return data


@api_blueprint.route("/dashboard")
@api("viewer")
def dashboard():
    return jsonify(work.dashboard(g.store, g.settings, g.home))


@api_blueprint.route("/runs")
@api("viewer")
def runs():
    try:
        limit = min(max(int(request.args.get("limit", PAGE_SIZE)), 1), 500)
    except ValueError:
        return _bad("limit: a whole number from 1 to 500")
    rows = g.store.list_runs(limit=limit + 1, before=_cursor(request.args.get("before")),
                             **_run_filters(request.args))
    more = len(rows) > limit
    rows = rows[:limit]
    return jsonify(runs=rows, next=f"{rows[-1]['started']}|{rows[-1]['id']}" if more and rows else None)


@api_blueprint.route("/runs/<run_id>")
@api("viewer")
def run(run_id: str):
    found = g.store.get_run(run_id)
    if found is None:
        return _bad(f"no run {run_id!r}", 404)
    return jsonify(found)


@api_blueprint.route("/runs", methods=["POST"])
@api("operator")
def start():
    body = _body()
    name, variables = body.get("recipe"), body.get("vars") or {}
    if not isinstance(name, str) or not name:
        return _bad("recipe: the name of a recipe")
    if not isinstance(variables, dict) or not all(isinstance(k, str) for k in variables):
        return _bad("vars: an object of NAME: value")
    try:
        path = work.find_recipe(g.settings, name)
        launch = work.start_run(g.store, path, {k: str(v) for k, v in variables.items()}, g.home,
                                audit_entry={"actor": g.user.name, "action": "run.start", "subject": name,
                                             "after": {"vars": sorted(variables)}})
    except work.LaunchRefused as refused:
        return _bad(str(refused), 409)
    return jsonify(run_id=launch.run_id), 201


@api_blueprint.route("/reviews")
@api("viewer")
def reviews():
    from bots import review

    status = request.args.get("status", "pending")
    try:
        return jsonify(reviews=review.list_reviews(status, home=g.home))
    except review.ReviewRefused as refused:
        return _bad(str(refused))


@api_blueprint.route("/reviews/<rid>/<decision>", methods=["POST"])
@api("clerk")
def review_decide(rid: str, decision: str):
    from bots import review

    body = _body()
    try:
        if decision == "approve":
            corrections = body.get("set") or {}
            if not isinstance(corrections, dict):
                return _bad("set: an object of field: text")
            outcome = review.approve(rid, {str(k): str(v) for k, v in corrections.items()}, actor=g.user.name,
                                     home=g.home)
        elif decision == "reject":
            outcome = review.reject(rid, str(body.get("reason") or ""), actor=g.user.name, home=g.home)
        else:
            return _bad(f"unknown decision {decision!r}: approve or reject", 404)
    except review.ReviewNotFound as missing:
        return _bad(str(missing), 404)
    except review.ReviewRefused as refused:
        return _bad(str(refused), 409)
    return jsonify(outcome.to_json())


@api_blueprint.route("/approvals")
@api("viewer")
def approvals():
    from bots import approvals as approvals_mod

    status = request.args.get("status", "pending")
    if status not in ("pending", "approved", "rejected", "all"):
        return _bad("status: pending, approved, rejected or all")
    return jsonify(approvals=approvals_mod.list_approvals(g.store, status=None if status == "all" else status))


@api_blueprint.route("/approvals/<aid>/decide", methods=["POST"])
@api("approver")
def approval_decide(aid: str):
    from bots import approvals as approvals_mod

    body = _body()
    decision, reason = body.get("decision"), body.get("reason")
    if decision not in ("approve", "reject"):
        return _bad("decision: approve or reject")
    if reason is not None and not isinstance(reason, str):
        return _bad("reason: text")
    if approvals_mod.get(g.store, aid[:64]) is None:
        return _bad(f"no approval {aid!r}", 404)
    try:
        after = approvals_mod.decide(g.store, aid[:64], decision, g.user.name, reason)
    except approvals_mod.ApprovalRefused as refused:
        return _bad(str(refused), 409)
    resumed = None if after["status"] == "pending" else work.resume_decided(g.store, after["run_id"], g.home)
    return jsonify(approval=after, resume=resumed)


SUGGESTION_STATUSES = ("pending", "confirmed", "rejected", "superseded", "all")


@api_blueprint.route("/reconciliation/suggestions")
@api("viewer")
def suggestions():
    from bots import reconciliations as recs

    status = request.args.get("status", "pending")
    if status not in SUGGESTION_STATUSES:
        return _bad(f"status: one of {', '.join(SUGGESTION_STATUSES)}")
    try:
        limit = min(max(int(request.args.get("limit", 200)), 1), 1000)
    except ValueError:
        return _bad("limit: a whole number from 1 to 1000")
    return jsonify(suggestions=recs.suggestions(g.store, None if status == "all" else status, limit=limit))


@api_blueprint.route("/reconciliation/suggestions/<sid>/<decision>", methods=["POST"])
@api("operator")
def suggestion_decide(sid: str, decision: str):
    from bots import reconciliations as recs

    if decision not in ("confirm", "reject"):
        return _bad(f"unknown decision {decision!r}: confirm or reject", 404)
    body = request.get_json(silent=True) or {}
    if not isinstance(body, dict) or not isinstance(body.get("note", ""), str):
        return _bad("send a JSON object, optionally with note: text")
    item = recs.get_item(g.store, sid[:16])
    if item is None or item["kind"] != "suggestion":
        return _bad(f"no suggestion {sid!r}", 404)
    try:
        act = recs.confirm if decision == "confirm" else recs.reject
        done = act(g.store, item["id"], actor=g.user.name, note=body.get("note", ""))
    except recs.DecisionRefused as refused:
        return _bad(str(refused), 409)
    return jsonify(suggestion=recs.get_item(g.store, item["id"]), decision=done)
