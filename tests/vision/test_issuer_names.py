"""The issuer's name as a clerk would write it down: without the street or owner a scan joined
to it, without the label printed before it, and found for Chinese companies by their legal form
as for Latin ones."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from vision import analyse, read_document
from vision.document import Document, Page, Word

from tests.vision.test_issuer_and_currency import _invoice_body, _pdf
from tests.vision.test_lexicons import page_of

TODAY = date.today()


@pytest.mark.parametrize("letterhead, company", [
    ("Elektro Vogel e.K. : Gartenstra&e 56", "Elektro Vogel e.K."),  # a bullet read as a colon, the street garbled
    ("Farbwerk Lindner e.K. : Inh. Jana Lindner", "Farbwerk Lindner e.K."),
    ("Nordlicht Druck GmbH . Hafenkante 3a", "Nordlicht Druck GmbH"),
])
def test_the_street_or_owner_after_the_company_is_not_part_of_its_name(letterhead, company, tmp_path):
    pdf = _pdf(tmp_path / "letterhead.pdf", [(letterhead, 50, 40, 9)] + _invoice_body())
    result = analyse(read_document(pdf), templates=[])
    assert result.fields["issuer"].value == company


def test_a_label_before_a_colon_is_still_not_cut_into_a_name(tmp_path):
    # "Verkäufer : …": the colon follows a label, not a company, so nothing before it is a name
    pdf = _pdf(tmp_path / "label.pdf", [("Verkäufer : Seidel Papier GmbH", 50, 40, 9)] + _invoice_body())
    result = analyse(read_document(pdf), templates=[])
    assert result.fields["issuer"].value == "Seidel Papier GmbH"


def _ocr_page(rows: list[tuple[float, float, list[str]]], width: float = 2480, height: float = 1754) -> Document:
    """A page as OCR gives it: (x, y, words) per run; a CJK character is 30 px wide, a Latin
    one 16."""
    words = []
    for x, y, texts in rows:
        for text in texts:
            w = sum(30 if "\u3400" <= c <= "\u9fff" else 16 for c in text)
            words.append(Word(text, x, y, x + w, y + 30, 0.93, 1))
            x += w + 12
    return Document("fapiao.png", [Page(1, width, height, words, "ocr", dpi=300)], "image")


def _fapiao(seller_line: list[str]) -> Document:
    """A digital fapiao: the buyer's and the seller's boxes side by side, each captioned one
    character per line down its left side (购买方信息, 销售方信息)."""
    day = TODAY - timedelta(days=4)
    rows = [(700, 80, ["电子发票（增值税专用发票）"]),
            (1700, 160, ["发票号码：", "24184441969443563226"]),
            (1700, 200, [f"开票日期：{day.year}年{day.month:02d}月{day.day:02d}日"])]
    for k, (left, right) in enumerate(zip("购买方信息", "销售方信息")):
        rows += [(60, 280 + 45 * k, [left]), (1260, 280 + 45 * k, [right])]
    rows += [(120, 280, ["名称：重庆山城餐饮管理有限公司"]), (1320, 280, seller_line),
             (120, 370, ["统一社会信用代码/纳税人识别号：", "9140766302323772A"]),
             (1320, 370, ["统一社会信用代码/纳税人识别号：", "9137331404462768X"]),
             (60, 560, ["项目名称", "数量", "单价", "金额", "税率", "税额"]),
             (60, 610, ["*纸制品*复印纸", "8", "2679.93", "21439.44", "9%", "1929.55"]),
             (60, 700, ["合计", "¥21439.44", "¥1929.55"]),
             (60, 760, ["价税合计（大写）", "贰万叁仟叁佰陆拾捌圆玖角玖分", "（小写）¥23368.99"])]
    return _ocr_page(rows)


@pytest.mark.parametrize("colon", ["：", ";", " ; ", "；"])
def test_the_sellers_name_in_its_captioned_box_comes_without_its_label(colon):
    # a scan reads the full-width colon after 名称 as a semicolon: the label was booked with the name
    result = analyse(_fapiao([f"名称{colon}苏州工业园区恒信物流有限公司"]), templates=[])
    assert result.fields["issuer"].value == "苏州工业园区恒信物流有限公司"


def _air_ticket(seller_line: list[str]) -> Document:
    """An e-ticket itinerary invoice: no seller box, the seller on a line near the bottom beside
    the buyer's name, both with their legal form."""
    day = TODAY - timedelta(days=6)
    rows = [(700, 80, ["电子发票（航空运输电子客票行程单）"]),
            (1700, 200, ["发票号码：", "25117000000123456789"]),
            (60, 300, ["旅客姓名", "有效身份证件号码"]), (60, 350, ["王某某", "384932********1234"]),
            (60, 600, ["原价", "燃油附加费", "增值税税率", "增值税税额", "民航发展基金", "合计"]),
            (60, 650, ["CNY", "477.06", "CNY", "45.87", "9%", "CNY", "47.07", "CNY", "50.00", "CNY", "620.00"]),
            (60, 750, ["销售网点代号：", "CAN001/08682256"]), (1100, 750, seller_line),
            (1900, 750, ["填开日期：", day.isoformat()]),
            (60, 800, ["购买方名称：", "北京星河科技有限公司"]), (1100, 800, ["统一社会信用代码/纳税人识别号：", "91110000073119999X"])]
    return _ocr_page(rows)


