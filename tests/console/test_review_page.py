"""The review page: the page picture with the words of each field boxed, duplicates beside the original."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from click.testing import CliRunner

from bots import review
from bots.cli import cli
from tests.conftest import SAMPLES

INVOICE = SAMPLES / "invoices" / "QualityHosting.pdf"


@pytest.fixture
def in_review(deskbot_home, tmp_path):
    """A real invoice (its date is years old, so it goes to review) and a second copy of it."""
    if not INVOICE.exists():
        pytest.skip(f"needs the shared sample {INVOICE} (not part of the repository)")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(INVOICE, inbox / "hosting.pdf")
    shutil.copy(INVOICE, inbox / "hosting-again.pdf")
    done = CliRunner().invoke(cli, ["watch", str(inbox), "--once"])
    assert done.exit_code == 0, done.output
    items = {i["kind"]: i for i in review.list_reviews(home=deskbot_home)}
    return items["review"], items["duplicate"]


def test_each_field_is_boxed_where_its_words_are_printed(client_as, in_review):
    import pytesseract
    from PIL import Image

    item, _ = in_review
    page = client_as("clerk").get(f"/reviews/{item['id']}").get_data(as_text=True)
    figures = re.findall(r'<svg class="page" viewBox="0 0 ([\d.]+) ([\d.]+)".*?</svg>', page, re.S)
    assert len(figures) == 2  # both pages drawn
    boxes = re.findall(r'data-field="(\w+)">\s*<rect class="box f-\d" x="([\d.-]+)" y="([\d.-]+)" '
                       r'width="([\d.]+)" height="([\d.]+)"', page)
    assert {"invoice_number", "amount", "issuer"} <= {b[0] for b in boxes}
    # what lies inside the invoice number's box on the page picture reads as the number
    picture = client_as("clerk").get(f"/reviews/{item['id']}/pages/1.png")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    image = Image.open(io.BytesIO(picture.data))
    width, _height = (float(v) for v in figures[0])
    scale = image.width / width
    name, x, y, w, h = next(b for b in boxes if b[0] == "invoice_number")
    x, y, w, h = (float(v) * scale for v in (x, y, w, h))
    crop = image.crop((int(x), int(y), int(x + w) + 1, int(y + h) + 1)).resize((int(w * 3), int(h * 3)))
    assert "30064443" in pytesseract.image_to_string(crop, config="--psm 7").replace(" ", "")


def test_a_duplicate_is_shown_beside_the_original(client_as, in_review):
    original, duplicate = in_review
    clerk = client_as("clerk")
    page = clerk.get(f"/reviews/{duplicate['id']}").get_data(as_text=True)
    assert "This copy" in page and "The original" in page
    assert f'href="/reviews/{original["id"]}"' in page
    assert f'src="/reviews/{duplicate["id"]}/original/pages/1.png"' in page
    assert clerk.get(f"/reviews/{duplicate['id']}/original/pages/1.png").mimetype == "image/png"
    assert clerk.get(f"/reviews/{original['id']}/original/pages/1.png").status_code == 404  # not a duplicate
    assert clerk.get(f"/reviews/{duplicate['id']}/pages/9.png").status_code == 404


def test_hostile_text_read_from_a_document_is_shown_as_text(client_as, deskbot_home, tmp_path):
    scan = tmp_path / "evil.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n not really a picture")
    rid = review.register(deskbot_home, key="ab" * 32, name="<script>alert(1)</script>.png", folder=tmp_path,
                          path=scan, record={"reasons": ["<img src=x onerror=alert(2)>"],
                                             "fields": {"issuer": {"value": '=HYPERLINK("http://evil.example")',
                                                                   "text": "<b>x</b>", "page": 1}},
                                             "pages": [{"page": 1, "width": 100, "height": 100}],
                                             "boxes": {"issuer": [{"page": 1, "box": [1, 2, 30, 10]}]}})
    body = client_as("viewer").get(f"/reviews/{rid}").get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "&lt;img src=x onerror=alert(2)&gt;" in body
    # a file that is no picture gives no page image, and no error page
    assert client_as("viewer").get(f"/reviews/{rid}/pages/1.png").status_code == 404
