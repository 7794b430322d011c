"""The four real invoices rendered at 300 dpi (as a scanner delivers them) and read by OCR."""

import pytest

from tests.vision.conftest import REQUIRED, SAMPLE_NAMES, INVOICE_SAMPLES, expected, needs_tesseract, render_pdf
from vision import CheckPolicy, read_invoice

pytestmark = [needs_tesseract, pytest.mark.ocr]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_real_sample_scan_reads_required_fields_without_template(name, tmp_path):
    scan = render_pdf(INVOICE_SAMPLES / f"{name}.pdf", tmp_path / f"{name}.tif")
    # these invoices are from 2014-2017: accept old dates here, so a quick read that is good
    # enough is not followed by the slower second read the review path asks for
    result = read_invoice(scan, templates=[], policy=CheckPolicy(max_age_days=100_000))
    want = expected(name)
    got = result.plain_fields()
    assert all(p["source"] == "ocr" for p in result.pages)
    assert [field for field in REQUIRED if got.get(field) != want[field]] == [], got
