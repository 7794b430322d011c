"""A vendor master (the ERP's supplier list) given to the ocr.invoice step names the issuer."""

from __future__ import annotations

from tests.vision.corpus import make_invoice, write_pdf


def test_ocr_step_matches_the_issuer_to_the_vendor_master_by_name(run_recipe, tmp_path):
    inv = make_invoice(4, "fr")
    pdf = write_pdf(inv, tmp_path / "facture.pdf")
    master = tmp_path / "suppliers.csv"
    master.write_text("code,name,tax_id,iban\nV-1,Someone Else SA,FR00999999999,\n"
                      f"V-2,{inv.truth['issuer'].upper()},,\n", encoding="utf-8")
    result = run_recipe(f"""
        name: read-one
        steps:
          - id: inv
            ocr.invoice: {{path: "{pdf}", vendors: "{master}", check_duplicates: false}}
        """)
    assert result.status == "ok", result.error
    issuer = result.outputs["inv"]["fields"]["issuer"]
    assert issuer["value"] == inv.truth["issuer"].upper()
    assert issuer["detail"].startswith("vendor master (name")


def test_a_broken_vendor_master_names_the_file_and_row(run_recipe, tmp_path):
    pdf = write_pdf(make_invoice(4, "fr"), tmp_path / "facture.pdf")
    master = tmp_path / "suppliers.csv"
    master.write_text("name,tax_id\nGood Supplier SA,FR1\n,FR2\n", encoding="utf-8")
    result = run_recipe(f"""
        name: read-one
        steps:
          - ocr.invoice: {{path: "{pdf}", vendors: "{master}", check_duplicates: false}}
        """)
    assert result.status == "failed"
    assert "suppliers.csv: row 3: the vendor has no name" in result.error
