"""Who issued an invoice and in which currency, where the page misleads: a company line printed
sideways up the margin, a section heading over a block, a label word that is part of a name, a
currency mark that OCR confuses (a turned ₹ read as ¥) against the seller's tax id."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from vision import CheckPolicy, analyse, read_document
from vision.document import Document, Page, Word

TODAY = date.today()


def _pdf(path: Path, runs: list[tuple[str, float, float, float]], sideways: list[tuple[str, float, float]] = ()) -> Path:
    """A one-page text-layer PDF: ``runs`` (text, x, y from the top, size) upright, ``sideways``
    (text, x, y from the bottom) printed going up the page, as legal lines in a margin are."""
    ops = [b"BT /F1 %.1f Tf %.1f %.1f Td (%s) Tj ET" % (size, x, 842 - y - size, text.encode("cp1252"))
           for text, x, y, size in runs]
    ops += [b"BT /F1 6 Tf 0 1 -1 0 %.1f %.1f Tm (%s) Tj ET" % (x, y, text.encode("cp1252")) for text, x, y in sideways]
    content = b"\n".join(ops)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _invoice_body(top: float = 60) -> list[tuple[str, float, float, float]]:
    day = (TODAY - timedelta(days=5)).strftime("%d/%m/%Y")
    return [("INVOICE", 330, top, 16), ("Invoice No: A-20417", 330, top + 30, 9), (f"Invoice date: {day}", 330, top + 44, 9),
            ("Bill to:", 330, top + 70, 9), ("Harbour Books Ltd", 330, top + 84, 9), ("2 Quay Street", 330, top + 98, 9),
            ("Description", 50, 330, 9), ("Amount", 480, 330, 9), ("Consulting", 50, 350, 9), ("100.00", 480, 350, 9),
            ("Subtotal", 380, 400, 9), ("100.00 EUR", 470, 400, 9), ("VAT 19%", 380, 414, 9), ("19.00 EUR", 470, 414, 9),
            ("Total due", 380, 428, 9), ("119.00 EUR", 470, 428, 9)]


def test_company_line_printed_sideways_in_the_margin_names_the_issuer(tmp_path):
    pdf = _pdf(tmp_path / "sideways.pdf", _invoice_body(),
               [("NORDLICHT HANDEL GmbH - Hauptstrasse 5 - 10115 Berlin - USt-IdNr. DE 123 456 789", 585, 120)])
    doc = read_document(pdf)
    assert "NORDLICHT HANDEL GmbH - Hauptstrasse 5" in doc.text  # read along its direction, not letter by letter
    assert "HCILDRON" not in doc.text.replace(" ", "")
    result = analyse(doc, templates=[])
    assert result.fields["issuer"].value == "NORDLICHT HANDEL GmbH"


def test_section_heading_over_a_block_is_never_the_issuer(tmp_path):
    runs = [("Booking Details", 50, 60, 12), ("Seaview Rooms 12", 50, 80, 9), ("4 Harbour Road", 50, 94, 9),
            ("12345 Porthaven", 50, 108, 9)] + _invoice_body()
    result = analyse(read_document(_pdf(tmp_path / "heading.pdf", runs)), templates=[])
    issuer = result.fields.get("issuer")
    assert issuer is None or "Details" not in str(issuer.value)


def test_label_word_inside_a_name_is_not_a_seller_label(tmp_path):
    # 'Fournisseur' (supplier) ends the company's own name: the line under it is not the issuer
    runs = [("LE BON FOURNISSEUR", 50, 60, 12), ("ATELIER DU PORT", 50, 80, 9), ("3 rue du Quai", 50, 94, 9),
            ("75001 Paris", 50, 108, 9)] + _invoice_body()
    result = analyse(read_document(_pdf(tmp_path / "label.pdf", runs)), templates=[])
    assert not any(s.startswith("seller label") for s in result.fields["issuer"].detail.split("; "))


def _gst_page(mark: str) -> Document:
    """A GST invoice as OCR gives it: words with boxes; the seller's GSTIN under its name."""
    day = (TODAY - timedelta(days=3)).strftime("%d/%m/%Y")
    rows = [["Shakti", "Traders", "Pvt.", "Ltd."], ["GSTIN:", "29ABCDE1234F1Z5"], ["Tax", "Invoice"],
            ["Invoice", "No:", "GST/2291"], ["Invoice", "Date:", day], ["Bill", "to:"], ["Kiran", "Stores"],
            ["Taxable", "value", f"{mark}1,000.00"], ["IGST", "18%", f"{mark}180.00"], ["Grand", "Total", f"{mark}1,180.00"]]
    words, y = [], 100.0
    for row in rows:
        x = 100.0
        for text in row:
            words.append(Word(text, x, y, x + 14 * len(text), y + 30, 0.95, 1))
            x += 14 * len(text) + 20
        y += 60
    return Document("gst.png", [Page(1, 2480, 3508, words, "ocr", dpi=300)], "image")


def test_a_yen_mark_on_an_indian_gst_invoice_is_not_booked_as_yuan():
    result = analyse(_gst_page("¥"), templates=[], policy=CheckPolicy())
    assert result.fields["amount"].value == Decimal("1180.00")
    currency = result.fields["currency"]
    assert currency.confidence < CheckPolicy().threshold
    assert "tax id says INR" in currency.detail
    assert result.status == "review"


def test_a_rupee_mark_beside_the_gstin_is_trusted():
    result = analyse(_gst_page("₹"), templates=[], policy=CheckPolicy())
    assert result.fields["currency"].value == "INR"
    assert result.fields["currency"].confidence >= CheckPolicy().threshold


