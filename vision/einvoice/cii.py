"""UN/CEFACT Cross Industry Invoice (CII D16B): Factur-X, ZUGFeRD 2.x, XRechnung CII.

The profile (MINIMUM … EXTENDED, XRechnung) comes from the guideline id; what is read does not
depend on it: a MINIMUM file simply has no lines. Seller name is EN 16931 BT-27
(``SellerTradeParty/Name``), not the trading name; the seller's tax id is its VAT number
(``schemeID="VA"``), else its local tax number (``FC``).
"""

from __future__ import annotations

from decimal import Decimal

from vision.einvoice.model import CREDIT_NOTE_CODES, EInvoice, clean, compact_iban, money, xml_date
from vision.einvoice.xpath import amount, find, find_all, tax_row, text, where

_HEADER = "SupplyChainTradeTransaction"
_AGREEMENT = f"{_HEADER}/ApplicableHeaderTradeAgreement"
_SETTLEMENT = f"{_HEADER}/ApplicableHeaderTradeSettlement"
_SUMS = f"{_SETTLEMENT}/SpecifiedTradeSettlementHeaderMonetarySummation"

PROFILES = [  # (substring of the guideline id, name)
    ("xrechnung", "XRechnung"), ("extended", "EXTENDED"), ("basicwl", "BASIC WL"), ("basic", "BASIC"),
    ("minimum", "MINIMUM"), ("en16931", "EN 16931"),
]


def is_cii(root) -> bool:
    from vision.einvoice.safexml import local

    return local(root.tag) == "CrossIndustryInvoice"


def profile_name(guideline: str | None, process: str | None) -> str:
    g = (guideline or "").lower()
    for key, name in PROFILES:
        if key in g:
            if name == "XRechnung":
                version = g.rsplit("xrechnung_", 1)[-1] if "xrechnung_" in g else ""
                name = f"XRechnung {version}".strip()
            elif "zugferd" in g:
                name = f"ZUGFeRD {name}"
            elif "factur-x" in g:
                name = f"Factur-X {name}"
            break
    else:
        name = guideline or "no profile given"
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


def read_cii(root, origin: str) -> EInvoice:
    doc = find(root, "ExchangedDocument")
    type_code = clean(text(doc, "TypeCode")) or "380"
    guideline = clean(text(root, "ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID"))
    process = clean(text(root, "ExchangedDocumentContext/BusinessProcessSpecifiedDocumentContextParameter/ID"))
    inv = EInvoice("cii", f"{profile_name(guideline, process)} (CII)", origin)
    v = inv.values
    v["document_type"] = "credit_note" if type_code in CREDIT_NOTE_CODES else "invoice"
    v["type_code"] = type_code
    v["invoice_number"] = clean(text(doc, "ID"))
    stamp = find(doc, "IssueDateTime/DateTimeString")
    if stamp is not None:
        v["date"] = xml_date(stamp.text, f"IssueDateTime (line {stamp.sourceline})", stamp.get("format"))

    seller = find(root, f"{_AGREEMENT}/SellerTradeParty")
    v["issuer"] = clean(text(seller, "Name"))
    v["seller_tax_id"] = _tax_id(seller)
    v["buyer"] = clean(text(root, f"{_AGREEMENT}/BuyerTradeParty/Name"))

    settlement = find(root, _SETTLEMENT)
    currency = clean(text(settlement, "InvoiceCurrencyCode"))
    v["currency"] = currency.upper() if currency else None
    ibans = [compact_iban(n.text) for n in find_all(settlement, "SpecifiedTradeSettlementPaymentMeans/"
                                                                 "PayeePartyCreditorFinancialAccount/IBANID")]
    v["iban"] = next((i for i in ibans if i), None)
    due = find(settlement, "SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString")
    if due is not None:
        v["due_date"] = xml_date(due.text, f"DueDateDateTime (line {due.sourceline})", due.get("format"))

    sums = find(root, _SUMS)
    names = {"LineTotalAmount": "line_total", "ChargeTotalAmount": "charges", "AllowanceTotalAmount": "allowances",
             "TaxBasisTotalAmount": "tax_basis", "TaxTotalAmount": "tax_total", "RoundingAmount": "rounding",
             "GrandTotalAmount": "grand_total", "TotalPrepaidAmount": "prepaid", "DuePayableAmount": "due"}
    for tag, key in names.items():
        value = amount(sums, tag, currency)
        if value is not None:
            inv.sums[key] = value
    v["amount"] = inv.sums.get("grand_total")
    v["amount_untaxed"] = inv.sums.get("tax_basis")
    v["vat"] = inv.sums.get("tax_total")
    v["amount_due"] = inv.sums.get("due")

    for tax in find_all(settlement, "ApplicableTradeTax"):
        inv.taxes.append(tax_row(tax, "CategoryCode", "RateApplicablePercent", "BasisAmount", "CalculatedAmount",
                                 "ExemptionReason"))

    for item in find_all(root, f"{_HEADER}/IncludedSupplyChainTradeLineItem"):
        qty = find(item, "SpecifiedLineTradeDelivery/BilledQuantity")
        price = find(item, "SpecifiedLineTradeAgreement/NetPriceProductTradePrice")
        per = money(text(price, "BasisQuantity"), where(price, "BasisQuantity")) if price is not None else None
        unit_price = money(text(price, "ChargeAmount"), where(price, "ChargeAmount")) if price is not None else None
        if unit_price is not None and per not in (None, Decimal(0), Decimal(1)):
            unit_price = unit_price / per  # a price per 100 pieces is a price per piece / 100
        inv.lines.append({
            "line": clean(text(item, "AssociatedDocumentLineDocument/LineID")),
            "description": clean(text(item, "SpecifiedTradeProduct/Name")),
            "quantity": money(qty.text, where(item, "SpecifiedLineTradeDelivery/BilledQuantity")) if qty is not None else None,
            "unit": qty.get("unitCode") if qty is not None else None,
            "unit_price": unit_price,
            "tax_rate": money(text(item, "SpecifiedLineTradeSettlement/ApplicableTradeTax/RateApplicablePercent"),
                              "RateApplicablePercent"),
            "amount": money(text(item, "SpecifiedLineTradeSettlement/SpecifiedTradeSettlementLineMonetarySummation/"
                                       "LineTotalAmount"), where(item, "SpecifiedLineTradeSettlement/"
                                       "SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount")),
        })
    return inv
