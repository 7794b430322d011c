"""``deskbot reconcile --bank F --ledger F --out DIR [--rules F] [--json]``: match a statement
against the ledger and write matches.csv, summary.json, discrepancies.xlsx and
discrepancies.html. Exit 0 when the run completed (open items are a result, not a failure),
2 when an input is unreadable."""

from __future__ import annotations

import json
import sys

import click


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--bank", "banks", multiple=True, required=True, type=click.Path(),
                  help="statement file (camt, MT940, OFX, CSV, Excel); repeat for several")
    @click.option("--ledger", required=True, type=click.Path(), help="ledger workbook or CSV")
    @click.option("--out", required=True, type=click.Path(), help="folder for the outputs")
    @click.option("--rules", type=click.Path(), default=None, help="rules YAML (passes, windows, tolerances, ledger columns)")
    @click.option("--profile", default=None, help="bank profile name for CSV/Excel statements")
    @click.option("--decisions", type=click.Path(), default=None, help="manual decisions CSV (default OUT/decisions.csv)")
    @click.option("--json", "as_json", is_flag=True, help="print the summary as one JSON object")
    def reconcile(banks, ledger, out, rules, profile, decisions, as_json) -> None:
        """Match bank statement lines to ledger lines and write the discrepancy report."""
        from reconcile.decisions import DecisionsError
        from reconcile.job import run_reconciliation
        from reconcile.lines import StatementError
        from reconcile.rules import RulesError

        try:
            outcome = run_reconciliation(list(banks), ledger, out, rules=rules, decisions=decisions, profile=profile)
        except (StatementError, RulesError, DecisionsError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except Exception as exc:
            from sheets.errors import SheetError

            if isinstance(exc, SheetError):
                click.echo(f"error: {exc.describe()}", err=True)
                sys.exit(2)
            raise
        s = outcome.summary
        if as_json:
            click.echo(json.dumps(s, ensure_ascii=False, default=str))
        else:
            click.echo(f"{s['bank_lines']} bank lines, {s['ledger_lines']} ledger lines: {s['matches']} matches "
                       f"({s['match_rate'] * 100:.1f}% of bank lines), {s['unmatched_bank']} bank and "
                       f"{s['unmatched_ledger']} ledger lines open, {s['differences']} differences, "
                       f"{s['suggestions']} suggestions, {s['duplicates']} duplicates")
            for warning in s.get("warnings", []):
                click.echo(f"warning: {warning}", err=True)
            for name, path in outcome.paths.items():
                click.echo(f"  {name}: {path}")
        sys.exit(0)
