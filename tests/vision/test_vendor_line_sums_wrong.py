"""A one-line bill with no tax prints one figure three times: as the line's amount, the net and
the total. When that line's quantity times unit price is another figure, nothing confirms which
is right (a hand-typed amount, an edited price), and a person looks before it is paid. Sums
that relate different figures (several lines adding up to the net, a tax on the net) still let
a scan's misread quantity be blamed on the scan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vision import analyse
from vision.checks import CheckPolicy
from vision.document import Document, Page, Word


def _bill(source: str, items: list[tuple[str, str, str, str]], net: str, vat: str, total: str) -> Document:
    """An invoice of plumbing parts whose rows are (description, quantity, unit price, amount)."""
    rows = [(40, [(40, "Brennan"), (92, "Plumbing"), (150, "Supplies"), (206, "Ltd")]),
            (56, [(40, "VAT"), (64, "No."), (88, "IE6388047V")]),
            (100, [(330, "Invoice"), (375, "No."), (400, "BP-2207")]), (114, [(330, "Date"), (400, "02/11/2026")]),
            (200, [(40, "Description"), (300, "Qty"), (380, "Unit"), (408, "price"), (480, "Amount")])]
    y = 216
    for text, qty, price, amount in items:
        rows.append((y, [(40, text), (306, qty), (380, price), (480, amount)]))
        y += 14
    rows += [(y + 30, [(330, "Net"), (480, net)]), (y + 44, [(330, "VAT"), (480, vat)]),
             (y + 58, [(330, "Total"), (440, "EUR"), (480, total)]),
             (800, [(40, "Brennan"), (92, "Plumbing"), (150, "Supplies"), (206, "Ltd,"), (232, "registered"),
                    (296, "in"), (312, "Ireland")])]
    words = [Word(text, x, row_y, x + 6 * len(text), row_y + 10, 0.96) for row_y, pieces in rows
             for x, text in pieces]
    return Document("bill." + ("pdf" if source == "text" else "png"), [Page(1, 595, 842, words, source)],
                    "pdf" if source == "text" else "image")


def _read(doc: Document):
    return analyse(doc, templates=[], policy=CheckPolicy(max_age_days=100_000))


def _blamed_on_the_line(result) -> bool:
    return any(reason.startswith("line_arithmetic") for reason in result.reasons)


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_a_one_line_bill_without_tax_whose_line_disagrees_goes_to_a_person(source):
    # 6 x 41.50 is 249.00; the bill (reverse charge: no VAT) printed 259.00 as line, net and total
    result = _read(_bill(source, [("Copper-elbows", "6", "41.50", "259.00")], "259.00", "0.00", "259.00"))
    assert result.status == "review" and _blamed_on_the_line(result)


def test_a_one_line_bill_whose_tax_adds_up_on_its_net_still_blames_the_scan():
    # the scan read the quantity 6 as 5; VAT 23% of the net and net + VAT = total relate three figures
    result = _read(_bill("ocr", [("Copper-elbows", "5", "41.50", "249.00")], "249.00", "57.27", "306.27"))
    assert result.value("amount") == Decimal("306.27") and not _blamed_on_the_line(result)
    assert "misread" in result.lines[0]


def test_a_scanned_line_among_others_that_add_up_is_blamed_on_the_scan():
    # the scan read the quantity 6 as 5: the amounts still add up to the net, net + VAT to the total
    # (a page built here cannot be read again, so the scan's status is the re-reading's to give)
    result = _read(_bill("ocr", [("Copper-elbows", "5", "41.50", "249.00"), ("Ball-valve", "2", "18.00", "36.00")],
                         "285.00", "65.55", "350.55"))
    assert result.value("amount") == Decimal("350.55") and not _blamed_on_the_line(result)
    assert "misread" in result.lines[0] and "misread" not in result.lines[1]
