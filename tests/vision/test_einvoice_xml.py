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
