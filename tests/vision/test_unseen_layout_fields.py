"""Fields of invoices laid out in ways the reader was not developed on: the seller's details
printed beside a header row of cells, a phone number beside the total's caption, whole-yen
amounts, a till's number whose S came out as a dollar sign, a fapiao's address caption, and a
reverse-charge invoice whose tax analysis adds up to its total."""

from decimal import Decimal

from tests.vision.corpus import Invoice, Run, write_pdf
from tests.vision.word_pages import cells
from vision import read_invoice
from vision.document import Document, Page
from vision.invoice import analyse
from vision.lexicon import fold, load_lexicons
from vision.parsing import find_amounts


def test_the_number_under_its_heading_beside_the_sellers_long_tax_id_line(tmp_path):
    """The seller's tax id and phone stand at the left, on the lines of a row of headed cells;
    the number is the cell under 'Nº Factura', not the tax id."""
    inv = Invoice(1, "classic", {})
    inv.runs = [Run("Talleres Ibáñez Hermanos S.L.", 50, 40, 13, True), Run("FACTURA", 545, 40, 18, True, "right"),
                Run("Avda. de Aragón, 12", 50, 58, 9), Run("50010 Zaragoza", 50, 70, 9),
                Run("Nº Factura", 206, 84, 9, True), Run("Fecha", 305, 84, 9, True),
                Run("Vencimiento", 440, 84, 9, True),
                Run("CIF: B50987123", 50, 96, 9),
                Run("Tel. 976 221 904", 50, 108, 9), Run("FV-2026/0417", 206, 108, 9),
                Run("3 de noviembre de 2026", 305, 108, 9), Run("3 de diciembre de 2026", 440, 108, 9),
                Run("DATOS DEL CLIENTE", 50, 150, 9, True), Run("Hostal La Plaza S.L.", 56, 164, 9),
                Run("Concepto", 50, 220, 9, True), Run("Importe", 545, 220, 9, True, "right"),
                Run("Revisión de caldera", 50, 238, 9), Run("300,00 €", 545, 238, 9, align="right"),
                Run("Base imponible", 380, 290, 9), Run("300,00 €", 545, 290, 9, align="right"),
                Run("IVA 21%", 380, 304, 9), Run("63,00 €", 545, 304, 9, align="right"),
                Run("TOTAL FACTURA", 380, 318, 10, True), Run("363,00 €", 545, 318, 10, True, "right")]
    fields = read_invoice(write_pdf(inv, tmp_path / "factura.pdf"), templates=[]).plain_fields()
    assert fields.get("invoice_number") == "FV-2026/0417"


def test_a_phone_number_is_no_amount():
    assert find_amounts("TEL 03-4147-5315") == []
    assert find_amounts("Fax: 089-4412-7730") == []
    # a minus that stands apart from other digits still signs the amount
    assert [a[0] for a in find_amounts("Rabatt -12,50 €", ",")] == [Decimal("-12.50")]


def test_whole_yen_amounts_grouped_by_commas_have_no_cents():
    """Every figure a whole number of yen grouped by commas; one the scan misread as '42,81 6'
    does not make the comma the page's decimal mark."""
    text = ("合計 Total ¥1,127,796-\n小計 Subtotal 1,035,000\n消費税 Y42,81 6\n"
            "Green tea 15 35,680 535,200\nFreight 14 35,700 499,800")
    assert load_lexicons().conventions(text, "JPY").decimal == "."


def _till(number_line: list) -> Document:
    words = (cells(20, (150, "FreshMart Supermarket Sdn Bhd")) + cells(40, (200, "Kuala Lumpur"))
             + cells(60, (180, "TAX INVOICE")) + number_line
             + cells(100, (30, "Date"), (110, ":"), (125, "2026-10-05"), (240, "19:51:19"))
             + cells(130, (30, "Bread"), (420, "12.40")) + cells(150, (30, "Eggs"), (420, "8.10"))
             + cells(180, (30, "TOTAL"), (380, "RM"), (420, "20.50"))
             + cells(200, (30, "CASH"), (420, "50.00")) + cells(220, (30, "CHANGE"), (420, "29.50")))
    return Document("till.png", [Page(1, 520, 260, words, "ocr")], "image")


