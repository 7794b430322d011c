"""Matching rules: which passes run, their date windows, thresholds and tolerances.

Rules come from a YAML file (``deskbot reconcile --rules F``), from the ``rules:`` mapping of
a ``reconcile`` step, and per bank from ``banks: {<profile or account>: {...}}`` overrides::

    passes: [reference, amount_date, amount_date_name, group, tolerance]   # strictest first
    date_window: {before: 2, after: 5}     # bank date may be 2 days before to 5 days after the ledger date
    wide_window: {before: 5, after: 10}    # for the name, group and tolerance passes
    name_threshold: 85                     # rapidfuzz token_set_ratio, 0..100
    tolerance: {absolute: 30.00, percent: 2.0}   # fees, FX rounding: percent needs a reference,
                                                 # a name alone gets the absolute tolerance
    group: {max_items: 5, after: 10}       # one transfer for several invoices: up to 10 days after each
    bank_charges: ['\bfees?\b', 利息]    # the bank's own lines (default: a list in several languages)
    ledger:
      columns: {id: "Doc No", date: "Posting Date", amount: Amount, reference: Invoice, counterparty: Customer}
    banks:
      icbc: {date_window: {before: 0, after: 3}}
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

PASSES = ("reference", "amount_date", "amount_date_name", "group", "tolerance")
PassName = Literal["reference", "amount_date", "amount_date_name", "group", "tolerance"]


#: the bank's own charges, interest and cash lines, in the languages of the statements we read
BANK_CHARGES = (
    r"\binterests?\b", r"\bfees?\b", r"\bcharges?\b", r"\bcommission\b", r"zins", r"geb(ü|ue)hr", r"entgelt",
    r"\bfrais\b", r"\bagios\b", r"int(é|e)r(ê|e)ts", r"\bcomisi(ó|o)n", r"\bintereses\b", r"cash withdrawal",
    r"\batm\b", r"bargeld", r"geldautomat", r"\bretrait", r"利息", r"结息", r"手续费", r"服务费", r"年费", r"管理费", r"取现")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DateWindow(_Strict):
    before: int = Field(2, ge=0, le=366, description="days the bank date may precede the ledger date")
    after: int = Field(5, ge=0, le=366, description="days the bank date may follow the ledger date")


class Tolerance(_Strict):
    absolute: Decimal = Field(Decimal("30"), ge=0, description="largest difference in currency units")
    percent: Decimal = Field(Decimal("2"), ge=0, le=100, description="largest difference in % of the ledger amount")


class GroupRules(_Strict):
    max_items: int = Field(5, ge=2, le=12, description="most lines combined into one payment")
    max_candidates: int = Field(16, ge=2, le=20, description="open items looked at per line (bounds the search)")
    after: int = Field(10, ge=0, le=366, description="days a combined transfer may follow each invoice it pays")


class LedgerMapping(_Strict):
    columns: dict[str, str] = Field(default_factory=dict,
                                    description="normalized name -> ledger column (id, date, amount, debit, credit, currency, description, reference, counterparty)")
    negate: bool = Field(False, description="flip signs (a ledger that books receipts negative)")
    sheet: str | int | None = Field(None, description="worksheet of a workbook ledger")
    dayfirst: bool = Field(False, description="dates are day/month/year")
    currency: str = Field("", description="currency when the ledger has no currency column")


class Rules(_Strict):
    passes: list[PassName] = Field(default_factory=lambda: list(PASSES), description="passes to run, in order")
    date_window: DateWindow = Field(default_factory=DateWindow)
    wide_window: DateWindow = Field(default_factory=lambda: DateWindow(before=5, after=10))
    reference_window: DateWindow = Field(default_factory=lambda: DateWindow(before=10, after=45))
    name_threshold: int = Field(85, ge=0, le=100)
    name_veto: int = Field(45, ge=0, le=100, description="an equal amount is refused when both names are known and score below this")
    bank_charges: list[str] = Field(
        default_factory=lambda: list(BANK_CHARGES),
        description="regular expressions (case-insensitive) for the bank's own lines: charges, interest, cash. Such a "
                    "line without a counterparty is matched by amount only to a ledger line booked as one of them, "
                    "or when its text names the ledger line's counterparty")
    min_reference_length: int = Field(5, ge=3, le=40)
    max_candidates: int = Field(64, ge=2, le=10000, description="candidates per line before a line counts as too ambiguous")
    tolerance: Tolerance = Field(default_factory=Tolerance)
    group: GroupRules = Field(default_factory=GroupRules)
    ledger: LedgerMapping = Field(default_factory=LedgerMapping)
    bank_profile: str | None = Field(None, description="bank profile name in config/bank_profiles")
    allow_unbalanced: bool = Field(False, description="read statements whose lines do not add up to their own balances "
                                   "(or lack a required closing balance); every output carries the warning")
    decisions: str | None = Field(None, description="manual decisions file (CSV)")
    banks: dict[str, dict[str, Any]] = Field(default_factory=dict, description="overrides per bank profile or account")

    @field_validator("bank_charges")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a regular expression ({exc})") from None
        return patterns

    def for_bank(self, *keys: str | None) -> "Rules":
        """These rules with the overrides of the first bank key that has any."""
        for key in keys:
            if key and key in self.banks:
                merged = _deep_merge(self.model_dump(), self.banks[key])
                merged["banks"] = {}
                return Rules.model_validate(merged)
        return self


def _deep_merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


class RulesError(ValueError):
    pass


def load_rules(source: str | Path | dict | None = None) -> Rules:
    """Rules from a YAML file, a mapping, or the defaults; errors name the key at fault."""
    if source is None:
        return Rules()
    if isinstance(source, Rules):
        return source
    where = "rules"
    if not isinstance(source, dict):
        where = str(source)
        try:
            data = yaml.safe_load(Path(source).read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise RulesError(f"{source}: cannot read rules file ({exc.strerror})") from None
        except yaml.YAMLError as exc:
            raise RulesError(f"{source}: not valid YAML ({exc})") from None
        if not isinstance(data, dict):
            raise RulesError(f"{source}: expected a mapping of rule names to values")
    else:
        data = source
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise RulesError(f"{where}: {problems}") from None
