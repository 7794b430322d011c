"""Checks that decide whether an invoice may be booked without a person looking at it.

Each check returns ``{"name", "ok", "detail"}`` where ``ok`` is True, False, or None (could
not be checked: e.g. no line items printed). The status of the invoice follows from them:

- ``ready``      every required field is present and confident, and no check failed;
- ``review``     anything else that can be read: a person must look (the reasons say what to
                 look at), including a document where no number, date or total was found;
- ``unreadable`` no text could be read (blank page, a photo too poor to read).

A wrong total must never be booked: the total must be corroborated, by arithmetic
(subtotal + tax, or the line items) or, on a text-layer PDF, by being printed where a total
label says so. A total read by OCR with nothing to corroborate it goes to review.

A line whose quantity x unit price disagrees with its amount blocks booking unless two sums
confirm the amounts column (the amounts add up to the net, and net + tax to the total): then
the quantity or unit price was misread, and the line is flagged (``misread``, confidence 0.5)
instead of holding back a total the arithmetic confirms. One line with no tax is one figure
printed as the line, the net and the total: no sum confirms it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable

from vision.fields import MAX_ROUNDING, TOLERANCE, Field

REQUIRED = ("issuer", "invoice_number", "date", "amount", "currency")
#: a line item whose quantity x unit price disagrees with an amount the sums confirm
MISREAD_LINE_CONFIDENCE = 0.5


@dataclass
class CheckPolicy:
    threshold: float = 0.6  # minimum confidence of a required field
    max_age_days: int = 730  # an invoice date older than this is implausible
    max_future_days: int = 3
    #: a due date further than this after the invoice date is another number read as a date (a
    #: bank sort code '17-10-90' where the due date's own print was garbled), not payment terms
    max_terms_days: int = 366
    today: date | None = None
    #: (issuer, invoice_number) -> description of the earlier booking, or None
    booked_before: Callable[[str, str], str | None] | None = None


#: a line that says when to pay: a word of payment terms in the languages read, matched as the
#: start of a word (pay: payment, payable; zahlung: Zahlungsziel; betaling: betalingstermijn)
_PAYMENT_WORDS = re.compile(
    r"\b(?:terms?|pay|due|zahlbar|zahlung|paiement|r[eè]glement|[eé]ch[eé]ance|pago|vencimiento|pagamento|"
    r"scadenza|vencimento|betaling|betalning|p[lł]atno[sś][cć]|p[lł]atne|splatn|forfall)", re.I)
#: a number of days ('30 days', '14 Tagen', '30 jours', '30 días', '60 giorni', '14 dagen', '30 dni')
_DAYS = re.compile(r"(?<![\d.,/-])(\d{1,3})\s*(?:days?|tagen?|tage|jours?|d[ií]as|giorni|dagen|dias|dagar|dage|dager|"
                   r"dni|dn[ií]|dnů)\b", re.I)
#: 'Net 30' where the line names terms (``_TERMS``): the days after the invoice date
_TERMS = re.compile(r"\bterms?\b", re.I)
_NET_DAYS = re.compile(r"\bnet(?:to)?\s+(\d{1,3})(?![\d.,])", re.I)
#: terms counted from the end of a month: the due date is no fixed number of days after the invoice's
_END_OF_MONTH = re.compile(r"end\s+of\s+(?:the\s+)?month|\beom\b|fin\s+de\s+mois|monatsende|ende\s+des\s+monats|"
                           r"fine\s+mese|final\s+(?:de|del)\s+mes|einde\s+(?:van\s+de\s+)?maand|"
                           r"slutet\s+av\s+m[aå]naden|m[aå]nedens\s+udgang|following\s+month", re.I)


def printed_payment_terms(text: str) -> tuple[int, ...]:
    """The numbers of days a document's payment terms print ('Terms: strictly 30 days', 'Net 30',
    'zahlbar innerhalb 14 Tagen'), on the lines that say when to pay; () when none is printed or
    the terms run from a month's end (no fixed number of days after the invoice date)."""
    if _END_OF_MONTH.search(text):
        return ()
    days: set[int] = set()
    for line in text.splitlines():
        if not _PAYMENT_WORDS.search(line):
            continue
        days.update(int(m[1]) for m in _DAYS.finditer(line))
        if _TERMS.search(line):
            days.update(int(m[1]) for m in _NET_DAYS.finditer(line))
    return tuple(sorted(d for d in days if 0 < d <= 366))