@pytest.mark.parametrize("seller_line", [["十开单位：", "中国南方航空股份有限公司"],  # its label misread
                                         ["中国南方航空股份有限公司"]])
def test_a_chinese_company_named_with_its_legal_form_is_the_issuer_not_the_buyer(seller_line):
    result = analyse(_air_ticket(seller_line), templates=[])
    assert result.fields["issuer"].value == "中国南方航空股份有限公司"


def _paper_fapiao(buyer_caption: str, seller_caption: str) -> Document:
    """A paper VAT invoice: the buyer's box over the items, the seller's box under them, each
    captioned one character per line down its left side as OCR read it."""
    day = TODAY - timedelta(days=9)
    rows = [(800, 80, ["增值税普通发票"]),
            (1700, 160, ["发票号码：", "31870022"]),
            (1700, 200, [f"开票日期：{day.year}年{day.month:02d}月{day.day:02d}日"])]
    for k, char in enumerate(buyer_caption):
        rows.append((60, 280 + 50 * k, [char]))
    rows += [(120, 280, ["名称：南京紫金五金批发有限公司"]),
             (120, 330, ["纳税人识别号：", "91320100MA1X2Y3Z4K"]),
             (120, 380, ["地址、电话：", "南京市玄武区中山路18号", "025-83316677"]),
             (60, 500, ["货物或应税劳务名称", "数量", "单价", "金额", "税率", "税额"]),
             (60, 550, ["*五金*不锈钢合页", "40", "12.50", "500.00", "13%", "65.00"]),
             (60, 640, ["合计", "¥500.00", "¥65.00"]),
             (60, 700, ["价税合计（大写）", "伍佰陆拾伍圆整", "（小写）¥565.00"])]
    for k, char in enumerate(seller_caption):
        rows.append((60, 800 + 50 * k, [char]))
    rows += [(120, 800, ["名称：宁波海曙精工机械股份有限公司"]),
             (120, 850, ["纳税人识别号：", "91330203MA2H7K8L9P"]),
             (120, 900, ["开户行及账号：", "宁波银行海曙支行", "5101 2200 3300 4411"])]
    return _ocr_page(rows)


@pytest.mark.parametrize("buyer_caption, seller_caption", [
    ("购买方", "销售方"),
    ("购买", "销售广"),  # the last character read as another one, or as a Latin letter (dropped)
    ("购头方", "销蘑方"),  # the middle one misread
])
def test_the_seller_box_is_known_by_its_side_caption_read_one_character_off(buyer_caption, seller_caption):
    # both boxes hold a company with its legal form and a tax id: only the captions tell whose is whose
    result = analyse(_paper_fapiao(buyer_caption, seller_caption), templates=[])
    assert result.fields["issuer"].value == "宁波海曙精工机械股份有限公司"


