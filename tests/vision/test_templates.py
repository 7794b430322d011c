"""Vendor templates take precedence where they match; a bad template names its file."""

import pytest

from tests.vision.corpus import make_invoice, write_pdf
from vision import VisionError, load_templates, read_invoice


def test_matching_template_overrides_generic_fields(tmp_path):
    inv = make_invoice(7, "classic")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "vendor.yaml").write_text(f"""
name: Special vendor
keywords: ["{inv.truth['issuer']}", "Bill To"]
options: {{currency: CHF, decimal_separator: "."}}
fields:
  issuer: "Special Vendor (from template)"
  invoice_number: {{pattern: 'Invoice No:\\s*(\\S+)'}}
""", encoding="utf-8")
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates_dir=folder)
    assert result.template == "Special vendor"
    assert result.value("issuer") == "Special Vendor (from template)"
    assert result.value("currency") == "CHF"
    assert result.value("invoice_number") == inv.truth["invoice_number"]
    assert result.value("amount") == inv.truth["amount"]  # not in the template: generic reader


def test_template_that_does_not_match_changes_nothing(tmp_path):
    inv = make_invoice(8, "classic")
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "other.yaml").write_text("name: Other\nkeywords: [Nobody GmbH]\nfields: {issuer: Nobody}\n")
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates_dir=folder)
    assert result.template is None and result.value("issuer") == inv.truth["issuer"]


@pytest.mark.parametrize("text, message", [
    ("name: x\nfields: {}\n", "keywords"),
    ("name: x\nkeywords: [a]\nfields: {totl: 1}\n", "unknown field 'totl'"),
    ("name: x\nkeywords: [a]\nfields: {amount: {region: [0, 0, 2, 1]}}\n", "region"),
    ("name: x\nkeywords: [a]\nfields: {invoice_number: {pattern: '('}}\n", "not a valid regex"),
])
def test_bad_template_is_reported_with_its_file(tmp_path, text, message):
    (tmp_path / "bad.yaml").write_text(text)
    with pytest.raises(VisionError, match=message) as err:
        load_templates(tmp_path)
    assert "bad.yaml" in str(err.value)


def test_shipped_templates_load():
    from tests.conftest import ROOT

    for template in load_templates(ROOT / "config" / "invoice_templates"):
        assert template.keywords
