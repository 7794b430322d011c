"""OASIS UBL 2.x Invoice and CreditNote: XRechnung UBL, Peppol BIS Billing 3.0, EN 16931 UBL.

A ``CreditNote`` root, or an ``InvoiceTypeCode`` from the credit-note list, is a credit note.
Seller name is BT-27 (``PartyLegalEntity/RegistrationName``), else the party name (BT-28);
the tax id is the ``PartyTaxScheme`` whose scheme is VAT, else the first one.
"""

from __future__ import annotations

from decimal import Decimal

from vision.einvoice.model import CREDIT_NOTE_CODES, EInvoice, clean, compact_iban, money, xml_date
from vision.einvoice.safexml import local
from vision.einvoice.xpath import amount, find, find_all, tax_row, text, where


def is_ubl(root) -> bool:
    return local(root.tag) in ("Invoice", "CreditNote") and "oasis:names:specification:ubl" in (root.tag or "")


def _format(customization: str | None, profile: str | None) -> str:
    c, p = (customization or "").lower(), (profile or "").lower()
    if "xrechnung" in c:
        version = c.rsplit("xrechnung_", 1)[-1] if "xrechnung_" in c else ""
        name = f"XRechnung {version}".strip()
    elif "peppol" in c:
        name = "Peppol BIS Billing 3.0"
    elif "en16931" in c:
        name = "EN 16931"
    else:
        name = customization or "UBL"
    if "peppol" in p and "Peppol" not in name:
        name += ", Peppol BIS billing"
    return f"{name} (UBL 2.1)"


def read_ubl(root, origin: str) -> EInvoice:
    credit = local(root.tag) == "CreditNote"
    inv = EInvoice("ubl", _format(clean(text(root, "CustomizationID")), clean(text(root, "ProfileID"))), origin)
    v = inv.values
    type_code = clean(text(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode")) or ("381" if credit else "380")
    v["type_code"] = type_code
    v["document_type"] = "credit_note" if credit or type_code in CREDIT_NOTE_CODES else "invoice"
    v["invoice_number"] = clean(text(root, "ID"))
    v["date"] = xml_date(text(root, "IssueDate"), where(root, "IssueDate"))
    due = text(root, "DueDate") or text(root, "PaymentMeans/PaymentDueDate")
    if due:
        v["due_date"] = xml_date(due, "DueDate")
    currency = clean(text(root, "DocumentCurrencyCode"))
    v["currency"] = currency.upper() if currency else None

    party = find(root, "AccountingSupplierParty/Party")
    v["issuer"] = clean(text(party, "PartyLegalEntity/RegistrationName")) or clean(text(party, "PartyName/Name"))
    schemes = find_all(party, "PartyTaxScheme")
    vat = [s for s in schemes if (clean(text(s, "TaxScheme/ID")) or "").upper() == "VAT"]
    chosen = (vat or schemes or [None])[0]
    tax_id = clean(text(chosen, "CompanyID")) if chosen is not None else None
    v["seller_tax_id"] = tax_id.replace(" ", "") if tax_id else None
    customer = find(root, "AccountingCustomerParty/Party")
    v["buyer"] = clean(text(customer, "PartyLegalEntity/RegistrationName")) or clean(text(customer, "PartyName/Name"))
    v["iban"] = next((compact_iban(n.text) for n in find_all(root, "PaymentMeans/PayeeFinancialAccount/ID")
                      if compact_iban(n.text)), None)

    totals = find(root, "LegalMonetaryTotal")
    names = {"LineExtensionAmount": "line_total", "TaxExclusiveAmount": "tax_basis",
             "TaxInclusiveAmount": "grand_total", "AllowanceTotalAmount": "allowances",
             "ChargeTotalAmount": "charges", "PrepaidAmount": "prepaid", "PayableRoundingAmount": "rounding",
             "PayableAmount": "due"}
    for tag, key in names.items():
        value = amount(totals, tag, currency)
        if value is not None:
            inv.sums[key] = value
    tax_totals = [t for t in find_all(root, "TaxTotal")
                  if find(t, "TaxAmount") is not None and find(t, "TaxAmount").get("currencyID") in (None, currency)]
    if tax_totals:
        node = find(tax_totals[0], "TaxAmount")
        inv.sums["tax_total"] = money(node.text, f"TaxAmount (line {node.sourceline})")
        for sub in find_all(tax_totals[0], "TaxSubtotal"):
            inv.taxes.append(tax_row(sub, "TaxCategory/ID", "TaxCategory/Percent", "TaxableAmount", "TaxAmount",
                                     "TaxCategory/TaxExemptionReason"))
    v["amount"] = inv.sums.get("grand_total")
    v["amount_untaxed"] = inv.sums.get("tax_basis")
    v["vat"] = inv.sums.get("tax_total")
    v["amount_due"] = inv.sums.get("due")

    for line in find_all(root, "CreditNoteLine" if credit else "InvoiceLine"):
        qty = find(line, "CreditedQuantity" if credit else "InvoicedQuantity")
        price = money(text(line, "Price/PriceAmount"), where(line, "Price/PriceAmount"))
        per = money(text(line, "Price/BaseQuantity"), where(line, "Price/BaseQuantity"))
        if price is not None and per not in (None, Decimal(0), Decimal(1)):
            price = price / per
        inv.lines.append({
            "line": clean(text(line, "ID")),
            "description": clean(text(line, "Item/Name")),
            "quantity": money(qty.text, f"quantity (line {qty.sourceline})") if qty is not None else None,
            "unit": qty.get("unitCode") if qty is not None else None,
            "unit_price": price,
            "tax_rate": money(text(line, "Item/ClassifiedTaxCategory/Percent"), "ClassifiedTaxCategory/Percent"),
            "amount": money(text(line, "LineExtensionAmount"), where(line, "LineExtensionAmount")),
        })
    return inv
