"""Who a line is from: a counterparty name compared with a name column or found in free text,
in Latin or Chinese script.

    from reconcile.names import normalize, name_keys, name_scores
    normalize(["Nordwind Trading GmbH", "上海华联贸易有限公司"])  # ['NORDWIND TRADING', '上海华联贸易']
    name_scores(["SEPA CREDIT NORDWIND TRADING"], ["NORDWIND TRADING"])  # array([100])

Normalizing folds width and case (NFKC), drops legal forms (``GmbH``, ``Ltd``, ``S.A.R.L.``,
``有限公司``, ``股份有限公司`` …) and punctuation. A score (0..100) is the best of

- rapidfuzz ``token_set_ratio``: word order, extra words around the name ("BY ORDER OF …",
  "SEPA CREDIT …") and small typos;
- for Chinese text, rapidfuzz ``partial_ratio`` of one *segment* of the text (split at
  separators and at script changes) inside the name, when that segment is long enough to be
  distinctive: a Chinese name printed without its city or legal form ("华联贸易" for
  "上海华联贸易有限公司") in a payment-app line ("微信支付-华联贸易");
- for Latin text, ``ratio`` of its end, from some word on, with as much of the start of the
  name: a name the bank cut short ("COPPERFIELD MANUF", "BULK SETTLEMENT ASPENLIGHT DISTRIBUT").

Numbers in names identify a company ("Suedprint Solutions 6"
is not "… 60"): when both sides carry numbers and none agrees, the score drops by
``NUMBER_PENALTY`` (a number cut short at the very end of the text may be the start of the
name's number).

``name_keys`` gives blocking keys (rarer Latin words, a misspelt word corrected to the names'
words one edit away as SymSpell does, Chinese character pairs) so candidate pairs come from an
integer join, never from comparing every line with every name.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

_LEGAL_LATIN = re.compile(
    r"\b(GMBH|G M B H|MBH|LTD|LIMITED|INC|INCORPORATED|LLC|LLP|LP|CO|COMPANY|CORP|CORPORATION|BV|NV|AG|SA|SAS|SARL|"
    r"S A|S A R L|SPA|S P A|SRL|PLC|KG|OHG|UG|OY|AB|AS|A S|APS|KK|K K|PTY|PTE|BHD|SDN|THE)\b")
# longest first, so 股份有限公司 goes whole instead of leaving 股份
_LEGAL_CJK = ("股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "分公司", "公司")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_NOT_WORD = re.compile(f"[^A-Z0-9{_CJK}]+")
_SEGMENT = re.compile(f"[{_CJK}]+|[A-Z0-9 ]+")
_LATIN_WORD = re.compile(r"[A-Z]{4,}")
#: a text segment must be this long (characters) to be looked for inside a name
MIN_SEGMENT = {"cjk": 3, "latin": 6}
#: a quick partial score below this rules the careful segment comparison out
PARTIAL_GATE = 60
#: points taken off when both sides carry numbers and none of them agrees
NUMBER_PENALTY = 25
#: Latin words at least this long that no name has are looked up as misspellings
TYPO_KEY_LENGTH = 6
_NUMBER_OR_NEWLINE = re.compile(r"\n|\d+")
_LATIN_TEXT = re.compile(r"[A-Z0-9 ]+")


def normalize(values) -> list[str]:
    """Upper case, full-width folded, legal forms and punctuation dropped, spaces collapsed."""
    out = []
    for value in values:
        text = unicodedata.normalize("NFKC", str(value or "")).upper().replace("&", " AND ")
        for suffix in _LEGAL_CJK:
            text = text.replace(suffix, " ")
        text = _NOT_WORD.sub(" ", text.replace(".", ""))
        text = _LEGAL_LATIN.sub(" ", text)
        out.append(" ".join(text.split()))
    return out


def _is_cjk(segment: str) -> bool:
    return bool(_CJK_RUN.match(segment))


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1:] for i in range(len(word))]


def name_keys(normalized: list[str], vocabulary: set[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) pairs: Latin words of 4+ letters and pairs of adjacent Chinese characters.

    With a ``vocabulary`` (the words of the names searched for), a word of ``TYPO_KEY_LENGTH``
    letters or more that is not in it also gives the vocabulary words one edit away (a letter
    left out, added, changed or two swapped: SymSpell's deletion lookup), so "MOONIFELD"
    still meets "Moonfield Consulting"."""
    codes, uniques = pd.factorize(pd.Series(list(normalized), dtype=object))
    corrections: dict[str, list[str]] = {}
    if vocabulary:
        by_deletion: dict[str, set[str]] = {}
        for word in vocabulary:
            if len(word) >= TYPO_KEY_LENGTH - 1:
                for variant in [word, *_deletions(word)]:
                    by_deletion.setdefault(variant, set()).add(word)

    def keys_of(word: str) -> list[str]:
        if not vocabulary or word in vocabulary or len(word) < TYPO_KEY_LENGTH:
            return [word]
        if word not in corrections:
            near = set()
            for variant in [word, *_deletions(word)]:
                near.update(by_deletion.get(variant, ()))
            corrections[word] = [word, *sorted(near)]
        return corrections[word]

    owner, keys = [], []
    for code, text in enumerate(uniques):
        found = set()
        for word in _LATIN_WORD.findall(text):
            found.update(keys_of(word))
        for run in _CJK_RUN.findall(text):
            found.update(run[i:i + 2] for i in range(max(1, len(run) - 1)))
        owner.extend([code] * len(found))
        keys.extend(found)
    owner = np.asarray(owner, np.int64)
    keys = np.asarray(keys, dtype=object)
    # every row of a text gets that text's keys (``owner`` is sorted: texts in code order)
    first = np.searchsorted(owner, np.arange(len(uniques)))
    counts = np.diff(np.r_[first, len(owner)])[codes]
    rows = np.repeat(np.arange(len(codes), dtype=np.int64), counts)
    offsets = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    return rows, keys[np.repeat(first[codes], counts) + offsets]


