"""How an invoice says who it is for and who gets paid, in conventions other than a 'Bill to'
caption: a Japanese invoice writes 御中 (or 様 for a person) after the customer's name, in the top
left corner where Western letterheads stand; the bank details name the account the money goes to;
a Czech seller block prints its street with two house numbers ('Nádražní 106/7')."""

from __future__ import annotations

import pytest

from dataclasses import replace

from tests.vision.word_pages import cells
from vision.document import Document, Page, Word
from vision.invoice import analyse


def _page(*rows: tuple[int, int, str], height: int | None = None) -> list[Word]:
    """Words of text rows (x, y, text); ``height``: printed taller than body text."""
    words = [w for x, y, text in rows for w in cells(y, (x, text))]
    return [replace(w, y1=w.y0 + height) for w in words] if height else words


def _document(*parts: list[Word]) -> Document:
    return Document("scan.png", [Page(1, 1240, 1750, [w for part in parts for w in part], "ocr")], "image")


def _japanese_invoice(customer_line: str) -> Document:
    """An exporter's 請求書 as a Chinese-model scan reads it: the customer in large type top left,
    the seller's block top right, its registration number garbled past reading."""
    customer = _page((90, 200, customer_line), height=18)
    rest = _page((560, 60, "請求書"), (560, 100, "INVOICE"),
                 (700, 180, "請求書番号 Invoice No.  S-00321"), (700, 205, "請求日 Date  2026年10月7日"),
                 (90, 250, "下記の通りご請求申し上げます。"), (90, 275, "We are pleased to invoice you as follows."),
                 (700, 260, "みなと物流株式会社"), (700, 285, "Minato Logistics K.K."),
                 (700, 310, "〒105-0023 東京都港区芝浦1-12"), (700, 335, "TEL 03-5418-2277"),
                 (700, 360, "登录 Sixes 番号 } No. 1928396865832"),
                 (90, 420, "ご請求金額 Total Amount   ¥45,882-"),
                 (90, 520, "品名 / Description"), (1000, 520, "金額"),
                 (90, 560, "Sea freight handling"), (1000, 560, "42,000"),
                 (700, 700, "小計 Subtotal  ¥42,000"), (700, 725, "消費税 Consumption tax  ¥3,882"),
                 (700, 750, "合計 Total  ¥45,882"))
    return _document(customer, rest)


@pytest.mark.parametrize("customer_line", ["Pacific Rim Imports LLC 御中", "Pacific Rim Imports LLC 御中中",
                                           "Pacific Rim Imports LLC 様"])
def test_the_company_a_japanese_invoice_is_addressed_to_is_not_its_issuer(customer_line):
    result = analyse(_japanese_invoice(customer_line), templates=[])
    assert "Pacific" not in (result.value("issuer") or "")
    assert result.value("issuer") == "Minato Logistics K.K."


def _invoice_paid_into(holder_line: str) -> Document:
    """A small studio's invoice: a logo's initials over the page, the customer's block, and the
    studio's name printed only where it says whose account the money goes to."""
    return _document(_page((90, 60, "AD"), height=40), _page(
        (90, 160, "Bill to:"), (90, 185, "Nordic Kitchen ApS"), (90, 210, "Vesterbrogade 12, 1620 Copenhagen"),
        (800, 160, "Invoice No.: 2026-114"), (800, 185, "Date: 03/11/2026"),
        (90, 300, "Description"), (1000, 300, "Amount"), (90, 330, "Logo design"), (1000, 330, "1,200.00"),
        (800, 420, "Subtotal  1,200.00"), (800, 445, "VAT 0%  0.00"), (800, 470, "Total due  EUR 1,200.00"),
        (90, 600, "Bank details"), (90, 625, "IBAN NL91 ABNA 0417 1643 00   BIC ABNANL2A"), (90, 650, holder_line)))


def test_the_name_on_the_account_the_money_goes_to_is_the_issuer():
    result = analyse(_invoice_paid_into("Account holder: Aozora Design Office"), templates=[])
    assert result.value("issuer") == "Aozora Design Office"


