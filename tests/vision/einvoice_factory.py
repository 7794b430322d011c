"""Build e-invoices for tests from a plain description (not from the readers' rules): CII (Factur-X /
XRechnung), UBL Invoice / CreditNote, FatturaPA, and a PDF with an XML attached as Factur-X does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from lxml import etree

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"


def sample_invoice(**overrides) -> dict:
    """A small invoice: two lines at 19 %, a bank account, a due date."""
    lines = [{"name": "Wartung Heizungsanlage", "qty": Decimal("2"), "price": Decimal("120.00")},
             {"name": "Dichtungssatz", "qty": Decimal("3"), "price": Decimal("15.50")}]
    inv = {"number": "RE-2026-0042", "issued": date.today(), "due": None, "seller": "Kessel & Rohr GmbH",
           "seller_vat": "DE811907980", "buyer": "Hausverwaltung Süd KG", "currency": "EUR",
           "iban": "DE02 1203 0000 0000 2020 51", "lines": lines, "rate": Decimal("19"), "type_code": "380",
           "prepaid": Decimal("0")}
    inv.update(overrides)
    net = sum((item["qty"] * item["price"] for item in inv["lines"]), Decimal(0)).quantize(Decimal("0.01"))
    tax = (net * inv["rate"] / 100).quantize(Decimal("0.01"))
    inv.setdefault("net", net)
    inv.setdefault("tax", tax)
    inv.setdefault("total", net + tax)
    return inv


def _sub(parent, ns: str, name: str, text: object = None, **attrs):
    el = etree.SubElement(parent, f"{{{ns}}}{name}", {k: str(v) for k, v in attrs.items()})
    if text is not None:
        el.text = str(text)
    return el


def cii_xml(inv: dict, guideline: str = "urn:cen.eu:en16931:2017") -> bytes:
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap={"rsm": RSM, "ram": RAM, "udt": UDT})
    ctx = _sub(root, RSM, "ExchangedDocumentContext")
    _sub(_sub(ctx, RAM, "GuidelineSpecifiedDocumentContextParameter"), RAM, "ID", guideline)
    doc = _sub(root, RSM, "ExchangedDocument")
    _sub(doc, RAM, "ID", inv["number"])
    _sub(doc, RAM, "TypeCode", inv["type_code"])
    _sub(_sub(doc, RAM, "IssueDateTime"), UDT, "DateTimeString", inv["issued"].strftime("%Y%m%d"), format="102")
    trade = _sub(root, RSM, "SupplyChainTradeTransaction")
    for i, item in enumerate(inv["lines"], 1):
        li = _sub(trade, RAM, "IncludedSupplyChainTradeLineItem")
        _sub(_sub(li, RAM, "AssociatedDocumentLineDocument"), RAM, "LineID", i)
        _sub(_sub(li, RAM, "SpecifiedTradeProduct"), RAM, "Name", item["name"])
        _sub(_sub(_sub(li, RAM, "SpecifiedLineTradeAgreement"), RAM, "NetPriceProductTradePrice"), RAM, "ChargeAmount",
             item["price"])
        _sub(_sub(li, RAM, "SpecifiedLineTradeDelivery"), RAM, "BilledQuantity", item["qty"], unitCode="C62")
        ls = _sub(li, RAM, "SpecifiedLineTradeSettlement")
        tax = _sub(ls, RAM, "ApplicableTradeTax")
        _sub(tax, RAM, "TypeCode", "VAT")
        _sub(tax, RAM, "CategoryCode", "S")
        _sub(tax, RAM, "RateApplicablePercent", inv["rate"])
        _sub(_sub(ls, RAM, "SpecifiedTradeSettlementLineMonetarySummation"), RAM, "LineTotalAmount",
             (item["qty"] * item["price"]).quantize(Decimal("0.01")))
    agreement = _sub(trade, RAM, "ApplicableHeaderTradeAgreement")
    seller = _sub(agreement, RAM, "SellerTradeParty")
    _sub(seller, RAM, "Name", inv["seller"])
    _sub(_sub(seller, RAM, "SpecifiedTaxRegistration"), RAM, "ID", inv["seller_vat"], schemeID="VA")
    _sub(_sub(agreement, RAM, "BuyerTradeParty"), RAM, "Name", inv["buyer"])
    _sub(trade, RAM, "ApplicableHeaderTradeDelivery")
    settle = _sub(trade, RAM, "ApplicableHeaderTradeSettlement")
    _sub(settle, RAM, "InvoiceCurrencyCode", inv["currency"])
    means = _sub(settle, RAM, "SpecifiedTradeSettlementPaymentMeans")
    _sub(means, RAM, "TypeCode", "58")
    _sub(_sub(means, RAM, "PayeePartyCreditorFinancialAccount"), RAM, "IBANID", inv["iban"])
    tax = _sub(settle, RAM, "ApplicableTradeTax")
    _sub(tax, RAM, "CalculatedAmount", inv["tax"])
    _sub(tax, RAM, "TypeCode", "VAT")
    _sub(tax, RAM, "BasisAmount", inv["net"])
    _sub(tax, RAM, "CategoryCode", "S")
    _sub(tax, RAM, "RateApplicablePercent", inv["rate"])
    if inv["due"]:
        _sub(_sub(_sub(settle, RAM, "SpecifiedTradePaymentTerms"), RAM, "DueDateDateTime"), UDT, "DateTimeString",
             inv["due"].strftime("%Y%m%d"), format="102")
    sums = _sub(settle, RAM, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _sub(sums, RAM, "LineTotalAmount", inv["net"])
    _sub(sums, RAM, "TaxBasisTotalAmount", inv["net"])
    _sub(sums, RAM, "TaxTotalAmount", inv["tax"], currencyID=inv["currency"])
    _sub(sums, RAM, "GrandTotalAmount", inv["total"])
    _sub(sums, RAM, "TotalPrepaidAmount", inv["prepaid"])
    _sub(sums, RAM, "DuePayableAmount", inv.get("due_amount", inv["total"] - inv["prepaid"]))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def ubl_xml(inv: dict, credit: bool = False) -> bytes:
    kind = "CreditNote" if credit else "Invoice"
    ns = f"urn:oasis:names:specification:ubl:schema:xsd:{kind}-2"
    root = etree.Element(f"{{{ns}}}{kind}", nsmap={None: ns, "cbc": CBC, "cac": CAC})
    _sub(root, CBC, "CustomizationID", "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0")
    _sub(root, CBC, "ProfileID", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0")
    _sub(root, CBC, "ID", inv["number"])
    _sub(root, CBC, "IssueDate", inv["issued"].isoformat())
    if inv["due"] and not credit:
        _sub(root, CBC, "DueDate", inv["due"].isoformat())
    _sub(root, CBC, f"{kind}TypeCode", "381" if credit else inv["type_code"])
    _sub(root, CBC, "DocumentCurrencyCode", inv["currency"])
    party = _sub(_sub(root, CAC, "AccountingSupplierParty"), CAC, "Party")
    _sub(_sub(party, CAC, "PartyName"), CBC, "Name", inv["seller"] + " (Handel)")
    scheme = _sub(party, CAC, "PartyTaxScheme")
    _sub(scheme, CBC, "CompanyID", inv["seller_vat"])
    _sub(_sub(scheme, CAC, "TaxScheme"), CBC, "ID", "VAT")
    _sub(_sub(party, CAC, "PartyLegalEntity"), CBC, "RegistrationName", inv["seller"])
    buyer = _sub(_sub(root, CAC, "AccountingCustomerParty"), CAC, "Party")
    _sub(_sub(buyer, CAC, "PartyLegalEntity"), CBC, "RegistrationName", inv["buyer"])
    means = _sub(root, CAC, "PaymentMeans")
    _sub(means, CBC, "PaymentMeansCode", "58")
    if credit and inv["due"]:
        _sub(means, CBC, "PaymentDueDate", inv["due"].isoformat())
    _sub(_sub(means, CAC, "PayeeFinancialAccount"), CBC, "ID", inv["iban"])
    total = _sub(root, CAC, "TaxTotal")
    _sub(total, CBC, "TaxAmount", inv["tax"], currencyID=inv["currency"])
    sub = _sub(total, CAC, "TaxSubtotal")
    _sub(sub, CBC, "TaxableAmount", inv["net"], currencyID=inv["currency"])
    _sub(sub, CBC, "TaxAmount", inv["tax"], currencyID=inv["currency"])
    cat = _sub(sub, CAC, "TaxCategory")
    _sub(cat, CBC, "ID", "S")
    _sub(cat, CBC, "Percent", inv["rate"])
    _sub(_sub(cat, CAC, "TaxScheme"), CBC, "ID", "VAT")
    legal = _sub(root, CAC, "LegalMonetaryTotal")
    _sub(legal, CBC, "LineExtensionAmount", inv["net"], currencyID=inv["currency"])
    _sub(legal, CBC, "TaxExclusiveAmount", inv["net"], currencyID=inv["currency"])
    _sub(legal, CBC, "TaxInclusiveAmount", inv["total"], currencyID=inv["currency"])
    _sub(legal, CBC, "PayableAmount", inv["total"], currencyID=inv["currency"])
    for i, item in enumerate(inv["lines"], 1):
        line = _sub(root, CAC, f"{kind}Line")
        _sub(line, CBC, "ID", i)
        _sub(line, CBC, "CreditedQuantity" if credit else "InvoicedQuantity", item["qty"], unitCode="C62")
        _sub(line, CBC, "LineExtensionAmount", (item["qty"] * item["price"]).quantize(Decimal("0.01")),
             currencyID=inv["currency"])
        _sub(_sub(line, CAC, "Item"), CBC, "Name", item["name"])
        _sub(_sub(line, CAC, "Price"), CBC, "PriceAmount", item["price"], currencyID=inv["currency"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def attach(pdf: Path, xml: bytes, out: Path, name: str = "factur-x.xml") -> Path:
    """``pdf`` with ``xml`` embedded as a file attachment, as Factur-X / ZUGFeRD PDFs carry it."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=str(pdf))
    writer.add_attachment(name, xml)
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


