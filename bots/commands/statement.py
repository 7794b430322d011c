"""``deskbot statement FILE [--profile P] [--json] [--allow-unbalanced]``: parse a bank statement
into normalized lines (id, date, amount, currency, description, reference, counterparty).

Rows that move no money are listed apart with their reason ("excluded"); a statement that
contradicts its own balances is refused unless ``--allow-unbalanced``, and then every output
carries the warning. Exit 2 when the file cannot be read or does not add up."""

from __future__ import annotations

import json
import sys

import click


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("file", type=click.Path())
    @click.option("--profile", default=None, help="bank profile for CSV/Excel (config/bank_profiles)")
    @click.option("--json", "as_json", is_flag=True,
                  help="print one JSON object: format, count, total, sections, warnings, excluded, lines")
    @click.option("--allow-unbalanced", is_flag=True,
                  help="read a statement whose lines do not add up to its balances (with a warning)")
    def statement(file: str, profile: str | None, as_json: bool, allow_unbalanced: bool) -> None:
        """Parse a bank statement (camt.053/054, MT940/942, OFX, CSV/Excel) into normalized lines."""
        from reconcile.lines import StatementError, UnbalancedStatement
        from reconcile.statements import read_statement

        try:
            result = read_statement(file, profile=profile, allow_unbalanced=allow_unbalanced)
        except StatementError as exc:
            if as_json:
                data = {"file": file, "error": str(exc)}
                if isinstance(exc, UnbalancedStatement):
                    # what was read, so the operator sees how far off the file is; nothing is imported
                    read = exc.statement.to_json()
                    data.update({"refused": "unbalanced", "count": read["count"], "total": read["total"],
                                 "sections": read["sections"], "excluded": read["excluded"]})
                click.echo(json.dumps(data, ensure_ascii=False))
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        data = result.to_json()
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False))
            sys.exit(0)
        click.echo(f"{file}: {data['format']} ({data['parser']}), {data['count']} lines, total {data['total']}"
                   + (f", {len(data['excluded'])} row(s) excluded" if data["excluded"] else ""))
        for problem in data["unbalanced"]:
            click.echo(f"  UNBALANCED (accepted with --allow-unbalanced): {problem}")
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
        if data["excluded"]:
            click.echo("excluded (not money movements):")
            for row in data["excluded"]:
                click.echo(f"  {row['where']:<10} {row['date']:<10} {row['amount']:>14} {row['currency']:<3}  "
                           f"{(row['counterparty'] or row['description'])[:28]:<28}  {row['reason']}")
        for note in data["footer"]:
            click.echo(f"  {note}")
        sys.exit(0)
