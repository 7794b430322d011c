"""E-invoices built here (CII, UBL invoice and credit note, Factur-X PDF) and hostile or broken XML."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.conftest import ROOT
from tests.vision.corpus import make_invoice, write_pdf
from tests.vision.einvoice_factory import attach, cii_xml, sample_invoice, ubl_xml
from vision import read_invoice
from vision.errors import RefusedXml
from vision.einvoice.safexml import parse_xml


def _read(tmp_path, data: bytes, name: str = "invoice.xml"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_invoice(path, templates=[])


def test_current_cii_invoice_is_ready_with_every_field_from_the_data(tmp_path):
    inv = sample_invoice(due=date.today() + timedelta(days=30))
    result = _read(tmp_path, cii_xml(inv))
    assert result.status == "ready", result.reasons
    values = result.plain_fields()
    assert values["issuer"] == "Kessel & Rohr GmbH"
    assert values["invoice_number"] == "RE-2026-0042"
    assert values["seller_tax_id"] == "DE811907980"
    assert values["iban"] == "DE02120300000000202051"
    assert result.fields["amount"].value == Decimal("340.94")  # 240 + 46.50 net, 54.44 tax at 19 %
    assert result.fields["vat"].value == Decimal("54.44")
    assert values["due_date"] == inv["due"].isoformat()
    assert [line["description"] for line in values["lines"]] == ["Wartung Heizungsanlage", "Dichtungssatz"]
    assert values["tax_breakdown"] == [{"category": "S", "rate": 19.0, "basis": 286.5, "amount": 54.44, "exemption": None}]
    assert {f.source for f in result.fields.values()} == {"document"}
    assert result.to_json()["fields"]["lines"]["source"] == "document"


def test_ubl_invoice_uses_the_legal_name_not_the_trading_name(tmp_path):
    result = _read(tmp_path, ubl_xml(sample_invoice(due=date.today() + timedelta(days=14))))
    assert result.status == "ready", result.reasons
    assert result.fields["issuer"].value == "Kessel & Rohr GmbH"
    assert "Peppol" in result.format


@pytest.mark.parametrize("build", [lambda inv: ubl_xml(inv, credit=True), lambda inv: cii_xml(dict(inv, type_code="381"))],
                         ids=["ubl-creditnote", "cii-381"])
def test_credit_note_is_recognised_and_held_for_a_person(tmp_path, build):
    result = _read(tmp_path, build(sample_invoice(number="GS-7")))
    assert result.fields["document_type"].value == "credit_note"
    assert result.status == "review"
    assert any(r.startswith("credit_note") for r in result.reasons)


def test_xml_whose_own_sums_disagree_goes_to_review(tmp_path):
    inv = sample_invoice()
    inv["total"] = inv["total"] + Decimal("100")  # grand total no longer basis + tax
    result = _read(tmp_path, cii_xml(inv))
    assert result.status == "review"
    reason = next(r for r in result.reasons if r.startswith("xml_totals"))
    assert "grand total" in reason and "440.94" in reason


def _factur_x(tmp_path, seed: int, wrong_total: bool = False):
    """A generated invoice page with the CII of what it should say attached: (pdf, truth)."""
    page = make_invoice(seed, "classic", wrong_total=wrong_total)
    truth = page.truth
    inv = sample_invoice(number=truth["invoice_number"], seller=truth["issuer"], currency=truth["currency"],
                         net=truth["amount_untaxed"], tax=truth["vat"], total=truth["amount"],
                         lines=[{"name": l["description"], "qty": l["quantity"], "price": l["unit_price"]}
                                for l in truth["lines"]])
    return attach(write_pdf(page, tmp_path / "page.pdf"), cii_xml(inv), tmp_path / "facturx.pdf"), truth


def test_factur_x_pdf_with_matching_page_is_ready(tmp_path):
    pdf, _ = _factur_x(tmp_path, 11)
    result = read_invoice(pdf, templates=[])
    assert result.fields["amount"].source == "document"
    assert next(c for c in result.checks if c["name"] == "page_total")["ok"] is True
    assert result.status == "ready", result.reasons


def test_factur_x_pdf_whose_page_shows_another_total_names_both(tmp_path):
    pdf, truth = _factur_x(tmp_path, 12, wrong_total=True)
    result = read_invoice(pdf, templates=[])
    assert result.status == "review"
    reason = next(r for r in result.reasons if r.startswith("page_total"))
    assert f"{truth['printed_amount']:.2f}" in reason and f"{truth['amount']:.2f}" in reason


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&xxe;</rsm:CrossIndustryInvoice>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Invoice>&lol3;</Invoice>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?><!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/evil.dtd"><Invoice/>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]><x/>"""


