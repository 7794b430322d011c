"""Synthetic statement + ledger pairs with ground truth and the real mess, for tests and the
benchmark.

    from reconcile.generator import generate, score
    case = generate(10_000, seed=7)                  # the "house" style the engine is tuned on
    held = generate(10_000, seed=7, style="heldout") # worded, named and dated differently
    case.bank, case.ledger      # normalized frames (plus an int64 ``cents`` column)
    case.truth                  # bank_id, ledger_id: the pairs a perfect matcher returns
    score(case, result.matches) # precision, recall (interchangeable twins count as one class)

The mess, in the proportions ``Mess`` gives: repeated equal amounts (subscriptions of one
customer), bank dates after booking, references in the reference field, buried in free text,
truncated or missing, names in upper case / without legal form / cut short / absent / only in
the text, Chinese company names, genuinely identical twins (same counterparty, day and amount:
two invoices and two payments), one transfer paying several invoices (often with no reference
at all), card settlements in several bank lines for one ledger line, fees deducted, FX
differences, payment-app lines (the name only in the text), lines exported twice, and lines
with no counterpart on either side.

Two styles share the mechanics and differ in everything a rule could latch on to: company
vocabularies, how the bank prints a name (case, legal forms, truncation, typos, prefixes,
Chinese names shortened), description wording, payment-app formats and date lags. The engine
is developed against ``house``; ``heldout`` is kept out of tuning and only reported, the way
the benchmark prints both.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Style:
    """Vocabulary and habits of one synthetic world."""

    latin: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    chinese: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    chinese_share: float
    single_words: tuple[str, ...]       # bank text of a transfer paying one invoice
    combined_words: tuple[str, ...]     # bank text of a transfer paying several, no reference
    app_formats: tuple[str, ...]        # payment-app line; {name} is the payer
    twin_format: str                    # bank text of twin payments; {name} is the payer
    single_lag: tuple[int, int]         # bank date minus booking date, inclusive
    combined_lag: int                   # most days from the earliest invoice to the transfer
    fee_cents: tuple[int, int]
    fx_percent: float
    noise: str                          # which _bank_name habit


HOUSE = Style(
    latin=(("Nord", "Sued", "Ost", "West", "Alpen", "Rhein", "Elb", "Bavaria", "Hansa", "Delta", "Orion", "Polar",
            "Sino", "Pacific", "Atlas", "Vega", "Lumen", "Terra", "Aqua", "Silva", "Ferro", "Nova", "Astra", "Kappa",
            "Zenit", "Fjord", "Cedar", "Maple", "Granite", "Harbor", "Summit", "Falcon", "Jade", "Lotus", "Cobalt"),
           ("wind", "stern", "tech", "werk", "bau", "logistik", "foods", "pharma", "textil", "metall", "energie",
            "soft", "media", "trade", "mobil", "chem", "optik", "print", "garten", "haus"),
           ("Trading", "Systems", "Services", "Handel", "Partners", "Industries", "Group", "Solutions", "Supply", "Works"),
           ("GmbH", "Ltd", "Inc", "AG", "BV", "SA", "LLC", "Co. Ltd")),
    chinese=(("上海", "北京", "广州", "深圳", "杭州", "苏州", "南京", "成都"),
             ("华联", "金达", "恒信", "瑞丰", "宏图", "鑫源", "天成", "永安", "博远", "长江", "嘉禾", "正泰"),
             ("贸易", "电子", "科技", "物流", "食品", "机械", "纺织", "化工"),
             ("有限公司",)),
    chinese_share=0.15,
    single_words=("Payment", "Zahlung", "Transfer", "SEPA credit", "Ueberweisung"),
    combined_words=("Collective payment", "Sammelzahlung", "Payment of open items"),
    app_formats=("支付宝转账-{name}", "Alipay transfer {name}"),
    twin_format="SEPA credit {name}",
    single_lag=(0, 5), combined_lag=7, fee_cents=(100, 2500), fx_percent=1.2, noise="house")

HELDOUT = Style(
    latin=(("Bright", "Crescent", "Ever", "Iron", "Silver", "Blue", "Red", "Oak", "Pine", "River", "Stone", "Sun",
            "Moon", "Star", "Gold", "Copper", "Willow", "Aspen", "Birch", "Coral", "Ember", "Frost", "Glen"),
           ("field", "brook", "gate", "ridge", "wood", "water", "light", "stone", "bridge", "port", "dale", "crest",
            "line", "wave", "point"),
           ("Holdings", "Enterprises", "Manufacturing", "Distribution", "Consulting", "Imports", "Retail", "Labs"),
           ("Pty Ltd", "S.A.R.L.", "K.K.", "Limited", "Corp.", "S.p.A.", "Oy", "A/S")),
    chinese=(("武汉", "重庆", "天津", "西安", "青岛", "厦门", "长沙", "宁波"),
             ("中鼎", "新世纪", "海川", "万家", "东方", "富安", "佳禾", "盛达", "联创", "星河"),
             ("实业", "建材", "医药", "包装", "环保", "服饰", "五金"),
             ("股份有限公司", "有限责任公司", "集团有限公司")),
    chinese_share=0.3,
    single_words=("Inward remittance", "CREDIT TRF", "Remittance", "收款", "TT IN"),
    combined_words=("BULK SETTLEMENT", "MULTIPLE INVOICES", "合并付款", "PMT VARIOUS"),
    app_formats=("微信支付-{name}", "WeChat Pay receipt from {name}", "财付通 {name} 转账"),
    twin_format="{name} REMITTANCE",
    single_lag=(-1, 6), combined_lag=10, fee_cents=(300, 3000), fx_percent=1.8, noise="heldout")

STYLES = {"house": HOUSE, "heldout": HELDOUT}


@dataclass
class Mess:
    repeated_amounts: float = 0.06
    split_payments: float = 0.04       # of ledger lines: paid together with 1-3 others of the customer
    named_in_split: float = 0.3        # of those transfers: the invoice numbers are in the text
    card_batches: float = 0.005        # of ledger lines: settled by 2-4 bank lines
    twins: float = 0.03                # of ledger lines: have an identical twin (invoice and payment)
    fees: float = 0.025
    fx: float = 0.015
    payment_app: float = 0.03          # of bank lines: a payment-app line naming the payer only in text
    duplicates: float = 0.005
    ledger_only: float = 0.01
    bank_only: float = 0.01


@dataclass
class Case:
    bank: pd.DataFrame
    ledger: pd.DataFrame
    truth: pd.DataFrame
    alike: dict  # line id -> class label of its genuine twins (interchangeable lines)


def _names(rng: np.random.Generator, count: int, style: Style) -> np.ndarray:
    first, second, third, legal = style.latin
    serial = np.arange(count)
    latin = [f"{first[i]}{second[j]} {third[k]} {n % 97 if n >= len(first) * len(second) else ''} {legal[m]}"
             for i, j, k, m, n in zip(rng.integers(0, len(first), count), rng.integers(0, len(second), count),
                                      rng.integers(0, len(third), count), rng.integers(0, len(legal), count), serial)]
    city, core, trade, suffix = style.chinese
    chinese = [f"{city[a]}{core[b]}{trade[c]}{'' if n < len(city) * len(core) * len(trade) else n % 89}{suffix[d]}"
               for a, b, c, d, n in zip(rng.integers(0, len(city), count), rng.integers(0, len(core), count),
                                        rng.integers(0, len(trade), count), rng.integers(0, len(suffix), count), serial)]
    pick = rng.random(count) < style.chinese_share
    names = np.where(pick, chinese, [" ".join(x.split()) for x in latin]).astype(object)
    # a company name is unique in a ledger
    return pd.unique(names)


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _bank_name(rng: np.random.Generator, names: np.ndarray, style: Style) -> np.ndarray:
    """How a bank prints a customer's name, in the style's habits."""
    out = []
    legal_latin = sorted(style.latin[3], key=len, reverse=True)
    legal_cn = sorted(style.chinese[3], key=len, reverse=True)
    for name, r, cut in zip(names, rng.random(len(names)), rng.integers(14, 24, len(names))):
        name = str(name)
        if _is_chinese(name):
            bare = next((name[: -len(s)] for s in legal_cn if name.endswith(s)), name)
            if style.noise == "house":
                out.append(name if r < 0.5 else bare if r < 0.9 else "")
            else:  # city dropped, suffix dropped, or cut to a few characters
                out.append(bare[2:] if r < 0.35 else bare if r < 0.6 else name[:8] if r < 0.85 else "")
            continue
        bare = next((name[: -len(s)].strip() for s in legal_latin if name.endswith(s)), name)
        if style.noise == "house":
            upper = name.upper()
            out.append(upper if r < 0.4 else bare.upper() if r < 0.7 else upper[:20] if r < 0.9 else "")
        elif r < 0.25:
            out.append(name.lower())
        elif r < 0.45:
            out.append("BY ORDER OF " + bare.upper())
        elif r < 0.6:  # a typo: two neighbouring letters swapped in the first word
            i = max(1, min(len(bare) - 3, 3 + int(r * 10) % 3))
            out.append((bare[:i] + bare[i + 1] + bare[i] + bare[i + 2:]).upper())
        elif r < 0.8:
            out.append(name.upper().replace(".", "")[:cut])
        elif r < 0.9:
            out.append(bare)
        else:
            out.append("")
    return np.array(out, dtype=object)


def generate(n: int, seed: int = 0, mess: Mess | None = None, currency: str = "EUR",
             start: str = "2026-01-01", days: int | None = None, style: str | Style = "house") -> Case:
    mess = mess or Mess()
    st = STYLES[style] if isinstance(style, str) else style
    days = days or max(90, n // 1100)  # about a thousand lines a day at most, as a busy account has
    rng = np.random.default_rng(seed)
    customers = _names(rng, max(50, n // 15), st)
    cust = rng.integers(0, len(customers), n)
    base_day = np.datetime64(start, "D")
    lday = base_day + rng.integers(0, days, n).astype("timedelta64[D]")
    cents = np.round(np.exp(rng.normal(11.0, 1.6, n))).astype(np.int64) + 100
    repeat = rng.random(n) < mess.repeated_amounts
    cents[repeat] = rng.choice(np.array([9900, 25000, 49900, 100000, 120000]), repeat.sum())
    outgoing = rng.random(n) < 0.3
    cents[outgoing] *= -1
    role = rng.random(n)
    edges = np.cumsum([mess.split_payments, mess.card_batches, mess.ledger_only])
    is_split = role < edges[0]
    is_card = (role >= edges[0]) & (role < edges[1])
    is_ledger_only = (role >= edges[1]) & (role < edges[2])
    single = ~(is_split | is_card | is_ledger_only)

    # -- twins: the second line of a pair copies the first's customer, day and amount -----------
    single_idx = np.flatnonzero(single)
    k = int(len(single_idx) * mess.twins / 2)
    pair = rng.choice(single_idx, 2 * k, replace=False).reshape(-1, 2) if k else np.empty((0, 2), np.int64)
    cust[pair[:, 1]], lday[pair[:, 1]], cents[pair[:, 1]] = cust[pair[:, 0]], lday[pair[:, 0]], cents[pair[:, 0]]
    outgoing[pair[:, 1]] = outgoing[pair[:, 0]]
    seq = rng.permutation(n) + 1
    refs = np.where(outgoing, "PO-", "INV-").astype(object) + "2026-" + pd.Series(seq).astype(str).str.zfill(7).to_numpy(dtype=object)
    twin_of = np.full(n, -1, np.int64)
    twin_of[pair[:, 0]] = pair[:, 0]
    twin_of[pair[:, 1]] = pair[:, 0]

    ledger = pd.DataFrame({
        "id": ["L%08d" % i for i in range(n)], "date": lday.astype("datetime64[ns]"), "cents": cents,
        "currency": currency, "description": np.where(outgoing, "Supplier invoice ", "Customer invoice ").astype(object) + refs,
        "reference": refs, "counterparty": customers[cust]})

    # -- one bank line per single ledger line ----------------------------------------------
    idx = single_idx
    lag = rng.integers(st.single_lag[0], st.single_lag[1] + 1, len(idx))
    b_cents = cents[idx].copy()
    ref_mode = rng.random(len(idx))
    kind = rng.random(len(idx))
    fee = (kind < mess.fees) & (twin_of[idx] < 0)
    fx = (kind >= mess.fees) & (kind < mess.fees + mess.fx) & (twin_of[idx] < 0)
    fee_cents = np.minimum(rng.integers(*st.fee_cents, len(idx)), np.abs(b_cents) // 60 + 1)
    b_cents[fee] -= np.sign(b_cents[fee]) * fee_cents[fee]
    rate = 1 + rng.uniform(-st.fx_percent, st.fx_percent, len(idx)) / 100
    fx_cents = np.round(b_cents * rate).astype(np.int64)
    fx &= fx_cents != b_cents
    b_cents[fx] = fx_cents[fx]
    refs_i = refs[idx]
    truncated = pd.Series(refs_i).str.slice(0, 12).to_numpy(dtype=object)
    reference = np.where(ref_mode < 0.5, refs_i, np.where((ref_mode >= 0.7) & (ref_mode < 0.8), truncated, "")).astype(object)
    words = np.array(st.single_words, dtype=object)[rng.integers(0, len(st.single_words), len(idx))]
    description = np.where((ref_mode >= 0.5) & (ref_mode < 0.7),
                           words + " for " + refs_i + " thank you", words + " " + rng.integers(1000, 99999, len(idx)).astype(str)).astype(object)
    names_i = customers[cust[idx]]
    bank_name = _bank_name(rng, names_i, st)
    # payment-app lines: the payer only in the text, no reference
    app = (rng.random(len(idx)) < mess.payment_app) & (twin_of[idx] < 0)
    formats = np.array(st.app_formats, dtype=object)[rng.integers(0, len(st.app_formats), len(idx))]
    description[app] = [f.format(name=x) for f, x in zip(formats[app], _bank_name(rng, names_i[app], st))]
    reference[app], bank_name[app] = "", ""
    # twins: both payments look alike (same day, no reference, same text)
    twin = twin_of[idx] >= 0
    lead = pd.Series(np.arange(len(idx)), index=idx)
    first_pos = lead.reindex(twin_of[idx][twin]).to_numpy()
    lag[twin] = lag[first_pos]
    bank_name[twin] = bank_name[first_pos]
    reference[twin] = ""
    description[twin] = [st.twin_format.format(name=x or "").strip() for x in bank_name[first_pos]]
    bank_single = pd.DataFrame({"date": (lday[idx] + lag.astype("timedelta64[D]")).astype("datetime64[ns]"), "cents": b_cents,
                                "currency": currency, "description": description, "reference": reference,
                                "counterparty": bank_name, "_ledger": idx, "_group": idx, "_twin": twin_of[idx]})

    # -- split payments: one bank line pays 2-4 invoices of one customer -------------------
    sidx = np.flatnonzero(is_split)
    rng.shuffle(sidx)
    sizes = rng.integers(2, 5, len(sidx))
    group_of = np.repeat(np.arange(len(sizes)), sizes)[: len(sidx)]
    split_frame = pd.DataFrame({"l": sidx, "g": group_of})
    # one customer per group; invoices dated between the earliest and the transfer
    first = split_frame.groupby("g")["l"].transform("first").to_numpy()
    ledger.loc[sidx, "counterparty"] = ledger["counterparty"].to_numpy()[first]
    groups = split_frame["g"].nunique()
    span = rng.integers(0, st.combined_lag + 1, groups)            # earliest invoice -> transfer
    offset = (rng.random(len(sidx)) * (span[group_of] + 1)).astype(np.int64)
    offset[split_frame["l"].to_numpy() == first] = 0
    ledger.loc[sidx, "date"] = (lday[first] + offset.astype("timedelta64[D]")).astype("datetime64[ns]")
    lday = ledger["date"].to_numpy().astype("datetime64[D]")
    ledger.loc[sidx, "cents"] = np.abs(ledger["cents"].to_numpy()[sidx])  # customer receipts
    split_frame["cents"] = ledger["cents"].to_numpy()[sidx]
    agg = split_frame.groupby("g").agg(cents=("cents", "sum"), l=("l", "first"),
                                       refs=("l", lambda s: " ".join(refs[s.to_numpy()])))
    first_day = lday[agg["l"].to_numpy()]
    mode = rng.random(len(agg))
    payer = _bank_name(rng, ledger["counterparty"].to_numpy()[agg["l"].to_numpy()], st)
    words = np.array(st.combined_words, dtype=object)[rng.integers(0, len(st.combined_words), len(agg))]
    in_text = (mode >= mess.named_in_split) & (mode < mess.named_in_split + 0.2)
    description = np.where(mode < mess.named_in_split, "Invoices " + agg["refs"].to_numpy(dtype=object),
                           np.where(in_text, words + " " + payer, words)).astype(object)
    bank_split = pd.DataFrame({
        "date": (first_day + span.astype("timedelta64[D]")).astype("datetime64[ns]"),
        "cents": agg["cents"].to_numpy(), "currency": currency, "description": description,
        "reference": "", "counterparty": np.where(in_text, "", payer).astype(object),
        "_ledger": -1, "_group": n + agg.index.to_numpy(), "_twin": -1})
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
        "reference": "", "counterparty": "CARD ACQUIRER SERVICES", "_ledger": cidx[rows], "_group": 2 * n + cidx[rows],
        "_twin": -1})

    # -- bank-only lines (charges, interest, unknown receipts) ------------------------------
    k = int(n * mess.bank_only)
    bank_only = pd.DataFrame({
        "date": (base_day + rng.integers(0, days, k).astype("timedelta64[D]")).astype("datetime64[ns]"),
        "cents": -rng.integers(50, 5000, k), "currency": currency,
        "description": np.array(["Account fee", "Interest", "Card fee", "Cash withdrawal"], dtype=object)[rng.integers(0, 4, k)],
        "reference": "", "counterparty": "", "_ledger": -1, "_group": -1, "_twin": -1})

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
    twins = bank[bank["_twin"] >= 0]
    alike = dict(zip(twins["id"], "bank-twin-" + twins["_twin"].astype(str)))
    alike.update((ledger["id"].iat[i], f"ledger-twin-{twin_of[i]}") for i in np.flatnonzero(twin_of >= 0))
    bank = pd.concat([bank, dup], ignore_index=True).drop(columns=["_ledger", "_group", "_twin"])
    bank = bank[["id", "date", "cents", "currency", "description", "reference", "counterparty"]]
    bank["amount"] = bank["cents"] / 100
    ledger["amount"] = ledger["cents"] / 100
    ledger = ledger[["id", "date", "amount", "cents", "currency", "description", "reference", "counterparty"]]
    return Case(bank, ledger, truth[["bank_id", "ledger_id"]].reset_index(drop=True), alike)


def score(case: Case, matches: pd.DataFrame) -> tuple[float, float]:
    """(precision, recall) of auto-matched pairs against the truth.

    A pair counts by the classes of its lines: two payments and two invoices that are genuine
    twins may be paired either way, so a twin is replaced by its class before counting.
    """
    def classes(bank_ids, ledger_ids) -> Counter:
        get = case.alike.get
        return Counter((get(b, b), get(l, l)) for b, l in zip(bank_ids, ledger_ids))

    found = classes(matches["bank_id"], matches["ledger_id"])
    truth = classes(case.truth["bank_id"], case.truth["ledger_id"])
    correct = sum(min(count, truth[key]) for key, count in found.items())
    total_found, total_truth = sum(found.values()), sum(truth.values())
    return (correct / total_found if total_found else 1.0), (correct / total_truth if total_truth else 1.0)


def with_decimal_amounts(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with ``amount`` as exact Decimals and no helper column (what readers give)."""
    out = frame.drop(columns=["cents"]).copy()
    out["amount"] = [Decimal(int(c)).scaleb(-2) for c in frame["cents"]]
    return out