def test_the_customer_named_as_the_holder_of_a_debited_account_is_not_the_issuer():
    # a direct-debit line names the customer's own account: the customer is still not the seller
    result = analyse(_invoice_paid_into("Account holder: Nordic Kitchen ApS"), templates=[])
    assert result.value("issuer") != "Nordic Kitchen ApS"


def _czech_invoice(number_line: str, seller_name: str) -> Document:
    """A Czech 'daňový doklad' as a scan reads it: the č. of the number as ¢, the legal form of
    the seller's name worn ('spol. s ro.'), and seller and buyer side by side."""
    return _document(_page(
        (90, 60, "FAKTURA - DANOVY DOKLAD"), (900, 60, number_line),
        (90, 130, "Dodavatel:"), (640, 130, "Odběratel:"),
        (90, 155, seller_name), (640, 155, "Hotel Morava Brno a.s."),
        (90, 180, "Nadrazni 106/7"), (640, 180, "Masarykovo nam. 43"),
        (90, 205, "602 00 Brno"), (640, 205, "586 01 Jihlava"),
        (90, 230, "ICO: 36695437"), (640, 230, "ICO: 13844735"),
        (90, 255, "DIC: CZ36695437"), (640, 255, "DIC: CZ13844735"),
        (90, 300, "Datum vystaveni:  02.12.2026"), (640, 300, "Datum splatnosti:  09.12.2026"),
        (90, 420, "Kabel CYKY 3x2,5 (m)"), (1000, 420, "30 822,60"),
        (700, 500, "Celkem bez DPH:  30 822,60 CZK"), (700, 525, "DPH celkem:  6 472,75 CZK"),
        (700, 550, "Zaokrouhleni:  -0,35 CZK"), (700, 580, "Celkem k uhradě:  37 295,00 CZK")))


def test_a_czech_street_with_two_house_numbers_is_never_booked_as_the_seller():
    result = analyse(_czech_invoice("č. 2607855", "ELEKTRO Prochazka, spol. s ro."), templates=[])
    assert "Nadrazni" not in (result.value("issuer") or "")
    assert (result.value("issuer") or "").startswith("ELEKTRO Prochazka")


def test_the_czech_number_sign_read_as_a_cent_sign_still_labels_the_invoice_number():
    result = analyse(_czech_invoice("¢. 2607855", "ELEKTRO Prochazka, spol. s r.o."), templates=[])
    assert result.value("invoice_number") == "2607855"


def _courtesy_copy() -> Document:
    """The printed copy of an Italian e-invoice: the seller's and the buyer's blocks side by
    side, each a list of captioned lines, the tax ids before the name."""
    return _document(_page(
        (90, 60, "Cedente/prestatore (fornitore)"), (640, 60, "Cessionario/committente (cliente)"),
        (90, 85, "Identificativo fiscale ai fini IVA: IT01864530357"), (640, 85, "Codice fiscale: 00123450363"),
        (90, 110, "Codice fiscale: 01864530357"), (640, 110, "Denominazione: Hotel Bellavista S.p.A."),
        (90, 135, "Denominazione: Lavanderia Fontana di Greco Marco"), (640, 135, "Indirizzo: Via Emilia 44"),
        (90, 160, "Regime fiscale: RF01 (ordinario)"), (640, 160, "Comune: Modena Provincia: MO"),
        (90, 185, "Indirizzo: Via Cavour 12"), (90, 210, "Comune: Reggio Emilia Provincia: RE"),
        (90, 280, "Tipologia documento  Numero documento  Data documento"),
        (90, 305, "TD01 fattura  FPR 118/26  12-11-2026"),
        (90, 400, "Descrizione"), (1000, 400, "Prezzo totale"), (90, 425, "Lavaggio biancheria"), (1000, 425, "850,00"),
        (700, 520, "Imponibile  850,00"), (700, 545, "Imposta  187,00"), (700, 570, "Totale documento  1.037,00 EUR")))


def test_the_sellers_name_under_its_caption_in_an_e_invoice_copy_is_the_issuer():
    result = analyse(_courtesy_copy(), templates=[])
    assert result.value("issuer") == "Lavanderia Fontana di Greco Marco"