OFD_NS = "http://www.ofdspec.org/2016"


def ofd_file(path: Path, texts: list[tuple[float, float, str]], *, attachment: bytes | None = None,
             tags: dict[str, str] | None = None, extra: dict[str, bytes] | None = None) -> Path:
    """A one-page OFD: text objects at (x, y) millimetres; optionally an attached invoice XML and
    invoice tags (``{"InvoiceNo": "12345678", …}`` pointing at added text objects)."""
    import zipfile

    objects, refs = [], {}
    for i, (x, y, text) in enumerate(texts, start=10):
        objects.append(f'<ofd:TextObject ID="{i}" Boundary="{x} {y} 80 5" Font="1" Size="3.5">'
                       f'<ofd:TextCode X="0" Y="3.5">{text}</ofd:TextCode></ofd:TextObject>')
    for j, (tag, value) in enumerate((tags or {}).items(), start=500):
        objects.append(f'<ofd:TextObject ID="{j}" Boundary="150 {j - 490} 50 5" Font="1" Size="3.5">'
                       f'<ofd:TextCode X="0" Y="3.5">{value}</ofd:TextCode></ofd:TextObject>')
        refs[tag] = j
    page = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Area><ofd:PhysicalBox>'
            f'0 0 210 140</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="2">{"".join(objects)}'
            f'</ofd:Layer></ofd:Content></ofd:Page>')
    document = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
                f'<ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>'
                f'<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>'
                + ("<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments>" if attachment else "")
                + ("<ofd:CustomTags>Tags/CustomTags.xml</ofd:CustomTags>" if tags else "") + "</ofd:Document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1">'
                              f'<ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID></ofd:DocInfo>'
                              f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        z.writestr("Doc_0/Document.xml", document)
        z.writestr("Doc_0/Pages/Page_0/Content.xml", page)
        if attachment:
            z.writestr("Doc_0/Attachs/Attachments.xml",
                       f'<ofd:Attachments xmlns:ofd="{OFD_NS}"><ofd:Attachment Name="invoice" Format="xml">'
                       f'<ofd:FileLoc>invoice.xml</ofd:FileLoc></ofd:Attachment></ofd:Attachments>')
            z.writestr("Doc_0/Attachs/invoice.xml", attachment)
        if tags:
            z.writestr("Doc_0/Tags/CustomTags.xml", f'<ofd:CustomTags xmlns:ofd="{OFD_NS}"><ofd:CustomTag TypeID="fp">'
                                                    f'<ofd:FileLoc>Tag_Invoice.xml</ofd:FileLoc></ofd:CustomTag></ofd:CustomTags>')
            body = "".join(f'<ofd:{t}><ofd:ObjectRef PageRef="1">{i}</ofd:ObjectRef></ofd:{t}>' for t, i in refs.items())
            z.writestr("Doc_0/Tags/Tag_Invoice.xml", f'<ofd:root xmlns:ofd="{OFD_NS}">{body}</ofd:root>')
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path
