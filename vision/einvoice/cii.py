"""UN/CEFACT Cross Industry Invoice: Factur-X, ZUGFeRD 2.x and XRechnung CII (D16B,
``CrossIndustryInvoice``), and ZUGFeRD 1.0 (``CrossIndustryDocument``, same meaning, older
element names).

The profile (MINIMUM … EXTENDED, XRechnung) comes from the guideline id; what is read does not
depend on it: a MINIMUM file simply has no lines. Seller name is EN 16931 BT-27
(``SellerTradeParty/Name``), not the trading name; the seller's tax id is its VAT number
(``schemeID="VA"``), else its local tax number (``FC``).
"""

from __future__ import annotations

from decimal import Decimal

from vision.einvoice.model import CREDIT_NOTE_CODES, EInvoice, clean, compact_iban, money, xml_date
from vision.einvoice.safexml import local
from vision.einvoice.xpath import amount, find, find_all, tax_row, text, where

#: where each part lives, by root element: CII D16B (ZUGFeRD 2 / Factur-X / XRechnung) and ZUGFeRD 1.0
PATHS = {
    "CrossIndustryInvoice": {
        "context": "ExchangedDocumentContext", "document": "ExchangedDocument",
        "trade": "SupplyChainTradeTransaction", "agreement": "ApplicableHeaderTradeAgreement",
        "settlement": "ApplicableHeaderTradeSettlement", "sums": "SpecifiedTradeSettlementHeaderMonetarySummation",
        "rate": "RateApplicablePercent", "line_agreement": "SpecifiedLineTradeAgreement",
        "line_delivery": "SpecifiedLineTradeDelivery", "line_settlement": "SpecifiedLineTradeSettlement",
        "line_sums": "SpecifiedTradeSettlementLineMonetarySummation", "version": "",
    },
    "CrossIndustryDocument": {
        "context": "SpecifiedExchangedDocumentContext", "document": "HeaderExchangedDocument",
        "trade": "SpecifiedSupplyChainTradeTransaction", "agreement": "ApplicableSupplyChainTradeAgreement",
        "settlement": "ApplicableSupplyChainTradeSettlement", "sums": "SpecifiedTradeSettlementMonetarySummation",
        "rate": "ApplicablePercent", "line_agreement": "SpecifiedSupplyChainTradeAgreement",
        "line_delivery": "SpecifiedSupplyChainTradeDelivery", "line_settlement": "SpecifiedSupplyChainTradeSettlement",
        "line_sums": "SpecifiedTradeSettlementMonetarySummation", "version": "ZUGFeRD 1.0",
    },
}
PROFILES = [  # (substring of the guideline id, name)
    ("xrechnung", "XRechnung"), ("extended", "EXTENDED"), ("basicwl", "BASIC WL"), ("basic", "BASIC"),
    ("minimum", "MINIMUM"), ("comfort", "COMFORT"), ("en16931", "EN 16931"),
]
SUMS = {"LineTotalAmount": "line_total", "ChargeTotalAmount": "charges", "AllowanceTotalAmount": "allowances",
        "TaxBasisTotalAmount": "tax_basis", "TaxTotalAmount": "tax_total", "RoundingAmount": "rounding",
        "GrandTotalAmount": "grand_total", "TotalPrepaidAmount": "prepaid", "DuePayableAmount": "due"}


def is_cii(root) -> bool:
    return local(root.tag) in PATHS


def profile_name(guideline: str | None, process: str | None, version: str = "") -> str:
    g = (guideline or "").lower()
    for key, name in PROFILES:
        if key in g:
            if name == "XRechnung":
                number = g.rsplit("xrechnung_", 1)[-1] if "xrechnung_" in g else ""
                name = f"XRechnung {number}".strip()
            elif version:
                name = f"{version} {name}"
            elif "zugferd" in g:
                name = f"ZUGFeRD {name}"
            elif "factur-x" in g:
                name = f"Factur-X {name}"
            break
    else:
        name = guideline or version or "no profile given"
    if process and "peppol" in process.lower():
        name += ", Peppol BIS billing"
    return name


