"""Generated vendors whose invoices the generic reader gets wrong, for the learning test and
``benchmarks/learning.py``.

``make_vendor(seed)`` draws one vendor's house style: its name (built from syllables, so no
list of names to tune against), VAT id and IBAN (valid checksums), and quirks that defeat a
reader without a template: labels no lexicon has, a decoy line that looks like the total,
another number or date printed before the real one, month-first dates, the letterhead a bare
brand with the legal name only in the footer, values printed under their labels.
``vendor_invoice(vendor, n)`` draws that vendor's n-th invoice: new amounts, dates, number,
and 1-6 line items (so every label moves down the page from one invoice to the next).

The returned ``corpus.Invoice`` renders to a text-layer PDF (``write_pdf``) or a scan
(``write_scan``); ``truth`` holds every printed field.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from tests.vision.corpus import Invoice, Run, _q, past_day

SYLLABLES = ["kes", "trel", "an", "vo", "lin", "mar", "dex", "co", "ra", "tol", "ber", "gan", "sel", "vi", "qu", "or",
             "nel", "ta", "fen", "wick", "ly", "mo", "har", "pen", "sto", "ri", "dal", "ven", "cor", "bel"]
TRADES = ["Analytics", "Fasteners", "Laboratories", "Freight", "Kitchens", "Media", "Textiles", "Robotics",
          "Optics", "Plumbing", "Stationers", "Hydraulics", "Ceramics", "Vending", "Signage"]
COUNTRIES = {  # legal suffix, VAT prefix and length of its digits, IBAN country and length
    "NL": ("BV", "EUR"), "DE": ("GmbH", "EUR"), "BE": ("NV", "EUR"), "AT": ("GmbH", "EUR"), "GB": ("Ltd", "GBP"),
    "FR": ("SARL", "EUR"), "IE": ("Ltd", "EUR"),
}
NUMBER_LABELS = ["Folio", "Voucher ref.", "Doc. key", "Serial", "Ledger ref", "Slip no", "Our file"]
DATE_LABELS = ["Posted", "Raised on", "Drawn up", "Dated", "Written"]
TOTAL_LABELS = ["Kindly remit", "Settle", "Sum owing", "To be paid", "Remittance sum", "Please transfer"]
NUMBER_DECOYS = ["Order No.", "Customer No.", "Contract", "Account", "PO ref"]
DATE_DECOYS = ["Delivered", "Order placed", "Shipped", "Period start"]
TOTAL_DECOYS = ["Total qty", "Total weight kg", "Total boxes", "Total pallets"]
ITEMS = ["Widget housing", "Service visit", "Calibration", "Spare parts kit", "Freight charge", "Licence seat",
         "Cleaning contract", "Sample analysis", "Packaging", "Installation", "Training day", "Consumables"]
BUYER = ("Demo Trading Co.", "88 Harbour Road, Springfield", "DE136695976")


def _valid_vat(rnd: random.Random, country: str) -> str:
    from stdnum.eu import vat
    from stdnum.gb import vat as gb_vat

    while True:
        if country == "NL":
            number = f"NL{rnd.randint(0, 999999999):09d}B{rnd.randint(1, 99):02d}"
        elif country == "AT":
            number = f"ATU{rnd.randint(0, 99999999):08d}"
        elif country == "BE":
            number = f"BE0{rnd.randint(0, 999999999):09d}"
        elif country == "FR":
            number = f"FR{rnd.randint(0, 99):02d}{rnd.randint(0, 999999999):09d}"
        elif country == "IE":
            number = f"IE{rnd.randint(0, 9999999):07d}{rnd.choice('ABCDEFGHIJKLMNOPQRSTUVW')}"
        else:
            number = f"{country}{rnd.randint(0, 999999999):09d}"
        if (gb_vat.is_valid(number) if country == "GB" else vat.is_valid(number)):
            return number


def _valid_iban(rnd: random.Random, country: str) -> str:
    from stdnum import iban

    lengths = {"NL": 14, "DE": 18, "BE": 12, "AT": 16, "GB": 18, "FR": 23, "IE": 18}
    while True:
        if country in ("NL", "GB", "IE"):
            bban = "".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + "".join(
                str(rnd.randint(0, 9)) for _ in range(lengths[country] - 4))
        else:
            bban = "".join(str(rnd.randint(0, 9)) for _ in range(lengths[country]))
        number = country + "00" + bban
        number = country + iban.calc_check_digits(number) + bban
        if iban.is_valid(number):
            return number


def _grouped(text: str) -> str:
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


@dataclass
class Vendor:
    seed: int
    name: str
    brand: str
    country: str
    currency: str
    vat_id: str
    iban: str
    number_label: str
    number_prefix: str
    date_label: str
    date_format: str
    total_label: str
    below: set = field(default_factory=set)  # fields printed under their label, not beside it
    decoys: set = field(default_factory=set)  # number | date | total
    net_label: str = "Subtotal"
    tax_label: str = "VAT"
    rate: int = 20
    due_days: int = 30
    decimal_comma: bool = False


def make_vendor(seed: int) -> Vendor:
    rnd = random.Random(seed * 7919 + 17)
    country = rnd.choice(sorted(COUNTRIES))
    suffix, currency = COUNTRIES[country]
    stem = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 3))).capitalize()
    name = f"{stem} {rnd.choice(TRADES)} {suffix}"
    return Vendor(
        seed=seed, name=name, brand=stem.upper(), country=country, currency=currency,
        vat_id=_valid_vat(rnd, country), iban=_valid_iban(rnd, country),
        number_label=rnd.choice(NUMBER_LABELS), number_prefix=rnd.choice(["", "F", "V-", "26/", "N"]),
        date_label=rnd.choice(DATE_LABELS), date_format=rnd.choice(["%m/%d/%Y", "%m-%d-%Y", "%m.%d.%y"]),
        total_label=rnd.choice(TOTAL_LABELS),
        below=set(rnd.sample(["number", "date"], rnd.randint(0, 2))),
        decoys=set(rnd.sample(["number", "date", "total"], rnd.randint(1, 3))),
        net_label=rnd.choice(["Subtotal", "Net amount", "Sub-total"]),
        tax_label=rnd.choice(["VAT", "Tax", "VAT amount"]),
        rate=rnd.choice([19, 20, 21, 10]), due_days=rnd.choice([14, 30, 45]),
        decimal_comma=country in ("DE", "NL", "BE", "AT", "FR") and rnd.random() < 0.6,
    )


def _money(value: Decimal, comma: bool) -> str:
    text = f"{value:,.2f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".") if comma else text


def vendor_invoice(vendor: Vendor, n: int, today: date | None = None) -> Invoice:
    """The vendor's n-th invoice (n = 0 is the one a person corrects)."""
    rnd = random.Random(vendor.seed * 100003 + n)
    today = today or date.today()
    # the first day of a month-first date stays at or below 12 on half the invoices, where a
    # day-first reading is wrong without failing
    issued = past_day(rnd.randint(3, 200), today)
    due = issued + timedelta(days=vendor.due_days)
    lines = []
    for name in rnd.sample(ITEMS, rnd.randint(1, 6)):
        qty = Decimal(rnd.randint(1, 20))
        unit = _q(Decimal(rnd.randint(250, 180000)) / 100)
        lines.append({"description": name, "quantity": qty, "unit_price": unit, "amount": _q(qty * unit)})
    untaxed = sum((item["amount"] for item in lines), Decimal(0))
    tax = _q(untaxed * vendor.rate / 100)
    total = untaxed + tax
    number = f"{vendor.number_prefix}{rnd.randint(1000, 999999)}"
    truth = {"issuer": vendor.name, "invoice_number": number, "date": issued.isoformat(), "due_date": due.isoformat(),
             "currency": vendor.currency, "amount": total, "amount_untaxed": untaxed, "vat": tax,
             "lines": [dict(item) for item in lines]}
    inv = Invoice(vendor.seed * 1000 + n, f"vendor{vendor.seed}", truth)
    r = inv.runs
    fmt = lambda v: _money(v, vendor.decimal_comma)  # noqa: E731

    r.append(Run(vendor.brand, 50, 44, 22, True))
    r.append(Run("INVOICE", 545, 48, 16, True, "right"))
    r.append(Run("Bill to", 50, 92, 9, True))
    r.append(Run(BUYER[0], 50, 106))
    r.append(Run(BUYER[1], 50, 120, 9))
    r.append(Run(f"VAT {BUYER[2]}", 50, 134, 9))

    y = 92
    block: list[tuple[str, str, str]] = []
    if "number" in vendor.decoys:
        block.append(("decoy", rnd.choice(NUMBER_DECOYS), str(rnd.randint(10000, 99999))))
    if "date" in vendor.decoys:
        block.append(("decoy", rnd.choice(DATE_DECOYS), (issued - timedelta(days=rnd.randint(1, 9))).strftime(
            vendor.date_format)))
    block.append(("number", vendor.number_label, number))
    block.append(("date", vendor.date_label, issued.strftime(vendor.date_format)))
    rnd.shuffle(block)
    for kind, label, value in block:
        if kind in vendor.below:
            r.append(Run(label, 330, y, 8, True))
            r.append(Run(value, 330, y + 12, 10))
            y += 30
        else:
            r.append(Run(label, 330, y, 10, True))
            r.append(Run(value, 545, y, 10, False, "right"))
            y += 17
    r.append(Run("Due date", 330, y, 10, True))
    r.append(Run(due.isoformat(), 545, y, 10, False, "right"))

    y = max(y + 40, 190)
    r.append(Run("Description", 50, y, 9.5, True))
    for head, x in (("Qty", 330), ("Unit price", 430), ("Amount", 545)):
        r.append(Run(head, x, y, 9.5, True, "right"))
    y += 20
    for item in lines:
        r.append(Run(item["description"], 50, y))
        r.append(Run(str(item["quantity"]), 330, y, align="right"))
        r.append(Run(fmt(item["unit_price"]), 430, y, align="right"))
        r.append(Run(fmt(item["amount"]), 545, y, align="right"))
        y += 17
    y += 16
    if "total" in vendor.decoys:
        r.append(Run(rnd.choice(TOTAL_DECOYS), 330, y, 10))
        r.append(Run(str(rnd.randint(2, 60)), 545, y, 10, False, "right"))
        y += 18
    r.append(Run(vendor.net_label, 330, y, 10))
    r.append(Run(fmt(untaxed), 545, y, 10, False, "right"))
    y += 18
    r.append(Run(f"{vendor.tax_label} {vendor.rate}%", 330, y, 10))
    r.append(Run(fmt(tax), 545, y, 10, False, "right"))
    y += 22
    r.append(Run(vendor.total_label, 330, y, 11, True))
    r.append(Run(f"{vendor.currency} {fmt(total)}", 545, y, 11, True, "right"))
    r.append(Run(f"{vendor.name} - VAT {vendor.vat_id} - IBAN {_grouped(vendor.iban)}", 50, 770, 8))
    r.append(Run(f"Payment within {vendor.due_days} days. Amounts in {vendor.currency}.", 50, 784, 8))
    return inv


