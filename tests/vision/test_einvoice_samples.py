"""Every structured e-invoice in the shared samples is read exactly as its X.json says.

The X.json files were written from the embedded or standalone XML. Their ``vat`` is the
seller's VAT id (deskbot: ``seller_tax_id``) and ``amount_tax`` the tax amount (deskbot:
``vat``). ``xbrl-001.pdf`` (ofdrw-cn) is left out: a rendered air-ticket preview with no data
inside, read by the layout reader like any PDF.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.vision.conftest import INVOICE_SAMPLES
from tests.vision.einvoice_samples import EINVOICES, compare, expected
from vision import read_invoice

pytestmark = pytest.mark.skipif(not INVOICE_SAMPLES.is_dir(), reason=f"shared samples not found at {INVOICE_SAMPLES}")


@pytest.mark.parametrize("name", EINVOICES)
def test_sample_einvoice_is_read_exactly_from_its_data(name):
    result = read_invoice(INVOICE_SAMPLES / name, templates=[])
    wrong = compare(result, expected(name))
    assert not wrong, wrong
    assert result.format, "an e-invoice names its format"
    for key in ("issuer", "invoice_number", "date", "amount", "amount_untaxed", "vat", "seller_tax_id"):
        assert result.fields[key].confidence == 1.0
        assert result.fields[key].source == ("derived" if "ImportoTotaleDocumento" in result.fields[key].text
                                             else "document"), key
    assert result.status != "unreadable"


def test_weclapp_page_total_differs_from_its_xml_so_a_person_decides():
    result = read_invoice(INVOICE_SAMPLES / "mustangproject/MustangBeispiel20221026.pdf", templates=[])
    assert result.status == "review"
    reason = next(r for r in result.reasons if r.startswith("page_total"))
    assert "963.12" in reason and "963.11" in reason


def test_factur_x_pdf_whose_page_agrees_is_not_held_for_the_total():
    result = read_invoice(INVOICE_SAMPLES / "mustangproject/103767-Invoice-2026-03-24-1.pdf", templates=[])
    page = next(c for c in result.checks if c["name"] == "page_total")
    assert page["ok"] is True
    assert result.fields["iban"].value == "DE67100483927221888272"
    assert result.to_json()["fields"]["lines"]["value"][0]["amount"] == 573.0


def test_credit_note_printed_negative_is_a_credit_note_not_a_mismatch():
    result = read_invoice(INVOICE_SAMPLES / "zugferd-corpus/Avoir_FR_type381_BASIC.pdf", templates=[])
    assert result.fields["document_type"].value == "credit_note"
    assert next(c for c in result.checks if c["name"] == "page_total")["ok"] is True
    assert any(r.startswith("credit_note") for r in result.reasons)


def test_deposit_invoice_keeps_total_and_amount_due_apart():
    result = read_invoice(INVOICE_SAMPLES / "zugferd-corpus/Facture_DOM_BASICWL.pdf", templates=[])
    assert result.fields["amount"].value == Decimal("530.75")
    assert result.fields["amount_due"].value == Decimal("383.75")
    assert next(c for c in result.checks if c["name"] == "xml_totals")["ok"] is True


def test_fatturapa_total_without_importo_totale_is_marked_computed():
    result = read_invoice(INVOICE_SAMPLES / "zugferd-corpus/IT01234567890_FPA01.xml", templates=[])
    assert result.fields["amount"].source == "derived"
    assert "ImponibileImporto + Imposta" in result.fields["amount"].text


def test_ofd_with_attachment_and_document_info_reports_they_agree():
    result = read_invoice(INVOICE_SAMPLES / "ofdrw-cn/发票示例.ofd", templates=[])
    agree = next(c for c in result.checks if c["name"] == "sources_agree")
    assert agree["ok"] is True
    assert result.fields["invoice_code"].value == "050001700111"
    assert len(result.lines) == 3