def test_a_phone_number_leading_the_registration_line_is_not_the_issuer(tmp_path):
    # a trade name with no legal form heads the page, centred over its address; the line under
    # that starts with the phone, then the VAT and company numbers: 'Tel' was taken for the company
    pdf = _pdf(tmp_path / "phone.pdf", [("Pennine Garden Machinery", 200, 20, 13),
                                        ("Mill Yard, Skipton BD23 1AB", 240, 36, 8),
                                        ("Tel 01756 700123 | VAT Reg. No. GB 298 1144 07 | Company No. 08812345",
                                         170, 47, 8)] + _invoice_body())
    result = analyse(read_document(pdf), templates=[])
    assert result.fields["issuer"].value == "Pennine Garden Machinery"


def _body_without_buyer(top: float = 60) -> list[tuple[str, float, float, float]]:
    """An invoice's number, date, lines and totals, with no labelled buyer's block."""
    return [run for run in _invoice_body(top) if run[0] not in ("Bill to:", "Harbour Books Ltd", "2 Quay Street")]


def test_a_recipient_headed_by_a_persons_title_is_never_the_issuer(tmp_path):
    # no 'Bill to' over the window: 'M DE LATTRE ALEXIS' over his company and its address is the
    # recipient, and the company under him is the buyer, not the seller
    runs = [("Moreau Papeterie", 50, 40, 9),
            ("M DE LATTRE ALEXIS", 50, 150, 9), ("ALEXINUX SARL", 50, 162, 9), ("35 B RUE MONTGOLFIER", 50, 174, 9),
            ("69100 VILLEURBANNE", 50, 186, 9)] + _body_without_buyer()
    issuer = analyse(read_document(_pdf(tmp_path / "window.pdf", runs)), templates=[]).fields["issuer"]
    assert issuer.value == "Moreau Papeterie"


def test_capitals_after_a_country_code_are_no_tax_id_heading_a_company(tmp_path):
    # 'DE VOTRE FACTURE' has the shape of a German VAT number, in letters: the heading over it
    # named no company (a telecom's explainer page gave 'BLOQUEZ CERTAINS' as its issuer)
    runs = [("Moreau Papeterie", 50, 40, 9), ("BLOQUEZ CERTAINS", 50, 600, 9), ("FORFAITS POUR EVITER", 50, 612, 9),
            ("MIEUX COMPRENDRE LE MONTANT DE VOTRE FACTURE", 50, 624, 9)] + _body_without_buyer()
    issuer = analyse(read_document(_pdf(tmp_path / "explainer.pdf", runs)), templates=[]).fields["issuer"]
    assert issuer.value == "Moreau Papeterie"


def test_a_logo_misread_by_one_letter_is_named_as_its_domain_spells_it(tmp_path):
    # a scan reads the logo 'Lumenkraft' as 'Lumenkrafl'; the domain and the text spell it right
    runs = [("Lumenkrafl", 50, 40, 16), ("Lumenkraft Energie - 3 rue des Forges - 69003 Lyon", 50, 700, 8),
            ("www.lumenkraftenergie.fr", 50, 712, 8), ("contact@lumenkraftenergie.fr", 50, 724, 8)] + _invoice_body()
    issuer = analyse(read_document(_pdf(tmp_path / "logo.pdf", runs)), templates=[]).fields["issuer"]
    assert issuer.value == "Lumenkraft Energie"


def test_a_tax_representatives_block_is_not_the_sellers(tmp_path):
    # the seller's tax representative prints its own name, address and VAT number under its
    # heading: a third party, never the issuer
    runs = [("Moulin Dore", 50, 40, 9), ("4 chemin des Vignes", 50, 56, 9), ("84340 Malaucene", 50, 68, 9),
            ("N° TVA : FR 11 999 999 998", 50, 80, 9),
            ("Représentant fiscal", 50, 110, 9), ("Fiscal Partners SARL", 50, 122, 9), ("12 rue du Bac", 50, 134, 9),
            ("75007 Paris", 50, 146, 9), ("N° TVA : FR 05 987 654 321", 50, 158, 9)] + _invoice_body()
    result = analyse(read_document(_pdf(tmp_path / "representative.pdf", runs)), templates=[])
    assert result.fields["issuer"].value == "Moulin Dore"
    assert not [reason for reason in result.reasons if "issuer" in reason]  # not a coin flip between the two