# ------------------------------------------------------------------ vendors of other layouts
#
# The vendors above share one page layout (labels right of the values' column, the table, the
# totals under it). A vendor drawn from another layout family, e.g. one of the layouts written
# blind (corpus.BLIND_LAYOUTS: headed cells, a tax summary beside the totals, a rounding row,
# a till slip), checks that what one correction teaches is not tied to that one layout.


@dataclass
class LayoutVendor:
    """A vendor of a corpus layout: its invoices are those the layout's generator draws for
    one issuer with one house style (the same number series, date style, currency and payment
    terms); ``seeds`` are the generator's seeds of invoices 0 (the one a person
    corrects), 1, 2, ..."""

    seed: int
    layout: str
    name: str
    seeds: list[int]
    country: str = ""
    date_format: str = ""
    decoys: set = field(default_factory=set)
    below: set = field(default_factory=set)


def _house_style(inv: Invoice) -> tuple:
    """What stays the same on every invoice of one vendor: the issuer, its numbers' series, how its dates are printed (the texts that print a date, digits as 9) and its
    currency; the amounts, items, buyer and the number's digits change."""
    import re

    t = inv.truth
    issued = date.fromisoformat(t["date"])
    number = str(t["invoice_number"])
    years = (str(issued.year), f"{issued.year % 100:02d}")
    dated = []
    for run in inv.runs:
        text = run.text.replace(number, "#")
        if str(issued.year) in text or re.search(rf"\b\d{{1,2}}[./\-]\d{{1,2}}[./\-]{years[1]}\b", text):
            dated.append(re.sub(r"\d+", "9", re.sub(r"[^\W\d_]+", "A", text)))
    # the number's letters as printed ("FT A2026/1", "FT FT26/1" are two series), its digits as 9
    # and its payment terms (days from the invoice date to the due date) to this buyer
    terms = (date.fromisoformat(t["due_date"]) - issued).days if t.get("due_date") else None
    return (t["issuer"], re.sub(r"\d+", "9", number), tuple(dated), t.get("currency"), terms)


