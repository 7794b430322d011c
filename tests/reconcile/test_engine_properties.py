"""Invariants of the matching engine on random small months full of look-alikes (hypothesis):
no line is used twice, every line ends matched, open or set aside, and the result does not
depend on the order of the rows."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.engine import reconcile
from reconcile.lines import make_frame

# few amounts, days and names, so equal amounts, twins, sums and near-misses are common
AMOUNTS = ["10.00", "20.00", "30.00", "29.50", "50.00", "60.00", "-20.00", "-40.00"]
NAMES = ["", "Kranich Moebel GmbH", "KRANICH MOEBEL", "Lindqvist AB", "杭州青禾茶业有限公司", "青禾茶业"]
TEXTS = ["", "GIRO", "Sammelueberweisung", "支付宝转账-青禾茶业", "RE-4711", "RE-4712 RE-4713"]
REFS = ["", "RE-4711", "RE-4712", "RE-4713"]

line = st.tuples(st.sampled_from(AMOUNTS), st.integers(0, 12), st.sampled_from(NAMES), st.sampled_from(TEXTS),
                 st.sampled_from(REFS))


def frame(prefix: str, rows) -> pd.DataFrame:
    out = make_frame([{"bank_id": f"{prefix}{i}", "date": (pd.Timestamp("2026-05-01") + pd.Timedelta(days=day)).date(),
                       "amount": Decimal(amount), "currency": "EUR", "counterparty": name, "description": text,
                       "reference": ref} for i, (amount, day, name, text, ref) in enumerate(rows)])
    return out


def outcome(result):
    groups = result.matches.groupby("group")
    as_sets = {(frozenset(g["bank_id"]), frozenset(g["ledger_id"]), g["rule"].iat[0]) for _, g in groups}
    suggestions = set(zip(result.suggestions["bank_id"], result.suggestions["ledger_id"]))
    return as_sets, suggestions


months = st.tuples(st.lists(line, max_size=14), st.lists(line, max_size=14))
quick = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick
@given(months)
def test_no_line_is_used_twice(month):
    bank, ledger = frame("b", month[0]), frame("l", month[1])
    m = reconcile(bank, ledger).matches
    assert (m.groupby("bank_id")["group"].nunique() <= 1).all()
    assert (m.groupby("ledger_id")["group"].nunique() <= 1).all()
    # within a group a pair appears once, and a group is one-to-many or many-to-one
    assert not m.duplicated(["bank_id", "ledger_id"]).any()
    sizes = m.groupby("group").agg(b=("bank_id", "nunique"), l=("ledger_id", "nunique"))
    assert ((sizes["b"] == 1) | (sizes["l"] == 1)).all()


@quick
@given(months)
def test_matched_plus_open_is_every_line_on_each_side(month):
    bank, ledger = frame("b", month[0]), frame("l", month[1])
    result = reconcile(bank, ledger)
    s = result.summary
    set_aside = result.duplicates["side"].value_counts()
    assert s["matched_bank"] + s["unmatched_bank"] + set_aside.get("bank", 0) == len(bank)
    assert s["matched_ledger"] + s["unmatched_ledger"] + set_aside.get("ledger", 0) == len(ledger)
    assert set(result.unmatched_bank["id"]).isdisjoint(result.matches["bank_id"])
    assert set(result.unmatched_ledger["id"]).isdisjoint(result.matches["ledger_id"])


@quick
@given(months, st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_row_order(month, random):
    bank, ledger = frame("b", month[0]), frame("l", month[1])
    first = outcome(reconcile(bank, ledger))
    bank_order, ledger_order = list(range(len(bank))), list(range(len(ledger)))
    random.shuffle(bank_order)
    random.shuffle(ledger_order)
    shuffled = outcome(reconcile(bank.iloc[bank_order].reset_index(drop=True),
                                 ledger.iloc[ledger_order].reset_index(drop=True)))
    assert shuffled == first


def test_splitting_the_text_work_over_two_processes_changes_nothing(monkeypatch):
    import reconcile.engine as engine
    from reconcile.generator import generate

    case = generate(3000, seed=11, style="heldout")
    alone = reconcile(case.bank, case.ledger)
    monkeypatch.setattr(engine, "PARALLEL_ROWS", 100)  # every split from 100 rows on
    split = reconcile(case.bank, case.ledger)
    assert split.matches.equals(alone.matches)
    assert split.suggestions.equals(alone.suggestions)
