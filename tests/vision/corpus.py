"""A generated invoice corpus with ground truth, for tests and ``benchmarks/invoices.py``.

``make_invoice(seed, layout)`` draws a random invoice in one of 13 layouts in 9 languages and
returns its ground truth and its drawing (text runs in PDF points on A4):

- ``FIT_LAYOUTS`` (developed against): ``classic`` (English, labels beside values),
  ``stacked`` (English, values under headings), ``de`` (German, decimal commas), ``cn``
  (Chinese VAT fapiao), ``nl`` (Dutch, KvK/BTW footer), ``fr`` (French, seller block beside
  the client block, month names), ``es`` (Spanish, NIF), ``us`` (US English, month-first
  numeric dates, bill-to and ship-to blocks before the seller's footer);
- ``HELD_OUT_LAYOUTS`` (written once, never tuned against; the benchmark reports them apart):
  ``it`` (Italian), ``pt`` (Portuguese), ``pl`` (Polish, seller and buyer side by side),
  ``gst`` (Indian GST, CGST + SGST), ``letter`` (German business letter: sender line above
  the address window, amounts with thousands dots), ``market`` (a marketplace's page: the
  platform's name on top, the seller named under "Sold by").
The drawing becomes:

- ``write_pdf``: a born-digital PDF with a real text layer (Latin layouts; a tiny PDF writer
  with the standard Helvetica font, so no reportlab is needed);
- ``render``: a page image drawn with Pillow (DejaVu Sans, WenQuanYi Micro Hei for Chinese)
  at any dpi, and ``degrade`` turns it into a scan: noise, blur, skew, 90/180 rotation,
  JPEG artefacts.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

A4 = (595.0, 842.0)
LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LATIN_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CJK_FONTS = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"]

VENDORS = ["Northwind Traders Ltd", "Contoso Office Supply Inc", "Blue Harbor Logistics LLC", "Fabrikam Tools GmbH",
           "Acme Paper Co", "Greenleaf Catering Ltd", "Summit Print Works Inc", "Riverside IT Services Ltd"]
DE_VENDORS = ["Müller Bürobedarf GmbH", "Schmidt Logistik AG", "Weber Druck GmbH", "Becker Elektro GmbH"]
CN_VENDORS = ["上海明远办公用品有限公司", "北京华创科技有限公司", "深圳海通物流有限公司", "杭州青禾餐饮管理有限公司"]
ITEMS = ["Printer paper A4", "Toner cartridge", "Consulting hours", "Delivery fee", "Office chairs", "USB cables",
         "Cloud hosting", "Desk lamps", "Catering service", "Software licence"]
DE_ITEMS = ["Druckerpapier A4", "Tonerkartusche", "Beratung", "Versandkosten", "Bürostühle", "Schreibtischlampe"]
CN_ITEMS = ["打印纸", "硒鼓", "咨询服务", "运输费", "办公椅", "数据线", "云服务器", "台灯"]

FIT_LAYOUTS = ["classic", "stacked", "de", "cn", "nl", "fr", "es", "us"]
HELD_OUT_LAYOUTS = ["it", "pt", "pl", "gst", "letter", "market"]
LANGUAGE = {"classic": "en", "stacked": "en", "de": "de", "cn": "zh", "nl": "nl", "fr": "fr", "es": "es", "us": "en",
            "it": "it", "pt": "pt", "pl": "pl", "gst": "en", "letter": "de", "market": "en"}

# the newer layouts: sellers, buyers (decoys with legal forms of their own), items, VAT rates,
# currencies, number styles, and how money and dates are printed
SPECS = {
    "nl": dict(vendors=["Bakkerij De Molen B.V.", "Van der Berg Installatietechniek B.V.", "Groen & Zonen V.O.F."],
               buyers=["Groothandel Jansen B.V.", "Kantoorpand Zuid B.V."],
               items=["Broodjes assorti", "Onderhoud cv-ketel", "Montage", "Voorrijkosten", "Taarten", "Materiaal"],
               rates=[21, 9], currencies=["EUR"], numbers=["F{y}-{n:04d}", "{n:06d}"], money="dot_comma"),
    "fr": dict(vendors=["Papeterie Lefèvre SARL", "Atelier Dubois SAS", "Transports Moreau SA"],
               buyers=["Boulangerie Martin SARL", "Cabinet Petit SAS"],
               items=["Ramettes papier A4", "Cartouches d'encre", "Prestation de conseil", "Frais de port", "Classeurs"],
               rates=[20, 10, 5.5], currencies=["EUR"], numbers=["FA-{y}-{n:04d}", "F{n:06d}"], money="space_comma"),
    "es": dict(vendors=["Suministros García S.L.", "Talleres Romero S.A.", "Distribuciones Navarro S.L."],
               buyers=["Hostelería del Sur S.L.", "Clínica Dental Ruiz S.L."],
               items=["Papel de impresora", "Mantenimiento mensual", "Transporte", "Sillas de oficina", "Tóner negro"],
               rates=[21, 10], currencies=["EUR"], numbers=["{y}/{n:05d}", "A-{n:05d}"], money="dot_comma"),
    "us": dict(vendors=["Lakeside Plumbing Inc", "Pioneer Data Systems LLC", "Redwood Landscaping Co"],
               buyers=["Harbor View Apartments LLC", "Maple Street Dental Group Inc"],
               items=["Service call", "Parts and materials", "Labor (hours)", "Annual support plan", "Site visit"],
               rates=[0, 6.25, 7, 8.875], currencies=["USD"], numbers=["{n:05d}", "INV{n:06d}"], money="comma_dot"),
    "it": dict(vendors=["Cartoleria Rossi S.r.l.", "Ferramenta Bianchi S.p.A.", "Studio Conti S.r.l."],
               buyers=["Ristorante Da Mario S.r.l.", "Farmacia Greco S.n.c."],
               items=["Carta per fotocopie", "Consulenza tecnica", "Spese di trasporto", "Toner stampante", "Sedie"],
               rates=[22, 10], currencies=["EUR"], numbers=["{n}/{y}", "FT-{n:05d}"], money="dot_comma"),
    "pt": dict(vendors=["Papelaria Almeida Lda.", "Construções Ferreira S.A.", "Gráfica Sousa Lda."],
               buyers=["Restaurante O Marinheiro Lda.", "Clínica Santos S.A."],
               items=["Resmas de papel", "Serviço de manutenção", "Portes de envio", "Cadeiras de escritório"],
               rates=[23, 13, 6], currencies=["EUR"], numbers=["FT {y}/{n}", "FR A{y}/{n:05d}"], money="space_comma"),
    "pl": dict(vendors=["Biuro Serwis Nowak Sp. z o.o.", "Drukarnia Kowalski S.A.", "Transport Wisniewski Sp. z o.o."],
               buyers=["Hurtownia Zielinski Sp. z o.o.", "Apteka Centrum S.A."],
               items=["Papier do drukarki", "Usluga serwisowa", "Transport", "Krzesla biurowe", "Toner"],
               rates=[23, 8], currencies=["PLN"], numbers=["FV/{n}/{y}", "{n}/{m:02d}/{y}"], money="space_comma"),
    "gst": dict(vendors=["Sharma Traders Pvt Ltd", "Vikas Electronics Pvt Ltd", "Kaveri Textiles Pvt Ltd"],
                buyers=["Lotus Retail Pvt Ltd", "Green Valley Foods Pvt Ltd"],
                items=["LED bulbs 9W", "Extension board", "Cotton shirts", "Packing charges", "Ceiling fan"],
                rates=[18, 12, 5], currencies=["INR"], numbers=["GST/{y}/{n:04d}", "TI-{n:05d}"], money="comma_dot"),
    "letter": dict(vendors=["Hansen Haustechnik GmbH", "Krause & Partner Steuerberatung", "Elektro Vogel e.K."],
                   buyers=["Bäckerei Schulze GmbH", "Praxis Dr. Lange"],
                   items=["Wartung Heizungsanlage", "Arbeitszeit Monteur", "Anfahrtspauschale", "Material", "Beratung"],
                   rates=[19, 7], currencies=["EUR"], numbers=["{y}-{n:05d}", "R{n:06d}"], money="dot_comma"),
    "market": dict(vendors=["Bright Home Goods Ltd", "Oak & Pine Crafts Ltd", "Northern Gadgets Ltd"],
                   buyers=["Jordan Ellis"],
                   items=["Ceramic mug set", "Bamboo cutting board", "USB-C charger", "Desk organiser", "Throw blanket"],
                   rates=[20], currencies=["GBP"], numbers=["MP-{y}-{n:07d}", "{n:09d}"], money="comma_dot"),
}
MONTH_NAMES = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"],
}


def cjk_font() -> str | None:
    return next((f for f in CJK_FONTS if Path(f).exists()), None)


@dataclass
class Run:
    text: str
    x: float
    y: float  # top of the text, points from the top of the page
    size: float = 10.0
    bold: bool = False
    align: str = "left"  # left | right


@dataclass
class Invoice:
    seed: int
    layout: str
    truth: dict
    runs: list[Run] = field(default_factory=list)

    @property
    def latin(self) -> bool:
        return self.layout != "cn"

    @property
    def language(self) -> str:
        return LANGUAGE[self.layout]


def _money(value: Decimal, layout: str) -> str:
    text = f"{value:,.2f}"
    style = "dot_comma" if layout == "de" else SPECS[layout]["money"] if layout in SPECS else "comma_dot"
    if style == "dot_comma":
        text = text.replace(",", "X").replace(".", ",").replace("X", ".")
    elif style == "space_comma":
        text = text.replace(",", " ").replace(".", ",")
    return text


def _long_date(d: date, language: str) -> str:
    names = MONTH_NAMES[language]
    if language == "en":
        return f"{names[d.month - 1]} {d.day}, {d.year}"
    joiner = " de " if language in ("es", "pt") else " "
    return f"{d.day}{joiner}{names[d.month - 1]}{joiner}{d.year}"


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def make_invoice(seed: int, layout: str | None = None, today: date | None = None, wrong_total: bool = False) -> Invoice:
    """A random invoice; ``wrong_total`` prints a total 10.00 off the true sum (a typo or a
    misprint the checks must catch: ``truth["printed_amount"]`` holds what is printed)."""
    rnd = random.Random(seed)
    layout = layout or ["classic", "stacked", "de", "cn"][seed % 4]
    today = today or date.today()
    if layout in SPECS:
        return _make_spec_invoice(rnd, seed, layout, today, wrong_total)
    issued = today - timedelta(days=rnd.randint(1, 90))
    due = issued + timedelta(days=rnd.choice([14, 30, 45]))
    names = {"cn": CN_ITEMS, "de": DE_ITEMS}.get(layout, ITEMS)
    lines = []
    for name in rnd.sample(names, rnd.randint(1, 4)):
        qty = Decimal(rnd.randint(1, 12))
        unit = _q(Decimal(rnd.randint(150, 250000)) / 100)
        lines.append({"description": name, "quantity": qty, "unit_price": unit, "amount": _q(qty * unit)})
    untaxed = sum((item["amount"] for item in lines), Decimal(0))
    rate = {"cn": rnd.choice([13, 6]), "de": 19}.get(layout, rnd.choice([0, 5, 8, 10, 20]))
    tax = _q(untaxed * rate / 100)
    total = untaxed + tax
    currency = {"cn": "CNY", "de": "EUR"}.get(layout, rnd.choice(["USD", "EUR", "GBP", "USD"]))
    vendor = rnd.choice({"cn": CN_VENDORS, "de": DE_VENDORS}.get(layout, VENDORS))
    prefix = {"cn": "", "de": "RE-"}.get(layout, rnd.choice(["INV-", "", "A", "2026/"]))
    number = f"{prefix}{rnd.randint(10000, 99999999)}"
    if layout == "cn":
        number = str(rnd.randint(10000000, 99999999))
    truth = {"issuer": vendor, "invoice_number": number, "date": issued.isoformat(), "due_date": due.isoformat(),
             "currency": currency, "amount": total, "amount_untaxed": untaxed, "vat": tax,
             "lines": [dict(item) for item in lines]}
    if layout == "cn":
        truth["due_date"] = None  # a fapiao prints no due date
    inv = Invoice(seed, layout, truth)
    {"classic": _classic, "stacked": _stacked, "de": _german, "cn": _chinese}[layout](inv, rnd, rate, issued, due)
    if wrong_total:
        printed = total + Decimal("10.00")
        truth["printed_amount"] = printed
        for run in inv.runs:
            if run.bold and run.text.endswith(_money(total, layout)) and run.align == "right":
                run.text = run.text[: -len(_money(total, layout))] + _money(printed, layout)
    return inv


_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "INR": "₹", "PLN": "zł"}


def _make_spec_invoice(rnd: random.Random, seed: int, layout: str, today: date, wrong_total: bool) -> Invoice:
    spec = SPECS[layout]
    issued = today - timedelta(days=rnd.randint(1, 90))
    due = issued + timedelta(days=rnd.choice([14, 30, 60]))
    lines = []
    for name in rnd.sample(spec["items"], rnd.randint(1, 4)):
        qty = Decimal(rnd.randint(1, 20))
        unit = _q(Decimal(rnd.randint(150, 180000)) / 100)
        lines.append({"description": name, "quantity": qty, "unit_price": unit, "amount": _q(qty * unit)})
    untaxed = sum((item["amount"] for item in lines), Decimal(0))
    rate = Decimal(str(rnd.choice(spec["rates"])))
    if layout == "gst":  # CGST and SGST: half the rate each, each rounded
        half = _q(untaxed * rate / 200)
        tax = half * 2
    else:
        tax = _q(untaxed * rate / 100)
    number = rnd.choice(spec["numbers"]).format(y=issued.year, m=issued.month, n=rnd.randint(1, 99999))
    truth = {"issuer": rnd.choice(spec["vendors"]), "invoice_number": number, "date": issued.isoformat(),
             "due_date": due.isoformat(), "currency": rnd.choice(spec["currencies"]), "amount": untaxed + tax,
             "amount_untaxed": untaxed, "vat": tax, "lines": [dict(item) for item in lines]}
    if layout == "market":
        truth["due_date"] = None  # paid when ordered: no due date printed
    inv = Invoice(seed, layout, truth)
    buyer = rnd.choice(spec["buyers"])
    _SPEC_DRAW[layout](inv, rnd, rate, issued, due, buyer)
    if wrong_total:
        printed = truth["amount"] + Decimal("10.00")
        truth["printed_amount"] = printed
        old, new = _money(truth["amount"], layout), _money(printed, layout)
        for run in inv.runs:
            if run.bold and old in run.text and run.align == "right":
                run.text = new.join(run.text.rsplit(old, 1))
    return inv


def _rate_text(rate: Decimal, layout: str) -> str:
    text = f"{rate.normalize():f}"
    return text.replace(".", ",") if _money(Decimal("1.5"), layout).endswith(",50") else text


def _footer(inv: Invoice, y: float, parts: list[str], size: float = 7.5) -> None:
    inv.runs.append(Run(" · ".join(parts), 50, y, size))


def _nl(inv, rnd, rate, issued, due, buyer):
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "nl")  # noqa: E731
    r.append(Run(t["issuer"], 50, 45, 15, True))
    r.append(Run(f"Industrieweg {rnd.randint(1, 120)}", 50, 66, 9))
    r.append(Run(f"{rnd.randint(1000, 9999)} AB Amersfoort", 50, 78, 9))
    r.append(Run("FACTUUR", 545, 45, 18, True, "right"))
    r.append(Run("Factuuradres:", 330, 110, 9, True))
    r.append(Run(buyer, 330, 124))
    r.append(Run(f"Stationsplein {rnd.randint(1, 80)}, 3511 ED Utrecht", 330, 138, 9))
    date_text = issued.strftime("%d-%m-%Y") if rnd.random() < 0.5 else _long_date(issued, "nl")
    for i, (label, value) in enumerate([("Factuurnummer", t["invoice_number"]), ("Factuurdatum", date_text),
                                        ("Vervaldatum", due.strftime("%d-%m-%Y"))]):
        r.append(Run(label, 50, 180 + 15 * i, 9.5))
        r.append(Run(value, 160, 180 + 15 * i, 9.5))
    y = _table(inv, 250, ["Omschrijving", "Aantal", "Prijs", "Bedrag"], fmt)
    _totals(inv, y, ["Subtotaal", f"BTW {_rate_text(rate, 'nl')}%", "Totaal te betalen"], fmt, "€ ")
    _footer(inv, 770, [f"KvK {rnd.randint(10000000, 99999999)}", f"BTW NL{rnd.randint(100000000, 999999999)}B01",
                       f"IBAN NL{rnd.randint(10, 99)} RABO 0{rnd.randint(100000000, 999999999)}"])
    r.append(Run(f"Gelieve binnen {(due - issued).days} dagen te betalen onder vermelding van het factuurnummer.",
                 50, 740, 8.5))


def _fr(inv, rnd, rate, issued, due, buyer):
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "fr")  # noqa: E731
    r.append(Run(f"Facture n° {t['invoice_number']}", 320, 45, 13, True))
    date_text = _long_date(issued, "fr") if rnd.random() < 0.5 else issued.strftime("%d/%m/%Y")
    r.append(Run(f"Date : {date_text}", 320, 64, 10))
    r.append(Run(f"Échéance : {due.strftime('%d/%m/%Y')}", 320, 78, 10))
    r.append(Run("Émetteur :", 50, 110, 9, True))
    r.append(Run(t["issuer"], 50, 124))
    r.append(Run(f"{rnd.randint(1, 99)} rue des Lilas", 50, 138, 9))
    r.append(Run("69003 Lyon", 50, 150, 9))
    r.append(Run("Client :", 320, 110, 9, True))
    r.append(Run(buyer, 320, 124))
    r.append(Run(f"{rnd.randint(1, 99)} avenue Jean Jaurès", 320, 138, 9))
    r.append(Run("75019 Paris", 320, 150, 9))
    y = _table(inv, 200, ["Désignation", "Qté", "Prix unitaire HT", "Montant HT"], fmt)
    _totals(inv, y, ["Total HT", f"TVA {_rate_text(rate, 'fr')} %", "Total TTC"], fmt)
    inv.runs[-1].text += " €"
    r.append(Run("Conditions de paiement : virement à réception. Pénalités de retard : 3 fois le taux légal.",
                 50, 720, 8))
    _footer(inv, 770, [f"{t['issuer']} au capital de 10 000 €", f"SIRET {rnd.randint(10**13, 10**14 - 1)}",
                       f"TVA intracommunautaire FR{rnd.randint(10, 99)}{rnd.randint(100000000, 999999999)}"])


def _es(inv, rnd, rate, issued, due, buyer):
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "es")  # noqa: E731
    r.append(Run(t["issuer"], 50, 45, 14, True))
    r.append(Run(f"NIF: B{rnd.randint(10000000, 99999999)}", 50, 64, 9))
    r.append(Run(f"Calle Mayor {rnd.randint(1, 90)}, 28013 Madrid", 50, 76, 9))
    r.append(Run("FACTURA", 545, 45, 18, True, "right"))
    r.append(Run("Nº factura:", 300, 100, 9.5))
    r.append(Run(t["invoice_number"], 545, 100, 9.5, align="right"))
    r.append(Run("Fecha de emisión:", 300, 114, 9.5))
    date_text = issued.strftime("%d/%m/%Y") if rnd.random() < 0.6 else _long_date(issued, "es")
    r.append(Run(date_text, 545, 114, 9.5, align="right"))
    r.append(Run("Vencimiento:", 300, 128, 9.5))
    r.append(Run(due.strftime("%d/%m/%Y"), 545, 128, 9.5, align="right"))
    r.append(Run("Cliente:", 50, 110, 9, True))
    r.append(Run(buyer, 50, 124))
    r.append(Run(f"CIF: B{rnd.randint(10000000, 99999999)}", 50, 138, 9))
    y = _table(inv, 200, ["Concepto", "Cantidad", "Precio", "Importe"], fmt)
    _totals(inv, y, ["Base imponible", f"IVA {_rate_text(rate, 'es')}%", "Total factura"], fmt)
    inv.runs[-1].text += " €"
    r.append(Run(f"Forma de pago: transferencia a ES{rnd.randint(10, 99)} 2100 {rnd.randint(1000, 9999)} "
                 f"{rnd.randint(10, 99)} {rnd.randint(10**9, 10**10 - 1)}", 50, 750, 8.5))


def _us(inv, rnd, rate, issued, due, buyer):
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "us")  # noqa: E731
    r.append(Run("INVOICE", 50, 40, 22, True))
    r.append(Run("Invoice #", 380, 45, 9.5, True))
    r.append(Run(t["invoice_number"], 545, 45, 9.5, align="right"))
    r.append(Run("Invoice Date", 380, 59, 9.5, True))
    r.append(Run(issued.strftime("%m/%d/%Y"), 545, 59, 9.5, align="right"))
    r.append(Run("Due Date", 380, 73, 9.5, True))
    r.append(Run(due.strftime("%m/%d/%Y"), 545, 73, 9.5, align="right"))
    r.append(Run("Bill To", 50, 110, 9.5, True))
    r.append(Run(buyer, 50, 124))
    r.append(Run(f"{rnd.randint(100, 9999)} Elm Avenue", 50, 138, 9))
    r.append(Run("Portland, OR 97205", 50, 150, 9))
    r.append(Run("Ship To", 260, 110, 9.5, True))
    r.append(Run(buyer, 260, 124))
    r.append(Run(f"{rnd.randint(100, 9999)} Harbor Blvd", 260, 138, 9))
    y = _table(inv, 200, ["Description", "Qty", "Unit Price", "Amount"], fmt)
    rate_label = f"Sales Tax ({rate.normalize():f}%)"
    _totals(inv, y, ["Subtotal", rate_label, "Balance Due"], fmt, "$")
    r.append(Run(f"Make checks payable to {t['issuer']}", 50, 720, 9))
    _footer(inv, 770, [t["issuer"], f"{rnd.randint(10, 999)} Commerce Way, Seattle, WA 98101",
                       f"billing@{t['issuer'].split()[0].lower()}.com", f"EIN {rnd.randint(10, 99)}-{rnd.randint(1000000, 9999999)}"],
            8)


def _it(inv, rnd, rate, issued, due, buyer):
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "it")  # noqa: E731
    r.append(Run(t["issuer"], 50, 45, 14, True))
    r.append(Run(f"Via Roma {rnd.randint(1, 200)}, 20121 Milano", 50, 64, 9))
    r.append(Run(f"P.IVA IT{rnd.randint(10**10, 10**11 - 1)}", 50, 76, 9))
    r.append(Run("Spett.le", 330, 110, 9))
    r.append(Run(buyer, 330, 124))
    r.append(Run(f"Corso Italia {rnd.randint(1, 99)}, 00198 Roma", 330, 138, 9))
    r.append(Run(f"FATTURA N. {t['invoice_number']} DEL {issued.strftime('%d/%m/%Y')}", 50, 190, 12, True))
    y = _table(inv, 230, ["Descrizione", "Quantità", "Prezzo unitario", "Importo"], fmt)
    _totals(inv, y, ["Imponibile", f"IVA {_rate_text(rate, 'it')}%", "Totale documento"], fmt, "€ ")
    r.append(Run(f"Scadenza pagamento: {due.strftime('%d/%m/%Y')} - Bonifico bancario", 50, 700, 9))
    r.append(Run(f"IBAN IT{rnd.randint(10, 99)} X054 2811 1010 0000 0{rnd.randint(100000, 999999)}", 50, 714, 9))


def _pt(inv, rnd, rate, issued, due, buyer):
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "pt")  # noqa: E731
    r.append(Run(t["issuer"], 50, 45, 14, True))
    r.append(Run(f"Rua Augusta {rnd.randint(1, 300)}, 1100-053 Lisboa", 50, 64, 9))
    r.append(Run(f"NIF {rnd.randint(500000000, 599999999)}", 50, 76, 9))
    r.append(Run(f"Fatura {t['invoice_number']}", 545, 45, 13, True, "right"))
    r.append(Run("Exmo(s) Sr(s).", 330, 100, 9))
    r.append(Run(buyer, 330, 114))
    r.append(Run(f"NIF cliente: {rnd.randint(500000000, 599999999)}", 330, 128, 9))
    r.append(Run("Data de emissão", 50, 160, 9, True))
    r.append(Run("Data de vencimento", 200, 160, 9, True))
    r.append(Run("Moeda", 360, 160, 9, True))
    r.append(Run(issued.strftime("%d-%m-%Y"), 50, 174, 9.5))
    r.append(Run(due.strftime("%d-%m-%Y"), 200, 174, 9.5))
    r.append(Run("EUR", 360, 174, 9.5))
    y = _table(inv, 220, ["Descrição", "Qtd.", "Preço unit.", "Valor"], fmt)
    _totals(inv, y, ["Total sem IVA", f"IVA {_rate_text(rate, 'pt')}%", "Total a pagar"], fmt)
    r.append(Run("Processado por programa certificado n.º 1234/AT", 50, 780, 7))


def _pl(inv, rnd, rate, issued, due, buyer):
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "pl")  # noqa: E731
    r.append(Run(f"Faktura VAT nr {t['invoice_number']}", 50, 45, 14, True))
    r.append(Run(f"Data wystawienia: {issued.strftime('%Y-%m-%d')}", 50, 66, 9.5))
    r.append(Run(f"Termin płatności: {due.strftime('%Y-%m-%d')}", 50, 80, 9.5))
    r.append(Run("Sprzedawca:", 50, 115, 9, True))
    r.append(Run(t["issuer"], 50, 129))
    r.append(Run(f"ul. Długa {rnd.randint(1, 99)}, 00-238 Warszawa", 50, 143, 9))
    r.append(Run(f"NIP: {rnd.randint(100, 999)}-{rnd.randint(100, 999)}-{rnd.randint(10, 99)}-{rnd.randint(10, 99)}",
                 50, 155, 9))
    r.append(Run("Nabywca:", 320, 115, 9, True))
    r.append(Run(buyer, 320, 129))
    r.append(Run(f"ul. Polna {rnd.randint(1, 99)}, 30-001 Kraków", 320, 143, 9))
    r.append(Run(f"NIP: {rnd.randint(100, 999)}-{rnd.randint(100, 999)}-{rnd.randint(10, 99)}-{rnd.randint(10, 99)}",
                 320, 155, 9))
    y = _table(inv, 200, ["Nazwa towaru lub usługi", "Ilość", "Cena netto", "Wartość netto"], fmt)
    _totals(inv, y, ["Razem netto", f"VAT {_rate_text(rate, 'pl')}%", "Do zapłaty"], fmt)
    inv.runs[-1].text += " zł"
    r.append(Run(f"Forma płatności: przelew, nr konta PL{rnd.randint(10, 99)} 1090 {rnd.randint(1000, 9999)} 0000 0001 "
                 f"{rnd.randint(1000, 9999)} {rnd.randint(1000, 9999)}", 50, 740, 8.5))


def _gst(inv, rnd, rate, issued, due, buyer):
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "gst")  # noqa: E731
    state = rnd.randint(10, 36)
    r.append(Run("TAX INVOICE", 297, 40, 15, True, "center"))
    r.append(Run(t["issuer"], 50, 70, 13, True))
    r.append(Run(f"Plot {rnd.randint(1, 99)}, MIDC Industrial Area, Pune 411019", 50, 88, 9))
    r.append(Run(f"GSTIN: {state}AAB{rnd.choice('CFP')}{rnd.randint(1000, 9999)}K1Z{rnd.randint(1, 9)}", 50, 100, 9))
    r.append(Run("Invoice No.", 360, 70, 9.5))
    r.append(Run(t["invoice_number"], 545, 70, 9.5, align="right"))
    r.append(Run("Invoice Date", 360, 84, 9.5))
    r.append(Run(issued.strftime("%d-%m-%Y"), 545, 84, 9.5, align="right"))
    r.append(Run("Due Date", 360, 98, 9.5))
    r.append(Run(due.strftime("%d-%m-%Y"), 545, 98, 9.5, align="right"))
    r.append(Run("Details of Receiver (Billed to)", 50, 130, 9, True))
    r.append(Run(buyer, 50, 144))
    r.append(Run(f"GSTIN: {state}AAC{rnd.choice('CFP')}{rnd.randint(1000, 9999)}L1Z{rnd.randint(1, 9)}", 50, 158, 9))
    y = _table(inv, 200, ["Description of Goods", "Qty", "Rate", "Taxable Value"], fmt)
    half = t["vat"] / 2
    rows = [("Taxable Amount", t["amount_untaxed"]), (f"CGST @ {rate / 2:g}%", half), (f"SGST @ {rate / 2:g}%", half),
            ("Grand Total", t["amount"])]
    for label, value in rows:
        bold = label == "Grand Total"
        r.append(Run(label, 360, y, 10, bold))
        r.append(Run(f"₹ {fmt(value)}", 545, y, 10, bold, "right"))
        y += 18
    r.append(Run("Amount in words: as above. E. & O.E.", 50, y + 20, 8.5))


def _letter(inv, rnd, rate, issued, due, buyer):
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "letter")  # noqa: E731
    city = rnd.choice(["Hamburg", "Köln", "Leipzig", "Stuttgart"])
    r.append(Run(f"{t['issuer']} · Gartenstraße {rnd.randint(1, 80)} · {rnd.randint(10000, 99999)} {city}", 50, 120, 7))
    r.append(Run(buyer, 50, 140))
    r.append(Run(f"Lindenallee {rnd.randint(1, 99)}", 50, 154))
    r.append(Run(f"{rnd.randint(10000, 99999)} Bremen", 50, 168))
    r.append(Run(t["issuer"], 545, 45, 13, True, "right"))
    r.append(Run(f"Tel. 0{rnd.randint(100, 999)} {rnd.randint(100000, 999999)}", 545, 62, 8.5, align="right"))
    r.append(Run(f"Rechnungs-Nr.: {t['invoice_number']}", 545, 140, 9.5, align="right"))
    r.append(Run(f"Datum: {issued.strftime('%d.%m.%Y')}", 545, 154, 9.5, align="right"))
    r.append(Run(f"Kunden-Nr.: {rnd.randint(10000, 99999)}", 545, 168, 9.5, align="right"))
    r.append(Run("Rechnung", 50, 220, 14, True))
    r.append(Run("Sehr geehrte Damen und Herren, für unsere Leistungen berechnen wir Ihnen:", 50, 242, 9.5))
    y = _table(inv, 270, ["Bezeichnung", "Menge", "Einzelpreis", "Gesamtpreis"], fmt)
    _totals(inv, y, ["Summe netto", f"zzgl. {rate.normalize():f} % USt.", "Rechnungsbetrag"], fmt)
    inv.runs[-1].text += " EUR"
    r.append(Run(f"Zahlbar bis {due.strftime('%d.%m.%Y')} ohne Abzug.", 50, y + 70, 9.5))
    _footer(inv, 775, [t["issuer"], f"Amtsgericht {city} HRB {rnd.randint(1000, 99999)}",
                       f"USt-IdNr. DE{rnd.randint(100000000, 999999999)}",
                       f"IBAN DE{rnd.randint(10, 99)} 2005 0550 {rnd.randint(1000, 9999)} {rnd.randint(1000, 9999)} 00"])


def _market(inv, rnd, rate, issued, due, buyer):
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "market")  # noqa: E731
    r.append(Run("ShopHub Marketplace", 50, 40, 18, True))
    r.append(Run("Order summary and VAT invoice", 50, 62, 9))
    r.append(Run(f"Sold by: {t['issuer']}", 50, 100, 10))
    r.append(Run(f"VAT Reg No: GB{rnd.randint(100000000, 999999999)}", 50, 114, 9))
    r.append(Run(f"Invoice number: {t['invoice_number']}", 330, 100, 10))
    r.append(Run(f"Invoice date: {issued.strftime('%d %B %Y')}", 330, 114, 10))
    r.append(Run(f"Order date: {(issued - timedelta(days=2)).strftime('%d %B %Y')}", 330, 128, 10))
    r.append(Run("Delivery address:", 50, 150, 9, True))
    r.append(Run(buyer, 50, 164))
    r.append(Run(f"{rnd.randint(1, 200)} Station Road, Bristol BS1 4DJ", 50, 178, 9))
    y = _table(inv, 220, ["Item", "Qty", "Price", "Total"], fmt)
    _totals(inv, y, ["Subtotal (excl. VAT)", f"VAT {rate.normalize():f}%", "Total payable"], fmt, "£")
    r.append(Run("Sold through ShopHub Marketplace Europe S.à r.l. · shophub.com/help · Returns within 30 days",
                 50, 770, 7.5))


_SPEC_DRAW = {"nl": _nl, "fr": _fr, "es": _es, "us": _us, "it": _it, "pt": _pt, "pl": _pl, "gst": _gst,
              "letter": _letter, "market": _market}


def _table(inv: Invoice, y: float, heads: list[str], fmt, cols=(50, 300, 400, 545)) -> float:
    r = inv.runs
    r.append(Run(heads[0], cols[0], y, 9.5, True))
    for head, x in zip(heads[1:], cols[1:]):
        r.append(Run(head, x, y, 9.5, True, "right"))
    y += 20
    for item in inv.truth["lines"]:
        r.append(Run(item["description"], cols[0], y))
        r.append(Run(str(item["quantity"]), cols[1], y, align="right"))
        r.append(Run(fmt(item["unit_price"]), cols[2], y, align="right"))
        r.append(Run(fmt(item["amount"]), cols[3], y, align="right"))
        y += 17
    return y + 14


def _totals(inv: Invoice, y: float, labels: list[str], fmt, currency_mark: str = "") -> None:
    t = inv.truth
    for label, value in zip(labels, (t["amount_untaxed"], t["vat"], t["amount"])):
        bold = value is t["amount"]
        inv.runs.append(Run(label, 360, y, 10, bold))
        inv.runs.append(Run(f"{currency_mark}{fmt(value)}", 545, y, 10, bold, "right"))
        y += 18


def _classic(inv: Invoice, rnd: random.Random, rate: int, issued: date, due: date) -> None:
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "classic")  # noqa: E731
    r.append(Run(t["issuer"], 50, 50, 16, True))
    r.append(Run(f"{rnd.randint(1, 999)} Market Street, Springfield", 50, 72, 9))
    r.append(Run("INVOICE", 545, 50, 20, True, "right"))
    date_text = issued.strftime(rnd.choice(["%Y-%m-%d", "%d %b %Y", "%B %d, %Y"]))
    labels = [("Invoice No:", t["invoice_number"]), ("Invoice Date:", date_text),
              ("Due Date:", due.strftime("%Y-%m-%d"))]
    y = 110
    for label, value in labels:
        r.append(Run(label, 350, y, 10, True))
        r.append(Run(value, 545, y, 10, False, "right"))
        y += 16
    r.append(Run("Bill To:", 50, 110, 10, True))
    r.append(Run("Demo Trading Co.", 50, 126))
    r.append(Run("88 Harbour Road", 50, 142))
    y = _table(inv, 200, ["Description", "Qty", "Unit Price", "Amount"], fmt)
    mark = _SYMBOL[t["currency"]] if rnd.random() < 0.5 else ""
    _totals(inv, y, ["Subtotal", f"Tax ({rate}%)", "Total"], fmt, mark)
    r.append(Run(f"All amounts in {t['currency']}. Thank you for your business.", 50, 760, 9))


def _stacked(inv: Invoice, rnd: random.Random, rate: int, issued: date, due: date) -> None:
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "stacked")  # noqa: E731
    r.append(Run("TAX INVOICE", 50, 45, 18, True))
    r.append(Run("From:", 50, 85, 10, True))
    r.append(Run(t["issuer"], 90, 85))
    r.append(Run("To:", 320, 85, 10, True))
    r.append(Run("Demo Trading Co.", 350, 85))
    heads = [("Invoice Number", t["invoice_number"], 50), ("Issue Date", issued.strftime("%B %d, %Y"), 200),
             ("Due Date", due.strftime("%B %d, %Y"), 340), ("Currency", t["currency"], 480)]
    for head, value, x in heads:
        r.append(Run(head, x, 130, 9, True))
        r.append(Run(value, x, 146, 10))
    y = _table(inv, 200, ["Item", "Quantity", "Rate", "Line Total"], fmt)
    _totals(inv, y, ["Sub-total", f"VAT {rate}%", "Amount Due"], fmt, f"{t['currency']} ")
    r.append(Run(f"Payment terms: {(due - issued).days} days. Bank transfer only.", 50, 760, 9))


def _german(inv: Invoice, rnd: random.Random, rate: int, issued: date, due: date) -> None:
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "de")  # noqa: E731
    r.append(Run(f"{t['issuer']} - Hauptstraße {rnd.randint(1, 99)} - 10115 Berlin", 50, 50, 8))
    r.append(Run("Demo Trading Co.", 50, 90))
    r.append(Run("Rechnung", 50, 150, 16, True))
    r.append(Run("Rechnungsnr.", 50, 180, 10))
    r.append(Run(t["invoice_number"], 170, 180))
    r.append(Run("Rechnungsdatum", 50, 196, 10))
    r.append(Run(issued.strftime("%d.%m.%Y"), 170, 196))
    y = _table(inv, 240, ["Beschreibung", "Menge", "Einzelpreis", "Betrag"], fmt)
    _totals(inv, y, ["Zwischensumme", f"MwSt. {rate}%", "Gesamtbetrag EUR"], fmt)
    r.append(Run(f"Zahlungsziel {due.strftime('%d.%m.%Y')}", 50, y + 70, 9))
    r.append(Run(f"{t['issuer']} · USt-IdNr. DE{rnd.randint(100000000, 999999999)}", 50, 780, 8))


def _chinese(inv: Invoice, rnd: random.Random, rate: int, issued: date, due: date) -> None:
    t, r = inv.truth, inv.runs
    fmt = lambda v: _money(v, "cn")  # noqa: E731
    r.append(Run("增值税普通发票", 297, 45, 18, True, "center"))
    r.append(Run("发票号码:", 360, 85, 10))
    r.append(Run(t["invoice_number"], 545, 85, 10, align="right"))
    r.append(Run("开票日期:", 360, 103, 10))
    r.append(Run(issued.strftime("%Y年%m月%d日"), 545, 103, 10, align="right"))
    r.append(Run("购买方: 演示贸易有限公司", 50, 140))
    r.append(Run("销售方:", 50, 160))
    r.append(Run(t["issuer"], 100, 160))
    y = _table(inv, 200, ["项目名称", "数量", "单价", "金额"], fmt)
    _totals(inv, y, ["小计", f"税额 ({rate}%)", "价税合计"], fmt, "¥")


# ------------------------------------------------------------------ output: PDF text layer


_NOT_IN_CP1252 = str.maketrans({"ł": "l", "Ł": "L", "ą": "a", "ę": "e", "ś": "s", "ć": "c", "ń": "n", "ź": "z",
                                "ż": "z", "Ż": "Z", "Ś": "S", "₹": "Rs.", "’": "'"})


def _pdf_escape(text: str) -> bytes:
    # the standard Helvetica speaks WinAnsi: letters it lacks are printed without their accent
    data = text.translate(_NOT_IN_CP1252).encode("cp1252", errors="replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _helvetica_width(text: str, size: float) -> float:
    return len(text) * size * 0.52  # right alignment only needs to be roughly right


def write_pdf(inv: Invoice, path: str | Path) -> Path:
    """A born-digital PDF (text layer, standard Helvetica). Latin layouts only."""
    if not inv.latin:
        raise ValueError("write_pdf draws Latin text only; render() Chinese layouts")
    ops = []
    for run in inv.runs:
        x = run.x - (_helvetica_width(run.text, run.size) if run.align == "right" else 0)
        y = A4[1] - run.y - run.size * 0.8
        font = "/F2" if run.bold else "/F1"
        ops.append(b"BT %s %.1f Tf %.2f %.2f Td (%s) Tj ET" % (font.encode(), run.size, x, y, _pdf_escape(run.text)))
    content = b"\n".join(ops)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path = Path(path)
    path.write_bytes(out.getvalue())
    return path


# ------------------------------------------------------------------ output: images and scans


def render(inv: Invoice, dpi: int = 300):
    """The page as a Pillow grayscale image at ``dpi``."""
    from PIL import Image, ImageDraw, ImageFont

    scale = dpi / 72
    image = Image.new("L", (int(A4[0] * scale), int(A4[1] * scale)), 255)
    draw = ImageDraw.Draw(image)
    cjk = cjk_font()
    fonts: dict = {}
    for run in inv.runs:
        needs_cjk = any(ord(c) > 0x2e80 for c in run.text)
        path = cjk if needs_cjk and cjk else (LATIN_BOLD if run.bold else LATIN_FONT)
        key = (path, run.size)
        if key not in fonts:
            fonts[key] = ImageFont.truetype(path, int(run.size * scale))
        font = fonts[key]
        width = draw.textlength(run.text, font=font)
        x = run.x * scale
        if run.align == "right":
            x -= width
        elif run.align == "center":
            x -= width / 2
        draw.text((x, run.y * scale), run.text, fill=0, font=font)
    return image


@dataclass(frozen=True)
class Scan:
    dpi: int = 300
    skew: float = 0.0  # degrees
    rotate: int = 0  # 0 | 90 | 180 | 270 (counter-clockwise)
    noise: float = 0.0  # sigma of gaussian noise, grey levels
    blur: float = 0.0  # gaussian blur radius, pixels
    jpeg: int | None = None  # JPEG quality

    def label(self) -> str:
        parts = [f"{self.dpi}dpi"]
        if self.skew:
            parts.append(f"skew{self.skew:+g}")
        if self.rotate:
            parts.append(f"rot{self.rotate}")
        if self.noise:
            parts.append(f"noise{self.noise:g}")
        if self.blur:
            parts.append(f"blur{self.blur:g}")
        if self.jpeg:
            parts.append(f"jpeg{self.jpeg}")
        return "-".join(parts)


def degrade(image, scan: Scan, seed: int = 0):
    """Simulate a scanner/phone: skew, rotation, blur, noise (JPEG is applied when saving)."""
    import numpy as np
    from PIL import Image, ImageFilter

    if scan.skew:
        image = image.rotate(scan.skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    if scan.rotate:
        image = image.rotate(scan.rotate, expand=True)
    if scan.blur:
        image = image.filter(ImageFilter.GaussianBlur(scan.blur))
    if scan.noise:
        rng = np.random.default_rng(seed)
        arr = np.asarray(image).astype(np.float32) + rng.normal(0, scan.noise, (image.height, image.width))
        image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return image


def write_scan(inv: Invoice, scan: Scan, path: str | Path) -> Path:
    """Render, degrade and save; the suffix of ``path`` picks the format (.png .jpg .tif .pdf)."""
    image = degrade(render(inv, scan.dpi), scan, inv.seed)
    path = Path(path)
    suffix = path.suffix.lower()
    if scan.jpeg or suffix in (".jpg", ".jpeg"):
        image.save(path, "JPEG", quality=scan.jpeg or 75, dpi=(scan.dpi, scan.dpi))
    elif suffix in (".tif", ".tiff"):
        image.save(path, "TIFF", compression="tiff_lzw", dpi=(scan.dpi, scan.dpi))
    elif suffix == ".pdf":
        image.save(path, "PDF", resolution=scan.dpi)
    else:
        image.save(path, "PNG", dpi=(scan.dpi, scan.dpi))
    return path


SCAN_VARIANTS = [
    Scan(300), Scan(150), Scan(300, skew=1.5), Scan(300, skew=-2.5, noise=12), Scan(300, rotate=90),
    Scan(300, rotate=180), Scan(150, skew=2.0, blur=0.8), Scan(300, noise=8, jpeg=45), Scan(200, skew=-1.0, jpeg=60),
    Scan(300, skew=3.0, blur=1.0, noise=6),
]


def as_comparable(value):
    """Ground truth / extracted values in one comparable form."""
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    if isinstance(value, float):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    return value


def _fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in text.casefold() if c.isalnum())


def _company(name: str) -> str:
    """A company name without its legal form: 'Au bon moulin SARL' is 'Au bon moulin'."""
    from vision.issuer import LEGAL_FORM

    return _fold(LEGAL_FORM.sub(" ", str(name))) or _fold(name)


def same(field: str, got, want) -> bool:
    """Is an extracted value right? Amounts to the cent, dates as ISO text, numbers exactly;
    issuers ignoring case, spacing, punctuation, accents and the legal form (OCR with the
    English model reads 'Müller' as 'Muller', which still finds the vendor; 'Gandi' and
    'Gandi SAS' are one company)."""
    if want is None:
        return got is None
    if got is None:
        return False
    if field in ("amount", "amount_untaxed", "vat"):
        return as_comparable(got) == as_comparable(want)
    if field == "issuer":
        return _fold(got) == _fold(want) or _company(got) == _company(want)
    return str(got).strip() == str(want).strip()
