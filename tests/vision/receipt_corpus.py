"""Generated till receipts with known ground truth, photographed and scanned, for tests and
``benchmarks/receipts.py``.

``make_receipt(seed, layout)`` draws a receipt in one of six shop layouts and three languages
and more (English, German, French, Dutch); its ``truth`` holds what a reader must find: the
amount paid (``amount``) and the purchase date (``date``). Every layout prints decoys beside
the total: what the customer handed over (CASH, GEGEBEN, ESPECES …), the change, tax summary
rows, a subtotal before rounding, a card slip.

The receipt becomes an image two ways:

- ``photo(receipt, seed)``: a phone photo: thermal print (grey, faint, uneven), the paper lying
  on a table seen at an angle (perspective), a little curl, a shadow across it, blur, noise,
  then JPEG at phone resolution with the 72-dpi metadata phones and messengers write;
- ``flatbed(receipt, seed)``: a 300-dpi flatbed scan: the receipt, slightly turned, somewhere
  on a white A4 page it fills a third of.

``FIT_LAYOUTS`` are the ones the reading rules were developed on; ``KEPT_OUT_LAYOUTS`` are
only ever measured (benchmark and tests report them apart).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from tests.vision.corpus import past_day

MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SANS_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

FIT_LAYOUTS = ("my_mart", "de_discount", "fr_boulangerie")
KEPT_OUT_LAYOUTS = ("en_restaurant", "de_baumarkt", "nl_supermarkt")
LAYOUTS = FIT_LAYOUTS + KEPT_OUT_LAYOUTS


@dataclass
class Row:
    text: str
    scale: float = 1.0  # 2.0: a double-size line (the total on many tills)
    bold: bool = False
    center: bool = False


@dataclass
class Receipt:
    seed: int
    layout: str
    language: str
    width: int  # characters per line
    truth: dict
    rows: list[Row] = field(default_factory=list)

    def add(self, text: str = "", **style) -> None:
        self.rows.append(Row(text, **style))

    def pair(self, left: str, right: str, **style) -> None:
        """A label left and an amount right-aligned on one line."""
        width = int(self.width / style.get("scale", 1.0))
        self.rows.append(Row(left + " " * max(1, width - len(left) - len(right)) + right, **style))

    def text(self) -> str:
        return "\n".join(r.text for r in self.rows)


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _fmt(value: Decimal, comma: bool) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if comma else text


def _items(rnd: random.Random, names: list[str], count: int) -> list[tuple[str, int, Decimal]]:
    picked = rnd.sample(names, min(count, len(names)))
    return [(name, rnd.choice([1, 1, 1, 2, 3]), Decimal(rnd.randint(49, 2999)) / 100) for name in picked]


def _moment(rnd: random.Random, today: date) -> datetime:
    day = past_day(rnd.randint(2, 300), today)
    return datetime(day.year, day.month, day.day, rnd.randint(7, 21), rnd.randint(0, 59), rnd.randint(0, 59))


def _cash_given(rnd: random.Random, total: Decimal) -> Decimal:
    for note in (5, 10, 20, 50, 100, 200, 500):
        if note > total and rnd.random() < 0.7:
            return Decimal(note)
    return Decimal(int(total) + 1 + rnd.randint(0, 20))


GROCERIES_EN = ["MILO 1KG", "GARDENIA BREAD", "EGG GRED A 10S", "MAGGI CURRY 5S", "SUGAR 1KG", "COCA COLA 1.5L",
                "RICE 5KG", "DUTCH LADY MILK", "KICAP MANIS", "ONION 1KG", "TISSUE 10S", "MINERAL WATER",
                "OLIVE OIL 500ML", "BISCUIT CRM CRACKER", "TEH BOH 100S"]
GROCERIES_DE = ["Bio Honig", "Vollmilch 3,5%", "Bananen", "Butter", "Kaffee Krönung", "Apfelsaft 1,5l", "Brötchen",
                "Gouda jung", "Tomaten", "Spaghetti 500g", "Mineralwasser", "Joghurt Natur", "Äpfel Elstar",
                "Zahnpasta", "Schokolade"]
BAKERY_FR = ["BAGUETTE TRADITION", "CROISSANT", "PAIN AU CHOCOLAT", "TARTE AUX POMMES", "ECLAIR CAFE", "PAIN COMPLET",
             "CHAUSSON POMMES", "FLAN PATISSIER", "MACARON X6", "CAFE ALLONGE"]
DISHES_EN = ["Chicken Rice", "Laksa", "Fish & Chips", "Caesar Salad", "Iced Lemon Tea", "Americano", "Beef Burger",
             "Fried Kway Teow", "Lime Juice", "Chocolate Cake", "Pint Lager"]
HARDWARE_DE = ["Schraubenset 200tlg", "Akku-Bohrschrauber", "Wandfarbe weiß 10l", "Abdeckvlies", "Pinselset",
               "Dübel 6mm 50St", "Silikon transparent", "Malerband 50m", "Holzleim", "Kabelbinder"]
GROCERIES_NL = ["HALFVOLLE MELK", "BRUIN BROOD", "GOUDSE KAAS", "APPELS", "KOFFIE", "PINDAKAAS", "HAGELSLAG",
                "SINAASAPPELSAP", "BANANEN", "STROOPWAFELS", "YOGHURT"]


def make_receipt(seed: int, layout: str | None = None, today: date | None = None) -> Receipt:
    rnd = random.Random(seed * 7919 + 13)
    layout = layout or LAYOUTS[seed % len(LAYOUTS)]
    today = today or date.today()
    return _DRAW[layout](rnd, seed, layout, _moment(rnd, today))


def _my_mart(rnd, seed, layout, when) -> Receipt:
    r = Receipt(seed, layout, "en", rnd.choice([40, 42, 44]), {})
    shop = rnd.choice(["SYARIKAT PERNIAGAAN KIM SENG", "99 SPEED MART S/B", "MYDIN MART SDN BHD", "AEON BIG (M) SDN BHD",
                       "KEDAI RUNCIT AH HOCK", "TESCO STORES (MALAYSIA) SDN BHD"])
    r.add(shop, center=True, bold=True)
    r.add(f"({rnd.randint(100000, 999999)}-{rnd.choice('ADHKMPTUVX')})", center=True)
    r.add(f"NO {rnd.randint(1, 99)}, JALAN {rnd.choice(['SS2/24', 'PUCHONG', 'KLANG LAMA', 'IMBI'])}", center=True)
    r.add(f"GST ID : 00{rnd.randint(1000000000, 9999999999)}", center=True)
    r.add("TAX INVOICE", center=True, bold=True)
    r.add()
    date_text = when.strftime(rnd.choice(["%d/%m/%Y", "%d-%m-%Y", "%d/%m/%Y"]))
    r.pair(f"DATE: {date_text} {when:%H:%M}", f"CASHIER: {rnd.randint(1, 9)}")
    r.add(f"INV NO: {rnd.choice(['CS', 'T', 'OR'])}{rnd.randint(10000000, 99999999)}")
    r.add("-" * r.width)
    items = _items(rnd, GROCERIES_EN, rnd.randint(2, 7))
    gross = Decimal(0)
    for name, qty, price in items:
        amount = _q(price * qty)
        gross += amount
        r.add(name)
        r.pair(f"  {qty} X {price:.2f}", f"{amount:.2f} SR")
    r.add("-" * r.width)
    tax = _q(gross * Decimal("6") / Decimal("106"))
    rounded = _q((gross * 20).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 20)
    style = rnd.randrange(3)
    r.pair(f"TOTAL QTY: {sum(q for _, q, _ in items)}", "")
    if style == 0:
        r.pair("TOTAL SALES (INCL GST)", f"{gross:.2f}")
        r.pair("ROUNDING ADJ", f"{rounded - gross:.2f}")
        r.pair("TOTAL ROUNDED", f"{rounded:.2f}", bold=True)
    elif style == 1:
        r.pair("TOTAL AMOUNT INCL. GST @6%", f"{gross:.2f}")
        r.pair("ROUNDING", f"{rounded - gross:.2f}")
        r.pair("ROUNDED TOTAL (RM)", f"{rounded:.2f}", bold=True)
    else:
        r.pair("SUB TOTAL", f"{gross - tax:.2f}")
        r.pair("GST 6%", f"{tax:.2f}")
        r.pair("TOTAL", f"RM {rounded:.2f}", scale=2.0, bold=True)
        r.pair("ROUNDING ADJUSTMENT", f"{rounded - gross:.2f}")
    cash = _cash_given(rnd, rounded)
    r.pair("CASH", f"{cash:.2f}")
    r.pair("CHANGE", f"{cash - rounded:.2f}")
    r.add()
    r.add("GST SUMMARY", bold=True)
    r.pair("TAX CODE  %   AMT(RM)", "TAX(RM)")
    r.pair(f"SR        6   {gross - tax:.2f}", f"{tax:.2f}")
    r.pair(f"ZR        0   0.00", "0.00")
    r.add()
    r.add("THANK YOU. PLEASE COME AGAIN", center=True)
    r.add("GOODS SOLD ARE NOT RETURNABLE", center=True)
    r.truth = {"amount": rounded, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


def _de_discount(rnd, seed, layout, when) -> Receipt:
    r = Receipt(seed, layout, "de", rnd.choice([34, 38, 40]), {})
    shop = rnd.choice(["NETTO Marken-Discount", "PENNY Markt GmbH", "NORMA", "Lidl", "ALDI SÜD", "Kaufland"])
    r.add(shop, center=True, scale=2.0 if len(shop) * 2 <= r.width else 1.0, bold=True)
    r.add(f"{rnd.choice(['Hauptstraße', 'Bahnhofstr.', 'Marktplatz', 'Am Ring'])} {rnd.randint(1, 140)}", center=True)
    r.add(f"{rnd.randint(10000, 99999)} {rnd.choice(['Paderborn', 'Bielefeld', 'Kassel', 'Münster'])}", center=True)
    r.pair("", "EUR")
    items = _items(rnd, GROCERIES_DE, rnd.randint(3, 8))
    total = Decimal(0)
    group = {"A": Decimal(0), "B": Decimal(0)}
    for name, qty, price in items:
        cls = rnd.choice("AB")
        amount = _q(price * qty)
        total += amount
        group[cls] += amount
        label = f"{name} {_fmt(price, True)} x {qty}" if qty > 1 else name
        r.pair(label, f"{_fmt(amount, True)} {cls}")
    r.add("-" * r.width)
    label = rnd.choice(["SUMME", "Summe", "zu zahlen", "Zu zahlen"])
    r.pair(label, _fmt(total, True), bold=True)
    cash = rnd.random() < 0.6
    if cash:
        given = _cash_given(rnd, total)
        r.pair(rnd.choice(["Bar", "Gegeben BAR", "BAR"]), _fmt(given, True))
        r.pair(rnd.choice(["Rückgeld", "Rückgeld BAR", "Wechselgeld"]), _fmt(given - total, True))
    else:
        r.pair(rnd.choice(["Kartenzahlung", "EC-Karte", "Girocard"]), _fmt(total, True))
    r.add()
    r.pair("MwSt%   MwSt +  Netto =", "Brutto")
    for cls, rate in (("A", 7), ("B", 19)):
        brutto = group[cls]
        if brutto:
            tax = _q(brutto * rate / (100 + rate))
            r.pair(f"{cls} {rate:>2}%  {_fmt(tax, True):>6} {_fmt(brutto - tax, True):>7}", _fmt(brutto, True))
    r.pair("Summe", _fmt(total, True))
    r.add()
    date_text = when.strftime(rnd.choice(["%d.%m.%y %H:%M", "%d.%m.%Y %H:%M"]))
    r.pair(f"{rnd.randint(1000, 9999)} {rnd.randint(100000, 999999)}/{rnd.randint(1, 9):02d}", date_text)
    r.add(f"UST-ID-NR: DE{rnd.randint(100000000, 999999999)}", center=True)
    r.add("Vielen Dank für Ihren Einkauf", center=True)
    r.truth = {"amount": total, "date": when.date(), "currency": "EUR", "issuer": shop}
    return r


def _fr_boulangerie(rnd, seed, layout, when) -> Receipt:
    r = Receipt(seed, layout, "fr", rnd.choice([32, 36, 40]), {})
    shop = rnd.choice(["BOULANGERIE DU MARCHE", "AU PAIN DORE", "MAISON KAYSER", "LA FOURNEE D'AUGUSTIN"])
    r.add(shop, center=True, bold=True)
    r.add(f"{rnd.randint(1, 90)} RUE {rnd.choice(['DE LA PAIX', 'VICTOR HUGO', 'DES LILAS'])}", center=True)
    r.add(f"{rnd.randint(10, 95)}{rnd.randint(100, 999)} {rnd.choice(['PARIS', 'LYON', 'NANTES', 'LILLE'])}", center=True)
    r.add(f"SIRET {rnd.randint(10**13, 10**14 - 1)}", center=True)
    r.add()
    stamp = rnd.choice([when.strftime("Le %d/%m/%Y a %H:%M"), when.strftime("%d/%m/%y %H:%M:%S"),
                        when.strftime("DATE %d.%m.%Y  HEURE %H:%M")])
    r.add(stamp)
    r.add(f"TICKET N. {rnd.randint(1000, 99999)}  CAISSE {rnd.randint(1, 4)}")
    r.add("=" * r.width)
    items = _items(rnd, BAKERY_FR, rnd.randint(2, 6))
    total = Decimal(0)
    for name, qty, price in items:
        amount = _q(price * qty)
        total += amount
        r.pair(f"{qty} {name}", _fmt(amount, True))
    r.add("=" * r.width)
    tax = _q(total * Decimal("5.5") / Decimal("105.5"))
    r.pair(rnd.choice(["TOTAL TTC", "TOTAL EUR", "TOTAL A PAYER"]), f"{_fmt(total, True)} EUR", bold=True,
           scale=rnd.choice([1.0, 2.0]))
    if rnd.random() < 0.6:
        given = _cash_given(rnd, total)
        r.pair(rnd.choice(["ESPECES", "ESP."]), _fmt(given, True))
        r.pair(rnd.choice(["RENDU", "MONNAIE RENDUE"]), _fmt(given - total, True))
    else:
        r.pair("CB SANS CONTACT", _fmt(total, True))
    r.add()
    r.pair("TAUX     HT      TVA", "TTC")
    r.pair(f"5,50%  {_fmt(total - tax, True):>6}  {_fmt(tax, True):>5}", _fmt(total, True))
    r.add()
    r.add("MERCI DE VOTRE VISITE", center=True)
    r.truth = {"amount": total, "date": when.date(), "currency": "EUR", "issuer": shop}
    return r


def _en_restaurant(rnd, seed, layout, when) -> Receipt:
    r = Receipt(seed, layout, "en", rnd.choice([36, 40, 42]), {})
    shop = rnd.choice(["THE COPPER KETTLE CAFE", "GOLDEN DRAGON RESTAURANT", "KOPITIAM CORNER", "THE RED LION PUB"])
    r.add(shop, center=True, bold=True)
    r.add(f"Reg No: {rnd.randint(199000000, 201999999)}{rnd.choice('KMNW')}", center=True)
    r.add(f"Tel: {rnd.randint(6000, 6999)} {rnd.randint(1000, 9999)}", center=True)
    r.add()
    r.pair(f"Table {rnd.randint(1, 30)}", f"Pax: {rnd.randint(1, 6)}")
    r.pair(f"Bill No: {rnd.randint(100000, 999999)}", f"Server: {rnd.choice(['Amy', 'Raj', 'Wei Ling', 'Tom'])}")
    stamp = rnd.choice([when.strftime("%d %b %Y %I:%M %p"), when.strftime("%d/%m/%y %H:%M"),
                        when.strftime("%d-%b-%Y %H:%M")])
    r.add(f"Date: {stamp}")
    r.add("-" * r.width)
    items = _items(rnd, DISHES_EN, rnd.randint(2, 7))
    subtotal = Decimal(0)
    for name, qty, price in items:
        amount = _q(price * qty)
        subtotal += amount
        r.pair(f"{qty} {name}", f"{amount:.2f}")
    r.add("-" * r.width)
    service = _q(subtotal / 10)
    gst = _q((subtotal + service) * 7 / 100)
    total = subtotal + service + gst
    r.pair("Subtotal", f"{subtotal:.2f}")
    r.pair("Svc Charge 10%", f"{service:.2f}")
    r.pair("GST 7%", f"{gst:.2f}")
    r.pair(rnd.choice(["GRAND TOTAL", "Total Amount Due", "TOTAL DUE", "Nett Total"]), f"${total:.2f}", bold=True)
    if rnd.random() < 0.5:
        given = _cash_given(rnd, total)
        r.pair(rnd.choice(["Tendered", "Cash Tendered", "CASH"]), f"{given:.2f}")
        r.pair(rnd.choice(["Change Due", "CHANGE"]), f"{given - total:.2f}")
    else:
        r.pair(rnd.choice(["VISA", "MASTERCARD", "NETS"]), f"{total:.2f}")
    r.add()
    r.add("GST Reg No: M2-" + str(rnd.randint(1000000, 9999999)), center=True)
    r.add("Thank you! See you again", center=True)
    r.truth = {"amount": total, "date": when.date(), "currency": "SGD", "issuer": shop}
    return r


def _de_baumarkt(rnd, seed, layout, when) -> Receipt:
    r = Receipt(seed, layout, "de", rnd.choice([38, 40, 42]), {})
    shop = rnd.choice(["HORNBACH Baumarkt AG", "toom Baumarkt GmbH", "OBI Markt", "BAUHAUS", "Hagebaumarkt"])
    r.add(shop, center=True, bold=True)
    r.add(f"Filiale {rnd.randint(100, 999)}  Tel. 05251 {rnd.randint(100000, 999999)}", center=True)
    r.add()
    items = _items(rnd, HARDWARE_DE, rnd.randint(2, 6))
    total = Decimal(0)
    for name, qty, price in items:
        amount = _q(price * qty)
        total += amount
        r.add(f"{rnd.randint(1000000, 9999999)} {name}")
        r.pair(f"   {qty} St x {_fmt(price, True)}", f"{_fmt(amount, True)} 1")
    r.add("=" * r.width)
    cash = rnd.random() < 0.5
    if cash:
        given = _cash_given(rnd, total)
        # summe, gegeben and rückgeld side by side on two lines, as many tills print them
        r.add(f"SUMME EUR {_fmt(total, True):>9}  GEGEBEN {_fmt(given, True):>8}"[: r.width], bold=True)
        r.pair("", f"RÜCKGELD {_fmt(given - total, True):>8}")
    else:
        r.pair("SUMME EUR", _fmt(total, True), bold=True, scale=rnd.choice([1.0, 2.0]))
        r.pair("EC-Cash", _fmt(total, True))
    netto = _q(total / Decimal("1.19"))
    r.pair("MWST 19%  Netto " + _fmt(netto, True), "MWST " + _fmt(total - netto, True))
    r.add()
    r.add(f"{when:%d.%m.%Y %H:%M}  Bon {rnd.randint(1000, 9999)}  Kasse {rnd.randint(1, 20)}")
    if not cash:
        r.add()
        r.add("Kundenbeleg", center=True)
        r.add(f"Terminal-ID {rnd.randint(10000000, 99999999)}")
        r.add(f"Datum: {when:%d.%m.%y}  Uhrzeit: {when:%H:%M}")
        r.pair("Betrag EUR", _fmt(total, True))
        r.add("Zahlung erfolgt", center=True)
    r.add(f"St.-Nr. {rnd.randint(100, 999)}/{rnd.randint(1000, 9999)}/{rnd.randint(1000, 9999)}", center=True)
    r.truth = {"amount": total, "date": when.date(), "currency": "EUR", "issuer": shop}
    return r


def _nl_supermarkt(rnd, seed, layout, when) -> Receipt:
    r = Receipt(seed, layout, "nl", rnd.choice([34, 38, 40]), {})
    shop = rnd.choice(["Albert Heijn", "JUMBO Supermarkten", "PLUS Boven", "Dirk van den Broek"])
    r.add(shop, center=True, bold=True)
    r.add(f"{rnd.choice(['Kerkstraat', 'Dorpsstraat', 'Stationsweg'])} {rnd.randint(1, 200)}", center=True)
    r.add()
    r.pair("AANTAL OMSCHRIJVING", "BEDRAG")
    items = _items(rnd, GROCERIES_NL, rnd.randint(3, 7))
    total = Decimal(0)
    for name, qty, price in items:
        amount = _q(price * qty)
        total += amount
        r.pair(f"{qty:>3} {name}", _fmt(amount, True))
    r.add("-" * r.width)
    r.pair(f"{sum(q for _, q, _ in items)} SUBTOTAAL", _fmt(total, True))
    r.pair(rnd.choice(["TOTAAL", "TE BETALEN"]), _fmt(total, True), bold=True, scale=rnd.choice([1.0, 2.0]))
    if rnd.random() < 0.5:
        given = _cash_given(rnd, total)
        r.pair("CONTANT", _fmt(given, True))
        r.pair("WISSELGELD", _fmt(given - total, True))
    else:
        r.pair("PINNEN", _fmt(total, True))
    tax = _q(total * 9 / 109)
    r.pair(f"BTW 9%  OVER {_fmt(total - tax, True)}", _fmt(tax, True))
    r.add()
    r.add(f"{rnd.randint(1000, 9999)}  {rnd.randint(10, 99)}  {when:%d-%m-%Y %H:%M}")
    r.add("Bedankt en tot ziens", center=True)
    r.truth = {"amount": total, "date": when.date(), "currency": "EUR", "issuer": shop}
    return r


_DRAW = {"my_mart": _my_mart, "de_discount": _de_discount, "fr_boulangerie": _fr_boulangerie,
         "en_restaurant": _en_restaurant, "de_baumarkt": _de_baumarkt, "nl_supermarkt": _nl_supermarkt}


# ------------------------------------------------------------------ images


def render(receipt: Receipt, px_per_mm: float = 8.0, faint: float = 0.0):
    """The paper strip as a grayscale numpy array (white paper, ~72 mm of print), thermal
    print: ``faint`` 0 is black ink, 1 is very light grey."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    if isinstance(receipt, StyledReceipt):
        return _render_styled(receipt, px_per_mm, faint)
    rnd = random.Random(receipt.seed)
    margin = int(4 * px_per_mm)
    print_width = 72 * px_per_mm
    size = int(print_width / receipt.width / 0.602)  # DejaVu Sans Mono advance = 0.602 em
    line = int(size * 1.25)
    height = margin * 2 + sum(int(line * row.scale) for row in receipt.rows)
    width = int(print_width + 2 * margin)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    ink = int(30 + 150 * faint)
    y = margin
    fonts = {}
    for row in receipt.rows:
        key = (row.bold, row.scale)
        if key not in fonts:
            fonts[key] = ImageFont.truetype(MONO_BOLD if row.bold else MONO, int(size * row.scale))
        text_width = draw.textlength(row.text, font=fonts[key])
        x = margin + (print_width - text_width) / 2 if row.center else margin
        draw.text((x, y), row.text, fill=ink, font=fonts[key])
        y += int(line * row.scale)
    page = np.asarray(image).astype(np.float32)
    if faint:
        # thermal print fades unevenly: across the print head (bands) and down the roll
        bands = 1 + faint * 0.5 * np.sin(np.linspace(0, rnd.uniform(2, 6) * np.pi, width) + rnd.uniform(0, 6))
        fade = np.linspace(1, 1 + faint * rnd.uniform(-0.3, 0.3), height)[:, None]
        page = 255 - (255 - page) / (bands[None, :] * fade).clip(0.6, 3)
    return page.clip(0, 255).astype(np.uint8)