def _tax_id(party) -> str | None:
    regs = [(n.get("schemeID") or "", clean(n.text)) for n in find_all(party, "SpecifiedTaxRegistration/ID")]
    for scheme in ("VA", "FC", ""):
        for got, value in regs:
            if got == scheme and value:
                return value.replace(" ", "")
    return next((v.replace(" ", "") for _, v in regs if v), None)


def _date(el, path: str):
    stamp = find(el, path)
    if stamp is None:
        return None
    return xml_date(stamp.text, f"{path.split('/')[0]} (line {stamp.sourceline})", stamp.get("format"))


def read_cii(root, origin: str) -> EInvoice:
    p = PATHS[local(root.tag)]
    doc = find(root, p["document"])
    type_code = clean(text(doc, "TypeCode")) or "380"
    guideline = clean(text(root, f"{p['context']}/GuidelineSpecifiedDocumentContextParameter/ID"))
    process = clean(text(root, f"{p['context']}/BusinessProcessSpecifiedDocumentContextParameter/ID"))
    inv = EInvoice("cii", f"{profile_name(guideline, process, p['version'])} (CII)", origin)
    v = inv.values
    v["document_type"] = "credit_note" if type_code in CREDIT_NOTE_CODES else "invoice"
    v["type_code"] = type_code
    v["invoice_number"] = clean(text(doc, "ID"))
    v["date"] = _date(doc, "IssueDateTime/DateTimeString")

    trade = find(root, p["trade"])
    seller = find(trade, f"{p['agreement']}/SellerTradeParty")
    v["issuer"] = clean(text(seller, "Name"))
    v["seller_tax_id"] = _tax_id(seller)
    v["buyer"] = clean(text(trade, f"{p['agreement']}/BuyerTradeParty/Name"))

    settlement = find(trade, p["settlement"])
    currency = clean(text(settlement, "InvoiceCurrencyCode"))
    v["currency"] = currency.upper() if currency else None
    ibans = [compact_iban(n.text) for n in find_all(settlement, "SpecifiedTradeSettlementPaymentMeans/"
                                                                 "PayeePartyCreditorFinancialAccount/IBANID")]
    v["iban"] = next((i for i in ibans if i), None)
    v["due_date"] = _date(settlement, "SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString")

    sums = find(settlement, p["sums"])
    for tag, key in SUMS.items():
        value = amount(sums, tag, currency)
        if value is not None:
            inv.sums[key] = value
    v["amount"] = inv.sums.get("grand_total")
    v["amount_untaxed"] = inv.sums.get("tax_basis")
    v["vat"] = inv.sums.get("tax_total")
    v["amount_due"] = inv.sums.get("due")

    for tax in find_all(settlement, "ApplicableTradeTax"):
        inv.taxes.append(tax_row(tax, "CategoryCode", p["rate"], "BasisAmount", "CalculatedAmount", "ExemptionReason"))

    for item in find_all(trade, "IncludedSupplyChainTradeLineItem"):
        qty_path = f"{p['line_delivery']}/BilledQuantity"
        qty = find(item, qty_path)
        price = find(item, f"{p['line_agreement']}/NetPriceProductTradePrice")
        per = money(text(price, "BasisQuantity"), where(price, "BasisQuantity")) if price is not None else None
        unit_price = money(text(price, "ChargeAmount"), where(price, "ChargeAmount")) if price is not None else None
        if unit_price is not None and per not in (None, Decimal(0), Decimal(1)):
            unit_price = unit_price / per  # a price per 100 pieces is a price per piece / 100
        rate_path = f"{p['line_settlement']}/ApplicableTradeTax/{p['rate']}"
        total_path = f"{p['line_settlement']}/{p['line_sums']}/LineTotalAmount"
        inv.lines.append({
            "line": clean(text(item, "AssociatedDocumentLineDocument/LineID")),
            "description": clean(text(item, "SpecifiedTradeProduct/Name")),
            "quantity": money(qty.text, where(item, qty_path)) if qty is not None else None,
            "unit": qty.get("unitCode") if qty is not None else None,
            "unit_price": unit_price,
            "tax_rate": money(text(item, rate_path), where(item, rate_path)),
            "amount": amount(item, total_path, currency),
        })
    return inv