def _one_digit_off_the_terms(issued: date, due: date, terms: tuple[int, ...]) -> bool:
    """Do the dates break the printed terms by one digit of either (due '10 Oct 2026' read for
    18 Oct, 30 days after 18 Sep)? That is a digit misread, and a person checks both dates. Dates
    that break them by more (due 7 days after, terms 30) are the vendor's own: its due date was
    set another way, and the terms printed are no reason to stop the invoice."""
    def one_digit_apart(a: date, b: date) -> bool:
        return sum(x != y for x, y in zip(a.isoformat(), b.isoformat())) == 1

    days = (due - issued).days
    return bool(terms) and days not in terms and any(
        one_digit_apart(due, issued + timedelta(days=n)) or one_digit_apart(issued, due - timedelta(days=n))
        for n in terms)


#: the standard and reduced rates of value-added and sales taxes around the world, in percent: a
#: line item that comes to one of them of the other lines, to the cent, is a tax row read as an item
VAT_RATES = tuple(Decimal(r) for r in ("2.5", "2.6", "3", "3.7", "4", "5", "5.5", "6", "7", "7.7", "8", "8.1", "9",
                                       "10", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23",
                                       "24", "25", "27"))


def _tax_among_lines(lines: list[dict]) -> tuple[int, Decimal] | None:
    """The line (1-based) whose amount is a tax rate (``VAT_RATES``) of the other lines' sum, to
    the cent, and that rate; None when no line is, or there are fewer than three lines (an item
    and a tax row cannot be told from two items)."""
    if len(lines) < 3:
        return None
    amounts = [item["amount"] for item in lines]
    whole = sum(amounts, Decimal(0))
    for number, amount in enumerate(amounts, 1):
        rest = whole - amount
        if amount <= 0 or rest <= 0:
            continue
        for rate in VAT_RATES:
            if abs(amount - rest * rate / 100) <= TOLERANCE:
                return number, rate
    return None


def _check(name: str, ok: bool | None, detail: str) -> dict:
    return {"name": name, "ok": ok, "detail": detail}


