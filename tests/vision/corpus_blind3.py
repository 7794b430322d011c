"""A third round of invoice layouts written blind (benchmark group ``blind3``).

Written without reading vision/ or config/lexicons/, only tests/vision/corpus.py's drawing API,
as eight other invoicing companies print their documents, with their own wording, typefaces,
number and date styles. Importing this module registers the layouts in ``tests.vision.corpus``
(``make_invoice(seed, "gb_box")`` then draws one), as the earlier blind rounds are registered.

- ``gb_box`` (UK, GBP or EUR for an Irish seller): a tax invoice whose money sits in a ruled box on
  the right; a deposit already paid, so the "Balance due" is not the invoice total; dates as
  '3rd December 2026' or '03 Dec 2026'; 'Our ref.' and 'Tax point'.
- ``de_beleg`` (German): the header as a row of cells (Beleg-Nr., Belegdatum, Kunden-Nr., Seite),
  two VAT rates, 'Endbetrag', then a Skonto deducted to a 'Zahlbetrag bei Skonto'; dates as
  03.12.26 or '3. Dez. 2026'; amounts as '1.234,56 EUR'.
- ``cn_zhuanpiao`` (Chinese VAT special invoice, 增值税专用发票): invoice code and number, check
  code, cipher area, buyer on top and seller at the bottom, amounts with thousands commas,
  价税合计 in capitals and figures.
- ``till_points`` (a shop's till slip that is a tax invoice, Malaysia / Singapore / Australia):
  member savings, a rounding adjustment to 5 cents, cash and change or a card, loyalty points
  earned and their balance, the tax included.
- kept out of the fixes (``BLIND3_KEPT_OUT``; only their figures are looked at):
  ``fr_taux`` (French: a VAT table by rate, 'Net à payer', SIRET / RCS / capital in the footer,
  1 234,56 €), ``nl_verlegd`` (Dutch building trade: the VAT reverse-charged ('btw verlegd') or
  21%, a part to pay into the G-account, 'Te betalen', '3 dec. 2026'), ``in_tax`` (Indian GST:
  CGST/SGST or IGST per line, lakh grouping, a round-off, 'Grand Total', the amount in words,
  e-way bill and IRN decoys), ``modern_footer`` (a two-column modern invoice: the buyer at the
  top, the amount due large on the right, the seller named only in the footer; USD, CAD or
  EUR).

Truth conventions are the corpus's: ``amount`` is the invoice's gross total (not a balance after
a deposit, not the Skonto payment), a receipt's amount is the total after rounding (the rounding
is its ``round_off``), and ``due_date`` is None where none is printed.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from tests.vision import corpus
from tests.vision.corpus import Run, _box, _cn_capital, _group, _indian_words, _q

BLIND3_LAYOUTS = ["gb_box", "de_beleg", "cn_zhuanpiao", "till_points", "fr_taux", "nl_verlegd", "in_tax",
                  "modern_footer"]
BLIND3_KEPT_OUT = ["fr_taux", "nl_verlegd", "in_tax", "modern_footer"]

_DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVu"
_FONTS = {
    "gb_box": ((_DEJAVU + "Serif.ttf", _DEJAVU + "Serif-Bold.ttf"), ("Times-Roman", "Times-Bold")),
    "de_beleg": ((_DEJAVU + "Sans.ttf", _DEJAVU + "Sans-Bold.ttf"), ("Helvetica", "Helvetica-Bold")),
    "cn_zhuanpiao": ((_DEJAVU + "SansMono.ttf", _DEJAVU + "SansMono-Bold.ttf"), ("Courier", "Courier-Bold")),
    "till_points": ((_DEJAVU + "SansMono.ttf", _DEJAVU + "SansMono-Bold.ttf"), ("Courier", "Courier-Bold")),
    "fr_taux": ((_DEJAVU + "SerifCondensed.ttf", _DEJAVU + "SerifCondensed-Bold.ttf"), ("Times-Roman", "Times-Bold")),
    "nl_verlegd": ((_DEJAVU + "SansCondensed.ttf", _DEJAVU + "SansCondensed-Bold.ttf"), ("Helvetica", "Helvetica-Bold")),
    "in_tax": ((_DEJAVU + "Sans.ttf", _DEJAVU + "Sans-Bold.ttf"), ("Helvetica", "Helvetica-Bold")),
    "modern_footer": ((_DEJAVU + "Sans-ExtraLight.ttf", _DEJAVU + "Sans-Bold.ttf"), ("Helvetica", "Helvetica-Bold")),
}
_LANGUAGE = {"gb_box": "en", "de_beleg": "de", "cn_zhuanpiao": "zh", "till_points": "en", "fr_taux": "fr",
             "nl_verlegd": "nl", "in_tax": "en", "modern_footer": "en"}
_SPECS = {
    "gb_box": dict(vendors=["Hollingworth & Daughters Joinery Ltd", "Severn Valley Audio Visual Ltd",
                            "Castlegate Print Finishing", "Ardmore Marine Services Ltd"],
                   buyers=["Westbury Village Hall Committee", "Pendle House Surgery", "Quayside Bistro Ltd"],
                   items=["Oak staircase, supply and fit", "PA hire (weekend)", "Lamination A3 gloss", "Engine service",
                          "Labour (per hour)", "Travel & parking", "Consumables", "Projector lamp replacement"],
                   rates=[]),
    "de_beleg": dict(vendors=["Getränke Hofmeister GmbH", "Fliesen Bauer & Söhne OHG", "Autoteile Kühn e.K.",
                              "Ingenieurbüro Wolff GmbH"],
                     buyers=["Kita Sonnenschein e.V.", "Pension Seeblick", "Bäckerei Huber GmbH & Co. KG"],
                     items=[("Mineralwasser 12x0,7 l", 19), ("Apfelsaft naturtrüb 6x1 l", 19), ("Fachbuch Statik", 7),
                            ("Fliesen 30x60 grau (m²)", 19), ("Verlegearbeiten (Std.)", 19), ("Bremsbeläge vorne", 19),
                            ("Lebensmittel-Kiste", 7), ("Gutachten Tragwerk", 19)],
                     rates=[]),
    "cn_zhuanpiao": dict(vendors=["宁波港城五金制品有限公司", "郑州中原医疗器械有限公司", "昆明彩云印刷包装有限公司",
                                  "大连北海水产贸易有限公司"],
                         buyers=["福州闽江建设工程有限公司", "沈阳盛京物业服务有限公司"],
                         items=[("*金属制品*不锈钢螺栓", "M10×40", "套"), ("*医疗仪器器械*电子血压计", "YE-660", "台"),
                                ("*印刷品*包装彩盒", "300×200", "个"), ("*水产品*冷冻带鱼", "10kg/箱", "箱"),
                                ("*现代服务*技术咨询费", "", "次"), ("*劳务*装卸搬运服务", "", "项")],
                         rates=[]),
    "till_points": dict(vendors=["FreshMart Supermarket Sdn Bhd", "Kedai Runcit Ah Seng", "Harbourfront Pharmacy Pte Ltd",
                                 "Coastal Hardware Pty Ltd"],
                        buyers=[""],
                        items=["Milo 1.5kg", "Gardenia bread", "Eggs grade A 10s", "Panadol 20s", "Vitamin C 500mg",
                               "Hand sanitiser 500ml", "Cable ties 200mm", "Paint roller 230mm", "Rice 5kg",
                               "Cooking oil 2L", "Dish soap 900ml", "AA batteries 4pk"],
                        rates=[]),
    "fr_taux": dict(vendors=["Jardins & Paysages Brunet SARL", "Cabinet Vasseur Expertise", "Librairie des Halles SAS",
                             "Traiteur Delorme & Fils"],
                    buyers=["Association Les Amis du Théâtre", "Pharmacie Centrale de Vienne SELARL", "Collège Jean Moulin"],
                    items=[("Taille de haies", 10), ("Plants et arbustes", 10), ("Mission d'expertise", 20),
                           ("Ouvrages scolaires", Decimal("5.5")), ("Plateaux repas", 10), ("Location de vaisselle", 20),
                           ("Frais de déplacement", 20)],
                    rates=[]),
    "nl_verlegd": dict(vendors=["Stukadoorsbedrijf Kok", "Dakwerken Meijer & Zn. B.V.", "Tegelzetterij Bakker",
                                "Loodgietersbedrijf Smits V.O.F."],
                       buyers=["Bouwbedrijf Hendriks B.V.", "Aannemersbedrijf Peters & Co B.V.", "VvE De Linde"],
                       items=["Stucwerk wanden", "Dakbedekking bitumen", "Tegelwerk badkamer", "Arbeid (uren)",
                              "Afvoer puin", "Materiaal", "Steiger huur"],
                       rates=[]),
    "in_tax": dict(vendors=["Shree Lakshmi Traders", "Ganga Polymers Pvt Ltd", "Om Sai Medical Agencies",
                            "Bharat Steel Fabricators"],
                   buyers=["Vardhman Builders", "Apollo Clinic Services Pvt Ltd", "Patel Brothers Kirana"],
                   items=[("HDPE Granules (kg)", "3901"), ("Paracetamol 500 Tab (strip)", "3004"),
                          ("MS Angle 50x50", "7216"), ("Fabrication Labour", "998873"), ("Surgical Gloves (box)", "4015"),
                          ("Transport Charges", "996511")],
                   rates=[]),
    "modern_footer": dict(vendors=["Lumen & Pixel Studio LLC", "Northbeam Analytics Inc.", "Quillfeather Editorial",
                                   "Tidewater Software Ltd"],
                          buyers=["Ember Coffee Roasters", "Greenfield Dental Partners", "Atlas Outdoor Co."],
                          items=["Brand identity design", "Website retainer (Nov)", "Data pipeline audit",
                                 "Copy editing (words)", "Dashboard build", "Stock photography licence",
                                 "Discovery workshop"],
                          rates=[]),
}


def _pick_lines(inv, rnd, names, low, high, count=None, qty_high=12) -> list[dict]:
    lines = []
    for name in rnd.sample(names, count or rnd.randint(1, min(4, len(names)))):
        qty = Decimal(rnd.randint(1, qty_high))
        unit = _q(Decimal(rnd.randint(low, high)) / 100)
        lines.append({"description": name, "quantity": qty, "unit_price": unit, "amount": _q(qty * unit)})
    inv.truth["lines"] = [dict(item) for item in lines]
    return lines


def _number(inv, rnd, formats, issued) -> str:
    number = rnd.choice(formats).format(y=issued.year, y2=f"{issued.year % 100:02d}", m=issued.month,
                                        n=rnd.randint(1, 99999))
    inv.truth["invoice_number"] = number
    return number


def _ordinal(d: date) -> str:
    suffix = "th" if 10 <= d.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    return f"{d.day}{suffix} {d.strftime('%B')} {d.year}"


# ------------------------------------------------------------------ gb_box


def _gb_box(inv, rnd, issued, due, buyer):
    t, r = inv.truth, inv.runs
    irish = rnd.random() < 0.3
    mark, currency, rate = ("€", "EUR", Decimal("23")) if irish else ("£", "GBP", Decimal("20"))
    money = inv.money = lambda v: _group(v, ",", ".")  # noqa: E731
    number = _number(inv, rnd, ["{n:05d}", "HD/{y2}/{n:04d}", "T{n}"], issued)
    lines = _pick_lines(inv, rnd, _SPECS["gb_box"]["items"], 800, 120000)
    untaxed = sum((i["amount"] for i in lines), Decimal(0))
    vat = _q(untaxed * rate / 100)
    total = untaxed + vat
    t.update(currency=currency, amount=total, amount_untaxed=untaxed, vat=vat)
    style = rnd.choice(["ordinal", "short"])
    d = (lambda x: _ordinal(x)) if style == "ordinal" else (lambda x: x.strftime("%d %b %Y"))  # noqa: E731
    r.append(Run(t["issuer"], 42, 40, 15, True))
    place = (["Unit 4, Harbour Road", "Kinsale, Co. Cork"] if irish
             else [f"{rnd.randint(2, 90)} {rnd.choice(['Tanners Yard', 'Bridge Street', 'Old Forge Lane'])}",
                   rnd.choice(["Shrewsbury SY1 1PE", "Hexham NE46 3NH", "Ludlow SY8 1AB"])])
    for k, text in enumerate(place + [f"Telephone 0{rnd.randint(1200, 1999)} {rnd.randint(100000, 999999)}",
                                      f"accounts@{corpus._domain(t['issuer'])}.co.uk"]):
        r.append(Run(text, 42, 60 + 11 * k, 8.5))
    r.append(Run("TAX INVOICE", 553, 42, 16, True, "right"))
    vat_id = f"IE{rnd.randint(1000000, 9999999)}W" if irish else f"GB {rnd.randint(100, 999)} {rnd.randint(1000, 9999)} {rnd.randint(10, 99)}"
    r.append(Run(f"VAT registration {vat_id}", 553, 62, 8, False, "right"))
    # the buyer, in a box on the left; the references, in a box on the right
    _box(inv, 42, 120, 290, 200)
    r.append(Run("Invoice to", 48, 124, 8, True))
    for k, text in enumerate([buyer, "Attn: Treasurer" if "Committee" in buyer else "Accounts",
                              f"{rnd.randint(1, 60)} {rnd.choice(['Church Street', 'The Green', 'Mill Road'])}",
                              rnd.choice(["Westbury BA13 3DX", "Colne BB8 0AB", "Penzance TR18 4AA"])]):
        r.append(Run(text, 48, 138 + 12 * k, 9.5, k == 0))
    _box(inv, 320, 120, 553, 200)
    refs = [("Our ref.", number), ("Tax point", d(issued)), ("Your order no.", f"PO-{rnd.randint(1000, 9999)}"),
            ("Account code", f"{buyer[:3].upper()}{rnd.randint(10, 99)}"), ("Payment by", d(due))]
    for k, (label, value) in enumerate(refs):
        r.append(Run(label, 326, 126 + 14 * k, 8.5))
        r.append(Run(value, 547, 126 + 14 * k, 8.5, False, "right"))
    y = 225
    inv.rules += [(42, y - 4, 553, y - 4), (42, y + 12, 553, y + 12)]
    for head, x, align in (("Qty", 42, "left"), ("Details", 80, "left"), (f"Each {mark}", 400, "right"),
                           ("VAT", 450, "right"), (f"Net {mark}", 553, "right")):
        r.append(Run(head, x, y, 8.5, True, align))
    y += 20
    for item in lines:
        r.append(Run(str(item["quantity"]), 42, y, 9))
        r.append(Run(item["description"], 80, y, 9))
        r.append(Run(money(item["unit_price"]), 400, y, 9, align="right"))
        r.append(Run(f"{rate}%", 450, y, 9, align="right"))
        r.append(Run(money(item["amount"]), 553, y, 9, align="right"))
        y += 15
    y = max(y + 25, 380)
    paid = _q(total * Decimal(rnd.choice([20, 25, 40, 50])) / 100) if rnd.random() < 0.8 else Decimal(0)
    rows = [("Goods & services", money(untaxed), False), (f"VAT at {rate}%", money(vat), False),
            ("Invoice total", f"{mark}{money(total)}", True)]
    if paid:
        rows.append((f"Deposit paid {(issued - timedelta(days=rnd.randint(7, 40))).strftime('%d/%m/%y')}",
                     f"-{money(paid)}", False))
    rows.append(("Balance due", f"{mark}{money(total - paid)}", True))
    _box(inv, 330, y - 6, 553, y + 16 * len(rows))
    for k, (label, value, bold) in enumerate(rows):
        r.append(Run(label, 338, y + 16 * k, 9.5, bold))
        r.append(Run(value, 547, y + 16 * k, 9.5, bold, "right"))
    r.append(Run("Thank you for your custom.", 42, y, 9))
    r.append(Run(f"Terms: strictly {(due - issued).days} days net.", 42, y + 13, 9))
    y = 735
    inv.rules.append((42, y, 553, y))
    if irish:
        bank = f"IBAN IE{rnd.randint(10, 99)} AIBK 9311 {rnd.randint(1000, 9999)} {rnd.randint(1000, 9999)} {rnd.randint(10, 99)}"
    else:
        bank = f"Sort code {rnd.randint(10, 99)}-{rnd.randint(10, 99)}-{rnd.randint(10, 99)}  Account {rnd.randint(10**7, 10**8 - 1)}"
    r.append(Run(f"Bank transfer to: {bank}  Please quote {number} as the payment reference.", 42, y + 6, 7.5))
    r.append(Run(f"Registered in {'Ireland' if irish else 'England & Wales'} no. {rnd.randint(100000, 9999999)}. "
                 f"Registered office as above.", 42, y + 17, 7.5))


# ------------------------------------------------------------------ de_beleg


_DE_MONTHS = ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."]


def _de_beleg(inv, rnd, issued, due, buyer):
    t, r = inv.truth, inv.runs
    money = inv.money = lambda v: _group(v, ".", ",")  # noqa: E731
    number = _number(inv, rnd, ["{y}/{n:05d}", "VR-{n:05d}", "{n:07d}"], issued)
    picked = rnd.sample(_SPECS["de_beleg"]["items"], rnd.randint(2, 5))
    rates = dict(picked)
    lines = _pick_lines(inv, rnd, [name for name, _ in picked], 200, 40000, count=len(picked))
    untaxed = sum((i["amount"] for i in lines), Decimal(0))
    by_rate: dict[int, Decimal] = {}
    for item in lines:
        by_rate[rates[item["description"]]] = by_rate.get(rates[item["description"]], Decimal(0)) + item["amount"]
    taxes = {rate: _q(base * rate / 100) for rate, base in sorted(by_rate.items(), reverse=True)}
    vat = sum(taxes.values(), Decimal(0))
    total = untaxed + vat
    t.update(currency="EUR", amount=total, amount_untaxed=untaxed, vat=vat)
    if rnd.random() < 0.5:
        d = lambda x: x.strftime("%d.%m.%y")  # noqa: E731
    else:
        d = lambda x: f"{x.day}. {_DE_MONTHS[x.month - 1]} {x.year}"  # noqa: E731
    city = rnd.choice(["87435 Kempten", "26122 Oldenburg", "06108 Halle (Saale)", "66111 Saarbrücken"])
    street = f"{rnd.choice(['Gewerbering', 'Kirchplatz', 'An der Mühle'])} {rnd.randint(1, 40)}"
    r.append(Run(t["issuer"].upper(), 50, 38, 13, True))
    r.append(Run(f"{street} | {city} | Telefon 0{rnd.randint(300, 999)}/{rnd.randint(1000, 99999)}", 50, 56, 8))
    inv.rules.append((50, 70, 545, 70))
    r.append(Run(f"{t['issuer']}, {street}, {city}", 50, 110, 6.5))
    for k, text in enumerate([buyer, f"{rnd.choice(['Seestraße', 'Am Markt', 'Lindenallee'])} {rnd.randint(1, 99)}",
                              rnd.choice(["83209 Prien", "78462 Konstanz", "24103 Kiel"])]):
        r.append(Run(text, 50, 124 + 13 * k, 10))
    r.append(Run("RECHNUNG", 50, 205, 16, True))
    cells = [("Beleg-Nr.", number), ("Belegdatum", d(issued)), ("Kunden-Nr.", f"{rnd.randint(10000, 99999)}"),
             ("Lieferdatum", d(issued - timedelta(days=rnd.randint(0, 6)))), ("Seite", "1 von 1")]
    _box(inv, 50, 230, 545, 262)
    inv.rules.append((50, 245, 545, 245))
    for k, (label, value) in enumerate(cells):
        x = 50 + 99 * k
        if k:
            inv.rules.append((x, 230, x, 262))
        r.append(Run(label, x + 4, 234, 7.5, True))
        r.append(Run(value, x + 4, 249, 9))
    y = 285
    inv.rules += [(50, y - 3, 545, y - 3), (50, y + 12, 545, y + 12)]
    for head, x, align in (("Art.-Nr.", 50, "left"), ("Bezeichnung", 105, "left"), ("Menge", 330, "right"),
                           ("E-Preis", 400, "right"), ("MwSt", 440, "right"), ("Betrag", 545, "right")):
        r.append(Run(head, x, y, 8.5, True, align))
    y += 18
    for item in lines:
        r.append(Run(f"{rnd.randint(10000, 99999)}", 50, y, 9))
        r.append(Run(item["description"], 105, y, 9))
        r.append(Run(f"{item['quantity']}", 330, y, 9, align="right"))
        r.append(Run(money(item["unit_price"]), 400, y, 9, align="right"))
        r.append(Run(f"{rates[item['description']]}%", 440, y, 9, align="right"))
        r.append(Run(money(item["amount"]), 545, y, 9, align="right"))
        y += 14
    y += 12
    inv.rules.append((320, y - 4, 545, y - 4))
    rows = [("Warenwert netto", f"{money(untaxed)} EUR", False)]
    rows += [(f"+ {rate} % MwSt. auf {money(by_rate[rate])}", f"{money(tax)} EUR", False) for rate, tax in taxes.items()]
    rows.append(("Endbetrag", f"{money(total)} EUR", True))
    for k, (label, value, bold) in enumerate(rows):
        r.append(Run(label, 320, y + 14 * k, 9.5, bold))
        r.append(Run(value, 545, y + 14 * k, 9.5, bold, "right"))
    y += 14 * len(rows)
    inv.rules += [(320, y - 1, 545, y - 1), (320, y + 1, 545, y + 1)]
    y += 30
    pct = Decimal(rnd.choice([2, 3]))
    skonto = _q(total * pct / 100)
    by = issued + timedelta(days=rnd.choice([8, 10, 14]))
    r.append(Run(f"Bei Zahlung bis {d(by)} gewähren wir {pct} % Skonto ({money(skonto)} EUR).", 50, y, 9))
    r.append(Run(f"Zahlbetrag bei Skontoabzug: {money(total - skonto)} EUR", 50, y + 12, 9, True))
    r.append(Run(f"Ohne Abzug zahlbar bis {d(due)}.", 50, y + 24, 9))
    r.append(Run("Es gelten unsere Allgemeinen Geschäftsbedingungen. Die Ware bleibt bis zur vollständigen Bezahlung "
                 "unser Eigentum.", 50, y + 42, 7.5))
    inv.rules.append((50, 770, 545, 770))
    cols = [[t["issuer"], f"Inhaber/GF: {rnd.choice(['Anja Hofmeister', 'Markus Bauer', 'Stefan Kühn'])}",
             f"Registergericht {city.split(' ', 1)[1]} HRB {rnd.randint(1000, 9999)}"],
            [f"St.-Nr. {rnd.randint(10, 99)}/{rnd.randint(100, 999)}/{rnd.randint(10000, 99999)}",
             f"USt-ID DE{rnd.randint(100000000, 999999999)}", f"www.{corpus._domain(t['issuer'])}.de"],
            [rnd.choice(["Sparkasse Allgäu", "Volksbank Oldenburg", "Deutsche Bank"]),
             f"IBAN DE{rnd.randint(10, 99)} {rnd.randint(1000, 9999)} {rnd.randint(1000, 9999)} {rnd.randint(1000, 9999)} "
             f"{rnd.randint(1000, 9999)} {rnd.randint(10, 99)}", f"BIC {rnd.choice(['BYLADEM1ALG', 'GENODEF1OL2', 'DEUTDEDB'])}"]]
    for c, col in enumerate(cols):
        for k, text in enumerate(col):
            r.append(Run(text, 50 + 170 * c, 776 + 9 * k, 6.5))


# ------------------------------------------------------------------ cn_zhuanpiao


def _cn_zhuanpiao(inv, rnd, issued, due, buyer):
    t, r = inv.truth, inv.runs
    money = inv.money = lambda v: _group(v, ",", ".")  # noqa: E731
    rate = Decimal(rnd.choice([13, 9, 6]))
    items = rnd.sample(_SPECS["cn_zhuanpiao"]["items"], rnd.randint(1, 4))
    lines = _pick_lines(inv, rnd, [name for name, _, _ in items], 300, 900000, count=len(items), qty_high=40)
    spec = {name: (model, unit) for name, model, unit in items}
    taxes = [_q(i["amount"] * rate / 100) for i in lines]
    untaxed, vat = sum((i["amount"] for i in lines), Decimal(0)), sum(taxes, Decimal(0))
    number = f"{rnd.randint(0, 99999999):08d}"
    t.update(invoice_number=number, currency="CNY", amount=untaxed + vat, amount_untaxed=untaxed, vat=vat, due_date=None)
    province = rnd.choice(["浙江", "河南", "云南", "辽宁"])
    r.append(Run(f"{province}增值税专用发票", 297, 34, 18, True, "center"))
    r.append(Run("发 票 联", 297, 60, 10, False, "center"))
    inv.rules += [(215, 56, 380, 56)]
    code = f"{rnd.randint(10**11, 10**12 - 1)}"
    r.append(Run(f"No {number}", 420, 36, 12, True))
    r.append(Run(f"发票代码 {code}", 40, 40, 8.5))
    r.append(Run(f"发票号码 {number}", 420, 56, 8.5))
    r.append(Run(f"开票日期 {issued.year}年{issued.month:02d}月{issued.day:02d}日", 420, 70, 8.5))
    check = " ".join(f"{rnd.randint(0, 99999):05d}" for _ in range(4))
    r.append(Run(f"校验码 {check}", 40, 70, 8.5))
    ident = lambda: f"91{rnd.randint(210000, 539999)}{rnd.choice(['MA', 'MB', '7'])}{rnd.randint(10**6, 10**7 - 1)}{rnd.choice('XKLMN')}"  # noqa: E731
    # buyer on top, with the cipher area beside it
    inv.rules += [(35, 146, 560, 146), (58, 86, 58, 146), (380, 86, 380, 146), (400, 86, 400, 146)]
    for k, ch in enumerate("购买方"):
        r.append(Run(ch, 42, 92 + 16 * k, 9))
    for k, text in enumerate([f"名        称：{buyer}", f"纳税人识别号：{ident()[:18]}",
                              f"地 址、电 话：{rnd.choice(['福州市鼓楼区五四路', '沈阳市和平区南京北街'])}{rnd.randint(1, 300)}号 "
                              f"0{rnd.randint(20, 29)}-{rnd.randint(10000000, 99999999)}",
                              f"开户行及账号：{rnd.choice(['中国工商银行', '招商银行', '中国建设银行'])}"
                              f"{rnd.randint(10**15, 10**16 - 1)}"]):
        r.append(Run(text, 64, 91 + 13 * k, 8.5))
    for k, ch in enumerate("密码区"):
        r.append(Run(ch, 384, 92 + 16 * k, 9))
    for k in range(4):
        r.append(Run("".join(rnd.choice("0123456789<>+-*/") for _ in range(26)), 406, 92 + 13 * k, 8))
    y = 152
    for head, x, align in (("货物或应税劳务、服务名称", 40, "left"), ("规格型号", 185, "left"), ("单位", 250, "left"),
                           ("数 量", 320, "right"), ("单 价", 385, "right"), ("金 额", 455, "right"),
                           ("税率", 485, "right"), ("税 额", 555, "right")):
        r.append(Run(head, x, y, 8.5, False, align))
    y += 16
    for item, tax in zip(lines, taxes):
        model, unit = spec[item["description"]]
        r.append(Run(item["description"], 40, y, 8.5))
        r.append(Run(model, 185, y, 8.5))
        r.append(Run(unit, 250, y, 8.5))
        r.append(Run(str(item["quantity"]), 320, y, 8.5, align="right"))
        r.append(Run(f"{item['unit_price']:.2f}", 385, y, 8.5, align="right"))
        r.append(Run(money(item["amount"]), 455, y, 8.5, align="right"))
        r.append(Run(f"{rate}%", 485, y, 8.5, align="right"))
        r.append(Run(money(tax), 555, y, 8.5, align="right"))
        y += 15
    y = max(y + 12, 300)
    r.append(Run("合        计", 60, y, 9))
    r.append(Run(f"¥{money(untaxed)}", 455, y, 9, align="right"))
    r.append(Run(f"¥{money(vat)}", 555, y, 9, align="right"))
    inv.rules += [(35, y + 16, 560, y + 16), (35, y + 40, 560, y + 40)]
    r.append(Run("价税合计(大写)", 40, y + 23, 9))
    r.append(Run(f"ⓧ {_cn_capital(untaxed + vat)}", 140, y + 23, 9.5))
    r.append(Run(f"(小写) ¥{money(untaxed + vat)}", 400, y + 23, 9.5, True))
    # the seller at the bottom, with the remarks beside it
    y += 40
    inv.rules += [(58, y, 58, y + 60), (380, y, 380, y + 60), (400, y, 400, y + 60)]
    for k, ch in enumerate("销售方"):
        r.append(Run(ch, 42, y + 6 + 16 * k, 9))
    for k, text in enumerate([f"名        称：{t['issuer']}", f"纳税人识别号：{ident()[:18]}",
                              f"地 址、电 话：{rnd.choice(['宁波市江北区', '郑州市金水区', '昆明市盘龙区', '大连市中山区'])}"
                              f"{rnd.choice(['人民路', '解放路', '建设路'])}{rnd.randint(1, 500)}号 "
                              f"0{rnd.randint(371, 871)}-{rnd.randint(1000000, 9999999)}",
                              f"开户行及账号：{rnd.choice(['中国银行', '交通银行', '中国农业银行'])}"
                              f"{rnd.randint(10**15, 10**16 - 1)}"]):
        r.append(Run(text, 64, y + 5 + 13 * k, 8.5))
    _box(inv, 35, 86, 560, y + 60)
    for k, ch in enumerate("备注"):
        r.append(Run(ch, 384, y + 10 + 20 * k, 9))
    r.append(Run(f"合同号:HT{issued.year}{rnd.randint(1000, 9999)}", 406, y + 10, 8))
    y += 70
    names = ["赵敏", "钱伟", "孙丽", "周杰"]
    r.append(Run(f"收款人：{rnd.choice(names)}    复核：{rnd.choice(names)}    开票人：{rnd.choice(names)}    销售方：（章）",
                 40, y, 9))


# ------------------------------------------------------------------ till_points


def _till_points(inv, rnd, issued, due, buyer):
    t, r = inv.truth, inv.runs
    money = inv.money = lambda v: f"{v:.2f}"  # noqa: E731
    spec = _SPECS["till_points"]
    issuer = t["issuer"]
    country = {"FreshMart Supermarket Sdn Bhd": "my", "Kedai Runcit Ah Seng": "my",
               "Harbourfront Pharmacy Pte Ltd": "sg", "Coastal Hardware Pty Ltd": "au"}[issuer]
    mark, currency, rate, tax_name = {"my": ("RM", "MYR", Decimal(6), "SST"), "sg": ("S$", "SGD", Decimal(9), "GST"),
                                      "au": ("$", "AUD", Decimal(10), "GST")}[country]
    number = _number(inv, rnd, ["{n:08d}", "S{y2}{m:02d}-{n:05d}", "TI{n:06d}"], issued)
    lines = []
    for name in rnd.sample(spec["items"], rnd.randint(3, 7)):
        qty = Decimal(rnd.choice([1, 1, 1, 2, 3, 4]))
        unit = _q(Decimal(rnd.randint(95, 5990)) / 100)
        lines.append({"description": name, "quantity": qty, "unit_price": unit, "amount": _q(qty * unit)})
    t["lines"] = [dict(i) for i in lines]
    gross = sum((i["amount"] for i in lines), Decimal(0))
    saved = _q(gross * Decimal(rnd.choice([3, 5, 8])) / 100) if rnd.random() < 0.7 else Decimal(0)
    due_before = gross - saved
    cents = int(due_before * 100) % 5  # cash sums round to 5 cents (a smaller coin no longer circulates)
    rounding = -Decimal(cents) / 100 if cents <= 2 else Decimal(5 - cents) / 100
    if country == "sg":
        rounding = Decimal(0)
    total = due_before + rounding
    vat = _q(due_before * rate / (100 + rate))
    t.update(currency=currency, amount=total, amount_untaxed=due_before - vat, vat=vat, due_date=None,
             round_off=rounding)
    left, right, size = 185, 410, 8.5

    def centred(text, y, bold=False, sz=size):
        r.append(Run(text, 297 - len(text) * sz * 0.3, y, sz, bold))

    y = 50
    centred(issuer, y, True, 10.5)
    y += 15
    reg = {"my": f"({rnd.randint(100000, 999999)}-{rnd.choice('AKPTUVW')})",
           "sg": f"UEN {rnd.randint(190000000, 202399999)}{rnd.choice('KMNRW')}",
           "au": f"ABN {rnd.randint(10, 99)} {rnd.randint(100, 999)} {rnd.randint(100, 999)} {rnd.randint(100, 999)}"}[country]
    addr = {"my": ["No. 12, Jalan Bukit Bintang", "55100 Kuala Lumpur"], "sg": ["1 Harbourfront Walk #01-23", "Singapore 098585"],
            "au": ["48 Esplanade", "Cairns QLD 4870"]}[country]
    for text in [reg] + addr + [f"Tel: {rnd.randint(3, 9)}{rnd.randint(1000000, 9999999)}"]:
        centred(text, y)
        y += 11
    if country != "au":
        centred(f"{tax_name} Reg No: {rnd.choice('WBM')}{rnd.randint(10, 99)}-{rnd.randint(1000, 9999)}-{rnd.randint(10000000, 99999999)}",
                y)
        y += 11
    y += 6
    centred("TAX INVOICE", y, True, 10)
    y += 16
    clock = f"{rnd.randint(8, 21):02d}:{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d}"
    when = issued.strftime(rnd.choice(["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]))
    r.append(Run(f"Inv No : {number}", left, y, size))
    y += 11
    r.append(Run(f"Date   : {when} {clock}", left, y, size))
    y += 11
    r.append(Run(f"Cashier: {rnd.choice(['AISYAH', 'KUMAR', 'MEI LING', 'JACK'])}   POS {rnd.randint(1, 9):02d}", left, y, size))
    y += 11
    rule = "=" * 40
    r.append(Run(rule, left, y, size))
    y += 12
    for item in lines:
        r.append(Run(item["description"], left, y, size))
        y += 11
        r.append(Run(f"  {item['quantity']} x {money(item['unit_price'])}", left, y, size))
        r.append(Run(money(item["amount"]), right, y, size, align="right"))
        y += 12
    r.append(Run("-" * 40, left, y, size))
    y += 12
    rows = [(f"Sub Total ({len(lines)} items)", money(gross), False)]
    if saved:
        rows.append(("Member Savings", f"-{money(saved)}", False))
    if rounding or country != "sg":
        rows.append((f"Total Incl. {tax_name}", money(due_before), False))
        rows.append(("Rounding Adj", f"{rounding:+.2f}" if rounding else "0.00", False))
        rows.append(("NETT TOTAL", f"{mark} {money(total)}", True))
    else:
        rows.append((f"TOTAL DUE", f"{mark} {money(total)}", True))
    if rnd.random() < 0.6:
        cash = next(Decimal(n) for n in (10, 20, 50, 100, 200, 500, 1000) if n >= total)
        rows += [("Cash", money(cash), False), ("Change", money(cash - total), False)]
    else:
        rows += [(rnd.choice(["VISA", "MASTER", "NETS", "EFTPOS"]) + f" ****{rnd.randint(1000, 9999)}", money(total), False)]
    for label, value, bold in rows:
        r.append(Run(label, left, y, 9.5 if bold else size, bold))
        r.append(Run(value, right, y, 9.5 if bold else size, bold, "right"))
        y += 13 if bold else 11
    r.append(Run("-" * 40, left, y, size))
    y += 12
    r.append(Run(f"{tax_name} Summary   Amount({mark})  Tax({mark})", left, y, 8))
    y += 10
    r.append(Run(f"S @ {rate}%        {money(due_before - vat):>9}  {money(vat):>7}", left, y, 8))
    y += 14
    if saved:
        centred(f"YOU HAVE SAVED {mark}{money(saved)} TODAY!", y, True)
        y += 12
    points = int(total)
    centred(f"Points earned: {points}   Balance: {rnd.randint(points, 20000):,}", y)
    y += 11
    centred(f"Points value: {mark}{money(Decimal(rnd.randint(100, 5000)) / 100)}", y)
    y += 14
    centred("Goods sold are not returnable.", y)
    y += 11
    centred("Thank you! Please come again.", y)


# ------------------------------------------------------------------ fr_taux (kept out)


def _fr_taux(inv, rnd, issued, due, buyer):
    t, r = inv.truth, inv.runs
    space = rnd.choice([" ", "\u00a0"])
    money = inv.money = lambda v: _group(v, space, ",")  # noqa: E731
    number = _number(inv, rnd, ["F{y}{m:02d}-{n:03d}", "{y}-FA-{n:05d}", "{n:06d}"], issued)
    picked = rnd.sample(_SPECS["fr_taux"]["items"], rnd.randint(2, 4))
    rates = dict(picked)
    lines = _pick_lines(inv, rnd, [name for name, _ in picked], 500, 60000, count=len(picked))
    untaxed = sum((i["amount"] for i in lines), Decimal(0))
    by_rate: dict[Decimal, Decimal] = {}
    for item in lines:
        key = Decimal(rates[item["description"]])
        by_rate[key] = by_rate.get(key, Decimal(0)) + item["amount"]
    taxes = {rate: _q(base * rate / 100) for rate, base in sorted(by_rate.items())}
    vat = sum(taxes.values(), Decimal(0))
    total = untaxed + vat
    t.update(currency="EUR", amount=total, amount_untaxed=untaxed, vat=vat)
    d = lambda x: x.strftime("%d/%m/%Y")  # noqa: E731
    pct = lambda rate: f"{rate.normalize():f}".replace(".", ",") + " %"  # noqa: E731
    r.append(Run(t["issuer"], 45, 42, 15, True))
    city = rnd.choice(["38200 Vienne", "69002 Lyon", "13001 Marseille", "35000 Rennes"])
    for k, text in enumerate([f"{rnd.randint(1, 80)}, {rnd.choice(['rue des Tanneurs', 'quai Riondet', 'avenue Jean Jaurès'])}",
                              city, f"Tél. 0{rnd.randint(1, 5)} {rnd.randint(10, 99)} {rnd.randint(10, 99)} "
                                    f"{rnd.randint(10, 99)} {rnd.randint(10, 99)}",
                              f"contact@{corpus._domain(t['issuer'])}.fr"]):
        r.append(Run(text, 45, 62 + 11 * k, 8.5))
    r.append(Run("FACTURE", 550, 42, 20, True, "right"))
    for k, (label, value) in enumerate([("N° de facture :", number), ("Émise le :", d(issued)),
                                        ("À régler avant le :", d(due)), ("Code client :", f"CL{rnd.randint(100, 9999)}")]):
        r.append(Run(label, 380, 72 + 12 * k, 8.5))
        r.append(Run(value, 550, 72 + 12 * k, 8.5, True, "right"))
    _box(inv, 320, 140, 550, 210)
    r.append(Run("Adressée à", 326, 144, 8, True))
    for k, text in enumerate([buyer, f"{rnd.randint(1, 40)} {rnd.choice(['place du Marché', 'rue Victor Hugo'])}",
                              rnd.choice(["38000 Grenoble", "26000 Valence", "42000 Saint-Étienne"])]):
        r.append(Run(text, 326, 158 + 12 * k, 9.5, k == 0))
    r.append(Run(f"Objet : {rnd.choice(['prestation du mois', 'commande du ' + d(issued - timedelta(days=12)), 'devis accepté'])}",
                 45, 225, 9))
    y = 250
    inv.rules += [(45, y - 3, 550, y - 3), (45, y + 12, 550, y + 12)]
    for head, x, align in (("Désignation", 45, "left"), ("Qté", 300, "right"), ("P.U. HT", 380, "right"),
                           ("TVA", 430, "right"), ("Montant HT", 550, "right")):
        r.append(Run(head, x, y, 8.5, True, align))
    y += 18
    for item in lines:
        r.append(Run(item["description"], 45, y, 9))
        r.append(Run(str(item["quantity"]), 300, y, 9, align="right"))
        r.append(Run(money(item["unit_price"]), 380, y, 9, align="right"))
        r.append(Run(pct(Decimal(rates[item["description"]])), 430, y, 9, align="right"))
        r.append(Run(money(item["amount"]), 550, y, 9, align="right"))
        y += 14
    y = max(y + 20, 360)
    # the VAT by rate on the left, the totals on the right
    r.append(Run("Taux", 45, y, 8, True))
    r.append(Run("Base HT", 160, y, 8, True, "right"))
    r.append(Run("Montant TVA", 250, y, 8, True, "right"))
    inv.rules.append((45, y + 11, 250, y + 11))
    for k, (rate, tax) in enumerate(taxes.items()):
        r.append(Run(pct(rate), 45, y + 15 + 12 * k, 8.5))
        r.append(Run(money(by_rate[rate]), 160, y + 15 + 12 * k, 8.5, False, "right"))
        r.append(Run(money(tax), 250, y + 15 + 12 * k, 8.5, False, "right"))
    rows = [("Total HT", f"{money(untaxed)} €", False), ("Total TVA", f"{money(vat)} €", False),
            ("Total TTC", f"{money(total)} €", False), ("Net à payer", f"{money(total)} €", True)]
    for k, (label, value, bold) in enumerate(rows):
        r.append(Run(label, 360, y + 14 * k, 9.5, bold))
        r.append(Run(value, 550, y + 14 * k, 9.5, bold, "right"))
    _box(inv, 352, y + 14 * 3 - 3, 556, y + 14 * 4 + 1)
    y += 90
    r.append(Run(f"Conditions de règlement : virement à {(due - issued).days} jours. Pas d'escompte pour paiement anticipé.",
                 45, y, 8.5))
    r.append(Run("En cas de retard, pénalités au taux de 3 fois le taux d'intérêt légal et indemnité forfaitaire "
                 "de 40 € pour frais de recouvrement.", 45, y + 11, 7.5))
    iban = f"FR76 {rnd.randint(1000, 9999)} {rnd.randint(1000, 9999)} {rnd.randint(1000, 9999)} {rnd.randint(1000, 9999)} " \
           f"{rnd.randint(1000, 9999)} {rnd.randint(100, 999)}"
    r.append(Run(f"IBAN : {iban}", 45, y + 26, 8.5))
    siren = f"{rnd.randint(300, 999)} {rnd.randint(100, 999)} {rnd.randint(100, 999)}"
    form = "SARL" if "SARL" in t["issuer"] else "SAS" if "SAS" in t["issuer"] else "EURL"
    inv.rules.append((45, 790, 550, 790))
    r.append(Run(f"{t['issuer']} – {form} au capital de {rnd.choice(['7 500', '10 000', '50 000'])} € – RCS "
                 f"{city.split(' ', 1)[1]} {siren} – SIRET {siren.replace(' ', '')}{rnd.randint(10000, 99999)} – "
                 f"N° TVA FR{rnd.randint(10, 99)}{siren.replace(' ', '')}", 45, 796, 6.5))
    r.append(Run(f"Code APE {rnd.randint(1000, 9999)}{rnd.choice('ABZ')}", 45, 806, 6.5))


# ------------------------------------------------------------------ nl_verlegd (kept out)


_NL_SHORT = ["jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."]


def _nl_verlegd(inv, rnd, issued, due, buyer):
    t, r = inv.truth, inv.runs
    money = inv.money = lambda v: _group(v, ".", ",")  # noqa: E731
    number = _number(inv, rnd, ["{y}-{n:03d}", "F{y2}.{n:04d}", "{n:05d}"], issued)
    lines = _pick_lines(inv, rnd, _SPECS["nl_verlegd"]["items"], 2000, 150000)
    untaxed = sum((i["amount"] for i in lines), Decimal(0))
    shifted = rnd.random() < 0.5
    vat = Decimal(0) if shifted else _q(untaxed * 21 / 100)
    total = untaxed + vat
    t.update(currency="EUR", amount=total, amount_untaxed=untaxed, vat=vat)
    d = lambda x: f"{x.day} {_NL_SHORT[x.month - 1]} {x.year}"  # noqa: E731
    # the letterhead on the right, the buyer in the window on the left
    r.append(Run(t["issuer"], 545, 40, 14, True, "right"))
    town = rnd.choice(["Tilburg", "Zwolle", "Alkmaar", "Venlo"])
    for k, text in enumerate([f"{rnd.choice(['Ambachtsweg', 'Nijverheidsstraat', 'De Hoek'])} {rnd.randint(1, 99)}",
                              f"{rnd.randint(1000, 9999)} {rnd.choice(['AA', 'BK', 'ZX'])} {town}",
                              f"T 0{rnd.randint(10, 99)} {rnd.randint(100, 999)} {rnd.randint(1000, 9999)}"]):
        r.append(Run(text, 545, 60 + 11 * k, 8.5, False, "right"))
    for k, text in enumerate([buyer, "t.a.v. crediteurenadministratie",
                              f"Postbus {rnd.randint(100, 9999)}", f"{rnd.randint(1000, 9999)} {rnd.choice(['AB', 'GH'])} "
                              f"{rnd.choice(['Eindhoven', 'Utrecht', 'Nijmegen'])}"]):
        r.append(Run(text, 60, 135 + 12 * k, 10))
    r.append(Run("Factuur", 60, 220, 17, True))
    buyer_vat = f"NL{rnd.randint(100000000, 999999999)}B0{rnd.randint(1, 9)}"
    info = [("Nummer", number), ("Datum", d(issued)), ("Vervaldag", d(due)),
            ("Project", rnd.choice(["Nieuwbouw 12 woningen", "Renovatie school", "Kantoor Oost"])),
            ("Uw btw-nummer", buyer_vat)]
    for k, (label, value) in enumerate(info):
        r.append(Run(label, 60, 246 + 12 * k, 9))
        r.append(Run(f": {value}", 150, 246 + 12 * k, 9))
    y = 320
    inv.rules += [(60, y - 3, 545, y - 3), (60, y + 12, 545, y + 12)]
    for head, x, align in (("Omschrijving", 60, "left"), ("Aantal", 330, "right"), ("Tarief", 420, "right"),
                           ("Totaal", 545, "right")):
        r.append(Run(head, x, y, 8.5, True, align))
    y += 18
    for item in lines:
        r.append(Run(item["description"], 60, y, 9))
        r.append(Run(str(item["quantity"]), 330, y, 9, align="right"))
        r.append(Run(f"€ {money(item['unit_price'])}", 420, y, 9, align="right"))
        r.append(Run(f"€ {money(item['amount'])}", 545, y, 9, align="right"))
        y += 14
    y = max(y + 16, 420)
    rows = [("Totaal excl. btw", f"€ {money(untaxed)}", False)]
    rows.append(("Btw verlegd", "€ 0,00", False) if shifted else ("Btw 21%", f"€ {money(vat)}", False))
    rows.append(("Te betalen", f"€ {money(total)}", True))
    inv.rules.append((330, y - 4, 545, y - 4))
    for k, (label, value, bold) in enumerate(rows):
        r.append(Run(label, 330, y + 14 * k, 9.5, bold))
        r.append(Run(value, 545, y + 14 * k, 9.5, bold, "right"))
    y += 14 * len(rows) + 24
    if shifted:
        r.append(Run(f"Btw verlegd naar {buyer}, btw-nummer {buyer_vat} (art. 12 lid 5 Wet OB).", 60, y, 8.5))
        y += 12
    g_share = _q(total * Decimal(rnd.choice([25, 30, 35])) / 100)
    g_iban = f"NL{rnd.randint(10, 99)} INGB 099{rnd.randint(1000000, 9999999)}"
    iban = f"NL{rnd.randint(10, 99)} RABO 0{rnd.randint(100000000, 999999999)}"
    r.append(Run(f"Van dit bedrag graag € {money(g_share)} storten op onze G-rekening {g_iban},", 60, y, 8.5))
    r.append(Run(f"het restant van € {money(total - g_share)} op {iban}.", 60, y + 11, 8.5))
    r.append(Run(f"Betaling binnen {(due - issued).days} dagen onder vermelding van het factuurnummer.", 60, y + 22, 8.5))
    inv.rules.append((60, 790, 545, 790))
    r.append(Run(f"KvK {rnd.randint(10000000, 99999999)} | btw NL{rnd.randint(100000000, 999999999)}B01 | {iban} | "
                 f"info@{corpus._domain(t['issuer'])}.nl", 60, 796, 7))


# ------------------------------------------------------------------ in_tax (kept out)


_STATES = [("Maharashtra", "27"), ("Gujarat", "24"), ("Karnataka", "29"), ("Tamil Nadu", "33"), ("Delhi", "07")]


def _in_tax(inv, rnd, issued, due, buyer):
    t, r = inv.truth, inv.runs
    money = inv.money = lambda v: _group(v, ",", ".", indian=True)  # noqa: E731
    fy = issued.year if issued.month >= 4 else issued.year - 1
    number = rnd.choice(["{fy}/{n:04d}", "SLT-{n:05d}", "GST{n:06d}"]).format(fy=f"{fy % 100}-{(fy + 1) % 100:02d}",
                                                                              n=rnd.randint(1, 99999))
    t["invoice_number"] = number
    rate = Decimal(rnd.choice([5, 12, 18, 28]))
    hsn = dict(_SPECS["in_tax"]["items"])
    lines = _pick_lines(inv, rnd, list(hsn), 2000, 900000, qty_high=50)
    seller_state = rnd.choice(_STATES)
    inter = rnd.random() < 0.4
    buyer_state = rnd.choice([s for s in _STATES if s != seller_state]) if inter else seller_state
    per_line = []
    for item in lines:
        if inter:
            per_line.append((Decimal(0), Decimal(0), _q(item["amount"] * rate / 100)))
        else:
            half = _q(item["amount"] * rate / 200)
            per_line.append((half, half, Decimal(0)))
    untaxed = sum((i["amount"] for i in lines), Decimal(0))
    cgst = sum((p[0] for p in per_line), Decimal(0))
    sgst = sum((p[1] for p in per_line), Decimal(0))
    igst = sum((p[2] for p in per_line), Decimal(0))
    vat = cgst + sgst + igst
    exact = untaxed + vat
    total = exact.quantize(Decimal(1), rounding="ROUND_HALF_UP")
    t.update(currency="INR", amount=total, amount_untaxed=untaxed, vat=vat, due_date=None, round_off=total - exact)
    d = lambda x: x.strftime(rnd.choice(["%d-%b-%Y", "%d.%m.%Y"]))  # noqa: E731
    gstin = lambda code: f"{code}{''.join(rnd.choice('ABCDEFGHJKLMNPRSTUVWXYZ') for _ in range(5))}" \
                         f"{rnd.randint(1000, 9999)}{rnd.choice('ABCFGHLPT')}1Z{rnd.randint(1, 9)}"  # noqa: E731
    r.append(Run("TAX INVOICE", 255, 28, 13, True))
    r.append(Run("(ORIGINAL FOR RECIPIENT)", 555, 30, 7.5, False, "right"))
    _box(inv, 35, 45, 560, 800)
    inv.rules += [(300, 45, 300, 205), (35, 125, 560, 125), (35, 205, 560, 205)]
    r.append(Run(t["issuer"], 40, 50, 11, True))
    for k, text in enumerate([f"{rnd.randint(1, 300)}, {rnd.choice(['MIDC Industrial Area', 'GIDC Estate', 'Peenya 2nd Stage'])}",
                              f"{rnd.choice(['Pune', 'Surat', 'Bengaluru', 'Chennai'])} - {rnd.randint(400001, 600099)}",
                              f"GSTIN/UIN: {gstin(seller_state[1])}",
                              f"State Name: {seller_state[0]}, Code: {seller_state[1]}"]):
        r.append(Run(text, 40, 66 + 11 * k, 8))
    refs = [("Invoice No.", number), ("Dated", d(issued)), ("Delivery Note", f"DN-{rnd.randint(100, 999)}"),
            ("Buyer's Order No.", f"PO/{rnd.randint(1000, 9999)}"), ("E-Way Bill No.", f"{rnd.randint(10**11, 10**12 - 1)}"),
            ("Mode/Terms of Payment", rnd.choice(["30 Days", "Immediate", "NEFT"]))]
    for k, (label, value) in enumerate(refs):
        x = 305 + 128 * (k % 2)
        yy = 50 + 25 * (k // 2)
        r.append(Run(label, x, yy, 7))
        r.append(Run(value, x, yy + 9, 8.5, True))
    r.append(Run("Buyer (Bill to)", 40, 130, 7))
    for k, text in enumerate([buyer, f"{rnd.choice(['Shop No. 4, Station Road', 'Plot 17, Sector 5'])}",
                              f"GSTIN/UIN: {gstin(buyer_state[1])}", f"State Name: {buyer_state[0]}, Code: {buyer_state[1]}",
                              f"Place of Supply: {buyer_state[0]}"]):
        r.append(Run(text, 40, 141 + 11 * k, 8.5 if k else 9.5, k == 0))
    irn = "".join(rnd.choice("0123456789abcdef") for _ in range(64))
    r.append(Run("IRN:", 305, 130, 7))
    r.append(Run(irn[:32], 305, 140, 7))
    r.append(Run(irn[32:], 305, 149, 7))
    r.append(Run(f"Ack No.: {rnd.randint(10**14, 10**15 - 1)}", 305, 162, 7.5))
    r.append(Run(f"Ack Date: {d(issued)}", 305, 173, 7.5))
    y = 212
    inv.rules.append((35, y + 20, 560, y + 20))
    heads = [("Sl", 40, "left"), ("Description of Goods", 55, "left"), ("HSN/SAC", 205, "left"), ("Qty", 270, "right"),
             ("Rate", 320, "right"), ("Taxable Value", 385, "right")]
    heads += ([("IGST", 450, "right"), ("Amount", 555, "right")] if inter else
              [("CGST", 435, "right"), ("SGST", 490, "right"), ("Amount", 555, "right")])
    for head, x, align in heads:
        r.append(Run(head, x, y + 4, 7.5, True, align))
    y += 26
    for k, (item, (c, s, i)) in enumerate(zip(lines, per_line), 1):
        r.append(Run(str(k), 40, y, 8))
        r.append(Run(item["description"], 55, y, 8))
        r.append(Run(hsn[item["description"]], 205, y, 8))
        r.append(Run(str(item["quantity"]), 270, y, 8, align="right"))
        r.append(Run(money(item["unit_price"]), 320, y, 8, align="right"))
        r.append(Run(money(item["amount"]), 385, y, 8, align="right"))
        if inter:
            r.append(Run(f"{rate}% {money(i)}", 450, y, 8, align="right"))
        else:
            r.append(Run(money(c), 435, y, 8, align="right"))
            r.append(Run(money(s), 490, y, 8, align="right"))
        r.append(Run(money(item["amount"] + c + s + i), 555, y, 8, align="right"))
        y += 14
    y = max(y + 10, 330)
    inv.rules.append((35, y, 560, y))
    y += 6
    rows = [("Total Taxable Value", money(untaxed))]
    rows += ([(f"Add: IGST @ {rate}%", money(igst))] if inter else
             [(f"Add: CGST @ {rate / 2:g}%", money(cgst)), (f"Add: SGST @ {rate / 2:g}%", money(sgst))])
    rows.append(("Round Off", f"{total - exact:+.2f}"))
    for k, (label, value) in enumerate(rows):
        r.append(Run(label, 330, y + 13 * k, 8.5))
        r.append(Run(value, 555, y + 13 * k, 8.5, False, "right"))
    y += 13 * len(rows) + 4
    inv.rules += [(300, y - 2, 560, y - 2), (300, y + 14, 560, y + 14)]
    r.append(Run("Grand Total", 330, y + 1, 10, True))
    r.append(Run(f"₹ {money(total)}", 555, y + 1, 10, True, "right"))
    y += 26
    r.append(Run("Amount Chargeable (in words)", 40, y, 7.5))
    r.append(Run(_indian_words(total).replace("Indian Rupee", "Rupees"), 40, y + 10, 8.5, True))
    r.append(Run("Tax Amount (in words)", 40, y + 26, 7.5))
    r.append(Run(_indian_words(vat).replace("Indian Rupee", "Rupees"), 40, y + 36, 8.5))
    y += 60
    r.append(Run("Company's Bank Details", 40, y, 7.5, True))
    r.append(Run(f"Bank Name: {rnd.choice(['HDFC Bank', 'State Bank of India', 'ICICI Bank'])}", 40, y + 11, 8))
    r.append(Run(f"A/c No.: {rnd.randint(10**11, 10**12 - 1)}", 40, y + 22, 8))
    r.append(Run(f"IFSC: {rnd.choice(['HDFC', 'SBIN', 'ICIC'])}000{rnd.randint(1000, 9999)}", 40, y + 33, 8))
    r.append(Run(f"for {t['issuer']}", 555, y, 8.5, True, "right"))
    r.append(Run("Authorised Signatory", 555, y + 40, 8, False, "right"))
    r.append(Run("Declaration: We declare that this invoice shows the actual price of the goods described and that all "
                 "particulars are true and correct.", 40, y + 60, 6.5))
    r.append(Run("SUBJECT TO LOCAL JURISDICTION. This is a Computer Generated Invoice.", 40, 785, 7))


# ------------------------------------------------------------------ modern_footer (kept out)


def _modern_footer(inv, rnd, issued, due, buyer):
    t, r = inv.truth, inv.runs
    currency = rnd.choice(["USD", "USD", "CAD", "EUR"])
    mark = {"USD": "$", "CAD": "CA$", "EUR": "€"}[currency]
    money = inv.money = lambda v: _group(v, ",", ".")  # noqa: E731
    number = _number(inv, rnd, ["{n:04d}", "{y}-{n:03d}", "LP-{n:05d}"], issued)
    lines = _pick_lines(inv, rnd, _SPECS["modern_footer"]["items"], 5000, 300000, qty_high=8)
    untaxed = sum((i["amount"] for i in lines), Decimal(0))
    rate, tax_name = {"USD": (Decimal(rnd.choice(["0", "6", "8.25"])), "Sales tax"), "CAD": (Decimal(13), "HST"),
                      "EUR": (Decimal(23), "VAT")}[currency]
    vat = _q(untaxed * rate / 100)
    total = untaxed + vat
    t.update(currency=currency, amount=total, amount_untaxed=untaxed, vat=vat)
    d = lambda x: f"{x.strftime('%b')} {x.day}, {x.year}"  # noqa: E731
    wordmark = " ".join(w for w in t["issuer"].replace("&", "and").split() if w not in ("LLC", "Inc.", "Ltd")).lower()
    r.append(Run(wordmark, 45, 40, 16, True))
    r.append(Run("Invoice", 550, 40, 24, False, "right"))
    # the buyer on the left at the top; the amount due large on the right
    r.append(Run("BILLED TO", 45, 100, 7, True))
    for k, text in enumerate([buyer, f"{rnd.randint(10, 999)} {rnd.choice(['Pine St', 'Ocean Ave', 'King St W'])}",
                              rnd.choice(["Portland, OR 97204", "Toronto, ON M5V 2T6", "Galway H91 X2Y3"]),
                              f"ap@{corpus._domain(buyer)}.com"]):
        r.append(Run(text, 45, 112 + 12 * k, 9.5, k == 0))
    r.append(Run(f"AMOUNT DUE ({currency})", 550, 100, 7, True, "right"))
    r.append(Run(f"{mark}{money(total)}", 550, 112, 22, True, "right"))
    r.append(Run(f"Due {d(due)}", 550, 142, 9, False, "right"))
    cells = [("INVOICE NUMBER", number), ("DATE OF ISSUE", d(issued)), ("TERMS", f"Net {(due - issued).days}"),
             ("REFERENCE", rnd.choice(["Q4 retainer", "SOW #7", "Project Aurora"]))]
    for k, (label, value) in enumerate(cells):
        r.append(Run(label, 45 + 130 * k, 200, 7, True))
        r.append(Run(value, 45 + 130 * k, 212, 9.5))
    y = 255
    inv.rules.append((45, y + 14, 550, y + 14))
    for head, x, align in (("DESCRIPTION", 45, "left"), ("RATE", 380, "right"), ("QTY", 440, "right"),
                           ("LINE TOTAL", 550, "right")):
        r.append(Run(head, x, y, 7, True, align))
    y += 24
    for item in lines:
        r.append(Run(item["description"], 45, y, 9.5))
        r.append(Run(f"{mark}{money(item['unit_price'])}", 380, y, 9.5, align="right"))
        r.append(Run(str(item["quantity"]), 440, y, 9.5, align="right"))
        r.append(Run(f"{mark}{money(item['amount'])}", 550, y, 9.5, align="right"))
        y += 20
    inv.rules.append((45, y, 550, y))
    y += 16
    rows = [("Subtotal", money(untaxed), False)]
    if rate:
        rows.append((f"{tax_name} ({rate.normalize():f}%)", money(vat), False))
    rows += [("Total", money(total), False), (f"Amount due ({currency})", f"{mark}{money(total)}", True)]
    for k, (label, value, bold) in enumerate(rows):
        r.append(Run(label, 350, y + 16 * k, 9.5, bold))
        r.append(Run(value, 550, y + 16 * k, 9.5, bold, "right"))
    y += 16 * len(rows) + 30
    r.append(Run("NOTES", 45, y, 7, True))
    r.append(Run(rnd.choice(["Thanks for working with us!", "Questions? Just reply to the invoice email.",
                             "Late payments incur a 2% monthly fee."]), 45, y + 12, 9))
    # the seller: only here, in the footer's two columns
    inv.rules.append((45, 730, 550, 730))
    tax_id = {"USD": f"EIN {rnd.randint(10, 99)}-{rnd.randint(1000000, 9999999)}",
              "CAD": f"HST # {rnd.randint(100000000, 999999999)} RT0001", "EUR": f"VAT IE{rnd.randint(1000000, 9999999)}K"}[currency]
    for k, text in enumerate([t["issuer"], f"{rnd.randint(100, 9999)} {rnd.choice(['Market St', 'Harbour Rd', 'Queen St E'])}",
                              rnd.choice(["San Francisco, CA 94103", "Halifax, NS B3J 1S9", "Dublin D02 XY45"]), tax_id]):
        r.append(Run(text, 45, 740 + 11 * k, 8, k == 0))
    r.append(Run("PAYMENT DETAILS", 320, 740, 7, True))
    for k, text in enumerate([f"Bank transfer: {rnd.choice(['Chase', 'RBC', 'Bank of Ireland'])} ****{rnd.randint(1000, 9999)}",
                              f"billing@{corpus._domain(t['issuer'])}.com",
                              f"www.{corpus._domain(t['issuer'])}.com"]):
        r.append(Run(text, 320, 751 + 11 * k, 8))


_DRAW = {"gb_box": _gb_box, "de_beleg": _de_beleg, "cn_zhuanpiao": _cn_zhuanpiao, "till_points": _till_points,
         "fr_taux": _fr_taux, "nl_verlegd": _nl_verlegd, "in_tax": _in_tax, "modern_footer": _modern_footer}

corpus.LANGUAGE.update(_LANGUAGE)
corpus.FRESH_FONTS.update(_FONTS)
corpus.FRESH_SPECS.update({layout: dict(spec, numbers=[]) for layout, spec in _SPECS.items()})
corpus._FRESH_DRAW.update(_DRAW)
