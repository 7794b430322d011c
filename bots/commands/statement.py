"""``deskbot statement FILE [--profile P] [--json]``: parse a bank statement into normalized
lines (id, date, amount, currency, description, reference, counterparty). Exit 2 when the file
cannot be read."""

from __future__ import annotations

import json
import sys

import click


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("file", type=click.Path())
    @click.option("--profile", default=None, help="bank profile for CSV/Excel (config/bank_profiles)")
    @click.option("--json", "as_json", is_flag=True, help="print one JSON object: format, count, total, sections, lines")
    def statement(file: str, profile: str | None, as_json: bool) -> None:
        """Parse a bank statement (camt.053/054, MT940/942, OFX, CSV/Excel) into normalized lines."""
        from reconcile.lines import StatementError
        from reconcile.statements import read_statement

        try:
            result = read_statement(file, profile=profile)
        except StatementError as exc:
            if as_json:
                click.echo(json.dumps({"file": file, "error": str(exc)}, ensure_ascii=False))
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        data = result.to_json()
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False))
            sys.exit(0)
        click.echo(f"{file}: {data['format']} ({data['parser']}), {data['count']} lines, total {data['total']}")
        for n, section in enumerate(data["sections"], 1):
            if section["opening"] is not None or section["closing"] is not None:
                state = {True: "adds up", False: "DOES NOT ADD UP", None: ""}[section["balanced"]]
                click.echo(f"  statement {n} {section['account']}: opening {section['opening']} closing "
                           f"{section['closing']} {state}".rstrip())
        for warning in data["warnings"]:
            click.echo(f"warning: {warning}", err=True)
        for line in data["lines"]:
            click.echo(f"  {line['date']}  {line['amount']:>14} {line['currency']:<3}  {line['counterparty'][:28]:<28}  "
                       f"{line['reference'][:20]:<20}  {line['description'][:50]}")
        sys.exit(0)
