"""Chinese electronic invoices as data: the 增值税电子发票 XML (``eInvoice``, as attached to OFD
files: ``original_invoice.xml``), the 数电票 / 全电发票 XML (``EInvoice``), the Ministry of
Finance XBRL instance (``inv:`` taxonomy, attached to OFD files as ``Format="xbrl"``), and an
OFD file's own invoice tags (``CustomTag.xml``: element names pointing at text on the page).

The syntaxes differ in names, not in meaning, so one table maps each field to the element
names that carry it, most specific first (the 数电票's ``TaxSupervisionInfo/IssueTime`` before
its ``RequestTime``); goods lines are read apart, so a line's ``TaxAmount`` is never the total's.
Amounts are in yuan (CNY) by law unless the file names another unit.
"""

from __future__ import annotations

from decimal import Decimal

from vision.einvoice.model import EInvoice, clean, money, xml_date
from vision.einvoice.safexml import local

#: field -> element local names that carry it, in the order they are trusted
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "invoice_number": ("InvoiceNo", "InvoiceNumber", "NumberOfInvoice", "EIid"),
    "invoice_code": ("InvoiceCode", "CodeOfInvoice"),
    "date": ("IssueDate", "DateOfIssue", "IssueTime", "RequestTime"),
    "issuer": ("SellerName", "NameOfSeller"),
    "seller_tax_id": ("SellerTaxID", "SellerIdNum", "SellerTaxNo",
                      "TaxpayerIdentificationNumberUnifiedSocialCreditCodeOfSeller"),
    "buyer": ("BuyerName", "NameOfPurchaser"),
    "amount": ("TaxInclusiveTotalAmount", "TotalTax-includedAmount", "TaxIncludedAmountInFigures"),
    "amount_untaxed": ("TaxExclusiveTotalAmount", "TotalAmWithoutTax", "TotalAmountExcludingTax"),
    "vat": ("TaxTotalAmount", "TotalTaxAm", "TotalTaxAmount"),
}
LINE_CONTAINERS = ("GoodsInfo", "InformationOfTaxableGoodsOrServicesDetailItemsTuple", "IssuItemInformation")
LINE_NAMES: dict[str, tuple[str, ...]] = {
    "description": ("Item", "NameOfTaxableGoodsOrServices", "ItemName"),
    "quantity": ("Quantity", "QuantityOfGoodsOrServices"),
    "unit": ("MeasurementDimension", "UnitOfGoodsOrServices", "MeaUnits"),
    "unit_price": ("Price", "UnitPriceOfGoodsOrServices", "UnPrice"),
    "amount": ("Amount", "AmountExcludingTax"),
    "tax_rate": ("TaxScheme", "TaxRate"),
    "tax": ("TaxAmount", "ComTaxAm"),
}
_MONEY_FIELDS = ("amount", "amount_untaxed", "vat")
_ROOTS = {"eInvoice", "EInvoice"}


def is_chinese(root) -> bool:
    name = local(root.tag)
    if name in _ROOTS:
        return True
    return name == "xbrl" and any(local(el.tag) == "NumberOfInvoice" for el in root.iter())


def _number(text: str | None, where: str) -> Decimal | None:
    """Amounts as printed on Chinese invoices: '318.00', '¥4449.00', '13.00%' for rates."""
    if text is None:
        return None
    s = text.strip().lstrip("¥￥").replace(",", "").rstrip("%").strip()
    return money(s, where) if s else None


def _lines(root, syntax: str) -> list[dict]:
    lines = []
    for box in root.iter():
        if local(box.tag) not in LINE_CONTAINERS:
            continue
        children = {local(c.tag): c for c in box.iter() if c is not box}
        item: dict = {}
        for key, names in LINE_NAMES.items():
            node = next((children[n] for n in names if n in children), None)
            value = node.text if node is not None else None
            if key in ("description", "unit"):
                item[key] = clean(value)
            elif key == "tax_rate" and value and "%" not in value:
                rate = _number(value, f"{local(node.tag)} (line {node.sourceline})")
                item[key] = rate * 100 if rate is not None and rate < 1 else rate  # 数电票 write 0.13 for 13 %
            else:
                item[key] = _number(value, f"{local(node.tag)} (line {node.sourceline})" if node is not None else key)
        if any(v is not None for v in item.values()):
            lines.append(item)
    return lines


def read_chinese(root, origin: str, syntax: str | None = None) -> EInvoice:
    name = local(root.tag)
    syntax = syntax or ("cn-xbrl" if name == "xbrl" else "cn-xml")
    label = {"cn-xbrl": "中国电子发票 XBRL", "cn-xml": "中国电子发票 XML", "ofd-tags": "OFD 发票标签 (CustomTag)"}[syntax]
    inv = EInvoice(syntax, label, origin)
    header: dict[str, list] = {}
    for el in root.iter():
        if isinstance(el.tag, str) and not any(local(a.tag) in LINE_CONTAINERS for a in el.iterancestors()):
            header.setdefault(local(el.tag), []).append(el)
    found: dict[str, object] = {}
    for key, names in HEADER_NAMES.items():
        # the first name in the table that carries a value wins, wherever it stands in the file
        for el in (el for name in names for el in header.get(name, [])):
            where = f"{local(el.tag)} (line {el.sourceline})"
            if key in _MONEY_FIELDS:
                value = _number(el.text, where)
            elif key == "date":
                value = xml_date(el.text, where)
            else:
                value = clean(el.text)
            if value is not None:
                found[key] = value
                break
    inv.values.update(found)
    units = [clean(el.text) for el in root.iter() if local(el.tag) == "measure" and el.text]
    currency = next((u.split(":", 1)[1] for u in units if u and u.lower().startswith("iso4217:")), "CNY")
    inv.values["currency"] = currency.upper()
    if syntax != "cn-xbrl" or not units:
        inv.derived["currency"] = "Chinese VAT invoices are issued in yuan (CNY)"
    total = inv.values.get("amount")
    inv.values["document_type"] = "credit_note" if isinstance(total, Decimal) and total < 0 else "invoice"
    for key, sum_key in (("amount", "grand_total"), ("amount_untaxed", "tax_basis"), ("vat", "tax_total")):
        if isinstance(inv.values.get(key), Decimal):
            inv.sums[sum_key] = inv.values[key]
    inv.lines = _lines(root, syntax)
    if inv.lines:
        rates = {}
        for item in inv.lines:
            rate = item.get("tax_rate")
            row = rates.setdefault(rate, {"category": None, "rate": rate, "basis": Decimal(0), "amount": Decimal(0)})
            row["basis"] += item.get("amount") or 0
            row["amount"] += item.get("tax") or 0
        inv.taxes = list(rates.values())
    return inv