def test_a_till_number_whose_s_read_as_a_dollar_sign_is_not_replaced_by_the_time_stamp():
    result = analyse(_till(cells(80, (30, "Inv No"), (110, ":"), (125, "$2610-15651"))))
    assert result.plain_fields().get("invoice_number") != "2026-10-05 19:51"
    assert result.status == "review"
    assert any("$2610-15651" in reason for reason in result.reasons)


def test_a_till_that_prints_no_number_is_still_told_apart_by_its_time_stamp():
    result = analyse(_till([]))
    assert result.plain_fields().get("invoice_number") == "2026-10-05 19:51"


def test_a_fapiaos_address_and_phone_caption_is_contact_data():
    """地址、电话 heads the address and phone line of a fapiao's buyer and seller blocks: the
    sender's contact data, never a name, however the scan spaced or dropped its 、."""
    lex = load_lexicons()
    for caption in ("地址、电话 : 南京市玄武区中山路 18 号 025-84412233", "地址电话: 苏州市工业园区星湖街 66 号"):
        assert lex.search(fold(caption), ("contact",)) is not None


def test_a_reverse_charge_invoice_books_its_goods_total_as_the_net(tmp_path):
    """Two reverse-charge lines whose goods figures add up to the total, in a tax analysis left
    of the totals block: the net is the totals block's goods total, the tax its 0.00."""
    inv = Invoice(1, "classic", {})
    inv.runs = [Run("Shannon Fabrication Ltd", 45, 40, 14, True), Run("INVOICE", 550, 40, 16, True, "right"),
                Run("VAT Reg. No. IE6388047V", 45, 58, 9),
                Run("Invoice No.", 370, 58, 9), Run("SF-20931", 550, 58, 9, align="right"),
                Run("Invoice Date", 370, 70, 9), Run("14 Oct 2026", 550, 70, 9, align="right"),
                Run("Invoice To", 45, 110, 9, True), Run("Kerry Build Partners Ltd", 45, 122, 9),
                Run("Qty", 45, 180, 9, True), Run("Description", 80, 180, 9, True), Run("Unit Price", 330, 180, 9, True),
                Run("VAT %", 400, 180, 9, True), Run("Net Amount", 550, 180, 9, True, "right"),
                Run("4", 45, 196, 9), Run("Steel lintels", 80, 196, 9), Run("1,250.00", 365, 196, 9, align="right"),
                Run("RC", 411, 196, 9), Run("5,000.00", 550, 196, 9, align="right"),
                Run("2", 45, 210, 9), Run("Site welding (day)", 80, 210, 9), Run("1,100.00", 365, 210, 9, align="right"),
                Run("RC", 411, 210, 9), Run("2,200.00", 550, 210, 9, align="right"),
                Run("VAT Analysis", 45, 250, 9, True), Run("Total Goods", 340, 250, 9), Run("7,200.00", 545, 250, 9, align="right"),
                Run("Rate", 45, 264, 9), Run("Goods", 140, 264, 9), Run("VAT", 230, 264, 9),
                Run("Total VAT", 340, 264, 9), Run("0.00", 545, 264, 9, align="right"),
                Run("Reverse charge", 45, 278, 9), Run("2,200.00", 160, 278, 9, align="right"), Run("0.00", 240, 278, 9, align="right"),
                Run("Invoice Total", 340, 292, 10, True), Run("€7,200.00", 545, 292, 10, True, "right"),
                Run("Reverse charge", 45, 306, 9), Run("5,000.00", 160, 306, 9, align="right"), Run("0.00", 240, 306, 9, align="right")]
    fields = read_invoice(write_pdf(inv, tmp_path / "rc.pdf"), templates=[]).plain_fields()
    assert fields.get("amount") == Decimal("7200.00")
    assert fields.get("amount_untaxed") == Decimal("7200.00")
    assert fields.get("vat") == Decimal("0")
