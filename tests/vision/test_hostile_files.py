"""Files that are not invoices, or cannot be opened, end as 'unreadable' with a reason a clerk
can act on, never as a traceback."""

import pytest

from tests.vision.corpus import make_invoice, write_pdf
from vision import UnreadableDocument, read_invoice
from vision.reader import sniff


def test_empty_file_is_unreadable(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    result = read_invoice(path, templates=[])
    assert result.status == "unreadable" and "empty" in result.reasons[0]


def test_text_file_named_pdf_is_not_taken_for_a_pdf(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_text("hello, this is not an invoice")
    with pytest.raises(UnreadableDocument, match="not a PDF or an image"):
        sniff(path)
    assert read_invoice(path, templates=[]).status == "unreadable"


def test_truncated_pdf_is_reported_damaged(tmp_path):
    good = write_pdf(make_invoice(1, "classic"), tmp_path / "good.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(good[: len(good) // 3])
    result = read_invoice(path, templates=[])
    assert result.status == "unreadable"
    assert "cut.pdf" in result.reasons[0]


def test_password_protected_pdf_is_unreadable_with_what_to_do(tmp_path):
    import pypdf

    source = write_pdf(make_invoice(2, "classic"), tmp_path / "plain.pdf")
    writer = pypdf.PdfWriter(clone_from=str(source))
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    result = read_invoice(path, templates=[])
    assert result.status == "unreadable"
    assert "password" in result.reasons[0] and "unprotected copy" in result.reasons[0]


def test_blank_image_is_unreadable(tmp_path):
    from PIL import Image

    path = tmp_path / "blank.png"
    Image.new("L", (1240, 1754), 255).save(path, dpi=(150, 150))
    result = read_invoice(path, templates=[])
    assert result.status == "unreadable"


def test_broken_image_is_unreadable(tmp_path):
    path = tmp_path / "scan.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    result = read_invoice(path, templates=[])
    assert result.status == "unreadable" and "scan.jpg" in result.reasons[0]
