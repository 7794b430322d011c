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

``name_keys`` gives blocking keys (rarer Latin words and the same words with one letter left
out, so a misspelt word still meets its name, as in SymSpell; Chinese character pairs) so
candidate pairs come from an integer join, never from comparing every line with every name.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
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
#: Latin words at least this long also give keys with one letter left out (misspellings)
TYPO_KEY_LENGTH = 6
_NUMBER = re.compile(r"\d+")
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


def name_keys(normalized: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) pairs: Latin words of 4+ letters and pairs of adjacent Chinese characters."""
    rows, keys = [], []
    for row, text in enumerate(normalized):
        found = set()
        for word in _LATIN_WORD.findall(text):
            found.add(word)
            if len(word) >= TYPO_KEY_LENGTH:
                found.update("~" + word[:i] + word[i + 1:] for i in range(len(word)))
        for run in _CJK_RUN.findall(text):
            found.update(run[i:i + 2] for i in range(max(1, len(run) - 1)))
        rows.extend([row] * len(found))
        keys.extend(found)
    return np.asarray(rows, np.int64), np.asarray(keys, dtype=object)


def _segments(text: str) -> list[str]:
    return [s.strip() for s in _SEGMENT.findall(text) if s.strip()]


def _segment_score(text: str, name: str) -> int:
    """Best partial match of a distinctive segment of ``text`` inside ``name``; a Latin text
    ending in a cut name (after words of the bank's own) against the start of the name."""
    best = 0
    if _LATIN_TEXT.fullmatch(text):
        # a Latin name is cut at its end: the rest of the text from some word on is compared
        # with as much of the start of the name
        words = text.split()
        for i in range(len(words)):
            segment = " ".join(words[i:])
            if MIN_SEGMENT["latin"] <= len(segment) < len(name):
                best = max(best, int(fuzz.ratio(segment, name[: len(segment)])))
        return best
    for segment in _segments(text):
        cjk = _is_cjk(segment)
        wanted = MIN_SEGMENT["cjk" if cjk else "latin"]
        # too short to say who it is, or much shorter than the name (a common word of it)
        if len(segment) < wanted or len(segment) * 2 < len(name.replace(" ", "") if cjk else name):
            continue
        if len(segment) > len(name):
            continue
        best = max(best, int(fuzz.partial_ratio(segment, name)))
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
        for i in short[partial >= PARTIAL_GATE]:
            score[i] = max(score[i], _segment_score(texts[i], names[i]))
    score[numbers_disagree(texts, names)] -= NUMBER_PENALTY
    return np.maximum(score, 0)


def _numbers(text: str, cache: dict) -> tuple[frozenset, str]:
    if text not in cache:
        found = _NUMBER.findall(text)
        trailing = found[-1] if found and text.rstrip()[-1:].isdigit() else ""
        cache[text] = (frozenset(found), trailing)
    return cache[text]


def numbers_disagree(texts, names) -> np.ndarray:
    """Per pair: both carry numbers and none agrees ("SOLUTIONS 6" against "Solutions 60";
    a number that ends the text may have been cut: "… 6" still fits "… 60" when the text
    ends there)."""
    cache: dict = {}
    out = np.zeros(len(texts), bool)
    for i, (text, name) in enumerate(zip(texts, names)):
        if not text or not name:
            continue
        tn, cut = _numbers(text, cache)
        nn, _ = _numbers(name, cache)
        if tn and nn and not (tn & nn) and not (cut and any(n.startswith(cut) for n in nn)):
            out[i] = True
    return out
