"""Bank reconciliation: the ``reconcile`` step (``statement.read`` lives in ``statement.py``).

``reconcile`` matches bank statement lines to ledger lines in ordered passes (reference,
exact amount + date window, amount + name similarity, one-to-many / many-to-one, tolerance),
refuses to guess between equally good candidates (they become suggestions), honours the
operator's decisions file (decisions taken on the console's reconciliation page are written into
it first; the suggestions and open items are kept in the store for that page), sets duplicates aside, and writes ``matches.csv``,
``summary.json``, ``discrepancies.xlsx`` and ``discrepancies.html`` into ``out``.

Statements may be camt.053/054, MT940/MT942, OFX 1/2, or CSV/Excel (bank profiles in
``config/bank_profiles/``, detected when not named). The ledger is a file or a previous
step's ``table`` (``sheet.read``). The library behind it is ``reconcile/`` + ``reports/``.

```yaml
steps:
  - id: ledger
    sheet.read: {path: data/ledger.xlsx, sheet: GL}
  - id: recon
    reconcile:
      bank: "{{ steps.statement.path }}"
      ledger: "{{ steps.ledger.table }}"
      rules: config/reconcile_rules.yaml
  - email.send:
      when: "{{ steps.recon.summary.unmatched > 0 }}"
      to: [operators@example.com]
      subject: "{{ steps.recon.summary.unmatched }} open items"
      attach: ["{{ steps.recon.report }}", "{{ steps.recon.html }}"]
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from bots import reconciliations
from bots.errors import InputError, TransientError
from bots.registry import StepParams, step


def _as_input_error(exc: Exception) -> InputError:
    return InputError(str(exc))


def call_library(func, *args, **kwargs):
    """Run a library call, mapping its errors onto the runtime's tree."""
    from reconcile.decisions import DecisionsError
    from reconcile.lines import StatementError
    from reconcile.rules import RulesError

    try:
        return func(*args, **kwargs)
    except (StatementError, RulesError, DecisionsError) as exc:
        raise _as_input_error(exc) from None
    except Exception as exc:
        try:
            from sheets.errors import SheetError, SheetLocked
        except ImportError:  # pragma: no cover - sheets ships with deskbot
            raise exc
        if isinstance(exc, SheetLocked):
            raise TransientError(exc.describe()) from None
        if isinstance(exc, SheetError):
            raise InputError(exc.describe()) from None
        raise


def _report_unwritten(ctx, written: dict) -> None:
    if written["written"]:
        ctx.log(f"wrote {written['written']} decision(s) taken on the console into the decisions file")
    if written["error"]:
        raise InputError(f"decisions taken on the console cannot be written: {written['error']}")


class ReconcileParams(StepParams):
    """Match a bank statement against the ledger and write the discrepancy report.

    ```yaml
    - id: recon
      reconcile:
        bank: ["{{ steps.statement.path }}"]     # one file or several (overlaps are set aside as duplicates)
        ledger: "{{ steps.ledger.table }}"       # a table from sheet.read, or a file path
        out: "{{ run.dir }}/reconciliation"
        rules: {date_window: {before: 1, after: 4}, tolerance: {absolute: 5, percent: 0.5}}
        decisions: config/decisions/operating-account.csv
    ```
    """

    bank: Any = Field(description="statement file path, a list of paths, or a normalized table")
    ledger: Any = Field(description="ledger file path, a table (steps.<id>.table) or a list of rows")
    out: str | None = Field(None, description="folder for the outputs; default <run dir>/reconcile")
    rules: str | dict[str, Any] | None = Field(None, description="rules YAML file, or the rules as a mapping")
    profile: str | None = Field(None, description="bank profile name (config/bank_profiles); detected when omitted")
    decisions: str | None = Field(None, description="manual decisions CSV; default <out>/decisions.csv")
    title: str = Field("Bank reconciliation", description="title of the report")


@step("reconcile", ReconcileParams, outputs={
    "summary": "counts and totals: bank_lines, ledger_lines, matches, unmatched, unmatched_bank, unmatched_ledger, "
               "suggestions, duplicates, differences, match_rate, totals, period",
    "report": "path of discrepancies.xlsx",
    "matches": "the matches table (bank_id, ledger_id, rule, score, group, difference_cents, explanation)",
    "html": "path of discrepancies.html", "matches_csv": "path of matches.csv",
    "summary_json": "path of summary.json", "decisions": "path of the decisions file"})
def reconcile_step(ctx, params: ReconcileParams) -> dict:
    from reconcile.job import run_reconciliation

    out = Path(params.out) if params.out else Path(ctx.run_dir) / "reconcile"
    rules = params.rules
    if isinstance(rules, str) and not Path(rules).is_absolute() and not Path(rules).exists():
        from bots.settings import shipped

        # a shipped recipe names config/… relative to the project, wherever it runs from
        if shipped(*Path(rules).parts).exists():
            rules = str(shipped(*Path(rules).parts))
    store = ctx._runner.store
    if params.decisions:  # decisions taken on the console that a crash kept from the file
        _report_unwritten(ctx, reconciliations.write_pending(store, str(Path(params.decisions).resolve())))

    def run():
        return call_library(run_reconciliation, params.bank, params.ledger, out, rules=rules,
                            decisions=params.decisions, profile=params.profile, title=params.title)

    outcome = run()
    late = reconciliations.write_pending(store, str(Path(outcome.paths["decisions"]).resolve()))
    _report_unwritten(ctx, late)
    if late["written"]:  # the rules named the decisions file, and it lacked some: match again with them
        outcome = run()
    reconciliations.record(store, run_id=ctx.run_id, step_key=ctx.key, recipe=ctx.recipe.name, title=params.title,
                           outcome=outcome)
    s = outcome.summary
    ctx.log(f"reconciled {s['bank_lines']} bank lines with {s['ledger_lines']} ledger lines: "
            f"{s['matches']} matches, {s['unmatched_bank']} + {s['unmatched_ledger']} open, "
            f"{s['suggestions']} suggestions, {s['duplicates']} duplicates")
    for warning in s.get("warnings", []):
        ctx.log(warning, "WARNING")
    for kind in ("workbook", "html", "matches", "summary"):
        ctx.artifact(outcome.paths[kind], kind="report" if kind in ("workbook", "html") else "file")
    return {"summary": s, "report": outcome.paths["workbook"], "matches": outcome.result.matches.drop(
                columns=["bank_row", "ledger_row"]),
            "html": outcome.paths["html"], "matches_csv": outcome.paths["matches"],
            "summary_json": outcome.paths["summary"], "decisions": outcome.paths["decisions"]}
