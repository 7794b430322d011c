"""A scanned invoice number read two ways on one page, or read as two words.

What a clerk sees: a German invoice prints its number in the header box ('Rechnungsnummer:') and
again in its title ('Rechnung R0005532486'); where the scan leaves the header's zero looking like
a capital O but the title's ink showed a zero, the invoice carries the zero. A hotel's booking id
'IBZY2087' that a low-resolution scan read as 'IBZY' and '2087' is offered whole, for a person
to confirm; a printed text layer's space is kept.
"""

from __future__ import annotations

from vision.document import Document, Page, Word
from vision.invoice import analyse


def _page(words: list[Word], source: str = "ocr") -> Document:
    return Document("scan.png" if source == "ocr" else "doc.pdf", [Page(1, 600, 850, words, source)],
                    "image" if source == "ocr" else "pdf")


def _header_and_title(header_reading: str, title_reading: str, title_settled: bool) -> Document:
    words = [Word("Rechnungsnummer:", 380, 60, 470, 70, 0.9, 1), Word(header_reading, 475, 60, 540, 70, 0.7, 1),
             Word("Rechnung", 40, 140, 110, 156, 0.9, 1),
             Word(title_reading, 115, 140, 215, 156, 0.9, 1, shapes_settled=title_settled)]
    return _page(words)


def test_the_number_takes_the_reading_of_its_other_print_whose_ink_said_zero():
    result = analyse(_header_and_title("KO0739114", "K00739114", True), templates=[])
    assert result.value("invoice_number") == "K00739114"


def test_an_other_print_whose_ink_said_nothing_does_not_change_the_number():
    result = analyse(_header_and_title("KO0739114", "K00739114", False), templates=[])
    assert result.value("invoice_number") == "KO0739114"
    assert result.fields["invoice_number"].confidence <= 0.55


def test_a_number_whose_other_print_reads_it_the_same_with_settled_ink_is_not_doubted():
    result = analyse(_header_and_title("B0773311", "B0773311", True), templates=[])
    assert result.value("invoice_number") == "B0773311"
    assert result.fields["invoice_number"].confidence > 0.6


def test_two_prints_whose_ink_disagrees_leave_the_number_to_a_person():
    words = [Word("Invoice", 380, 60, 420, 70, 0.9, 1), Word("no.", 422, 60, 440, 70, 0.9, 1),
             Word("SO40021", 450, 60, 520, 70, 0.7, 1),
             Word("SO40021", 40, 400, 110, 410, 0.9, 1, shapes_settled=True),
             Word("S040021", 40, 500, 110, 510, 0.9, 1, shapes_settled=True)]
    result = analyse(_page(words), templates=[])
    assert result.value("invoice_number") == "SO40021"
    assert result.fields["invoice_number"].confidence <= 0.55


def _booking(parts: list[str], source: str = "ocr") -> Document:
    conf = 0.93 if source == "ocr" else 1.0
    words = [Word("Booking", 300, 100, 360, 112, conf, 1), Word("ID", 364, 100, 378, 112, conf, 1)]
    x = 300
    for part in parts:
        words.append(Word(part, x, 120, x + 9 * len(part), 132, conf, 1))
        x += 9 * len(part) + 6
    return _page(words, source)


def test_a_series_and_its_digits_read_apart_under_an_id_caption_are_one_number_for_a_person():
    result = analyse(_booking(["QWTR", "55190"]), templates=[])
    assert result.value("invoice_number") == "QWTR55190"
    number = result.fields["invoice_number"]
    assert number.confidence <= 0.55 and "apart" in number.detail


def test_a_text_layers_space_or_a_currency_before_a_figure_is_no_split_number():
    assert analyse(_booking(["QWTR", "55190"], source="text"), templates=[]).value("invoice_number") is None
    assert analyse(_booking(["EUR", "4410"]), templates=[]).value("invoice_number") is None