@dataclass(frozen=True)
class Photo:
    """How a phone photo of a receipt came out."""

    width: int = 1000  # pixels across the receipt (phones: 600-2500)
    tilt: float = 0.06  # perspective: corners moved by up to this share of the size
    turn: float = 0.0  # degrees the receipt lies turned on the table
    curl: float = 0.0  # bow of the paper, share of its width
    shadow: float = 0.0  # 0..1 darkness of a shadow across the paper
    faint: float = 0.0  # thermal print lightness
    blur: float = 0.8
    noise: float = 4.0
    jpeg: int = 75

    def label(self) -> str:
        return (f"{self.width}px-tilt{self.tilt:g}-turn{self.turn:g}-curl{self.curl:g}-shadow{self.shadow:g}"
                f"-faint{self.faint:g}-blur{self.blur:g}-jpeg{self.jpeg}")


PHOTO_VARIANTS = [
    Photo(1000, 0.05, 0, 0.0, 0.0, 0.2), Photo(800, 0.08, 3, 0.006, 0.4, 0.3), Photo(1400, 0.04, -4, 0.008, 0.6, 0.0),
    Photo(1200, 0.10, 2, 0.0, 0.3, 0.5, 1.2, 6, 60), Photo(650, 0.04, -2, 0.005, 0.2, 0.3, 0.6, 3, 80),
    Photo(2200, 0.07, 5, 0.01, 0.5, 0.4, 1.5, 5, 70), Photo(1000, 0.12, -6, 0.0, 0.5, 0.6, 1.0, 5, 65),
    Photo(900, 0.06, 1, 0.012, 0.0, 0.4, 0.9, 4, 75),
]


#: the paper as ``photograph`` takes it, this much wider than the receipt ends up in the photo
PAPER_OVER_PHOTO = 1.15


def photo(receipt: Receipt, shot: Photo, path: str | Path) -> Path:
    """A phone photo of the receipt on a table, saved as JPEG claiming 72 dpi."""
    paper = render(receipt, px_per_mm=shot.width / 80 * PAPER_OVER_PHOTO, faint=shot.faint)
    return photograph(paper, shot, receipt.seed, path)


