"""The matching engine: bank lines against ledger lines in ordered passes, strictest first.

    from reconcile.engine import reconcile
    result = reconcile(bank_frame, ledger_frame, rules, decisions)
    result.matches        # bank_id, ledger_id, rule, score, group, difference, explanation
    result.suggestions    # pairs the engine refused to decide (equally good candidates)
    result.duplicates     # lines seen twice (a statement imported twice, overlapping periods)
    result.unmatched_bank, result.unmatched_ledger, result.summary

Passes (each sees only lines no earlier pass used; no line is ever used twice):

1. ``reference``: a token of the bank reference/description equals the ledger reference (or
   the ledger reference starts with a truncated bank token), amount equal. Several invoices
   named in one transfer whose sum is the amount make a one-to-many match.
2. ``amount_date``: equal amount (integer cents) and currency, bank date within the date
   window; repeated equal amounts go to the nearest date (bank after booking preferred).
   A pair whose names are both known and clearly different is refused; when a line has
   several candidates, only those whose names agree compete (a bank line without a name
   and several possible ledger lines becomes a suggestion). Interchangeable lines (alike in
   currency, amount, date and counterparty, or the same text) count as one candidate: k
   such bank lines and k such ledger lines are matched, paired in id order, and the
   explanation says they are interchangeable. The bank's own lines (charges, interest, cash:
   ``rules.bank_charges``, no counterparty) pair by amount only with a ledger line booked as
   one, or when their text names the ledger line's counterparty.
3. ``amount_date_name``: equal amount in the wider window, names similar (rapidfuzz
   ``token_set_ratio`` on candidate pairs only; ``reconcile.names`` for Chinese names and
   names inside text). Then an equal amount that is the only candidate of both lines in the
   whole wider window is matched (rule ``amount_date``) unless both names are known and clash.
4. ``group``: one bank line = several ledger lines of one payer, or the reverse (card
   settlement batches). The payer is the counterparty column or a name found in the text
   (``_name_pairs``); a name that fits up to ``NAME_CONTENDERS`` customers about equally
   well is searched among each of them separately (one payment never mixes two payers);
   invoices up to ``group.after`` days before the transfer; a bounded subset-sum
   (``_group_search``) over at most ``group.max_candidates`` open items per line and payer.
   Two different combinations that both fit (for one payer or for two) become suggestions.
5. ``tolerance``: the amounts differ (a fee, an FX difference) and a reference or the
   payer's name ties them: ``max(absolute, percent × amount)``; with a name alone, only when
   the pair is the only one of both lines within three times that band. Reported as matched
   with a difference.

Candidate pairs come from sorted-key range joins on numpy arrays (amount cents or name key,
then date window), never from a loop over pairs. Text work that treats lines or pairs
independently (reference tokens, name normalization, the name similarity of equal amounts) is
split over two processes on large inputs (``_in_two``); the halves are joined in row order, so
the result never depends on it. Name scores are kept per distinct pair of strings for the run.
Within a pass a pair is accepted only when
each side is the other's unique best candidate; this is repeated until nothing changes, so
repeated equal amounts are assigned by nearest date. Two equally good candidates are never
matched: they become ``suggestions``.
"""

from __future__ import annotations

import itertools
import os
import pickle
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from reconcile.decisions import Decisions
from reconcile.lines import to_cents
from reconcile.names import NUMBER_PENALTY, PARTIAL_GATE, name_keys, name_scores, normalize, numbers_disagree, vocabulary
from reconcile.rules import Rules

DAY_BITS = 20
#: points by which the best name must beat any other name for a bank line to have a payer
NAME_MARGIN = 5
#: most payers a bank line's name may fit about equally well and still be searched among
NAME_CONTENDERS = 4
_EPOCH_1900 = 25567  # days from 1900-01-01 to 1970-01-01, keeps day numbers positive


# the lookbehind lets a match start only where a token starts: without it every letter of a
# long word without digits starts a new (failing) attempt
_TOKEN_WITH_DIGIT = re.compile(r"\n|(?<![A-Z0-9])[A-Z0-9]*[0-9][A-Z0-9]*")


def _joined(texts: list[str]) -> str:
    """Texts joined by newlines, one line each (a newline inside a text becomes a space)."""
    joined = "\n".join(texts)
    if joined.count("\n") != max(len(texts) - 1, 0):
        joined = "\n".join(t.replace("\n", " ").replace("\r", " ") for t in texts)
    return joined


def _row_tokens(joined: str, pattern: re.Pattern) -> tuple[np.ndarray, np.ndarray]:
    """(line number, token) of every match in newline-joined text; ``pattern`` matches newlines too."""
    found = np.asarray(pattern.findall(joined), dtype=object)
    newline = found == "\n"
    rows = np.cumsum(newline)
    return rows[~newline].astype(np.int64), found[~newline]


#: rows from which a second process is worth its start (forking costs ~10 ms, results come back pickled)
PARALLEL_ROWS = 150_000
#: set while a split is running: a half never splits again (both cores are busy already)
_SPLITTING = False


def _in_two(func, n: int) -> list:
    """``[func(0, mid), func(mid, n)]``, the first half computed in a forked child process on
    the machine's other core. ``func`` must treat its rows independently, so the halves
    joined are exactly ``func(0, n)``: the result never depends on the split. One process
    where fork is missing, the input is small or the child fails (its half is then redone).

    Splitting smaller inputs (name scoring from ~20k pairs) measured slower at 1M: after the
    fork every page the parent writes is copied while the child lives."""
    return _split(func, n)[0]