def test_a_buyer_whose_name_starts_with_a_label_word_stays_in_the_buyers_block(tmp_path):
    # 'Total Fitness Ltd' under 'Bill to:' starts with the word of a total's label; it is the
    # buyer's name, not a label ending the buyer's block
    runs = [("Harbour Print Co", 50, 40, 9), ("www.harbourprint.co.uk", 50, 52, 7),
            ("Bill to:", 50, 150, 9), ("Total Fitness Ltd", 50, 162, 9), ("8 Mill Lane", 50, 174, 9),
            ("VAT No: GB 123 4567 89", 50, 186, 9)] + _body_without_buyer()
    issuer = analyse(read_document(_pdf(tmp_path / "buyer.pdf", runs)), templates=[]).fields["issuer"]
    assert issuer.value == "Harbour Print Co"


def test_the_name_leading_a_footer_of_registration_columns_is_the_issuer(tmp_path):
    # a trade name with no legal form over the page; the recipient's window below it names a
    # company with one; the foot of the page sets name and address, organisation number and bank
    # account in three columns, the name on the same line as the organisation number
    day = (TODAY - timedelta(days=6)).strftime("%d.%m.%Y")
    runs = [("Fjordlys Elektro", 50, 40, 16), ("FAKTURA", 450, 40, 16),
            ("Havnegata Eiendom AS", 50, 130, 10), ("Strandkaien 12", 50, 144, 10), ("5013 Bergen", 50, 158, 10),
            ("Fakturanr", 330, 130, 9), ("20241187", 450, 130, 9), ("Fakturadato", 330, 144, 9), (day, 450, 144, 9),
            ("Beskrivelse", 50, 260, 9), ("Belop", 480, 260, 9),
            ("Montering av lysarmaturer", 50, 280, 9), ("8 400,00", 480, 280, 9),
            ("Totalt a betale NOK", 330, 330, 9), ("8 400,00", 480, 330, 9),
            ("Fjordlys Elektro", 50, 780, 7), ("Org.nr 912 345 678 MVA", 200, 780, 7),
            ("Kontonr 1503.12.34567", 360, 780, 7),
            ("Sandviksveien 4", 50, 790, 7), ("Tlf 55 12 34 56", 360, 790, 7), ("5035 Bergen", 50, 800, 7)]
    result = analyse(read_document(_pdf(tmp_path / "footer.pdf", runs)), templates=[])
    assert result.fields["issuer"].value == "Fjordlys Elektro"


def _local_body(language: str) -> list[tuple[str, float, float, float]]:
    """Number, date, one line and the totals of a Dutch, French or German invoice."""
    day = (TODAY - timedelta(days=5)).strftime("%d-%m-%Y")
    labels = {"nl": ("FACTUUR", "Factuurnummer:", "Factuurdatum:", "Omschrijving", "Bedrag", "Subtotaal", "BTW 21%",
                     "Totaal te betalen"),
              "fr": ("FACTURE", "Facture n° :", "Date de facture :", "Désignation", "Montant", "Total HT", "TVA 20%",
                     "Montant TTC"),
              "de": ("RECHNUNG", "Rechnungsnummer:", "Rechnungsdatum:", "Bezeichnung", "Betrag", "Nettobetrag",
                     "USt. 19%", "Gesamtbetrag")}[language]
    title, number, date_label, desc, amount, net, tax, total = labels
    rate = {"nl": "21,00", "fr": "20,00", "de": "19,00"}[language]
    return [(title, 330, 60, 16), (f"{number} 2024-0117", 330, 90, 9), (f"{date_label} {day}", 330, 104, 9),
            (desc, 50, 330, 9), (amount, 480, 330, 9), ("Onderhoud", 50, 350, 9), ("100,00", 480, 350, 9),
            (net, 330, 400, 9), ("100,00 EUR", 470, 400, 9), (tax, 330, 414, 9), (f"{rate} EUR", 470, 414, 9),
            (total, 330, 428, 9), (f"1{rate[:2]},00 EUR", 470, 428, 9)]


