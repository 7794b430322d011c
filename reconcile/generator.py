"""Synthetic statement + ledger pairs with ground truth and the real mess, for tests and the
benchmark.

    from reconcile.generator import generate
    case = generate(10_000, seed=7)
    case.bank, case.ledger      # normalized frames (plus an int64 ``cents`` column)
    case.truth                  # bank_id, ledger_id: the pairs a perfect matcher returns

The mess, in the proportions ``Mess`` gives: repeated equal amounts (subscriptions of one
customer), bank dates 0–5 days after booking, references in the reference field, buried in
free text, truncated or missing, names in upper case / without legal form / cut short /
absent, one transfer paying several invoices, card settlements in several bank lines for one
ledger line, fees deducted, lines exported twice, and lines with no counterpart on either side.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

_FIRST = ("Nord", "Sued", "Ost", "West", "Alpen", "Rhein", "Elb", "Bavaria", "Hansa", "Delta", "Orion", "Polar",
          "Sino", "Pacific", "Atlas", "Vega", "Lumen", "Terra", "Aqua", "Silva", "Ferro", "Nova", "Astra", "Kappa",
          "Zenit", "Fjord", "Cedar", "Maple", "Granite", "Harbor", "Summit", "Falcon", "Jade", "Lotus", "Cobalt")
_SECOND = ("wind", "stern", "tech", "werk", "bau", "logistik", "foods", "pharma", "textil", "metall", "energie",
           "soft", "media", "trade", "mobil", "chem", "optik", "print", "garten", "haus")
_THIRD = ("Trading", "Systems", "Services", "Handel", "Partners", "Industries", "Group", "Solutions", "Supply", "Works")
_LEGAL = ("GmbH", "Ltd", "Inc", "AG", "BV", "SA", "LLC", "Co. Ltd")


@dataclass
class Mess:
    repeated_amounts: float = 0.06
    split_payments: float = 0.015      # of ledger lines: paid together with 1-3 others of the customer
    card_batches: float = 0.005        # of ledger lines: settled by 2-4 bank lines
    fees: float = 0.02
    duplicates: float = 0.005
    ledger_only: float = 0.01
    bank_only: float = 0.01
    max_lag_days: int = 5


@dataclass
class Case:
    bank: pd.DataFrame
    ledger: pd.DataFrame
    truth: pd.DataFrame


def _names(rng: np.random.Generator, count: int) -> np.ndarray:
    a = rng.integers(0, len(_FIRST), count)
    b = rng.integers(0, len(_SECOND), count)
    c = rng.integers(0, len(_THIRD), count)
    d = rng.integers(0, len(_LEGAL), count)
    serial = np.arange(count)
    names = [f"{_FIRST[i]}{_SECOND[j]} {_THIRD[k]} {n % 97 if n >= len(_FIRST) * len(_SECOND) else ''} {_LEGAL[m]}"
             for i, j, k, m, n in zip(a, b, c, d, serial)]
    return np.array([" ".join(x.split()) for x in names], dtype=object)


def generate(n: int, seed: int = 0, mess: Mess | None = None, currency: str = "EUR",
             start: str = "2026-01-01", days: int | None = None) -> Case:
    mess = mess or Mess()
    days = days or max(90, n // 1100)  # about a thousand lines a day at most, as a busy account has
    rng = np.random.default_rng(seed)
    customers = _names(rng, max(50, n // 15))
    cust = rng.integers(0, len(customers), n)
    base_day = np.datetime64(start, "D")
    lday = base_day + rng.integers(0, days, n).astype("timedelta64[D]")
    cents = np.round(np.exp(rng.normal(11.0, 1.6, n))).astype(np.int64) + 100
    repeat = rng.random(n) < mess.repeated_amounts
    cents[repeat] = rng.choice(np.array([9900, 25000, 49900, 100000, 120000]), repeat.sum())
    outgoing = rng.random(n) < 0.3
    cents[outgoing] *= -1
    seq = rng.permutation(n) + 1
    refs = np.where(outgoing, "PO-", "INV-").astype(object) + "2026-" + pd.Series(seq).astype(str).str.zfill(7).to_numpy(dtype=object)
    ledger = pd.DataFrame({
        "id": ["L%08d" % i for i in range(n)], "date": lday.astype("datetime64[ns]"), "cents": cents,
        "currency": currency, "description": np.where(outgoing, "Supplier invoice ", "Customer invoice ").astype(object) + refs,
        "reference": refs, "counterparty": customers[cust]})

    role = rng.random(n)
    edges = np.cumsum([mess.split_payments, mess.card_batches, mess.ledger_only])
    is_split = role < edges[0]
    is_card = (role >= edges[0]) & (role < edges[1])
    is_ledger_only = (role >= edges[1]) & (role < edges[2])
    single = ~(is_split | is_card | is_ledger_only)

    # -- one bank line per single ledger line ----------------------------------------------
    idx = np.flatnonzero(single)
    lag = rng.integers(0, mess.max_lag_days + 1, len(idx))
    b_cents = cents[idx].copy()
    fee = rng.random(len(idx)) < mess.fees
    fee_cents = np.minimum(rng.integers(100, 2500, len(idx)), np.abs(b_cents) // 100 + 1)
    b_cents[fee] -= np.sign(b_cents[fee]) * fee_cents[fee]
    ref_mode = rng.random(len(idx))
    refs_i = refs[idx]
    truncated = pd.Series(refs_i).str.slice(0, 12).to_numpy(dtype=object)
    reference = np.where(ref_mode < 0.5, refs_i, np.where((ref_mode >= 0.7) & (ref_mode < 0.8), truncated, "")).astype(object)
    filler = np.array(["Payment", "Zahlung", "Transfer", "SEPA credit", "Ueberweisung"], dtype=object)[rng.integers(0, 5, len(idx))]
    description = np.where((ref_mode >= 0.5) & (ref_mode < 0.7),
                           filler + " for " + refs_i + " thank you", filler + " " + rng.integers(1000, 99999, len(idx)).astype(str)).astype(object)
    bank_name = _bank_name(rng, customers[cust[idx]])
    bank_single = pd.DataFrame({"date": (lday[idx] + lag.astype("timedelta64[D]")).astype("datetime64[ns]"), "cents": b_cents,
                                "currency": currency, "description": description, "reference": reference,
                                "counterparty": bank_name, "_ledger": idx, "_group": idx})

    # -- split payments: one bank line pays 2-4 invoices of one customer -------------------
    sidx = np.flatnonzero(is_split)
    rng.shuffle(sidx)
    sizes = rng.integers(2, 5, len(sidx))
    group_of = np.repeat(np.arange(len(sizes)), sizes)[: len(sidx)]
    split_frame = pd.DataFrame({"l": sidx, "g": group_of})
    # one customer per group: re-point the invoices' customer and dates to the group's first
    first = split_frame.groupby("g")["l"].transform("first").to_numpy()
    ledger.loc[sidx, "counterparty"] = ledger["counterparty"].to_numpy()[first]
    near = lday[first] - rng.integers(0, 10, len(sidx)).astype("timedelta64[D]")
    ledger.loc[sidx, "date"] = near.astype("datetime64[ns]")
    lday = ledger["date"].to_numpy().astype("datetime64[D]")
    cents_now = ledger["cents"].to_numpy()
    ledger.loc[sidx, "cents"] = np.abs(cents_now[sidx])  # customer receipts
    split_frame["cents"] = ledger["cents"].to_numpy()[sidx]
    split_frame["day"] = lday[sidx]
    agg = split_frame.groupby("g").agg(cents=("cents", "sum"), day=("day", "max"), l=("l", "first"),
                                       refs=("l", lambda s: " ".join(refs[s.to_numpy()])))
    named = rng.random(len(agg)) < 0.5
    bank_split = pd.DataFrame({
        "date": (agg["day"].to_numpy() + rng.integers(0, mess.max_lag_days + 1, len(agg)).astype("timedelta64[D]")).astype("datetime64[ns]"),
        "cents": agg["cents"].to_numpy(), "currency": currency,
        "description": np.where(named, "Invoices " + agg["refs"].to_numpy(dtype=object), "Collective payment").astype(object),
        "reference": "", "counterparty": _bank_name(rng, ledger["counterparty"].to_numpy()[agg["l"].to_numpy()]),
        "_ledger": -1, "_group": n + agg.index.to_numpy()})
    split_truth = pd.DataFrame({"_group": n + group_of, "ledger_row": sidx})

    # -- card batches: one ledger line settled by 2-4 bank lines ----------------------------
    cidx = np.flatnonzero(is_card)
    ledger.loc[cidx, "counterparty"] = "Card Acquirer Services Ltd"
    ledger.loc[cidx, "cents"] = np.abs(ledger["cents"].to_numpy()[cidx]) + 400
    batch = "BATCH-" + pd.Series(rng.integers(10**7, 10**8, len(cidx))).astype(str).to_numpy(dtype=object)
    ledger.loc[cidx, "description"] = "Card sales " + pd.Series(lday[cidx]).astype(str).to_numpy(dtype=object)
    ledger.loc[cidx, "reference"] = batch
    parts = rng.integers(2, 5, len(cidx))
    rows = np.repeat(np.arange(len(cidx)), parts)
    total = ledger["cents"].to_numpy()[cidx]
    weights = rng.random(len(rows)) + 0.2
    share = weights / pd.Series(weights).groupby(rows).transform("sum").to_numpy()
    piece = np.floor(total[rows] * share).astype(np.int64)
    remainder = total - pd.Series(piece).groupby(rows).sum().to_numpy()
    last = np.r_[rows[1:] != rows[:-1], True]
    piece[last] += remainder
    bank_card = pd.DataFrame({
        "date": (lday[cidx][rows] + rng.integers(0, 3, len(rows)).astype("timedelta64[D]")).astype("datetime64[ns]"),
        "cents": piece, "currency": currency,
        # most acquirers print the batch number; some only their own settlement number
        "description": np.where((rng.random(len(cidx)) < 0.7)[rows], "CARD SETTLEMENT " + batch[rows],
                                "CARD SETTLEMENT " + pd.Series(rng.integers(100000, 999999, len(rows))).astype(str).to_numpy(dtype=object)).astype(object),
        "reference": "", "counterparty": "CARD ACQUIRER SERVICES", "_ledger": cidx[rows], "_group": 2 * n + cidx[rows]})

    # -- bank-only lines (charges, interest, unknown receipts) ------------------------------
    k = int(n * mess.bank_only)
    bank_only = pd.DataFrame({
        "date": (base_day + rng.integers(0, days, k).astype("timedelta64[D]")).astype("datetime64[ns]"),
        "cents": -rng.integers(50, 5000, k), "currency": currency,
        "description": np.array(["Account fee", "Interest", "Card fee", "Cash withdrawal"], dtype=object)[rng.integers(0, 4, k)],
        "reference": "", "counterparty": "", "_ledger": -1, "_group": -1})

    bank = pd.concat([bank_single, bank_split, bank_card, bank_only], ignore_index=True)
    bank = bank.sample(frac=1.0, random_state=int(rng.integers(0, 2**31))).reset_index(drop=True)
    bank["id"] = ["B%08d" % i for i in range(len(bank))]
    # duplicates: the same lines exported again in an overlapping period
    dup = bank.sample(frac=mess.duplicates, random_state=int(rng.integers(0, 2**31)))
    truth_rows = []
    pairs_single = bank[bank["_ledger"] >= 0][["id", "_ledger"]].rename(columns={"id": "bank_id", "_ledger": "ledger_row"})
    truth_rows.append(pairs_single)
    split_bank = bank[(bank["_group"] >= n) & (bank["_group"] < 2 * n)][["id", "_group"]].merge(split_truth, on="_group")
    truth_rows.append(split_bank.rename(columns={"id": "bank_id"})[["bank_id", "ledger_row"]])
    truth = pd.concat(truth_rows, ignore_index=True)
    truth["ledger_id"] = ledger["id"].to_numpy()[truth["ledger_row"].to_numpy()]
    bank = pd.concat([bank, dup], ignore_index=True).drop(columns=["_ledger", "_group"])
    bank = bank[["id", "date", "cents", "currency", "description", "reference", "counterparty"]]
    bank["amount"] = bank["cents"] / 100
    ledger["amount"] = ledger["cents"] / 100
    ledger = ledger[["id", "date", "amount", "cents", "currency", "description", "reference", "counterparty"]]
    return Case(bank, ledger, truth[["bank_id", "ledger_id"]].reset_index(drop=True))


def _bank_name(rng: np.random.Generator, names: np.ndarray) -> np.ndarray:
    """How banks print a customer's name: upper case, legal form dropped, cut at 20, or absent."""
    s = pd.Series(names, dtype=object).astype(str)
    mode = rng.random(len(s))
    upper = s.str.upper()
    no_legal = upper.str.replace(r"\s+(GMBH|LTD|INC|AG|BV|SA|LLC|CO\. LTD)$", "", regex=True)
    out = np.where(mode < 0.4, upper, np.where(mode < 0.7, no_legal, np.where(mode < 0.9, upper.str.slice(0, 20), "")))
    return out.astype(object)


def with_decimal_amounts(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with ``amount`` as exact Decimals and no helper column (what readers give)."""
    out = frame.drop(columns=["cents"]).copy()
    out["amount"] = [Decimal(int(c)).scaleb(-2) for c in frame["cents"]]
    return out