def _split(func, n: int, extra=None, share: float = 0.5) -> tuple[list, object]:
    """``_in_two`` whose child also computes ``extra()`` (work that does not depend on the
    rows), taking ``share`` of the rows so that both processes finish about together.
    Returns (the halves, ``extra()``)."""
    global _SPLITTING
    if n < PARALLEL_ROWS or _SPLITTING or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return [func(0, n)], (extra() if extra else None)
    mid = int(n * share)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's cleanup
        status = 1
        _SPLITTING = True
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:
                pickle.dump((func(0, mid), extra() if extra else None), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    _SPLITTING = True
    try:
        second = func(mid, n)
    finally:
        _SPLITTING = False
    with os.fdopen(read, "rb") as incoming:
        try:
            first, extra_result = pickle.load(incoming)
        except Exception:  # the child died before sending: its part is computed here
            first = None
    _, status = os.waitpid(pid, 0)
    if first is None or status != 0:
        first, extra_result = func(0, mid), (extra() if extra else None)
    return [first, second], extra_result


_DELETE_DIGITS = str.maketrans("", "", "0123456789")
_DIGITS = re.compile(r"[0-9]+")
#: a pattern that may match digits (a class, a wildcard, a digit, a count)
_SEES_DIGITS = re.compile(r"\\[dDwWsS]|[.\[{0-9]")


def _upper(values: pd.Series) -> pd.Series:
    """Upper case, computed once per distinct value (currencies, names: few distinct values)."""
    codes, uniques = pd.factorize(values)
    upper = np.asarray([str(u).upper() for u in uniques], dtype=object)
    return pd.Series(upper[codes] if len(uniques) else np.full(len(values), "", dtype=object), index=values.index,
                     dtype=object)


def _strip_separators(text: str) -> str:
    """'INV-2026/0042' -> 'INV20260042' (str.replace: several times faster than translate)."""
    return text.replace("-", "").replace("/", "").replace(".", "").replace("_", "")
_LEGAL = re.compile(r"\b(GMBH|LTD|LIMITED|INC|LLC|CO|CORP|CORPORATION|BV|NV|AG|SA|SARL|SAS|SPA|PLC|KG|OY|AB|THE)\b")


@dataclass
class Result:
    matches: pd.DataFrame
    suggestions: pd.DataFrame
    duplicates: pd.DataFrame
    unmatched_bank: pd.DataFrame
    unmatched_ledger: pd.DataFrame
    summary: dict
    bank: pd.DataFrame
    ledger: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


class _Side:
    """One side's arrays, positionally indexed 0..n-1."""

    def __init__(self, frame: pd.DataFrame, label: str):
        self.label = label
        self.frame = frame.reset_index(drop=True)
        self.n = len(self.frame)
        self.ids = self.frame["id"].astype(str).to_numpy(dtype=object)
        self.cents = (self.frame["cents"].to_numpy(np.int64) if "cents" in self.frame
                      else to_cents(self.frame["amount"]))
        dates = pd.to_datetime(self.frame["date"]).to_numpy().astype("datetime64[D]").astype(np.int64)
        self.day = dates + _EPOCH_1900
        self.used = np.zeros(self.n, bool)
        self.excluded = np.zeros(self.n, bool)
        self._names = None
        self._texts: dict[str, pd.Series] = {}

    def text(self, column: str) -> pd.Series:
        """A text column with blanks for missing values (computed once: passes ask often)."""
        if column not in self._texts:
            self._texts[column] = self.frame[column].fillna("").astype(str)
        return self._texts[column]

    @property
    def names(self) -> np.ndarray:
        """Counterparty, else description: what name similarity compares."""
        if self._names is None:
            cp, desc = self.text("counterparty"), self.text("description")
            self._names = cp.where(cp != "", desc).to_numpy(dtype=object)
        return self._names

    def open(self) -> np.ndarray:
        return np.flatnonzero(~self.used & ~self.excluded)


def _name_key(values: pd.Series) -> pd.Series:
    """First significant word of a name, upper case without legal suffixes: a blocking key."""
    cleaned = values.str.upper().str.replace(r"[^\w]+", " ", regex=True).str.replace(_LEGAL, " ", regex=True)
    return pd.Series([w[0] if w and len(w[0]) >= 3 else "" for w in cleaned.str.split().tolist()],
                     index=values.index, dtype=object)


def _shared_codes(a: pd.Series, b: pd.Series, empty_is_missing: bool = True) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(pd.concat([a, b], ignore_index=True))
    codes = codes.astype(np.int64)
    if empty_is_missing:
        blank = np.flatnonzero(uniques == "")
        if len(blank):
            codes[codes == blank[0]] = -1
    return codes[: len(a)], codes[len(a):]


def band_pairs(bkey: np.ndarray, bday: np.ndarray, lkey: np.ndarray, lday: np.ndarray,
               lo: int, hi: int, cap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All (i, j) with ``bkey[i] == lkey[j] >= 0`` and ``lo <= bday[i] - lday[j] <= hi``.

    Sorted range join: one searchsorted per side, then a vectorized explode. Lines with more
    than ``cap`` candidates are left out (returned in ``overflow``), which bounds the work.
    """
    if not len(bkey) or not len(lkey):
        return np.empty(0, np.int64), np.empty(0, np.int64), np.zeros(len(bkey), bool)
    order = np.lexsort((lday, lkey))
    composite = (lkey[order] << DAY_BITS) + lday[order]
    base = bkey << DAY_BITS
    start = np.searchsorted(composite, base + (bday - hi), "left")
    end = np.searchsorted(composite, base + (bday - lo), "right")
    counts = end - start
    counts[bkey < 0] = 0
    overflow = counts > cap
    counts[overflow] = 0
    total = int(counts.sum())
    bi = np.repeat(np.arange(len(bkey)), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    li = order[np.repeat(start, counts) + offsets]
    return bi, li, overflow


def _lag_cost(lag: np.ndarray) -> np.ndarray:
    """Integer date cost: bank after booking is normal, bank before booking costs more."""
    return np.where(lag >= 0, lag * 2, -lag * 2 + 1).astype(np.int64)


def resolve(bi: np.ndarray, li: np.ndarray, cost: np.ndarray, bclass: np.ndarray | None = None,
            lclass: np.ndarray | None = None, bids: np.ndarray | None = None, lids: np.ndarray | None = None,
            rounds: int = 50):
    """Accept pairs that are each side's unique best, repeatedly.

    ``bclass``/``lclass`` (per line, optional) put interchangeable lines in one class: lines of
    a class are alike in everything the cost and the candidate search look at (amount, date,
    name or text), so which member pairs with which is financially the same. A class pair that
    is both classes' unique best is accepted whole: ``min(k_bank, k_ledger)`` pairs, members
    paired in id order (``bids``/``lids``) so the result does not depend on row order.

    Returns (accepted, tied, alike) as positions into the input arrays / sizes: ties are pairs
    that were best for a line but shared that best with another, not interchangeable,
    candidate; ``alike[k]`` is the larger class size of accepted pair k (1: a plain unique best).
    """
    bc_all = bi if bclass is None else bclass[bi]
    lc_all = li if lclass is None else lclass[li]
    alive = np.ones(len(bi), bool)
    accepted, alike = [], []
    tied = np.empty(0, np.int64)
    for _ in range(rounds):
        idx = np.flatnonzero(alive)
        if not len(idx):
            break
        b, l, c, cb, cl = bi[idx], li[idx], cost[idx], bc_all[idx], lc_all[idx]
        frame = pd.DataFrame({"cb": cb, "cl": cl, "c": c})
        bbest = c == frame.groupby("cb", sort=False)["c"].transform("min").to_numpy()
        lbest = c == frame.groupby("cl", sort=False)["c"].transform("min").to_numpy()
        # how many different classes on the other side share a line's best cost
        bties, lties = np.zeros(len(idx), np.int64), np.zeros(len(idx), np.int64)
        bties[bbest] = _partners(cb[bbest], cl[bbest])
        lties[lbest] = _partners(cl[lbest], cb[lbest])
        ok = bbest & lbest & (bties == 1) & (lties == 1)
        tied = idx[(bbest & (bties > 1)) | (lbest & (lties > 1))]
        if not ok.any():
            break
        o = np.flatnonzero(ok)
        taken, sizes = _pair_members(b[o], l[o], cb[o], bids, lids)
        accepted.append(idx[o][taken])
        alike.append(sizes)
        alive[idx[np.isin(b, b[o][taken]) | np.isin(l, l[o][taken])]] = False
    acc = np.concatenate(accepted) if accepted else np.empty(0, np.int64)
    return acc, tied, (np.concatenate(alike) if alike else np.empty(0, np.int64))


def _partners(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each position, how many distinct ``b`` values its ``a`` value occurs with
    (both non-negative integers: line positions or classes; hashed, not sorted)."""
    if not len(a):
        return np.empty(0, np.int64)
    width = np.int64(b.max()) + 1
    distinct = pd.unique(a.astype(np.int64) * width + b)
    return np.bincount(distinct // width, minlength=int(a.max()) + 1)[a]


def _pair_members(b: np.ndarray, l: np.ndarray, group: np.ndarray, bids, lids) -> tuple[np.ndarray, np.ndarray]:
    """Within each accepted class pair (``group``), pair the k-th bank member with the k-th
    ledger member in id order. Returns (positions taken, larger class size per position)."""
    nb, nl = _partners(group, b), _partners(group, l)
    plain = (nb == 1) & (nl == 1)
    if plain.all():  # (no class has several members here: nothing to pair up)
        return np.arange(len(b)), np.ones(len(b), np.int64)
    frame = pd.DataFrame({"g": group, "b": b, "l": l, "p": np.arange(len(b))})
    taken = [np.flatnonzero(plain)]
    sizes = [np.ones(int(plain.sum()), np.int64)]
    multi = frame[~plain]
    if len(multi):
        def ranked(column: str, ids) -> pd.DataFrame:
            part = multi[["g", column]].drop_duplicates(column)
            part = part.assign(key=ids[part[column].to_numpy()] if ids is not None else part[column].to_numpy())
            part = part.sort_values(["g", "key"], kind="stable")
            return part.assign(k=part.groupby("g").cumcount())[["g", column, "k"]]

        pairs = ranked("b", bids).merge(ranked("l", lids), on=["g", "k"]).merge(multi, on=["g", "b", "l"])
        taken.append(pairs["p"].to_numpy(np.int64))
        size = np.maximum(nb, nl)[pairs["p"].to_numpy(np.int64)]
        sizes.append(size)
    return np.concatenate(taken), np.concatenate(sizes)


def _similarity(left: np.ndarray, right: np.ndarray, threshold: int = 85) -> np.ndarray:
    """Name similarity 0..100 of each pair; a quick token comparison first, the careful one
    (legal forms, Chinese names, names inside text: ``reconcile.names``) only where it falls
    short. Pairs are scored independently, so many are split over two processes."""
    if not len(left):
        return np.empty(0, np.int64)
    if len(left) < PARALLEL_ROWS:
        return _similarity_of(left, right, threshold, workers=2)
    # one rapidfuzz thread per process: the two halves already use both cores
    return np.concatenate(_in_two(lambda lo, hi: _similarity_of(left[lo:hi], right[lo:hi], threshold, workers=1),
                                  len(left)))


def _similarity_of(left: np.ndarray, right: np.ndarray, threshold: int, workers: int) -> np.ndarray:
    from rapidfuzz import fuzz, utils
    from rapidfuzz.process import cpdist

    if not len(left):
        return np.empty(0, np.int64)
    score = cpdist(list(left), list(right), scorer=fuzz.token_set_ratio, processor=utils.default_process,
                   workers=workers, dtype=np.int32).astype(np.int64)
    low = np.flatnonzero(score < threshold)
    if len(low):
        # only pairs where part of one name occurs in the other can gain from the careful look
        partial = cpdist([left[i] for i in low], [right[i] for i in low], scorer=fuzz.partial_ratio,
                         processor=utils.default_process, workers=workers, dtype=np.int32)
        low = low[partial >= PARTIAL_GATE]
    if len(low):
        score[low] = np.maximum(score[low], name_scores(_normalized(left[low]), _normalized(right[low]), threshold=threshold))
    high = np.flatnonzero(score >= threshold)
    if len(high):  # (name_scores did this for the rest)
        score[high[numbers_disagree(left[high], right[high])]] -= NUMBER_PENALTY
    return score


def _normalized(values: np.ndarray) -> list[str]:
    """``names.normalize`` once per distinct string (in two processes for many)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object).fillna(""))
    if not len(uniques):
        return [""] * len(values)
    done = _in_two(lambda lo, hi: normalize(uniques[lo:hi]), len(uniques))
    return np.asarray([name for half in done for name in half], dtype=object)[codes].tolist()


def _counts(index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(unique values, how often each element's value occurs) for a non-negative int index array."""
    if not len(index):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    counts = np.bincount(index)
    return np.flatnonzero(counts), counts[index]


def _worded(columns: dict[str, np.ndarray], word) -> np.ndarray:
    """``word(*values)`` of each row, formatted once per distinct combination of the (integer)
    columns: explanations repeat a few wordings over many rows."""
    first = next(iter(columns.values()))
    if not len(first):
        return np.empty(0, dtype=object)
    frame = pd.DataFrame(columns)
    codes = frame.groupby(list(columns), sort=False).ngroup().to_numpy()
    rows = np.unique(codes, return_index=True)[1]
    texts = [word(*values) for values in zip(*(frame[c].to_numpy()[rows].tolist() for c in columns))]
    return np.asarray(texts, dtype=object)[codes]


def _candidates_note(candidates: int, alike: int) -> str:
    if alike > 1:
        return (f"{alike} bank and {alike} ledger lines alike in amount, date and counterparty or text: "
                "interchangeable, paired in id order")
    return "only candidate" if candidates == 1 else f"nearest of {candidates} candidates"


def _money(cents: int, currency: str = "") -> str:
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}{whole:,}.{frac:02d}" + (f" {currency}" if currency else "")


class _Engine:
    def __init__(self, bank: pd.DataFrame, ledger: pd.DataFrame, rules: Rules, decisions: Decisions | None):
        self.rules = rules
        self.decisions = decisions or Decisions()
        self.B = _Side(bank, "bank")
        self.L = _Side(ledger, "ledger")
        self.warnings: list[str] = []
        bank_cur, ledger_cur = self._fill_currencies(_upper(self.B.text("currency")), _upper(self.L.text("currency")))
        self.bcur, self.lcur = _shared_codes(bank_cur, ledger_cur, empty_is_missing=False)
        self.match_parts: list[dict] = []
        self.suggestion_parts: list[pd.DataFrame] = []
        self.duplicate_rows: list[dict] = []
        self.stats: dict[str, float] = {}
        self.next_group = 1
        self.rejected = np.empty(0, np.int64)
        self.ref_pairs: tuple[np.ndarray, np.ndarray] | None = None
        self._names_index: dict | None = None
        self._bank_own: np.ndarray | None = None
        # every string _similar has seen, numbered in order of first sight (a dict, not a
        # growing pd.Index: each appended Index rebuilt its hash table of all strings so far)
        self._string_number: dict[str, int] = {}
        self._strings: list[str] = []
        self._similar_known = (np.empty(0, np.int64), np.empty(0, np.int64))

    def _fill_currencies(self, bank: pd.Series, ledger: pd.Series) -> tuple[pd.Series, pd.Series]:
        """A side without currencies (a ledger export with no currency column) takes the
        other side's; blanks within a side take that side's usual currency."""
        def usual(values: pd.Series) -> str:
            known = values[values != ""]
            return known.mode().iat[0] if len(known) else ""

        filled = []
        for label, values, other in (("bank", bank, ledger), ("ledger", ledger, bank)):
            blank = values == ""
            if blank.any():
                fill = usual(values) or usual(other)
                if fill:
                    values = values.where(~blank, fill)
                    self.warnings.append(f"{int(blank.sum())} {label} line(s) without a currency taken as {fill}")
            filled.append(values)
        return filled[0], filled[1]

    def _similar(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """``_similarity`` of each pair, computed once per distinct pair of strings over the
        run: many lines share a payer, and the amount passes ask about the same names again."""
        if not len(left):
            return np.empty(0, np.int64)
        lcode, rcode = self._string_codes(left), self._string_codes(right)
        distinct, inverse = np.unique((lcode << 32) | rcode, return_inverse=True)
        known_keys, known_scores = self._similar_known
        at = np.minimum(np.searchsorted(known_keys, distinct), max(len(known_keys) - 1, 0))
        seen = (known_keys[at] == distinct) if len(known_keys) else np.zeros(len(distinct), bool)
        fresh = distinct[~seen]
        strings = np.asarray(self._strings, dtype=object)
        fresh_scores = _similarity(strings[fresh >> 32], strings[fresh & 0xFFFFFFFF])
        scores = np.empty(len(distinct), np.int64)
        scores[seen] = known_scores[at[seen]]
        scores[~seen] = fresh_scores
        merged = np.concatenate([known_keys, fresh])
        order = np.argsort(merged, kind="stable")
        self._similar_known = (merged[order], np.concatenate([known_scores, fresh_scores])[order])
        return scores[inverse]

    def _string_codes(self, values: np.ndarray) -> np.ndarray:
        """A number per string, the same over the run (hashed per distinct value)."""
        codes, uniques = pd.factorize(values)
        number, known = self._string_number, len(self._strings)
        # (a new string gets the next number: len() is taken before setdefault inserts it)
        at = np.fromiter((number.setdefault(u, len(number)) for u in uniques.tolist()), np.int64, len(uniques))
        self._strings.extend(uniques[at >= known].tolist())
        return at[codes]

    # ---- bookkeeping -------------------------------------------------------------------
    def _record(self, bi, li, rule: str, score, explanation, group=None) -> None:
        bi, li = np.asarray(bi, np.int64), np.asarray(li, np.int64)
        if not len(bi):
            return
        if group is None:
            group = np.arange(self.next_group, self.next_group + len(bi))
        group = np.asarray(group, np.int64)
        self.next_group = int(group.max()) + 1
        self.B.used[bi] = True
        self.L.used[li] = True
        self.match_parts.append({"b": bi, "l": li, "rule": rule, "score": np.broadcast_to(np.asarray(score, float), bi.shape),
                                 "group": group, "explanation": np.asarray(explanation, dtype=object)})

    def _suggest(self, bi, li, rule: str, score, reason) -> None:
        if len(bi):
            self.suggestion_parts.append(pd.DataFrame({"b": bi, "l": li, "rule": rule, "score": score, "reason": reason}))

    def _not_rejected(self, bi, li) -> np.ndarray:
        if not len(self.rejected):
            return np.ones(len(bi), bool)
        return ~np.isin(bi * max(self.L.n, 1) + li, self.rejected)

    def _keep_open(self, bi, li):
        keep = ~self.B.used[bi] & ~self.B.excluded[bi] & ~self.L.used[li] & ~self.L.excluded[li]
        keep &= self._not_rejected(bi, li)
        return bi[keep], li[keep]

    # ---- preparation -------------------------------------------------------------------
    def duplicates(self) -> None:
        for side in (self.B, self.L):
            # codes come in order of first appearance: a row is new when its code passes all before it
            codes = pd.factorize(side.ids)[0]
            new = np.r_[True, codes[1:] > np.maximum.accumulate(codes)[:-1]] if side.n else np.zeros(0, bool)
            dup = ~new
            if dup.any():
                first = np.flatnonzero(new)[codes]
                for i in np.flatnonzero(dup):
                    self.duplicate_rows.append({"side": side.label, "id": side.ids[i], "row": int(i),
                                                "duplicate_of_row": int(first[i]),
                                                "reason": "same id seen again (statement imported twice or overlapping periods)"})
                side.excluded |= dup
        # a ledger line booked twice: same reference, amount, date and counterparty
        ref = self.L.text("reference")
        rows = np.flatnonzero((ref != "").to_numpy() & ~self.L.excluded)
        # only lines whose amount and date repeat can be copies: integer keys before any text
        rows = rows[pd.DataFrame({"c": self.L.cents[rows], "d": self.L.day[rows]}).duplicated(keep=False).to_numpy()]
        content = pd.DataFrame({"r": pd.factorize(ref.to_numpy(dtype=object)[rows])[0], "c": self.L.cents[rows],
                                "d": self.L.day[rows],
                                "p": pd.factorize(self.L.text("counterparty").to_numpy(dtype=object)[rows])[0]},
                               index=rows)
        # integer keys first; only lines that do repeat are ordered by id (the copy is the line
        # with the later id, whatever the row order)
        content = content[content.duplicated(keep=False).to_numpy()]
        content = content.assign(i=self.L.ids[content.index.to_numpy()]).sort_values("i", kind="stable")
        twice = content.duplicated(["r", "c", "d", "p"]).reindex(range(self.L.n), fill_value=False)
        if twice.any():
            first_of = content.groupby(["r", "c", "d", "p"], sort=False).cumcount().reindex(range(self.L.n), fill_value=0)
            for i in np.flatnonzero(twice.to_numpy()):
                self.duplicate_rows.append({"side": "ledger", "id": self.L.ids[i], "row": int(i), "duplicate_of_row": -1,
                                            "reason": f"booked {int(first_of[i]) + 1} times: same reference, amount, date and counterparty"})
            self.L.excluded |= twice.to_numpy()

    def manual(self) -> None:
        if not self.decisions.rows:
            return
        bpos = pd.Series(np.arange(self.B.n), index=self.B.ids)
        lpos = pd.Series(np.arange(self.L.n), index=self.L.ids)
        bpos = bpos[~bpos.index.duplicated()]
        lpos = lpos[~lpos.index.duplicated()]
        rejected = []
        for d in self.decisions.rows:
            missing = [i for i in d.bank_ids if i not in bpos.index] + [i for i in d.ledger_ids if i not in lpos.index]
            if missing:
                self.warnings.append(f"decisions line {d.line}: id(s) {', '.join(missing)} not in this run; decision kept for later runs")
                continue
            bs = bpos[d.bank_ids].to_numpy()
            ls = lpos[d.ledger_ids].to_numpy()
            if d.action == "reject":
                if len(ls):
                    rejected.extend((b * max(self.L.n, 1) + l) for b in bs for l in ls)
                continue
            if d.action == "ignore":
                self.B.excluded[bs] = True
                self.L.excluded[ls] = True
                continue
            if self.B.used[bs].any() or self.L.used[ls].any():
                self.warnings.append(f"decisions line {d.line}: a line is already matched by an earlier decision; skipped")
                continue
            diff = int(self.B.cents[bs].sum() - self.L.cents[ls].sum())
            pairs = [(b, l) for b in bs for l in ls]  # one group: every line of it is used
            if not pairs:
                continue
            group = self.next_group
            note = f"; note: {d.note}" if d.note else ""
            expl = f"matched by hand (decisions line {d.line}){note}" + (f"; difference {_money(diff)}" if diff else "")
            self._record([p[0] for p in pairs], [p[1] for p in pairs], "manual", 1.0, [expl] * len(pairs),
                         group=[group] * len(pairs))
        self.rejected = np.unique(np.asarray(rejected, np.int64))

    # ---- pass 1: references --------------------------------------------------------------
    def reference_pairs(self):
        """Candidate (bank, ledger) pairs tied by a reference token, any amount.

        Tokens and ledger references are hashed to shared integer codes once, so the join
        is an integer merge; truncated references (prefix search on sorted keys) are only
        looked for among the tokens of the bank's reference field, where banks cut them.
        """
        if self.ref_pairs is not None:
            return self.ref_pairs
        minlen = self.rules.min_reference_length
        empty = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, object))
        lkeys = _strip_separators(_joined(self.L.text("reference").tolist()).upper()).replace(" ", "").split("\n")
        lengths = np.fromiter(map(len, lkeys), np.int64, len(lkeys))
        # a reference has a digit: the digits deleted from all of them joined, in one call
        shorter = "\n".join(lkeys).translate(_DELETE_DIGITS).split("\n")
        lpos = np.flatnonzero((lengths >= minlen) & (np.fromiter(map(len, shorter), np.int64, len(shorter)) < lengths))
        if not len(lpos):
            self.ref_pairs = empty
            return empty
        ledger_keys = np.asarray(lkeys, dtype=object)[lpos]
        lcode, uniques = pd.factorize(ledger_keys)
        known = pd.Index(uniques)
        refs, descriptions = self.B.text("reference").tolist(), self.B.text("description").tolist()
        probe_length = max(minlen, 8)

        def tokens_known(lo: int, hi: int):
            # separators go before tokenizing, so "INV-2026/0042" is one token "INV20260042";
            # one regex pass over all lines joined (a call per line costs more than the search).
            # The reference field apart from the text: its long unknown tokens may be references
            # the bank cut short (banks cut them there), looked for by prefix below.
            rb, rtokens = _row_tokens(_strip_separators(_joined(refs[lo:hi]).upper()), _TOKEN_WITH_DIGIT)
            db, dtokens = _row_tokens(_strip_separators(_joined(descriptions[lo:hi]).upper()), _TOKEN_WITH_DIGIT)
            rcode, dcode = known.get_indexer(rtokens), known.get_indexer(dtokens)
            probe = (rcode < 0) & (np.fromiter(map(len, rtokens), np.int64, len(rtokens)) >= probe_length)
            return (rb[rcode >= 0] + lo, rcode[rcode >= 0], db[dcode >= 0] + lo, dcode[dcode >= 0],
                    rb[probe] + lo, rtokens[probe])

        def prefix_index() -> tuple[np.ndarray, np.ndarray]:
            # truncated references are looked for by prefix on the sorted keys, as bytes (UTF-8
            # keeps code point order; probe tokens are ASCII)
            try:
                key_bytes = ledger_keys.astype("S")
            except UnicodeEncodeError:
                key_bytes = np.char.encode(ledger_keys.astype(str), "utf-8")
            order = np.argsort(key_bytes, kind="stable")
            return order, key_bytes[order]

        # the child sorts the keys besides its share of the rows (about a third)
        halves, (order, sorted_keys) = _split(tokens_known, len(refs), prefix_index, share=0.35)
        # the same order however the rows were split: reference fields, then texts, in row order
        found = pd.DataFrame({"b": np.concatenate([h[0] for h in halves] + [h[2] for h in halves]),
                              "code": np.concatenate([h[1] for h in halves] + [h[3] for h in halves])}
                             ).drop_duplicates(["b", "code"])
        exact = found.merge(pd.DataFrame({"code": lcode, "l": lpos}), on="code", how="inner")
        parts_b, parts_l = [exact["b"].to_numpy()], [exact["l"].to_numpy()]
        probe_b = np.concatenate([h[4] for h in halves])
        probe_k = np.concatenate([h[5] for h in halves]).astype(str)
        if len(probe_k):
            # truncated references: the bank kept only the start of the ledger reference. A
            # prefix shared by more than max_candidates references names no invoice: joined on
            # amount instead it paired wrong lines ("INV-2026-002" against the wrong invoice of
            # an equal amount in the 55-day window), so it is left to the amount and name passes
            pk = probe_k.astype("S")
            start = np.searchsorted(sorted_keys, pk, "left")
            stop = np.searchsorted(sorted_keys, np.char.add(pk, b"\xff"), "right")
            n = stop - start
            n[n > self.rules.max_candidates] = 0
            rows = np.repeat(np.arange(len(pk)), n)
            offs = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
            parts_b.append(probe_b[rows])
            parts_l.append(lpos[order[np.repeat(start, n) + offs]])
        width = np.int64(max(self.L.n, 1))
        pair_keys = pd.unique(np.concatenate(parts_b).astype(np.int64) * width + np.concatenate(parts_l))
        b, l = pair_keys // width, pair_keys % width
        lag = self.B.day[b] - self.L.day[l]
        w = self.rules.reference_window
        keep = (self.bcur[b] == self.lcur[l]) & (lag >= -w.before) & (lag <= w.after)
        b, l = b[keep], l[keep]
        # the explanation names the ledger's reference as the operator wrote it
        self.ref_pairs = (b, l, self.L.text("reference").to_numpy(dtype=object)[l])
        return self.ref_pairs

    def pass_reference(self) -> None:
        b_all, l_all, raw_all = self.reference_pairs()
        keep = ~self.B.used[b_all] & ~self.B.excluded[b_all] & ~self.L.used[l_all] & ~self.L.excluded[l_all]
        keep &= self._not_rejected(b_all, l_all)
        b, l, raw = b_all[keep], l_all[keep], raw_all[keep]
        equal = self.B.cents[b] == self.L.cents[l]
        lag = self.B.day[b] - self.L.day[l]
        eb, el, er, elag = b[equal], l[equal], raw[equal], lag[equal]
        acc, tied, _ = resolve(eb, el, _lag_cost(elag))
        tail = _worded({"d": elag[acc]}, lambda d: f" in bank text; amount equal; bank date {d:+d} days")
        expl = ["reference " + r + t for r, t in zip(er[acc].tolist(), tail.tolist())]
        self._record(eb[acc], el[acc], "reference", 1.0, expl)
        self._suggest(eb[tied], el[tied], "reference", 0.9, "same reference and amount on two lines: which one?")
        # one transfer naming several invoices (or several transfers paying one invoice)
        self._reference_groups(b, l, raw)

    def _reference_groups(self, b, l, raw) -> None:
        open_ = ~self.B.used[b] & ~self.L.used[l]
        b, l = b[open_], l[open_]
        if not len(b):
            return
        pairs = pd.DataFrame({"b": b, "l": l})
        for one, many, one_side, many_side in (("b", "l", self.B, self.L), ("l", "b", self.L, self.B)):
            pairs = pairs[~self.B.used[pairs["b"].to_numpy()] & ~self.L.used[pairs["l"].to_numpy()]]
            # each "many" line must belong to exactly one "one" line
            owners = pairs.groupby(many)[one].transform("nunique")
            sized = pairs[owners == 1]
            count = sized.groupby(one)[many].transform("nunique")
            sized = sized[count >= 2]
            if not len(sized):
                continue
            sums = pd.Series(many_side.cents[sized[many].to_numpy()]).groupby(sized[one].to_numpy()).sum()
            targets = pd.Series(one_side.cents[sums.index.to_numpy()], index=sums.index)
            good = sums.index[(sums == targets).to_numpy()]
            chosen = sized[sized[one].isin(good)]
            if not len(chosen):
                continue
            groups = pd.factorize(chosen[one])[0] + self.next_group
            n = chosen.groupby(one)[many].transform("size").to_numpy()
            word = "invoices" if one == "b" else "bank lines"
            expl = [f"one payment for {k} {word} named by reference; amounts sum exactly" for k in n]
            self._record(chosen["b"].to_numpy(), chosen["l"].to_numpy(), "reference", 0.98, expl, group=groups)

    # ---- pass 2 and 3: equal amounts -------------------------------------------------------
    def _amount_candidates(self, window):
        bo, lo_ = self.B.open(), self.L.open()
        bkey, lkey = _shared_codes(pd.Series((self.bcur[bo] << 44) + self.B.cents[bo]),
                                   pd.Series((self.lcur[lo_] << 44) + self.L.cents[lo_]), empty_is_missing=False)
        bi, li, overflow = band_pairs(bkey, self.B.day[bo], lkey, self.L.day[lo_], -window.before, window.after,
                                      self.rules.max_candidates)
        self.stats["overflow_lines"] = self.stats.get("overflow_lines", 0) + int(overflow.sum())
        b, l = bo[bi], lo_[li]
        keep = self._not_rejected(b, l)
        return b[keep], l[keep]

    def pass_amount_date(self) -> None:
        b, l = self._amount_candidates(self.rules.date_window)
        # names decide between competing equal amounts: a pair stays when the names agree,
        # or when it is the only candidate of both lines and the names (if known) do not clash
        bcp, lcp = self.B.text("counterparty").to_numpy(dtype=object), self.L.text("counterparty").to_numpy(dtype=object)
        both = (bcp[b] != "") & (lcp[l] != "")
        sim = np.full(len(b), -1, np.int64)
        if both.any():
            sim[both] = self._similar(bcp[b[both]], lcp[l[both]])
        keep = ~(both & (sim < self.rules.name_veto)) & ~self._bank_charge_clash(b, l)
        b, l, sim = b[keep], l[keep], sim[keep]
        bclass, lclass = self._classes(b, l)
        # alone: the only candidate of each other, counting interchangeable lines as one
        cb, cl = bclass[b], lclass[l]
        alone = (_partners(cb, cl) == 1) & (_partners(cl, cb) == 1)
        agree = sim >= self.rules.name_threshold
        # without a counterparty on one side, the description may still name the party
        # ("SEPA DD STREAMLY 4711" ~ "Streamly"): it can settle a contest, never veto
        unsettled = np.flatnonzero(~alone & ~agree & (sim < 0))
        if len(unsettled):
            described = self._similar(self.B.names[b[unsettled]], self.L.names[l[unsettled]])
            agree[unsettled] = described >= self.rules.name_threshold
        contested = ~(alone | agree)
        self._pending_ties = (b[contested], l[contested])
        b, l, sim = b[~contested], l[~contested], sim[~contested]
        lag = self.B.day[b] - self.L.day[l]
        acc, tied, alike = resolve(b, l, _lag_cost(lag), bclass, lclass, self.B.ids, self.L.ids)
        n = pd.Series(bclass[b]).groupby(bclass[b]).transform("size").to_numpy()[acc]
        expl = _worded({"d": lag[acc], "k": n, "s": sim[acc], "a": alike},
                       lambda d, k, s, a: f"amount equal; bank date {d:+d} days; " + _candidates_note(k, a)
                       + (f"; names agree ({s})" if s >= 0 else ""))
        score = np.clip(0.95 - 0.01 * np.abs(lag[acc]), 0.5, 0.95)
        self._record(b[acc], l[acc], "amount_date", score, expl)
        self._pending_ties = (np.concatenate([self._pending_ties[0], b[tied]]),
                              np.concatenate([self._pending_ties[1], l[tied]]))

    def _bank_charge_clash(self, b: np.ndarray, l: np.ndarray) -> np.ndarray:
        """Per pair: the bank line is the bank's own (a charge, interest, cash: ``rules.bank_charges``
        in its text, no counterparty) and the ledger line is not booked as one, and the bank
        text does not name the ledger line's counterparty. An equal amount alone says nothing
        then: "Interest -18.54" is not the supplier invoice of -18.54 that happens to be open."""
        clash = np.zeros(len(b), bool)
        if not len(b) or not self.rules.bank_charges:
            return clash
        own = re.compile("|".join(f"(?:{p})" for p in self.rules.bank_charges), re.IGNORECASE)

        # texts that differ only in their numbers ("Remittance 83671") are asked once, unless a
        # pattern could see digits
        blind_to_digits = not any(_SEES_DIGITS.search(p) for p in self.rules.bank_charges)

        def says_own(values: np.ndarray) -> np.ndarray:
            if blind_to_digits and len(values):
                values = pd.Series(values, dtype=object).str.replace(_DIGITS, "0", regex=True).to_numpy(dtype=object)
            codes, uniques = pd.factorize(values)
            return np.asarray([bool(own.search(str(u))) for u in uniques], bool)[codes] if len(uniques) else np.zeros(0, bool)

        nameless = np.flatnonzero(self.B.text("counterparty").to_numpy(dtype=object)[b] == "")
        if not len(nameless):
            return clash
        # per bank line, asked once a run (the amount passes ask about the same lines)
        if self._bank_own is None:
            self._bank_own = np.full(self.B.n, -1, np.int8)
        fresh = np.unique(b[nameless][self._bank_own[b[nameless]] < 0])
        self._bank_own[fresh] = says_own(self.B.text("description").to_numpy(dtype=object)[fresh])
        charge = nameless[self._bank_own[b[nameless]] == 1]
        if not len(charge):
            return clash
        rows = l[charge]
        booked = (self.L.text("description").to_numpy(dtype=object)[rows] + " "
                  + self.L.text("counterparty").to_numpy(dtype=object)[rows])
        charge = charge[~says_own(booked)]
        if len(charge):
            named = self._similar(self.B.names[b[charge]], self.L.names[l[charge]]) >= self.rules.name_threshold
            clash[charge[~named]] = True
        return clash

    def _classes(self, b: np.ndarray, l: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Class of every line (full-length arrays): lines alike in currency, amount, date and
        counterparty (or, without one, the same text) share a class; every other line is its
        own. Only lines with several candidates are looked at: the rest cannot tie."""
        classes = []
        crowded = (_counts(b)[1] > 1) | (_counts(l)[1] > 1)
        for side, rows, cur in ((self.B, b, self.bcur), (self.L, l, self.lcur)):
            cls = np.arange(side.n, dtype=np.int64)
            rows = np.unique(rows[crowded])
            if len(rows):
                # readers collapse whitespace already (lines.make_frame); case is not identity
                cp = _upper(side.text("counterparty").iloc[rows]).to_numpy(dtype=object)
                text = _upper(side.text("description").iloc[rows]).to_numpy(dtype=object)
                who = np.where(cp != "", "name:" + cp, "text:" + text)
                key = pd.DataFrame({"c": cur[rows], "a": side.cents[rows], "d": side.day[rows], "w": who})
                cls[rows] = side.n + key.groupby(["c", "a", "d", "w"], sort=False).ngroup().to_numpy()
            classes.append(cls)
        return classes[0], classes[1]

    def pass_amount_date_name(self) -> None:
        b_all, l_all = self._amount_candidates(self.rules.wide_window)
        if not len(b_all):
            self._flush_ties()
            return
        b, l = b_all, l_all
        sim = self._similar(self.B.names[b], self.L.names[l])
        good = sim >= self.rules.name_threshold
        b, l, sim = b[good], l[good], sim[good]
        lag = self.B.day[b] - self.L.day[l]
        bclass, lclass = self._classes(b, l)
        acc, tied, alike = resolve(b, l, (100 - sim) * 1000 + _lag_cost(lag), bclass, lclass, self.B.ids, self.L.ids)
        expl = [f"amount equal; names {_short(x)!r} ~ {_short(y)!r} score {s}; bank date {d:+d} days"
                + ("; " + _candidates_note(a, a) if a > 1 else "")
                for x, y, s, d, a in zip(self.B.names[b[acc]], self.L.names[l[acc]], sim[acc], lag[acc], alike)]
        self._record(b[acc], l[acc], "amount_date_name", sim[acc] / 100 * 0.95, expl)
        self._suggest(b[tied], l[tied], "amount_date_name", sim[tied] / 100 * 0.9,
                      "equal amount and equally similar names on two lines")
        self._alone_in_wide_window(b_all, l_all)
        self._flush_ties()

    def _alone_in_wide_window(self, b: np.ndarray, l: np.ndarray) -> None:
        """An equal amount that is the only candidate of both lines in the whole wide window
        (a transfer that took a week) is matched unless both names are known and clash; any
        second candidate on either side leaves it open."""
        open_ = ~self.B.used[b] & ~self.L.used[l]
        b, l = b[open_], l[open_]
        alone = (_partners(b, l) == 1) & (_partners(l, b) == 1)
        b, l = b[alone], l[alone]
        bcp, lcp = self.B.text("counterparty").to_numpy(dtype=object), self.L.text("counterparty").to_numpy(dtype=object)
        both = (bcp[b] != "") & (lcp[l] != "")
        clash = np.zeros(len(b), bool)
        if both.any():
            clash[both] = self._similar(bcp[b[both]], lcp[l[both]]) < self.rules.name_veto
        clash |= self._bank_charge_clash(b, l)
        b, l = b[~clash], l[~clash]
        lag = self.B.day[b] - self.L.day[l]
        w = self.rules.wide_window
        expl = [f"amount equal; bank date {d:+d} days; the only equal amount for both lines from {-w.before:+d} "
                f"to {w.after:+d} days" for d in lag]
        self._record(b, l, "amount_date", np.clip(0.85 - 0.01 * np.abs(lag), 0.5, 0.85), expl)

    def _flush_ties(self) -> None:
        ties = getattr(self, "_pending_ties", None)
        if ties is not None and len(ties[0]):
            self._suggest(ties[0], ties[1], "amount_date", 0.8,
                          "equal amount in the date window, several candidates; neither date nor name settles it")
        self._pending_ties = None

    # ---- pass 4: one-to-many / many-to-one ------------------------------------------------
    def _name_index(self) -> dict:
        """Normalized names and their blocking keys (``names.name_keys``) of the lines open
        when first asked; later passes only ever have fewer open lines, so this is done once.

        A key carried by more than ``max(50, 2 %)`` of the ledger's distinct names ("TRADING",
        "上海") says little about who it is and would flood the join: it is not used. Keys are
        combined with the currency so a name never spans currencies.
        """
        if self._names_index is not None:
            return self._names_index
        bo, lo_ = self.B.open(), self.L.open()
        btext = np.full(self.B.n, "", dtype=object)
        ltext = np.full(self.L.n, "", dtype=object)
        btext[bo] = _normalized(self.B.names[bo])
        ltext[lo_] = _normalized(self.L.text("counterparty").to_numpy(dtype=object)[lo_])
        lrow, lkey = name_keys(ltext[lo_].tolist())
        brow, bkey = name_keys(btext[bo].tolist(), vocabulary(lkey))
        brow, lrow = bo[brow], lo_[lrow]
        codes, uniques = pd.factorize(np.concatenate([lkey, bkey]))
        lcode, bcode = codes[: len(lkey)], codes[len(lkey):]
        names_with = pd.DataFrame({"k": lcode, "n": pd.factorize(ltext[lrow])[0]}).drop_duplicates()
        carried = np.bincount(names_with["k"].to_numpy(), minlength=len(uniques))
        limit = max(50, int(0.02 * names_with["n"].nunique()))
        kb, kl = carried[bcode] <= limit, carried[lcode] <= limit
        bank_code, bank_names = pd.factorize(btext)
        ledger_code, ledger_uniques = pd.factorize(ltext)
        self._names_index = {
            "bank_text": btext, "ledger_text": ltext,
            "bank_code": bank_code.astype(np.int64), "bank_names": np.asarray(bank_names, dtype=object),
            "ledger_code": ledger_code.astype(np.int64), "ledger_uniques": np.asarray(ledger_uniques, dtype=object),
            "ledger_names": np.int64(max(len(ledger_uniques), 1)),
            "scored": (np.empty(0, np.int64), np.empty(0, np.int64)),
            "bank_rows": brow[kb], "bank_keys": (bcode[kb].astype(np.int64) << 8) + self.bcur[brow[kb]],
            "ledger_rows": lrow[kl], "ledger_keys": (lcode[kl].astype(np.int64) << 8) + self.lcur[lrow[kl]]}
        return self._names_index

    def _pair_scores(self, index: dict, b: np.ndarray, l: np.ndarray) -> np.ndarray:
        """Name score of each (bank, ledger) pair, computed once per distinct pair of names
        over the whole run (the group and tolerance passes ask about the same payers)."""
        key = index["bank_code"][b] * np.int64(index["ledger_names"]) + index["ledger_code"][l]
        distinct, inverse = np.unique(key, return_inverse=True)
        known_keys, known_scores = index["scored"]
        at = np.searchsorted(known_keys, distinct)
        seen = (at < len(known_keys)) & (known_keys[np.minimum(at, max(len(known_keys) - 1, 0))] == distinct) \
            if len(known_keys) else np.zeros(len(distinct), bool)
        fresh = distinct[~seen]
        texts = index["bank_names"][fresh // index["ledger_names"]]
        names = index["ledger_uniques"][fresh % index["ledger_names"]]
        fresh_scores = name_scores(texts.tolist(), names.tolist(), threshold=self.rules.name_threshold)
        # the very same name (once legal forms and case are gone) beats any merely similar one:
        # "SUEDPRINT SOLUTIONS 6" is Suedprint Solutions 6 SA, not Suedprint Solutions 60 Ltd
        fresh_scores = np.where((texts == names) & (texts != ""), 100 + NAME_MARGIN, fresh_scores)
        scores = np.empty(len(distinct), np.int64)
        scores[seen] = known_scores[at[seen]]
        scores[~seen] = fresh_scores
        merged = np.concatenate([known_keys, fresh])
        order = np.argsort(merged, kind="stable")
        index["scored"] = (merged[order], np.concatenate([known_scores, fresh_scores])[order])
        return scores[inverse]

    def _name_pairs(self, window_lo: int, window_hi: int, cap: int):
        """Open (bank, ledger) pairs of one currency within a date window whose names agree.

        The bank side's name is its counterparty or, without one, its text ("BATCH PAYMENT
        上海华联贸易"); the ledger side's is its counterparty. Candidates come from a join on
        blocking keys (``names.name_keys``) and the date window; each is scored with
        ``names.name_scores``. A bank line whose name fits several ledger names about equally
        well (``NORDWIND TRADI`` for ``Nordwind Trading 12`` and ``… 13``) pairs with the lines
        of each of them (up to ``NAME_CONTENDERS`` names): the caller lets the amounts decide
        and never mixes two payers in one match.
        """
        empty = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64))
        index = self._name_index()
        btext, ltext = index["bank_text"], index["ledger_text"]
        kb = ~self.B.used[index["bank_rows"]] & ~self.B.excluded[index["bank_rows"]]
        kl = ~self.L.used[index["ledger_rows"]] & ~self.L.excluded[index["ledger_rows"]]
        brows, lrows = index["bank_rows"][kb], index["ledger_rows"][kl]
        if not len(brows) or not len(lrows):
            return empty
        bkeyed, lkeyed = index["bank_keys"][kb], index["ledger_keys"][kl]
        bi, li, _ = band_pairs(bkeyed, self.B.day[brows], lkeyed, self.L.day[lrows], window_lo, window_hi, cap)
        # distinct pairs in order of first appearance, hashed as one integer key (a two-column
        # drop_duplicates cost more than the join itself)
        width = np.int64(max(self.L.n, 1))
        pair_keys = pd.unique(brows[bi].astype(np.int64) * width + lrows[li])
        b, l = pair_keys // width, pair_keys % width
        keep = self._not_rejected(b, l)
        b, l = b[keep], l[keep]
        sim = self._pair_scores(index, b, l)
        good = sim >= self.rules.name_threshold
        b, l, sim, names = b[good], l[good], sim[good], ltext[l][good]
        # the payer's candidates: the best name and every name within NAME_MARGIN of it (a cut
        # or misspelt name can fit several customers about equally well); the amounts decide
        # among them later. More than NAME_CONTENDERS such names: the text says too little.
        frame = pd.DataFrame({"b": b, "n": index["ledger_code"][l], "s": sim})
        best = frame.groupby(["b", "n"], sort=False)["s"].max().reset_index()
        top = best.groupby("b", sort=False)["s"].transform("max").to_numpy()
        best = best[best["s"].to_numpy() > top - NAME_MARGIN]
        best = best[best.groupby("b", sort=False)["n"].transform("size").to_numpy() <= NAME_CONTENDERS]
        keyed = b * np.int64(index["ledger_names"]) + frame["n"].to_numpy()
        ok = np.isin(keyed, best["b"].to_numpy() * np.int64(index["ledger_names"]) + best["n"].to_numpy())
        return b[ok], l[ok], sim[ok]

    def pass_group(self) -> None:
        """One bank line = several ledger lines of one payer (or the reverse: settlement
        batches); see ``_group_search``. Repeated while it finds something, so a line two
        transfers both wanted is decided once one of them has found its own."""
        g, w, before = self.rules.group, self.rules.wide_window, self.rules.date_window.before
        for one in ("b", "l"):
            # combined payment: invoices up to ``group.after`` days before the transfer;
            # settlement batch: bank lines within the wide window of the ledger line
            lo, hi = (-before, g.after) if one == "b" else (-w.before, w.after)
            for _ in range(3):
                if not self._group_round(one, lo, hi):
                    break  # nothing new, or nothing withheld for a clash: another round finds nothing

    def _group_round(self, one: str, lo: int, hi: int) -> bool:
        g = self.rules.group
        b, l, _ = self._name_pairs(lo, hi, max(g.max_candidates * 4, 64))
        one_side, many_side = (self.B, self.L) if one == "b" else (self.L, self.B)
        many = "l" if one == "b" else "b"
        # a transfer whose payer name fits several customers is searched once per customer
        # (``search``): one payment never mixes two payers' invoices
        payer = self._name_index()["ledger_code"][l]
        frame = pd.DataFrame({"b": b, "l": l, "search": b * np.int64(payer.max() + 1 if len(payer) else 1) + payer
                              if one == "b" else l})
        owner, member = frame[one].to_numpy(), frame[many].to_numpy()
        oc, mc = one_side.cents[owner], many_side.cents[member]
        # every part has the owner's sign and is smaller than the whole
        frame = frame[(np.sign(oc) == np.sign(mc)) & (np.abs(mc) < np.abs(oc))]
        cost = _lag_cost(self.B.day[frame["b"].to_numpy()] - self.L.day[frame["l"].to_numpy()])
        id_order = pd.factorize(many_side.ids[frame[many].to_numpy()], sort=True)[0]
        # nearest first; equal distance by id, so the row order never decides
        search = frame["search"].to_numpy()
        order = np.lexsort((id_order, cost, search))
        frame, search = frame.iloc[order], search[order]
        # the first max_candidates of each search, and only searches with two or more
        starts = np.flatnonzero(np.r_[True, search[1:] != search[:-1]]) if len(search) else np.zeros(0, np.int64)
        sizes = np.diff(np.r_[starts, len(search)])
        rank = np.arange(len(search)) - np.repeat(starts, sizes)
        kept = np.repeat(np.minimum(sizes, g.max_candidates), sizes)
        frame = frame[(rank < g.max_candidates) & (kept >= 2)]
        if not len(frame):
            return False
        members = frame[many].to_numpy()
        alike = pd.DataFrame({"a": many_side.cents[members], "d": many_side.day[members],
                              "w": many_side.names[members]}).groupby(["a", "d", "w"], sort=False).ngroup().to_numpy()
        owners, solutions = _group_search(frame["search"].to_numpy(), frame[one].to_numpy(), members, alike,
                                          one_side.cents, many_side.cents, g.max_items)
        if not len(owners):
            return False
        solution = [found[0] for found in solutions]
        ambiguous = np.array([len(found) > 1 for found in solutions], bool)
        # a line two owners both need is given to neither (this round)
        taken = np.concatenate(solution)
        owner_of = np.repeat(np.arange(len(solution)), [len(x) for x in solution])
        clash = np.zeros(len(solution), bool)
        clash[np.unique(owner_of[_counts(taken)[1] > 1])] = True
        for i in np.flatnonzero(ambiguous):
            for found in solutions[i]:
                bs = found if one == "l" else np.full(len(found), owners[i])
                ls = found if one == "b" else np.full(len(found), owners[i])
                self._suggest(bs, ls, "group", 0.6, f"{len(solutions[i])} different combinations of lines sum to this amount")
        good = np.flatnonzero(~clash & ~ambiguous)
        if not len(good):
            return False
        again = bool(clash.any())
        sizes = np.array([len(solution[i]) for i in good])
        chosen = np.concatenate([solution[i] for i in good])
        own = np.repeat(owners[good], sizes)
        groups = np.repeat(np.arange(len(good)) + self.next_group, sizes)
        lags = self.B.day[own if one == "b" else chosen] - self.L.day[chosen if one == "b" else own]
        span = pd.Series(lags).groupby(groups).agg(["min", "max"]).reindex(groups)
        what = "ledger lines paid by one bank line" if one == "b" else "bank lines settle one ledger line"
        bs, ls = (own, chosen) if one == "b" else (chosen, own)
        payer = self.B.names[bs]
        booked = self.L.text("counterparty").to_numpy(dtype=object)[ls]
        expl = [f"{k} {what}; amounts sum exactly; payer {_short(p)!r} ~ {_short(c)!r}; bank date {lo_:+d} to {hi_:+d} days; "
                "the only combination that does"
                for k, lo_, hi_, p, c in zip(np.repeat(sizes, sizes), span["min"], span["max"], payer, booked)]
        self._record(bs, ls, "group", 0.9, expl, group=groups)
        return again

    # ---- pass 5: tolerance ---------------------------------------------------------------
    def pass_tolerance(self) -> None:
        """Amounts that differ by a fee or an FX difference, tied by a reference or a name.

        Either allows ``max(absolute, percent × ledger amount)``. A name is weaker evidence
        than a reference: the pair must also be the only one of both lines within three
        times that band."""
        w = self.rules.wide_window
        b1, l1, _ = self.reference_pairs()
        b1, l1 = self._keep_open(b1, l1)
        b2, l2, _ = self._name_pairs(-w.before, w.after, self.rules.max_candidates)
        b = np.concatenate([b1, b2])
        l = np.concatenate([l1, l2])
        evidence = np.concatenate([np.zeros(len(b1), np.int64), np.ones(len(b2), np.int64)])
        if not len(b):
            return
        frame = pd.DataFrame({"b": b, "l": l, "e": evidence}).sort_values("e").drop_duplicates(["b", "l"])
        b, l, evidence = frame["b"].to_numpy(), frame["l"].to_numpy(), frame["e"].to_numpy()
        bc, lc = self.B.cents[b], self.L.cents[l]
        diff = bc - lc
        tol = self.rules.tolerance
        allowed = np.maximum(int(tol.absolute * 100), (np.abs(lc) * float(tol.percent) / 100).astype(np.int64))
        near = (np.abs(diff) <= 3 * allowed) & (np.sign(bc) == np.sign(lc))
        b, l, diff, evidence, allowed = b[near], l[near], diff[near], evidence[near], allowed[near]
        named = evidence == 1
        lone = np.ones(len(b), bool)
        if named.any():
            lone[named] = (_counts(b[named])[1] == 1) & (_counts(l[named])[1] == 1)
        ok = (np.abs(diff) <= allowed) & (diff != 0)
        b, l, diff, evidence, allowed, lone = b[ok], l[ok], diff[ok], evidence[ok], allowed[ok], lone[ok]
        contested = (evidence == 1) & ~lone
        self._suggest(b[contested], l[contested], "tolerance", 0.4, "several lines of this counterparty within tolerance")
        b, l, diff, evidence, allowed = b[~contested], l[~contested], diff[~contested], evidence[~contested], allowed[~contested]
        lag = self.B.day[b] - self.L.day[l]
        acc, tied, _ = resolve(b, l, evidence * (1 << 40) + np.abs(diff) * 64 + _lag_cost(lag))
        why = np.where(evidence[acc] == 0, "reference", "counterparty name")
        expl = [f"amounts differ by {_money(d)} (within tolerance {_money(a)}); tied by {w_}; bank date {g:+d} days"
                for d, a, w_, g in zip(diff[acc], allowed[acc], why, lag[acc])]
        score = 0.8 * (1 - np.abs(diff[acc]) / np.maximum(allowed[acc], 1)) + 0.1
        self._record(b[acc], l[acc], "tolerance", score, expl)
        self._suggest(b[tied], l[tied], "tolerance", 0.5, "two candidates within tolerance")

    # ---- result ----------------------------------------------------------------------------
    def run(self) -> Result:
        started = time.perf_counter()
        self.duplicates()
        self.manual()
        passes = {"reference": self.pass_reference, "amount_date": self.pass_amount_date,
                  "amount_date_name": self.pass_amount_date_name, "group": self.pass_group,
                  "tolerance": self.pass_tolerance}
        self._pending_ties = None
        for name in self.rules.passes:
            t = time.perf_counter()
            passes[name]()
            if name != "amount_date":
                self._flush_ties()
            self.stats[f"seconds_{name}"] = round(time.perf_counter() - t, 3)
        self._flush_ties()
        overflow = int(self.stats.pop("overflow_lines", 0))
        if overflow:
            self.warnings.append(f"{overflow} time(s) a line had more than {self.rules.max_candidates} equal-amount "
                                 "candidates in its date window and was left for review (raise max_candidates to search them)")
        self.stats["seconds_total"] = round(time.perf_counter() - started, 3)
        return self._result()

    def _result(self) -> Result:
        B, L = self.B, self.L
        parts = self.match_parts
        b = np.concatenate([p["b"] for p in parts]) if parts else np.empty(0, np.int64)
        l = np.concatenate([p["l"] for p in parts]) if parts else np.empty(0, np.int64)
        group = np.concatenate([p["group"] for p in parts]) if parts else np.empty(0, np.int64)
        # by group, then bank and ledger line: groups come nearly in order and most have one
        # row, so an integer sort by group and a full sort only within groups of several rows
        order = np.argsort(group, kind="stable")
        run = group[order]
        several = np.flatnonzero(np.r_[run[1:] == run[:-1], False] | np.r_[False, run[1:] == run[:-1]])
        if len(several):
            inner = order[several]
            order[several] = inner[np.lexsort((l[inner], b[inner], group[inner]))]
        b, l, group = b[order], l[order], group[order]
        rule = np.repeat(np.asarray([p["rule"] for p in parts], dtype=object), [len(p["b"]) for p in parts])[order]
        score = (np.concatenate([p["score"] for p in parts]) if parts else np.empty(0, float))[order]
        explanation = (np.concatenate([p["explanation"] for p in parts]) if parts else np.empty(0, object))[order]
        # difference of the whole group on its first row (a group of 3 shows it once); rows
        # are sorted by group, then bank line: a bank line repeats only next to itself
        first = np.r_[True, group[1:] != group[:-1]] if len(group) else np.empty(0, bool)
        bank_once = np.r_[True, first[1:] | (b[1:] != b[:-1])] if len(group) else first
        ledger_once = ~pd.Series(group * np.int64(L.n + 1) + l).duplicated().to_numpy()
        starts = np.flatnonzero(first)
        diff_cents = np.zeros(len(group), np.int64)
        if len(starts):
            diff_cents[starts] = (np.add.reduceat(np.where(bank_once, B.cents[b], 0), starts)
                                  - np.add.reduceat(np.where(ledger_once, L.cents[l], 0), starts))
        # one label per group, repeated over its rows
        labels = np.asarray(["G%06d" % g for g in group[starts].tolist()], dtype=object)[np.cumsum(first) - 1]
        matches = pd.DataFrame({
            "bank_id": B.ids[b], "ledger_id": L.ids[l],
            "rule": rule, "score": np.round(score.astype(float), 3),
            "group": labels,
            "difference_cents": diff_cents, "explanation": explanation,
            "bank_row": b, "ledger_row": l})
        if self.suggestion_parts:
            s = pd.concat(self.suggestion_parts, ignore_index=True).drop_duplicates(["b", "l"])
            s = s[~B.used[s["b"].to_numpy()] & ~L.used[s["l"].to_numpy()]]
        else:
            s = pd.DataFrame({"b": np.empty(0, np.int64), "l": np.empty(0, np.int64), "rule": [], "score": [], "reason": []})
        suggestions = pd.DataFrame({"bank_id": B.ids[s["b"].to_numpy(np.int64)], "ledger_id": L.ids[s["l"].to_numpy(np.int64)],
                                    "rule": s["rule"].to_numpy(), "score": np.round(s["score"].astype(float).to_numpy(), 3),
                                    "reason": s["reason"].to_numpy(),
                                    "bank_row": s["b"].to_numpy(np.int64), "ledger_row": s["l"].to_numpy(np.int64)})
        duplicates = pd.DataFrame(self.duplicate_rows, columns=["side", "id", "row", "duplicate_of_row", "reason"])
        unmatched_bank = B.frame[~B.used & ~B.excluded]
        unmatched_ledger = L.frame[~L.used & ~L.excluded]
        summary = self._summary(matches, suggestions, duplicates, first)
        return Result(matches, suggestions, duplicates, unmatched_bank, unmatched_ledger, summary,
                      B.frame, L.frame, self.warnings)

    def _summary(self, matches, suggestions, duplicates, first: np.ndarray) -> dict:
        """``first``: the first row of each group in ``matches`` (sorted by group)."""
        B, L = self.B, self.L
        dates = pd.to_datetime(B.frame["date"]) if B.n else pd.Series([], dtype="datetime64[ns]")
        matched_b, matched_l = int(B.used.sum()), int(L.used.sum())
        open_b, open_l = int((~B.used & ~B.excluded).sum()), int((~L.used & ~L.excluded).sum())
        considered_b = B.n - int(B.excluded.sum())
        by_rule = matches["rule"][first].value_counts().to_dict() if len(matches) else {}
        return {
            "period": {"from": dates.min().strftime("%Y-%m-%d") if B.n else None,
                       "to": dates.max().strftime("%Y-%m-%d") if B.n else None},
            "bank_lines": B.n, "ledger_lines": L.n,
            "matched_bank": matched_b, "matched_ledger": matched_l,
            "matches": int(first.sum()),
            "unmatched_bank": open_b, "unmatched_ledger": open_l, "unmatched": open_b + open_l,
            "suggestions": len(suggestions), "duplicates": len(duplicates),
            "differences": int((matches["difference_cents"] != 0).sum()) if len(matches) else 0,
            "match_rate": round(matched_b / considered_b, 4) if considered_b else 1.0,
            "by_rule": {str(k): int(v) for k, v in by_rule.items()},
            "totals": {
                "bank": _dec(B.cents.sum()), "ledger": _dec(L.cents.sum()),
                "unmatched_bank": _dec(B.cents[~B.used & ~B.excluded].sum()),
                "unmatched_ledger": _dec(L.cents[~L.used & ~L.excluded].sum()),
                "differences": _dec(matches["difference_cents"].sum()) if len(matches) else "0.00",
            },
            "seconds": dict(self.stats),
            "warnings": list(self.warnings),
        }


def _dec(cents) -> str:
    return str(Decimal(int(cents)).scaleb(-2))


def _short(text: str, width: int = 30) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


_COMBOS: dict[tuple[int, int], np.ndarray] = {}


def _combos(n: int, k: int) -> np.ndarray:
    if (n, k) not in _COMBOS:
        _COMBOS[n, k] = np.array(list(itertools.combinations(range(n), k)), dtype=np.int64).reshape(-1, k)
    return _COMBOS[n, k]


def _group_search(search: np.ndarray, owner: np.ndarray, member: np.ndarray, member_class: np.ndarray,
                  owner_cents: np.ndarray, member_cents: np.ndarray, max_items: int, budget: int = 4_000_000):
    """For each owner, the subsets (2..max_items) of its candidate members summing to its amount.

    Rows come sorted by ``search``: one owner with one set of candidates (an owner may have
    several searches, one per payer its name fits); solutions of all its searches are pooled.

    Bounded, vectorized subset-sum: owners are bucketed by how many candidates they have, and
    every index combination of that width is summed at once, a chunk of owners at a time
    (``budget`` bounds the numbers held in memory). Pruning before the search: a member is
    smaller than the whole (the caller), an owner whose candidates together fall short is
    skipped, and a width whose smallest k members already exceed the amount stops early.

    Solutions that differ only by interchangeable members (same ``member_class``: amount, day
    and name) are one solution. Returns (owners, per owner its distinct solutions as member
    arrays, at most 8); owners without any solution are left out.
    """
    _, start = np.unique(search, return_index=True)
    counts = np.diff(np.r_[start, len(search)])
    owners = owner[start]
    target = owner_cents[owners]
    values = member_cents[member]
    totals = np.add.reduceat(values, start) if len(start) else np.empty(0, np.int64)
    reachable = np.abs(totals) >= np.abs(target)
    found: dict[int, list] = {}
    for width in np.unique(counts[reachable]):
        rows = np.flatnonzero(reachable & (counts == width))
        pos = start[rows][:, None] + np.arange(width)[None, :]
        matrix, members, classes = values[pos], member[pos], member_class[pos]
        for k in range(2, min(max_items, width) + 1):
            combos = _combos(int(width), k)
            step = max(1, budget // (len(combos) * k))
            for lo in range(0, len(rows), step):
                block = matrix[lo:lo + step]
                sums = block[:, combos].sum(axis=2)
                hit_rows, hit_cols = np.nonzero(sums == target[rows[lo:lo + step]][:, None])
                for r, c in zip(hit_rows, hit_cols):
                    owner_row = lo + r
                    signature = tuple(sorted(classes[owner_row, combos[c]].tolist()))
                    solutions = found.setdefault(int(rows[owner_row]), [])
                    if len(solutions) < 8 and signature not in {sig for sig, _ in solutions}:
                        solutions.append((signature, np.sort(members[owner_row, combos[c]])))
    pooled: dict[int, list] = {}
    for i in sorted(found):
        pooled.setdefault(int(owners[i]), []).extend(m for _, m in found[i])
    keys = sorted(pooled)
    return np.asarray(keys, np.int64), [pooled[k][:8] for k in keys]


def reconcile(bank: pd.DataFrame, ledger: pd.DataFrame, rules: Rules | None = None,
              decisions: Decisions | None = None) -> Result:
    """Match normalized bank lines against normalized ledger lines (see module docstring)."""
    return _Engine(bank, ledger, rules or Rules(), decisions).run()