def make_layout_vendor(seed: int, layout: str, count: int = 11, search: int = 20000) -> LayoutVendor:
    """The vendor of ``layout`` that the generator's seed ``seed * 1000`` draws, with ``count``
    of its invoices (the next generator seeds that draw the same issuer and house style).
    When that seed draws a house style too rare to give ``count`` invoices within ``search``
    seeds (one vendor's number series with one payment term), the vendor is the one of the
    next seed whose style does: any seed makes a vendor."""
    from tests.vision.corpus import make_invoice

    first = seed * 1000
    seen: dict[tuple, list[int]] = {}
    numbers: dict[tuple, set[str]] = {}  # one vendor never issues one number twice
    for s in range(first, first + search):
        inv = make_invoice(s, layout)
        style, number = _house_style(inv), str(inv.truth["invoice_number"])
        if number in numbers.setdefault(style, set()):
            continue
        numbers[style].add(number)
        seen.setdefault(style, []).append(s)
        if len(seen[style]) == count and style == next(iter(seen)):
            break  # the first seed's own style filled first: the usual case, no further search
    full = [seeds for seeds in seen.values() if len(seeds) >= count]
    if not full:
        raise ValueError(f"{layout}: no house style gives {count} invoices within {search} seeds from {first}")
    seeds = min(full, key=lambda found: found[0])[:count]
    return LayoutVendor(seed, layout, _house_style(make_invoice(seeds[0], layout))[0], seeds, layout,
                        f"layout {layout}")


def layout_vendor_invoice(vendor: LayoutVendor, n: int) -> Invoice:
    from tests.vision.corpus import make_invoice

    return make_invoice(vendor.seeds[n], vendor.layout)
