"""``deskbot review``: invoices a person must look at, and their decisions.

    deskbot review list [--status pending|approved|rejected|all] [--json]
    deskbot review show ID [--json]
    deskbot review approve ID [--set FIELD=VALUE]... [--as USER] [--recipe R]
    deskbot review reject ID --reason TEXT [--as USER]

``approve`` books the invoice through the recipe of the folder it came from (the one the
watcher or the folder trigger ran; ``--recipe`` to choose another) and files it in
``archive/YYYY-MM/``; with ``--set`` the corrected values are booked and teach a learned vendor
template (``deskbot templates list``). ``reject`` files it in ``quarantine/`` with the reason.
Fields: issuer, invoice_number, date and due_date (YYYY-MM-DD), currency (ISO code), amount
(the total), amount_untaxed, vat; ``--set due_date=`` clears an optional field.

Exit 0; 1 when refused (unknown id, already decided, no reason, a bad field or value, a
booking that failed) with the reason on stderr.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal

import click


def _refuse(exc: Exception) -> None:
    click.echo(f"refused: {exc}", err=True)
    sys.exit(1)


def _money(value) -> str:
    """An amount as a clerk writes it: 2 -> "2.00", 1234.5 -> "1234.50" (never "2.0"); more
    decimals than two are kept."""
    if value is None:
        return ""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    return f"{amount:.2f}" if amount == amount.quantize(Decimal("0.01")) else str(amount)


def register(cli: click.Group) -> None:
    @cli.group()
    def review() -> None:
        """Invoices in review: list, show, approve (with corrections), reject."""

    @review.command("list")
    @click.option("--status", default="pending", show_default=True,
                  type=click.Choice(["pending", "approved", "rejected", "all"]))
    @click.option("--json", "as_json", is_flag=True, help="print one JSON array")
    def list_(status: str, as_json: bool) -> None:
        """Review items, oldest first."""
        from bots.review import list_reviews

        items = list_reviews(status)
        if as_json:
            click.echo(json.dumps(items, ensure_ascii=False, default=str))
            return
        if not items:
            click.echo(f"no {status if status != 'all' else ''} review items".replace("  ", " "))
            return
        click.echo(f"{'ID':<12}  {'STATUS':<9} {'FILE':<28} {'ISSUER':<24} {'NUMBER':<14} {'TOTAL':>12}  WHY")
        for item in items:
            values = item["values"]
            why = item["reasons"][0] if item["reasons"] else ""
            if item["status"] != "pending":
                why = f"{item['status']} by {item['decided_by']}" + (f": {item['reason']}" if item["reason"] else "")
            click.echo(f"{item['id']:<12}  {item['status']:<9} {item['name'][:28]:<28} "
                       f"{str(values.get('issuer') or '')[:24]:<24} {str(values.get('invoice_number') or '')[:14]:<14} "
                       f"{_money(values.get('amount')):>12}  {why[:70]}")

    @review.command()
    @click.argument("review_id")
    @click.option("--json", "as_json", is_flag=True, help="print one JSON object")
    def show(review_id: str, as_json: bool) -> None:
        """One item: fields with confidence, checks, reasons, the file."""
        from bots.review import ReviewRefused, get_review

        try:
            item = get_review(review_id)
        except ReviewRefused as exc:
            _refuse(exc)
        if as_json:
            click.echo(json.dumps(item, ensure_ascii=False, default=str))
            return
        where = item["file"] + ("" if item["file_exists"] else "  (not there any more)")
        click.echo(f"review {item['id']}  {item['status']}  {item['name']}")
        click.echo(f"  file: {where}")
        if item["recipe"]:
            click.echo(f"  books through: {item['recipe']}")
        if item["duplicate_of"]:
            click.echo(f"  duplicate of: {item['duplicate_of']}")
        if item["fields"]:
            click.echo("  fields:")
            for name, f in item["fields"].items():
                if name == "lines" or not isinstance(f, dict):
                    continue
                conf = f.get("confidence")
                conf_text = f"{conf:.2f}" if isinstance(conf, (int, float)) else "-"
                click.echo(f"    {name:<15} {str(f.get('value')):<32} confidence {conf_text}  ({f.get('source') or '-'})")
            lines = (item["fields"].get("lines") or {}).get("value") if isinstance(item["fields"].get("lines"), dict) else None
            if lines:
                click.echo(f"    lines           {len(lines)} line item(s)")
        if item["checks"]:
            click.echo("  checks:")
            for check in item["checks"]:
                mark = {True: "ok  ", False: "FAIL", None: "n/a "}[check.get("ok")]
                click.echo(f"    {mark} {check.get('name')}: {check.get('detail')}")
        if item["reasons"]:
            click.echo("  reasons:")
            for reason in item["reasons"]:
                click.echo(f"    - {reason}")
        if item["status"] != "pending":
            click.echo(f"  decided: {item['status']} by {item['decided_by']} at {item['decided_at']}"
                       + (f": {item['reason']}" if item["reason"] else ""))
            for name, value in (item["after"] or {}).items():
                old = (item["before"] or {}).get(name)
                if old != value:
                    click.echo(f"    {name}: {old} -> {value}")
            if item["dest"]:
                click.echo(f"  filed as: {item['dest']}")

    @review.command()
    @click.argument("review_id")
    @click.option("--set", "pairs", multiple=True, metavar="FIELD=VALUE", help="a corrected value (repeatable)")
    @click.option("--as", "actor", default=None, help="who decides (default: the logged-in user)")
    @click.option("--recipe", default=None, type=click.Path(), help="book through this recipe instead of the "
                  "folder's")
    @click.option("--json", "as_json", is_flag=True, help="print the decision as JSON")
    def approve(review_id: str, pairs: tuple[str, ...], actor: str | None, recipe: str | None, as_json: bool) -> None:
        """Approve: book the invoice (with corrected values) and file it in archive/."""
        from bots.review import ReviewRefused, approve as approve_item, parse_assignments

        try:
            decision = approve_item(review_id, parse_assignments(pairs), actor=actor, recipe=recipe)
        except ReviewRefused as exc:
            _refuse(exc)
        if as_json:
            click.echo(json.dumps(decision.to_json(), ensure_ascii=False, default=str))
            return
        verb = "finished the approval of" if decision.finished_earlier else "approved"
        click.echo(f"{verb} {decision.id}: booked, filed as {decision.dest}")
        for name, (old, new) in decision.corrected.items():
            click.echo(f"  corrected {name}: {old} -> {new}")
        learned = decision.learned or {}
        if learned.get("template"):
            click.echo(f"  learned vendor template {learned['template']} ({', '.join(learned.get('fields') or [])})")
        for name, why in (learned.get("skipped") or {}).items():
            click.echo(f"  not learned: {name}: {why}")

    @review.command()
    @click.argument("review_id")
    @click.option("--reason", default="", help="why (required; written beside the file in quarantine/)")
    @click.option("--as", "actor", default=None, help="who decides (default: the logged-in user)")
    @click.option("--json", "as_json", is_flag=True, help="print the decision as JSON")
    def reject(review_id: str, reason: str, actor: str | None, as_json: bool) -> None:
        """Reject: file the document in quarantine/ with the reason."""
        from bots.review import ReviewRefused, reject as reject_item

        try:
            decision = reject_item(review_id, reason, actor=actor)
        except ReviewRefused as exc:
            _refuse(exc)
        if as_json:
            click.echo(json.dumps(decision.to_json(), ensure_ascii=False, default=str))
            return
        click.echo(f"rejected {decision.id}: filed as {decision.dest}")
