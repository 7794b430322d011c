"""ocr.read / ocr.invoice / ocr.file inside a recipe."""

from tests.conftest import SAMPLES
from tests.vision.corpus import make_invoice, write_pdf


def test_invoice_then_file_books_once_and_second_run_sees_it_booked(run_recipe, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    inv = make_invoice(51, "classic")
    write_pdf(inv, inbox / "inv.pdf")
    recipe = f"""
        name: book-one
        steps:
          - id: invoice
            ocr.invoice: "{inbox / 'inv.pdf'}"
          - id: filed
            ocr.file: {{path: "{{{{ steps.invoice.path }}}}", status: "{{{{ steps.invoice.status }}}}",
                       reasons: "{{{{ steps.invoice.reasons }}}}", fields: "{{{{ steps.invoice.values }}}}"}}
        """
    result = run_recipe(recipe)
    assert result.ok, result.error
    outputs = result.outputs
    assert outputs["invoice"]["status"] == "ready"
    assert outputs["invoice"]["fields"]["amount"]["value"] == float(inv.truth["amount"])
    assert outputs["invoice"]["values"]["invoice_number"] == inv.truth["invoice_number"]
    assert outputs["filed"]["outcome"] == "booked" and "archive" in outputs["filed"]["dest"]

    # the same invoice again (re-printed, so different bytes): not booked twice
    inv.runs.append(type(inv.runs[0])("copy", 50, 800, 8))
    write_pdf(inv, inbox / "inv.pdf")
    again = run_recipe(recipe)
    assert again.ok, again.error
    assert again.outputs["invoice"]["status"] == "review"
    assert "already booked" in again.outputs["invoice"]["reasons"][0]
    assert again.outputs["filed"]["outcome"] == "review"


def test_ocr_read_gives_text_and_word_boxes(run_recipe):
    result = run_recipe(f"""
        name: read-text
        steps:
          - id: doc
            ocr.read: "{SAMPLES / 'invoices' / 'AmazonWebServices.pdf'}"
        """)
    assert result.ok, result.error
    doc = result.outputs["doc"]
    assert "Invoice Number" in doc["text"]
    assert doc["pages"][0]["source"] == "text"


def test_missing_file_is_an_input_error_naming_the_file(run_recipe, tmp_path):
    result = run_recipe(f"""
        name: missing
        steps:
          - ocr.invoice: "{tmp_path / 'gone.pdf'}"
        """)
    assert result.status == "failed" and result.error_type == "InputError"
    assert "gone.pdf" in result.error