@pytest.mark.parametrize("language, buyer_label, seller_label", [
    ("nl", "Factuur aan:", "Verkocht door:"),
    ("nl", "Opdrachtgever:", "Verkocht door:"),
    ("fr", "Facturer à :", "Vendu par :"),
    ("de", "Rechnungsanschrift:", "Verkauft von:"),
    ("de", "Rechnung an:", "Verkauft durch:"),
])
def test_the_buyers_company_under_its_local_label_is_never_the_issuer(tmp_path, language, buyer_label, seller_label):
    # the buyer's block names a company with its legal form; the seller, on a marketplace's page
    # under its 'sold by' label, has none: only the labels tell whose is whose
    runs = [("Webwinkel Centraal", 50, 30, 9), (seller_label, 50, 150, 9), ("Atelier Noordlicht", 50, 162, 9),
            ("Kerkstraat 12", 50, 174, 9), ("3512 AB Utrecht", 50, 186, 9),
            (buyer_label, 330, 150, 9), ("Van Dijk Installatietechniek B.V.", 330, 162, 9),
            ("Industrieweg 4", 330, 174, 9), ("3542 AD Utrecht", 330, 186, 9)] + _local_body(language)
    result = analyse(read_document(_pdf(tmp_path / "local.pdf", runs)), templates=[])
    assert result.fields["issuer"].value == "Atelier Noordlicht"


@pytest.mark.parametrize("footer", [
    "Factuur gemaakt met Factuurly - www.factuurly.nl - Factuurly B.V.",
    "Facture générée par Factuurly - www.factuurly.fr - Factuurly SAS",
    "Powered by Factuurly | www.factuurly.com | Factuurly Ltd",
])
def test_the_software_an_invoice_was_made_with_is_not_its_issuer(tmp_path, footer):
    # the invoicing software prints its name, domain and company in the footer of every customer's
    # invoice; the seller here names itself only in a plain first line
    runs = [("Schildersbedrijf Mulder", 50, 30, 9), (footer, 50, 780, 7), ("www.factuurly.nl/help", 50, 792, 7)]
    result = analyse(read_document(_pdf(tmp_path / "software.pdf", runs + _invoice_body())), templates=[])
    assert result.fields["issuer"].value == "Schildersbedrijf Mulder"


def test_a_labelled_value_without_its_colon_still_ends_the_buyers_block(tmp_path):
    # 'Invoice No 2024-0117' under the buyer's address ends the block: the seller's block under it
    # keeps its votes (its name heads its tax id)
    runs = [("Bill to:", 330, 150, 9), ("Total Fitness Ltd", 330, 162, 9), ("8 Mill Lane", 330, 174, 9),
            ("Invoice No 2024-0117", 330, 186, 9), ("Harbour Print Co", 330, 198, 9),
            ("VAT No: GB 123 4567 89", 330, 210, 9)] + _body_without_buyer()
    issuer = analyse(read_document(_pdf(tmp_path / "column.pdf", runs)), templates=[]).fields["issuer"]
    assert issuer.value == "Harbour Print Co"


def _stamped_itinerary(stamp: str) -> Document:
    """A travel agent's itinerary invoice with a stamp in its top corner ('仅供预览', for preview
    only) and its seller on a line near the bottom, named with its legal form and no label."""
    day = TODAY - timedelta(days=5)
    rows = [(60, 60, [stamp]), (700, 80, ["电子发票（铁路电子客票）"]),
            (1700, 200, ["发票号码：", "26320000000987654321"]),
            (60, 300, ["乘车人", "证件号码"]), (60, 350, ["李某", "320102********5678"]),
            (60, 600, ["票价", "增值税税率", "增值税税额", "合计"]),
            (60, 650, ["CNY", "366.97", "9%", "CNY", "33.03", "CNY", "400.00"]),
            (1100, 750, ["江南铁路客运股份有限公司"]), (1900, 750, ["开票日期：", day.isoformat()]),
            (60, 800, ["购买方名称：", "杭州云帆软件有限公司"]), (1100, 800, ["统一社会信用代码/纳税人识别号：", "91330100MA27XY1234"])]
    return _ocr_page(rows)


