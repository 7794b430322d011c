"""``deskbot templates``: the vendor templates invoices are read with, hand-written and learned.

    deskbot templates list [--json]          name, kind, vendor identity, fields, file
    deskbot templates show NAME [--json]     one template: its YAML as stored
    deskbot templates delete NAME [--as USER]  remove it (a learned one is learned again from
                                             the next approval with corrections); the audit
                                             trail keeps its YAML

Templates live in the folder ``ocr.templates`` names in the settings (default
``config/invoice_templates``): hand-written ones as ``*.yaml`` there, learned ones under
``learned/`` (written by ``deskbot review approve --set …``). NAME is the vendor, the template's
name, or its file name. Exit 0; 1 when NAME matches no template, or more than one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


def _folder(given: str | None) -> Path:
    from bots import settings as settings_mod
    from bots.review import DEFAULT_TEMPLATES

    conf = (settings_mod.load_settings() or {}).get("ocr") or {}
    return Path(given or (conf.get("templates") if isinstance(conf, dict) else None) or DEFAULT_TEMPLATES)


def _entries(folder: Path) -> list[dict]:
    from vision import VisionError
    from vision.learned import load_learned
    from vision.templates import load_template, template_files

    out = []
    for kind, path in template_files(folder):
        entry = {"kind": kind, "file": str(path), "name": path.stem, "identify": {}, "fields": [], "error": None}
        try:
            if kind == "learned":
                t = load_learned(path)
                entry.update(name=t.vendor, identify={"names": t.names, "tax_ids": t.tax_ids, "ibans": t.ibans},
                             fields=t.field_names, taught=len(t.taught))
            else:
                t = load_template(path)
                entry.update(name=t.name, identify={"keywords": t.keywords}, fields=list(t.fields))
        except VisionError as exc:
            entry["error"] = str(exc)
        out.append(entry)
    return out


def _pick(folder: Path, name: str) -> dict:
    from vision.learned import fold

    entries = _entries(folder)
    hits = [e for e in entries if name in (e["file"], Path(e["file"]).name, Path(e["file"]).stem)
            or fold(e["name"]) == fold(name)]
    if len(hits) != 1:
        known = ", ".join(e["name"] for e in entries) or "none"
        why = "matches several templates" if hits else "matches no template"
        click.echo(f"error: {name!r} {why}; give the file name. Templates: {known}", err=True)
        sys.exit(1)
    return hits[0]


def register(cli: click.Group) -> None:
    @cli.group()
    @click.option("--dir", "folder", default=None, type=click.Path(),
                  help="template folder (default: settings ocr.templates, else config/invoice_templates)")
    @click.pass_context
    def templates(ctx: click.Context, folder: str | None) -> None:
        """Vendor templates: hand-written and learned from corrections."""
        ctx.obj = _folder(folder)

    @templates.command("list")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    def list_(folder: Path, as_json: bool) -> None:
        """Every template, hand-written and learned."""
        entries = _entries(folder)
        if as_json:
            click.echo(json.dumps(entries, ensure_ascii=False))
            return
        if not entries:
            click.echo(f"no templates in {folder}")
            return
        for e in entries:
            ident = e["identify"]
            who = ", ".join(ident.get("tax_ids", []) + ident.get("ibans", []) + ident.get("keywords", [])) or "-"
            state = f"  BROKEN: {e['error']}" if e["error"] else ""
            click.echo(f"{e['kind']:<12} {e['name']:<34} fields: {', '.join(e['fields']) or '-'}")
            click.echo(f"{'':<12} identified by: {who}  ({e['file']}){state}")

    @templates.command()
    @click.argument("name")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    def show(folder: Path, name: str, as_json: bool) -> None:
        """One template as stored."""
        entry = _pick(folder, name)
        text = Path(entry["file"]).read_text(encoding="utf-8")
        if as_json:
            click.echo(json.dumps({**entry, "yaml": text}, ensure_ascii=False))
            return
        click.echo(f"# {entry['kind']} template {entry['name']}: {entry['file']}")
        if entry["error"]:
            click.echo(f"# BROKEN: {entry['error']}")
        click.echo(text, nl=not text.endswith("\n"))

    @templates.command()
    @click.argument("name")
    @click.option("--as", "actor", default=None, help="who deletes it (default: the logged-in user)")
    @click.pass_obj
    def delete(folder: Path, name: str, actor: str | None) -> None:
        """Remove a template; invoices of that vendor are read without it from now on."""
        from bots import audit
        from bots import settings as settings_mod
        from bots.review import ReviewRefused, check_actor
        from bots.store import RunStore

        entry = _pick(folder, name)
        try:  # what a template books without a person is a clerk's decision, as a review is
            actor = check_actor(actor, RunStore(settings_mod.home()))
        except ReviewRefused as exc:
            click.echo(f"refused: {exc}", err=True)
            sys.exit(1)
        path = Path(entry["file"])
        text = path.read_text(encoding="utf-8", errors="replace")
        path.unlink()
        # the audit trail keeps the file as it was: a deletion can be undone by writing it back
        audit.record(actor, "template.delete", entry["file"], before={"name": entry["name"], "kind": entry["kind"],
                     "fields": entry["fields"], "yaml": text})
        click.echo(f"deleted {entry['kind']} template {entry['name']} ({entry['file']})")
