"""The four real invoices rendered at 300 dpi (as a scanner delivers them) and read by OCR."""

import pytest

from tests.vision.conftest import REQUIRED, SAMPLE_NAMES, INVOICE_SAMPLES, expected, needs_tesseract, render_pdf
from vision import read_invoice

pytestmark = [needs_tesseract, pytest.mark.ocr]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_real_sample_scan_reads_required_fields_without_template(name, tmp_path):
    scan = render_pdf(INVOICE_SAMPLES / f"{name}.pdf", tmp_path / f"{name}.tif")
    result = read_invoice(scan, templates=[])
    want = expected(name)
    got = result.plain_fields()
    assert all(p["source"] == "ocr" for p in result.pages)
    assert [field for field in REQUIRED if got.get(field) != want[field]] == [], got