def test_a_currency_mark_read_as_something_else_is_suggested_from_the_sellers_tax_id():
    # eng+chi_sim reads a faint ₹ or € as a Chinese character: no currency is printed legibly
    result = analyse(_gst_page("所"), templates=[], policy=CheckPolicy())
    currency = result.fields["currency"]
    assert currency.value == "INR" and currency.source == "derived"
    assert currency.confidence < CheckPolicy().threshold  # a person confirms it
    assert result.status == "review"


def test_a_linked_invoice_is_not_the_credit_notes_own_number(tmp_path):
    day = (TODAY - timedelta(days=5)).strftime("%d/%m/%Y")
    runs = [("Au bon moulin SARL - 1 chemin de l'olive - 84340 Malaucène", 150, 40, 9), ("Facture liée", 50, 90, 9),
            ("FA-2017-0010", 200, 90, 9), ("Avoir AV-2017-0005", 50, 140, 14), (f"Date de facture   {day}", 50, 200, 9),
            ("Total TTC", 380, 400, 9), ("-233,47 €", 470, 400, 9)]
    result = analyse(read_document(_pdf(tmp_path / "avoir.pdf", runs)), templates=[])
    assert result.fields["invoice_number"].value == "AV-2017-0005"


def test_a_letterheads_contact_lines_are_not_a_recipient_window(tmp_path):
    # 'Name - street - city' over the sender's phone and VAT id: its own letterhead, so its VAT id
    # still suggests the currency when no mark on the page is legible
    day = (TODAY - timedelta(days=5)).strftime("%d/%m/%Y")
    runs = [("Au bon moulin SARL - 1242 chemin de l'olive - 84340 Malaucene - France", 150, 40, 9),
            ("+33 4 50 44 68 99 - http://www.aubonmoulin.fr", 150, 54, 9),
            ("TVA : FR11999999998 - SIRET : 99999999800010", 150, 68, 9),
            ("Facture FA-2017-0009", 50, 140, 14), (f"Date de facture   {day}", 50, 200, 9),
            ("Total HT", 380, 380, 9), ("100,00", 470, 380, 9), ("TVA 20 %", 380, 394, 9), ("20,00", 470, 394, 9),
            ("Total TTC", 380, 408, 9), ("120,00", 470, 408, 9)]
    result = analyse(read_document(_pdf(tmp_path / "letterhead.pdf", runs)), templates=[])
    assert result.fields["currency"].value == "EUR"
    assert result.fields["currency"].source == "derived"


def _till_slip(items: list[tuple[str, str]], paid: str, day: str, mark: str = "") -> list[tuple[str, float, float, float]]:
    """A shop's slip down the page: its name without a legal form, each item over its
    quantity x price line, the total and the cash."""
    # centred lines: the name, wider than the lines under it, heads no column of them
    runs = [("Pasar Mini Ah Kow", 200, 50, 11), ("(523118-K)", 270, 66, 8), ("Jalan Besar 8, 10200 Penang", 235, 78, 8),
            ("Tel 04-2618830", 262, 90, 8),
            ("TAX INVOICE", 260, 100, 10), ("Receipt No: 0041772", 190, 120, 8.5), (f"Date: {day} 10:41", 190, 132, 8.5)]
    y = 156
    for name, price in items:
        runs += [(name, 190, y, 8.5), (f"1 x {price}", 200, y + 11, 8.5), (price, 380, y + 11, 8.5)]
        y += 26
    return runs + [("TOTAL", 190, y + 6, 10), (f"{mark}{paid}", 370, y + 6, 10), ("CASH", 190, y + 20, 8.5),
                   ("50.00", 380, y + 20, 8.5)]


def test_items_over_their_prices_are_not_an_address_block_naming_the_shop(tmp_path):
    # 'Panadol 20s' and 'Cooking oil 2L' read like 'Street 20': under them is a price, not a town
    runs = _till_slip([("Paint roller", "8.90"), ("Panadol 20s", "5.90"), ("Cooking oil 2L", "12.40")], "27.20",
                      (TODAY - timedelta(days=3)).strftime("%d/%m/%Y"), "RM ")
    result = analyse(read_document(_pdf(tmp_path / "till.pdf", runs)), templates=[])
    assert result.fields["issuer"].value == "Pasar Mini Ah Kow"


def test_singapore_dollar_is_not_counted_as_a_us_dollar_for_the_date_order(tmp_path):
    # S$ prints a $: counted as USD too, it made the page month first and 01/12 the 12th of January
    day = date(TODAY.year - 1, 12, 1)
    runs = _till_slip([("Plasters", "3.50"), ("Vitamin C", "18.00")], "21.50", day.strftime("%d/%m/%Y"), "S$")
    result = analyse(read_document(_pdf(tmp_path / "sg.pdf", runs)), templates=[])
    assert result.fields["currency"].value == "SGD"
    assert result.fields["date"].value == day


def test_a_bare_dollar_beside_an_australian_business_number_is_read_day_first(tmp_path):
    # '$' alone made the page American, so 01/12 the 12th of January; the ABN says Australia
    day = date(TODAY.year - 1, 12, 1)
    runs = _till_slip([("Garden hose 15m", "24.95"), ("Hose fitting", "6.50")], "31.45", day.strftime("%d/%m/%Y"), "$")
    runs.append(("ABN 51 824 753 556", 240, 108, 8))
    result = analyse(read_document(_pdf(tmp_path / "au.pdf", runs)), templates=[])
    assert result.fields["date"].value == day
    assert result.fields["currency"].value == "AUD"
