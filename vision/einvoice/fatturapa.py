"""FatturaPA 1.2 (Italy's SdI format, FPA12 to public bodies, FPR12 between businesses).

One invoice per file: a file carrying several ``FatturaElettronicaBody`` (a batch, *lotto*) is
refused with the count, never read in part. When ``ImportoTotaleDocumento`` is missing (it is
optional) the total is the sum of the summary rows, taxable + tax (``ImponibileImporto`` +
``Imposta``), marked as computed; the payment amounts, when present, must agree with it.
TD04 / TD08 are credit notes.
"""

from __future__ import annotations

from decimal import Decimal

from vision.einvoice.model import EInvoice, clean, compact_iban, money, xml_date
from vision.einvoice.safexml import local
from vision.einvoice.xpath import find, find_all, text, where
from vision.errors import RefusedXml

CREDIT_TYPES = {"TD04", "TD08"}


def is_fatturapa(root) -> bool:
    return local(root.tag) == "FatturaElettronica"


def read_fatturapa(root, origin: str) -> EInvoice:
    bodies = find_all(root, "FatturaElettronicaBody")
    if len(bodies) != 1:
        raise RefusedXml(f"{origin}: holds {len(bodies)} invoices (FatturaElettronicaBody); deskbot reads one invoice "
                         "per file: split the batch into one file per invoice")
    body = bodies[0]
    version = root.get("versione") or "1.2"
    inv = EInvoice("fatturapa", f"FatturaPA {version}", origin)
    v = inv.values
    general = find(body, "DatiGenerali/DatiGeneraliDocumento")
    kind = clean(text(general, "TipoDocumento")) or "TD01"
    v["type_code"] = kind
    v["document_type"] = "credit_note" if kind in CREDIT_TYPES else "invoice"
    v["invoice_number"] = clean(text(general, "Numero"))
    v["date"] = xml_date(text(general, "Data"), where(general, "Data"))
    currency = clean(text(general, "Divisa"))
    v["currency"] = currency.upper() if currency else None

    seller = find(root, "FatturaElettronicaHeader/CedentePrestatore/DatiAnagrafici")
    name = clean(text(seller, "Anagrafica/Denominazione"))
    if not name:
        name = clean(" ".join(filter(None, (text(seller, "Anagrafica/Nome"), text(seller, "Anagrafica/Cognome")))))
    v["issuer"] = name
    country, code = clean(text(seller, "IdFiscaleIVA/IdPaese")), clean(text(seller, "IdFiscaleIVA/IdCodice"))
    v["seller_tax_id"] = f"{country or ''}{code}" if code else clean(text(seller, "CodiceFiscale"))
    buyer = find(root, "FatturaElettronicaHeader/CessionarioCommittente/DatiAnagrafici")
    v["buyer"] = clean(text(buyer, "Anagrafica/Denominazione")) or clean(
        " ".join(filter(None, (text(buyer, "Anagrafica/Nome"), text(buyer, "Anagrafica/Cognome")))))

    payments = find_all(body, "DatiPagamento/DettaglioPagamento")
    v["iban"] = next((compact_iban(text(p, "IBAN")) for p in payments if compact_iban(text(p, "IBAN"))), None)
    dues = [xml_date(text(p, "DataScadenzaPagamento"), where(p, "DataScadenzaPagamento")) for p in payments
            if text(p, "DataScadenzaPagamento")]
    if dues:
        v["due_date"] = min(dues)
    paid = [money(text(p, "ImportoPagamento"), where(p, "ImportoPagamento")) for p in payments]
    if paid and all(p is not None for p in paid):
        inv.sums["payments"] = sum(paid, Decimal(0))

    untaxed, tax = Decimal(0), Decimal(0)
    for row in find_all(body, "DatiBeniServizi/DatiRiepilogo"):
        basis = money(text(row, "ImponibileImporto"), where(row, "ImponibileImporto"))
        amount = money(text(row, "Imposta"), where(row, "Imposta"))
        rate = money(text(row, "AliquotaIVA"), where(row, "AliquotaIVA"))
        inv.taxes.append({"category": clean(text(row, "Natura")) or "S", "rate": rate, "basis": basis,
                          "amount": amount, "exemption": clean(text(row, "RiferimentoNormativo"))})
        untaxed += basis or 0
        tax += amount or 0
    v["amount_untaxed"] = untaxed
    v["vat"] = tax
    inv.sums["tax_basis"], inv.sums["tax_total"] = untaxed, tax
    total = money(text(general, "ImportoTotaleDocumento"), where(general, "ImportoTotaleDocumento"))
    rounding = money(text(general, "Arrotondamento"), where(general, "Arrotondamento"))
    if rounding is not None:
        inv.sums["rounding"] = rounding
    if total is None:
        total = untaxed + tax + (rounding or 0)
        inv.derived["amount"] = "ImponibileImporto + Imposta (the file gives no ImportoTotaleDocumento)"
    v["amount"] = total
    inv.sums["grand_total"] = total

    for row in find_all(body, "DatiBeniServizi/DettaglioLinee"):
        inv.lines.append({
            "line": clean(text(row, "NumeroLinea")),
            "description": clean(text(row, "Descrizione")),
            "quantity": money(text(row, "Quantita"), where(row, "Quantita")),
            "unit": clean(text(row, "UnitaMisura")),
            "unit_price": money(text(row, "PrezzoUnitario"), where(row, "PrezzoUnitario")),
            "tax_rate": money(text(row, "AliquotaIVA"), where(row, "AliquotaIVA")),
            "amount": money(text(row, "PrezzoTotale"), where(row, "PrezzoTotale")),
        })
    return inv
