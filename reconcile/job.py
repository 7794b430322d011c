"""One reconciliation run end to end: statements and ledger in, the four output files out.

    from reconcile.job import run_reconciliation
    outcome = run_reconciliation(["bank.csv"], "GL.xlsx", "out/", rules="rules.yaml")
    outcome.summary            # counts, totals, match rate (also out/summary.json)
    outcome.paths              # matches, summary, workbook, html, decisions

Writes ``matches.csv`` (bank_id, ledger_id, rule, score, group, difference, explanation),
``summary.json``, ``discrepancies.xlsx`` and ``discrepancies.html``, each to a temporary
name first. The decisions file (default ``<out>/decisions.csv``) is read before matching and
created with its instructions when missing, so the operator always has one to edit.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from reconcile.decisions import ensure_template, load_decisions
from reconcile.engine import Result, reconcile
from reconcile.ledger import load_ledger
from reconcile.lines import COLUMNS, StatementError
from reconcile.rules import Rules, load_rules
from reconcile.statements import read_statement


@dataclass
class Outcome:
    summary: dict
    paths: dict[str, str]
    result: Result
    statements: list[dict] = field(default_factory=list)


def load_bank(source: Any, profile: str | None = None, allow_unbalanced: bool = False
              ) -> tuple[pd.DataFrame, list[dict], list[str]]:
    """Bank lines from one or several statement files (or an already normalized table).

    Each statement's info carries the rows it left out as not money (``excluded``), so the
    report can show them with their reasons."""
    if isinstance(source, pd.DataFrame):
        missing = [c for c in ("id", "date", "amount") if c not in source.columns]
        if missing:
            raise StatementError(f"the bank table lacks the normalized column(s) {', '.join(missing)}")
        return source, [], []
    paths = [source] if isinstance(source, (str, Path)) else list(source)
    if not paths:
        raise StatementError("no bank statement given")
    frames, info, warnings = [], [], []
    for path in paths:
        statement = read_statement(path, profile=profile, allow_unbalanced=allow_unbalanced)
        frames.append(statement.lines)
        info.append({"file": str(path), "format": statement.format, "parser": statement.parser,
                     "lines": len(statement.lines), "total": str(statement.total),
                     "accounts": sorted({s.account for s in statement.sections if s.account}),
                     "excluded": [e.to_json() for e in statement.excluded], "unbalanced": statement.unbalanced})
        warnings += [f"{path}: {w}" for w in statement.warnings]
        if not len(statement.lines):
            warnings.append(f"{path}: the statement has no lines; is it the right period?")
    return pd.concat(frames, ignore_index=True), info, warnings


def run_reconciliation(bank: Any, ledger: Any, out_dir: str | Path, rules: Any = None,
                       decisions: str | Path | None = None, profile: str | None = None,
                       title: str = "Bank reconciliation") -> Outcome:
    from reports.discrepancy import report_tables, write_discrepancy_html, write_discrepancy_workbook

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    base_rules: Rules = load_rules(rules)
    profile = profile or base_rules.bank_profile
    bank_lines, statements, warnings = load_bank(bank, profile, base_rules.allow_unbalanced)
    accounts = [a for s in statements for a in s["accounts"]]
    detected = [s["parser"].split(":", 1)[1] for s in statements if s["parser"].startswith("profile:")]
    effective = base_rules.for_bank(profile, *detected, *accounts)
    ledger_lines = load_ledger(ledger, effective.ledger)
    decisions_path = Path(decisions or effective.decisions or out / "decisions.csv")
    choices = load_decisions(decisions_path)
    result = reconcile(bank_lines, ledger_lines, effective, choices)
    result.summary["warnings"] = warnings + result.summary.get("warnings", [])
    result.summary["statements"] = statements
    paths = {"matches": str(out / "matches.csv"), "summary": str(out / "summary.json"),
             "workbook": str(out / "discrepancies.xlsx"), "html": str(out / "discrepancies.html"),
             "decisions": str(decisions_path)}
    write_matches_csv(result.matches, paths["matches"])
    tables = report_tables(result, title=title)
    write_discrepancy_workbook(tables, paths["workbook"])
    write_discrepancy_html(tables, result.summary, paths["html"], title=title)
    ensure_template(decisions_path)
    summary = {**result.summary, "files": paths}
    _atomic_write(Path(paths["summary"]), json.dumps(summary, indent=2, ensure_ascii=False, default=str))
    return Outcome(summary, paths, result, statements)


def write_matches_csv(matches: pd.DataFrame, path: str | Path) -> None:
    from sheets.writer import safe_text

    frame = pd.DataFrame({
        "bank_id": matches["bank_id"].map(safe_text), "ledger_id": matches["ledger_id"].map(safe_text),
        "rule": matches["rule"], "score": matches["score"], "group": matches["group"],
        "difference": [str(Decimal(int(c)).scaleb(-2)) for c in matches["difference_cents"]],
        "explanation": matches["explanation"].map(safe_text)})
    _atomic_write(Path(path), frame.to_csv(index=False, lineterminator="\n"))


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


__all__ = ["run_reconciliation", "load_bank", "Outcome", "COLUMNS"]