def photograph(paper, shot: Photo, seed: int, path: str | Path) -> Path:
    """A phone photo of ``paper`` (a grayscale image of a receipt, ``shot.width`` x
    ``PAPER_OVER_PHOTO`` pixels across) lying on a table, saved as JPEG claiming 72 dpi; ``seed`` picks the table, the light
    and the noise."""
    import cv2
    import numpy as np
    from PIL import Image

    rnd = random.Random(seed * 31 + shot.width)
    h, w = paper.shape
    if shot.curl:  # the paper bows: lines sag towards the middle of the strip
        xs = np.arange(w, dtype=np.float32)
        sag = (shot.curl * w * np.sin(np.pi * xs / w))[None, :].repeat(h, 0)
        map_x = np.tile(xs, (h, 1))
        map_y = (np.arange(h, dtype=np.float32)[:, None] - sag + shot.curl * w * 0.5).astype(np.float32)
        paper = cv2.remap(paper, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    # the table: a darker, textured surface around the paper
    pad_x, pad_y = int(w * rnd.uniform(0.25, 0.5)), int(h * rnd.uniform(0.06, 0.14))
    size = (w + 2 * pad_x, h + 2 * pad_y)
    tone = rnd.uniform(40, 140)
    table = np.full((size[1], size[0]), tone, np.float32)
    table += cv2.GaussianBlur(np.random.default_rng(seed).normal(0, 25, table.shape).astype(np.float32), (0, 0), 6)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = shot.tilt * min(w, h * 0.5)
    dst = np.float32([[pad_x + x + rnd.uniform(-jitter, jitter), pad_y + y + rnd.uniform(-jitter, jitter)]
                      for x, y in src])
    centre = dst.mean(axis=0)
    turn = np.radians(shot.turn)
    rot = np.float32([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    dst = (dst - centre) @ rot.T + centre
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(paper.astype(np.float32), matrix, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, size, flags=cv2.INTER_LINEAR)
    image = table * (1 - mask) + warped * mask
    # light: brighter at one end; a soft shadow (a hand, the phone) across part of the paper
    yy, xx = np.mgrid[0:size[1], 0:size[0]].astype(np.float32)
    angle = rnd.uniform(0, 2 * np.pi)
    light = 0.85 + 0.15 * ((xx / size[0]) * np.cos(angle) + (yy / size[1]) * np.sin(angle))
    if shot.shadow:
        edge = rnd.uniform(0.3, 0.7) * size[0] + (yy - size[1] / 2) * rnd.uniform(-0.4, 0.4)
        light *= 1 - shot.shadow * 0.6 / (1 + np.exp(-(xx - edge) / (size[0] * 0.03)))
    image = image * light
    if shot.blur:
        image = cv2.GaussianBlur(image, (0, 0), shot.blur * shot.width / 1000)
    # phone resolution: the receipt ends up ``shot.width`` pixels across
    scale = shot.width / (w * 1.0)
    image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if shot.noise:
        image = image + np.random.default_rng(seed + 1).normal(0, shot.noise, image.shape)
    gray = image.clip(0, 255).astype(np.uint8)
    tint = np.array([rnd.uniform(0.9, 1.0), 1.0, rnd.uniform(0.9, 1.05)])  # white balance: a colour photo
    rgb = (gray[..., None] * tint[None, None, :]).clip(0, 255).astype(np.uint8)
    path = Path(path)
    Image.fromarray(rgb).save(path, "JPEG", quality=shot.jpeg, dpi=(72, 72))
    return path


def flatbed(receipt: Receipt, path: str | Path, turn: float | None = None) -> Path:
    """A 300-dpi flatbed scan: the receipt lies somewhere on a white A4 page, slightly turned;
    the paper's edge casts a faint shadow."""
    import cv2

    rnd = random.Random(receipt.seed * 17 + 5)
    paper = render(receipt, px_per_mm=300 / 25.4, faint=rnd.choice([0.0, 0.2, 0.4]))
    return lay_on_flatbed(paper, path, rnd, turn, seed=receipt.seed, edge=200)


def lay_on_flatbed(paper, path: str | Path, rnd: random.Random, turn: float | None = None, lid: int = 250,
                   seed: int = 0, edge: int | None = None) -> Path:
    """``paper`` (a grayscale 300-dpi image of a receipt) placed somewhere on an A4 scanner page
    under a lid of tone ``lid`` (250 white, ~200 grey), turned up to 4 degrees, saved as JPEG;
    ``edge``: the tone of the shadow its edge casts (None: a scan cut out already has none)."""
    import cv2
    import numpy as np
    from PIL import Image

    page_w, page_h = 2480, 3508
    h, w = paper.shape
    if h > page_h - 200:
        paper = cv2.resize(paper, None, fx=(page_h - 200) / h, fy=(page_h - 200) / h, interpolation=cv2.INTER_AREA)
        h, w = paper.shape
    page = np.full((page_h, page_w), lid, np.float32)
    if edge is not None:
        paper = cv2.copyMakeBorder(paper, 2, 2, 2, 2, cv2.BORDER_CONSTANT, value=edge)
    turn = rnd.uniform(-4, 4) if turn is None else turn
    x, y = rnd.randint(60, page_w - w - 60), rnd.randint(60, max(61, page_h - h - 60))
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), turn, 1.0)
    matrix[:, 2] += (x, y)
    # the paper and how much of each page pixel it covers, warped alike: a pixel on its rim is
    # part paper, part lid (warping the paper over a -1 border and keeping what stayed >= 0
    # drew a black outline round every receipt, which no scanner does)
    placed = cv2.warpAffine(paper.astype(np.float32), matrix, (page_w, page_h), flags=cv2.INTER_LINEAR,
                            borderValue=0)
    cover = cv2.warpAffine(np.ones(paper.shape, np.float32), matrix, (page_w, page_h), flags=cv2.INTER_LINEAR,
                           borderValue=0)
    page = placed + (1 - cover) * page
    page += np.random.default_rng(seed).normal(0, 3, page.shape)
    path = Path(path)
    Image.fromarray(page.clip(0, 255).astype(np.uint8)).convert("RGB").save(path, "JPEG", quality=85, dpi=(300, 300))
    return path


def same_amount(got, want) -> bool:
    if got is None:
        return False
    return Decimal(str(got)).quantize(Decimal("0.01")) == Decimal(str(want)).quantize(Decimal("0.01"))


def same_date(got, want: date) -> bool:
    return got is not None and str(got) == want.isoformat()


# ------------------------------------------------------------------ Malaysian English tills (kept out)
#
# Four more English layouts as Malaysian shops print them, kept out of development: a hardware
# shop's dot-matrix docket, a kopitiam's narrow 58 mm slip in a proportional font, a petrol
# station's receipt with loyalty points, a pharmacy's 80 mm or 58 mm receipt in a serif face.
# Each prints decoys that look like amounts or dates (Co. Reg. No., GST ID, phone numbers,
# points balances, card numbers, item counts, the GST summary, cash handed over) and dates
# in the forms these tills use (02/03/2018, 25-03-18, 25 MAR 2018, 2018-03-25, on a line with
# the time and the bill number).

CONDENSED = "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf"
CONDENSED_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf"
SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf"
SERIF_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-Bold.ttf"
WQY_MONO = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"  # index 1: the fixed-pitch face

KEPT_OUT_EN_LAYOUTS = ("my_hardware", "my_kopitiam", "my_petrol", "my_pharmacy")


@dataclass
class StyledReceipt(Receipt):
    """A receipt printed in another face than the thermal mono font: ``face`` is ``dotmatrix``
    (a 9-pin ribbon printer's dots), ``condensed`` or ``serif`` (proportional, as POS software
    prints through a graphics driver) or ``wqy`` (another fixed-pitch design); on paper
    ``paper_mm`` wide (58 or 80)."""

    face: str = "dotmatrix"
    paper_mm: int = 80


def _rm(value: Decimal) -> str:
    return f"{value:,.2f}"


def _round_5sen(value: Decimal) -> Decimal:
    return _q((value * 20).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 20)


def _co_reg(rnd) -> str:
    return rnd.choice([f"{rnd.randint(10000, 999999)}-{rnd.choice('ADHKMPTUVWX')}",
                       f"{rnd.randint(2000, 2019)}0{rnd.randint(1000000, 1999999)} ({rnd.randint(100000, 999999)}-{rnd.choice('AKMPTUV')})"])


def _phone(rnd) -> str:
    return rnd.choice([f"03-{rnd.randint(4000, 9999)} {rnd.randint(1000, 9999)}", f"0{rnd.randint(12, 19)}-{rnd.randint(100, 999)} {rnd.randint(1000, 9999)}",
                       f"07-{rnd.randint(100, 999)} {rnd.randint(1000, 9999)}", f"03-{rnd.randint(40000000, 99999999)}"])


HARDWARE_EN = ["MASKING TAPE 1\"", "PVC PIPE 3/4\" x 6M", "CEMENT 50KG", "WALL PLUG 6MM (100PCS)", "CABLE TIE 8\"",
               "PAINT BRUSH 2\"", "SAND PAPER #120", "SILICONE SEALANT", "G.I. WIRE 1KG", "CONCRETE NAIL 2\"",
               "WD-40 333ML", "HOSE CLIP 1/2\"", "TEFLON TAPE", "SPRAY PAINT BLACK"]
KOPITIAM = ["TEH TARIK (B)", "KOPI O AIS", "NASI LEMAK AYAM", "ROTI CANAI", "MEE GORENG MAMAK", "MILO DINOSAUR",
            "CHAR KUEY TEOW", "HAINAN CHICKEN RICE", "YONG TAU FOO", "LIMAU AIS", "ROTI BAKAR KAYA", "WANTAN MEE"]
PHARMACY = ["PANADOL ACTIFAST 20S", "VITAMIN C 1000MG 30S", "DETTOL HAND WASH", "STREPSILS HONEY", "BAND-AID 20S",
            "COLGATE TOTAL 150G", "SUNSCREEN SPF50", "FACE MASK 50S", "ZINC 20S", "CETAPHIL CLEANSER 250ML",
            "MINYAK CAP KAPAK 28ML", "TIGER BALM 19G"]
MART_EXTRA = ["100PLUS 1.5L", "MENTOS ROLL", "MAGGI CUP", "TWISTIES 60G", "MINERAL WATER 500ML", "KIT KAT 4F"]


def _my_date(rnd, when, forms) -> str:
    form = rnd.choice(forms)
    return when.strftime(form).upper() if "%b" in form else when.strftime(form)


def _my_hardware(rnd, seed, layout, when) -> Receipt:
    """A hardware shop's dot-matrix docket: item codes, qty x unit price, tax codes, totals
    excluding and including GST, a rounding line, cash and change, the GST summary."""
    when = _gst_years(rnd, when)
    r = StyledReceipt(seed, layout, "en", rnd.choice([40, 42]), {}, face="dotmatrix", paper_mm=80)
    shop = rnd.choice(["SYARIKAT PERNIAGAAN GIN KEE", "KEDAI BESI SIN HUAT", "UNIHAKKA HARDWARE SDN BHD",
                       "LEONG HING TRADING CO.", "MR. D.I.Y. (M) SDN BHD", "TECK HENG HARDWARE & TOOLS"])
    r.add(shop, center=True, bold=True)
    r.add(f"(Co. Reg. No. {_co_reg(rnd)})", center=True)
    r.add(f"NO {rnd.randint(1, 300)}, JALAN {rnd.choice(['AIR PANAS', 'SS 15/4', 'KAPAR', 'BATU CAVES'])},", center=True)
    r.add(f"{rnd.randint(40000, 81000)} {rnd.choice(['SETAPAK', 'KLANG', 'SUBANG JAYA', 'JOHOR BAHRU'])}", center=True)
    r.add(f"TEL : {_phone(rnd)}  FAX : {_phone(rnd)}", center=True)
    r.add(f"GST ID : 00{rnd.randint(1000000000, 9999999999)}", center=True)
    r.add(rnd.choice(["TAX INVOICE", "CASH SALE / TAX INVOICE"]), center=True, bold=True)
    r.add()
    day = _my_date(rnd, when, ["%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y", "%d-%m-%y"])
    doc = f"{rnd.choice(['CS', 'CSI', 'INV'])}{rnd.randint(100000, 9999999):08d}"
    if rnd.random() < 0.5:
        r.pair(f"Doc No : {doc}", f"Date: {day}")
        r.pair(f"Cashier: {rnd.choice(['USER', 'ADMIN', 'LIM', 'SITI'])}", f"Time: {when:%H:%M:%S}")
    else:
        r.add(f"Doc No : {doc}")
        r.add(f"Date   : {day} {when:%I:%M:%S %p}")
        r.add(f"Cashier: {rnd.choice(['USER', 'ADMIN', 'LIM', 'SITI'])}   Counter: {rnd.randint(1, 6)}")
    r.add("-" * r.width)
    r.pair("Item  Qty  S/Price", "Amount Tax")
    r.add("-" * r.width)
    gross = Decimal(0)
    count = 0
    for name, qty, price in _items(rnd, HARDWARE_EN, rnd.randint(2, 6)):
        qty = rnd.choice([1, 2, 3, 5, 10, 12]) if price < 5 else qty
        amount = _q(price * qty)
        gross += amount
        count += qty
        r.add(f"{rnd.randint(1000, 99999)} {name}")
        r.pair(f"      {qty:>3}  {price:>7.2f}", f"{amount:.2f} SR")
    r.add("-" * r.width)
    tax = _q(gross * 6 / 106)
    rounded = _round_5sen(gross)
    r.pair(f"Total Qty: {count}", "")
    r.pair("Total Sales (Excluding GST) :", _rm(gross - tax))
    r.pair("Discount :", "0.00")
    r.pair("Total GST :", _rm(tax))
    style = rnd.randrange(3)
    if style == 0:
        r.pair("Rounding :", f"{rounded - gross:.2f}")
        r.pair("Total Sales (Inclusive of GST) :", _rm(rounded), bold=True)
    elif style == 1:
        r.pair("Total Sales (Inclusive of GST) :", _rm(gross))
        r.pair("Rounding Adj :", f"{rounded - gross:.2f}")
        r.pair("Net Total :", _rm(rounded), bold=True)
    else:
        r.pair("Total Incl. GST :", _rm(gross))
        r.pair("Rounding Adjustment :", f"{rounded - gross:.2f}")
        r.pair("TOTAL (RM) :", _rm(rounded), bold=True, scale=2.0)
    cash = _cash_given(rnd, rounded)
    r.add()
    r.pair("CASH :", _rm(cash))
    r.pair("Change :", _rm(cash - rounded))
    r.add()
    r.add("GST Summary", bold=True)
    r.pair("Tax Code    Amount(RM)", "Tax(RM)")
    r.pair(f"SR @ 6%     {gross - tax:>10.2f}", f"{tax:.2f}")
    r.pair(f"ZR @ 0%     {0:>10.2f}", "0.00")
    r.add()
    r.add("Goods Sold Are Not Returnable & Refundable", center=True)
    r.add("****Thank You. Please Come Again.****", center=True)
    r.truth = {"amount": rounded, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


def _my_kopitiam(rnd, seed, layout, when) -> Receipt:
    """A kopitiam's narrow 58 mm slip printed by POS software in a proportional font: the bill
    number, date and time on one line, service charge and GST added on top, rounding, a total
    in RM, cash tendered and change, the number of items, the GST summary."""
    when = _gst_years(rnd, when)
    r = StyledReceipt(seed, layout, "en", rnd.choice([30, 32]), {}, face="condensed", paper_mm=58)
    shop = rnd.choice(["RESTORAN WAN SHENG", "KOPITIAM HAINAN SDN BHD", "RESTORAN NASI KANDAR PELITA",
                       "OLDTOWN KOPI HOUSE", "RESTORAN YI HENG", "MAMAK CORNER SDN BHD"])
    r.add(shop, center=True, bold=True)
    r.add(rnd.choice([f"Co. Reg. No. {_co_reg(rnd)}", f"({_co_reg(rnd)})"]), center=True)
    r.add(f"No.{rnd.randint(1, 99)}, Jalan {rnd.choice(['Temenggung 19/9', 'Imbi', 'Alor', 'Bukit Bintang'])},", center=True)
    r.add(f"{rnd.randint(43000, 56000)} {rnd.choice(['Cheras', 'Kuala Lumpur', 'Kajang', 'Petaling Jaya'])}", center=True)
    r.add(f"Tel: {_phone(rnd)}", center=True)
    r.add(f"GST Reg No: 00{rnd.randint(1000000000, 9999999999)}", center=True)
    r.add(rnd.choice(["SIMPLIFIED TAX INVOICE", "TAX INVOICE"]), center=True, bold=True)
    bill = rnd.randint(10000, 999999)
    form = rnd.randrange(4)
    if form == 0:
        r.add(f"Bill#{bill} {when:%d/%m/%Y} {when:%H:%M}")
    elif form == 1:
        r.add(f"DATE: {when:%d/%m/%Y} TIME: {when:%I:%M %p}")
        r.add(f"Bill No: {bill}")
    elif form == 2:
        r.add(f"Invoice No: {bill}")
        r.add(f"Date: {when:%d-%m-%Y %H:%M:%S}")
    else:
        r.add(f"{when:%d %b %Y}".upper() + f" {when:%H:%M}  #{bill}")
    r.pair(f"Table: {rnd.randint(1, 40)}", f"Pax: {rnd.randint(1, 6)}")
    r.add(f"Cashier: {rnd.choice(['Manager', 'Kasih', 'Ah Meng', 'Counter 1'])}")
    r.add("-" * r.width)
    r.pair("Description  Qty", "Total")
    subtotal = Decimal(0)
    items = 0
    for name, qty, price in _items(rnd, KOPITIAM, rnd.randint(2, 7)):
        price = _q(price / 3)  # a kopitiam's prices: RM 1.50 - 10
        amount = _q(price * qty)
        subtotal += amount
        items += qty
        r.add(name)
        r.pair(f"  {qty} x {price:.2f}", f"{amount:.2f}")
    r.add("-" * r.width)
    service = _q(subtotal / 10) if rnd.random() < 0.5 else Decimal(0)
    gst = _q((subtotal + service) * 6 / 100)
    gross = subtotal + service + gst
    rounded = _round_5sen(gross)
    r.pair("Sub Total", f"{subtotal:.2f}")
    if service:
        r.pair("Service Charge 10%", f"{service:.2f}")
    r.pair("GST 6%", f"{gst:.2f}")
    r.pair("Rounding Adj", f"{rounded - gross:.2f}")
    r.pair(rnd.choice(["TOTAL (RM)", "Total", "TOTAL", "Grand Total"]), f"{rounded:.2f}", bold=True)
    cash = _cash_given(rnd, rounded)
    r.pair(rnd.choice(["CASH", "Tendered", "Cash Tendered"]), f"{cash:.2f}")
    r.pair("CHANGE", f"{cash - rounded:.2f}")
    r.add(f"Total item(s): {items}")
    r.add("GST Summary", bold=True)
    r.pair("     Amount(RM)", "Tax(RM)")
    r.pair(f"S 6%  {subtotal + service:.2f}", f"{gst:.2f}")
    r.pair("Z 0%  0.00", "0.00")
    r.add("Thank You & Come Again", center=True)
    r.add("Wifi: kopi1234", center=True)
    r.truth = {"amount": rounded, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


def _my_petrol(rnd, seed, layout, when) -> Receipt:
    """A petrol station: the operator over the oil company (each with a registration number),
    fuel in litres at a price per litre, a shop item or two, TOTAL INCL. GST, cash or card,
    loyalty points earned and a points balance larger than the sale, dates as 25 MAR 2018 or
    2018-03-25."""
    when = _gst_years(rnd, when)
    r = StyledReceipt(seed, layout, "en", rnd.choice([42, 44, 48]), {}, face="wqy", paper_mm=80)
    brand = rnd.choice(["PETRON", "SHELL", "PETRONAS", "CALTEX", "BHPETROL"])
    station = f"{brand} {rnd.choice(['BATU 7 JLN KLANG LAMA', 'SS2 PETALING JAYA', 'TAMAN MELAWATI', 'JLN IPOH'])}"
    operator = rnd.choice(["KIM HIN ENTERPRISE", "STESEN MINYAK SRI MAJU SDN BHD", "JAYA PETROLEUM SERVICES",
                           "EVERGREEN FUEL STATION SDN BHD"])
    r.add(station, center=True, bold=True)
    r.add(f"{operator} ({rnd.randint(100000, 999999)}-{rnd.choice('AKMPUV')})", center=True)
    r.add(f"KM {rnd.randint(2, 30)}, {rnd.choice(['JALAN KLANG LAMA', 'JALAN IPOH', 'JALAN CHERAS'])}", center=True)
    r.add(f"TEL: {_phone(rnd)}", center=True)
    r.add(f"GST NO: 00{rnd.randint(1000000000, 9999999999)}", center=True)
    r.add("TAX INVOICE", center=True, bold=True)
    r.add()
    receipt_no = f"{rnd.randint(1, 9999):04d}-{rnd.randint(1, 99999):05d}"
    form = rnd.randrange(3)
    if form == 0:
        r.pair(f"{when:%d %b %Y}".upper() + f"  {when:%I:%M %p}", f"BILL: {rnd.randint(100000, 9999999)}")
    elif form == 1:
        r.pair(f"{when:%Y-%m-%d %H:%M:%S}", f"POS {rnd.randint(1, 4)}")
    else:
        r.pair(f"Date: {when:%d/%m/%Y}", f"Time: {when:%H:%M}")
    r.pair(f"Receipt No: {receipt_no}", f"Shift {rnd.randint(1, 3)}")
    r.add("-" * r.width)
    gross = Decimal(0)
    litres = Decimal(rnd.randint(800, 6000)) / 100
    unit = rnd.choice([Decimal("2.20"), Decimal("2.18"), Decimal("2.05"), Decimal("2.30")])
    fuel = _q(litres * unit)
    gross += fuel
    r.add(f"PUMP {rnd.randint(1, 12):02d}  {rnd.choice(['RON95', 'RON97', 'DIESEL'])}")
    r.pair(f"  {litres:.2f}L x RM {unit:.3f}", f"{fuel:.2f} SR")
    for name, qty, price in _items(rnd, MART_EXTRA, rnd.randint(0, 2)):
        price = _q(price / 4 + 1)
        amount = _q(price * qty)
        gross += amount
        r.pair(f"{name} {qty} @{price:.2f}", f"{amount:.2f} SR")
    r.add("-" * r.width)
    tax = _q(gross * 6 / 106)
    r.pair("TOTAL INCL. GST", f"RM {gross:.2f}", bold=True, scale=rnd.choice([1.0, 2.0]))
    r.pair("GST 6% INCLUDED", f"{tax:.2f}")
    if rnd.random() < 0.5:
        cash = _cash_given(rnd, gross)
        r.pair("CASH", f"RM {cash:.2f}")
        r.pair("CHANGE", f"RM {cash - gross:.2f}")
    else:
        r.pair(rnd.choice(["VISA", "MASTERCARD", "DEBIT CARD"]), f"RM {gross:.2f}")
        r.add(f"CARD NO: ************{rnd.randint(1000, 9999)}")
        r.add(f"APPR CODE: {rnd.randint(100000, 999999)}")
    r.add()
    r.pair("GST SUMMARY   AMOUNT(RM)", "TAX(RM)")
    r.pair(f"SR @ 6%       {gross - tax:.2f}", f"{tax:.2f}")
    r.add()
    card = " ".join(str(rnd.randint(1000, 9999)) for _ in range(4))
    r.add(f"{rnd.choice(['MESRA', 'BONUSLINK', 'SHELL ADVANCE'])} CARD: {card}")
    earned = int(gross)
    balance = Decimal(rnd.randint(200, 9000)) + Decimal(earned)
    r.pair("POINTS EARNED", f"{earned}")
    r.pair("POINTS BALANCE", f"{balance:,.2f}")
    r.add()
    r.add("THANK YOU. DRIVE SAFELY", center=True)
    r.truth = {"amount": gross, "date": when.date(), "currency": "MYR", "issuer": station}
    return r


def _my_pharmacy(rnd, seed, layout, when) -> Receipt:
    """A pharmacy's receipt in a serif face on 80 or 58 mm paper: invoice number, date as
    25-03-18 or 2018-03-25 beside the time, discounts, ITEM COUNT, TOTAL INCL. GST, ROUNDING
    ADJ, ROUNDED TOTAL (RM), TENDERED and CHANGE, a member's points, what the member saved."""
    when = _gst_years(rnd, when)
    narrow = rnd.random() < 0.5
    r = StyledReceipt(seed, layout, "en", 32 if narrow else 44, {}, face="serif", paper_mm=58 if narrow else 80)
    shop = rnd.choice(["CARING PHARMACY SDN BHD", "FARMASI AIK CHEONG", "BIG PHARMACY HEALTHCARE SDN BHD",
                       "HEALTH LANE FAMILY PHARMACY", "FARMASI SRI PETALING"])
    r.add(shop, center=True, bold=True)
    r.add(f"Co. Reg. {_co_reg(rnd)}", center=True)
    r.add(f"LOT {rnd.randint(1, 999)}, JALAN {rnd.choice(['PUCHONG', 'KUCHAI LAMA', 'MEGAH'])}", center=True)
    r.add(f"TEL: {_phone(rnd)}", center=True)
    r.add(f"GST REG NO: 00{rnd.randint(1000000000, 9999999999)}", center=True)
    r.add("TAX INVOICE", center=True, bold=True)
    invoice = f"{rnd.choice('ABPT')}{rnd.randint(100000, 999999)}"
    form = rnd.randrange(4)
    if form == 0:
        r.add(f"Invoice#: {invoice}")
        r.add(f"Date: {when:%d-%m-%y}  Time: {when:%H:%M}")
    elif form == 1:
        r.add(f"{when:%Y-%m-%d} {when:%H:%M}  Inv: {invoice}")
    elif form == 2:
        r.add(f"Inv No: {invoice}")
        r.add(f"{when:%d/%m/%Y}  {when:%I:%M:%S %p}")
    else:
        r.add(f"DATE : {when:%d %b %Y}".upper() + f"   TIME : {when:%H:%M}")
        r.add(f"RECEIPT NO : {invoice}")
    r.add(f"Staff: {rnd.randint(100, 999)}  Terminal: {rnd.randint(1, 5)}")
    r.add("=" * r.width)
    gross = Decimal(0)
    count = 0
    saved = Decimal(0)
    for name, qty, price in _items(rnd, PHARMACY, rnd.randint(1, 6)):
        amount = _q(price * qty)
        r.add(name)
        r.pair(f" {qty} x {price:.2f}", f"{amount:.2f}")
        if rnd.random() < 0.3:
            discount = _q(amount / 10)
            r.pair("  DISC 10%", f"-{discount:.2f}")
            amount -= discount
            saved += discount
        gross += amount
        count += qty
    r.add("=" * r.width)
    tax = _q(gross * 6 / 106)
    rounded = _round_5sen(gross)
    r.pair("ITEM COUNT", str(count))
    r.pair("SUB TOTAL", f"{gross - tax:.2f}")
    r.pair("GST 6%", f"{tax:.2f}")
    r.pair("TOTAL INCL. GST", f"{gross:.2f}")
    r.pair("ROUNDING ADJ", f"{rounded - gross:.2f}")
    r.pair("ROUNDED TOTAL (RM)", f"{rounded:.2f}", bold=True)
    if rnd.random() < 0.6:
        tendered = _cash_given(rnd, rounded)
        r.pair("TENDERED", f"{tendered:.2f}")
        r.pair("CHANGE", f"{tendered - rounded:.2f}")
    else:
        r.pair("CREDIT CARD", f"{rounded:.2f}")
        r.pair("CHANGE", "0.00")
    r.add()
    r.add(f"MEMBER: {rnd.randint(1000000, 9999999)}")
    r.pair("POINTS EARNED", f"{int(rounded)}.00")
    if saved:
        r.pair("YOU SAVED RM", f"{saved:.2f}")
    r.add("GST SUMMARY", bold=True)
    r.pair("CODE   AMOUNT(RM)", "TAX(RM)")
    r.pair(f"SR     {gross - tax:.2f}", f"{tax:.2f}")
    r.add("Goods sold are not refundable", center=True)
    r.add("Get well soon!", center=True)
    r.truth = {"amount": rounded, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


BAKERY_MY = ["BUTTER CROISSANT", "KAYA PUFF", "TUNA BUN", "CHICKEN FLOSS BUN", "PANDAN CHIFFON", "EGG TART",
             "CHEESE TART", "WHOLEMEAL LOAF", "SAUSAGE ROLL", "BLACK FOREST SLICE", "ICED LATTE", "HOT CHOCOLATE"]


def _my_bakery(rnd, seed, layout, when) -> Receipt:
    """Written after the reading fixes and measured once, as the held-out figure: a bakery café
    in 2018-2019 under SST (service tax, SST Reg No W10-1808-31001234 that reads like a date),
    its bill number built from the date (20180302-0012), a member discount, totals as NETT
    AMOUNT / GRAND TOTAL (RM) or a label with its amount on the line below, CASH RECEIVED and
    BALANCE, dates as Mar 02, 2018, 02-Mar-2018, 2018/03/02, Date:02/03/2018 or 02.03.2018."""
    when = when.replace(year=rnd.choice([2018, 2019]), day=min(when.day, 28) if when.month == 2 else when.day)
    r = StyledReceipt(seed, layout, "en", rnd.choice([46, 48]), {}, face="condensed", paper_mm=80)
    shop = rnd.choice(["LAVENDER CONFECTIONERY & BAKERY SDN BHD", "BAKE WITH YEN (M) SDN BHD", "ROTI BOY BAKERY",
                       "SECRET RECIPE CAKES & CAFE SDN BHD", "KING'S CONFECTIONERY"])
    r.add(shop, center=True, bold=True)
    r.add(f"Co No: {rnd.randint(100000, 1299999)}-{rnd.choice('DHKTUVW')}", center=True)
    r.add(f"{rnd.randint(1, 88)}-G, Jalan {rnd.choice(['Radin Anum', 'SS 21/37', 'Telawi 3', 'Tun Razak'])},", center=True)
    r.add(f"Tel: {_phone(rnd)}   Fax: {_phone(rnd)}", center=True)
    r.add(f"SST Reg No: W10-{when:%y%m}-{rnd.randint(31000000, 31999999)}", center=True)
    r.add(rnd.choice(["INVOICE", "RECEIPT", "CASH BILL"]), center=True, bold=True)
    bill = f"{when:%Y%m%d}-{rnd.randint(1, 400):04d}"
    form = rnd.randrange(5)
    if form == 0:
        r.add(f"{when:%b %d, %Y %I:%M %p}")
        r.add(f"Bill No: {bill}")
    elif form == 1:
        r.pair(f"Bill No: {bill}", f"{when:%d-%b-%Y}")
        r.pair(f"Cashier: {rnd.choice(['AMIRA', 'JOYCE', 'RAJ'])}", f"{when:%H:%M}")
    elif form == 2:
        r.add(f"{when:%Y/%m/%d %H:%M:%S}  Bill No: {bill}")
    elif form == 3:
        r.add(f"Date:{when:%d/%m/%Y}   Time:{when:%H:%M}")
        r.add(f"Bill No:{bill}")
    else:
        r.pair(f"Bill No: {bill}", f"Date: {when:%d.%m.%Y}")
        r.add(f"Time: {when:%I:%M %p}")
    r.add("-" * r.width)
    subtotal = Decimal(0)
    qty_total = 0
    for name, qty, price in _items(rnd, BAKERY_MY, rnd.randint(2, 6)):
        price = _q(price / 3 + 2)
        amount = _q(price * qty)
        subtotal += amount
        qty_total += qty
        r.pair(f"{qty} {name} @{price:.2f}", f"RM{amount:.2f}")
    r.add("-" * r.width)
    discount = _q(subtotal * rnd.choice([0, 0, 5, 10]) / 100)
    taxable = subtotal - discount
    sst = _q(taxable * 6 / 100)
    gross = taxable + sst
    rounded = _round_5sen(gross)
    r.pair(f"Total Qty: {qty_total}", "")
    r.pair("Sub Total", f"{subtotal:.2f}")
    if discount:
        r.pair("Member Discount", f"-{discount:.2f}")
    r.pair("Service Tax (SST) 6%", f"{sst:.2f}")
    r.pair("Rounding", f"{rounded - gross:.2f}")
    style = rnd.randrange(3)
    if style == 0:
        r.pair("NETT AMOUNT", f"RM{rounded:.2f}", bold=True)
    elif style == 1:
        r.pair("GRAND TOTAL (RM)", f"{rounded:.2f}", bold=True, scale=2.0)
    else:
        r.add("TOTAL AMOUNT PAYABLE", bold=True)
        r.pair("", f"RM {rounded:.2f}", bold=True)
    if rnd.random() < 0.6:
        cash = _cash_given(rnd, rounded)
        r.pair("CASH RECEIVED", f"{cash:.2f}")
        r.pair("BALANCE", f"{cash - rounded:.2f}")
    else:
        r.pair(rnd.choice(["BOOST E-WALLET", "TOUCH N GO EWALLET", "VISA CARD"]), f"{rounded:.2f}")
    r.add()
    r.add(f"Member: {rnd.randint(6000000000, 6999999999)}  Points: {rnd.randint(100, 5000)}.00")
    r.add("Thank you. Please come again!", center=True)
    r.add("Follow us @ facebook.com/bakery", center=True)
    r.truth = {"amount": rounded, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


#: written after the reading fixes, measured once (the held-out figure of this round)
HELD_OUT_EN_LAYOUTS = ("my_bakery",)

_DRAW.update({"my_hardware": _my_hardware, "my_kopitiam": _my_kopitiam, "my_petrol": _my_petrol,
              "my_pharmacy": _my_pharmacy, "my_bakery": _my_bakery})

_FACES = {"condensed": (CONDENSED, CONDENSED_BOLD, 0), "serif": (SERIF, SERIF_BOLD, 0), "wqy": (WQY_MONO, WQY_MONO, 1)}


def _render_styled(receipt: StyledReceipt, px_per_mm: float, faint: float):
    """``render`` for a StyledReceipt: its face on its paper width."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    rnd = random.Random(receipt.seed)
    print_mm = receipt.paper_mm - 8
    margin = int(4 * px_per_mm)
    print_width = print_mm * px_per_mm
    width = int(print_width + 2 * margin)
    if receipt.face == "dotmatrix":
        page = _dot_matrix(receipt, print_width, margin, rnd)
    else:
        regular, bold, index = _FACES[receipt.face]
        probe = ImageFont.truetype(regular, 100, index=index)
        widest = max((probe.getlength(row.text) * row.scale for row in receipt.rows if row.text), default=1)
        size = min(print_width / receipt.width / 0.55, print_width * 100 / widest)
        line = int(size * 1.3)
        height = margin * 2 + sum(int(line * row.scale) for row in receipt.rows)
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        ink = 20
        fonts = {}
        y = margin
        for row in receipt.rows:
            key = (row.bold, row.scale)
            if key not in fonts:
                fonts[key] = ImageFont.truetype(bold if row.bold else regular, int(size * row.scale), index=index)
            font = fonts[key]
            stroke = 1 if row.bold and bold == regular else 0
            if row.center:
                x = margin + (print_width - draw.textlength(row.text, font=font)) / 2
                draw.text((x, y), row.text, fill=ink, font=font, stroke_width=stroke, stroke_fill=ink)
            else:
                # columns at their character position; the last one right-aligned when the line is full
                cols = [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", row.text)]
                per_char = print_width / (receipt.width / row.scale)
                for n, (start, text) in enumerate(cols):
                    if n and n == len(cols) - 1 and start + len(text) >= receipt.width / row.scale - 1:
                        x = margin + print_width - draw.textlength(text, font=font)
                    else:
                        x = margin + start * per_char
                    draw.text((x, y), text, fill=ink, font=font, stroke_width=stroke, stroke_fill=ink)
            y += int(line * row.scale)
        page = np.asarray(image).astype(np.float32)
    height = page.shape[0]
    if faint:
        bands = 1 + faint * 0.5 * np.sin(np.linspace(0, rnd.uniform(2, 6) * np.pi, width) + rnd.uniform(0, 6))
        fade = np.linspace(1, 1 + faint * rnd.uniform(-0.3, 0.3), height)[:, None]
        page = 255 - (255 - page) / (bands[None, :] * fade).clip(0.6, 3)
    return page.clip(0, 255).astype(np.uint8)


def _dot_matrix(receipt: StyledReceipt, print_width: float, margin: int, rnd: random.Random):
    """The receipt as a 9-pin printer strikes it: each character a grid of round dots through a
    ribbon that wears unevenly (some dots weak or missing), lines not quite level."""
    import cv2
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    cell_w, cell_h = 6, 11  # dots per character cell (a 5x7 glyph, spacing and descenders)
    cols = receipt.width
    dots = []
    for row in receipt.rows:
        scale = 2 if row.scale >= 2 else 1
        grid = Image.new("1", (cols * cell_w, cell_h * scale), 0)
        draw = ImageDraw.Draw(grid)
        draw.fontmode = "1"
        font = ImageFont.truetype(MONO_BOLD if row.bold else MONO, int(9.6 * scale))
        text = row.text.center(int(cols / scale)) if row.center else row.text
        for n, ch in enumerate(text[: int(cols / scale)]):
            draw.text((n * cell_w * scale, 0), ch, fill=1, font=font)
        dots.append(np.asarray(grid, dtype=np.uint8))
    bitmap = np.vstack(dots)
    pitch = print_width / (cols * cell_w)
    h, w = bitmap.shape
    out_h, out_w = int(h * pitch) + 2 * margin, int(w * pitch) + 2 * margin
    ink = np.zeros((out_h, out_w), np.float32)
    gen = np.random.default_rng(receipt.seed)
    ys, xs = np.nonzero(bitmap)
    strength = gen.uniform(0.55, 1.0, len(ys)) * (gen.random(len(ys)) > 0.04)
    wobble = np.cumsum(gen.normal(0, 0.02, h))  # the paper feed is not quite even
    py = ((ys + wobble[ys]) * pitch + margin).astype(int).clip(0, out_h - 1)
    px = (xs * pitch + margin).astype(int).clip(0, out_w - 1)
    np.maximum.at(ink, (py, px), strength)
    radius = max(1, int(pitch * 0.55))
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    ink = cv2.dilate(ink, disc)
    ink = cv2.GaussianBlur(ink, (0, 0), max(0.5, pitch * 0.25))
    ribbon = rnd.uniform(150, 210)  # a worn ribbon: grey, never black
    page = 255 - ink.clip(0, 1) * ribbon
    return page[:, : int(print_width + 2 * margin)] if page.shape[1] > print_width + 2 * margin else page


# ------------------------------------------------------------------ German tills with a worn date
#
# Thermal print wears where the print head's dots have died or the paper was rubbed: a digit of
# the till's date stamp loses part of its strokes (a 5 whose top bar is gone reads as a 6, an
# 8 with a gap as a 3 or 0). German tills print the purchase date more than once: the bon's stamp,
# the card terminal's slip (``Datum: 25.02.20  Uhrzeit: 14:52``) and, since 2020, the fiscal unit's
# (TSE) start and stop stamps in ISO form. These receipts have one digit of the bon's stamp worn;
# the other prints are clean, as they mostly are (they are printed elsewhere on the strip).

WORN_DE_SHOPS = ["EDEKA Center", "REWE Markt GmbH", "dm-drogerie markt", "Kaufland Filiale", "Globus Markthalle"]


def make_worn_german_receipt(seed: int, today: date | None = None, printed_once: bool = False) -> Receipt:
    """A German supermarket till receipt paid by card, whose bon date stamp has one worn digit
    (``truth["worn"]``: the row and column of that digit, for ``render_worn``).
    ``printed_once``: paid in cash instead, so no card slip or fiscal unit prints the date
    again: nothing on the receipt can settle the worn digit (real's Paderborn till, 2020)."""
    rnd = random.Random(seed * 4099 + 7)
    when = _moment(rnd, today or date.today())
    r = Receipt(seed, "de_worn_date", "de", rnd.choice([38, 40, 42]), {})
    shop = rnd.choice(WORN_DE_SHOPS)
    r.add(shop, center=True, bold=True)
    r.add(f"{rnd.choice(['Lange Str.', 'Westernstr.', 'Marienplatz'])} {rnd.randint(1, 90)}", center=True)
    r.add(f"{rnd.randint(10000, 99999)} {rnd.choice(['Paderborn', 'Hamm', 'Detmold', 'Soest'])}", center=True)
    r.pair("", "EUR")
    total = Decimal(0)
    for name, qty, price in _items(rnd, GROCERIES_DE, rnd.randint(3, 7)):
        amount = _q(price * qty)
        total += amount
        r.pair(f"{name} {_fmt(price, True)} x {qty}" if qty > 1 else name, f"{_fmt(amount, True)} B")
    r.add("-" * r.width)
    r.pair("SUMME EUR", _fmt(total, True), bold=True)
    if printed_once:
        given = _cash_given(rnd, total)
        r.pair("Geg. Bar EUR", _fmt(given, True))
        r.pair("Rückgeld EUR", _fmt(given - total, True))
    else:
        r.pair("Geg. EC-Karte EUR", _fmt(total, True))
    tax = _q(total * 7 / 107)
    r.pair(f"B  7,0%  {_fmt(total - tax, True):>7} {_fmt(tax, True):>6}", _fmt(total, True))
    r.add()
    stamp = when.strftime(rnd.choice(["%d.%m.%y %H:%M", "%d.%m.%Y %H:%M"]))
    r.add(f"{stamp}  Bon {rnd.randint(1000, 9999)}  Kasse {rnd.randint(1, 9)}")
    worn_row = len(r.rows) - 1
    if printed_once:
        r.add()
        r.add("Vielen Dank für Ihren Einkauf", center=True)
        column = rnd.choice([0, 1, 3, 4])
        r.truth = {"amount": total, "date": when.date(), "currency": "EUR", "issuer": shop,
                   "worn": (worn_row, column)}
        return r
    r.add()
    r.add("Kundenbeleg", center=True)
    r.add(f"Terminal-ID {rnd.randint(10000000, 99999999)}")
    r.add(f"Datum: {when:%d.%m.%y}  Uhrzeit: {when:%H:%M}")
    r.pair("Betrag EUR", _fmt(total, True))
    r.add("Zahlung erfolgt", center=True)
    if rnd.random() < 0.7:
        r.add(f"TSE-Start: {when:%Y-%m-%dT%H:%M}:{max(when.second - 40, 0):02d}")
        r.add(f"TSE-Stop:  {when:%Y-%m-%dT%H:%M:%S}")
    r.add("Vielen Dank für Ihren Einkauf", center=True)
    # a digit of the day or the month (never the year's leading 20, which no reading doubts)
    column = rnd.choice([0, 1, 3, 4])
    r.truth = {"amount": total, "date": when.date(), "currency": "EUR", "issuer": shop,
               "worn": (worn_row, column)}
    return r


def render_worn(receipt: Receipt, px_per_mm: float = 300 / 25.4, faint: float = 0.0):
    """``render`` with one digit of the receipt's date stamp worn: part of the strokes of the
    character at ``truth["worn"]`` gone (a band across its top, its middle or its left side,
    as dead dots of a print head and rubbing leave them), the rest faded."""
    import numpy as np

    paper = render(receipt, px_per_mm, faint).astype(np.float32)
    row, column = receipt.truth["worn"]
    rnd = random.Random(receipt.seed * 13 + 1)
    # the geometry ``render`` lays text out by (fixed pitch, rows of 1.25 em)
    margin = int(4 * px_per_mm)
    size = int(72 * px_per_mm / receipt.width / 0.602)
    line = int(size * 1.25)
    y0 = margin + sum(int(line * r.scale) for r in receipt.rows[:row])
    x0 = margin + int(column * size * 0.602)
    cell = paper[y0:y0 + size + size // 4, x0:x0 + int(size * 0.602) + 1]
    h, w = cell.shape
    # the glyph's ink lies between about 0.2 and 0.95 of the em: where the worn band falls
    top, bottom = int(0.2 * h), int(0.8 * h)
    part = rnd.choice(["top", "middle", "left", "right"])
    band = {"top": (slice(top, top + int(0.28 * (bottom - top))), slice(None)),
            "middle": (slice(top + int(0.38 * (bottom - top)), top + int(0.62 * (bottom - top))), slice(None)),
            "left": (slice(top, bottom), slice(0, int(0.45 * w))),
            "right": (slice(top, bottom), slice(int(0.55 * w), None))}[part]
    cell[band] = 255 - (255 - cell[band]) * 0.08
    cell[:] = 255 - (255 - cell) * rnd.uniform(0.45, 0.7)
    return paper.clip(0, 255).astype(np.uint8)


def worn_flatbed(receipt: Receipt, path: str | Path) -> Path:
    """The worn receipt as a 300-dpi flatbed scan (like ``flatbed``)."""
    rnd = random.Random(receipt.seed * 17 + 5)
    paper = render_worn(receipt, faint=rnd.choice([0.0, 0.2]))
    return lay_on_flatbed(paper, path, rnd, seed=receipt.seed, edge=200)


# ------------------------------------------------------------------ Malaysian tills of the GST years (2015-2018)
#
# Four more layouts in the style public descriptions of Malaysian receipts give, written before
# the reader's receipt rules were looked at: a bookshop's dot-matrix tax invoice with an
# Invoice No and a long list, a minimart's thermal slip with item codes and a date like
# 25.12.18 beside the time, a restaurant's bill in a proportional face with service charge
# and a per-line tax code, and (kept out of development, only measured) a building-supply
# trading company's dot-matrix cash bill. Each prints the company registration number as
# (123456-X), a GST ID, TOTAL INCL. GST beside ROUNDING ADJ / ROUNDING and a rounded total,
# CASH and CHANGE, and a GST summary whose SR 6% row carries an amount and its tax.

STATIONERY_MY = ["A4 PAPER 80GSM 500S", "BALL PEN BLUE 0.7MM", "CORRECTION TAPE", "EXERCISE BOOK 80PG",
                 "HIGHLIGHTER YELLOW", "STAPLER NO.10", "STAPLES NO.10 BOX", "FILE FOLDER A4", "GLUE STICK 21G",
                 "SCISSORS 8IN", "RULER 30CM", "CALCULATOR CASIO MX12", "PENCIL 2B (12S)", "ERASER WHITE",
                 "SHARPENER DOUBLE", "MARKER PEN BLACK", "SCOTCH TAPE 18MM", "ENVELOPE BROWN 9X4", "NOTE PAD 3X3",
                 "CLEAR HOLDER 20P"]
MINIMART_MY = ["GARDENIA WHITE 400G", "FARM FRESH MILK 1L", "NESCAFE 3IN1 15S", "AYAM BRAND SARDIN", "MAGGI KARI 5S",
               "HUP SENG CREAM CRACKER", "DUTCH LADY CHOC 200ML", "SPRITZER 1.5L", "JASMINE RICE 5KG", "BERAS WANGI 10KG",
               "SERI MURNI MINYAK 2KG", "GULA PASIR 1KG", "TELUR AYAM GRED B", "KICAP CAP KIPAS", "MAMEE MONSTER",
               "ROTI JALA", "LADY'S CHOICE KAYA", "F&N OREN 325ML", "SUNLIGHT 900ML", "DYNAMO 2.7KG",
               "COLGATE 175G", "LIFEBUOY SOAP 3S", "PAPER TOWEL 2S", "ICE CREAM POTONG"]
RESTAURANT_MY = ["NASI GORENG KAMPUNG", "AYAM GORENG BEREMPAH", "TOM YAM SEAFOOD", "KANGKUNG BELACAN", "IKAN BAKAR",
                 "SOTONG GORENG TEPUNG", "TELUR DADAR", "NASI PUTIH", "SIRAP BANDUNG", "TEH O AIS LIMAU",
                 "JUS TEMBIKAI", "AIR KOSONG", "CENDOL PULUT", "SATAY AYAM (10)"]
BUILDING_MY = ["CEMENT PORTLAND 50KG", "RIVER SAND (TON)", "BRC A7 MESH", "PVC PIPE 4IN CLASS B", "ELBOW 4IN 90DEG",
               "Y-BAR 10MM X 12M", "PLYWOOD 12MM 4X8", "BINDING WIRE 20KG", "NAIL 3IN (KG)", "ROOF SCREW 2.5IN",
               "WATERPROOF SEALER 5L", "TILE ADHESIVE 25KG", "SKIM COAT 40KG", "WHEELBARROW"]

SROIE_FIT_LAYOUTS = ("my_bookshop_invoice", "my_minimart_long", "my_restaurant_bill", "my_print_shop")
SROIE_KEPT_OUT_LAYOUTS = ("my_trading_cashbill",)


def _gst_years(rnd, when: datetime) -> datetime:
    """The moment moved into April 2015 - May 2018, when Malaysian tills charged GST at 6% (the day
    kept up to the 28th, so that every month has it). The Malaysian English layouts
    drew 2015-2019 before, GST printed on dates it no longer existed."""
    year = rnd.choice([2015, 2016, 2017, 2018])
    month = when.month if year != 2018 else min(when.month, 5)
    month = max(month, 4) if year == 2015 else month
    return when.replace(year=year, month=month, day=min(when.day, 28))


def _company_no(rnd) -> str:
    """A company registration number as printed under the shop's name: (123456-X)."""
    return f"({rnd.randint(10000, 1299999)}-{rnd.choice('ADHKMPTUVWX')})"


def _gst_id(rnd) -> str:
    return f"00{rnd.randint(1000000000, 9999999999)}"


def _spread(width: int, *cells: tuple[str, int]) -> str:
    """Columns each right-aligned to a character position (cell, end column)."""
    line = ""
    for text, end in cells:
        start = max(len(line) + 1 if line else 0, end - len(text))
        line = line.ljust(start) + text
    return line[:width]


def _my_bookshop_invoice(rnd, seed, layout, when) -> Receipt:
    """A bookshop and stationer's tax invoice struck on a dot-matrix printer: 'Invoice No'
    and a date like 25-DEC-18 with the time, a long list with quantity, unit price, amount and
    tax code, totals excluding GST, the GST, TOTAL INCL. GST, ROUNDING ADJ and TOTAL ROUNDED,
    CASH and CHANGE, then a GST summary table."""
    when = _gst_years(rnd, when)
    r = StyledReceipt(seed, layout, "en", 42, {}, face="dotmatrix", paper_mm=80)
    shop = rnd.choice(["MEDAN ILMU BOOK & STATIONERY SDN BHD", "KEDAI BUKU SENG FATT", "PUSTAKA CAHAYA SDN BHD",
                       "GOLDEN PEN STATIONERY TRADING", "ANSON BOOK CENTRE"])
    r.add(shop, center=True, bold=True)
    r.add(_company_no(rnd), center=True)
    r.add(f"{rnd.randint(1, 120)}, JALAN {rnd.choice(['PASAR BARU', 'TUANKU ABDUL RAHMAN', 'MASJID INDIA', 'SULTAN'])}", center=True)
    r.add(f"{rnd.randint(50000, 59999)} KUALA LUMPUR", center=True)
    r.add(f"TEL: {_phone(rnd)}", center=True)
    r.add(f"GST ID NO: {_gst_id(rnd)}", center=True)
    r.add("TAX INVOICE", center=True, bold=True)
    r.add()
    invoice = f"{rnd.choice(['IV', 'INV', 'SI'])}{rnd.randint(1, 99):02d}-{rnd.randint(10000, 99999)}"
    stamp = when.strftime("%d-%b-%y").upper()
    if rnd.random() < 0.5:
        r.pair(f"Invoice No: {invoice}", f"Date: {stamp}")
        r.pair(f"Cashier : {rnd.choice(['NORAINI', 'MEI LING', 'KUMAR'])}", f"Time: {when:%H:%M}")
    else:
        r.add(f"Invoice No : {invoice}")
        r.add(f"Date       : {stamp} {when:%H:%M:%S}")
    r.add("-" * r.width)
    r.add(_spread(r.width, ("DESCRIPTION", 11), ("QTY", 24), ("U/PRICE", 32), ("AMOUNT", 39), ("TX", 42)))
    r.add("-" * r.width)
    gross = Decimal(0)
    count = 0
    for name, qty, price in _items(rnd, STATIONERY_MY, rnd.randint(5, 14)):
        price = _q(price / 3 + Decimal("0.50"))
        qty = rnd.choice([1, 1, 2, 3, 5, 10, 12]) if price < 4 else qty
        amount = _q(price * qty)
        gross += amount
        count += qty
        r.add(name)
        r.add(_spread(r.width, (str(qty), 24), (f"{price:.2f}", 32), (f"{amount:.2f}", 39), ("SR", 42)))
    r.add("-" * r.width)
    tax = _q(gross * 6 / 106)
    rounded = _round_5sen(gross)
    r.pair(f"NO. OF ITEMS: {count}", "")
    r.pair("TOTAL EXCL. GST", f"{gross - tax:.2f}")
    r.pair("GST @ 6%", f"{tax:.2f}")
    r.pair("TOTAL INCL. GST", f"{gross:.2f}")
    r.pair("ROUNDING ADJ", f"{rounded - gross:.2f}")
    r.pair("TOTAL ROUNDED", f"{rounded:.2f}", bold=True)
    cash = _cash_given(rnd, rounded)
    r.pair("CASH", f"{cash:.2f}")
    r.pair("CHANGE", f"{cash - rounded:.2f}")
    r.add()
    r.add("GST SUMMARY")
    r.add(_spread(r.width, ("CODE", 4), ("RATE", 11), ("AMOUNT(RM)", 26), ("TAX(RM)", 36)))
    r.add(_spread(r.width, ("SR", 2), ("6%", 11), (f"{gross - tax:.2f}", 26), (f"{tax:.2f}", 36)))
    r.add(_spread(r.width, ("ZR", 2), ("0%", 11), ("0.00", 26), ("0.00", 36)))
    r.add()
    r.add("GOODS SOLD ARE NOT RETURNABLE", center=True)
    r.add("THANK YOU FOR YOUR PATRONAGE", center=True)
    r.truth = {"amount": rounded, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


def _my_minimart_long(rnd, seed, layout, when) -> Receipt:
    """A minimart's thermal slip with a long list (12-24 lines, each item code over its
    quantity and price), the date as 25.12.18 beside the time and the terminal, the GST
    shown per line as a code, 'Total Sales Incl GST', 'Rounding', 'Total Payable', cash and
    change, the GST summary, and the date printed again at the foot as 25/12/2018."""
    when = _gst_years(rnd, when)
    r = Receipt(seed, layout, "en", rnd.choice([40, 42]), {})
    shop = rnd.choice(["PASARAYA BORONG SRI INDAH", "MYNEWS MINI MARKET", "FAMILY STORE ENTERPRISE",
                       "HERO MINIMARKET SDN BHD", "KEDAI RUNCIT BAN LEE"])
    r.add(shop, center=True, bold=True)
    r.add(f"CO NO {_company_no(rnd)}", center=True)
    r.add(f"GST ID: {_gst_id(rnd)}", center=True)
    r.add(f"LOT PT {rnd.randint(100, 9999)}, TAMAN {rnd.choice(['MELATI', 'SRI GOMBAK', 'DESA', 'CONNAUGHT'])}", center=True)
    r.add(rnd.choice(["TAX INVOICE", "SIMPLIFIED TAX INVOICE"]), center=True)
    r.add()
    r.add(f"{when:%d.%m.%y} {when:%H:%M} T{rnd.randint(1, 9):02d} R{rnd.randint(1000, 99999)}")
    r.add(f"Invoice No: {rnd.randint(1, 9)}{rnd.randint(10000000, 99999999)}")
    r.add("=" * r.width)
    gross = Decimal(0)
    lines = 0
    names = MINIMART_MY[:]
    for name, qty, price in _items(rnd, names, rnd.randint(12, 24)):
        price = _q(price / 2 + Decimal("0.60"))
        amount = _q(price * qty)
        code = rnd.choice(["SR", "SR", "SR", "ZR"])
        gross += amount
        lines += 1
        r.add(f"{rnd.randint(10**11, 10**12 - 1)} {name}"[: r.width])
        r.pair(f"   {qty} @ {price:.2f}", f"{amount:.2f} {code}")
    r.add("=" * r.width)
    sr = gross  # the ZR lines carry no tax: GST on the SR lines only
    taxed = Decimal(0)
    for row in r.rows:
        if row.text.endswith(" SR"):
            taxed += Decimal(row.text.split()[-2])
    tax = _q(taxed * 6 / 106)
    rounded = _round_5sen(gross)
    r.pair(f"Item(s): {lines}", "")
    r.pair("Total Sales Incl GST", f"{gross:.2f}")
    r.pair("Rounding", f"{rounded - gross:.2f}")
    r.pair("Total Payable", f"{rounded:.2f}", bold=True, scale=rnd.choice([1.0, 2.0]))
    cash = _cash_given(rnd, rounded)
    r.pair("Cash", f"{cash:.2f}")
    r.pair("Change", f"{cash - rounded:.2f}")
    r.add()
    r.pair("GST Summary    Amount", "Tax")
    r.pair(f"SR @6%        {taxed - tax:.2f}", f"{tax:.2f}")
    r.pair(f"ZR @0%        {sr - taxed:.2f}", "0.00")
    r.add()
    r.add(f"{when:%d/%m/%Y} {when:%I:%M:%S %p}", center=True)
    r.add("Thank you, please come again", center=True)
    r.truth = {"amount": rounded, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


def _my_restaurant_bill(rnd, seed, layout, when) -> Receipt:
    """A restaurant's bill printed by POS software in a proportional face: the order and
    table, the date as 2018-12-25 with the time, dishes with a tax code each, a service
    charge, GST 6%, 'Total Incl. GST', rounding and 'NET TOTAL', paid by cash or card, and a
    GST summary with the service charge in it."""
    when = _gst_years(rnd, when)
    r = StyledReceipt(seed, layout, "en", rnd.choice([44, 46]), {}, face="condensed", paper_mm=80)
    shop = rnd.choice(["RESTORAN SERI MELAKA SDN BHD", "D'TANDOOR CUISINE SDN BHD", "WARUNG PAK MAT SDN BHD",
                       "RESTORAN KIM LIAN KEE", "ASAM PEDAS CORNER"])
    r.add(shop, center=True, bold=True)
    r.add(_company_no(rnd), center=True)
    r.add(f"GST Reg: {_gst_id(rnd)}", center=True)
    r.add(f"{rnd.randint(1, 60)}, Jalan {rnd.choice(['Bangsar', 'Ampang', 'Sultan Ismail', 'Othman'])}, KL", center=True)
    r.add(f"Tel: {_phone(rnd)}", center=True)
    r.add("TAX INVOICE", center=True, bold=True)
    r.pair(f"Order: {rnd.randint(1000, 9999)}", f"Table: {rnd.choice('ABC')}{rnd.randint(1, 30)}")
    r.pair(f"{when:%Y-%m-%d} {when:%H:%M:%S}", f"Pax: {rnd.randint(1, 8)}")
    r.add(f"Bill No: {rnd.choice(['B', 'R'])}{rnd.randint(100000, 999999)}")
    r.add("-" * r.width)
    subtotal = Decimal(0)
    for name, qty, price in _items(rnd, RESTAURANT_MY, rnd.randint(3, 9)):
        price = _q(price / 2 + 2)
        amount = _q(price * qty)
        subtotal += amount
        r.pair(f"{qty} {name}", f"{amount:.2f} SR")
    r.add("-" * r.width)
    service = _q(subtotal / 10)
    gst = _q((subtotal + service) * 6 / 100)
    gross = subtotal + service + gst
    rounded = _round_5sen(gross)
    r.pair("Sub-Total", f"{subtotal:.2f}")
    r.pair("Service Chrg 10%", f"{service:.2f}")
    r.pair("GST 6%", f"{gst:.2f}")
    r.pair("Total Incl. GST", f"{gross:.2f}")
    r.pair("Rounding", f"{rounded - gross:.2f}")
    r.pair("NET TOTAL", f"RM {rounded:.2f}", bold=True)
    if rnd.random() < 0.6:
        cash = _cash_given(rnd, rounded)
        r.pair("CASH", f"{cash:.2f}")
        r.pair("CHANGE", f"{cash - rounded:.2f}")
    else:
        r.pair(rnd.choice(["MASTER", "VISA", "MAYBANK DEBIT"]), f"{rounded:.2f}")
        r.add(f"XXXX XXXX XXXX {rnd.randint(1000, 9999)}")
    r.add()
    r.add("GST Summary", bold=True)
    r.pair("Tax   Amount (RM)", "GST (RM)")
    r.pair(f"SR 6%   {subtotal + service:.2f}", f"{gst:.2f}")
    r.add()
    r.add("Thank you. Please come again!", center=True)
    r.truth = {"amount": rounded, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


def _my_trading_cashbill(rnd, seed, layout, when) -> Receipt:
    """Kept out of development: a building-supply trading company's dot-matrix cash bill
    with its company number and GST ID, 'CASH BILL / TAX INVOICE', the bill number and a date
    as 25/12/2018, item lines with UOM, 'TOTAL AMOUNT', 'GST 6%', 'TOTAL INCL. GST',
    'ROUNDING' and 'GRAND TOTAL', paid by cash, and the GST summary."""
    when = _gst_years(rnd, when)
    r = StyledReceipt(seed, layout, "en", rnd.choice([40, 44]), {}, face="dotmatrix", paper_mm=80)
    shop = rnd.choice(["SYARIKAT BINAAN JAYA MAJU", "HOCK SENG BUILDING MATERIALS SDN BHD",
                       "PERNIAGAAN BATA MERAH", "LIM BROTHERS TRADING CO", "KWONG HENG HARDWARE SDN BHD"])
    r.add(shop, center=True, bold=True)
    r.add(f"Company No. {_company_no(rnd)}", center=True)
    r.add(f"LOT {rnd.randint(1, 9999)}, BATU {rnd.randint(2, 20)}, JALAN {rnd.choice(['SUNGAI BULOH', 'KAPAR', 'SEMENYIH'])}", center=True)
    r.add(f"TEL {_phone(rnd)}", center=True)
    r.add(f"GST Reg. No. : {_gst_id(rnd)}", center=True)
    r.add("CASH BILL / TAX INVOICE", center=True, bold=True)
    r.add()
    r.pair(f"Bill No : CB{rnd.randint(100000, 999999)}", f"Date : {when:%d/%m/%Y}")
    r.pair(f"Salesman: {rnd.choice(['AH KAU', 'RAVI', 'ZUL'])}", f"Time : {when:%H:%M}")
    r.add("-" * r.width)
    r.pair("ITEM            QTY UOM   PRICE", "AMOUNT")
    r.add("-" * r.width)
    subtotal = Decimal(0)
    for name, qty, price in _items(rnd, BUILDING_MY, rnd.randint(3, 9)):
        qty = rnd.choice([1, 2, 4, 5, 10, 20])
        price = _q(price + 3)
        amount = _q(price * qty)
        subtotal += amount
        r.add(name)
        r.pair(f"              {qty:>4} {rnd.choice(['PCS', 'BAG', 'ROLL', 'UNIT'])} {price:>7.2f}", f"{amount:.2f}")
    r.add("-" * r.width)
    gst = _q(subtotal * 6 / 100)
    gross = subtotal + gst
    rounded = _round_5sen(gross)
    r.pair("TOTAL AMOUNT", _rm(subtotal))
    r.pair("GST 6%", _rm(gst))
    r.pair("TOTAL INCL. GST", _rm(gross))
    r.pair("ROUNDING", f"{rounded - gross:.2f}")
    r.pair("GRAND TOTAL", _rm(rounded), bold=True)
    cash = _cash_given(rnd, rounded)
    r.pair("CASH", _rm(cash))
    r.pair("CHANGE", _rm(cash - rounded))
    r.add()
    r.pair("GST SUMMARY  AMOUNT(RM)", "TAX(RM)")
    r.pair(f"SR 6%       {_rm(subtotal)}", _rm(gst))
    r.add()
    r.add("Received by: ____________", center=False)
    r.add("Goods sold are not returnable", center=True)
    r.truth = {"amount": rounded, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


_DRAW.update({"my_bookshop_invoice": _my_bookshop_invoice, "my_minimart_long": _my_minimart_long,
              "my_restaurant_bill": _my_restaurant_bill, "my_trading_cashbill": _my_trading_cashbill})


# ------------------------------------------------------------------ a dot-matrix workshop invoice (kept out)
#
# Written before any change to the reading of dot-matrix print this round, measured before and
# after, never developed on: a tyre and service workshop's tax invoice struck on a 9-pin printer.
# It prints what such invoices carry beside the amount paid: the car's registration and its
# mileage (a number with a thousands comma), parts and labour lines with a tax code, the total
# before and after GST, a rounding adjustment, the amount tendered and the change or a card's
# approval code, a GST summary, and often the date of the next service. The invoice date comes
# with the month as a word (14 NOV 2017, 14-Nov-2017) or as digits.

WORKSHOP_MY = ["TYRE 195/65R15 MICHELIN", "TYRE 205/55R16 BRIDGESTONE", "BATTERY NS60 AMARON", "ENGINE OIL 5W30 4L",
               "OIL FILTER", "AIR FILTER", "BRAKE PAD FRONT", "WIPER BLADE 22IN", "SPARK PLUG", "COOLANT 1L",
               "WHEEL ALIGNMENT", "WHEEL BALANCING", "LABOUR CHARGES", "TYRE VALVE", "NITROGEN FILLING",
               "ATF FLUID 1L", "BRAKE FLUID DOT4"]

DOTMATRIX_KEPT_OUT_LAYOUTS = ("my_tyre_workshop",)


def _my_tyre_workshop(rnd, seed, layout, when) -> Receipt:
    """Kept out of development: a tyre and service workshop's dot-matrix tax invoice (see the
    block comment above)."""
    when = _gst_years(rnd, when)
    r = StyledReceipt(seed, layout, "en", rnd.choice([40, 42]), {}, face="dotmatrix", paper_mm=80)
    shop = rnd.choice(["SIN LEE TYRE & BATTERY SERVICE", "BENGKEL KERETA AUTO JAYA", "CHOP KIM HIN TAYAR SDN BHD",
                       "SPEEDWAY AUTO SERVICE CENTRE", "TAYAR DAN BATERI SRI MUDA"])
    r.add(shop, center=True, bold=True)
    r.add(rnd.choice([f"Co. No. {_company_no(rnd)}", f"{_company_no(rnd)}"]), center=True)
    r.add(f"NO {rnd.randint(1, 88)}, JALAN {rnd.choice(['KLANG LAMA', 'IPOH', 'PUCHONG', 'KEPONG BARU'])}", center=True)
    r.add(f"{rnd.randint(41000, 58200)} {rnd.choice(['KUALA LUMPUR', 'PUCHONG', 'KLANG', 'SELAYANG'])}", center=True)
    r.add(f"H/P {_phone(rnd)}", center=True)
    r.add(f"GST No: {_gst_id(rnd)}", center=True)
    r.add("TAX INVOICE", center=True, bold=True)
    r.add()
    form = rnd.choice(["%d %b %Y", "%d-%b-%Y", "%d %b %Y", "%d/%m/%Y"])
    stamp = when.strftime(form).upper() if "%b" in form else when.strftime(form)
    number = f"{rnd.choice(['W', 'TI', 'INV'])}{when:%y}-{rnd.randint(1, 99999):05d}"
    plate = f"{rnd.choice(['W', 'B', 'J', 'P', 'V'])}{rnd.choice('ABCDKLMPSTVWXY')}{rnd.choice('ABCDKLMPSTVWXY')} {rnd.randint(1, 9999)}"
    mileage = rnd.randint(8000, 240000)
    r.pair(f"Inv No : {number}", f"Date : {stamp}")
    r.pair(f"Car No : {plate}", f"Time : {when:%I:%M %p}")
    r.add(f"Mileage: {mileage:,} KM")
    r.add("-" * r.width)
    r.pair("DESCRIPTION      QTY   PRICE", "AMOUNT")
    r.add("-" * r.width)
    gross = Decimal(0)
    for name, qty, price in _items(rnd, WORKSHOP_MY, rnd.randint(2, 6)):
        qty = rnd.choice([1, 1, 2, 4]) if name.startswith("TYRE") else 1
        price = _q(price * 4 + 15)
        amount = _q(price * qty)
        gross += amount
        r.add(name)
        r.pair(f"                 {qty:>3} {price:>7.2f}", f"{amount:.2f} S")
    r.add("-" * r.width)
    tax = _q(gross * 6 / 106)
    rounded = _round_5sen(gross)
    r.pair("Sub Total (Excl GST)", _rm(gross - tax))
    r.pair("GST 6%", _rm(tax))
    r.pair("Total (Incl GST)", _rm(gross))
    if rounded != gross or rnd.random() < 0.5:
        r.pair("Rounding Adj", f"{rounded - gross:.2f}")
    r.pair(rnd.choice(["NETT PAYABLE (RM)", "AMOUNT DUE", "TOTAL PAYABLE"]), _rm(rounded), bold=True)
    r.add()
    if rnd.random() < 0.6:
        cash = _cash_given(rnd, rounded)
        r.pair("Cash Tendered", _rm(cash))
        r.pair("Change Due", _rm(cash - rounded))
    else:
        r.pair(rnd.choice(["VISA", "MASTERCARD", "DEBIT CARD"]), _rm(rounded))
        r.add(f"Card: ************{rnd.randint(1000, 9999)}  Appr: {rnd.randint(100000, 999999)}")
    r.add()
    r.pair("GST Summary   Amt(RM)", "GST(RM)")
    r.pair(f"S = 6%      {_rm(gross - tax):>10}", _rm(tax))
    r.add()
    if rnd.random() < 0.7:
        later = when + timedelta(days=rnd.choice([90, 120, 180]))
        r.add(f"Next Service: {mileage + 5000:,} KM or {later:%d/%m/%Y}")
    r.add("Warranty as per manufacturer terms", center=True)
    r.add("Thank You, Drive Safely", center=True)
    r.truth = {"amount": rounded, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


_DRAW.update({"my_tyre_workshop": _my_tyre_workshop})


# ------------------------------------------------------------------ a dot-matrix development layout
#
# Written to develop the dot-matrix digit reading on (a slashed zero read as 6, 8 or 9, faint
# ribbon), so that the kept-out dot-matrix dockets above stay kept out: another trade, other
# wording and another arrangement (each job on one line with its own count, the amounts in an
# RM column, the GST code before the amount, the tax analysis as a two-line block).

PRINT_JOBS_MY = ["PHOTOSTAT A4 B/W", "PHOTOSTAT A3 B/W", "COLOUR PRINT A4", "COLOUR PRINT A3", "COMB BINDING",
                 "THERMAL BINDING", "LAMINATE A4", "LAMINATE A3", "SCAN TO PDF", "NAME CARD 1 BOX",
                 "RUBBER STAMP", "BANNER 2X6FT", "BOOKLET PRINTING", "SPIRAL BINDING", "FAX LOCAL"]
_JOB_PRICES = {"PHOTOSTAT A4 B/W": "0.08", "PHOTOSTAT A3 B/W": "0.20", "COLOUR PRINT A4": "1.00",
               "COLOUR PRINT A3": "2.00", "COMB BINDING": "3.00", "THERMAL BINDING": "5.00", "LAMINATE A4": "1.50",
               "LAMINATE A3": "3.00", "SCAN TO PDF": "0.35", "NAME CARD 1 BOX": "30.00", "RUBBER STAMP": "18.00",
               "BANNER 2X6FT": "40.00", "BOOKLET PRINTING": "60.00", "SPIRAL BINDING": "4.00", "FAX LOCAL": "1.06"}


def _my_print_shop(rnd, seed, layout, when) -> Receipt:
    """A printing and photocopy shop's official receipt from a dot-matrix printer: round
    prices (0.10 a copy, 30.00 a box of cards) and so many zeros, each job on one line with
    its count, the GST code before an amount in an RM column, 'Amount Before GST', 'GST
    Payable 6%', 'Total Amount', 'Rounding Adj', 'AMOUNT PAYABLE', 'CASH RECEIVED' and
    'CHANGE DUE', and a GST analysis whose rates stand on one line and amounts on the next."""
    when = _gst_years(rnd, when)
    r = StyledReceipt(seed, layout, "en", 40, {}, face="dotmatrix", paper_mm=80)
    shop = rnd.choice(["KEDAI CETAK ANGKASA", "SRI MUTIARA PRINTING SDN BHD", "PERCETAKAN BUDI JAYA",
                       "COPYWORLD DIGITAL ENTERPRISE", "MEGA PRINT & COPY CENTRE"])
    r.add(shop, center=True, bold=True)
    r.add(f"CO. REG {_company_no(rnd)}", center=True)
    r.add(f"NO {rnd.randint(1, 90)} JALAN {rnd.choice(['SS2/24', 'USJ 9/5', 'KENARI 3', 'MERANTI 1'])}", center=True)
    r.add(f"{rnd.choice(['47300 PETALING JAYA', '47610 SUBANG JAYA', '81300 SKUDAI', '14000 BUKIT MERTAJAM'])}",
          center=True)
    r.add(f"GST REG NO : {_gst_id(rnd)}", center=True)
    r.add()
    r.add("OFFICIAL RECEIPT", center=True, bold=True)
    r.add(f"Receipt # : OR-{rnd.randint(1000, 99999):06d}")
    form = rnd.choice(["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y"])
    clock = rnd.choice(["%H:%M", "%I:%M%p"])
    r.add(f"Date/Time : {when.strftime(form)} {when.strftime(clock)}")
    r.add(f"Served by : {rnd.choice(['AISYAH', 'WONG', 'RAVI', 'FARAH'])}")
    r.add("-" * r.width)
    r.add(_spread(r.width, ("JOB", 3), ("GST", 31), ("RM", 40)))
    gross = Decimal(0)
    for name in rnd.sample(PRINT_JOBS_MY, rnd.randint(3, 8)):
        unit = Decimal(_JOB_PRICES[name])
        count = rnd.choice([10, 20, 50, 100, 120, 200, 250]) if unit < 1 else rnd.choice([1, 1, 2, 3, 4, 5, 10])
        amount = _q(unit * count)
        gross += amount
        r.add(_spread(r.width, (f"{name} x{count}", len(name) + 2 + len(str(count))), ("S", 31),
                      (f"{amount:.2f}", 40)))
    r.add("-" * r.width)
    tax = _q(gross * 6 / 106)
    rounded = _round_5sen(gross)
    r.pair("Amount Before GST", f"{gross - tax:.2f}")
    r.pair("GST Payable 6%", f"{tax:.2f}")
    r.pair("Total Amount", f"{gross:.2f}")
    r.pair("Rounding Adj", f"{rounded - gross:.2f}")
    r.pair("AMOUNT PAYABLE", f"{rounded:.2f}", bold=True)
    cash = _cash_given(rnd, rounded)
    r.pair("CASH RECEIVED", f"{cash:.2f}")
    r.pair("CHANGE DUE", f"{cash - rounded:.2f}")
    r.add("-" * r.width)
    r.add("GST ANALYSIS")
    r.add(_spread(r.width, ("S = 6%", 6), ("Z = 0%", 24)))
    r.add(_spread(r.width, (f"{gross - tax:.2f} / {tax:.2f}", 16), ("0.00 / 0.00", 34)))
    r.add()
    r.add("E&OE. No refund after 7 days", center=True)
    r.truth = {"amount": rounded, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


_DRAW.update({"my_print_shop": _my_print_shop})


# ------------------------------------------------------------------ two layouts nobody developed on
#
# Written from how real Malaysian tills print, before the reading was looked at with them, and
# only ever measured (``UNSEEN_EN_LAYOUTS``): a hypermarket's long thermal slip and a
# stationery shop's counter receipt after GST (2019-2024: no tax line at all, or SST built into
# the price). What they carry that the other layouts do not: the barcode of each item on its
# own line, the total after rounding as 'Total After Adj Incl GST', a long invoice number made
# of the date's digits, the date and time printed only at the very bottom beside the store,
# terminal and transaction numbers; e-wallet and DuitNow QR payments, the new 12-digit company
# numbers (202001012345 (1371234-X)), the state as 'SELANGOR DARUL EHSAN'.

HYPERMARKET_MY = ["BERAS SUPER SPECIAL 10KG", "GULA KASAR 1KG", "TELUR AYAM GRED B 30S", "MINYAK MASAK 5KG",
                  "SUSU PEKAT MANIS", "ROTI GARDENIA 400G", "AYAM SEGAR (KG)", "BAWANG MERAH 1KG", "SABUN DOBI 3KG",
                  "NESCAFE 3IN1 30S", "MILO ACTIV-GO 2KG", "IKAN KEMBUNG (KG)", "SAYUR SAWI", "TOILET ROLL 10S",
                  "DUTCH LADY UHT 1L", "MAGGI KARI 5X79G", "SARDIN AYAM 425G", "TAUFU (2PCS)"]
STATIONERY_AFTER_GST_MY = ["A4 PAPER 80GSM 500'S", "BALL PEN BLUE 0.7MM", "CORRECTION TAPE 5MM", "EXERCISE BOOK 80PG",
                           "FILE FOLDER A4", "STAPLER NO.10", "STAPLES NO.10 (1000)", "SCISSORS 7\"", "GLUE STICK 21G",
                           "HIGHLIGHTER YELLOW", "RULER 30CM", "MARKER PEN BLACK", "ENVELOPE A4 BROWN (10)", "ART BLOCK A3",
                           "COLOUR PENCIL 24C", "CALCULATOR 12 DIGIT", "CLEAR HOLDER 20 POCKETS", "PAPER CLIP 33MM"]
_STATES = ["SELANGOR DARUL EHSAN", "KUALA LUMPUR", "JOHOR DARUL TAKZIM", "PULAU PINANG", "PERAK DARUL RIDZUAN",
           "NEGERI SEMBILAN", "MELAKA", "KEDAH DARUL AMAN"]


def _post_gst_years(rnd, when: datetime) -> datetime:
    """The moment moved into 2019-2024, after GST was repealed (retail goods carry no tax line)."""
    return when.replace(year=rnd.randint(2019, 2024), day=min(when.day, 28))


def _new_company_no(rnd, when: datetime) -> str:
    """The registration number as printed since 2019: the 12-digit number with the old one after it."""
    return f"{rnd.randint(1990, when.year)}01{rnd.randint(100000, 999999):06d} ({rnd.randint(10000, 1399999)}-{rnd.choice('ADHKMPTUVWX')})"


def _my_hypermarket(rnd, seed, layout, when) -> Receipt:
    """A hypermarket's thermal slip (mono font, 80 mm): the company with its number, the branch,
    a three-line address ending in the state, GST ID and shopping hours in the GST years; each
    item's barcode on a line of its own, then quantity x price, amount and tax code, promotions
    as negative lines; Sub-total, Total Sales Incl GST, Rounding Adj, Total After Adj Incl GST
    (after GST: SUBTOTAL, ROUNDING ADJ, TOTAL), the payment and Change Amt, the item count, an
    invoice number made of the date's digits, the GST summary, member points, and the date and
    time only at the bottom among the store, terminal and transaction numbers."""
    gst = rnd.random() < 0.5
    when = _gst_years(rnd, when) if gst else _post_gst_years(rnd, when)
    r = Receipt(seed, layout, "en", rnd.choice([42, 44, 48]), {})
    shop = rnd.choice(["TF VALUE-MART SDN BHD", "ECONSAVE CASH & CARRY (KL) SDN BHD", "NSK TRADE CITY SDN BHD",
                       "GIANT HYPERMARKET", "SERI ANGGERIK HYPERMARKET SDN BHD", "PASARAYA BESAR MEGAMAX"])
    company = f"({rnd.randint(10000, 1299999)}-{rnd.choice('ADHKMPTUVWX')})" if gst else f"({_new_company_no(rnd, when)})"
    if len(shop) + len(company) < r.width:
        r.add(f"{shop} {company}", center=True, bold=True)
    else:
        r.add(shop, center=True, bold=True)
        r.add(company, center=True)
    branch = rnd.choice(["TAMAN MALURI", "BANDAR PUCHONG JAYA", "SETIA ALAM", "KOTA DAMANSARA", "BATU PAHAT", "BUTTERWORTH"])
    r.add(f"{branch} BRANCH", center=True)
    r.add(f"LOT {rnd.randint(100, 99999)}, JALAN {rnd.choice(['KLANG LAMA', 'PUCHONG', 'SETIA PRIMA', 'KUCHAI LAMA', 'BAGAN LUAR'])},",
          center=True)
    r.add(f"{rnd.randint(10000, 86000)} {branch}, {rnd.choice(_STATES)}", center=True)
    r.add(f"TEL: {_phone(rnd)}", center=True)
    if gst:
        r.add(f"GST ID : {_gst_id(rnd)}", center=True)
        r.add("TAX INVOICE", center=True, bold=True)
    r.add(f"OPERATING HOURS: {rnd.choice(['9AM - 10PM', '8.00AM - 11.00PM', '10AM - 10PM'])}", center=True)
    r.add("-" * r.width)
    gross = Decimal(0)
    taxed = Decimal(0)
    count = 0
    for name, qty, price in _items(rnd, HYPERMARKET_MY, rnd.randint(3, 9)):
        amount = _q(price * qty)
        code = rnd.choice(["SR", "SR", "ZR"]) if gst else ""
        r.add(f"{rnd.randint(10 ** 12, 10 ** 13 - 1)}")
        r.pair(f"  {name}" if qty == 1 else f"  {name}", "")
        r.pair(f"    {qty} X {price:.2f}", f"{amount:.2f} {code}".rstrip())
        if rnd.random() < 0.2:
            promo = _q(amount * rnd.choice([10, 15, 20]) / 100)
            r.pair("    PROMO DISC", f"-{promo:.2f} {code}".rstrip())
            amount -= promo
        gross += amount
        taxed += amount if code == "SR" else 0
        count += qty
    r.add("-" * r.width)
    rounded = _round_5sen(gross)
    card = rnd.random() < 0.4
    paid_exact = card or rnd.random() < 0.2  # e-wallet and cards pay the exact amount: no rounding
    due = gross if paid_exact else rounded
    if gst:
        r.pair("Sub-total", _rm(gross))
        r.pair("Total Sales Incl GST", _rm(gross))
        r.pair("Rounding Adj", f"{due - gross:.2f}")
        r.pair("Total After Adj Incl GST", _rm(due), bold=True)
    else:
        r.pair("SUBTOTAL", _rm(gross))
        r.pair("ROUNDING ADJ", f"{due - gross:.2f}")
        r.pair(rnd.choice(["TOTAL", "TOTAL DUE", "TOTAL (RM)"]), _rm(due), bold=True, scale=rnd.choice([1.0, 2.0]))
    if card:
        r.pair(rnd.choice(["VISA", "MASTER", "DEBIT MYDEBIT", "TNG EWALLET", "DUITNOW QR"]), _rm(due))
        r.pair("Change Amt", "0.00")
    else:
        cash = _cash_given(rnd, due)
        r.pair("CASH", _rm(cash))
        r.pair("Change Amt", _rm(cash - due))
    r.pair("Item Count", str(count))
    r.add(f"Invoice No: {when:%Y%m%d}{rnd.randint(1000, 9999)}{rnd.randint(10000, 99999)}")
    if gst:
        tax = _q(taxed * 6 / 106)
        r.add()
        r.pair("GST Summary     Amount(RM)", "Tax(RM)")
        r.pair(f"SR @ 6%        {taxed - tax:>10.2f}", f"{tax:.2f}")
        r.pair(f"ZR @ 0%        {gross - taxed:>10.2f}", "0.00")
    r.add()
    if rnd.random() < 0.6:
        r.add(f"Member No: {rnd.randint(1000, 9999)} {rnd.randint(1000, 9999)} {rnd.randint(1000, 9999)}")
        r.pair("Points Earned", str(int(due)))
        r.pair("Points Balance", f"{rnd.randint(100, 20000):,}")
    r.add()
    stamp = rnd.choice(["%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d/%m/%y %H:%M"])
    r.add(f"{when.strftime(stamp)} {rnd.randint(1, 9999):04d} {rnd.randint(1, 40):03d} {rnd.randint(1, 9999):04d} "
          f"{rnd.randint(1000, 9999)}")
    r.add("THANK YOU FOR SHOPPING WITH US", center=True)
    r.add("Exchange within 7 days with receipt", center=True)
    r.truth = {"amount": due, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


def _my_stationery(rnd, seed, layout, when) -> Receipt:
    """A stationery and book shop's counter receipt after GST, from POS software in a
    proportional face (58 or 80 mm): a 12-digit company number, an email address, CASH
    RECEIPT, the receipt number, date and time in one of the forms POS software prints
    (14/07/2021 03:32 PM, 14 Jul 2021 15:32, 2021-07-14 15:32:08), each item with quantity x
    price, Total Qty, Sub Total, a discount, Rounding, the total as TOTAL, Total Amount (RM),
    AMOUNT DUE or NET TOTAL with RM before it or not, cash and change or DuitNow QR, and a
    'printed on' stamp."""
    when = _post_gst_years(rnd, when)
    narrow = rnd.random() < 0.5
    r = StyledReceipt(seed, layout, "en", 32 if narrow else 44, {}, face=rnd.choice(["condensed", "serif"]),
                      paper_mm=58 if narrow else 80)
    shop = rnd.choice(["KEDAI BUKU & ALAT TULIS SERI INDAH", "PUSTAKA RAKYAT SDN BHD", "MEGA STATIONERY ENTERPRISE",
                       "OFFICE MART (KL) SDN BHD", "BOOKS & STATIONERY HUB PLT", "SYARIKAT ALAT TULIS CHEONG FATT"])
    r.add(shop, center=True, bold=True)
    r.add(f"Reg. No: {_new_company_no(rnd, when)}", center=True)
    r.add(f"{rnd.randint(1, 120)}, Jalan {rnd.choice(['Bangsar', 'SS 2/55', 'Wong Ah Fook', 'Tuanku Abdul Rahman', 'USJ 10/1'])},",
          center=True)
    r.add(f"{rnd.randint(10000, 86000)} {rnd.choice(['Kuala Lumpur', 'Petaling Jaya', 'Johor Bahru', 'Subang Jaya'])},", center=True)
    r.add(rnd.choice(_STATES).title(), center=True)
    r.add(f"Tel: {_phone(rnd)}", center=True)
    r.add(f"Email: {rnd.choice(['sales', 'enquiry', 'admin'])}@{rnd.choice(['serindah', 'pustakarakyat', 'megastat'])}.com.my",
          center=True)
    r.add()
    r.add(rnd.choice(["CASH RECEIPT", "RECEIPT", "CASH SALES"]), center=True, bold=True)
    receipt_no = f"{rnd.choice(['CS', 'R', 'POS1-'])}{rnd.randint(1, 999999):06d}"
    form = rnd.randrange(4)
    if form == 0:
        r.add(f"Receipt No : {receipt_no}")
        r.add(f"Date       : {when:%d/%m/%Y %I:%M %p}")
    elif form == 1:
        r.pair(f"No: {receipt_no}", f"{when:%d %b %Y %H:%M}")
    elif form == 2:
        r.add(f"Receipt #{receipt_no}")
        r.add(f"{when:%Y-%m-%d %H:%M:%S}")
    else:
        r.pair(f"Date: {when:%d-%m-%Y}", f"Time: {when:%H:%M}")
        r.add(f"Receipt: {receipt_no}")
    r.add(f"Cashier: {rnd.choice(['NURUL', 'KAVITHA', 'MEI LING', 'ADMIN'])}   Counter: {rnd.randint(1, 4):02d}")
    r.add("-" * r.width)
    subtotal = Decimal(0)
    qty_total = 0
    for name, qty, price in _items(rnd, STATIONERY_AFTER_GST_MY, rnd.randint(1, 7)):
        price = _q(price / 2)
        qty = rnd.choice([1, 2, 5, 10, 12]) if price < 3 else qty
        amount = _q(price * qty)
        subtotal += amount
        qty_total += qty
        r.add(name)
        r.pair(f"  {qty} x {price:.2f}", f"{amount:.2f}")
    r.add("-" * r.width)
    discount = _q(subtotal * rnd.choice([0, 0, 0, 5, 10]) / 100)
    net = subtotal - discount
    card = rnd.random() < 0.4
    due = net if card else _round_5sen(net)
    r.pair("Total Qty", str(qty_total))
    r.pair("Sub Total", f"{subtotal:.2f}")
    if discount:
        r.pair(rnd.choice(["Discount", "Member Disc 5%" if discount * 20 == subtotal else "Disc"]), f"-{discount:.2f}")
    r.pair("Rounding", f"{due - net:.2f}")
    label, amount = rnd.choice([("TOTAL", f"RM {due:.2f}"), ("Total Amount (RM)", f"{due:.2f}"),
                                ("AMOUNT DUE", f"RM{due:.2f}"), ("NET TOTAL", f"{due:.2f}")])
    r.pair(label, amount, bold=True)
    if card:
        r.pair(rnd.choice(["DuitNow QR", "Credit Card", "Boost", "GrabPay"]), f"{due:.2f}")
        r.add(f"Ref: {rnd.randint(10 ** 9, 10 ** 10 - 1)}")
    else:
        cash = _cash_given(rnd, due)
        r.pair("Cash", f"{cash:.2f}")
        r.pair("Change", f"{cash - due:.2f}")
    r.add()
    r.add("Goods sold are not returnable.", center=True)
    r.add("Exchange within 3 days with receipt.", center=True)
    r.add("Thank you, please come again!", center=True)
    r.add(f"Printed: {when:%d/%m/%Y} {when.hour:02d}:{min(when.minute + 1, 59):02d}", center=True)
    r.truth = {"amount": due, "date": when.date(), "currency": "MYR", "issuer": shop}
    return r


#: never developed on: measured only (benchmarks/receipts.py "Malaysian EN unseen")
UNSEEN_EN_LAYOUTS = ("my_hypermarket", "my_stationery")

_DRAW.update({"my_hypermarket": _my_hypermarket, "my_stationery": _my_stationery})


# ------------------------------------------------------------------ hard phone photos (paper finding)
#
# Photos that make the paper hard to find: a receipt small in the frame (a fifth to two fifths of
# it), the phone held well off square (the far end up to a third narrower), a strong shadow with
# a straight edge across paper and table alike, a dark, patterned or nearly paper-coloured
# surface, curl and faint print. ``hard_photo`` returns where the paper's corners truly lie, so
# a paper finder's cut can be measured against them (``benchmarks/paper_finding.py``).

@dataclass(frozen=True)
class HardShot:
    """How a hard phone photo of a receipt came out."""

    width: int = 1000  # pixels across the receipt
    share: float = 0.3  # of the frame the paper covers
    pitch: float = 15.0  # degrees the phone leans back: the far end of the paper looks narrower
    turn: float = 0.0  # degrees the receipt lies turned in the frame
    curl: float = 0.0
    shadow: float = 0.0  # 0..1 darkness of a straight-edged shadow over part of paper and table
    surface: str = "dark"  # dark, wood, tiles, light (little darker than the paper)
    paper: int = 240  # the paper's tone where lit
    faint: float = 0.0

    def label(self) -> str:
        return (f"{self.surface}-share{self.share:.2f}-pitch{self.pitch:.0f}-turn{self.turn:.0f}-curl{self.curl:g}"
                f"-shadow{self.shadow:g}-paper{self.paper}-faint{self.faint:g}")


def _surface(kind: str, size: tuple[int, int], rnd: random.Random, seed: int):
    import cv2
    import numpy as np

    height, width = size
    noise = cv2.GaussianBlur(np.random.default_rng(seed).normal(0, 20, (height, width)).astype(np.float32), (0, 0), 4)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    if kind == "wood":  # grain: bands of lighter and darker brown along the boards
        grain = np.sin(yy / rnd.uniform(8, 20) + 3 * np.sin(xx / rnd.uniform(60, 150)))
        return rnd.uniform(90, 120) + 35 * grain + noise
    if kind == "tiles":  # light tiles, dark joints: bright patches as large as the receipt's blocks
        step = int(min(height, width) / rnd.uniform(4, 7))
        joints = ((yy.astype(int) % step) < step // 12) | ((xx.astype(int) % step) < step // 12)
        return np.where(joints, rnd.uniform(50, 80), rnd.uniform(150, 185)) + noise
    if kind == "light":  # a pale desk, little darker than the paper
        return rnd.uniform(165, 190) + noise * 0.5
    return rnd.uniform(30, 80) + noise  # dark


def hard_photo(receipt: Receipt, shot: HardShot, path: str | Path):
    """(path, corners): a phone photo of the receipt as ``shot`` says, saved as JPEG claiming
    72 dpi, and the paper's four corners in it (top-left first, clockwise)."""
    import cv2
    import numpy as np
    from PIL import Image

    rnd = random.Random(receipt.seed * 37 + shot.width)
    paper = render(receipt, px_per_mm=shot.width / 80, faint=shot.faint).astype(np.float32)
    paper = paper * shot.paper / 255.0
    h, w = paper.shape
    if shot.curl:
        xs = np.arange(w, dtype=np.float32)
        sag = (shot.curl * w * np.sin(np.pi * xs / w))[None, :].repeat(h, 0)
        map_y = (np.arange(h, dtype=np.float32)[:, None] - sag + shot.curl * w * 0.5).astype(np.float32)
        paper = cv2.remap(paper, np.tile(xs, (h, 1)), map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    # the far (top) end narrower by the phone's lean, the whole turned in the frame
    narrow = 0.5 * w * (1 - np.cos(np.radians(shot.pitch))) * 4
    shorten = np.cos(np.radians(shot.pitch))
    quad = np.float32([[narrow / 2, 0], [w - narrow / 2, 0], [w, h * shorten], [0, h * shorten]])
    quad[:, 0] += rnd.uniform(-0.04, 0.04) * w * np.array([1, -1, 0, 0])
    centre = quad.mean(axis=0)
    turn = np.radians(shot.turn)
    rot = np.float32([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    quad = (quad - centre) @ rot.T
    area = cv2.contourArea(quad)
    frame_w, frame_h = float(np.ptp(quad[:, 0])), float(np.ptp(quad[:, 1]))
    # the frame: a phone's 3:4, large enough that the paper covers ``share`` of it
    side = np.sqrt(area / shot.share / 0.75)
    size_w, size_h = int(max(side, frame_w * 1.1)), int(max(side / 0.75, frame_h * 1.1))
    offset = np.float32([rnd.uniform(frame_w / 2 + 0.03 * size_w, size_w - frame_w / 2 - 0.03 * size_w),
                         rnd.uniform(frame_h / 2 + 0.03 * size_h, size_h - frame_h / 2 - 0.03 * size_h)])
    quad = (quad + offset).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), quad)
    table = _surface(shot.surface, (size_h, size_w), rnd, receipt.seed)
    warped = cv2.warpPerspective(paper, matrix, (size_w, size_h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, (size_w, size_h), flags=cv2.INTER_LINEAR)
    image = table * (1 - mask) + warped * mask
    yy, xx = np.mgrid[0:size_h, 0:size_w].astype(np.float32)
    angle = rnd.uniform(0, 2 * np.pi)
    light = 0.88 + 0.12 * ((xx / size_w) * np.cos(angle) + (yy / size_h) * np.sin(angle))
    if shot.shadow:  # its edge crosses the paper somewhere between a quarter and three quarters
        cx = rnd.uniform(quad[:, 0].min() + 0.25 * frame_w, quad[:, 0].max() - 0.25 * frame_w)
        edge = cx + (yy - size_h / 2) * rnd.uniform(-0.3, 0.3)
        towards = 1 if rnd.random() < 0.5 else -1
        light *= 1 - shot.shadow * 0.6 / (1 + np.exp(-towards * (xx - edge) / (size_w * 0.01)))
    image = cv2.GaussianBlur(image * light, (0, 0), 0.8)
    image = image + np.random.default_rng(receipt.seed + 1).normal(0, 4, image.shape)
    gray = image.clip(0, 255).astype(np.uint8)
    path = Path(path)
    Image.fromarray(gray).convert("RGB").save(path, "JPEG", quality=75, dpi=(72, 72))
    return path, quad