def vocabulary(keys: np.ndarray) -> set[str]:
    """The Latin words among ``name_keys`` keys (what a misspelt word may be corrected to)."""
    return {k for k in pd.unique(keys) if _LATIN_WORD.fullmatch(k)}


def _segments(text: str) -> list[str]:
    return [s.strip() for s in _SEGMENT.findall(text) if s.strip()]


def _cut_name_scores(texts: list[str], names: list[str]) -> np.ndarray:
    """Per pair of Latin text and name: the best ``ratio`` of the text from some word on
    with as much of the start of the name (a name the bank cut at its end, maybe after
    words of its own). All pieces are scored in one batch."""
    pair, pieces, starts = [], [], []
    for i, (text, name) in enumerate(zip(texts, names)):
        words = text.split()
        for k in range(len(words)):
            piece = " ".join(words[k:])
            if MIN_SEGMENT["latin"] <= len(piece) < len(name):
                pair.append(i)
                pieces.append(piece)
                starts.append(name[: len(piece)])
    best = np.zeros(len(texts), np.int64)
    if pieces:
        scores = cpdist(pieces, starts, scorer=fuzz.ratio, workers=2, dtype=np.int32).astype(np.int64)
        np.maximum.at(best, np.asarray(pair, np.int64), scores)
    return best


def _segment_scores(texts: list[str], names: list[str]) -> np.ndarray:
    """Per pair: the best partial match of a distinctive segment of a Chinese text inside the
    name (a segment too short to say who it is, much shorter than the name, a common word of
    it, or longer than the name is not looked for). Every segment is scored in one batch."""
    pair, segments, against = [], [], []
    for i, (text, name) in enumerate(zip(texts, names)):
        compact = None
        for segment in _segments(text):
            cjk = _is_cjk(segment)
            if len(segment) < MIN_SEGMENT["cjk" if cjk else "latin"] or len(segment) > len(name):
                continue
            if cjk:
                compact = name.replace(" ", "") if compact is None else compact
            if len(segment) * 2 < len(compact if cjk else name):
                continue
            pair.append(i)
            segments.append(segment)
            against.append(name)
    best = np.zeros(len(texts), np.int64)
    if segments:
        # float scores truncated as int() does, so the batch equals the one-by-one scores
        scores = cpdist(segments, against, scorer=fuzz.partial_ratio, workers=2, dtype=np.float64).astype(np.int64)
        np.maximum.at(best, np.asarray(pair, np.int64), scores)
    return best