@pytest.mark.parametrize("data", [XXE, LAUGHS, EXTERNAL_DTD, PARAMETER_ENTITY,
                                  XXE.decode().replace('encoding="UTF-8"', "").encode("utf-16")],
                         ids=["xxe", "billion-laughs", "external-dtd", "parameter-entity", "xxe-utf16"])
def test_hostile_xml_is_refused_naming_the_problem(tmp_path, data):
    result = _read(tmp_path, data, "hostile.xml")
    assert result.status == "unreadable"
    assert "hostile.xml" in result.reasons[0] and "DOCTYPE" in result.reasons[0]
    assert "root:" not in json.dumps(result.to_json())  # nothing of /etc/passwd leaked


def test_parser_refuses_doctype_even_called_directly():
    with pytest.raises(RefusedXml, match="DOCTYPE"):
        parse_xml(XXE, "x.xml")


def test_truncated_xml_is_unreadable_with_the_line(tmp_path):
    data = cii_xml(sample_invoice())
    result = _read(tmp_path, data[: len(data) // 2], "cut.xml")
    assert result.status == "unreadable"
    assert "cut.xml" in result.reasons[0] and "not well-formed" in result.reasons[0] and "line" in result.reasons[0]


def test_amount_that_is_not_a_number_is_refused_not_half_read(tmp_path):
    data = cii_xml(sample_invoice()).replace(b"GrandTotalAmount>340.94<", b"GrandTotalAmount>340,94<")
    result = _read(tmp_path, data, "comma.xml")
    assert result.status == "unreadable"
    assert "GrandTotalAmount" in result.reasons[0] and "340,94" in result.reasons[0]


def test_xml_that_is_no_invoice_says_what_is_supported(tmp_path):
    result = _read(tmp_path, b"<?xml version='1.0'?><catalog><book/></catalog>", "books.xml")
    assert result.status == "unreadable"
    assert "<catalog>" in result.reasons[0] and "UBL" in result.reasons[0]


def test_fatturapa_batch_is_refused_rather_than_read_in_part(tmp_path):
    body = ("<FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD01</TipoDocumento>"
            "<Divisa>EUR</Divisa><Data>2026-01-02</Data><Numero>{n}</Numero></DatiGeneraliDocumento></DatiGenerali>"
            "</FatturaElettronicaBody>")
    data = ("<p:FatturaElettronica xmlns:p='http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2' "
            "versione='FPR12'><FatturaElettronicaHeader/>" + body.format(n=1) + body.format(n=2)
            + "</p:FatturaElettronica>").encode()
    result = _read(tmp_path, data, "lotto.xml")
    assert result.status == "unreadable" and "2 invoices" in result.reasons[0]


def test_pdf_with_hostile_attachment_falls_back_to_the_page_and_says_why(tmp_path):
    page = make_invoice(13, "classic")
    pdf = attach(write_pdf(page, tmp_path / "page.pdf"), XXE, tmp_path / "bad-attachment.pdf")
    result = read_invoice(pdf, templates=[])
    assert result.status == "review"
    assert any(r.startswith("attachment_refused") and "DOCTYPE" in r for r in result.reasons)
    assert result.fields["invoice_number"].source != "document"


def test_ocr_command_reads_an_xml_e_invoice_as_json(tmp_path):
    path = tmp_path / "xrechnung.xml"
    path.write_bytes(ubl_xml(sample_invoice(due=date.today() + timedelta(days=10))))
    proc = subprocess.run([sys.executable, "-m", "bots.cli", "ocr", str(path), "--json"], capture_output=True, text=True,
                          cwd=ROOT, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.splitlines()[0])
    assert data["status"] == "booked"
    assert data["fields"]["amount"] == {"value": 340.94, "confidence": 1.0, "source": "document", "page": None,
                                        "text": "xrechnung.xml"}
    assert data["format"].endswith("(UBL 2.1)")


ZUGFERD_1 = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
  <rsm:SpecifiedExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
    <ram:ID>urn:ferd:CrossIndustryDocument:invoice:1p0:comfort</ram:ID>
  </ram:GuidelineSpecifiedDocumentContextParameter></rsm:SpecifiedExchangedDocumentContext>
  <rsm:HeaderExchangedDocument><ram:ID>471102</ram:ID><ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">{issued}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:HeaderExchangedDocument>
  <rsm:SpecifiedSupplyChainTradeTransaction>
    <ram:ApplicableSupplyChainTradeAgreement>
      <ram:SellerTradeParty><ram:Name>Lieferant GmbH</ram:Name>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">201/113/40209</ram:ID></ram:SpecifiedTaxRegistration>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE123456789</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Kunden AG Mitte</ram:Name></ram:BuyerTradeParty>
    </ram:ApplicableSupplyChainTradeAgreement>
    <ram:ApplicableSupplyChainTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:ApplicableTradeTax><ram:CalculatedAmount currencyID="EUR">37.62</ram:CalculatedAmount>
        <ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount currencyID="EUR">198.00</ram:BasisAmount>
        <ram:CategoryCode>S</ram:CategoryCode><ram:ApplicablePercent>19.00</ram:ApplicablePercent></ram:ApplicableTradeTax>
      <ram:SpecifiedTradeSettlementMonetarySummation>
        <ram:LineTotalAmount currencyID="EUR">198.00</ram:LineTotalAmount>
        <ram:ChargeTotalAmount currencyID="EUR">0.00</ram:ChargeTotalAmount>
        <ram:AllowanceTotalAmount currencyID="EUR">0.00</ram:AllowanceTotalAmount>
        <ram:TaxBasisTotalAmount currencyID="EUR">198.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">37.62</ram:TaxTotalAmount>
        <ram:GrandTotalAmount currencyID="EUR">235.62</ram:GrandTotalAmount>
        <ram:TotalPrepaidAmount currencyID="EUR">0.00</ram:TotalPrepaidAmount>
        <ram:DuePayableAmount currencyID="EUR">235.62</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementMonetarySummation>
    </ram:ApplicableSupplyChainTradeSettlement>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedSupplyChainTradeAgreement><ram:NetPriceProductTradePrice>
        <ram:ChargeAmount currencyID="EUR">9.90</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedSupplyChainTradeAgreement>
      <ram:SpecifiedSupplyChainTradeDelivery><ram:BilledQuantity unitCode="C62">20.0000</ram:BilledQuantity>
      </ram:SpecifiedSupplyChainTradeDelivery>
      <ram:SpecifiedSupplyChainTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
          <ram:ApplicablePercent>19.00</ram:ApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementMonetarySummation>
          <ram:LineTotalAmount currencyID="EUR">198.00</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementMonetarySummation>
      </ram:SpecifiedSupplyChainTradeSettlement>
      <ram:SpecifiedTradeProduct><ram:Name>Trennblätter A4</ram:Name></ram:SpecifiedTradeProduct>
    </ram:IncludedSupplyChainTradeLineItem>
  </rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:CrossIndustryDocument>"""


def test_zugferd_1_comfort_invoice_is_read_like_its_successor(tmp_path):
    result = _read(tmp_path, ZUGFERD_1.format(issued=date.today().strftime("%Y%m%d")).encode(), "ZUGFeRD-invoice.xml")
    assert result.status == "ready", result.reasons
    values = result.plain_fields()
    assert (values["issuer"], values["invoice_number"], values["seller_tax_id"]) == ("Lieferant GmbH", "471102",
                                                                                      "DE123456789")
    assert (values["amount"], values["amount_untaxed"], values["vat"]) == (235.62, 198.0, 37.62)
    assert values["lines"][0]["quantity"] == 20.0 and values["lines"][0]["tax_rate"] == 19.0
    assert result.format == "ZUGFeRD 1.0 COMFORT (CII)"


SHUDIAN = """<?xml version="1.0" encoding="UTF-8"?>
<EInvoice><Header><EIid>25332000000123456789</EIid><Version>0.31</Version></Header>
<EInvoiceData>
  <SellerInformation><SellerIdNum>91330100MA27XY1234</SellerIdNum><SellerName>杭州示例软件有限公司</SellerName></SellerInformation>
  <BuyerInformation><BuyerIdNum>91310000MA1FL0000X</BuyerIdNum><BuyerName>上海某某贸易有限公司</BuyerName></BuyerInformation>
  <BasicInformation><TotalAmWithoutTax>1000.00</TotalAmWithoutTax><TotalTaxAm>60.00</TotalTaxAm>
    <TotalTax-includedAmount>1060.00</TotalTax-includedAmount><RequestTime>{requested}</RequestTime></BasicInformation>
  <IssuItemInformation><ItemName>*信息技术服务*软件维护费</ItemName><Quantity>2</Quantity><UnPrice>500</UnPrice>
    <Amount>1000.00</Amount><TaxRate>0.06</TaxRate><ComTaxAm>60.00</ComTaxAm></IssuItemInformation>
</EInvoiceData>
<TaxSupervisionInfo><InvoiceNumber>25332000000123456789</InvoiceNumber><IssueTime>{issued} 10:21:08</IssueTime></TaxSupervisionInfo>
</EInvoice>"""


def test_fully_digital_chinese_invoice_xml_takes_the_issue_time_not_the_request_time(tmp_path):
    issued = date.today()
    data = SHUDIAN.format(issued=issued.isoformat(), requested=(issued - timedelta(days=1)).isoformat()).encode()
    result = _read(tmp_path, data, "dzfp_25332000000123456789.xml")
    assert result.status == "ready", result.reasons
    values = result.plain_fields()
    assert values["date"] == issued.isoformat()
    assert (values["issuer"], values["seller_tax_id"]) == ("杭州示例软件有限公司", "91330100MA27XY1234")
    assert (values["amount"], values["amount_untaxed"], values["vat"], values["currency"]) == (1060.0, 1000.0, 60.0, "CNY")
    assert values["lines"][0]["tax_rate"] == 6.0 and values["lines"][0]["tax"] == 60.0


FAPIAO_XML = """<?xml version="1.0" encoding="utf-8"?><eInvoice xmlns:fp="http://www.edrm.org.cn/schema/e-invoice/2019">
<fp:InvoiceCode>031001900111</fp:InvoiceCode><fp:InvoiceNo>{number}</fp:InvoiceNo><fp:IssueDate>{issued}</fp:IssueDate>
<fp:Seller><fp:SellerName>上海示例餐饮管理有限公司</fp:SellerName><fp:SellerTaxID>91310101MA1FPX0000</fp:SellerTaxID></fp:Seller>
<fp:TaxInclusiveTotalAmount>{total}</fp:TaxInclusiveTotalAmount><fp:TaxTotalAmount>5.66</fp:TaxTotalAmount>
<fp:TaxExclusiveTotalAmount>94.34</fp:TaxExclusiveTotalAmount></eInvoice>"""


def _fapiao_page(issued: date, total: str) -> list:
    return [(10, 10, "电子发票（普通发票）"), (120, 20, "发票号码：88120456"), (120, 26, f"开票日期：{issued:%Y年%m月%d日}"),
            (10, 40, "销售方名称：上海示例餐饮管理有限公司"), (10, 60, "合计 ¥94.34 ¥5.66"), (10, 70, f"价税合计（小写） ¥{total}")]


def test_ofd_attachment_is_the_data_and_the_page_must_agree(tmp_path):
    from tests.vision.einvoice_factory import ofd_file

    issued = date.today()
    xml = FAPIAO_XML.format(number="88120456", issued=f"{issued:%Y年%m月%d日}", total="100.00").encode()
    good = read_invoice(ofd_file(tmp_path / "ok.ofd", _fapiao_page(issued, "100.00"), attachment=xml), templates=[])
    assert good.status == "ready", good.reasons
    assert good.fields["invoice_code"].value == "031001900111" and good.fields["amount"].source == "document"
    forged = read_invoice(ofd_file(tmp_path / "forged.ofd", _fapiao_page(issued, "1000.00"), attachment=xml),
                          templates=[])
    assert forged.status == "review"
    reason = next(r for r in forged.reasons if r.startswith("page_total"))
    assert "1000.00" in reason and "100.00" in reason


def test_ofd_tags_that_contradict_the_attachment_are_named(tmp_path):
    from tests.vision.einvoice_factory import ofd_file

    issued = date.today()
    xml = FAPIAO_XML.format(number="88120456", issued=f"{issued:%Y年%m月%d日}", total="100.00").encode()
    path = ofd_file(tmp_path / "tags.ofd", _fapiao_page(issued, "100.00"), attachment=xml,
                    tags={"InvoiceNo": "88120457", "TaxInclusiveTotalAmount": "100.00"})
    result = read_invoice(path, templates=[])
    assert result.status == "review"
    reason = next(r for r in result.reasons if r.startswith("sources_agree"))
    assert "88120456" in reason and "88120457" in reason


def test_ofd_without_data_is_read_from_its_page_text(tmp_path):
    from tests.vision.einvoice_factory import ofd_file

    result = read_invoice(ofd_file(tmp_path / "plain.ofd", _fapiao_page(date.today(), "100.00")), templates=[])
    assert result.status != "unreadable"
    assert result.format == "OFD (page text)"
    assert result.fields["invoice_number"].value == "88120456" and result.fields["invoice_number"].source != "document"
    assert result.fields["amount"].value == Decimal("100.00")


def test_ofd_part_larger_than_allowed_is_refused_not_unpacked(tmp_path, monkeypatch):
    from tests.vision.einvoice_factory import ofd_file
    import vision.einvoice.ofd as ofd

    monkeypatch.setattr(ofd, "MAX_PART_BYTES", 4096)
    path = ofd_file(tmp_path / "bomb.ofd", [(10, 10, "x" * 5000)])
    result = read_invoice(path, templates=[])
    assert result.status == "unreadable" and "bomb.ofd" in result.reasons[0] and "larger than" in result.reasons[0]


def test_pdf_carrying_a_chinese_invoice_xml_is_read_from_the_attachment(tmp_path):
    issued = date.today()
    xml = FAPIAO_XML.format(number="88120456", issued=f"{issued:%Y年%m月%d日}", total="100.00").encode()
    pdf = attach(write_pdf(make_invoice(14, "classic"), tmp_path / "page.pdf"), xml, tmp_path / "fapiao.pdf",
                 name="original_invoice.xml")
    result = read_invoice(pdf, templates=[])
    assert result.fields["invoice_number"].value == "88120456" and result.fields["invoice_number"].source == "document"
    assert result.fields["invoice_code"].value == "031001900111"
    assert result.status == "review"  # the page shows another invoice's total: a person looks
    assert any(r.startswith("page_total") for r in result.reasons)


FATTURA = """<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica versione="FPR12" xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
<FatturaElettronicaHeader><CedentePrestatore><DatiAnagrafici><IdFiscaleIVA><IdPaese>IT</IdPaese>
<IdCodice>09876543210</IdCodice></IdFiscaleIVA><Anagrafica><Nome>MARIO</Nome><Cognome>ROSSI</Cognome></Anagrafica>
</DatiAnagrafici></CedentePrestatore></FatturaElettronicaHeader>
<FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD01</TipoDocumento><Divisa>EUR</Divisa>
<Data>{issued}</Data><Numero>FPR 12/26</Numero><ImportoTotaleDocumento>122.00</ImportoTotaleDocumento>
</DatiGeneraliDocumento></DatiGenerali><DatiBeniServizi><DettaglioLinee><NumeroLinea>1</NumeroLinea>
<Descrizione>CONSULENZA</Descrizione><PrezzoUnitario>100.00</PrezzoUnitario><PrezzoTotale>100.00</PrezzoTotale>
<AliquotaIVA>22.00</AliquotaIVA></DettaglioLinee><DatiRiepilogo><AliquotaIVA>22.00</AliquotaIVA>
<ImponibileImporto>100.00</ImponibileImporto><Imposta>22.00</Imposta></DatiRiepilogo></DatiBeniServizi>
<DatiPagamento><DettaglioPagamento><ModalitaPagamento>MP05</ModalitaPagamento><ImportoPagamento>122.00</ImportoPagamento>
<IBAN>IT60X0542811101000000123456</IBAN></DettaglioPagamento></DatiPagamento></FatturaElettronicaBody>
</p:FatturaElettronica>"""


def _signed(content: bytes) -> bytes:
    """``content`` in a CAdES-style attached PKCS#7 signature, as Italian signing tools write .p7m files."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs7
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ROSSI MARIO")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    return pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(cert, key, hashes.SHA256()).sign(
        serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])


