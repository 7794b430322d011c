"""The four real invoices (invoice2data's test PDFs) read from their text layer, no templates."""

import pytest

from tests.vision.conftest import REQUIRED, SAMPLE_NAMES, INVOICE_SAMPLES, expected
from vision import read_invoice


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_real_sample_pdf_reads_required_fields_without_template(name):
    result = read_invoice(INVOICE_SAMPLES / f"{name}.pdf", templates=[])
    want = expected(name)
    got = result.plain_fields()
    assert result.template is None
    for field in REQUIRED:
        assert got.get(field) == want[field], (field, got.get(field), want[field])
    assert all(p["source"] == "text" for p in result.pages)
    assert all(result.fields[f].confidence >= 0.6 for f in REQUIRED)


def test_old_real_samples_go_to_review_because_the_date_is_implausible():
    result = read_invoice(INVOICE_SAMPLES / "AmazonWebServices.pdf", templates=[])
    assert result.status == "review"
    assert any(r.startswith("date_plausible") for r in result.reasons)
