"""A letterhead in big print that OCR broke off inside a word ('Harbour View Marine Mari',
with the rest of the line read as a piece apart) is booked under the name the invoice prints
whole elsewhere, the signature's 'For Harbour View Marine Supplies LLC', not as the broken
piece; a signature naming another company does not rename the letterhead."""

from __future__ import annotations

from datetime import date, timedelta

from vision import analyse
from vision.document import Document, Page, Word

DAY = date.today() - timedelta(days=6)


def _line(y: int, x: int, text: str, height: int = 26, gap_after: dict[int, int] | None = None) -> list[Word]:
    """One printed line as OCR boxes it, ``height`` px tall; a wide gap after the n-th word
    where ``gap_after`` says so (OCR reads the line as two pieces there)."""
    words, width = [], height * 0.55
    for n, part in enumerate(text.split(" ")):
        words.append(Word(part, int(x), y, int(x + width * len(part)), y + height, 0.93, 1))
        x += width * (len(part) + 1) + (gap_after or {}).get(n, 0)
    return words


def _invoice(letterhead: list[Word], signature: str) -> Document:
    words = list(letterhead)
    rows = ["PO Box 4411, Sharjah, United Arab Emirates", "Tel: +971 6 555 0192", "TRN: 100234567800003",
            "", "TAX INVOICE", "Invoice No. 004512", f"Invoice Date {DAY:%d-%b-%Y}",
            "Customer Gulf Star Bakery LLC", "", "Description Qty Unit Price Amount",
            "Mooring ropes 4 310.00 1,240.00", "Marine paint 20L 2 505.00 1,010.00", "",
            "Total (Excl. VAT) 2,250.00", "VAT @ 5% 112.50", "Total Amount Due (AED) 2,362.50"]
    for k, row in enumerate(rows):
        if row:
            words += _line(300 + 55 * k, 150, row)
    words += _line(2900, 1300, signature)
    return Document("scan.png", [Page(1, 2480, 3508, words, "ocr", dpi=300)], "image")


def _broken_letterhead() -> list[Word]:
    return _line(150, 150, "Harbour View Marine Mari Supplies LLC", height=44, gap_after={3: 160})


def test_a_letterhead_broken_off_in_a_word_is_booked_as_the_signature_spells_it():
    result = analyse(_invoice(_broken_letterhead(), "For Harbour View Marine Supplies LLC"), templates=[])
    assert result.fields["issuer"].value == "Harbour View Marine Supplies LLC"


def test_a_signature_for_another_company_leaves_the_letterhead_alone():
    result = analyse(_invoice(_broken_letterhead(), "For Harbour Freight Logistics LLC"), templates=[])
    assert result.fields["issuer"].value != "Harbour Freight Logistics LLC"
