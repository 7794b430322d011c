"""A Nordic company's name keeps its own letters: the English OCR model has no ø, æ or å and
reads them as other letters ('Sørbø' as 'Serb@'); booked so, the vendor is misspelled in the
ledger. The page's own model (Debian's tesseract-ocr-nor) reads the name again."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PIL import Image, ImageDraw, ImageFont

from vision import read_invoice
from vision.issuer import _respelled_in_own_letters

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _installed(model: str) -> bool:
    if shutil.which("tesseract") is None:
        return False
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    return model in listed


@pytest.mark.parametrize("first_reading, own_model_reading, booked", [
    ("Serb@ Glassmesteri AS", "Sørbø Glassmesteri AS", "Sørbø Glassmesteri AS"),
    ("Eree Temrer ApS", "Ærø Tømrer ApS", "Ærø Tømrer ApS"),
    ("Hogberg Snickeri AB", "Högberg Snickeri AB", "Högberg Snickeri AB"),
])
def test_a_name_differing_only_in_letters_the_english_model_lacks_takes_the_own_models_spelling(
        first_reading, own_model_reading, booked):
    assert _respelled_in_own_letters(first_reading, own_model_reading) == booked


def test_a_legal_form_read_as_one_nordic_letter_is_no_respelling():
    # 'AS' read as 'Å' is two letters lost, not an ø the English model wrote as something else
    assert _respelled_in_own_letters("Vestland Maskin AS", "Vestland Maskin Å") is False


def test_own_letters_read_where_another_letter_also_differs_leave_the_spelling_in_doubt():
    assert _respelled_in_own_letters("Serb@ Glassmesteri AS", "Sørbø Glassmesterl AS") is None


def test_a_reading_far_from_the_name_tells_nothing():
    assert _respelled_in_own_letters("Serb@ Glassmesteri AS", "Bnnn øse") is False


def _norwegian_invoice(path) -> None:
    page = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(page)
    big, text = ImageFont.truetype(BOLD, 64), ImageFont.truetype(FONT, 40)
    draw.text((180, 200), "Sørbø Glassmesteri AS", font=big, fill=0)
    rows = ["Dronningens gate 14, 4610 Kristiansand", "Org.nr. 987 654 321 MVA",
            "", "FAKTURA", "", "Kunde: Hansen Eiendom AS, Storgata 3, 0155 Oslo", "",
            "Fakturanr.: 20417", "Fakturadato: 14.10.2026", "Forfallsdato: 28.10.2026", "",
            "Beskrivelse                              Beløp", "Nye vindusruter, kontor            8 400,00",
            "Montering, 6 timer                          3 600,00", "",
            "Sum eks. mva                               12 000,00", "Mva 25 %                                      3 000,00",
            "Å betale NOK                               15 000,00", "", "Kontonummer: 1503.44.12345"]
    for i, row in enumerate(rows):
        draw.text((180, 330 + i * 62), row, font=text, fill=0)
    page.save(path, dpi=(300, 300))


@pytest.mark.skipif(not _installed("nor"), reason="Tesseract's Norwegian model is not installed "
                    "(apt-get install tesseract-ocr-nor; make setup does)")
def test_a_scanned_norwegian_invoice_books_its_issuer_with_its_own_letters(tmp_path):
    scan = tmp_path / "faktura.png"
    _norwegian_invoice(scan)
    issuer = read_invoice(scan, templates=[]).fields["issuer"]
    assert issuer.value == "Sørbø Glassmesteri AS"
    assert "nor model" in issuer.detail