def _money(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


#: an amount as printed, its decimals the group after the last mark
_DECIMALS = re.compile(r"[.,](\d{1,2})\s*$")


def _cut_short(fields: dict[str, Field]) -> list[str]:
    """The amounts among total, net and tax read with one decimal while another of them prints
    two: a scan lost their last digit (a lost 0 leaves the value as printed, any other does not)."""
    decimals = {}
    for name in ("amount", "amount_untaxed", "vat"):
        found = _DECIMALS.search(str(fields[name].text or "")) if name in fields else None
        if found:
            decimals[name] = len(found[1])
    return [name for name, n in decimals.items() if n == 1] if 2 in decimals.values() else []


def run_checks(fields: dict[str, Field], lines: list[dict], policy: CheckPolicy, all_text_layer: bool,
               terms: tuple[int, ...] = ()) -> list[dict]:
    """The checks of ``fields`` read off a document; ``terms``: the days its payment terms print
    (``printed_payment_terms``), which a due date read must keep."""
    checks: list[dict] = []
    receipt = "document_type" in fields and fields["document_type"].value == "receipt"
    missing = [n for n in REQUIRED if n not in fields]
    checks.append(_check("required_fields", not missing,
                         "all present" if not missing else f"not found: {', '.join(missing)}"))
    weak = [f"{n} ({fields[n].confidence:.2f})" for n in REQUIRED if n in fields and fields[n].confidence < policy.threshold]
    checks.append(_check("confidence", not weak, f"below {policy.threshold}: {', '.join(weak)}" if weak
                         else f"every required field at or above {policy.threshold}"))

    total = _money(fields["amount"].value) if "amount" in fields else None
    untaxed = _money(fields["amount_untaxed"].value) if "amount_untaxed" in fields else None
    tax = _money(fields["vat"].value) if "vat" in fields else None
    # a rounding line the invoice prints under its own label ("Round off", "Arrondi"), at most one
    # unit of the currency (vision.fields.MAX_ROUNDING): never one made up to close a gap
    rounding = _money(fields["rounding"].value) if "rounding" in fields else None
    if rounding is not None and abs(rounding) > MAX_ROUNDING:
        rounding = None
    rounded = f" + rounding {rounding}" if rounding is not None else ""
    cut_short = _cut_short(fields)
    # a cent's slack is for how the vendor rounded; an amount whose last digit the scan lost
    # ('2,367.8' beside '473.56') misses by what it lost, and the slack would let it through
    tolerance = Decimal(0) if cut_short else TOLERANCE
    cut = f"; {', '.join(cut_short)} read with one decimal where the others print two: the sum must be exact" \
        if cut_short else ""
    arithmetic_ok = None
    if total is not None and untaxed is not None and tax is not None:
        arithmetic_ok = abs(untaxed + tax - total) <= tolerance or (
            rounding is not None and abs(untaxed + tax + rounding - total) <= tolerance)
        checks.append(_check("subtotal_plus_tax", arithmetic_ok,
                             f"{untaxed} + {tax}{rounded} = {untaxed + tax + (rounding or 0)}, total {total}{cut}"))
    elif total is not None and untaxed is not None and tax is None:
        arithmetic_ok = abs(untaxed - total) <= tolerance or (
            rounding is not None and abs(untaxed + rounding - total) <= tolerance)
        checks.append(_check("subtotal_plus_tax", arithmetic_ok,
                             f"no tax printed; subtotal {untaxed}{rounded}, total {total}{cut}"))
    else:
        checks.append(_check("subtotal_plus_tax", None, "subtotal or tax not printed"))

    line_ok = None
    if lines and total is not None:
        line_sum = sum((item["amount"] for item in lines), Decimal(0))
        base = untaxed if untaxed is not None else (total - tax if tax is not None else total)
        # line amounts are printed either before tax (the usual) or including it
        line_ok = (abs(line_sum - base) <= TOLERANCE or abs(line_sum - total) <= TOLERANCE
                   or rounding is not None and abs(line_sum + rounding - total) <= TOLERANCE)
        checks.append(_check("lines_sum", line_ok, f"{len(lines)} line(s) sum to {line_sum}, expected {base}"))
        bad = [i + 1 for i, item in enumerate(lines)
               if item.get("quantity") is not None and item.get("unit_price") is not None
               and abs(item["quantity"] * item["unit_price"] - item["amount"]) > TOLERANCE
               and abs(item["quantity"] * item["unit_price"] + (item.get("tax") or 0) - item["amount"]) > TOLERANCE]
        if not bad:
            checks.append(_check("line_arithmetic", True, "quantity x unit price = amount on every line"))
        elif line_ok and arithmetic_ok and tax is not None and (len(lines) > 1 or tax != 0):
            # the amounts add up to the printed net and net + tax to the printed total: two sums
            # confirm the amounts column, so a line that disagrees had its quantity or unit price
            # misread (a digit lost to the scan). The total stands; the line is flagged, as sure
            # of itself as an invoice that printed no quantities at all. One line with no tax
            # prints one figure three times, as the line, the net and the total: those sums
            # confirm nothing, and its quantity x unit price is the only sum left, for a person
            for number in bad:
                item = lines[number - 1]
                item["confidence"] = min(item.get("confidence", 1.0), MISREAD_LINE_CONFIDENCE)
                item["misread"] = "quantity x unit price != amount; the amount adds up with the others"
            checks.append(_check("line_arithmetic", True, f"quantity x unit price != amount on line(s) {bad}, whose "
                                 f"amounts add up to the net and net + tax to the total: their quantity or unit "
                                 f"price was misread, the lines are flagged"))
        else:
            checks.append(_check("line_arithmetic", False, f"quantity x unit price != amount on line(s) {bad}"))
    else:
        checks.append(_check("lines_sum", None, "no line items read"))
    if line_ok and not receipt and total is not None and not tax:
        # no tax read, yet the lines add up to the total: one "line" may be the tax row read as
        # an item (a fapiao's 税额 row), and then both sums hold with the tax lost
        taxing = _tax_among_lines(lines)
        if taxing is not None:
            number, rate = taxing
            checks.append(_check("tax_among_lines", False, f"no tax read, and line {number} "
                                 f"({lines[number - 1]['amount']}) is {rate}% of the other lines: the tax row read "
                                 f"as an item?"))

    if total is not None:
        agreeing = getattr(fields["amount"], "agreeing", 1)
        # a tax read and its net lost to the scan: a total printed twice proves the reading, not the
        # vendor's sums, and the net line would have shown a misprinted total (a till receipt
        # prints its tax as included in a gross total, no net to lose)
        net_lost = tax is not None and tax != 0 and untaxed is None and not lines and not receipt
        printed_twice = agreeing >= 2 and fields["amount"].confidence >= 0.9
        corroborated = bool(arithmetic_ok or line_ok or (all_text_layer and fields["amount"].source != "derived")
                            or (printed_twice and not net_lost))
        if arithmetic_ok or line_ok:
            how = "arithmetic"
        elif all_text_layer:
            how = "text layer"
        elif printed_twice:
            how = f"printed {agreeing} times" + (", but the net was not read: the sums are unchecked" if net_lost else "")
        else:
            how = "nothing confirms the OCR'd total"
        checks.append(_check("total_corroborated", corroborated, how))
        if total <= 0:
            checks.append(_check("total_positive", False, f"total is {total}; credit notes need a person"))

    today = policy.today or date.today()
    if "date" in fields and isinstance(fields["date"].value, date):
        d = fields["date"].value
        ok = today - timedelta(days=policy.max_age_days) <= d <= today + timedelta(days=policy.max_future_days)
        checks.append(_check("date_plausible", ok, f"{d.isoformat()}" + ("" if ok else
                             f" is outside {policy.max_age_days} days back .. {policy.max_future_days} ahead of {today}")))
        due = fields.get("due_date")
        if due and isinstance(due.value, date) and due.value < d:
            checks.append(_check("due_after_date", False, f"due {due.value} is before the invoice date {d}"))
        elif due and isinstance(due.value, date) and (due.value - d).days > policy.max_terms_days:
            checks.append(_check("due_after_date", False, f"due {due.value} is {(due.value - d).days} days after the "
                                 f"invoice date {d}, more than any payment terms ({policy.max_terms_days})"))
        elif due and isinstance(due.value, date) and _one_digit_off_the_terms(d, due.value, terms):
            checks.append(_check("due_keeps_terms", False, f"due {due.value} is {(due.value - d).days} days after the "
                                 f"invoice date {d}; the page's payment terms say "
                                 f"{' or '.join(map(str, terms))} days, a date one digit away: check both dates"))
    else:
        checks.append(_check("date_plausible", False, "no invoice date"))

    number = fields.get("invoice_number")
    checks.append(_check("number_present", number is not None, number.value if number else "no invoice number"))
    if "document_type" in fields and fields["document_type"].value == "credit_note":
        checks.append(_check("credit_note", False, f"titled '{fields['document_type'].text}': a credit note is "
                             f"booked as a credit by a person, never as an invoice"))
    if receipt:
        checks.append(_receipt_check(fields))
    if policy.booked_before and number is not None and "issuer" in fields:
        earlier = policy.booked_before(str(fields["issuer"].value), str(number.value))
        checks.append(_check("not_booked_before", earlier is None,
                             "first time seen" if earlier is None else f"already booked: {earlier}"))
    return checks


#: a till receipt prints no buyer, no due date, often no number, and is read from a photo: what
#: the other checks take on trust from an invoice must be clear on it before it is booked
RECEIPT_SURE = 0.85


def _receipt_check(fields: dict[str, Field]) -> dict:
    """A till receipt may be booked with no person when its total is confirmed by another line
    (a card or cash payment, the tax summary: ``total_corroborated``), its issuer is the shop's
    name printed at its top, its currency is printed (a bare $ can be USD, SGD, AUD …) and it is
    identified by a receipt number or the minute the till stamped on it (``number_present``)."""
    doubts = [f"{name} ({fields[name].confidence:.2f})" for name in ("issuer", "currency")
              if name in fields and fields[name].confidence < RECEIPT_SURE]
    return _check("receipt_sure", not doubts, f"below {RECEIPT_SURE} on a till receipt: {', '.join(doubts)}"
                  if doubts else "shop name, currency and total clear")


def status_of(checks: list[dict], fields: dict[str, Field], word_count: int) -> tuple[str, list[str]]:
    """('ready' | 'review' | 'unreadable', reasons a person can act on).

    Unreadable is only what gives no text (blank, or a photo too poor to read): a readable
    document in which no number, date or total was found goes to review, where a person can
    complete it (corrupt, encrypted and empty files never get here: the reader refuses them)."""
    signals = [n for n in ("amount", "invoice_number", "date") if n in fields]
    if word_count < 5:
        return "unreadable", ["no text could be read (blank page, or a photo too poor to read): scan it again"]
    reasons = [f"{c['name']}: {c['detail']}" for c in checks if c["ok"] is False]
    if not signals:
        reasons.insert(0, "no invoice number, date or total was found: complete the fields, or reject it "
                          "if it is not an invoice")
    return ("review", reasons) if reasons else ("ready", [])