def name_scores(texts, names, *, threshold: int = 85) -> np.ndarray:
    """Similarity 0..100 of each text (a name column or a description) with each name, pairwise.

    Both sides must already be ``normalize``d. Empty on either side scores 0.
    """
    texts, names = list(texts), list(names)
    if not texts:
        return np.empty(0, np.int64)
    score = cpdist(texts, names, scorer=fuzz.token_set_ratio, workers=2, dtype=np.int32).astype(np.int64)
    empty = np.array([not t or not n for t, n in zip(texts, names)], bool)
    score[empty] = 0
    # the slower segment search only where the quick score is short of a decision and some
    # part of one string does occur in the other
    short = np.flatnonzero((score < threshold) & ~empty)
    if len(short):
        partial = cpdist([texts[i] for i in short], [names[i] for i in short], scorer=fuzz.partial_ratio,
                         workers=2, dtype=np.int32)
        # a shortened name inside a longer text aligns only in part ("合并付款 支付宝 青禾茶业"
        # against "杭州青禾茶业" scores 67): a loose gate, the segment rule decides
        candidates = short[partial >= PARTIAL_GATE]
        latin = np.fromiter((bool(_LATIN_TEXT.fullmatch(texts[i])) for i in candidates), bool, len(candidates))
        cut = candidates[latin]
        score[cut] = np.maximum(score[cut], _cut_name_scores([texts[i] for i in cut], [names[i] for i in cut]))
        chinese = candidates[~latin]
        score[chinese] = np.maximum(score[chinese], _segment_scores([texts[i] for i in chinese], [names[i] for i in chinese]))
    score[numbers_disagree(texts, names)] -= NUMBER_PENALTY
    return np.maximum(score, 0)


def _number_parts(values) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per value: how many numbers, the first one, all of them joined by spaces and the number that ends the value ('' when it ends otherwise), as object arrays.
    Computed once per distinct value, by one regex pass over them all joined."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    texts = [str(text).replace("\n", " ") for text in uniques]
    found = np.asarray(_NUMBER_OR_NEWLINE.findall("\n".join(texts)), dtype=object)
    newline = found == "\n"
    row, numbers = np.cumsum(newline)[~newline], found[~newline]
    count = np.bincount(row, minlength=len(texts)).astype(np.int64)
    first = np.full(len(texts), "", dtype=object)
    last = np.full(len(texts), "", dtype=object)
    if len(row):
        starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
        ends = np.r_[starts[1:], len(row)] - 1
        first[row[starts]], last[row[ends]] = numbers[starts], numbers[ends]
    ends_in_digit = np.fromiter((text.rstrip()[-1:].isdigit() for text in texts), bool, len(texts))
    trailing = np.where(ends_in_digit, last, "")
    joined = first.copy()
    several = count[row] > 1
    if several.any():
        grouped = pd.Series(numbers[several]).groupby(row[several]).agg(" ".join)
        joined[grouped.index.to_numpy()] = grouped.to_numpy()
    return count[codes], first[codes], joined[codes], trailing[codes]


def numbers_disagree(texts, names) -> np.ndarray:
    """Per pair: both carry numbers and none agrees ("SOLUTIONS 6" against "Solutions 60";
    a number that ends the text may have been cut: "… 6" still fits "… 60" when the text
    ends there)."""
    if not len(texts):
        return np.zeros(0, bool)
    tcount, tfirst, tall, tcut = _number_parts(texts)
    ncount, nfirst, nall, _ = _number_parts(names)
    both = (tcount > 0) & (ncount > 0)
    out = np.zeros(len(tcount), bool)
    # one number on each side (the usual case): compared as arrays
    one_each = both & (tcount == 1) & (ncount == 1)
    single = np.flatnonzero(one_each)
    differ = (tfirst[single] != nfirst[single]).astype(bool)
    cut = tcut[single]
    maybe_cut = np.flatnonzero(differ & (cut != ""))  # only these need the (slower) prefix test
    if len(maybe_cut):
        differ[maybe_cut] = ~np.strings.startswith(nfirst[single[maybe_cut]].astype(str), cut[maybe_cut].astype(str))
    out[single] = differ
    for i in np.flatnonzero(both & ~one_each):
        mine, theirs = set(tall[i].split()), nall[i].split()
        out[i] = not mine.intersection(theirs) and not (tcut[i] and any(n.startswith(tcut[i]) for n in theirs))
    return out
