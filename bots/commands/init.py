"""``deskbot init DIR``: a project folder for an admin, ready to write recipes in.

    deskbot init ~/finance-bots
    cd ~/finance-bots && deskbot validate recipes/*.yaml && deskbot run recipes/example.yaml

Creates (and never overwrites; a file already there is kept and named):

- ``config/settings.yaml``: the shipped settings to edit (URLs of the systems, calendars, OCR);
- ``config/bank_profiles/``: empty, for the project's own bank export profiles (they add to and
  override the shipped ones);
- ``recipes/example.yaml``: a first recipe, with the schema line that gives editors completion;
- ``recipes/schema.json``: the JSON Schema of recipes for this deskbot version;
- ``.env.example``: the environment deskbot reads (copy to ``.env`` and fill in; never commit it);
- ``.gitignore``: keeps ``.env`` and the state folder out of version control.
"""

from __future__ import annotations

from pathlib import Path

import click

EXAMPLE = """\
# yaml-language-server: $schema=schema.json
name: example
description: A first recipe. `deskbot validate recipes/example.yaml` checks it; `deskbot run` runs it.
vars:
  period: "{{ today() | add_months(-1) | format_date('%Y-%m') }}"
steps:
  - log: "Closing {{ vars.period }} for {{ settings.company.name }}"
  - id: files
    files.list: {folder: "{{ run.dir }}"}
  - log: "{{ steps.files.count }} file(s) in the run folder"
"""

ENV_EXAMPLE = """\
# Copy to .env and fill in. deskbot reads it from the folder it runs in; never commit .env.
# Where state lives (run history, outbox); default ./var
DESKBOT_HOME=var
# Email for alerts (leave DESKBOT_SMTP_HOST empty to keep alerts in var/outbox)
DESKBOT_SMTP_HOST=
DESKBOT_SMTP_PORT=587
DESKBOT_SMTP_TLS=starttls
DESKBOT_SMTP_USER=
DESKBOT_SMTP_PASSWORD=
DESKBOT_ALERT_FROM=deskbot@example.com
DESKBOT_ALERT_TO=
# Many machines: the store and the work queue on PostgreSQL (see docs/deploy.md)
# DESKBOT_DATABASE=postgresql+psycopg://deskbot:PASSWORD@db.internal/deskbot
# Recipes' secrets, by the names their 'secrets:' lists, e.g.
# BANK_USER=
# BANK_PASSWORD=
"""

GITIGNORE = ".env\nvar/\n"


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
def init(folder: str) -> None:
    """Scaffold a project folder: settings, an example recipe with its schema, a .env template."""
    from bots.schema import schema_text
    from bots.settings import shipped

    root = Path(folder)
    files = {
        "config/settings.yaml": shipped("config", "settings.yaml").read_text(encoding="utf-8"),
        "recipes/example.yaml": EXAMPLE,
        "recipes/schema.json": schema_text(),
        ".env.example": ENV_EXAMPLE,
        ".gitignore": GITIGNORE,
    }
    (root / "config" / "bank_profiles").mkdir(parents=True, exist_ok=True)
    made, kept = [], []
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            kept.append(relative)
            continue
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(path)
        made.append(relative)
    for relative in made:
        click.echo(f"  created {root / relative}")
    for relative in kept:
        click.echo(f"  kept    {root / relative} (already there)")
    click.echo(f"next: cd {root} && deskbot validate recipes/example.yaml && deskbot run recipes/example.yaml")


def register(cli: click.Group) -> None:
    cli.add_command(init)
