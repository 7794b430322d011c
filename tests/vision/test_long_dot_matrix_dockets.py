"""A ribbon printer's docket longer than a hand's width, scanned on a flatbed: read as dot-matrix
print like a short one, its amounts with their cents."""

import pytest

from tests.vision.conftest import needs_tesseract
from tests.vision.receipt_corpus import flatbed, make_receipt, same_amount
from vision import CheckPolicy, read_invoice


@needs_tesseract
@pytest.mark.ocr
def test_a_long_dot_matrix_tax_invoice_on_a_flatbed_is_read_with_its_total(tmp_path):
    # a bookshop's tax invoice of fifteen items, 17 cm of 300-dpi scan: it had been read as
    # 17-px print in pieces (a total of 3 for 211.35, half its lines noise)
    receipt = make_receipt(80004, "my_bookshop_invoice")
    result = read_invoice(flatbed(receipt, tmp_path / "invoice.jpg"), templates=[],
                          policy=CheckPolicy(max_age_days=100_000))
    notes = result.pages[0]["notes"]
    assert any(note.startswith("print in dots") for note in notes), notes
    assert same_amount(result.value("amount"), receipt.truth["amount"]), result.fields_json()
    assert result.status != "ready" or same_amount(result.value("amount"), receipt.truth["amount"])


@needs_tesseract
@pytest.mark.ocr
def test_the_totals_of_a_long_dot_matrix_docket_keep_their_cents(tmp_path):
    # the first reading of the page took '211' of TOTAL INCL. GST 211.35 and TOTAL ROUNDED
    # 211.35 and left the point and cents, a character cell to the right, unread
    from vision.reader import PageTask, read_task

    receipt = make_receipt(80004, "my_bookshop_invoice")
    page = read_task(PageTask(str(flatbed(receipt, tmp_path / "invoice.jpg")), "image", 0, 1))
    amounts = [w.text.replace(",", ".") for w in page.words]
    assert amounts.count("211.35") >= 2, [w.text for w in page.words]
    assert "211" not in amounts, [w.text for w in page.words]
