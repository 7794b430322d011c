"""The structured e-invoices among the shared samples, and how their X.json compares to deskbot's fields
(used by tests/vision/test_einvoice_samples.py and benchmarks/einvoices.py)."""

from __future__ import annotations

import json
from decimal import Decimal

from tests.vision.conftest import INVOICE_SAMPLES

EINVOICES = [
    "factur-x-akretion/invoice_EN16931.pdf",
    "mustangproject/ZTESTZUGFERD_1_INVDSS_012015738820PDF-1.pdf",
    "mustangproject/MustangBeispiel20221026.pdf",
    "mustangproject/103767-Invoice-2026-03-24-1.pdf",
    "zugferd-corpus/Facture_FR_MINIMUM.pdf",
    "zugferd-corpus/Facture_DOM_BASICWL.pdf",
    "zugferd-corpus/Avoir_FR_type381_BASIC.pdf",
    "zugferd-corpus/IT01234567890_FPA01.xml",
    "xrechnung-testsuite/01.21a-INVOICE_uncefact.xml",
    "xrechnung-testsuite/03.06a-INVOICE_ubl.xml",
    "ofdrw-cn/20240531141733.ofd",
    "ofdrw-cn/发票示例.ofd",
    "ofdrw-cn/SignScaleError.ofd",
]
#: the samples' JSON calls the seller's VAT id ``vat`` and the tax amount ``amount_tax``
SAMPLE_KEYS = {"vat": "seller_tax_id", "amount_tax": "vat"}
NOT_FIELDS = {"desc", "format"}


def expected(name: str) -> dict:
    return json.loads((INVOICE_SAMPLES / name).with_suffix(".json").read_text(encoding="utf-8"))[0]


def same(got, want) -> bool:
    if isinstance(want, float) or isinstance(got, Decimal):
        try:
            return got is not None and Decimal(str(got)) == Decimal(str(want))
        except ArithmeticError:
            return False
    return got == want


def compare(result, want: dict) -> dict:
    """{sample key: (got, expected)} for every field of ``want`` that ``result`` got wrong."""
    values = {k: (f.value.isoformat() if hasattr(f.value, "isoformat") else f.value) for k, f in result.fields.items()}
    values.setdefault("document_type", "invoice")
    wrong = {}
    for key, value in want.items():
        if key in NOT_FIELDS:
            continue
        got = values.get(SAMPLE_KEYS.get(key, key))
        if not same(got, value):
            wrong[key] = (got, value)
    if "amount_printed" in values and "amount_printed" not in want:  # the page agrees: nothing to report
        wrong["amount_printed"] = (values["amount_printed"], None)
    return wrong
