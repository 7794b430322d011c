"""Bank statement steps: ``statement.read``.

Reads a statement in any format deskbot knows (ISO 20022 camt.053/054, SWIFT MT940/MT942,
OFX 1/2, CSV/Excel through the bank profiles in ``config/bank_profiles/``) into normalized
lines: ``id, date, amount (credit positive), currency, description, reference,
counterparty``. An unreadable file fails the step with an input error naming the file and
the line or row. The library behind it is ``reconcile.statements``.

```yaml
steps:
  - id: statement
    statement.read: {path: "{{ steps.download.path }}", profile: icbc}
  - log: "{{ steps.statement.count }} lines, total {{ steps.statement.total }}"
  - id: recon
    reconcile: {bank: "{{ steps.statement.table }}", ledger: "{{ steps.ledger.table }}"}
```
"""

from __future__ import annotations

from pydantic import Field

from bots.registry import StepParams, step
from bots.steps.reconcile import call_library


class StatementReadParams(StepParams):
    """Read a bank statement (camt, MT940, OFX, CSV/Excel) into normalized lines.

    ```yaml
    - id: statement
      statement.read: {path: "{{ steps.download.path }}", profile: icbc}
    - log: "{{ steps.statement.count }} lines, total {{ steps.statement.total }}"
    ```
    """

    path: str = Field(description="the statement file")
    profile: str | None = Field(None, description="bank profile for CSV/Excel; detected when omitted")
    allow_unbalanced: bool = Field(False, description="read a statement whose lines do not add up to its own balances "
                                   "(each problem is logged as a warning) instead of failing")


@step("statement.read", StatementReadParams, shorthand="path", outputs={
    "table": "normalized lines (id, date, amount, currency, description, reference, counterparty)",
    "rows": "the same lines as a list of mappings", "count": "number of lines", "total": "sum of amounts (text)",
    "format": "camt.053, camt.054, MT940, MT942, OFX or table", "path": "the file read",
    "excluded": "rows left out as not money movements, each with where, amount and reason",
    "warnings": "warnings about the file (an accepted imbalance among them)"})
def read_statement_step(ctx, params: StatementReadParams) -> dict:
    from reconcile.lines import frame_to_records
    from reconcile.statements import read_statement

    statement = call_library(read_statement, params.path, profile=params.profile,
                             allow_unbalanced=params.allow_unbalanced)
    for warning in statement.warnings:
        ctx.log(warning, "WARNING")
    for row in statement.excluded:
        ctx.log(f"excluded {row.where} ({row.amount} {row.currency}): {row.reason}")
    return {"table": statement.lines, "rows": frame_to_records(statement.lines), "count": len(statement.lines),
            "total": str(statement.total), "format": statement.format, "path": params.path,
            "excluded": [row.to_json() for row in statement.excluded], "warnings": list(statement.warnings)}
