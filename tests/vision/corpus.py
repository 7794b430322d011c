"""A generated invoice corpus with ground truth, for tests and ``benchmarks/invoices.py``.

``make_invoice(seed)`` draws a random invoice in one of four layouts (English with labels
beside values, English with values under headings, German with decimal commas, Chinese VAT
style) and returns its ground truth and its drawing (text runs in PDF points on A4).
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


def _money(value: Decimal, layout: str) -> str:
    text = f"{value:,.2f}"
    if layout == "de":
        text = text.replace(",", "X").replace(".", ",").replace("X", ".")
    return text


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def make_invoice(seed: int, layout: str | None = None, today: date | None = None, wrong_total: bool = False) -> Invoice:
    """A random invoice; ``wrong_total`` prints a total 10.00 off the true sum (a typo or a
    misprint the checks must catch: ``truth["printed_amount"]`` holds what is printed)."""
    rnd = random.Random(seed)
    layout = layout or ["classic", "stacked", "de", "cn"][seed % 4]
    today = today or date.today()
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


_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥"}


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


def _pdf_escape(text: str) -> bytes:
    data = text.encode("cp1252")
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