@pytest.mark.parametrize("stamp", ["仅供预览", "副本"])
def test_a_stamp_in_the_corner_saying_preview_only_or_copy_is_never_the_issuer(stamp):
    result = analyse(_stamped_itinerary(stamp), templates=[])
    assert result.fields["issuer"].value == "江南铁路客运股份有限公司"


@pytest.mark.parametrize("stamp", ["DUPLICATE", "Kopie", "Copie"])
def test_a_copy_stamp_heading_a_latin_invoice_is_never_the_issuer(tmp_path, stamp):
    day = (TODAY - timedelta(days=3)).strftime("%d.%m.%Y")
    rows = [(80, 60, [stamp]), (1500, 160, ["Invoice", "No:", "RN-40211"]), (1500, 200, ["Date:", day]),
            (80, 400, ["Bill", "to:"]), (80, 440, ["Harbourside", "Cafe"]), (80, 480, ["12", "Quay", "Street"]),
            (80, 700, ["Description", "Amount"]), (80, 750, ["Coffee", "beans", "25", "kg", "310.00"]),
            (80, 850, ["Total", "EUR", "310.00"]),
            (80, 1500, ["Roastery", "Meier", "-", "Hafenweg", "3", "-", "20457", "Hamburg"])]
    result = analyse(_ocr_page(rows), templates=[])
    assert (result.value("issuer") or "").lower() != stamp.lower()


@pytest.mark.parametrize("letterhead, company", [
    ("Nordwind Kaffeer\u00f6sterei \u00ae x", "Nordwind Kaffeer\u00f6sterei"),  # the logo's swoosh read as a letter after its mark
    ("Brightline\u00ae Werkzeuge GmbH", "Brightline Werkzeuge GmbH"),  # a registered name with its legal form after the sign
])
def test_what_ocr_reads_after_a_trademark_sign_is_no_part_of_the_name_but_a_legal_form_is(letterhead, company,
                                                                                           tmp_path):
    pdf = _pdf(tmp_path / "logo.pdf", [(letterhead, 50, 40, 9)] + _invoice_body())
    result = analyse(read_document(pdf), templates=[])
    assert result.fields["issuer"].value == company


@pytest.mark.parametrize("phone_line, registration", [
    ("Telefon 030 8812 4410", "USt-IdNr. DE 123 456 789"),
    ("Téléphone 0143 221890", "SIRET 552 100 554 00025"),
    ("Telefoon 0205 550199", "KvK 12345678"),
])
def test_a_phone_line_heading_the_sellers_block_does_not_hide_the_name_under_it(phone_line, registration, tmp_path):
    # the seller's block opens with its phone number, in the seller's language, above the name
    # and the registration: the name is who issued the invoice
    runs = [(phone_line, 50, 40, 9), ("Druckerei Lindner", 50, 54, 9), (registration, 50, 68, 9)] + _invoice_body()
    result = analyse(read_document(_pdf(tmp_path / "phone-first.pdf", runs)), templates=[])
    assert result.fields["issuer"].value == "Druckerei Lindner"