@pytest.mark.parametrize("encode", [lambda der: der, lambda der: __import__("base64").encodebytes(der)],
                         ids=["der", "base64"])
def test_signed_fatturapa_p7m_is_read_from_inside_the_envelope(tmp_path, encode):
    xml = FATTURA.format(issued=date.today().isoformat()).encode()
    result = _read(tmp_path, encode(_signed(xml)), "IT09876543210_00001.xml.p7m")
    assert result.status == "ready", result.reasons
    values = result.plain_fields()
    assert (values["issuer"], values["seller_tax_id"], values["invoice_number"]) == ("MARIO ROSSI", "IT09876543210",
                                                                                       "FPR 12/26")
    assert (values["amount"], values["vat"], values["iban"]) == (122.0, 22.0, "IT60X0542811101000000123456")
    assert "signature not verified" in result.format


def test_damaged_p7m_is_unreadable_with_what_to_do(tmp_path):
    der = _signed(FATTURA.format(issued=date.today().isoformat()).encode())
    result = _read(tmp_path, der[: len(der) // 2], "cut.xml.p7m")
    assert result.status == "unreadable"
    assert "cut.xml.p7m" in result.reasons[0] and ".p7m" in result.reasons[0]


def _owner_locked(tmp_path, permissions: int):
    import pypdf

    pdf, truth = _factur_x(tmp_path, 15)
    writer = pypdf.PdfWriter(clone_from=str(pdf))
    writer.encrypt(user_password="", owner_password="no-printing", permissions_flag=permissions)
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as fh:
        writer.write(fh)
    return locked, truth


def test_factur_x_pdf_with_only_an_owner_password_is_still_read_from_its_data(tmp_path):
    locked, truth = _owner_locked(tmp_path, -3904)  # printing allowed, editing not: the common case
    result = read_invoice(locked, templates=[])
    assert result.fields["amount"].source == "document" and result.fields["amount"].value == truth["amount"]
    assert result.status == "ready", result.reasons


def test_factur_x_pdf_whose_page_cannot_be_opened_keeps_its_data_and_asks_a_person(tmp_path, monkeypatch):
    import vision.einvoice as einvoice
    from vision.errors import UnreadableDocument

    locked, truth = _owner_locked(tmp_path, -3904)

    def broken(path, *args, **kwargs):
        raise UnreadableDocument(f"{path.name}: the PDF cannot be parsed")

    monkeypatch.setattr("vision.reader.read_document", broken)
    result = einvoice.read_einvoice(locked, templates=[])
    assert result.fields["amount"].value == truth["amount"] and result.fields["amount"].source == "document"
    assert result.status == "review"
    assert any(r.startswith("page_total") and "could not be read" in r for r in result.reasons)