def _japanese_page_as_the_chinese_model_reads_it(title: str, holder: str, seller_corner: bool = True) -> Document:
    """``seller_corner``: the seller's name printed in its block top right, not only on its account."""
    seller = [(340, "Sakura Trading"), (430, "Co., Ltd.")] if seller_corner else []
    page = page_of([
        (60, [(250, "INVOICE")]),
        (92, [(40, "Global Foods Pte. Ltd. 御中"), (340, "请求日 Date"), (480, "2026年11月19日")]),
        (105, [(340, "请求书番号 Invoice No."), (480, "S-00826")]),
        (126, [(340, "株式会社立与商事")]),
        (138, [(40, "We are pleased to invoice you as follows."), *seller]),
        (166, [(45, "请求金额 Total Amount"), (200, "¥1,839,039-")]),
        (300, [(345, "小计 Subtotal"), (480, "¥1,702,730")]),
        (315, [(345, "消费税 Consumption tax"), (480, "¥136,309")]),
        (330, [(345, "合计 Total"), (480, "¥1,839,039")]),
        (420, [(45, "振这先 Bank account")]),
        (446, [(45, f"SWIFT SMBCJPJT {holder}")]),
    ], scanned=True)
    # 請求書, the title in 20-point type, as glyphs the model has no letters for
    page.pages[0].words.insert(0, Word(title, 250, 24, 250 + 14 * len(title), 46, 0.5))
    return page


@pytest.mark.parametrize("title", ["AB", "Ss"])
def test_a_japanese_sellers_english_name_is_the_issuer_not_the_misread_title(title):
    # the holder of the account the buyer pays is the seller, even with the comma the Chinese
    # model prints full-width; neither the garbled title nor a bilingual date caption names anyone
    page = _japanese_page_as_the_chinese_model_reads_it(title, "A/C holder: Sakura Trading Co.，Ltd.")
    result = analyse(page, templates=[])
    assert result.fields["issuer"].value == "Sakura Trading Co., Ltd."
    assert not [r for r in result.reasons if "issuer" in r], result.reasons


def test_a_bilingual_caption_or_a_lone_legal_form_does_not_put_the_issuer_in_doubt():
    # no account holder printed: the name in the seller's corner stands alone against the title
    # read as 'AB' and the caption '请求日 Date'
    result = analyse(_japanese_page_as_the_chinese_model_reads_it("AB", ""), templates=[])
    assert result.fields["issuer"].value == "Sakura Trading Co., Ltd."
    assert "contested" not in result.fields["issuer"].detail


def test_a_seller_named_only_on_its_account_is_found_through_the_full_width_comma():
    page = _japanese_page_as_the_chinese_model_reads_it("Ss", "A/C holder: Sakura Trading Co.，Ltd.",
                                                        seller_corner=False)
    assert analyse(page, templates=[]).fields["issuer"].value == "Sakura Trading Co., Ltd."


def _swedish_scan(letterhead: list[str], footer_name: list[str]) -> Document:
    """A Swedish invoice as OCR reads it: the seller's name large at the top, the buyer's block,
    and the footer's registration line starting with the seller's name again."""
    day = TODAY - timedelta(days=5)
    rows = [(120, 80, letterhead), (1900, 80, ["FAKTURA"]),
            (120, 300, ["Fakturanummer:", "20417"]), (120, 345, ["Fakturadatum:", day.isoformat()]),
            (1300, 300, ["Kund:"]), (1300, 345, ["Fiskehallen", "i", "Lysekil", "AB"]),
            (1300, 390, ["Hamngatan", "4"]), (1300, 435, ["453", "30", "Lysekil"]),
            (120, 700, ["Att", "betala", "SEK", "12", "406,25"]),
            (120, 1600, footer_name + ["Org.nr", "556811-4207", "Bankgiro", "5120-3388"]),
            (120, 1645, ["Norra", "Kajen", "12", "451", "50", "Uddevalla", "Godkänd", "för", "F-skatt"])]
    return _ocr_page(rows)


@pytest.mark.parametrize("letterhead, footer", [
    (["Lindqvist", "Tryck", "AB"], ["Lindqv1st", "Tryck", "AB"]),
    (["Lindqv1st", "Tryck", "AB"], ["Lindqvist", "Tryck", "AB"]),
])
def test_the_name_printed_twice_is_read_as_its_print_without_a_digit_inside_a_word(letterhead, footer):
    # one print's 'i' (or an 'ö' the English model does not know) a scan read as a digit: the
    # same company as the other print, whose letters are the name written down
    result = analyse(_swedish_scan(letterhead, footer), templates=[])
    assert result.fields["issuer"].value == "Lindqvist Tryck AB"
